/*
 * fuzz_seg_fixup.c - libFuzzer target for hyp/seg_fixup.c: the decoder
 * of a faulting instruction's memory references and the up/down flip of
 * wrapping 4 GiB segments, both fed hostile input.
 *
 * Input layout: 32 bytes of registers (eax ecx edx ebx esp ebp esi edi,
 * little-endian), 8 bytes of descriptor, 4 bytes of limit_end, 1 mode
 * byte, then up to 32 instruction bytes.  Mode bit 0..1 picks the
 * descriptor: 0 as given, 1 the up-form and 2 the down-form of its base
 * (as seg_fixup.h defines them); bit 2 replaces limit_end by the pv32pae
 * value.  The instruction is copied into a buffer of exactly its size, so
 * ASan catches any read at or past avail.
 * Properties checked:
 *  - x86_mem_refs returns 0, -XEN_EINVAL or -XEN_EOPNOTSUPP, with nr and
 *    len 0 on error;
 *  - on 0: 1 <= len <= 15, len <= avail, nr <= 2, every seg is ES..GS,
 *    every size one the header names; two references are a string
 *    instruction's, the second ES:EDI; decoding insn[0..len) gives the
 *    same answer and insn[0..len - 1) gives -XEN_EINVAL;
 *  - seg_fixup_flip, for each decoded reference and for an offset/size
 *    taken from the registers: when it refuses, the descriptor is
 *    untouched; when it flips, only the expand-down bit and the limit
 *    changed, the result passes segdesc_check() unchanged, every linear
 *    address it covers is below limit_end (worked out here in modular
 *    arithmetic), the CPU's limit check admits the access, and the result
 *    is again flippable.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../hyp/seg_fixup.h"
#include "../../hyp/segdesc.h"
#include <public/errno.h>

#define HEADER		45
#define PV32PAE_END	0xf6800000u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool size_named(uint32_t size)
{
	static const uint32_t ok[] = { 1, 2, 4, 6, 8, 10, 16, 28, 108, 512 };
	unsigned int i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (size == ok[i])
			return true;
	return false;
}

static bool same(const struct x86_mem_ref *a, const struct x86_mem_ref *b,
		 unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (a[i].seg != b[i].seg || a[i].offset != b[i].offset ||
		    a[i].size != b[i].size)
			return false;
	return true;
}

static void check_decoded(const uint8_t *insn, uint32_t avail,
			  const struct x86_emul_regs *regs,
			  const struct x86_mem_ref *refs, unsigned int nr,
			  uint32_t len)
{
	struct x86_mem_ref again[X86_MEM_REFS_MAX];
	unsigned int nr2, i;
	uint32_t len2;

	if (len == 0 || len > 15 || len > avail || nr > X86_MEM_REFS_MAX)
		abort();
	for (i = 0; i < nr; i++)
		if (refs[i].seg > X86_SEG_GS || !size_named(refs[i].size))
			abort();
	if (nr == 2 && (refs[1].seg != X86_SEG_ES ||
			refs[1].offset != regs->r[X86_EDI] ||
			refs[0].offset != regs->r[X86_ESI]))
		abort();
	if (x86_mem_refs(insn, len, regs, again, &nr2, &len2) != 0 ||
	    nr2 != nr || len2 != len || !same(again, refs, nr))
		abort();
	if (x86_mem_refs(insn, len - 1, regs, again, &nr2, &len2) != -XEN_EINVAL)
		abort();
}

/* Every linear address a (G = 1, B = 1) form covers is below end. */
static bool covers_below(uint64_t d, uint32_t end)
{
	uint32_t base = segdesc_base(d), limit = segdesc_limit_bytes(d);

	if (d & SEGDESC_TYPE_EC) {
		/* offsets (limit, 2^32): a run from base + limit + 1 to base - 1 */
		uint32_t first = base + limit + 1, last = base - 1;

		return limit == 0xffffffffu || (first <= last && last < end);
	}
	return (uint64_t)base + limit < end;
}

static bool cpu_admits(uint64_t d, uint32_t offset, uint32_t size)
{
	uint64_t last = (uint64_t)offset + size - 1;
	uint64_t limit = segdesc_limit_bytes(d);

	if (d & SEGDESC_TYPE_EC)
		return offset > limit && last <= 0xffffffffull;
	return last <= limit;
}

static void check_flip(uint64_t desc, uint32_t offset, uint32_t size,
		       uint32_t end)
{
	const uint64_t may_change = SEGDESC_TYPE_EC | 0xffffull | 0xfull << 48;
	uint64_t d = desc, again;

	if (!seg_fixup_flip(&d, offset, size, end)) {
		if (d != desc)
			abort();
		return;
	}
	again = d;
	if ((d ^ desc) & ~may_change || !((d ^ desc) & SEGDESC_TYPE_EC))
		abort();
	if (segdesc_check(&again, end) != 0 || again != d)
		abort();
	if (!covers_below(d, end) || !cpu_admits(d, offset, size))
		abort();
	if (!seg_fixup_is_flippable(d, end) || !seg_fixup_is_flippable(desc, end))
		abort();
}

/* The descriptor the mode byte asks for. */
static uint64_t pick_desc(uint64_t raw, uint32_t end, uint8_t mode)
{
	uint32_t base = segdesc_base(raw);
	uint64_t keep = raw | SEGDESC_P | SEGDESC_S | SEGDESC_G | SEGDESC_DB |
			SEGDESC_TYPE_ACCESSED;	/* as segdesc_check() leaves it */
	uint64_t pages;

	keep &= ~SEGDESC_TYPE_CODE;
	switch (mode & 3) {
	case 1:
		pages = base < end ? (end - base) >> 12 : 0;
		return segdesc_with_raw_limit(keep & ~SEGDESC_TYPE_EC,
					      (uint32_t)pages - 1);
	case 2:
		pages = ((1ull << 32) - base + 0xfff) >> 12;
		return segdesc_with_raw_limit(keep | SEGDESC_TYPE_EC,
					      (uint32_t)pages - 1);
	default:
		return raw;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct x86_mem_ref refs[X86_MEM_REFS_MAX];
	struct x86_emul_regs regs = { .eflags = 2 };
	uint32_t avail, len, end, i;
	unsigned int nr;
	uint64_t desc;
	uint8_t *insn;
	int rc;

	if (size < HEADER || size > HEADER + 32)
		return 0;
	for (i = 0; i < 8; i++)
		regs.r[i] = le32(data + 4 * i);
	end = data[44] & 4 ? PV32PAE_END : le32(data + 40);
	desc = pick_desc(le32(data + 32) | (uint64_t)le32(data + 36) << 32, end,
			 data[44]);
	avail = (uint32_t)(size - HEADER);
	insn = malloc(avail ? avail : 1);
	if (!insn)
		return 0;
	memcpy(insn, data + HEADER, avail);
	rc = x86_mem_refs(insn, avail, &regs, refs, &nr, &len);
	if (rc == 0) {
		check_decoded(insn, avail, &regs, refs, nr, len);
		for (i = 0; i < nr; i++)
			check_flip(desc, refs[i].offset, refs[i].size, end);
	} else if (rc != -XEN_EINVAL && rc != -XEN_EOPNOTSUPP) {
		abort();
	} else if (nr != 0 || len != 0) {
		abort();
	}
	check_flip(desc, regs.r[X86_EAX], regs.r[X86_ECX] & 0x3ff, end);
	free(insn);
	return 0;
}
