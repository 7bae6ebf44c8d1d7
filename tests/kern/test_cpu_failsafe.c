/*
 * test_cpu_failsafe.c - the failsafe callback: what happens when the
 * hypervisor cannot return to the guest's context.
 *
 *  - a data selector that stopped loading (%fs holds a GDT selector whose
 *    descriptor update_descriptor makes not-present): that hypercall's
 *    return enters the failsafe callback, with events masked
 *    (CALLBACKF_mask_events), on the same ring-1 stack, with the frame
 *    ds, es, fs, gs (ds lowest), then eip (just past the int $0x82 in the
 *    hypercall page), cs, eflags; all four data selectors are null there;
 *  - an iret hypercall to ring 3 with a code selector as ss: the final
 *    iret faults and the failsafe callback gets, on the ring-1 stack, the
 *    four (loadable) selectors and the whole ring-3 frame it could not
 *    return to (eip, cs 0xe02b, eflags, esp, ss 0xe02b);
 *  - with no failsafe callback, the selector that does not load becomes
 *    null and the others are kept.
 */
#include "ktest.h"
#include "mm.h"
#include "user.h"
#include <public/callback.h>

#define SLOT_FILL	0u
#define SEL		((1u << 3) | 1)
#define ACC_DATA_DPL1	0xb2u
#define ACC_ABSENT	0x32u

volatile uint32_t fs_words[9], fs_saved_esp, fs_mask;
uint8_t fs_user_stack[1024] __attribute__((aligned(16)));

uint32_t descriptor_under_fs(uint32_t sel, uint32_t maddr, uint32_t desc_lo,
			     uint32_t desc_hi);
uint32_t iret_with_ss(uint32_t ss);
void failsafe_cb(void);
extern char ring3_target[];

asm(".text\n"
    /*
     * Load %fs = sel, then update_descriptor(maddr, desc) makes it absent:
     * 1 if the failsafe callback ran on the way back, else 0.
     */
    "descriptor_under_fs:\n"
    "	pushl	%ebp\n"
    "	pushl	%ebx\n"
    "	pushl	%esi\n"
    "	pushl	%edi\n"
    "	movl	20(%esp), %eax\n"
    "	movl	%eax, %fs\n"
    "	movl	24(%esp), %ebx\n"
    "	xorl	%ecx, %ecx\n"
    "	movl	28(%esp), %edx\n"
    "	movl	32(%esp), %esi\n"
    "	movl	%esp, fs_saved_esp\n"
    "	call	hypercall_page + 10 * 32\n"
    "	xorl	%eax, %eax\n"
    "	jmp	2f\n"
    /* iret to ring 3 with ss as given: 1 if the failsafe ran. */
    "iret_with_ss:\n"
    "	pushl	%ebp\n"
    "	pushl	%ebx\n"
    "	pushl	%esi\n"
    "	pushl	%edi\n"
    "	movl	20(%esp), %eax\n"
    "	movl	%esp, fs_saved_esp\n"
    "	pushl	%eax\n"
    "	pushl	$fs_user_stack + 1024\n"
    "	pushl	$0x202\n"
    "	pushl	$0xe02b\n"
    "	pushl	$ring3_target\n"
    "	jmp	hypercall_page + 23 * 32\n"
    "ring3_target:\n"
    "	ud2\n"
    /* The failsafe callback: keep 9 words of its frame, unwind. */
    "failsafe_cb:\n"
    "	movl	$0xe021, %eax\n"
    "	movl	%eax, %ds\n"
    "	movl	%eax, %es\n"
    "	movl	%esp, %esi\n"
    "	movl	$fs_words, %edi\n"
    "	movl	$9, %ecx\n"
    "	cld\n"
    "	rep	movsl\n"
    "	movl	shared_info_page, %eax\n"
    "	movzbl	1(%eax), %eax\n"
    "	movl	%eax, fs_mask\n"
    "	movl	fs_saved_esp, %esp\n"
    "	movl	$1, %eax\n"
    "2:	popl	%edi\n"
    "	popl	%esi\n"
    "	popl	%ebx\n"
    "	popl	%ebp\n"
    "	ret\n");

static uint64_t make_desc(uint32_t access)
{
	return 0xffffull | ((uint64_t)access << 40) | (0xfull << 48) |
	       (0xcull << 52);
}

static long update_descriptor(uint64_t maddr, uint64_t desc)
{
	return hypercall(__HYPERVISOR_update_descriptor, (uint32_t)maddr,
			 (uint32_t)(maddr >> 32), (uint32_t)desc,
			 (uint32_t)(desc >> 32), 0);
}

static long set_failsafe(void (*fn)(void))
{
	struct callback_register r = {
		.type = CALLBACKTYPE_failsafe, .flags = CALLBACKF_mask_events,
		.address = { .cs = FLAT_KERNEL_CS, .eip = (uint32_t)fn },
	};

	/* A null address clears it (unregister is -EINVAL, as on Xen). */
	return hypercall(__HYPERVISOR_callback_op, CALLBACKOP_register,
			 (uint32_t)&r, 0, 0, 0);
}

static uint32_t read_fs(void)
{
	uint32_t v;

	asm volatile("movl %%fs, %0" : "=r"(v));
	return v & 0xffff;
}

static void set_gdt_frame(uint32_t *mfn)
{
	uint64_t *page = (uint64_t *)mm_window_va(SLOT_FILL);
	uint32_t pfn;

	KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
	KCHECK_EQ(mm_map_pfn(SLOT_FILL, pfn, true), 0);
	memset(page, 0, MM_PAGE_SIZE);
	page[1] = make_desc(ACC_DATA_DPL1);
	KCHECK_EQ(mm_unmap(SLOT_FILL), 0);
	*mfn = pfn_to_mfn(pfn);
	KCHECK_EQ(hypercall(__HYPERVISOR_set_gdt, (uint32_t)mfn, 16, 0, 0, 0),
		  0);
}

static uint32_t make_absent_under_fs(uint64_t maddr)
{
	uint64_t d = make_desc(ACC_ABSENT);

	return descriptor_under_fs(SEL, (uint32_t)maddr, (uint32_t)d,
				   (uint32_t)(d >> 32));
}

static void check_bad_segment(uint64_t maddr)
{
	uint32_t want_eip = (uint32_t)hypercall_page + 10 * 32 + 7;

	shared_info_page->vcpu_info[0].evtchn_upcall_mask = 0;
	KCHECK_EQ(make_absent_under_fs(maddr), 1);
	KCHECK_EQ(fs_words[0] & 0xffff, FLAT_KERNEL_DS);
	KCHECK_EQ(fs_words[1] & 0xffff, FLAT_KERNEL_DS);
	KCHECK_EQ(fs_words[2] & 0xffff, SEL);
	KCHECK_EQ(fs_words[4], want_eip);
	KCHECK_EQ(fs_words[5] & 0xffff, FLAT_KERNEL_CS);
	KCHECK(fs_words[6] & 0x200);		/* events were on */
	KCHECK_EQ(fs_mask, 1);
	KCHECK_EQ(read_fs(), 0);
	shared_info_page->vcpu_info[0].evtchn_upcall_mask = 0;
	printf("failsafe: bad %%fs: frame ds %x es %x fs %x gs %x eip %x\n",
	       fs_words[0], fs_words[1], fs_words[2], fs_words[3], fs_words[4]);
	KCHECK_EQ(update_descriptor(maddr, make_desc(ACC_DATA_DPL1)), 0);
}

static void check_bad_iret(void)
{
	memset((void *)fs_words, 0, sizeof(fs_words));
	KCHECK_EQ(iret_with_ss(FLAT_RING3_CS), 1);
	KCHECK_EQ(fs_words[4], (uint32_t)ring3_target);
	KCHECK_EQ(fs_words[5] & 0xffff, FLAT_RING3_CS);
	KCHECK(fs_words[6] & 0x200);
	KCHECK_EQ(fs_words[7], (uint32_t)fs_user_stack + sizeof(fs_user_stack));
	KCHECK_EQ(fs_words[8] & 0xffff, FLAT_RING3_CS);
	KCHECK_EQ(fs_mask, 1);
	shared_info_page->vcpu_info[0].evtchn_upcall_mask = 0;
	printf("failsafe: bad iret: ss slot 0x%x, cs slot 0x%x\n",
	       fs_words[8] & 0xffff, fs_words[5] & 0xffff);
}

static void check_no_failsafe(uint64_t maddr)
{
	uint32_t ds;

	KCHECK_EQ(set_failsafe(NULL), 0);
	KCHECK_EQ(make_absent_under_fs(maddr), 0);
	asm volatile("movl %%ds, %0" : "=r"(ds));
	KCHECK_EQ(read_fs(), 0);
	KCHECK_EQ(ds & 0xffff, FLAT_KERNEL_DS);
	KCHECK_EQ(update_descriptor(maddr, make_desc(ACC_DATA_DPL1)), 0);
	printf("failsafe: none registered: %%fs became %u, %%ds kept\n",
	       read_fs());
}

void kernel_main(struct start_info *si)
{
	uint32_t mfn;
	uint64_t maddr;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK_EQ(user_init(), 0);
	set_gdt_frame(&mfn);
	maddr = ((uint64_t)mfn << 12) + 8;
	KCHECK_EQ(set_failsafe(failsafe_cb), 0);
	check_bad_segment(maddr);
	check_bad_iret();
	check_no_failsafe(maddr);
	KCHECK_EQ(hypercall(__HYPERVISOR_set_gdt, 0, 0, 0, 0, 0), 0);
	ktest_finish();
}
