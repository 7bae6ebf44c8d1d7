/*
 * test_cpu_iret.c - the iret hypercall: an int3 handler returns through it
 * to ring 1 and every register, the flags and the stack pointer come back
 * as they were, %eax from the frame, and the event upcall mask follows
 * the IF bit the handler leaves in the frame (both ways); user_run()
 * enters ring 3 through it (cs 0xe02b, ss 0xe033, the user stack) and
 * comes back; a ring-3 "cli" raises #GP (error 0) delivered to the kernel
 * with the ring-3 frame, whose handler returns past it to ring 3 through
 * the iret hypercall again.
 */
#include "ktest.h"
#include "mm.h"
#include "user.h"

#define EFLAGS_CF	0x001u
#define EFLAGS_IF	0x200u
#define EFLAGS_DF	0x400u
#define EFLAGS_IOPL	0x3000u
#define HANDLER_EAX	0x600d600du

/* Written by the handlers and the probe below. */
volatile uint32_t bp_hits, bp_cs, bp_eflags, iret_clear_if;
volatile uint32_t probe_esp_before, probe_esp_after;
volatile uint32_t gp_hits, gp_err, gp_eip, gp_cs, gp_eflags, gp_esp, gp_ss;
volatile uint32_t ring3_cs, ring3_ss, ring3_esp, ring3_eflags;
volatile uint32_t cli_eip, cli_esp;

void bp_iret_entry(void);
void gp_iret_entry(void);
void iret_probe(uint32_t out[8]);

/* int3: record the frame, set or clear IF in it, return via hypercall. */
asm(".text\n"
    "bp_iret_entry:\n"
    "	incl	bp_hits\n"
    "	movl	4(%esp), %eax\n"
    "	movl	%eax, bp_cs\n"
    "	movl	8(%esp), %eax\n"
    "	movl	%eax, bp_eflags\n"
    "	cmpl	$0, iret_clear_if\n"
    "	je	1f\n"
    "	andl	$~0x200, 8(%esp)\n"
    "	jmp	2f\n"
    "1:	orl	$0x200, 8(%esp)\n"
    "2:	movl	$0x600d600d, %eax\n"
    USER_IRET_HYPERCALL_ASM);

/* #GP: record the (ring-3) frame, step over the 1-byte cli, return. */
asm(".text\n"
    "gp_iret_entry:\n"
    "	incl	gp_hits\n"
    "	popl	gp_err\n"
    "	pushl	%eax\n"
    "	movl	4(%esp), %eax\n"
    "	movl	%eax, gp_eip\n"
    "	movl	8(%esp), %eax\n"
    "	movl	%eax, gp_cs\n"
    "	movl	12(%esp), %eax\n"
    "	movl	%eax, gp_eflags\n"
    "	movl	16(%esp), %eax\n"
    "	movl	%eax, gp_esp\n"
    "	movl	20(%esp), %eax\n"
    "	movl	%eax, gp_ss\n"
    "	popl	%eax\n"
    "	incl	(%esp)\n"
    USER_IRET_HYPERCALL_ASM);

/*
 * Load every register with a pattern, set CF and DF, int3, and store what
 * comes back: out[0..6] = eax ebx ecx edx esi edi ebp, out[7] = eflags.
 */
asm(".text\n"
    "iret_probe:\n"
    "	pushl	%ebp\n"
    "	pushl	%ebx\n"
    "	pushl	%esi\n"
    "	pushl	%edi\n"
    "	pushl	20(%esp)\n"
    "	movl	$0x77777777, %eax\n"
    "	movl	$0x11111111, %ebx\n"
    "	movl	$0x22222222, %ecx\n"
    "	movl	$0x33333333, %edx\n"
    "	movl	$0x44444444, %esi\n"
    "	movl	$0x55555555, %edi\n"
    "	movl	$0x66666666, %ebp\n"
    "	movl	%esp, probe_esp_before\n"
    "	std\n"
    "	stc\n"
    "	int3\n"
    "	movl	%esp, probe_esp_after\n"
    "	pushfl\n"
    "	cld\n"
    "	pushl	%eax\n"
    "	movl	8(%esp), %eax\n"
    "	movl	%ebx, 4(%eax)\n"
    "	movl	%ecx, 8(%eax)\n"
    "	movl	%edx, 12(%eax)\n"
    "	movl	%esi, 16(%eax)\n"
    "	movl	%edi, 20(%eax)\n"
    "	movl	%ebp, 24(%eax)\n"
    "	popl	%ecx\n"
    "	movl	%ecx, 0(%eax)\n"
    "	popl	%ecx\n"
    "	movl	%ecx, 28(%eax)\n"
    "	addl	$4, %esp\n"
    "	popl	%edi\n"
    "	popl	%esi\n"
    "	popl	%ebx\n"
    "	popl	%ebp\n"
    "	ret\n");

static const struct trap_info table[] = {
	{ 3, 3, FLAT_KERNEL_CS, (uint32_t)bp_iret_entry },
	{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_iret_entry },
	{ 0, 0, 0, 0 },
};

static volatile uint8_t *upcall_mask(void)
{
	return &shared_info_page->vcpu_info[0].evtchn_upcall_mask;
}

/* One int3 with the mask at mask_before; the handler sets IF = !clear_if. */
static void check_ring1_return(uint8_t mask_before, bool clear_if)
{
	static const uint32_t want[7] = {
		HANDLER_EAX, 0x11111111, 0x22222222, 0x33333333,
		0x44444444, 0x55555555, 0x66666666,
	};
	uint32_t out[8], hits = bp_hits, i;

	iret_clear_if = clear_if;
	*upcall_mask() = mask_before;
	iret_probe(out);
	KCHECK_EQ(bp_hits, hits + 1);
	for (i = 0; i < 7; i++)
		KCHECK_EQ(out[i], want[i]);
	KCHECK(out[7] & EFLAGS_CF);
	KCHECK(out[7] & EFLAGS_DF);
	KCHECK(out[7] & EFLAGS_IF);		/* the real IF stays on */
	KCHECK_EQ(out[7] & EFLAGS_IOPL, 0);
	KCHECK_EQ(probe_esp_after, probe_esp_before);
	/* The frame showed the mask as it was: IF = !mask, cs bits 16-23. */
	KCHECK_EQ((bp_cs >> 16) & 0xff, mask_before);
	KCHECK_EQ(!!(bp_eflags & EFLAGS_IF), !mask_before);
	KCHECK_EQ(bp_cs & 0xffff, FLAT_KERNEL_CS);
	KCHECK_EQ(*upcall_mask(), clear_if);
}

static uint32_t ring3_probe(uint32_t arg)
{
	uint32_t cs, ss, esp, fl;

	asm volatile("movl %%cs, %0; movl %%ss, %1; movl %%esp, %2; pushfl; popl %3"
		     : "=r"(cs), "=r"(ss), "=r"(esp), "=r"(fl));
	ring3_cs = cs;
	ring3_ss = ss;
	ring3_esp = esp;
	ring3_eflags = fl;
	return arg * 3 + 1;
}

/* "cli" in ring 3: #GP; the handler resumes us past it. */
static uint32_t ring3_cli(uint32_t arg)
{
	asm volatile("movl %%esp, cli_esp\n"
		     "movl $1f, cli_eip\n"
		     "1: cli\n" : : : "memory");
	return arg + 1;
}

static void check_ring3(void)
{
	uint32_t hits;

	KCHECK_EQ(user_run(ring3_probe, 14), 43);
	KCHECK_EQ(ring3_cs & 0xffff, FLAT_RING3_CS);
	KCHECK_EQ(ring3_ss & 0xffff, FLAT_RING3_SS);
	KCHECK(user_stack_contains(ring3_esp));
	KCHECK(ring3_eflags & EFLAGS_IF);
	KCHECK_EQ(ring3_eflags & EFLAGS_IOPL, 0);

	hits = gp_hits;
	KCHECK_EQ(user_run(ring3_cli, 99), 100);
	KCHECK_EQ(gp_hits, hits + 1);
	KCHECK_EQ(gp_err, 0);
	KCHECK_EQ(gp_eip, cli_eip);
	KCHECK_EQ(gp_cs & 0xffff, FLAT_RING3_CS);
	KCHECK_EQ(gp_ss & 0xffff, FLAT_RING3_SS);
	KCHECK_EQ(gp_esp, cli_esp);
	KCHECK(user_stack_contains(gp_esp));
	KCHECK(gp_eflags & EFLAGS_IF);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	KCHECK_EQ(user_init(), 0);
	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	check_ring1_return(0, true);
	check_ring1_return(1, false);
	check_ring1_return(0, false);
	check_ring3();
	printf("iret: %u int3 returns, %u ring-3 #GP\n", bp_hits, gp_hits);
	ktest_finish();
}
