/*
 * test_segdesc.c - host unit test of hyp/segdesc.c, the check applied to
 * every descriptor a guest puts in its GDT or LDT.
 *
 * Rule by rule: the zero descriptor, each system type (present: refused,
 * but call gates with a guest target and type 0; not present: kept),
 * not-present code/data, conforming code, the DPL 0 -> 1 rewrite, limits
 * ending at limit_end - 1 / limit_end / wrapping past 4 GiB with byte and
 * 4 KiB granularity, bases at and above limit_end, expand-down with B = 0
 * and 1 - below limit_end, wrapped entirely past 4 GiB to below limit_end
 * (accepted: the seg_fixup.h down-form), wrapped but reaching limit_end,
 * or straddling 4 GiB (refused), empty (accepted) - and the accessors.
 * Then a property check over a million random descriptors (and 200,000
 * expand-down ones whose limit sits near the wrap) and several limit_end
 * values: an expand-down segment is accepted iff the linear addresses it
 * covers, computed here in 32-bit modular arithmetic, are all below
 * limit_end; an accepted present segment has DPL >= 1 and never reaches
 * limit_end, only DPL and limit bits ever
 * change, a truncated limit is the longest that fits, a descriptor that
 * needed no change is left alone, a refused one is untouched, and
 * checking an accepted descriptor again changes nothing.
 */
#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "segdesc_build.h"
#include "../../hyp/segdesc.h"
#include <public/errno.h>

/* A present, DPL 1, 32-bit segment. */
static uint64_t seg(uint32_t base, uint32_t limit, unsigned int type, bool g)
{
	return mkdesc(base, limit, type, true, 1, true, true, g);
}

#define ACCESSED	(1ull << 40)

/* result as the rule stores it: present code/data gain the accessed bit. */
static uint64_t installed(uint64_t result)
{
	return (result & (1ull << 47)) && (result & (1ull << 44)) ?
	       result | ACCESSED : result;
}

/* Check d: expect rc and, when accepted, the result. */
static void expect(uint64_t d, uint32_t end, int rc, uint64_t result)
{
	uint64_t x = d;

	CHECK_EQ(segdesc_check(&x, end), rc);
	CHECK_EQ(x, rc ? d : installed(result));
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

/* A present call gate (type 0xC) to sel:off, DPL dpl, params in bits 0-4. */
static uint64_t gate(uint16_t sel, uint32_t off, unsigned int dpl, uint32_t hi_bits)
{
	return (uint64_t)(off & 0xffff) | (uint64_t)sel << 16 |
	       (uint64_t)(hi_bits | 0x8c00 | dpl << 13 | (off & 0xffff0000u)) << 32;
}

/*
 * The accessed bit: set on present code and data (the CPU would write it
 * on first use; a guest on the restricted view cannot), never on gates or
 * not-present descriptors, where bit 40 means something else or nothing.
 */
static void test_accessed(void)
{
	uint64_t data = seg(0x1000, 0xff, T_DATA, true), x;
	uint64_t code = seg(0, 0xff, T_CODE, true);
	uint64_t absent = mkdesc(0, 0xff, T_DATA, true, 1, false, true, true);
	uint64_t g = gate(0x9, 0x1000, 1, 0);

	x = data;
	CHECK_EQ(segdesc_check(&x, LIMIT_END), 0);
	CHECK_EQ(x, data | ACCESSED);
	CHECK_EQ(segdesc_check(&x, LIMIT_END), 0);	/* again: unchanged */
	CHECK_EQ(x, data | ACCESSED);
	x = code;
	CHECK_EQ(segdesc_check(&x, LIMIT_END), 0);
	CHECK_EQ(x, code | ACCESSED);
	x = absent;
	CHECK_EQ(segdesc_check(&x, LIMIT_END), 0);
	CHECK_EQ(x, absent);
	x = g;
	CHECK_EQ(segdesc_check(&x, LIMIT_END), 0);
	CHECK_EQ(x, g);
	x = data | 1ull << 43 | 1ull << 42;		/* conforming: refused */
	CHECK_EQ(segdesc_check(&x, LIMIT_END), -XEN_EINVAL);
	CHECK_EQ(x, data | 1ull << 43 | 1ull << 42);
}

static bool gate_target_ok(uint16_t sel)
{
	uint16_t idx = sel >> 3;

	if ((sel & ~3) == (0xe019 & ~3) || (sel & ~3) == (0xe02b & ~3))
		return true;
	return (sel & 4) || (idx != 0 && idx < 14 * 512);
}

/* Call gates: target selector rules, RPL 0 raised, reserved bits. */
static void test_call_gates(void)
{
	static const uint16_t targets[] = { 0x0009, 0x0008, 0x000b, 0x0004, 0x0007,
					    0xdff9, 0xe000, 0xe008, 0xe010, 0xe018,
					    0xe019, 0xe02b, 0xe021, 0xe038, 0x0000,
					    0x0003, 0xfff8 };
	unsigned int i, dpl;

	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		for (dpl = 0; dpl < 4; dpl++) {
			uint16_t t = targets[i], fixed = (t & 3) ? t : t | 1;
			uint64_t g = gate(t, 0x12345678, dpl, 0);

			if (gate_target_ok(t))
				expect(g, LIMIT_END, 0, gate(fixed, 0x12345678, dpl, 0));
			else
				expect(g, LIMIT_END, -XEN_EINVAL, 0);
		}
	/* Parameter count (bits 0-4) kept; reserved bits 5-7 refused. */
	expect(gate(0x9, 0x1000, 3, 0x1f), LIMIT_END, 0, gate(0x9, 0x1000, 3, 0x1f));
	expect(gate(0x9, 0x1000, 3, 0x20), LIMIT_END, -XEN_EINVAL, 0);
	expect(gate(0x9, 0x1000, 3, 0x80), LIMIT_END, -XEN_EINVAL, 0);
	/* Type 0, present: harmless, kept. */
	expect(mkdesc(0x1000, 0x67, 0x0, false, 1, true, false, false), LIMIT_END, 0,
	       mkdesc(0x1000, 0x67, 0x0, false, 1, true, false, false));
}

static void test_system_and_not_present(void)
{
	static const unsigned int sys_types[] = { 0x1, 0x2, 0x3, 0x4, 0x5, 0x9,
						  0xb, 0xe, 0xf };
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
	test_call_gates();
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
	/* B = 1 from base 0 reaches 0xffffffff: too far. */
	expect(mkdesc(0, 0xffffe, T_DATA_DOWN, true, 1, true, true, true), LIMIT_END,
	       -XEN_EINVAL, 0);
	expect(mkdesc(0, 0x10, T_DATA_DOWN, true, 3, true, true, false), LIMIT_END,
	       -XEN_EINVAL, 0);
	/* A limit at or above top covers nothing: harmless, accepted. */
	expect(mkdesc(0, 0xfffff, T_DATA_DOWN, true, 1, true, true, true), LIMIT_END, 0,
	       mkdesc(0, 0xfffff, T_DATA_DOWN, true, 1, true, true, true));
	expect(mkdesc(0xffff0001, 0xffff, T_DATA_DOWN, true, 1, true, false, false),
	       LIMIT_END, 0, mkdesc(0xffff0001, 0xffff, T_DATA_DOWN, true, 1, true, false, false));
}

/* Expand-down segments whose every covered offset wraps past 4 GiB. */
static void test_expand_down_wrapped(void)
{
	uint64_t d;

	/* Base 0xc0000000, offsets [0x40000000, 2^32) -> linear [0, 0xc0000000). */
	d = seg(0xc0000000, 0x3ffff, T_DATA_DOWN, true);
	expect(d, LIMIT_END, 0, d);
	/* One page lower: offset 0x3ffff000 is linear 0xfffff000: refused. */
	expect(seg(0xc0000000, 0x3fffe, T_DATA_DOWN, true), LIMIT_END, -XEN_EINVAL, 0);
	/* Base not page aligned: the first covered offset must still wrap. */
	d = seg(0xc0000800, 0x3ffff, T_DATA_DOWN, true);
	expect(d, LIMIT_END, 0, d);
	expect(seg(0xc0000800, 0x3fffe, T_DATA_DOWN, true), LIMIT_END, -XEN_EINVAL, 0);
	/* Byte granularity: offsets (0x3fffffff, 2^32) from base 0xc0000000. */
	expect(seg(0xc0000000, 0xfffff, T_DATA_DOWN, false), LIMIT_END, -XEN_EINVAL, 0);
	/* The wrapped run ends at base - 1: below limit_end iff base <= limit_end. */
	d = seg(LIMIT_END, ((0x100000000ull - LIMIT_END) >> 12) - 1, T_DATA_DOWN, true);
	expect(d, LIMIT_END, 0, d);
	expect(seg(LIMIT_END + 0x1000, ((0x100000000ull - LIMIT_END) >> 12) - 2,
		   T_DATA_DOWN, true), LIMIT_END, -XEN_EINVAL, 0);
	/* Small limit_end: base 0x2000 wraps to [0, 0x2000). */
	d = seg(0x2000, 0xffffd, T_DATA_DOWN, true);
	expect(d, 0x2000, 0, d);
	expect(d, 0x1fff, -XEN_EINVAL, 0);
	/* B = 0: base 0xffff8000, offsets (0x7fff, 0xffff] -> [0, 0x8000). */
	d = mkdesc(0xffff8000, 0x7fff, T_DATA_DOWN, true, 1, true, false, false);
	expect(d, LIMIT_END, 0, d);
	expect(d, 0x8000, 0, d);
	expect(d, 0x7fff, -XEN_EINVAL, 0);
	expect(mkdesc(0xffff8000, 0x7ffe, T_DATA_DOWN, true, 1, true, false, false),
	       LIMIT_END, -XEN_EINVAL, 0);
	/* DPL 0 is raised on a wrapped one too. */
	expect(mkdesc(0xc0000000, 0x3ffff, T_DATA_DOWN, true, 0, true, true, true), LIMIT_END,
	       0, mkdesc(0xc0000000, 0x3ffff, T_DATA_DOWN, true, 1, true, true, true));
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

/*
 * Whether every linear address an expand-down segment covers is below
 * end, worked out differently from segdesc.c: the covered offsets
 * (limit, top] map to a run of linear addresses from first to last
 * (mod 2^32); the run is unbroken iff first <= last as 32-bit numbers.
 */
static bool down_covers_below(uint64_t d, uint32_t end)
{
	uint32_t top = d & (1ull << 54) ? 0xffffffffu : 0xffffu;
	uint32_t limit = segdesc_limit_bytes(d), base = segdesc_base(d);
	uint32_t first = base + limit + 1, last = base + top;

	if (limit >= top)
		return true;
	return first <= last && last < end;
}

/* The accepted-descriptor invariants for one present segment. */
static void check_accepted(uint64_t before, uint64_t after, uint32_t end)
{
	const uint64_t dpl_and_limit = 3ull << 45 | 0xfull << 48 | 0xffff;
	uint64_t last = (uint64_t)segdesc_base(after) + segdesc_limit_bytes(after);
	uint64_t again = after;

	CHECK(segdesc_dpl(after) >= 1);
	CHECK_EQ(installed(before) & ~dpl_and_limit, after & ~dpl_and_limit);
	if (is_expand_down(after)) {
		CHECK(down_covers_below(after, end));
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
		CHECK_EQ(after, installed(before));
	CHECK_EQ(segdesc_check(&again, end), 0);
	CHECK_EQ(again, after);
}

static bool is_present_data_down(uint64_t d)
{
	return (d & (1ull << 47)) && (d & (1ull << 44)) && is_expand_down(d);
}

/*
 * Expand-down, 4 KiB units, limit within a few pages of the wrap point
 * ceil((2^32 - base) / 4096) - 1: accepted iff the covered run is below
 * limit_end; an accepted one is kept unchanged but for the accessed bit
 * (DPL >= 1 here).
 */
static void test_random_wrapping_down(void)
{
	static const uint32_t ends[] = { LIMIT_END, 0x80000000, 0x12345678, 0x1000 };
	unsigned long i, accepted = 0;

	for (i = 0; i < 200000; i++) {
		uint64_t r = rnd64();
		uint32_t end = ends[i % 4], base = (uint32_t)r;
		int64_t pages = (int64_t)((0x100000000ull - base + 0xfff) >> 12);
		int64_t limit = pages - 1 + (int64_t)((r >> 32) % 5) - 2;
		uint64_t d, x;

		if (limit < 0 || limit > 0xfffff)
			continue;
		d = seg(base, (uint32_t)limit, T_DATA_DOWN, true);
		if (r >> 40 & 1)
			d |= 1ull << 40;	/* accessed */
		x = d;
		CHECK_EQ(segdesc_check(&x, end) == 0, down_covers_below(d, end));
		CHECK_EQ(x, down_covers_below(d, end) ? installed(d) : d);
		accepted += down_covers_below(d, end);
	}
	CHECK(accepted > 20000);
	CHECK(i - accepted > 20000);
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

		if (is_present_data_down(before))
			CHECK_EQ(rc == 0, down_covers_below(before, end));
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
		if (before && !(before & (1ull << 44))) {	/* a gate: selector only */
			CHECK_EQ(after & ~(3ull << 16), before & ~(3ull << 16));
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
	test_accessed();
	test_system_and_not_present();
	test_dpl_and_conforming();
	test_limits();
	test_expand_down();
	test_expand_down_wrapped();
	test_random_property();
	test_random_wrapping_down();
	return check_done();
}
