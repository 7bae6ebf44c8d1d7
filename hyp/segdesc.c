/*
 * segdesc.c - validation of guest GDT/LDT descriptors.  See segdesc.h.
 *
 * The descriptor is read into a local copy, checked and rewritten there,
 * and stored back only when accepted.  Segment ends are computed in 64
 * bits so a base near 4 GiB cannot wrap the comparison.  Freestanding.
 */
#include "segdesc.h"

#include <public/errno.h>

/* Fields of the 8-byte descriptor, as bit positions in the 64-bit value. */
#define DESC_TYPE_CODE		(1ull << 43)	/* code (1) or data (0) */
#define DESC_TYPE_EC		(1ull << 42)	/* code: conforming; data: expand-down */
#define DESC_S			(1ull << 44)	/* code/data (1) or system (0) */
#define DESC_DPL_SHIFT		45
#define DESC_DPL_MASK		(3ull << DESC_DPL_SHIFT)
#define DESC_P			(1ull << 47)
#define DESC_DB			(1ull << 54)	/* default size / big */
#define DESC_G			(1ull << 55)	/* limit in 4 KiB units */
#define DESC_LIMIT_LO_MASK	0xffffull
#define DESC_LIMIT_HI_SHIFT	48
#define DESC_LIMIT_HI_MASK	(0xfull << DESC_LIMIT_HI_SHIFT)
#define DESC_LIMIT_MAX		0xfffffu	/* 20 bits */

#define GUEST_KERNEL_DPL	1

uint32_t segdesc_base(uint64_t desc)
{
	return (uint32_t)((desc >> 16) & 0xffffff) |
	       (uint32_t)((desc >> 56) & 0xff) << 24;
}

static uint32_t raw_limit(uint64_t desc)
{
	return (uint32_t)(desc & DESC_LIMIT_LO_MASK) |
	       (uint32_t)((desc & DESC_LIMIT_HI_MASK) >> (DESC_LIMIT_HI_SHIFT - 16));
}

static uint64_t with_raw_limit(uint64_t desc, uint32_t limit)
{
	desc &= ~(DESC_LIMIT_LO_MASK | DESC_LIMIT_HI_MASK);
	return desc | (limit & 0xffff) |
	       ((uint64_t)(limit >> 16) & 0xf) << DESC_LIMIT_HI_SHIFT;
}

uint32_t segdesc_limit_bytes(uint64_t desc)
{
	uint32_t limit = raw_limit(desc);

	return desc & DESC_G ? limit << 12 | 0xfff : limit;
}

unsigned int segdesc_dpl(uint64_t desc)
{
	return (unsigned int)((desc & DESC_DPL_MASK) >> DESC_DPL_SHIFT);
}

/* Expand-down data: offsets (limit, top] must all lie below limit_end. */
static int check_expand_down(uint64_t desc, uint32_t limit_end)
{
	uint64_t top = desc & DESC_DB ? 0xffffffffull : 0xffffull;

	if (segdesc_base(desc) + top >= limit_end)
		return -XEN_EINVAL;
	return 0;
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
	if (!(*desc & DESC_G)) {
		/* room - 1 < old limit <= DESC_LIMIT_MAX, so it fits. */
		*desc = with_raw_limit(*desc, room - 1);
		return 0;
	}
	if (room >> 12 == 0)
		return -XEN_EINVAL;	/* not even one 4 KiB unit fits */
	*desc = with_raw_limit(*desc, (room >> 12) - 1);
	return 0;
}

int segdesc_check(uint64_t *desc, uint32_t limit_end)
{
	uint64_t d = *desc;
	int rc;

	if (d == 0)
		return 0;
	if (!(d & DESC_P))
		return 0;		/* any use faults */
	if (!(d & DESC_S))
		return -XEN_EINVAL;	/* system segments and gates */
	if ((d & DESC_TYPE_CODE) && (d & DESC_TYPE_EC))
		return -XEN_EINVAL;	/* conforming code */
	if (segdesc_dpl(d) < GUEST_KERNEL_DPL)
		d = (d & ~DESC_DPL_MASK) |
		    (uint64_t)GUEST_KERNEL_DPL << DESC_DPL_SHIFT;
	if (!(d & DESC_TYPE_CODE) && (d & DESC_TYPE_EC))
		rc = check_expand_down(d, limit_end);
	else
		rc = check_expand_up(&d, limit_end);
	if (rc)
		return rc;
	*desc = d;
	return 0;
}
