/*
 * irq.h - hardware interrupts.  The 8259s deliver IRQs 0-15 at vectors
 * 0x20-0x2f; the hypervisor takes them with interrupts off, whether a
 * guest was running or the CPU was idle.  IRQ 0 is the time tick; every
 * tick also polls the serial line (console_input_poll()).  IRQ 4 is COM1's
 * receive interrupt, handled by console.c and never a guest's: pic_init()
 * masks every line after console_init() ran, so the first tick unmasks it
 * and the hypervisor holds it from then on.
 *
 * Any other line may be routed to one domain (physdev.c decides who may):
 * while routed it is unmasked; when it fires the hypervisor masks it,
 * acknowledges it at the 8259 and sets the domain's bound event channel
 * (d->io.pirq_port[irq]) pending; the guest's PHYSDEVOP_eoi unmasks it
 * (irq_guest_eoi).  Unrouting masks the line.  An interrupt on a line
 * that is not routed (one latched just before it was masked) is only
 * acknowledged.  Invariant: a routed line's owner is a live domain id;
 * an owner that has disappeared loses the line at its next interrupt.
 */
#ifndef XYLEM_IRQ_H
#define XYLEM_IRQ_H

#include <stdbool.h>
#include <stdint.h>
#include <public/xen.h>

bool irq_is_hardware(uint32_t vector);
void irq_dispatch(uint32_t vector);

/* Route ISA line irq (1-15) to domid and unmask it: 0, -XEN_EINVAL, or
 * -XEN_EBUSY if it is routed already or is the hypervisor's (4, COM1). */
int irq_route_to_guest(uint32_t irq, domid_t domid);
/* Mask irq and forget its owner (nothing if it was not routed). */
void irq_unroute(uint32_t irq);
/* Unmask irq after the guest handled it: -XEN_EINVAL unless domid owns it. */
int irq_guest_eoi(uint32_t irq, domid_t domid);

#endif
