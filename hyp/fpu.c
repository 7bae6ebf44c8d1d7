/*
 * fpu.c - FPU state switching, XSAVE and fpu_taskswitch.  See fpu.h.
 */
#include "fpu.h"
#include "domain.h"
#include "console.h"
#include "lib.h"
#include <public/errno.h>
#include "arch/x86_32/x86.h"

static struct vcpu *fpu_owner;
/* The MXCSR bits the CPU supports (fxsave's MXCSR_MASK, 0 = 0xffbf);
 * 0 without FXSR. */
static uint32_t mxcsr_mask;

#define FXSAVE_FCW		0
#define FXSAVE_MXCSR		24
#define FXSAVE_MXCSR_MASK	28
#define MXCSR_MASK_DEFAULT	0xffbfu
#define XCR0_GUEST		0x3u	/* x87, SSE */

/* A vCPU's first state: FNINIT's x87 state, MXCSR's reset value, the
 * other registers zero. */
static uint8_t init_image[512] __attribute__((aligned(16)));
#define FCW_INIT		0x037fu
#define MXCSR_INIT		0x1f80u

static void make_init_image(void)
{
	uint16_t fcw = FCW_INIT;
	uint32_t mxcsr = MXCSR_INIT;

	memcpy(init_image + FXSAVE_FCW, &fcw, sizeof(fcw));
	memcpy(init_image + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
}

static void probe_mxcsr_mask(void)
{
	static uint8_t image[512] __attribute__((aligned(16)));

	clts();
	fxsave(image);
	memcpy(&mxcsr_mask, image + FXSAVE_MXCSR_MASK, sizeof(mxcsr_mask));
	if (!mxcsr_mask)
		mxcsr_mask = MXCSR_MASK_DEFAULT;
}

/*
 * Where the CPU has XSAVE, turn it on with XCR0 = x87 | SSE, as Xen's
 * guests start: a guest's CPUID instruction is not intercepted (no CPUID
 * faulting under TCG), so a kernel may see XSAVE there and use XSAVEOPT
 * (Debian's GNU Mach does).  With only these two components, all the
 * state is what fxsave switches.
 */
static void enable_xsave(uint32_t leaf1_ecx)
{
	uint32_t a, b, c, d;

	if (!(leaf1_ecx & (1u << 26)))	/* XSAVE */
		return;
	cpuid_count(0xd, 0, &a, &b, &c, &d);
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);
	write_xcr0(a & XCR0_GUEST);
	printk(LOG_INFO, "fpu: XSAVE on, XCR0 0x%x (x87, SSE)\n",
	       (uint32_t)read_xcr0());
}

void fpu_init(void)
{
	uint32_t a, b, c, d;

	cpuid_count(1, 0, &a, &b, &c, &d);
	if (d & (1u << 24)) {	/* FXSR */
		write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
		probe_mxcsr_mask();
		enable_xsave(c);
	}
	make_init_image();
	write_cr0(read_cr0() | X86_CR0_MP | X86_CR0_NE);
	stts();
}

/*
 * Make v's state the CPU's: save the owner's, load v's (the initial image
 * for a vCPU that has none yet).  Every register is overwritten, so
 * nothing of another vCPU's state survives into v's.
 */
static void switch_state_to(struct vcpu *v)
{
	clts();
	if (fpu_owner == v)
		return;
	if (fpu_owner)
		fxsave(fpu_owner->fpu_area);
	if (!v->fpu_used) {
		memcpy(v->fpu_area, init_image, sizeof(v->fpu_area));
		v->fpu_used = true;
	}
	fxrstor(v->fpu_area);
	fpu_owner = v;
}

void fpu_load_vcpu(struct vcpu *v)
{
	switch_state_to(v);
	if (v->guest_cr0_ts)
		stts();
}

void fpu_load_idle(void)
{
	stts();
}

void fpu_forget_vcpu(struct vcpu *v)
{
	if (fpu_owner == v) {
		fpu_owner = 0;
		stts();
	}
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
