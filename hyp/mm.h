/*
 * mm.h - machine memory: the frame allocator, the frame table and the
 * machine-to-physical table.
 *
 * Every machine frame below max_mfn has a struct page_info (pagetable.h)
 * recording its owner (a domain id, DOMID_XEN for the hypervisor, DOMID_IO
 * for what is not RAM or lies in the first MiB, DOMID_INVALID when free),
 * its type and its counts.  A frame allocated to a domain starts with one
 * reference, its "allocated" one; it returns to the allocator when its
 * last reference is dropped (pt_put_page).  Xenheap frames lie in the direct map (below 64 MiB) and are
 * addressed by virtual address; domheap frames are addressed by mfn and
 * reached through map_domain_page().  The M2P (m2p[mfn] = pfn, or
 * M2P_INVALID) is written only here and by MMU_MACHPHYS_UPDATE, and read by
 * guests at MACH2PHYS_VIRT_START.
 */
#ifndef XYLEM_MM_H
#define XYLEM_MM_H

#include <stdbool.h>
#include <stdint.h>
#include "multiboot.h"
#include "pagetable.h"
#include "types.h"
#include "arch/x86_32/page.h"
#include <public/memory.h>

#define M2P_INVALID	(~0u)


extern struct page_info *frame_table;
extern uint32_t max_mfn;
extern uint32_t *m2p;		/* writable alias of the M2P */

/* Reserve what the loader handed over, build the frame table and M2P. */
void mm_init(const struct multiboot_info *mbi);

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(uint32_t)(pa + DIRECTMAP_VIRT_START);
}

static inline uint32_t virt_to_phys(const void *va)
{
	return (uint32_t)va - DIRECTMAP_VIRT_START;
}

/* One zeroed hypervisor page (direct-mapped) or NULL. */
void *alloc_xenheap_page(void);
void free_xenheap_page(void *va);
/* n contiguous zeroed hypervisor pages, or NULL. */
void *alloc_xenheap_pages(uint32_t n);
void free_xenheap_pages(void *va, uint32_t n);
/*
 * Give the xenheap page at va to domid as a page it may map but that the
 * hypervisor keeps writing (shared_info, grant-table frames): owned by
 * domid with its allocation reference and a writable type reference held
 * for good, so it can never become a page table or descriptor page (as
 * Xen's share_xen_page_with_guest).  Freed when the domain's last
 * reference goes, like its other frames.
 */
void share_xenheap_page(void *va, uint16_t domid);
/* A zeroed frame now owned by domid (ref_count 1), or INVALID_MFN. */
mfn_t alloc_domheap_page(uint16_t domid);
/*
 * 2^order contiguous frames aligned to their size, all below 2^addr_bits
 * bytes (addr_bits 0: anywhere), owned by domid with one reference each and
 * zeroed; the first frame, or INVALID_MFN.
 */
mfn_t alloc_domheap_pages(uint16_t domid, unsigned int order,
			  unsigned int addr_bits);
void free_domheap_page(mfn_t mfn);
uint32_t mm_free_frames(void);
/* The boot loader's memory map (first MACHINE_MAP_MAX entries): its length. */
#define MACHINE_MAP_MAX	64
uint32_t mm_machine_map(const struct e820entry **map);

bool mfn_valid(mfn_t mfn);
static inline struct page_info *mfn_to_page(mfn_t mfn)
{
	return &frame_table[mfn_x(mfn)];
}

void set_m2p(mfn_t mfn, uint32_t pfn);

/*
 * An I/O frame the hypervisor drives itself (the local APIC): guests may
 * not map it, Dom0 included (pagetable.h's pt_env_io_reserved).
 */
void mm_reserve_io_frame(uint32_t mfn);

/* Flush the TLB if a mapping was dropped since the last flush. */
void mm_flush_if_pending(void);

/* Copy len bytes from machine address pa into dst (any RAM). */
void copy_from_machine(void *dst, uint64_t pa, uint32_t len);
/* Zero or fill a whole frame. */
void clear_frame(mfn_t mfn);

#endif
