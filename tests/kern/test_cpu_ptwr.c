/*
 * test_cpu_ptwr.c - plain stores into the kernel's own L1 page table.  The
 * L1 that maps a kernel page is found from start_info->pt_base through
 * the M2P; it is mapped read-only, so each store faults and the hypervisor
 * emulates it as an mmu_update: a C 64-bit store, two 32-bit halves high
 * first, cmpxchg8b (successful, and failing with the current value handed
 * back), and xchg of the low half each change the mapping, seen through
 * the page after invlpg.  Stores that would map a frame we do not own or
 * a page-table frame writable are refused: our #PF handler gets error
 * code 3 and cr2 = the entry's address, and the entry is unchanged.
 */
#include "ktest.h"
#include "mm.h"

#define SLOT		0u
#define HYP_MFN		0x100u
#define OLD_WORD	0x0badf00du
#define NEW_WORD	0xabcd1234u
#define PFEC_PRESENT_WRITE 3u

volatile uint32_t pf_hits, pf_err, pf_cr2, pf_eip;
volatile uint32_t *cr2_ptr;

static volatile uint32_t victim[1024] __attribute__((aligned(4096)));

void pf_entry(void);

/* #PF: record it and step over the faulting 2-byte "movl %eax, (%ebx)". */
asm(".text\n"
    "pf_entry:\n"
    "	incl	pf_hits\n"
    "	popl	pf_err\n"
    "	pushl	%eax\n"
    "	movl	4(%esp), %eax\n"
    "	movl	%eax, pf_eip\n"
    "	movl	cr2_ptr, %eax\n"
    "	movl	(%eax), %eax\n"
    "	movl	%eax, pf_cr2\n"
    "	popl	%eax\n"
    "	addl	$2, (%esp)\n"
    "	iret\n");

static const struct trap_info table[] = {
	{ 14, 0, FLAT_KERNEL_CS, (uint32_t)pf_entry },
	{ 0, 0, 0, 0 },
};

/* Our boot-region page that holds frame mfn, or 0. */
static uint32_t boot_va_of(uint32_t mfn)
{
	uint32_t pfn = mfn_to_pfn(mfn);

	if (pfn == MM_INVALID_PFN || pfn_to_mfn(pfn) != mfn ||
	    pfn * MM_PAGE_SIZE >= mm_boot_region_end())
		return 0;
	return pfn * MM_PAGE_SIZE;
}

/* The address of va's L1 entry, walking from pt_base; 0 if not found. */
static volatile uint64_t *find_pte(uint32_t va, uint32_t *l1_mfn)
{
	const volatile uint64_t *l3 = (const uint64_t *)start_info->pt_base;
	const volatile uint64_t *l2;
	uint64_t l3e = l3[va >> 30], l2e;
	uint32_t l2_va, l1_va;

	if (!(l3e & _PAGE_PRESENT) || !(l2_va = boot_va_of(mm_entry_mfn(l3e))))
		return NULL;
	l2 = (const uint64_t *)l2_va;
	l2e = l2[(va >> 21) & 511];
	if (!(l2e & _PAGE_PRESENT))
		return NULL;
	*l1_mfn = mm_entry_mfn(l2e);
	l1_va = boot_va_of(*l1_mfn);
	if (!l1_va)
		return NULL;
	return (volatile uint64_t *)l1_va + ((va >> 12) & 511);
}

static uint32_t seen(void)
{
	KCHECK_EQ(mm_invlpg((uint32_t)victim), 0);
	return victim[0];
}

static void store_high_first(volatile uint64_t *pte, uint64_t val)
{
	asm volatile("movl %1, 4(%0)\n"
		     "movl %2, (%0)\n"
		     : : "r"(pte), "r"((uint32_t)(val >> 32)), "r"((uint32_t)val)
		     : "memory");
}

/* lock cmpxchg8b: true if *pte was expect (and is now val). */
static bool store_cmpxchg8b(volatile uint64_t *pte, uint64_t *expect, uint64_t val)
{
	uint32_t lo = (uint32_t)*expect, hi = (uint32_t)(*expect >> 32);
	bool ok;

	asm volatile("lock cmpxchg8b (%[p])\n"
		     "sete %[ok]\n"
		     : [ok] "=q"(ok), "+a"(lo), "+d"(hi)
		     : [p] "D"(pte), "b"((uint32_t)val), "c"((uint32_t)(val >> 32))
		     : "memory", "cc");
	*expect = ((uint64_t)hi << 32) | lo;
	return ok;
}

static uint32_t store_xchg_low(volatile uint64_t *pte, uint32_t lo)
{
	asm volatile("xchgl %0, (%1)" : "+r"(lo) : "r"(pte) : "memory");
	return lo;
}

static void check_emulated(volatile uint64_t *pte, uint64_t orig, uint64_t new)
{
	uint64_t expect;

	*pte = new;				/* C store */
	KCHECK(*pte == new);
	KCHECK_EQ(seen(), NEW_WORD);
	store_high_first(pte, orig);
	KCHECK(*pte == orig);
	KCHECK_EQ(seen(), OLD_WORD);
	expect = orig;
	KCHECK(store_cmpxchg8b(pte, &expect, new));
	KCHECK(*pte == new);
	KCHECK_EQ(seen(), NEW_WORD);
	expect = orig;				/* stale: must fail */
	KCHECK(!store_cmpxchg8b(pte, &expect, orig));
	KCHECK(expect == new);
	KCHECK(*pte == new);
	KCHECK_EQ(store_xchg_low(pte, (uint32_t)orig), (uint32_t)new);
	KCHECK(*pte == orig);
	KCHECK_EQ(seen(), OLD_WORD);
}

/* A refused low-half store: #PF to us, entry unchanged. */
static void check_refused(volatile uint64_t *pte, uint32_t lo, const char *what)
{
	uint64_t before = *pte;
	uint32_t hits = pf_hits, insn;

	asm volatile("movl $1f, %0\n"
		     "1: movl %1, (%2)\n"
		     : "=&r"(insn) : "a"(lo), "b"(pte) : "memory");
	printf("ptwr: %s refused: %s\n", what, pf_hits == hits + 1 ? "yes" : "NO");
	KCHECK_EQ(pf_hits, hits + 1);
	KCHECK_EQ(pf_err, PFEC_PRESENT_WRITE);
	KCHECK_EQ(pf_cr2, (uint32_t)pte);
	KCHECK_EQ(pf_eip, insn);
	KCHECK(*pte == before);
	KCHECK_EQ(seen(), OLD_WORD);
}

void kernel_main(struct start_info *si)
{
	volatile uint64_t *pte;
	uint32_t pfn, new_mfn, l1_mfn = 0, flags;
	uint64_t orig;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK(mm_map_shared_info() != NULL);
	cr2_ptr = &shared_info_page->vcpu_info[0].arch.cr2;
	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	victim[0] = OLD_WORD;
	pte = find_pte((uint32_t)victim, &l1_mfn);
	KCHECK(pte != NULL);
	if (!pte)
		goto out;
	orig = *pte;
	KCHECK_EQ(mm_entry_mfn(orig), virt_to_mfn((uint32_t)victim));
	flags = (uint32_t)orig & 0xfff;

	KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
	new_mfn = pfn_to_mfn(pfn);
	KCHECK_EQ(mm_map_pfn(SLOT, pfn, true), 0);
	*(volatile uint32_t *)mm_window_va(SLOT) = NEW_WORD;
	KCHECK_EQ(mm_unmap(SLOT), 0);
	check_emulated(pte, orig, mm_make_entry(new_mfn, flags));

	check_refused(pte, (HYP_MFN << 12) | flags, "hypervisor frame, writable");
	check_refused(pte, (HYP_MFN << 12) | (flags & ~2u), "hypervisor frame, read-only");
	check_refused(pte, (l1_mfn << 12) | flags, "our L1, writable");
	check_refused(pte, (virt_to_mfn(start_info->pt_base) << 12) | flags,
		      "our L3, writable");
	KCHECK(*pte == orig);
out:
	ktest_finish();
}
