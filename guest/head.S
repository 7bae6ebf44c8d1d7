/*
 * head.S - entry point and ELF notes of every Xylem PV kernel (Dom0, test
 * kernels).  The notes say: a pv32pae kernel, loaded at virtual address 0
 * upward (VIRT_BASE 0, PADDR_OFFSET 0), with a hypercall page for the
 * hypervisor to fill.  At entry %esi holds start_info; we switch to our own
 * stack and call guest_start(start_info) (start.c), which never returns.
 */
#include "xen_note.h"

	XEN_NOTE(XEN_ELFNOTE_GUEST_OS, .asciz "Xylem-PV")
	XEN_NOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz "0.1")
	XEN_NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
	XEN_NOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
	XEN_NOTE(XEN_ELFNOTE_VIRT_BASE, .long 0)
	XEN_NOTE(XEN_ELFNOTE_PADDR_OFFSET, .long 0)
	XEN_NOTE(XEN_ELFNOTE_ENTRY, .long _start)
	XEN_NOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .long hypercall_page)
	XEN_NOTE(XEN_ELFNOTE_PAE_MODE, .asciz "yes")
	XEN_NOTE(XEN_ELFNOTE_FEATURES, .asciz "pae_pgdir_above_4gb")

	.text
	.globl _start
_start:
	cld
	movl	$guest_stack_top, %esp
	pushl	%esi
	call	guest_start
1:	jmp	1b

	.align 4096
	.globl hypercall_page
hypercall_page:
	.fill 4096, 1, 0xc3	/* "ret" until the hypervisor fills it */

	.bss
	.align 4096
guest_stack:
	.skip 16384
	.globl guest_stack_top
guest_stack_top:
