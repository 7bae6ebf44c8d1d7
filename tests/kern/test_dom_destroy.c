/*
 * test_dom_destroy.c - a test Dom0: domains built from module 1 (the
 * hello DomU) run to their end and are destroyed, and every frame comes
 * back each time:
 *  - poweroff, crash and reboot endings are seen with their reason in
 *    getdomaininfo, and each raises VIRQ_DOM_EXC;
 *  - a running domain (hello exit=spin) is paused (getdomaininfo says
 *    so, and its CPU time stands still), unpaused, then destroyed while
 *    it runs;
 *  - a built domain that never ran is destroyed;
 *  - destroying a 224 MiB domain continues itself (domain.h): when it
 *    takes 10 ms or more (always under TCG), a 1 ms timer's handler runs
 *    at least 3 times during the one domctl while the domain is dying:
 *    getdomaininfo lists it as dying, its tot_pages never growing and
 *    falling at least twice, and pausedomain refuses it (-ESRCH);
 * and after each destroy the hypervisor's free frame count equals the
 * count before the first build, and getdomaininfo no longer finds it.
 */
#include "domtest.h"

static uint64_t before;
static evtchn_port_t dom_exc;

static void check_frames(const char *after_what)
{
	uint64_t now = domtest_free_pages();

	printf("frames after %s: before %llu after %llu\n", after_what,
	       (unsigned long long)before, (unsigned long long)now);
	KCHECK_EQ(now, before);
}

static void run_to_end(const char *name, const char *cmdline, int reason)
{
	struct xen_domctl_getdomaininfo info;
	struct dom_handle h;

	evtchn_clear_pending(dom_exc);
	KCHECK_EQ(domtest_start(name, cmdline, &h), 0);
	KCHECK_EQ(dom_getinfo(h.domid, &info), 0);
	KCHECK_EQ(info.tot_pages, 1024);
	KCHECK_EQ(info.max_pages, 1024);
	KCHECK_EQ(domtest_wait(&h, 10000), reason);
	KCHECK(evtchn_is_pending(dom_exc));
	domtest_finish(&h);
	check_frames(name);
}

/* Serve consoles until the watched text was printed (or 5 s). */
static bool wait_for_text(void)
{
	uint64_t end = time_system_ns() + 5000 * DOMTEST_MS;

	while (!consoled_watch_hits() && time_system_ns() < end) {
		consoled_poll();
		HYPERVISOR_poll(NULL, 0, time_system_ns() + 10 * DOMTEST_MS);
	}
	return consoled_watch_hits() > 0;
}

static void destroy_running(void)
{
	struct xen_domctl_getdomaininfo info;
	struct dom_handle h;
	uint64_t t;

	consoled_watch("spinning until destroyed");
	KCHECK_EQ(domtest_start("spinner", "ticks=1 period=10 exit=spin", &h), 0);
	KCHECK(wait_for_text());
	KCHECK_EQ(dom_pause(&h), 0);
	KCHECK_EQ(dom_getinfo(h.domid, &info), 0);
	KCHECK(info.flags & XEN_DOMINF_paused);
	KCHECK(!(info.flags & XEN_DOMINF_shutdown));
	t = info.cpu_time;
	HYPERVISOR_poll(NULL, 0, time_system_ns() + 30 * DOMTEST_MS);
	KCHECK_EQ(dom_getinfo(h.domid, &info), 0);
	KCHECK_EQ(info.cpu_time, t);
	KCHECK_EQ(dom_unpause(&h), 0);
	HYPERVISOR_poll(NULL, 0, time_system_ns() + 30 * DOMTEST_MS);
	KCHECK_EQ(dom_getinfo(h.domid, &info), 0);
	KCHECK(!(info.flags & XEN_DOMINF_paused));
	KCHECK(info.cpu_time > t);
	printf("spinner ran %llu us before being destroyed\n",
	       (unsigned long long)(info.cpu_time / 1000));
	domtest_finish(&h);
	check_frames("destroying a running domain");
}

static void destroy_never_run(void)
{
	struct dom_params p = domtest_params("idle", 8192);
	const uint8_t *image;
	const char *cmd;
	struct dom_handle h;
	uint32_t len;

	KCHECK_EQ(modpack_get(&domtest_mods, 1, &image, &len, &cmd), 0);
	KCHECK_EQ(dom_build(&p, image, len, "", &h), 0);
	KCHECK_EQ(dom_destroy(&h), 0);
	check_frames("destroying a domain that never ran");
}

static struct dom_handle big;
static volatile uint32_t ticks, dying_seen, refused_seen, fell, grew;
static uint64_t last_tot = ~0ull;

static void on_tick(evtchn_port_t port, void *data)
{
	struct xen_domctl_getdomaininfo info;

	(void)port;
	(void)data;
	ticks++;
	if (dom_getinfo(big.domid, &info) == 0 && info.domain == big.domid &&
	    (info.flags & XEN_DOMINF_dying)) {
		dying_seen++;
		refused_seen += dom_pause(&big) == -XEN_ESRCH;
		fell += info.tot_pages < last_tot && last_tot != ~0ull;
		grew += info.tot_pages > last_tot;
		last_tot = info.tot_pages;
	}
	HYPERVISOR_set_timer_op(time_system_ns() + DOMTEST_MS);
}

static void destroy_big(void)
{
	struct dom_params p = domtest_params("big", 224 * 1024);
	const uint8_t *image;
	const char *cmd;
	evtchn_port_t timer;
	uint64_t start, ns;
	uint32_t len;

	KCHECK_EQ(modpack_get(&domtest_mods, 1, &image, &len, &cmd), 0);
	KCHECK_EQ(dom_build(&p, image, len, "", &big), 0);
	KCHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, &timer), 0);
	KCHECK_EQ(evtchn_set_handler(timer, on_tick, NULL), 0);
	local_irq_enable();
	HYPERVISOR_set_timer_op(time_system_ns() + DOMTEST_MS);
	start = time_system_ns();
	KCHECK_EQ(dom_destroy(&big), 0);
	ns = time_system_ns() - start;
	local_irq_disable();
	HYPERVISOR_set_timer_op(0);
	KCHECK_EQ(evtchn_close(timer), 0);
	printf("destroying 224 MiB: %u us, %u timer events during the call "
	       "(%u saw it dying, each refusing it: %u; tot_pages fell %u "
	       "times, last %llu)\n", (uint32_t)(ns / 1000), ticks, dying_seen,
	       refused_seen, fell, (unsigned long long)last_tot);
	if (ns >= 10 * DOMTEST_MS) {
		KCHECK(dying_seen >= 3);
		KCHECK_EQ(refused_seen, dying_seen);
		KCHECK(fell >= 2);
	}
	KCHECK_EQ(grew, 0);
	check_frames("destroying a 224 MiB domain");
}

void kernel_main(struct start_info *si)
{
	(void)si;
	if (domtest_setup() || evtchn_bind_virq(VIRQ_DOM_EXC, &dom_exc)) {
		KCHECK(0);
		goto out;
	}
	before = domtest_free_pages();
	run_to_end("off", "ticks=2 period=20", SHUTDOWN_poweroff);
	run_to_end("crasher", "ticks=1 period=10 exit=crash", SHUTDOWN_crash);
	run_to_end("rebooter", "ticks=0 exit=reboot", SHUTDOWN_reboot);
	destroy_running();
	destroy_never_run();
	destroy_big();
	printf("frames: before %llu after %llu\n", (unsigned long long)before,
	       (unsigned long long)domtest_free_pages());
out:
	ktest_finish();
}
