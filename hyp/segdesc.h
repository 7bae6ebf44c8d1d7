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
 *   - present system descriptors (S = 0: TSS, LDT, call/interrupt/trap/
 *     task gates): refused - Xylem supports none of them in a guest table
 *     (Xen accepts call gates after checking them);
 *   - conforming code segments: refused;
 *   - DPL 0 code/data: rewritten to DPL 1 (no ring-0 segments; the PV ABI
 *     documents this rewrite);
 *   - expand-up data and code whose last byte (base + limit, limit scaled
 *     by G) reaches limit_end or wraps past 4 GiB: the limit is rewritten
 *     so the segment ends at or below limit_end - 1; refused when the base
 *     itself is at or above limit_end, or when G = 1 and less than 4 KiB
 *     fits below limit_end;
 *   - expand-down data: covers (limit, top] with top 0xFFFFFFFF (B = 1)
 *     or 0xFFFF (B = 0); accepted only if base + top is below limit_end
 *     without wrapping, else refused.
 * Invariants: on refusal *desc is untouched; an accepted present
 * descriptor has DPL >= 1 and (expand-up) a last byte below limit_end;
 * checking an accepted descriptor again accepts it unchanged.
 * limit_end is the end of what guests may address (MACH2PHYS_VIRT_END,
 * 0xF6800000, for pv32pae).  Freestanding.
 */
#ifndef XYLEM_SEGDESC_H
#define XYLEM_SEGDESC_H

#include <stdint.h>

/* Check and possibly rewrite *desc; 0 if accepted, -XEN_EINVAL if not. */
int segdesc_check(uint64_t *desc, uint32_t limit_end);

/* The segment's base address. */
uint32_t segdesc_base(uint64_t desc);

/* The raw limit with granularity applied: the last valid offset. */
uint32_t segdesc_limit_bytes(uint64_t desc);

/* The descriptor privilege level, 0-3. */
unsigned int segdesc_dpl(uint64_t desc);

#endif
