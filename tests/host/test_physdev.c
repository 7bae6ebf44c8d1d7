/*
 * test_physdev.c - host unit tests for hyp/ioranges.c, the port-range
 * bookkeeping behind a domain's I/O port permissions: spans, grants that
 * merge (overlapping and adjacent), revokes that trim, split and drop
 * ranges, -XEN_ENOSPC when a set would overflow (leaving it unchanged),
 * -XEN_EPERM for runs that touch reserved ports, and a randomised
 * comparison against a 65,536-entry bitmap model.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../hyp/ioranges.h"
#include <public/errno.h>

#define MAX 8

/* The hypervisor's table, as physdev.c has it (order does not matter). */
static const struct physdev_port_range reserved[] = {
	{ 0x20, 0x21 }, { 0x40, 0x43 }, { 0xa0, 0xa1 }, { 0xf4, 0xf4 },
	{ 0x3f8, 0x3ff },
};
#define NR_RESERVED (sizeof(reserved) / sizeof(reserved[0]))

struct set {
	struct physdev_port_range r[MAX];
	uint8_t nr;
};

static struct physdev_port_range rng(uint32_t first, uint32_t last)
{
	return (struct physdev_port_range){ (uint16_t)first, (uint16_t)last };
}

static int add(struct set *s, uint32_t first, uint32_t last)
{
	return ioranges_add(s->r, &s->nr, MAX, rng(first, last), reserved,
			    NR_RESERVED);
}

static int del(struct set *s, uint32_t first, uint32_t last)
{
	return ioranges_remove(s->r, &s->nr, MAX, rng(first, last));
}

/* The set is exactly the listed ranges (first, last pairs). */
static bool is(const struct set *s, unsigned int n, const uint32_t *want)
{
	unsigned int i;

	if (s->nr != n)
		return false;
	for (i = 0; i < n; i++)
		if (s->r[i].first != want[2 * i] || s->r[i].last != want[2 * i + 1])
			return false;
	return true;
}

#define IS(s, ...) is(s, sizeof((uint32_t[]){ __VA_ARGS__ }) / 8,	\
		      (uint32_t[]){ __VA_ARGS__ })

static void test_span(void)
{
	struct physdev_port_range r;

	CHECK(ioranges_span(0x70, 2, &r) && r.first == 0x70 && r.last == 0x71);
	CHECK(ioranges_span(0xffff, 1, &r) && r.first == 0xffff && r.last == 0xffff);
	CHECK(ioranges_span(0, 0x10000, &r) && r.first == 0 && r.last == 0xffff);
	CHECK(!ioranges_span(0x70, 0, &r));
	CHECK(!ioranges_span(0xffff, 2, &r));
	CHECK(!ioranges_span(0x10000, 1, &r));
	CHECK(!ioranges_span(0x100, 0xffffffffu, &r));	/* wraps 32 bits */
}

static void test_grant_merge(void)
{
	struct set s = { .nr = 0 };

	CHECK_EQ(add(&s, 0x300, 0x30f), 0);
	CHECK_EQ(add(&s, 0x100, 0x107), 0);
	CHECK(IS(&s, 0x100, 0x107, 0x300, 0x30f));		/* sorted */
	CHECK_EQ(add(&s, 0x108, 0x10f), 0);			/* adjacent above */
	CHECK(IS(&s, 0x100, 0x10f, 0x300, 0x30f));
	CHECK_EQ(add(&s, 0x2f0, 0x2ff), 0);			/* adjacent below */
	CHECK(IS(&s, 0x100, 0x10f, 0x2f0, 0x30f));
	CHECK_EQ(add(&s, 0x105, 0x2f5), 0);			/* bridges both */
	CHECK(IS(&s, 0x100, 0x30f));
	CHECK_EQ(add(&s, 0x200, 0x210), 0);			/* inside: no change */
	CHECK(IS(&s, 0x100, 0x30f));
	CHECK_EQ(add(&s, 0xfff0, 0xffff), 0);			/* top of the space */
	CHECK_EQ(add(&s, 0xffe0, 0xffef), 0);
	CHECK(IS(&s, 0x100, 0x30f, 0xffe0, 0xffff));
	CHECK(ioranges_contains(s.r, s.nr, 0x100, 0x30f));
	CHECK(ioranges_contains(s.r, s.nr, 0xffff, 0xffff));
	CHECK(!ioranges_contains(s.r, s.nr, 0x30f, 0x310));
	CHECK(!ioranges_contains(s.r, s.nr, 0xff, 0x100));
}

static void test_revoke(void)
{
	struct set s = { .nr = 0 };

	CHECK_EQ(add(&s, 0x100, 0x1ff), 0);
	CHECK_EQ(del(&s, 0x140, 0x14f), 0);			/* splits */
	CHECK(IS(&s, 0x100, 0x13f, 0x150, 0x1ff));
	CHECK(!ioranges_contains(s.r, s.nr, 0x13f, 0x140));
	CHECK(ioranges_contains(s.r, s.nr, 0x150, 0x150));
	CHECK_EQ(del(&s, 0x100, 0x10f), 0);			/* trims the front */
	CHECK_EQ(del(&s, 0x1f0, 0x2ff), 0);			/* the back, past it */
	CHECK(IS(&s, 0x110, 0x13f, 0x150, 0x1ef));
	CHECK_EQ(del(&s, 0x130, 0x15f), 0);			/* across a gap */
	CHECK(IS(&s, 0x110, 0x12f, 0x160, 0x1ef));
	CHECK_EQ(del(&s, 0x500, 0x5ff), 0);			/* nothing there */
	CHECK(IS(&s, 0x110, 0x12f, 0x160, 0x1ef));
	CHECK_EQ(del(&s, 0, 0xffff), 0);			/* everything */
	CHECK_EQ(s.nr, 0);
	CHECK_EQ(add(&s, 0, 0xffff), -XEN_EPERM);		/* reserved inside */
	CHECK_EQ(del(&s, 0x10, 0x0f), -XEN_EINVAL);		/* inverted */
}

static void test_overflow(void)
{
	struct set s = { .nr = 0 }, before;
	unsigned int i;

	for (i = 0; i < MAX; i++)
		CHECK_EQ(add(&s, 0x1000 + i * 0x10, 0x1003 + i * 0x10), 0);
	CHECK_EQ(s.nr, MAX);
	before = s;
	CHECK_EQ(add(&s, 0x5000, 0x5000), -XEN_ENOSPC);	/* a ninth range */
	CHECK_EQ(add(&s, 0x0800, 0x0800), -XEN_ENOSPC);	/* below them all */
	CHECK_EQ(add(&s, 0x1008, 0x1008), -XEN_ENOSPC);	/* in a gap */
	CHECK_EQ(del(&s, 0x1001, 0x1001), -XEN_ENOSPC);	/* a split */
	CHECK(memcmp(&s, &before, sizeof(s)) == 0);		/* untouched */
	/* Merging still works when full, and frees room. */
	CHECK_EQ(add(&s, 0x1004, 0x100f), 0);
	CHECK_EQ(s.nr, MAX - 1);
	CHECK_EQ(add(&s, 0x5000, 0x5000), 0);
	CHECK_EQ(s.nr, MAX);
	CHECK_EQ(del(&s, 0x1000, 0x1000), 0);			/* a trim needs no room */
	CHECK(ioranges_contains(s.r, s.nr, 0x1001, 0x1013));
}

static void test_reserved(void)
{
	struct set s = { .nr = 0 };
	const uint32_t bad[][2] = {
		{ 0x20, 0x20 }, { 0x21, 0x21 }, { 0x00, 0x20 }, { 0x21, 0x30 },
		{ 0x40, 0x43 }, { 0x43, 0x43 }, { 0xa1, 0xa1 }, { 0xf4, 0xf4 },
		{ 0xf0, 0xff }, { 0x3f8, 0x3f8 }, { 0x3ff, 0x400 },
		{ 0x300, 0x3f8 }, { 0, 0xffff },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(add(&s, bad[i][0], bad[i][1]), -XEN_EPERM);
		CHECK_EQ(s.nr, 0);
	}
	/* Right next to reserved ports is fine. */
	CHECK_EQ(add(&s, 0x22, 0x3f), 0);
	CHECK_EQ(add(&s, 0x44, 0x9f), 0);
	CHECK_EQ(add(&s, 0x3f0, 0x3f7), 0);
	CHECK_EQ(add(&s, 0x400, 0x40f), 0);
	CHECK(IS(&s, 0x22, 0x3f, 0x44, 0x9f, 0x3f0, 0x3f7, 0x400, 0x40f));
	CHECK(ioranges_overlaps(reserved, NR_RESERVED, 0x3f7, 0x3f8));
	CHECK(!ioranges_overlaps(reserved, NR_RESERVED, 0x70, 0x71));
}

/* Random grants and revokes against a bitmap model of the same set. */
static void test_random(void)
{
	static uint8_t model[0x10000];
	struct set s = { .nr = 0 };
	unsigned int step, p, i, mismatches = 0, bad_rc = 0, broken = 0;
	unsigned int nospc = 0;

	memset(model, 0, sizeof(model));
	srand(4);
	for (step = 0; step < 20000; step++) {
		uint32_t first = (uint32_t)rand() % 0x600 + 0x400;
		uint32_t last = first + (uint32_t)rand() % 0x40;
		bool grant = rand() % 3 != 0;
		int rc = grant ? add(&s, first, last) : del(&s, first, last);

		if (rc == -XEN_ENOSPC)
			nospc++;
		else if (rc != 0)
			bad_rc++;
		if (rc == 0)
			for (p = first; p <= last; p++)
				model[p] = grant;
		for (i = 0; i < s.nr; i++)		/* invariants */
			if (s.r[i].first > s.r[i].last ||
			    (i && s.r[i].first <= s.r[i - 1].last + 1u))
				broken++;
		if (s.nr > MAX)
			broken++;
		for (p = 0x3f0; p < 0xa50; p += 7)
			if (ioranges_contains(s.r, s.nr, (uint16_t)p, (uint16_t)p) !=
			    (bool)model[p])
				mismatches++;
	}
	CHECK_EQ(mismatches, 0);
	CHECK_EQ(bad_rc, 0);
	CHECK_EQ(broken, 0);
	CHECK(nospc > 0);		/* the overflow path was exercised */
}

int main(void)
{
	test_span();
	test_grant_merge();
	test_revoke();
	test_overflow();
	test_reserved();
	test_random();
	return check_done();
}
