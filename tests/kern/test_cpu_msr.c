/*
 * test_cpu_msr.c - rdmsr and wrmsr in ring 1, as Xen answers a 32-bit PV
 * guest: EFER reads as the CPU's (NXE set exactly when the CPU has NX,
 * which the hypervisor then turns on; no long-mode bits), and writing back
 * the value read is accepted.  Both are done first, before any trap table,
 * as NetBSD's init386() does: were either a #GP, this kernel would have no
 * handler and be crashed.  Then, with a #GP handler: a write that would
 * change EFER (NXE flipped, or SCE set) and rdmsr/wrmsr of another MSR
 * (the TSC, SYSENTER_CS) each raise #GP and change nothing.
 */
#include "ktest.h"

#define MSR_TSC		0x10u
#define MSR_SYSENTER_CS	0x174u
#define MSR_EFER	0xc0000080u
#define EFER_SCE	(1u << 0)
#define EFER_LME	(1u << 8)
#define EFER_LMA	(1u << 10)
#define EFER_NXE	(1u << 11)

volatile uint32_t gp_hits;

/* #GP: count it and step over the 2-byte rdmsr/wrmsr. */
KTEST_GP_SKIP2_HANDLER;

static const struct trap_info table[] = {
	{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_entry },
	{ 0, 0, 0, 0 },
};

static uint64_t read_msr(uint32_t msr)
{
	uint32_t lo = 0xdeadbeef, hi = 0xdeadbeef;

	asm volatile("rdmsr" : "+a"(lo), "+d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static void write_msr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)val),
		     "d"((uint32_t)(val >> 32)) : "memory");
}

/* CPUID 0x80000001 EDX bit 20 through the forced-emulation prefix. */
static bool cpu_has_nx(void)
{
	uint32_t a = 0x80000001, b, c = 0, d;

	asm volatile("ud2a; .ascii \"xen\"; cpuid"
		     : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d & (1u << 20);
}

void kernel_main(struct start_info *si)
{
	uint64_t efer;

	(void)si;
	/* No trap table yet: a #GP here would end this kernel. */
	efer = read_msr(MSR_EFER);
	write_msr(MSR_EFER, efer);
	KCHECK_EQ((uint32_t)(efer >> 32), 0);
	KCHECK_EQ(!!(efer & EFER_NXE), cpu_has_nx());
	KCHECK_EQ(efer & (EFER_LME | EFER_LMA), 0);
	printf("EFER reads 0x%x (NX %s), written back unchanged\n",
	       (uint32_t)efer, cpu_has_nx() ? "on" : "off");

	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	write_msr(MSR_EFER, efer ^ EFER_NXE);
	write_msr(MSR_EFER, efer ^ EFER_SCE);
	KCHECK_EQ(gp_hits, 2);
	KCHECK_EQ(read_msr(MSR_EFER), efer);
	read_msr(MSR_TSC);
	write_msr(MSR_SYSENTER_CS, 0);
	KCHECK_EQ(gp_hits, 4);
	KCHECK_EQ(read_msr(MSR_EFER), efer);
	ktest_finish();
}
