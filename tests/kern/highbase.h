/*
 * highbase.h - for test kernels linked as Linux's and NetBSD's i386
 * kernels are: virtual address = 0xC0000000 + pseudo-physical address
 * (test_linux_like, test_netbsd_like).  Machine frames come from the p2m
 * (start_info.mfn_list, padded with INVALID entries up to a multiple of
 * the caller's choice, plus a small overflow for pfns past it, where
 * Linux's identity bit is honoured and pfns past everything are their own
 * frames, as in Linux), machine-to-pseudo-physical from the M2P.
 *
 * The verdict: HB_CHECK counts a failed check in hb_failures and goes on;
 * HB_OK and hb_bug() stop where the kernel replayed would panic, with the
 * FAILURE line; hb_finish() prints the verdict and powers off.
 */
#ifndef XYLEM_TEST_HIGHBASE_H
#define XYLEM_TEST_HIGHBASE_H

#include <stdbool.h>
#include <stdint.h>
#include "hypercall.h"
#include "lib.h"
#include <public/errno.h>
#include <public/memory.h>

#define PAGE_SIZE		4096u
#define HB_BASE			0xC0000000u
#define HB_VA(pa)		((uint32_t)(pa) + HB_BASE)
#define HB_PA(va)		((uint32_t)(va) - HB_BASE)
#define HYP_START		0xF5800000u
#define M2P			((const uint32_t *)HYP_START)

#define _PAGE_PRESENT		0x001ull
#define _PAGE_RW		0x002ull
#define _PAGE_USER		0x004ull
#define _PAGE_NX		(1ull << 63)
#define PTE_MFN_MASK		0x000ffffffffff000ull

#define IDENTITY_FRAME_BIT	0x40000000u	/* Linux's p2m marker */
#define INVALID_P2M		0xffffffffu

#define HB_CHECK(cond) do {						\
	if (!(cond)) {							\
		hb_failures++;						\
		hb_printf("check failed at %s:%d: %s\n", __FILE__,	\
			  __LINE__, #cond);				\
	}								\
} while (0)
#define HB_OK(call) do {						\
	long rc_ = (call);						\
	if (rc_ != 0)							\
		hb_bug(#call, rc_);					\
} while (0)

extern unsigned int hb_failures;
extern uint32_t *p2m, nr_pages, p2m_size;
extern uint64_t nx;			/* _PAGE_NX where the CPU has it */

void hb_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hb_power_off(void) __attribute__((noreturn));
void hb_bug(const char *what, long rc) __attribute__((noreturn));
void hb_finish(void) __attribute__((noreturn));

/* Take start_info's p2m, pad it to a multiple of align. */
void hb_p2m_init(const struct start_info *si, uint32_t align);
/* nx = _PAGE_NX if CPUID (plain, or Xen's filtered one by fep) has NX. */
void hb_detect_nx(bool fep);
uint32_t hb_pfn_to_mfn(uint32_t pfn);	/* INVALID_P2M, or the frame */
void hb_set_p2m(uint32_t pfn, uint32_t mfn);
uint32_t virt_to_mfn(const void *va);
uint64_t virt_to_machine(const void *va);
void *m2v(uint64_t entry);		/* the page an entry names */
uint64_t pfn_pte(uint32_t pfn, uint64_t flags);	/* 0 for no frame */
long mmuext1(uint32_t cmd, uint32_t arg1);
long mmu_update1(uint64_t ptr, uint64_t val);

#endif
