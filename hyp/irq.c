/*
 * irq.c - hardware interrupt dispatch and guest-owned lines.  See irq.h.
 */
#include "irq.h"
#include "domain.h"
#include "event.h"
#include "time.h"
#include "arch/x86_32/platform.h"
#include <public/errno.h>

static bool routed[NR_LEGACY_IRQS];
static domid_t owner[NR_LEGACY_IRQS];

bool irq_is_hardware(uint32_t vector)
{
	return vector >= IRQ_VECTOR_BASE &&
	       vector < IRQ_VECTOR_BASE + NR_LEGACY_IRQS;
}

int irq_route_to_guest(uint32_t irq, domid_t domid)
{
	if (irq == 0 || irq >= NR_LEGACY_IRQS)
		return -XEN_EINVAL;
	if (routed[irq])
		return -XEN_EBUSY;
	routed[irq] = true;
	owner[irq] = domid;
	pic_unmask(irq);
	return 0;
}

void irq_unroute(uint32_t irq)
{
	if (irq == 0 || irq >= NR_LEGACY_IRQS || !routed[irq])
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

void irq_dispatch(uint32_t vector)
{
	unsigned int irq = vector - IRQ_VECTOR_BASE;

	if (irq != 0 && routed[irq]) {
		deliver_to_guest(irq);
		return;
	}
	if (irq == 0)
		time_tick();
	/* IRQ 7 and 15 may be spurious: nothing to acknowledge then, but an
	 * EOI to a master with no request in service is harmless. */
	pic_eoi(irq);
}
