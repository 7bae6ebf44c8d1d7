/*
 * test_console_input.c - serial console input reaches Dom0 (booted with
 * tests/kern/console_input.txt as the serial line's input):
 *  - CONSOLEIO_read with count 0 returns 0 (any buffer), a count above
 *    INT32_MAX -E2BIG;
 *  - VIRQ_CONSOLE binds, and SCHEDOP_poll on it wakes once input waits;
 *  - once input stops (no VIRQ_CONSOLE in two 500 ms windows running,
 *    at most 30 s) the hypervisor holds exactly its 4096-byte buffer
 *    (the input is longer: the rest must wait in the UART and in QEMU);
 *  - reads into a buffer in the hypervisor's area, in unmapped memory and
 *    one running off the end of the boot region are -EFAULT and consume
 *    nothing: the next read returns the input from its first byte;
 *  - the whole input then arrives through reads of 1 to 200 bytes and is
 *    byte for byte what console_input.txt holds (a title line, a 200-byte
 *    line, two 3000-byte blocks: nothing lost to the full buffer or to the
 *    16-byte UART FIFO); each time a read finds nothing, a poll on the
 *    VIRQ port must wake (VIRQ_CONSOLE announces new input);
 *  - past the end, reads return 0.
 * The expected bytes are generated here by the rule the .txt was made
 * with (expected_build()); the two must agree.
 * (A DomU's CONSOLEIO_read is -EPERM: domu/hostile.c, test dom_hostile.)
 */
#include "ktest.h"
#include "event.h"
#include "mm.h"
#include "time.h"
#include <public/arch-x86_32.h>

#define MS		1000000ull
#define RX_SIZE		4096u		/* the hypervisor's receive buffer */
#define INPUT_MAX	8192u
#define BLOCK_LINES	50u
#define LINE_BYTES	60u
#define QUIET_WINDOWS	2u		/* of 500 ms without input */

static uint8_t expected[INPUT_MAX];
static uint32_t expected_len;
static uint8_t got[INPUT_MAX];

static void put(const char *s)
{
	while (*s && expected_len < INPUT_MAX)
		expected[expected_len++] = (uint8_t)*s++;
}

static void put_byte(uint8_t c)
{
	if (expected_len < INPUT_MAX)
		expected[expected_len++] = c;
}

/* 200 bytes: "long line: ", letters a..z repeating, '\n'. */
static void put_long_line(void)
{
	uint32_t j;

	put("long line: ");
	for (j = 11; j < 199; j++)
		put_byte((uint8_t)('a' + j % 26));
	put_byte('\n');
}

/* 50 lines of 60 bytes: "block B line NN " + printable pattern + '\n'. */
static void put_block(uint32_t b)
{
	char head[17];
	uint32_t line, k;

	for (line = 0; line < BLOCK_LINES; line++) {
		snprintf(head, sizeof(head), "block %u line %02u ", b, line);
		put(head);
		for (k = 16; k < LINE_BYTES - 1; k++)
			put_byte((uint8_t)('!' + (line * 7 + k * 3 + b) % 94));
		put_byte('\n');
	}
}

static void expected_build(void)
{
	put("Xylem serial input for tests/kern/test_console_input.c, ");
	put("which builds the same bytes\n");
	put_long_line();
	put_block(1);
	put_block(2);
	put("end of input\n");
}

static long console_read(uint32_t count, void *buf)
{
	return HYPERVISOR_console_io(CONSOLEIO_read, count, buf);
}

/* Poll port until it is pending or ms pass; whether it became pending. */
static bool wait_port(evtchn_port_t port, uint32_t ms)
{
	KCHECK_EQ(HYPERVISOR_poll(&port, 1, time_system_ns() + ms * MS), 0);
	return evtchn_is_pending(port);
}

static void pause_ms(uint32_t ms)
{
	evtchn_port_t none = 0;

	KCHECK_EQ(HYPERVISOR_poll(&none, 0, time_system_ns() + ms * MS), 0);
}

/*
 * Let the buffer fill up: input keeps coming (a VIRQ_CONSOLE for each
 * arrival) until the hypervisor's buffer is full and it stops the UART,
 * since the input is longer than the buffer.  So wait until QUIET_WINDOWS
 * windows of half a second running pass with none, however slowly this
 * host feeds the line (at most 30 s).  A fixed wait was a timing guess:
 * one loaded run had 3884 bytes in after 1 s.  One quiet window is not
 * enough: while the host has QEMU descheduled for 500 ms the guest's
 * clock runs on and the UART does not, so the window ends with input
 * still coming; a stall that long twice running is rare.
 */
static void wait_until_quiet(evtchn_port_t port)
{
	uint64_t t0 = time_system_ns(), give_up = t0 + 30000 * MS;
	uint32_t quiet = 0, interrupted = 0;

	while (quiet < QUIET_WINDOWS && time_system_ns() < give_up) {
		evtchn_clear_pending(port);
		if (!wait_port(port, 500)) {
			quiet++;
		} else if (quiet) {
			interrupted++;	/* input after a quiet window */
			quiet = 0;
		}
	}
	printf("console input: quiet after %u ms (%u quiet windows ended by input)\n",
	       (uint32_t)((time_system_ns() - t0) / MS), interrupted);
}

static void check_arguments(void)
{
	uint8_t b[4];

	KCHECK_EQ(console_read(0, NULL), 0);
	KCHECK_EQ(console_read(0, (void *)0xE0000000), 0);
	KCHECK_EQ(console_read(0, b), 0);
	KCHECK_EQ(console_read(0x80000000u, b), -XEN_E2BIG);
	KCHECK_EQ(console_read(0xffffffffu, b), -XEN_E2BIG);
}

/* Faulting reads take nothing; then the first 4096 bytes, in one read. */
static uint32_t check_faults_then_first_read(void)
{
	uint32_t end = mm_boot_region_end();
	long n;

	KCHECK_EQ(console_read(16, (void *)0xFC000000), -XEN_EFAULT);
	KCHECK_EQ(console_read(16, (void *)(HYPERVISOR_VIRT_START - 8)), -XEN_EFAULT);
	KCHECK_EQ(console_read(64, (void *)0xE0000000), -XEN_EFAULT);
	KCHECK_EQ(console_read(64, (void *)(end - 8)), -XEN_EFAULT);
	n = console_read(INPUT_MAX, got);
	printf("console input: first read after the faults: %ld bytes\n", n);
	KCHECK_EQ(n, RX_SIZE);		/* the buffer was full, and intact */
	if (n < 0)
		return 0;
	KCHECK(!memcmp(got, expected, (uint32_t)n));
	return (uint32_t)n;
}

/* Read the rest in small pieces; wait on the VIRQ whenever none waits. */
static uint32_t read_rest(evtchn_port_t port, uint32_t have, uint32_t *waits)
{
	static const uint32_t pieces[] = { 1, 7, 16, 61, 200, 3 };
	uint64_t deadline = time_system_ns() + 30000 * MS;
	uint32_t i = 0, piece;
	long n;

	while (have < expected_len && time_system_ns() < deadline) {
		piece = pieces[i++ % ARRAY_SIZE(pieces)];
		if (piece > INPUT_MAX - have)
			piece = INPUT_MAX - have;
		evtchn_clear_pending(port);	/* before the read: no lost wakeup */
		n = console_read(piece, &got[have]);
		if (n < 0 || (uint32_t)n > piece) {
			KCHECK_EQ(n, piece);
			break;
		}
		have += (uint32_t)n;
		if (n)
			continue;
		(*waits)++;
		if (!wait_port(port, 2000)) {
			printf("console input: no VIRQ_CONSOLE after byte %u\n", have);
			KCHECK(0);
			break;
		}
	}
	return have;
}

static void compare(uint32_t have)
{
	uint32_t i;

	KCHECK_EQ(have, expected_len);
	for (i = 0; i < have && i < expected_len; i++)
		if (got[i] != expected[i])
			break;
	if (i < have) {
		printf("console input: byte %u is 0x%x, expected 0x%x\n", i,
		       got[i], expected[i]);
		KCHECK(0);
	}
}

void kernel_main(struct start_info *si)
{
	evtchn_port_t port = 0;
	uint32_t have, waits = 0;
	uint64_t t0;

	(void)si;
	if (!ktest_start_events())	/* events stay disabled: we poll */
		return;
	expected_build();
	check_arguments();
	KCHECK_EQ(evtchn_bind_virq(VIRQ_CONSOLE, &port), 0);
	t0 = time_system_ns();
	KCHECK(wait_port(port, 10000));
	printf("console input: VIRQ_CONSOLE pending after %u ms\n",
	       (uint32_t)((time_system_ns() - t0) / MS));
	wait_until_quiet(port);
	have = check_faults_then_first_read();
	t0 = time_system_ns();
	have = read_rest(port, have, &waits);
	printf("console input: the %u bytes past the full buffer took %u ms\n",
	       have > RX_SIZE ? have - RX_SIZE : 0,
	       (uint32_t)((time_system_ns() - t0) / MS));
	compare(have);
	KCHECK_EQ(console_read(64, got), 0);	/* nothing past the end */
	pause_ms(50);
	KCHECK_EQ(console_read(64, got), 0);
	printf("console input: %u of %u bytes, %u waits on VIRQ_CONSOLE\n",
	       have, expected_len, waits);
	ktest_finish();
}
