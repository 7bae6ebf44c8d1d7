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
#define FXSAVE_FSW		2
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
 * state is what fxsave switches.  Left off when leaf 0xD does not offer
 * both.
 */
static void enable_xsave(uint32_t leaf1_ecx)
{
	uint32_t max, a, b, c, d;

	if (!(leaf1_ecx & (1u << 26)))	/* XSAVE */
		return;
	cpuid_count(0, 0, &max, &b, &c, &d);
	a = 0;
	if (max >= 0xd)
		cpuid_count(0xd, 0, &a, &b, &c, &d);
	if ((a & XCR0_GUEST) != XCR0_GUEST) {
		printk(LOG_WARN, "fpu: XSAVE left off: CPUID 0xD offers "
		       "components 0x%x, not x87 and SSE\n", a);
		return;
	}
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);
	write_xcr0(XCR0_GUEST);
	printk(LOG_INFO, "fpu: XSAVE on, XCR0 0x%x (x87, SSE)\n",
	       (uint32_t)read_xcr0());
}

/*
 * AMD CPUs without RstrFpErrPtrs (CPUID 0x80000008 EBX bit 2) restore the
 * x87 last-instruction and last-operand pointers with fxrstor only when
 * the image has an exception pending, so a vCPU could read another's.
 * Before such a restore, these are reset by loading a value, as Xen does.
 */
static bool fxrstor_keeps_pointers;

static void probe_fxrstor_pointers(void)
{
	uint32_t a, b, c, d;

	cpuid_count(0, 0, &a, &b, &c, &d);
	if (b != 0x68747541 || d != 0x69746e65 || c != 0x444d4163)
		return;		/* not "AuthenticAMD" */
	cpuid_count(0x80000000, 0, &a, &b, &c, &d);
	if (a >= 0x80000008)
		cpuid_count(0x80000008, 0, &a, &b, &c, &d);
	else
		b = 0;
	fxrstor_keeps_pointers = !(b & (1u << 2));
	if (fxrstor_keeps_pointers)
		printk(LOG_INFO, "fpu: fxrstor keeps the x87 error pointers "
		       "here; reset before each restore\n");
}

void fpu_init(void)
{
	uint32_t a, b, c, d;

	cpuid_count(1, 0, &a, &b, &c, &d);
	if (d & (1u << 24)) {	/* FXSR */
		write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
		probe_mxcsr_mask();
		enable_xsave(c);
		probe_fxrstor_pointers();
	}
	make_init_image();
	write_cr0(read_cr0() | X86_CR0_MP | X86_CR0_NE);
	stts();
}

/* An unmasked x87 exception pending in an fxsave image (FSW vs FCW). */
static bool exception_pending(const uint8_t *image)
{
	uint16_t fcw, fsw;

	memcpy(&fcw, image + FXSAVE_FCW, sizeof(fcw));
	memcpy(&fsw, image + FXSAVE_FSW, sizeof(fsw));
	return fsw & ~fcw & 0x3f;
}

/*
 * Make v's state the CPU's: save the owner's, load v's (the initial image
 * for a vCPU that has none yet).  Every register is overwritten (the x87
 * pointers too, above), so nothing of another vCPU's state survives into
 * v's.
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
	if (fxrstor_keeps_pointers && !exception_pending(v->fpu_area))
		asm volatile("fnclex\n\t"
			     "ffree %%st(7)\n\t"
			     "fildl %0" : : "m"(*(const uint32_t *)init_image));
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
