/*
 * test_mm_foreign.c - a kernel cannot map frames it does not own: a frame
 * of the hypervisor's image (mfn 0x100, at 1 MiB) and a free RAM frame
 * (the highest one XENMEM_maximum_ram_page reports, checked to be in
 * neither our P2M nor the M2P as ours) are refused with -XEN_EPERM, read-
 * only or writable, through update_va_mapping and through mmu_update; the
 * refused entry is left as it was.
 */
#include "ktest.h"
#include "mm.h"

#define HYP_MFN		0x100u
#define SLOT		0u

static void check_refused(const char *what, uint32_t mfn)
{
	uint32_t va = mm_window_va(SLOT), done = 0xdead;
	struct mmu_update req;
	uint64_t maddr;
	int writable;

	printf("mapping %s frame 0x%x\n", what, mfn);
	KCHECK_EQ(mm_pte_maddr(va, &maddr), 0);
	for (writable = 0; writable < 2; writable++) {
		uint64_t e = mm_make_entry(mfn, writable ? MM_PTE_RW : MM_PTE_RO);

		KCHECK_EQ(HYPERVISOR_update_va_mapping(va, e, UVMF_INVLPG),
			  -XEN_EPERM);
		req.ptr = maddr | MMU_NORMAL_PT_UPDATE;
		req.val = e;
		KCHECK_EQ(HYPERVISOR_mmu_update(&req, 1, &done, DOMID_SELF),
			  -XEN_EPERM);
		KCHECK_EQ(done, 0);
		KCHECK_EQ(mm_window_entry(SLOT), 0);
	}
}

void kernel_main(struct start_info *si)
{
	uint32_t free_mfn;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK(mfn_to_pfn(HYP_MFN) == MM_INVALID_PFN);
	check_refused("hypervisor", HYP_MFN);
	free_mfn = mm_frame_not_ours();
	KCHECK(free_mfn != MM_INVALID_MFN);
	KCHECK(free_mfn + 0x100 > mm_max_ram_page());	/* near the top */
	check_refused("free", free_mfn);
	/* Our own frame, for contrast, maps. */
	KCHECK_EQ(mm_map_pfn(SLOT, 0, false), 0);
	KCHECK_EQ(mm_entry_mfn(mm_window_entry(SLOT)), pfn_to_mfn(0));
	KCHECK_EQ(mm_unmap(SLOT), 0);
	ktest_finish();
}
