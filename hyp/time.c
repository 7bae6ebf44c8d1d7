/*
 * time.c - system time, wall clock, run-state accounting and guest timers.
 * See time.h.
 */
#include "time.h"
#include "console.h"
#include "domain.h"
#include "event.h"
#include "guest_access.h"
#include "lib.h"
#include "sched.h"
#include "timescale.h"
#include "vcpu_info.h"
#include "arch/x86_32/lapic.h"
#include "arch/x86_32/platform.h"
#include "arch/x86_32/x86.h"
#include <public/errno.h>
#include <public/vcpu.h>
#include <public/xen.h>

#define CALIBRATE_PIT_TICKS	59659u	/* 50 ms of the 8254 */
#define CALIBRATE_NS		(CALIBRATE_PIT_TICKS * 1000000000ull / PIT_HZ)

static uint64_t tsc_at_boot, tsc_hz;
static uint32_t tsc_mul;
static int8_t tsc_shift;
/* The wall clock: Unix time at system time 0, wallclock_nsec < 10^9. */
static uint64_t wallclock_sec;
static uint32_t wallclock_nsec;

#define NS_PER_SEC	1000000000u

/*
 * Make the wall clock read secs.nsecs (nsecs < 10^9) at system time "at"
 * ns, signed like Xen's s_time_t: the base is secs.nsecs - at, computed
 * in (seconds, ns) so nothing overflows.  A base before 1970 becomes
 * 0.000000000 and one past 2^64-1 seconds becomes the largest value.
 */
static void set_wallclock_base(uint64_t secs, uint32_t nsecs, int64_t at)
{
	uint64_t mag = at < 0 ? -(uint64_t)at : (uint64_t)at;
	uint64_t dsec = mag / NS_PER_SEC;	/* below 2^34: no overflow */
	uint32_t dnsec = (uint32_t)(mag % NS_PER_SEC);

	if (at >= 0) {
		if (nsecs < dnsec) {
			nsecs += NS_PER_SEC;	/* borrow a second */
			dsec++;
		}
		nsecs -= dnsec;
		if (secs < dsec) {
			printk(LOG_WARN, "time: wall clock before 1970, set to 0\n");
			secs = dsec;
			nsecs = 0;
		}
		secs -= dsec;
	} else {
		nsecs += dnsec;
		if (nsecs >= NS_PER_SEC) {
			nsecs -= NS_PER_SEC;	/* carry a second */
			dsec++;
		}
		if (secs > UINT64_MAX - dsec) {
			printk(LOG_WARN, "time: wall clock past 2^64 s, saturated\n");
			secs = UINT64_MAX - dsec;
			nsecs = NS_PER_SEC - 1;
		}
		secs += dsec;
	}
	wallclock_sec = secs;
	wallclock_nsec = nsecs;
}

static void read_wallclock(void)
{
	struct rtc_time t;
	int64_t unix_time;

	if (!rtc_read(&t)) {
		printk(LOG_WARN, "time: the CMOS clock does not settle; wall clock 0\n");
		return;
	}
	unix_time = timescale_rtc_to_unix(t.year, t.mon, t.day, t.hour, t.min,
					  t.sec);
	set_wallclock_base(unix_time < 0 ? 0 : (uint64_t)unix_time, 0,
			   (int64_t)time_now_ns());
}

/* The median of three measurements: one disturbed run does not count. */
static uint64_t measure_tsc(void)
{
	uint64_t a = pit_measure_tsc(CALIBRATE_PIT_TICKS);
	uint64_t b = pit_measure_tsc(CALIBRATE_PIT_TICKS);
	uint64_t c = pit_measure_tsc(CALIBRATE_PIT_TICKS);

	if ((a <= b && b <= c) || (c <= b && b <= a))
		return b;
	if ((b <= a && a <= c) || (c <= a && a <= b))
		return a;
	return c;
}

void time_init(bool lapic_timer)
{
	uint64_t ticks = measure_tsc();

	if (timescale_calibrate(ticks, CALIBRATE_NS, &tsc_hz))
		tsc_hz = 1000000000ull;	/* implausible: assume 1 GHz, say so */
	timescale_from_hz(tsc_hz, &tsc_mul, &tsc_shift);
	tsc_at_boot = rdtsc();
	read_wallclock();
	printk(LOG_INFO, "time: TSC %llu kHz (mul %u shift %d), wall clock %llu.%09u\n",
	       tsc_hz / 1000, tsc_mul, tsc_shift, wallclock_sec, wallclock_nsec);
	pit_start_periodic(TICK_HZ);
	pic_unmask(0);
	lapic_init(lapic_timer);
}

uint64_t time_now_ns(void)
{
	return timescale_apply(rdtsc() - tsc_at_boot, tsc_mul, tsc_shift);
}

static void publish_time(struct vcpu *v)
{
	struct vcpu_time_info *t = &v->vcpu_info->time;
	uint64_t tsc = rdtsc();

	t->version++;		/* odd: the guest retries */
	barrier();
	t->tsc_timestamp = tsc;
	t->system_time = timescale_apply(tsc - tsc_at_boot, tsc_mul, tsc_shift);
	t->tsc_to_system_mul = tsc_mul;
	t->tsc_shift = tsc_shift;
	barrier();
	t->version++;
	/* The guest's second copy is written in its own address space; one
	 * CPU, so the guest never sees it half written.  Xen ignores faults. */
	if (v->time_guest && v == current_vcpu())
		(void)copy_to_guest(v->time_guest, t, sizeof(*t));
}

static void publish_wallclock(struct domain *d)
{
	struct shared_info *s = d->shared_info;

	s->wc_version++;
	barrier();
	s->wc_sec = (uint32_t)wallclock_sec;
	s->arch.wc_sec_hi = (uint32_t)(wallclock_sec >> 32);
	s->wc_nsec = wallclock_nsec;
	barrier();
	s->wc_version++;
}

int time_set_wallclock(uint64_t secs, uint32_t nsecs, int64_t system_time_ns)
{
	struct domain *d;

	if (nsecs >= NS_PER_SEC)
		return -XEN_EINVAL;
	set_wallclock_base(secs, nsecs, system_time_ns);
	printk(LOG_DEBUG, "time: wall clock set: %llu.%09u at system time 0\n",
	       wallclock_sec, wallclock_nsec);
	for (d = domain_first(); d; d = domain_next(d))
		publish_wallclock(d);
	return 0;
}

uint32_t time_cpu_khz(void)
{
	return (uint32_t)(tsc_hz / 1000);
}

void time_start_vcpu(struct vcpu *v)
{
	publish_wallclock(v->domain);
	publish_time(v);
	v->periodic_period = DEFAULT_PERIOD_NS;
	v->periodic_next = time_now_ns() + DEFAULT_PERIOD_NS;
	time_arm(v->periodic_next);
	v->runstate.state = RUNSTATE_runnable;
	v->runstate.state_entry_time = time_now_ns();
}

void time_vcpu_online(struct vcpu *v)
{
	if (!v->periodic_period)
		return;
	v->periodic_next = time_now_ns() + v->periodic_period;
	time_arm(v->periodic_next);
}

static void copy_runstate_out(struct vcpu *v)
{
	if (v->runstate_guest &&
	    copy_to_guest(v->runstate_guest, &v->runstate, sizeof(v->runstate)))
		v->runstate_guest = 0;	/* the guest unmapped it: stop */
}

void time_switch_in(struct vcpu *v)
{
	if (v->vcpu_info)
		publish_time(v);
}

void time_runstate_change(struct vcpu *v, int state)
{
	uint64_t now = time_now_ns();
	struct vcpu_runstate_info *r = &v->runstate;

	r->time[r->state] += now - r->state_entry_time;
	r->state = state;
	r->state_entry_time = now;
	copy_runstate_out(v);
}

/* The earliest armed deadline of any vCPU, or ~0: timers are scanned
 * only once it has passed.  It may be stale (a timer since stopped):
 * the scan then finds nothing due and recomputes it. */
static uint64_t next_due = ~0ull;

/*
 * The one-shot timer interrupts at next_due plus TIMER_SLOP_NS, as Xen
 * arms its own (timer_slop): deadlines that close together are served by
 * one interrupt, and interrupts come at least TIMER_SLOP_NS apart however
 * guests space their deadlines (the next one is armed for a deadline not
 * yet due, plus the slop).  Without it the tick polls.
 */
#define TIMER_SLOP_NS	50000ull

static void program_next(void)
{
	uint64_t now;

	if (!lapic_timer_ok())
		return;
	if (next_due == ~0ull) {
		lapic_timer_stop();
		return;
	}
	now = time_now_ns();
	lapic_timer_arm(next_due > now ? next_due - now + TIMER_SLOP_NS :
			TIMER_SLOP_NS);
}

void time_arm(uint64_t deadline)
{
	if (deadline && deadline < next_due) {
		next_due = deadline;
		program_next();
	}
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

/* Fire v's due timers; return its next deadline (0 = none). */
static uint64_t check_timers(struct vcpu *v, uint64_t now)
{
	if (v->poll_deadline && now >= v->poll_deadline) {
		v->poll_deadline = 0;
		vcpu_unblock(v);
	}
	if (v->timer_deadline && now >= v->timer_deadline) {
		v->timer_deadline = 0;
		evtchn_send_virq(v, VIRQ_TIMER);
	}
	if (v->periodic_period && !v->down && v->initialised &&
	    now >= v->periodic_next) {
		/* From the deadline, not from the (late) tick: no drift. */
		v->periodic_next += v->periodic_period;
		if (v->periodic_next <= now)
			v->periodic_next = now + v->periodic_period;
		evtchn_send_virq(v, VIRQ_TIMER);
	}
	return earliest(earliest(v->poll_deadline, v->timer_deadline),
			v->periodic_period && !v->down && v->initialised ?
			v->periodic_next : 0);
}

static void run_timers(uint64_t now)
{
	struct domain *d;
	uint64_t next = 0;
	uint32_t i;

	for (d = domain_first(); d; d = domain_next(d))
		for (i = 0; d->state == DOMAIN_RUNNING && i < d->max_vcpus; i++)
			next = earliest(next, check_timers(d->vcpu[i], now));
	next_due = next ? next : ~0ull;
	program_next();
}

void time_timer_interrupt(void)
{
	uint64_t now = time_now_ns();

	if (now >= next_due)
		run_timers(now);
	else
		program_next();	/* early: a clamped count, or a rate a
				 * little off the TSC's */
}

void time_tick(void)
{
	static uint32_t ticks;
	struct vcpu *v = current_vcpu();
	uint64_t now = time_now_ns();

	if (now >= next_due)
		run_timers(now);
	sched_tick(now);
	/* (The idle vCPU has no shared_info.) */
	if (++ticks % TICK_HZ == 0 && v->domain->shared_info &&
	    v->domain->state == DOMAIN_RUNNING)
		publish_time(v);	/* keeps the snapshot recent */
}

static void set_singleshot(struct vcpu *v, uint64_t deadline)
{
	v->timer_deadline = deadline;
	time_arm(deadline);
	if (deadline && deadline <= time_now_ns()) {
		v->timer_deadline = 0;
		evtchn_send_virq(v, VIRQ_TIMER);	/* already due */
	}
}

long do_set_timer_op(uint32_t lo, uint32_t hi, uint32_t a3, uint32_t a4,
		     uint32_t a5)
{
	(void)a3;
	(void)a4;
	(void)a5;
	set_singleshot(current_vcpu(), ((uint64_t)hi << 32) | lo);
	return 0;
}

static long runstate_op(struct vcpu *v, uint32_t cmd, uint32_t arg)
{
	struct vcpu_register_runstate_memory_area area;

	time_runstate_change(v, v->runstate.state);	/* bring it up to date */
	if (cmd == VCPUOP_get_runstate_info)
		return copy_to_guest(arg, &v->runstate, sizeof(v->runstate)) ?
		       -XEN_EFAULT : 0;
	if (copy_from_guest(&area, arg, sizeof(area)))
		return -XEN_EFAULT;
	v->runstate_guest = area.addr;
	copy_runstate_out(v);
	return 0;
}

static long timer_op(struct vcpu *v, uint32_t cmd, uint32_t arg)
{
	struct vcpu_set_periodic_timer p;
	struct vcpu_set_singleshot_timer s;

	switch (cmd) {
	case VCPUOP_set_periodic_timer:
		if (copy_from_guest(&p, arg, sizeof(p)))
			return -XEN_EFAULT;
		if (p.period_ns < 1000000ull)
			return -XEN_EINVAL;	/* under the 1 ms tick */
		v->periodic_period = p.period_ns;
		v->periodic_next = time_now_ns() + p.period_ns;
		time_arm(v->periodic_next);
		return 0;
	case VCPUOP_stop_periodic_timer:
		v->periodic_period = 0;
		return 0;
	case VCPUOP_set_singleshot_timer:
		if (v != current_vcpu())
			return -XEN_EINVAL;	/* a vCPU's own only */
		if (copy_from_guest(&s, arg, sizeof(s)))
			return -XEN_EFAULT;
		if ((s.flags & VCPU_SSHOTTMR_future) &&
		    s.timeout_abs_ns < time_now_ns())
			return -XEN_ETIME;
		set_singleshot(v, s.timeout_abs_ns);
		return 0;
	default:		/* VCPUOP_stop_singleshot_timer */
		if (v != current_vcpu())
			return -XEN_EINVAL;
		v->timer_deadline = 0;
		return 0;
	}
}

/* The address must leave room below the hypervisor; it need not be
 * mapped now (Xen's guest_handle_okay). */
static long register_time_area(struct vcpu *v, uint32_t arg)
{
	struct vcpu_register_time_memory_area area;
	uint32_t va;

	if (copy_from_guest(&area, arg, sizeof(area)))
		return -XEN_EFAULT;
	va = (uint32_t)area.addr;
	if (va > HYPERVISOR_VIRT_START - sizeof(struct vcpu_time_info))
		return -XEN_EFAULT;
	v->time_guest = va;
	if (va && v == current_vcpu())
		(void)copy_to_guest(va, &v->vcpu_info->time,
				    sizeof(struct vcpu_time_info));
	return 0;
}

long time_vcpu_op(struct vcpu *v, uint32_t cmd, uint32_t arg)
{
	if (cmd == VCPUOP_register_vcpu_time_memory_area)
		return register_time_area(v, arg);
	if (cmd == VCPUOP_get_runstate_info ||
	    cmd == VCPUOP_register_runstate_memory_area)
		return runstate_op(v, cmd, arg);
	return timer_op(v, cmd, arg);
}
