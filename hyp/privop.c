/*
 * privop.c - emulation of the privileged instructions the PV ABI allows a
 * guest kernel.  See privop.h.
 */
#include "privop.h"
#include "console.h"
#include "debugreg.h"
#include "domain.h"
#include "fpu.h"
#include "guest_access.h"
#include "lib.h"
#include "mm.h"
#include "mmu.h"
#include "physdev.h"
#include "arch/x86_32/x86.h"

/* Register operand n of a ModRM byte, in the frame's layout. */
static uint32_t *frame_reg(struct trap_frame *f, unsigned int n)
{
	uint32_t *regs[8] = { &f->eax, &f->ecx, &f->edx, &f->ebx,
			      &f->esp, &f->ebp, &f->esi, &f->edi };

	return regs[n & 7];
}

static bool read_cr(struct trap_frame *f, unsigned int cr, uint32_t *dst)
{
	struct vcpu *v = current_vcpu();

	switch (cr) {
	case 0:
		*dst = (read_cr0() & ~X86_CR0_TS) |
		       (v->guest_cr0_ts ? X86_CR0_TS : 0);
		return true;
	case 2:
		*dst = v->vcpu_info->arch.cr2;
		return true;
	case 3:
		*dst = v->baseptr_mfn << PAGE_SHIFT;
		return true;
	case 4:
		*dst = read_cr4() & (X86_CR4_PAE | X86_CR4_OSFXSR |
				     X86_CR4_OSXMMEXCPT);
		return true;
	}
	(void)f;
	return false;
}

static bool write_cr(unsigned int cr, uint32_t val)
{
	struct vcpu *v = current_vcpu();

	switch (cr) {
	case 0:
		if ((val ^ read_cr0()) & ~X86_CR0_TS)
			return false;	/* only TS is the guest's */
		fpu_set_guest_ts(v, val & X86_CR0_TS);
		return true;
	case 3:
		return mmu_set_baseptr(v, val >> PAGE_SHIFT) == 0;
	case 4:
		/* As Xen: the guest owns none of CR4; a write changes nothing. */
		if (val != (read_cr4() & (X86_CR4_PAE | X86_CR4_OSFXSR |
					  X86_CR4_OSXMMEXCPT)))
			printk(LOG_DEBUG, "domain %u: CR4 write 0x%x ignored\n",
			       v->domain->domid, val);
		return true;
	}
	return false;
}

/* 0F 20 /r (mov from cr) and 0F 22 /r (mov to cr), register form only. */
static bool mov_cr(struct trap_frame *f, uint8_t op, uint8_t modrm)
{
	unsigned int cr = (modrm >> 3) & 7;
	uint32_t *reg = frame_reg(f, modrm);

	if ((modrm >> 6) != 3)
		return false;
	if (op == 0x20)
		return read_cr(f, cr, reg);
	return write_cr(cr, *reg);
}

/* 0F 21 /r (mov from dr) and 0F 23 /r (mov to dr), register form only. */
static bool mov_dr(struct trap_frame *f, uint8_t op, uint8_t modrm)
{
	unsigned int dr = (modrm >> 3) & 7;
	uint32_t *reg = frame_reg(f, modrm);

	if ((modrm >> 6) != 3)
		return false;
	if (op == 0x21)
		return debugreg_get(current_vcpu(), dr, reg) == 0;
	return debugreg_set(current_vcpu(), dr, *reg) == 0;
}

/*
 * rdmsr (0F 32) / wrmsr (0F 30), as Xen answers a 32-bit PV guest: EFER
 * reads as the CPU's, less the long-mode and SVM bits (so NXE shows when
 * the hypervisor turned NX on), and a write is taken only when it changes
 * nothing - NetBSD writes back what it read with NXE set, before it has a
 * trap table.  Any other MSR, and any change, stays a #GP for the guest,
 * as on Xen for an MSR it does not virtualise.
 */
static uint64_t guest_efer(void)
{
	return rdmsr(MSR_EFER) & ~(EFER_LME | EFER_LMA | EFER_SVME);
}

static bool emulate_msr(struct trap_frame *f, bool write)
{
	uint64_t val;

	if (f->ecx != MSR_EFER)
		return false;
	if (write) {
		if ((((uint64_t)f->edx << 32) | f->eax) != guest_efer())
			return false;
	} else {
		val = guest_efer();
		f->eax = (uint32_t)val;
		f->edx = (uint32_t)(val >> 32);
	}
	f->eip += 2;
	return true;
}

/* The 0F-prefixed instructions: clts, wbinvd, rdmsr/wrmsr of EFER, mov
 * to/from CRn and DRn (ring 1). */
static bool emulate_0f(struct trap_frame *f)
{
	uint8_t insn[3];
	bool done;

	if (frame_ring(f) != 1 || copy_from_guest(insn, f->eip, 2))
		return false;
	switch (insn[1]) {
	case 0x06:		/* clts */
		fpu_set_guest_ts(current_vcpu(), false);
		f->eip += 2;
		return true;
	case 0x30:		/* wrmsr */
	case 0x32:		/* rdmsr */
		return emulate_msr(f, insn[1] == 0x30);
	case 0x09:		/* wbinvd: harmless, real only for Dom0 */
		if (domain_is_privileged(current_domain()))
			asm volatile("wbinvd" : : : "memory");
		f->eip += 2;
		return true;
	case 0x20:
	case 0x22:
		if (copy_from_guest(&insn[2], f->eip + 2, 1))
			return false;
		done = mov_cr(f, insn[1], insn[2]);
		if (done) {
			f->eip += 3;
			mm_flush_if_pending();
		}
		return done;
	case 0x21:
	case 0x23:
		if (copy_from_guest(&insn[2], f->eip + 2, 1) ||
		    !mov_dr(f, insn[1], insn[2]))
			return false;
		f->eip += 3;
		return true;
	}
	return false;
}

/* Prefixes that may precede in/out: operand size, address size, segment
 * overrides (neither of the last two changes what in/out do). */
static bool io_prefix(uint8_t b)
{
	return b == 0x66 || b == 0x67 || b == 0x26 || b == 0x2e ||
	       b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65;
}

/*
 * E4/E5 in imm8, E6/E7 out imm8, EC/ED in dx, EE/EF out dx; even opcodes
 * move a byte, odd ones a dword (a word after 66).  ins/outs (6C-6F) are
 * not emulated.  Runs only when the CPU refused the access, so the ring
 * and the ports are checked here (physdev_port_io).
 */
static bool emulate_io(struct trap_frame *f, uint32_t eip, unsigned int len,
		       bool opsize16, uint8_t op)
{
	uint32_t val, mask, size = (op & 1) ? (opsize16 ? 2 : 4) : 1;
	uint8_t port8;
	uint16_t port;
	bool write = op & 2;

	if (op >= 0xec) {
		port = (uint16_t)f->edx;
	} else {
		if (copy_from_guest(&port8, eip + len, 1))
			return false;
		port = port8;
		len++;
	}
	mask = size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
	val = f->eax & mask;
	if (!physdev_port_io(current_domain(), privop_io_ring(f), port, size,
			     write, &val))
		return false;
	if (!write)
		f->eax = (f->eax & ~mask) | (val & mask);
	f->eip = eip + len;
	return true;
}

unsigned int privop_io_ring(const struct trap_frame *f)
{
	const struct domain *d = current_domain();

	if (frame_ring(f) == 1 &&
	    (d->vm_assist & (1u << VMASST_TYPE_architectural_iopl)))
		return 0;
	return frame_ring(f);
}

/* cli / sti: the event upcall mask, for a ring the virtual IOPL admits. */
static bool emulate_cli_sti(struct trap_frame *f, uint8_t op)
{
	struct domain *d = current_domain();

	if (privop_io_ring(f) > d->io.iopl)
		return false;
	current_vcpu()->vcpu_info->evtchn_upcall_mask = op == 0xfa;
	f->eip += 1;
	return true;
}

bool privop_emulate(struct trap_frame *f)
{
	bool opsize16 = false;
	unsigned int len;
	uint8_t b = 0;

	if (f->error_code != 0)
		return false;
	/* At most 13 prefixes: opcode and imm8 keep it within 15 bytes. */
	for (len = 0; len < 14; len++) {
		if (copy_from_guest(&b, f->eip + len, 1))
			return false;
		if (!io_prefix(b))
			break;
		opsize16 |= b == 0x66;
	}
	if (len == 0 && b == 0x0f)
		return emulate_0f(f);
	if (len == 0 && (b == 0xfa || b == 0xfb))
		return emulate_cli_sti(f, b);
	if ((b >= 0xe4 && b <= 0xe7) || (b >= 0xec && b <= 0xef))
		return emulate_io(f, f->eip, len + 1, opsize16, b);
	return false;
}
