/*
 * test_io_pirq.c - a physical IRQ delivered as an event channel (Dom0):
 *  - EVTCHNOP_bind_pirq refuses the hypervisor's IRQs (0 timer, 2 cascade,
 *    4 COM1) with -EPERM and IRQ 16 with -EINVAL; IRQ 8 (the RTC) binds,
 *    EVTCHNOP_status says pirq 8, and binding it again is -EEXIST;
 *  - with the RTC's periodic interrupt on (register A rate 256 Hz,
 *    register B PIE) N events arrive; each handler acknowledges the RTC
 *    (reads register C, PF set) and sends PHYSDEVOP_eoi;
 *  - without the EOI the line stays masked: the RTC keeps ticking but no
 *    event comes for 60 ms; the EOI then lets the latched one through;
 *  - closing the port unbinds and masks the line: the RTC keeps
 *    interrupting, yet a port allocated afterwards (the same number)
 *    never turns pending, and PHYSDEVOP_eoi is -EINVAL; IRQ 8 can then
 *    be bound again and delivers again;
 *  - PHYSDEVOP_alloc_irq_vector echoes IRQ 8 as its vector (as Xen does for
 *    Dom0's legacy IRQs) and refuses IRQ 16 (-EINVAL).
 */
#include "ktest.h"
#include "event.h"
#include "mm.h"
#include "time.h"
#include <public/physdev.h>

#define RTC_IRQ		8
#define NR_EVENTS	32
#define MS		1000000ull

static volatile uint32_t events, bad_ack, eoi_errors, skip_eoi;

static long pirq_eoi(uint32_t irq)
{
	struct physdev_eoi e = { .irq = irq };

	return HYPERVISOR_physdev_op(PHYSDEVOP_eoi, &e);
}

static long bind_pirq(uint32_t irq, evtchn_port_t *port)
{
	struct evtchn_bind_pirq b = { .pirq = irq, .flags = 0, .port = 0 };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &b);

	*port = b.port;
	return rc;
}

/* CMOS access; called with events off or from the handler. */
static unsigned int cmos_read(unsigned int reg)
{
	uint32_t v = reg;

	asm volatile("outb %%al, $0x70\n\tinb $0x71, %%al" : "+a"(v));
	return v & 0xff;
}

static void cmos_write(unsigned int reg, unsigned int val)
{
	asm volatile("outb %%al, $0x70" : : "a"(reg));
	asm volatile("outb %%al, $0x71" : : "a"(val));
}

static void on_rtc(evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	events++;
	if (!(cmos_read(0x0c) & 0x40))		/* PF: the periodic flag */
		bad_ack++;
	if (skip_eoi) {
		skip_eoi = 0;
		return;
	}
	if (pirq_eoi(RTC_IRQ))
		eoi_errors++;
}

/* Wait until `events` reaches want or timeout_ms passes; the count. */
static uint32_t wait_events(uint32_t want, uint32_t timeout_ms)
{
	uint32_t ms;

	for (ms = 0; ms < timeout_ms && events < want; ms++)
		time_busy_wait_ns(MS);
	return events;
}

static void rtc_periodic(bool on)
{
	local_irq_disable();
	cmos_write(0x0a, (cmos_read(0x0a) & 0xf0) | 0x08);	/* 256 Hz */
	cmos_write(0x0b, on ? (cmos_read(0x0b) | 0x40) : (cmos_read(0x0b) & ~0x40u));
	cmos_read(0x0c);
	local_irq_enable();
}

/* Let the RTC raise its line again and again for ms, events off. */
static void rtc_tick_unheard(uint32_t ms)
{
	uint32_t i;

	for (i = 0; i < ms; i++) {
		local_irq_disable();
		cmos_read(0x0c);
		local_irq_enable();
		time_busy_wait_ns(MS);
	}
}

static void check_refusals(void)
{
	evtchn_port_t p;

	KCHECK_EQ(bind_pirq(0, &p), -XEN_EPERM);
	KCHECK_EQ(bind_pirq(2, &p), -XEN_EPERM);
	KCHECK_EQ(bind_pirq(4, &p), -XEN_EPERM);
	KCHECK_EQ(bind_pirq(16, &p), -XEN_EINVAL);
	KCHECK_EQ(bind_pirq(0xffffffffu, &p), -XEN_EINVAL);
	KCHECK_EQ(pirq_eoi(RTC_IRQ), -XEN_EINVAL);	/* not bound */
	KCHECK_EQ(pirq_eoi(99), -XEN_EINVAL);
}

static evtchn_port_t bind_rtc(void)
{
	struct evtchn_status st = { .dom = DOMID_SELF };
	evtchn_port_t port = 0, again;

	local_irq_disable();		/* the handler before the first event */
	KCHECK_EQ(bind_pirq(RTC_IRQ, &port), 0);
	KCHECK(port != 0);
	KCHECK_EQ(evtchn_set_handler(port, on_rtc, NULL), 0);
	local_irq_enable();
	KCHECK_EQ(evtchn_status(port, &st), 0);
	KCHECK_EQ(st.status, EVTCHNSTAT_pirq);
	KCHECK_EQ(st.u.pirq, RTC_IRQ);
	KCHECK_EQ(bind_pirq(RTC_IRQ, &again), -XEN_EEXIST);
	return port;
}

static void check_delivery(void)
{
	uint64_t t0, t1;
	uint32_t got;

	events = 0;
	t0 = time_system_ns();
	rtc_periodic(true);
	got = wait_events(NR_EVENTS, 3000);
	t1 = time_system_ns();
	KCHECK_EQ(got >= NR_EVENTS, 1);
	KCHECK_EQ(bad_ack, 0);
	KCHECK_EQ(eoi_errors, 0);
	printf("RTC: %u events in %u ms\n", got, (uint32_t)((t1 - t0) / MS));
}

static void check_eoi_needed(void)
{
	uint32_t before;

	skip_eoi = 1;
	before = wait_events(events + 1, 1000);	/* the one not EOI'd */
	KCHECK_EQ(skip_eoi, 0);
	rtc_tick_unheard(60);
	KCHECK_EQ(events, before);		/* masked: nothing more */
	KCHECK_EQ(pirq_eoi(RTC_IRQ), 0);
	KCHECK(wait_events(before + 1, 1000) > before);
	printf("no EOI: held for 60 ms, then delivered\n");
}

static void check_close(evtchn_port_t port)
{
	struct evtchn_status st = { .dom = DOMID_SELF };
	evtchn_port_t fresh = 0, again = 0;
	uint32_t before;

	local_irq_disable();
	KCHECK_EQ(evtchn_close(port), 0);
	evtchn_clear_pending(port);	/* an event that beat the close */
	local_irq_enable();
	KCHECK_EQ(evtchn_status(port, &st), 0);
	KCHECK_EQ(st.status, EVTCHNSTAT_closed);
	KCHECK_EQ(pirq_eoi(RTC_IRQ), -XEN_EINVAL);
	KCHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, &fresh), 0);
	KCHECK_EQ(fresh, port);			/* lowest free: the same */
	before = events;
	rtc_tick_unheard(60);
	KCHECK(!evtchn_is_pending(fresh));
	KCHECK_EQ(events, before);
	KCHECK_EQ(evtchn_close(fresh), 0);
	/* Free again: it binds and delivers once more. */
	local_irq_disable();
	KCHECK_EQ(bind_pirq(RTC_IRQ, &again), 0);
	KCHECK_EQ(evtchn_set_handler(again, on_rtc, NULL), 0);
	local_irq_enable();
	KCHECK(wait_events(before + 4, 1000) >= before + 4);
	rtc_periodic(false);
	KCHECK_EQ(evtchn_close(again), 0);
	KCHECK_EQ(eoi_errors, 0);
}

static void check_alloc_irq_vector(void)
{
	struct physdev_irq p = { .irq = 8, .vector = 0 };

	KCHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_alloc_irq_vector, &p), 0);
	KCHECK_EQ(p.vector, 8);
	p.irq = 16;
	KCHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_alloc_irq_vector, &p), -XEN_EINVAL);
}

void kernel_main(struct start_info *si)
{
	evtchn_port_t port;

	(void)si;
	if (!ktest_start_events())
		return;
	KCHECK_EQ(HYPERVISOR_set_iopl(1), 0);	/* as a Dom0 kernel does */
	local_irq_enable();
	check_alloc_irq_vector();
	check_refusals();
	port = bind_rtc();
	check_delivery();
	check_eoi_needed();
	check_close(port);
	KCHECK_EQ(evtchn_stray_events(), 0);
	printf("pirq: %u events\n", events);
	ktest_finish();
}
