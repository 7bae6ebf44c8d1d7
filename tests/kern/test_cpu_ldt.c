/*
 * test_cpu_ldt.c - MMUEXT_SET_LDT and LDT selectors.
 *
 * Refused, the installed LDT left working: with -XEN_EINVAL a base that
 * is not page-aligned, more than 8192 entries, a table reaching the
 * hypervisor, a page that is not mapped, a page holding a TSS descriptor,
 * and with -XEN_EBUSY a page still mapped writable elsewhere; a two-page
 * table whose
 * second page is missing (the first page's type is given back: it can be
 * mapped writable again).  Accepted: a read-only page of descriptors; its
 * LDT selectors then load into %ds and read through their bases, a limit
 * that covered the hypervisor reads 0xF67FFFFF through lsl, a selector past
 * nr_ents faults with its own error code, the frame cannot be mapped
 * writable (-XEN_EBUSY), update_descriptor changes an entry in place, and
 * a second, smaller table replaces the first, and SET_LDT again with the
 * same arguments after another frame was mapped there takes that frame
 * (releasing the old one).  A call gate in the LDT
 * (what GNU Mach's system calls go through) to the flat ring-1 code
 * selector, with RPL 0 in the descriptor (raised to 1), is accepted and an
 * lcall through it reaches its target and returns.  SET_LDT(0, 0) drops it:
 * LDT selectors fault and the frames are writable again.
 */
#include "ktest.h"
#include "mm.h"
#include "segtest.h"

#define SLOT_FILL	0u
#define SLOT_LDT	1u
#define SLOT_RW		3u	/* slot 4 stays unmapped */
#define GUEST_END	0xF6800000u	/* MACH2PHYS_VIRT_END */

#define ACC_DATA_DPL1	0xb2u	/* present, data, writable, DPL 1 */
#define ACC_DATA_DPL3	0xf2u
#define ACC_TSS		0x89u
#define LDT_SEL(i, rpl)	(((i) << 3) | 4 | (rpl))

volatile uint32_t gate_calls;

void gate_target(void);

asm(".text\n"
    "gate_target:\n"
    "	incl	gate_calls\n"
    "	lret\n");

/* A 32-bit call gate, DPL 1, to FLAT_RING1_CS with RPL 0. */
static uint64_t call_gate(uint32_t target)
{
	return (uint64_t)(target & 0xffff) |
	       (uint64_t)(FLAT_KERNEL_CS & ~3u) << 16 |
	       (uint64_t)(0xac00u | (target & 0xffff0000u)) << 32;
}

/* lcall through sel; true if the target ran and came back. */
static bool call_through(uint32_t sel)
{
	uint32_t before = gate_calls, far[2] = { 0, sel };

	gp_skip = 2;	/* lcall *(%eax): ff 18 */
	asm volatile("lcall *(%0)" : : "a"(far) : "memory");
	return gate_calls == before + 1;
}

static const struct trap_info table[] = {
	{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_entry },
	{ 0, 0, 0, 0 },
};

static uint32_t marker = 0x1d71d71d;
static const uint64_t marker_desc = 0;

static void fill_frame(uint32_t pfn, const uint64_t *descs, unsigned int n)
{
	fill_frame_at(SLOT_FILL, pfn, descs, n);
}

static long set_ldt(uint32_t base, uint32_t ents)
{
	struct mmuext_op op = { .cmd = MMUEXT_SET_LDT };

	op.arg1 = base;
	op.arg2 = ents;
	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* The first LDT (three entries) is what the refusals must leave alone. */
static void check_first_ldt(void)
{
	uint32_t gps;

	KCHECK_EQ(read_at(LDT_SEL(0, 1), (uint32_t)&marker), marker);
	KCHECK_EQ(read_at(LDT_SEL(1, 3), (uint32_t)&marker - 0x2000), marker);
	KCHECK_EQ(lsl(LDT_SEL(0, 1)), 0xF67FFFFF);
	KCHECK_EQ(lsl(LDT_SEL(1, 3)), 0xF67FFFFF - 0x2000);
	gps = gp_hits;
	KCHECK_EQ(read_at(LDT_SEL(3, 1), (uint32_t)&marker), 0);	/* past 3 */
	KCHECK_EQ(gp_hits, gps + 1);
	KCHECK_EQ(gp_err, LDT_SEL(3, 0));
}

static void check_refusals(uint32_t good_va, uint32_t tss_pfn, uint32_t rw_pfn)
{
	uint32_t pfn2;

	KCHECK_EQ(set_ldt(good_va + 8, 3), -XEN_EINVAL);
	KCHECK_EQ(set_ldt(good_va, 8193), -XEN_EINVAL);
	KCHECK_EQ(set_ldt(0xF5800000u - 0x1000, 1024), -XEN_EINVAL);
	KCHECK_EQ(set_ldt(mm_window_va(SLOT_FILL), 3), -XEN_EINVAL);	/* unmapped */
	/* Mapped writable at SLOT_RW (and read-only at SLOT_FILL). */
	KCHECK_EQ(mm_map_pfn(SLOT_RW, rw_pfn, true), 0);
	KCHECK_EQ(mm_map_pfn(SLOT_FILL, rw_pfn, false), 0);
	KCHECK_EQ(set_ldt(mm_window_va(SLOT_FILL), 3), -XEN_EBUSY);
	KCHECK_EQ(mm_unmap(SLOT_RW), 0);
	/* A TSS descriptor in the page. */
	KCHECK_EQ(mm_map_pfn(SLOT_FILL, tss_pfn, false), 0);
	KCHECK_EQ(set_ldt(mm_window_va(SLOT_FILL), 3), -XEN_EINVAL);
	KCHECK_EQ(mm_unmap(SLOT_FILL), 0);
	KCHECK_EQ(mm_map_pfn(SLOT_RW, tss_pfn, true), 0);	/* no type kept */
	KCHECK_EQ(mm_unmap(SLOT_RW), 0);
	/* Two pages, the second not mapped: the first is given back. */
	KCHECK_EQ(mm_alloc_pfn(&pfn2), 0);
	fill_frame(pfn2, &marker_desc, 1);
	KCHECK_EQ(mm_map_pfn(SLOT_RW, pfn2, false), 0);	/* SLOT_RW + 1: none */
	KCHECK_EQ(set_ldt(mm_window_va(SLOT_RW), 1024), -XEN_EINVAL);
	KCHECK_EQ(mm_unmap(SLOT_RW), 0);
	KCHECK_EQ(mm_map_pfn(SLOT_RW, pfn2, true), 0);
	KCHECK_EQ(mm_unmap(SLOT_RW), 0);
	check_first_ldt();
}

static long update_descriptor(uint64_t maddr, uint64_t desc)
{
	return hypercall(__HYPERVISOR_update_descriptor, (uint32_t)maddr,
			 (uint32_t)(maddr >> 32), (uint32_t)desc,
			 (uint32_t)(desc >> 32), 0);
}

void kernel_main(struct start_info *si)
{
	uint64_t descs[3];
	uint32_t ldt_pfn, tss_pfn, rw_pfn, alt_pfn, va = mm_window_va(SLOT_LDT);
	uint32_t gps;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	KCHECK_EQ(mm_alloc_pfn(&ldt_pfn), 0);
	KCHECK_EQ(mm_alloc_pfn(&tss_pfn), 0);
	KCHECK_EQ(mm_alloc_pfn(&rw_pfn), 0);
	KCHECK_EQ(mm_alloc_pfn(&alt_pfn), 0);
	descs[0] = make_desc(0, 0xfffff, ACC_DATA_DPL1);
	descs[1] = make_desc(0x2000, 0xfffff, ACC_DATA_DPL3);
	descs[2] = make_desc(0x1000, 0x67, ACC_TSS) & ~(0xcull << 52);
	fill_frame(tss_pfn, descs, 3);
	fill_frame(rw_pfn, descs, 2);
	descs[2] = call_gate((uint32_t)gate_target);
	fill_frame(ldt_pfn, descs, 3);

	KCHECK_EQ(read_at(LDT_SEL(0, 1), (uint32_t)&marker), 0);	/* no LDT */
	KCHECK_EQ(mm_map_pfn(SLOT_LDT, ldt_pfn, false), 0);
	KCHECK_EQ(set_ldt(va, 3), 0);
	check_first_ldt();
	KCHECK(call_through(LDT_SEL(2, 1)));
	KCHECK_EQ((((const volatile uint64_t *)va)[2] >> 16) & 0xffff,
		  FLAT_KERNEL_CS);	/* RPL 0 raised to 1 */
	KCHECK_EQ(mm_map_pfn(SLOT_RW, ldt_pfn, true), -XEN_EBUSY);
	check_refusals(va, tss_pfn, rw_pfn);

	/* Entry 1 rewritten in place: base 0x3000 now. */
	KCHECK_EQ(update_descriptor(((uint64_t)pfn_to_mfn(ldt_pfn) << 12) + 8,
				    make_desc(0x3000, 0xfffff, ACC_DATA_DPL3)), 0);
	KCHECK_EQ(read_at(LDT_SEL(1, 3), (uint32_t)&marker - 0x3000), marker);
	/* The same table with one entry: entry 1 is past the end now. */
	KCHECK_EQ(set_ldt(va, 1), 0);
	KCHECK_EQ(read_at(LDT_SEL(0, 1), (uint32_t)&marker), marker);
	KCHECK_EQ(read_at(LDT_SEL(1, 3), (uint32_t)&marker - 0x3000), 0);
	KCHECK(!call_through(LDT_SEL(2, 1)));	/* past the end now */
	/* Another frame mapped at the same address, SET_LDT again with the
	 * same arguments: the new frame is the LDT, the old one released. */
	descs[0] = make_desc(0x1000, 0xfffff, ACC_DATA_DPL1);
	fill_frame(alt_pfn, descs, 1);
	KCHECK_EQ(mm_map_pfn(SLOT_LDT, alt_pfn, false), 0);
	KCHECK_EQ(set_ldt(va, 1), 0);
	KCHECK_EQ(read_at(LDT_SEL(0, 1), (uint32_t)&marker - 0x1000), marker);
	KCHECK_EQ(mm_map_pfn(SLOT_RW, ldt_pfn, true), 0);	/* released */
	KCHECK_EQ(mm_unmap(SLOT_RW), 0);

	KCHECK_EQ(set_ldt(0, 0), 0);
	gps = gp_hits;
	KCHECK_EQ(read_at(LDT_SEL(0, 1), (uint32_t)&marker), 0);
	KCHECK_EQ(gp_hits, gps + 1);
	KCHECK_EQ(mm_unmap(SLOT_LDT), 0);
	KCHECK_EQ(mm_map_pfn(SLOT_RW, alt_pfn, true), 0);	/* released */
	KCHECK_EQ(mm_unmap(SLOT_RW), 0);
	printf("ldt: %u selector loads refused as expected\n", gp_hits);
	ktest_finish();
}
