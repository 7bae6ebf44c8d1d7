/*
 * test_cpu_debugreg.c - the debug registers of a PV vCPU.
 *
 *  - set_debugreg/get_debugreg: DR0-3 take addresses below the hypervisor
 *    (0xF5800000 is -EPERM), DR6 and DR7 read back with their fixed ones,
 *    DR7 reserved bits and I/O breakpoints are -EPERM, register 8 -EINVAL,
 *    DR4/DR5 are DR6/DR7;
 *  - "mov %drN" in ring 1 is emulated and agrees with the hypercalls; a
 *    refused value is a #GP;
 *  - a data breakpoint armed with a single write to DR7 fires on the next
 *    write to the watched word, ten times out of ten (XTF's "dr7 latch"),
 *    as #DB (no error code) just past the write, with DR6.B0; DR7 = 0
 *    disarms it;
 *  - the hypervisor writing the watched word for the guest (xen_version
 *    into it) does not fault anyone: no #DB, B0 recorded in DR6;
 *  - a single step (EFLAGS.TF) is #DB with DR6.BS.
 */
#include "debugreg_test.h"
#include <public/version.h>

#define DR7_G0		0x00000002u
#define DR7_GE		0x00000200u
#define DR7_W0_LEN4	0x000d0000u	/* R/W0 = 01 (writes), LEN0 = 11 */
#define DR6_B0		0x1u
#define DR6_BS		0x4000u

volatile uint32_t db_hits, db_eip, gp_hits, gp_skip;
volatile uint32_t watched[4] __attribute__((aligned(16)));
static char version_buf[16] __attribute__((aligned(16)));

void write_watched(void);
extern char after_write[];

DEBUGREG_TEST_HANDLERS;
asm(".text\n"
    "write_watched:\n"
    "	movl	$1, watched\n"
    "after_write:\n"
    "	ret\n");

static const struct trap_info table[] = {
	{ 1, 0, FLAT_KERNEL_CS, (uint32_t)db_entry },
	{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_entry },
	{ 0, 0, 0, 0 },
};

static void check_hypercalls(void)
{
	KCHECK_EQ(set_dr(0, (uint32_t)watched), 0);
	KCHECK_EQ(get_dr(0), (long)(uint32_t)watched);
	KCHECK_EQ(set_dr(3, 0xF5800000u), -XEN_EPERM);
	KCHECK_EQ(set_dr(3, 0xF57FFFFDu), -XEN_EPERM);	/* straddles it */
	KCHECK_EQ(set_dr(3, 0xF57FFFFCu), 0);
	KCHECK_EQ(set_dr(3, 0), 0);
	KCHECK_EQ(set_dr(6, 0), 0);
	KCHECK_EQ((uint32_t)get_dr(6), 0xffff0ff0u);
	KCHECK_EQ(set_dr(7, 0), 0);
	KCHECK_EQ(get_dr(7), 0x400);
	KCHECK_EQ(set_dr(7, 1u << 11), -XEN_EPERM);
	KCHECK_EQ(set_dr(7, 0x1u | (2u << 16)), -XEN_EPERM);	/* L0, I/O */
	KCHECK_EQ(set_dr(8, 0), -XEN_EINVAL);
	KCHECK_EQ(get_dr(8), -XEN_EINVAL);
	KCHECK_EQ((uint32_t)get_dr(4), 0xffff0ff0u);
	KCHECK_EQ(get_dr(5), 0x400);
}

static void check_mov(void)
{
	uint32_t v = 0x1234, out = 0, gps = gp_hits;

	asm volatile("mov %1, %%dr1; mov %%dr1, %0" : "=r"(out) : "r"(v));
	KCHECK_EQ(out, v);
	KCHECK_EQ(get_dr(1), 0x1234);
	gp_skip = 3;
	asm volatile("mov %0, %%dr2" : : "r"(0xF6000000u));
	KCHECK_EQ(gp_hits, gps + 1);
	KCHECK_EQ(get_dr(2), 0);
}

static uint32_t read_dr6(void)
{
	uint32_t v;

	asm volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}

static void check_watchpoint(void)
{
	uint32_t dr7 = DR7_GE | DR7_G0 | DR7_W0_LEN4, i, seen = 0;

	asm volatile("mov %0, %%dr0" : : "r"((uint32_t)watched));
	for (i = 0; i < 10; i++) {
		uint32_t hits = db_hits;

		asm volatile("mov %0, %%dr6" : : "r"(0));
		asm volatile("mov %0, %%dr7" : : "r"(dr7));
		write_watched();
		asm volatile("mov %0, %%dr7" : : "r"(0));
		seen += db_hits == hits + 1 && db_eip == (uint32_t)after_write &&
			(read_dr6() & DR6_B0);
	}
	KCHECK_EQ(seen, 10);
	i = db_hits;
	write_watched();
	KCHECK_EQ(db_hits, i);
	printf("debugreg: watchpoint fired %u of 10 times\n", seen);
}

static void check_hypervisor_write(void)
{
	uint32_t hits = db_hits;

	KCHECK_EQ(set_dr(0, (uint32_t)version_buf), 0);
	KCHECK_EQ(set_dr(6, 0), 0);
	KCHECK_EQ(set_dr(7, DR7_GE | DR7_G0 | DR7_W0_LEN4), 0);
	KCHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, version_buf), 0);
	KCHECK_EQ(set_dr(7, 0), 0);
	KCHECK_EQ(db_hits, hits);
	KCHECK(get_dr(6) & DR6_B0);
	KCHECK_EQ(memcmp(version_buf, "-xylem", 7), 0);
	printf("debugreg: hypervisor write to a watched buffer: %u #DB, DR6 0x%x\n",
	       db_hits - hits, (uint32_t)get_dr(6));
}

static void check_single_step(void)
{
	uint32_t hits = db_hits;

	KCHECK_EQ(set_dr(6, 0), 0);
	asm volatile("pushfl; orl $0x100, (%%esp); popfl; nop; nop" : : : "cc");
	KCHECK_EQ(db_hits, hits + 1);
	KCHECK(read_dr6() & DR6_BS);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	check_hypercalls();
	check_mov();
	check_watchpoint();
	check_hypervisor_write();
	check_single_step();
	KCHECK_EQ(set_dr(0, 0), 0);
	ktest_finish();
}
