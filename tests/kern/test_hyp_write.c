/*
 * test_hyp_write.c (hostile) - a guest kernel writes into the hypervisor's
 * direct map.  Its flat segments end below the hypervisor, so the write
 * faults; with no handler registered the hypervisor must report the fault
 * and crash the domain (the runner checks the report and the exit code).
 */
#include "ktest.h"

void kernel_main(struct start_info *si)
{
	(void)si;
	printf("writing to 0xFC100000 (the hypervisor image)\n");
	*(volatile uint32_t *)0xFC100000 = 0xdeadbeef;
	printf("Test result: FAILURE: the write into the hypervisor went through\n");
	guest_shutdown(SHUTDOWN_poweroff);
}
