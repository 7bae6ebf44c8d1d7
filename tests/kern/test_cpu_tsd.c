/*
 * test_cpu_tsd.c - CR4.TSD is the guest kernel's, as on Xen.
 *
 *  - CR4 (read with the emulated mov) starts with TSD clear, and ring 3
 *    may read the time stamp counter;
 *  - the kernel sets TSD with a mov to CR4 and reads it back set;
 *  - rdtsc and, where CPUID shows it, rdtscp in the kernel still work
 *    (the hypervisor does them: the CPU faults them outside ring 0), and
 *    the counter still goes forward;
 *  - rdtsc in ring 3 is now a #GP with error code 0 delivered to the
 *    kernel, which is how Linux's PR_SET_TSC(PR_TSC_SIGSEGV) works;
 *  - the bit is per vCPU and follows it through switches: while vCPU 0
 *    has it set, vCPU 1 (no trap table: any fault would crash the domain)
 *    reads CR4 without it and runs rdtsc 50 times, yielding between reads
 *    so the two alternate, and afterwards vCPU 0's ring 3 still faults;
 *  - with TSD cleared again ring 3 reads the counter without a fault.
 */
#include "ktest.h"
#include "mm.h"
#include "user.h"
#include "vcpu.h"

#define CR4_TSD		(1u << 2)
#define CPUID_RDTSCP	(1u << 27)	/* leaf 0x80000001 %edx */

volatile uint32_t gp_hits, gp_err;

void gp_entry(void);
uint32_t user_rdtsc(uint32_t unused);

/* #GP: count it, keep the error code, step over the 2-byte rdtsc. */
asm(".text\n"
    "gp_entry:\n"
    "	incl	gp_hits\n"
    "	popl	gp_err\n"
    "	addl	$2, (%esp)\n"
    USER_IRET_HYPERCALL_ASM
    "user_rdtsc:\n"
    "	rdtsc\n"
    "	ret\n");

static const struct trap_info table[] = {
	{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_entry },
	{ 0, 0, 0, 0 },
};

static uint64_t kernel_rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static bool have_rdtscp(void)
{
	uint32_t r[4];

	ktest_cpuid(0x80000000, 0, r);
	if (r[0] < 0x80000001)
		return false;
	ktest_cpuid(0x80000001, 0, r);
	return r[3] & CPUID_RDTSCP;
}

/* Kernel reads go forward and fault nowhere the kernel can see. */
static void check_kernel_reads(void)
{
	uint32_t before = gp_hits, lo, hi, aux;
	uint64_t t1 = kernel_rdtsc(), t2 = kernel_rdtsc(), t3;

	KCHECK(t2 > t1);
	if (have_rdtscp()) {
		asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
		t3 = (uint64_t)hi << 32 | lo;
		KCHECK(t3 > t2);
		printf("tsd: rdtscp in the kernel: ok\n");
	}
	KCHECK_EQ(gp_hits, before);
}

#define SECOND_READS	50u

static uint8_t second_stack[4096] __attribute__((aligned(16)));
static volatile uint32_t second_cr4 = ~0u, second_reads;

/* vCPU 1: its own CR4, then rdtsc between yields (a fault kills us all). */
static void on_second_vcpu(void *unused)
{
	uint64_t last = 0, now;

	(void)unused;
	second_cr4 = ktest_read_cr4();
	while (second_reads < SECOND_READS) {
		now = kernel_rdtsc();
		if (now <= last)
			break;
		last = now;
		second_reads++;
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
}

static void check_per_vcpu(void)
{
	uint32_t spins;

	KCHECK_EQ(vcpu_start(1, on_second_vcpu, NULL, second_stack,
			     sizeof(second_stack)), 0);
	for (spins = 0; second_reads < SECOND_READS && spins < 100000; spins++) {
		kernel_rdtsc();
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	KCHECK_EQ(second_reads, SECOND_READS);
	KCHECK_EQ(second_cr4 & CR4_TSD, 0);
	KCHECK_EQ(ktest_read_cr4() & CR4_TSD, CR4_TSD);
	printf("tsd: vCPU 1 read the counter %u times without TSD\n",
	       second_reads);
}

/* How many #GPs one ring-3 rdtsc took. */
static uint32_t user_faults(void)
{
	uint32_t before = gp_hits;

	user_run(user_rdtsc, 0);
	return gp_hits - before;
}

void kernel_main(struct start_info *si)
{
	(void)si;
	KCHECK_EQ(user_init(), 0);
	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	KCHECK_EQ(ktest_read_cr4() & CR4_TSD, 0);
	KCHECK_EQ(user_faults(), 0);

	ktest_write_cr4(ktest_read_cr4() | CR4_TSD);
	KCHECK_EQ(ktest_read_cr4() & CR4_TSD, CR4_TSD);
	check_kernel_reads();
	KCHECK_EQ(user_faults(), 1);
	KCHECK_EQ(gp_err, 0);
	check_per_vcpu();
	KCHECK_EQ(user_faults(), 1);
	check_kernel_reads();

	ktest_write_cr4(ktest_read_cr4() & ~CR4_TSD);
	KCHECK_EQ(ktest_read_cr4() & CR4_TSD, 0);
	KCHECK_EQ(user_faults(), 0);
	check_kernel_reads();
	printf("tsd: ring 3 rdtsc faulted only under CR4.TSD\n");
	ktest_finish();
}
