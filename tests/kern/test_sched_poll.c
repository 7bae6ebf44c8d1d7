/*
 * test_sched_poll.c - SCHEDOP_poll, with events disabled as a kernel
 * polls (an upcall between the checks consumes what is pending), on one
 * end of a loopback pair and on the VIRQ_TIMER port:
 *  - returns at once when a polled port is already pending, or when the
 *    timeout (absolute system time) has already passed;
 *  - returns after the timeout, not before, when nothing arrives (also
 *    with no ports at all);
 *  - wakes early when a polled port becomes pending: [loopback, timer]
 *    with the one-shot timer 20 ms out and the timeout 300 ms out returns
 *    at the timer with only the timer port pending;
 *  - wakes for a polled port even when that port is masked, and even when
 *    its selector bit was already set by another pending port (the ABI:
 *    poll waits for the ports' pending bits, whatever the masks say);
 *  - refuses more than 128 ports and ports past the last (-EINVAL).
 * Each wait prints its measured length.  Lower bounds are checked once,
 * upper bounds retried when the host stalls QEMU (KCHECK_WINDOW, ktest.h).
 */
#include "ktest.h"
#include "event.h"
#include "mm.h"
#include "time.h"

#define MS		1000000ull

static evtchn_port_t end_a, end_b, timer_port;
static volatile uint32_t handled;

static void on_event(evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	handled++;
}

/*
 * Let the upcall consume whatever is pending, then disable events again:
 * clean pending bits, selector and evtchn_upcall_pending.
 */
static void settle(void)
{
	local_irq_enable();
	local_irq_disable();
	KCHECK_EQ(shared_info_page->vcpu_info[0].evtchn_pending_sel, 0);
	KCHECK_EQ(shared_info_page->vcpu_info[0].evtchn_upcall_pending, 0);
}

/* Poll ports[0..n) until timeout_ms from now; how long it took, in ns. */
static uint64_t timed_poll(const evtchn_port_t *ports, uint32_t n,
			   uint64_t timeout_ms, long *rc)
{
	uint64_t t0 = time_system_ns();

	*rc = HYPERVISOR_poll(ports, n, t0 + timeout_ms * MS);
	return time_system_ns() - t0;
}

static void report(const char *what, uint64_t ns)
{
	printf("poll %s: returned after %llu us\n", what,
	       (unsigned long long)(ns / 1000));
}

/* Upper bounds are checked with KCHECK_WINDOW: see ktest.h. */
#define SLACK		(70 * MS)

static bool poll_pending_port(void)
{
	uint64_t took;
	long rc;

	KCHECK_EQ(evtchn_send(end_a), 0);
	took = timed_poll(&end_b, 1, 1000, &rc);
	report("on a pending port", took);
	KCHECK_EQ(rc, 0);
	KCHECK(evtchn_is_pending(end_b));	/* poll does not consume */
	settle();
	return took < 200 * MS;
}

static void check_immediate(void)
{
	KCHECK_WINDOW(poll_pending_port());
	/* A timeout already passed. */
	KCHECK_EQ(HYPERVISOR_poll(&end_b, 1, time_system_ns() - MS), 0);
}

/* Nothing arrives: returns at timeout_ms, never before. */
static bool poll_nothing(const char *what, const evtchn_port_t *ports,
			 uint32_t n, uint64_t timeout_ms)
{
	uint64_t took;
	long rc;

	took = timed_poll(ports, n, timeout_ms, &rc);
	report(what, took);
	KCHECK_EQ(rc, 0);
	KCHECK(took >= timeout_ms * MS);
	if (n)
		KCHECK(!evtchn_is_pending(ports[0]));
	return took < timeout_ms * MS + SLACK;
}

static void check_timeout(void)
{
	KCHECK_WINDOW(poll_nothing("30 ms timeout", &end_b, 1, 30));
	KCHECK_WINDOW(poll_nothing("no ports, 20 ms timeout", NULL, 0, 20));
}

/*
 * Poll ports with the one-shot timer 20 ms out and a 300 ms timeout, both
 * counted from the same clock reading as the measured wait.  True when it
 * woke within SLACK of the timer.
 */
static bool poll_for_timer(const char *what, const evtchn_port_t *ports,
			   uint32_t n)
{
	uint64_t t0 = time_system_ns(), took;
	long rc;

	KCHECK_EQ(HYPERVISOR_set_timer_op(t0 + 20 * MS), 0);
	rc = HYPERVISOR_poll(ports, n, t0 + 300 * MS);
	took = time_system_ns() - t0;
	report(what, took);
	KCHECK_EQ(rc, 0);
	KCHECK(evtchn_is_pending(timer_port));
	KCHECK(took >= 20 * MS);
	KCHECK_EQ(HYPERVISOR_set_timer_op(0), 0);
	return took < 20 * MS + SLACK;
}

static bool wake_both(void)
{
	evtchn_port_t both[2] = { end_b, timer_port };
	bool in_time;

	in_time = poll_for_timer("[loopback, timer], timer at 20 ms", both, 2);
	KCHECK(!evtchn_is_pending(end_b));
	settle();
	return in_time;
}

static bool wake_masked(void)
{
	bool in_time;

	evtchn_mask(timer_port);
	in_time = poll_for_timer("[timer] masked, timer at 20 ms",
				 &timer_port, 1);
	evtchn_clear_pending(timer_port);
	evtchn_unmask(timer_port);
	settle();
	return in_time;
}

/* end_b pending and unmasked flags word 0 before the timer does. */
static bool wake_selector_set(void)
{
	bool in_time;

	KCHECK_EQ(evtchn_send(end_a), 0);
	KCHECK(shared_info_page->vcpu_info[0].evtchn_pending_sel & 1u);
	in_time = poll_for_timer("[timer], selector already set, timer at 20 ms",
				 &timer_port, 1);
	settle();
	return in_time;
}

static void check_wake(void)
{
	KCHECK(end_b / 32 == timer_port / 32);
	KCHECK_WINDOW(wake_both());
	KCHECK_WINDOW(wake_masked());
	KCHECK_WINDOW(wake_selector_set());
}

static void check_refusals(void)
{
	static evtchn_port_t many[129];
	evtchn_port_t bad = NR_EVENT_CHANNELS;
	uint64_t took;
	long rc;

	memset(many, 0, sizeof(many));
	many[0] = end_b;
	KCHECK_EQ(HYPERVISOR_poll(many, 129, time_system_ns() + 10 * MS),
		  -XEN_EINVAL);
	took = timed_poll(&bad, 1, 10, &rc);
	report("on port 1024", took);
	KCHECK_EQ(rc, -XEN_EINVAL);
	KCHECK_EQ(HYPERVISOR_poll((void *)0xFC000000u, 1,
				  time_system_ns() + 10 * MS), -XEN_EFAULT);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK_EQ(evtchn_init(), 0);
	KCHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, &end_a), 0);
	KCHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, end_a, &end_b), 0);
	KCHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, &timer_port), 0);
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
	if (ktest_failures) {
		ktest_finish();
		return;
	}
	/* Events are disabled (as at boot) but between the checks. */
	KCHECK_EQ(evtchn_set_handler(end_b, on_event, NULL), 0);
	KCHECK_EQ(evtchn_set_handler(timer_port, on_event, NULL), 0);
	settle();				/* bind left end_b pending */
	check_immediate();
	check_timeout();
	check_wake();
	check_refusals();
	printf("%u events handled between the checks\n", handled);
	ktest_finish();
}
