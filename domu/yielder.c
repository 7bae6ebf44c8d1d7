/*
 * yielder.c - the domain-switch benchmark's DomU: n=N times (default
 * 20000, at most 10000000) SCHEDOP_yield, with the TSC read just before
 * and just after each call.  When more than gap=US microseconds (default
 * 50) pass inside one yield, another domain ran meanwhile: the pair
 * (leave, arrive) is recorded, up to REPORT_MAX_GAPS of them.  Dom0 pairs
 * one domain's leave with the other's next arrive to get the cost of a
 * switch (tests/bench/dom_bench.c).  Writes a YIELD report
 * (domu/report.h) with the TSC rate it measured against system time, and
 * powers off.
 */
#include "guest.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "options.h"
#include "report.h"
#include "time.h"

#define MAX_YIELDS	10000000ul

/* TSC cycles per microsecond, measured over 2 ms of system time. */
static uint64_t tsc_per_us(void)
{
	uint64_t t0 = time_rdtsc(), ns0 = time_system_ns(), dns;

	time_busy_wait_ns(2000000);
	dns = time_system_ns() - ns0;
	return dns ? (time_rdtsc() - t0) * 1000 / dns : 0;
}

static void run(struct report *r, unsigned long n, uint64_t threshold)
{
	uint64_t start, before, after;
	unsigned long i;

	start = time_rdtsc();
	for (i = 0; i < n; i++) {
		before = time_rdtsc();
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		after = time_rdtsc();
		if (after - before > threshold && r->nr_gaps < REPORT_MAX_GAPS) {
			r->gap[r->nr_gaps].leave = before;
			r->gap[r->nr_gaps].arrive = after;
			r->nr_gaps++;
		}
	}
	report_begin(r);
	r->value[0] = i;
	r->value[1] = time_rdtsc() - start;
	report_end(r);
}

void kernel_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	unsigned long n = opt_number(cmd, "n", 20000);
	unsigned long gap_us = opt_number(cmd, "gap", 50);
	struct report *r = NULL;
	uint64_t rate;

	if (!mm_init() && mm_map_shared_info())
		r = report_open(REPORT_YIELD);
	rate = r ? tsc_per_us() : 0;
	if (!r || !rate || !n || n > MAX_YIELDS || !gap_us) {
		printf("yielder: bad setup or command line \"%s\"\n", cmd);
		guest_shutdown(SHUTDOWN_crash);
		return;
	}
	r->value[2] = rate;
	run(r, n, rate * gap_us);
	report_finish(r);
	printf("yielder: %lu yields, %llu cycles each, %u switches seen\n", n,
	       (unsigned long long)(r->value[1] / n), r->nr_gaps);
}
