/*
 * test_enosys.c - hypercalls Xylem does not implement return -ENOSYS:
 * unassigned numbers in the page, numbers past the table (issued with a
 * raw int $0x82), and unknown sub-commands of implemented hypercalls.
 */
#include "ktest.h"

void kernel_main(struct start_info *si)
{
	static const unsigned int unassigned[] = { 11, 43, 47, 48, 55, 63 };
	unsigned int i;

	(void)si;
	for (i = 0; i < ARRAY_SIZE(unassigned); i++)
		KCHECK_EQ(hypercall(unassigned[i], 0, 0, 0, 0, 0), -XEN_ENOSYS);
	KCHECK_EQ(raw_hypercall(64, 0, 0), -XEN_ENOSYS);
	KCHECK_EQ(raw_hypercall(1000, 0, 0), -XEN_ENOSYS);
	KCHECK_EQ(raw_hypercall(0x80000000u, 0, 0), -XEN_ENOSYS);
	KCHECK_EQ(raw_hypercall(0xffffffffu, 0, 0), -XEN_ENOSYS);
	KCHECK_EQ(HYPERVISOR_sched_op(99, NULL), -XEN_ENOSYS);
	KCHECK_EQ(HYPERVISOR_xen_version(99, NULL), -XEN_ENOSYS);
	KCHECK_EQ(HYPERVISOR_console_io(7, 0, NULL), -XEN_ENOSYS);
	/* An implemented call still works after all that. */
	KCHECK_EQ(raw_hypercall(__HYPERVISOR_xen_version, XENVER_pagesize, 0), 4096);
	ktest_finish();
}
