/*
 * console.h - the hypervisor's console: COM1 serial output with log levels,
 * and the console_io hypercall.
 *
 * printk(level, fmt, ...) prints "(xylem) " + message when level is at or
 * below the threshold set by "loglvl=err|warn|info|debug" on the hypervisor
 * command line (default info).  Guest console output is printed line by
 * line prefixed "(dN) ".  Dom0's PV console ring (start_info console.domU,
 * event channel 0) is served by the hypervisor itself: its output is
 * drained after every hypercall Dom0 makes and printed the same way, for
 * as long as the frame stays a plain page of Dom0 and start_info's
 * console.domU.mfn names it (Linux zeroes it and reuses the page); once
 * either fails the ring is never served again.  An empty ring is never
 * written.
 *
 * Input: bytes typed on COM1 are buffered (CONSOLE_RX_SIZE, console_rx.h)
 * until Dom0 reads them with CONSOLEIO_read; VIRQ_CONSOLE tells Dom0 that
 * new ones arrived.  The hypervisor owns IRQ 4: irq.c calls
 * console_input_interrupt() for it and console_input_poll() on every
 * tick.  When the buffer is full the UART is no longer drained (its
 * receive interrupt is off) until Dom0 reads, so input waits, never
 * lost.  console_init() keeps bytes that were already waiting in the UART.
 */
#ifndef XYLEM_CONSOLE_H
#define XYLEM_CONSOLE_H

#include <stdbool.h>
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
/*
 * Is mfn d's console ring, still in use?  A ring its start_info no longer
 * names is given up here, for good, so that its frame may leave d
 * (ballooned out or exchanged, as Linux may do with the reused page).
 */
bool console_ring_keeps(struct domain *d, uint32_t mfn);

/* IRQ 4 fired: take what the UART holds (interrupts off). */
void console_input_interrupt(void);
/* Timer tick: the same when data waits but no interrupt came. */
void console_input_poll(void);
/* Typed bytes are waiting for CONSOLEIO_read. */
bool console_input_waiting(void);

/*
 * console_io: CONSOLEIO_write (any domain) 0 or -EFAULT; CONSOLEIO_read
 * (privileged only, else -EPERM) the number of bytes copied (up to count,
 * 0 when none wait), -E2BIG for a count above INT32_MAX, -EFAULT with
 * nothing consumed; other commands -ENOSYS.
 */
long do_console_io(uint32_t cmd, uint32_t count, uint32_t buffer);

#endif
