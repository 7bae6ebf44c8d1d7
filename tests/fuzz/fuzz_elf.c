/*
 * fuzz_elf.c - libFuzzer target for hyp/elf.c, the domain builder's kernel
 * image parser.
 *
 * The input is the whole kernel image, all of it hostile.  It is copied into
 * a buffer of exactly its size, so ASan catches any read past the end, and
 * handed to elf_xen_parse().  A refusal must come with a reason.  An
 * accepted image must describe at most ELF_MAX_SEGMENTS segments, each with
 * [offset, offset + filesz) inside the input, filesz <= memsz, and
 * virt_kstart <= vaddr, vaddr + memsz <= virt_kend without wrapping; the
 * required features must be a subset of the supported ones.  Every input
 * also goes through elf_bsdsyms_locate(): a symbol table it accepts must
 * lie inside the input and its area must hold the header and both tables
 * in order; the area is written into a buffer of exactly its length and
 * read back (size word, tables copied verbatim), and placed after an
 * accepted image without wrapping.  Seeds in
 * tests/fuzz/fuzz_elf/ are real kernels (Dom0, a test kernel whose notes
 * are only in sections).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../hyp/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_info(const struct elf_xen_info *info, size_t size)
{
	unsigned int i;

	if (info->nr_segs == 0 || info->nr_segs > ELF_MAX_SEGMENTS)
		abort();
	if (info->features_required & ~info->features_supported)
		abort();
	for (i = 0; i < info->nr_segs; i++) {
		const struct elf_segment *s = &info->seg[i];

		if (s->offset > size || s->filesz > size - s->offset)
			abort();
		if (s->filesz > s->memsz)
			abort();
		if (s->vaddr < info->virt_kstart)
			abort();
		if (s->vaddr + s->memsz < s->vaddr ||
		    s->vaddr + s->memsz > info->virt_kend)
			abort();
	}
}

static void check_bsdsyms(const uint8_t *image, size_t size,
			  const struct elf_bsdsyms *s)
{
	uint8_t *area;
	uint32_t word;

	if (s->symtab_offset > size || s->symtab_size > size - s->symtab_offset ||
	    s->strtab_offset > size || s->strtab_size > size - s->strtab_offset)
		abort();
	if (s->symtab_at != ELF_BSDSYMS_HDR_LEN || s->len % 4 ||
	    s->strtab_at % 4 || s->len < s->strtab_at ||
	    s->strtab_at - s->symtab_at < s->symtab_size ||
	    s->len - s->strtab_at < s->strtab_size)
		abort();
	area = malloc(s->len);
	if (!area)
		return;
	elf_bsdsyms_write(image, s, area);
	memcpy(&word, area, 4);
	if (word != s->strtab_at + s->strtab_size - 4 ||
	    memcmp(area + s->symtab_at, image + s->symtab_offset, s->symtab_size) ||
	    memcmp(area + s->strtab_at, image + s->strtab_offset, s->strtab_size))
		abort();
	free(area);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_bsdsyms syms;
	uint32_t start;
	bool has_syms;
	struct elf_xen_info info;
	const char *why = NULL;
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	has_syms = elf_bsdsyms_locate(copy, size, &syms);
	if (has_syms)
		check_bsdsyms(copy, size, &syms);
	if (elf_xen_parse(copy, size, &info, &why) == 0) {
		check_info(&info, size);
		if (has_syms && elf_bsdsyms_place(&info, syms.len, &start) &&
		    (start < info.virt_kend || start - info.virt_kend > 3))
			abort();
	} else if (!why || !why[0]) {
		abort();
	}
	free(copy);
	return 0;
}
