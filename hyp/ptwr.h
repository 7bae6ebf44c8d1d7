/*
 * ptwr.h - writable page tables (the writable_page_tables feature).
 *
 * Every page table is mapped read-only, so a guest kernel's plain store
 * to an entry of one of its L1 tables faults.  ptwr_emulate() recognises
 * that fault (a ring-1 write to a present read-only mapping of a frame the
 * guest owns that is in use as an L1), decodes the one instruction
 * (x86_emul.h), validates the entry it would write exactly as mmu_update
 * does, stores it and moves the guest past the instruction.  A 4-byte
 * store to the upper half of an entry that would not validate as present
 * is accepted with the present bit cleared, on the assumption that the
 * lower half follows (guests write PAE entries high half first).  Writes
 * to L2/L3 tables, or values that do not validate, are not emulated: the
 * page fault goes to the guest as usual.
 */
#ifndef XYLEM_PTWR_H
#define XYLEM_PTWR_H

#include <stdbool.h>
#include <stdint.h>
#include "x86_emul.h"
#include "arch/x86_32/frame.h"

/* True if the page fault in f was an emulated page-table write. */
bool ptwr_emulate(struct trap_frame *f, uint32_t cr2);

/* Shared with the other instruction decoders' callers (seg_assist.c): */
/* Copy the guest's instruction bytes at eip, as many as are readable up
 * to X86_EMUL_MAX_INSN; returns how many. */
uint32_t ptwr_fetch_insn(uint32_t eip, uint8_t *buf);
/* The frame's general registers, EFLAGS and EIP as the decoders take them. */
void ptwr_frame_to_regs(const struct trap_frame *f, struct x86_emul_regs *r);

#endif
