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
 * required features must be a subset of the supported ones.  Seeds in
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_xen_info info;
	const char *why = NULL;
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (elf_xen_parse(copy, size, &info, &why) == 0)
		check_info(&info, size);
	else if (!why || !why[0])
		abort();
	free(copy);
	return 0;
}
