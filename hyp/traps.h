/*
 * traps.h - what happens on every entry to the hypervisor.
 *
 * trap_dispatch() (called by entry.S with the saved frame) sends
 * hypercalls to the table, hands a guest's exceptions to the handler the
 * guest registered with set_trap_table (a "bounce": the frame the CPU
 * would have built is written onto the guest's ring-1 stack), emulates
 * the forced-emulation CPUID, and reports anything else.  A guest fault
 * that cannot be handed to the guest crashes that guest with a report of
 * domain, vector, error code and registers; a fault in the hypervisor
 * itself is either fixed up (guest_access) or a panic.
 *
 * SYSENTER (desc.c points the MSRs at entry.S) enters the guest's
 * sysenter callback with the frame Xen gives: eip 0, cs 3, esp 0, ss
 * FLAT_RING3_SS, the caller's flags; without a callback it is #GP(0).
 * A return to the guest that fails - a data selector that no longer
 * loads, or the final iret faulting on the guest's cs:eip or ss:esp -
 * enters the guest's failsafe callback with ds, es, fs, gs (ds lowest)
 * below the frame it could not return to; those selectors become null.
 * Without a failsafe callback a data selector that does not load becomes
 * null, and a failed iret crashes the domain; a failure returning to the
 * failsafe callback itself crashes it too.
 */
#ifndef XYLEM_TRAPS_H
#define XYLEM_TRAPS_H

#include <stdint.h>
#include "arch/x86_32/frame.h"

#include <stdbool.h>

void trap_dispatch(struct trap_frame *f);
struct vcpu;
/*
 * A code selector v's handlers may use: ring 1 (RPL 0 is taken to mean
 * the kernel and becomes 1), in v's GDT as a present DPL-1 code segment,
 * or FLAT_RING1_CS; never the hypervisor's.
 */
bool traps_code_selector_ok(const struct vcpu *v, uint16_t *sel);
/*
 * Deliver exception vector (one without an error code: #UD for an
 * instruction the hypervisor emulates and finds invalid, #DB after one it
 * emulated) to the running guest's handler, from frame f.
 */
void traps_guest_exception(struct trap_frame *f, uint32_t vector);
/*
 * Deliver a page fault at addr with error_code (PFEC_*) to the running
 * guest, as if the instruction at f had taken it: f becomes the guest's
 * #PF handler's frame and the guest's virtual CR2 reads addr.  For an
 * emulated instruction whose memory operand the hypervisor found unusable.
 */
void traps_guest_page_fault(struct trap_frame *f, uint32_t addr,
			    uint32_t error_code);

#define SYSCALL_VECTOR	0x80
/* Not an IDT vector: the frame entry.S builds for SYSENTER carries it. */
#define SYSENTER_VECTOR	0x100
/*
 * "int80=native" (benchmarks only): vector 0x80 is handled in ring 0 by
 * the hypervisor, which returns at once; guests' own 0x80 entries are
 * ignored.  The reference point for the system-call fast path.
 */
extern bool traps_native_int80;
/* Make the CPU's gates and ring-1 stack those of v (v is about to run). */
void traps_load_vcpu(const struct vcpu *v);

long do_set_trap_table(uint32_t table, uint32_t a2, uint32_t a3, uint32_t a4,
		       uint32_t a5);
long do_stack_switch(uint32_t ss, uint32_t esp, uint32_t a3, uint32_t a4,
		     uint32_t a5);

#endif
