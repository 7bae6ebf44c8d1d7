/*
 * hello.c - the demo DomU: says hello on its PV console, shows what the
 * builder gave it, sleeps on timers a few times and shuts down.
 *
 * Command-line words (all optional):
 *   ticks=N      timer sleeps before leaving (default 3)
 *   period=MS    length of each sleep in ms (default 100)
 *   exit=WHY     poweroff (default), reboot, crash, or spin (never leave:
 *                for tests that destroy a running domain)
 * parsed by domu/options.c; every other word is just printed back.  A
 * sleep is SCHEDOP_poll with no ports and an absolute timeout, so no
 * event channel is needed for it.
 */
#include "guest.h"
#include "console.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "options.h"
#include "time.h"

#define MS	1000000ull

static void leave(const char *cmd)
{
	if (opt_is(cmd, "exit", "spin")) {
		printf("hello: spinning until destroyed\n");
		for (;;)
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	if (opt_is(cmd, "exit", "reboot")) {
		printf("hello: rebooting\n");
		guest_shutdown(SHUTDOWN_reboot);
	}
	if (opt_is(cmd, "exit", "crash")) {
		printf("hello: crashing on purpose\n");
		guest_shutdown(SHUTDOWN_crash);
	}
	printf("hello: done, powering off\n");
}

void kernel_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	unsigned long ticks, period, i;
	uint64_t t0;

	printf("hello from a Xylem DomU: command line \"%s\"\n", cmd);
	printf("hello: %u pages, console %s (port %u), %s\n", si->nr_pages,
	       console_uses_ring() ? "ring" : "console_io",
	       si->console.domU.evtchn,
	       si->flags & SIF_INITDOMAIN ? "initial domain" : "unprivileged");
	if (mm_init() || !mm_map_shared_info()) {
		printf("hello: cannot map shared_info; no timers\n");
		guest_shutdown(SHUTDOWN_crash);
		return;
	}
	ticks = opt_number(cmd, "ticks", 3);
	period = opt_number(cmd, "period", 100);
	t0 = time_system_ns();
	for (i = 1; i <= ticks; i++) {
		HYPERVISOR_poll(NULL, 0, time_system_ns() + period * MS);
		printf("hello: tick %lu at %llu ms\n", i,
		       (unsigned long long)((time_system_ns() - t0) / MS));
	}
	leave(cmd);
}
