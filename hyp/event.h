/*
 * event.h - event channels, 2-level ABI (include/public/event_channel.h).
 *
 * Each domain has NR_EVENT_CHANNELS ports; port 0 is never handed out.  A
 * port is free, unbound (waiting for a given remote domain to bind),
 * interdomain (connected to a port of another domain, or of the same
 * one), a VIRQ, an IPI or a physical IRQ (EVTCHNOP_bind_pirq, routed by
 * physdev.c and irq.c; closing the port unbinds the IRQ and masks it).
 * Each port notifies one vCPU of its domain (vCPU 0 unless bound
 * otherwise): an IPI the vCPU named at bind_ipi, a per-vCPU VIRQ (TIMER,
 * DEBUG, XENOPROF, XENPMU) the vCPU it was bound for; global VIRQs are
 * bound on vCPU 0 and, like unbound, interdomain and PIRQ ports, may be
 * moved with EVTCHNOP_bind_vcpu.  Sending sets the target port's pending
 * bit in shared_info; if the port is not masked and its word was not yet
 * flagged in the notified vCPU's selector, the selector bit and
 * evtchn_upcall_pending are set and that vCPU is woken; any vCPU of the
 * domain in SCHEDOP_poll is woken even for a masked port.  The upcall itself (a jump to the guest's
 * event callback with events masked) happens when the vCPU next returns to
 * the guest with upcalls unmasked; a masked upcall waits, it is not lost.
 * Unmasking a port that is pending re-raises it.
 */
#ifndef XYLEM_EVENT_H
#define XYLEM_EVENT_H

#include <stdbool.h>
#include <stdint.h>

struct domain;
struct vcpu;

enum evtchn_state {
	ECS_FREE, ECS_UNBOUND, ECS_INTERDOMAIN, ECS_VIRQ, ECS_IPI, ECS_PIRQ,
};

struct evtchn {
	uint8_t state;		/* enum evtchn_state */
	uint8_t notify_vcpu;	/* the vCPU its upcall goes to */
	uint16_t remote_dom;	/* unbound, interdomain */
	uint32_t value;		/* interdomain: remote port; virq, pirq: number */
};

/* Mark port pending in d and raise the upcall if it is unmasked. */
void evtchn_set_pending(struct domain *d, uint32_t port);
bool evtchn_is_pending(const struct domain *d, uint32_t port);
/* Raise VIRQ virq on v if v's domain bound it (a global VIRQ: pass vCPU
 * 0, which holds its binding); false if not bound. */
bool evtchn_send_virq(struct vcpu *v, unsigned int virq);
/* Close every port of d (domain teardown). */
void evtchn_close_all(struct domain *d);

long do_event_channel_op(uint32_t cmd, uint32_t arg, uint32_t a3,
			 uint32_t a4, uint32_t a5);
long do_event_channel_op_compat(uint32_t arg, uint32_t a2, uint32_t a3,
				uint32_t a4, uint32_t a5);

#endif
