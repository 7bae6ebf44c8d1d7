/*
 * sched.c - the sched_op hypercall (and its old numeric form) and what
 * runs when no vCPU can: the idle loop.  With Dom0 as the only domain the
 * "scheduler" runs Dom0 or idles; BVT arrives with multiple domains.
 */
#include "hypercall.h"
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "sched.h"
#include "arch/x86_32/x86.h"
#include <public/errno.h>
#include <public/sched.h>

static long sched_shutdown(uint32_t reason)
{
	if (reason > SHUTDOWN_soft_reset)
		return -XEN_EINVAL;
	domain_shutdown(current_domain(), reason);
	return 0;
}

static long sched_block(void)
{
	struct vcpu *v = current_vcpu();

	/* Blocking re-enables event delivery (the ABI says so). */
	v->domain->shared_info->vcpu_info[0].evtchn_upcall_mask = 0;
	if (!v->domain->shared_info->vcpu_info[0].evtchn_upcall_pending)
		v->blocked = true;
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

	if (v->domain->state == DOMAIN_RUNNING && !v->blocked)
		return;
	printk(LOG_INFO, "no runnable domain: idle\n");
	for (;;)
		safe_halt();
}
