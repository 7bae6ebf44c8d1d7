/*
 * bench_time.c - a PV kernel that measures how punctual Xylem's guest
 * timers are and what arming one costs, and prints "BENCH <name> <value>
 * <unit>" lines (tests/bench/time.mk boots it as Dom0).
 *
 * Command line: "accel=kvm|tcg", printed back as time_bench_kvm 1|0.
 *   timer_oneshot_late_{median,p90,max}_us
 *       SAMPLES one-shot timers (set_timer_op) at 2..12 ms ahead, each at
 *       a different phase of the hypervisor's 1 kHz tick, each waited for
 *       with SCHEDOP_block: how long after its deadline the VIRQ_TIMER
 *       upcall ran, in guest system time.
 *   timer_spin_late_median_us
 *       the reference: the same deadlines waited for by spinning on the
 *       clock, which is as punctual as a guest can be without the
 *       hypervisor (it shows what the host's scheduling adds to both).
 *   timer_periodic_dev_max_us
 *       the largest difference from 10 ms between two consecutive events
 *       of the 10 ms periodic timer, over PERIODS events.
 *   set_timer_op_cycles, null_hypercall_cycles, set_timer_op_over_null
 *       arming (and at once cancelling) a one-shot timer against
 *       xen_version(XENVER_version), the cheapest hypercall; medians of
 *       BATCHES batches of ROUNDS calls, with rdtsc.
 * A timer that fires early or twice, or a wait that does not end, prints
 * "bench: error: ..." and ends the domain with SHUTDOWN_crash, so the boot
 * does not end with the poweroff exit code.  Under TCG guest time runs
 * while the host has QEMU descheduled, so the lateness figures include
 * the host's noise (the spin reference shows how much); cycle counts
 * mean something only relative to each other.
 */
#include "benchlib.h"
#include "event.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "time.h"
#include <public/version.h>

#define MS		1000000ull
#define US		1000ull
#define SAMPLES		200u
#define PERIODS		100u
#define BATCHES		9u
#define ROUNDS		1000u
#define WAIT_NS		(2000 * MS)	/* a wait's bound */

static evtchn_port_t timer_port;
static volatile uint32_t fires;
static volatile uint64_t fired_at;
static uint64_t late[SAMPLES], stamp[PERIODS + 1];
static bool failed;

static void on_timer(evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	fired_at = time_system_ns();
	if (fires < PERIODS + 1)
		stamp[fires] = fired_at;
	fires++;
}

static void error(const char *what)
{
	if (!failed)
		printf("bench: error: %s\n", what);
	failed = true;
}

/* Sort v[0..n-1] and return its p-th percentile. */
static uint64_t percentile(uint64_t *v, uint32_t n, uint32_t p)
{
	sort_u64(v, n);
	return v[(n - 1) * p / 100];
}

/* Deadline i: 2..12 ms ahead, its sub-millisecond phase stepped by 37 us. */
static uint64_t deadline_for(uint32_t i)
{
	return time_system_ns() + (2 + i % 11) * MS + (i * 37 * US) % MS;
}

/* One one-shot timer, blocked for; its lateness in ns. */
static uint64_t oneshot_once(uint32_t i)
{
	uint64_t deadline = deadline_for(i), give_up = deadline + WAIT_NS;

	fires = 0;
	if (HYPERVISOR_set_timer_op(deadline))
		error("set_timer_op refused a deadline ahead");
	while (!fires && time_system_ns() < give_up)
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
	if (fires != 1)
		error(fires ? "a one-shot timer fired twice" :
			      "a one-shot timer never fired");
	if (fired_at < deadline)
		error("a one-shot timer fired before its deadline");
	time_busy_wait_ns(US);		/* room for a wrong second event */
	if (fires > 1)
		error("a one-shot timer fired twice");
	return fired_at > deadline ? fired_at - deadline : 0;
}

static void bench_oneshot(void)
{
	uint64_t deadline, now;
	uint32_t i;

	for (i = 0; i < SAMPLES && !failed; i++)
		late[i] = oneshot_once(i);
	if (failed)
		return;
	bench_print("timer_oneshot_late_median_us",
		    percentile(late, SAMPLES, 50) / US, "us");
	bench_print("timer_oneshot_late_p90_us",
		    percentile(late, SAMPLES, 90) / US, "us");
	bench_print("timer_oneshot_late_max_us", late[SAMPLES - 1] / US, "us");
	for (i = 0; i < SAMPLES; i++) {
		deadline = deadline_for(i);
		do
			now = time_system_ns();
		while (now < deadline);
		late[i] = now - deadline;
	}
	bench_print("timer_spin_late_median_us",
		    percentile(late, SAMPLES, 50) / US, "us");
}

static void bench_periodic(void)
{
	struct vcpu_set_periodic_timer p = { .period_ns = 10 * MS };
	uint64_t give_up = time_system_ns() + PERIODS * 10 * MS + WAIT_NS;
	uint64_t dev, worst = 0;
	uint32_t i;

	fires = 0;
	if (HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p))
		error("set_periodic_timer refused 10 ms");
	while (fires < PERIODS + 1 && time_system_ns() < give_up)
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
	HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
	if (fires < PERIODS + 1) {
		error("the periodic timer stopped firing");
		return;
	}
	for (i = 1; i <= PERIODS; i++) {
		dev = stamp[i] - stamp[i - 1];
		dev = dev > 10 * MS ? dev - 10 * MS : 10 * MS - dev;
		worst = MAX(worst, dev);
	}
	bench_print("timer_periodic_dev_max_us", worst / US, "us");
}

/* ops set_timer_op calls: armed 1 s ahead, then cancelled. */
static void arm_and_cancel(uint32_t ops)
{
	uint32_t i;

	for (i = 0; i < ops / 2; i++) {
		HYPERVISOR_set_timer_op(time_system_ns() + 1000 * MS);
		HYPERVISOR_set_timer_op(0);
	}
}

static void null_calls(uint32_t ops)
{
	uint32_t i;

	for (i = 0; i < ops; i++)
		HYPERVISOR_xen_version(XENVER_version, NULL);
}

static void bench_cost(void)
{
	uint64_t set = bench_batches(arm_and_cancel, BATCHES, ROUNDS);
	uint64_t null = bench_batches(null_calls, BATCHES, ROUNDS);

	if (fires)
		error("a cancelled timer fired");
	bench_print("set_timer_op_cycles", set, "cycles");
	bench_print("null_hypercall_cycles", null, "cycles");
	bench_print_ratio("set_timer_op_over_null", set, null);
}

void kernel_main(struct start_info *si)
{
	const char *cmdline = (const char *)si->cmd_line;

	printf("BENCH time_bench_kvm %u bool\n",
	       bench_has_arg(cmdline, "accel=kvm"));
	if (mm_init() || evtchn_init() ||
	    evtchn_bind_virq(VIRQ_TIMER, &timer_port) ||
	    evtchn_set_handler(timer_port, on_timer, NULL)) {
		error("setup failed");
		guest_shutdown(SHUTDOWN_crash);
		return;
	}
	HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
	local_irq_enable();
	bench_oneshot();
	if (!failed)
		bench_periodic();
	fires = 0;
	if (!failed)
		bench_cost();
	guest_shutdown(failed ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}
