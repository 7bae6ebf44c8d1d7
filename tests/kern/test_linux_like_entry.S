/*
 * test_linux_like_entry.S - the assembly half of test_linux_like: an image
 * that presents itself to the Dom0 builder as an i386 PAE Linux kernel with
 * Xen PV support (4.x-5.8) does, and the entry points that kernel needs.
 *
 * Image: the Xen notes of Linux's arch/x86/xen/xen-head.S for CONFIG_X86_32,
 * with their values: VIRT_BASE 0xC0000000 with PADDR_OFFSET 0 (so the
 * builder must add 0xC0000000 to the physical load addresses), ENTRY
 * (startup_xen; the ELF entry is a physical address, linux_like.lds),
 * FEATURES requiring writable page tables, SUPPORTED_FEATURES, L1_MFN_VALID,
 * SUSPEND_CANCEL, MOD_START_PFN and HV_START_LOW.
 *
 * Interface (see test_linux_like.c):
 *   startup_xen       %esi = start_info: clears .bss as Linux's does, stores
 *                     start_info in lx_start_info, runs lx_start_kernel() on
 *                     lx_boot_stack; lx_start_kernel never returns
 *   hypercall_page    a page of "ret" until the hypervisor fills it
 *   lx_entry_gp, lx_entry_pf  the #GP and #PF gates: hand the vector,
 *                     error code and faulting eip to lx_unexpected_fault(),
 *                     which ends the test
 *   lx_entry_bp       the int3 gate: counts lx_bp_hits, stores the code
 *                     selector it runs on in lx_bp_cs, returns by the iret
 *                     hypercall
 *   lx_entry_other, lx_entry_event, lx_entry_failsafe, lx_entry_sysenter
 *                     entries that must never run (events stay masked):
 *                     lx_unexpected_fault() with 0xff, 0x100-0x102
 *   lx_far_return_to(cs)  continue at the caller on code selector cs
 */
#include "xen_note.h"

#define PAGE_SIZE	4096
#define IRET_HYPERCALL	23	/* __HYPERVISOR_iret */

/* A vmlinux's PT_NOTE also holds the linker's build ID and Linux's salt. */
	.pushsection .note.Xen, "a", @note
	.balign 4
	.long 4, 20, 3			/* GNU, NT_GNU_BUILD_ID */
	.asciz "GNU"
	.fill 20, 1, 0x5a
	.long 6, 4, 0x100		/* Linux, LINUX_ELFNOTE_BUILD_SALT */
	.asciz "Linux"
	.balign 4
	.long 0
	.popsection

	XEN_NOTE(XEN_ELFNOTE_GUEST_OS, .asciz "linux")
	XEN_NOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz "2.6")
	XEN_NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
	XEN_NOTE(XEN_ELFNOTE_VIRT_BASE, .long 0xC0000000)
	XEN_NOTE(XEN_ELFNOTE_ENTRY, .long startup_xen)
	XEN_NOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .long hypercall_page)
	XEN_NOTE(XEN_ELFNOTE_FEATURES, .ascii "!writable_page_tables|pae_pgdir_above_4gb")
	XEN_NOTE(XEN_ELFNOTE_SUPPORTED_FEATURES, .long (1 << 0) | (1 << 11))
	XEN_NOTE(XEN_ELFNOTE_PAE_MODE, .asciz "yes")
	XEN_NOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
	XEN_NOTE(XEN_ELFNOTE_L1_MFN_VALID, .quad 1; .quad 1)
	XEN_NOTE(XEN_ELFNOTE_SUSPEND_CANCEL, .long 1)
	XEN_NOTE(XEN_ELFNOTE_MOD_START_PFN, .long 1)
	XEN_NOTE(XEN_ELFNOTE_HV_START_LOW, .long 0xF5800000)
	XEN_NOTE(XEN_ELFNOTE_PADDR_OFFSET, .long 0)

	.text
	.globl startup_xen
startup_xen:
	cld
	xorl	%eax, %eax
	movl	$__bss_start, %edi
	movl	$__bss_stop, %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	rep stosl
	movl	%esi, lx_start_info
	movl	$lx_boot_stack + 4 * PAGE_SIZE, %esp
	call	lx_start_kernel
	ud2a			/* lx_start_kernel must not return */

	.globl lx_entry_gp, lx_entry_pf
lx_entry_gp:
	pushl	$13
	jmp	1f
lx_entry_pf:
	pushl	$14
1:	call	lx_unexpected_fault	/* (vector, error code, eip): no return */
	ud2a

/* int3 (a DPL-3 gate): count it, note the code selector, return. */
	.globl lx_entry_bp, lx_entry_other, lx_entry_event, lx_entry_failsafe
	.globl lx_entry_sysenter
lx_entry_bp:
	incl	lx_bp_hits
	movw	%cs, lx_bp_cs
	jmp	hypercall_page + IRET_HYPERCALL * 32

/* Events stay masked: an upcall would be the hypervisor's mistake. */
lx_entry_event:
	pushl	$0x100
	jmp	1b
lx_entry_failsafe:
	pushl	$0x101
	jmp	1b
lx_entry_sysenter:
	pushl	$0x102
	jmp	1b
lx_entry_other:
	pushl	$0xff
	jmp	1b

/* void lx_far_return_to(uint32_t cs): return to the caller on selector cs. */
	.globl lx_far_return_to
lx_far_return_to:
	popl	%eax		/* return address */
	popl	%ecx		/* cs */
	subl	$4, %esp	/* the caller pops its argument */
	pushl	%ecx
	pushl	%eax
	lret

	.balign PAGE_SIZE
	.globl hypercall_page
hypercall_page:
	.fill PAGE_SIZE, 1, 0xc3

	.section .bss.page_aligned, "aw", @nobits
	.balign PAGE_SIZE
	.globl lx_boot_stack
lx_boot_stack:
	.skip 4 * PAGE_SIZE
