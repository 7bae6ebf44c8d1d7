/*
 * shutdown.c - stop the machine with a code QEMU reports.  See shutdown.h.
 */
#include "shutdown.h"
#include "console.h"
#include "panic.h"
#include "lib.h"
#include "arch/x86_32/x86.h"
#include <public/sched.h>

#define DEBUG_EXIT_PORT	0xf4

void machine_exit(uint8_t code)
{
	printk(LOG_INFO, "machine exit, code 0x%x\n", code);
	outl(DEBUG_EXIT_PORT, code);
	halt_forever();
	__builtin_unreachable();
}

void machine_exit_for_dom0(uint32_t reason)
{
	switch (reason) {
	case SHUTDOWN_poweroff: machine_exit(EXIT_CODE_POWEROFF);
	case SHUTDOWN_reboot: machine_exit(EXIT_CODE_REBOOT);
	case SHUTDOWN_suspend: machine_exit(EXIT_CODE_SUSPEND);
	case SHUTDOWN_watchdog: machine_exit(EXIT_CODE_WATCHDOG);
	default: machine_exit(EXIT_CODE_CRASH);
	}
}

void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	cli();
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(LOG_ERR, "PANIC: %s\n", buf);
	machine_exit(EXIT_CODE_PANIC);
}
