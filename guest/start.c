/*
 * start.c - C entry of a Xylem PV kernel, console output and shutdown.
 * See guest.h.  Output goes through console_write() (console.h): the PV
 * console ring for a DomU that has one, console_io otherwise.
 */
#include "guest.h"
#include "console.h"
#include "hypercall.h"
#include "lib.h"

struct start_info *start_info;
struct shared_info *shared_info_page;
struct vcpu_info *vcpu_info_moved;

void guest_start(struct start_info *si);

void console_puts(const char *s)
{
	console_write(s, strlen(s));
}

/* Format into buf[512], cut at its size; the length written. */
static size_t format(char *buf, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, 512, fmt, ap);

	if (n < 0)
		return 0;
	return n >= 512 ? 511 : (size_t)n;
}

void printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = format(buf, fmt, ap);
	va_end(ap);
	console_write(buf, n);
}

void hyp_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = format(buf, fmt, ap);
	va_end(ap);
	HYPERVISOR_console_io(CONSOLEIO_write, (uint32_t)n, buf);
}

void guest_shutdown(uint32_t reason)
{
	struct sched_shutdown sd = { reason };

	HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
}

void guest_block_forever(void)
{
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

void guest_start(struct start_info *si)
{
	start_info = si;
	console_ring_init(si);
	kernel_main(si);
	guest_shutdown(SHUTDOWN_poweroff);
	for (;;)
		;
}
