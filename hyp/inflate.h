/*
 * inflate.h - decode DEFLATE (RFC 1951) and gzip (RFC 1952) in one call.
 *
 * FREESTANDING: hyp/inflate.c includes only <stdint.h>, <stdbool.h>,
 * <stddef.h>, include/public/ and this header, so the same file builds into
 * the hypervisor (the Dom0 builder unpacks gzip-compressed kernels), into
 * host unit tests and into a fuzz target.
 *
 * Interface:
 *   inflate_raw()  one raw DEFLATE stream, whole input in memory, whole
 *                  output buffer given.  The output buffer is the window:
 *                  matches copy from bytes already written to it.
 *   gunzip()       one gzip member: header (FEXTRA, FNAME, FCOMMENT, FHCRC),
 *                  DEFLATE body, CRC-32 and ISIZE trailer, both verified.
 *                  Bytes after the member are ignored.
 *   gzip_magic()   true if the input starts with 1f 8b 08.
 *   crc32_update() the CRC-32 of gzip, zlib and xz (reflected 0xEDB88320);
 *                  start with crc 0, feed pieces, the result is the CRC.
 * Operations return 0, or -XEN_EINVAL for corrupt or truncated input, or
 * -XEN_ENOSPC when the output would not fit in out_cap; on failure *why
 * points to a static message and the output buffer holds garbage.
 *
 * Invariants: no byte of in[] at or past in_len is read, no byte of out[]
 * at or past out_cap is written, whatever the input.  All state (bit
 * reader, Huffman tables) lives in the caller's struct inflate_work, which
 * needs no initialisation and is under 8 KiB; there is no recursion and no
 * large stack array, so the small hypervisor stack is safe.  The work
 * struct is not shared: one call at a time per struct.
 */
#ifndef XYLEM_INFLATE_H
#define XYLEM_INFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decode tables: a first-level table indexed by the next ROOT input bits,
 * whose entries either give a symbol and its code length or point to a
 * second-level table for the longer codes.  The sizes bound the worst
 * case of a complete code (see huff_build() in inflate.c).
 */
#define INFLATE_LITLEN_ROOT	10
#define INFLATE_DIST_ROOT	8
#define INFLATE_CLEN_ROOT	7
#define INFLATE_LITLEN_TABLE	2560
#define INFLATE_DIST_TABLE	768
#define INFLATE_MAX_SYMS	320	/* 288 literal/length + 32 distance */

/* Private to inflate.c; exposed so that a caller can declare it static. */
struct inflate_bits {
	const uint8_t *in;
	size_t in_len, pos;		/* in[pos..in_len) not yet loaded */
	uint64_t buf;			/* loaded bits not yet consumed, LSB first */
	unsigned int cnt;		/* how many; bits above cnt are zero */
};

struct inflate_work {
	struct inflate_bits br;
	uint8_t *out;
	size_t out_cap, out_pos;
	const char *why;
	bool fixed_loaded;		/* litlen/dist hold the fixed code */
	uint16_t litlen[INFLATE_LITLEN_TABLE];
	uint16_t dist[INFLATE_DIST_TABLE];
	uint16_t clen[1 << INFLATE_CLEN_ROOT];
	uint16_t sorted[INFLATE_MAX_SYMS];	/* symbols in canonical order */
	uint8_t lens[INFLATE_MAX_SYMS];
};

int inflate_raw(struct inflate_work *w, const uint8_t *in, size_t in_len,
		size_t *in_used, uint8_t *out, size_t out_cap, size_t *out_len,
		const char **why);
int gunzip(struct inflate_work *w, const uint8_t *in, size_t in_len,
	   uint8_t *out, size_t out_cap, size_t *out_len, const char **why);
bool gzip_magic(const uint8_t *in, size_t in_len);
uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n);

#endif
