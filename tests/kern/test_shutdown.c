/*
 * test_shutdown.c - SCHEDOP_shutdown with the reason named on the command
 * line ("crash", "reboot"); the hypervisor must report that reason and end
 * QEMU with its exit code.  Also checks a bad reason is refused first.
 */
#include "ktest.h"

void kernel_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	struct sched_shutdown bad = { 77 };

	if (HYPERVISOR_sched_op(SCHEDOP_shutdown, &bad) != -XEN_EINVAL) {
		printf("Test result: FAILURE: shutdown reason 77 accepted\n");
		guest_shutdown(SHUTDOWN_poweroff);
	}
	if (HYPERVISOR_sched_op(SCHEDOP_shutdown, (void *)0xFC000000) != -XEN_EFAULT) {
		printf("Test result: FAILURE: shutdown with a bad pointer\n");
		guest_shutdown(SHUTDOWN_poweroff);
	}
	/* The old numeric sched_op (its shutdown takes any reason byte, as
	 * Xen: mach_dom0 covers that). */
	if (hypercall(__HYPERVISOR_sched_op_compat, SCHEDOP_yield, 0, 0, 0, 0) != 0 ||
	    hypercall(__HYPERVISOR_sched_op_compat, 42, 0, 0, 0, 0) != -XEN_ENOSYS) {
		printf("Test result: FAILURE: sched_op_compat misbehaves\n");
		guest_shutdown(SHUTDOWN_poweroff);
	}
	printf("shutting down with reason %s\n", cmd);
	if (!strcmp(cmd, "crash"))
		guest_shutdown(SHUTDOWN_crash);
	else if (!strcmp(cmd, "reboot"))
		guest_shutdown(SHUTDOWN_reboot);
	printf("Test result: FAILURE: still running after shutdown(%s)\n", cmd);
	guest_shutdown(SHUTDOWN_poweroff);
}
