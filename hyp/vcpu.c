/*
 * vcpu.c - vcpu_op: bringing a domain's vCPUs up and down, and loading a
 * vCPU context (VCPUOP_initialise, XEN_DOMCTL_setvcpucontext).  See
 * vcpu.h.  A context is copied in whole, checked, and only then does
 * anything change: the frames it names are taken together and given back
 * together if a later check fails.
 */
#include "vcpu.h"
#include "debugreg.h"
#include "domain.h"
#include "fpu.h"
#include "gdt.h"
#include "guest_access.h"
#include "lib.h"
#include "mmu.h"
#include "sched.h"
#include "time.h"
#include "traps.h"
#include "vcpu_info.h"
#include "arch/x86_32/page.h"
#include "arch/x86_32/x86.h"
#include <public/callback.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>

#define LDT_MAX_ENTS	8192

/* One CPU and no preemption in the hypervisor: one buffer serves. */
static struct vcpu_guest_context ctxt_buf;

/* The debug registers a context sets (4 and 5 only alias 6 and 7). */
static const unsigned int context_drs[] = { 0, 1, 2, 3, 6, 7 };

static uint16_t fix_rpl(uint16_t sel)
{
	return (sel & 3) == 0 ? sel | 1 : sel;	/* RPL 0: the kernel, ring 1 */
}

/* The checks that need nothing but the context itself. */
static int check_plain(struct vcpu_guest_context *c)
{
	struct cpu_user_regs *r = &c->user_regs;
	unsigned int i;
	int rc;

	if (c->gdt_ents > FIRST_RESERVED_GDT_ENTRY ||
	    c->ldt_ents > LDT_MAX_ENTS || (c->ldt_base & (PAGE_SIZE - 1)))
		return -XEN_EINVAL;
	r->cs = fix_rpl(r->cs);
	r->ss = fix_rpl(r->ss);
	if (((r->cs & 3) != 1 && (r->cs & 3) != 3) ||
	    (r->ss & 3) != (r->cs & 3))
		return -XEN_EINVAL;
	if (c->kernel_ss >> 16)
		return -XEN_EINVAL;
	c->kernel_ss = fix_rpl((uint16_t)c->kernel_ss);
	if ((c->kernel_ss & 7) != 1 ||
	    ((c->kernel_ss >> 3) >= FIRST_RESERVED_GDT_ENTRY &&
	     c->kernel_ss != FLAT_RING1_SS))
		return -XEN_EINVAL;
	for (i = 0; i < ARRAY_SIZE(context_drs); i++) {
		rc = debugreg_check(context_drs[i], c->debugreg[context_drs[i]],
				    c->ctrlreg[4] & X86_CR4_DE);
		if (rc)
			return rc;
	}
	return 0;
}

/* A callback's cs:eip (eip 0: none), checked against v's GDT. */
static bool callback_ok(const struct vcpu *v, uint32_t *cs, uint32_t eip)
{
	uint16_t sel = (uint16_t)*cs;

	if (!eip)
		return true;
	if (*cs >> 16 || !traps_code_selector_ok(v, &sel))
		return false;
	*cs = sel;
	return true;
}

/* Handlers and callbacks must be ring-1 code of v's (new) GDT. */
static int check_handlers(const struct vcpu *v, struct vcpu_guest_context *c)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c->trap_ctxt); i++)
		if (c->trap_ctxt[i].address &&
		    !traps_code_selector_ok(v, &c->trap_ctxt[i].cs))
			return -XEN_EINVAL;
	if (!callback_ok(v, &c->event_callback_cs, c->event_callback_eip) ||
	    !callback_ok(v, &c->failsafe_callback_cs, c->failsafe_callback_eip))
		return -XEN_EINVAL;
	return 0;
}

static void drop_frames(struct vcpu *v)
{
	ldt_release_vcpu(v);
	gdt_release_vcpu(v);
	if (v->baseptr_mfn)
		pt_put_page_and_type(v->baseptr_mfn);
	v->baseptr_mfn = 0;
}

/* Base pointer, GDT and LDT, all or none; the handlers need the GDT. */
static int take_frames(struct vcpu *v, struct vcpu_guest_context *c)
{
	int rc = mmu_set_baseptr(v, xen_cr3_to_pfn(c->ctrlreg[3]));

	if (rc)
		return rc;
	mmu_refresh_pdpt(v);	/* the LDT's pages are found through it */
	rc = gdt_set(v, c->gdt_frames, c->gdt_ents);
	if (!rc)
		rc = check_handlers(v, c);
	if (!rc)
		rc = ldt_set(v, c->ldt_base, c->ldt_ents);
	if (rc)
		drop_frames(v);
	return rc;
}

static void load_registers(struct vcpu *v, const struct cpu_user_regs *r)
{
	struct trap_frame *f = vcpu_frame(v);

	memset(f, 0, sizeof(*f));
	f->eax = r->eax;
	f->ebx = r->ebx;
	f->ecx = r->ecx;
	f->edx = r->edx;
	f->esi = r->esi;
	f->edi = r->edi;
	f->ebp = r->ebp;
	f->esp = r->esp;
	f->eip = r->eip;
	f->cs = r->cs;
	f->ss = r->ss;
	f->ds = r->ds;
	f->es = r->es;
	f->fs = r->fs;
	f->gs = r->gs;
	/* The context's IOPL is the virtual one (as Xen); the CPU's is 0,
	 * interrupts are on, no virtual-8086, nested task or trap flag. */
	v->iopl = (uint8_t)((r->eflags & X86_EFLAGS_IOPL) >> 12);
	f->eflags = (r->eflags & (X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF |
				  X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_DF |
				  X86_EFLAGS_OF)) |
		    X86_EFLAGS_IF | X86_EFLAGS_RSVD1;
}

/* Everything is checked: the rest cannot fail. */
static void load_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v->traps); i++) {
		v->traps[i] = c->trap_ctxt[i].address ? c->trap_ctxt[i] :
			      (struct trap_info){ 0 };
		v->traps[i].vector = (uint8_t)i;
	}
	v->nmi_pending = v->nmi_masked = false;
	v->kernel_ss = c->kernel_ss;
	v->kernel_sp = c->kernel_sp;
	v->event_callback = (struct xen_callback){
		c->event_callback_eip ? c->event_callback_cs : 0,
		c->event_callback_eip };
	v->failsafe_callback = (struct xen_callback){
		c->failsafe_callback_eip ? c->failsafe_callback_cs : 0,
		c->failsafe_callback_eip };
	if (c->flags & VGCF_failsafe_disables_events)
		v->callback_mask_events |= 1u << CALLBACKTYPE_failsafe;
	else
		v->callback_mask_events &= ~(1u << CALLBACKTYPE_failsafe);
	v->guest_cr4_de = c->ctrlreg[4] & X86_CR4_DE;	/* as Xen takes it */
	v->guest_cr4_tsd = c->ctrlreg[4] & X86_CR4_TSD;
	for (i = 0; i < ARRAY_SIZE(context_drs); i++)
		debugreg_set(v, context_drs[i], c->debugreg[context_drs[i]]);
	load_registers(v, &c->user_regs);
	sched_prepare_vcpu(v);
	v->initialised = true;
}

int vcpu_set_context(struct vcpu *v, struct vcpu_guest_context *c)
{
	int rc = check_plain(c);

	if (!rc && (c->flags & VGCF_I387_VALID))
		rc = fpu_set_image(v, c->fpu_ctxt);
	if (!rc)
		rc = take_frames(v, c);
	if (rc) {
		v->fpu_used = false;
		return rc;
	}
	load_context(v, c);
	if (c->flags & VGCF_online) {
		v->down = false;
		time_vcpu_online(v);
	}
	sched_vcpu_changed(v);
	return 0;
}

static long initialise(struct vcpu *v, uint32_t arg)
{
	if (copy_from_guest(&ctxt_buf, arg, sizeof(ctxt_buf)))
		return -XEN_EFAULT;
	if (v->initialised)
		return -XEN_EEXIST;
	return vcpu_set_context(v, &ctxt_buf);
}

static long vcpu_up(struct vcpu *v)
{
	if (!v->initialised)
		return -XEN_EINVAL;
	if (v->down) {
		v->down = false;
		time_vcpu_online(v);
		sched_vcpu_changed(v);
	}
	return 0;
}

/* Down v; if no other vCPU is up, the domain powers off instead. */
static long vcpu_down(struct vcpu *v)
{
	struct domain *d = v->domain;
	uint32_t i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i] != v && !d->vcpu[i]->down)
			break;
	if (i == d->max_vcpus) {
		domain_shutdown(d, SHUTDOWN_poweroff);
		return 0;
	}
	if (!v->down) {
		v->down = true;
		sched_vcpu_changed(v);	/* the caller itself: switched out */
	}
	return 0;
}

long do_vcpu_op(uint32_t cmd, uint32_t vcpuid, uint32_t arg, uint32_t a4,
		uint32_t a5)
{
	struct vcpu *v = domain_vcpu(current_domain(), vcpuid);

	(void)a4;
	(void)a5;
	if (!v)
		return -XEN_ENOENT;
	switch (cmd) {
	case VCPUOP_initialise:
		return initialise(v, arg);
	case VCPUOP_up:
		return vcpu_up(v);
	case VCPUOP_down:
		return vcpu_down(v);
	case VCPUOP_is_up:
		return !v->down;
	case VCPUOP_get_runstate_info:
	case VCPUOP_register_runstate_memory_area:
	case VCPUOP_set_periodic_timer:
	case VCPUOP_stop_periodic_timer:
	case VCPUOP_set_singleshot_timer:
	case VCPUOP_stop_singleshot_timer:
	case VCPUOP_register_vcpu_time_memory_area:
		return time_vcpu_op(v, cmd, arg);
	case VCPUOP_register_vcpu_info:
		return vcpu_info_register(v, arg);
	default:
		return -XEN_ENOSYS;
	}
}
