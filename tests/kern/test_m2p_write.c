/*
 * test_m2p_write.c (hostile) - a guest reads the machine-to-physical table
 * (allowed) and then writes to it (refused: a page fault the hypervisor
 * reports, crashing the domain).
 */
#include "ktest.h"

void kernel_main(struct start_info *si)
{
	volatile uint32_t *m2p = (volatile uint32_t *)MACH2PHYS_VIRT_START;
	const uint32_t *p2m = (const uint32_t *)si->mfn_list;

	if (m2p[p2m[5]] != 5) {
		printf("Test result: FAILURE: M2P not readable or wrong\n");
		guest_shutdown(SHUTDOWN_poweroff);
	}
	printf("M2P readable; now writing to it\n");
	m2p[p2m[5]] = 77;
	printf("Test result: FAILURE: the M2P accepted a guest write\n");
	guest_shutdown(SHUTDOWN_poweroff);
}
