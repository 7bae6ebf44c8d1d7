/*
 * fpu.c - lazy FPU state switching and fpu_taskswitch.  See fpu.h.
 */
#include "fpu.h"
#include "domain.h"
#include "lib.h"
#include <public/errno.h>
#include "arch/x86_32/x86.h"

static struct vcpu *fpu_owner;
/* The MXCSR bits the CPU supports (fxsave's MXCSR_MASK, 0 = 0xffbf);
 * 0 without FXSR. */
static uint32_t mxcsr_mask;

#define FXSAVE_MXCSR		24
#define FXSAVE_MXCSR_MASK	28
#define MXCSR_MASK_DEFAULT	0xffbfu

static void probe_mxcsr_mask(void)
{
	static uint8_t image[512] __attribute__((aligned(16)));

	clts();
	fxsave(image);
	memcpy(&mxcsr_mask, image + FXSAVE_MXCSR_MASK, sizeof(mxcsr_mask));
	if (!mxcsr_mask)
		mxcsr_mask = MXCSR_MASK_DEFAULT;
}

void fpu_init(void)
{
	uint32_t a, b, c, d;

	cpuid_count(1, 0, &a, &b, &c, &d);
	if (d & (1u << 24)) {	/* FXSR */
		write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
		probe_mxcsr_mask();
	}
	write_cr0(read_cr0() | X86_CR0_MP | X86_CR0_NE);
	stts();
}

void fpu_load_vcpu(struct vcpu *v)
{
	if (fpu_owner == v && !v->guest_cr0_ts)
		clts();
	else
		stts();
}

void fpu_forget_vcpu(struct vcpu *v)
{
	if (fpu_owner == v) {
		fpu_owner = 0;
		stts();
	}
}

static void switch_state_to(struct vcpu *v)
{
	clts();
	if (fpu_owner == v)
		return;
	if (fpu_owner)
		fxsave(fpu_owner->fpu_area);
	if (v->fpu_used) {
		fxrstor(v->fpu_area);
	} else {
		fninit();
		v->fpu_used = true;
	}
	fpu_owner = v;
}

int fpu_set_image(struct vcpu *v, const uint8_t *image)
{
	uint32_t mxcsr;

	memcpy(&mxcsr, image + FXSAVE_MXCSR, sizeof(mxcsr));
	if (!mxcsr_mask || (mxcsr & ~mxcsr_mask))
		return -XEN_EINVAL;	/* fxrstor would fault on it */
	fpu_forget_vcpu(v);
	memcpy(v->fpu_area, image, sizeof(v->fpu_area));
	v->fpu_used = true;
	return 0;
}

bool fpu_device_not_available(struct vcpu *v)
{
	switch_state_to(v);
	if (!v->guest_cr0_ts)
		return true;
	/* The guest set its TS: this #NM is its own.  Deliver it and clear
	 * the virtual TS, as the guest's handler would with clts. */
	v->guest_cr0_ts = false;
	return false;
}

void fpu_set_guest_ts(struct vcpu *v, bool ts)
{
	v->guest_cr0_ts = ts;
	fpu_load_vcpu(v);
}

long do_fpu_taskswitch(uint32_t set, uint32_t a2, uint32_t a3, uint32_t a4,
		       uint32_t a5)
{
	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	fpu_set_guest_ts(current_vcpu(), set != 0);
	return 0;
}
