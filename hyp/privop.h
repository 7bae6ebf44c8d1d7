/*
 * privop.h - the privileged instructions a ring-1 guest kernel may use
 * anyway, because the PV ABI emulates them: clts, "mov %crN, reg" for
 * CR0/CR2/CR3/CR4, "mov reg, %cr0" (only TS may change),
 * "mov reg, %cr3" (a new base pointer, like MMUEXT_NEW_BASEPTR) and
 * "mov reg, %cr4" (only DE and TSD are the guest's, as on Xen: DE is
 * virtual, TSD goes into the CPU while the vCPU runs), rdtsc and rdtscp
 * from ring 1 while the guest's TSD makes them fault, xsetbv from ring 1
 * (the vCPU's XCR0, with xstate.h's checks), wbinvd for Dom0,
 * "mov %drN, reg" and "mov reg, %drN" (debugreg.h: a
 * value refused there stays a #GP), rdmsr of EFER (the CPU's, less the
 * long-mode and SVM bits) and of the PAT (Xen's layout, PRIVOP_PAT), and
 * wrmsr of either with that same value; rdmsr of the microcode revision
 * (0x8B) on Intel (family 6 on) and AMD (family 0x10 on) CPUs, and on
 * Intel its wrmsr of 0 (a no-op); rdmsr of Intel's MISC_ENABLE (Xen's
 * guest view of it) and any wrmsr of it (dropped); rdmsr of DEBUGCTL (0)
 * and its wrmsr of 0.  Each is read from the CPU once, at boot, and only
 * where the CPU has it.  "mov" with DR4/DR5 under the guest's CR4.DE is
 * the guest's #UD.  An emulated instruction that hit an I/O breakpoint
 * (debugreg.h), or ran with TF set, ends in the guest's #DB.
 * The guest sees CR0 with its own virtual TS, CR2 as
 * the last fault address delivered to it, CR3 as the machine address of
 * its L3.  Port I/O - in and out, imm8 and dx forms, byte, word and
 * dword - from a ring no higher than the vCPU's virtual IOPL, or on ports
 * its I/O bitmap admits, and only on ports the domain may use
 * (physdev.h); cli and sti under the IOPL rule alone, which set and clear
 * the event upcall mask.  With VMASST architectural_iopl
 * the kernel counts as ring 0 for that rule, and the iret hypercall sets
 * the virtual IOPL from the EFLAGS it returns with (bounce frames show
 * it).  ins/outs (6C-6F, with rep, 66 and 67, DF honoured) from ring 1
 * or ring 3 under the same rule (ring 3's memory operand on pages ring 3
 * may use that way: present, user, writable for ins), element by element through the port and
 * guest_access, at most 1024 elements a trap (a longer rep re-executes);
 * the memory operand's segment must be flat (base 0: ES writable for
 * ins; DS, an override or a readable code segment for outs), and a
 * memory fault becomes the guest's #PF (traps_guest_page_fault) at the
 * element that took it, nothing lost, so the instruction resumes once the
 * guest maps the page.  Anything
 * else, or a forbidden change or port, stays a #GP for the guest's
 * handler.
 */
#ifndef XYLEM_PRIVOP_H
#define XYLEM_PRIVOP_H

#include <stdbool.h>
#include "arch/x86_32/frame.h"

/*
 * The PAT every guest sees, Xen's (part of the PV ABI): entries 0-7 are
 * WB, WT, UC-, UC, WC, WP, UC, UC.  The first four are the power-on ones,
 * so PWT/PCD alone mean what they always meant; an L1 entry's PAT bit
 * selects WC or WP.
 */
#define PRIVOP_PAT	0x0000050100070406ull

/* Once, at boot (after NX is on): set the CPU's PAT to PRIVOP_PAT and
 * read the MSRs guests may read. */
void privop_init(void);
/* The ring the virtual IOPL is compared with (see above). */
unsigned int privop_io_ring(const struct trap_frame *f);
struct vcpu;
/* Load the CPU's CR4.TSD for v (the vCPU about to run, or running). */
void privop_load_vcpu(const struct vcpu *v);
/* True if the #GP in f was an emulated instruction (f now past it). */
bool privop_emulate(struct trap_frame *f);

#endif
