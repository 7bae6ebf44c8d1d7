/*
 * test_cpu_iopl.c - cli/sti and port I/O under the virtual IOPL, and
 * VMASST_TYPE_architectural_iopl (XTF's pv-iopl, both variants).
 *
 *  - Dom0's vCPU starts at virtual IOPL 0 (as Xen's): its first outb
 *    faults;
 *  - PHYSDEVOP_set_iopl 0, 1, 3: "cli" and "outb %al, $0x80" fault (#GP,
 *    error 0) from the kernel when IOPL < 1, from ring 3 when IOPL < 3,
 *    and otherwise run; an emulated cli sets the event upcall mask and sti
 *    clears it;
 *  - with architectural_iopl the kernel counts as ring 0 (no faults even
 *    at IOPL 0), an exception frame shows the virtual IOPL in EFLAGS, and
 *    the iret hypercall takes the IOPL from the frame it returns with (a
 *    ring-3 entry with IOPL 0 leaves it 0); disabling the assist works
 *    (unlike the other assists).
 */
#include "ktest.h"
#include "iotest.h"

volatile uint32_t gp_hits, gp_err, gp_eflags;

void gp_entry(void);
uint32_t probe_cli(uint32_t unused);
uint32_t probe_out(uint32_t unused);

/* #GP: count, keep the error code and EFLAGS, skip cli/sti or outb. */
asm(".text\n"
    "gp_entry:\n"
    "	incl	gp_hits\n"
    "	popl	gp_err\n"
    "	pushl	%eax\n"
    "	movl	12(%esp), %eax\n"
    "	movl	%eax, gp_eflags\n"
    "	movl	4(%esp), %eax\n"
    "	cmpb	$0xe6, (%eax)\n"		/* outb imm8: 2 bytes */
    "	jne	1f\n"
    "	incl	4(%esp)\n"
    "1:	incl	4(%esp)\n"
    "	popl	%eax\n"
    USER_IRET_HYPERCALL_ASM
    "probe_cli:\n"
    "	cli\n"
    "	sti\n"
    "	xorl	%eax, %eax\n"
    "	ret\n"
    "probe_out:\n"
    "	movb	$0x55, %al\n"
    "	outb	%al, $0x80\n"
    "	xorl	%eax, %eax\n"
    "	ret\n");

static const struct trap_info table[] = {
	{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_entry },
	{ 0, 0, 0, 0 },
};

static long vm_assist(uint32_t cmd, uint32_t type)
{
	return hypercall(__HYPERVISOR_vm_assist, cmd, type, 0, 0, 0);
}

static void check_level(uint32_t iopl, bool kernel_ok, bool user_ok)
{
	KCHECK_EQ(HYPERVISOR_set_iopl(iopl), 0);
	KCHECK_EQ(faults(probe_cli, false), (kernel_ok ? 0 : 2));
	KCHECK_EQ(faults(probe_out, false), (kernel_ok ? 0 : 1));
	KCHECK_EQ(faults(probe_cli, true), (user_ok ? 0 : 2));
	KCHECK_EQ(faults(probe_out, true), (user_ok ? 0 : 1));
	KCHECK_EQ(gp_err, 0);
}

static void check_mask(void)
{
	volatile uint8_t *mask = &shared_info_page->vcpu_info[0].evtchn_upcall_mask;

	KCHECK_EQ(HYPERVISOR_set_iopl(1), 0);
	*mask = 0;
	asm volatile("cli" : : : "memory");
	KCHECK_EQ(*mask, 1);
	asm volatile("sti" : : : "memory");
	KCHECK_EQ(*mask, 0);
	*mask = 1;
}

/* hlt is never emulated: a #GP whose frame shows EFLAGS.IOPL. */
static uint32_t frame_iopl(void)
{
	uint32_t before = gp_hits;

	asm volatile("hlt");
	KCHECK_EQ(gp_hits, before + 1);
	return (gp_eflags >> 12) & 3;
}

static void check_architectural(void)
{
	KCHECK_EQ(vm_assist(VMASST_CMD_enable, VMASST_TYPE_architectural_iopl), 0);
	KCHECK_EQ(HYPERVISOR_set_iopl(0), 0);
	KCHECK_EQ(faults(probe_cli, false), 0);		/* kernel is ring 0 */
	KCHECK_EQ(faults(probe_out, false), 0);
	KCHECK_EQ(frame_iopl(), 0);
	KCHECK_EQ(HYPERVISOR_set_iopl(3), 0);
	KCHECK_EQ(frame_iopl(), 3);			/* frames show it */
	/* user_run's iret frame carries IOPL 0: ring 3 is refused, and the
	 * virtual IOPL is 0 afterwards. */
	KCHECK_EQ(faults(probe_cli, true), 2);
	KCHECK_EQ(frame_iopl(), 0);
	KCHECK_EQ(vm_assist(VMASST_CMD_disable, VMASST_TYPE_architectural_iopl), 0);
	KCHECK_EQ(HYPERVISOR_set_iopl(0), 0);
	KCHECK_EQ(faults(probe_cli, false), 2);
	KCHECK_EQ(frame_iopl(), 0);
	KCHECK_EQ(HYPERVISOR_set_iopl(1), 0);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	KCHECK_EQ(user_init(), 0);
	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	/* A vCPU starts at IOPL 0, as on Xen: the kernel must raise it. */
	KCHECK_EQ(faults(probe_out, false), 1);
	check_level(0, false, false);
	check_level(1, true, false);
	check_level(3, true, true);
	check_mask();
	check_architectural();
	printf("iopl: %u #GPs taken, as the virtual IOPL said\n", gp_hits);
	ktest_finish();
}
