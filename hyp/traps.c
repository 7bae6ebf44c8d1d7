/*
 * traps.c - exception dispatch, the guest bounce, forced-emulation CPUID,
 * fault reports, and the set_trap_table / stack_switch hypercalls.  See
 * traps.h.
 */
#include "traps.h"
#include <public/callback.h>
#include "console.h"
#include "cpuid.h"
#include "debugreg.h"
#include "domain.h"
#include "fpu.h"
#include "gdt.h"
#include "guest_access.h"
#include "hypercall.h"
#include "irq.h"
#include "lib.h"
#include "nmi.h"
#include "panic.h"
#include "privop.h"
#include "ptwr.h"
#include "seg_assist.h"
#include "sched.h"
#include "arch/x86_32/desc.h"
#include "arch/x86_32/page.h"
#include "arch/x86_32/x86.h"
#include <public/arch-x86_32.h>
#include <public/errno.h>

extern const struct extable_entry __extable_start[], __extable_end[];

static const char *const vector_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FP error", "alignment check",
	"machine check", "SIMD FP error",
};

static const char *vector_name(uint32_t v)
{
	if (v < 32 && vector_names[v])
		return vector_names[v];
	return "interrupt";
}

static bool vector_has_error_code(uint32_t v)
{
	return v == 8 || (v >= 10 && v <= 14) || v == 17;
}

static void dump_frame(enum log_level lvl, const struct trap_frame *f)
{
	printk(lvl, "  eax=%08x ebx=%08x ecx=%08x edx=%08x\n",
	       f->eax, f->ebx, f->ecx, f->edx);
	printk(lvl, "  esi=%08x edi=%08x ebp=%08x eflags=%08x\n",
	       f->esi, f->edi, f->ebp, f->eflags);
	printk(lvl, "  cs:eip=%04x:%08x ds=%04x es=%04x fs=%04x gs=%04x\n",
	       f->cs & 0xffff, f->eip, f->ds & 0xffff, f->es & 0xffff,
	       f->fs & 0xffff, f->gs & 0xffff);
	if (frame_ring(f))
		printk(lvl, "  ss:esp=%04x:%08x\n", f->ss & 0xffff, f->esp);
}

static void hypervisor_fault(struct trap_frame *f)
{
	const struct extable_entry *e;

	for (e = __extable_start; e < __extable_end; e++) {
		if (e->insn == f->eip) {
			f->eip = e->fixup;
			return;
		}
	}
	printk(LOG_ERR, "hypervisor fault: %s (vector %u) error 0x%x cr2=0x%08x\n",
	       vector_name(f->vector), f->vector, f->error_code, read_cr2());
	dump_frame(LOG_ERR, f);
	panic("fault in the hypervisor");
}

/* Report a guest fault the guest cannot take, then crash the guest. */
static void guest_fault_fatal(struct trap_frame *f, const char *why)
{
	struct domain *d = current_domain();
	char msg[160], cr2[24] = "";

	if (f->vector == X86_EXC_PF)
		snprintf(cr2, sizeof(cr2), " cr2=0x%08x", read_cr2());
	printk(LOG_ERR, "domain %u vcpu %u: %s (vector %u) error 0x%x at "
	       "%04x:%08x%s\n", d->domid, current_vcpu()->vcpu_id,
	       vector_name(f->vector), f->vector, f->error_code,
	       f->cs & 0xffff, f->eip, cr2);
	dump_frame(LOG_ERR, f);
	snprintf(msg, sizeof(msg), "%s (vector %u): %s", vector_name(f->vector),
		 f->vector, why);
	domain_crash(d, msg);
}

/* EFLAGS.IOPL as a guest with VMASST architectural_iopl sees it. */
static uint32_t virtual_iopl(const struct vcpu *v)
{
	const struct domain *d = v->domain;

	if (!(d->vm_assist & (1u << VMASST_TYPE_architectural_iopl)))
		return 0;
	return (uint32_t)v->iopl << 12;
}

/*
 * Build on the guest's ring-1 stack the frame the CPU would have built
 * had cs:eip been in the IDT, with nextra more words below it (extra[0]
 * lowest: an error code, or the failsafe callback's data selectors), then
 * resume there.  False if the guest's stack cannot take it (the domain
 * has then been crashed).
 */
static bool bounce_frame_words(struct trap_frame *f, uint16_t cs, uint32_t eip,
			       bool mask_events, const uint32_t *extra,
			       unsigned int nextra)
{
	struct vcpu *v = current_vcpu();
	struct vcpu_info *vi = v->vcpu_info;
	uint32_t out[9], n = 0, ss, esp;

	for (n = 0; n < nextra; n++)
		out[n] = extra[n];
	out[n++] = f->eip;
	out[n++] = (f->cs & 0xffff) | ((uint32_t)vi->evtchn_upcall_mask << 16);
	out[n++] = (f->eflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL)) |
		   (vi->evtchn_upcall_mask ? 0 : X86_EFLAGS_IF) | virtual_iopl(v);
	if (frame_ring(f) == 3) {
		ss = v->kernel_ss;
		esp = v->kernel_sp;
		out[n++] = f->esp;
		out[n++] = f->ss;
	} else {
		ss = f->ss;
		esp = f->esp;
	}
	esp -= n * 4;
	if (copy_to_guest(esp, out, n * 4)) {
		guest_fault_fatal(f, "the guest's kernel stack is unusable");
		return false;
	}
	if (mask_events)
		vi->evtchn_upcall_mask = 1;
	f->ss = ss;
	f->esp = esp;
	f->cs = cs;
	f->eip = eip;
	f->eflags &= ~(X86_EFLAGS_NT | X86_EFLAGS_VM | (1u << 8) /* TF */);
	return true;
}

static bool bounce_frame(struct trap_frame *f, uint16_t cs, uint32_t eip,
			 bool mask_events, bool has_error)
{
	return bounce_frame_words(f, cs, eip, mask_events, &f->error_code,
				  has_error ? 1 : 0);
}

static void bounce_to_guest(struct trap_frame *f, const struct trap_info *ti)
{
	struct vcpu_info *vi = current_vcpu()->vcpu_info;
	uint32_t cr2 = f->vector == X86_EXC_PF ? read_cr2() : 0;

	if (bounce_frame(f, ti->cs, ti->address, TI_GET_IF(ti),
			 vector_has_error_code(f->vector)) &&
	    f->vector == X86_EXC_PF)
		vi->arch.cr2 = cr2;
}

/*
 * An event upcall is due when one is pending, upcalls are unmasked and the
 * guest registered its event callback: enter it with events masked.
 */
static void deliver_event_upcall(struct trap_frame *f)
{
	struct vcpu *v = current_vcpu();
	struct vcpu_info *vi = v->vcpu_info;

	if (v->domain->state != DOMAIN_RUNNING || !vi->evtchn_upcall_pending ||
	    vi->evtchn_upcall_mask || !v->event_callback.eip)
		return;
	bounce_frame(f, (uint16_t)v->event_callback.cs, v->event_callback.eip,
		     true, false);
}

/*
 * A pending NMI (nmi.h) goes to vector 2 of the trap table, before any
 * event upcall, unless the guest is still in its NMI handler; with no
 * handler it is dropped, as on Xen (nmi_reason keeps the record).
 */
static void deliver_nmi(struct trap_frame *f)
{
	struct vcpu *v = current_vcpu();
	const struct trap_info *ti = &v->traps[X86_EXC_NMI];

	if (!v->nmi_pending || v->nmi_masked ||
	    v->domain->state != DOMAIN_RUNNING)
		return;
	v->nmi_pending = false;
	if (ti->address &&
	    bounce_frame(f, ti->cs, ti->address, TI_GET_IF(ti), false))
		v->nmi_masked = true;
}

/*
 * "int $n" from a ring whose privilege the hypervisor's gate refuses
 * arrives as #GP with error code (n << 3) | 2.  If the guest's own trap
 * table lets that ring use vector n, deliver n as the guest asked.
 */
static bool software_interrupt(struct trap_frame *f)
{
	const struct trap_info *ti;
	uint32_t vec;

	if (f->vector != X86_EXC_GP || (f->error_code & 3) != 2)
		return false;
	vec = (f->error_code >> 3) & 0xff;
	ti = &current_vcpu()->traps[vec];
	if (!ti->address || TI_GET_DPL(ti) < frame_ring(f))
		return false;
	f->eip += 2;		/* past "int $n" */
	f->vector = vec;
	bounce_to_guest(f, ti);
	return true;
}

/* int3/into reach us through DPL-3 gates; honour the guest's own DPL. */
static void check_software_exception_dpl(struct trap_frame *f)
{
	const struct trap_info *ti = &current_vcpu()->traps[f->vector];

	if ((f->vector == X86_EXC_BP || f->vector == X86_EXC_OF) &&
	    TI_GET_DPL(ti) < frame_ring(f)) {
		uint8_t last = 0;

		/* #GP faults on the instruction itself: int3 and into are one
		 * byte, "int $3" (cd 03) two. */
		copy_from_guest(&last, f->eip - 1, 1);
		f->error_code = (f->vector << 3) | 2;
		f->vector = X86_EXC_GP;
		f->eip -= (last == 0xcc || last == 0xce) ? 1 : 2;
	}
}

/*
 * With loglvl=debug the first TRAPS_LOGGED exceptions each domain's own
 * handlers receive are logged: enough to see where a kernel nobody here
 * wrote stopped, without flooding the console for one that faults often.
 */
#define TRAPS_LOGGED	16

static void log_guest_trap(const struct trap_frame *f, uint32_t cr2)
{
	struct domain *d = current_domain();

	if (d->traps_logged >= TRAPS_LOGGED)
		return;
	d->traps_logged++;
	printk(LOG_DEBUG, "d%u: exception %u error 0x%x at %04x:%08x cr2 %08x to its handler%s\n",
	       d->domid, f->vector, f->error_code, f->cs & 0xffff, f->eip,
	       cr2, d->traps_logged == TRAPS_LOGGED ? " (no more logged)" : "");
}

static void guest_trap(struct trap_frame *f)
{
	const struct trap_info *ti;

	if (f->vector == X86_EXC_UD && cpuid_try_forced_emulation(f))
		return;
	if (f->vector == X86_EXC_PF && ptwr_emulate(f, read_cr2()))
		return;
	if (f->vector >= 32) {
		guest_fault_fatal(f, "unexpected vector from a guest");
		return;
	}
	if (software_interrupt(f))
		return;
	if (f->vector == X86_EXC_GP && privop_emulate(f))
		return;
	if (f->vector == X86_EXC_GP && seg_assist_fixup(f))
		return;
	if (f->vector == X86_EXC_NM && fpu_device_not_available(current_vcpu()))
		return;
	if (f->vector == X86_EXC_DB)
		debugreg_take_status(current_vcpu());
	check_software_exception_dpl(f);
	ti = &current_vcpu()->traps[f->vector];
	if (!ti->address) {
		guest_fault_fatal(f, "the guest registered no handler");
		return;
	}
	log_guest_trap(f, f->vector == X86_EXC_PF ? read_cr2() : 0);
	bounce_to_guest(f, ti);
}

/* f, made vector with error_code, to the guest's handler; false if none. */
static bool deliver_emulated(struct trap_frame *f, uint32_t vector,
			     uint32_t error_code, uint32_t cr2)
{
	const struct trap_info *ti = &current_vcpu()->traps[vector];

	f->vector = vector;
	f->error_code = error_code;
	if (!ti->address) {
		guest_fault_fatal(f, "the guest registered no handler");
		return false;
	}
	log_guest_trap(f, cr2);
	return bounce_frame(f, ti->cs, ti->address, TI_GET_IF(ti),
			    vector_has_error_code(vector));
}

void traps_guest_exception(struct trap_frame *f, uint32_t vector)
{
	deliver_emulated(f, vector, 0, 0);
}

void traps_guest_page_fault(struct trap_frame *f, uint32_t addr,
			    uint32_t error_code)
{
	if (deliver_emulated(f, X86_EXC_PF, error_code, addr))
		current_vcpu()->vcpu_info->arch.cr2 = addr;
}

bool traps_code_selector_ok(const struct vcpu *v, uint16_t *sel)
{
	uint32_t index = *sel >> 3;
	uint64_t d;

	if ((*sel & 3) == 0)
		*sel |= 1;	/* RPL 0 means "the kernel": ring 1 here */
	if ((*sel & 3) != 1 || (*sel & 4))
		return false;	/* ring 2/3 handlers, LDT selectors */
	if (index >= FIRST_RESERVED_GDT_ENTRY)
		return *sel == FLAT_RING1_CS;
	d = gdt_entry(v, index);
	/* present, code segment, DPL 1 */
	return (d & (1ull << 47)) && (d & (1ull << 44)) && (d & (1ull << 43)) &&
	       ((d >> 45) & 3) == 1;
}

/*
 * The system-call vector skips the hypervisor when the guest's entry lets
 * ring 3 in and does not ask for events to be masked (a hardware gate
 * cannot do that): ring 3's "int $0x80" then lands in the guest kernel.
 */
bool traps_native_int80;

static void update_direct_trap(const struct trap_info *ti)
{
	if (traps_native_int80)
		arch_set_native_null_trap(SYSCALL_VECTOR);
	else if (ti->address && TI_GET_DPL(ti) == 3 && !TI_GET_IF(ti))
		arch_set_direct_trap(SYSCALL_VECTOR, ti->cs, ti->address);
	else
		arch_clear_direct_trap(SYSCALL_VECTOR);
}

void traps_load_vcpu(const struct vcpu *v)
{
	update_direct_trap(&v->traps[SYSCALL_VECTOR]);
	arch_set_guest_kernel_stack(v->kernel_ss, v->kernel_sp);
}

/* Entries per trap before the rest of a table becomes a continuation. */
#define TRAP_TABLE_SLICE	256

long do_set_trap_table(uint32_t table, uint32_t a2, uint32_t a3, uint32_t a4,
		       uint32_t a5)
{
	struct vcpu *v = current_vcpu();
	struct trap_info ti;
	unsigned int i;

	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	if (!table) {
		memset(v->traps, 0, sizeof(v->traps));
		update_direct_trap(&v->traps[SYSCALL_VECTOR]);
		return 0;
	}
	for (i = 0; ; i++, table += sizeof(ti)) {
		if (i == TRAP_TABLE_SLICE) {
			hypercall_continue(__HYPERVISOR_set_trap_table, table, 0);
			return 0;
		}
		if (copy_from_guest(&ti, table, sizeof(ti)))
			return -XEN_EFAULT;
		if (!ti.address)
			return 0;
		if (!traps_code_selector_ok(v, &ti.cs))
			return -XEN_EPERM;
		v->traps[ti.vector] = ti;
		if (ti.vector == SYSCALL_VECTOR)
			update_direct_trap(&ti);
	}
}

long do_stack_switch(uint32_t ss, uint32_t esp, uint32_t a3, uint32_t a4,
		     uint32_t a5)
{
	struct vcpu *v = current_vcpu();

	(void)a3;
	(void)a4;
	(void)a5;
	if ((ss & 3) == 0)
		ss |= 1;	/* RPL 0 means "the kernel": ring 1 here */
	if ((ss & 3) != 1 || ((ss >> 3) >= FIRST_RESERVED_GDT_ENTRY &&
			      ss != FLAT_RING1_SS))
		return -XEN_EPERM;
	v->kernel_ss = ss;
	v->kernel_sp = esp;
	arch_set_guest_kernel_stack(ss, esp);
	return 0;
}

/*
 * SYSENTER: the guest's sysenter callback, entered from the null user
 * context entry.S built, or #GP (error 0) at eip 0 when it has none.
 */
static void guest_sysenter(struct trap_frame *f)
{
	struct vcpu *v = current_vcpu();
	const struct trap_info *ti = &v->traps[X86_EXC_GP];

	if (v->sysenter_callback.eip) {
		bounce_frame(f, (uint16_t)v->sysenter_callback.cs,
			     v->sysenter_callback.eip,
			     v->callback_mask_events & (1u << CALLBACKTYPE_sysenter),
			     false);
		return;
	}
	f->vector = X86_EXC_GP;
	if (!ti->address) {
		guest_fault_fatal(f, "sysenter without a callback or #GP handler");
		return;
	}
	bounce_to_guest(f, ti);
}

/*
 * #DB in the hypervisor: a guest's data breakpoint on memory the
 * hypervisor touched for it (its DR6 bits are kept for the guest), or a
 * single step of SYSENTER landing before entry.S cleared TF.  Dropped.
 */
static bool hypervisor_debug_trap(struct trap_frame *f)
{
	extern char sysenter_entry[], sysenter_flags_clean[];

	if (f->vector != X86_EXC_DB)
		return false;
	debugreg_take_status(current_vcpu());
	if (f->eip >= (uint32_t)sysenter_entry &&
	    f->eip <= (uint32_t)sysenter_flags_clean)
		f->eflags &= ~(1u << 8);	/* TF */
	return true;
}

/* A trap from a guest's ring: what it is, and what to do with it. */
static void dispatch_from_guest(struct trap_frame *f)
{
	if (f->vector == X86_EXC_NMI)
		nmi_machine();
	else if (f->vector == HYPERCALL_VECTOR)
		hypercall_dispatch(f);
	else if (f->vector == SYSENTER_VECTOR)
		guest_sysenter(f);
	else if (irq_is_hardware(f->vector))
		irq_dispatch(f->vector);
	else
		guest_trap(f);
}

void trap_dispatch(struct trap_frame *f)
{
	/*
	 * From ring 0 nothing here schedules: a trap taken on the entry stack
	 * returns to it with the vCPU it came in on (entry.S, isolate.h).
	 */
	if (frame_ring(f) == 0) {
		if (f->vector == X86_EXC_NMI)
			nmi_machine();	/* anywhere: only flags it */
		else if (irq_is_hardware(f->vector)) {
			irq_dispatch(f->vector);	/* while idle */
			nmi_wake();
		} else if (!hypervisor_debug_trap(f)) {
			hypervisor_fault(f);
		}
		return;
	}
	dispatch_from_guest(f);
	nmi_wake();
	sched_after_trap();
	deliver_nmi(f);
	deliver_event_upcall(f);
	/* A frame that would not fit on the guest's stack crashed it. */
	if (current_domain()->state != DOMAIN_RUNNING)
		sched_after_trap();
}

/* Whether ring cpl could load data selector sel (the null one loads). */
static bool data_selector_loads(uint32_t sel, unsigned int cpl)
{
	uint32_t ar = 0, dpl, rpl = sel & 3;
	bool ok;

	if ((sel & 0xfffc) == 0)
		return true;		/* the null selector */
	asm volatile("lar %2, %0; setz %1" : "+r"(ar), "=q"(ok) : "r"(sel)
		     : "cc");
	if (!ok || !(ar & (1u << 15)) || !(ar & (1u << 12)))
		return false;		/* invalid, not present, system */
	if ((ar & (1u << 11)) && !(ar & (1u << 9)))
		return false;		/* execute-only code */
	if ((ar & (3u << 10)) == (3u << 10))
		return true;		/* conforming readable code */
	dpl = (ar >> 13) & 3;
	return dpl >= cpl && dpl >= rpl;
}

/*
 * Enter the guest's failsafe callback for a return that failed: below the
 * usual frame go the four data selectors (ds lowest, then es, fs, gs),
 * which then become null.  False when it has none, or when the failing
 * return was to the failsafe callback itself.
 */
static bool enter_failsafe(struct trap_frame *f)
{
	struct vcpu *v = current_vcpu();
	uint32_t sel[4] = { f->ds & 0xffff, f->es & 0xffff, f->fs & 0xffff,
			    f->gs & 0xffff };

	if (!v->failsafe_callback.eip ||
	    (f->eip == v->failsafe_callback.eip &&
	     (f->cs & 0xffff) == v->failsafe_callback.cs))
		return false;
	if (bounce_frame_words(f, (uint16_t)v->failsafe_callback.cs,
			       v->failsafe_callback.eip,
			       v->callback_mask_events &
			       (1u << CALLBACKTYPE_failsafe), sel, 4))
		f->ds = f->es = f->fs = f->gs = 0;
	return true;
}

static struct trap_frame *guest_return_frame(struct trap_frame *f)
{
	if (f != vcpu_frame(current_vcpu()))
		panic("a return to a guest failed outside its own frame");
	f->vector = 0;
	f->error_code = 0;
	return f;
}

/* Resume the (possibly crashed) current vCPU, or whatever runs next. */
static void __attribute__((noreturn)) resume_guest(struct trap_frame *f)
{
	sched_after_trap();
	if (current_domain()->state != DOMAIN_RUNNING)
		panic("returned to a crashed domain");
	arch_enter_frame(f);
}

void arch_segment_failed(struct trap_frame *f)
{
	unsigned int ring;

	f = guest_return_frame(f);
	ring = frame_ring(f);
	printk(LOG_DEBUG, "domain %u: data selectors ds %04x es %04x fs %04x "
	       "gs %04x: one does not load\n", current_domain()->domid,
	       f->ds & 0xffff, f->es & 0xffff, f->fs & 0xffff, f->gs & 0xffff);
	if (!enter_failsafe(f)) {
		if (!data_selector_loads(f->ds, ring))
			f->ds = 0;
		if (!data_selector_loads(f->es, ring))
			f->es = 0;
		if (!data_selector_loads(f->fs, ring))
			f->fs = 0;
		if (!data_selector_loads(f->gs, ring))
			f->gs = 0;
	}
	resume_guest(f);
}

void arch_iret_failed(struct trap_frame *f)
{
	f = guest_return_frame(f);
	printk(LOG_DEBUG, "domain %u: return to %04x:%08x (ss:esp %04x:%08x) "
	       "failed\n", current_domain()->domid, f->cs & 0xffff, f->eip,
	       f->ss & 0xffff, f->esp);
	if (!enter_failsafe(f))
		guest_fault_fatal(f, "return to the guest's context failed");
	resume_guest(f);
}
