/*
 * fuzz_ioranges.c - libFuzzer target for hyp/ioranges.c, the port-range
 * sets behind I/O port permissions.
 *
 * Input: a sequence of 5-byte operations (kind, first port, count, each
 * little-endian 16 bits; kind bit 0: grant or revoke, bit 1: count 0x10000
 * - count, to reach long and wrapping runs), applied to a set of at most
 * 8 ranges with the hypervisor's reserved ports, and to a bitmap model of
 * all 65,536 ports.  Properties checked after each operation:
 *  - the result is 0, -XEN_EINVAL (exactly when the run is empty or
 *    wraps), -XEN_EPERM (only for a grant touching a reserved port) or
 *    -XEN_ENOSPC; on an error the set is byte-for-byte unchanged;
 *  - the set stays sorted, disjoint, unmerged-free and within 8 ranges;
 *  - every port is in the set exactly when the model says so.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../hyp/ioranges.h"
#include <public/errno.h>

#define MAX	8

static const struct physdev_port_range reserved[] = {
	{ 0x20, 0x21 }, { 0x40, 0x43 }, { 0xa0, 0xa1 }, { 0xf4, 0xf4 },
	{ 0x3f8, 0x3ff },
};
#define NR_RESERVED (sizeof(reserved) / sizeof(reserved[0]))

static uint8_t model[0x10000];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_set(const struct physdev_port_range *r, unsigned int nr)
{
	unsigned int i, p, in = 0;

	if (nr > MAX)
		abort();
	for (i = 0; i < nr; i++) {
		if (r[i].first > r[i].last)
			abort();
		if (i && r[i].first <= (uint32_t)r[i - 1].last + 1)
			abort();
	}
	for (p = 0, i = 0; p < 0x10000; p++) {
		while (i < nr && r[i].last < p)
			i++;
		in = i < nr && r[i].first <= p;
		if (in != model[p])
			abort();
	}
}

static void apply(struct physdev_port_range *r, uint8_t *nr,
		  const uint8_t *op)
{
	struct physdev_port_range before[MAX], span;
	uint8_t nr_before = *nr;
	uint32_t first = op[1] | (uint32_t)op[2] << 8;
	uint32_t count = op[3] | (uint32_t)op[4] << 8;
	bool grant = op[0] & 1, valid;
	uint32_t p;
	int rc;

	if (op[0] & 2)
		count = 0x10000 - count;
	memcpy(before, r, sizeof(before));
	valid = ioranges_span(first, count, &span);
	if (!valid) {
		if (count != 0 && first + count <= 0x10000)
			abort();
		return;
	}
	rc = grant ? ioranges_add(r, nr, MAX, span, reserved, NR_RESERVED) :
		     ioranges_remove(r, nr, MAX, span);
	if (rc == -XEN_EPERM &&
	    !(grant && ioranges_overlaps(reserved, NR_RESERVED, span.first, span.last)))
		abort();
	if (rc == 0 && grant &&
	    ioranges_overlaps(reserved, NR_RESERVED, span.first, span.last))
		abort();
	if (rc != 0 && rc != -XEN_EPERM && rc != -XEN_ENOSPC)
		abort();
	if (rc) {
		if (*nr != nr_before || memcmp(before, r, sizeof(before)))
			abort();
		return;
	}
	for (p = span.first; p <= span.last; p++)
		model[p] = grant;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct physdev_port_range r[MAX];
	uint8_t nr = 0;
	size_t off;

	memset(r, 0, sizeof(r));
	memset(model, 0, sizeof(model));
	for (off = 0; off + 5 <= size && off < 5 * 64; off += 5) {
		apply(r, &nr, data + off);
		check_set(r, nr);
	}
	return 0;
}
