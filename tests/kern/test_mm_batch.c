/*
 * test_mm_batch.c - one mmu_update call of 8 requests, each remapping a
 * window page to a frame of its own, whose 5th request maps a hypervisor
 * frame: the call returns -XEN_EPERM, reports 4 requests done, the first
 * four pages now show their new frames and the last four still show the
 * frame they mapped before.
 */
#include "ktest.h"
#include "mm.h"

#define NR_REQS		8u
#define BAD_REQ		4u		/* the 5th */
#define HYP_MFN		0x100u		/* the hypervisor image at 1 MiB */
#define FILL_SLOT	NR_REQS

static uint32_t pattern(uint32_t i)
{
	return 0x5a000000u | i;
}

/* Take a spare pfn and fill its frame with pattern(i). */
static uint32_t make_frame(uint32_t i)
{
	uint32_t pfn = MM_INVALID_PFN, *p, w;

	KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
	KCHECK_EQ(mm_map_pfn(FILL_SLOT, pfn, true), 0);
	p = (uint32_t *)mm_window_va(FILL_SLOT);
	for (w = 0; w < MM_PAGE_SIZE / 4; w++)
		p[w] = pattern(i);
	KCHECK_EQ(mm_unmap(FILL_SLOT), 0);
	return pfn_to_mfn(pfn);
}

static uint32_t read_slot(uint32_t slot)
{
	return *(volatile uint32_t *)mm_window_va(slot);
}

void kernel_main(struct start_info *si)
{
	struct mmu_update req[NR_REQS];
	uint32_t mfn[NR_REQS], before, done = 0xdead, i;
	uint64_t maddr;
	long rc;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	before = make_frame(0xff);
	for (i = 0; i < NR_REQS; i++) {
		mfn[i] = make_frame(i);
		KCHECK_EQ(mm_map_mfn(i, before, false), 0);
		KCHECK_EQ(mm_pte_maddr(mm_window_va(i), &maddr), 0);
		req[i].ptr = maddr | MMU_NORMAL_PT_UPDATE;
		req[i].val = mm_make_entry(mfn[i], MM_PTE_RO);
	}
	req[BAD_REQ].val = mm_make_entry(HYP_MFN, MM_PTE_RO);
	printf("mmu_update: 8 requests, the 5th maps hypervisor frame 0x%x\n",
	       HYP_MFN);
	rc = HYPERVISOR_mmu_update(req, NR_REQS, &done, DOMID_SELF);
	printf("mmu_update returned %ld, done %u\n", rc, done);
	KCHECK_EQ(rc, -XEN_EPERM);
	KCHECK_EQ(done, BAD_REQ);
	KCHECK_EQ(mm_flush_tlb(), 0);
	for (i = 0; i < NR_REQS; i++) {
		uint32_t want = i < BAD_REQ ? mfn[i] : before;

		KCHECK_EQ(mm_entry_mfn(mm_window_entry(i)), want);
		KCHECK_EQ(read_slot(i), i < BAD_REQ ? pattern(i) : pattern(0xff));
	}
	for (i = 0; i < NR_REQS; i++)
		KCHECK_EQ(mm_unmap(i), 0);
	ktest_finish();
}
