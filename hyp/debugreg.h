/*
 * debugreg.h - a vCPU's debug registers: set_debugreg (8), get_debugreg
 * (9), "mov %drN" in ring 1 (privop.c) and #DB.
 *
 * Each vCPU has DR0-3, DR6 and DR7 of its own, and a virtual CR4.DE
 * (a PV guest owns it, with TSD, as on Xen; privop.c keeps it).
 * Without CR4.DE, DR4/DR5 read and write DR6/DR7; with it they are
 * -ENODEV (and "mov" to or from them #UD).  Checks, as Xen makes them:
 *  - DR0-3 hold addresses whose 4 bytes lie below HYPERVISOR_VIRT_START
 *    (else -EPERM);
 *  - DR6 keeps B0-B3, BD, BS, BT, the other bits read as the CPU's fixed
 *    ones;
 *  - DR7 with reserved bits 11, 12, 14 or 15 set is -EPERM, bit 10 reads
 *    as 1.  While DR7 enables any breakpoint, a slot whose R/W is 10b (an
 *    I/O breakpoint) needs CR4.DE, else -EPERM and DR7 stays as it was.
 *    I/O breakpoints never reach the CPU: their enable bits are kept
 *    aside (dr7_emul) and read back with DR7, and the hypervisor matches
 *    them against the port I/O it emulates (debugreg_io_match).
 * While a vCPU's DR7 enables a breakpoint, its DR0-3 and DR7 are in the
 * CPU (GD excepted: the hypervisor itself must use the registers), loaded
 * at once for the running vCPU and on every switch; otherwise DR7 is 0.
 * #DB: the CPU's DR6 is folded into the vCPU's (its sticky bits
 * accumulate until the guest clears them) and reset; from a guest the
 * exception then goes to its handler, in the hypervisor (a guest
 * breakpoint on data the hypervisor copies) it is dropped.
 */
#ifndef XYLEM_DEBUGREG_H
#define XYLEM_DEBUGREG_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

#define DR6_FIXED_ONES	0xffff0ff0u
#define DR6_BS		0x00004000u	/* single step */
#define DR7_FIXED_ONES	0x00000400u

/* A new vCPU's registers: addresses 0, DR6 and DR7 at their reset values. */
void debugreg_init(struct vcpu *v);
/* Whether debugreg_set would take value with CR4.DE as de: 0,
 * -XEN_EPERM, -XEN_ENODEV (DR4/5 with DE) or -XEN_EINVAL. */
int debugreg_check(unsigned int reg, uint32_t value, bool de);
/* The same errors; loads the CPU if v is running. */
int debugreg_set(struct vcpu *v, unsigned int reg, uint32_t value);
/* 0, -XEN_ENODEV (DR4/5 with DE) or -XEN_EINVAL. */
int debugreg_get(const struct vcpu *v, unsigned int reg, uint32_t *value);
/* DR6 B0-B3 bits of v's enabled I/O breakpoints that cover any of the
 * size ports from port (0 without CR4.DE), as Xen matches them. */
uint32_t debugreg_io_match(const struct vcpu *v, uint16_t port,
			   unsigned int size);
/* Add status bits (DR6_B*, DR6_BS) to v's DR6, as a #DB would. */
void debugreg_add_status(struct vcpu *v, uint32_t bits);
/* Put v's breakpoints in the CPU, or disable them (on a switch to v). */
void debugreg_load(const struct vcpu *v);
/* After a #DB: fold the CPU's DR6 into the current vCPU's and reset it. */
void debugreg_take_status(struct vcpu *v);

long do_set_debugreg(uint32_t reg, uint32_t value, uint32_t a3, uint32_t a4,
		     uint32_t a5);
long do_get_debugreg(uint32_t reg, uint32_t a2, uint32_t a3, uint32_t a4,
		     uint32_t a5);

#endif
