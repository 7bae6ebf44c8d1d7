/*
 * latency.c - wake-up latency of a DomU: n=N times (default 50, at most
 * MAX_SAMPLES) it sets a one-shot timer period=MS milliseconds ahead
 * (default 5, 1..1000), blocks (SCHEDOP_block) until the VIRQ_TIMER
 * upcall, and takes as lateness the system time at which the upcall ran
 * minus the deadline (an upcall before the deadline counts 0 and is
 * counted as early).  Writes a LATENCY report (domu/report.h: samples,
 * sum, max, min, median in ns), prints the mean and median and powers
 * off.  The median is for a test that must not turn on one sample: the
 * host can stop QEMU during one wait, which makes that sample as late as
 * the stop was long.  The periodic VIRQ_TIMER is stopped first, so only
 * our one-shot timer wakes it.
 */
#include "event.h"
#include "guest.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "options.h"
#include "report.h"
#include "time.h"
#include <public/vcpu.h>

#define MS		1000000ull
#define MAX_SAMPLES	1000ul

static volatile uint64_t woke_ns;
static uint64_t sample[MAX_SAMPLES];

static void on_timer(evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	woke_ns = time_system_ns();
}

/* One sample: the lateness in ns, or -1 if the timer was refused. */
static int64_t one_sample(uint64_t period_ns, unsigned long *early)
{
	uint64_t deadline = time_system_ns() + period_ns;

	woke_ns = 0;
	if (HYPERVISOR_set_timer_op(deadline))
		return -1;
	while (!woke_ns)
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
	if (woke_ns < deadline) {
		(*early)++;
		return 0;
	}
	return (int64_t)(woke_ns - deadline);
}

/* The lower middle of the n samples (sorted in place), 0 for none. */
static uint64_t median(unsigned long n)
{
	sort_u64(sample, n);
	return n ? sample[(n - 1) / 2] : 0;
}

static void measure(struct report *r, unsigned long n, unsigned long period)
{
	uint64_t sum = 0, max = 0, min = ~0ull, med;
	unsigned long i, early = 0;
	int64_t late;

	for (i = 0; i < n; i++) {
		late = one_sample(period * MS, &early);
		if (late < 0)
			break;
		sample[i] = (uint64_t)late;
		sum += (uint64_t)late;
		max = MAX(max, (uint64_t)late);
		min = MIN(min, (uint64_t)late);
	}
	med = median(i);
	report_begin(r);
	r->value[0] = i;
	r->value[1] = sum;
	r->value[2] = max;
	r->value[3] = i ? min : 0;
	r->value[4] = med;
	report_end(r);
	report_finish(r);
	printf("latency: %lu samples, mean %llu ns, median %llu ns, max %llu ns, %lu early\n",
	       i, (unsigned long long)(i ? sum / i : 0),
	       (unsigned long long)med, (unsigned long long)max, early);
}

void kernel_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	unsigned long n = opt_number(cmd, "n", 50);
	unsigned long period = opt_number(cmd, "period", 5);
	evtchn_port_t port;
	struct report *r = NULL;

	/* Only our one-shot timer may raise VIRQ_TIMER. */
	if (!mm_init() && !evtchn_init() &&
	    !HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL) &&
	    !evtchn_bind_virq(VIRQ_TIMER, &port) &&
	    !evtchn_set_handler(port, on_timer, NULL))
		r = report_open(REPORT_LATENCY);
	if (!r || !n || n > MAX_SAMPLES || period < 1 || period > 1000) {
		printf("latency: bad setup or command line \"%s\"\n", cmd);
		guest_shutdown(SHUTDOWN_crash);
		return;
	}
	local_irq_enable();
	measure(r, n, period);
}
