/*
 * ioranges.c - sorted, merged sets of I/O port ranges.  See ioranges.h.
 * FREESTANDING: every change is built in a scratch array first and copied
 * back only when it fits, so a refused change leaves the set untouched.
 */
#include "ioranges.h"
#include <public/errno.h>

bool ioranges_span(uint32_t first, uint32_t nr,
		   struct physdev_port_range *out)
{
	if (nr == 0 || first > 0xffff || nr > 0x10000 - first)
		return false;
	out->first = (uint16_t)first;
	out->last = (uint16_t)(first + nr - 1);
	return true;
}

bool ioranges_overlaps(const struct physdev_port_range *r, unsigned int nr,
		       uint16_t first, uint16_t last)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (r[i].first <= last && first <= r[i].last)
			return true;
	return false;
}

bool ioranges_contains(const struct physdev_port_range *r, unsigned int nr,
		       uint16_t first, uint16_t last)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (r[i].first <= first && last <= r[i].last)
			return true;
	return false;
}

static bool span_ok(struct physdev_port_range s, unsigned int max)
{
	return s.first <= s.last && max > 0 && max <= IORANGES_MAX;
}

static void copy_back(struct physdev_port_range *r, uint8_t *nr,
		      const struct physdev_port_range *scratch, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		r[i] = scratch[i];
	*nr = (uint8_t)n;
}

int ioranges_add(struct physdev_port_range *r, uint8_t *nr, unsigned int max,
		 struct physdev_port_range add,
		 const struct physdev_port_range *reserved,
		 unsigned int nr_reserved)
{
	struct physdev_port_range out[IORANGES_MAX + 2];
	uint32_t lo = add.first, hi = add.last;
	unsigned int i, n = 0;
	bool placed = false;

	if (!span_ok(add, max) || *nr > max)
		return -XEN_EINVAL;
	if (ioranges_overlaps(reserved, nr_reserved, add.first, add.last))
		return -XEN_EPERM;
	/* 32-bit arithmetic: last + 1 may be 0x10000. */
	for (i = 0; i < *nr; i++) {
		if ((uint32_t)r[i].last + 1 < lo) {
			out[n++] = r[i];		/* wholly below */
		} else if (r[i].first > hi + 1) {
			if (!placed)
				out[n++] = (struct physdev_port_range){
					(uint16_t)lo, (uint16_t)hi };
			placed = true;
			out[n++] = r[i];		/* wholly above */
		} else {
			lo = r[i].first < lo ? r[i].first : lo;	/* merge */
			hi = r[i].last > hi ? r[i].last : hi;
		}
		if (n > max)
			return -XEN_ENOSPC;
	}
	if (!placed)
		out[n++] = (struct physdev_port_range){ (uint16_t)lo, (uint16_t)hi };
	if (n > max)
		return -XEN_ENOSPC;
	copy_back(r, nr, out, n);
	return 0;
}

int ioranges_remove(struct physdev_port_range *r, uint8_t *nr,
		    unsigned int max, struct physdev_port_range del)
{
	struct physdev_port_range out[IORANGES_MAX + 2];
	unsigned int i, n = 0;

	if (!span_ok(del, max) || *nr > max)
		return -XEN_EINVAL;
	for (i = 0; i < *nr; i++) {
		if (r[i].last < del.first || r[i].first > del.last) {
			out[n++] = r[i];		/* untouched */
		} else {
			if (r[i].first < del.first)	/* keeps its front */
				out[n++] = (struct physdev_port_range){
					r[i].first, (uint16_t)(del.first - 1) };
			if (r[i].last > del.last)	/* keeps its back */
				out[n++] = (struct physdev_port_range){
					(uint16_t)(del.last + 1), r[i].last };
		}
		/* Each step appends at most two: out never overflows. */
		if (n > max)
			return -XEN_ENOSPC;
	}
	copy_back(r, nr, out, n);
	return 0;
}
