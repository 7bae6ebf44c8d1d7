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
 * Fixups (.extable): a fault while popping a guest's data segment or on
 * the final iret goes to C (traps.c), which enters the guest's failsafe
 * callback; a fault inside arch_copy_guest() ends the copy early
 * (guest_access.c).  sysenter_entry is where SYSENTER lands.
 *
 * Isolation (isolate.h): what runs before trap_common has switched to the
 * full view, and after trap_return has switched to the guest's, is in
 * .text.entry, the only hypervisor code mapped in the guest's view.
 */
#include "page.h"

/*
 * Offsets in struct trap_frame (frame.h).  The slot pushal fills with
 * %esp (popal skips it) holds the CR3 the trap interrupted, plus
 * ON_ENTRY_STACK if it interrupted code on the entry stack: a return to
 * ring 0 goes back to that stack and that view.
 */
#define FRAME_SAVED_CR3	12
#define FRAME_CS	60
#define FRAME_SIZE	76
#define ON_ENTRY_STACK	1
#define ENTRY_STACK_SIZE	(1 << PAGE_SHIFT)	/* isolate.c: one page */
#define ENTRY_STACK_TOP	(iso_entry_stack + ENTRY_STACK_SIZE)

	.section .text.entry, "ax"
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
	movl	%cr3, %eax
	movl	%eax, FRAME_SAVED_CR3(%esp)
	call	.Lfull_view
	cld
	pushl	%esp
	call	trap_dispatch
	addl	$4, %esp
	.globl trap_return
trap_return:
	testb	$3, FRAME_CS(%esp)
	jz	.Lreturn_to_hyp
	call	iso_exit_cr3		/* the guest's view, or 0 */
	testl	%eax, %eax
	jz	.Lrestore
	/* The frame onto the entry stack, the one stack the guest's view maps. */
	movl	%eax, %edx
	movl	%esp, %esi
	movl	$ENTRY_STACK_TOP - FRAME_SIZE, %edi
	movl	$FRAME_SIZE / 4, %ecx
	cld
	rep movsl
	movl	$ENTRY_STACK_TOP - FRAME_SIZE, %esp
	movl	%edx, %cr3
.Lrestore:
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

/*
 * Back into the hypervisor.  A trap that interrupted code on the entry
 * stack (an NMI or a fault on a guest selector on the way out, an NMI at
 * native_int80_entry or early in trap_common) had what lay on it moved
 * to the vCPU's stack (.Lfull_view): move it back, to the same distance
 * below the entry stack's top, and load the view it was on.  A fixup the
 * handler sent it to moves again itself (.Lhyp_segments).
 */
.Lreturn_to_hyp:
	movl	FRAME_SAVED_CR3(%esp), %eax
	testl	$ON_ENTRY_STACK, %eax
	jz	1f
	movl	iso_stack_top, %ecx
	subl	%esp, %ecx
	cmpl	$ENTRY_STACK_SIZE, %ecx	/* only if the vCPU changed: a bug */
	ja	.Lentry_stack_lost
	movl	%esp, %esi
	movl	$ENTRY_STACK_TOP, %edi
	subl	%ecx, %edi
	movl	%edi, %edx
	shrl	$2, %ecx
	cld
	rep movsl
	movl	%edx, %esp
	andl	$~ON_ENTRY_STACK, %eax
	movl	%cr3, %ecx
	cmpl	%ecx, %eax
	je	1f
	movl	%eax, %cr3
1:	popal
	popl	%gs
	popl	%fs
	popl	%es
	popl	%ds
	addl	$8, %esp
	iret

/*
 * A return to the entry stack from further than it holds: a ring-0 trap
 * handler scheduled another vCPU (they must not).  Stop here (#UD, which
 * the hypervisor reports as its own fault) rather than write below it.
 */
.Lentry_stack_lost:
	ud2

/*
 * A guest data selector that no longer loads.  The fault frame overwrote
 * the part of our frame below %esp, but the registers already popped still
 * hold their values: push them back so the frame is whole again, then let
 * arch_segment_failed() enter the guest's failsafe callback (or load the
 * null selector where it has none).  It does not return.
 */
.Lfix_gs:
	jmp	.Lsegment_failed
.Lfix_fs:
	pushl	%gs
	jmp	.Lsegment_failed
.Lfix_es:
	pushl	%fs
	pushl	%gs
	jmp	.Lsegment_failed
.Lfix_ds:
	pushl	%es
	pushl	%fs
	pushl	%gs
.Lsegment_failed:
	pushal
	call	.Lhyp_segments
	pushl	%esp
	call	arch_segment_failed	/* does not return */
/*
 * The final iret faulted: the guest's CS:EIP or SS:ESP would not load.
 * Rebuild the frame as above (every register holds the guest's value
 * again) and let arch_iret_failed() decide.
 */
.Lfix_iret:
	subl	$8, %esp		/* back over vector and error code */
	pushl	%ds
	pushl	%es
	pushl	%fs
	pushl	%gs
	pushal
	call	.Lhyp_segments
	pushl	%esp
	call	arch_iret_failed	/* does not return */
.Lhyp_segments:
	movl	$__HYPERVISOR_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	/* fall through */
/*
 * Called right after pushal: on the guest's view (isolate.h), load the
 * full one; on the entry stack, move everything on it (this return address,
 * the frame, whatever an interrupted trap left above it) to the same
 * distance below the vCPU's stack top, continue there, and mark the frame
 * ON_ENTRY_STACK.  Uses %eax, %ecx, %esi, %edi.
 */
.Lfull_view:
	movl	%cr3, %eax
	cmpl	iso_guest_cr3, %eax
	jne	1f
	movl	iso_hyp_cr3, %eax
	movl	%eax, %cr3
1:	movl	%esp, %eax
	subl	$iso_entry_stack, %eax
	cmpl	$ENTRY_STACK_SIZE, %eax
	jae	2f
	movl	$ENTRY_STACK_SIZE, %ecx
	subl	%eax, %ecx		/* bytes up to the entry stack's top */
	movl	%esp, %esi
	movl	iso_stack_top, %edi
	subl	%ecx, %edi
	movl	%edi, %eax
	shrl	$2, %ecx
	cld
	rep movsl
	movl	%eax, %esp
	orl	$ON_ENTRY_STACK, 4 + FRAME_SAVED_CR3(%esp)
2:	ret

	.pushsection .extable, "a"
	.long .Lpop_gs, .Lfix_gs
	.long .Lpop_fs, .Lfix_fs
	.long .Lpop_es, .Lfix_es
	.long .Lpop_ds, .Lfix_ds
	.long .Liret, .Lfix_iret
	.popsection

/*
 * SYSENTER from a guest (MSRs set by desc.c): the CPU is in ring 0 on the
 * current vCPU's stack top (the entry stack's, with isolation on) with IF
 * clear, and has saved nothing.  Build
 * the frame an interrupt from ring 3 would have left, with the null
 * user context Xen gives (eip 0, cs 3, esp 0, ss FLAT_RING3_SS), and the
 * pseudo-vector SYSENTER_VECTOR.  EFLAGS.NT and TF are cleared at once:
 * a single-step trap before that point is dropped by trap_dispatch.
 */
	.globl sysenter_entry, sysenter_flags_clean
sysenter_entry:
	pushl	$0xe033			/* FLAT_RING3_SS */
	pushl	$0
	pushfl
	pushl	$2
	popfl
sysenter_flags_clean:
	orl	$0x200, (%esp)		/* ring 3 runs with IF set */
	pushl	$3
	pushl	$0
	pushl	$0			/* error code */
	pushl	$0x100			/* SYSENTER_VECTOR */
	jmp	trap_common

/*
 * With "int80=native" on the command line vector 0x80 is a DPL-3 gate to
 * this: a system call handled in ring 0 by the hypervisor itself, doing
 * nothing.  It is the reference the system-call benchmark compares with.
 */
	.globl native_int80_entry
native_int80_entry:
	iret

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
