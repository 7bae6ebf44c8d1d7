/*
 * include/public/physdev.h - physdev_op (hypercall 33): physical device
 * operations for domains that drive hardware, and struct physdev_op, the
 * single argument of the older physdev_op_compat (hypercall 19).  Only
 * the commands Xylem implements are listed, plus the layouts the compat
 * union needs for its size; the numbers and layouts are Xen's (pv32pae:
 * pointers and longs are 4 bytes, and a 64-bit field is 4-byte aligned,
 * hence the packed, aligned(4) struct below).  Every IRQ here is an ISA
 * IRQ (0-15) bound with EVTCHNOP_bind_pirq; a GSI is the same number and
 * so is the pirq PHYSDEVOP_map_pirq hands out for it.
 */
#ifndef XYLEM_PUBLIC_PHYSDEV_H
#define XYLEM_PUBLIC_PHYSDEV_H

#include <stddef.h>
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
 * The calling vCPU's I/O bitmap: when the virtual IOPL refuses an access,
 * a port below nr_ports whose bit is clear is allowed.  The bitmap is
 * read at each access (IOBMP_BYTES from bitmap must lie below the
 * hypervisor; nr_ports at most 65536, else -EINVAL); nr_ports 0 turns it
 * off.
 */
#define PHYSDEVOP_set_iobitmap		7
#define IOBMP_BYTES			8192
struct physdev_set_iobitmap {
	uint32_t bitmap;		/* in: guest address of the bitmap */
	uint32_t nr_ports;		/* in */
};

/* Dom0 reads or writes an IOAPIC register: reg is the IOREGSEL index. */
#define PHYSDEVOP_apic_read		8
#define PHYSDEVOP_apic_write		9
struct physdev_apic {
	uint32_t apic_physbase;		/* in: the IOAPIC's MMIO base */
	uint32_t reg;			/* in */
	uint32_t value;			/* in (write) or out (read) */
};

/* Give a GSI (or an MSI) a pirq of domain domid: on Xylem pirq == GSI. */
#define MAP_PIRQ_TYPE_MSI		0x0
#define MAP_PIRQ_TYPE_GSI		0x1
#define MAP_PIRQ_TYPE_UNKNOWN		0x2
#define MAP_PIRQ_TYPE_MSI_SEG		0x3
#define MAP_PIRQ_TYPE_MULTI_MSI		0x4

#define PHYSDEVOP_map_pirq		13
struct physdev_map_pirq {
	uint16_t domid;			/* in: DOMID_SELF or the caller */
	uint16_t pad;
	int32_t type;			/* in: MAP_PIRQ_TYPE_* */
	int32_t index;			/* in: the GSI */
	int32_t pirq;			/* in: wanted (< 0: any); out: given */
	int32_t bus;			/* in, MSI: bus (segment << 16 for _SEG) */
	int32_t devfn;			/* in, MSI */
	int32_t entry_nr;		/* in, MSI */
	uint64_t table_base;		/* in, MSI-X */
} __attribute__((packed, aligned(4)));

#define PHYSDEVOP_unmap_pirq		14
struct physdev_unmap_pirq {
	uint16_t domid;			/* in */
	uint16_t pad;
	int32_t pirq;			/* in */
};

/* Dom0 tells the hypervisor about a PCI device on segment 0. */
#define PHYSDEVOP_manage_pci_add	15
#define PHYSDEVOP_manage_pci_remove	16
struct physdev_manage_pci {
	uint8_t bus;			/* in */
	uint8_t devfn;			/* in */
};

#define PHYSDEVOP_manage_pci_add_ext	20
struct physdev_manage_pci_ext {
	uint8_t bus;			/* in */
	uint8_t devfn;			/* in */
	uint16_t pad;
	uint32_t is_extfn;		/* in: 0 or 1 */
	uint32_t is_virtfn;		/* in: 0 or 1 */
	struct {
		uint8_t bus;
		uint8_t devfn;
	} physfn;			/* in: the physical function of a virtfn */
	uint16_t pad2;
};

/* Dom0 says how a GSI is wired (from ACPI): 0 edge/1 level, 0 high/1 low. */
#define PHYSDEVOP_setup_gsi		21
struct physdev_setup_gsi {
	int32_t gsi;			/* in */
	uint8_t triggering;		/* in */
	uint8_t polarity;		/* in */
	uint16_t pad;
};

/* The newer form of manage_pci_add/remove, with the segment. */
#define XEN_PCI_DEV_EXTFN		0x1
#define XEN_PCI_DEV_VIRTFN		0x2
#define XEN_PCI_DEV_PXM			0x4

#define PHYSDEVOP_pci_device_add	25
struct physdev_pci_device_add {
	uint16_t seg;			/* in */
	uint8_t bus;			/* in */
	uint8_t devfn;			/* in */
	uint32_t flags;			/* in: XEN_PCI_DEV_* */
	struct {
		uint8_t bus;
		uint8_t devfn;
	} physfn;			/* in, with XEN_PCI_DEV_VIRTFN */
	uint16_t pad;
	uint32_t optarr[];		/* in: [0] the proximity domain (PXM) */
};

#define PHYSDEVOP_pci_device_remove	26
struct physdev_pci_device {
	uint16_t seg;			/* in */
	uint8_t bus;			/* in */
	uint8_t devfn;			/* in */
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

_Static_assert(sizeof(struct physdev_map_pirq) == 36, "map_pirq size");
_Static_assert(offsetof(struct physdev_map_pirq, type) == 4, "map_pirq type");
_Static_assert(offsetof(struct physdev_map_pirq, table_base) == 28,
	       "map_pirq table_base");
_Static_assert(sizeof(struct physdev_unmap_pirq) == 8, "unmap_pirq size");
_Static_assert(sizeof(struct physdev_manage_pci) == 2, "manage_pci size");
_Static_assert(sizeof(struct physdev_manage_pci_ext) == 16, "manage_pci_ext");
_Static_assert(offsetof(struct physdev_manage_pci_ext, physfn) == 12,
	       "manage_pci_ext physfn");
_Static_assert(sizeof(struct physdev_setup_gsi) == 8, "setup_gsi size");
_Static_assert(sizeof(struct physdev_pci_device_add) == 12, "pci_device_add");
_Static_assert(offsetof(struct physdev_pci_device_add, optarr) == 12,
	       "pci_device_add optarr");
_Static_assert(sizeof(struct physdev_pci_device) == 4, "pci_device size");
_Static_assert(sizeof(struct physdev_apic) == 12, "apic size");
_Static_assert(sizeof(struct physdev_op) == 16, "physdev_op size");

#endif
