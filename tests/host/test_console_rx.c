/*
 * test_console_rx.c - the serial receive ring (hyp/console_rx.c): fill to
 * exactly CONSOLE_RX_SIZE and refuse the next byte without overwriting;
 * peek changes nothing and splits at the wrap; consume clamps; the counts
 * survive 32-bit overflow; and a long random run agrees byte for byte with
 * a plain reference queue.
 */
#include "check.h"
#include "../../hyp/console_rx.h"
#include <stdlib.h>
#include <string.h>

static struct console_rx rx;

/* Gather what peek describes into out; the count. */
static uint32_t peek_all(uint32_t max, uint8_t *out)
{
	struct console_rx_span s[2];
	uint32_t n = console_rx_peek(&rx, max, s);

	CHECK_EQ(s[0].len + s[1].len, n);
	memcpy(out, s[0].data, s[0].len);
	memcpy(out + s[0].len, s[1].data, s[1].len);
	return n;
}

static void test_empty(void)
{
	struct console_rx_span s[2];
	uint8_t out[8];

	console_rx_reset(&rx);
	CHECK_EQ(console_rx_used(&rx), 0);
	CHECK(!console_rx_full(&rx));
	CHECK_EQ(console_rx_peek(&rx, 100, s), 0);
	CHECK_EQ(s[0].len, 0);
	CHECK_EQ(s[1].len, 0);
	CHECK_EQ(console_rx_consume(&rx, 5), 0);
	CHECK_EQ(console_rx_used(&rx), 0);
	CHECK(console_rx_put(&rx, 'x'));
	CHECK_EQ(peek_all(0, out), 0);		/* count 0 takes nothing */
	CHECK_EQ(console_rx_used(&rx), 1);
}

static void test_full(void)
{
	static uint8_t out[CONSOLE_RX_SIZE];
	uint32_t i;

	console_rx_reset(&rx);
	for (i = 0; i < CONSOLE_RX_SIZE; i++)
		CHECK(console_rx_put(&rx, (uint8_t)(i * 7)));
	CHECK(console_rx_full(&rx));
	CHECK(!console_rx_put(&rx, 0xee));
	CHECK_EQ(console_rx_used(&rx), CONSOLE_RX_SIZE);
	CHECK_EQ(peek_all(UINT32_MAX, out), CONSOLE_RX_SIZE);
	for (i = 0; i < CONSOLE_RX_SIZE; i++)
		if (out[i] != (uint8_t)(i * 7))
			break;
	CHECK_EQ(i, CONSOLE_RX_SIZE);		/* the refused byte wrote nothing */
	CHECK_EQ(console_rx_consume(&rx, 1), 1);
	CHECK(!console_rx_full(&rx));
	CHECK(console_rx_put(&rx, 0xee));
	CHECK_EQ(console_rx_consume(&rx, 1u << 20), CONSOLE_RX_SIZE);
	CHECK_EQ(console_rx_used(&rx), 0);
}

static void test_wrap(void)
{
	struct console_rx_span s[2];
	uint8_t out[64];
	uint32_t i;

	console_rx_reset(&rx);
	rx.prod = rx.cons = CONSOLE_RX_SIZE - 10;	/* 10 bytes before the end */
	for (i = 0; i < 30; i++)
		CHECK(console_rx_put(&rx, (uint8_t)('A' + i)));
	CHECK_EQ(console_rx_peek(&rx, 30, s), 30);
	CHECK_EQ(s[0].len, 10);
	CHECK_EQ(s[1].len, 20);
	CHECK(s[0].data == &rx.buf[CONSOLE_RX_SIZE - 10]);
	CHECK(s[1].data == rx.buf);
	CHECK_EQ(console_rx_peek(&rx, 4, s), 4);	/* max inside span 0 */
	CHECK_EQ(s[0].len, 4);
	CHECK_EQ(s[1].len, 0);
	CHECK_EQ(peek_all(12, out), 12);
	CHECK(!memcmp(out, "ABCDEFGHIJKL", 12));
	CHECK_EQ(console_rx_used(&rx), 30);		/* peek took nothing */
}

static void test_counter_overflow(void)
{
	uint8_t out[32];
	uint32_t i;

	console_rx_reset(&rx);
	rx.prod = rx.cons = UINT32_MAX - 5;
	for (i = 0; i < 20; i++)
		CHECK(console_rx_put(&rx, (uint8_t)i));
	CHECK_EQ(console_rx_used(&rx), 20);
	CHECK_EQ(peek_all(32, out), 20);
	for (i = 0; i < 20; i++)
		CHECK_EQ(out[i], i);
	CHECK_EQ(console_rx_consume(&rx, 25), 20);
	CHECK_EQ(console_rx_used(&rx), 0);
}

/* Random puts, peeks and consumes against a reference queue. */
static void test_random(void)
{
	static uint8_t ref[1u << 20], out[CONSOLE_RX_SIZE];
	uint32_t head = 0, tail = 0, round, k, n, want;

	console_rx_reset(&rx);
	srand(12345);
	for (round = 0; round < 20000 && tail < sizeof(ref) - CONSOLE_RX_SIZE; round++) {
		k = (uint32_t)rand() % 300;
		for (; k; k--) {
			uint8_t c = (uint8_t)rand();
			bool room = tail - head < CONSOLE_RX_SIZE;

			CHECK_EQ(console_rx_put(&rx, c), room);
			if (room)
				ref[tail++] = c;
		}
		want = (uint32_t)rand() % 400;
		n = peek_all(want, out);
		CHECK_EQ(n, want < tail - head ? want : tail - head);
		CHECK(!memcmp(out, &ref[head], n));
		k = (uint32_t)rand() % (n + 1);		/* consume part of it */
		CHECK_EQ(console_rx_consume(&rx, k), k);
		head += k;
		CHECK_EQ(console_rx_used(&rx), tail - head);
	}
	CHECK(tail > 1000000u / 2);
}

int main(void)
{
	test_empty();
	test_full();
	test_wrap();
	test_counter_overflow();
	test_random();
	return check_done();
}
