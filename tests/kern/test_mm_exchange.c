/*
 * test_mm_exchange.c - XENMEM_exchange and extents of more than one frame,
 * as Linux's xen-swiotlb uses them (xen_create_contiguous_region gives 64
 * scattered frames for one contiguous order-6 extent below 4 GiB, and
 * xen_destroy_contiguous_region gives it back for 64 single frames):
 *  - XENMEM_machphys_mapping: the M2P window 0xF5800000-0xF6800000, and a
 *    max_mfn past every frame we own whose entry reads;
 *  - 64 order-0 frames -> one order-6 extent: nr_exchanged 64, the new
 *    frames contiguous, aligned to 64, zeroed, ours (they map), their M2P
 *    entries our pfns; the old frames no longer ours; the reservation
 *    unchanged; then order 6 -> 64 order-0 frames the same way;
 *  - refusals lose nothing (nr_exchanged 0, every frame still ours): an
 *    input frame that is still mapped, a frame listed twice, a frame not
 *    ours, sizes that differ, order 10 (-EPERM), two domids, an output
 *    list we cannot write (-EFAULT);
 *  - a refusal in the third of four chunks: nr_exchanged 2 chunks' worth,
 *    the first two done, the rest untouched;
 *  - address bits: 24 bits gives frames below 16 MiB; 13 bits for an
 *    order-1 extent (only frames 0 and 1) is -ENOMEM, nothing lost;
 *  - populate_physmap, decrease_reservation and increase_reservation of
 *    order-2 extents (4 contiguous aligned frames each); order 10 does
 *    nothing (0 extents), as under Xen.
 */
#include "ktest.h"
#include "mm.h"
#include <public/arch-x86_32.h>
#include <public/memory.h>

#define N		64u
#define SLOT		0u
#define HYP_MFN		0x100u

static uint32_t pfns[N + 8];	/* descending: pfns[N - 1] is the lowest */
static uint32_t in_list[N], out_list[N];

static long exchange(struct xen_memory_exchange *x)
{
	return HYPERVISOR_memory_op(XENMEM_exchange, x);
}

static struct xen_memory_exchange request(uint32_t n_in, uint32_t in_order,
					  uint32_t n_out, uint32_t out_order,
					  uint32_t bits)
{
	struct xen_memory_exchange x = {
		.in = { (uint32_t)in_list, n_in, in_order, 0, DOMID_SELF },
		.out = { (uint32_t)out_list, n_out, out_order, bits, DOMID_SELF },
		.nr_exchanged = 0,
	};

	return x;
}

static long current_pages(void)
{
	domid_t self = DOMID_SELF;

	return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

/* Is the frame ours?  Mapping it through the window says. */
static bool owned(uint32_t mfn)
{
	if (mm_map_mfn(SLOT, mfn, false))
		return false;
	KCHECK_EQ(mm_unmap(SLOT), 0);
	return true;
}

/* Frames zeroed, ours, M2P = pfn, and recorded in our P2M. */
static unsigned int adopt(uint32_t first_pfn, uint32_t mfn, uint32_t n)
{
	unsigned int bad = 0, i, w;

	for (i = 0; i < n; i++) {
		const volatile uint32_t *p;

		if (mfn_to_pfn(mfn + i) != first_pfn + i ||
		    mm_map_mfn(SLOT, mfn + i, true)) {
			bad++;
			continue;
		}
		p = (const volatile uint32_t *)mm_window_va(SLOT);
		for (w = 0; w < 1024; w++)
			bad += p[w] != 0;
		KCHECK_EQ(mm_unmap(SLOT), 0);
		mm_set_p2m(first_pfn + i, mfn + i);
	}
	return bad;
}

static void check_machphys_mapping(void)
{
	struct xen_machphys_mapping m;
	const uint32_t *m2p = (const uint32_t *)MACH2PHYS_VIRT_START;
	uint32_t i, top = 0;

	KCHECK_EQ(HYPERVISOR_memory_op(XENMEM_machphys_mapping, &m), 0);
	KCHECK_EQ(m.v_start, MACH2PHYS_VIRT_START);
	KCHECK_EQ(m.v_end, MACH2PHYS_VIRT_END);
	for (i = 0; i < mm_nr_pages(); i++)
		if (pfn_to_mfn(i) > top)
			top = pfn_to_mfn(i);
	KCHECK(m.max_mfn >= top);
	KCHECK_EQ(m.max_mfn, mm_max_ram_page());
	(void)*(const volatile uint32_t *)&m2p[m.max_mfn];	/* no fault */
	KCHECK_EQ(HYPERVISOR_memory_op(XENMEM_machphys_mapping,
				       (void *)0xF5800000u), -XEN_EFAULT);
	printf("M2P at %08x-%08x, max_mfn %x\n", m.v_start, m.v_end, m.max_mfn);
}

/* 64 single frames for one order-6 extent, and back. */
static void check_contiguous(void)
{
	struct xen_memory_exchange x;
	uint32_t base = pfns[N - 1], i, mfn, pages = current_pages();

	/* Linux zaps its mappings first; pfns from mm_alloc_pfn have none. */
	for (i = 0; i < N; i++)
		in_list[i] = pfn_to_mfn(base + i);
	out_list[0] = base;
	x = request(N, 0, 1, 6, 32);
	KCHECK_EQ(exchange(&x), 0);
	KCHECK_EQ(x.nr_exchanged, N);
	mfn = out_list[0];
	KCHECK_EQ(mfn % N, 0);
	for (i = 0; i < N; i++)
		KCHECK(!owned(in_list[i]));	/* given up after the new */
	KCHECK_EQ(adopt(base, mfn, N), 0);
	KCHECK_EQ(current_pages(), pages);
	printf("64 frames from %x.. exchanged for the extent %x-%x\n",
	       in_list[0], mfn, mfn + N - 1);

	/* Back: one order-6 extent for 64 frames. */
	in_list[0] = mfn;
	for (i = 0; i < N; i++)
		out_list[i] = base + i;
	x = request(1, 6, N, 0, 0);
	KCHECK_EQ(exchange(&x), 0);
	KCHECK_EQ(x.nr_exchanged, 1);
	for (i = 0; i < N; i++)
		KCHECK_EQ(adopt(base + i, out_list[i], 1), 0);
	KCHECK_EQ(current_pages(), pages);
}

/* in_list = our frames of pfns base..base+n; check none moved. */
static void fill_in(uint32_t base, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		in_list[i] = pfn_to_mfn(base + i);
		out_list[i] = base + i;
	}
}

static void expect_refused(struct xen_memory_exchange *x, long rc, uint32_t n,
			   const char *what)
{
	long got = exchange(x);
	uint32_t i, moved = 0;

	for (i = 0; i < n; i++)
		moved += !owned(pfn_to_mfn(pfns[N - 1] + i)) ||
			 mfn_to_pfn(pfn_to_mfn(pfns[N - 1] + i)) != pfns[N - 1] + i;
	if (got != rc || x->nr_exchanged != 0 || moved) {
		printf("%s: rc %ld (want %ld), nr_exchanged %u, %u frames moved\n",
		       what, got, rc, x->nr_exchanged, moved);
		ktest_failures++;
	}
}

static void check_refusals(void)
{
	uint32_t base = pfns[N - 1];
	struct xen_memory_exchange x;

	fill_in(base, 8);
	KCHECK_EQ(mm_map_mfn(SLOT + 1, in_list[3], false), 0);
	x = request(8, 0, 1, 3, 0);
	expect_refused(&x, -XEN_EINVAL, 8, "a mapped input frame");
	KCHECK_EQ(mm_unmap(SLOT + 1), 0);
	fill_in(base, 8);
	in_list[5] = in_list[2];
	x = request(8, 0, 1, 3, 0);
	expect_refused(&x, -XEN_EINVAL, 8, "a frame listed twice");
	fill_in(base, 8);
	in_list[7] = HYP_MFN;
	x = request(8, 0, 1, 3, 0);
	expect_refused(&x, -XEN_EINVAL, 8, "a frame not ours");
	fill_in(base, 8);
	x = request(8, 0, 1, 2, 0);
	expect_refused(&x, -XEN_EINVAL, 8, "sizes that differ");
	x = request(1, 10, 1024, 0, 0);
	expect_refused(&x, -XEN_EPERM, 8, "order 10");
	x = request(8, 0, 1, 3, 0);
	x.out.domid = 0;
	expect_refused(&x, -XEN_EINVAL, 8, "two domids");
	x = request(8, 0, 1, 3, 0);
	x.out.extent_start = 0xF5800000u;
	expect_refused(&x, -XEN_EFAULT, 8, "an output list we cannot write");
	x = request(8, 0, 1, 3, 0);
	x.nr_exchanged = 3;		/* not a whole chunk */
	KCHECK_EQ(exchange(&x), -XEN_EINVAL);
}

/* Four order-1 chunks; the third holds a frame that is not ours. */
static void check_partial(void)
{
	uint32_t base = pfns[N - 1], i, old[8];
	struct xen_memory_exchange x;

	fill_in(base, 8);
	for (i = 0; i < 8; i++)
		old[i] = in_list[i];
	in_list[5] = HYP_MFN;
	out_list[0] = base;
	out_list[1] = base + 2;
	out_list[2] = base + 4;
	out_list[3] = base + 6;
	x = request(8, 0, 4, 1, 0);
	KCHECK_EQ(exchange(&x), -XEN_EINVAL);
	KCHECK_EQ(x.nr_exchanged, 4);
	KCHECK_EQ(adopt(base, out_list[0], 2), 0);
	KCHECK_EQ(adopt(base + 2, out_list[1], 2), 0);
	KCHECK_EQ(out_list[2], base + 4);	/* untouched */
	for (i = 4; i < 8; i++)
		KCHECK_EQ(mfn_to_pfn(old[i]), base + i);
	printf("partial: %u of 8 input frames exchanged\n", x.nr_exchanged);
}

static void check_address_bits(void)
{
	uint32_t base = pfns[N - 1];
	struct xen_memory_exchange x;

	fill_in(base, 2);
	x = request(2, 0, 2, 0, 24);
	KCHECK_EQ(exchange(&x), 0);
	KCHECK(out_list[0] < 0x1000 && out_list[1] < 0x1000);
	KCHECK_EQ(adopt(base, out_list[0], 1), 0);
	KCHECK_EQ(adopt(base + 1, out_list[1], 1), 0);
	fill_in(base, 2);
	x = request(2, 0, 1, 1, 13);
	expect_refused(&x, -XEN_ENOMEM, 2, "13 address bits");
}


/* Order-2 extents through the reservation calls. */
static void check_order2(void)
{
	uint32_t base = pfns[N - 1], pages = current_pages(), i;

	/* The 8 frames are not an aligned run; give them back one by one. */
	fill_in(base, 8);
	KCHECK_EQ(mm_reservation_change(XENMEM_decrease_reservation, in_list, 8, 0), 8);
	for (i = 0; i < 8; i++)
		mm_set_p2m(base + i, MM_INVALID_MFN);
	KCHECK_EQ(current_pages(), pages - 8);
	out_list[0] = base;
	out_list[1] = base + 4;
	KCHECK_EQ(mm_reservation_change(XENMEM_populate_physmap, out_list, 2, 2), 2);
	KCHECK_EQ(out_list[0] % 4, 0);
	KCHECK_EQ(out_list[1] % 4, 0);
	KCHECK_EQ(adopt(base, out_list[0], 4), 0);
	KCHECK_EQ(adopt(base + 4, out_list[1], 4), 0);
	KCHECK_EQ(current_pages(), pages);
	in_list[0] = out_list[1];
	KCHECK_EQ(mm_reservation_change(XENMEM_decrease_reservation, in_list, 1, 2), 1);
	KCHECK_EQ(current_pages(), pages - 4);
	for (i = 0; i < 4; i++) {
		KCHECK(!owned(in_list[0] + i));
		mm_set_p2m(base + 4 + i, MM_INVALID_MFN);
	}
	KCHECK_EQ(mm_reservation_change(XENMEM_increase_reservation, out_list, 1, 2), 1);
	KCHECK_EQ(out_list[0] % 4, 0);
	KCHECK_EQ(current_pages(), pages);
	KCHECK_EQ(mm_reservation_change(XENMEM_increase_reservation, out_list, 1, 10), 0);
	KCHECK_EQ(current_pages(), pages);
}

void kernel_main(struct start_info *si)
{
	uint32_t i;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	for (i = 0; i < N + 8; i++)
		KCHECK_EQ(mm_alloc_pfn(&pfns[i]), 0);
	for (i = 1; i < N; i++)
		KCHECK_EQ(pfns[i], pfns[i - 1] - 1);
	if (ktest_failures) {
		ktest_finish();
		return;
	}
	check_machphys_mapping();
	check_contiguous();
	check_refusals();
	check_partial();
	check_address_bits();
	check_order2();
	ktest_finish();
}
