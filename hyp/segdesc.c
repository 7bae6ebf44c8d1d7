/*
 * segdesc.c - validation of guest GDT/LDT descriptors.  See segdesc.h.
 *
 * The descriptor is read into a local copy, checked and rewritten there,
 * and stored back only when accepted.  Segment ends are computed in 64
 * bits so a base near 4 GiB cannot wrap the comparison.  The field bits
 * are in segdesc.h: seg_fixup.c rewrites descriptors with them too.
 * Freestanding.
 */
#include "segdesc.h"

#include <public/arch-x86_32.h>
#include <public/errno.h>

/* Where the 20-bit limit sits in the 64-bit descriptor. */
#define DESC_LIMIT_LO_MASK	0xffffull
#define DESC_LIMIT_HI_SHIFT	48
#define DESC_LIMIT_HI_MASK	(0xfull << DESC_LIMIT_HI_SHIFT)

#define FOUR_GIB		(1ull << 32)
#define GUEST_KERNEL_DPL	1

uint32_t segdesc_base(uint64_t desc)
{
	return (uint32_t)((desc >> 16) & 0xffffff) |
	       (uint32_t)((desc >> 56) & 0xff) << 24;
}

uint32_t segdesc_raw_limit(uint64_t desc)
{
	return (uint32_t)(desc & DESC_LIMIT_LO_MASK) |
	       (uint32_t)((desc & DESC_LIMIT_HI_MASK) >> (DESC_LIMIT_HI_SHIFT - 16));
}

uint64_t segdesc_with_raw_limit(uint64_t desc, uint32_t limit)
{
	desc &= ~(DESC_LIMIT_LO_MASK | DESC_LIMIT_HI_MASK);
	return desc | (limit & 0xffff) |
	       ((uint64_t)(limit >> 16) & 0xf) << DESC_LIMIT_HI_SHIFT;
}

uint32_t segdesc_limit_bytes(uint64_t desc)
{
	uint32_t limit = segdesc_raw_limit(desc);

	return desc & SEGDESC_G ? limit << 12 | 0xfff : limit;
}

unsigned int segdesc_dpl(uint64_t desc)
{
	return (unsigned int)((desc & SEGDESC_DPL_MASK) >> SEGDESC_DPL_SHIFT);
}

/*
 * Expand-down data covers offsets (limit, top], linear (base + offset)
 * mod 2^32.  All of them must lie below limit_end: the run from first to
 * last (64-bit sums) either stays below 4 GiB and ends below limit_end,
 * or starts at or past 4 GiB and, wrapped, ends below limit_end.  A run
 * that crosses 4 GiB touches 0xFFFFFFFF, which is never below limit_end.
 */
static int check_expand_down(uint64_t desc, uint32_t limit_end)
{
	uint64_t top = desc & SEGDESC_DB ? 0xffffffffull : 0xffffull;
	uint64_t limit = segdesc_limit_bytes(desc);
	uint64_t base = segdesc_base(desc);

	if (limit >= top)
		return 0;		/* covers nothing: every use faults */
	if (base + top < limit_end)
		return 0;
	if (base + limit + 1 >= FOUR_GIB && base + top - FOUR_GIB < limit_end)
		return 0;
	return -XEN_EINVAL;
}

/* Expand-up: truncate the limit so the last byte is below limit_end. */
static int check_expand_up(uint64_t *desc, uint32_t limit_end)
{
	uint32_t base = segdesc_base(*desc);
	uint32_t room = limit_end - base;	/* bytes from base to limit_end */

	if (base >= limit_end)
		return -XEN_EINVAL;
	if ((uint64_t)base + segdesc_limit_bytes(*desc) < limit_end)
		return 0;
	if (!(*desc & SEGDESC_G)) {
		/* room - 1 < old limit <= SEGDESC_LIMIT_MAX, so it fits. */
		*desc = segdesc_with_raw_limit(*desc, room - 1);
		return 0;
	}
	if (room >> 12 == 0)
		return -XEN_EINVAL;	/* not even one 4 KiB unit fits */
	*desc = segdesc_with_raw_limit(*desc, (room >> 12) - 1);
	return 0;
}

/*
 * A call gate may name as its target the flat ring-1 or ring-3 code
 * selector, or any selector of the guest's own GDT entries or LDT; a
 * target RPL 0 is raised to 1.  Type 0 (the unused half some tables carry)
 * is harmless: using it faults.  Every other system descriptor is refused.
 */
static int check_system(uint64_t *desc)
{
	uint64_t d = *desc;
	uint32_t type = (uint32_t)(d >> 40) & 0xf;
	uint16_t cs = (uint16_t)(d >> 16);

	if (type == 0)
		return 0;
	if (type != 0xc || (d & (0x7ull << 37)))	/* reserved bits 5-7 */
		return -XEN_EINVAL;
	if ((cs & 3) == 0)
		cs |= 1;
	if ((cs & ~3) != (FLAT_RING1_CS & ~3) &&
	    (cs & ~3) != (FLAT_RING3_CS & ~3) &&
	    (!(cs & 4) && ((cs >> 3) == 0 || (cs >> 3) >= FIRST_RESERVED_GDT_ENTRY)))
		return -XEN_EINVAL;
	*desc = (d & ~(0xffffull << 16)) | (uint64_t)cs << 16;
	return 0;
}

int segdesc_check(uint64_t *desc, uint32_t limit_end)
{
	uint64_t d = *desc;
	int rc;

	if (d == 0)
		return 0;
	if (!(d & SEGDESC_P))
		return 0;		/* any use faults */
	if (!(d & SEGDESC_S))
		return check_system(desc);	/* gates and system segments */
	if ((d & SEGDESC_TYPE_CODE) && (d & SEGDESC_TYPE_EC))
		return -XEN_EINVAL;	/* conforming code */
	/*
	 * The CPU sets the accessed bit on a segment's first load; the
	 * hypervisor sets it here, as a guest on the restricted view
	 * (isolate.h) has its GDT and LDT read-only.
	 */
	d |= SEGDESC_TYPE_ACCESSED;
	if (segdesc_dpl(d) < GUEST_KERNEL_DPL)
		d = (d & ~SEGDESC_DPL_MASK) |
		    (uint64_t)GUEST_KERNEL_DPL << SEGDESC_DPL_SHIFT;
	if (!(d & SEGDESC_TYPE_CODE) && (d & SEGDESC_TYPE_EC))
		rc = check_expand_down(d, limit_end);
	else
		rc = check_expand_up(&d, limit_end);
	if (rc)
		return rc;
	*desc = d;
	return 0;
}
