/*
 * test_cpu_xsave.c - XSAVE as a guest finds it with the plain CPUID
 * instruction, which ring 1 executes without the hypervisor (no CPUID
 * faulting under TCG; Debian's GNU Mach reads it so and then uses
 * XSAVEOPT).  Where the CPU has XSAVE:
 *  - the plain CPUID shows XSAVE with OSXSAVE, and XGETBV reads XCR0 as
 *    x87 | SSE (3), whose area CPUID 0xD gives as 576 bytes;
 *  - XSAVE stores an SSE register and XRSTOR brings it back, XSTATE_BV
 *    naming nothing past SSE; XSAVEOPT (where the CPU has it) stores it
 *    too;
 *  - a second vCPU starts with a clean FPU (xmm1 zero, MXCSR 0x1f80,
 *    FCW 0x37f), not with the first one's xmm1;
 *  - with two vCPUs switching between yields, each one's XSAVE and
 *    XSAVEOPT store its own register, never the other's: under TCG
 *    they ignore CR0.TS, so only eager switching (fpu.h) gets this
 *    right.
 * The filtered CPUID (forced emulation) still shows no XSAVE: `traps`.
 * XSETBV and the other components: `cpu_xsetbv`.
 */
#include "ktest.h"
#include "mm.h"
#include "vcpu.h"
#include "xstate_test.h"

#define CPUID1_XSAVE	(1u << 26)
#define CPUID1_OSXSAVE	(1u << 27)
#define XCR0_X87_SSE	3u
#define AREA_SIZE	576u	/* legacy 512 + header 64 */
#define AREA_XMM1	176u	/* xmm1 in the legacy area */
#define AREA_XSTATE_BV	512u

struct area {
	uint8_t b[AREA_SIZE];
} __attribute__((aligned(64)));

static void set_xmm1(uint32_t pattern)
{
	uint32_t v[4] = { pattern, ~pattern, pattern ^ 0x5a5a5a5a, 1 };

	asm volatile("movdqu %0, %%xmm1" : : "m"(v));
}

static uint32_t get_xmm1(void)
{
	uint32_t v[4];

	asm volatile("movdqu %%xmm1, %0" : "=m"(v));
	return v[1] == ~v[0] && v[2] == (v[0] ^ 0x5a5a5a5a) && v[3] == 1 ?
	       v[0] : 0;
}

static uint32_t area_xmm1(const struct area *a)
{
	uint32_t v[4];

	memcpy(v, a->b + AREA_XMM1, sizeof(v));
	return v[1] == ~v[0] && v[3] == 1 ? v[0] : 0;
}

/* Save with all of XCR0 requested; opt: XSAVEOPT instead of XSAVE. */
static void save(struct area *a, bool opt)
{
	if (opt)
		asm volatile("xsaveopt %0" : "+m"(*a) : "a"(~0u), "d"(~0u));
	else
		asm volatile("xsave %0" : "+m"(*a) : "a"(~0u), "d"(~0u));
}

static bool have_xsaveopt(void)
{
	uint32_t r[4];

	ktest_cpuid(0xd, 1, r);
	return r[0] & 1;
}

static void check_round_trip(void)
{
	static struct area a;
	uint64_t bv;

	memset(&a, 0, sizeof(a));
	set_xmm1(0x11223344);
	save(&a, false);
	KCHECK_EQ(area_xmm1(&a), 0x11223344);
	memcpy(&bv, a.b + AREA_XSTATE_BV, sizeof(bv));
	KCHECK_EQ64(bv & ~(uint64_t)XCR0_X87_SSE, 0);
	KCHECK(bv & 2);				/* SSE state stored */
	set_xmm1(0x55667788);
	asm volatile("xrstor %0" : : "m"(a), "a"(~0u), "d"(~0u));
	KCHECK_EQ(get_xmm1(), 0x11223344);
	if (have_xsaveopt()) {
		set_xmm1(0x99aabbcc);
		save(&a, true);
		KCHECK_EQ(area_xmm1(&a), 0x99aabbcc);
		printf("xsave: XSAVEOPT stores xmm1 too\n");
	}
	printf("xsave: XSAVE/XRSTOR round trip of xmm1 ok\n");
}

/* Each vCPU sets its own xmm1, yields, and saves; ROUNDS times. */
#define ROUNDS		40u
#define PATTERN(cpu, i)	(0x10000000u * ((cpu) + 1) + (i))

static uint8_t second_stack[8192] __attribute__((aligned(16)));
static volatile uint32_t second_done, second_bad;

/*
 * Which vCPU last loaded its pattern, and in how many rounds the other
 * one loaded its own between a vCPU's load and its save: only those
 * rounds test anything, and there must be many.
 */
static volatile uint32_t last_setter, crossed;

static uint32_t save_rounds(unsigned int cpu)
{
	static struct area areas[2];
	struct area *a = &areas[cpu];
	uint32_t i, bad = 0;
	bool opt = have_xsaveopt();

	for (i = 0; i < ROUNDS; i++) {
		set_xmm1(PATTERN(cpu, i));
		last_setter = cpu;
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		if (last_setter != cpu)
			crossed++;
		save(a, opt && (i & 1));
		if (area_xmm1(a) != PATTERN(cpu, i))
			bad++;
		asm volatile("xrstor %0" : : "m"(*a), "a"(~0u), "d"(~0u));
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		if (get_xmm1() != PATTERN(cpu, i))
			bad++;
	}
	return bad;
}

static volatile uint32_t second_first[4], second_mxcsr, second_fcw;

static void on_second_vcpu(void *unused)
{
	uint32_t v[4], mxcsr;
	uint16_t fcw;

	(void)unused;
	asm volatile("movdqu %%xmm1, %0" : "=m"(v));
	asm volatile("stmxcsr %0" : "=m"(mxcsr));
	asm volatile("fnstcw %0" : "=m"(fcw));
	memcpy((void *)second_first, v, sizeof(v));
	second_mxcsr = mxcsr;
	second_fcw = fcw;
	second_bad = save_rounds(1);
	second_done = 1;
}

static void check_two_vcpus(void)
{
	uint32_t spins;

	set_xmm1(0xfeedf00d);
	KCHECK_EQ(vcpu_start(1, on_second_vcpu, NULL, second_stack,
			     sizeof(second_stack)), 0);
	KCHECK_EQ(save_rounds(0), 0);
	for (spins = 0; !second_done && spins < 100000; spins++)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	KCHECK(second_done);
	KCHECK_EQ(second_bad, 0);
	KCHECK(crossed >= ROUNDS / 2);	/* of 2 * ROUNDS */
	/* vCPU 1 started with a clean FPU, not with vCPU 0's xmm1. */
	KCHECK_EQ(second_first[0] | second_first[1] | second_first[2] |
		  second_first[3], 0);
	KCHECK_EQ(second_mxcsr, 0x1f80);
	KCHECK_EQ(second_fcw, 0x37f);
	printf("xsave: two vCPUs, %u saves each (%u with the other's "
	       "register loaded in between), each saw only its own xmm1\n",
	       ROUNDS, crossed);
}

void kernel_main(struct start_info *si)
{
	uint32_t r[4];

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	ktest_cpuid(1, 0, r);
	if (!(r[2] & CPUID1_XSAVE))
		printf("xsave: the CPU has none (this test wants -cpu max)\n");
	KCHECK(r[2] & CPUID1_XSAVE);
	KCHECK(r[2] & CPUID1_OSXSAVE);
	if (ktest_failures)
		ktest_finish();	/* XGETBV would be a #UD */
	KCHECK_EQ(xt_xcr0(), XCR0_X87_SSE);
	ktest_cpuid(0xd, 0, r);
	KCHECK_EQ(r[1], AREA_SIZE);	/* size for what XCR0 enables */
	printf("xsave: XCR0 0x%x, area %u bytes\n", xt_xcr0(), r[1]);
	check_round_trip();
	check_two_vcpus();
	ktest_finish();
}
