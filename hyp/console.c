/*
 * console.c - COM1 serial output, log levels, and the console_io
 * hypercall (write: print a guest's bytes; read: take bytes typed on the
 * serial line).  See console.h.
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "mm.h"
#include "pagetable.h"
#include "arch/x86_32/paging.h"
#include "arch/x86_32/x86.h"
#include <public/console.h>
#include <public/errno.h>
#include <public/xen.h>

#define COM1		0x3f8
#define LINE_MAX	256

static enum log_level threshold = LOG_INFO;

void console_init(void)
{
	outb(COM1 + 1, 0x00);	/* no interrupts */
	outb(COM1 + 3, 0x80);	/* DLAB */
	outb(COM1 + 0, 0x01);	/* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);	/* 8N1 */
	outb(COM1 + 2, 0xc7);	/* FIFO on, cleared */
	outb(COM1 + 4, 0x03);	/* DTR, RTS */
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

	while (!(inb(COM1 + 5) & 0x20) && --spins)
		;
	outb(COM1, (uint8_t)c);
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

static long console_io_write(uint32_t count, uint32_t buffer)
{
	char chunk[128];

	while (count) {
		uint32_t n = MIN(count, (uint32_t)sizeof(chunk));

		if (copy_from_guest(chunk, buffer, n))
			return -XEN_EFAULT;
		console_guest_write(current_domain()->domid, chunk, n);
		buffer += n;
		count -= n;
	}
	return 0;
}

static long console_io_read(uint32_t count, uint32_t buffer)
{
	uint32_t done = 0;
	char c;

	while (done < count && (inb(COM1 + 5) & 0x01)) {
		c = (char)inb(COM1);
		if (copy_to_guest(buffer + done, &c, 1))
			return -XEN_EFAULT;
		done++;
	}
	return done;
}

/*
 * Dom0's PV console ring has no backend but the hypervisor: copy what the
 * guest produced to the serial line and consume it.  The indices are
 * guest-writable: read once, and a producer more than a ring ahead is
 * treated as a full ring.
 */
/*
 * The ring is ordinary memory of the domain: a kernel that does not use it
 * (Linux as Dom0) may turn the frame into a page table or descriptor page.
 * The hypervisor then must not write out_cons into it, so it stops serving
 * that ring for good.
 */
static bool ring_still_plain(struct domain *d)
{
	const struct page_info *pg = mfn_to_page(_mfn(d->console_ring_mfn));

	if (pg->owner == d->domid && (pg->type == PGT_NONE ||
				      pg->type == PGT_WRITABLE ||
				      !pg->type_count))
		return true;
	printk(LOG_INFO, "domain %u: console ring frame 0x%x is no longer a "
	       "plain page: the ring is no longer served\n", d->domid,
	       d->console_ring_mfn);
	d->console_ring_mfn = 0;
	return false;
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
	if (prod - cons > sizeof(ring->out))
		cons = prod - sizeof(ring->out);
	for (; cons != prod; cons++)
		chunk[n++] = ring->out[cons % sizeof(ring->out)];
	barrier();
	ring->out_cons = cons;
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
