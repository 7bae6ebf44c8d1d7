/*
 * test_mm_reservation.c - the balloon (memory_op): current and maximum
 * reservation equal start_info->nr_pages; decrease_reservation of 16 of
 * our frames returns 16, shrinks the reservation by 16 and clears their
 * M2P entries (and we can no longer map them); populate_physmap of the 16
 * pfns returns 16 new frames whose M2P entries are those pfns and which
 * map; increase_reservation past max_pages does fewer extents than asked;
 * a decrease list holding a frame we do not own stops at it (the return
 * value is the extents done before it); extent_order 10 does nothing
 * (test_mm_exchange has the larger extents).
 * XENMEM_machine_memory_map gives Dom0 the machine's e820 map (RAM at
 * 1 MiB covering our frames); too little room is -EINVAL, a bad buffer
 * -EFAULT; XENMEM_memory_map (no map set for a domain) is -ENOSYS.
 */
#include "ktest.h"
#include "mm.h"
#include <public/memory.h>

#define NR		16u
#define SLOT		0u
#define HYP_MFN		0x100u

static uint32_t pfns[NR];
static uint32_t list[NR];

static long reservation(uint32_t cmd)
{
	domid_t self = DOMID_SELF;

	return HYPERVISOR_memory_op(cmd, &self);
}


/* Give pfns[first..first+n) back; their P2M entries become invalid. */
static void give_back(uint32_t first, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		list[i] = pfn_to_mfn(pfns[first + i]);
	KCHECK_EQ(mm_reservation_change(XENMEM_decrease_reservation, list, n, 0), n);
	for (i = 0; i < n; i++) {
		KCHECK_EQ(mfn_to_pfn(list[i]), MM_INVALID_PFN);
		KCHECK_EQ(mm_map_mfn(SLOT, list[i], false), -XEN_EPERM);
		mm_set_p2m(pfns[first + i], MM_INVALID_MFN);
	}
}

/* Populate pfns[first..first+n) again and check each new frame. */
static void populate(uint32_t first, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		list[i] = pfns[first + i];
	KCHECK_EQ(mm_reservation_change(XENMEM_populate_physmap, list, n, 0), n);
	for (i = 0; i < n; i++) {
		KCHECK_EQ(mfn_to_pfn(list[i]), pfns[first + i]);
		mm_set_p2m(pfns[first + i], list[i]);
		KCHECK_EQ(mm_map_mfn(SLOT, list[i], true), 0);
		*(volatile uint32_t *)mm_window_va(SLOT) = pfns[first + i];
		KCHECK_EQ(*(volatile uint32_t *)mm_window_va(SLOT), pfns[first + i]);
		KCHECK_EQ(mm_unmap(SLOT), 0);
	}
}

/* At most max_pages: a request for 4 with room for 2 gets 2. */
static void check_limit(uint32_t nr_pages)
{
	struct mmu_update req[2];
	uint32_t i;

	give_back(0, 2);
	KCHECK_EQ(reservation(XENMEM_current_reservation), nr_pages - 2);
	memset(list, 0, sizeof(list));
	KCHECK_EQ(mm_reservation_change(XENMEM_increase_reservation, list, 4, 0), 2);
	KCHECK_EQ(list[2], 0);
	KCHECK_EQ(reservation(XENMEM_current_reservation), nr_pages);
	for (i = 0; i < 2; i++) {
		req[i].ptr = ((uint64_t)list[i] << 12) | MMU_MACHPHYS_UPDATE;
		req[i].val = pfns[i];
		mm_set_p2m(pfns[i], list[i]);
	}
	KCHECK_EQ(HYPERVISOR_mmu_update(req, 2, NULL, DOMID_SELF), 0);
	KCHECK_EQ(mfn_to_pfn(list[0]), pfns[0]);
	KCHECK_EQ(mfn_to_pfn(list[1]), pfns[1]);
}

static void check_foreign_stops(uint32_t nr_pages)
{
	uint32_t keep = pfn_to_mfn(pfns[4]);

	list[0] = pfn_to_mfn(pfns[2]);
	list[1] = pfn_to_mfn(pfns[3]);
	list[2] = HYP_MFN;
	list[3] = keep;
	KCHECK_EQ(mm_reservation_change(XENMEM_decrease_reservation, list, 4, 0), 2);
	KCHECK_EQ(reservation(XENMEM_current_reservation), nr_pages - 2);
	KCHECK_EQ(mfn_to_pfn(keep), pfns[4]);	/* past the stop: untouched */
	mm_set_p2m(pfns[2], MM_INVALID_MFN);
	mm_set_p2m(pfns[3], MM_INVALID_MFN);
	populate(2, 2);
}

static struct e820entry map[128];

static void check_machine_map(void)
{
	struct xen_memory_map m = { 128, (uint32_t)map };
	uint32_t i, ram_at_1m = 0, mfn = pfn_to_mfn(0);

	KCHECK_EQ(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &m), 0);
	KCHECK(m.nr_entries >= 1 && m.nr_entries < 128);
	for (i = 0; i < m.nr_entries; i++)
		if (map[i].type == 1 && map[i].addr <= 0x100000 &&
		    map[i].addr + map[i].size > ((uint64_t)mfn << 12))
			ram_at_1m++;
	KCHECK_EQ(ram_at_1m, 1);
	printf("machine memory map: %u entries\n", m.nr_entries);
	m.nr_entries = 1;
	KCHECK_EQ(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &m), -XEN_EINVAL);
	m = (struct xen_memory_map){ 128, 0xF6000000u };
	KCHECK_EQ(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &m), -XEN_EFAULT);
	m = (struct xen_memory_map){ 128, (uint32_t)map };
	KCHECK_EQ(HYPERVISOR_memory_op(XENMEM_memory_map, &m), -XEN_ENOSYS);
}

void kernel_main(struct start_info *si)
{
	uint32_t nr = si->nr_pages, i;

	KCHECK_EQ(mm_init(), 0);
	check_machine_map();
	KCHECK_EQ(reservation(XENMEM_current_reservation), nr);
	KCHECK_EQ(reservation(XENMEM_maximum_reservation), nr);
	for (i = 0; i < NR; i++)
		KCHECK_EQ(mm_alloc_pfn(&pfns[i]), 0);

	printf("giving back %u frames of %u\n", NR, nr);
	give_back(0, NR);
	KCHECK_EQ(reservation(XENMEM_current_reservation), nr - NR);
	printf("populating them again\n");
	populate(0, NR);
	KCHECK_EQ(reservation(XENMEM_current_reservation), nr);

	printf("growing past max_pages\n");
	check_limit(nr);
	printf("a decrease list with a frame that is not ours\n");
	check_foreign_stops(nr);
	KCHECK_EQ(mm_reservation_change(XENMEM_decrease_reservation, list, 1, 10), 0);
	KCHECK_EQ(mm_reservation_change(XENMEM_populate_physmap, list, 1, 10), 0);
	KCHECK_EQ(reservation(XENMEM_current_reservation), nr);
	printf("the console ring the hypervisor serves cannot be given back\n");
	list[0] = si->console.domU.mfn;
	KCHECK(list[0] != 0);
	KCHECK_EQ(mm_reservation_change(XENMEM_decrease_reservation, list, 1, 0), 0);
	KCHECK_EQ(reservation(XENMEM_current_reservation), nr);
	ktest_finish();
}
