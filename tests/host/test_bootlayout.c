/*
 * test_bootlayout.c - host unit tests for hyp/bootlayout.c, the domain
 * builder's initial-region arithmetic.
 *
 * check_layout() asserts every invariant bootlayout.h promises: the order
 * and 4 KiB alignment of the pieces, a 4 MiB aligned end at least 512 KiB
 * past the stack, a P2M of 4 bytes per page, page-table counts that agree
 * with boot_layout_count_tables() and with an independent page-by-page
 * count of the tables needed to map the region, and a region that fits the
 * domain's memory and stays below the hypervisor.  Fixed cases (Linux-like,
 * XTF-like, 1 GiB crossings, refusals) are followed by a brute-force loop
 * over random requests with a fixed seed.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "../../hyp/bootlayout.h"

#define PAGE		0x1000u
#define MIB		0x100000u
#define HYP_START	0xF5800000u

static int aligned(uint32_t v, uint32_t a)
{
	return (v & (a - 1)) == 0;
}

/* Tables needed to map [start, end): the L3, one L1 per 2 MiB slot the
 * region touches (walked slot by slot, not by formula), one L2 per GiB
 * (per GiB of the four when every L3 slot must have one). */
static uint32_t tables_needed(uint32_t start, uint32_t end, bool every_slot)
{
	uint32_t nr = 1, l2_seen = 0;
	uint64_t va;

	for (va = start; va < end; va = (va | 0x1FFFFF) + 1) {
		l2_seen |= 1u << (va >> 30);
		nr++;
	}
	l2_seen |= 1u << 3;	/* the top L2, for the hypervisor's slots */
	if (every_slot)
		l2_seen = 0xF;
	while (l2_seen) {
		nr += l2_seen & 1;
		l2_seen >>= 1;
	}
	return nr;
}

/* Every promise of bootlayout.h about an accepted request; returns the
 * number of failed checks so the random loop can stop early. */
static unsigned long check_layout(const struct boot_layout_request *r,
				  const struct boot_layout *o)
{
	unsigned long before = check_failures;
	uint32_t nr_l2, nr_l1;

	CHECK_EQ(o->v_start, r->virt_base);
	CHECK_EQ(o->kern_start, r->kern_start);
	CHECK_EQ(o->kern_end, r->kern_end);
	CHECK(o->v_start <= o->kern_start && o->kern_start <= o->kern_end);
	CHECK(o->kern_end <= o->mod_start);
	CHECK(o->mod_start - o->kern_end < PAGE);
	CHECK_EQ(o->mod_end - o->mod_start, r->mod_len);
	CHECK(o->p2m_start >= o->mod_end && o->p2m_start - o->mod_end < PAGE);
	CHECK_EQ(o->p2m_end - o->p2m_start,
		 ((uint64_t)r->nr_pages * 4 + PAGE - 1) & ~(uint64_t)(PAGE - 1));
	CHECK_EQ(o->start_info, o->p2m_end);
	CHECK_EQ(o->console_ring, o->start_info + PAGE);
	if (r->store_ring) {
		CHECK_EQ(o->store_ring, o->console_ring + PAGE);
		CHECK_EQ(o->pt_start, o->store_ring + PAGE);
	} else {
		CHECK_EQ(o->store_ring, 0);
		CHECK_EQ(o->pt_start, o->console_ring + PAGE);
	}
	CHECK_EQ(o->pt_end - o->pt_start, (uint64_t)o->nr_pt_frames * PAGE);
	CHECK_EQ(o->stack_start, o->pt_end);
	CHECK_EQ(o->stack_end, o->stack_start + PAGE);
	CHECK((uint64_t)o->v_end >= (uint64_t)o->stack_end + 512 * 1024);
	CHECK(o->v_end - o->stack_end - 512 * 1024 < 4 * MIB);
	CHECK(aligned(o->v_end, 4 * MIB));
	CHECK(aligned(o->mod_start, PAGE));
	CHECK(aligned(o->p2m_start, PAGE));
	CHECK(aligned(o->p2m_end, PAGE));
	CHECK(aligned(o->start_info, PAGE));
	CHECK(aligned(o->pt_start, PAGE));
	CHECK(aligned(o->pt_end, PAGE));
	CHECK(aligned(o->stack_start, PAGE));
	CHECK(aligned(o->stack_end, PAGE));
	CHECK(o->v_end <= r->hyp_start);
	CHECK((o->v_end - o->v_start) / PAGE <= r->nr_pages);

	boot_layout_count_tables(o->v_start, o->v_end, &nr_l2, &nr_l1);
	if (r->every_l3_slot)
		nr_l2 = 4;
	CHECK_EQ(o->nr_l2, nr_l2);
	CHECK_EQ(o->nr_l1, nr_l1);
	CHECK_EQ(o->nr_pt_frames, 1 + nr_l2 + nr_l1);
	CHECK(o->nr_pt_frames >= tables_needed(o->v_start, o->v_end,
					       r->every_l3_slot));
	return check_failures - before;
}

static int compute(const struct boot_layout_request *r, struct boot_layout *o,
		   const char **why)
{
	memset(o, 0xa5, sizeof(*o));
	*why = NULL;
	return boot_layout_compute(r, o, why);
}

static void expect_refused(const struct boot_layout_request *r, int line)
{
	struct boot_layout o;
	const char *why;
	int rc = compute(r, &o, &why);

	check_count++;
	if (rc != -1 || !why || !why[0]) {
		check_failures++;
		fprintf(stderr, "%s:%d: request not refused with a reason (rc=%d)\n",
			__FILE__, line, rc);
	}
}
#define EXPECT_REFUSED(r) expect_refused(r, __LINE__)

static void test_count_tables(void)
{
	uint32_t l2, l1;

	boot_layout_count_tables(0xC0000000u, 0xC0400000u, &l2, &l1);
	CHECK_EQ(l2, 1);
	CHECK_EQ(l1, 2);
	boot_layout_count_tables(0, 0x400000, &l2, &l1);
	CHECK_EQ(l2, 2);
	CHECK_EQ(l1, 2);
	boot_layout_count_tables(0x3FE00000u, 0x40200000u, &l2, &l1);
	CHECK_EQ(l2, 3);
	CHECK_EQ(l1, 2);
	boot_layout_count_tables(0xBFC00000u, 0xC0400000u, &l2, &l1);
	CHECK_EQ(l2, 2);
	CHECK_EQ(l1, 4);
	boot_layout_count_tables(0x1000, 0x2000, &l2, &l1);
	CHECK_EQ(l2, 2);
	CHECK_EQ(l1, 1);
}

static void test_linux_like(void)
{
	struct boot_layout_request r = {
		.virt_base = 0xC0000000u, .kern_start = 0xC1000000u,
		.kern_end = 0xC1800000u, .mod_len = 4 * MIB,
		.nr_pages = 128 * MIB / PAGE, .hyp_start = HYP_START,
	};
	struct boot_layout o;
	const char *why;

	CHECK_EQ(compute(&r, &o, &why), 0);
	check_layout(&r, &o);
	CHECK_EQ(o.mod_start, 0xC1800000u);
	CHECK_EQ(o.mod_end, 0xC1C00000u);
	CHECK_EQ(o.p2m_start, 0xC1C00000u);
	CHECK_EQ(o.p2m_end, 0xC1C20000u);	/* 32768 pages * 4 bytes */
	CHECK_EQ(o.start_info, 0xC1C20000u);
	CHECK_EQ(o.console_ring, 0xC1C21000u);
	CHECK_EQ(o.pt_start, 0xC1C22000u);
	CHECK_EQ(o.v_end, 0xC2000000u);
	CHECK_EQ(o.nr_l2, 1);
	CHECK_EQ(o.nr_l1, 16);
	CHECK_EQ(o.nr_pt_frames, 18);
	CHECK_EQ(o.stack_start, 0xC1C22000u + 18 * PAGE);

	/* No ramdisk: the P2M follows the kernel. */
	r.mod_len = 0;
	CHECK_EQ(compute(&r, &o, &why), 0);
	check_layout(&r, &o);
	CHECK_EQ(o.mod_start, o.mod_end);
	CHECK_EQ(o.p2m_start, 0xC1800000u);
	CHECK_EQ(o.v_end, 0xC1C00000u);

	/* An unaligned kernel end and ramdisk length round up to pages. */
	r.kern_end = 0xC1800123u;
	r.mod_len = 0x1001;
	CHECK_EQ(compute(&r, &o, &why), 0);
	check_layout(&r, &o);
	CHECK_EQ(o.mod_start, 0xC1801000u);
	CHECK_EQ(o.mod_end, 0xC1802001u);
	CHECK_EQ(o.p2m_start, 0xC1803000u);

	/* A DomU's XenStore ring follows the console ring. */
	r.store_ring = true;
	CHECK_EQ(compute(&r, &o, &why), 0);
	check_layout(&r, &o);
	CHECK_EQ(o.console_ring, 0xC1803000u + 0x20000u + PAGE);
	CHECK_EQ(o.store_ring, o.console_ring + PAGE);
	CHECK_EQ(o.pt_start, o.store_ring + PAGE);
}

static void test_xtf_like(void)
{
	struct boot_layout_request r = {
		.virt_base = 0, .kern_start = 0x100000, .kern_end = 0x10a000,
		.mod_len = 0, .nr_pages = 1024, .hyp_start = HYP_START,
	};
	struct boot_layout o;
	const char *why;

	CHECK_EQ(compute(&r, &o, &why), 0);
	check_layout(&r, &o);
	CHECK_EQ(o.v_start, 0);
	CHECK_EQ(o.p2m_start, 0x10a000);
	CHECK_EQ(o.p2m_end, 0x10b000);
	CHECK_EQ(o.pt_start, 0x10d000);
	CHECK_EQ(o.nr_l2, 2);		/* GiB 0 and the top one */
	CHECK_EQ(o.nr_l1, 2);
	CHECK_EQ(o.nr_pt_frames, 5);
	CHECK_EQ(o.v_end, 4 * MIB);

	/* As Xen's Dom0: an L2 in all four slots, two more frames. */
	r.every_l3_slot = true;
	CHECK_EQ(compute(&r, &o, &why), 0);
	check_layout(&r, &o);
	CHECK_EQ(o.pt_start, 0x10d000);
	CHECK_EQ(o.nr_l2, 4);
	CHECK_EQ(o.nr_l1, 2);
	CHECK_EQ(o.nr_pt_frames, 7);
	CHECK_EQ(o.v_end, 4 * MIB);
	r.every_l3_slot = false;

	/* One page short of the 4 MiB region. */
	r.nr_pages = 1023;
	EXPECT_REFUSED(&r);
}

static void test_gib_crossings(void)
{
	struct boot_layout_request r = {
		.virt_base = 0x3F000000u, .kern_start = 0x3F000000u,
		.kern_end = 0x3FF80000u, .mod_len = 0,
		.nr_pages = 65536, .hyp_start = HYP_START,
	};
	struct boot_layout o;
	const char *why;

	/* GiB 0 to GiB 1: two L2s plus the top one. */
	CHECK_EQ(compute(&r, &o, &why), 0);
	check_layout(&r, &o);
	CHECK(o.v_end > 0x40000000u);
	CHECK_EQ(o.nr_l2, 3);

	/* GiB 2 into GiB 3: the top L2 is one of them. */
	r.virt_base = r.kern_start = 0xBF000000u;
	r.kern_end = 0xBFF80000u;
	CHECK_EQ(compute(&r, &o, &why), 0);
	check_layout(&r, &o);
	CHECK(o.v_end > 0xC0000000u);
	CHECK_EQ(o.nr_l2, 2);

	/* Tables that push the end over a 1 GiB line are counted too.  With
	 * the first guess (3 tables) the region ends at 0x40000000 and needs
	 * 5; with 5 the stack and padding spill into GiB 1, so the region
	 * grows to 0x40400000 and needs 1 + 3 L2s + 4 L1s = 8. */
	r.virt_base = 0x3FC00000u;
	r.kern_start = 0x3FC00000u;
	r.kern_end = 0x3FF74000u;
	r.nr_pages = 4096;
	CHECK_EQ(compute(&r, &o, &why), 0);
	check_layout(&r, &o);
	CHECK_EQ(o.v_end, 0x40000000u);
	CHECK_EQ(o.nr_pt_frames, 5);
	r.kern_end = 0x3FF75000u;
	CHECK_EQ(compute(&r, &o, &why), 0);
	check_layout(&r, &o);
	CHECK_EQ(o.v_end, 0x40400000u);
	CHECK_EQ(o.nr_l2, 3);
	CHECK_EQ(o.nr_l1, 4);
	CHECK_EQ(o.nr_pt_frames, 8);
}

static void test_refusals(void)
{
	struct boot_layout_request r = {
		.virt_base = 0xC0000000u, .kern_start = 0xBFFFF000u,
		.kern_end = 0xC1000000u, .mod_len = 0,
		.nr_pages = 32768, .hyp_start = HYP_START,
	};
	struct boot_layout o;
	const char *why;

	EXPECT_REFUSED(&r);			/* kernel below virt_base */
	r.virt_base = 0xC0000800u;		/* not page aligned */
	r.kern_start = 0xC0001000u;
	r.kern_end = 0xC0100000u;
	r.nr_pages = 1023;
	EXPECT_REFUSED(&r);
	r.virt_base = 0xC0000000u;
	r.kern_start = 0xC1000000u;
	r.kern_end = 0xC0FFF000u;		/* kernel ends before it starts */
	EXPECT_REFUSED(&r);

	r.kern_end = 0xC1800000u;
	r.nr_pages = (0xC1C00000u - 0xC0000000u) / PAGE;
	CHECK_EQ(compute(&r, &o, &why), 0);
	CHECK_EQ(o.v_end, 0xC1C00000u);
	r.nr_pages--;				/* too few pages */
	EXPECT_REFUSED(&r);
	r.nr_pages = 16;
	EXPECT_REFUSED(&r);
	r.nr_pages = 0;
	EXPECT_REFUSED(&r);

	/* A region ending exactly at hyp_start fits; one past it does not. */
	r.virt_base = r.kern_start = 0xF5000000u;
	r.kern_end = 0xF5380000u;
	r.nr_pages = 2048;
	CHECK_EQ(compute(&r, &o, &why), 0);
	check_layout(&r, &o);
	CHECK_EQ(o.v_end, HYP_START);
	r.kern_end = 0xF5780000u;
	EXPECT_REFUSED(&r);
	r.kern_start = r.kern_end = HYP_START;
	EXPECT_REFUSED(&r);
	r.virt_base = r.kern_start = 0xC0000000u;
	r.kern_end = 0xC1000000u;
	r.mod_len = 0xFFFFFFFFu;		/* sums must not wrap */
	r.nr_pages = 0xFFFFFFFFu;
	EXPECT_REFUSED(&r);
	r.mod_len = 0;				/* a P2M bigger than the space */
	EXPECT_REFUSED(&r);
	r.kern_end = 0xFFFFFFFFu;
	r.nr_pages = 1024 * 1024;
	EXPECT_REFUSED(&r);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static void random_request(struct boot_layout_request *r)
{
	static const uint32_t bases[] = { 0, 0x400000, 0x80000000u, 0xC0000000u };
	uint32_t span;

	r->virt_base = (rng() & 1) ? bases[rng() % 4] : (rng() & ~(PAGE - 1));
	span = rng() % 4 ? rng() % (64 * MIB) : rng();
	r->kern_start = r->virt_base + ((rng() % 8) ? (span & ~(PAGE - 1)) : 0);
	if (r->kern_start < r->virt_base)
		r->kern_start = r->virt_base;
	r->kern_end = r->kern_start + rng() % (32 * MIB);
	if (r->kern_end < r->kern_start)
		r->kern_end = 0xFFFFFFFFu;
	r->mod_len = rng() % 2 ? 0 : rng() % (rng() % 4 ? 16 * MIB : 0x40000000u);
	r->nr_pages = rng() % 4 ? rng() % (256 * MIB / PAGE) : rng() % 0x100000;
	r->hyp_start = (rng() % 8) ? HYP_START : (rng() & ~(4 * MIB - 1));
	r->store_ring = rng() & 1;
	r->every_l3_slot = rng() & 1;
}

static void test_random(void)
{
	unsigned long accepted = 0, refused = 0, i;
	struct boot_layout_request r;
	struct boot_layout o;
	const char *why;

	for (i = 0; i < 200000; i++) {
		random_request(&r);
		if (compute(&r, &o, &why) == 0) {
			accepted++;
			if (check_layout(&r, &o)) {
				fprintf(stderr, "random request %lu: base %#x kernel "
					"%#x-%#x mod %#x pages %u hyp %#x\n", i,
					r.virt_base, r.kern_start, r.kern_end,
					r.mod_len, r.nr_pages, r.hyp_start);
				break;
			}
			continue;
		}
		refused++;
		check_count++;
		if (!why || !why[0]) {
			check_failures++;
			fprintf(stderr, "random request %lu refused without a reason\n", i);
			break;
		}
	}
	/* Both outcomes must be exercised for the loop to mean anything. */
	CHECK(accepted > 10000);
	CHECK(refused > 10000);
}

int main(void)
{
	test_count_tables();
	test_linux_like();
	test_xtf_like();
	test_gib_crossings();
	test_refusals();
	test_random();
	return check_done();
}
