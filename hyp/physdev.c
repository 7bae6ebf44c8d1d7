/*
 * physdev.c - who may touch which I/O ports and ISA IRQs, the port I/O
 * the privileged-instruction emulator performs for a guest, physical
 * IRQs bound to event channels, and the physdev_op hypercall with its
 * older form physdev_op_compat.  See physdev.h.  The range bookkeeping
 * is ioranges.c; the 8259 side of a bound IRQ is irq.c.
 */
#include "physdev.h"
#include "arch/x86_32/x86.h"
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "irq.h"
#include <stddef.h>
#include <public/errno.h>
#include <public/physdev.h>

/* Ports the hypervisor drives itself: never a guest's. */
static const struct physdev_port_range reserved_ports[] = {
	{ 0x20, 0x21 },		/* master 8259 */
	{ 0x40, 0x43 },		/* 8254 timer */
	{ 0xa0, 0xa1 },		/* slave 8259 */
	{ 0xf4, 0xf4 },		/* isa-debug-exit: QEMU's power switch */
	{ 0x3f8, 0x3ff },	/* COM1: the hypervisor's console */
};
#define NR_RESERVED_PORTS (sizeof(reserved_ports) / sizeof(reserved_ports[0]))

/* IRQ 0 is the time tick, 2 the cascade, 4 COM1. */
#define RESERVED_IRQS	((1u << 0) | (1u << 2) | (1u << 4))

bool physdev_port_reserved(uint16_t first, uint16_t last)
{
	return ioranges_overlaps(reserved_ports, NR_RESERVED_PORTS, first, last);
}

bool physdev_irq_reserved(uint32_t irq)
{
	return irq < PHYSDEV_NR_IRQS && (RESERVED_IRQS & (1u << irq));
}

bool physdev_port_allowed(const struct domain *d, uint32_t port,
			  uint32_t size)
{
	struct physdev_port_range r;

	if (!ioranges_span(port, size, &r) || physdev_port_reserved(r.first, r.last))
		return false;
	return domain_is_privileged(d) ||
	       ioranges_contains(d->io.ports, d->io.nr_port_ranges, r.first, r.last);
}

bool physdev_irq_allowed(const struct domain *d, uint32_t irq)
{
	if (irq >= PHYSDEV_NR_IRQS || physdev_irq_reserved(irq))
		return false;
	return domain_is_privileged(d) || (d->io.irq_allowed & (1u << irq));
}

int physdev_ioport_permit(struct domain *d, uint32_t first, uint32_t nr,
			  bool allow)
{
	struct physdev_port_range r;

	if (!ioranges_span(first, nr, &r))
		return -XEN_EINVAL;
	if (allow)
		return ioranges_add(d->io.ports, &d->io.nr_port_ranges,
				    PHYSDEV_MAX_PORT_RANGES, r, reserved_ports,
				    NR_RESERVED_PORTS);
	return ioranges_remove(d->io.ports, &d->io.nr_port_ranges,
			       PHYSDEV_MAX_PORT_RANGES, r);
}

int physdev_irq_permit(struct domain *d, uint32_t irq, bool allow)
{
	if (irq >= PHYSDEV_NR_IRQS)
		return -XEN_EINVAL;
	if (physdev_irq_reserved(irq))
		return allow ? -XEN_EPERM : 0;
	if (allow) {
		d->io.irq_allowed |= (uint16_t)(1u << irq);
		return 0;
	}
	d->io.irq_allowed &= (uint16_t)~(1u << irq);
	/* Its event channel stays open, but no longer fires. */
	if (!domain_is_privileged(d))
		physdev_pirq_unbind(d, irq, d->io.pirq_port[irq]);
	return 0;
}

int physdev_pirq_bind(struct domain *d, uint32_t irq, uint32_t port)
{
	int rc;

	if (irq >= PHYSDEV_NR_IRQS || port == 0 || port > UINT16_MAX)
		return -XEN_EINVAL;
	if (!physdev_irq_allowed(d, irq))
		return -XEN_EPERM;
	if (d->io.pirq_port[irq])
		return -XEN_EEXIST;
	d->io.pirq_port[irq] = (uint16_t)port;
	rc = irq_route_to_guest(irq, d->domid);
	if (rc)
		d->io.pirq_port[irq] = 0;
	return rc;
}

void physdev_pirq_unbind(struct domain *d, uint32_t irq, uint32_t port)
{
	if (irq >= PHYSDEV_NR_IRQS || port == 0 || d->io.pirq_port[irq] != port)
		return;
	irq_unroute(irq);
	d->io.pirq_port[irq] = 0;
}

void physdev_release(struct domain *d)
{
	uint32_t irq;

	for (irq = 0; irq < PHYSDEV_NR_IRQS; irq++)
		physdev_pirq_unbind(d, irq, d->io.pirq_port[irq]);
}

/* Denied accesses logged per domain; the rest are only counted. */
#define DENIED_IO_LOGGED	4

/* Port access of each width; the ports were checked by the caller. */
static uint32_t port_in(uint16_t port, unsigned int size)
{
	if (size == 1)
		return inb(port);
	return size == 2 ? inw(port) : inl(port);
}

static void port_out(uint16_t port, unsigned int size, uint32_t v)
{
	if (size == 1)
		outb(port, (uint8_t)v);
	else if (size == 2)
		outw(port, (uint16_t)v);
	else
		outl(port, v);
}

bool physdev_port_io(struct domain *d, unsigned int ring, uint16_t port,
		     unsigned int size, bool write, uint32_t *val)
{
	if ((size != 1 && size != 2 && size != 4) || ring > d->io.iopl)
		return false;
	if (!physdev_port_allowed(d, port, size)) {
		/* As Xen: the IOPL admits the access, the port does not. */
		if (d->io.denied_io++ < DENIED_IO_LOGGED)
			printk(LOG_INFO, "dom%u: %s port 0x%x (%u bytes) is not "
			       "its own: %s\n", d->domid, write ? "out to" : "in from",
			       port, size, write ? "dropped" : "reads all ones");
		if (!write)
			*val = 0xffffffffu;
		return true;
	}
	if (write)
		port_out(port, size, *val);
	else
		*val = port_in(port, size);
	return true;
}

static int physdev_eoi_op(uint32_t arg)
{
	struct physdev_eoi e;
	struct domain *d = current_domain();

	if (copy_from_guest(&e, arg, sizeof(e)))
		return -XEN_EFAULT;
	if (e.irq >= PHYSDEV_NR_IRQS || !d->io.pirq_port[e.irq])
		return -XEN_EINVAL;
	return irq_guest_eoi(e.irq, d->domid);
}

/* Every line Xylem routes is masked from its interrupt until the EOI. */
static int irq_status_query_op(uint32_t arg)
{
	struct physdev_irq_status_query q;

	if (copy_from_guest(&q, arg, sizeof(q)))
		return -XEN_EFAULT;
	if (q.irq >= PHYSDEV_NR_IRQS)
		return -XEN_EINVAL;
	q.flags = XENIRQSTAT_needs_eoi;
	return copy_to_guest(arg, &q, sizeof(q)) ? -XEN_EFAULT : 0;
}

static int set_iopl_op(uint32_t arg)
{
	struct physdev_set_iopl s;

	if (copy_from_guest(&s, arg, sizeof(s)))
		return -XEN_EFAULT;
	if (s.iopl > 3)
		return -XEN_EINVAL;
	current_domain()->io.iopl = (uint8_t)s.iopl;
	return 0;
}

/* Dom0 only (-EPERM); ISA IRQs 0-15 (-EINVAL past): vector = irq. */
static int alloc_irq_vector_op(uint32_t arg)
{
	struct physdev_irq p;

	if (!domain_is_privileged(current_domain()))
		return -XEN_EPERM;
	if (copy_from_guest(&p, arg, sizeof(p)))
		return -XEN_EFAULT;
	if (p.irq > 15)
		return -XEN_EINVAL;
	p.vector = p.irq;
	return copy_to_guest(arg, &p, sizeof(p)) ? -XEN_EFAULT : 0;
}

long do_physdev_op(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
		   uint32_t a5)
{
	(void)a3;
	(void)a4;
	(void)a5;
	switch (cmd) {
	case PHYSDEVOP_eoi:
		return physdev_eoi_op(arg);
	case PHYSDEVOP_irq_status_query:
		return irq_status_query_op(arg);
	case PHYSDEVOP_set_iopl:
		return set_iopl_op(arg);
	case PHYSDEVOP_alloc_irq_vector:
		return alloc_irq_vector_op(arg);
	default:
		return -XEN_ENOSYS;
	}
}

/*
 * As Xen: the whole struct physdev_op must be readable (-EFAULT), then
 * the command runs on the union in place, exactly as physdev_op would on
 * its argument, so each command copies in what it needs and writes its
 * results back there itself.
 */
long do_physdev_op_compat(uint32_t uop, uint32_t a2, uint32_t a3, uint32_t a4,
			  uint32_t a5)
{
	struct physdev_op op;

	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	return do_physdev_op(op.cmd, uop + offsetof(struct physdev_op, u),
			     0, 0, 0);
}
