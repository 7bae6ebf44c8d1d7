/*
 * entry.S - every way into and out of the hypervisor after boot.
 *
 * Each of the 256 IDT vectors has a 16-byte stub at trap_stubs + 16 * vector
 * that pushes an error code (0 where the CPU pushes none) and the vector,
 * then joins trap_common, which saves the rest of a struct trap_frame
 * (frame.h) and calls trap_dispatch(frame).  trap_return restores a frame
 * and irets; arch_enter_frame() starts or resumes a guest from a frame.
 * Hypercalls (int $0x82) come in the same way.
 *
 * Fixups (.extable): a fault while popping a guest's data segment loads the
 * null selector instead; a fault on the final iret crashes the guest; a
 * fault inside arch_copy_guest() ends the copy early (guest_access.c).
 */
#include "page.h"

	.text
	.align 16
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.align 16
	.if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	pushl	$vec
	.else
	pushl	$0
	pushl	$vec
	.endif
	jmp	trap_common
	.set vec, vec + 1
	.endr

trap_common:
	pushl	%ds
	pushl	%es
	pushl	%fs
	pushl	%gs
	pushal
	movl	$__HYPERVISOR_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	cld
	pushl	%esp
	call	trap_dispatch
	addl	$4, %esp
	.globl trap_return
trap_return:
	popal
.Lpop_gs:
	popl	%gs
.Lpop_fs:
	popl	%fs
.Lpop_es:
	popl	%es
.Lpop_ds:
	popl	%ds
	addl	$8, %esp		/* vector, error code */
.Liret:
	iret

/* A guest data selector that no longer loads: use the null selector. */
.Lfix_gs:
	movl	$0, (%esp)
	jmp	.Lpop_gs
.Lfix_fs:
	movl	$0, (%esp)
	jmp	.Lpop_fs
.Lfix_es:
	movl	$0, (%esp)
	jmp	.Lpop_es
.Lfix_ds:
	movl	$0, (%esp)
	jmp	.Lpop_ds
/* The guest's own CS:EIP/SS:ESP could not be returned to. */
.Lfix_iret:
	call	arch_iret_failed	/* does not return */

	.section .extable, "a"
	.long .Lpop_gs, .Lfix_gs
	.long .Lpop_fs, .Lfix_fs
	.long .Lpop_es, .Lfix_es
	.long .Lpop_ds, .Lfix_ds
	.long .Liret, .Lfix_iret
	.text

/*
 * void arch_switch_stack(uint32_t *save_esp, uint32_t new_esp): save the
 * callee-saved registers on this stack and its esp in *save_esp, then
 * continue on new_esp where an earlier call (or sched_prepare_vcpu) left
 * the same four registers and a return address.
 */
	.globl arch_switch_stack
arch_switch_stack:
	movl	4(%esp), %eax
	movl	8(%esp), %ecx
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	%esp, (%eax)
	movl	%ecx, %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret

/* A vCPU's first run: its frame lies right above the switch frame. */
	.globl arch_vcpu_first_entry
arch_vcpu_first_entry:
	jmp	trap_return

/* void arch_enter_frame(struct trap_frame *frame): load it and iret. */
	.globl arch_enter_frame
arch_enter_frame:
	movl	4(%esp), %esp
	jmp	trap_return

/*
 * size_t arch_copy_guest(void *dst, const void *src, size_t n)
 * Copies n bytes; returns how many were NOT copied because a fault stopped
 * the copy.  The caller has checked that the guest range lies below the
 * hypervisor.
 */
	.globl arch_copy_guest
arch_copy_guest:
	pushl	%esi
	pushl	%edi
	movl	12(%esp), %edi
	movl	16(%esp), %esi
	movl	20(%esp), %ecx
.Lcopy:
	rep movsb
.Lcopy_done:
	movl	%ecx, %eax
	popl	%edi
	popl	%esi
	ret

	.section .extable, "a"
	.long .Lcopy, .Lcopy_done
	.text

/*
 * With "int80=native" on the command line vector 0x80 is a DPL-3 gate to
 * this: a system call handled in ring 0 by the hypervisor itself, doing
 * nothing.  It is the reference the system-call benchmark compares with.
 */
	.globl native_int80_entry
native_int80_entry:
	iret
