/*
 * paging.h - the hypervisor's own page tables (PAE).
 *
 * idle_pdpt/idle_l2_hyp (boot.S) are the idle address space; the entries of
 * idle_l2_hyp from HYP_L2_FIRST_SLOT up are the hypervisor's part of every
 * address space and are copied into each guest's top-level L2 by
 * arch_install_hyp_slots().  Those slots never change after boot:
 * anything dynamic (mapcache, GDT, M2P) lives in L1 tables they point to.
 */
#ifndef XYLEM_PAGING_H
#define XYLEM_PAGING_H

#include <stdint.h>
#include "page.h"
#include "../../types.h"

typedef uint64_t pte_t;

extern pte_t idle_pdpt[512];
extern pte_t idle_l2_low[512];
extern pte_t idle_l2_hyp[512];

static inline void pte_write(pte_t *p, pte_t v)
{
	volatile uint32_t *w = (volatile uint32_t *)p;

	/* Never expose a present entry with a stale high half. */
	w[0] = 0;
	w[1] = (uint32_t)(v >> 32);
	w[0] = (uint32_t)v;
}

/* Build the dynamic L1s, drop the boot identity map. */
void arch_paging_init(void);
/* Map the M2P read-only for guests at MACH2PHYS_VIRT_START. */
void arch_map_m2p(uint32_t *m2p_table, uint32_t pages);
/* Copy the hypervisor's slots into a guest top-level L2 (mapped at l2). */
void arch_install_hyp_slots(pte_t *l2);
/* Point GDT page i (0..15) of the running vCPU at machine frame mfn. */
void arch_set_gdt_frame(unsigned int i, uint32_t mfn, int writable);
/* Point GDT page i at the shared zero page (no guest descriptors). */
void arch_clear_gdt_frame(unsigned int i);
/* Point LDT window page i (0..15) at mfn, or at nothing (mfn 0). */
void arch_set_ldt_frame(unsigned int i, uint32_t mfn);
extern uint32_t gdt_zero_mfn;
/* Entry i of the GDT (0..15) and LDT (16..31) windows, as mapped now. */
pte_t arch_desc_window_pte(unsigned int i);
/* Map the local APIC's register frame, uncached, at LAPIC_VIRT. */
void arch_map_lapic(uint32_t mfn);

/* Transient mapping of any machine frame; undo with unmap_domain_page. */
void *map_domain_page(mfn_t mfn);
void unmap_domain_page(const void *va);

#endif
