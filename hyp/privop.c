/*
 * privop.c - emulation of the privileged instructions the PV ABI allows a
 * guest kernel.  See privop.h.
 */
#include "privop.h"
#include "console.h"
#include "cpuid.h"
#include "debugreg.h"
#include "domain.h"
#include "fpu.h"
#include "gdt.h"
#include "guest_access.h"
#include "lib.h"
#include "mm.h"
#include "mmu.h"
#include "physdev.h"
#include "segdesc.h"
#include "traps.h"
#include "arch/x86_32/x86.h"

/* Register operand n of a ModRM byte, in the frame's layout. */
static uint32_t *frame_reg(struct trap_frame *f, unsigned int n)
{
	uint32_t *regs[8] = { &f->eax, &f->ecx, &f->edx, &f->ebx,
			      &f->esp, &f->ebp, &f->esi, &f->edi };

	return regs[n & 7];
}

/* The hypervisor's CR4 bits a guest sees (not PGE: Linux must not use it). */
static uint32_t host_cr4_shown(void)
{
	return read_cr4() & (X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
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
		*dst = host_cr4_shown() | (v->guest_cr4_de ? X86_CR4_DE : 0) |
		       (v->guest_cr4_tsd ? X86_CR4_TSD : 0);
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
		/*
		 * As Xen: the guest owns DE (virtual: it allows I/O
		 * breakpoints) and TSD (real: rdtsc then faults outside ring
		 * 0, and the kernel's is emulated); a write to any other bit
		 * changes nothing.
		 */
		v->guest_cr4_de = val & X86_CR4_DE;
		v->guest_cr4_tsd = val & X86_CR4_TSD;
		privop_load_vcpu(v);
		if ((val & ~(X86_CR4_DE | X86_CR4_TSD)) != host_cr4_shown())
			printk(LOG_DEBUG, "domain %u: CR4 write 0x%x: only DE "
			       "and TSD taken\n", v->domain->domid, val);
		return true;
	}
	return false;
}

void privop_load_vcpu(const struct vcpu *v)
{
	uint32_t cr4 = read_cr4(), want = v->guest_cr4_tsd ?
		cr4 | X86_CR4_TSD : cr4 & ~X86_CR4_TSD;

	if (want != cr4)
		write_cr4(want);
}

/*
 * rdtsc (0F 31) and rdtscp (0F 01 F9) from the guest kernel while its
 * CR4.TSD makes them fault: done for it, as Xen does.  From ring 3 they
 * stay the guest's #GP.
 */
static bool emulate_rdtsc(struct trap_frame *f, bool rdtscp)
{
	uint64_t tsc;

	if (!current_vcpu()->guest_cr4_tsd)
		return false;
	tsc = rdtsc();
	if (rdtscp)
		f->ecx = (uint32_t)rdmsr(MSR_TSC_AUX);
	f->eax = (uint32_t)tsc;
	f->edx = (uint32_t)(tsc >> 32);
	f->eip += rdtscp ? 3 : 2;
	return true;
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
 * The MSRs a guest may read, each read from the CPU once, at boot: a
 * guest's rdmsr never makes the hypervisor touch an MSR (one the CPU
 * lacks would fault in ring 0), and none of them changes afterwards.
 */
static struct {
	bool efer, pat, ucode, ucode_write0, misc_enable;
	uint64_t efer_val, pat_val, ucode_val, misc_enable_val;
} msrs;

/* MISC_ENABLE bits as Xen shows them to a PV guest: no performance
 * monitoring, BTS or PEBS, no MONITOR/MWAIT, xTPR messages off. */
#define MISC_ENABLE_PERF_AVAIL		(1ull << 7)
#define MISC_ENABLE_BTS_UNAVAIL		(1ull << 11)
#define MISC_ENABLE_PEBS_UNAVAIL	(1ull << 12)
#define MISC_ENABLE_MONITOR		(1ull << 18)
#define MISC_ENABLE_XTPR_DISABLE	(1ull << 23)

/* 'I' (GenuineIntel), 'A' (AuthenticAMD) or 0, and the signature. */
static char cpu_vendor(struct cpu_signature *sig)
{
	cpu_signature(sig);
	if (!memcmp(sig->vendor, "GenuineIntel", sizeof(sig->vendor)))
		return 'I';
	return memcmp(sig->vendor, "AuthenticAMD", sizeof(sig->vendor)) ? 0 : 'A';
}

/* EFER exists where CPUID 0x80000001 shows NX, long mode or SYSCALL. */
static bool cpu_has_efer(void)
{
	uint32_t a, b, c, d;

	cpuid_count(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x80000001)
		return false;
	cpuid_count(0x80000001, 0, &a, &b, &c, &d);
	return d & ((1u << 20) | (1u << 29) | (1u << 11));
}

/* Load Xen's PAT and keep what the CPU then holds. */
static void init_pat(void)
{
	uint32_t a, b, c, d;

	cpuid_count(1, 0, &a, &b, &c, &d);
	if (!(d & (1u << 16))) {
		printk(LOG_WARN, "PAT: the CPU has none; guests' PAT reads #GP\n");
		return;
	}
	wrmsr(MSR_PAT, PRIVOP_PAT);
	msrs.pat = true;
	msrs.pat_val = rdmsr(MSR_PAT);
	printk(LOG_INFO, "PAT: 0x%08x%08x (WB WT UC- UC WC WP UC UC, as Xen)\n",
	       (uint32_t)(msrs.pat_val >> 32), (uint32_t)msrs.pat_val);
}

/* Intel's MISC_ENABLE (0x1A0): family 6 from model 0xD on (the limit of
 * Linux's early_init_intel()) and family 0xF on. */
static void init_misc_enable(char vendor, unsigned int family,
			     unsigned int model)
{
	if (vendor != 'I' || family < 6 || (family == 6 && model < 0xd))
		return;
	msrs.misc_enable = true;
	msrs.misc_enable_val = (rdmsr(MSR_MISC_ENABLE) &
				~(MISC_ENABLE_PERF_AVAIL | MISC_ENABLE_MONITOR)) |
			       MISC_ENABLE_BTS_UNAVAIL |
			       MISC_ENABLE_PEBS_UNAVAIL |
			       MISC_ENABLE_XTPR_DISABLE;
}

void privop_init(void)
{
	struct cpu_signature sig;
	char vendor = cpu_vendor(&sig);
	unsigned int family = sig.family;

	if (cpu_has_efer()) {
		msrs.efer = true;
		msrs.efer_val = rdmsr(MSR_EFER) &
				~(EFER_LME | EFER_LMA | EFER_SVME);
	}
	init_pat();
	/* 0x8B: Intel from the P6 on, AMD from family 0x10 on. */
	msrs.ucode_write0 = vendor == 'I' && family >= 6;
	msrs.ucode = msrs.ucode_write0 || (vendor == 'A' && family >= 0x10);
	if (msrs.ucode)
		msrs.ucode_val = rdmsr(MSR_UCODE_REV);
	init_misc_enable(vendor, family, sig.model);
}

/*
 * rdmsr (0F 32) / wrmsr (0F 30), as Xen answers a 32-bit PV guest:
 * - EFER reads as the CPU's, less the long-mode and SVM bits (so NXE
 *   shows when the hypervisor turned NX on);
 * - the PAT reads as the CPU's, which privop_init() set to Xen's layout:
 *   part of the PV ABI, since a guest's L1 entries select its entries
 *   (Linux builds its cache-mode tables from this read);
 * - the microcode revision (0x8B, Intel's UCODE_REV and AMD's PATCHLEVEL)
 *   reads as the CPU's where the CPU has it (Xen reads it "safely"; no
 *   fault fixups here, so the family says).  Intel documents writing 0
 *   to it before the read (Linux does, with the unguarded instruction):
 *   on Intel that write is accepted and does nothing, as on Xen;
 * - Intel's MISC_ENABLE (0x1A0; family 6 from model 0xD, and later
 *   families) reads as the
 *   CPU's with performance monitoring, BTS, PEBS and MONITOR/MWAIT shown
 *   off and xTPR messages disabled (Xen's guest view: Linux takes its
 *   fast-string setting from here), and a write of any value is accepted
 *   and dropped, as Xen drops it;
 * - DEBUGCTL (0x1D9) reads as 0: no last-branch records or branch
 *   single-step for guests (XTF's debug-regs test reads it unguarded and
 *   expects 0); writing 0 is accepted, anything else is a #GP.
 * A write to EFER, the PAT or DEBUGCTL is taken only when it changes nothing -
 * NetBSD writes EFER back with NXE set, before it has a trap table.  Any
 * other MSR, one the CPU lacks, and any other write, stays a #GP for the
 * guest, as on Xen for an MSR it does not virtualise.
 */
static bool guest_msr(uint32_t msr, uint64_t *val)
{
	switch (msr) {
	case MSR_EFER:
		*val = msrs.efer_val;
		return msrs.efer;
	case MSR_PAT:
		*val = msrs.pat_val;
		return msrs.pat;
	case MSR_UCODE_REV:
		*val = msrs.ucode_val;
		return msrs.ucode;
	case MSR_MISC_ENABLE:
		*val = msrs.misc_enable_val;
		return msrs.misc_enable;
	case MSR_DEBUGCTL:
		*val = 0;
		return true;
	default:
		return false;
	}
}

static bool write_accepted(uint32_t msr, uint64_t new, uint64_t cur)
{
	if (msr == MSR_UCODE_REV)
		return msrs.ucode_write0 && new == 0;
	if (msr == MSR_MISC_ENABLE)
		return true;		/* dropped */
	return new == cur;
}

static bool emulate_msr(struct trap_frame *f, bool write)
{
	uint64_t val;

	if (!guest_msr(f->ecx, &val))
		return false;
	if (write) {
		if (!write_accepted(f->ecx, ((uint64_t)f->edx << 32) | f->eax,
				    val))
			return false;
	} else {
		f->eax = (uint32_t)val;
		f->edx = (uint32_t)(val >> 32);
	}
	f->eip += 2;
	return true;
}

/* The 0F-prefixed instructions: clts, wbinvd, rdmsr/wrmsr (guest_msr's
 * list), rdtsc/rdtscp (under the guest's TSD), xsetbv, mov to/from CRn
 * and DRn (ring 1). */
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
	case 0x31:		/* rdtsc */
		return emulate_rdtsc(f, false);
	case 0x01:		/* rdtscp is 0F 01 F9, xsetbv 0F 01 D1 */
		if (copy_from_guest(&insn[2], f->eip + 2, 1))
			return false;
		if (insn[2] == 0xd1) {
			if (!fpu_xsetbv(current_vcpu(), f->ecx, f->edx, f->eax))
				return false;
			f->eip += 3;
			return true;
		}
		return insn[2] == 0xf9 && emulate_rdtsc(f, true);
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
		if (copy_from_guest(&insn[2], f->eip + 2, 1))
			return false;
		if ((insn[2] & 0x30) == 0x20 && current_vcpu()->guest_cr4_de) {
			/* DR4/DR5 with CR4.DE: #UD, as on the CPU */
			traps_guest_exception(f, X86_EXC_UD);
			return true;
		}
		if (!mov_dr(f, insn[1], insn[2]))
			return false;
		f->eip += 3;
		return true;
	}
	return false;
}

/* The DR6 bits of I/O breakpoints the emulated instruction hit, and
 * whether a rep string instruction stopped early for the #DB they or a
 * single step raise (as the CPU, after the element that raised it). */
static uint32_t bp_status;
static bool db_stop;

/*
 * The prefixes an I/O instruction may carry: operand size, address size,
 * rep (F3, or F2, which ins/outs take as rep too) and segment overrides
 * (the last one counts; only outs uses it, for its source).
 */
struct io_prefixes {
	bool opsize16, addr16, rep;
	uint8_t seg;		/* the override prefix byte, or 0 */
};

static bool io_prefix(uint8_t b, struct io_prefixes *p)
{
	switch (b) {
	case 0x66: p->opsize16 = true; return true;
	case 0x67: p->addr16 = true; return true;
	case 0xf2: case 0xf3: p->rep = true; return true;
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
		p->seg = b;
		return true;
	}
	return false;
}

/*
 * E4/E5 in imm8, E6/E7 out imm8, EC/ED in dx, EE/EF out dx; even opcodes
 * move a byte, odd ones a dword (a word after 66).  Runs only when the
 * CPU refused the access, so the ring and the ports are checked here
 * (physdev_port_io).
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
	if (!physdev_port_io(current_vcpu(), privop_io_ring(f), port, size,
			     write, &val))
		return false;
	bp_status |= debugreg_io_match(current_vcpu(), port, size);
	if (!write)
		f->eax = (f->eax & ~mask) | (val & mask);
	f->eip = eip + len;
	return true;
}

/*
 * The selector a string instruction's memory operand goes through: ES for
 * ins (no override), DS or the override for outs.
 */
static uint32_t string_io_selector(const struct trap_frame *f,
				   const struct io_prefixes *p, bool outs)
{
	if (!outs)
		return f->es;
	switch (p->seg) {
	case 0x26: return f->es;
	case 0x2e: return f->cs;
	case 0x36: return f->ss;
	case 0x64: return f->fs;
	case 0x65: return f->gs;
	default: return f->ds;
	}
}

/*
 * Is sel a flat segment (base 0) the operand may use: a present data
 * segment, expand-up and writable for ins; for outs also a readable code
 * segment?  The reserved flat selectors are; a guest descriptor is looked
 * up in the running vCPU's GDT or LDT window.  Limits need no check:
 * every guest segment ends below the hypervisor's area, and
 * string_io_memory() refuses that area.
 */
static bool flat_segment(uint32_t sel, bool write)
{
	const uint64_t *slot;
	uint64_t d;

	sel &= 0xfffc;
	if (sel == (FLAT_RING1_DS & 0xfffc) || sel == (FLAT_RING3_DS & 0xfffc))
		return true;
	if (sel == (FLAT_RING1_CS & 0xfffc) || sel == (FLAT_RING3_CS & 0xfffc))
		return !write;
	slot = gdt_desc_slot(current_vcpu(), sel);
	if (!slot)
		return false;
	d = *slot;
	if (!(d & SEGDESC_P) || !(d & SEGDESC_S) || segdesc_base(d) != 0)
		return false;
	if (d & SEGDESC_TYPE_CODE)
		return !write && (d & SEGDESC_TYPE_RW);
	return !(d & SEGDESC_TYPE_EC) && (!write || (d & SEGDESC_TYPE_RW));
}

static bool byte_usable(uint32_t va, bool write)
{
	uint8_t b;

	if (copy_from_guest(&b, va, 1))
		return false;
	return !write || !copy_to_guest(va, &b, 1);
}

/*
 * For ring 3: may it access [va, va + size) (at most two pages)?  If not,
 * the fault's address (the first byte's page or the next) goes to *addr
 * and its error code to *ec.
 */
static bool user_denied(uint32_t va, uint32_t size, bool write,
			uint32_t *addr, uint32_t *ec)
{
	uint32_t last = va + size - 1;

	*addr = va;
	*ec = mmu_user_fault(current_vcpu(), va, write);
	if (!*ec && (last & PAGE_MASK) != (va & PAGE_MASK)) {
		*addr = last & PAGE_MASK;
		*ec = mmu_user_fault(current_vcpu(), last, write);
	}
	return *ec != 0;
}

/*
 * The memory side of one element: for outs, read size bytes at va into
 * *val; for ins, check that they can be written, by writing back what is
 * there, before the port is read, so that a fault loses no device data
 * (into device memory that write-back is a real write: ins to MMIO is not
 * a supported use).  For ring 3 (user) the pages must also be user pages,
 * writable for ins, as the CPU would check.  0 when done; -1 when the
 * bytes reach the hypervisor's area (beyond every guest segment: a #GP);
 * 1 when a page fault is due, its address (the first byte's page or the
 * next) in *addr and its error code in *ec.
 */
static int string_io_memory(uint32_t va, uint32_t size, bool outs, bool user,
			    uint32_t *val, uint32_t *addr, uint32_t *ec)
{
	uint32_t old;

	if (va > HYPERVISOR_VIRT_START - size)
		return -1;
	if (user && user_denied(va, size, !outs, addr, ec))
		return 1;
	if (outs ? !copy_from_guest(val, va, size)
		 : !copy_from_guest(&old, va, size) &&
		   !copy_to_guest(va, &old, size))
		return 0;
	*addr = byte_usable(va, !outs) ? (va | ~PAGE_MASK) + 1 : va;
	*ec = (outs ? 0 : PFEC_WRITE) | (user ? PFEC_USER : 0) |
	      (byte_usable(*addr, false) ? PFEC_PRESENT : 0);
	return 1;
}

/* Elements moved per trap: a longer rep re-executes for the rest. */
#define STRING_IO_BATCH	1024

/*
 * ins (6C byte, 6D word/dword) and outs (6E, 6F), with or without rep,
 * from ring 1 or ring 3 (whose memory operand must then be on user pages,
 * writable for ins: user_denied).  Each element goes between the
 * port (physdev_port_io, which decides as for in/out) and memory through
 * guest_access; [E]DI / [E]SI step by the element size, down when
 * EFLAGS.DF is set, 16-bit under 67 (so is the count in [E]CX).  The
 * memory operand's segment must be flat (flat_segment), else #GP.
 * A memory fault becomes the guest's #PF at the element that took it,
 * with the registers counting the elements done, as the CPU leaves them;
 * the guest fixes its mapping and the instruction resumes.
 */
static bool emulate_string_io(struct trap_frame *f, unsigned int len,
			      const struct io_prefixes *p, uint8_t op)
{
	bool outs = op & 2;
	uint32_t size = (op & 1) ? (p->opsize16 ? 2 : 4) : 1;
	uint32_t amask = p->addr16 ? 0xffffu : 0xffffffffu;
	uint32_t *ptr = outs ? &f->esi : &f->edi;
	uint32_t count = p->rep ? (f->ecx & amask) : 1;
	uint32_t step = (f->eflags & X86_EFLAGS_DF) ? -size : size;
	uint32_t done, val = 0, addr, ec;
	int rc;

	/* As the CPU: the I/O permission check comes before any memory. */
	if (frame_ring(f) == 2 ||
	    (count && !physdev_io_admitted(current_vcpu(), privop_io_ring(f),
					   (uint16_t)f->edx, size)) ||
	    !flat_segment(string_io_selector(f, p, outs), !outs))
		return false;
	for (done = 0; done < count && done < STRING_IO_BATCH; done++) {
		rc = string_io_memory(*ptr & amask, size, outs,
				      frame_ring(f) == 3, &val, &addr, &ec);
		if (rc < 0)
			return false;
		if (rc > 0) {
			traps_guest_page_fault(f, addr, ec);
			return true;
		}
		if (!physdev_port_io(current_vcpu(), privop_io_ring(f),
				     (uint16_t)f->edx, size, outs, &val))
			return false;
		bp_status |= debugreg_io_match(current_vcpu(),
					       (uint16_t)f->edx, size);
		if (!outs && copy_to_guest(*ptr & amask, &val, size))
			return false;	/* was writable a moment ago */
		*ptr = (*ptr & ~amask) | ((*ptr + step) & amask);
		if (p->rep)
			f->ecx = (f->ecx & ~amask) | ((f->ecx - 1) & amask);
		if (bp_status || (f->eflags & X86_EFLAGS_TF)) {
			db_stop = true;		/* #DB after this element */
			done++;
			break;
		}
	}
	if (done == count)
		f->eip += len;
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
	struct vcpu *v = current_vcpu();

	if (privop_io_ring(f) > v->iopl)
		return false;
	v->vcpu_info->evtchn_upcall_mask = op == 0xfa;
	f->eip += 1;
	return true;
}

static bool emulate(struct trap_frame *f)
{
	struct io_prefixes p = { 0 };
	unsigned int len;
	uint8_t b = 0;

	/* Decoding reads the bytes at EIP as a linear address. */
	if (f->error_code != 0 || !gdt_code_base_zero(current_vcpu(), f->cs))
		return false;
	/* At most 13 prefixes: opcode and imm8 keep it within 15 bytes. */
	for (len = 0; len < 14; len++) {
		if (copy_from_guest(&b, f->eip + len, 1))
			return false;
		if (!io_prefix(b, &p))
			break;
	}
	if (len == 0 && b == 0x0f)
		return emulate_0f(f);
	if (len == 0 && (b == 0xfa || b == 0xfb))
		return emulate_cli_sti(f, b);
	if ((b >= 0xe4 && b <= 0xe7) || (b >= 0xec && b <= 0xef))
		return emulate_io(f, f->eip, len + 1, p.opsize16, b);
	if (b >= 0x6c && b <= 0x6f)
		return emulate_string_io(f, len + 1, &p, b);
	return false;
}

/*
 * After an instruction completes under emulation, as Xen: the I/O
 * breakpoints it hit, and a single step if TF was set, become the guest's
 * #DB (a trap: after the instruction).  A rep string instruction raises
 * it after the element that hit a breakpoint, or after each element
 * under TF, with EIP still on the instruction while elements remain.
 * Not when it ended in another exception, or when a rep batch stopped at
 * its size limit and will simply be resumed.
 */
bool privop_emulate(struct trap_frame *f)
{
	uint32_t eip = f->eip;
	bool tf = f->eflags & X86_EFLAGS_TF;

	bp_status = 0;
	db_stop = false;
	if (!emulate(f))
		return false;
	if (f->vector != X86_EXC_GP || (f->eip == eip && !db_stop))
		return true;
	if (tf)
		bp_status |= DR6_BS;
	if (bp_status) {
		debugreg_add_status(current_vcpu(), bp_status);
		traps_guest_exception(f, X86_EXC_DB);
	}
	return true;
}
