/*
 * test_cpu_int80.c - the system-call vector from ring 3.  With trap entry
 * 0x80 at DPL 3 and no mask bit (the direct gate), ring 3's "int $0x80"
 * reaches the kernel's handler with the frame the CPU builds (eip past the
 * int, cs 0xe02b, ss 0xe033, ring 3's esp) and the upcall mask untouched,
 * and a plain "iret" goes back; with DPL 3 plus the mask bit it is bounced
 * by the hypervisor with the mask set in the handler (restored by the iret
 * hypercall, as ring 3 sees); with DPL 1 ring 1 may use it and ring 3 may not; with DPL 0
 * ring 3's "int $0x80" becomes #GP with error code (0x80 << 3) | 2 and the
 * handler is not entered.  Going back to DPL 3 restores the direct path.
 */
#include "ktest.h"
#include "mm.h"
#include "user.h"

#define SYSCALL_XOR	0x80808080u
#define EFLAGS_IF	0x200u
#define GP_INT80_ERROR	((0x80u << 3) | 2)

volatile uint32_t i80_hits, i80_eip, i80_cs, i80_eflags, i80_esp, i80_ss;
volatile uint32_t i80_mask, i80_use_hypercall;
volatile uint32_t gp_hits, gp_err, gp_eip, gp_cs, gp_esp, gp_ss;
volatile uint32_t int_eip, int_esp;	/* what ring 3 saw at its int */
volatile uint32_t mask_after_int;	/* read by ring 3 itself */
volatile uint8_t *mask_ptr;

void int80_entry(void);
void gp_skip_entry(void);

/*
 * The "system call": %eax ^= SYSCALL_XOR.  Records the frame (the ring-3
 * words are only meaningful when ring 3 called) and the upcall mask.
 */
asm(".text\n"
    "int80_entry:\n"
    "	incl	i80_hits\n"
    "	pushl	%ecx\n"
    "	movl	4(%esp), %ecx\n"
    "	movl	%ecx, i80_eip\n"
    "	movl	8(%esp), %ecx\n"
    "	movl	%ecx, i80_cs\n"
    "	movl	12(%esp), %ecx\n"
    "	movl	%ecx, i80_eflags\n"
    "	movl	16(%esp), %ecx\n"
    "	movl	%ecx, i80_esp\n"
    "	movl	20(%esp), %ecx\n"
    "	movl	%ecx, i80_ss\n"
    "	movl	mask_ptr, %ecx\n"
    "	movzbl	(%ecx), %ecx\n"
    "	movl	%ecx, i80_mask\n"
    "	popl	%ecx\n"
    "	xorl	$0x80808080, %eax\n"
    "	cmpl	$0, i80_use_hypercall\n"
    "	jne	1f\n"
    "	iret\n"
    "1:	" USER_IRET_HYPERCALL_ASM);

/* #GP: record it and step over the 2-byte "int $0x80". */
asm(".text\n"
    "gp_skip_entry:\n"
    "	incl	gp_hits\n"
    "	popl	gp_err\n"
    "	pushl	%ecx\n"
    "	movl	4(%esp), %ecx\n"
    "	movl	%ecx, gp_eip\n"
    "	movl	8(%esp), %ecx\n"
    "	movl	%ecx, gp_cs\n"
    "	movl	16(%esp), %ecx\n"
    "	movl	%ecx, gp_esp\n"
    "	movl	20(%esp), %ecx\n"
    "	movl	%ecx, gp_ss\n"
    "	popl	%ecx\n"
    "	addl	$2, (%esp)\n"
    "	iret\n");

static uint32_t do_int80(uint32_t arg)
{
	uint32_t ret;

	asm volatile("movl %%esp, int_esp\n"
		     "movl $1f, int_eip\n"
		     "1: int $0x80\n"
		     : "=a"(ret) : "a"(arg) : "memory");
	mask_after_int = *mask_ptr;
	return ret;
}

static void set_entry(uint8_t flags)
{
	struct trap_info t[2] = {
		{ 0x80, flags, FLAT_KERNEL_CS, (uint32_t)int80_entry },
		{ 0, 0, 0, 0 },
	};

	KCHECK_EQ(HYPERVISOR_set_trap_table(t), 0);
}

/* Ring 3 calls; the handler must see the CPU's ring-3 frame. */
static void check_ring3_call(uint8_t flags, uint32_t want_mask)
{
	uint32_t hits = i80_hits, arg = 0x1234 + flags;
	uint8_t mask_before = *mask_ptr;

	set_entry(flags);
	i80_use_hypercall = want_mask;
	i80_mask = 0xff;
	mask_after_int = 0xff;
	KCHECK_EQ(user_run(do_int80, arg), arg ^ SYSCALL_XOR);
	KCHECK_EQ(i80_hits, hits + 1);
	KCHECK_EQ(i80_eip, int_eip + 2);
	KCHECK_EQ(i80_cs & 0xffff, FLAT_RING3_CS);
	KCHECK_EQ(i80_ss & 0xffff, FLAT_RING3_SS);
	KCHECK_EQ(i80_esp, int_esp);
	KCHECK(i80_eflags & EFLAGS_IF);
	KCHECK_EQ(i80_mask, want_mask);
	KCHECK_EQ(mask_after_int, 0);		/* ring 3 runs unmasked */
	KCHECK_EQ(*mask_ptr, mask_before);	/* user_run() keeps it */
}

/* Ring 3 may not: #GP with the IDT error code, the handler untouched. */
static void check_ring3_refused(uint8_t flags)
{
	uint32_t hits = i80_hits, gps = gp_hits;

	set_entry(flags);
	KCHECK_EQ(user_run(do_int80, 7), 7);
	KCHECK_EQ(i80_hits, hits);
	KCHECK_EQ(gp_hits, gps + 1);
	KCHECK_EQ(gp_err, GP_INT80_ERROR);
	KCHECK_EQ(gp_eip, int_eip);
	KCHECK_EQ(gp_cs & 0xffff, FLAT_RING3_CS);
	KCHECK_EQ(gp_ss & 0xffff, FLAT_RING3_SS);
	KCHECK_EQ(gp_esp, int_esp);
}

/* With DPL 1 the kernel itself may use the vector. */
static void check_ring1_call(void)
{
	uint32_t hits = i80_hits;

	set_entry(1);
	i80_use_hypercall = 0;
	KCHECK_EQ(do_int80(5), 5 ^ SYSCALL_XOR);
	KCHECK_EQ(i80_hits, hits + 1);
	KCHECK_EQ(i80_eip, int_eip + 2);
	KCHECK_EQ(i80_cs & 0xffff, FLAT_KERNEL_CS);
}

void kernel_main(struct start_info *si)
{
	static const struct trap_info gp[2] = {
		{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_skip_entry },
		{ 0, 0, 0, 0 },
	};

	(void)si;
	KCHECK_EQ(user_init(), 0);
	mask_ptr = &shared_info_page->vcpu_info[0].evtchn_upcall_mask;
	/* Ring 3 reads the mask itself after its int. */
	KCHECK_EQ(user_map_range((uint32_t)shared_info_page, MM_PAGE_SIZE), 0);
	KCHECK_EQ(HYPERVISOR_set_trap_table(gp), 0);
	check_ring3_call(3, 0);		/* direct gate */
	check_ring3_call(3 | 4, 1);	/* bounced, events masked */
	check_ring1_call();
	check_ring3_refused(1);
	check_ring3_refused(0);
	check_ring3_call(3, 0);		/* direct again */
	printf("int80: %u calls, %u refused\n", i80_hits, gp_hits);
	ktest_finish();
}
