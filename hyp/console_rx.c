/*
 * console_rx.c - the serial console's receive ring.  See console_rx.h.
 * FREESTANDING: builds into the hypervisor and into tests/host.
 */
#include "console_rx.h"

/* The index arithmetic below relies on it. */
_Static_assert((CONSOLE_RX_SIZE & (CONSOLE_RX_SIZE - 1)) == 0,
	       "CONSOLE_RX_SIZE must be a power of two");

void console_rx_reset(struct console_rx *rx)
{
	rx->prod = 0;
	rx->cons = 0;
}

uint32_t console_rx_used(const struct console_rx *rx)
{
	return rx->prod - rx->cons;
}

bool console_rx_full(const struct console_rx *rx)
{
	return console_rx_used(rx) >= CONSOLE_RX_SIZE;
}

bool console_rx_put(struct console_rx *rx, uint8_t c)
{
	if (console_rx_full(rx))
		return false;
	rx->buf[rx->prod % CONSOLE_RX_SIZE] = c;
	rx->prod++;
	return true;
}

uint32_t console_rx_peek(const struct console_rx *rx, uint32_t max,
			 struct console_rx_span span[2])
{
	uint32_t n = console_rx_used(rx);
	uint32_t start = rx->cons % CONSOLE_RX_SIZE;
	uint32_t first;

	if (n > max)
		n = max;
	first = CONSOLE_RX_SIZE - start;	/* room before the wrap */
	if (first > n)
		first = n;
	span[0].data = &rx->buf[start];
	span[0].len = first;
	span[1].data = rx->buf;
	span[1].len = n - first;
	return n;
}

uint32_t console_rx_consume(struct console_rx *rx, uint32_t n)
{
	uint32_t used = console_rx_used(rx);

	if (n > used)
		n = used;
	rx->cons += n;
	return n;
}
