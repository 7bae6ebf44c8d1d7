/*
 * segtest.h - what the descriptor-table tests (test_cpu_gdt, test_cpu_ldt)
 * share: a #GP handler that counts faults, records the error code and
 * skips gp_skip bytes of the faulting instruction; descriptor building;
 * loading a selector into %ds to read through it; lsl; filling a frame.
 * Include once, from the test's only source file, after ktest.h and mm.h.
 */
#ifndef XYLEM_TESTS_SEGTEST_H
#define XYLEM_TESTS_SEGTEST_H

volatile uint32_t gp_hits, gp_err, gp_skip;

void gp_entry(void);

asm(".text\n"
    "gp_entry:\n"
    "	incl	gp_hits\n"
    "	popl	gp_err\n"
    "	pushl	%eax\n"
    "	movl	gp_skip, %eax\n"
    "	addl	%eax, 4(%esp)\n"
    "	popl	%eax\n"
    "	iret\n");

/* A code/data descriptor, 4 KiB-granular and 32-bit. */
static inline uint64_t make_desc(uint32_t base, uint32_t limit, uint32_t access)
{
	return (uint64_t)(limit & 0xffff) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)access << 40) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
	       (0xcull << 52) | ((uint64_t)(base >> 24) << 56);
}

/* Load sel into %ds and read offset off through it; 0 if it faulted. */
static inline uint32_t read_at(uint32_t sel, uint32_t off)
{
	uint32_t v = 0, gps = gp_hits;

	gp_skip = 2;	/* mov %eax, %ds */
	asm volatile("movl %%eax, %%ds\n"
		     "movl (%%ebx), %%ecx\n"
		     "movl %%edx, %%ds\n"
		     : "+c"(v) : "a"(sel), "b"(off), "d"(FLAT_KERNEL_DS)
		     : "memory");
	return gp_hits == gps ? v : 0;	/* faulted: read through flat %ds */
}

static inline uint32_t lsl(uint32_t sel)
{
	uint32_t limit = 0;

	asm volatile("lsl %1, %0" : "+r"(limit) : "r"(sel) : "cc");
	return limit;
}

/* Zero frame pfn (through window slot) and put n descriptors at its start. */
static inline void fill_frame_at(unsigned int slot, uint32_t pfn,
				 const uint64_t *descs, unsigned int n)
{
	uint64_t *page = (uint64_t *)mm_window_va(slot);

	KCHECK_EQ(mm_map_pfn(slot, pfn, true), 0);
	memset(page, 0, MM_PAGE_SIZE);
	memcpy(page, descs, n * sizeof(*descs));
	KCHECK_EQ(mm_unmap(slot), 0);
}

#endif
