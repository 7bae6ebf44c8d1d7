/*
 * linux_like.h - what the two halves of the test_linux_like kernel share:
 * the start of day (test_linux_like.c) and xen_memory_setup's E820, 1:1
 * and remap work with the ACPI lookup after it (test_linux_like_mem.c).
 *
 * Addresses, the p2m and the verdict are highbase.h's: the kernel's direct
 * map is PAGE_OFFSET (0xC0000000) plus the pseudo-physical address, and
 * the p2m is padded to whole pages of 1024 entries, as Linux pads it.
 */
#ifndef XYLEM_TEST_LINUX_LIKE_H
#define XYLEM_TEST_LINUX_LIKE_H

#include "highbase.h"

/* Linux's PTE flags for i386 PAE (no _PAGE_GLOBAL under Xen). */
#define PAGE_KERNEL		0x063ull
#define PAGE_KERNEL_RO		0x061ull
#define PAGE_KERNEL_EXEC	0x063ull
#define _PAGE_TABLE		0x067ull

#define P2M_PER_PAGE		1024u
#define FIXADDR_TOP		(HYP_START - PAGE_SIZE)	/* 0xF57FF000 */

extern uint32_t max_pfn_mapped;
extern uint64_t swapper_pg_dir[512], *swapper_kernel_pmd;

void *extend_brk(void);				/* a zeroed page */
/* The machine address of the L1 entry mapping va under L3 l3. */
uint64_t pte_maddr(const uint64_t *l3, uint32_t va);
void set_pte_mfn(const uint64_t *l3, void *va, uint32_t mfn, uint64_t flags);
/* A new L1 under swapper's kernel L2 for va: read-only, pinned, linked. */
void lx_populate_pmd(uint32_t va, uint64_t *l1);

/* test_linux_like_mem.c */
void lx_memory_setup(void);
void lx_remap(void);
void lx_acpi(void);

#endif
