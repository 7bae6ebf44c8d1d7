/*
 * cpuid.h - the CPUID a PV guest sees.  CPUID itself does not trap in
 * ring 1, so a guest that wants the filtered view uses the forced-
 * emulation prefix (ud2a; .ascii "xen"; cpuid), which raises #UD; the
 * hypervisor recognises the 7 bytes, emulates CPUID and skips them.
 * The filter hides what a PV guest cannot use (VMX, MONITOR, PSE, MTRR,
 * machine-check, TSC deadline, x2APIC...), sets the hypervisor bit, and
 * adds Xen's leaves at 0x40000000 ("XenVMMXenVMM").
 */
#ifndef XYLEM_CPUID_H
#define XYLEM_CPUID_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86_32/frame.h"

struct cpuid_regs { uint32_t a, b, c, d; };

/*
 * The CPU's own signature, as Xen and Linux decode it: family is the base
 * family plus the extended family when the base is 0xf; model is the base
 * model with the extended model as its high nibble when that family is 6
 * or more; all 0 without leaf 1.  vendor is CPUID 0's 12 bytes.
 */
struct cpu_signature {
	char vendor[12];
	uint32_t family, model, stepping;
};
void cpu_signature(struct cpu_signature *s);

/* The guest's view of leaf/subleaf. */
void cpuid_guest(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r);
/* If f is a #UD on the forced-emulation prefix, emulate it: true. */
bool cpuid_try_forced_emulation(struct trap_frame *f);

#endif
