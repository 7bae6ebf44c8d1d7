/*
 * fuzz_inflate.c - libFuzzer target for hyp/inflate.c, the DEFLATE/gzip
 * decoder of compressed kernels.
 *
 * The input, all of it hostile, is copied into a buffer of exactly its
 * size (so ASan catches any read past the end) and decoded twice: as a raw
 * DEFLATE stream with inflate_raw() and as a gzip member with gunzip(),
 * each into a 1 MiB output buffer.  A success must report out_len within
 * the buffer and in_used within the input; a failure must be -XEN_EINVAL
 * or -XEN_ENOSPC with a reason.
 *
 * Round trips: the first 64 KiB of the input are also encoded here as
 * stored blocks, as a fixed-Huffman block (literals and distance-1 runs)
 * and as a gzip member around the fixed block; each must decode back to
 * the same bytes with in_used equal to the stream length.  Seeds in
 * tests/fuzz/fuzz_inflate/ are streams from gzip and python3's zlib.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../hyp/inflate.h"
#include <public/errno.h>

#define OUT_CAP		(1u << 20)
#define RT_MAX		65536u
/* Room for a stored or fixed encoding of RT_MAX bytes, and gzip framing. */
#define DEFLATE_WRITER_CAP	(RT_MAX * 2 + 1024)
#include "../host/deflate_writer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct inflate_work work;
static uint8_t *out;

static struct bitw enc;

/* Literal/length symbol s in the fixed code (RFC 1951 3.2.6). */
static void put_fixed(struct bitw *e, unsigned int s)
{
	if (s < 144)
		put_code(e, 0x30 + s, 8);
	else if (s < 256)
		put_code(e, 0x190 + s - 144, 9);
	else if (s < 280)
		put_code(e, s - 256, 7);
	else
		put_code(e, 0xc0 + s - 280, 8);
}

/* A match of length len (3..258) at distance 1. */
static void put_run(struct bitw *e, unsigned int len)
{
	static const uint16_t base[29] = {
		3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
		35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258
	};
	unsigned int s = 28;

	while (base[s] > len)
		s--;
	put_fixed(e, 257 + s);
	if (s >= 8 && s < 28)
		put(e, len - base[s], (s - 4) / 4);
	put_code(e, 0, 5);		/* distance code 0: distance 1 */
}

static void encode_fixed(struct bitw *e, const uint8_t *p, size_t n)
{
	size_t i = 0, run;

	bw_init(e);
	put(e, 1 | 1 << 1, 3);
	while (i < n) {
		run = 0;
		while (i > 0 && i + run < n && run < 258 &&
		       p[i + run] == p[i - 1])
			run++;
		if (run >= 3) {
			put_run(e, (unsigned int)run);
			i += run;
		} else {
			put_fixed(e, p[i++]);
		}
	}
	put_fixed(e, 256);
}

static void encode_stored(struct bitw *e, const uint8_t *p, size_t n)
{
	size_t off = 0;

	e->n = 0;
	do {
		size_t len = n - off > 1000 ? 1000 : n - off;

		e->p[e->n++] = off + len == n;	/* BFINAL, BTYPE 00 */
		e->p[e->n++] = len & 0xff;
		e->p[e->n++] = len >> 8;
		e->p[e->n++] = ~len & 0xff;
		e->p[e->n++] = (~len >> 8) & 0xff;
		memcpy(e->p + e->n, p + off, len);
		e->n += len;
		off += len;
	} while (off < n);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

/* Decode s[0..n) (gzip when gz) and compare with want[0..wn). */
static void round_trip(const uint8_t *s, size_t n, bool gz,
		       const uint8_t *want, size_t wn)
{
	uint8_t *copy = malloc(n);
	size_t len = 0, used = 0;
	const char *why;
	int r;

	memcpy(copy, s, n);
	if (gz)
		r = gunzip(&work, copy, n, out, OUT_CAP, &len, &why);
	else
		r = inflate_raw(&work, copy, n, &used, out, OUT_CAP, &len, &why);
	if (r != 0 || len != wn || memcmp(out, want, wn) != 0)
		abort();
	if (!gz && used != n)
		abort();
	free(copy);
}

static void round_trips(const uint8_t *data, size_t size)
{
	static const uint8_t gz_hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0,
					    0, 3 };
	size_t n = size < RT_MAX ? size : RT_MAX;

	encode_stored(&enc, data, n);
	round_trip(enc.p, enc.n, false, data, n);
	encode_fixed(&enc, data, n);
	round_trip(enc.p, enc.n, false, data, n);
	memmove(enc.p + 10, enc.p, enc.n);
	memcpy(enc.p, gz_hdr, 10);
	put_le32(enc.p + 10 + enc.n, crc32_update(0, data, n));
	put_le32(enc.p + 14 + enc.n, (uint32_t)n);
	round_trip(enc.p, enc.n + 18, true, data, n);
}

static void check(int r, size_t in_used, size_t in_len, size_t out_len,
		  const char *why)
{
	if (r == 0) {
		if (out_len > OUT_CAP || in_used > in_len)
			abort();
	} else if ((r != -XEN_EINVAL && r != -XEN_ENOSPC) || !why || !*why) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	size_t used = 0, len = 0;
	const char *why = NULL;
	int r;

	if (!out)
		out = malloc(OUT_CAP);
	memcpy(copy, data, size);
	r = inflate_raw(&work, copy, size, &used, out, OUT_CAP, &len, &why);
	check(r, used, size, len, why);
	why = NULL;
	r = gunzip(&work, copy, size, out, OUT_CAP, &len, &why);
	check(r, 0, size, len, why);
	if (r == 0 && !gzip_magic(copy, size))
		abort();
	free(copy);
	round_trips(data, size);
	return 0;
}
