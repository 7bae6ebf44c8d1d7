/*
 * console.h - the hypervisor's console: COM1 serial output with log levels,
 * and the console_io hypercall.
 *
 * printk(level, fmt, ...) prints "(xylem) " + message when level is at or
 * below the threshold set by "loglvl=err|warn|info|debug" on the hypervisor
 * command line (default info).  Guest console output is printed line by
 * line prefixed "(dN) ".  Dom0's PV console ring (start_info console.domU,
 * event channel 0) is served by the hypervisor itself: its output is
 * drained after every hypercall Dom0 makes and printed the same way.
 */
#ifndef XYLEM_CONSOLE_H
#define XYLEM_CONSOLE_H

#include <stdint.h>

enum log_level { LOG_ERR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

void console_init(void);
void console_set_level(const char *name);
void printk(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Write raw bytes to the serial line. */
void console_write(const char *s, uint32_t len);
/* Guest output: buffered per domain up to each newline, then prefixed. */
void console_guest_write(uint16_t domid, const char *s, uint32_t len);

struct domain;
/* Print and consume what d wrote to its PV console ring (Dom0's). */
void console_ring_drain(struct domain *d);

long do_console_io(uint32_t cmd, uint32_t count, uint32_t buffer);

#endif
