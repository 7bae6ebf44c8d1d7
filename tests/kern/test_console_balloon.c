/*
 * test_console_balloon.c - the frame of Dom0's console ring may leave Dom0
 * once Dom0 has given the ring up.  Linux zeroes start_info's
 * console.domU.mfn and reuses the page; if nothing ever made the ring's
 * indices differ, the hypervisor never noticed, and it refused to let the
 * frame go (decrease_reservation, XENMEM_exchange), which Linux's balloon
 * driver and xen-swiotlb cannot survive.
 *
 * While start_info names the ring, decrease_reservation of its frame is
 * refused (0 extents done) and the ring still works; with
 * console.domU.mfn = 0 (indices equal, so no output ever triggered the
 * check) the same call gives the frame back and the hypervisor logs that
 * the ring is no longer served.
 */
#include "ktest.h"
#include "mm.h"
#include <public/console.h>
#include <public/memory.h>

void kernel_main(struct start_info *si)
{
	uint32_t mfn = si->console.domU.mfn, pfn, extent;
	volatile struct xencons_interface *ring;

	KCHECK_EQ(mm_init(), 0);
	KCHECK(mfn != 0);
	pfn = mfn_to_pfn(mfn);
	KCHECK(pfn * MM_PAGE_SIZE < mm_boot_region_end());
	ring = (volatile struct xencons_interface *)(pfn * MM_PAGE_SIZE);
	KCHECK_EQ(ring->out_cons, ring->out_prod);

	extent = mfn;
	KCHECK_EQ(mm_reservation_change(XENMEM_decrease_reservation, &extent,
					1, 0), 0);
	printf("ring frame 0x%x kept while start_info names it\n", mfn);

	/* Give the ring up as Linux does; the page drops out of our map. */
	si->console.domU.mfn = 0;
	KCHECK_EQ(HYPERVISOR_update_va_mapping(pfn * MM_PAGE_SIZE, 0,
					       UVMF_INVLPG), 0);
	extent = mfn;
	KCHECK_EQ(mm_reservation_change(XENMEM_decrease_reservation, &extent,
					1, 0), 1);
	mm_set_p2m(pfn, MM_INVALID_MFN);
	printf("ring frame 0x%x given back\n", mfn);
	ktest_finish();
}
