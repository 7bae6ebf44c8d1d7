/*
 * test_mm_hypslots.c - no guest entry reaches the hypervisor's area or
 * uses bits Xylem forbids: writing the top L2's entries from 428
 * (0xF5800000) up is -XEN_EPERM; update_va_mapping at or above
 * 0xF5800000 is -XEN_EINVAL; an L2 entry with PSE, an L1 entry with
 * _PAGE_GLOBAL and an L3 entry with PSE are -XEN_EINVAL; clearing L3 slot 3
 * (which carries the hypervisor) is -XEN_EINVAL.  Nothing changes.
 * L3 slot 3 may be given another L2 and back: each time, the L2 that
 * leaves loses its last type reference and its hypervisor slots are
 * cleared, so the hypervisor, which runs through slot 3, must be on the
 * new one first (the fuzzer found the old order triple-faulting).
 * As on Xen, Dom0 starts with an L2 in every L3 slot, empty in 1 and 2.
 */
#include "ktest.h"
#include "mm.h"

#define SLOT		0u

static long update(uint32_t table_mfn, unsigned int index, uint64_t val)
{
	struct mmu_update req = {
		.ptr = ((uint64_t)table_mfn << 12) + index * 8,
		.val = val,
	};
	uint32_t done = 0xdead;
	long rc = HYPERVISOR_mmu_update(&req, 1, &done, DOMID_SELF);

	KCHECK_EQ(done, rc ? 0 : 1);
	return rc;
}

static uint64_t entry(uint32_t table_mfn, unsigned int index)
{
	uint64_t e = 0xdeadbeef;

	KCHECK_EQ(mm_read_entry(table_mfn, index, &e), 0);
	return e;
}

static void check_hyp_slots(uint32_t top_l2, uint32_t own_mfn)
{
	static const unsigned int slots[] = { 428, 429, 480, 511 };
	unsigned int i;

	printf("top L2 0x%x: writing its hypervisor slots\n", top_l2);
	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		uint64_t old = entry(top_l2, slots[i]);

		KCHECK_EQ(update(top_l2, slots[i], 0), -XEN_EPERM);
		KCHECK_EQ(update(top_l2, slots[i], old), -XEN_EPERM);
		KCHECK_EQ64(entry(top_l2, slots[i]), old);
	}
	KCHECK_EQ(HYPERVISOR_update_va_mapping(HYPERVISOR_VIRT_START,
		  mm_make_entry(own_mfn, MM_PTE_RO), UVMF_INVLPG), -XEN_EINVAL);
	KCHECK_EQ(HYPERVISOR_update_va_mapping(0xFC000000u, 0, UVMF_INVLPG),
		  -XEN_EINVAL);
	KCHECK_EQ(HYPERVISOR_update_va_mapping(0xFFFFF000u,
		  mm_make_entry(own_mfn, MM_PTE_RW), UVMF_INVLPG), -XEN_EINVAL);
}

/*
 * As Xen builds a 32-bit Dom0, every L3 slot has an L2: slot 0 maps the
 * region, slots 1 and 2 are empty, slot 3 carries the hypervisor.
 */
static void check_dom0_slots(uint32_t l3)
{
	unsigned int s, i, used;

	printf("Dom0's L3: an L2 in every slot\n");
	for (s = 0; s < 4; s++) {
		KCHECK(entry(l3, s) & _PAGE_PRESENT);
		if (!(entry(l3, s) & _PAGE_PRESENT))
			continue;
		for (i = used = 0; i < 512; i++)
			used += !!entry(mm_entry_mfn(entry(l3, s)), i);
		if (s == 1 || s == 2)
			KCHECK_EQ(used, 0);
		if (s == 0)
			KCHECK(used > 0);	/* the region */
	}
}

static void check_bad_bits(uint32_t l3, uint32_t top_l2, uint32_t spare_mfn,
			   uint32_t own_mfn)
{
	uint64_t l3e1 = entry(l3, 1), l3e3 = entry(l3, 3);

	printf("entries with forbidden bits\n");
	/* A 2 MiB superpage in an unused slot of the top L2. */
	KCHECK_EQ64(entry(top_l2, 400), 0);
	KCHECK_EQ(update(top_l2, 400, mm_make_entry(own_mfn & ~511u,
			 MM_PTE_RW | _PAGE_PSE)), -XEN_EINVAL);
	KCHECK_EQ64(entry(top_l2, 400), 0);
	KCHECK_EQ(HYPERVISOR_update_va_mapping(mm_window_va(SLOT),
		  mm_make_entry(own_mfn, MM_PTE_RO | _PAGE_GLOBAL), UVMF_INVLPG),
		  -XEN_EINVAL);
	KCHECK_EQ(mm_window_entry(SLOT), 0);
	/* Slot 1 given a (zeroed) L2 with PSE: no L3 superpages. */
	KCHECK_EQ(update(l3, 1, mm_make_entry(spare_mfn, _PAGE_PRESENT | _PAGE_PSE)),
		  -XEN_EINVAL);
	KCHECK_EQ64(entry(l3, 1), l3e1);
	KCHECK_EQ(update(l3, 3, 0), -XEN_EINVAL);
	KCHECK_EQ64(entry(l3, 3), l3e3);
	KCHECK(l3e3 & _PAGE_PRESENT);
}

#define RW_SLOT		1u
#define FIRST_HYP	428u	/* top L2 entry of 0xF5800000 */

/* Slot 3 to a copy of the top L2's guest entries (spare_mfn), and back. */
static void check_slot3_swap(uint32_t l3, uint32_t top_l2, uint32_t spare_mfn)
{
	uint64_t *copy;
	unsigned int i;

	printf("L3 slot 3: top L2 0x%x -> 0x%x and back\n", top_l2, spare_mfn);
	KCHECK_EQ(mm_map_mfn(RW_SLOT, spare_mfn, true), 0);
	copy = (uint64_t *)mm_window_va(RW_SLOT);
	for (i = 0; i < 512; i++)
		copy[i] = i < FIRST_HYP ? entry(top_l2, i) : 0;
	KCHECK_EQ(mm_unmap(RW_SLOT), 0);
	KCHECK_EQ(update(l3, 3, mm_make_entry(spare_mfn, _PAGE_PRESENT)), 0);
	KCHECK_EQ(mm_entry_mfn(entry(l3, 3)), spare_mfn);
	KCHECK(entry(spare_mfn, FIRST_HYP) & _PAGE_PRESENT);	/* installed */
	KCHECK_EQ(update(l3, 3, mm_make_entry(top_l2, _PAGE_PRESENT)), 0);
	KCHECK_EQ(mm_entry_mfn(entry(l3, 3)), top_l2);
	KCHECK(entry(top_l2, FIRST_HYP) & _PAGE_PRESENT);
	KCHECK_EQ64(entry(spare_mfn, FIRST_HYP), 0);	/* cleared as it left */
}

void kernel_main(struct start_info *si)
{
	uint32_t l3, top_l2, spare_pfn = MM_INVALID_PFN, spare_mfn, own_mfn;
	uint64_t l3e1;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	l3 = mm_current_l3();
	top_l2 = mm_entry_mfn(entry(l3, 3));
	KCHECK_EQ(mm_alloc_pfn(&spare_pfn), 0);
	spare_mfn = pfn_to_mfn(spare_pfn);
	own_mfn = pfn_to_mfn(0);
	l3e1 = entry(l3, 1);
	check_dom0_slots(l3);
	check_hyp_slots(top_l2, own_mfn);
	check_bad_bits(l3, top_l2, spare_mfn, own_mfn);
	/* A legal entry in the same places is accepted: the rules are exact. */
	KCHECK_EQ(HYPERVISOR_update_va_mapping(mm_window_va(SLOT),
		  mm_make_entry(own_mfn, MM_PTE_RO), UVMF_INVLPG), 0);
	KCHECK_EQ(mm_unmap(SLOT), 0);
	KCHECK_EQ(update(l3, 1, mm_make_entry(spare_mfn, _PAGE_PRESENT)), 0);
	KCHECK_EQ(update(l3, 1, 0), 0);
	KCHECK_EQ(update(l3, 1, l3e1), 0);
	check_slot3_swap(l3, top_l2, spare_mfn);
	ktest_finish();
}
