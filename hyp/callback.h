/*
 * callback.h - the guest kernel's entry points other than its trap table
 * (set_callbacks, callback_op) and the iret hypercall that returns from
 * them.
 *
 * iret: the guest's hypercall stub pushed %eax; above it lies the frame
 * the guest wants to return to: eip, cs (upcall mask in bits 16-23, as the
 * bounce frame carries it), eflags, and esp, ss when returning to ring 3.
 * EFLAGS.IF in that frame becomes the event upcall mask; the real IF stays
 * on and IOPL, VM and NT are cleared (with VMASST architectural_iopl the
 * frame's IOPL becomes the virtual IOPL).  The restored %eax is the
 * hypercall's "result".  An unreadable frame crashes the domain.
 *
 * Callbacks: event, failsafe and sysenter (also under its old number 3)
 * are recorded per vCPU (with CALLBACKF_mask_events), address 0 clearing
 * one; traps.h says how failsafe and sysenter are entered.  nmi is vector
 * 2 of the trap table (nmi.h).  As on Xen only nmi can be unregistered
 * (the others -EINVAL).  syscall32 is recorded as Xen records it, but
 * never entered: EFER.SCE stays clear, so SYSCALL raises #UD for the
 * guest's handler (as on Intel CPUs under Xen; legacy-mode SYSCALL does
 * not switch stacks, so a 32-bit hypervisor cannot take it safely).
 * syscall, a 64-bit type, and unknown types are -ENOSYS.
 */
#ifndef XYLEM_CALLBACK_H
#define XYLEM_CALLBACK_H

#include <stdint.h>

long do_iret(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5);
long do_set_callbacks(uint32_t event_cs, uint32_t event_eip,
		      uint32_t failsafe_cs, uint32_t failsafe_eip, uint32_t a5);
long do_callback_op(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
		    uint32_t a5);

#endif
