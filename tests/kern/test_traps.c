/*
 * test_traps.c - exceptions reach the handlers a guest registers with
 * set_trap_table, in ring 1, with the frame and error code the CPU would
 * have given: #DE, #UD, #BP (int3, DPL 3), #GP from "int $0x50" (error code
 * 0x282), a software interrupt the guest allows ("int $0x81", DPL 1), #PF
 * on an unmapped address; the forced-emulation CPUID shows Xen's leaves
 * and hides PGE, VME, XSAVE and AVX, and a CR4 write is accepted and
 * ignored;
 * hostile trap tables and stacks are refused; a stack_switch selector
 * with RPL 0 is taken as ring 1; a table is read to its terminator however
 * long (600 entries: Linux loads 257), on its own and inside a multicall.
 */
#include "ktest.h"

volatile uint32_t trap_vec, trap_err, trap_cs;

#define HANDLER(name, vec, has_err, skip)				\
	asm(".text\n" #name ":\n"					\
	    "movl $" #vec ", trap_vec\n"				\
	    ".if " #has_err "\n popl trap_err\n .endif\n"		\
	    "pushl %eax\n movl 8(%esp), %eax\n movl %eax, trap_cs\n"	\
	    "popl %eax\n"						\
	    "addl $" #skip ", (%esp)\n"					\
	    "iret\n");							\
	void name(void)

HANDLER(de_entry, 0, 0, 2);	/* div %ecx */
HANDLER(bp_entry, 3, 0, 0);	/* int3: eip already past it */
HANDLER(ud_entry, 6, 0, 2);	/* ud2 */
HANDLER(gp_entry, 13, 1, 2);	/* int $0x50 */
HANDLER(pf_entry, 14, 1, 6);	/* movl 0x800000, %ebx (8b 1d imm32) */
HANDLER(sw_entry, 0x81, 0, 0);	/* int $0x81: eip already past it */
HANDLER(late_entry, 0x91, 0, 0);	/* int $0x91 */

#define LONG_TABLE	600

static struct trap_info long_table[LONG_TABLE + 1];

static const struct trap_info table[] = {
	{ 0, 0, FLAT_KERNEL_CS, (uint32_t)de_entry },
	{ 3, 3, FLAT_KERNEL_CS, (uint32_t)bp_entry },
	{ 6, 0, FLAT_KERNEL_CS, (uint32_t)ud_entry },
	{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_entry },
	{ 14, 0, FLAT_KERNEL_CS, (uint32_t)pf_entry },
	{ 0x81, 1, FLAT_KERNEL_CS, (uint32_t)sw_entry },
	{ 0, 0, 0, 0 },
};

static void reset(void)
{
	trap_vec = 0xffff;
	trap_err = 0xdead;
	trap_cs = 0;
}

static void check_exceptions(void)
{
	reset();
	asm volatile("xorl %%ecx, %%ecx; divl %%ecx" : : "a"(1), "d"(0) : "ecx");
	KCHECK_EQ(trap_vec, 0);
	KCHECK_EQ(trap_cs & 0xffff, FLAT_KERNEL_CS);
	reset();
	asm volatile("int3");
	KCHECK_EQ(trap_vec, 3);
	reset();
	asm volatile("ud2");
	KCHECK_EQ(trap_vec, 6);
	reset();
	asm volatile("int $0x50");
	KCHECK_EQ(trap_vec, 13);
	KCHECK_EQ(trap_err, (0x50 << 3) | 2);
	reset();
	asm volatile("int $0x81");
	KCHECK_EQ(trap_vec, 0x81);
	reset();
	asm volatile(".byte 0x8b, 0x1d; .long 0x800000" : : : "ebx");
	KCHECK_EQ(trap_vec, 14);
	KCHECK_EQ(trap_err, 0);		/* read, not present, supervisor */
}

static void check_cpuid(void)
{
	uint32_t a, b, c, d;

	asm volatile(".byte 0x0f, 0x0b, 0x78, 0x65, 0x6e; cpuid"
		     : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x40000000), "c"(0));
	KCHECK_EQ(b, 0x566e6558);
	KCHECK_EQ(c, 0x65584d4d);
	KCHECK_EQ(d, 0x4d4d566e);
	KCHECK(a >= 0x40000002);
	asm volatile(".byte 0x0f, 0x0b, 0x78, 0x65, 0x6e; cpuid"
		     : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	KCHECK(c & (1u << 31));		/* hypervisor present */
	KCHECK(!(c & (1u << 5)));	/* no VMX */
	KCHECK(!(d & (1u << 13)));	/* no PGE: guests have no global pages */
	KCHECK(!(d & (1u << 1)));	/* no VME */
	/* No XSAVE state for guests: no XSAVE, OSXSAVE, AVX. */
	KCHECK(!(c & (1u << 26)));
	KCHECK(!(c & (1u << 27)));
	KCHECK(!(c & (1u << 28)));
	asm volatile(".byte 0x0f, 0x0b, 0x78, 0x65, 0x6e; cpuid"
		     : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	KCHECK(!(b & ((1u << 5) | (1u << 16))));	/* AVX2, AVX-512 */
	/* CR4 writes are accepted and change nothing (as in Xen). */
	asm volatile("mov %%cr4, %0" : "=r"(a));
	asm volatile("mov %0, %%cr4" : : "r"(a | (1u << 7)));
	asm volatile("mov %%cr4, %0" : "=r"(b));
	KCHECK_EQ(a, b);
}

static void check_refusals(void)
{
	struct trap_info bad[2] = {
		{ 14, 0, 0xe008, (uint32_t)pf_entry },	/* hypervisor CS */
		{ 0, 0, 0, 0 },
	};

	KCHECK_EQ(HYPERVISOR_set_trap_table(bad), -XEN_EPERM);
	bad[0].cs = FLAT_RING3_CS;
	KCHECK_EQ(HYPERVISOR_set_trap_table(bad), -XEN_EPERM);
	KCHECK_EQ(HYPERVISOR_set_trap_table((void *)0xFC000000), -XEN_EFAULT);
	KCHECK_EQ(HYPERVISOR_stack_switch(0xe010, 0x200000), -XEN_EPERM);
	KCHECK_EQ(HYPERVISOR_stack_switch(FLAT_RING3_SS, 0x200000), -XEN_EPERM);
	/* The refused entries changed nothing: #PF still reaches pf_entry. */
	reset();
	asm volatile(".byte 0x8b, 0x1d; .long 0x800000" : : : "ebx");
	KCHECK_EQ(trap_vec, 14);
}

/* Entry LONG_TABLE - 1 (far past 256) is the one that must take effect. */
static void check_long_table(void)
{
	struct multicall_entry mc = { .op = __HYPERVISOR_set_trap_table };
	unsigned int i;

	for (i = 0; i < LONG_TABLE; i++)
		long_table[i] = (struct trap_info){ 0x90, 1, FLAT_KERNEL_CS,
						    (uint32_t)sw_entry };
	long_table[LONG_TABLE - 1] = (struct trap_info){ 0x91, 1, FLAT_KERNEL_CS,
							 (uint32_t)late_entry };
	KCHECK_EQ(HYPERVISOR_set_trap_table(long_table), 0);
	reset();
	asm volatile("int $0x91");
	KCHECK_EQ(trap_vec, 0x91);
	long_table[LONG_TABLE - 1].vector = 0x92;
	mc.args[0] = (uint32_t)long_table;
	KCHECK_EQ(HYPERVISOR_multicall(&mc, 1), 0);
	KCHECK_EQ(mc.result, 0);
	reset();
	asm volatile("int $0x92");
	KCHECK_EQ(trap_vec, 0x91);	/* the handler says 0x91 */
	KCHECK_EQ(HYPERVISOR_stack_switch(FLAT_KERNEL_SS & ~3u, 0x200000), 0);
	KCHECK_EQ(HYPERVISOR_stack_switch(FLAT_KERNEL_SS, 0x200000), 0);
	printf("traps: a %u-entry table took effect to its last entry\n",
	       LONG_TABLE);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	check_exceptions();
	check_cpuid();
	check_refusals();
	check_long_table();
	ktest_finish();
}
