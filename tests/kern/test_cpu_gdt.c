/*
 * test_cpu_gdt.c - set_gdt and update_descriptor.  A frame holding a
 * present TSS, or a call gate into the hypervisor's code selector, is
 * refused (-XEN_EINVAL) and nothing changes:
 * the frame keeps its contents, stays mappable writable, and no new
 * selector loads.  A good frame is accepted and, read back through its
 * read-only mapping, shows a ring-0 code descriptor raised to DPL 1 (and
 * its accessed bit set, as for every present segment) and limits that
 * covered the hypervisor cut to end at 0xF67FFFFF (lsl agrees);
 * its selectors load into %ds and %cs; the frame can no longer be mapped
 * writable (-XEN_EBUSY); update_descriptor rewrites one entry with the same
 * checks and refuses a bad one, a misaligned address and a frame not ours;
 * a trap entry may use the new DPL-1 code selector but not a data one nor
 * the hypervisor's 0xe008 (-XEN_EPERM); set_gdt(NULL, 0) releases the frame
 * (writable again, its selectors no longer load).
 */
#include "ktest.h"
#include "mm.h"
#include "segtest.h"

#define SLOT_FILL	0u
#define SLOT_VIEW	1u
#define HYP_MFN		0x100u
#define NR_ENTRIES	16u
#define GUEST_END	0xF6800000u	/* MACH2PHYS_VIRT_END */

#define ACC_CODE_DPL0	0x9au	/* present, code, readable, DPL 0 */
#define ACC_DATA_DPL1	0xb2u	/* present, data, writable, DPL 1 */
#define ACC_DATA_DPL3	0xf2u
#define ACC_TSS		0x89u	/* present 32-bit available TSS */
#define ACC_CALL_GATE	0x8cu
#define DESC_DPL(d)	((uint32_t)((d) >> 45) & 3)

static const struct trap_info table[] = {
	{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_entry },
	{ 0, 0, 0, 0 },
};

static uint32_t desc_limit(uint64_t d)
{
	return (uint32_t)(d & 0xffff) | (uint32_t)((d >> 32) & 0xf0000);
}

static uint32_t marker = 0x5e65e65e;

static void fill_frame(uint32_t pfn, const uint64_t *descs, unsigned int n)
{
	fill_frame_at(SLOT_FILL, pfn, descs, n);
}

/* marker, through a selector whose base is 0. */
static uint32_t read_through(uint32_t sel)
{
	return read_at(sel, (uint32_t)&marker);
}

static long set_gdt(uint32_t *frames, uint32_t entries)
{
	return hypercall(__HYPERVISOR_set_gdt, (uint32_t)frames, entries, 0, 0, 0);
}

static long update_descriptor(uint64_t maddr, uint64_t desc)
{
	return hypercall(__HYPERVISOR_update_descriptor, (uint32_t)maddr,
			 (uint32_t)(maddr >> 32), (uint32_t)desc,
			 (uint32_t)(desc >> 32), 0);
}

/* A system descriptor in entry 3 makes the whole frame unacceptable. */
static void check_refused_frame(uint32_t pfn, uint32_t base, uint32_t access)
{
	const volatile uint64_t *view = (const uint64_t *)mm_window_va(SLOT_VIEW);
	uint64_t descs[4] = {
		0, make_desc(0, 0xfffff, ACC_CODE_DPL0),
		make_desc(0, 0xfffff, ACC_DATA_DPL1),
		make_desc(base, 0x67, access) & ~(0xcull << 52),
	};
	uint32_t mfn = pfn_to_mfn(pfn), gps = gp_hits;

	fill_frame(pfn, descs, 4);
	KCHECK_EQ(mm_map_pfn(SLOT_VIEW, pfn, false), 0);
	KCHECK_EQ(set_gdt(&mfn, NR_ENTRIES), -XEN_EINVAL);
	KCHECK(view[1] == descs[1]);	/* not rewritten */
	KCHECK(view[2] == descs[2]);
	KCHECK(view[3] == descs[3]);
	KCHECK_EQ(read_through((2 << 3) | 1), 0);	/* nothing installed */
	KCHECK_EQ(gp_hits, gps + 1);
	KCHECK_EQ(gp_err, 2 << 3);
	KCHECK_EQ(mm_map_pfn(SLOT_FILL, pfn, true), 0);	/* no type held */
	KCHECK_EQ(mm_unmap(SLOT_FILL), 0);
	KCHECK_EQ(mm_unmap(SLOT_VIEW), 0);
}

/* Far jump to our code selector 0x09 and back; the %cs seen there. */
static uint32_t run_on_cs(void)
{
	uint32_t cs = 0;

	gp_skip = 7;	/* ljmp ptr16:32 */
	asm volatile("ljmp $0x09, $1f\n"
		     "1: movl %%cs, %0\n"
		     "ljmp $0xe019, $2f\n"
		     "2:" : "=r"(cs));
	return cs & 0xffff;
}

static void check_installed(const volatile uint64_t *view, const uint64_t *orig)
{
	/* Ring-0 code raised to DPL 1 and marked accessed, nothing else. */
	KCHECK_EQ(DESC_DPL(view[1]), 1);
	KCHECK(view[1] == (orig[1] | (1ull << 45) | (1ull << 40)));
	/* Limits that reached the hypervisor end at 0xF67FFFFF. */
	KCHECK_EQ(desc_limit(view[2]), (GUEST_END >> 12) - 1);
	KCHECK_EQ(DESC_DPL(view[2]), 1);
	KCHECK_EQ(desc_limit(view[3]), ((GUEST_END - 0x1000) >> 12) - 1);
	KCHECK_EQ(DESC_DPL(view[3]), 3);
	KCHECK(view[4] == orig[4]);		/* not present: as it was */
	KCHECK_EQ(lsl((2 << 3) | 1), 0xF67FFFFF);
	KCHECK_EQ(lsl((3 << 3) | 3), 0xF67FFFFF - 0x1000);
	KCHECK_EQ(read_through((2 << 3) | 1), marker);
	KCHECK_EQ(read_at((3 << 3) | 3, (uint32_t)&marker - 0x1000), marker);
	KCHECK_EQ(run_on_cs(), 0x09);
}

static void check_update_descriptor(uint32_t mfn, const volatile uint64_t *view)
{
	uint64_t maddr = ((uint64_t)mfn << 12) + 5 * 8, before;

	KCHECK_EQ(update_descriptor(maddr, make_desc(0, 0xfffff, 0x92)), 0);
	KCHECK_EQ(DESC_DPL(view[5]), 1);
	KCHECK_EQ(desc_limit(view[5]), (GUEST_END >> 12) - 1);
	KCHECK_EQ(read_through((5 << 3) | 1), marker);
	before = view[5];
	KCHECK_EQ(update_descriptor(maddr, make_desc(0x1000, 0x67, ACC_TSS)),
		  -XEN_EINVAL);
	KCHECK_EQ(update_descriptor(maddr + 4, make_desc(0, 0xff, 0xb2)),
		  -XEN_EINVAL);
	KCHECK_EQ(update_descriptor(((uint64_t)HYP_MFN << 12),
				    make_desc(0, 0xff, 0xb2)), -XEN_EPERM);
	KCHECK(view[5] == before);
}

static void check_trap_selectors(void)
{
	struct trap_info t[2] = {
		{ 0x41, 0, 0x09, (uint32_t)gp_entry },
		{ 0, 0, 0, 0 },
	};

	KCHECK_EQ(HYPERVISOR_set_trap_table(t), 0);	/* our DPL-1 code */
	t[0].cs = (2 << 3) | 1;				/* a data segment */
	KCHECK_EQ(HYPERVISOR_set_trap_table(t), -XEN_EPERM);
	t[0].cs = 0xe008;				/* the hypervisor's */
	KCHECK_EQ(HYPERVISOR_set_trap_table(t), -XEN_EPERM);
}

void kernel_main(struct start_info *si)
{
	const volatile uint64_t *view = (const uint64_t *)mm_window_va(SLOT_VIEW);
	uint64_t descs[5];
	uint32_t good_pfn, bad_pfn, mfn, hyp = HYP_MFN;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	KCHECK_EQ(mm_alloc_pfn(&bad_pfn), 0);
	KCHECK_EQ(mm_alloc_pfn(&good_pfn), 0);
	check_refused_frame(bad_pfn, 0x1000, ACC_TSS);
	/* A call gate into the hypervisor's code selector (its base field
	 * holds the gate's target selector). */
	check_refused_frame(bad_pfn, 0xe008, ACC_CALL_GATE);
	KCHECK_EQ(set_gdt(&hyp, NR_ENTRIES), -XEN_EPERM);
	KCHECK_EQ(set_gdt(&hyp, FIRST_RESERVED_GDT_ENTRY + 1), -XEN_EINVAL);

	descs[0] = 0;
	descs[1] = make_desc(0, 0x0ffff, ACC_CODE_DPL0);	/* 256 MiB */
	descs[2] = make_desc(0, 0xfffff, ACC_DATA_DPL1);
	descs[3] = make_desc(0x1000, 0xfffff, ACC_DATA_DPL3);
	descs[4] = make_desc(0, 0xfffff, 0x12);		/* not present */
	fill_frame(good_pfn, descs, 5);
	KCHECK_EQ(mm_map_pfn(SLOT_VIEW, good_pfn, false), 0);
	mfn = pfn_to_mfn(good_pfn);
	KCHECK_EQ(set_gdt(&mfn, NR_ENTRIES), 0);
	check_installed(view, descs);
	KCHECK_EQ(mm_map_pfn(SLOT_FILL, good_pfn, true), -XEN_EBUSY);
	check_update_descriptor(mfn, view);
	check_trap_selectors();

	KCHECK_EQ(set_gdt(NULL, 0), 0);
	KCHECK_EQ(read_through((2 << 3) | 1), 0);	/* released */
	KCHECK_EQ(gp_err, 2 << 3);
	KCHECK_EQ(mm_map_pfn(SLOT_FILL, good_pfn, true), 0);
	KCHECK_EQ(mm_unmap(SLOT_FILL), 0);
	KCHECK_EQ(mm_unmap(SLOT_VIEW), 0);
	printf("gdt: %u selector loads refused as expected\n", gp_hits);
	ktest_finish();
}
