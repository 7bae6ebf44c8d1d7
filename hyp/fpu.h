/*
 * fpu.h - FPU/SSE state per vCPU and the fpu_taskswitch hypercall.
 *
 * The hypervisor never uses the FPU.  The CPU's FPU holds the state of
 * one vCPU, the owner.  Switching is eager, as Xen's has been since the
 * LazyFP disclosure (XSA-267): when another vCPU is about to run, the
 * owner's state is saved and the new one's restored (a vCPU's first state
 * is FNINIT's x87 state, MXCSR 0x1f80 and every other register zero; on
 * AMD CPUs whose restore keeps the x87 error pointers, those are reset
 * first, as Xen does), so no vCPU ever runs with another's registers in
 * the CPU, not even under CR0.TS (which a CPU may read past
 * speculatively, and which QEMU's TCG ignores for XSAVE and XRSTOR).
 * Switching to the idle vCPU and back to the same vCPU costs nothing.
 * A guest's own CR0.TS is virtual: fpu_taskswitch(1) (or "mov to %cr0" /
 * "clts", emulated) sets or clears it, and CR0.TS follows it while the
 * vCPU runs; a guest that set it gets its #NM bounced to its handler
 * once, with its virtual TS cleared, as on hardware.
 *
 * Without XSAVE the state is an fxsave image.
 * With XSAVE (xstate.h) the state is switched with XSAVE/XRSTOR of
 * every component a guest may enable, under that full XCR0, and each
 * vCPU then runs under its own XCR0 (3 until its kernel's XSETBV).
 */
#ifndef XYLEM_FPU_H
#define XYLEM_FPU_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* Boot: enable fxsave/SSE for guests (CR4.OSFXSR, OSXMMEXCPT), and
 * XSAVE as above. */
void fpu_init(void);
/* A new vCPU: no state yet (the first is initial), XCR0 = x87 | SSE. */
void fpu_init_vcpu(struct vcpu *v);
/* v is about to run: its state into the CPU, CR0.TS as its virtual TS. */
void fpu_load_vcpu(struct vcpu *v);
/* The idle vCPU is about to run: CR0.TS set, the owner's state stays. */
void fpu_load_idle(void);
/* v goes away: the FPU must not hold its state any more. */
void fpu_forget_vcpu(struct vcpu *v);
/*
 * Give v (not running) the fxsave image (512 bytes) as its FPU state (with
 * XSAVE: x87 and SSE from it, every other component initial): 0, or
 * -XEN_EINVAL if MXCSR sets a bit the CPU lacks (or no FXSR).
 */
int fpu_set_image(struct vcpu *v, const uint8_t *image);
/*
 * The running vCPU v's XSETBV (ecx, edx:eax), emulated: false (a #GP for
 * the guest, XCR0 unchanged) unless xstate.h's checks pass.
 */
bool fpu_xsetbv(struct vcpu *v, uint32_t ecx, uint32_t edx, uint32_t eax);
/* #NM from v: true if handled here (retry), false to bounce it to v. */
bool fpu_device_not_available(struct vcpu *v);
/* Set or clear v's virtual CR0.TS. */
void fpu_set_guest_ts(struct vcpu *v, bool ts);

long do_fpu_taskswitch(uint32_t set, uint32_t a2, uint32_t a3, uint32_t a4,
		       uint32_t a5);

#endif
