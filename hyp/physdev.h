/*
 * physdev.h - physical device access for guests: I/O port ranges and
 * ISA IRQ lines a domain may use (granted by Dom0 through domctl), port
 * I/O emulation for ring 1, and physical IRQs delivered as event channels
 * (EVTCHNOP_bind_pirq, PHYSDEVOP_eoi).  physdev_op_compat (hypercall 19)
 * runs the same commands on the union of a struct physdev_op.
 *
 * A privileged domain (Dom0) may use every port and IRQ except those the
 * hypervisor drives itself (physdev_port_reserved / physdev_irq_reserved).
 * Another domain may use what physdev_ioport_permit/irq_permit granted it.
 * Port I/O also needs the guest's ring to be at most the vCPU's virtual
 * IOPL (per vCPU as on Xen: 0 when created, so a kernel must raise it
 * with PHYSDEVOP_set_iopl, or a VCPUOP_initialise context's EFLAGS.IOPL
 * sets it), or, failing that, the vCPU's I/O bitmap (PHYSDEVOP_set_iobitmap, as
 * Xen's: a clear bit per port admits it, for ports below the limit given;
 * bitmap bytes that cannot be read count as all ones).
 *
 * An IRQ is bound to one event channel of one domain at a time (irq.c
 * keeps the owner, io.pirq_port the port): owner == d exactly when
 * d->io.pirq_port[irq] != 0.  The line is unmasked at the 8259 while
 * bound, masked again by the hypervisor on each interrupt until the guest
 * says PHYSDEVOP_eoi, and masked for good when the binding goes.
 *
 * For Dom0 only (-EPERM to any other domain), do_physdev_op also answers
 * what a Dom0 kernel asks about its interrupt controllers and PCI devices:
 * map_pirq/unmap_pirq (pirq == GSI == ISA IRQ, nothing allocated),
 * setup_gsi (once per GSI, then -EEXIST; nothing programmed), apic_read/
 * apic_write on a machine-wide IOAPIC register file that never reaches
 * the chip (the hypervisor routes through the 8259s), and the PCI device
 * announcements, kept as a set of segment-0 bus:devfn so that removal
 * follows Xen.  docs/abi.md "Physical devices" has the rules.
 */
#ifndef XYLEM_PHYSDEV_H
#define XYLEM_PHYSDEV_H

#include <stdbool.h>
#include <stdint.h>
#include "ioranges.h"		/* struct physdev_port_range */

struct domain;
struct vcpu;

#define PHYSDEV_MAX_PORT_RANGES	8
#define PHYSDEV_NR_IRQS		16	/* ISA IRQs behind the 8259s */

/* Per-domain state, embedded in struct domain (zeroed = nothing allowed). */
struct physdev_perms {
	struct physdev_port_range ports[PHYSDEV_MAX_PORT_RANGES];
	uint8_t nr_port_ranges;
	uint16_t irq_allowed;		/* bit per ISA IRQ */
	uint16_t pirq_port[PHYSDEV_NR_IRQS];	/* bound event channel, 0 = none */
	uint32_t denied_io;		/* accesses to ports not d's */
};

/* domctl ioport_permission / irq_permission: 0 or -XEN_E*. */
int physdev_ioport_permit(struct domain *d, uint32_t first, uint32_t nr,
			  bool allow);
int physdev_irq_permit(struct domain *d, uint32_t irq, bool allow);
/* A domain is going away: unbind its IRQs and mask their lines. */
void physdev_release(struct domain *d);

long do_physdev_op(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
		   uint32_t a5);
/* Hypercall 19: one struct physdev_op (command + union) at guest uop. */
long do_physdev_op_compat(uint32_t uop, uint32_t a2, uint32_t a3, uint32_t a4,
			  uint32_t a5);

/* Does [first, last] touch a port the hypervisor drives? */
bool physdev_port_reserved(uint16_t first, uint16_t last);
bool physdev_irq_reserved(uint32_t irq);
/* May d use every port of [port, port + size)? (any ring) */
bool physdev_port_allowed(const struct domain *d, uint32_t port,
			  uint32_t size);
bool physdev_irq_allowed(const struct domain *d, uint32_t irq);

/*
 * May code of vCPU v (the current one) in `ring` access [port, port +
 * size), size 1, 2 or 4: is the ring at most v's IOPL, or does v's I/O
 * bitmap admit every port?  (Whether the port is the domain's is
 * physdev_port_allowed's question, answered as below.)
 */
bool physdev_io_admitted(const struct vcpu *v, unsigned int ring,
			 uint16_t port, unsigned int size);
/*
 * One emulated in/out of size 1, 2 or 4 by the code of vCPU v (the
 * current one, whose address space holds its bitmap) in `ring`: false (and
 * nothing done) when the ring is above v's IOPL and v's I/O bitmap does
 * not admit every port of the access; the caller then gives the guest its
 * #GP.  A port d may not use (or an access wrapping past 0xffff)
 * is Xen's answer instead: a read gives all ones, a write is dropped, and
 * d->io.denied_io counts them.
 */
bool physdev_port_io(struct vcpu *v, unsigned int ring, uint16_t port,
		     unsigned int size, bool write, uint32_t *val);

/* EVTCHNOP_bind_pirq: route irq to d's port.  0, -XEN_EINVAL (no such
 * IRQ), -XEN_EPERM (not d's to use), -XEN_EEXIST (d bound it already),
 * -XEN_EBUSY (another domain has it). */
int physdev_pirq_bind(struct domain *d, uint32_t irq, uint32_t port);
/* Closing port: unbind irq if it is still bound to that port. */
void physdev_pirq_unbind(struct domain *d, uint32_t irq, uint32_t port);

#endif
