/*
 * frame.h - the register frame entry.S saves on every entry to the
 * hypervisor, lowest address first.  esp and ss are present only when the
 * CPU came from ring 1 or 3 (always the case for a guest's traps and
 * hypercalls); a frame from ring 0 ends at eflags.
 */
#ifndef XYLEM_FRAME_H
#define XYLEM_FRAME_H

#include <stdint.h>

struct trap_frame {
	uint32_t edi, esi, ebp, esp_ignored, ebx, edx, ecx, eax;
	uint32_t gs, fs, es, ds;
	uint32_t vector, error_code;
	uint32_t eip, cs, eflags;
	uint32_t esp, ss;
};

static inline unsigned int frame_ring(const struct trap_frame *f)
{
	return f->cs & 3;
}

/* Load a frame and return to it; entry.S. */
void arch_enter_frame(struct trap_frame *frame) __attribute__((noreturn));
/*
 * Returning to a guest from frame failed (entry.S calls these with the
 * frame rebuilt): a data selector would not load, or the final iret
 * faulted.  They enter the guest's failsafe callback, or handle it as
 * traps.h says, and resume.
 */
void arch_segment_failed(struct trap_frame *frame) __attribute__((noreturn));
void arch_iret_failed(struct trap_frame *frame) __attribute__((noreturn));

struct extable_entry {
	uint32_t insn;
	uint32_t fixup;
};

#endif
