/*
 * test_segdesc.c - host unit test of hyp/segdesc.c, the check applied to
 * every descriptor a guest puts in its GDT or LDT.
 *
 * Rule by rule: the zero descriptor, each system type (present: refused;
 * not present: kept),
 * not-present code/data, conforming code, the DPL 0 -> 1 rewrite, limits
 * ending at limit_end - 1 / limit_end / wrapping past 4 GiB with byte and
 * 4 KiB granularity, bases at and above limit_end, expand-down with B = 0
 * and 1, and the accessors.  Then a property check over a million random
 * descriptors and several limit_end values: an accepted present segment
 * has DPL >= 1 and never reaches limit_end, only DPL and limit bits ever
 * change, a truncated limit is the longest that fits, a descriptor that
 * needed no change is left alone, a refused one is untouched, and
 * checking an accepted descriptor again changes nothing.
 */
#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "../../hyp/segdesc.h"
#include <public/errno.h>

#define LIMIT_END	0xf6800000u

/* Data types (S = 1): 2 = read/write, 6 = read/write expand-down. */
#define T_DATA		0x2
#define T_DATA_DOWN	0x6
#define T_CODE		0xa	/* execute/read */
#define T_CODE_CONF	0xe	/* execute/read, conforming */

static uint64_t mkdesc(uint32_t base, uint32_t limit, unsigned int type,
		       bool s, unsigned int dpl, bool p, bool db, bool g)
{
	return (uint64_t)(limit & 0xffff) |
	       (uint64_t)(base & 0xffffff) << 16 |
	       (uint64_t)(type & 0xf) << 40 |
	       (uint64_t)s << 44 |
	       (uint64_t)(dpl & 3) << 45 |
	       (uint64_t)p << 47 |
	       (uint64_t)((limit >> 16) & 0xf) << 48 |
	       (uint64_t)db << 54 |
	       (uint64_t)g << 55 |
	       (uint64_t)(base >> 24) << 56;
}

/* A present, DPL 1, 32-bit segment. */
static uint64_t seg(uint32_t base, uint32_t limit, unsigned int type, bool g)
{
	return mkdesc(base, limit, type, true, 1, true, true, g);
}

/* Check d: expect rc and, when accepted, the result. */
static void expect(uint64_t d, uint32_t end, int rc, uint64_t result)
{
	uint64_t x = d;

	CHECK_EQ(segdesc_check(&x, end), rc);
	CHECK_EQ(x, rc ? d : result);
}

static void test_accessors(void)
{
	uint64_t linux_kernel_cs = 0x00cf9a000000ffffull;
	uint64_t scattered = 0x1240f2345678abcdull;

	CHECK_EQ(segdesc_base(linux_kernel_cs), 0);
	CHECK_EQ(segdesc_limit_bytes(linux_kernel_cs), 0xffffffffu);
	CHECK_EQ(segdesc_dpl(linux_kernel_cs), 0);
	CHECK_EQ(segdesc_base(scattered), 0x12345678u);
	CHECK_EQ(segdesc_limit_bytes(scattered), 0xabcd);
	CHECK_EQ(segdesc_dpl(scattered), 3);
	CHECK_EQ(mkdesc(0x12345678, 0xabcd, T_DATA, true, 3, true, true, false), scattered);
	CHECK_EQ(segdesc_limit_bytes(seg(0, 0x12345, T_DATA, true)), 0x12345fffu);
	CHECK_EQ(segdesc_limit_bytes(seg(0, 0x12345, T_DATA, false)), 0x12345u);
}

static void test_system_and_not_present(void)
{
	static const unsigned int sys_types[] = { 0x0, 0x1, 0x2, 0x3, 0x4, 0x5, 0x9,
						  0xb, 0xc, 0xe, 0xf };
	unsigned int i;

	expect(0, LIMIT_END, 0, 0);
	for (i = 0; i < sizeof(sys_types) / sizeof(sys_types[0]); i++) {
		expect(mkdesc(0x1000, 0x67, sys_types[i], false, 1, true, false, false),
		       LIMIT_END, -XEN_EINVAL, 0);
		/* Not present: any use faults, so it is harmless. */
		expect(mkdesc(0x1000, 0x67, sys_types[i], false, 3, false, false, false),
		       LIMIT_END, 0,
		       mkdesc(0x1000, 0x67, sys_types[i], false, 3, false, false, false));
	}
	/* A stray bit in an otherwise empty descriptor: not present, kept. */
	expect(1ull << 63, LIMIT_END, 0, 1ull << 63);
	/* Not present code/data: unchanged whatever it says. */
	expect(mkdesc(0, 0xfffff, T_CODE, true, 0, false, true, true), LIMIT_END, 0,
	       mkdesc(0, 0xfffff, T_CODE, true, 0, false, true, true));
	expect(mkdesc(0xffff0000, 0xfffff, T_CODE_CONF, true, 0, false, true, true),
	       LIMIT_END, 0, mkdesc(0xffff0000, 0xfffff, T_CODE_CONF, true, 0, false, true, true));
	expect(mkdesc(0, 0, T_DATA_DOWN, true, 0, false, true, false), LIMIT_END, 0,
	       mkdesc(0, 0, T_DATA_DOWN, true, 0, false, true, false));
}

static void test_dpl_and_conforming(void)
{
	unsigned int dpl;

	for (dpl = 0; dpl < 4; dpl++) {
		unsigned int want = dpl ? dpl : 1;

		expect(mkdesc(0, 0xfff, T_DATA, true, dpl, true, true, false), LIMIT_END, 0,
		       mkdesc(0, 0xfff, T_DATA, true, want, true, true, false));
		expect(mkdesc(0, 0xfff, T_CODE, true, dpl, true, true, false), LIMIT_END, 0,
		       mkdesc(0, 0xfff, T_CODE, true, want, true, true, false));
		expect(mkdesc(0, 0xfff, T_CODE_CONF, true, dpl, true, true, false),
		       LIMIT_END, -XEN_EINVAL, 0);
		expect(mkdesc(0, 0xfff, 0xc, true, dpl, true, true, false),
		       LIMIT_END, -XEN_EINVAL, 0);	/* execute-only conforming */
	}
	/* Accessed bit and others are kept through the DPL rewrite. */
	expect(mkdesc(0x1000, 0xfff, T_DATA | 1, true, 0, true, false, false) | 1ull << 52,
	       LIMIT_END, 0,
	       mkdesc(0x1000, 0xfff, T_DATA | 1, true, 1, true, false, false) | 1ull << 52);
}

static void test_limits(void)
{
	uint32_t pages = LIMIT_END >> 12;

	/* The flat 4 GiB segment every PV kernel asks for. */
	expect(mkdesc(0, 0xfffff, T_CODE, true, 0, true, true, true), LIMIT_END, 0,
	       mkdesc(0, pages - 1, T_CODE, true, 1, true, true, true));
	/* 4 KiB units: last byte limit_end - 1 is fine, limit_end is cut. */
	expect(seg(0, pages - 1, T_DATA, true), LIMIT_END, 0, seg(0, pages - 1, T_DATA, true));
	expect(seg(0, pages, T_DATA, true), LIMIT_END, 0, seg(0, pages - 1, T_DATA, true));
	/* Byte units, the same two boundaries. */
	expect(seg(LIMIT_END - 0x10000, 0xffff, T_DATA, false), LIMIT_END, 0,
	       seg(LIMIT_END - 0x10000, 0xffff, T_DATA, false));
	expect(seg(LIMIT_END - 0x10000, 0x10000, T_DATA, false), LIMIT_END, 0,
	       seg(LIMIT_END - 0x10000, 0xffff, T_DATA, false));
	expect(seg(LIMIT_END - 0x10000, 0xfffff, T_CODE, false), LIMIT_END, 0,
	       seg(LIMIT_END - 0x10000, 0xffff, T_CODE, false));
	/* A one-byte segment at the very last byte, and one past it. */
	expect(seg(LIMIT_END - 1, 0, T_DATA, false), LIMIT_END, 0,
	       seg(LIMIT_END - 1, 0, T_DATA, false));
	expect(seg(LIMIT_END - 1, 1, T_DATA, false), LIMIT_END, 0,
	       seg(LIMIT_END - 1, 0, T_DATA, false));
	expect(seg(LIMIT_END, 0, T_DATA, false), LIMIT_END, -XEN_EINVAL, 0);
	expect(seg(0xffffffff, 0, T_DATA, false), LIMIT_END, -XEN_EINVAL, 0);
	/* Base + limit wraps past 4 GiB. */
	expect(seg(0x1000, 0xfffff, T_DATA, true), LIMIT_END, 0,
	       seg(0x1000, ((LIMIT_END - 0x1000) >> 12) - 1, T_DATA, true));
	/* G = 1 with less than 4 KiB of room, and with exactly 4 KiB. */
	expect(seg(LIMIT_END - 0x800, 1, T_DATA, true), LIMIT_END, -XEN_EINVAL, 0);
	expect(seg(LIMIT_END - 0x1000, 1, T_DATA, true), LIMIT_END, 0,
	       seg(LIMIT_END - 0x1000, 0, T_DATA, true));
	/* Another limit_end, not page aligned. */
	expect(seg(0, 0xfffff, T_DATA, true), 0x12345678, 0, seg(0, 0x12344, T_DATA, true));
	expect(seg(0, 0xfffff, T_DATA, false), 0x12345678, 0, seg(0, 0xfffff, T_DATA, false));
	expect(seg(0x12300000, 0xfffff, T_DATA, false), 0x12345678, 0,
	       seg(0x12300000, 0x45677, T_DATA, false));
}

static void test_expand_down(void)
{
	uint32_t base = LIMIT_END - 0x10000;

	/* B = 0: covers up to base + 0xffff. */
	expect(mkdesc(base, 0x100, T_DATA_DOWN, true, 1, true, false, false), LIMIT_END, 0,
	       mkdesc(base, 0x100, T_DATA_DOWN, true, 1, true, false, false));
	expect(mkdesc(base + 1, 0x100, T_DATA_DOWN, true, 1, true, false, false),
	       LIMIT_END, -XEN_EINVAL, 0);
	expect(mkdesc(0xffff0001, 0x100, T_DATA_DOWN, true, 1, true, false, false),
	       LIMIT_END, -XEN_EINVAL, 0);
	/* DPL 0 is raised here too. */
	expect(mkdesc(0x400000, 0xfff, T_DATA_DOWN, true, 0, true, false, true), LIMIT_END, 0,
	       mkdesc(0x400000, 0xfff, T_DATA_DOWN, true, 1, true, false, true));
	/* B = 1 reaches 0xffffffff past the base: always too far. */
	expect(mkdesc(0, 0xfffff, T_DATA_DOWN, true, 1, true, true, true), LIMIT_END,
	       -XEN_EINVAL, 0);
	expect(mkdesc(0, 0x10, T_DATA_DOWN, true, 3, true, true, false), LIMIT_END,
	       -XEN_EINVAL, 0);
}

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t rnd64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A descriptor whose fields often sit near the interesting edges. */
static uint64_t random_desc(uint32_t end)
{
	static const uint32_t bases[] = { 0, 0x1000, 0xfff, 0x7fffffff, 0xffffffff };
	uint64_t d = rnd64(), r = rnd64();
	uint32_t base;

	switch (r % 4) {
	case 0:
		base = bases[(r >> 8) % 5];
		break;
	case 1:
		base = end - (uint32_t)((r >> 8) % 0x20000) + 0x100;
		break;
	default:
		base = (uint32_t)(r >> 32);
		break;
	}
	d = mkdesc(base, (uint32_t)(d >> 44), (unsigned int)(d >> 40) & 0xf,
		   (r >> 20) % 8 != 0, (unsigned int)(r >> 24) & 3, (r >> 26) % 8 != 0,
		   (r >> 29) & 1, (r >> 30) & 1) | (d & (7ull << 52));
	return d;
}

static bool is_expand_down(uint64_t d)
{
	return ((d >> 40) & 0xc) == 0x4;
}

/* The accepted-descriptor invariants for one present segment. */
static void check_accepted(uint64_t before, uint64_t after, uint32_t end)
{
	const uint64_t dpl_and_limit = 3ull << 45 | 0xfull << 48 | 0xffff;
	uint64_t last = (uint64_t)segdesc_base(after) + segdesc_limit_bytes(after);
	uint64_t again = after;

	CHECK(segdesc_dpl(after) >= 1);
	CHECK_EQ(before & ~dpl_and_limit, after & ~dpl_and_limit);
	if (is_expand_down(after)) {
		uint64_t top = after & (1ull << 54) ? 0xffffffffull : 0xffff;

		CHECK(segdesc_base(after) + top < end);
		CHECK_EQ(segdesc_limit_bytes(after), segdesc_limit_bytes(before));
	} else {
		uint64_t unit = after & (1ull << 55) ? 0x1000 : 1;
		uint64_t old_last = (uint64_t)segdesc_base(before) + segdesc_limit_bytes(before);

		CHECK(last < end);
		if (old_last < end)
			CHECK_EQ(segdesc_limit_bytes(after), segdesc_limit_bytes(before));
		else
			CHECK(last + unit >= end);	/* the longest that fits */
	}
	if (segdesc_dpl(before) >= 1 && segdesc_limit_bytes(after) ==
	    segdesc_limit_bytes(before))
		CHECK_EQ(after, before);
	CHECK_EQ(segdesc_check(&again, end), 0);
	CHECK_EQ(again, after);
}

static void test_random_property(void)
{
	static const uint32_t ends[] = { LIMIT_END, 0x80000000, 0x12345678, 0xfffff000,
					 0x1000, 0xffffffff };
	unsigned long i, accepted = 0, rewritten = 0;

	for (i = 0; i < 1000000; i++) {
		uint32_t end = ends[i % (sizeof(ends) / sizeof(ends[0]))];
		uint64_t before = random_desc(end), after = before;
		int rc = segdesc_check(&after, end);

		if (rc) {
			CHECK_EQ(rc, -XEN_EINVAL);
			CHECK_EQ(after, before);
			continue;
		}
		accepted++;
		rewritten += after != before;
		if (before && !(before & (1ull << 47))) {
			CHECK_EQ(after, before);	/* not present: kept */
			continue;
		}
		if (before)
			check_accepted(before, after, end);
	}
	/* The generator must reach both outcomes often. */
	CHECK(accepted > 100000);
	CHECK(rewritten > 10000);
	CHECK(i - accepted > 100000);
}

int main(void)
{
	test_accessors();
	test_system_and_not_present();
	test_dpl_and_conforming();
	test_limits();
	test_expand_down();
	test_random_property();
	return check_done();
}
