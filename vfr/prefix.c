/*
 * prefix.c - address prefix validity and containment; see prefix.h.
 *
 * Pure functions over caller values.  vfr_prefix_contains() compares the
 * address bits under the prefix mask only, so it gives the right answer
 * even for a prefix with stray host bits; vfr_prefix_valid() refuses those.
 */
#include "prefix.h"

bool vfr_prefix_contains(const struct vfr_prefix *p, const struct vfr_ip *addr)
{
	uint8_t whole = p->len / 8, rest = p->len % 8;
	uint8_t mask;

	if (p->addr.family != addr->family ||
	    p->len > (p->addr.family == VFR_AF_INET ? 32 : 128))
		return false;
	if (memcmp(p->addr.b, addr->b, whole))
		return false;
	if (!rest)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return ((p->addr.b[whole] ^ addr->b[whole]) & mask) == 0;
}

bool vfr_prefix_valid(const struct vfr_prefix *p)
{
	uint8_t max = p->addr.family == VFR_AF_INET ? 32 : 128;
	struct vfr_ip zeroed = p->addr;
	unsigned int bit;

	if (p->addr.family != VFR_AF_INET && p->addr.family != VFR_AF_INET6)
		return false;
	if (p->len > max)
		return false;
	/* Host bits must be zero: clear them and compare. */
	for (bit = p->len; bit < max; bit++)
		zeroed.b[bit / 8] &= (uint8_t)~(0x80 >> (bit % 8));
	return !memcmp(zeroed.b, p->addr.b, max / 8);
}
