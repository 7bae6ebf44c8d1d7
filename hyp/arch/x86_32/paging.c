/*
 * paging.c - the hypervisor's own mappings: the hypervisor L2 slots shared
 * by every address space, the read-only M2P, the per-vCPU GDT window and
 * the mapcache.  See paging.h.
 */
#include "paging.h"
#include "isolate.h"
#include "x86.h"
#include "../../lib.h"
#include "../../mm.h"
#include "../../panic.h"
#include <public/arch-x86_32.h>

#define M2P_L1_TABLES	((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> L2_SHIFT)

static pte_t m2p_l1[M2P_L1_TABLES][L1_ENTRIES] __attribute__((aligned(4096)));
static pte_t gdt_l1[L1_ENTRIES] __attribute__((aligned(4096)));
static pte_t mapcache_l1[MAPCACHE_SLOTS] __attribute__((aligned(4096)));
static uint32_t mapcache_used[MAPCACHE_SLOTS / 32];
static uint32_t mapcache_next;
uint32_t gdt_zero_mfn;

static pte_t l2_entry_for(void *l1, pte_t flags)
{
	return (pte_t)virt_to_phys(l1) | _PAGE_PRESENT | flags;
}

void arch_paging_init(void)
{
	unsigned int i;

	idle_l2_hyp[l2_index(GDT_VIRT_START)] = l2_entry_for(gdt_l1, _PAGE_RW);
	for (i = 0; i < MAPCACHE_SLOTS / L1_ENTRIES; i++)
		idle_l2_hyp[l2_index(MAPCACHE_VIRT_START) + i] =
			l2_entry_for(&mapcache_l1[i * L1_ENTRIES], _PAGE_RW);
	/* The direct map is global: it is the same in every address space. */
	write_cr4(read_cr4() | X86_CR4_PGE);
	/* The identity map was only needed to reach the linked address. */
	idle_pdpt[0] = 0;
	write_cr3(read_cr3());
}

void arch_map_m2p(uint32_t *m2p_table, uint32_t pages)
{
	uint32_t i;

	if (pages > M2P_L1_TABLES * L1_ENTRIES)
		panic("M2P of %u pages does not fit its window", pages);
	for (i = 0; i < pages; i++)
		m2p_l1[i / L1_ENTRIES][i % L1_ENTRIES] =
			virt_to_phys((uint8_t *)m2p_table + i * PAGE_SIZE) |
			_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;
	/* Read-only for everyone but the hypervisor's direct-map alias. */
	for (i = 0; i < M2P_L1_TABLES; i++)
		idle_l2_hyp[HYP_L2_FIRST_SLOT + i] =
			l2_entry_for(m2p_l1[i], _PAGE_USER);
}

void arch_install_hyp_slots(pte_t *l2)
{
	unsigned int i;

	for (i = HYP_L2_FIRST_SLOT; i < L2_ENTRIES; i++)
		l2[i] = idle_l2_hyp[i];
}

void arch_set_gdt_frame(unsigned int i, uint32_t mfn, int writable)
{
	pte_t v = ((pte_t)mfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_ACCESSED;

	if (writable)
		v |= _PAGE_RW | _PAGE_DIRTY;
	pte_write(&gdt_l1[i], v);
	invlpg(GDT_VIRT_START + i * PAGE_SIZE);
	iso_stale();
}

/* Writable for the CPU, which sets descriptors' accessed bits. */
void arch_set_ldt_frame(unsigned int i, uint32_t mfn)
{
	pte_t v = 0;

	if (mfn)
		v = ((pte_t)mfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW |
		    _PAGE_ACCESSED | _PAGE_DIRTY;
	pte_write(&gdt_l1[GDT_PAGES + i], v);
	invlpg(LDT_VIRT_START + i * PAGE_SIZE);
	iso_stale();
}

pte_t arch_desc_window_pte(unsigned int i)
{
	return i < GDT_PAGES + LDT_PAGES ? gdt_l1[i] : 0;
}

/* A page of the guest part of the GDT the guest has not filled. */
void arch_clear_gdt_frame(unsigned int i)
{
	arch_set_gdt_frame(i, gdt_zero_mfn, 0);
}

void arch_map_lapic(uint32_t mfn)
{
	pte_write(&gdt_l1[(LAPIC_VIRT - GDT_VIRT_START) >> PAGE_SHIFT],
		  ((pte_t)mfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW |
		  _PAGE_PCD | _PAGE_PWT | _PAGE_ACCESSED | _PAGE_DIRTY);
	invlpg(LAPIC_VIRT);
}

void *map_domain_page(mfn_t mfn)
{
	uint32_t i, slot;

	if (mfn_x(mfn) < (DIRECTMAP_SIZE >> PAGE_SHIFT))
		return phys_to_virt((uint64_t)mfn_x(mfn) << PAGE_SHIFT);
	for (i = 0; i < MAPCACHE_SLOTS; i++) {
		slot = (mapcache_next + i) % MAPCACHE_SLOTS;
		if (!(mapcache_used[slot / 32] & (1u << (slot % 32))))
			break;
	}
	if (i == MAPCACHE_SLOTS)
		panic("mapcache exhausted: a map_domain_page leak");
	mapcache_used[slot / 32] |= 1u << (slot % 32);
	mapcache_next = slot + 1;
	pte_write(&mapcache_l1[slot], ((pte_t)mfn_x(mfn) << PAGE_SHIFT) |
		  _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY);
	invlpg(MAPCACHE_VIRT_START + slot * PAGE_SIZE);
	return (void *)(MAPCACHE_VIRT_START + slot * PAGE_SIZE);
}

void unmap_domain_page(const void *va)
{
	uint32_t a = (uint32_t)va, slot;

	if (a < MAPCACHE_VIRT_START ||
	    a >= MAPCACHE_VIRT_START + MAPCACHE_SLOTS * PAGE_SIZE)
		return;		/* a direct-map address: nothing to undo */
	slot = (a - MAPCACHE_VIRT_START) >> PAGE_SHIFT;
	mapcache_used[slot / 32] &= ~(1u << (slot % 32));
	pte_write(&mapcache_l1[slot], 0);
	invlpg(a & PAGE_MASK);
}
