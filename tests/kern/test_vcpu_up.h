/*
 * test_vcpu_up.h - what the two files of the test_vcpu_up kernel share:
 * test_vcpu_up.c (vCPU 0's checks and the code vCPUs 1 and 2 run) and
 * test_vcpu_up_ctx.c (the contexts VCPUOP_initialise is given: the good
 * ones for vCPUs 1 and 2, and the refused ones).
 *
 * test_vcpu_up_ctx.c builds vCPU 1's GDT frame and vCPU 2's LDT frame
 * (make_gdt_frame(), before any context names them); test_vcpu_up.c owns
 * ctx, the context it initialises vCPUs with, and the assembly stubs a
 * context names as entry points.
 */
#ifndef XYLEM_TESTS_TEST_VCPU_UP_H
#define XYLEM_TESTS_TEST_VCPU_UP_H

#include <stdint.h>
#include <public/vcpu.h>

#define SLOT_GDT	0u	/* window slots: the GDT frame, the LDT page */
#define SLOT_LDT	1u
#define SLOT_GDT_RW	2u	/* the GDT frame, writable while refused */
#define V1_CS		((1u << 3) | 1)	/* vCPU 1's own GDT */
#define V2_FCW		0x027fu		/* fninit's 0x037f with 53-bit precision */
#define V2_MXCSR	0x7f80u		/* all masked, round toward zero */

#define EFLAGS_CF	0x00000001u
#define EFLAGS_FIXED	0x00000002u
#define EFLAGS_ZF	0x00000040u
#define EFLAGS_IF	0x00000200u
#define EFLAGS_IOPL	0x00003000u
#define EFLAGS_NT	0x00004000u
#define EFLAGS_VM	0x00020000u

/* The stubs a secondary vCPU's context names (test_vcpu_up.c). */
void secondary_entry(void);
void v1_event_entry(void);
void v1_int3_entry(void);
void secondary_failsafe_entry(void);

extern struct vcpu_guest_context ctx;
extern uint32_t gdt_pfn, ldt_pfn;

void make_gdt_frame(void);

/* A context vCPU 1 could run with, on the L3 frame l3_mfn. */
void ctx_vcpu1(struct vcpu_guest_context *c, uint32_t l3_mfn);
/* vCPU 2's context: online at once, its ds in its LDT. */
void ctx_vcpu2(struct vcpu_guest_context *c);
/* Check 2 of test_vcpu_up.c's list: 17 contexts initialise(1) refuses. */
void check_refusals(void);

#endif
