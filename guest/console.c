/*
 * console.c - console output of a Xylem PV kernel: the PV console ring
 * for a DomU, console_io otherwise.  See console.h.
 */
#include "console.h"
#include "hypercall.h"
#include "lib.h"
#include <public/console.h>
#include <public/event_channel.h>

#define RING_SIZE	sizeof(((struct xencons_interface *)0)->out)

static volatile struct xencons_interface *ring;
static evtchn_port_t ring_port;

bool console_ring_init(const struct start_info *si)
{
	const volatile uint32_t *m2p = (const uint32_t *)MACH2PHYS_VIRT_START;
	uint32_t mfn = si->console.domU.mfn, pfn;

	ring = NULL;
	if ((si->flags & SIF_INITDOMAIN) || !si->console.domU.evtchn ||
	    mfn >= MACH2PHYS_NR_ENTRIES)
		return false;
	pfn = m2p[mfn];
	/* Our boot region is mapped at pfn << 12 and ends before the tables'
	 * end; the ring lies before the page tables. */
	if (pfn >= si->nr_pages || pfn * 4096ull >= si->pt_base)
		return false;
	ring_port = si->console.domU.evtchn;
	ring = (volatile struct xencons_interface *)(pfn * 4096);
	return true;
}

bool console_uses_ring(void)
{
	return ring != NULL;
}

static void notify(void)
{
	struct evtchn_send s = { .port = ring_port };

	HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

/* Copy what fits; returns the bytes written, or -1 if the ring is broken. */
static long ring_put(const char *s, size_t n)
{
	uint32_t cons = ACCESS_ONCE(ring->out_cons), prod = ring->out_prod;
	uint32_t room, i;

	barrier();
	if (prod - cons > RING_SIZE)
		return -1;
	room = RING_SIZE - (prod - cons);
	if (room > n)
		room = (uint32_t)n;
	for (i = 0; i < room; i++)
		ring->out[(prod + i) & (RING_SIZE - 1)] = s[i];
	barrier();	/* the bytes before the index that publishes them */
	ring->out_prod = prod + room;
	return room;
}

void console_write(const char *s, size_t n)
{
	unsigned int waits = 0;
	long done;

	while (ring && n) {
		done = ring_put(s, n);
		if (done < 0 || waits == CONSOLE_RING_PATIENCE) {
			ring = NULL;	/* broken or abandoned: console_io */
			break;
		}
		s += done;
		n -= (size_t)done;
		notify();
		if (n) {
			waits++;
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		}
	}
	if (n)
		HYPERVISOR_console_io(CONSOLEIO_write, (uint32_t)n, s);
}
