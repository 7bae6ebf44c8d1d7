/*
 * fuzz_bzimage.c - libFuzzer target for hyp/bzimage.c with its decoders:
 * the whole path a kernel file takes in the Dom0 loader and Dom0's
 * builder, from kernel_image_locate() to kernel_unpack().
 *
 * The input is a hostile kernel file, copied into a buffer of exactly its
 * size.  A located image must lie inside the file; a compressed one whose
 * size trailer fits the 1 MiB output buffer is unpacked, and a success
 * must have produced exactly the trailer's size.  Any refusal must give a
 * reason.  ASan and UBSan catch reads and writes out of bounds.  Seeds in
 * tests/fuzz/fuzz_bzimage/ are small bzImages with gzip, xz and bzip2
 * payloads and a bare gzipped file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../hyp/bzimage.h"

#define OUT_CAP		(1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static union kernel_unpack_work work;
static uint8_t out[OUT_CAP];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *file = malloc(size ? size : 1);
	struct kernel_image k;
	const char *why = NULL;

	memcpy(file, data, size);
	if (kernel_image_locate(file, size, &k, &why)) {
		if (!why || !why[0])
			abort();
		goto out;
	}
	if (k.offset > size || k.len > size - k.offset)
		abort();
	if ((k.format == KFMT_GZIP || k.format == KFMT_XZ) &&
	    k.out_len <= OUT_CAP) {
		why = NULL;
		if (kernel_unpack(&work, file, &k, out, OUT_CAP, &why) &&
		    (!why || !why[0]))
			abort();
	}
out:
	free(file);
	return 0;
}
