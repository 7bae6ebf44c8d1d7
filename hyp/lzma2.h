/*
 * lzma2.h - decode one LZMA2 stream (the compressed data of an .xz block)
 * in a single call, into an output buffer that is also the dictionary.
 *
 * FREESTANDING: hyp/lzma2.c includes only <stdint.h>, <stdbool.h>,
 * <stddef.h>, include/public/ and this header; it builds unchanged into the
 * hypervisor, host unit tests and a fuzz target.  Its one user is unxz.c.
 *
 * Interface:
 *   lzma2_decode()  read LZMA2 chunks from in[0..in_len) up to and including
 *                   the end-of-stream control byte 0x00, appending the
 *                   decoded bytes to out[] from *out_pos.  On success
 *                   *in_used is the size of the LZMA2 stream and *out_pos
 *                   has moved past the decoded bytes.  Returns 0,
 *                   -XEN_EINVAL (corrupt or truncated, *why says why) or
 *                   -XEN_ENOSPC (a chunk would run past out_cap).
 *
 * The format, as this decoder enforces it: every chunk starts with a
 * control byte.  0x00 ends the stream; 0x01 is an uncompressed chunk that
 * resets the dictionary, 0x02 one that does not; 0x03-0x7F are invalid;
 * 0x80-0xFF is an LZMA chunk whose bits 5-6 say what it resets (0: nothing,
 * 1: the LZMA state, 2: the state and new lc/lp/pb properties follow,
 * 3: all that and the dictionary) and whose bits 0-4 are bits 16-20 of its
 * uncompressed size minus one.  The first chunk must reset the dictionary;
 * after a dictionary reset the next LZMA chunk must bring properties.  Each
 * LZMA chunk starts a fresh range decoder (first byte zero) and must end
 * exactly: all its compressed bytes used, the range decoder's code zero, no
 * match running past the chunk's uncompressed size, no end marker.
 *
 * Invariants: nothing at or past in[in_len] is read and nothing at or past
 * out[out_cap] is written, whatever the input.  A match may reach back only
 * to the last dictionary reset (each block's first chunk resets it), never
 * before; the dictionary size announced by the filter properties is not
 * needed (the whole output is the dictionary) and not enforced.  All state
 * is in the caller's struct lzma2_dec (about 28 KiB), which needs no
 * initialisation; no recursion, no large stack frame.
 */
#ifndef XYLEM_LZMA2_H
#define XYLEM_LZMA2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LZMA_STATES		12
#define LZMA_POS_STATES_MAX	16	/* pb <= 4 */
#define LZMA_LEN_LOW_SYMBOLS	8
#define LZMA_LEN_MID_SYMBOLS	8
#define LZMA_LEN_HIGH_SYMBOLS	256
#define LZMA_DIST_STATES	4
#define LZMA_DIST_SLOTS		64
#define LZMA_DIST_MODEL_END	14	/* slots below use dist_special */
#define LZMA_FULL_DISTANCES	128
#define LZMA_ALIGN_SYMBOLS	16
#define LZMA_LITERAL_CODER	0x300
#define LZMA_LITERAL_CODERS_MAX	16	/* lc + lp <= 4 in LZMA2 */

/* Adaptive bit probabilities of one length coder (matches or repeats). */
struct lzma_len_probs {
	uint16_t choice;
	uint16_t choice2;
	uint16_t low[LZMA_POS_STATES_MAX][LZMA_LEN_LOW_SYMBOLS];
	uint16_t mid[LZMA_POS_STATES_MAX][LZMA_LEN_MID_SYMBOLS];
	uint16_t high[LZMA_LEN_HIGH_SYMBOLS];
};

/* Every probability of the LZMA model; all members are uint16_t. */
struct lzma_probs {
	uint16_t is_match[LZMA_STATES][LZMA_POS_STATES_MAX];
	uint16_t is_rep[LZMA_STATES];
	uint16_t is_rep0[LZMA_STATES];
	uint16_t is_rep1[LZMA_STATES];
	uint16_t is_rep2[LZMA_STATES];
	uint16_t is_rep0_long[LZMA_STATES][LZMA_POS_STATES_MAX];
	uint16_t dist_slot[LZMA_DIST_STATES][LZMA_DIST_SLOTS];
	uint16_t dist_special[LZMA_FULL_DISTANCES - LZMA_DIST_MODEL_END];
	uint16_t dist_align[LZMA_ALIGN_SYMBOLS];
	struct lzma_len_probs match_len;
	struct lzma_len_probs rep_len;
	uint16_t literal[LZMA_LITERAL_CODERS_MAX][LZMA_LITERAL_CODER];
};

/* Private to lzma2.c; exposed so that the xz decoder can embed it. */
struct lzma2_dec {
	struct lzma_probs probs;
	uint32_t state;			/* 0..11: what the last packets were */
	uint32_t rep[4];		/* the last four match distances - 1 */
	uint32_t lc, lp, pb;		/* literal context/position bits */
	size_t dict_start;		/* out[] offset of the last dict reset */
	bool need_dict_reset;		/* no dictionary yet */
	bool need_props;		/* no lc/lp/pb since the last reset */
};

int lzma2_decode(struct lzma2_dec *d, const uint8_t *in, size_t in_len,
		 size_t *in_used, uint8_t *out, size_t out_cap,
		 size_t *out_pos, const char **why);

#endif
