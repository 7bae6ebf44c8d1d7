/*
 * test_cpu_msr.c - rdmsr and wrmsr in ring 1, as Xen answers a 32-bit PV
 * guest: EFER reads as the CPU's (NXE set exactly when the CPU has NX,
 * which the hypervisor then turns on; no long-mode bits), the PAT reads as
 * Xen's (WB WT UC- UC WC WP UC UC; the hypervisor reads back what it
 * loaded into the CPU, so a PAT it failed to load shows), and writing back
 * the values read is accepted.  These
 * are done first, before any trap table, as NetBSD's init386() does with
 * EFER and Linux's xen_start_kernel() with the PAT: were any a #GP, this
 * kernel would have no handler and be crashed.  Then, with a #GP handler:
 * a write that would change EFER (NXE flipped, or SCE set) or the PAT
 * (back to the power-on layout), and rdmsr/wrmsr of another MSR (the TSC,
 * SYSENTER_CS), each raise #GP and change nothing.  Last the microcode
 * revision (0x8B): on Intel (family 6 on) and AMD (family 0x10 on) it
 * reads as the CPU's, the same each time and not 0; Intel's documented
 * "write 0 first" is accepted and AMD's is a #GP; on other CPUs the read
 * is a #GP.  Intel's MISC_ENABLE (0x1A0; family 6 from model 0xD, and
 * later families) reads with BTS, PEBS and xTPR shown off (their
 * "unavailable"/"disable" bits set) and performance monitoring and
 * MONITOR/MWAIT clear, and a write of any value is dropped; elsewhere
 * both are a #GP.  tests.list runs this kernel on QEMU's CPU (AMD-branded,
 * family 6), and again branded Intel family 6 model 15, Intel family 6
 * model 12, Intel family 5 and AMD family 0x10, which pins every limit.
 */
#include "ktest.h"

#define MSR_TSC		0x10u
#define MSR_UCODE_REV	0x8bu
#define MSR_SYSENTER_CS	0x174u
#define MSR_MISC_ENABLE	0x1a0u
#define MISC_SHOWN_OFF	((1u << 11) | (1u << 12) | (1u << 23))
#define MISC_HIDDEN	((1u << 7) | (1u << 18))
#define MSR_PAT		0x277u
#define MSR_EFER	0xc0000080u
/* Xen's PAT, as the PV ABI gives it, and the CPU's power-on one. */
#define XEN_PAT		0x0000050100070406ull
#define POWER_ON_PAT	0x0007040600070406ull
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

/* The vendor's initial letter ('G'enuineIntel, 'A'uthenticAMD), the
 * family and the model (extended fields added, as CPUID defines them). */
static char cpu_vendor(unsigned int *family, unsigned int *model)
{
	uint32_t a = 0, b, c = 0, d;
	char v;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	if (b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e)
		v = 'G';			/* "GenuineIntel" */
	else if (b == 0x68747541 && d == 0x69746e65 && c == 0x444d4163)
		v = 'A';			/* "AuthenticAMD" */
	else
		return '?';
	a = 1;
	c = 0;
	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	*family = (a >> 8) & 0xf;
	*model = (a >> 4) & 0xf;
	if (*family == 0x6 || *family == 0xf)
		*model |= (a >> 12) & 0xf0;
	if (*family == 0xf)
		*family += (a >> 20) & 0xff;
	return v;
}

/* 0x8B: readable on Intel and AMD, writable (with 0) on Intel only. */
static void check_ucode_rev(void)
{
	unsigned int family = 0, model = 0, gp0 = gp_hits;
	char v = cpu_vendor(&family, &model);
	bool intel = v == 'G' && family >= 6;
	bool readable = intel || (v == 'A' && family >= 0x10);
	uint64_t rev = read_msr(MSR_UCODE_REV);

	if (!readable) {
		KCHECK_EQ(gp_hits, gp0 + 1);
		printf("microcode revision: #GP (no such MSR on this CPU)\n");
		return;
	}
	KCHECK_EQ(gp_hits, gp0);
	KCHECK(rev != 0);
	KCHECK(read_msr(MSR_UCODE_REV) == rev);
	write_msr(MSR_UCODE_REV, 0);
	KCHECK_EQ(gp_hits, gp0 + (intel ? 0 : 1));
	write_msr(MSR_UCODE_REV, 1);
	KCHECK_EQ(gp_hits, gp0 + (intel ? 1 : 2));
	KCHECK(read_msr(MSR_UCODE_REV) == rev);
	printf("microcode revision 0x%x%08x, a write of 0 %s\n",
	       (uint32_t)(rev >> 32), (uint32_t)rev,
	       intel ? "accepted" : "refused");
}

/* 0x1A0: Intel's, from family 6 model 0xD on; writes dropped. */
static void check_misc_enable(void)
{
	unsigned int family = 0, model = 0, gp0 = gp_hits;
	char v = cpu_vendor(&family, &model);
	bool has = v == 'G' && (family > 6 || (family == 6 && model >= 0xd));
	uint64_t val = read_msr(MSR_MISC_ENABLE);

	write_msr(MSR_MISC_ENABLE, 0);
	if (!has) {
		KCHECK_EQ(gp_hits, gp0 + 2);
		printf("MISC_ENABLE: #GP (family %u model 0x%x)\n", family,
		       model);
		return;
	}
	KCHECK_EQ(gp_hits, gp0);
	KCHECK_EQ((uint32_t)val & MISC_SHOWN_OFF, MISC_SHOWN_OFF);
	KCHECK_EQ((uint32_t)val & MISC_HIDDEN, 0);
	KCHECK(read_msr(MSR_MISC_ENABLE) == val);	/* the write dropped */
	printf("MISC_ENABLE 0x%x%08x, a write of 0 dropped\n",
	       (uint32_t)(val >> 32), (uint32_t)val);
}

void kernel_main(struct start_info *si)
{
	uint64_t efer, pat;

	(void)si;
	/* No trap table yet: a #GP here would end this kernel. */
	efer = read_msr(MSR_EFER);
	write_msr(MSR_EFER, efer);
	pat = read_msr(MSR_PAT);
	write_msr(MSR_PAT, pat);
	KCHECK_EQ((uint32_t)(pat >> 32), (uint32_t)(XEN_PAT >> 32));
	KCHECK_EQ((uint32_t)pat, (uint32_t)XEN_PAT);
	printf("PAT reads 0x%08x%08x, written back unchanged\n",
	       (uint32_t)(pat >> 32), (uint32_t)pat);
	KCHECK_EQ((uint32_t)(efer >> 32), 0);
	KCHECK_EQ(!!(efer & EFER_NXE), cpu_has_nx());
	KCHECK_EQ(efer & (EFER_LME | EFER_LMA), 0);
	printf("EFER reads 0x%x (NX %s), written back unchanged\n",
	       (uint32_t)efer, cpu_has_nx() ? "on" : "off");

	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	write_msr(MSR_EFER, efer ^ EFER_NXE);
	write_msr(MSR_EFER, efer ^ EFER_SCE);
	KCHECK_EQ(gp_hits, 2);
	KCHECK_EQ64(read_msr(MSR_EFER), efer);
	read_msr(MSR_TSC);
	write_msr(MSR_SYSENTER_CS, 0);
	KCHECK_EQ(gp_hits, 4);
	KCHECK_EQ64(read_msr(MSR_EFER), efer);
	write_msr(MSR_PAT, POWER_ON_PAT);
	write_msr(MSR_PAT, 0);
	KCHECK_EQ(gp_hits, 6);
	KCHECK_EQ64(read_msr(MSR_PAT), XEN_PAT);
	check_ucode_rev();
	check_misc_enable();
	ktest_finish();
}
