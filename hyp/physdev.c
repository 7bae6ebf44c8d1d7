/*
 * physdev.c - who may touch which I/O ports and ISA IRQs, the port I/O
 * the privileged-instruction emulator performs for a guest, physical
 * IRQs bound to event channels, and the physdev_op hypercall with its
 * older form physdev_op_compat: Dom0's pirq mapping and GSI setup (both
 * identities on Xylem), its virtual IOAPIC register file and its PCI
 * device announcements.  See physdev.h.  The range bookkeeping is
 * ioranges.c; the 8259 side of a bound IRQ is irq.c.
 */
#include "physdev.h"
#include "arch/x86_32/x86.h"
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "irq.h"
#include "mm.h"
#include "arch/x86_32/paging.h"
#include <stddef.h>
#include <public/errno.h>
#include <public/physdev.h>

/* Ports the hypervisor drives itself: never a guest's. */
static const struct physdev_port_range reserved_ports[] = {
	{ 0x20, 0x21 },		/* master 8259 */
	{ 0x40, 0x43 },		/* 8254 timer */
	{ 0x61, 0x61 },		/* port B: timer 2 gate, NMI status (nmi.c) */
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

/*
 * v's I/O bitmap admits [port, port + size): the limit covers it and its
 * bits are clear.  As Xen, two bytes are read from the one holding port's
 * bit (in the current address space: v is the running vCPU); a byte that
 * cannot be read counts as all ones.
 */
static bool iobitmap_admits(const struct vcpu *v, uint16_t port,
			    unsigned int size)
{
	uint8_t b[2] = { 0xff, 0xff };
	uint32_t at = v->iobmp + port / 8;

	if ((uint32_t)port + size > v->iobmp_limit)
		return false;
	if (copy_from_guest(&b[0], at, 1))
		b[0] = 0xff;		/* b[1] stays all ones too */
	else if (copy_from_guest(&b[1], at + 1, 1))
		b[1] = 0xff;
	return !((b[0] | (uint32_t)b[1] << 8) & (((1u << size) - 1) << (port & 7)));
}

bool physdev_io_admitted(const struct vcpu *v, unsigned int ring,
			 uint16_t port, unsigned int size)
{
	if (size != 1 && size != 2 && size != 4)
		return false;
	return ring <= v->iopl || iobitmap_admits(v, port, size);
}

bool physdev_port_io(struct vcpu *v, unsigned int ring, uint16_t port,
		     unsigned int size, bool write, uint32_t *val)
{
	struct domain *d = v->domain;

	if (!physdev_io_admitted(v, ring, port, size))
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

static int set_iobitmap_op(uint32_t arg)
{
	struct physdev_set_iobitmap s;
	struct vcpu *v = current_vcpu();

	if (copy_from_guest(&s, arg, sizeof(s)))
		return -XEN_EFAULT;
	if (s.nr_ports > 65536 || !guest_range_ok(s.bitmap, IOBMP_BYTES))
		return -XEN_EINVAL;
	v->iobmp = s.bitmap;
	v->iobmp_limit = s.nr_ports;
	return 0;
}

static int set_iopl_op(uint32_t arg)
{
	struct physdev_set_iopl s;

	if (copy_from_guest(&s, arg, sizeof(s)))
		return -XEN_EFAULT;
	if (s.iopl > 3)
		return -XEN_EINVAL;
	current_vcpu()->iopl = (uint8_t)s.iopl;
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

/*
 * PHYSDEVOP_map_pirq, unmap_pirq and setup_gsi (Dom0 only).  Xylem's pirqs
 * are the ISA IRQ numbers: GSI n maps to pirq n, nothing is allocated or
 * recorded (EVTCHNOP_bind_pirq takes any IRQ the domain may use), and
 * unmapping changes nothing (a bound port stays bound until closed).  An
 * MSI is -ENODEV, Xen's answer when the CPU has no APIC: every interrupt
 * here comes through the 8259s.
 */
static bool names_caller(const struct domain *d, uint16_t domid)
{
	return domid == DOMID_SELF || domid == d->domid;
}

static int map_gsi(const struct domain *d, struct physdev_map_pirq *m)
{
	if (!domain_is_privileged(d) || !names_caller(d, m->domid))
		return -XEN_EPERM;
	switch (m->type) {
	case MAP_PIRQ_TYPE_GSI:
		break;
	case MAP_PIRQ_TYPE_MSI:
	case MAP_PIRQ_TYPE_MSI_SEG:
	case MAP_PIRQ_TYPE_MULTI_MSI:
		return -XEN_ENODEV;
	default:
		return -XEN_EINVAL;
	}
	if (m->index < 0 || m->index >= PHYSDEV_NR_IRQS)
		return -XEN_EINVAL;
	/* Any negative pirq asks for one to be chosen, as in Xen. */
	if (m->pirq >= 0 && m->pirq != m->index)
		return -XEN_EINVAL;
	/* The hypervisor's own IRQs: Xen refuses Dom0 its IRQ 0 alike. */
	if (!physdev_irq_allowed(d, (uint32_t)m->index))
		return -XEN_EPERM;
	m->pirq = m->index;
	return 0;
}

static int map_pirq_op(uint32_t arg)
{
	struct physdev_map_pirq m;
	int rc;

	if (copy_from_guest(&m, arg, sizeof(m)))
		return -XEN_EFAULT;
	rc = map_gsi(current_domain(), &m);
	/* As Xen: the structure is written back whatever the outcome. */
	if (copy_to_guest(arg, &m, sizeof(m)))
		return -XEN_EFAULT;
	return rc;
}

static int unmap_pirq_op(uint32_t arg)
{
	struct physdev_unmap_pirq u;
	struct domain *d = current_domain();

	if (copy_from_guest(&u, arg, sizeof(u)))
		return -XEN_EFAULT;
	if (!domain_is_privileged(d) || !names_caller(d, u.domid))
		return -XEN_EPERM;
	/* One map_pirq never gives out: Xen's "not mapped". */
	if (u.pirq < 0 || !physdev_irq_allowed(d, (uint32_t)u.pirq))
		return -XEN_EINVAL;
	/* As Xen's force unbind: the port stays, the IRQ no longer reaches it. */
	physdev_pirq_unbind(d, (uint32_t)u.pirq, d->io.pirq_port[u.pirq]);
	return 0;
}

/*
 * GSIs set up so far, a bit each, for the whole machine.  The 8259 needs
 * no setup and the ELCR stays as the firmware left it, so triggering and
 * polarity are taken as they come (Xen does not check them either) and
 * dropped; but a second setup of a GSI is -EEXIST as in Xen (Linux says
 * "Already setup" and goes on), and the hypervisor's own lines count as
 * set up from the start, as Xen's timer IRQ has its handler already.
 */
static uint16_t gsi_set_up = RESERVED_IRQS;

static int setup_gsi_op(uint32_t arg)
{
	struct physdev_setup_gsi g;

	if (!domain_is_privileged(current_domain()))
		return -XEN_EPERM;
	if (copy_from_guest(&g, arg, sizeof(g)))
		return -XEN_EFAULT;
	if (g.gsi < 0 || g.gsi >= PHYSDEV_NR_IRQS)
		return -XEN_EINVAL;
	if (gsi_set_up & (1u << g.gsi))
		return -XEN_EEXIST;
	gsi_set_up |= (uint16_t)(1u << g.gsi);
	return 0;
}

/*
 * PHYSDEVOP_apic_read/apic_write (Dom0 only): a register file the
 * hypervisor keeps in place of the IOAPIC at IOAPIC_PHYSBASE.  Writes
 * never reach the chip: the hypervisor takes every interrupt through the
 * 8259s, and what Dom0 programs here routes nothing.  ID, VER and ARB
 * are the chip's own, read once on first use; VER says at most
 * IOAPIC_MAX_RTES entries, which start masked.  Reads of a register the
 * file lacks are -EINVAL.  Writes follow Xen's rules: only the low half
 * of an entry is Dom0's (a write to the high half, the destination, or
 * below 0x10 is taken and ignored); a delivery mode past lowest priority
 * (SMI, NMI, INIT, ExtINT) is -EINVAL, and so is an unmasked entry whose
 * vector - the pirq, as alloc_irq_vector hands it out - is no pirq.
 */
#define IOAPIC_PHYSBASE		0xfec00000u
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VER		0x01
#define IOAPIC_REG_ARB		0x02
#define IOAPIC_REG_RTE		0x10	/* entry n: low 0x10 + 2n, high next */
#define IOAPIC_MAX_RTES		24
#define IOAPIC_IOWIN		4	/* the data window, in dwords */
#define VER_ENTRIES_SHIFT	16	/* VER: number of entries - 1 */
#define VER_ENTRIES_MASK	(0xffu << VER_ENTRIES_SHIFT)
#define QEMU_IOAPIC_VER		0x00170020u	/* version 0x20, 24 entries */
#define RTE_MASKED		(1u << 16)
#define RTE_READ_ONLY		((1u << 12) | (1u << 14))  /* status, IRR */
#define RTE_DELIVERY_MODE(lo)	(((lo) >> 8) & 7)
#define RTE_LOWEST_PRIORITY	1
#define RTE_VECTOR(lo)		((lo) & 0xff)

static struct {
	bool probed;
	uint32_t id, ver, arb;
	unsigned int nr_rtes;
	uint32_t rte[IOAPIC_MAX_RTES][2];	/* [n][0] low, [n][1] high */
} vioapic;

static uint32_t ioapic_chip_read(volatile uint32_t *chip, uint32_t reg)
{
	chip[0] = reg;
	return chip[IOAPIC_IOWIN];
}

/* An integrated IOAPIC (version 0x1X or 0x2X) with the 16 ISA pins at least. */
static bool ioapic_ver_plausible(uint32_t ver)
{
	return ver != 0xffffffffu && (ver & 0xff) >= 0x10 &&
	       (ver & 0xff) <= 0x2f &&
	       ((ver & VER_ENTRIES_MASK) >> VER_ENTRIES_SHIFT) >= 15;
}

/*
 * The chip's ID, VER and ARB, or QEMU's values where RAM or nothing sits
 * at the address.  A plain mapping will do: the firmware's MTRRs make the
 * IOAPIC page uncacheable, as on every PC.
 */
static bool ioapic_chip_probe(uint32_t *id, uint32_t *ver, uint32_t *arb)
{
	mfn_t frame = _mfn(IOAPIC_PHYSBASE >> PAGE_SHIFT);
	volatile uint32_t *chip;
	void *page;

	if (mfn_valid(frame) && mfn_to_page(frame)->owner != DOMID_IO)
		return false;
	page = map_domain_page(frame);
	chip = page;
	*id = ioapic_chip_read(chip, IOAPIC_REG_ID);
	*ver = ioapic_chip_read(chip, IOAPIC_REG_VER);
	*arb = ioapic_chip_read(chip, IOAPIC_REG_ARB);
	unmap_domain_page(page);
	return ioapic_ver_plausible(*ver);
}

static void vioapic_init(void)
{
	uint32_t id, ver, arb;
	unsigned int n;
	bool chip = ioapic_chip_probe(&id, &ver, &arb);

	if (!chip) {
		id = 0;
		ver = QEMU_IOAPIC_VER;
		arb = 0;
	}
	n = ((ver & VER_ENTRIES_MASK) >> VER_ENTRIES_SHIFT) + 1;
	if (n > IOAPIC_MAX_RTES) {
		n = IOAPIC_MAX_RTES;
		ver &= ~VER_ENTRIES_MASK;
		ver |= (n - 1) << VER_ENTRIES_SHIFT;
	}
	vioapic.id = id;
	vioapic.ver = ver;
	vioapic.arb = arb;
	vioapic.nr_rtes = n;
	for (n = 0; n < vioapic.nr_rtes; n++) {
		vioapic.rte[n][0] = RTE_MASKED;
		vioapic.rte[n][1] = 0;
	}
	vioapic.probed = true;
	printk(LOG_INFO, "IOAPIC at 0x%x: version 0x%x, %u entries (%s); Dom0 "
	       "gets a register file that routes nothing\n", IOAPIC_PHYSBASE,
	       ver & 0xff, vioapic.nr_rtes,
	       chip ? "read from the chip" : "none found: QEMU's values");
}

static bool vioapic_has(uint32_t reg)
{
	return reg <= IOAPIC_REG_ARB ||
	       (reg >= IOAPIC_REG_RTE &&
		reg - IOAPIC_REG_RTE < 2 * vioapic.nr_rtes);
}

static uint32_t vioapic_read(uint32_t reg)
{
	if (reg == IOAPIC_REG_ID)
		return vioapic.id;
	if (reg == IOAPIC_REG_VER)
		return vioapic.ver;
	if (reg == IOAPIC_REG_ARB)
		return vioapic.arb;
	return vioapic.rte[(reg - IOAPIC_REG_RTE) / 2][reg & 1];
}

static int vioapic_write(uint32_t reg, uint32_t val)
{
	uint32_t *low;

	if (reg < IOAPIC_REG_RTE || (reg & 1))
		return 0;
	if (!vioapic_has(reg))
		return -XEN_EINVAL;
	if (RTE_DELIVERY_MODE(val) > RTE_LOWEST_PRIORITY)
		return -XEN_EINVAL;
	if (!(val & RTE_MASKED) && RTE_VECTOR(val) >= PHYSDEV_NR_IRQS)
		return -XEN_EINVAL;
	low = &vioapic.rte[(reg - IOAPIC_REG_RTE) / 2][0];
	*low = (val & ~RTE_READ_ONLY) | (*low & RTE_READ_ONLY);
	return 0;
}

/* As Xen: the argument is read before the caller's privilege is. */
static int apic_op(uint32_t cmd, uint32_t arg)
{
	struct physdev_apic a;

	if (copy_from_guest(&a, arg, sizeof(a)))
		return -XEN_EFAULT;
	if (!domain_is_privileged(current_domain()))
		return -XEN_EPERM;
	if (a.apic_physbase != IOAPIC_PHYSBASE)
		return -XEN_EINVAL;		/* no such IOAPIC */
	if (!vioapic.probed)
		vioapic_init();
	if (cmd == PHYSDEVOP_apic_write)
		return vioapic_write(a.reg, a.value);
	if (!vioapic_has(a.reg))
		return -XEN_EINVAL;
	a.value = vioapic_read(a.reg);
	return copy_to_guest(arg, &a, sizeof(a)) ? -XEN_EFAULT : 0;
}

/*
 * PCI devices Dom0 announces (Dom0 only): without an IOMMU or MSI the
 * hypervisor has nothing to do with them, but it keeps the set, a bit
 * per bus:devfn, so that removing a device never added is -ENODEV, as in
 * Xen.  The machine has one PCI segment: another one is -ENODEV.  A
 * virtual function brings its physical function in with it, as in Xen.
 */
static uint32_t pci_known[256 * 256 / 32];

static int pci_note(uint16_t seg, uint8_t bus, uint8_t devfn, bool add)
{
	uint32_t bdf = (uint32_t)bus << 8 | devfn;
	uint32_t bit = 1u << (bdf % 32);

	if (seg != 0)
		return -XEN_ENODEV;
	if (add) {
		pci_known[bdf / 32] |= bit;
		return 0;
	}
	if (!(pci_known[bdf / 32] & bit))
		return -XEN_ENODEV;
	pci_known[bdf / 32] &= ~bit;
	return 0;
}

static int manage_pci_op(uint32_t arg, bool add)
{
	struct physdev_manage_pci m;

	if (copy_from_guest(&m, arg, sizeof(m)))
		return -XEN_EFAULT;
	return pci_note(0, m.bus, m.devfn, add);
}

static int manage_pci_add_ext_op(uint32_t arg)
{
	struct physdev_manage_pci_ext m;
	int rc;

	if (copy_from_guest(&m, arg, sizeof(m)))
		return -XEN_EFAULT;
	if (m.is_extfn > 1 || m.is_virtfn > 1)
		return -XEN_EINVAL;
	if (m.is_virtfn) {
		rc = pci_note(0, m.physfn.bus, m.physfn.devfn, true);
		if (rc)
			return rc;
	}
	return pci_note(0, m.bus, m.devfn, true);
}

static int pci_device_add_op(uint32_t arg)
{
	struct physdev_pci_device_add a;
	uint32_t pxm;
	int rc;

	if (copy_from_guest(&a, arg, sizeof(a)))
		return -XEN_EFAULT;
	/* One NUMA node: the proximity domain is read, as Xen reads it, and
	 * dropped. */
	if ((a.flags & XEN_PCI_DEV_PXM) &&
	    copy_from_guest(&pxm, arg + offsetof(struct physdev_pci_device_add,
						 optarr), sizeof(pxm)))
		return -XEN_EFAULT;
	if (a.flags & XEN_PCI_DEV_VIRTFN) {
		rc = pci_note(a.seg, a.physfn.bus, a.physfn.devfn, true);
		if (rc)
			return rc;
	}
	return pci_note(a.seg, a.bus, a.devfn, true);
}

static int pci_device_remove_op(uint32_t arg)
{
	struct physdev_pci_device r;

	if (copy_from_guest(&r, arg, sizeof(r)))
		return -XEN_EFAULT;
	return pci_note(r.seg, r.bus, r.devfn, false);
}

/* As Xen: the caller's privilege is checked before its argument is read. */
static int pci_op(uint32_t cmd, uint32_t arg)
{
	if (!domain_is_privileged(current_domain()))
		return -XEN_EPERM;
	switch (cmd) {
	case PHYSDEVOP_manage_pci_add:
		return manage_pci_op(arg, true);
	case PHYSDEVOP_manage_pci_remove:
		return manage_pci_op(arg, false);
	case PHYSDEVOP_manage_pci_add_ext:
		return manage_pci_add_ext_op(arg);
	case PHYSDEVOP_pci_device_add:
		return pci_device_add_op(arg);
	default:
		return pci_device_remove_op(arg);
	}
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
	case PHYSDEVOP_set_iobitmap:
		return set_iobitmap_op(arg);
	case PHYSDEVOP_alloc_irq_vector:
		return alloc_irq_vector_op(arg);
	case PHYSDEVOP_map_pirq:
		return map_pirq_op(arg);
	case PHYSDEVOP_unmap_pirq:
		return unmap_pirq_op(arg);
	case PHYSDEVOP_setup_gsi:
		return setup_gsi_op(arg);
	case PHYSDEVOP_apic_read:
	case PHYSDEVOP_apic_write:
		return apic_op(cmd, arg);
	case PHYSDEVOP_manage_pci_add:
	case PHYSDEVOP_manage_pci_remove:
	case PHYSDEVOP_manage_pci_add_ext:
	case PHYSDEVOP_pci_device_add:
	case PHYSDEVOP_pci_device_remove:
		return pci_op(cmd, arg);
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
