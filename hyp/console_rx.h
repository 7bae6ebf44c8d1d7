/*
 * console_rx.h - the serial console's receive buffer: bytes typed on COM1
 * wait here until Dom0 takes them with CONSOLEIO_read.  FREESTANDING.
 *
 * A byte ring of CONSOLE_RX_SIZE bytes (a power of two) with free-running
 * 32-bit producer and consumer counts.  The UART side puts one byte at a
 * time and stops when the ring is full (console_rx_put() refuses: the
 * caller leaves the rest in the UART, nothing is overwritten).  The reader
 * side is two-phase so that a failed copy loses nothing:
 * console_rx_peek() describes the oldest bytes as at most two contiguous
 * spans (the second exists when they wrap), and only console_rx_consume()
 * drops them.
 *
 * Invariant: 0 <= prod - cons <= CONSOLE_RX_SIZE; byte number i (counted
 * from the start) lives at buf[i % CONSOLE_RX_SIZE].  Single-threaded:
 * the hypervisor touches it with interrupts off.
 */
#ifndef XYLEM_CONSOLE_RX_H
#define XYLEM_CONSOLE_RX_H

#include <stdbool.h>
#include <stdint.h>

#define CONSOLE_RX_SIZE	4096u

struct console_rx {
	uint8_t buf[CONSOLE_RX_SIZE];
	uint32_t prod;		/* bytes ever put */
	uint32_t cons;		/* bytes ever consumed */
};

/* A run of waiting bytes, oldest first. */
struct console_rx_span {
	const uint8_t *data;
	uint32_t len;
};

void console_rx_reset(struct console_rx *rx);
/* Bytes waiting (0 .. CONSOLE_RX_SIZE). */
uint32_t console_rx_used(const struct console_rx *rx);
bool console_rx_full(const struct console_rx *rx);
/* Append c; false (and nothing changes) when the ring is full. */
bool console_rx_put(struct console_rx *rx, uint8_t c);
/*
 * Describe the oldest min(max, used) bytes in span[0] and span[1] (the
 * second has len 0 unless they wrap); returns that number.  Changes
 * nothing.
 */
uint32_t console_rx_peek(const struct console_rx *rx, uint32_t max,
			 struct console_rx_span span[2]);
/* Drop the oldest n bytes (at most all of them); how many were dropped. */
uint32_t console_rx_consume(struct console_rx *rx, uint32_t n);

#endif
