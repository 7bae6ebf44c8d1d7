/*
 * test_boot.c - what a PV kernel finds at its first instruction: a valid
 * start_info, ring-1 flat segments, a P2M that the read-only M2P inverts,
 * its command line, page tables where pt_base says, a filled hypercall page
 * and shared_info with event upcalls masked.
 */
#include "ktest.h"

extern char _end[];

static uint16_t read_cs(void) { uint16_t v; asm("mov %%cs, %0" : "=r"(v)); return v; }
static uint16_t read_ss(void) { uint16_t v; asm("mov %%ss, %0" : "=r"(v)); return v; }
static uint16_t read_ds(void) { uint16_t v; asm("mov %%ds, %0" : "=r"(v)); return v; }

static void check_tables(const struct start_info *si)
{
	const uint64_t *l3 = (const uint64_t *)si->pt_base;
	const uint32_t *p2m = (const uint32_t *)si->mfn_list;
	uint32_t pt_pfn = si->pt_base >> 12, i, found = 0;

	/* pt_base holds an L3 whose slot 0 and slot 3 are present... */
	KCHECK(l3[0] & 1);
	KCHECK(l3[3] & 1);
	KCHECK(si->nr_pt_frames >= 3);
	/* ...and the top L2 it names is one of the bootstrap table frames. */
	for (i = pt_pfn; i < pt_pfn + si->nr_pt_frames; i++)
		if (p2m[i] == (uint32_t)(l3[3] >> 12))
			found++;
	KCHECK_EQ(found, 1);
}

void kernel_main(struct start_info *si)
{
	const uint32_t *m2p = (const uint32_t *)MACH2PHYS_VIRT_START;
	const uint32_t *p2m = (const uint32_t *)si->mfn_list;
	uint32_t i, bad = 0;
	uint32_t esp;

	asm("mov %%esp, %0" : "=r"(esp));
	KCHECK(!strcmp(si->magic, XEN_START_INFO_MAGIC));
	KCHECK(si->flags & SIF_INITDOMAIN);
	KCHECK(si->nr_pages >= 1024);
	KCHECK_EQ(read_cs(), FLAT_RING1_CS);
	KCHECK_EQ(read_ss(), FLAT_RING1_SS);
	KCHECK_EQ(read_ds(), FLAT_RING1_DS);
	KCHECK((uint32_t)si >= (uint32_t)_end);
	KCHECK(si->mfn_list >= (uint32_t)_end && si->mfn_list < (uint32_t)si);
	KCHECK(si->pt_base > (uint32_t)si);
	for (i = 0; i < si->nr_pages; i++)
		if (m2p[p2m[i]] != i)
			bad++;
	KCHECK_EQ(bad, 0);
	KCHECK(!strcmp((const char *)si->cmd_line, "alpha beta=2"));
	KCHECK_EQ((uint8_t)hypercall_page[0], 0xb8);	/* mov $0, %eax */
	KCHECK_EQ((uint8_t)hypercall_page[5], 0xcd);	/* int */
	KCHECK_EQ((uint8_t)hypercall_page[6], 0x82);
	KCHECK(si->shared_info != 0 && !(si->shared_info & 0xfff));
	check_tables(si);
	printf("start_info ok: %u pages, pt_base %x, esp %x\n", si->nr_pages,
	       si->pt_base, esp);
	ktest_finish();
}
