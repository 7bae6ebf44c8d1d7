/*
 * test_dom_hostile.c - a test Dom0: an unprivileged DomU (domu/hostile.c,
 * module 1) tries Dom0's control paths and must be refused every time;
 * it shuts down with poweroff when all refusals held, crash otherwise.
 * Dom0 must be unaffected: still running, its reservation unchanged, and
 * after the DomU is destroyed the free frame count is what it was.
 */
#include "domtest.h"
#include <public/memory.h>
#include <public/sched.h>

void kernel_main(struct start_info *si)
{
	struct dom_handle h;
	uint64_t before;
	long dom0_pages;
	domid_t self = DOMID_SELF;
	int reason;

	(void)si;
	if (domtest_setup()) {
		printf("Test result: FAILURE: setup\n");
		guest_shutdown(SHUTDOWN_poweroff);
		return;
	}
	before = domtest_free_pages();
	dom0_pages = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
	KCHECK_EQ(domtest_start("hostile", "", &h), 0);
	reason = domtest_wait(&h, 20000);
	printf("hostile DomU shut down with reason %d\n", reason);
	KCHECK_EQ(reason, SHUTDOWN_poweroff);
	domtest_finish(&h);
	KCHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &self),
		  dom0_pages);
	KCHECK_EQ(domtest_free_pages(), before);
	ktest_finish();
}
