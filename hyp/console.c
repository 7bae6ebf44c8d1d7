/*
 * console.c - the COM1 serial line: output with log levels, input into a
 * receive buffer for Dom0, and the console_io hypercall (write: print a
 * guest's bytes; read: Dom0 takes typed bytes).  See console.h.
 *
 * Input path: IRQ 4 (irq.c calls console_input_interrupt()) and, as a
 * fallback for a lost edge, every timer tick (console_input_poll()) move
 * bytes from the UART into `rx` while it has room.  A full `rx` switches
 * the UART's receive interrupt off and stops draining, so the rest waits
 * in the UART (and, under QEMU, in the character device): nothing is
 * dropped.  CONSOLEIO_read copies out, consumes, then drains again and
 * turns the interrupt back on.  Whenever bytes were added, Dom0 gets
 * VIRQ_CONSOLE.
 */
#include "console.h"
#include "console_rx.h"
#include "domain.h"
#include "event.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "pagetable.h"
#include "arch/x86_32/paging.h"
#include "arch/x86_32/x86.h"
#include <public/console.h>
#include <public/errno.h>
#include <public/xen.h>

#define COM1		0x3f8
#define LINE_MAX	320	/* a DomU line (256) with its Dom0 prefix */

/* 16550 registers (offsets from COM1) and the bits used here. */
#define UART_DATA	0	/* RBR read, THR write; DLL with DLAB */
#define UART_IER	1	/* DLM with DLAB */
#define UART_IIR	2	/* read; FCR on write */
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define IER_RX_DATA	0x01	/* interrupt while received data waits */
#define IIR_FIFOS_ON	0xc0	/* both set: the FIFOs are enabled */
#define FCR_FIFO_ON	0x01
#define FCR_CLEAR_TX	0x04	/* (0x02 would clear the receive FIFO) */
#define FCR_TRIGGER_8	0x80	/* receive interrupt at 8 bytes or idle */
#define LCR_DLAB	0x80
#define LCR_8N1		0x03
#define MCR_DTR_RTS_OUT2 0x0b	/* OUT2 gates the IRQ line on a PC */
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20
#define LSR_NO_UART	0xff	/* what an empty ISA bus reads */

static struct console_rx rx;
static uint8_t uart_ier;	/* what the UART's IER holds */

static enum log_level threshold = LOG_INFO;

/* Move waiting bytes from the UART into rx while it has room; how many. */
static uint32_t uart_drain(void)
{
	uint32_t n = 0;
	uint8_t lsr;

	while (!console_rx_full(&rx)) {
		lsr = inb(COM1 + UART_LSR);
		if (lsr == LSR_NO_UART || !(lsr & LSR_DATA_READY))
			break;
		console_rx_put(&rx, inb(COM1 + UART_DATA));
		n++;
	}
	return n;
}

/* Receive interrupt on exactly while rx has room (flow control). */
static void uart_rx_irq_update(void)
{
	uint8_t want = console_rx_full(&rx) ? 0 : IER_RX_DATA;

	if (want != uart_ier) {
		outb(COM1 + UART_IER, want);
		uart_ier = want;
	}
}

/* Drain, then tell Dom0 if anything new arrived. */
static void input_refill(void)
{
	struct domain *dom0;
	uint32_t n = uart_drain();

	uart_rx_irq_update();
	dom0 = n ? domain_lookup(0) : NULL;
	if (dom0)
		evtchn_send_virq(&dom0->vcpu0, VIRQ_CONSOLE);
}

/*
 * Writing FCR never clears the receive FIFO here, but switching the FIFOs
 * on (a change of FCR bit 0) empties the receive side on a 16550 and in
 * QEMU, whatever the other bits say.  Already on: keep them on.  Off with
 * a byte waiting: input is flowing, and the byte (under QEMU also the
 * next, which arrives the moment one is read) would be dropped, so the
 * UART stays without FIFOs, one byte per interrupt.  Off and quiet: on.
 */
static bool uart_may_switch_fifos_on(void)
{
	uint8_t lsr;

	if ((inb(COM1 + UART_IIR) & IIR_FIFOS_ON) == IIR_FIFOS_ON)
		return true;
	lsr = inb(COM1 + UART_LSR);
	return lsr == LSR_NO_UART || !(lsr & LSR_DATA_READY);
}

void console_init(void)
{
	console_rx_reset(&rx);
	uart_ier = 0;
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DATA, 0x01);	/* divisor 1: 115200 baud */
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, LCR_8N1);
	if (uart_may_switch_fifos_on())
		outb(COM1 + UART_FCR, FCR_FIFO_ON | FCR_CLEAR_TX | FCR_TRIGGER_8);
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
	uart_drain();
	uart_rx_irq_update();
}

void console_input_interrupt(void)
{
	input_refill();
}

void console_input_poll(void)
{
	uint8_t lsr;

	if (console_rx_full(&rx))
		return;
	lsr = inb(COM1 + UART_LSR);	/* one port read per tick */
	if (lsr != LSR_NO_UART && (lsr & LSR_DATA_READY))
		input_refill();
}

bool console_input_waiting(void)
{
	return console_rx_used(&rx) != 0;
}

void console_set_level(const char *name)
{
	static const char *const names[] = { "err", "warn", "info", "debug" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			threshold = (enum log_level)i;
}

static void serial_putc(char c)
{
	unsigned int spins = 100000;

	while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY) && --spins)
		;
	outb(COM1 + UART_DATA, (uint8_t)c);
}

void console_write(const char *s, uint32_t len)
{
	while (len--) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s++);
	}
}

void printk(enum log_level level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	if (level > threshold)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	console_write("(xylem) ", 8);
	console_write(buf, (uint32_t)n);
}

/* One pending partial line, for the domain that wrote last. */
static char line[LINE_MAX];
static uint32_t line_len;
static uint16_t line_domid;

static void flush_line(void)
{
	char prefix[16];
	int n;

	if (!line_len)
		return;
	n = snprintf(prefix, sizeof(prefix), "(d%u) ", line_domid);
	console_write(prefix, (uint32_t)n);
	console_write(line, line_len);
	if (line[line_len - 1] != '\n')
		console_write("\n", 1);
	line_len = 0;
}

void console_guest_write(uint16_t domid, const char *s, uint32_t len)
{
	if (line_len && domid != line_domid)
		flush_line();
	line_domid = domid;
	for (; len; len--, s++) {
		if (*s == '\r' || (*s == '\0'))
			continue;
		line[line_len++] = *s;
		if (*s == '\n' || line_len == LINE_MAX)
			flush_line();
	}
}

/*
 * Preemptible: past the time slice the rest continues (hypercall.h).  The
 * slice is checked every 16 bytes, which a 115200-baud UART sends in about
 * 1.4 ms; a line completed by them is written out whole, so the longest
 * step is one line (LINE_MAX bytes, about 28 ms on a real UART).
 */
static long console_io_write(uint32_t count, uint32_t buffer)
{
	char chunk[16];

	while (count) {
		uint32_t n = MIN(count, (uint32_t)sizeof(chunk));

		if (copy_from_guest(chunk, buffer, n))
			return -XEN_EFAULT;
		console_guest_write(current_domain()->domid, chunk, n);
		buffer += n;
		count -= n;
		if (count && hypercall_preempt_check()) {
			hypercall_continue3(__HYPERVISOR_console_io,
					    CONSOLEIO_write, count, buffer);
			break;
		}
	}
	return 0;
}

/*
 * Copy first, consume after: a fault leaves every byte for the next read.
 * The count is returned in a long, so one past INT32_MAX cannot be told
 * from an error: -E2BIG, as Xen.
 */
static long console_io_read(uint32_t count, uint32_t buffer)
{
	struct console_rx_span span[2];
	uint32_t n;

	if (count > INT32_MAX)
		return -XEN_E2BIG;
	n = console_rx_peek(&rx, count, span);
	if (span[0].len && copy_to_guest(buffer, span[0].data, span[0].len))
		return -XEN_EFAULT;
	if (span[1].len && copy_to_guest(buffer + span[0].len, span[1].data,
					 span[1].len))
		return -XEN_EFAULT;
	console_rx_consume(&rx, n);
	if (n)
		input_refill();		/* room again: take what waited */
	return n;
}

/*
 * Dom0's PV console ring has no backend but the hypervisor: copy what the
 * guest produced to the serial line and consume it.  The indices are
 * guest-writable: read once, and a producer more than a ring ahead is
 * treated as a full ring.
 *
 * The ring is ordinary memory of the domain, and a kernel that does not
 * use it (Linux as Dom0) zeroes console.domU.mfn in its start_info and
 * gives the page to its allocator, which may make it a page table, a
 * descriptor page or anything else.  So the ring is served only while the
 * frame is a plain page of the domain and start_info still names it;
 * once either fails it is stopped for good (console_ring_mfn = 0).  Where
 * nothing waits (prod == cons) nothing is written: the page may already
 * be someone else's data.  The start_info page is read only when there
 * is something to consume, so an idle ring costs one page-info check and
 * two reads per hypercall.
 */
static void ring_stop(struct domain *d, const char *why)
{
	printk(LOG_INFO, "domain %u: console ring frame 0x%x is no longer %s: "
	       "the ring is no longer served\n", d->domid, d->console_ring_mfn,
	       why);
	d->console_ring_mfn = 0;
}

static bool ring_still_plain(struct domain *d)
{
	const struct page_info *pg = mfn_to_page(_mfn(d->console_ring_mfn));

	if (pg->owner == d->domid && (pg->type == PGT_NONE ||
				      pg->type == PGT_WRITABLE ||
				      !pg->type_count))
		return true;
	ring_stop(d, "a plain page");
	return false;
}

/*
 * Does d's start_info still name the ring frame?  A start_info frame the
 * domain no longer owns (given back) is not read: the answer is no.
 */
static bool ring_still_named(struct domain *d)
{
	const struct start_info *si;
	uint32_t named = 0;

	if (d->start_info_mfn &&
	    mfn_to_page(_mfn(d->start_info_mfn))->owner == d->domid) {
		si = map_domain_page(_mfn(d->start_info_mfn));
		named = ACCESS_ONCE(si->console.domU.mfn);
		unmap_domain_page(si);
	}
	if (named == d->console_ring_mfn)
		return true;
	ring_stop(d, "named in start_info");
	return false;
}

bool console_ring_keeps(struct domain *d, uint32_t mfn)
{
	return d->console_ring_mfn && mfn == d->console_ring_mfn &&
	       ring_still_named(d);
}

void console_ring_drain(struct domain *d)
{
	struct xencons_interface *ring;
	uint32_t cons, prod;
	char chunk[sizeof(ring->out)];
	uint32_t n = 0;

	if (!d->console_ring_mfn || !ring_still_plain(d))
		return;
	ring = map_domain_page(_mfn(d->console_ring_mfn));
	cons = ACCESS_ONCE(ring->out_cons);
	prod = ACCESS_ONCE(ring->out_prod);
	if (prod == cons || !ring_still_named(d))
		goto out_unmap;
	if (prod - cons > sizeof(ring->out))
		cons = prod - sizeof(ring->out);
	for (; cons != prod; cons++)
		chunk[n++] = ring->out[cons % sizeof(ring->out)];
	barrier();
	ring->out_cons = cons;
out_unmap:
	unmap_domain_page(ring);
	if (n)
		console_guest_write(d->domid, chunk, n);
}

long do_console_io(uint32_t cmd, uint32_t count, uint32_t buffer)
{
	switch (cmd) {
	case CONSOLEIO_write:
		return console_io_write(count, buffer);
	case CONSOLEIO_read:
		if (!domain_is_privileged(current_domain()))
			return -XEN_EPERM;
		return console_io_read(count, buffer);
	default:
		return -XEN_ENOSYS;
	}
}
