/*
 * mm.h - memory management for a Xylem PV kernel: the P2M and M2P, a
 * window of virtual pages through which any frame can be mapped, a frame
 * allocator for the pfns past the boot region, the machine address of the
 * PTE that maps a virtual address, and building a whole new address space.
 *
 * Call mm_init() once start_info is set.  It hooks the window's L1 (a
 * kernel page, from then on mapped read-only at its own address) into
 * entry MM_WINDOW_L2_SLOT of the top L2, and finds where the boot region
 * ends by looking at which L1s exist.  Virtual address == pfn << 12 in the
 * boot region (the kernel is linked for VIRT_BASE 0).  If mm_init() fails
 * (it prints why) nothing else here may be used.
 *
 * Invariants:
 *  - mm_current_l3() is the L3 the hypervisor uses as our base pointer:
 *    start_info->pt_base's frame until mm_switch_to() moves it;
 *  - every address space built here shares the window L1, so window
 *    mappings survive a switch;
 *  - a pfn handed out by mm_alloc_pfn() lies past the boot region, has a
 *    frame, and is mapped nowhere (give it back unmapped).
 * Operations return 0 or a negative XEN_E* code.
 */
#ifndef XYLEM_GUEST_MM_H
#define XYLEM_GUEST_MM_H

#include <stdbool.h>
#include <stdint.h>
#include <public/xen.h>

#define MM_PAGE_SIZE		4096u
#define MM_INVALID_MFN		(~0u)
#define MM_INVALID_PFN		(~0u)

/* PAE entry bits (Intel SDM vol. 3, 4.4). */
#define _PAGE_PRESENT		0x001ull
#define _PAGE_RW		0x002ull
#define _PAGE_USER		0x004ull
#define _PAGE_PCD		0x010ull
#define _PAGE_ACCESSED		0x020ull
#define _PAGE_DIRTY		0x040ull
#define _PAGE_PSE		0x080ull
#define _PAGE_GLOBAL		0x100ull
#define MM_PTE_RO		(_PAGE_PRESENT | _PAGE_ACCESSED)
#define MM_PTE_RW		(MM_PTE_RO | _PAGE_RW | _PAGE_DIRTY)

static inline uint32_t mm_entry_mfn(uint64_t e)
{
	return (uint32_t)((e & 0x000ffffffffff000ull) >> 12);
}

static inline uint64_t mm_make_entry(uint32_t mfn, uint64_t flags)
{
	return ((uint64_t)mfn << 12) | flags;
}

/* The window: 2 MiB just below HYPERVISOR_VIRT_START, one L1's worth. */
#define MM_WINDOW_BASE		0xF5600000u
#define MM_WINDOW_L2_SLOT	427u	/* of the top L2 */
#define MM_WINDOW_USER_SLOTS	500u	/* 0..499 for callers, the rest ours */

int mm_init(void);

/* P2M (start_info->mfn_list) and M2P (MACH2PHYS_VIRT_START) lookups. */
uint32_t pfn_to_mfn(uint32_t pfn);		/* MM_INVALID_MFN past nr_pages */
void mm_set_p2m(uint32_t pfn, uint32_t mfn);	/* ignored past nr_pages */
uint32_t mfn_to_pfn(uint32_t mfn);		/* MM_INVALID_PFN past RAM */
/* For the boot region and the window; MM_INVALID_MFN elsewhere. */
uint32_t virt_to_mfn(uint32_t va);
uint32_t mm_nr_pages(void);
uint32_t mm_max_ram_page(void);
uint32_t mm_boot_region_end(void);		/* first address past it */
/* A RAM frame from 0x100 up whose M2P entry names a pfn whose P2M entry
 * is another frame: another domain's, for probing; 0 if none. */
uint32_t mm_someone_elses_frame(void);
/* A frame number above 16 MiB, at most the top of RAM, that no pfn of
 * ours maps, searched from the top down (free, another domain's, or a
 * hole in RAM); MM_INVALID_MFN if none. */
uint32_t mm_frame_not_ours(void);

/* The L3 in use, and the machine address of the L1 entry mapping va. */
uint32_t mm_current_l3(void);
int mm_pte_maddr(uint32_t va, uint64_t *maddr);
/* Entry index of the frame table_mfn, read through the window. */
int mm_read_entry(uint32_t table_mfn, unsigned int index, uint64_t *entry);

/* Pfns past the boot region, from the top of memory downward. */
int mm_alloc_pfn(uint32_t *pfn);

/*
 * The scratch area: our own frames mapped writable and contiguous from
 * MM_SCRATCH_BASE, for work that needs one flat buffer of megabytes
 * (unpacking a compressed DomU kernel).  mm_scratch() makes at least
 * `bytes` of it usable (grown in 2 MiB steps, up to MM_SCRATCH_MAX) and
 * returns its base; it stays mapped for reuse.  -XEN_ENOMEM when our free
 * frames do not suffice (what was mapped stays), -XEN_E2BIG past the
 * maximum, -XEN_EBUSY if something else is mapped there.
 */
#define MM_SCRATCH_BASE		0x20000000u	/* L3 slot 0, L2 entries 256.. */
#define MM_SCRATCH_MAX		(64u << 20)
int mm_scratch(uint32_t bytes, void **base);
/* memory_op increase/decrease_reservation or populate_physmap on our own
 * reservation: the number of extents done, or a negative XEN_E* code. */
long mm_reservation_change(uint32_t cmd, uint32_t *extents, uint32_t n,
			   uint32_t order);
void mm_free_pfn(uint32_t pfn);

/* Window slot 0..MM_WINDOW_USER_SLOTS-1. */
uint32_t mm_window_va(unsigned int slot);
int mm_map_mfn(unsigned int slot, uint32_t mfn, bool writable);
int mm_map_pfn(unsigned int slot, uint32_t pfn, bool writable);
int mm_unmap(unsigned int slot);
/* A slot's current L1 entry, read from the window L1 itself. */
uint64_t mm_window_entry(unsigned int slot);
/* The shared_info page, mapped writable (sets shared_info_page). */
struct shared_info *mm_map_shared_info(void);

/* MMUEXT requests for one table or the TLB. */
int mm_pin(unsigned int level, uint32_t mfn);
int mm_unpin(uint32_t mfn);
int mm_flush_tlb(void);
int mm_invlpg(uint32_t va);

/*
 * An address space built by mm_space_build(): a fresh L3, a fresh L2 for
 * each L2 the current one has, and a fresh L1 for each L1 they point at
 * (copies, so the same mappings), except the shared window L1.
 */
#define MM_SPACE_MAX_L1		64u
struct mm_space {
	uint32_t l3_pfn;
	uint32_t l2_pfn[4];	/* MM_INVALID_PFN where the slot is empty */
	uint32_t nr_l1;
	uint32_t l1_pfn[MM_SPACE_MAX_L1];
};

/* Build a copy of the current address space and pin its L3. */
int mm_space_build(struct mm_space *s);
uint32_t mm_space_l3(const struct mm_space *s);
/* MMUEXT_NEW_BASEPTR to l3_mfn (a pinned or valid L3). */
int mm_switch_to(uint32_t l3_mfn);
/* Unpin s's L3 (it must not be in use) and give its frames back. */
int mm_space_release(struct mm_space *s);
/* Build s, switch to it and unpin the L3 we ran on before. */
int mm_replace_address_space(struct mm_space *s);

#endif
