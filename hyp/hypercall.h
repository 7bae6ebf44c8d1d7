/*
 * hypercall.h - the one hypercall table.
 *
 * A guest calls hypercall N through its hypercall page (32 bytes per
 * number: mov $N, %eax; int $0x82; ret), with arguments in %ebx, %ecx,
 * %edx, %esi, %edi and the result in %eax.  Every handler takes five
 * 32-bit arguments and returns 0 / a positive value or a negative XEN_E*
 * errno.  Numbers without a handler, and numbers past the table, return
 * -XEN_ENOSYS.  A handler may turn its call into a continuation (a long
 * list is finished over several traps, so interrupts are not held off).
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
 */
void hypercall_continue(uint32_t nr, uint32_t a1, uint32_t a2);
/* False inside a multicall entry: finish the work in this trap instead. */
bool hypercall_may_continue(void);
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
