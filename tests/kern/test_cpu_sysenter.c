/*
 * test_cpu_sysenter.c - SYSENTER and the sysenter callback.
 *
 *  - with the callback registered, SYSENTER from ring 3 lands in it on the
 *    ring-1 stack with Xen's frame: eip 0, cs 3 (upcall mask in bits
 *    16-23), eflags with IF as the upcall mask was, esp 0, ss
 *    FLAT_RING3_SS; the registers are the caller's, so the callback
 *    returns to ring 3 by the SYSEXIT convention (%edx = eip, %ecx = esp)
 *    through the iret hypercall; CALLBACKF_mask_events masks events in
 *    the callback;
 *  - SYSENTER with EFLAGS.NT set, and with TF set (single-step), reaches
 *    the callback too, NT visible in the frame; the hypervisor carries on;
 *  - unregistered, SYSENTER raises #GP with error code 0 at eip 0, cs 3;
 *  - both callback numbers (5 and the old 3) register; a hypervisor code
 *    selector is refused.
 * A CPU without SYSENTER (CPUID.1:EDX.SEP clear) skips the entry checks.
 */
#include "ktest.h"
#include "user.h"
#include <public/callback.h>

#define EFLAGS_TF	0x100u
#define EFLAGS_IF	0x200u
#define EFLAGS_NT	0x4000u
#define GP_VECTOR	13

void sysenter_cb(void);
void gp_cb(void);
uint32_t do_sysenter(uint32_t extra_flags);

volatile uint32_t se_frame[5], se_hits, se_regs[2], se_mask;
volatile uint32_t gp_frame[6], gp_hits;

/* Record the frame, then SYSEXIT-style: eip = %edx, esp = %ecx, ring 3. */
asm(".text\n"
    "sysenter_cb:\n"
    "	incl	se_hits\n"
    "	movl	%ebx, se_regs\n"
    "	movl	%esi, se_regs + 4\n"
    "	pushl	%eax\n"
    "	movl	shared_info_page, %eax\n"
    "	movzbl	1(%eax), %eax\n"		/* vcpu_info[0].upcall_mask */
    "	movl	%eax, se_mask\n"
    "	movl	4(%esp), %eax\n"
    "	movl	%eax, se_frame\n"
    "	movl	8(%esp), %eax\n"
    "	movl	%eax, se_frame + 4\n"
    "	movl	12(%esp), %eax\n"
    "	movl	%eax, se_frame + 8\n"
    "	movl	16(%esp), %eax\n"
    "	movl	%eax, se_frame + 12\n"
    "	movl	20(%esp), %eax\n"
    "	movl	%eax, se_frame + 16\n"
    "	popl	%eax\n"
    "	movl	%edx, 0(%esp)\n"
    "	movl	$0xe02b, 4(%esp)\n"
    "	andl	$~0x4100, 8(%esp)\n"		/* NT and TF off */
    "	movl	%ecx, 12(%esp)\n"
    "	movl	$0xe033, 16(%esp)\n"
    USER_IRET_HYPERCALL_ASM
    /* #GP: record error code and frame, resume as sysexit would. */
    "gp_cb:\n"
    "	incl	gp_hits\n"
    "	popl	gp_frame\n"
    "	pushl	%eax\n"
    "	movl	4(%esp), %eax\n"
    "	movl	%eax, gp_frame + 4\n"
    "	movl	8(%esp), %eax\n"
    "	movl	%eax, gp_frame + 8\n"
    "	movl	12(%esp), %eax\n"
    "	movl	%eax, gp_frame + 12\n"
    "	movl	16(%esp), %eax\n"
    "	movl	%eax, gp_frame + 16\n"
    "	movl	20(%esp), %eax\n"
    "	movl	%eax, gp_frame + 20\n"
    "	popl	%eax\n"
    "	movl	%edx, 0(%esp)\n"
    "	movl	$0xe02b, 4(%esp)\n"
    "	movl	%ecx, 12(%esp)\n"
    "	movl	$0xe033, 16(%esp)\n"
    USER_IRET_HYPERCALL_ASM
    /* Ring 3: SYSENTER with extra EFLAGS bits; back here by sysexit rules. */
    "do_sysenter:\n"
    "	pushl	%ebx\n"
    "	pushl	%esi\n"
    "	movl	12(%esp), %eax\n"
    "	movl	$0x5e5e5e5e, %ebx\n"
    "	movl	$0x51515151, %esi\n"
    "	movl	%esp, %ecx\n"
    "	movl	$1f, %edx\n"
    "	pushfl\n"
    "	orl	%eax, (%esp)\n"
    "	popfl\n"
    "	sysenter\n"
    "1:	pushfl\n"
    "	popl	%eax\n"
    "	popl	%esi\n"
    "	popl	%ebx\n"
    "	ret\n");

static long register_cb(uint16_t type, uint16_t flags, uint32_t cs,
			void (*fn)(void))
{
	struct callback_register r = {
		.type = type, .flags = flags,
		.address = { .cs = cs, .eip = (uint32_t)fn },
	};

	return hypercall(__HYPERVISOR_callback_op, CALLBACKOP_register,
			 (uint32_t)&r, 0, 0, 0);
}

static long unregister_cb(uint16_t type)
{
	struct callback_unregister u = { .type = type };

	return hypercall(__HYPERVISOR_callback_op, CALLBACKOP_unregister,
			 (uint32_t)&u, 0, 0, 0);
}

static bool cpu_has_sep(void)
{
	uint32_t a = 1, b, c = 0, d;

	asm volatile("ud2a; .ascii \"xen\"; cpuid"
		     : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d & (1u << 11);
}

static void check_entry(uint32_t extra, bool mask)
{
	uint32_t hits = se_hits, fl;

	fl = user_run(do_sysenter, extra);
	KCHECK_EQ(se_hits, hits + 1);
	KCHECK_EQ(se_frame[0], 0);			/* eip */
	KCHECK_EQ(se_frame[1] & 0xffff, 3);		/* cs */
	KCHECK_EQ(se_frame[3], 0);			/* esp */
	KCHECK_EQ(se_frame[4] & 0xffff, FLAT_RING3_SS);
	KCHECK(se_frame[2] & EFLAGS_IF);		/* events were on */
	KCHECK_EQ(!!(se_frame[2] & EFLAGS_NT), !!(extra & EFLAGS_NT));
	KCHECK_EQ(se_regs[0], 0x5e5e5e5e);
	KCHECK_EQ(se_regs[1], 0x51515151);
	KCHECK_EQ(se_mask, mask);
	KCHECK(fl & EFLAGS_IF);
	KCHECK_EQ(fl & (EFLAGS_NT | EFLAGS_TF), 0);
}

static const struct trap_info gp_table[] = {
	{ GP_VECTOR, 0, FLAT_KERNEL_CS, (uint32_t)gp_cb },
	{ 0, 0, 0, 0 },
};

void kernel_main(struct start_info *si)
{
	bool sep = cpu_has_sep();

	(void)si;
	KCHECK_EQ(user_init(), 0);
	KCHECK_EQ(HYPERVISOR_set_trap_table(gp_table), 0);
	KCHECK_EQ(register_cb(CALLBACKTYPE_sysenter, 0, 0xe008, sysenter_cb),
		  -XEN_EPERM);
	KCHECK_EQ(register_cb(CALLBACKTYPE_sysenter_deprecated, 0,
			      FLAT_KERNEL_CS, sysenter_cb), 0);
	KCHECK_EQ(register_cb(CALLBACKTYPE_sysenter, 0, FLAT_KERNEL_CS,
			      sysenter_cb), 0);
	printf("sysenter: CPU has SYSENTER: %s\n", sep ? "yes" : "no");
	if (sep) {
		check_entry(0, false);
		check_entry(EFLAGS_NT, false);
		check_entry(EFLAGS_TF, false);
		KCHECK_EQ(register_cb(CALLBACKTYPE_sysenter,
				      CALLBACKF_mask_events, FLAT_KERNEL_CS,
				      sysenter_cb), 0);
		check_entry(0, true);
		shared_info_page->vcpu_info[0].evtchn_upcall_mask = 0;
		printf("sysenter: %u entries reached the callback\n", se_hits);
	}
	/* As on Xen, only a null address clears it: unregister refuses. */
	KCHECK_EQ(unregister_cb(CALLBACKTYPE_sysenter), -XEN_EINVAL);
	KCHECK_EQ(register_cb(CALLBACKTYPE_sysenter, 0, 0, NULL), 0);
	if (sep) {
		user_run(do_sysenter, 0);
		KCHECK_EQ(gp_hits, 1);
		KCHECK_EQ(gp_frame[0], 0);		/* error code */
		KCHECK_EQ(gp_frame[1], 0);		/* eip */
		KCHECK_EQ(gp_frame[2] & 0xffff, 3);	/* cs */
		printf("sysenter: without a callback: #GP error %u at %x:%x\n",
		       gp_frame[0], gp_frame[2] & 0xffff, gp_frame[1]);
	}
	ktest_finish();
}
