/*
 * physdev.h - physical device access for guests: I/O port ranges and
 * ISA IRQ lines a domain may use (granted by Dom0 through domctl), port
 * I/O emulation for ring 1, and physical IRQs delivered as event channels
 * (EVTCHNOP_bind_pirq, PHYSDEVOP_eoi).
 *
 * A privileged domain (Dom0) may use every port and IRQ except those the
 * hypervisor drives itself (physdev_port_reserved / physdev_irq_reserved).
 */
#ifndef XYLEM_PHYSDEV_H
#define XYLEM_PHYSDEV_H

#include <stdbool.h>
#include <stdint.h>

struct domain;

#define PHYSDEV_MAX_PORT_RANGES	8
#define PHYSDEV_NR_IRQS		16	/* ISA IRQs behind the 8259s */

struct physdev_port_range {
	uint16_t first, last;		/* inclusive */
};

/* Per-domain state, embedded in struct domain (zeroed = nothing allowed). */
struct physdev_perms {
	struct physdev_port_range ports[PHYSDEV_MAX_PORT_RANGES];
	uint8_t nr_port_ranges;
	uint8_t iopl;			/* PHYSDEVOP_set_iopl, 1 by default */
	uint16_t irq_allowed;		/* bit per ISA IRQ */
	uint16_t pirq_port[PHYSDEV_NR_IRQS];	/* bound event channel, 0 = none */
};

/* domctl ioport_permission / irq_permission: 0 or -XEN_E*. */
int physdev_ioport_permit(struct domain *d, uint32_t first, uint32_t nr,
			  bool allow);
int physdev_irq_permit(struct domain *d, uint32_t irq, bool allow);
/* A domain is going away: unbind its IRQs and mask their lines. */
void physdev_release(struct domain *d);

long do_physdev_op(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
		   uint32_t a5);

#endif
