/*
 * test_mm_pinned.c - a pinned page table cannot be mapped writable: pin a
 * fresh L1 (mapped read-only first), then mapping it writable elsewhere is
 * refused with -XEN_EBUSY and the target entry stays as it was, a read-
 * only mapping is allowed, and its contents change only through validated
 * updates.  Unpinned it can be mapped writable, and while that mapping
 * exists pinning it fails with -XEN_EBUSY.  Pinning twice and unpinning an
 * unpinned frame are -XEN_EINVAL.
 * Frames the hypervisor itself writes into - shared_info and a grant-table
 * frame - can never become a page table (pinned at any level: -EBUSY) or
 * a GDT frame, though we map them nowhere: the hypervisor's event bits
 * would otherwise change a validated table behind its back (the fuzzer
 * found it: a send set bit 32 of an L3 entry, and the L2 it named leaked
 * at teardown).
 */
#include "ktest.h"
#include "mm.h"
#include <public/grant_table.h>

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

static void check_never_table(const char *what, uint32_t mfn)
{
	uint32_t level, list[1] = { mfn };

	printf("%s (frame 0x%x): never a page table or GDT frame\n", what, mfn);
	for (level = 1; level <= 3; level++)
		KCHECK_EQ(mm_pin(level, mfn), -XEN_EBUSY);
	KCHECK_EQ(hypercall(__HYPERVISOR_set_gdt, (uint32_t)list, 16, 0, 0, 0),
		  -XEN_EBUSY);
}

static void check_shared_frames(const struct start_info *si)
{
	uint32_t frames[1] = { 0 };
	struct gnttab_setup_table s = { DOMID_SELF, 1, 99, (uint32_t)frames };

	check_never_table("shared_info", (uint32_t)(si->shared_info >> 12));
	KCHECK_EQ(hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table,
			    (uint32_t)&s, 1, 0, 0), 0);
	KCHECK_EQ(s.status, GNTST_okay);
	check_never_table("grant-table frame 0", frames[0]);
}

void kernel_main(struct start_info *si)
{
	uint32_t l1, data_mfn;

	KCHECK_EQ(mm_init(), 0);
	check_shared_frames(si);
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
