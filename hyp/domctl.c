/*
 * domctl.c - the domctl and sysctl hypercalls: Dom0's control interface
 * (include/public/domctl.h, sysctl.h).  See domctl.h.
 *
 * Every argument is copied in once, checked, acted on, and the result
 * copied back.  A domain never controls itself through domctl (pause,
 * destroy and setvcpucontext name another domain), and Dom0 cannot be
 * destroyed.  setvcpucontext loads a vCPU context exactly as
 * VCPUOP_initialise does (vcpu.h), all checks before any change.
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
#include "vcpu.h"
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

/* Blocked: every vCPU that is up is blocked; running: one of them runs. */
static uint32_t info_flags(const struct domain *d)
{
	uint32_t f = 0, i, up = 0, blocked = 0;

	if (d->state == DOMAIN_DYING)
		f |= XEN_DOMINF_dying;
	if (d->state == DOMAIN_SHUTDOWN)
		f |= XEN_DOMINF_shutdown |
		     (d->shutdown_reason & XEN_DOMINF_shutdownmask)
			<< XEN_DOMINF_shutdownshift;
	if (d->pause_count)
		f |= XEN_DOMINF_paused;
	for (i = 0; i < d->max_vcpus; i++) {
		const struct vcpu *v = d->vcpu[i];

		if (sched_vcpu_is_running(v))
			f |= XEN_DOMINF_running;
		if (v->down)
			continue;
		up++;
		blocked += v->blocked;
	}
	if (up && blocked == up)
		f |= XEN_DOMINF_blocked;
	return f;
}

/* The first domain whose id is at least op->domain. */
static long getdomaininfo(struct xen_domctl *op)
{
	struct xen_domctl_getdomaininfo *i = &op->u.getdomaininfo;
	struct domain *d;
	uint32_t n;

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
	for (n = 0; n < d->max_vcpus; n++) {
		i->cpu_time += sched_cpu_time(d->vcpu[n]);
		i->nr_online_vcpus += !d->vcpu[n]->down;
	}
	i->max_vcpu_id = d->max_vcpus - 1;
	op->domain = d->domid;
	return 0;
}

static long setvcpucontext(struct domain *d, struct xen_domctl *op)
{
	struct vcpu_guest_context *c = &ctxt_buf;
	struct vcpu *v = domain_vcpu(d, op->u.vcpucontext.vcpu);

	if (!v)
		return -XEN_ENOENT;
	if (v->initialised)
		return -XEN_EEXIST;
	if (op->u.vcpucontext.ctxt >> 32 ||
	    copy_from_guest(c, (uint32_t)op->u.vcpucontext.ctxt, sizeof(*c)))
		return -XEN_EFAULT;
	return vcpu_set_context(v, c);
}

static long max_mem(struct domain *d, const struct xen_domctl *op)
{
	uint64_t pages = op->u.max_mem.max_memkb >> 2;

	if (pages > max_mfn)
		return -XEN_EINVAL;
	d->max_pages = (uint32_t)pages;
	return 0;
}

/* Each vCPU gets the domain's parameters (all valid or none set). */
static long set_bvt(struct domain *d, const struct xen_domctl_sched_bvt *b)
{
	uint32_t i;
	long rc = 0;

	for (i = 0; !rc && i < d->max_vcpus; i++)
		rc = sched_set_params(d->vcpu[i], b->weight, b->warp_ns,
				      b->warp_limit_ns, b->unwarp_ns);
	return rc;
}

static long scheduler_op(struct domain *d, struct xen_domctl *op)
{
	struct xen_domctl_scheduler_op *s = &op->u.scheduler_op;
	struct xen_domctl_sched_bvt *b = &s->u.bvt;

	if (s->sched_id != XEN_SCHEDULER_BVT)
		return -XEN_EINVAL;
	switch (s->cmd) {
	case XEN_DOMCTL_SCHEDOP_putinfo:
		return set_bvt(d, b);
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
		return domain_set_max_vcpus(d, op->u.max_vcpus.max);
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

/*
 * In steps (domain.h): while more remains, the call continues itself with
 * the same argument, and the re-executed call finds the dying domain.
 */
static long destroy(domid_t id, uint32_t arg)
{
	struct domain *d = domain_lookup_dying(id);

	if (!d)
		return -XEN_ESRCH;
	if (d == current_domain() || d->domid == 0)
		return -XEN_EINVAL;
	if (!domain_destroy_step(d, true))
		hypercall_continue(__HYPERVISOR_domctl, arg, 0);
	return 0;
}

static long dispatch(struct xen_domctl *op, uint32_t arg)
{
	struct domain *d;

	if (op->cmd == XEN_DOMCTL_createdomain)
		return create(op);
	if (op->cmd == XEN_DOMCTL_getdomaininfo)
		return getdomaininfo(op);
	if (op->cmd == XEN_DOMCTL_destroydomain)
		return destroy(op->domain, arg);
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
	rc = dispatch(&op, arg);
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
