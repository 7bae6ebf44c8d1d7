/*
 * test_mm_newbase.c - a kernel moves to page tables of its own: it builds
 * a copy of its address space (fresh L3, L2s, L1s), pins it, switches to
 * it with MMUEXT_NEW_BASEPTR and keeps running there; unpinning the boot
 * L3 then drops its tables' types (it can be mapped writable), re-pinning
 * it validates them again, and switching back works.  TLB_FLUSH_LOCAL and
 * INVLPG_LOCAL succeed.  MMU_MACHPHYS_UPDATE of our own frame changes the
 * M2P as read at 0xF5800000; of a hypervisor frame it is -XEN_EPERM.
 * An L3 entry may carry RW/US/A/D (not PSE).  Last,
 * mm_replace_address_space() leaves the boot tables for good.
 */
#include "ktest.h"
#include "mm.h"

#define SLOT		0u
#define HYP_MFN		0x100u

static volatile uint32_t marker = 0x600dcafe;

static void check_switch(uint32_t boot_l3)
{
	struct mm_space s;
	uint32_t l3;

	KCHECK_EQ(mm_space_build(&s), 0);
	l3 = mm_space_l3(&s);
	KCHECK(l3 != boot_l3 && l3 != MM_INVALID_MFN);
	KCHECK_EQ(mm_switch_to(l3), 0);
	KCHECK_EQ(mm_current_l3(), l3);
	printf("running on L3 0x%x (boot L3 0x%x, %u L1s copied)\n", l3,
	       boot_l3, s.nr_l1);
	KCHECK_EQ(marker, 0x600dcafe);
	marker = 0x0badf00d;		/* data stays writable */
	KCHECK_EQ(marker, 0x0badf00d);
	/* The window came along: a mapping made now is seen through it. */
	KCHECK_EQ(mm_map_pfn(SLOT, (uint32_t)&marker >> 12, false), 0);
	KCHECK_EQ(*(volatile uint32_t *)(mm_window_va(SLOT) +
		  ((uint32_t)&marker & 0xfff)), 0x0badf00d);
	KCHECK_EQ(mm_unmap(SLOT), 0);

	KCHECK_EQ(mm_map_mfn(SLOT, boot_l3, true), -XEN_EBUSY);	/* pinned */
	KCHECK_EQ(mm_unpin(boot_l3), 0);
	KCHECK_EQ(mm_map_mfn(SLOT, boot_l3, true), 0);		/* no table now */
	KCHECK_EQ(mm_unmap(SLOT), 0);
	KCHECK_EQ(mm_pin(3, boot_l3), 0);				/* validated again */
	KCHECK_EQ(mm_map_mfn(SLOT, boot_l3, true), -XEN_EBUSY);
	KCHECK_EQ(mm_space_release(&s), -XEN_EBUSY);		/* in use */
	KCHECK_EQ(mm_switch_to(boot_l3), 0);
	printf("back on the boot L3\n");
	KCHECK_EQ(mm_space_release(&s), 0);
	KCHECK_EQ(mm_map_mfn(SLOT, l3, true), 0);		/* freed of its type */
	KCHECK_EQ(mm_unmap(SLOT), 0);
}

static long machphys(uint32_t mfn, uint32_t pfn)
{
	struct mmu_update req = {
		.ptr = ((uint64_t)mfn << 12) | MMU_MACHPHYS_UPDATE,
		.val = pfn,
	};

	return HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF);
}

static void check_flush_and_m2p(void)
{
	uint32_t pfn = MM_INVALID_PFN, mfn, hyp_m2p;

	KCHECK_EQ(mm_flush_tlb(), 0);
	KCHECK_EQ(mm_invlpg((uint32_t)&marker), 0);
	KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
	mfn = pfn_to_mfn(pfn);
	KCHECK_EQ(mfn_to_pfn(mfn), pfn);
	KCHECK_EQ(machphys(mfn, 0x12345), 0);
	KCHECK_EQ(mfn_to_pfn(mfn), 0x12345);
	KCHECK_EQ(machphys(mfn, pfn), 0);
	KCHECK_EQ(mfn_to_pfn(mfn), pfn);
	hyp_m2p = mfn_to_pfn(HYP_MFN);
	KCHECK_EQ(machphys(HYP_MFN, 0x12345), -XEN_EPERM);
	KCHECK_EQ(mfn_to_pfn(HYP_MFN), hyp_m2p);
	mm_free_pfn(pfn);
}

/*
 * A live L3 entry rewritten with RW/US/A/D (as Xen lets a 32-bit PV guest
 * write them; the CPU's copy drops them) keeps working; PSE there is
 * refused and changes nothing.
 */
static void check_l3_flags(uint32_t l3)
{
	uint64_t e = 0, extra = _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED |
				 _PAGE_DIRTY, now = 0;
	struct mmu_update req = { .ptr = (uint64_t)l3 << 12 };

	KCHECK_EQ(mm_read_entry(l3, 0, &e), 0);
	req.val = e | extra;
	KCHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF), 0);
	KCHECK_EQ(mm_flush_tlb(), 0);
	marker = 0x3a3a3a3a;
	KCHECK_EQ(marker, 0x3a3a3a3a);
	KCHECK_EQ(mm_read_entry(l3, 0, &now), 0);
	KCHECK(now == (e | extra));
	req.val = e | _PAGE_PSE;
	KCHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF), -XEN_EINVAL);
	req.val = e;
	KCHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF), 0);
	KCHECK_EQ(mm_read_entry(l3, 0, &now), 0);
	KCHECK(now == e);
	printf("L3 entry with RW/US/A/D accepted, PSE refused\n");
}

void kernel_main(struct start_info *si)
{
	struct mm_space s;
	uint32_t boot_l3;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	boot_l3 = mm_current_l3();
	KCHECK_EQ(boot_l3, pfn_to_mfn(si->pt_base >> 12));
	check_switch(boot_l3);
	check_flush_and_m2p();
	check_l3_flags(boot_l3);
	KCHECK_EQ(mm_replace_address_space(&s), 0);
	KCHECK(mm_current_l3() == mm_space_l3(&s));
	KCHECK_EQ(mm_map_mfn(SLOT, boot_l3, true), 0);	/* unpinned, unused */
	KCHECK_EQ(mm_unmap(SLOT), 0);
	printf("replaced the boot tables: now on L3 0x%x\n", mm_current_l3());
	ktest_finish();
}
