/*
 * x86_emul.c - decoder and evaluator for the memory writes a 32-bit guest
 * kernel makes to its write-protected page tables.  See x86_emul.h.
 *
 * Every byte is fetched through x86_decode.h's cursor, which refuses to go
 * past avail or the 15-byte architectural limit, so a truncated or overlong
 * instruction is -XEN_EINVAL and nothing beyond insn[avail - 1] is read.
 * Anything the CPU would execute differently from what is modelled here
 * (register destinations, LOCK where it is #UD, 16-bit addressing,
 * segments whose base may be non-zero, rep) is -XEN_EOPNOTSUPP, so the
 * caller never applies a half-understood instruction.  Freestanding.
 */
#include "x86_emul.h"

#include <public/errno.h>

/* What the prefixes said. */
struct prefixes {
	uint32_t opsize;	/* 4, or 2 with a 66 prefix */
	bool lock;
	int seg;		/* enum x86_emul_seg, or -1 for the default */
};

static uint32_t size_mask(uint32_t size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/* Read register reg at operand size size (1: AL..BL then AH..BH). */
static uint32_t reg_read(const struct x86_emul_regs *regs, unsigned int reg,
			 uint32_t size)
{
	if (size == 1)
		return reg < 4 ? regs->r[reg] & 0xff : (regs->r[reg - 4] >> 8) & 0xff;
	return regs->r[reg] & size_mask(size);
}

/* Write register reg at operand size size, keeping the bits it does not cover. */
static void reg_write(struct x86_emul_regs *regs, unsigned int reg,
		      uint32_t size, uint32_t val)
{
	if (size == 1 && reg >= 4) {
		regs->r[reg - 4] = (regs->r[reg - 4] & ~0xff00u) | ((val & 0xff) << 8);
		return;
	}
	regs->r[reg] = (regs->r[reg] & ~size_mask(size)) | (val & size_mask(size));
}

static int decode_prefixes(struct x86_cursor *c, struct prefixes *p, uint8_t *opcode)
{
	uint8_t b;

	p->opsize = 4;
	p->lock = false;
	p->seg = -1;
	for (;;) {
		if (x86_fetch(c, &b))
			return -XEN_EINVAL;
		switch (b) {
		case 0xf0:
			p->lock = true;
			break;
		case 0x66:
			p->opsize = 2;
			break;
		case 0x26:
			p->seg = X86_SEG_ES;
			break;
		case 0x36:
			p->seg = X86_SEG_SS;
			break;
		case 0x3e:
			p->seg = X86_SEG_DS;
			break;
		case 0x2e: case 0x64: case 0x65:	/* CS/FS/GS: base may be non-zero */
		case 0x67:				/* 16-bit addressing */
		case 0xf2: case 0xf3:			/* rep */
			return -XEN_EOPNOTSUPP;
		default:
			*opcode = b;
			return 0;
		}
	}
}

/*
 * Decode ModRM (and SIB, displacement) for a memory operand.  *reg gets
 * the reg field.  A register operand (mod 3) is -XEN_EOPNOTSUPP.
 */
static int decode_modrm(struct x86_cursor *c, const struct x86_emul_regs *regs,
			const struct prefixes *p, struct x86_mem_write *w,
			unsigned int *reg)
{
	uint8_t modrm;
	int seg;

	if (x86_fetch(c, &modrm))
		return -XEN_EINVAL;
	*reg = (modrm >> 3) & 7;
	if ((modrm >> 6) == 3)
		return -XEN_EOPNOTSUPP;
	if (x86_modrm_address(c, regs->r, modrm, &w->addr, &seg))
		return -XEN_EINVAL;
	w->seg = (uint8_t)(p->seg >= 0 ? p->seg : seg);
	return 0;
}

/* op r/m, reg: mov, xchg, or, and, cmpxchg. */
static int decode_rm_reg(struct x86_cursor *c, const struct x86_emul_regs *regs,
			 const struct prefixes *p, struct x86_mem_write *w,
			 enum x86_emul_op op, uint32_t size)
{
	unsigned int reg;
	int rc = decode_modrm(c, regs, p, w, &reg);

	if (rc)
		return rc;
	w->op = op;
	w->size = size;
	w->reg = (uint8_t)reg;
	w->src = reg_read(regs, reg, size);
	return 0;
}

/*
 * Group opcodes with an immediate: C6/C7 (/0 mov), 80/81/83 (/1 or, /4 and).
 * imm_size is the immediate's width; sign extends it (83).
 */
static int decode_rm_imm(struct x86_cursor *c, const struct x86_emul_regs *regs,
			 const struct prefixes *p, struct x86_mem_write *w,
			 uint8_t opcode, uint32_t size)
{
	bool is_mov = opcode == 0xc6 || opcode == 0xc7;
	uint32_t imm_size = opcode == 0x81 || opcode == 0xc7 ? size : 1;
	unsigned int reg;
	uint32_t imm;
	int rc = decode_modrm(c, regs, p, w, &reg);

	if (rc)
		return rc;
	if (is_mov && reg == 0)
		w->op = X86_OP_MOV;
	else if (!is_mov && reg == 1)
		w->op = X86_OP_OR;
	else if (!is_mov && reg == 4)
		w->op = X86_OP_AND;
	else
		return -XEN_EOPNOTSUPP;
	if (x86_fetch_le(c, imm_size, &imm))
		return -XEN_EINVAL;
	if (opcode == 0x83)
		imm = (uint32_t)(int32_t)(int8_t)imm;
	w->size = size;
	w->src = imm & size_mask(size);
	return 0;
}

/*
 * bts/btr: 0F AB/B3 (bit offset in a register) and 0F BA /5 /6 (imm8).
 * A register offset outside [0, size * 8) addresses another word of
 * memory; that is not modelled.
 */
static int decode_bit(struct x86_cursor *c, const struct x86_emul_regs *regs,
		      const struct prefixes *p, struct x86_mem_write *w,
		      uint8_t opcode)
{
	uint32_t bits = p->opsize * 8, imm;
	unsigned int reg;
	int32_t offset;
	int rc = decode_modrm(c, regs, p, w, &reg);

	if (rc)
		return rc;
	w->size = p->opsize;
	if (opcode == 0xba) {
		if (reg != 5 && reg != 6)
			return -XEN_EOPNOTSUPP;
		w->op = reg == 5 ? X86_OP_BTS : X86_OP_BTR;
		if (x86_fetch_le(c, 1, &imm))
			return -XEN_EINVAL;
		w->bit = (uint8_t)(imm & (bits - 1));
		return 0;
	}
	w->op = opcode == 0xab ? X86_OP_BTS : X86_OP_BTR;
	w->reg = (uint8_t)reg;
	offset = bits == 16 ? (int16_t)regs->r[reg] : (int32_t)regs->r[reg];
	if (offset < 0 || (uint32_t)offset >= bits)
		return -XEN_EOPNOTSUPP;
	w->bit = (uint8_t)offset;
	return 0;
}

/* Two-byte opcodes 0F xx. */
static int decode_0f(struct x86_cursor *c, const struct x86_emul_regs *regs,
		     const struct prefixes *p, struct x86_mem_write *w)
{
	unsigned int reg;
	uint8_t op2;
	int rc;

	if (x86_fetch(c, &op2))
		return -XEN_EINVAL;
	switch (op2) {
	case 0xb0:
		return decode_rm_reg(c, regs, p, w, X86_OP_CMPXCHG, 1);
	case 0xb1:
		return decode_rm_reg(c, regs, p, w, X86_OP_CMPXCHG, p->opsize);
	case 0xab: case 0xb3: case 0xba:
		return decode_bit(c, regs, p, w, op2);
	case 0xc7:
		rc = decode_modrm(c, regs, p, w, &reg);
		if (rc)
			return rc;
		if (reg != 1 || p->opsize != 4)
			return -XEN_EOPNOTSUPP;
		w->op = X86_OP_CMPXCHG8B;
		w->size = 8;
		return 0;
	default:
		return -XEN_EOPNOTSUPP;
	}
}

static int decode_stos(const struct x86_emul_regs *regs,
		       const struct prefixes *p, struct x86_mem_write *w,
		       uint8_t opcode)
{
	/* The destination is always ES:EDI; an override does not apply. */
	w->op = X86_OP_STOS;
	w->size = opcode == 0xaa ? 1 : p->opsize;
	w->addr = regs->r[X86_EDI];
	w->seg = X86_SEG_ES;
	w->src = reg_read(regs, X86_EAX, w->size);
	return 0;
}

static int decode_opcode(struct x86_cursor *c, const struct x86_emul_regs *regs,
			 const struct prefixes *p, struct x86_mem_write *w,
			 uint8_t opcode)
{
	uint32_t size = opcode & 1 ? p->opsize : 1;

	switch (opcode) {
	case 0x88: case 0x89:
		return decode_rm_reg(c, regs, p, w, X86_OP_MOV, size);
	case 0x86: case 0x87:
		return decode_rm_reg(c, regs, p, w, X86_OP_XCHG, size);
	case 0x08: case 0x09:
		return decode_rm_reg(c, regs, p, w, X86_OP_OR, size);
	case 0x20: case 0x21:
		return decode_rm_reg(c, regs, p, w, X86_OP_AND, size);
	case 0xc6: case 0xc7: case 0x80: case 0x81:
		return decode_rm_imm(c, regs, p, w, opcode, size);
	case 0x83:
		return decode_rm_imm(c, regs, p, w, opcode, p->opsize);
	case 0xaa: case 0xab:
		return decode_stos(regs, p, w, opcode);
	case 0x0f:
		return decode_0f(c, regs, p, w);
	default:
		return -XEN_EOPNOTSUPP;
	}
}

/* LOCK is #UD on mov and stos; the CPU would never have faulted on a write. */
static bool lock_allowed(enum x86_emul_op op)
{
	return op != X86_OP_MOV && op != X86_OP_STOS;
}

int x86_emul_decode(const uint8_t *insn, uint32_t avail,
		    const struct x86_emul_regs *regs, struct x86_mem_write *w)
{
	struct x86_cursor c;
	struct prefixes p;
	uint8_t opcode;
	int rc;

	*w = (struct x86_mem_write){ 0 };
	x86_cursor_init(&c, insn, avail);
	rc = decode_prefixes(&c, &p, &opcode);
	if (rc)
		return rc;
	rc = decode_opcode(&c, regs, &p, w, opcode);
	if (rc)
		return rc;
	if (p.lock && !lock_allowed(w->op))
		return -XEN_EOPNOTSUPP;
	w->lock = p.lock;
	w->atomic = p.lock || w->op == X86_OP_XCHG;
	w->len = c.pos;
	return 0;
}

/* Parity flag: set when the low byte has an even number of 1 bits. */
static bool even_parity(uint32_t v)
{
	v &= 0xff;
	v ^= v >> 4;
	v ^= v >> 2;
	v ^= v >> 1;
	return !(v & 1);
}

static uint32_t flags_szp(uint32_t result, uint32_t size)
{
	uint32_t f = 0;

	if (result == 0)
		f |= X86_EFLAGS_ZF;
	if (result & (1u << (8 * size - 1)))
		f |= X86_EFLAGS_SF;
	if (even_parity(result))
		f |= X86_EFLAGS_PF;
	return f;
}

/* EFLAGS as CMP a, b (a - b) sets them, at operand size size. */
static uint32_t flags_sub(uint32_t a, uint32_t b, uint32_t size)
{
	uint32_t r = (a - b) & size_mask(size);
	uint32_t sign = 1u << (8 * size - 1);
	uint32_t f = flags_szp(r, size);

	if (a < b)
		f |= X86_EFLAGS_CF;
	if ((a ^ b) & (a ^ r) & sign)
		f |= X86_EFLAGS_OF;
	if ((a ^ b ^ r) & 0x10)
		f |= X86_EFLAGS_AF;
	return f;
}

#define ARITH_FLAGS	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

static void set_flags(struct x86_emul_regs *r, uint32_t which, uint32_t val)
{
	r->eflags = (r->eflags & ~which) | (val & which);
}

static void execute_cmpxchg(const struct x86_mem_write *w, uint32_t old,
			    uint64_t *store_val, bool *store,
			    struct x86_emul_regs *r)
{
	uint32_t acc = reg_read(r, X86_EAX, w->size);

	/* Flags as CMP accumulator, destination. */
	set_flags(r, ARITH_FLAGS, flags_sub(acc, old, w->size));
	if (acc == old) {
		*store_val = w->src;
		*store = true;
	} else {
		reg_write(r, X86_EAX, w->size, old);
		*store = false;
	}
}

static void execute_cmpxchg8b(uint64_t old, uint64_t *store_val, bool *store,
			      struct x86_emul_regs *r)
{
	uint64_t expected = (uint64_t)r->r[X86_EDX] << 32 | r->r[X86_EAX];

	if (expected == old) {
		*store_val = (uint64_t)r->r[X86_ECX] << 32 | r->r[X86_EBX];
		*store = true;
		set_flags(r, X86_EFLAGS_ZF, X86_EFLAGS_ZF);
	} else {
		r->r[X86_EAX] = (uint32_t)old;
		r->r[X86_EDX] = (uint32_t)(old >> 32);
		*store = false;
		set_flags(r, X86_EFLAGS_ZF, 0);
	}
}

/* or/and: CF = OF = 0, SF/ZF/PF from the result; AF (undefined) cleared. */
static uint32_t execute_logic(const struct x86_mem_write *w, uint32_t old,
			      struct x86_emul_regs *r)
{
	uint32_t res = w->op == X86_OP_OR ? old | w->src : old & w->src;

	set_flags(r, ARITH_FLAGS, flags_szp(res, w->size));
	return res;
}

/* bts/btr: CF = the old bit; the other flags are left alone. */
static uint32_t execute_bit(const struct x86_mem_write *w, uint32_t old,
			    struct x86_emul_regs *r)
{
	uint32_t mask = 1u << w->bit;

	set_flags(r, X86_EFLAGS_CF, old & mask ? X86_EFLAGS_CF : 0);
	return w->op == X86_OP_BTS ? old | mask : old & ~mask;
}

void x86_emul_execute(const struct x86_mem_write *w,
		      const struct x86_emul_regs *regs, uint64_t old,
		      uint64_t *store_val, bool *store,
		      struct x86_emul_regs *regs_out)
{
	struct x86_emul_regs r = *regs;
	uint32_t old32 = (uint32_t)old & size_mask(w->size);
	uint64_t val = 0;

	*store = true;
	switch (w->op) {
	case X86_OP_MOV:
		val = w->src;
		break;
	case X86_OP_XCHG:
		val = w->src;
		reg_write(&r, w->reg, w->size, old32);
		break;
	case X86_OP_CMPXCHG:
		execute_cmpxchg(w, old32, &val, store, &r);
		break;
	case X86_OP_CMPXCHG8B:
		execute_cmpxchg8b(old, &val, store, &r);
		break;
	case X86_OP_OR: case X86_OP_AND:
		val = execute_logic(w, old32, &r);
		break;
	case X86_OP_BTS: case X86_OP_BTR:
		val = execute_bit(w, old32, &r);
		break;
	case X86_OP_STOS:
		val = w->src;
		r.r[X86_EDI] += r.eflags & X86_EFLAGS_DF ? -w->size : w->size;
		break;
	}
	*store_val = w->size == 8 ? val : val & size_mask(w->size);
	r.eip = regs->eip + w->len;
	*regs_out = r;
}
