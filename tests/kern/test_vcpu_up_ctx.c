/*
 * test_vcpu_up_ctx.c - the contexts the test_vcpu_up kernel gives
 * VCPUOP_initialise (see test_vcpu_up.h): vCPU 1's, on its own stack, GDT
 * frame, trap table and event callback; vCPU 2's, online at once with its
 * ds in an LDT of its own and an FPU image of its own; and the refusals of
 * initialise(1), each a good context with one fault, each leaving vCPU 1
 * uninitialised and holding nothing (check 2 of test_vcpu_up.c's list).
 */
#include "ktest.h"
#include "mm.h"
#include "vcpu.h"
#include "segtest.h"
#include "test_vcpu_up.h"

#define HYP_MFN		0x100u	/* a hypervisor frame */
#define HYPERVISOR_CS	0xe008u
#define V1_DS		((2u << 3) | 1)
#define V1_GDT_ENTS	16u
#define LDT_UNMAPPED	0x40000000u
#define MXCSR_OFFSET	24u
#define V2_LDT_DS	((0u << 3) | 4 | 1)	/* LDT entry 0, RPL 1 */
#define ACC_CODE_DPL1	0xbau
#define ACC_DATA_DPL1	0xb2u

static uint8_t v1_stack[16384] __attribute__((aligned(4096)));
static uint8_t v2_stack[8192] __attribute__((aligned(16)));
static struct mm_space spare;
uint32_t gdt_pfn, ldt_pfn;
static uint32_t gdt_mfn;

/* vCPU 1's GDT frame (DPL-1 flat code and data) and vCPU 2's LDT page. */
void make_gdt_frame(void)
{
	uint64_t descs[3] = {
		0, make_desc(0, 0xfffff, ACC_CODE_DPL1),
		make_desc(0, 0xfffff, ACC_DATA_DPL1),
	};

	KCHECK_EQ(mm_alloc_pfn(&gdt_pfn), 0);
	KCHECK_EQ(mm_alloc_pfn(&ldt_pfn), 0);
	fill_frame_at(SLOT_GDT, gdt_pfn, descs, 3);
	fill_frame_at(SLOT_LDT, ldt_pfn, &descs[2], 1);	/* vCPU 2's ds */
	gdt_mfn = pfn_to_mfn(gdt_pfn);
}

/* A context vCPU 1 could run with, on the L3 frame l3_mfn. */
void ctx_vcpu1(struct vcpu_guest_context *c, uint32_t l3_mfn)
{
	memset(c, 0, sizeof(*c));
	c->user_regs.eax = 1;
	c->user_regs.ebx = 0xb1b1b1b1;
	c->user_regs.ecx = 0xc1c1c1c1;
	c->user_regs.edx = 0xd1d1d1d1;
	c->user_regs.esi = 0x51515151;
	c->user_regs.edi = 0xd15d15d1;
	c->user_regs.ebp = 0xb9b9b9b9;
	c->user_regs.eip = (uint32_t)secondary_entry;
	c->user_regs.cs = V1_CS;
	c->user_regs.eflags = EFLAGS_FIXED | EFLAGS_CF | EFLAGS_ZF |
			      EFLAGS_IOPL | EFLAGS_NT | EFLAGS_VM;
	c->user_regs.esp = (uint32_t)v1_stack + sizeof(v1_stack);
	c->user_regs.ss = V1_DS;
	c->user_regs.ds = V1_DS;
	c->user_regs.es = V1_DS;
	c->user_regs.fs = FLAT_RING3_DS;
	c->user_regs.gs = V1_DS;
	c->trap_ctxt[3] = (struct trap_info){ 3, 3, V1_CS, (uint32_t)v1_int3_entry };
	c->gdt_frames[0] = gdt_mfn;
	c->gdt_ents = V1_GDT_ENTS;
	c->kernel_ss = V1_DS;
	c->kernel_sp = c->user_regs.esp;
	c->ctrlreg[3] = xen_pfn_to_cr3(l3_mfn);
	c->event_callback_cs = V1_CS;
	c->event_callback_eip = (uint32_t)v1_event_entry;
	c->failsafe_callback_cs = V1_CS;
	c->failsafe_callback_eip = (uint32_t)secondary_failsafe_entry;
}

/* initialise(1) with c must fail with expect and leave vCPU 1 as it was. */
static void refuse(const char *what, struct vcpu_guest_context *c, long expect)
{
	long rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, c);

	if (rc != expect) {
		printf("initialise with %s: %ld, expected %ld\n", what, rc,
		       expect);
		ktest_failures++;
	}
	KCHECK_EQ(vcpu_up(1), -XEN_EINVAL);
	KCHECK_EQ(vcpu_is_up(1), 0);
	KCHECK_EQ(mm_map_pfn(SLOT_GDT, gdt_pfn, true), 0);	/* no GDT ref */
	KCHECK_EQ(mm_unmap(SLOT_GDT), 0);
}

/* The one fault each refused context carries, with the error it gets. */
enum spoil {
	BAD_GDT_ENTS, BAD_TRAP_RING0, BAD_TRAP_DATA, BAD_EVENT_CS, BAD_USER_CS,
	BAD_KERNEL_SS, BAD_DR7, BAD_DR0, BAD_MXCSR, BAD_LDT_UNALIGNED,
	BAD_LDT_LONG, BAD_LDT_HYP, BAD_LDT_UNMAPPED, NR_SPOILS
};

static const struct {
	const char *what;
	long expect;
} spoilt[NR_SPOILS] = {
	[BAD_GDT_ENTS] = { "gdt_ents 7169", -XEN_EINVAL },
	[BAD_TRAP_RING0] = { "a trap entry on cs 0xe008", -XEN_EINVAL },
	[BAD_TRAP_DATA] = { "a trap entry on a data selector", -XEN_EINVAL },
	[BAD_EVENT_CS] = { "the event callback on cs 0xe008", -XEN_EINVAL },
	[BAD_USER_CS] = { "user cs of RPL 2", -XEN_EINVAL },
	[BAD_KERNEL_SS] = { "kernel_ss of RPL 3", -XEN_EINVAL },
	[BAD_DR7] = { "DR7 bit 11", -XEN_EPERM },
	[BAD_DR0] = { "DR0 at the hypervisor", -XEN_EPERM },
	[BAD_MXCSR] = { "MXCSR 0xffff0000", -XEN_EINVAL },
	[BAD_LDT_UNALIGNED] = { "an unaligned ldt_base", -XEN_EINVAL },
	[BAD_LDT_LONG] = { "8193 LDT entries", -XEN_EINVAL },
	[BAD_LDT_HYP] = { "an LDT in the hypervisor", -XEN_EINVAL },
	[BAD_LDT_UNMAPPED] = { "an unmapped LDT", -XEN_EINVAL },
};

static void set_ldt(struct vcpu_guest_context *c, uint32_t base, uint32_t ents)
{
	c->ldt_base = base;
	c->ldt_ents = ents;
}

static void spoil(struct vcpu_guest_context *c, enum spoil what)
{
	static const uint32_t mxcsr = 0xffff0000u;

	switch (what) {
	case BAD_GDT_ENTS:
		c->gdt_ents = FIRST_RESERVED_GDT_ENTRY + 1;
		break;
	case BAD_TRAP_RING0:
		c->trap_ctxt[3].cs = HYPERVISOR_CS;
		break;
	case BAD_TRAP_DATA:
		c->trap_ctxt[3].cs = V1_DS;
		break;
	case BAD_EVENT_CS:
		c->event_callback_cs = HYPERVISOR_CS;
		break;
	case BAD_USER_CS:
		c->user_regs.cs = (FLAT_RING1_CS & ~3u) | 2;
		break;
	case BAD_KERNEL_SS:
		c->kernel_ss = FLAT_RING3_SS;
		break;
	case BAD_DR7:
		c->debugreg[7] = 1u << 11;
		break;
	case BAD_DR0:
		c->debugreg[0] = HYPERVISOR_VIRT_START - 3;
		break;
	case BAD_MXCSR:
		c->flags |= VGCF_I387_VALID;
		memcpy(&c->fpu_ctxt[MXCSR_OFFSET], &mxcsr, sizeof(mxcsr));
		break;
	case BAD_LDT_UNALIGNED:
		set_ldt(c, mm_window_va(SLOT_LDT) + 8, 1);
		break;
	case BAD_LDT_LONG:
		set_ldt(c, mm_window_va(SLOT_LDT), 8193);
		break;
	case BAD_LDT_HYP:
		set_ldt(c, HYPERVISOR_VIRT_START, 512);
		break;
	default:
		set_ldt(c, LDT_UNMAPPED, 1);
	}
}

/* Whether our page tables map va (an L1 entry present). */
static bool va_mapped(uint32_t va)
{
	uint64_t maddr, pte;

	if (mm_pte_maddr(va, &maddr))
		return false;
	if (mm_read_entry((uint32_t)(maddr >> 12), (maddr & 0xfff) / 8, &pte))
		return false;
	return pte & _PAGE_PRESENT;
}

/* Refusals whose expected error is what the one-vCPU hypercall says. */
static void refuse_frames(uint32_t spare_l3)
{
	uint32_t data_mfn = virt_to_mfn((uint32_t)v1_stack);
	long expect;

	expect = mm_pin(3, data_mfn);
	KCHECK(expect < 0);
	ctx_vcpu1(&ctx, data_mfn);
	refuse("a data frame as cr3", &ctx, expect);
	expect = mm_pin(3, HYP_MFN);
	KCHECK(expect < 0);
	ctx_vcpu1(&ctx, HYP_MFN);
	refuse("a hypervisor frame as cr3", &ctx, expect);

	KCHECK_EQ(mm_map_pfn(SLOT_GDT_RW, gdt_pfn, true), 0);
	expect = hypercall(__HYPERVISOR_set_gdt, (uint32_t)&gdt_mfn,
			   V1_GDT_ENTS, 0, 0, 0);
	KCHECK(expect < 0);
	ctx_vcpu1(&ctx, spare_l3);
	refuse("a GDT frame mapped writable", &ctx, expect);
	KCHECK_EQ(mm_unmap(SLOT_GDT_RW), 0);
	refuse("an unreadable context", (void *)LDT_UNMAPPED, -XEN_EFAULT);
}

void check_refusals(void)
{
	uint32_t spare_l3, spare_l3_pfn, i;

	KCHECK(!va_mapped(LDT_UNMAPPED));
	KCHECK_EQ(mm_map_pfn(SLOT_LDT, ldt_pfn, false), 0);
	KCHECK_EQ(mm_space_build(&spare), 0);
	spare_l3 = mm_space_l3(&spare);
	spare_l3_pfn = spare.l3_pfn;
	refuse_frames(spare_l3);
	for (i = 0; i < NR_SPOILS; i++) {
		ctx_vcpu1(&ctx, spare_l3);
		spoil(&ctx, i);
		refuse(spoilt[i].what, &ctx, spoilt[i].expect);
	}
	/* The spare L3 holds no type once unpinned: nothing kept a ref. */
	KCHECK_EQ(mm_space_release(&spare), 0);
	KCHECK_EQ(mm_map_pfn(SLOT_GDT, spare_l3_pfn, true), 0);
	KCHECK_EQ(mm_unmap(SLOT_GDT), 0);
	KCHECK_EQ(mm_unmap(SLOT_LDT), 0);
	printf("initialise: %u refusals checked\n", NR_SPOILS + 4);
}


/* vCPU 2: flat selectors but ds in its LDT, a ring-0 cs (raised to RPL
 * 1), an FPU image of its own, online at once. */
void ctx_vcpu2(struct vcpu_guest_context *c)
{
	uint16_t fcw = V2_FCW;
	uint32_t mxcsr = V2_MXCSR;

	memset(c, 0, sizeof(*c));
	c->flags = VGCF_online | VGCF_I387_VALID;
	memcpy(&c->fpu_ctxt[0], &fcw, sizeof(fcw));
	memcpy(&c->fpu_ctxt[MXCSR_OFFSET], &mxcsr, sizeof(mxcsr));
	set_ldt(c, mm_window_va(SLOT_LDT), 1);
	c->user_regs.eax = 2;
	c->user_regs.ebx = 0xb2b2b2b2;
	c->user_regs.ebp = 0xb2b9b2b9;
	c->user_regs.eip = (uint32_t)secondary_entry;
	c->user_regs.cs = FLAT_RING1_CS & ~3u;
	c->user_regs.eflags = EFLAGS_FIXED;
	c->user_regs.esp = (uint32_t)v2_stack + sizeof(v2_stack);
	c->user_regs.ss = FLAT_RING1_SS;
	c->user_regs.ds = V2_LDT_DS;
	c->user_regs.es = FLAT_RING1_DS;
	c->kernel_ss = FLAT_RING1_SS;
	c->kernel_sp = c->user_regs.esp;
	c->ctrlreg[3] = xen_pfn_to_cr3(mm_current_l3());
	c->event_callback_cs = FLAT_RING1_CS;
	c->event_callback_eip = (uint32_t)secondary_failsafe_entry;
	c->failsafe_callback_cs = FLAT_RING1_CS;
	c->failsafe_callback_eip = (uint32_t)secondary_failsafe_entry;
}
