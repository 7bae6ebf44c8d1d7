/*
 * page.h - PAE paging bits and the hypervisor's virtual memory layout.
 *
 * Layout of the top 168 MiB of every address space (see docs/architecture.md):
 *   0xF5800000 - 0xF67FFFFF  read-only machine-to-physical table (guest-readable)
 *   0xF6800000 - 0xF680FFFF  the running vCPU's GDT (16 pages, 4 KiB mapped)
 *   0xF6810000 - 0xF681FFFF  the running vCPU's LDT (16 pages)
 *   0xF69FF000 - 0xF69FFFFF  the local APIC's registers (uncached)
 *   0xF7000000 - 0xF73FFFFF  mapcache: transient mappings of any frame
 *   0xFC000000 - 0xFFFFFFFF  direct map of machine memory 0 - 64 MiB
 *                            (hypervisor image at 0xFC100000, xenheap)
 * Everything from HYPERVISOR_VIRT_START up is supervisor-only except the M2P,
 * which is user-readable; guest segment limits end at MACH2PHYS_VIRT_END.
 */
#ifndef XYLEM_PAGE_H
#define XYLEM_PAGE_H

#define PAGE_SHIFT		12
#define PAGE_SIZE		4096u
#define PAGE_MASK		(~(PAGE_SIZE - 1))

#define DIRECTMAP_VIRT_START	0xFC000000u
#define DIRECTMAP_SIZE		0x04000000u	/* 64 MiB */
#define MAPCACHE_VIRT_START	0xF7000000u
#define MAPCACHE_SLOTS		1024u		/* two L1 tables */
#define GDT_VIRT_START		0xF6800000u
#define GDT_PAGES		16u
/* The running vCPU's LDT: right after the GDT window, in the same L1. */
#define LDT_VIRT_START		(GDT_VIRT_START + GDT_PAGES * PAGE_SIZE)
#define LDT_PAGES		16u		/* 8192 entries */
/* The local APIC's registers: the last page of that L1. */
#define LAPIC_VIRT		(GDT_VIRT_START + 511u * PAGE_SIZE)

#define HYP_L2_FIRST_SLOT	428u	/* (0xF5800000 - 0xC0000000) >> 21 */
#define L2_ENTRIES		512u
#define L1_ENTRIES		512u

/* PTE bits (PAE, 64-bit entries). */
#define _PAGE_PRESENT	0x001ull
#define _PAGE_RW	0x002ull
#define _PAGE_USER	0x004ull
#define _PAGE_PWT	0x008ull
#define _PAGE_PCD	0x010ull
#define _PAGE_ACCESSED	0x020ull
#define _PAGE_DIRTY	0x040ull
#define _PAGE_PSE	0x080ull
#define _PAGE_PAT	0x080ull	/* in an L1 entry */
#define _PAGE_GLOBAL	0x100ull
#define _PAGE_AVAIL	0xe00ull
#define _PAGE_NX	(1ull << 63)
#define PADDR_MASK	0x000ffffffffff000ull	/* 52-bit physical addresses */

#define L3_SHIFT	30
#define L2_SHIFT	21
#define L1_SHIFT	12
#define l3_index(va)	(((uint32_t)(va) >> L3_SHIFT) & 3)
#define l2_index(va)	(((uint32_t)(va) >> L2_SHIFT) & 511)
#define l1_index(va)	(((uint32_t)(va) >> L1_SHIFT) & 511)

#define __HYPERVISOR_CS	0xe008
#define __HYPERVISOR_DS	0xe010
#define __TSS_SEL	0xe038
#define __LDT_SEL	0xe040	/* the running vCPU's LDT, when it has one */

#endif
