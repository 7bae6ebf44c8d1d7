/*
 * irq.c - hardware interrupt dispatch and guest-owned lines.  See irq.h.
 */
#include "irq.h"
#include "console.h"
#include "domain.h"
#include "event.h"
#include "time.h"
#include "arch/x86_32/lapic.h"
#include "arch/x86_32/platform.h"
#include <public/errno.h>

#define TICK_IRQ	0
#define COM1_IRQ	4

static bool routed[NR_LEGACY_IRQS];
static domid_t owner[NR_LEGACY_IRQS];
static bool com1_unmasked;

bool irq_is_hardware(uint32_t vector)
{
	return (vector >= IRQ_VECTOR_BASE &&
		vector < IRQ_VECTOR_BASE + NR_LEGACY_IRQS) ||
	       vector == LAPIC_TIMER_VECTOR || vector == LAPIC_SPURIOUS_VECTOR;
}

int irq_route_to_guest(uint32_t irq, domid_t domid)
{
	if (irq == TICK_IRQ || irq >= NR_LEGACY_IRQS)
		return -XEN_EINVAL;
	if (routed[irq] || irq == COM1_IRQ)
		return -XEN_EBUSY;
	routed[irq] = true;
	owner[irq] = domid;
	pic_unmask(irq);
	return 0;
}

void irq_unroute(uint32_t irq)
{
	if (irq == TICK_IRQ || irq >= NR_LEGACY_IRQS || !routed[irq])
		return;
	pic_mask(irq);
	routed[irq] = false;
}

int irq_guest_eoi(uint32_t irq, domid_t domid)
{
	if (irq >= NR_LEGACY_IRQS || !routed[irq] || owner[irq] != domid)
		return -XEN_EINVAL;
	pic_unmask(irq);
	return 0;
}

/* Masked until the guest's EOI, so a level-triggered line cannot storm. */
static void deliver_to_guest(unsigned int irq)
{
	struct domain *d = domain_lookup(owner[irq]);
	uint16_t port = d ? d->io.pirq_port[irq] : 0;

	pic_mask(irq);
	pic_eoi(irq);
	if (!port) {
		routed[irq] = false;	/* its owner went away unseen */
		return;
	}
	evtchn_set_pending(d, port);
}

/* The serial line's share of the tick: claim IRQ 4 once, poll always. */
static void serial_tick(void)
{
	if (!com1_unmasked) {
		pic_unmask(COM1_IRQ);
		com1_unmasked = true;
	}
	console_input_poll();
}

void irq_dispatch(uint32_t vector)
{
	unsigned int irq = vector - IRQ_VECTOR_BASE;

	if (vector == LAPIC_SPURIOUS_VECTOR)
		return;		/* nothing in service: no EOI */
	if (vector == LAPIC_TIMER_VECTOR) {
		lapic_eoi();
		time_timer_interrupt();
		return;
	}
	if (irq != TICK_IRQ && irq != COM1_IRQ && routed[irq]) {
		deliver_to_guest(irq);
		return;
	}
	if (irq == TICK_IRQ) {
		time_tick();
		serial_tick();
	} else if (irq == COM1_IRQ) {
		console_input_interrupt();
	}
	/* IRQ 7 and 15 may be spurious: nothing to acknowledge then, but an
	 * EOI to a master with no request in service is harmless. */
	pic_eoi(irq);
}
