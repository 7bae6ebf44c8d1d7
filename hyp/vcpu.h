/*
 * vcpu.h - a domain's vCPUs as its kernel drives them: vcpu_op
 * (VCPUOP_initialise, up, down, is_up; the time and vcpu_info commands
 * are passed on to time.c and vcpu_info.c) and the vCPU context that
 * VCPUOP_initialise and XEN_DOMCTL_setvcpucontext both load.
 *
 * All vCPUs share the one physical CPU; BVT schedules each on its own.
 * A vCPU id at or past the domain's max_vcpus is -XEN_ENOENT for every
 * command.
 *  - initialise(ctxt): once per vCPU (-XEN_EEXIST after), on a vCPU that
 *    is not running; vcpu_set_context() says what is checked.  With
 *    VGCF_online the vCPU comes up at once, else it waits for up.
 *  - up: -XEN_EINVAL before initialise; makes the vCPU runnable.
 *  - down: stops the vCPU (a vCPU downing itself returns from the
 *    hypercall, with 0, only once another vCPU brings it up).  Downing the
 *    last vCPU that is up powers the domain off, as Xen does.
 *  - is_up: 1 or 0.
 */
#ifndef XYLEM_VCPU_H
#define XYLEM_VCPU_H

#include <stdint.h>
#include <public/arch-x86_32.h>

struct vcpu;

/*
 * Load c into v, a vCPU that has never run (v->initialised false), all
 * or nothing.  c is the hypervisor's own copy; its selectors are fixed up
 * in place (RPL 0 becomes 1).  Checked, in order:
 *  - gdt_ents up to 14 pages' worth, ldt_ents up to 8192 at a page-aligned
 *    base below the hypervisor, user cs ring 1 or 3 with ss of the same
 *    ring, kernel_ss ring 1 (FLAT_RING1_SS or a GDT selector), debug
 *    registers as set_debugreg takes them, with VGCF_I387_VALID an MXCSR
 *    the CPU accepts: -XEN_EINVAL (debug registers: -XEN_EPERM);
 *  - ctrlreg[3]: an L3 of v's domain that validates (it is pinned as
 *    v's base pointer); the GDT frames, as set_gdt takes them; the LDT
 *    pages, mapped in those page tables: the page-type error;
 *  - the trap table (trap_ctxt[vector], entries with address 0 unused)
 *    and the event and failsafe callbacks: present DPL-1 code segments of
 *    the new GDT or FLAT_RING1_CS (-XEN_EINVAL).
 * The vCPU then starts at user_regs once it is up, with IF set and only
 * the arithmetic flags and DF taken from eflags; a data selector that does
 * not load is handled as on any return to the guest (traps.h: failsafe
 * callback).  vm_assist and ctrlreg other than 3 are ignored.
 */
int vcpu_set_context(struct vcpu *v, struct vcpu_guest_context *c);

long do_vcpu_op(uint32_t cmd, uint32_t vcpuid, uint32_t arg, uint32_t a4,
		uint32_t a5);

#endif
