/*
 * boot.S - the hypervisor's first instructions.
 *
 * A multiboot (v1) loader - QEMU's -kernel or GRUB2 - enters _start in
 * 32-bit protected mode with paging off, %eax = 0x2BADB002 and %ebx = the
 * physical address of the multiboot information.  We build the idle page
 * tables (PAE): an identity map of the first 64 MiB, needed only until we
 * run at our linked address, and the direct map of the same 64 MiB at
 * 0xFC000000, both with 2 MiB pages; then turn on PAE paging with
 * write-protection enforced in ring 0 and jump to start_xylem() in C.
 * The page tables live in .bss (idle_pdpt, idle_l2_low, idle_l2_hyp) so C
 * code owns them afterwards.
 */
#include "page.h"

#define KERNEL_VOFF	0xFC000000
#define PHYS(sym)	((sym) - KERNEL_VOFF)
#define MB_MAGIC	0x1BADB002
#define MB_FLAGS	0x00000003	/* page-align modules, give memory map */

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl	%eax, %esi		/* multiboot magic */
	movl	%ebx, %edi		/* multiboot info (physical) */

	/* Zero .bss (the loader should have, but the tables depend on it). */
	movl	$PHYS(__bss_start), %ebx
	movl	$PHYS(__bss_end), %ecx
1:	cmpl	%ecx, %ebx
	jae	2f
	movl	$0, (%ebx)
	addl	$4, %ebx
	jmp	1b
2:
	/* 32 large pages (64 MiB) in both L2 tables: phys | P | RW | PS. */
	xorl	%ecx, %ecx
3:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$0x83, %eax
	movl	%eax, PHYS(idle_l2_low)(,%ecx,8)
	orl	$0x100, %eax		/* the direct map is global */
	movl	%eax, PHYS(idle_l2_hyp) + 480 * 8(,%ecx,8)
	incl	%ecx
	cmpl	$32, %ecx
	jb	3b

	/* PDPT entries may carry only the present bit (and caching bits). */
	movl	$PHYS(idle_l2_low) + 1, PHYS(idle_pdpt)
	movl	$PHYS(idle_l2_hyp) + 1, PHYS(idle_pdpt) + 3 * 8

	movl	%cr4, %eax
	orl	$0x20, %eax		/* PAE */
	movl	%eax, %cr4
	movl	$PHYS(idle_pdpt), %eax
	movl	%eax, %cr3
	movl	%cr0, %eax
	orl	$0x80010001, %eax	/* PG | WP | PE */
	movl	%eax, %cr0
	movl	$high_entry, %eax	/* identity map keeps us running */
	jmp	*%eax

	.text
high_entry:
	movl	$boot_stack_top, %esp
	xorl	%ebp, %ebp
	pushl	%edi
	pushl	%esi
	call	start_xylem
5:	cli
	hlt
	jmp	5b

	.section .bss.page_aligned, "aw", @nobits
	.align 4096
	.globl idle_pdpt, idle_l2_low, idle_l2_hyp, boot_stack_top
idle_pdpt:
	.skip 4096
idle_l2_low:
	.skip 4096
idle_l2_hyp:
	.skip 4096
boot_stack:
	.skip 16384
boot_stack_top:
