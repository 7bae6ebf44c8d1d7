/*
 * test_cpu_debugreg_io.c - CR4.DE and I/O breakpoints of a PV vCPU, as
 * Xen gives them (XTF's debug-regs test relies on all of it):
 *  - CR4.DE reads clear at first; a "mov %cr4" that sets it is taken (the
 *    guest owns that bit) and reads back set;
 *  - MSR DEBUGCTL reads 0, takes 0, and a write of 1 is a #GP;
 *  - with DE, an active I/O breakpoint in DR7 is accepted and reads back
 *    whole; an inactive one replaces it whole; DR4/DR5 are -ENODEV by
 *    hypercall and #UD by "mov";
 *  - an enabled I/O breakpoint on port 0x80 (LEN 1, then LEN 4 from
 *    0x80) makes an emulated "in"/"out" that touches it a #DB just past
 *    the instruction, with DR6.B0; a port outside it does not;
 *  - a single step (TF) over an emulated "in" is a #DB with DR6.BS just
 *    past it;
 *  - rep outsb to the watched port raises a #DB after every element (EIP
 *    on the instruction until the last), and a single step over rep insb
 *    one after its first element, as the CPU does;
 *  - with DE cleared, an I/O breakpoint is -EPERM (a #GP for "mov") and
 *    DR7 keeps what it held, I/O enables included.
 */
#include "debugreg_test.h"

#define CR4_DE		0x8u
#define DR7_DEFAULT	0x400u
#define DR7_G0		0x2u
#define DR7_G1		0x8u
#define DR7_GE		0x200u
#define IO0_LEN1	(2u << 16)		/* R/W0 = 10, LEN0 = 00 */
#define IO0_LEN4	((2u << 16) | (3u << 18))
#define IO1		(2u << 20)
#define DR6_B0		0x1u
#define DR6_BS		0x4000u
#define MSR_DEBUGCTL	0x1d9u

volatile uint32_t db_hits, db_eip, gp_hits, gp_skip, ud_hits, ud_skip;
volatile uint32_t io_left;		/* ECX after a rep string routine */
uint8_t io_buf[4] = { 1, 2, 3, 4 };

void ud_entry(void);
void in80(void);
void out80(void);
void in83(void);
void in84(void);
void stepped_in(void);
void rep_outs80(void);
void stepped_rep(void);
extern char after_in80[], after_out80[], after_in83[], after_in84[],
	after_stepped[], rep_outs80_insn[], after_rep_outs80[],
	stepped_rep_insn[];

DEBUGREG_TEST_HANDLERS;
asm(".text\n"
    "ud_entry:\n"
    "	incl	ud_hits\n"
    "	pushl	%eax\n"
    "	movl	ud_skip, %eax\n"
    "	addl	%eax, 4(%esp)\n"
    "	popl	%eax\n"
    "	iret\n"
    "in80: inb $0x80, %al\n"
    "after_in80: ret\n"
    "out80: outb %al, $0x80\n"
    "after_out80: ret\n"
    "in83: inb $0x83, %al\n"
    "after_in83: ret\n"
    "in84: inb $0x84, %al\n"
    "after_in84: ret\n"
    "stepped_in:\n"
    "	pushfl\n"
    "	orl	$0x100, (%esp)\n"
    "	popfl\n"
    "	inb	$0x84, %al\n"
    "after_stepped: ret\n"
    "rep_outs80:\n"			/* 3 bytes to port 0x80 */
    "	pushl	%esi\n"
    "	movl	$io_buf, %esi\n"
    "	movl	$3, %ecx\n"
    "	movl	$0x80, %edx\n"
    "rep_outs80_insn: rep outsb\n"
    "after_rep_outs80:\n"
    "	movl	%ecx, io_left\n"
    "	popl	%esi\n"
    "	ret\n"
    "stepped_rep:\n"			/* 3 bytes from port 0x84 under TF */
    "	pushl	%edi\n"
    "	movl	$io_buf, %edi\n"
    "	movl	$3, %ecx\n"
    "	movl	$0x84, %edx\n"
    "	pushfl\n"
    "	orl	$0x100, (%esp)\n"
    "	popfl\n"
    "stepped_rep_insn: rep insb\n"
    "	movl	%ecx, io_left\n"
    "	popl	%edi\n"
    "	ret\n");

static const struct trap_info table[] = {
	{ 1, 0, FLAT_KERNEL_CS, (uint32_t)db_entry },
	{ 6, 0, FLAT_KERNEL_CS, (uint32_t)ud_entry },
	{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_entry },
	{ 0, 0, 0, 0 },
};

static void check_cr4_and_debugctl(void)
{
	uint32_t lo, hi, gps = gp_hits;

	KCHECK_EQ(ktest_read_cr4() & CR4_DE, 0);
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_DEBUGCTL));
	KCHECK_EQ(lo, 0);
	KCHECK_EQ(hi, 0);
	asm volatile("wrmsr" : : "c"(MSR_DEBUGCTL), "a"(0), "d"(0));
	KCHECK_EQ(gp_hits, gps);
	gp_skip = 2;
	asm volatile("wrmsr" : : "c"(MSR_DEBUGCTL), "a"(1), "d"(0));
	KCHECK_EQ(gp_hits, gps + 1);
	ktest_write_cr4(ktest_read_cr4() | CR4_DE);
	KCHECK_EQ(ktest_read_cr4() & CR4_DE, CR4_DE);
}

/* With CR4.DE: I/O breakpoints are kept and read back whole. */
static void check_dr7_with_de(void)
{
	uint32_t io0 = DR7_GE | DR7_G0 | IO0_LEN1 | DR7_DEFAULT;
	uint32_t io1 = IO1 | DR7_DEFAULT, uds = ud_hits, v = 0;

	KCHECK_EQ(set_dr(7, io0), 0);
	KCHECK_EQ(get_dr(7), io0);
	KCHECK_EQ(set_dr(7, io1), 0);		/* inactive: replaces it all */
	KCHECK_EQ(get_dr(7), io1);
	KCHECK_EQ(set_dr(4, 0), -XEN_ENODEV);
	KCHECK_EQ(set_dr(5, 0), -XEN_ENODEV);
	KCHECK_EQ(get_dr(4), -XEN_ENODEV);
	KCHECK_EQ(get_dr(5), -XEN_ENODEV);
	ud_skip = 3;
	asm volatile("mov %%dr4, %0" : "+r"(v));
	asm volatile("mov %0, %%dr5" : : "r"(v));
	KCHECK_EQ(ud_hits, uds + 2);
	KCHECK_EQ(get_dr(7), io1);
}

/* One call of fn: whether it hit a #DB just past it with these DR6 bits. */
static bool db_after(void (*fn)(void), const char *after, uint32_t dr6)
{
	uint32_t hits = db_hits;

	KCHECK_EQ(set_dr(6, 0), 0);
	fn();
	if (!dr6)
		return db_hits == hits && (get_dr(6) & 0xe00f) == 0;
	return db_hits == hits + 1 && db_eip == (uint32_t)after &&
	       (get_dr(6) & 0xe00f) == dr6;
}

/*
 * rep outsb of 3 bytes to a watched port: a #DB after each element, EIP
 * on the instruction until the last; a single step over rep insb: one
 * #DB (the handler clears TF) after the first element, EIP on it.
 */
static void check_rep_string(void)
{
	uint32_t hits = db_hits;

	KCHECK_EQ(set_dr(7, DR7_GE | DR7_G0 | IO0_LEN1), 0);
	io_left = 99;
	rep_outs80();
	KCHECK_EQ(db_hits, hits + 3);
	KCHECK_EQ(db_eip, (uint32_t)after_rep_outs80);
	KCHECK_EQ(io_left, 0);
	KCHECK_EQ(get_dr(6) & DR6_B0, DR6_B0);
	hits = db_hits;
	KCHECK_EQ(set_dr(6, 0), 0);
	io_left = 99;
	stepped_rep();
	KCHECK_EQ(db_hits, hits + 1);
	KCHECK_EQ(db_eip, (uint32_t)stepped_rep_insn);
	KCHECK_EQ(io_left, 0);
	KCHECK_EQ(get_dr(6) & (DR6_BS | DR6_B0), DR6_BS);
}

static void check_io_breakpoints(void)
{
	KCHECK_EQ(HYPERVISOR_set_iopl(1), 0);	/* the kernel's port I/O */
	KCHECK_EQ(set_dr(0, 0x80), 0);
	KCHECK_EQ(set_dr(7, DR7_GE | DR7_G0 | IO0_LEN1), 0);
	KCHECK(db_after(in80, after_in80, DR6_B0));
	KCHECK(db_after(out80, after_out80, DR6_B0));
	KCHECK(db_after(in83, after_in83, 0));
	KCHECK_EQ(set_dr(7, DR7_GE | DR7_G0 | IO0_LEN4), 0);
	KCHECK(db_after(in83, after_in83, DR6_B0));
	KCHECK(db_after(in84, after_in84, 0));
	KCHECK(db_after(stepped_in, after_stepped, DR6_BS));
	check_rep_string();
	printf("debugreg: I/O breakpoints fired on ports 0x80 and 0x83\n");
}

/* Without CR4.DE: refused, and DR7 keeps what it held. */
static void check_without_de(void)
{
	uint32_t io0 = DR7_GE | DR7_G0 | IO0_LEN1 | DR7_DEFAULT;
	uint32_t mixed = DR7_GE | DR7_G0 | IO1, gps = gp_hits;

	KCHECK_EQ(set_dr(7, io0), 0);
	ktest_write_cr4(ktest_read_cr4() & ~CR4_DE);
	KCHECK_EQ(ktest_read_cr4() & CR4_DE, 0);
	KCHECK_EQ(set_dr(7, io0), -XEN_EPERM);
	KCHECK_EQ(set_dr(7, mixed), -XEN_EPERM);	/* a disabled I/O slot */
	gp_skip = 3;
	asm volatile("mov %0, %%dr7" : : "r"(io0));
	KCHECK_EQ(gp_hits, gps + 1);
	KCHECK_EQ(get_dr(7), io0);
	KCHECK_EQ((uint32_t)get_dr(4), (uint32_t)get_dr(6));	/* aliases */
	KCHECK(db_after(in80, after_in80, 0));	/* not matched without DE */
	KCHECK_EQ(set_dr(7, 0), 0);
	KCHECK_EQ(get_dr(7), DR7_DEFAULT);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	check_cr4_and_debugctl();
	check_dr7_with_de();
	check_io_breakpoints();
	check_without_de();
	ktest_finish();
}
