/*
 * bench_cpu.c - a PV kernel that measures the paravirtual CPU paths with
 * rdtsc and prints "BENCH <name> <value> <unit>" lines (tests/bench/cpu.mk
 * boots it and collects them).
 *
 * Command line: "accel=kvm|tcg" (printed back as cpu_bench_kvm 1|0) and
 * "mode=pv|native".  mode=pv measures, each as the median over BATCHES
 * batches of the per-operation average:
 *   hypercall_null_cycles          xen_version(XENVER_version) round trip
 *   syscall_fastpath_cycles        ring 3 "int $0x80" through the direct
 *                                  gate, handler returns with "iret"
 *   syscall_bounced_cycles         the same with the entry's mask-events
 *                                  flag: every call enters the hypervisor
 *   syscall_bounced_iret_hypercall_cycles  bounced in, iret hypercall out
 *   int80_ring1_cycles             "int $0x80" from ring 1 itself through
 *                                  the direct gate (no ring change)
 *   pagefault_bounce_cycles        read of an unmapped page, the handler
 *                                  steps over it and irets
 *   mmu_update_batchN_cycles_per_entry  N = 1, 8, 64, 512 L1 updates per
 *                                  mmu_update call (a pinned L1 of ours)
 *   mmu_update_single_cycles_per_entry  512 calls of one update each
 *                                  (the N = 1 figure under its own name)
 * and the ratios syscall_bounced_over_fastpath and
 * mmu_update_single_over_batch512.  mode=native expects the hypervisor
 * option int80=native (vector 0x80 handled by a ring-0 "iret") and
 * measures only ring 3's "int $0x80" round trip as native_int80_cycles,
 * after checking that our own handler is never entered.
 * Under TCG the cycle counts only mean something relative to each other.
 */
#include "benchlib.h"
#include "guest.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "user.h"
#include <public/errno.h>

#define BATCHES		9u
#define ITERS		2000u
#define MMU_ENTRIES	512u
#define MMU_ROUNDS	8u	/* set+clear passes over 512 entries per batch */
#define UNMAPPED_VA	0x40000000u
#define SLOT_FILL	0u

volatile uint32_t sys_hits, pf_hits;
static uint64_t batch[BATCHES];	/* ring 3 writes here too */

void sys_iret_entry(void);
void sys_count_entry(void);
void sys_hypercall_entry(void);
void pf_skip_entry(void);

asm(".text\n"
    "sys_iret_entry:\n"
    "	iret\n"
    "sys_count_entry:\n"
    "	incl	%ss:sys_hits\n"
    "	iret\n"
    "sys_hypercall_entry:\n"
    "	" USER_IRET_HYPERCALL_ASM
    /* #PF on "movl UNMAPPED_VA, %ebx" (8b 1d imm32): 6 bytes. */
    "pf_skip_entry:\n"
    "	incl	pf_hits\n"
    "	addl	$4, %esp\n"
    "	addl	$6, (%esp)\n"
    "	iret\n");

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static void set_trap(uint8_t vec, uint8_t flags, void (*fn)(void))
{
	struct trap_info t[2] = {
		{ vec, flags, FLAT_KERNEL_CS, (uint32_t)fn },
		{ 0, 0, 0, 0 },
	};

	if (HYPERVISOR_set_trap_table(t))
		printf("bench: trap entry 0x%x refused\n", vec);
}

static uint64_t bench_hypercall(void)
{
	uint32_t b, i;
	uint64_t t;

	for (b = 0; b < BATCHES; b++) {
		t = rdtsc();
		for (i = 0; i < ITERS; i++)
			HYPERVISOR_xen_version(XENVER_version, NULL);
		batch[b] = rdtsc() - t;
	}
	return bench_median_per_op(batch, BATCHES, ITERS);
}

/* Runs in ring 3: BATCHES x ITERS system calls into batch[]. */
static uint32_t ring3_syscalls(uint32_t iters)
{
	uint32_t b, i;
	uint64_t t;

	for (b = 0; b < BATCHES; b++) {
		t = rdtsc();
		for (i = 0; i < iters; i++)
			asm volatile("int $0x80" : : : "memory");
		batch[b] = rdtsc() - t;
	}
	return 0;
}

static uint64_t bench_syscall(uint8_t flags, void (*handler)(void))
{
	set_trap(0x80, flags, handler);
	user_run(ring3_syscalls, ITERS);
	return bench_median_per_op(batch, BATCHES, ITERS);
}

static uint64_t bench_int80_ring1(void)
{
	set_trap(0x80, 3, sys_iret_entry);
	ring3_syscalls(ITERS);		/* called in ring 1 this time */
	return bench_median_per_op(batch, BATCHES, ITERS);
}

static uint64_t bench_pagefault(void)
{
	uint32_t b, i;
	uint64_t t;

	set_trap(14, 0, pf_skip_entry);
	pf_hits = 0;
	for (b = 0; b < BATCHES; b++) {
		t = rdtsc();
		for (i = 0; i < ITERS; i++)
			asm volatile("movl %c0, %%ebx" : : "i"(UNMAPPED_VA) : "ebx", "memory");
		batch[b] = rdtsc() - t;
	}
	if (pf_hits != BATCHES * ITERS) {
		printf("bench: 0x%x did not fault every time (%u)\n",
		       UNMAPPED_VA, pf_hits);
		return 0;
	}
	return bench_median_per_op(batch, BATCHES, ITERS);
}

/* One pass: entries [0, 512) set to val, n per mmu_update call. */
static int mmu_pass(uint32_t l1_mfn, uint64_t val, uint32_t n)
{
	static struct mmu_update req[MMU_ENTRIES];
	uint32_t i, done;
	long rc;

	for (i = 0; i < MMU_ENTRIES; i++) {
		req[i].ptr = ((uint64_t)l1_mfn << 12) + i * 8 + MMU_NORMAL_PT_UPDATE;
		req[i].val = val;
	}
	for (i = 0; i < MMU_ENTRIES; i += n) {
		rc = HYPERVISOR_mmu_update(&req[i], n, &done, DOMID_SELF);
		if (rc)
			return (int)rc;
	}
	return 0;
}

static uint64_t bench_mmu(uint32_t l1_mfn, uint64_t pte, uint32_t n)
{
	uint32_t b, r;
	uint64_t t;

	for (b = 0; b < BATCHES; b++) {
		t = rdtsc();
		for (r = 0; r < MMU_ROUNDS; r++) {
			if (mmu_pass(l1_mfn, pte, n) || mmu_pass(l1_mfn, 0, n)) {
				printf("bench: mmu_update failed\n");
				return 0;
			}
		}
		batch[b] = rdtsc() - t;
	}
	return bench_median_per_op(batch, BATCHES, MMU_ROUNDS * 2 * MMU_ENTRIES);
}

/* A zeroed frame of ours pinned as an L1 (hooked into no L2). */
static int make_l1(uint32_t *mfn)
{
	uint32_t pfn;
	int rc = mm_alloc_pfn(&pfn);

	if (!rc)
		rc = mm_map_pfn(SLOT_FILL, pfn, true);
	if (rc)
		return rc;
	memset((void *)mm_window_va(SLOT_FILL), 0, MM_PAGE_SIZE);
	rc = mm_unmap(SLOT_FILL);
	*mfn = pfn_to_mfn(pfn);
	return rc ? rc : mm_pin(1, *mfn);
}

static void run_mmu(void)
{
	static const uint32_t sizes[] = { 1, 8, 64, 512 };
	uint64_t pte = mm_make_entry(virt_to_mfn((uint32_t)batch & ~0xfffu), MM_PTE_RO);
	uint64_t single = 0, batch512 = 0, v;
	uint32_t l1_mfn, i;
	char name[64];

	if (make_l1(&l1_mfn)) {
		printf("bench: no L1 for the mmu_update figures\n");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		v = bench_mmu(l1_mfn, pte, sizes[i]);
		snprintf(name, sizeof(name), "mmu_update_batch%u_cycles_per_entry",
			 sizes[i]);
		bench_print(name, v, "cycles");
		if (sizes[i] == 1)
			single = v;	/* 512 calls of one update each */
		if (sizes[i] == 512)
			batch512 = v;
	}
	bench_print("mmu_update_single_cycles_per_entry", single, "cycles");
	bench_print_ratio("mmu_update_single_over_batch512", single, batch512);
	mm_unpin(l1_mfn);
}

static void run_pv(void)
{
	uint64_t fast, bounced;

	bench_print("hypercall_null_cycles", bench_hypercall(), "cycles");
	fast = bench_syscall(3, sys_iret_entry);
	bench_print("syscall_fastpath_cycles", fast, "cycles");
	bounced = bench_syscall(3 | 4, sys_iret_entry);
	bench_print("syscall_bounced_cycles", bounced, "cycles");
	bench_print_ratio("syscall_bounced_over_fastpath", bounced, fast);
	bench_print("syscall_bounced_iret_hypercall_cycles",
		    bench_syscall(3 | 4, sys_hypercall_entry), "cycles");
	bench_print("int80_ring1_cycles", bench_int80_ring1(), "cycles");
	bench_print("pagefault_bounce_cycles", bench_pagefault(), "cycles");
	run_mmu();
}

/* int80=native: our handler must never run. */
static void run_native(void)
{
	uint64_t v;

	sys_hits = 0;
	v = bench_syscall(3, sys_count_entry);
	if (sys_hits) {
		printf("bench: int $0x80 reached the guest %u times: "
		       "the hypervisor was not booted with int80=native\n", sys_hits);
		return;
	}
	bench_print("native_int80_cycles", v, "cycles");
}

void kernel_main(struct start_info *si)
{
	char cmdline[MAX_GUEST_CMDLINE];

	strlcpy(cmdline, (const char *)si->cmd_line, sizeof(cmdline));
	if (user_init()) {
		printf("bench: cannot set up ring 3\n");
		return;
	}
	printf("BENCH cpu_bench_kvm %u bool\n", bench_has_arg(cmdline, "accel=kvm"));
	if (bench_has_arg(cmdline, "mode=native"))
		run_native();
	else
		run_pv();
}
