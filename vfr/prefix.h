/*
 * prefix.h - IPv4/IPv6 address prefixes: validity and containment.
 *
 * struct vfr_prefix itself lives in vfr_types.h.  These two predicates are
 * the only definitions of what a prefix means; rules (rule.c), VIF address
 * lists (vif.c) and static routes (forward.c) all use them.
 */
#ifndef VFR_PREFIX_H
#define VFR_PREFIX_H

#include "vfr_types.h"

/* Is p a known family, a length in range, and host bits all zero? */
bool vfr_prefix_valid(const struct vfr_prefix *p);

/* Is addr inside prefix p (same family, first p->len bits equal)? */
bool vfr_prefix_contains(const struct vfr_prefix *p, const struct vfr_ip *addr);

#endif
