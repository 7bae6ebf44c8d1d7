/*
 * include/public/callback.h - callback_op: where the hypervisor enters the
 * guest kernel for events, for failed returns (failsafe), for NMIs, and
 * for fast system-call instructions.
 */
#ifndef XYLEM_PUBLIC_CALLBACK_H
#define XYLEM_PUBLIC_CALLBACK_H

#include <stdint.h>
#include "arch-x86_32.h"

#define CALLBACKTYPE_event		0
#define CALLBACKTYPE_failsafe		1
#define CALLBACKTYPE_syscall		2	/* 64-bit guests only */
#define CALLBACKTYPE_sysenter_deprecated 3
#define CALLBACKTYPE_nmi		4
#define CALLBACKTYPE_sysenter		5
#define CALLBACKTYPE_syscall32		7

/* Mask events (set evtchn_upcall_mask) when entering this callback. */
#define CALLBACKF_mask_events		(1u << 0)

#define CALLBACKOP_register		0
#define CALLBACKOP_unregister		1

struct callback_register {
	uint16_t type;
	uint16_t flags;
	struct xen_callback address;
};

struct callback_unregister {
	uint16_t type;
	uint16_t _unused;
};

#endif
