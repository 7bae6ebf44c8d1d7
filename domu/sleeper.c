/*
 * sleeper.c - a DomU that blocks forever: it registers the event callback
 * (so an event, e.g. the console service's notification, is consumed and
 * does not keep waking it) and loops on SCHEDOP_block.  It says one line
 * first.  No command-line words.
 */
#include "event.h"
#include "guest.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"

void kernel_main(struct start_info *si)
{
	(void)si;
	if (mm_init() || evtchn_init()) {
		printf("sleeper: cannot set up events\n");
		guest_shutdown(SHUTDOWN_crash);
		return;
	}
	printf("sleeper: blocking forever\n");
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}
