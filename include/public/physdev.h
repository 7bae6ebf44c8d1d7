/*
 * include/public/physdev.h - physdev_op (hypercall 33): physical device
 * operations for domains that drive hardware, and struct physdev_op, the
 * single argument of the older physdev_op_compat (hypercall 19).  Only
 * the commands Xylem implements are listed, plus the layouts the compat
 * union needs for its size; the numbers and layouts are Xen's (pv32pae:
 * pointers and longs are 4 bytes).  Every IRQ here is an ISA IRQ (0-15)
 * bound with EVTCHNOP_bind_pirq.
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

/* Dom0's legacy IRQ setup: Xen echoes the IRQ as the vector. */
#define PHYSDEVOP_alloc_irq_vector	10
struct physdev_irq {
	uint32_t irq;		/* in */
	uint32_t vector;	/* out */
};

/* The guest's virtual I/O privilege level, 0-3: rings <= iopl may use
 * the ports the domain is allowed. */
#define PHYSDEVOP_set_iopl		6
struct physdev_set_iopl {
	uint32_t iopl;			/* in */
};

/*
 * Layouts only (these commands are -ENOSYS on Xylem): they size the
 * union of struct physdev_op below.
 */
#define PHYSDEVOP_set_iobitmap		7
struct physdev_set_iobitmap {
	uint32_t bitmap;		/* in: guest address of the bitmap */
	uint32_t nr_ports;		/* in */
};

#define PHYSDEVOP_apic_read		8
#define PHYSDEVOP_apic_write		9
struct physdev_apic {
	uint32_t apic_physbase;		/* in */
	uint32_t reg;			/* in */
	uint32_t value;			/* in (write) or out (read) */
};

/*
 * physdev_op_compat's argument: the command, then the structure
 * physdev_op would have been handed, at offset 4.  Results are written
 * back into the union.  16 bytes in all.
 */
struct physdev_op {
	uint32_t cmd;
	union {
		struct physdev_irq_status_query irq_status_query;
		struct physdev_set_iopl set_iopl;
		struct physdev_set_iobitmap set_iobitmap;
		struct physdev_apic apic_op;
		struct physdev_irq irq_op;
	} u;
};

#endif
