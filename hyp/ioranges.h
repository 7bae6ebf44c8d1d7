/*
 * ioranges.h - a small set of I/O port ranges: the bookkeeping behind a
 * domain's port permissions (physdev.h).  FREESTANDING.
 *
 * A set is an array of at most `max` ranges (max <= IORANGES_MAX) plus a
 * count.  Invariants kept by every operation: ranges are sorted by first
 * port, first <= last, and no two ranges overlap or touch (adjacent grants
 * are merged into one range), so a run of ports is in the set exactly when
 * one range covers all of it.
 *
 * ioranges_add and ioranges_remove either apply the whole change or leave
 * the set as it was: -XEN_EINVAL for an empty or wrapping run or a bad
 * max, -XEN_EPERM when an added run touches a reserved range (a table the
 * caller passes, in any order), -XEN_ENOSPC when the result would need
 * more than max ranges (adding a run that fits nowhere, or removing the
 * middle of a range, which splits it in two).
 */
#ifndef XYLEM_IORANGES_H
#define XYLEM_IORANGES_H

#include <stdbool.h>
#include <stdint.h>

#define IORANGES_MAX	64

struct physdev_port_range {
	uint16_t first, last;		/* inclusive */
};

/* Ports [first, first + nr) as a range; false if nr is 0 or it wraps. */
bool ioranges_span(uint32_t first, uint32_t nr,
		   struct physdev_port_range *out);
/* Does any range of r[0..nr) share a port with [first, last]? */
bool ioranges_overlaps(const struct physdev_port_range *r, unsigned int nr,
		       uint16_t first, uint16_t last);
/* Is every port of [first, last] in the (well-formed) set r[0..nr)? */
bool ioranges_contains(const struct physdev_port_range *r, unsigned int nr,
		       uint16_t first, uint16_t last);

int ioranges_add(struct physdev_port_range *r, uint8_t *nr, unsigned int max,
		 struct physdev_port_range add,
		 const struct physdev_port_range *reserved,
		 unsigned int nr_reserved);
int ioranges_remove(struct physdev_port_range *r, uint8_t *nr,
		    unsigned int max, struct physdev_port_range del);

#endif
