/*
 * domctl.c - the domctl and sysctl hypercalls: Dom0's control interface
 * (include/public/domctl.h, sysctl.h).  See domctl.h.
 *
 * Every argument is copied in once, checked, acted on, and the result
 * copied back.  A domain never controls itself through domctl (pause,
 * destroy and setvcpucontext name another domain), and Dom0 cannot be
 * destroyed.  setvcpucontext is validated like the hypercalls that set
 * the same state one piece at a time (set_trap_table, stack_switch,
 * callbacks, new baseptr), before anything is changed.
 */
#include "domctl.h"
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "mmu.h"
#include "physdev.h"
#include "sched.h"
#include "time.h"
#include "arch/x86_32/paging.h"
#include "arch/x86_32/x86.h"
#include <public/domctl.h>
#include <public/errno.h>
#include <public/sysctl.h>

/* Only one domctl runs at a time (one CPU, hypercalls do not nest). */
static struct vcpu_guest_context ctxt_buf;

static long create(struct xen_domctl *op)
{
	struct xen_domctl_createdomain *c = &op->u.createdomain;
	struct domain *d;
	char name[DOMAIN_NAME_MAX];
	int rc;

	if (c->flags || c->emulation_flags)
		return -XEN_EINVAL;	/* PV guests only, nothing emulated */
	rc = domain_create(op->domain, "", false, &d);
	if (rc)
		return rc;
	snprintf(name, sizeof(name), "d%u", d->domid);
	strlcpy(d->name, name, sizeof(d->name));
	op->domain = d->domid;
	printk(LOG_INFO, "domain %u created by domain %u\n", d->domid,
	       current_domain()->domid);
	return 0;
}

static uint32_t info_flags(const struct domain *d)
{
	const struct vcpu *v = &d->vcpu0;
	uint32_t f = 0;

	if (d->state == DOMAIN_SHUTDOWN)
		f |= XEN_DOMINF_shutdown |
		     (d->shutdown_reason & XEN_DOMINF_shutdownmask)
			<< XEN_DOMINF_shutdownshift;
	if (d->pause_count)
		f |= XEN_DOMINF_paused;
	if (v->blocked)
		f |= XEN_DOMINF_blocked;
	if (sched_vcpu_is_running(v))
		f |= XEN_DOMINF_running;
	return f;
}

/* The first domain whose id is at least op->domain. */
static long getdomaininfo(struct xen_domctl *op)
{
	struct xen_domctl_getdomaininfo *i = &op->u.getdomaininfo;
	struct domain *d;

	for (d = domain_first(); d && d->domid < op->domain; d = domain_next(d))
		;
	if (!d)
		return -XEN_ESRCH;
	memset(i, 0, sizeof(*i));
	i->domain = d->domid;
	i->flags = info_flags(d);
	i->tot_pages = d->nr_pages;
	i->max_pages = d->max_pages;
	i->shared_info_frame = virt_to_phys(d->shared_info) >> PAGE_SHIFT;
	i->cpu_time = sched_cpu_time(&d->vcpu0);
	i->nr_online_vcpus = d->vcpu0.initialised ? 1 : 0;
	i->max_vcpu_id = 0;
	op->domain = d->domid;
	return 0;
}

/*
 * The new vCPU has no GDT of its own yet (gdt_ents must be 0), so only
 * the hypervisor's reserved flat selectors can mean anything: data
 * segments are null or flat ring 1/3 data, code is FLAT_RING1_CS.
 */
static bool data_selector_ok(uint32_t sel)
{
	return (sel & 0xfffc) == 0 || sel == FLAT_RING1_DS || sel == FLAT_RING3_DS;
}

static bool callback_ok(uint32_t cs, uint32_t eip)
{
	return !eip || cs == FLAT_RING1_CS;
}

/* Everything setvcpucontext reads, checked before anything changes. */
static long check_context(const struct vcpu_guest_context *c)
{
	const struct cpu_user_regs *r = &c->user_regs;
	unsigned int i;

	if (c->ldt_ents || c->gdt_ents)
		return -XEN_EOPNOTSUPP;	/* set_gdt once running */
	if (r->cs != FLAT_RING1_CS || r->ss != FLAT_RING1_SS ||
	    !data_selector_ok(r->ds) || !data_selector_ok(r->es) ||
	    !data_selector_ok(r->fs) || !data_selector_ok(r->gs))
		return -XEN_EINVAL;
	if (c->kernel_ss != FLAT_RING1_SS ||
	    !callback_ok(c->event_callback_cs, c->event_callback_eip) ||
	    !callback_ok(c->failsafe_callback_cs, c->failsafe_callback_eip))
		return -XEN_EINVAL;
	for (i = 0; i < 256; i++) {
		const struct trap_info *t = &c->trap_ctxt[i];

		if (t->address && !callback_ok(t->cs, t->address))
			return -XEN_EPERM;
	}
	return 0;
}

static void load_frame(struct vcpu *v, const struct cpu_user_regs *r)
{
	struct trap_frame *f = vcpu_frame(v);

	memset(f, 0, sizeof(*f));
	f->eax = r->eax; f->ebx = r->ebx; f->ecx = r->ecx; f->edx = r->edx;
	f->esi = r->esi; f->edi = r->edi; f->ebp = r->ebp;
	f->eip = r->eip;
	f->cs = r->cs;
	f->ss = r->ss;
	f->esp = r->esp;
	f->ds = r->ds; f->es = r->es; f->fs = r->fs; f->gs = r->gs;
	/* Interrupts on, IOPL 0, no virtual-8086, nested task or trap flag. */
	f->eflags = (r->eflags & (X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF |
				  X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_DF |
				  X86_EFLAGS_OF)) |
		    X86_EFLAGS_IF | X86_EFLAGS_RSVD1;
}

static void load_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
	unsigned int i;

	load_frame(v, &c->user_regs);
	memset(v->traps, 0, sizeof(v->traps));
	for (i = 0; i < 256; i++)
		if (c->trap_ctxt[i].address)
			v->traps[c->trap_ctxt[i].vector] = c->trap_ctxt[i];
	v->kernel_ss = c->kernel_ss;
	v->kernel_sp = c->kernel_sp;
	v->event_callback = (struct xen_callback){ c->event_callback_cs,
						   c->event_callback_eip };
	v->failsafe_callback = (struct xen_callback){ c->failsafe_callback_cs,
						      c->failsafe_callback_eip };
	sched_prepare_vcpu(v);
	v->initialised = true;
	sched_vcpu_changed(v);
}

static long setvcpucontext(struct domain *d, struct xen_domctl *op)
{
	struct vcpu_guest_context *c = &ctxt_buf;
	struct vcpu *v = &d->vcpu0;
	long rc;

	if (op->u.vcpucontext.vcpu != 0)
		return -XEN_ENOENT;	/* one vCPU per domain */
	if (v->initialised)
		return -XEN_EEXIST;
	if (op->u.vcpucontext.ctxt >> 32 ||
	    copy_from_guest(c, (uint32_t)op->u.vcpucontext.ctxt, sizeof(*c)))
		return -XEN_EFAULT;
	rc = check_context(c);
	if (rc)
		return rc;
	/* The last check also takes the L3's reference: nothing to undo. */
	rc = mmu_set_baseptr(v, xen_cr3_to_pfn(c->ctrlreg[3]));
	if (rc)
		return rc;
	load_context(v, c);
	return 0;
}

static long max_mem(struct domain *d, const struct xen_domctl *op)
{
	uint64_t pages = op->u.max_mem.max_memkb >> 2;

	if (pages > max_mfn)
		return -XEN_EINVAL;
	d->max_pages = (uint32_t)pages;
	return 0;
}

static long scheduler_op(struct domain *d, struct xen_domctl *op)
{
	struct xen_domctl_scheduler_op *s = &op->u.scheduler_op;
	struct xen_domctl_sched_bvt *b = &s->u.bvt;

	if (s->sched_id != XEN_SCHEDULER_BVT)
		return -XEN_EINVAL;
	switch (s->cmd) {
	case XEN_DOMCTL_SCHEDOP_putinfo:
		return sched_set_params(&d->vcpu0, b->weight, b->warp_ns,
					b->warp_limit_ns, b->unwarp_ns);
	case XEN_DOMCTL_SCHEDOP_getinfo:
		memset(b, 0, sizeof(*b));
		sched_get_params(&d->vcpu0, &b->weight, &b->warp_ns,
				 &b->warp_limit_ns, &b->unwarp_ns);
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

/* Write the hypercall page into a frame the domain owns and may write. */
static long hypercall_init(struct domain *d, const struct xen_domctl *op)
{
	uint64_t gmfn = op->u.hypercall_init.gmfn;
	struct page_info *pg;
	void *p;

	if (gmfn >= max_mfn)
		return -XEN_EINVAL;
	pg = mfn_to_page(_mfn((uint32_t)gmfn));
	if (pg->owner != d->domid || !pg->ref_count ||
	    (pg->type_count && pg->type != PGT_WRITABLE))
		return -XEN_EINVAL;
	p = map_domain_page(_mfn((uint32_t)gmfn));
	hypercall_page_fill(p);
	unmap_domain_page(p);
	return 0;
}

/* Operations on another, existing domain. */
static long on_domain(struct domain *d, struct xen_domctl *op)
{
	bool self = d == current_domain();

	switch (op->cmd) {
	case XEN_DOMCTL_destroydomain:
		if (self || d->domid == 0)
			return -XEN_EINVAL;
		domain_destroy(d);
		return 0;
	case XEN_DOMCTL_pausedomain:
		if (self)
			return -XEN_EINVAL;
		domain_pause(d);
		return 0;
	case XEN_DOMCTL_unpausedomain:
		if (self || !d->pause_count)
			return -XEN_EINVAL;
		domain_unpause(d);
		return 0;
	case XEN_DOMCTL_max_mem:
		return max_mem(d, op);
	case XEN_DOMCTL_setvcpucontext:
		return self ? -XEN_EINVAL : setvcpucontext(d, op);
	case XEN_DOMCTL_max_vcpus:
		return op->u.max_vcpus.max == 1 ? 0 : -XEN_EINVAL;
	case XEN_DOMCTL_scheduler_op:
		return scheduler_op(d, op);
	case XEN_DOMCTL_ioport_permission:
		return physdev_ioport_permit(d, op->u.ioport_permission.first_port,
					     op->u.ioport_permission.nr_ports,
					     op->u.ioport_permission.allow_access);
	case XEN_DOMCTL_irq_permission:
		return physdev_irq_permit(d, op->u.irq_permission.pirq,
					  op->u.irq_permission.allow_access);
	case XEN_DOMCTL_hypercall_init:
		return hypercall_init(d, op);
	default:
		return -XEN_ENOSYS;
	}
}

static long dispatch(struct xen_domctl *op)
{
	struct domain *d;

	if (op->cmd == XEN_DOMCTL_createdomain)
		return create(op);
	if (op->cmd == XEN_DOMCTL_getdomaininfo)
		return getdomaininfo(op);
	d = domain_lookup(op->domain);
	if (!d)
		return -XEN_ESRCH;
	return on_domain(d, op);
}

long do_domctl(uint32_t arg, uint32_t a2, uint32_t a3, uint32_t a4,
	       uint32_t a5)
{
	struct xen_domctl op;
	long rc;

	(void)a2; (void)a3; (void)a4; (void)a5;
	if (!domain_is_privileged(current_domain()))
		return -XEN_EPERM;
	if (copy_from_guest(&op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	rc = dispatch(&op);
	if (rc == 0 && copy_to_guest(arg, &op, sizeof(op))) {
		if (op.cmd == XEN_DOMCTL_createdomain)
			domain_destroy(domain_lookup(op.domain));
		return -XEN_EFAULT;
	}
	return rc;
}

static void physinfo(struct xen_sysctl_physinfo *p)
{
	uint32_t mfn, ram = 0;

	for (mfn = 0; mfn < max_mfn; mfn++)
		if (frame_table[mfn].owner != DOMID_IO)
			ram++;
	memset(p, 0, sizeof(*p));
	p->threads_per_core = p->cores_per_socket = p->nr_cpus = 1;
	p->nr_nodes = 1;
	p->cpu_khz = time_cpu_khz();
	p->total_pages = ram;
	p->free_pages = mm_free_frames();
	p->max_mfn = max_mfn;
}

long do_sysctl(uint32_t arg, uint32_t a2, uint32_t a3, uint32_t a4,
	       uint32_t a5)
{
	struct xen_sysctl op;

	(void)a2; (void)a3; (void)a4; (void)a5;
	if (!domain_is_privileged(current_domain()))
		return -XEN_EPERM;
	if (copy_from_guest(&op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	if (op.cmd != XEN_SYSCTL_physinfo)
		return -XEN_ENOSYS;
	physinfo(&op.u.physinfo);
	return copy_to_guest(arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}
