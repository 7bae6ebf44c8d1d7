/*
 * include/public/physdev.h - physdev_op (hypercall 33): physical device
 * operations for domains that drive hardware.  Only the commands Xylem
 * implements are listed; the numbers and layouts are Xen's.  Every IRQ
 * here is an ISA IRQ (0-15) bound with EVTCHNOP_bind_pirq.
 */
#ifndef XYLEM_PUBLIC_PHYSDEV_H
#define XYLEM_PUBLIC_PHYSDEV_H

#include <stdint.h>

/* The guest handled an interrupt of irq: the line may fire again. */
#define PHYSDEVOP_eoi			12
struct physdev_eoi {
	uint32_t irq;			/* in */
};

/* Does irq need PHYSDEVOP_eoi after each event?  Is it shared? */
#define PHYSDEVOP_irq_status_query	5
struct physdev_irq_status_query {
	uint32_t irq;			/* in */
	uint32_t flags;			/* out: XENIRQSTAT_* */
};
#define XENIRQSTAT_needs_eoi	(1u << 0)
#define XENIRQSTAT_shared	(1u << 1)

/* The guest's virtual I/O privilege level, 0-3: rings <= iopl may use
 * the ports the domain is allowed. */
/* Dom0's legacy IRQ setup: Xen echoes the IRQ as the vector. */
#define PHYSDEVOP_alloc_irq_vector	10
struct physdev_irq {
	uint32_t irq;		/* in */
	uint32_t vector;	/* out */
};

#define PHYSDEVOP_set_iopl		6
struct physdev_set_iopl {
	uint32_t iopl;			/* in */
};

#endif
