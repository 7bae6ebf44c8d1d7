/*
 * test_cpu_xsetbv.c - a kernel's XSETBV (emulated, as on Xen) and the
 * state components past SSE.  NetBSD's Xen kernels read the plain CPUID
 * and, finding XSAVE and OSXSAVE, write XCR0 with XSETBV.  With two vCPUs:
 *  - refused with a #GP for the kernel's handler, XCR0 unchanged: x87 off
 *    (0 and 2), AVX without SSE (5), a component not offered (MPX, 0x1b),
 *    ECX 1, EDX nonzero;
 *  - accepted: 1 and 3 (also with the kernel's virtual CR0.TS set), and,
 *    where the CPU has AVX, 7: XGETBV then reads 7 and CPUID 0xD sizes
 *    the area for it (832 bytes);
 *  - vCPU 0 leaves its own value in ymm1 and starts vCPU 1, whose XCR0 is
 *    still 3; when vCPU 1 turns AVX on, ymm1's upper half is zero, not
 *    vCPU 0's (every component is switched, even one a vCPU leaves off);
 *  - both then set ymm1 and yield, 40 times each: each reads back its own
 *    256 bits, in at least 20 of the 80 rounds with the other's loaded in
 *    between.
 * On a CPU without XSAVE (cpu_xsetbv_noxsave, QEMU's xsave=off) XGETBV
 * and XSETBV are the CPU's #UD, a second vCPU starts with xmm1 zero, and
 * the two keep their own xmm1 through the same rounds (fxsave switching).
 */
#include "ktest.h"
#include "mm.h"
#include "vcpu.h"
#include "xstate_test.h"

#define XCR0_AVX	7u
#define AVX_AREA	832u
#define ROUNDS		40u

volatile uint32_t gp_hits, ud_hits;

void gp_entry(void);
void ud_entry(void);

/* #GP and #UD: count them, step over the 3-byte xsetbv/xgetbv. */
asm(".text\n"
    "gp_entry:\n"
    "	incl	gp_hits\n"
    "	addl	$4, %esp\n"
    "	addl	$3, (%esp)\n"
    "	iret\n"
    "ud_entry:\n"
    "	incl	ud_hits\n"
    "	addl	$3, (%esp)\n"
    "	iret\n");

static const struct trap_info table[] = {
	{ 6, 0, FLAT_KERNEL_CS, (uint32_t)ud_entry },
	{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_entry },
	{ 0, 0, 0, 0 },
};

/* XSETBV: how many #GPs it took. */
static uint32_t xsetbv_faults(uint32_t ecx, uint32_t edx, uint32_t eax)
{
	uint32_t before = gp_hits;

	asm volatile("xsetbv" : : "c"(ecx), "a"(eax), "d"(edx) : "memory");
	return gp_hits - before;
}

static void check_refusals(void)
{
	static const uint32_t bad[] = { 0, 2, 5, 0x1b };
	uint32_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		KCHECK_EQ(xsetbv_faults(0, 0, bad[i]), 1);
		KCHECK_EQ(xt_xcr0(), 3);
	}
	KCHECK_EQ(xsetbv_faults(1, 0, 3), 1);
	KCHECK_EQ(xsetbv_faults(0, 1, 3), 1);
	KCHECK_EQ(xt_xcr0(), 3);
	KCHECK_EQ(xsetbv_faults(0, 0, 1), 0);	/* x87 alone is valid */
	KCHECK_EQ(xt_xcr0(), 1);
	/* Under the kernel's own CR0.TS too: XSETBV does not look at it. */
	KCHECK_EQ(hypercall(__HYPERVISOR_fpu_taskswitch, 1, 0, 0, 0, 0), 0);
	KCHECK_EQ(xsetbv_faults(0, 0, 3), 0);
	KCHECK_EQ(hypercall(__HYPERVISOR_fpu_taskswitch, 0, 0, 0, 0, 0), 0);
	KCHECK_EQ(xt_xcr0(), 3);
	printf("xsetbv: 6 bad values refused, 1 and 3 taken\n");
}

static void set_ymm1(uint32_t pattern)
{
	uint32_t v[8], i;

	for (i = 0; i < 8; i++)
		v[i] = pattern ^ (i * 0x01010101u);
	asm volatile("vmovdqu %0, %%ymm1" : : "m"(v));
}

/* ymm1 as set_ymm1 left it: its pattern; 0 if all zero; else ~0. */
static uint32_t get_ymm1(uint32_t *upper_or)
{
	uint32_t v[8], i, or = 0;

	asm volatile("vmovdqu %%ymm1, %0" : "=m"(v));
	for (i = 4; i < 8; i++)
		or |= v[i];
	if (upper_or)
		*upper_or = or;
	for (i = 0; i < 8; i++)
		if (v[i] != (v[0] ^ (i * 0x01010101u)))
			return ~0u;
	return v[0];
}

/* Without XSAVE the rounds use xmm1 (SSE, switched with fxsave). */
static bool avx;

static void set_xmm1(uint32_t pattern)
{
	uint32_t v[4] = { pattern, pattern ^ 0x01010101u,
			  pattern ^ 0x02020202u, pattern ^ 0x03030303u };

	asm volatile("movdqu %0, %%xmm1" : : "m"(v));
}

static uint32_t get_xmm1(void)
{
	uint32_t v[4], i;

	asm volatile("movdqu %%xmm1, %0" : "=m"(v));
	for (i = 0; i < 4; i++)
		if (v[i] != (v[0] ^ (i * 0x01010101u)))
			return ~0u;
	return v[0];
}

#define PATTERN(cpu, i)	(0x10000000u * ((cpu) + 1) + (i))

static volatile uint32_t last_setter, crossed;

static uint32_t rounds(unsigned int cpu)
{
	uint32_t i, bad = 0, got;

	for (i = 0; i < ROUNDS; i++) {
		if (avx)
			set_ymm1(PATTERN(cpu, i));
		else
			set_xmm1(PATTERN(cpu, i));
		last_setter = cpu;
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		if (last_setter != cpu)
			crossed++;
		got = avx ? get_ymm1(NULL) : get_xmm1();
		if (got != PATTERN(cpu, i))
			bad++;
	}
	return bad;
}

static uint8_t second_stack[8192] __attribute__((aligned(16)));
static volatile uint32_t second_done, second_bad, second_xcr0;
static volatile uint32_t second_upper = ~0u, second_faults = ~0u;

static void on_second_vcpu(void *unused)
{
	uint32_t upper;

	(void)unused;
	if (avx) {
		second_xcr0 = xt_xcr0();
		second_faults = xsetbv_faults(0, 0, XCR0_AVX);
		get_ymm1(&upper);
		second_upper = upper;
	} else {
		uint32_t v[4];

		asm volatile("movdqu %%xmm1, %0" : "=m"(v));
		second_upper = v[0] | v[1] | v[2] | v[3];	/* all of it */
	}
	second_bad = rounds(1);
	second_done = 1;
}

/* vCPU 0 and 1 set their register and yield, ROUNDS times each. */
static void check_two_vcpus(void)
{
	uint32_t spins;

	KCHECK_EQ(vcpu_start(1, on_second_vcpu, NULL, second_stack,
			     sizeof(second_stack)), 0);
	KCHECK_EQ(rounds(0), 0);
	for (spins = 0; !second_done && spins < 100000; spins++)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	KCHECK(second_done);
	KCHECK_EQ(second_upper, 0);	/* not vCPU 0's */
	KCHECK_EQ(second_bad, 0);
	KCHECK(crossed >= ROUNDS / 2);
}

static void check_avx(void)
{
	uint32_t r[4];

	avx = true;
	KCHECK_EQ(xsetbv_faults(0, 0, XCR0_AVX), 0);
	KCHECK_EQ(xt_xcr0(), XCR0_AVX);
	ktest_cpuid(0xd, 0, r);
	KCHECK_EQ(r[1], AVX_AREA);
	set_ymm1(0xfeedf00d);
	KCHECK_EQ(get_ymm1(NULL), 0xfeedf00d);
	check_two_vcpus();
	KCHECK_EQ(second_xcr0, 3);	/* XCR0 is per vCPU */
	KCHECK_EQ(second_faults, 0);
	printf("xsetbv: AVX on, two vCPUs, %u rounds each (%u crossed), "
	       "each kept its own ymm1\n", ROUNDS, crossed);
}

/* A CPU without XSAVE (QEMU's xsave=off): XGETBV and XSETBV are the
 * CPU's #UD, and the state is switched with fxsave. */
static void check_no_xsave(void)
{
	uint32_t lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	KCHECK_EQ(ud_hits, 1);
	KCHECK_EQ(xsetbv_faults(0, 0, 3), 0);
	KCHECK_EQ(ud_hits, 2);
	set_xmm1(0xfeedf00d);
	check_two_vcpus();
	printf("xsetbv: no XSAVE: XGETBV and XSETBV #UD; two vCPUs, %u rounds "
	       "each (%u crossed), each kept its own xmm1\n", ROUNDS, crossed);
}

void kernel_main(struct start_info *si)
{
	uint32_t r[4];

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	ktest_cpuid(1, 0, r);
	if (!(r[2] & (3u << 26))) {		/* neither XSAVE nor OSXSAVE */
		check_no_xsave();
		ktest_finish();
	}
	KCHECK((r[2] & (3u << 26)) == (3u << 26));	/* XSAVE, OSXSAVE */
	if (ktest_failures)
		ktest_finish();
	check_refusals();
	ktest_cpuid(0xd, 0, r);
	if (!(r[0] & 4))
		printf("xsetbv: the CPU has no AVX state (this test wants "
		       "-cpu max)\n");
	KCHECK(r[0] & 4);
	if (!ktest_failures)
		check_avx();
	ktest_finish();
}
