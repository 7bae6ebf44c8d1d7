/*
 * x86_decode.h - the byte-level steps every 32-bit x86 instruction decoder
 * here takes, shared by x86_emul.c (stores into page tables) and
 * seg_fixup.c (the 4gb_segments assist):
 *
 *   a cursor over the instruction's bytes that stops at the bytes the
 *   caller has or at the architectural limit of 15, whichever is first;
 *   little-endian fetches of immediates and displacements;
 *   the effective address of a ModRM memory operand with its SIB byte
 *   and displacement (address size 32; no 67 prefix), and the segment
 *   it defaults to.
 *
 * Register and segment numbers follow the x86 encoding.  Invariants:
 * nothing reads insn[limit] or beyond, and limit <= X86_EMUL_MAX_INSN, so
 * a decode that needs more bytes fails with -XEN_EINVAL.  Freestanding.
 */
#ifndef XYLEM_X86_DECODE_H
#define XYLEM_X86_DECODE_H

#include <stdint.h>

#define X86_EMUL_MAX_INSN	15	/* architectural instruction length limit */

/* Register numbers, in the order of their x86 encoding. */
enum x86_emul_reg {
	X86_EAX, X86_ECX, X86_EDX, X86_EBX, X86_ESP, X86_EBP, X86_ESI, X86_EDI
};

/* Segment register numbers, in the order of their x86 encoding. */
enum x86_emul_seg {
	X86_SEG_ES, X86_SEG_CS, X86_SEG_SS, X86_SEG_DS, X86_SEG_FS, X86_SEG_GS
};

struct x86_cursor {
	const uint8_t *insn;
	uint32_t pos;		/* bytes fetched so far: the length at the end */
	uint32_t limit;		/* min(avail, X86_EMUL_MAX_INSN) */
};

/* A cursor at the start of insn[0..avail). */
void x86_cursor_init(struct x86_cursor *c, const uint8_t *insn, uint32_t avail);

/* The next byte; -XEN_EINVAL at the limit. */
int x86_fetch(struct x86_cursor *c, uint8_t *byte);

/* A little-endian value of 1 to 4 bytes; -XEN_EINVAL if they are not all
 * there (the cursor has then moved past the ones that were). */
int x86_fetch_le(struct x86_cursor *c, uint32_t bytes, uint32_t *val);

/* Step over n bytes (an immediate); -XEN_EINVAL, not moving, if short. */
int x86_skip(struct x86_cursor *c, uint32_t n);

/*
 * The memory operand of ModRM byte modrm (mod != 3, the byte already
 * fetched): fetches the SIB byte and displacement that follow and sets
 * *addr to base + (index << scale) + displacement, wrapping at 2^32, with
 * gpr[] the eight registers in encoding order.  *seg gets the segment the
 * operand defaults to: SS when the base is EBP or ESP, DS otherwise; the
 * caller applies any override prefix.  0 or -XEN_EINVAL (truncated).
 */
int x86_modrm_address(struct x86_cursor *c, const uint32_t gpr[8],
		      uint8_t modrm, uint32_t *addr, int *seg);

#endif
