/*
 * x86_decode.c - the cursor, fetches and ModRM/SIB effective addresses
 * shared by the instruction decoders.  See x86_decode.h.  Freestanding.
 */
#include "x86_decode.h"

#include <public/errno.h>

void x86_cursor_init(struct x86_cursor *c, const uint8_t *insn, uint32_t avail)
{
	c->insn = insn;
	c->pos = 0;
	c->limit = avail < X86_EMUL_MAX_INSN ? avail : X86_EMUL_MAX_INSN;
}

int x86_fetch(struct x86_cursor *c, uint8_t *byte)
{
	if (c->pos >= c->limit)
		return -XEN_EINVAL;
	*byte = c->insn[c->pos++];
	return 0;
}

int x86_fetch_le(struct x86_cursor *c, uint32_t bytes, uint32_t *val)
{
	uint32_t i;
	uint8_t b;

	*val = 0;
	for (i = 0; i < bytes; i++) {
		if (x86_fetch(c, &b))
			return -XEN_EINVAL;
		*val |= (uint32_t)b << (8 * i);
	}
	return 0;
}

int x86_skip(struct x86_cursor *c, uint32_t n)
{
	if (n > c->limit - c->pos)
		return -XEN_EINVAL;
	c->pos += n;
	return 0;
}

/* The SIB byte, and the disp32 that replaces a base of EBP under mod 0. */
static int sib_address(struct x86_cursor *c, const uint32_t gpr[8],
		       unsigned int mod, uint32_t *addr, int *seg)
{
	unsigned int index, base;
	uint32_t disp;
	uint8_t sib;

	if (x86_fetch(c, &sib))
		return -XEN_EINVAL;
	index = (sib >> 3) & 7;
	base = sib & 7;
	/* An index of 4 (ESP) means none. */
	*addr = index == X86_ESP ? 0 : gpr[index] << (sib >> 6);
	if (base == X86_EBP && mod == 0) {
		if (x86_fetch_le(c, 4, &disp))
			return -XEN_EINVAL;
		*addr += disp;
		return 0;
	}
	*addr += gpr[base];
	if (base == X86_ESP || base == X86_EBP)
		*seg = X86_SEG_SS;
	return 0;
}

int x86_modrm_address(struct x86_cursor *c, const uint32_t gpr[8],
		      uint8_t modrm, uint32_t *addr, int *seg)
{
	unsigned int mod = modrm >> 6, rm = modrm & 7;
	uint32_t disp = 0;

	*seg = X86_SEG_DS;
	if (rm == X86_ESP) {
		if (sib_address(c, gpr, mod, addr, seg))
			return -XEN_EINVAL;
	} else if (rm == X86_EBP && mod == 0) {
		*addr = 0;	/* disp32 alone, fetched below */
	} else {
		*addr = gpr[rm];
		if (rm == X86_EBP)
			*seg = X86_SEG_SS;
	}
	if (mod == 1) {
		if (x86_fetch_le(c, 1, &disp))
			return -XEN_EINVAL;
		disp = (uint32_t)(int32_t)(int8_t)disp;
	} else if (mod == 2 || (mod == 0 && rm == X86_EBP)) {
		if (x86_fetch_le(c, 4, &disp))
			return -XEN_EINVAL;
	}
	*addr += disp;
	return 0;
}
