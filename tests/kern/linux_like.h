/*
 * linux_like.h - what the two halves of the test_linux_like kernel share:
 * the start of day (test_linux_like.c) and xen_memory_setup's E820, 1:1
 * and remap work with the ACPI lookup after it (test_linux_like_mem.c).
 *
 * Addresses are Linux's: the kernel's direct map is PAGE_OFFSET
 * (0xC0000000) plus the pseudo-physical address; machine frames come from
 * the p2m (start_info.mfn_list, padded to whole pages, plus a small
 * overflow for pfns past it), machine-to-pseudo-physical from the M2P.
 * The verdict: LX_CHECK counts a failed check in lx_failures and goes on;
 * LX_OK and lx_bug() stop where Linux would BUG(), with the FAILURE line.
 */
#ifndef XYLEM_TEST_LINUX_LIKE_H
#define XYLEM_TEST_LINUX_LIKE_H

#include <stdbool.h>
#include <stdint.h>
#include "hypercall.h"
#include "lib.h"
#include <public/errno.h>
#include <public/memory.h>

#define PAGE_SIZE		4096u
#define LX_PAGE_OFFSET		0xC0000000u
#define LX_VA(pa)		((uint32_t)(pa) + LX_PAGE_OFFSET)
#define LX_PA(va)		((uint32_t)(va) - LX_PAGE_OFFSET)
#define HYP_START		0xF5800000u
#define M2P			((const uint32_t *)HYP_START)

/* Linux's PTE flags for i386 PAE (no _PAGE_GLOBAL under Xen). */
#define _PAGE_PRESENT		0x001ull
#define _PAGE_RW		0x002ull
#define _PAGE_USER		0x004ull
#define PAGE_KERNEL		0x063ull
#define PAGE_KERNEL_RO		0x061ull
#define PAGE_KERNEL_EXEC	0x063ull
#define _PAGE_TABLE		0x067ull
#define _PAGE_NX		(1ull << 63)
#define PTE_MFN_MASK		0x000ffffffffff000ull

#define IDENTITY_FRAME_BIT	0x40000000u
#define INVALID_P2M		0xffffffffu
#define P2M_PER_PAGE		1024u
#define FIXADDR_TOP		(HYP_START - PAGE_SIZE)	/* 0xF57FF000 */

#define LX_CHECK(cond) do {						\
	if (!(cond)) {							\
		lx_failures++;						\
		lx_printf("check failed at line %d: %s\n", __LINE__,	\
			  #cond);					\
	}								\
} while (0)
#define LX_OK(call) do {						\
	long rc_ = (call);						\
	if (rc_ != 0)							\
		lx_bug(#call, rc_);					\
} while (0)

extern unsigned int lx_failures;
extern uint32_t *p2m, nr_pages, p2m_size, max_pfn_mapped;
extern uint64_t nx;
extern uint64_t swapper_pg_dir[512], *swapper_kernel_pmd;

void lx_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lx_bug(const char *what, long rc) __attribute__((noreturn));

uint32_t lx_pfn_to_mfn(uint32_t pfn);	/* INVALID_P2M, or the frame */
void lx_set_p2m(uint32_t pfn, uint32_t mfn);
uint32_t virt_to_mfn(const void *va);
uint64_t pfn_pte(uint32_t pfn, uint64_t flags);	/* 0 for no frame */
void *extend_brk(void);				/* a zeroed page */
long mmuext1(uint32_t cmd, uint32_t arg1);
long mmu_update1(uint64_t ptr, uint64_t val);
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
