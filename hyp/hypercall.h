/*
 * hypercall.h - the one hypercall table.
 *
 * A guest calls hypercall N through its hypercall page (32 bytes per
 * number: mov $N, %eax; int $0x82; ret), with arguments in %ebx, %ecx,
 * %edx, %esi, %edi and the result in %eax.  Every handler takes five
 * 32-bit arguments and returns 0 / a positive value or a negative XEN_E*
 * errno.  Numbers without a handler, and numbers past the table, return
 * -XEN_ENOSYS.
 *
 * Preemption: a handler whose work grows with its arguments (a long list,
 * many extents) asks hypercall_preempt_check() after each unit of work
 * and, once HYPERCALL_SLICE_NS have passed since the trap came in, turns
 * the rest into a continuation: the guest re-executes the hypercall with
 * arguments that say where to resume, and pending interrupts, events and
 * the scheduler run in between.  Inside a multicall the entry's new
 * arguments are written back to the guest's list and the multicall itself
 * continues at that entry (multicall.h), as Xen does.
 */
#ifndef XYLEM_HYPERCALL_H
#define XYLEM_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86_32/frame.h"

typedef long (*hypercall_fn)(uint32_t a1, uint32_t a2, uint32_t a3,
			     uint32_t a4, uint32_t a5);

void hypercall_dispatch(struct trap_frame *f);
/* Run hypercall nr with five arguments (multicall entries come here). */
long hypercall_call(uint32_t nr, const uint32_t args[5]);
/*
 * Make the current hypercall a continuation: when the guest resumes it
 * re-executes its int $0x82 as hypercall nr with new first two arguments
 * (the others are unchanged).  Its %eax is not overwritten by the result.
 * In a multicall entry, nr must be the entry's own op.
 * hypercall_continue3() sets the third argument too.
 */
void hypercall_continue(uint32_t nr, uint32_t a1, uint32_t a2);
void hypercall_continue3(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3);

/* Time a trap may spend in hypercall work before it should continue. */
#define HYPERCALL_SLICE_NS	1000000ull
/* Has this trap run long enough that the handler should continue? */
bool hypercall_preempt_check(void);
/*
 * For multicall.c: did the entry just run continue itself?  If so, its
 * new first arguments go to args and their number (2 or 3) is returned,
 * else 0; the flag is cleared.
 */
unsigned int hypercall_take_entry_continuation(uint32_t args[3]);
/* The guest frame of the hypercall being handled (iret rewrites it). */
struct trap_frame *hypercall_frame(void);
/* Write the hypercall stubs into a guest page mapped at page. */
void hypercall_page_fill(void *page);

/* Handlers living in small subsystems without their own header. */
long do_xen_version(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
		    uint32_t a5);
long do_sched_op(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
		 uint32_t a5);
long do_sched_op_compat(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
			uint32_t a5);

#endif
