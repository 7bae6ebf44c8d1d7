/*
 * test_io_physdev.c - the physdev_op commands a Dom0 kernel uses for its
 * interrupt controllers and PCI devices, and their refusal to a DomU.
 * Booted as Dom0 with itself as module 1 (tests.list):
 *  - map_pirq: GSI 1 and GSI 8 (DOMID_SELF or our own id, pirq -1, any
 *    negative or the GSI itself) give pirq == GSI, written back with the
 *    rest of the structure as it was; pirq 8 then binds with
 *    EVTCHNOP_bind_pirq and the RTC's periodic interrupt arrives on it;
 *    MSI types -ENODEV, other types, GSIs past 15 and another pirq
 *    -EINVAL, the hypervisor's IRQs 0, 2, 4 and another domain -EPERM,
 *    an unreadable or read-only argument -EFAULT;
 *  - unmap_pirq: 0 for a pirq map_pirq gives, -EINVAL otherwise, -EPERM
 *    for another domain; the port bound to it stays open (status pirq)
 *    but, as after Xen's force unbind, no interrupt reaches it and
 *    PHYSDEVOP_eoi is -EINVAL;
 *  - setup_gsi: 0 once per GSI, then -EEXIST; the hypervisor's lines
 *    -EEXIST from the start; past 15 -EINVAL;
 *  - apic_read/apic_write on the IOAPIC at 0xfec00000: VER is QEMU's
 *    (version 0x11 or 0x20, 24 entries), every entry reads masked at
 *    first, a low half written reads back (read-only bits dropped), the
 *    high half and registers below 0x10 take writes and ignore them,
 *    SMI/ExtINT delivery and an unmasked non-pirq vector are -EINVAL, as
 *    is any other base or a register the file lacks; physdev_op_compat
 *    reads VER the same way;
 *  - pci_device_add/remove, manage_pci_add/remove/add_ext: added devices
 *    can be removed once (then -ENODEV), a virtual function brings its
 *    physical one, segment 1 -ENODEV, is_extfn/is_virtfn past 1 -EINVAL,
 *    a PXM that cannot be read -EFAULT;
 *  - the same kernel run as a DomU ("domu" on its command line) gets
 *    -EPERM for every one of these, map_pirq included although Dom0
 *    granted it IRQ 5 (which it binds); the PCI commands refuse before
 *    reading their argument, the others after (Xen's order).  It powers
 *    off when all that holds, crashes otherwise, and Dom0 checks which
 *    and that nothing the DomU tried to change changed.
 */
#include "domtest.h"
#include <public/physdev.h>

#define RTC_IRQ		8
#define NR_EVENTS	16
#define IOAPIC_BASE	0xfec00000u
#define RTE_LOW(pin)	(0x10u + 2 * (pin))
#define RTE_MASKED	(1u << 16)
#define RTE_LEVEL	(1u << 15)
#define RTE_ACTIVE_LOW	(1u << 13)
#define RTE_RO_BITS	((1u << 12) | (1u << 14))
#define RO_SLOT		7u
#define END_SLOT	8u	/* a page of ours; the next slot stays unmapped */
#define DOMU_RTE	0x00000005u	/* what the DomU tries to write */
#define DOMU_IRQ	5	/* granted to the DomU: still no map_pirq */

static uint8_t ro_page[4096] __attribute__((aligned(4096)));
static uint8_t end_page[4096] __attribute__((aligned(4096)));
static volatile uint32_t events, eoi_errors;

static long physdev_op_va(uint32_t cmd, uint32_t va)
{
	return hypercall(__HYPERVISOR_physdev_op, cmd, va, 0, 0, 0);
}

static long map_pirq(uint16_t domid, int32_t type, int32_t index,
		     int32_t pirq, int32_t *out)
{
	struct physdev_map_pirq m;
	long rc;

	memset(&m, 0, sizeof(m));
	m.domid = domid;
	m.type = type;
	m.index = index;
	m.pirq = pirq;
	rc = HYPERVISOR_physdev_op(PHYSDEVOP_map_pirq, &m);
	if (out)
		*out = m.pirq;
	return rc;
}

static long unmap_pirq(uint16_t domid, int32_t pirq)
{
	struct physdev_unmap_pirq u = { .domid = domid, .pad = 0, .pirq = pirq };

	return HYPERVISOR_physdev_op(PHYSDEVOP_unmap_pirq, &u);
}

static long setup_gsi(int32_t gsi)
{
	struct physdev_setup_gsi g = { .gsi = gsi, .triggering = 1,
				       .polarity = 1, .pad = 0 };

	return HYPERVISOR_physdev_op(PHYSDEVOP_setup_gsi, &g);
}

static long apic_read(uint32_t base, uint32_t reg, uint32_t *value)
{
	struct physdev_apic a = { .apic_physbase = base, .reg = reg,
				  .value = 0xdeadbeef };
	long rc = HYPERVISOR_physdev_op(PHYSDEVOP_apic_read, &a);

	*value = a.value;
	return rc;
}

static long apic_write(uint32_t base, uint32_t reg, uint32_t value)
{
	struct physdev_apic a = { .apic_physbase = base, .reg = reg,
				  .value = value };

	return HYPERVISOR_physdev_op(PHYSDEVOP_apic_write, &a);
}

/* A register's value, or 0xdeadbeef with a failed check. */
static uint32_t apic_reg(uint32_t reg)
{
	uint32_t v = 0;

	KCHECK_EQ(apic_read(IOAPIC_BASE, reg, &v), 0);
	return v;
}

static long pci_add(uint16_t seg, uint8_t bus, uint8_t devfn, uint32_t flags,
		    uint8_t pf_bus, uint8_t pf_devfn)
{
	struct physdev_pci_device_add a;

	memset(&a, 0, sizeof(a));
	a.seg = seg;
	a.bus = bus;
	a.devfn = devfn;
	a.flags = flags;
	a.physfn.bus = pf_bus;
	a.physfn.devfn = pf_devfn;
	return HYPERVISOR_physdev_op(PHYSDEVOP_pci_device_add, &a);
}

static long pci_remove(uint16_t seg, uint8_t bus, uint8_t devfn)
{
	struct physdev_pci_device r = { .seg = seg, .bus = bus, .devfn = devfn };

	return HYPERVISOR_physdev_op(PHYSDEVOP_pci_device_remove, &r);
}

static long manage_pci(uint32_t cmd, uint8_t bus, uint8_t devfn)
{
	struct physdev_manage_pci m = { .bus = bus, .devfn = devfn };

	return HYPERVISOR_physdev_op(cmd, &m);
}

static long manage_pci_ext(uint8_t devfn, uint32_t extfn, uint32_t virtfn)
{
	struct physdev_manage_pci_ext m;

	memset(&m, 0, sizeof(m));
	m.devfn = devfn;
	m.is_extfn = extfn;
	m.is_virtfn = virtfn;
	m.physfn.devfn = 0x30;
	return HYPERVISOR_physdev_op(PHYSDEVOP_manage_pci_add_ext, &m);
}

static void check_map_pirq(void)
{
	struct physdev_map_pirq m;
	int32_t pirq = 0;

	KCHECK_EQ(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_GSI, 1, -1, &pirq), 0);
	KCHECK_EQ(pirq, 1);
	KCHECK_EQ(map_pirq(0, MAP_PIRQ_TYPE_GSI, RTC_IRQ, RTC_IRQ, &pirq), 0);
	KCHECK_EQ(pirq, RTC_IRQ);
	KCHECK_EQ(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_GSI, 15, -7, &pirq), 0);
	KCHECK_EQ(pirq, 15);

	/* Written back as a whole: only pirq changed. */
	memset(&m, 0x5a, sizeof(m));
	m.domid = DOMID_SELF;
	m.type = MAP_PIRQ_TYPE_GSI;
	m.index = 9;
	m.pirq = -1;
	KCHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_map_pirq, &m), 0);
	KCHECK(m.pirq == 9 && m.index == 9 && m.pad == 0x5a5a &&
	       m.bus == 0x5a5a5a5a && m.entry_nr == 0x5a5a5a5a &&
	       m.table_base == 0x5a5a5a5a5a5a5a5aull);

	KCHECK_EQ(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_GSI, RTC_IRQ, 9, &pirq),
		  -XEN_EINVAL);
	KCHECK_EQ(pirq, 9);			/* left as given */
	KCHECK_EQ(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_GSI, 16, -1, NULL),
		  -XEN_EINVAL);
	KCHECK_EQ(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_GSI, -1, -1, NULL),
		  -XEN_EINVAL);
	KCHECK_EQ(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_GSI, 3, 16, NULL),
		  -XEN_EINVAL);
	KCHECK_EQ(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_GSI, 0, -1, NULL),
		  -XEN_EPERM);
	KCHECK_EQ(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_GSI, 2, -1, NULL),
		  -XEN_EPERM);
	KCHECK_EQ(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_GSI, 4, 4, NULL),
		  -XEN_EPERM);
	KCHECK_EQ(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_MSI, -1, -1, NULL),
		  -XEN_ENODEV);
	KCHECK_EQ(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_MSI_SEG, -1, -1, NULL),
		  -XEN_ENODEV);
	KCHECK_EQ(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_MULTI_MSI, -1, -1, NULL),
		  -XEN_ENODEV);
	KCHECK_EQ(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_UNKNOWN, 5, -1, NULL),
		  -XEN_EINVAL);
	KCHECK_EQ(map_pirq(DOMID_SELF, 99, 5, -1, NULL), -XEN_EINVAL);
	KCHECK_EQ(map_pirq(1, MAP_PIRQ_TYPE_GSI, 5, -1, NULL), -XEN_EPERM);
	KCHECK_EQ(map_pirq(DOMID_IO, MAP_PIRQ_TYPE_GSI, 5, -1, NULL),
		  -XEN_EPERM);
	KCHECK_EQ(physdev_op_va(PHYSDEVOP_map_pirq, HYPERVISOR_VIRT_START),
		  -XEN_EFAULT);
	KCHECK_EQ(physdev_op_va(PHYSDEVOP_map_pirq, HYPERVISOR_VIRT_START - 20),
		  -XEN_EFAULT);
}

/* The result goes back into the argument: a read-only one is -EFAULT. */
static void check_map_pirq_read_only(void)
{
	struct physdev_map_pirq *m = (struct physdev_map_pirq *)ro_page;

	memset(m, 0, sizeof(*m));
	m->domid = DOMID_SELF;
	m->type = MAP_PIRQ_TYPE_GSI;
	m->index = 5;
	m->pirq = -1;
	KCHECK_EQ(mm_map_pfn(RO_SLOT, (uint32_t)ro_page >> 12, false), 0);
	KCHECK_EQ(physdev_op_va(PHYSDEVOP_map_pirq, mm_window_va(RO_SLOT)),
		  -XEN_EFAULT);
	KCHECK_EQ(m->pirq, -1);
	KCHECK_EQ(mm_unmap(RO_SLOT), 0);
}

static void on_rtc(evtchn_port_t port, void *data)
{
	uint32_t reg = 0x0c;
	struct physdev_eoi e = { .irq = RTC_IRQ };

	(void)port;
	(void)data;
	events++;
	asm volatile("outb %%al, $0x70\n\tinb $0x71, %%al" : "+a"(reg));
	if (HYPERVISOR_physdev_op(PHYSDEVOP_eoi, &e))
		eoi_errors++;
}

static void rtc_periodic(bool on)
{
	uint32_t b = 0x0b, a = 0x0a;

	local_irq_disable();
	asm volatile("outb %%al, $0x70\n\tinb $0x71, %%al" : "+a"(a));
	a = (a & 0xf0) | 0x08;				/* 256 Hz */
	asm volatile("outb %%al, $0x70" : : "a"(0x0a));
	asm volatile("outb %%al, $0x71" : : "a"(a));
	asm volatile("outb %%al, $0x70\n\tinb $0x71, %%al" : "+a"(b));
	b = on ? (b | 0x40) : (b & ~0x40u);		/* PIE */
	asm volatile("outb %%al, $0x70" : : "a"(0x0b));
	asm volatile("outb %%al, $0x71" : : "a"(b));
	local_irq_enable();
}

/*
 * The pirq map_pirq gave binds and delivers; unmap_pirq then unbinds it
 * as Xen's force unbind does: the port stays (status pirq) but the RTC's
 * interrupts no longer reach it, and PHYSDEVOP_eoi is -EINVAL.
 */
static void check_mapped_pirq_delivers(void)
{
	struct evtchn_bind_pirq b = { .pirq = 0, .flags = 0, .port = 0 };
	struct evtchn_status st = { .dom = DOMID_SELF };
	int32_t pirq = -1;
	uint32_t ms;

	KCHECK_EQ(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_GSI, RTC_IRQ, -1, &pirq), 0);
	b.pirq = (uint32_t)pirq;
	local_irq_disable();
	KCHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &b), 0);
	KCHECK_EQ(evtchn_set_handler(b.port, on_rtc, NULL), 0);
	local_irq_enable();
	rtc_periodic(true);
	for (ms = 0; ms < 3000 && events < NR_EVENTS; ms++)
		time_busy_wait_ns(DOMTEST_MS);
	rtc_periodic(false);
	printf("pirq %d: %u RTC events in %u ms\n", pirq, events, ms);
	KCHECK(events >= NR_EVENTS);
	KCHECK_EQ(eoi_errors, 0);

	KCHECK_EQ(unmap_pirq(DOMID_SELF, pirq), 0);
	KCHECK_EQ(evtchn_status(b.port, &st), 0);
	KCHECK_EQ(st.status, EVTCHNSTAT_pirq);
	KCHECK_EQ(st.u.pirq, RTC_IRQ);
	ms = events;
	rtc_periodic(true);
	time_busy_wait_ns(60 * DOMTEST_MS);		/* about 15 RTC ticks */
	rtc_periodic(false);
	KCHECK_EQ(events, ms);
	KCHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_eoi,
					&(struct physdev_eoi){ .irq = RTC_IRQ }),
		  -XEN_EINVAL);
	local_irq_disable();
	KCHECK_EQ(evtchn_close(b.port), 0);
	evtchn_clear_pending(b.port);
	local_irq_enable();
}

static void check_unmap_pirq(void)
{
	KCHECK_EQ(unmap_pirq(DOMID_SELF, 1), 0);
	KCHECK_EQ(unmap_pirq(0, 15), 0);
	KCHECK_EQ(unmap_pirq(DOMID_SELF, 0), -XEN_EINVAL);
	KCHECK_EQ(unmap_pirq(DOMID_SELF, 4), -XEN_EINVAL);
	KCHECK_EQ(unmap_pirq(DOMID_SELF, 16), -XEN_EINVAL);
	KCHECK_EQ(unmap_pirq(DOMID_SELF, -1), -XEN_EINVAL);
	KCHECK_EQ(unmap_pirq(1, 5), -XEN_EPERM);
	KCHECK_EQ(physdev_op_va(PHYSDEVOP_unmap_pirq, HYPERVISOR_VIRT_START),
		  -XEN_EFAULT);
}

static void check_setup_gsi(void)
{
	KCHECK_EQ(setup_gsi(9), 0);
	KCHECK_EQ(setup_gsi(9), -XEN_EEXIST);
	KCHECK_EQ(setup_gsi(1), 0);
	KCHECK_EQ(setup_gsi(15), 0);
	KCHECK_EQ(setup_gsi(0), -XEN_EEXIST);
	KCHECK_EQ(setup_gsi(2), -XEN_EEXIST);
	KCHECK_EQ(setup_gsi(4), -XEN_EEXIST);
	KCHECK_EQ(setup_gsi(16), -XEN_EINVAL);
	KCHECK_EQ(setup_gsi(-1), -XEN_EINVAL);
	KCHECK_EQ(physdev_op_va(PHYSDEVOP_setup_gsi, HYPERVISOR_VIRT_START - 4),
		  -XEN_EFAULT);
}

static void check_apic_read(void)
{
	uint32_t ver = apic_reg(1), v = 0, pin;

	printf("IOAPIC: id 0x%x version 0x%x arb 0x%x\n", apic_reg(0), ver,
	       apic_reg(2));
	KCHECK((ver & 0xff) == 0x20 || (ver & 0xff) == 0x11);
	KCHECK_EQ((ver >> 16) & 0xff, 23);
	for (pin = 0; pin < 24; pin++) {
		KCHECK_EQ(apic_reg(RTE_LOW(pin)), RTE_MASKED);
		KCHECK_EQ(apic_reg(RTE_LOW(pin) + 1), 0);
	}
	KCHECK_EQ(apic_read(IOAPIC_BASE, 3, &v), -XEN_EINVAL);
	KCHECK_EQ(v, 0xdeadbeef);		/* nothing written back */
	KCHECK_EQ(apic_read(IOAPIC_BASE, 0x0f, &v), -XEN_EINVAL);
	KCHECK_EQ(apic_read(IOAPIC_BASE, 0x40, &v), -XEN_EINVAL);
	KCHECK_EQ(apic_read(IOAPIC_BASE, 0x110, &v), -XEN_EINVAL);
	KCHECK_EQ(apic_read(IOAPIC_BASE, 0xffffffffu, &v), -XEN_EINVAL);
	KCHECK_EQ(apic_read(IOAPIC_BASE + 0x1000, 1, &v), -XEN_EINVAL);
	KCHECK_EQ(apic_read(0, 1, &v), -XEN_EINVAL);
	KCHECK_EQ(physdev_op_va(PHYSDEVOP_apic_read, HYPERVISOR_VIRT_START - 8),
		  -XEN_EFAULT);
}

static void check_apic_write(void)
{
	uint32_t rte = 9 | RTE_LEVEL | RTE_ACTIVE_LOW | RTE_MASKED;
	uint32_t id = apic_reg(0);

	KCHECK_EQ(apic_write(IOAPIC_BASE, RTE_LOW(9), rte), 0);
	KCHECK_EQ(apic_reg(RTE_LOW(9)), rte);
	KCHECK_EQ(apic_write(IOAPIC_BASE, RTE_LOW(9), rte | RTE_RO_BITS), 0);
	KCHECK_EQ(apic_reg(RTE_LOW(9)), rte);
	KCHECK_EQ(apic_write(IOAPIC_BASE, RTE_LOW(9), rte & ~RTE_MASKED), 0);
	KCHECK_EQ(apic_reg(RTE_LOW(9)), rte & ~RTE_MASKED);
	KCHECK_EQ(apic_reg(RTE_LOW(8)), RTE_MASKED);	/* its neighbours */
	KCHECK_EQ(apic_reg(RTE_LOW(10)), RTE_MASKED);
	KCHECK_EQ(apic_write(IOAPIC_BASE, RTE_LOW(23), 0x100 | 3), 0);
	KCHECK_EQ(apic_reg(RTE_LOW(23)), 0x100 | 3);	/* lowest priority */

	/* Refused, and nothing changed. */
	KCHECK_EQ(apic_write(IOAPIC_BASE, RTE_LOW(9), 16), -XEN_EINVAL);
	KCHECK_EQ(apic_write(IOAPIC_BASE, RTE_LOW(9), 0x200 | RTE_MASKED),
		  -XEN_EINVAL);			/* SMI */
	KCHECK_EQ(apic_write(IOAPIC_BASE, RTE_LOW(9), 0x700 | RTE_MASKED),
		  -XEN_EINVAL);			/* ExtINT */
	KCHECK_EQ(apic_write(IOAPIC_BASE, RTE_LOW(24), RTE_MASKED), -XEN_EINVAL);
	KCHECK_EQ(apic_write(IOAPIC_BASE + 0x400, RTE_LOW(9), RTE_MASKED),
		  -XEN_EINVAL);
	KCHECK_EQ(apic_reg(RTE_LOW(9)), rte & ~RTE_MASKED);

	/* Taken and ignored, as Xen: the high half, ID, odd registers. */
	KCHECK_EQ(apic_write(IOAPIC_BASE, RTE_LOW(9) + 1, 0xff000000u), 0);
	KCHECK_EQ(apic_reg(RTE_LOW(9) + 1), 0);
	KCHECK_EQ(apic_write(IOAPIC_BASE, 0, 0x0f000000u), 0);
	KCHECK_EQ(apic_reg(0), id);
	KCHECK_EQ(apic_write(IOAPIC_BASE, 0x41, 0), 0);
	KCHECK_EQ(physdev_op_va(PHYSDEVOP_apic_write, HYPERVISOR_VIRT_START),
		  -XEN_EFAULT);
	KCHECK_EQ(apic_write(IOAPIC_BASE, RTE_LOW(9), rte), 0);
}

/* physdev_op_compat (19) runs apic_read on its union, as NetBSD 9 does. */
static void check_apic_compat(void)
{
	struct physdev_op op;

	memset(&op, 0, sizeof(op));
	op.cmd = PHYSDEVOP_apic_read;
	op.u.apic_op.apic_physbase = IOAPIC_BASE;
	op.u.apic_op.reg = 1;
	KCHECK_EQ(HYPERVISOR_physdev_op_compat(&op), 0);
	KCHECK_EQ(op.u.apic_op.value, apic_reg(1));
	op.u.apic_op.reg = 0x40;
	KCHECK_EQ(HYPERVISOR_physdev_op_compat(&op), -XEN_EINVAL);
}

/* pci_device_add with XEN_PCI_DEV_PXM whose optarr[0] lies past a page. */
static void check_pci_pxm(void)
{
	struct physdev_pci_device_add *a;
	uint32_t va = mm_window_va(END_SLOT) + 4096 - sizeof(*a);

	KCHECK_EQ(mm_map_pfn(END_SLOT, (uint32_t)end_page >> 12, true), 0);
	KCHECK_EQ(mm_unmap(END_SLOT + 1), 0);
	a = (struct physdev_pci_device_add *)va;
	memset(a, 0, sizeof(*a));
	a->devfn = 0x40;
	a->flags = XEN_PCI_DEV_PXM;
	KCHECK_EQ(physdev_op_va(PHYSDEVOP_pci_device_add, va), -XEN_EFAULT);
	KCHECK_EQ(pci_remove(0, 0, 0x40), -XEN_ENODEV);	/* not added */
	a->flags = 0;
	KCHECK_EQ(physdev_op_va(PHYSDEVOP_pci_device_add, va), 0);
	KCHECK_EQ(pci_remove(0, 0, 0x40), 0);
	va -= sizeof(uint32_t);			/* now optarr[0] is ours */
	a = (struct physdev_pci_device_add *)va;
	memset(a, 0, sizeof(*a) + sizeof(uint32_t));
	a->devfn = 0x40;
	a->flags = XEN_PCI_DEV_PXM;
	KCHECK_EQ(physdev_op_va(PHYSDEVOP_pci_device_add, va), 0);
	KCHECK_EQ(pci_remove(0, 0, 0x40), 0);
	KCHECK_EQ(mm_unmap(END_SLOT), 0);
}

static void check_pci(void)
{
	KCHECK_EQ(pci_add(0, 0, 0x08, 0, 0, 0), 0);
	KCHECK_EQ(pci_add(0, 0, 0x08, XEN_PCI_DEV_EXTFN, 0, 0), 0);
	KCHECK_EQ(pci_remove(0, 0, 0x08), 0);
	KCHECK_EQ(pci_remove(0, 0, 0x08), -XEN_ENODEV);
	KCHECK_EQ(pci_remove(0, 0xff, 0xff), -XEN_ENODEV);
	KCHECK_EQ(pci_add(1, 0, 0x08, 0, 0, 0), -XEN_ENODEV);
	KCHECK_EQ(pci_remove(1, 0, 0x08), -XEN_ENODEV);

	/* A virtual function brings its physical function. */
	KCHECK_EQ(pci_add(0, 2, 0x11, XEN_PCI_DEV_VIRTFN, 0, 0x18), 0);
	KCHECK_EQ(pci_remove(0, 0, 0x18), 0);
	KCHECK_EQ(pci_remove(0, 2, 0x11), 0);
	KCHECK_EQ(pci_remove(0, 2, 0x11), -XEN_ENODEV);

	/* The older commands: segment 0, the same set of devices. */
	KCHECK_EQ(manage_pci(PHYSDEVOP_manage_pci_add, 0, 0x10), 0);
	KCHECK_EQ(pci_remove(0, 0, 0x10), 0);
	KCHECK_EQ(manage_pci(PHYSDEVOP_manage_pci_remove, 0, 0x10), -XEN_ENODEV);
	KCHECK_EQ(manage_pci(PHYSDEVOP_manage_pci_add, 0xff, 0xff), 0);
	KCHECK_EQ(manage_pci(PHYSDEVOP_manage_pci_remove, 0xff, 0xff), 0);
	KCHECK_EQ(manage_pci_ext(0x20, 2, 0), -XEN_EINVAL);
	KCHECK_EQ(manage_pci_ext(0x20, 0, 2), -XEN_EINVAL);
	KCHECK_EQ(pci_remove(0, 0, 0x20), -XEN_ENODEV);
	KCHECK_EQ(manage_pci_ext(0x20, 1, 0), 0);
	KCHECK_EQ(pci_remove(0, 0, 0x20), 0);
	KCHECK_EQ(manage_pci_ext(0x21, 0, 1), 0);
	KCHECK_EQ(pci_remove(0, 0, 0x30), 0);		/* its physfn */
	KCHECK_EQ(manage_pci(PHYSDEVOP_manage_pci_remove, 0, 0x21), 0);

	KCHECK_EQ(physdev_op_va(PHYSDEVOP_pci_device_add, HYPERVISOR_VIRT_START),
		  -XEN_EFAULT);
	KCHECK_EQ(physdev_op_va(PHYSDEVOP_pci_device_remove,
				HYPERVISOR_VIRT_START - 2), -XEN_EFAULT);
	KCHECK_EQ(physdev_op_va(PHYSDEVOP_manage_pci_add, HYPERVISOR_VIRT_START),
		  -XEN_EFAULT);
	KCHECK_EQ(physdev_op_va(PHYSDEVOP_manage_pci_remove,
				HYPERVISOR_VIRT_START), -XEN_EFAULT);
	KCHECK_EQ(physdev_op_va(PHYSDEVOP_manage_pci_add_ext,
				HYPERVISOR_VIRT_START - 8), -XEN_EFAULT);
	check_pci_pxm();
}

/* domctl irq_permission: the DomU may use IRQ irq (bind_pirq takes it). */
static int grant_irq(domid_t domid, uint8_t irq)
{
	struct xen_domctl dc;

	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_irq_permission;
	dc.domain = domid;
	dc.u.irq_permission.pirq = irq;
	dc.u.irq_permission.allow_access = 1;
	return dom_domctl(&dc);
}

static int grant_domu_irq(domid_t domid)
{
	return grant_irq(domid, DOMU_IRQ);
}

/*
 * Dom0's part: run module 1 (this kernel) as a DomU and see it power off,
 * then see that what it tried to change did not change.
 */
static void check_domu_refused(void)
{
	uint32_t rte = apic_reg(RTE_LOW(9));

	KCHECK_EQ(domtest_run("physdev_domu", "domu", grant_domu_irq, 10000),
		  SHUTDOWN_poweroff);
	KCHECK_EQ(apic_reg(RTE_LOW(9)), rte);
	KCHECK(rte != DOMU_RTE);
	KCHECK_EQ(setup_gsi(11), 0);		/* the DomU's did not count */
	KCHECK_EQ(pci_remove(0, 0, 0x50), -XEN_ENODEV);
}

/* The DomU's part: every one of these commands is refused. */
static void run_as_domu(void)
{
	struct physdev_pci_device_add add;
	struct evtchn_bind_pirq b = { .pirq = DOMU_IRQ, .flags = 0, .port = 0 };
	uint32_t ver = 0;
	long rc[10];
	unsigned int i, refused = 0;
	bool order_ok, bound;

	memset(&add, 0, sizeof(add));
	add.devfn = 0x50;
	rc[0] = map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_GSI, DOMU_IRQ, -1, NULL);
	rc[1] = unmap_pirq(DOMID_SELF, DOMU_IRQ);
	rc[2] = setup_gsi(11);
	rc[3] = apic_read(IOAPIC_BASE, 1, &ver);
	rc[4] = apic_write(IOAPIC_BASE, RTE_LOW(9), DOMU_RTE);
	rc[5] = HYPERVISOR_physdev_op(PHYSDEVOP_pci_device_add, &add);
	rc[6] = pci_remove(0, 0, 0x50);
	rc[7] = manage_pci(PHYSDEVOP_manage_pci_add, 0, 0x50);
	rc[8] = manage_pci(PHYSDEVOP_manage_pci_remove, 0, 0x50);
	rc[9] = manage_pci_ext(0x50, 0, 0);
	for (i = 0; i < 10; i++) {
		printf("domu: physdev command %u: %ld\n", i, rc[i]);
		if (rc[i] == -XEN_EPERM)
			refused++;
	}
	/* IRQ 5 is ours to bind, yet map_pirq was refused: Dom0 only. */
	bound = HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &b) == 0;
	/* The PCI commands check privilege first, the others read first. */
	order_ok = physdev_op_va(PHYSDEVOP_pci_device_add,
				 HYPERVISOR_VIRT_START) == -XEN_EPERM &&
		   physdev_op_va(PHYSDEVOP_apic_read,
				 HYPERVISOR_VIRT_START) == -XEN_EFAULT;
	printf("domu: %u of 10 physdev commands refused with -EPERM, "
	       "VER %s, checks in Xen's order: %s, IRQ %u bound: %s\n",
	       refused, ver == 0xdeadbeef ? "not given" : "GIVEN",
	       order_ok ? "yes" : "no", DOMU_IRQ, bound ? "yes" : "no");
	guest_shutdown(refused == 10 && order_ok && bound &&
		       ver == 0xdeadbeef ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}

void kernel_main(struct start_info *si)
{
	if (!(si->flags & SIF_INITDOMAIN)) {
		run_as_domu();
		return;
	}
	KCHECK_EQ(domtest_setup(), 0);	/* mm_init, events, modules */
	KCHECK_EQ(HYPERVISOR_set_iopl(1), 0);	/* as a Dom0 kernel does */
	if (ktest_failures) {
		ktest_finish();
		return;
	}
	local_irq_enable();
	check_map_pirq();
	check_map_pirq_read_only();
	check_mapped_pirq_delivers();
	check_unmap_pirq();
	check_setup_gsi();
	check_apic_read();
	check_apic_write();
	check_apic_compat();
	check_pci();
	check_domu_refused();
	ktest_finish();
}
