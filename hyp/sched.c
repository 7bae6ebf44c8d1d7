/*
 * sched.c - the sched_op hypercall (and its old numeric form) and what
 * runs when the vCPU cannot: the idle loop.  With Dom0 as the only domain,
 * blocking halts the CPU until an interrupt makes an event pending for it
 * (the BVT policy in bvt.c arrives with multiple domains).
 */
#include "hypercall.h"
#include "console.h"
#include "domain.h"
#include "event.h"
#include "guest_access.h"
#include "lib.h"
#include "sched.h"
#include "time.h"
#include "arch/x86_32/x86.h"
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/xen.h>

#define POLL_MAX_PORTS	128

static long sched_shutdown(uint32_t reason)
{
	if (reason > SHUTDOWN_soft_reset)
		return -XEN_EINVAL;
	domain_shutdown(current_domain(), reason);
	return 0;
}

/* Halt until v is woken or, if deadline is nonzero, it passes. */
static void idle_until_woken(struct vcpu *v, uint64_t deadline)
{
	time_runstate_change(v, RUNSTATE_blocked);
	while (v->blocked && v->domain->state == DOMAIN_RUNNING &&
	       (!deadline || time_now_ns() < deadline))
		safe_halt();	/* the tick or an event wakes us */
	v->blocked = false;
	time_runstate_change(v, RUNSTATE_running);
}

static long sched_block(void)
{
	struct vcpu *v = current_vcpu();
	struct vcpu_info *vi = &v->domain->shared_info->vcpu_info[0];

	/* Blocking re-enables event delivery (the ABI says so). */
	vi->evtchn_upcall_mask = 0;
	if (!vi->evtchn_upcall_pending) {
		v->blocked = true;
		idle_until_woken(v, 0);
	}
	return 0;
}

static bool any_pending(const struct domain *d, const uint32_t *ports,
			uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (evtchn_is_pending(d, ports[i]))
			return true;
	return false;
}

static long sched_poll(uint32_t arg)
{
	struct vcpu *v = current_vcpu();
	struct sched_poll p;
	uint32_t ports[POLL_MAX_PORTS], i;

	if (copy_from_guest(&p, arg, sizeof(p)))
		return -XEN_EFAULT;
	if (p.nr_ports > POLL_MAX_PORTS)
		return -XEN_EINVAL;
	if (copy_from_guest(ports, p.ports, p.nr_ports * sizeof(ports[0])))
		return -XEN_EFAULT;
	for (i = 0; i < p.nr_ports; i++)
		if (ports[i] >= NR_EVENT_CHANNELS)
			return -XEN_EINVAL;
	while (!any_pending(v->domain, ports, p.nr_ports)) {
		if (p.timeout && time_now_ns() >= p.timeout)
			break;
		v->polling = true;
		v->blocked = true;
		idle_until_woken(v, p.timeout);
		v->polling = false;
		if (v->domain->state != DOMAIN_RUNNING)
			break;
	}
	return 0;
}

long do_sched_op(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
		 uint32_t a5)
{
	struct sched_shutdown sd;

	(void)a3;
	(void)a4;
	(void)a5;
	switch (cmd) {
	case SCHEDOP_yield:
		return 0;
	case SCHEDOP_block:
		return sched_block();
	case SCHEDOP_poll:
		return sched_poll(arg);
	case SCHEDOP_shutdown:
		if (copy_from_guest(&sd, arg, sizeof(sd)))
			return -XEN_EFAULT;
		return sched_shutdown(sd.reason);
	default:
		return -XEN_ENOSYS;
	}
}

/* The old form passes the shutdown reason by value. */
long do_sched_op_compat(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
			uint32_t a5)
{
	if (cmd == SCHEDOP_shutdown)
		return sched_shutdown(arg);
	if (cmd == SCHEDOP_yield || cmd == SCHEDOP_block)
		return do_sched_op(cmd, 0, a3, a4, a5);
	return -XEN_ENOSYS;
}

void sched_after_trap(void)
{
	struct vcpu *v = current_vcpu();

	if (v->domain->state == DOMAIN_RUNNING)
		return;
	printk(LOG_INFO, "no runnable domain: idle\n");
	for (;;)
		safe_halt();
}
