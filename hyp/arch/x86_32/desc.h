/*
 * desc.h - descriptor tables: the GDT (guest part + the hypervisor's
 * reserved flat selectors), the IDT and the TSS.
 *
 * The GDT is a 16-page window at GDT_VIRT_START.  Pages 0-13 (entries below
 * FIRST_RESERVED_GDT_ENTRY) belong to the running guest; until it installs
 * its own they show a read-only zero page.  Pages 14-15 hold the
 * hypervisor's entries, among them the pv32pae flat selectors, whose limits
 * end at MACH2PHYS_VIRT_END so no guest segment reaches the hypervisor.
 */
#ifndef XYLEM_DESC_H
#define XYLEM_DESC_H

#include <stdbool.h>
#include <stdint.h>

void arch_desc_init(void);
/* Set the ring-1 stack the CPU switches to on a ring 3 -> ring 1 gate. */
void arch_set_guest_kernel_stack(uint32_t ss, uint32_t esp);
/*
 * Point IDT vector vec straight at a guest ring-1 handler (a DPL-3 trap
 * gate: the CPU switches to the guest's kernel stack itself), or back at
 * the hypervisor's own entry stub.
 */
void arch_set_direct_trap(uint8_t vec, uint16_t cs, uint32_t eip);
void arch_clear_direct_trap(uint8_t vec);
/* Point vec (DPL 3) at a ring-0 handler that returns at once (benchmarks). */
void arch_set_native_null_trap(uint8_t vec);
/*
 * Load the LDT register: nr_ents descriptors (1..8192) at LDT_VIRT_START,
 * or no LDT at all when nr_ents is 0.
 */
void arch_load_ldt(uint32_t nr_ents);

/*
 * Whether the CPU checks segment limits, which is what keeps ring 1 out
 * of the hypervisor (paging treats rings 0-2 alike): reads a byte of the
 * direct map through FLAT_RING1_DS, whose limit ends below it.  QEMU's
 * TCG does not check them.  After arch_desc_init().
 */
bool arch_segment_limits_enforced(void);
/*
 * The running vCPU's hypervisor stack has its top at top: the CPU enters
 * the hypervisor from a guest there (the TSS's esp0, and SYSENTER's stack
 * when the CPU has it), or on the entry stack with isolation on (isolate.h).
 */
void arch_set_hyp_stack(uint32_t top);

/* A raw 8-byte segment descriptor. */
static inline uint64_t make_seg_desc(uint32_t base, uint32_t limit_pages,
				     uint8_t access)
{
	return (uint64_t)(limit_pages & 0xffff) |
	       ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)access << 40) |
	       ((uint64_t)((limit_pages >> 16) & 0xf) << 48) |
	       (0xcull << 52) |	/* 4 KiB granularity, 32-bit */
	       ((uint64_t)(base >> 24) << 56);
}

#endif
