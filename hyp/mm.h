/*
 * mm.h - machine memory: the frame allocator, the frame table and the
 * machine-to-physical table.
 *
 * Every machine frame below max_mfn has a struct page_info recording its
 * owner (a domain id, DOMID_XEN for the hypervisor, DOMID_INVALID when
 * free).  Xenheap frames lie in the direct map (below 64 MiB) and are
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
#include "types.h"
#include "arch/x86_32/page.h"

#define M2P_INVALID	(~0u)

struct page_info {
	uint16_t owner;		/* domid_t, DOMID_XEN, or DOMID_INVALID */
	uint8_t type;		/* enum page_type (frame-table rules, issue 3) */
	uint8_t flags;
	uint32_t type_count;
	uint32_t ref_count;
};

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
/* A zeroed frame now owned by domid, or INVALID_MFN when none is left. */
mfn_t alloc_domheap_page(uint16_t domid);
void free_domheap_page(mfn_t mfn);
uint32_t mm_free_frames(void);

bool mfn_valid(mfn_t mfn);
static inline struct page_info *mfn_to_page(mfn_t mfn)
{
	return &frame_table[mfn_x(mfn)];
}

void set_m2p(mfn_t mfn, uint32_t pfn);

/* Copy len bytes from machine address pa into dst (any RAM). */
void copy_from_machine(void *dst, uint64_t pa, uint32_t len);
/* Zero or fill a whole frame. */
void clear_frame(mfn_t mfn);

#endif
