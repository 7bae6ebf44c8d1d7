/*
 * guest.h - the Xylem PV kernel library: start-up, console output and
 * shutdown.  A kernel built on it provides kernel_main(); guest_start()
 * (start.c) records start_info and calls it.
 */
#ifndef XYLEM_GUEST_H
#define XYLEM_GUEST_H

#include <stdint.h>
#include <public/xen.h>

extern struct start_info *start_info;
extern struct shared_info *shared_info_page;	/* NULL until mapped */
/* vCPU 0's vcpu_info once evtchn_move_vcpu_info() moved it, else NULL. */
extern struct vcpu_info *vcpu_info_moved;

/* Where vCPU 0's vcpu_info is now (shared_info must be mapped). */
static inline struct vcpu_info *this_vcpu_info(void)
{
	return vcpu_info_moved ? vcpu_info_moved : &shared_info_page->vcpu_info[0];
}

void kernel_main(struct start_info *si);

void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As printf, but straight to the hypervisor's console (console_io), even
 * for a DomU with a console ring: seen even if Dom0 is stuck. */
void hyp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_puts(const char *s);
/* SCHEDOP_shutdown with reason; returns only if the hypervisor refuses. */
void guest_shutdown(uint32_t reason);
/* Block for good (SCHEDOP_block with no event source to wake us). */
void guest_block_forever(void) __attribute__((noreturn));

#endif
