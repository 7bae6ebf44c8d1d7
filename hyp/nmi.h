/*
 * nmi.h - the machine's non-maskable interrupts, and the guest NMI
 * callback they are passed to.
 *
 * A machine NMI (QEMU's "nmi" monitor command, an I/O channel check, a
 * PCI SERR) does what the hypervisor option nmi= says, as on Xen:
 *   dom0    (default, as a release build of Xen) its reasons (port 0x61:
 *           io_error and pci_serr, else unknown) are set in Dom0's
 *           arch_shared_info.nmi_reason, and Dom0's vCPU 0 gets an NMI,
 *           a new pending one waking it (within a tick) even while its
 *           NMIs are masked, as Xen's kick;
 *   ignore  logged (the first few) and dropped;
 *   fatal   the hypervisor panics.
 * Port 0x61's SERR and IOCHK lines are cleared and re-enabled as Xen does
 * (the port is the hypervisor's: no guest gets it).  A guest's "int $2"
 * is not an NMI: it is a #GP, the gate being DPL 0, which reaches vector
 * 2's handler only if that entry's DPL lets the caller, and masks nothing.
 *
 * A vCPU's NMI handler is vector 2 of its trap table: set_trap_table's
 * entry, or CALLBACKTYPE_nmi / XENNMI_register_callback, which write that
 * entry (ring-1 flat code selector, events masked on entry; address 0
 * clears it, where Xen would enter eip 0) and, on vCPU 0 with a nonzero
 * nmi_reason, make an NMI pending again, since one that came while there
 * was no handler was lost.  nmi_reason is guest-writable, so a DomU that
 * sets it gets one too, as on Xen.  A pending NMI is delivered on the
 * vCPU's next return to the guest from a trap, before any event upcall,
 * as an interrupt-gate frame with no error code; further NMIs stay
 * pending (one at most) until the guest's iret hypercall.  One that finds
 * no handler is dropped.
 */
#ifndef XYLEM_NMI_H
#define XYLEM_NMI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct domain;
struct vcpu;

/* Parse the value of nmi= ("dom0", "ignore", "fatal"); false if bad. */
bool nmi_set_mode(const char *s, size_t len);

/* The domain NMIs are reported to (Dom0), once it exists. */
void nmi_set_hardware_domain(struct domain *d);

/* Vector 2 arrived, in any ring: runs in NMI context. */
void nmi_machine(void);

/* Wake the vCPU an NMI is pending for, if blocked (outside NMI context). */
void nmi_wake(void);

/* CALLBACKTYPE_nmi on the current vCPU: eip 0 unregisters. */
void nmi_set_callback(struct vcpu *v, uint32_t eip);

long do_nmi_op(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
	       uint32_t a5);

#endif
