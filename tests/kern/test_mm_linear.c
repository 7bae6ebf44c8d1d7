/*
 * test_mm_linear.c - linear page tables, as NetBSD's pmap uses them: an L2
 * entry that names an L2 makes that L2's entries readable as the page
 * table entries of a 2 MiB window.  Checked here on the running address
 * space:
 *  - the slot-0 L2 mapping itself read-only at entry 500 is accepted, and
 *    the window shows the kernel's own page-table entries (the one that
 *    maps `marker` names marker's frame) and the self entry itself;
 *  - a store through the window faults (read-only all the way), and the
 *    entry is unchanged;
 *  - refused: the self entry writable, the L2 of L3 slot 3 (the
 *    hypervisor's slots) mapping itself or being mapped by another L2;
 *  - another pinned L2 mapped at entry 501 is seen through the window;
 *    XSA-240's rule holds both ways (an L2 mapped linearly holds no
 *    linear entry; one that holds linear entries is not mapped linearly);
 *  - removing the entries gives back what they held: the second L2 can be
 *    mapped writable once unpinned, and the window no longer maps.
 */
#include "ktest.h"
#include "mm.h"

#define SLOT		0u
#define LIN		500u		/* L2 entries used for the windows */
#define LIN_OTHER	501u
#define LIN_SPARE	502u
#define WIN		(LIN << 21)	/* VA the self entry maps */
#define HYP_SLOT_FREE	5u		/* a guest slot of the top L2 */

volatile uint32_t pf_hits, pf_err;

void pf_entry(void);

/* #PF: record it and step over the 2-byte "movl" that faulted. */
asm(".text\n"
    "pf_entry:\n"
    "	incl	pf_hits\n"
    "	popl	pf_err\n"
    "	addl	$2, (%esp)\n"
    "	iret\n");

static const struct trap_info table[] = {
	{ 14, 0, FLAT_KERNEL_CS, (uint32_t)pf_entry },
	{ 0, 0, 0, 0 },
};

static volatile uint32_t marker __attribute__((aligned(4096))) = 0x11223344;

/* A 32-bit load and store whose encodings (8b 03, 89 03) are 2 bytes. */
static uint32_t probe_read(uint32_t va)
{
	uint32_t v = 0xdeadbeef;

	asm volatile("movl (%%ebx), %%eax" : "+a"(v) : "b"(va) : "memory");
	return v;
}

static void probe_write(uint32_t va, uint32_t val)
{
	asm volatile("movl %%eax, (%%ebx)" : : "a"(val), "b"(va) : "memory");
}

static long set_entry(uint32_t table_mfn, unsigned int i, uint64_t val)
{
	struct mmu_update u = {
		.ptr = ((uint64_t)table_mfn << 12) + i * 8,
		.val = val,
	};

	return HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
}

static uint64_t entry_of(uint32_t table_mfn, unsigned int i)
{
	uint64_t e = ~0ull;

	KCHECK_EQ(mm_read_entry(table_mfn, i, &e), 0);
	return e;
}

/* The 64-bit entry at window VA va, read as two halves. */
static uint64_t window_entry(uint32_t va)
{
	uint32_t lo = probe_read(va), hi = probe_read(va + 4);

	return ((uint64_t)hi << 32) | lo;
}

/* A fresh, zeroed frame pinned as a table of the given level. */
static uint32_t new_table(unsigned int level)
{
	uint32_t pfn, mfn;

	KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
	mfn = pfn_to_mfn(pfn);
	KCHECK_EQ(mm_map_pfn(SLOT, pfn, true), 0);
	memset((void *)mm_window_va(SLOT), 0, MM_PAGE_SIZE);
	KCHECK_EQ(mm_unmap(SLOT), 0);
	KCHECK_EQ(mm_pin(level, mfn), 0);
	return mfn;
}

/* The self entry: the window shows the L2's entries and the L1s below. */
static void check_self(uint32_t l2)
{
	uint32_t va = (uint32_t)&marker, hits;
	uint64_t pte, self;

	KCHECK_EQ(set_entry(l2, LIN, mm_make_entry(l2, MM_PTE_RW)), -XEN_EBUSY);
	KCHECK_EQ64(entry_of(l2, LIN), 0);
	KCHECK_EQ(set_entry(l2, LIN, mm_make_entry(l2, MM_PTE_RO)), 0);
	KCHECK_EQ(mm_flush_tlb(), 0);
	/* Page j of the window is the L1 that L2 entry j names. */
	pte = window_entry(WIN + (va >> 21) * MM_PAGE_SIZE + ((va >> 12) & 511) * 8);
	KCHECK_EQ(pf_hits, 0);
	KCHECK(pte & _PAGE_PRESENT);
	KCHECK_EQ(mm_entry_mfn(pte), virt_to_mfn(va));
	/* Page LIN is the L2 itself: its entry LIN is the self entry. */
	self = window_entry(WIN + LIN * MM_PAGE_SIZE + LIN * 8);
	KCHECK_EQ(mm_entry_mfn(self), l2);
	KCHECK(!(self & _PAGE_RW));
	printf("window 0x%x: marker's entry 0x%x%08x, the self entry 0x%x%08x\n",
	       WIN, (uint32_t)(pte >> 32), (uint32_t)pte,
	       (uint32_t)(self >> 32), (uint32_t)self);
	/* Read-only all the way: a store faults and changes nothing. */
	hits = pf_hits;
	probe_write(WIN + (va >> 21) * MM_PAGE_SIZE + ((va >> 12) & 511) * 8, 0);
	KCHECK_EQ(pf_hits, hits + 1);
	KCHECK_EQ(pf_err & 3, 3);		/* present, write */
	KCHECK_EQ(marker, 0x11223344);
	KCHECK_EQ(mm_entry_mfn(window_entry(WIN + (va >> 21) * MM_PAGE_SIZE +
					    ((va >> 12) & 511) * 8)),
		  virt_to_mfn(va));
}

/* The L2 in L3 slot 3 carries the hypervisor: never at either end. */
static void check_hyp_l2(uint32_t l2, uint32_t top)
{
	KCHECK_EQ(set_entry(top, HYP_SLOT_FREE, mm_make_entry(top, MM_PTE_RO)),
		  -XEN_EBUSY);
	KCHECK_EQ(set_entry(l2, LIN_OTHER, mm_make_entry(top, MM_PTE_RO)),
		  -XEN_EBUSY);
	KCHECK_EQ64(entry_of(top, HYP_SLOT_FREE), 0);
	KCHECK_EQ64(entry_of(l2, LIN_OTHER), 0);
}

/* Another L2 through the window, and XSA-240's rule both ways. */
static void check_others(uint32_t l2)
{
	uint32_t a = new_table(2), b = new_table(2), l1 = new_table(1);

	KCHECK_EQ(set_entry(a, 9, mm_make_entry(l1, MM_PTE_RW)), 0);
	KCHECK_EQ(set_entry(l2, LIN_OTHER, mm_make_entry(a, MM_PTE_RO)), 0);
	KCHECK_EQ(mm_flush_tlb(), 0);
	KCHECK_EQ(mm_entry_mfn(window_entry(WIN + LIN_OTHER * MM_PAGE_SIZE +
					    9 * 8)), l1);
	KCHECK_EQ(pf_hits, 1);
	/* a is mapped linearly: it may not hold a linear entry... */
	KCHECK_EQ(set_entry(a, 10, mm_make_entry(b, MM_PTE_RO)), -XEN_EBUSY);
	/* ...and l2, which holds one, may not be mapped linearly. */
	KCHECK_EQ(set_entry(b, 9, mm_make_entry(l2, MM_PTE_RO)), -XEN_EBUSY);
	/* A self entry counts at neither end: b keeps one throughout. */
	KCHECK_EQ(set_entry(b, 9, mm_make_entry(b, MM_PTE_RO)), 0);
	KCHECK_EQ(set_entry(a, 10, 0), 0);
	KCHECK_EQ64(entry_of(a, 10), 0);
	/* l2's linear entry gone, l2 may itself be mapped linearly... */
	KCHECK_EQ(set_entry(l2, LIN_OTHER, 0), 0);
	KCHECK_EQ(set_entry(b, 10, mm_make_entry(l2, MM_PTE_RO)), 0);
	/* ...and may then hold none. */
	KCHECK_EQ(set_entry(l2, LIN_SPARE, mm_make_entry(a, MM_PTE_RO)),
		  -XEN_EBUSY);
	KCHECK_EQ64(entry_of(l2, LIN_SPARE), 0);
	KCHECK_EQ(set_entry(b, 10, 0), 0);
	KCHECK_EQ(set_entry(b, 9, 0), 0);
	/* What the entry held is given back: unpinned, a is plain again. */
	KCHECK_EQ(set_entry(l2, LIN_OTHER, mm_make_entry(a, MM_PTE_RO)), 0);
	KCHECK_EQ(mm_unpin(a), 0);
	KCHECK_EQ(mm_map_mfn(SLOT, a, true), -XEN_EBUSY);	/* still an L2 */
	KCHECK_EQ(set_entry(l2, LIN_OTHER, 0), 0);
	KCHECK_EQ(mm_map_mfn(SLOT, a, true), 0);
	KCHECK_EQ(mm_unmap(SLOT), 0);
	/* a's L1 went with it, and b was never held. */
	KCHECK_EQ(mm_unpin(l1), 0);
	KCHECK_EQ(mm_map_mfn(SLOT, l1, true), 0);
	KCHECK_EQ(mm_unmap(SLOT), 0);
	KCHECK_EQ(mm_unpin(b), 0);
	KCHECK_EQ(mm_map_mfn(SLOT, b, true), 0);
	KCHECK_EQ(mm_unmap(SLOT), 0);
}

void kernel_main(struct start_info *si)
{
	uint32_t l3, l2, top, hits;
	uint64_t e;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	l3 = mm_current_l3();
	e = entry_of(l3, 0);
	KCHECK(e & _PAGE_PRESENT);
	l2 = mm_entry_mfn(e);
	top = mm_entry_mfn(entry_of(l3, 3));
	KCHECK_EQ64(entry_of(l2, LIN), 0);
	KCHECK_EQ64(entry_of(l2, LIN_OTHER), 0);
	KCHECK_EQ64(entry_of(l2, LIN_SPARE), 0);

	check_self(l2);
	check_hyp_l2(l2, top);
	check_others(l2);

	/* The self entry removed, the window no longer maps. */
	KCHECK_EQ(set_entry(l2, LIN, 0), 0);
	KCHECK_EQ(mm_flush_tlb(), 0);
	hits = pf_hits;
	probe_read(WIN);
	KCHECK_EQ(pf_hits, hits + 1);
	KCHECK_EQ(pf_err & 1, 0);		/* not present */
	ktest_finish();
}
