/*
 * fpu.c - FPU state switching, XSETBV and fpu_taskswitch.  See fpu.h.
 */
#include "fpu.h"
#include "domain.h"
#include "console.h"
#include "lib.h"
#include "xstate.h"
#include <public/errno.h>
#include "arch/x86_32/x86.h"

static struct vcpu *fpu_owner;
/* The MXCSR bits the CPU supports (fxsave's MXCSR_MASK, 0 = 0xffbf);
 * 0 without FXSR. */
static uint32_t mxcsr_mask;

#define FXSAVE_FCW		0
#define FXSAVE_FSW		2
#define FXSAVE_MXCSR		24
#define FXSAVE_MXCSR_MASK	28
#define FXSAVE_SIZE		512u
#define MXCSR_MASK_DEFAULT	0xffbfu

/*
 * A vCPU's first state: FNINIT's x87 state, MXCSR's reset value, the
 * other registers zero; as an XSAVE area its XSTATE_BV is 0, so XRSTOR
 * puts every component in its initial configuration (MXCSR is still read).
 */
static uint8_t init_image[XSTATE_LEGACY_SIZE] __attribute__((aligned(64)));
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
	static uint8_t image[FXSAVE_SIZE] __attribute__((aligned(16)));

	clts();
	fxsave(image);
	memcpy(&mxcsr_mask, image + FXSAVE_MXCSR_MASK, sizeof(mxcsr_mask));
	if (!mxcsr_mask)
		mxcsr_mask = MXCSR_MASK_DEFAULT;
}

/*
 * AMD (and Hygon) CPUs without RstrFpErrPtrs (CPUID 0x80000008 EBX bit 2)
 * restore the
 * x87 last-instruction and last-operand pointers with fxrstor (and xrstor)
 * only when the image has an exception pending, so a vCPU could read
 * another's.  Before such a restore, these are reset by loading a value,
 * as Xen does.
 */
static bool restore_keeps_pointers;

static void probe_restore_pointers(void)
{
	uint32_t a, b, c, d;

	cpuid_count(0, 0, &a, &b, &c, &d);
	if (!(b == 0x68747541 && d == 0x69746e65 && c == 0x444d4163) &&
	    !(b == 0x6f677948 && d == 0x6e65476e && c == 0x656e6975))
		return;		/* not "AuthenticAMD" or "HygonGenuine" */
	cpuid_count(0x80000000, 0, &a, &b, &c, &d);
	if (a >= 0x80000008)
		cpuid_count(0x80000008, 0, &a, &b, &c, &d);
	else
		b = 0;
	restore_keeps_pointers = !(b & (1u << 2));
	if (restore_keeps_pointers)
		printk(LOG_INFO, "fpu: the CPU's restore keeps the x87 error "
		       "pointers; reset before each restore\n");
}

void fpu_init(void)
{
	uint32_t a, b, c, d;

	cpuid_count(1, 0, &a, &b, &c, &d);
	if (d & (1u << 24)) {	/* FXSR */
		write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
		probe_mxcsr_mask();
		xstate_init(c);
		probe_restore_pointers();
	}
	make_init_image();
	write_cr0(read_cr0() | X86_CR0_MP | X86_CR0_NE);
	stts();
}

void fpu_init_vcpu(struct vcpu *v)
{
	v->fpu_used = false;
	v->xcr0 = XSTATE_INIT;
}

/* An unmasked x87 exception pending in an image (FSW against FCW). */
static bool exception_pending(const uint8_t *image)
{
	uint16_t fcw, fsw;

	memcpy(&fcw, image + FXSAVE_FCW, sizeof(fcw));
	memcpy(&fsw, image + FXSAVE_FSW, sizeof(fsw));
	return fsw & ~fcw & 0x3f;
}

/* The AMD reset above, before restoring image. */
static void reset_x87_pointers(const uint8_t *image)
{
	if (restore_keeps_pointers && !exception_pending(image))
		asm volatile("fnclex\n\t"
			     "ffree %%st(7)\n\t"
			     "fildl %0" : : "m"(*(const uint32_t *)init_image));
}

/*
 * Make v's state the CPU's: save the owner's, load v's (the initial image
 * for a vCPU that has none yet).  With XSAVE, both go through every
 * component a guest may enable, so each one is v's own or initial and
 * nothing of another vCPU's survives, even in a component v's XCR0 leaves
 * off; XCR0 is then v's.
 */
static void switch_state_to(struct vcpu *v)
{
	uint32_t all = xstate_allowed();

	clts();
	if (fpu_owner == v)
		return;
	if (!v->fpu_used) {
		memcpy(v->fpu_area, init_image, sizeof(init_image));
		v->fpu_used = true;
	}
	if (all)
		xstate_load_xcr0(all);
	if (fpu_owner) {
		if (all)
			xsave(fpu_owner->fpu_area, all);
		else
			fxsave(fpu_owner->fpu_area);
	}
	reset_x87_pointers(v->fpu_area);
	if (all) {
		xrstor(v->fpu_area, all);
		xstate_load_xcr0(v->xcr0);
	} else {
		fxrstor(v->fpu_area);
	}
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
	uint64_t bv = XSTATE_INIT;
	uint32_t mxcsr;

	memcpy(&mxcsr, image + FXSAVE_MXCSR, sizeof(mxcsr));
	if (!mxcsr_mask || (mxcsr & ~mxcsr_mask))
		return -XEN_EINVAL;	/* fxrstor would fault on it */
	fpu_forget_vcpu(v);
	memcpy(v->fpu_area, image, FXSAVE_SIZE);
	/* As an XSAVE area: x87 and SSE from the image, the rest initial. */
	memset(v->fpu_area + FXSAVE_SIZE, 0, XSTATE_LEGACY_SIZE - FXSAVE_SIZE);
	memcpy(v->fpu_area + XSTATE_HDR_BV, &bv, sizeof(bv));
	v->fpu_used = true;
	return 0;
}

bool fpu_xsetbv(struct vcpu *v, uint32_t ecx, uint32_t edx, uint32_t eax)
{
	if (!xstate_xsetbv_valid(ecx, edx, eax))
		return false;
	v->xcr0 = eax;		/* v runs, so the CPU holds its state */
	xstate_load_xcr0(eax);
	return true;
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
