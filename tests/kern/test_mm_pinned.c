/*
 * test_mm_pinned.c - a pinned page table cannot be mapped writable: pin a
 * fresh L1 (mapped read-only first), then mapping it writable elsewhere is
 * refused with -XEN_EBUSY and the target entry stays as it was, a read-
 * only mapping is allowed, and its contents change only through validated
 * updates.  Unpinned it can be mapped writable, and while that mapping
 * exists pinning it fails with -XEN_EBUSY.  Pinning twice and unpinning an
 * unpinned frame are -XEN_EINVAL.
 */
#include "ktest.h"
#include "mm.h"

#define RO_SLOT		0u	/* the L1 mapped read-only */
#define RO2_SLOT	1u	/* a second read-only mapping */
#define RW_SLOT		2u	/* where a writable mapping is tried */

static uint64_t read_l1(unsigned int index)
{
	return ((volatile uint64_t *)mm_window_va(RO_SLOT))[index];
}

/* A spare frame, zeroed through a writable mapping that is then dropped. */
static uint32_t fresh_frame(void)
{
	uint32_t pfn = MM_INVALID_PFN;

	KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
	KCHECK_EQ(mm_map_pfn(RW_SLOT, pfn, true), 0);
	memset((void *)mm_window_va(RW_SLOT), 0, MM_PAGE_SIZE);
	KCHECK_EQ(mm_unmap(RW_SLOT), 0);
	return pfn_to_mfn(pfn);
}

/* While pinned: no writable mapping; a validated update goes through. */
static void check_pinned(uint32_t l1, uint32_t data_mfn)
{
	struct mmu_update req = {
		.ptr = ((uint64_t)l1 << 12) + 5 * 8,
		.val = mm_make_entry(data_mfn, MM_PTE_RO),
	};

	printf("pinned L1 0x%x: mapping it writable\n", l1);
	KCHECK_EQ(mm_map_mfn(RW_SLOT, l1, true), -XEN_EBUSY);
	KCHECK_EQ(mm_window_entry(RW_SLOT), 0);
	KCHECK_EQ(mm_map_mfn(RO2_SLOT, l1, false), 0);
	KCHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF), 0);
	KCHECK_EQ(read_l1(5), req.val);
	/* An entry the rules refuse never reaches the table. */
	req.val = mm_make_entry(data_mfn, MM_PTE_RO | _PAGE_GLOBAL);
	KCHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF), -XEN_EINVAL);
	KCHECK_EQ(read_l1(5), mm_make_entry(data_mfn, MM_PTE_RO));
	req.val = 0;
	KCHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF), 0);
	KCHECK_EQ(read_l1(5), 0);
	KCHECK_EQ(mm_pin(1, l1), -XEN_EINVAL);		/* already pinned */
	KCHECK_EQ(mm_pin(2, l1), -XEN_EINVAL);
}

void kernel_main(struct start_info *si)
{
	uint32_t l1, data_mfn;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	l1 = fresh_frame();
	data_mfn = fresh_frame();
	KCHECK_EQ(mm_map_mfn(RO_SLOT, l1, false), 0);
	KCHECK_EQ(mm_pin(1, l1), 0);
	check_pinned(l1, data_mfn);
	KCHECK_EQ(mm_unpin(l1), 0);
	KCHECK_EQ(mm_unpin(l1), -XEN_EINVAL);		/* not pinned */

	printf("unpinned: mapping it writable, then pinning it\n");
	KCHECK_EQ(mm_map_mfn(RW_SLOT, l1, true), 0);
	KCHECK_EQ(mm_entry_mfn(mm_window_entry(RW_SLOT)), l1);
	KCHECK_EQ(mm_pin(1, l1), -XEN_EBUSY);
	KCHECK_EQ(mm_unmap(RW_SLOT), 0);
	KCHECK_EQ(mm_pin(1, l1), 0);			/* no writable mapping left */
	KCHECK_EQ(mm_map_mfn(RW_SLOT, l1, true), -XEN_EBUSY);
	KCHECK_EQ(mm_unpin(l1), 0);
	KCHECK_EQ(mm_unmap(RO_SLOT), 0);
	KCHECK_EQ(mm_unmap(RO2_SLOT), 0);
	ktest_finish();
}
