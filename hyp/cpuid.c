/*
 * cpuid.c - filtered CPUID and the forced-emulation prefix.  See cpuid.h.
 */
#include "cpuid.h"
#include "guest_access.h"
#include "lib.h"
#include "arch/x86_32/x86.h"

#define XEN_CPUID_BASE	0x40000000u

/* Leaf 1 %ecx / %edx bits a PV guest must not see. */
#define HIDE_1_ECX	((1u << 3) /* MONITOR */ | (1u << 5) /* VMX */ |  \
			 (1u << 6) /* SMX */ | (1u << 7) /* EST */ |       \
			 (1u << 8) /* TM2 */ | (1u << 15) /* PDCM */ |     \
			 (1u << 21) /* x2APIC */ | (1u << 24) /* TSC deadline */ | \
			 XSAVE_FEATURES_1_ECX)
/*
 * This filtered view offers no XSAVE (leaf 0xD is empty, the emulated CR4
 * read shows no OSXSAVE): XSAVE, OSXSAVE and what needs them (AVX, FMA,
 * F16C; AVX2 and AVX-512 in leaf 7) are hidden, as Xen hides a feature's
 * dependants with it, so kernels that read it (Linux) keep to FXSAVE.
 * Kernels that read the plain CPUID get XSAVE as the CPU has it, with
 * their own XCR0 (xstate.h).
 */
#define XSAVE_FEATURES_1_ECX	((1u << 12) /* FMA */ | (1u << 26) /* XSAVE */ | \
				 (1u << 27) /* OSXSAVE */ | (1u << 28) /* AVX */ | \
				 (1u << 29) /* F16C */)
#define XSAVE_FEATURES_7_EBX	((1u << 5) /* AVX2 */ | (1u << 16) /* AVX512F */)
#define HIDE_1_EDX	((1u << 1) /* VME */ | (1u << 3) /* PSE */ |      \
			 (1u << 7) /* MCE */ | (1u << 13) /* PGE */ |      \
			 (1u << 12) /* MTRR */ | (1u << 14) /* MCA */ |    \
			 (1u << 17) /* PSE36 */ | (1u << 21) /* DS */ |    \
			 (1u << 22) /* ACPI */ | (1u << 29) /* TM */ |     \
			 (1u << 31) /* PBE */)

static void xen_leaves(uint32_t leaf, struct cpuid_regs *r)
{
	switch (leaf - XEN_CPUID_BASE) {
	case 0:
		r->a = XEN_CPUID_BASE + 2;
		r->b = 0x566e6558;	/* "XenV" */
		r->c = 0x65584d4d;	/* "MMXe" */
		r->d = 0x4d4d566e;	/* "nVMM" */
		break;
	case 1:
		r->a = (4 << 16) | 0;	/* version 4.0, as XENVER_version */
		break;
	case 2:
		r->a = 1;		/* one hypercall page */
		r->b = XEN_CPUID_BASE;	/* its MSR (unused by PV guests) */
		break;
	}
}

void cpu_signature(struct cpu_signature *s)
{
	uint32_t max_leaf, a, b, c, d;

	cpuid_count(0, 0, &max_leaf, &b, &c, &d);
	memcpy(s->vendor, &b, 4);
	memcpy(s->vendor + 4, &d, 4);
	memcpy(s->vendor + 8, &c, 4);
	s->family = s->model = s->stepping = 0;
	if (max_leaf < 1)
		return;
	cpuid_count(1, 0, &a, &b, &c, &d);
	s->family = (a >> 8) & 0xf;
	if (s->family == 0xf)
		s->family += (a >> 20) & 0xff;
	s->model = (a >> 4) & 0xf;
	if (s->family >= 6)
		s->model |= (a >> 12) & 0xf0;
	s->stepping = a & 0xf;
}

void cpuid_guest(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
	*r = (struct cpuid_regs){ 0, 0, 0, 0 };
	if (leaf >= XEN_CPUID_BASE && leaf < XEN_CPUID_BASE + 0x100) {
		xen_leaves(leaf, r);
		return;
	}
	cpuid_count(leaf, subleaf, &r->a, &r->b, &r->c, &r->d);
	switch (leaf) {
	case 1:
		r->c = (r->c & ~HIDE_1_ECX) | (1u << 31);	/* hypervisor */
		r->d &= ~HIDE_1_EDX;
		r->b &= 0x0000ffff;	/* no APIC id / logical count */
		break;
	case 7:
		if (subleaf == 0) {
			r->b &= ~((1u << 7) /* SMEP */ | (1u << 20) /* SMAP */ |
				  (1u << 1) /* TSC_ADJUST */ |
				  XSAVE_FEATURES_7_EBX);
			r->c &= ~(1u << 2);	/* UMIP */
		}
		break;
	case 0xb:
	case 0xd:
		*r = (struct cpuid_regs){ 0, 0, 0, 0 };
		break;
	}
}

bool cpuid_try_forced_emulation(struct trap_frame *f)
{
	static const uint8_t sig[7] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };
	uint8_t insn[7];
	struct cpuid_regs r;

	if (copy_from_guest(insn, f->eip, sizeof(insn)) ||
	    memcmp(insn, sig, sizeof(sig)))
		return false;
	cpuid_guest(f->eax, f->ecx, &r);
	f->eax = r.a;
	f->ebx = r.b;
	f->ecx = r.c;
	f->edx = r.d;
	f->eip += sizeof(sig);
	return true;
}
