/*
 * sched.c - the scheduler glue around the policy (bvt.c), the context
 * switch, the idle loop, and the sched_op hypercall.  See sched.h.
 *
 * Context switch: the outgoing vCPU's callee-saved registers and esp stay
 * on its own hypervisor stack (arch_switch_stack); the incoming vCPU's
 * address space, GDT, trap gates, ring-1 stack and FPU state are loaded
 * and the TSS is pointed at its stack.  The idle vCPU runs on the boot
 * stack in the idle address space and halts until an interrupt makes
 * something runnable.
 */
#include "sched.h"
#include "debugreg.h"
#include "console.h"
#include "domain.h"
#include "event.h"
#include "fpu.h"
#include "gdt.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "mmu.h"
#include "privop.h"
#include "time.h"
#include "traps.h"
#include "arch/x86_32/desc.h"
#include "arch/x86_32/x86.h"
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/xen.h>

#define POLL_MAX_PORTS	128

static const struct sched_ops *ops = &sched_bvt_ops;
static struct sched_policy policy;
static struct domain idle_domain;
static bool need_resched;
static uint64_t slice_end;	/* 0: no slice (idle) */

/* entry.S */
void arch_switch_stack(uint32_t *save_esp, uint32_t new_esp);
void arch_vcpu_first_entry(void);
extern char boot_stack_top[];

static struct vcpu *idle_vcpu(void)
{
	return &idle_domain.vcpu0;
}

static struct vcpu *entity_vcpu(struct sched_entity *e)
{
	return (struct vcpu *)((char *)e - __builtin_offsetof(struct vcpu, sched));
}

void sched_init(void)
{
	ops->init(&policy);
	idle_domain.domid = DOMID_IDLE;
	strlcpy(idle_domain.name, "idle", sizeof(idle_domain.name));
	idle_domain.vcpu0.domain = &idle_domain;
	idle_domain.vcpu0.stack_top = (uint32_t)boot_stack_top;
	set_current(idle_vcpu());
}

void sched_add_vcpu(struct vcpu *v)
{
	ops->add(&policy, &v->sched);
}

void sched_remove_vcpu(struct vcpu *v)
{
	ops->remove(&policy, &v->sched);
}

static bool vcpu_runnable(const struct vcpu *v)
{
	const struct domain *d = v->domain;

	return d->state == DOMAIN_RUNNING && !d->pause_count &&
	       v->initialised && !v->down && !v->blocked;
}

void sched_vcpu_changed(struct vcpu *v)
{
	bool runnable = vcpu_runnable(v);

	if (!v->sched.policy || runnable == v->sched.runnable)
		return;
	if (runnable)
		ops->wake(&policy, &v->sched, time_now_ns());
	else
		ops->sleep(&policy, &v->sched, time_now_ns());
	need_resched = true;
}

void vcpu_unblock(struct vcpu *v)
{
	if (!v->blocked)
		return;
	v->blocked = false;
	sched_vcpu_changed(v);
}

void sched_prepare_vcpu(struct vcpu *v)
{
	uint32_t *sp = (uint32_t *)vcpu_frame(v);

	*--sp = (uint32_t)arch_vcpu_first_entry;
	*--sp = 0;	/* ebp */
	*--sp = 0;	/* ebx */
	*--sp = 0;	/* esi */
	*--sp = 0;	/* edi */
	v->saved_esp = (uint32_t)sp;
}

static int outgoing_state(const struct vcpu *v)
{
	if (v->down)
		return RUNSTATE_offline;
	if (v->blocked)
		return RUNSTATE_blocked;
	return vcpu_runnable(v) ? RUNSTATE_runnable : RUNSTATE_offline;
}

static void load_vcpu(struct vcpu *next)
{
	if (next == idle_vcpu()) {
		mmu_load_idle();
		fpu_load_idle();
	} else {
		mmu_load_address_space(next);
		fpu_load_vcpu(next);
	}
	gdt_load_vcpu(next);
	ldt_load_vcpu(next);
	traps_load_vcpu(next);
	debugreg_load(next);
	privop_load_vcpu(next);
	arch_set_hyp_stack(next->stack_top);
}

static void context_switch(struct vcpu *prev, struct vcpu *next)
{
	/* Each runstate copy goes out in its own vCPU's address space. */
	if (prev != idle_vcpu())
		time_runstate_change(prev, outgoing_state(prev));
	set_current(next);
	load_vcpu(next);
	if (next != idle_vcpu()) {
		time_runstate_change(next, RUNSTATE_running);
		time_switch_in(next);
	}
	arch_switch_stack(&prev->saved_esp, next->saved_esp);
}

void schedule(void)
{
	struct vcpu *prev = current_vcpu(), *next;
	struct sched_entity *e;
	uint64_t now = time_now_ns(), slice = 0;

	need_resched = false;
	e = ops->pick(&policy, now, &slice);
	next = e ? entity_vcpu(e) : idle_vcpu();
	slice_end = e ? now + slice : 0;
	if (next != prev)
		context_switch(prev, next);
}

void sched_tick(uint64_t now)
{
	if (slice_end && now >= slice_end)
		need_resched = true;
}

void sched_after_trap(void)
{
	if (need_resched || !vcpu_runnable(current_vcpu()))
		schedule();
}

void sched_start(void)
{
	need_resched = true;
	for (;;) {
		if (need_resched)
			schedule();
		else
			safe_halt();	/* an interrupt may make work */
	}
}

int sched_set_params(struct vcpu *v, uint32_t weight, int64_t warp_ns,
		     uint64_t warp_limit_ns, uint64_t unwarp_ns)
{
	int rc = ops->set_params(&policy, &v->sched, weight, warp_ns,
				 warp_limit_ns, unwarp_ns);

	if (!rc)
		need_resched = true;
	return rc;
}

void sched_get_params(const struct vcpu *v, uint32_t *weight,
		      int64_t *warp_ns, uint64_t *warp_limit_ns,
		      uint64_t *unwarp_ns)
{
	*weight = v->sched.weight;
	*warp_ns = (int64_t)v->sched.warp_ns;
	*warp_limit_ns = v->sched.warp_limit_ns;
	*unwarp_ns = v->sched.unwarp_ns;
}

uint64_t sched_cpu_time(const struct vcpu *v)
{
	uint64_t t = v->runstate.time[RUNSTATE_running];

	if (v->runstate.state == RUNSTATE_running)
		t += time_now_ns() - v->runstate.state_entry_time;
	return t;
}

bool sched_vcpu_is_running(const struct vcpu *v)
{
	return v == current_vcpu();
}

/* ---- sched_op ---- */

static long sched_shutdown(uint32_t reason)
{
	if (reason > SHUTDOWN_soft_reset)
		return -XEN_EINVAL;
	domain_shutdown(current_domain(), reason);
	return 0;
}

static long remote_shutdown(uint32_t arg)
{
	struct sched_remote_shutdown rs;
	struct domain *d;

	if (!domain_is_privileged(current_domain()))
		return -XEN_EPERM;
	if (copy_from_guest(&rs, arg, sizeof(rs)))
		return -XEN_EFAULT;
	if (rs.reason > SHUTDOWN_soft_reset)
		return -XEN_EINVAL;
	d = domain_lookup(rs.domain_id);
	if (!d)
		return -XEN_ESRCH;
	domain_shutdown(d, rs.reason);
	return 0;
}

static long sched_block(void)
{
	struct vcpu *v = current_vcpu();
	struct vcpu_info *vi = v->vcpu_info;

	/* Blocking re-enables event delivery (the ABI says so). */
	vi->evtchn_upcall_mask = 0;
	if (!vi->evtchn_upcall_pending) {
		v->blocked = true;
		sched_vcpu_changed(v);
		schedule();
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

static void poll_wait(struct vcpu *v, uint64_t deadline)
{
	v->polling = true;
	v->poll_deadline = deadline;
	v->blocked = true;
	time_arm(deadline);
	sched_vcpu_changed(v);
	schedule();
	v->polling = false;
	v->poll_deadline = 0;
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
		poll_wait(v, p.timeout);
		if (v->domain->state != DOMAIN_RUNNING || v->nmi_pending)
			break;		/* an NMI ends it, as on Xen */
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
		ops->yield(&policy, &current_vcpu()->sched);
		need_resched = true;
		return 0;
	case SCHEDOP_block:
		return sched_block();
	case SCHEDOP_poll:
		return sched_poll(arg);
	case SCHEDOP_shutdown:
		if (copy_from_guest(&sd, arg, sizeof(sd)))
			return -XEN_EFAULT;
		return sched_shutdown(sd.reason);
	case SCHEDOP_remote_shutdown:
		return remote_shutdown(arg);
	default:
		return -XEN_ENOSYS;
	}
}

/* The old form passes the shutdown reason by value. */
long do_sched_op_compat(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
			uint32_t a5)
{
	/*
	 * The legacy call takes the reason as Xen does: its low byte, any
	 * value, an unknown one shutting the domain down all the same (Dom0's
	 * ends the machine with the crash code).  GNU Mach's panic path passes
	 * a pointer here; refusing it would leave that kernel spinning.
	 */
	if (cmd == SCHEDOP_shutdown) {
		domain_shutdown(current_domain(), arg & 0xff);
		return 0;
	}
	if (cmd == SCHEDOP_yield || cmd == SCHEDOP_block)
		return do_sched_op(cmd, 0, a3, a4, a5);
	return -XEN_ENOSYS;
}
