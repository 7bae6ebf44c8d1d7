/*
 * test_iso.c - a test Dom0: isolation.  Four DomUs run at once: "spinner"
 * (module 1, burn: events masked, never yields), "sleeper" (module 2,
 * blocks forever), "crasher" (module 3, after 200 ms writes the IDT's
 * hypercall gate, which faults: the hypervisor is out of its reach) and "worker"
 * (module 1 again with work=WORK_M: WORK_M million iterations, then a WORK
 * report and poweroff).  Dom0 must see the crash through VIRQ_DOM_EXC with
 * reason crash in getdomaininfo, the worker must power off within
 * DEADLINE_MS having done all its work, the spinner must still be running
 * (its CPU time growing) and the sleeper blocked; then all four are
 * destroyed and the free frame count must be back where it started.
 */
#include "ktest.h"
#include "multidom.h"
#include "event.h"
#include "time.h"

#define WORK_M		20
#define STR(x)		#x
#define XSTR(x)		STR(x)
#define DEADLINE_MS	3000u

enum { SPINNER, SLEEPER, CRASHER, WORKER, NR };

static struct md_domain dom[NR];

static void build_all(void)
{
	static const struct { const char *name; uint32_t module; const char *cmd; } d[NR] = {
		[SPINNER] = { "spinner", 1, "" },
		[SLEEPER] = { "sleeper", 2, "" },
		[CRASHER] = { "crasher", 3, "delay=200 at=idt" },
		[WORKER] = { "worker", 1, "work=" XSTR(WORK_M) },
	};
	struct dom_params p;
	unsigned int i;

	for (i = 0; i < NR; i++) {
		p = md_params(d[i].name, d[i].module, 4096, 256);
		KCHECK_EQ(md_build(&dom[i], &p, d[i].cmd, true), 0);
	}
}

static void check_survivors(void)
{
	struct xen_domctl_getdomaininfo info;
	uint64_t t0 = 0, t1 = 0;

	KCHECK_EQ(md_cpu_time(&dom[SPINNER], &t0), 0);
	md_serve(50);
	KCHECK_EQ(md_cpu_time(&dom[SPINNER], &t1), 0);
	KCHECK(t1 > t0);
	KCHECK_EQ(dom_getinfo(dom[SPINNER].h.domid, &info), 0);
	KCHECK(!(info.flags & XEN_DOMINF_shutdown));
	KCHECK_EQ(dom_getinfo(dom[SLEEPER].h.domid, &info), 0);
	KCHECK(!(info.flags & XEN_DOMINF_shutdown));
	KCHECK(info.flags & XEN_DOMINF_blocked);
	printf("spinner: %llu ms of CPU so far, still running; sleeper blocked\n",
	       (unsigned long long)(t1 / MD_MS));
}

static void check_worker(uint64_t took_ms)
{
	struct report r;

	KCHECK_EQ(dom[WORKER].reason, SHUTDOWN_poweroff);
	KCHECK_EQ(md_read_report(&dom[WORKER], REPORT_WORK, &r), 0);
	KCHECK_EQ(r.value[0], WORK_M * 1000000ull);
	printf("worker: %llu iterations, powered off after %llu ms (deadline %u ms)\n",
	       (unsigned long long)r.value[0], (unsigned long long)took_ms,
	       DEADLINE_MS);
	KCHECK(took_ms < DEADLINE_MS);
}

void kernel_main(struct start_info *si)
{
	uint64_t before, start;
	unsigned int i;

	(void)si;
	if (md_setup() || md_nr_modules() < 3) {
		KCHECK(0);
		goto out;
	}
	before = md_free_pages();
	build_all();
	evtchn_clear_pending(md_dom_exc_port);
	start = time_system_ns();
	for (i = 0; i < NR && !ktest_failures; i++)
		KCHECK_EQ(md_unpause(&dom[i]), 0);
	if (ktest_failures)
		goto destroy;
	KCHECK_EQ(md_wait_shutdown(&dom[CRASHER], 2, DEADLINE_MS), 0);
	KCHECK(evtchn_is_pending(md_dom_exc_port));
	KCHECK_EQ(dom[CRASHER].reason, SHUTDOWN_crash);
	printf("crasher: shut down with reason %d, VIRQ_DOM_EXC %s\n",
	       dom[CRASHER].reason,
	       evtchn_is_pending(md_dom_exc_port) ? "raised" : "not raised");
	check_worker((time_system_ns() - start) / MD_MS);
	check_survivors();
destroy:
	KCHECK_EQ(md_destroy_all(dom, NR, before), 0);
out:
	ktest_finish();
}
