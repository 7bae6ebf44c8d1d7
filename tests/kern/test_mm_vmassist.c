/*
 * test_mm_vmassist.c - vm_assist offers exactly what Xylem does:
 * writable_pagetables and pae_extended_cr3 can be enabled (they are
 * always in effect) but not disabled; 4gb_segments can be enabled and
 * disabled; 4gb_segments_notify and unknown types are -XEN_EINVAL; an
 * unknown command is -XEN_ENOSYS.  And the assist is
 * real: with it "enabled", a plain store to an own page table still works.
 */
#include "ktest.h"
#include "mm.h"

#define SLOT	5u

/* Remap SLOT by writing its PTE directly (a write-protected page table). */
static void check_plain_store(void)
{
	uint32_t pfn = MM_INVALID_PFN, va = mm_window_va(SLOT);
	uint64_t maddr;
	volatile uint64_t *pte;

	KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
	KCHECK_EQ(mm_map_pfn(SLOT, pfn, true), 0);
	*(volatile uint32_t *)va = 0x5ca1ab1e;
	KCHECK_EQ(mm_unmap(SLOT), 0);
	KCHECK_EQ(mm_pte_maddr(va, &maddr), 0);
	/* The L1 lives in the boot region, where virtual = pfn << 12. */
	pte = (volatile uint64_t *)((mfn_to_pfn((uint32_t)(maddr >> 12)) << 12) |
				    (uint32_t)(maddr & 0xfff));
	*pte = mm_make_entry(pfn_to_mfn(pfn), MM_PTE_RW);
	KCHECK_EQ(mm_invlpg(va), 0);
	KCHECK_EQ(*(volatile uint32_t *)va, 0x5ca1ab1e);
	KCHECK_EQ(mm_unmap(SLOT), 0);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable,
				       VMASST_TYPE_writable_pagetables), 0);
	KCHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable,
				       VMASST_TYPE_pae_extended_cr3), 0);
	KCHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_disable,
				       VMASST_TYPE_writable_pagetables), -XEN_EINVAL);
	KCHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable,
				       VMASST_TYPE_4gb_segments), 0);
	KCHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_disable,
				       VMASST_TYPE_4gb_segments), 0);
	KCHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable,
				       VMASST_TYPE_4gb_segments_notify), -XEN_EINVAL);
	KCHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, 31), -XEN_EINVAL);
	KCHECK_EQ(HYPERVISOR_vm_assist(7, VMASST_TYPE_writable_pagetables),
		  -XEN_ENOSYS);
	check_plain_store();
	ktest_finish();
}
