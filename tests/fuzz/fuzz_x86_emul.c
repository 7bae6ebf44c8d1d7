/*
 * fuzz_x86_emul.c - libFuzzer target for hyp/x86_emul.c, the decoder of a
 * guest kernel's faulting writes to its page tables.
 *
 * Input layout: 40 bytes of registers (eax ecx edx ebx esp ebp esi edi
 * eflags eip, little-endian), 8 bytes of old memory contents, then the
 * instruction bytes, all hostile.  The instruction is copied into a buffer
 * of exactly its size, so ASan catches any read at or past avail.
 * Properties checked:
 *  - decode returns 0, -XEN_EINVAL or -XEN_EOPNOTSUPP;
 *  - on 0: len <= 15, len <= avail, size is 1/2/4 (8 only for cmpxchg8b),
 *    bit < size * 8, seg is ES/SS/DS, atomic iff lock or xchg; decoding
 *    with avail = len gives the same result and with len - 1 is -XEN_EINVAL;
 *  - execute advances EIP by len, keeps store_val within size, stores
 *    unless a cmpxchg failed, changes only the registers the instruction
 *    names and only the arithmetic EFLAGS bits, and gives the same answer
 *    when its output aliases its input.
 * Seeds in tests/fuzz/fuzz_x86_emul/ hold assembler-produced encodings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../hyp/x86_emul.h"
#include <public/errno.h>

#define HEADER	48

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Field by field: padding bytes need not match. */
static bool same(const struct x86_mem_write *a, const struct x86_mem_write *b)
{
	return a->len == b->len && a->addr == b->addr && a->size == b->size &&
	       a->op == b->op && a->src == b->src && a->reg == b->reg &&
	       a->bit == b->bit && a->seg == b->seg && a->lock == b->lock &&
	       a->atomic == b->atomic;
}

static void check_decoded(const struct x86_mem_write *w, const uint8_t *insn,
			  uint32_t avail, const struct x86_emul_regs *regs)
{
	struct x86_mem_write again;

	if (w->len == 0 || w->len > 15 || w->len > avail)
		abort();
	if ((w->size == 8) != (w->op == X86_OP_CMPXCHG8B))
		abort();
	if (w->size != 1 && w->size != 2 && w->size != 4 && w->size != 8)
		abort();
	if (w->op > X86_OP_STOS || w->reg > 7 || w->bit >= w->size * 8)
		abort();
	if (w->seg != X86_SEG_ES && w->seg != X86_SEG_SS && w->seg != X86_SEG_DS)
		abort();
	if (w->atomic != (w->lock || w->op == X86_OP_XCHG))
		abort();
	if (x86_emul_decode(insn, w->len, regs, &again) != 0 || !same(&again, w))
		abort();
	if (x86_emul_decode(insn, w->len - 1, regs, &again) != -XEN_EINVAL)
		abort();
}

/* Registers the instruction may write. */
static uint32_t writable_regs(const struct x86_mem_write *w)
{
	switch (w->op) {
	case X86_OP_XCHG:
		return 1u << (w->size == 1 ? w->reg & 3 : w->reg);
	case X86_OP_CMPXCHG:
		return 1u << X86_EAX;
	case X86_OP_CMPXCHG8B:
		return 1u << X86_EAX | 1u << X86_EDX;
	case X86_OP_STOS:
		return 1u << X86_EDI;
	default:
		return 0;
	}
}

static void check_executed(const struct x86_mem_write *w,
			   const struct x86_emul_regs *regs, uint64_t old)
{
	const uint32_t arith = X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF |
			       X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF;
	struct x86_emul_regs out, alias = *regs;
	uint64_t val, val2;
	bool store, store2;
	unsigned int i;

	x86_emul_execute(w, regs, old, &val, &store, &out);
	if (out.eip != regs->eip + w->len)
		abort();
	if (w->size < 8 && (val >> (8 * w->size)) != 0)
		abort();
	if (!store && w->op != X86_OP_CMPXCHG && w->op != X86_OP_CMPXCHG8B)
		abort();
	if ((out.eflags ^ regs->eflags) & ~arith)
		abort();
	for (i = 0; i < 8; i++)
		if (out.r[i] != regs->r[i] && !(writable_regs(w) & (1u << i)))
			abort();
	x86_emul_execute(w, &alias, old, &val2, &store2, &alias);
	if (memcmp(&alias, &out, sizeof(out)) != 0 || store2 != store ||
	    (store && val2 != val))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct x86_emul_regs regs;
	struct x86_mem_write w;
	uint32_t avail, i;
	uint64_t old;
	uint8_t *insn;
	int rc;

	if (size < HEADER || size > HEADER + 64)
		return 0;
	for (i = 0; i < 8; i++)
		regs.r[i] = le32(data + 4 * i);
	regs.eflags = le32(data + 32);
	regs.eip = le32(data + 36);
	old = le32(data + 40) | (uint64_t)le32(data + 44) << 32;
	avail = (uint32_t)(size - HEADER);
	insn = malloc(avail ? avail : 1);
	if (!insn)
		return 0;
	memcpy(insn, data + HEADER, avail);
	rc = x86_emul_decode(insn, avail, &regs, &w);
	if (rc == 0) {
		check_decoded(&w, insn, avail, &regs);
		check_executed(&w, &regs, old);
	} else if (rc != -XEN_EINVAL && rc != -XEN_EOPNOTSUPP) {
		abort();
	}
	free(insn);
	return 0;
}
