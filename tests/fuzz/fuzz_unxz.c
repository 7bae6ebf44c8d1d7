/*
 * fuzz_unxz.c - libFuzzer target for hyp/unxz.c and hyp/lzma2.c, the
 * single-call .xz decoder the Dom0 builder runs on compressed kernels.
 *
 * The input is one hostile .xz stream (and whatever follows it).  It is
 * copied into a buffer of exactly its size and decoded into a 1 MiB output
 * buffer, so ASan catches a read past the input or a write past the output
 * and UBSan catches overflowing shifts.  A refusal must come with a reason,
 * one of the three documented error codes, and zero *in_used / *out_len.
 * An accepted stream must have used at most the input (at least a header,
 * an index and a footer: 32 bytes) and decoded at most the buffer; decoding
 * it again from exactly in_used bytes into exactly out_len bytes must give
 * the same bytes, and with one byte less room it must fail with
 * -XEN_ENOSPC.  Seeds in tests/fuzz/fuzz_unxz/ are small streams made by
 * xz: each check type, x86 BCJ, several blocks, block sizes in headers,
 * uncompressed chunks, unusual lc/lp/pb, an empty stream.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../hyp/unxz.h"
#include <public/errno.h>

#define OUT_CAP		(1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct unxz_work work;
static uint8_t out[OUT_CAP];
static uint8_t again[OUT_CAP];

static void check_refusal(int err, size_t used, size_t len, const char *why)
{
	if (err != -XEN_EINVAL && err != -XEN_ENOSPC && err != -XEN_EOPNOTSUPP)
		abort();
	if (!why || !why[0] || used || len)
		abort();
}

static void check_repeat(const uint8_t *in, size_t used, size_t len)
{
	size_t used2, len2;
	const char *why;
	int err;

	err = unxz(&work, in, used, &used2, again, len, &len2, &why);
	if (err || used2 != used || len2 != len || memcmp(out, again, len))
		abort();
	if (len) {
		err = unxz(&work, in, used, &used2, again, len - 1, &len2, &why);
		if (err != -XEN_ENOSPC)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *in = malloc(size ? size : 1);
	size_t used = 0, len = 0;
	const char *why = NULL;
	int err;

	if (!in)
		return 0;
	memcpy(in, data, size);
	err = unxz(&work, in, size, &used, out, OUT_CAP, &len, &why);
	if (err) {
		check_refusal(err, used, len, why);
	} else {
		if (used < 32 || used > size || len > OUT_CAP || !xz_magic(in, size))
			abort();
		check_repeat(in, used, len);
	}
	free(in);
	return 0;
}
