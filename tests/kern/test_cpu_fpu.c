/*
 * test_cpu_fpu.c - the virtual CR0.TS and the FPU state.  After
 * fpu_taskswitch(1) the next x87 or SSE instruction raises #NM, delivered
 * to our handler once; after the handler's fpu_taskswitch(0) the
 * instruction completes with the right result.  A handler that does not
 * clear TS itself also sees the instruction complete (the hypervisor
 * clears the virtual TS when it delivers the #NM, as Xen does).  An x87
 * value and an SSE register survive hypercalls and a TS round trip.
 * clts and mov to/from CR0 are emulated on the virtual TS (reading CR0
 * shows it, clts clears it, writing CR0 with TS set arms #NM again); a
 * CR0 write that changes another bit (WP) stays #GP (error 0) for our
 * handler, and CR0 is unchanged; a CR4 write is accepted and ignored.
 */
#include "ktest.h"

#define PI_BITS		0x400921fb54442d18ull	/* pi as an IEEE double */
#define CR0_TS		(1u << 3)
#define CR0_WP		(1u << 16)
#define CR0_PG		(1u << 31)
#define CR4_PAE		(1u << 5)

volatile uint32_t nm_hits, nm_clear_ts, gp_hits, gp_err, gp_eip;

void nm_entry(void);
void gp_entry(void);
void fpu_survival_probe(uint32_t out[6], const uint32_t in[4]);

/* #NM: optionally fpu_taskswitch(0), then retry the instruction. */
asm(".text\n"
    "nm_entry:\n"
    "	incl	nm_hits\n"
    "	cmpl	$0, nm_clear_ts\n"
    "	je	1f\n"
    "	pushl	%eax\n"
    "	pushl	%ebx\n"
    "	xorl	%ebx, %ebx\n"
    "	call	hypercall_page + 5 * 32\n"	/* fpu_taskswitch */
    "	popl	%ebx\n"
    "	popl	%eax\n"
    "1:	iret\n");

/* #GP: record, step over the clts (2 bytes) or mov to/from %crN (3). */
asm(".text\n"
    "gp_entry:\n"
    "	incl	gp_hits\n"
    "	popl	gp_err\n"
    "	pushl	%eax\n"
    "	movl	4(%esp), %eax\n"
    "	movl	%eax, gp_eip\n"
    "	cmpb	$0x06, 1(%eax)\n"		/* 0f 06: clts */
    "	popl	%eax\n"
    "	jne	1f\n"
    "	addl	$2, (%esp)\n"
    "	iret\n"
    "1:	addl	$3, (%esp)\n"			/* 0f 2x modrm */
    "	iret\n");

/*
 * Load in[] into %xmm1 and pi onto the x87 stack, make hypercalls
 * (xen_version, fpu_taskswitch(1): the store below takes #NM, sched_op
 * yield), then store %xmm1 to out[0..3] and st(0) to out[4..5].
 */
asm(".text\n"
    "fpu_survival_probe:\n"
    "	pushl	%ebx\n"
    "	pushl	%esi\n"
    "	movl	12(%esp), %esi\n"
    "	movl	16(%esp), %eax\n"
    "	movups	(%eax), %xmm1\n"
    "	fldpi\n"
    "	movl	$0, %ebx\n"
    "	movl	$0, %ecx\n"
    "	call	hypercall_page + 17 * 32\n"	/* xen_version */
    "	movl	$0, %ebx\n"
    "	movl	$0, %ecx\n"
    "	call	hypercall_page + 29 * 32\n"	/* sched_op(yield) */
    "	movl	$1, %ebx\n"
    "	call	hypercall_page + 5 * 32\n"	/* fpu_taskswitch(1) */
    "	movups	%xmm1, (%esi)\n"
    "	fstpl	16(%esi)\n"
    "	popl	%esi\n"
    "	popl	%ebx\n"
    "	ret\n");

static const struct trap_info table[] = {
	{ 7, 0, FLAT_KERNEL_CS, (uint32_t)nm_entry },
	{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_entry },
	{ 0, 0, 0, 0 },
};

static long fpu_taskswitch(uint32_t set)
{
	return hypercall(__HYPERVISOR_fpu_taskswitch, set, 0, 0, 0, 0);
}

static void check_x87_nm(bool handler_clears)
{
	uint32_t hits = nm_hits;
	uint64_t v = 0;

	nm_clear_ts = handler_clears;
	KCHECK_EQ(fpu_taskswitch(1), 0);
	asm volatile("fldpi\n fstpl %0" : "=m"(v));
	KCHECK_EQ(nm_hits, hits + 1);
	KCHECK(v == PI_BITS);
	/* TS is clear again: no further #NM. */
	asm volatile("fldpi\n fstpl %0" : "=m"(v));
	KCHECK_EQ(nm_hits, hits + 1);
}

static void check_sse_nm(void)
{
	static const uint32_t in[4] = { 0x01234567, 0x89abcdef, 0xdeadbeef, 0x5a5a5a5a };
	uint32_t out[4] = { 0, 0, 0, 0 }, hits = nm_hits, i;

	nm_clear_ts = 1;
	KCHECK_EQ(fpu_taskswitch(1), 0);
	asm volatile("movups %1, %%xmm0\n movups %%xmm0, %0"
		     : "=m"(out) : "m"(in));	/* no SSE in compiled code */
	KCHECK_EQ(nm_hits, hits + 1);
	for (i = 0; i < 4; i++)
		KCHECK_EQ(out[i], in[i]);
}

static void check_state_survives(void)
{
	static const uint32_t in[4] = { 0xcafef00d, 0x13579bdf, 0x2468ace0, 0x0f1e2d3c };
	uint32_t out[6] = { 0 }, hits = nm_hits, i;
	uint64_t st0;

	nm_clear_ts = 1;
	fpu_survival_probe(out, in);
	KCHECK_EQ(nm_hits, hits + 1);
	for (i = 0; i < 4; i++)
		KCHECK_EQ(out[i], in[i]);
	st0 = ((uint64_t)out[5] << 32) | out[4];
	KCHECK(st0 == PI_BITS);
}

static uint32_t read_cr0(void)
{
	uint32_t v;

	asm volatile("movl %%cr0, %0" : "=r"(v));
	return v;
}

/* mov %eax, %crN; the eip of the instruction. */
#define WRITE_CR(n, val, insn)						\
	asm volatile("movl $1f, %0\n1: movl %%eax, %%cr" #n		\
		     : "=&r"(insn) : "a"(val) : "memory")

/* clts and mov to/from CR0 act on the virtual TS, emulated. */
static void check_emulated_cr0(void)
{
	uint32_t gps = gp_hits, nms = nm_hits, cr0, cr4, insn;
	uint64_t v;

	nm_clear_ts = 1;
	KCHECK_EQ(fpu_taskswitch(1), 0);
	KCHECK(read_cr0() & CR0_TS);
	asm volatile("clts");
	KCHECK(!(read_cr0() & CR0_TS));
	asm volatile("fldz\n fstpl %0" : "=m"(v));
	KCHECK_EQ(nm_hits, nms);		/* clts cleared TS */
	cr0 = read_cr0();
	KCHECK(cr0 & CR0_PG);
	WRITE_CR(0, cr0 | CR0_TS, insn);
	KCHECK(read_cr0() & CR0_TS);
	asm volatile("fldz\n fstpl %0" : "=m"(v));
	KCHECK_EQ(nm_hits, nms + 1);
	asm volatile("movl %%cr4, %0" : "=r"(cr4));
	KCHECK(cr4 & CR4_PAE);
	KCHECK_EQ(gp_hits, gps);
}

/* Changing any other CR0 bit stays a #GP for us; a CR4 write is
 * accepted and changes nothing (as in Xen). */
static void check_privileged(void)
{
	uint32_t gps = gp_hits, cr0 = read_cr0(), insn;

	WRITE_CR(0, cr0 ^ CR0_WP, insn);
	KCHECK_EQ(gp_hits, gps + 1);
	KCHECK_EQ(gp_err, 0);
	KCHECK_EQ(gp_eip, insn);
	KCHECK_EQ(read_cr0(), cr0);
	asm volatile("movl %%cr4, %0" : "=r"(cr0));
	WRITE_CR(4, 0, insn);
	KCHECK_EQ(gp_hits, gps + 1);
	asm volatile("movl %%cr4, %0" : "=r"(insn));
	KCHECK_EQ(insn, cr0);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	check_x87_nm(true);
	check_x87_nm(false);
	check_sse_nm();
	check_state_survives();
	check_emulated_cr0();
	check_privileged();
	printf("fpu: %u #NM, %u #GP\n", nm_hits, gp_hits);
	ktest_finish();
}
