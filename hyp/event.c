/*
 * event.c - event channels and the event_channel_op hypercall.  See
 * event.h.  Everything a guest passes is copied in first; every port
 * number is checked against the table before it indexes anything.
 */
#include "event.h"
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "mm.h"
#include "sched.h"
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/xen.h>

static bool port_valid(uint32_t port)
{
	return port > 0 && port < NR_EVENT_CHANNELS;
}

static bool bit_test_and_set(volatile uint32_t *words, uint32_t bit)
{
	uint32_t mask = 1u << (bit % 32), old = words[bit / 32];

	words[bit / 32] = old | mask;
	return old & mask;
}

static bool bit_test(const volatile uint32_t *words, uint32_t bit)
{
	return words[bit / 32] & (1u << (bit % 32));
}

/* The port's word is pending and unmasked: flag it in the vCPU the port
 * notifies and wake that vCPU. */
static void raise_upcall(struct domain *d, uint32_t port)
{
	struct vcpu *v = d->vcpu[d->evtchn[port].notify_vcpu];
	struct vcpu_info *vi = v->vcpu_info;

	if (!bit_test_and_set(&vi->evtchn_pending_sel, port / 32)) {
		vi->evtchn_upcall_pending = 1;
		vcpu_unblock(v);
	}
}

void evtchn_set_pending(struct domain *d, uint32_t port)
{
	struct shared_info *s = d->shared_info;
	uint32_t i;

	if (bit_test_and_set(s->evtchn_pending, port))
		return;
	if (!bit_test(s->evtchn_mask, port))
		raise_upcall(d, port);
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i]->polling)	/* they wake even for masked ports */
			vcpu_unblock(d->vcpu[i]);
}

bool evtchn_is_pending(const struct domain *d, uint32_t port)
{
	return port_valid(port) && bit_test(d->shared_info->evtchn_pending, port);
}

bool evtchn_send_virq(struct vcpu *v, unsigned int virq)
{
	uint32_t port = virq < NR_VIRQS ? v->virq_to_port[virq] : 0;

	if (!port)
		return false;
	evtchn_set_pending(v->domain, port);
	return true;
}

static int get_free_port(struct domain *d)
{
	uint32_t p;

	for (p = 1; p < NR_EVENT_CHANNELS; p++)
		if (d->evtchn[p].state == ECS_FREE)
			return (int)p;
	return -XEN_ENOSPC;
}

/* DOMID_SELF or the caller's own id; another domain only for Dom0
 * (-EPERM for anyone else), and only one that exists (-ESRCH). */
static int resolve_domain(domid_t id, struct domain **out)
{
	struct domain *cur = current_domain();

	if (id == DOMID_SELF || id == cur->domid) {
		*out = cur;
		return 0;
	}
	if (!domain_is_privileged(cur))
		return -XEN_EPERM;
	*out = domain_lookup(id);
	return *out ? 0 : -XEN_ESRCH;
}

static int alloc_unbound(struct evtchn_alloc_unbound *a)
{
	struct domain *d, *remote;
	int port = resolve_domain(a->dom, &d);

	if (port)
		return port;
	remote = a->remote_dom == DOMID_SELF ? current_domain() :
		 domain_lookup(a->remote_dom);
	if (!remote)
		return -XEN_ESRCH;
	port = get_free_port(d);
	if (port < 0)
		return port;
	d->evtchn[port] = (struct evtchn){ .state = ECS_UNBOUND,
					   .remote_dom = remote->domid };
	a->port = (uint32_t)port;
	return 0;
}

static int bind_interdomain(struct evtchn_bind_interdomain *b)
{
	struct domain *ld = current_domain();
	struct domain *rd = b->remote_dom == DOMID_SELF ? ld :
			    domain_lookup(b->remote_dom);
	struct evtchn *rchn;
	int lport;

	if (!rd)
		return -XEN_ESRCH;
	if (!port_valid(b->remote_port))
		return -XEN_EINVAL;
	rchn = &rd->evtchn[b->remote_port];
	if (rchn->state != ECS_UNBOUND || rchn->remote_dom != ld->domid)
		return -XEN_EINVAL;
	lport = get_free_port(ld);
	if (lport < 0)
		return lport;
	ld->evtchn[lport] = (struct evtchn){ .state = ECS_INTERDOMAIN,
		.remote_dom = rd->domid, .value = b->remote_port };
	*rchn = (struct evtchn){ .state = ECS_INTERDOMAIN,
		.remote_dom = ld->domid, .value = (uint32_t)lport,
		.notify_vcpu = rchn->notify_vcpu };
	b->local_port = (uint32_t)lport;
	/* A send that raced the bind is not lost: the new port starts pending. */
	evtchn_set_pending(ld, (uint32_t)lport);
	return 0;
}

/* VIRQs each vCPU binds for itself; the others exist once, on vCPU 0. */
static bool virq_is_global(uint32_t virq)
{
	return virq != VIRQ_TIMER && virq != VIRQ_DEBUG &&
	       virq != VIRQ_XENOPROF && virq != VIRQ_XENPMU;
}

/* The vCPU whose table holds the binding of VIRQ port chn. */
static struct vcpu *virq_owner(struct domain *d, const struct evtchn *chn)
{
	return virq_is_global(chn->value) ? d->vcpu[0] : d->vcpu[chn->notify_vcpu];
}

static int bind_virq(struct evtchn_bind_virq *b)
{
	struct domain *d = current_domain();
	struct vcpu *v;
	int port;

	if (b->virq >= NR_VIRQS || (virq_is_global(b->virq) && b->vcpu != 0))
		return -XEN_EINVAL;
	v = domain_vcpu(d, b->vcpu);
	if (!v)
		return -XEN_ENOENT;
	if (v->virq_to_port[b->virq])
		return -XEN_EEXIST;
	port = get_free_port(d);
	if (port < 0)
		return port;
	d->evtchn[port] = (struct evtchn){ .state = ECS_VIRQ, .value = b->virq,
					   .notify_vcpu = (uint8_t)b->vcpu };
	v->virq_to_port[b->virq] = (uint16_t)port;
	b->port = (uint32_t)port;
	/* Input that arrived before the bind is announced, not left waiting
	 * (the UART is not drained further until it is read). */
	if (b->virq == VIRQ_CONSOLE && d->domid == 0 && console_input_waiting())
		evtchn_set_pending(d, (uint32_t)port);
	return 0;
}

static int bind_ipi(struct evtchn_bind_ipi *b)
{
	struct domain *d = current_domain();
	int port;

	if (!domain_vcpu(d, b->vcpu))
		return -XEN_ENOENT;
	port = get_free_port(d);
	if (port < 0)
		return port;
	d->evtchn[port] = (struct evtchn){ .state = ECS_IPI,
					   .notify_vcpu = (uint8_t)b->vcpu };
	b->port = (uint32_t)port;
	return 0;
}

static int bind_pirq(struct evtchn_bind_pirq *b)
{
	struct domain *d = current_domain();
	int port, rc;

	port = get_free_port(d);
	if (port < 0)
		return port;
	rc = physdev_pirq_bind(d, b->pirq, (uint32_t)port);
	if (rc)
		return rc;
	d->evtchn[port] = (struct evtchn){ .state = ECS_PIRQ, .value = b->pirq };
	b->port = (uint32_t)port;
	return 0;
}

static void close_port(struct domain *d, uint32_t port)
{
	struct evtchn *chn = &d->evtchn[port];
	struct domain *rd;

	switch (chn->state) {
	case ECS_VIRQ:
		virq_owner(d, chn)->virq_to_port[chn->value] = 0;
		break;
	case ECS_PIRQ:
		physdev_pirq_unbind(d, chn->value, port);
		break;
	case ECS_INTERDOMAIN:
		/* The other end waits again for this domain to bind. */
		rd = domain_lookup(chn->remote_dom);
		if (rd) {
			struct evtchn *rchn = &rd->evtchn[chn->value];

			*rchn = (struct evtchn){ .state = ECS_UNBOUND,
				.remote_dom = d->domid,
				.notify_vcpu = rchn->notify_vcpu };
		}
		break;
	}
	*chn = (struct evtchn){ .state = ECS_FREE };
}

void evtchn_close_all(struct domain *d)
{
	uint32_t p;

	for (p = 1; p < NR_EVENT_CHANNELS; p++)
		close_port(d, p);
}

static int close_op(const struct evtchn_close *c)
{
	struct domain *d = current_domain();

	if (!port_valid(c->port) || d->evtchn[c->port].state == ECS_FREE)
		return -XEN_EINVAL;
	close_port(d, c->port);
	return 0;
}

static int send_op(const struct evtchn_send *s)
{
	struct domain *d = current_domain(), *rd;
	struct evtchn *chn;

	if (!port_valid(s->port))
		return -XEN_EINVAL;
	chn = &d->evtchn[s->port];
	switch (chn->state) {
	case ECS_INTERDOMAIN:
		rd = domain_lookup(chn->remote_dom);
		if (rd)
			evtchn_set_pending(rd, chn->value);
		return 0;
	case ECS_IPI:
		evtchn_set_pending(d, s->port);
		return 0;
	case ECS_UNBOUND:
		return 0;	/* nobody to tell yet */
	default:
		return -XEN_EINVAL;
	}
}

static int status_op(struct evtchn_status *st)
{
	struct domain *d;
	struct evtchn *chn;
	int rc = resolve_domain(st->dom, &d);

	if (rc)
		return rc;
	if (!port_valid(st->port))
		return -XEN_EINVAL;
	chn = &d->evtchn[st->port];
	memset(&st->u, 0, sizeof(st->u));
	st->vcpu = chn->notify_vcpu;
	switch (chn->state) {
	case ECS_UNBOUND:
		st->status = EVTCHNSTAT_unbound;
		st->u.unbound.dom = chn->remote_dom;
		break;
	case ECS_INTERDOMAIN:
		st->status = EVTCHNSTAT_interdomain;
		st->u.interdomain.dom = chn->remote_dom;
		st->u.interdomain.port = chn->value;
		break;
	case ECS_VIRQ:
		st->status = EVTCHNSTAT_virq;
		st->u.virq = chn->value;
		break;
	case ECS_IPI:
		st->status = EVTCHNSTAT_ipi;
		break;
	case ECS_PIRQ:
		st->status = EVTCHNSTAT_pirq;
		st->u.pirq = chn->value;
		break;
	default:
		st->status = EVTCHNSTAT_closed;
	}
	return 0;
}

static int unmask_op(const struct evtchn_unmask *u)
{
	struct domain *d = current_domain();
	struct shared_info *s = d->shared_info;

	if (!port_valid(u->port))
		return -XEN_EINVAL;
	s->evtchn_mask[u->port / 32] &= ~(1u << (u->port % 32));
	if (bit_test(s->evtchn_pending, u->port))
		raise_upcall(d, u->port);
	return 0;
}

/* Move a port's notifications to another vCPU; IPIs and per-vCPU VIRQs
 * belong to the vCPU they were bound for. */
static int bind_vcpu(const struct evtchn_bind_vcpu *b)
{
	struct domain *d = current_domain();
	struct evtchn *chn;

	if (!port_valid(b->port))
		return -XEN_EINVAL;
	chn = &d->evtchn[b->port];
	if (!domain_vcpu(d, b->vcpu))
		return -XEN_ENOENT;
	switch (chn->state) {
	case ECS_VIRQ:
		if (!virq_is_global(chn->value))
			return -XEN_EINVAL;
		/* fall through */
	case ECS_UNBOUND:
	case ECS_INTERDOMAIN:
	case ECS_PIRQ:
		chn->notify_vcpu = (uint8_t)b->vcpu;
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

/*
 * The FIFO ABI is not offered, but its probes get Xen's answers for bad
 * arguments (vCPU, then offset, then the frame, which for a PV guest is a
 * machine frame it owns) and -EOPNOTSUPP otherwise, so a guest falls back
 * to the 2-level ABI.
 */
static int fifo_init_control(const struct evtchn_init_control *c)
{
	if (!domain_vcpu(current_domain(), c->vcpu))
		return -XEN_ENOENT;
	if (c->offset > PAGE_SIZE - EVTCHN_FIFO_CONTROL_BLOCK_SIZE ||
	    (c->offset & 7))
		return -XEN_EINVAL;
	if (c->control_gfn >> 32 || !mfn_valid(_mfn((uint32_t)c->control_gfn)) ||
	    mfn_to_page(_mfn((uint32_t)c->control_gfn))->owner !=
	    current_domain()->domid)
		return -XEN_EINVAL;
	return -XEN_EOPNOTSUPP;
}

/* Argument sizes, by command; 0 = not offered. */
static uint32_t op_size(uint32_t cmd)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound: return sizeof(struct evtchn_alloc_unbound);
	case EVTCHNOP_bind_interdomain: return sizeof(struct evtchn_bind_interdomain);
	case EVTCHNOP_bind_virq: return sizeof(struct evtchn_bind_virq);
	case EVTCHNOP_bind_ipi: return sizeof(struct evtchn_bind_ipi);
	case EVTCHNOP_bind_pirq: return sizeof(struct evtchn_bind_pirq);
	case EVTCHNOP_close: return sizeof(struct evtchn_close);
	case EVTCHNOP_send: return sizeof(struct evtchn_send);
	case EVTCHNOP_status: return sizeof(struct evtchn_status);
	case EVTCHNOP_bind_vcpu: return sizeof(struct evtchn_bind_vcpu);
	case EVTCHNOP_unmask: return sizeof(struct evtchn_unmask);
	case EVTCHNOP_init_control: return sizeof(struct evtchn_init_control);
	case EVTCHNOP_expand_array: return sizeof(struct evtchn_expand_array);
	default: return 0;
	}
}

static int dispatch(uint32_t cmd, void *a)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound: return alloc_unbound(a);
	case EVTCHNOP_bind_interdomain: return bind_interdomain(a);
	case EVTCHNOP_bind_virq: return bind_virq(a);
	case EVTCHNOP_bind_ipi: return bind_ipi(a);
	case EVTCHNOP_bind_pirq: return bind_pirq(a);
	case EVTCHNOP_close: return close_op(a);
	case EVTCHNOP_send: return send_op(a);
	case EVTCHNOP_status: return status_op(a);
	case EVTCHNOP_bind_vcpu: return bind_vcpu(a);
	case EVTCHNOP_init_control: return fifo_init_control(a);
	case EVTCHNOP_expand_array: return -XEN_EOPNOTSUPP;
	default: return unmask_op(a);
	}
}

long do_event_channel_op(uint32_t cmd, uint32_t arg, uint32_t a3,
			 uint32_t a4, uint32_t a5)
{
	uint8_t buf[32];
	uint32_t size = op_size(cmd);
	int rc;

	(void)a3;
	(void)a4;
	(void)a5;
	if (!size)
		return -XEN_ENOSYS;	/* reset: not offered */
	if (copy_from_guest(buf, arg, size))
		return -XEN_EFAULT;
	rc = dispatch(cmd, buf);
	if (!rc && copy_to_guest(arg, buf, size))
		return -XEN_EFAULT;
	return rc;
}

long do_event_channel_op_compat(uint32_t arg, uint32_t a2, uint32_t a3,
				uint32_t a4, uint32_t a5)
{
	uint32_t cmd;

	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	if (copy_from_guest(&cmd, arg, sizeof(cmd)))
		return -XEN_EFAULT;
	return do_event_channel_op(cmd, arg + 4, 0, 0, 0);
}
