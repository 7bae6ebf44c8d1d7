/*
 * debugreg.h - a vCPU's debug registers: set_debugreg (8), get_debugreg
 * (9), "mov %drN" in ring 1 (privop.c) and #DB.
 *
 * Each vCPU has DR0-3, DR6 and DR7 of its own; DR4/DR5 read and write
 * DR6/DR7 (the guest never has CR4.DE).  Checks, as Xen makes them:
 *  - DR0-3 hold addresses whose 4 bytes lie below HYPERVISOR_VIRT_START
 *    (else -EPERM);
 *  - DR6 keeps B0-B3, BD, BS, BT, the other bits read as the CPU's fixed
 *    ones;
 *  - DR7 with reserved bits 11, 12, 14 or 15 set is -EPERM, bit 10 reads
 *    as 1; an I/O breakpoint (R/W = 10b) needs CR4.DE: -EPERM.
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

#include <stdint.h>

struct vcpu;

#define DR6_FIXED_ONES	0xffff0ff0u
#define DR7_FIXED_ONES	0x00000400u

/* A new vCPU's registers: addresses 0, DR6 and DR7 at their reset values. */
void debugreg_init(struct vcpu *v);
/* Whether debugreg_set would take value: 0, -XEN_EPERM or -XEN_EINVAL. */
int debugreg_check(unsigned int reg, uint32_t value);
/* 0 or -XEN_EPERM / -XEN_EINVAL; loads the CPU if v is running. */
int debugreg_set(struct vcpu *v, unsigned int reg, uint32_t value);
/* 0 or -XEN_EINVAL. */
int debugreg_get(const struct vcpu *v, unsigned int reg, uint32_t *value);
/* Put v's breakpoints in the CPU, or disable them (on a switch to v). */
void debugreg_load(const struct vcpu *v);
/* After a #DB: fold the CPU's DR6 into the current vCPU's and reset it. */
void debugreg_take_status(struct vcpu *v);

long do_set_debugreg(uint32_t reg, uint32_t value, uint32_t a3, uint32_t a4,
		     uint32_t a5);
long do_get_debugreg(uint32_t reg, uint32_t a2, uint32_t a3, uint32_t a4,
		     uint32_t a5);

#endif
