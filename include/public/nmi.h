/*
 * include/public/nmi.h - nmi_op: registering the NMI callback, and the
 * reasons the hypervisor records in arch_shared_info.nmi_reason when it
 * passes the machine's NMIs to Dom0.
 */
#ifndef XYLEM_PUBLIC_NMI_H
#define XYLEM_PUBLIC_NMI_H

#include <stdint.h>

/* Bit numbers in arch_shared_info.nmi_reason (set, never cleared). */
#define _XEN_NMIREASON_io_error		0	/* port 0x61 bit 6: I/O check */
#define _XEN_NMIREASON_pci_serr		1	/* port 0x61 bit 7: PCI SERR */
#define _XEN_NMIREASON_unknown		2	/* neither */

#define XENNMI_register_callback	0
#define XENNMI_unregister_callback	1

struct xennmi_callback {
	uint32_t handler_address;
	uint32_t pad;
};

#endif
