/*
 * test_bad_stack.c (hostile) - with handlers registered, the kernel moves
 * its stack pointer into the hypervisor's area and pushes.  The fault
 * cannot be delivered (there is no stack to build the frame on): the
 * hypervisor must report it and crash the domain, and survive.
 */
#include "ktest.h"

asm(".text\nany_entry:\n iret\n");
void any_entry(void);

static const struct trap_info table[] = {
	{ 12, 0, FLAT_KERNEL_CS, (uint32_t)any_entry },
	{ 13, 0, FLAT_KERNEL_CS, (uint32_t)any_entry },
	{ 14, 0, FLAT_KERNEL_CS, (uint32_t)any_entry },
	{ 0, 0, 0, 0 },
};

void kernel_main(struct start_info *si)
{
	(void)si;
	if (HYPERVISOR_set_trap_table(table)) {
		printf("Test result: FAILURE: set_trap_table refused\n");
		guest_shutdown(SHUTDOWN_poweroff);
	}
	printf("pushing onto a stack inside the hypervisor\n");
	asm volatile("movl $0xfbadc0de, %esp; pushf");
	printf("Test result: FAILURE: still running\n");
	guest_shutdown(SHUTDOWN_poweroff);
}
