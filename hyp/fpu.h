/*
 * fpu.h - lazy FPU/SSE state per vCPU and the fpu_taskswitch hypercall.
 *
 * The hypervisor never uses the FPU.  The CPU's FPU holds the state of
 * one vCPU, the owner; CR0.TS is set whenever another vCPU runs, so its
 * first FPU instruction raises #NM, and only then is the owner's state
 * saved (fxsave) and the new one's restored (or initialised).  A guest's
 * own CR0.TS is virtual: fpu_taskswitch(1) (or "mov to %cr0" / "clts",
 * emulated) sets or clears it; a guest that set it gets its #NM bounced
 * to its handler once, with its virtual TS cleared, as on hardware.
 */
#ifndef XYLEM_FPU_H
#define XYLEM_FPU_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* Boot: enable fxsave/SSE for guests (CR4.OSFXSR, OSXMMEXCPT). */
void fpu_init(void);
/* v is about to run: arm the lazy switch. */
void fpu_load_vcpu(struct vcpu *v);
/* v goes away: the FPU must not hold its state any more. */
void fpu_forget_vcpu(struct vcpu *v);
/*
 * Give v (not running) the fxsave image (512 bytes) as its FPU state:
 * 0, or -XEN_EINVAL if MXCSR sets a bit the CPU lacks (or no FXSR).
 */
int fpu_set_image(struct vcpu *v, const uint8_t *image);
/* #NM from v: true if handled here (retry), false to bounce it to v. */
bool fpu_device_not_available(struct vcpu *v);
/* Set or clear v's virtual CR0.TS. */
void fpu_set_guest_ts(struct vcpu *v, bool ts);

long do_fpu_taskswitch(uint32_t set, uint32_t a2, uint32_t a3, uint32_t a4,
		       uint32_t a5);

#endif
