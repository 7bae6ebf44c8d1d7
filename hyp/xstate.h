/*
 * xstate.h - the XSAVE feature set for guests: which state components a
 * guest's XCR0 may enable, XSETBV's checks, and the save and restore the
 * FPU switch (fpu.h) uses.
 *
 * Where the CPU has XSAVE (and CPUID 0xD offers x87 and SSE), the
 * hypervisor runs with CR4.OSXSAVE, so a kernel that reads the plain
 * CPUID (the instruction does not trap without CPUID faulting) finds
 * XSAVE and OSXSAVE, and XGETBV reads its own XCR0.  Each vCPU starts
 * with XCR0 = x87 | SSE (3), as a Xen vCPU does; the kernel's XSETBV
 * (emulated, privop.h) may set any valid value within the allowed
 * components: x87, SSE, and where the CPU has them AVX and the three
 * AVX-512 components (only all three, with AVX, and only if the area fits
 * XSTATE_AREA_MAX); not MPX, PKRU, AMX or supervisor state.  Valid means
 * what xcr0.h says, as on the CPU and Xen.  The filtered CPUID (cpuid.h)
 * still offers no XSAVE: kernels that read it (Linux) keep to FXSAVE.
 * Where XSAVE is off, the CPU itself makes a guest's XGETBV and XSETBV a
 * #UD (CR4.OSXSAVE clear).
 */
#ifndef XYLEM_XSTATE_H
#define XYLEM_XSTATE_H

#include <stdbool.h>
#include <stdint.h>
#include "xcr0.h"
/* Bytes a vCPU's area has room for; components that need more are not
 * offered. */
#define XSTATE_AREA_MAX		3072u
#define XSTATE_HDR_BV		512u	/* XSTATE_BV in the area */
#define XSTATE_LEGACY_SIZE	576u	/* legacy region and header */

/* Boot, after CR4.OSFXSR: XSAVE on where usable (leaf1_ecx is CPUID.1:ECX). */
void xstate_init(uint32_t leaf1_ecx);
/* The components a guest's XCR0 may enable (0 when XSAVE is off: vCPU
 * state is then switched with fxsave). */
uint32_t xstate_allowed(void);
/* XSETBV's checks (see above) for XCR ecx := edx:eax. */
bool xstate_xsetbv_valid(uint32_t ecx, uint32_t edx, uint32_t eax);
/* Load XCR0 with v if it holds something else. */
void xstate_load_xcr0(uint32_t v);

#endif
