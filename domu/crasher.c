/*
 * crasher.c - a DomU that faults after a moment: it sleeps delay=MS
 * milliseconds (default 50, SCHEDOP_poll with a timeout), then writes to
 * the read-only machine-to-physical table or, with at=idt, zeroes the
 * hypercall gate of the IDT (found with sidt): were that write to land,
 * every later hypercall of every domain would fault.  It registers no
 * trap table, so the fault cannot be delivered and the hypervisor crashes
 * the domain (shutdown reason crash, VIRQ_DOM_EXC to Dom0).
 */
#include "guest.h"
#include "hypercall.h"
#include "mm.h"
#include "options.h"
#include "time.h"

void kernel_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	unsigned long delay = opt_number(cmd, "delay", 50);

	if (mm_init() || !mm_map_shared_info()) {
		printf("crasher: no shared_info\n");
		guest_shutdown(SHUTDOWN_crash);
		return;
	}
	printf("crasher: faulting in %lu ms\n", delay);
	HYPERVISOR_poll(NULL, 0, time_system_ns() + delay * 1000000ull);
	if (opt_is(cmd, "at", "idt")) {
		struct { uint16_t limit; uint32_t base; } __attribute__((packed)) idt;

		asm volatile("sidt %0" : "=m"(idt));
		printf("crasher: writing to the IDT at %08x now\n", idt.base);
		*(volatile uint64_t *)(idt.base + 0x82 * 8) = 0;
	} else {
		printf("crasher: writing to the M2P table now\n");
		*(volatile uint32_t *)MACH2PHYS_VIRT_START = 0;
	}
	printf("crasher: still alive after the fault\n");
}
