/*
 * unxz.h - decode one .xz stream (LZMA2, optionally behind the x86 BCJ
 * filter) in a single call: whole input in memory, whole output buffer
 * given.  The Dom0 builder uses it for bzImage payloads compressed with
 * `xz --check=crc32 --x86 --lzma2=dict=32MiB`.
 *
 * FREESTANDING: hyp/unxz.c and hyp/lzma2.c include only <stdint.h>,
 * <stdbool.h>, <stddef.h>, include/public/ and their own headers, so they
 * build unchanged into the hypervisor, host unit tests and a fuzz target.
 *
 * Interface:
 *   unxz()      decode the first stream of in[0..in_len) into
 *               out[0..out_cap).  Returns 0 with *in_used = the stream's
 *               size (header to footer; stream padding, a further stream or
 *               a kernel's appended size field may follow and are not
 *               looked at) and *out_len = bytes decoded.  Otherwise
 *               *in_used = *out_len = 0, *why points to a static message,
 *               out[] holds garbage, and the return is
 *                 -XEN_EINVAL     corrupt or truncated input,
 *                 -XEN_ENOSPC     the output would exceed out_cap,
 *                 -XEN_EOPNOTSUPP valid but unsupported: a filter other
 *                                 than LZMA2 or x86 BCJ (start offset 0),
 *                                 check SHA-256 or a reserved check ID,
 *                                 reserved flag bits set.
 *   xz_magic()  true if in[] starts with the stream magic FD 37 7A 58 5A 00.
 *
 * Supported: check types none, CRC32 and CRC64, all verified; any number
 * of blocks; block headers with or without the optional size fields (which
 * must then match); filter chains [LZMA2] and [x86 BCJ, LZMA2].  The index
 * must list exactly the blocks decoded, in order: its record count and the
 * sums of unpadded and uncompressed sizes are compared, and so is a CRC64
 * over the (unpadded, uncompressed) pairs in order, which catches reordered
 * or altered records without storing a list of blocks.
 *
 * Invariants: nothing at or past in[in_len] is read and nothing at or past
 * out[out_cap] is written, whatever the input.  All state is in the
 * caller's struct unxz_work (about 31 KiB, no initialisation needed; it may
 * be static); there is no allocation, no recursion and no large stack
 * frame.  One call at a time per struct.
 */
#ifndef XYLEM_UNXZ_H
#define XYLEM_UNXZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lzma2.h"

/* What the blocks (or the index records) said, folded in order. */
struct unxz_index_sum {
	uint64_t count;
	uint64_t unpadded;
	uint64_t uncompressed;
	uint64_t hash;		/* CRC64 over the records' 16-byte encodings */
};

/* Private to unxz.c; exposed so that a caller can declare it static. */
struct unxz_work {
	struct lzma2_dec lzma2;
	uint32_t crc32_table[256];
	uint64_t crc64_table[256];
	struct unxz_index_sum blocks;
	struct unxz_index_sum records;
};

int unxz(struct unxz_work *w, const uint8_t *in, size_t in_len,
	 size_t *in_used, uint8_t *out, size_t out_cap, size_t *out_len,
	 const char **why);
bool xz_magic(const uint8_t *in, size_t in_len);

#endif
