/*
 * test_xtf_like_entry.S - the assembly half of test_xtf_like: an image that
 * presents itself to the domain builder the way an XTF pv32pae kernel does,
 * and the entry points that kernel needs.
 *
 * Image: the notes XTF kernels carry, in XTF's order, and only those: no
 * ENTRY (the builder must fall back to e_entry), no VIRT_BASE or
 * PADDR_OFFSET (both default to 0), FEATURES requiring writable page
 * tables.  Linked with tests/kern/secnotes.lds, so the notes sit only in a
 * SHT_NOTE section, as in an XTF image (whose one PT_LOAD has no PT_NOTE
 * beside it).
 *
 * Interface (see test_xtf_like.c):
 *   _start            %esi = start_info; stores it, runs kernel_main() on
 *                     xtfl_boot_stack's first page; kernel_main never returns
 *   hypercall_page    a page of "ret" until the hypervisor fills it;
 *                     HYPERCALL_iret is its stub 23
 *   xtfl_entry_*      exception entries for the trap table: each makes the
 *                     frame uniform (error code 0 where the CPU pushes
 *                     none, then the vector), saves the registers as a
 *                     struct xtfl_regs, calls xtfl_do_exception(regs) and
 *                     returns through the iret hypercall
 *   xtfl_entry_ret_to_kernel   vector 0x20 from ring 3: back into
 *                     xtfl_exec_user() on its saved stack
 *   xtfl_custom_vector_entry   %eax = XTFL_CUSTOM_MAGIC, iret hypercall
 *   xtfl_exec_user(fn)  run fn() in ring 3 on xtfl_user_stack, return its
 *                     result; ring 3 comes back with "int $0x20"
 *   xtfl_probe_*      instructions that fault or trap on purpose, each
 *                     with an exception-table entry
 *   xtfl_extable_start..xtfl_extable_end  {insn, fixup, kind} triples
 *
 * Invariants: one xtfl_exec_user() at a time; every faulting probe has
 * exactly one table entry; the constants below mirror test_xtf_like.c.
 */
#include "xen_note.h"

#define PAGE_SIZE		4096
#define RING1_CS		0xe019	/* FLAT_RING1_CS */
#define RING3_CS		0xe02b	/* FLAT_RING3_CS */
#define RING3_DS		0xe033	/* FLAT_RING3_DS, also ring 3's SS */
#define EFLAGS_IF		0x200
#define IRET_HYPERCALL		23	/* __HYPERVISOR_iret */
#define RET_TO_KERNEL_VECTOR	0x20
/* Keep in step with test_xtf_like.c. */
#define XTFL_EX_RESUME		0	/* continue at fixup */
#define XTFL_EX_RECORD		1	/* %eax = exception info, then fixup */
#define XTFL_CUSTOM_MAGIC	0x7e57c0de

	XEN_NOTE(XEN_ELFNOTE_GUEST_OS, .asciz "XTF-like")
	XEN_NOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz "0")
	XEN_NOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
	XEN_NOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .long hypercall_page)
	XEN_NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
	XEN_NOTE(XEN_ELFNOTE_FEATURES, .asciz "!writable_page_tables|pae_pgdir_above_4gb")
	XEN_NOTE(XEN_ELFNOTE_PAE_MODE, .asciz "yes")

/* extable insn, fixup, kind: one exception-table entry. */
.macro extable insn, fixup, kind
	.pushsection .rodata.xtfl_extable, "a"
	.long \insn, \fixup, \kind
	.popsection
.endm

	.pushsection .rodata.xtfl_extable, "a"
	.balign 4
	.globl xtfl_extable_start
xtfl_extable_start:
	.popsection

	.text
	.globl _start
_start:
	movl	%esi, start_info
	movl	$xtfl_boot_stack + PAGE_SIZE, %esp
	pushl	%esi
	call	kernel_main
	ud2a			/* kernel_main must not return */

/* Exception entries. */
.macro trap_entry name, vector, cpu_pushes_error
	.globl xtfl_entry_\name
xtfl_entry_\name:
	.if !\cpu_pushes_error
	pushl	$0
	.endif
	pushl	$\vector
	jmp	exception_common
.endm

	trap_entry DE, 0, 0
	trap_entry DB, 1, 0
	trap_entry NMI, 2, 0
	trap_entry BP, 3, 0
	trap_entry OF, 4, 0
	trap_entry BR, 5, 0
	trap_entry UD, 6, 0
	trap_entry NM, 7, 0
	trap_entry DF, 8, 1
	trap_entry TS, 10, 1
	trap_entry NP, 11, 1
	trap_entry SS, 12, 1
	trap_entry GP, 13, 1
	trap_entry PF, 14, 1
	trap_entry MF, 16, 0
	trap_entry AC, 17, 1
	trap_entry MC, 18, 0
	trap_entry XM, 19, 0
	trap_entry VE, 20, 0

exception_common:
	pushal
	pushl	%esp		/* struct xtfl_regs * */
	call	xtfl_do_exception
	addl	$4, %esp
	popal
	addl	$8, %esp	/* vector and error code */
	jmp	HYPERCALL_iret	/* the stub pushes %eax; eip, cs, eflags follow */

/*
 * The callbacks the newest XTF registers at boot.  Events stay masked, so
 * the event entry only counts (XTF's would panic); SYSCALL is #UD on a
 * 32-bit hypervisor, so that entry must never run; SYSENTER returns to
 * ring 3 by the SYSEXIT convention (%edx = eip, %ecx = esp), NT cleared.
 */
	.globl xtfl_entry_EVTCHN, xtfl_entry_SYSCALL, xtfl_entry_SYSENTER
xtfl_entry_EVTCHN:
	incl	xtfl_evtchn_upcalls
	jmp	HYPERCALL_iret
xtfl_entry_SYSCALL:
	ud2a
xtfl_entry_SYSENTER:
	incl	xtfl_sysenter_hits
	movl	%edx, 0(%esp)
	movl	$RING3_CS, 4(%esp)
	andl	$~0x4000, 8(%esp)
	movl	%ecx, 12(%esp)
	movl	$RING3_DS, 16(%esp)
	jmp	HYPERCALL_iret

/* uint32_t xtfl_user_sysenter_nt(void), ring 3: SYSENTER with EFLAGS.NT
 * set (XSA-339's shape); the EFLAGS it comes back with. */
	.globl xtfl_user_sysenter_nt
xtfl_user_sysenter_nt:
	movl	%esp, %ecx
	movl	$1f, %edx
	pushfl
	orl	$0x4000, (%esp)
	popfl
	sysenter
1:	pushfl
	popl	%eax
	ret

/* A single-entry trap table update points a spare vector here. */
	.globl xtfl_custom_vector_entry
xtfl_custom_vector_entry:
	movl	$XTFL_CUSTOM_MAGIC, %eax
	jmp	HYPERCALL_iret

/*
 * unsigned long xtfl_exec_user(unsigned long (*fn)(void))
 * Ring 3 gets eflags without IF (so the iret hypercall leaves event upcalls
 * masked) and xtfl_user_stack; it returns with "int $0x20", whose entry
 * drops the ring-1 frame by reloading the %esp saved here and "returns" to
 * .Lexec_user_back with fn's result still in %eax.
 */
	.globl xtfl_exec_user
xtfl_exec_user:
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	20(%esp), %eax			/* fn, for the trampoline */
	pushl	$.Lexec_user_back
	movl	%esp, exec_user_resume_esp
	pushl	$RING3_DS			/* ss */
	pushl	$xtfl_user_stack + PAGE_SIZE	/* esp */
	pushfl
	andl	$~EFLAGS_IF, (%esp)		/* eflags */
	pushl	$RING3_CS			/* cs */
	pushl	$user_trampoline		/* eip */
	jmp	HYPERCALL_iret
.Lexec_user_back:
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret

/* Ring 3: %eax = fn. */
user_trampoline:
	call	*%eax
	int	$RET_TO_KERNEL_VECTOR
	ud2a			/* the kernel never resumes us here */

	.globl xtfl_entry_ret_to_kernel
xtfl_entry_ret_to_kernel:
	movl	exec_user_resume_esp, %esp
	ret

/*
 * Probes.  Each returns normally because its exception-table entry says
 * where to resume.
 */

/* bool xtfl_probe_fep(void): true if an instruction behind the forced-
 * emulation prefix ran; Xen PV raises #UD on the prefix instead. */
	.globl xtfl_probe_fep, xtfl_fep_insn
xtfl_probe_fep:
	xorl	%eax, %eax
xtfl_fep_insn:
	.byte	0x0f, 0x0b, 0x78, 0x65, 0x6e	/* ud2a; "xen" */
	movl	$1, %eax
.Lfep_out:
	ret
	extable xtfl_fep_insn, .Lfep_out, XTFL_EX_RESUME

/* void xtfl_probe_int3(void): a trap, so eip is already past it. */
	.globl xtfl_probe_int3, xtfl_int3_resume
xtfl_probe_int3:
	int3
xtfl_int3_resume:
	ret
	extable xtfl_int3_resume, xtfl_int3_resume, XTFL_EX_RESUME

/* void xtfl_probe_ud2a(void) */
	.globl xtfl_probe_ud2a, xtfl_ud2a_insn
xtfl_probe_ud2a:
xtfl_ud2a_insn:
	ud2a
.Lud2a_out:
	ret
	extable xtfl_ud2a_insn, .Lud2a_out, XTFL_EX_RESUME

/* uint32_t xtfl_probe_null_read(void): exception info, 0 if none. */
	.globl xtfl_probe_null_read, xtfl_null_read_insn
xtfl_probe_null_read:
	xorl	%eax, %eax
xtfl_null_read_insn:
	movl	0, %ecx
.Lnull_read_out:
	ret
	extable xtfl_null_read_insn, .Lnull_read_out, XTFL_EX_RECORD

	.pushsection .rodata.xtfl_extable, "a"
	.globl xtfl_extable_end
xtfl_extable_end:
	.popsection

/* Filled by the hypervisor; XTF checks the "ret" poison is gone. */
	.balign PAGE_SIZE
	.globl hypercall_page
hypercall_page:
	.fill PAGE_SIZE, 1, 0xc3
	.globl HYPERCALL_iret
	.set HYPERCALL_iret, hypercall_page + IRET_HYPERCALL * 32

	.bss
	.balign PAGE_SIZE
	/* Page 0: the boot stack; page 1: where ring 3's traps land. */
	.globl xtfl_boot_stack
xtfl_boot_stack:
	.skip 2 * PAGE_SIZE
	.globl xtfl_user_stack
xtfl_user_stack:
	.skip PAGE_SIZE
	/* The GDT frame: 15 null entries, mapped read-only, given to set_gdt. */
	.globl xtfl_gdt
xtfl_gdt:
	.skip PAGE_SIZE
	/* Remapped onto the shared_info frame. */
	.globl xtfl_shared_info
xtfl_shared_info:
	.skip PAGE_SIZE
exec_user_resume_esp:
	.skip 4
