/*
 * shutdown.h - ending the machine.  Under QEMU the isa-debug-exit device
 * (port 0xf4) turns a written byte v into QEMU's exit status (v << 1) | 1;
 * each reason has its own code so tests can tell them apart:
 *
 *   Dom0 poweroff   0x10 -> exit 33      Dom0 crash      0x12 -> exit 37
 *   Dom0 reboot     0x11 -> exit 35      Dom0 watchdog   0x13 -> exit 39
 *   Dom0 suspend    0x14 -> exit 41      hypervisor panic 0x1f -> exit 63
 *
 * Without the device (real hardware) the machine halts.
 */
#ifndef XYLEM_SHUTDOWN_H
#define XYLEM_SHUTDOWN_H

#include <stdint.h>

#define EXIT_CODE_POWEROFF	0x10
#define EXIT_CODE_REBOOT	0x11
#define EXIT_CODE_CRASH		0x12
#define EXIT_CODE_WATCHDOG	0x13
#define EXIT_CODE_SUSPEND	0x14
#define EXIT_CODE_PANIC		0x1f

void machine_exit(uint8_t code) __attribute__((noreturn));
/* Map a Dom0 SHUTDOWN_* reason to its exit code and exit. */
void machine_exit_for_dom0(uint32_t reason) __attribute__((noreturn));

#endif
