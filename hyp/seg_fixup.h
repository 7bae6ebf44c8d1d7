/*
 * seg_fixup.h - the decoding and descriptor arithmetic behind the
 * VMASST_TYPE_4gb_segments assist: making "4 GiB" data segments with a
 * non-zero base work although segdesc.c truncates them below limit_end.
 *
 * A guest data segment with base B != 0 that asks for 4 GiB (limit
 * 0xFFFFF pages) means offsets to wrap: offset O reaches linear
 * (B + O) mod 2^32.  segdesc_check() cuts it to the "up-form", which
 * covers linear [B, limit_end), so an access meant to wrap below B takes
 * a #GP instead.  With the assist enabled, the #GP path
 *   1. copies the faulting instruction out of the guest and calls
 *      x86_mem_refs() to learn which segments, offsets and sizes it used;
 *   2. for each reference whose segment is such a descriptor, calls
 *      seg_fixup_flip(), which rewrites the descriptor (in a private copy
 *      of the guest's GDT/LDT entry) to the other form if, and only if,
 *      the access lies entirely inside what that form covers;
 *   3. stores the descriptor back, reloads the segment register and
 *      restarts the instruction.
 * The two forms of a segment with base B (G = 1, B = 1, data, present):
 *   up-form:   expand-up, raw limit ((limit_end - B) >> 12) - 1, exactly
 *              what segdesc_check() makes of the 4 GiB request; offsets
 *              [0, U) with U = ((limit_end - B) >> 12) << 12, linear
 *              [B, B + U), and B + U <= limit_end;
 *   down-form: expand-down, raw limit ceil((2^32 - B) / 4096) - 1;
 *              offsets [W, 2^32) with W = ceil((2^32 - B) / 4096) * 4096,
 *              linear [B + W - 2^32, B), and B < limit_end.
 * Invariant: neither form lets any offset reach a linear address at or
 * above limit_end, so the hypervisor's area stays out of reach whichever
 * form is installed; both pass segdesc_check() unchanged.  Offsets in
 * [U, W) stay unreachable in both forms (they would reach the hypervisor,
 * or, with a base that is not page aligned, the partial page below it).
 * A base below 4 KiB has no down-form (no whole page wraps), nor does a
 * base whose up-form is refused (base >= limit_end, or less than 4 KiB
 * left below limit_end).
 *
 * Freestanding; no state.
 */
#ifndef XYLEM_SEG_FIXUP_H
#define XYLEM_SEG_FIXUP_H

#include <stdbool.h>
#include <stdint.h>

#include "x86_emul.h"

#define X86_MEM_REFS_MAX	2

/* One explicit memory reference of an instruction. */
struct x86_mem_ref {
	uint8_t seg;		/* enum x86_emul_seg */
	uint32_t offset;	/* effective address: offset inside the segment */
	uint32_t size;		/* bytes accessed from offset on */
};

/*
 * Decode the 32-bit protected-mode instruction (CS.D = 1) at
 * insn[0..avail) given the guest's registers, and list the memory it
 * addresses explicitly.  Returns 0 with *len its length (1..15),
 * *nr (0..2) references in refs[0..*nr); -XEN_EINVAL if it is truncated
 * (needs byte avail or beyond) or longer than 15 bytes; -XEN_EOPNOTSUPP
 * for an undefined or unsupported encoding.  On error *nr = *len = 0.
 *
 * Covered: prefixes 66 F0 F2 F3 and the segment overrides 26 2E 36 3E 64
 * 65 (the last one counts); one-byte opcodes, 0F xx, and 0F 38 xx /
 * 0F 3A xx; full ModRM/SIB/displacement addressing with default segment
 * DS, or SS when the base register is EBP or ESP, an override winning;
 * moffs (A0-A3, DS); string instructions: MOVS and CMPS give DS:ESI
 * (overridable) then ES:EDI, LODS and OUTS DS:ESI, STOS, SCAS and INS
 * ES:EDI (never overridden), at the current ESI/EDI, REP or not;
 * XLAT gives DS:EBX + AL; MASKMOVQ/MASKMOVDQU DS:EDI; bt/bts/btr/btc
 * with a register bit offset give the word the offset selects.
 * Not listed: implicit stack references (push, pop, call, ret, enter,
 * interrupts), descriptor-table and TSS accesses; operands that are
 * never accessed (lea, prefetch and hint NOPs, invlpg): nr = 0, like
 * register forms (ModRM mod 3) and instructions without memory operands.
 * Sizes: the operand size where it is simply known (1, 2, 4, 8 for
 * cmpxchg8b, 6 for lgdt/sgdt and far pointers, 10 and 108 for x87),
 * otherwise the largest plausible: 16 for SSE, 8 for MMX (16 with a 66,
 * F2 or F3 prefix), 28 for fldenv, 512 for fxsave.
 * Refused (-XEN_EOPNOTSUPP): 67 (16-bit addressing); VEX, EVEX and XOP
 * encodings; 3DNow!; xsave and its relatives; vmread/vmwrite and the VMX
 * memory forms other than the 0F C7 group; TSX (C6 F8, C7 F8); ud0/ud1.
 * The decoder checks shapes, not every #UD condition (a misplaced LOCK,
 * a bad segment register number): such an instruction cannot #GP.
 *
 * Invariants: never reads insn[avail] or beyond, nor beyond insn[14];
 * reads no memory but insn, regs and writes only refs, *nr, *len.
 * Decoding insn[0..*len) alone gives the same answer.
 */
int x86_mem_refs(const uint8_t *insn, uint32_t avail,
		 const struct x86_emul_regs *regs,
		 struct x86_mem_ref refs[X86_MEM_REFS_MAX], unsigned int *nr,
		 uint32_t *len);

/*
 * Whether desc is in the up-form or the down-form of its base for
 * limit_end: present, code/data, data, G = 1, B = 1, DPL >= 1 (what a
 * checked table holds), base != 0, and both forms exist.
 */
bool seg_fixup_is_flippable(uint64_t desc, uint32_t limit_end);

/*
 * Rewrite *desc from one form to the other when the access
 * [offset, offset + size) lies entirely inside what the other form
 * covers: up-form -> down-form when offset >= W and offset + size <= 2^32;
 * down-form -> up-form when offset + size <= U.  Only the expand-down bit
 * and the limit change (base, DPL, accessed bit and the rest are kept).
 * Returns true if *desc was rewritten; false, leaving *desc alone, for
 * any other descriptor, a zero size, or an access the other form would
 * not cover.  A rewritten descriptor passes segdesc_check() unchanged.
 */
bool seg_fixup_flip(uint64_t *desc, uint32_t offset, uint32_t size,
		    uint32_t limit_end);

#endif
