/*
 * test_dom_hcfuzz.c - a test Dom0 that runs the hypercall fuzzer DomU
 * (domu/hcfuzz.c, module 1) with a series of seeds and checks after each
 * run that the hypervisor survived intact: the DomU ended (poweroff when
 * it reached its last call, crash when it killed itself, which is
 * allowed), never timed out (a timeout means the hypervisor hung or a
 * blocking call slipped through the fuzzer's filter), and once it is
 * destroyed the free frame count is exactly what it was before it was
 * built and Dom0's reservation is unchanged.  At the end most runs (at
 * least 3 in 4) must have reached poweroff, so the fuzz is not just
 * dying early.
 *
 * Command line (start_info->cmd_line): seed0=N (first seed, default 1),
 * runs=N (default 16), calls=N (calls per run, default 8000),
 * verbose=1 (passed on: the DomU prints every call).  Run i uses seed
 * seed0 + i.
 */
#include "domtest.h"
#include "../../domu/options.h"
#include <public/memory.h>
#include <public/sched.h>

#define RUN_TIMEOUT_MS	20000

struct totals {
	unsigned long poweroff, crash, other, timeout;
};

/* One run; false when it timed out (the rest would not be meaningful). */
static bool run_one(unsigned long seed, unsigned long calls, bool verbose,
		    struct totals *t)
{
	char cmdline[96];
	struct dom_handle h;
	domid_t self = DOMID_SELF;
	long dom0_pages = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
	uint64_t before = domtest_free_pages(), start = time_system_ns();
	int reason;

	snprintf(cmdline, sizeof(cmdline), "seed=%lu calls=%lu%s", seed, calls,
		 verbose ? " verbose=1" : "");
	reason = domtest_start("hcfuzz", cmdline, &h);
	KCHECK_EQ(reason, 0);
	if (reason)
		return false;		/* nothing was left running */
	reason = domtest_wait(&h, RUN_TIMEOUT_MS);
	printf("hcfuzz run seed=%lu: reason %d after %u ms\n", seed, reason,
	       (unsigned int)((time_system_ns() - start) / DOMTEST_MS));
	if (reason < 0) {
		printf("hcfuzz: seed %lu timed out: the hypervisor hung or a "
		       "blocking call got through (rerun it with verbose=1)\n", seed);
		t->timeout++;
	} else if (reason == SHUTDOWN_poweroff) {
		t->poweroff++;
	} else if (reason == SHUTDOWN_crash) {
		t->crash++;
	} else {
		printf("hcfuzz: seed %lu: unexpected shutdown reason %d\n", seed, reason);
		t->other++;
	}
	domtest_finish(&h);
	KCHECK_EQ(domtest_free_pages(), before);
	KCHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &self),
		  dom0_pages);
	return reason >= 0;
}

void kernel_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	unsigned long seed0 = opt_number(cmd, "seed0", 1);
	unsigned long runs = opt_number(cmd, "runs", 16);
	unsigned long calls = opt_number(cmd, "calls", 8000), i;
	bool verbose = opt_is(cmd, "verbose", "1");
	struct totals t = { 0, 0, 0, 0 };
	uint64_t start;

	if (domtest_setup()) {
		printf("Test result: FAILURE: setup\n");
		guest_shutdown(SHUTDOWN_poweroff);
		return;
	}
	start = time_system_ns();
	for (i = 0; i < runs; i++)
		if (!run_one(seed0 + i, calls, verbose, &t))
			break;
	printf("hcfuzz summary: seeds %lu..%lu, %lu calls each: %lu poweroff, "
	       "%lu crash, %lu other, %lu timeout in %u ms\n", seed0,
	       seed0 + runs - 1, calls, t.poweroff, t.crash, t.other, t.timeout,
	       (unsigned int)((time_system_ns() - start) / DOMTEST_MS));
	KCHECK_EQ(t.timeout, 0ul);
	KCHECK_EQ(t.other, 0ul);
	KCHECK(t.poweroff * 4 >= runs * 3);
	ktest_finish();
}
