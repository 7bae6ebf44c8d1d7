/*
 * deflate_writer.h - a bit writer for hand-made RFC 1951 streams, used by
 * tests/host/test_inflate.c to build blocks no real encoder emits, and by
 * tests/fuzz/fuzz_inflate.c to encode its round trips: fixed
 * and dynamic Huffman codes (canonical codes from code lengths), stored
 * blocks, and matches at chosen distances.  Bits go least significant
 * first, Huffman codes most significant first, as the RFC says.
 */
#ifndef XYLEM_TESTS_DEFLATE_WRITER_H
#define XYLEM_TESTS_DEFLATE_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Room for the stream; a program may define a larger one first. */
#ifndef DEFLATE_WRITER_CAP
#define DEFLATE_WRITER_CAP	70000u
#endif

struct bitw {
	uint8_t p[DEFLATE_WRITER_CAP];
	size_t n;		/* bytes touched */
	unsigned int bit;	/* next bit in p[n - 1], 8 = start a byte */
};

static inline void bw_init(struct bitw *b)
{
	b->n = 0;
	b->bit = 8;
}

/* Put n bits of v, least significant first (RFC 1951 data elements). */
static inline void put(struct bitw *b, uint32_t v, unsigned int n)
{
	while (n--) {
		if (b->bit == 8) {
			b->p[b->n++] = 0;
			b->bit = 0;
		}
		b->p[b->n - 1] |= (uint8_t)((v & 1) << b->bit++);
		v >>= 1;
	}
}

/* Put a Huffman code, most significant bit first. */
static inline void put_code(struct bitw *b, uint32_t code, unsigned int len)
{
	while (len--)
		put(b, code >> len & 1, 1);
}

static inline void put_bytes(struct bitw *b, const uint8_t *p, size_t n)
{
	b->bit = 8;
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

/* Canonical codes for lens[0..n) (RFC 1951 3.2.2). */
static inline void canon(const uint8_t *lens, unsigned int n, uint32_t *codes)
{
	unsigned int count[16] = { 0 }, next[16], len, i, code = 0;

	for (i = 0; i < n; i++)
		count[lens[i]]++;
	count[0] = 0;
	for (len = 1; len < 16; len++) {
		code = (code + count[len - 1]) << 1;
		next[len] = code;
	}
	for (i = 0; i < n; i++)
		if (lens[i])
			codes[i] = next[lens[i]]++;
}

/* The fixed code (RFC 1951 3.2.6): 288 literal/length and 32 distance. */
struct code {
	uint8_t lens[320];
	uint32_t codes[320];
	unsigned int hlit;
};

static inline void fixed_code(struct code *c)
{
	unsigned int i;

	for (i = 0; i < 288; i++)
		c->lens[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
	for (i = 288; i < 320; i++)
		c->lens[i] = 5;
	c->hlit = 288;
	canon(c->lens, 288, c->codes);
	canon(c->lens + 288, 32, c->codes + 288);
}

static inline void put_sym(struct bitw *b, const struct code *c, unsigned int s)
{
	put_code(b, c->codes[s], c->lens[s]);
}

static inline void put_dist(struct bitw *b, const struct code *c, unsigned int s)
{
	put_code(b, c->codes[c->hlit + s], c->lens[c->hlit + s]);
}

/* A match of length 3 (code 257) at distance sym-coded dsym, no extras. */
static inline void put_match3(struct bitw *b, const struct code *c, unsigned int d)
{
	put_sym(b, c, 257);
	put_dist(b, c, d);
}

#endif
