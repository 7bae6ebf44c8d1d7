/*
 * test_netbsd_like_entry.S - the assembly half of test_netbsd_like: an image
 * that presents itself to the Dom0 builder as NetBSD's i386 XEN3PAE_DOM0
 * kernel does, and the entry points that kernel needs.
 *
 * Image: no Xen ELF notes, only the legacy "__xen_guest" string NetBSD's
 * locore.S carries (VIRT_BASE and ELF_PADDR_OFFSET 0xc0000000, so the
 * physical addresses in the ELF file are the virtual ones; VIRT_ENTRY
 * 0xc0100000; HYPERCALL_PAGE 0x101, a page number from VIRT_BASE, so the
 * page must sit at 0xc0101000: the first page of .text.entry is start's,
 * the second the hypercall page; netbsd_like.lds puts .text.entry first;
 * BSD_SYMTAB, so the builder copies the symbol table after the image, as
 * for a kernel with ksyms or DDB, which XEN3PAE_DOM0 has).
 *
 * Interface (see test_netbsd_like.c):
 *   start             as NetBSD's: EFLAGS 2, Xen's %esp kept in %ebx, a
 *                     temporary stack, .bss cleared byte by byte, the 512
 *                     bytes at %esi copied to nb_start_info, %fs = %gs = 0,
 *                     plain cpuid 0 into nb_cpuid_level, then nb_main()
 *   nb_lgdt_finish()  %ds, %es, %gs, %ss = 0x11, %fs = 0x31, then a far
 *                     return to the caller on code selector 0x09
 *   nb_entry_gp/pf    #GP and #PF: nb_unexpected_fault(vector, error, eip)
 *   nb_entry_bp       int3: counts nb_bp_hits, notes %cs in nb_bp_cs
 *   nb_entry_other    any other vector: nb_unexpected_fault(0xff, ...)
 *   nb_hypervisor_callback  the event callback: saves the registers, runs
 *                     nb_do_events(), returns through the iret hypercall
 *   nb_failsafe_callback  nb_unexpected_fault(0x101, ...)
 */
#define PAGE_SIZE	4096
#define IRET_HYPERCALL	23	/* __HYPERVISOR_iret */

	.section __xen_guest, ""
	.ascii	"GUEST_OS=netbsd,GUEST_VER=3.0,XEN_VER=xen-3.0,"
	.ascii	"VIRT_BASE=0xc0000000,ELF_PADDR_OFFSET=0xc0000000,"
	.ascii	"VIRT_ENTRY=0xc0100000,HYPERCALL_PAGE=0x00000101,"
	.ascii	"LOADER=generic,PAE=yes[extended-cr3],BSD_SYMTAB=yes"
	.byte	0

	.section .text.entry, "ax"
	.globl start
start:
	pushl	$2
	popfl
	cld
	movl	%esp, %ebx
	movl	$nb_tmpstk + 4 * PAGE_SIZE, %esp
	xorl	%eax, %eax
	movl	$__bss_start, %edi
	movl	$_end, %ecx
	subl	%edi, %ecx
	rep stosb
	movl	$nb_start_info, %edi
	movl	$128, %ecx
	rep movsl
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	cpuid
	movl	%eax, nb_cpuid_level
	call	nb_main
	ud2a

	.org	PAGE_SIZE
	.globl hypercall_page
hypercall_page:
	.fill	PAGE_SIZE, 1, 0xc3

	.text
	.globl nb_lgdt_finish
nb_lgdt_finish:
	movl	$0x11, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %gs
	movl	%eax, %ss
	movl	$0x31, %eax
	movl	%eax, %fs
	popl	%eax
	pushl	$0x09
	pushl	%eax
	lret

	.globl nb_entry_gp, nb_entry_pf, nb_entry_bp, nb_entry_other
	.globl nb_hypervisor_callback, nb_failsafe_callback
nb_entry_gp:
	pushl	$13
	jmp	1f
nb_entry_pf:
	pushl	$14
1:	call	nb_unexpected_fault	/* (vector, error code, eip): no return */
	ud2a
nb_entry_other:
	pushl	$0xff
	jmp	1b
nb_failsafe_callback:
	pushl	$0x101
	jmp	1b

nb_entry_bp:
	incl	nb_bp_hits
	movw	%cs, nb_bp_cs
	jmp	hypercall_page + IRET_HYPERCALL * 32

nb_hypervisor_callback:
	pushal
	call	nb_do_events
	popal
	jmp	hypercall_page + IRET_HYPERCALL * 32

	.section .bss.page_aligned, "aw", @nobits
	.balign	PAGE_SIZE
	.globl nb_tmpstk
nb_tmpstk:
	.skip	4 * PAGE_SIZE
