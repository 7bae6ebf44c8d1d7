/*
 * test_console_reuse.c - Dom0's PV console ring is ordinary memory: a
 * kernel that does not use it (Linux zeroes console.domU and reuses the
 * page) may make the frame a page table.  The hypervisor must then stop
 * writing out_cons into it.  Here the (zeroed) ring frame is remapped
 * read-only and pinned as an L1, then mmu_update makes its entry 385 read
 * as out_prod = 5, out_cons = 0 (not present); after more hypercalls the
 * entry must still read
 * 0x0000000500000000 - had out_cons become 5, it would be a present
 * mapping of a frame the guest chose.
 */
#include "ktest.h"
#include "mm.h"
#include <public/console.h>

#define SLOT		0u
#define OUT_CONS_ENTRY	(offsetof(struct xencons_interface, out_cons) / 8)

void kernel_main(struct start_info *si)
{
	uint32_t mfn = si->console.domU.mfn, pfn, va;
	struct xencons_interface *ring;
	uint64_t e = 0;
	struct mmu_update req;

	KCHECK_EQ(mm_init(), 0);
	pfn = mfn_to_pfn(mfn);
	va = pfn * MM_PAGE_SIZE;	/* the boot region maps pfn p at p pages */
	KCHECK(va < mm_boot_region_end());
	ring = (struct xencons_interface *)va;
	memset(ring, 0, MM_PAGE_SIZE);	/* an empty L1, an empty ring */
	KCHECK_EQ(HYPERVISOR_update_va_mapping(va, mm_make_entry(mfn, MM_PTE_RO),
					       UVMF_INVLPG), 0);
	KCHECK_EQ(mm_pin(1, mfn), 0);
	/* Now out_prod = 5, out_cons = 0: a valid, not-present L1 entry. */
	req.ptr = ((uint64_t)mfn << 12) + OUT_CONS_ENTRY * 8;
	req.val = 0x0000000500000000ull;
	KCHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF), 0);
	HYPERVISOR_xen_version(0, NULL);
	HYPERVISOR_xen_version(0, NULL);
	KCHECK_EQ(mm_read_entry(mfn, OUT_CONS_ENTRY, &e), 0);
	KCHECK(e == 0x0000000500000000ull);
	printf("console ring frame as an L1: entry %u reads 0x%08x%08x\n",
	       (unsigned int)OUT_CONS_ENTRY, (uint32_t)(e >> 32), (uint32_t)e);
	KCHECK_EQ(mm_unpin(mfn), 0);
	ktest_finish();
}
