/*
 * test_console.c - console_io writes reach the serial log line by line;
 * bad buffers return -EFAULT and the domain goes on.
 */
#include "ktest.h"

void kernel_main(struct start_info *si)
{
	static const char part1[] = "console line assembled ";
	static const char part2[] = "from two writes\n";

	(void)si;
	KCHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, sizeof(part1) - 1, part1), 0);
	KCHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, sizeof(part2) - 1, part2), 0);
	KCHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, 16, (void *)0xFC000000), -XEN_EFAULT);
	KCHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, 0x10000000, part1), -XEN_EFAULT);
	KCHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, 0, NULL), 0);
	ktest_finish();
}
