/*
 * segdesc.h - the rule a segment descriptor must pass before it goes into
 * a guest's GDT or LDT (set_gdt, update_descriptor, LDT pages).
 *
 * Guest kernels run in ring 1, which paging treats as supervisor, so
 * segment limits are what keep a guest out of the hypervisor's top of the
 * address space.  segdesc_check() accepts a descriptor (possibly rewriting
 * it) or refuses it:
 *   - the all-zero descriptor: accepted;
 *   - not-present descriptors: accepted unchanged (any use faults; a
 *     guest's GDT page often holds a TSS slot it never fills);
 *   - present system descriptors (S = 0): 32-bit call gates (type 0xC)
 *     accepted, as 32-bit Xen did, when their reserved bits 5-7 are clear
 *     and their target is FLAT_RING1_CS, FLAT_RING3_CS or a guest selector
 *     (LDT, or a GDT entry from 1 below FIRST_RESERVED_GDT_ENTRY), a target
 *     RPL 0 being raised to 1 - the CPU enters the target at its DPL,
 *     which is never 0 for a guest segment, so a gate reaches ring 1 at
 *     most, switching to the ring-1 stack the TSS holds (stack_switch);
 *     type 0 accepted (using it faults); TSS, LDT, interrupt/trap/task
 *     gates and 16-bit gates refused;
 *   - conforming code segments: refused;
 *   - other present code/data: the accessed bit set (the CPU would set
 *     it on first use, but a guest on the restricted view of isolate.h
 *     has its GDT and LDT mapped read-only);
 *   - DPL 0 code/data: rewritten to DPL 1 (no ring-0 segments; the PV ABI
 *     documents this rewrite);
 *   - expand-up data and code whose last byte (base + limit, limit scaled
 *     by G) reaches limit_end or wraps past 4 GiB: the limit is rewritten
 *     so the segment ends at or below limit_end - 1; refused when the base
 *     itself is at or above limit_end, or when G = 1 and less than 4 KiB
 *     fits below limit_end;
 *   - expand-down data: covers offsets (limit, top] with top 0xFFFFFFFF
 *     (B = 1) or 0xFFFF (B = 0), i.e. linear (base + offset) mod 2^32;
 *     accepted iff every linear address it covers is below limit_end:
 *     either none of them wraps (base + top < limit_end) or all of them
 *     wrap past 4 GiB (base + limit + 1 >= 2^32 and base + top - 2^32 <
 *     limit_end, in 64 bits).  The second case is the expand-down form
 *     seg_fixup.h gives a wrapping "4 GiB" segment.  One that covers
 *     nothing (limit >= top) is accepted: every use faults.
 * Invariants: on refusal *desc is untouched; an accepted present
 * descriptor has DPL >= 1 and reaches no linear address at or above
 * limit_end; checking an accepted descriptor again accepts it unchanged.
 * limit_end is the end of what guests may address (MACH2PHYS_VIRT_END,
 * 0xF6800000, for pv32pae).  Freestanding.
 */
#ifndef XYLEM_SEGDESC_H
#define XYLEM_SEGDESC_H

#include <stdint.h>

/* Fields of the 8-byte descriptor, as bits of its 64-bit value. */
#define SEGDESC_TYPE_ACCESSED	(1ull << 40)
#define SEGDESC_TYPE_RW		(1ull << 41)	/* code: readable; data: writable */
#define SEGDESC_TYPE_EC		(1ull << 42)	/* code: conforming; data: expand-down */
#define SEGDESC_TYPE_CODE	(1ull << 43)	/* code (1) or data (0) */
#define SEGDESC_S		(1ull << 44)	/* code/data (1) or system (0) */
#define SEGDESC_DPL_SHIFT	45
#define SEGDESC_DPL_MASK	(3ull << SEGDESC_DPL_SHIFT)
#define SEGDESC_P		(1ull << 47)
#define SEGDESC_DB		(1ull << 54)	/* default size / big */
#define SEGDESC_G		(1ull << 55)	/* limit in 4 KiB units */
#define SEGDESC_LIMIT_MAX	0xfffffu	/* the raw limit has 20 bits */

/* Check and possibly rewrite *desc; 0 if accepted, -XEN_EINVAL if not. */
int segdesc_check(uint64_t *desc, uint32_t limit_end);

/* The segment's base address. */
uint32_t segdesc_base(uint64_t desc);

/* The raw 20-bit limit field, granularity not applied. */
uint32_t segdesc_raw_limit(uint64_t desc);

/* desc with its raw limit field replaced by the low 20 bits of limit. */
uint64_t segdesc_with_raw_limit(uint64_t desc, uint32_t limit);

/*
 * The raw limit with granularity applied: the last valid offset of an
 * expand-up segment, the last invalid one of an expand-down segment.
 */
uint32_t segdesc_limit_bytes(uint64_t desc);

/* The descriptor privilege level, 0-3. */
unsigned int segdesc_dpl(uint64_t desc);

#endif
