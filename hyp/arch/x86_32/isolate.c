/*
 * isolate.c - the restricted view a guest runs on when the CPU does not
 * check segment limits.  See isolate.h.
 *
 * One physical CPU, so one restricted view: iso_l3 (the CR3 it loads),
 * iso_l2 (the guest's top L2 entries below the hypervisor, then the
 * hypervisor's restricted slots), iso_desc_l1 (the GDT and LDT windows,
 * read-only) and an L1 for each 2 MiB of the direct map that holds the
 * entry pages or the entry stack, mapping only those.  The guest's part
 * is copied again when something it copies has changed or another vCPU
 * runs: mmu.c calls iso_stale for a new base pointer and for an update of
 * a top L2, paging.c for a change of the GDT or LDT window.  The CPU sets accessed bits of the copied L2 entries in the
 * copy: a guest reading its own top L2 sees them as it last wrote them.
 */
#include "isolate.h"
#include "page.h"
#include "paging.h"
#include "x86.h"
#include "../../console.h"
#include "../../domain.h"
#include "../../lib.h"
#include "../../mm.h"
#include "../../pagetable.h"
#include "../../panic.h"
#include <public/arch-x86_32.h>

#define DMAP_SLOTS	(DIRECTMAP_SIZE >> L2_SHIFT)
#define DMAP_FIRST	l2_index(DIRECTMAP_VIRT_START)
#define DESC_WINDOW	(GDT_PAGES + LDT_PAGES)
#define TABLE_FLAGS	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)

enum iso_mode { ISO_AUTO, ISO_ON, ISO_OFF };

/* entry.S reads these with the guest's view loaded: .bss.entry is in it. */
uint32_t iso_guest_cr3 __attribute__((section(".bss.entry")));
uint32_t iso_hyp_cr3 __attribute__((section(".bss.entry")));
/* The ring-0 stack while isolation is on: a page of its own. */
uint8_t iso_entry_stack[PAGE_SIZE]
	__attribute__((aligned(4096), section(".bss.entry_stack")));
uint32_t iso_stack_top;

extern char __entry_text_start[], __entry_text_end[];
extern char __entry_bss_start[], __entry_bss_end[];

static enum iso_mode mode = ISO_AUTO;
static pte_t iso_l3[4] __attribute__((aligned(32)));
static pte_t iso_l2[L2_ENTRIES] __attribute__((aligned(4096)));
static pte_t iso_desc_l1[L1_ENTRIES] __attribute__((aligned(4096)));
static pte_t *iso_dmap_l1[DMAP_SLOTS];
static bool stale = true;
static const struct vcpu *copied_for;	/* whose tables the copy holds */

bool iso_set_mode(const char *s, size_t len)
{
	static const char *const names[] = {
		[ISO_AUTO] = "auto", [ISO_ON] = "on", [ISO_OFF] = "off",
	};
	int i = word_index(s, len, names, ARRAY_SIZE(names));

	if (i < 0)
		return false;
	mode = (enum iso_mode)i;
	return true;
}

/* The restricted view's L1 for the 2 MiB of the direct map holding va. */
static pte_t *dmap_l1(uint32_t va)
{
	unsigned int slot = (va - DIRECTMAP_VIRT_START) >> L2_SHIFT;

	if (!iso_dmap_l1[slot]) {
		iso_dmap_l1[slot] = alloc_xenheap_page();
		if (!iso_dmap_l1[slot])
			panic("no memory for the guests' restricted view");
		iso_l2[DMAP_FIRST + slot] =
			virt_to_phys(iso_dmap_l1[slot]) | TABLE_FLAGS;
	}
	return iso_dmap_l1[slot];
}

/* Map the direct-map pages [start, end) with flags. */
static void dmap_range(uint32_t start, uint32_t end, pte_t flags)
{
	uint32_t va;

	for (va = start & PAGE_MASK; va < end; va += PAGE_SIZE)
		pte_write(&dmap_l1(va)[l1_index(va)],
			  (pte_t)virt_to_phys((void *)va) | flags);
}

static void build_fixed_parts(void)
{
	unsigned int i;

	for (i = HYP_L2_FIRST_SLOT; i < l2_index(MACH2PHYS_VIRT_END); i++)
		iso_l2[i] = idle_l2_hyp[i];	/* the M2P, read-only */
	iso_l2[l2_index(GDT_VIRT_START)] = virt_to_phys(iso_desc_l1) | TABLE_FLAGS;
	dmap_range((uint32_t)__entry_text_start, (uint32_t)__entry_text_end,
		   _PAGE_PRESENT | _PAGE_ACCESSED);
	dmap_range((uint32_t)__entry_bss_start, (uint32_t)__entry_bss_end,
		   _PAGE_PRESENT | _PAGE_ACCESSED);
	dmap_range((uint32_t)iso_entry_stack,
		   (uint32_t)iso_entry_stack + sizeof(iso_entry_stack),
		   _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY);
	iso_l3[3] = virt_to_phys(iso_l2) | _PAGE_PRESENT;
}

bool iso_init(bool limits_enforced)
{
	if (mode == ISO_OFF || (mode == ISO_AUTO && limits_enforced)) {
		if (!limits_enforced)
			printk(LOG_WARN, "this CPU does not check segment limits "
			       "and isolate=off: guest kernels are not kept out "
			       "of the hypervisor\n");
		else
			printk(LOG_INFO, "segment limits are checked: the "
			       "hypervisor stays mapped while guests run\n");
		return false;
	}
	build_fixed_parts();
	/* A global hypervisor mapping would outlive the switch of view. */
	write_cr4(read_cr4() & ~X86_CR4_PGE);
	iso_guest_cr3 = virt_to_phys(iso_l3);
	printk(LOG_INFO, "%s: the hypervisor is unmapped while a guest runs "
	       "(isolate=on)\n", limits_enforced ? "isolate=on" :
	       "this CPU does not check segment limits (QEMU's TCG)");
	return true;
}

void iso_stale(void)
{
	stale = true;
}

static void rebuild(const struct vcpu *v)
{
	unsigned int i;
	pte_t *l2;

	for (i = 0; i < 3; i++)
		iso_l3[i] = v->pdpt[i];
	if (v->pdpt[3] & _PAGE_PRESENT) {
		l2 = map_domain_page(_mfn(pte_mfn(v->pdpt[3])));
		memcpy(iso_l2, l2, HYP_L2_FIRST_SLOT * sizeof(pte_t));
		unmap_domain_page(l2);
	} else {
		memset(iso_l2, 0, HYP_L2_FIRST_SLOT * sizeof(pte_t));
	}
	for (i = 0; i < DESC_WINDOW; i++)
		iso_desc_l1[i] = arch_desc_window_pte(i) & ~_PAGE_RW;
	copied_for = v;
	stale = false;
}

uint32_t iso_ring0_stack(uint32_t top)
{
	iso_stack_top = top;
	return iso_guest_cr3 ? (uint32_t)iso_entry_stack + sizeof(iso_entry_stack)
			     : top;
}

/*
 * Below the frame about to be copied there, the entry stack holds what
 * traps nested in the entry or exit path left (registers, a return
 * address): not for another domain's eyes.  Nothing on it is live here.
 */
static void scrub_entry_stack(const struct domain *d)
{
	static const struct domain *last;

	if (d == last)
		return;
	memset(iso_entry_stack, 0, sizeof(iso_entry_stack) -
	       sizeof(struct trap_frame));
	last = d;
}

uint32_t iso_exit_cr3(void)
{
	const struct vcpu *v = current_vcpu();

	if (!iso_guest_cr3)
		return 0;
	scrub_entry_stack(v->domain);
	if (stale || copied_for != v)
		rebuild(v);
	iso_hyp_cr3 = read_cr3();
	return iso_guest_cr3;
}
