/*
 * lzma2.c - LZMA2 chunk parser and LZMA decoder, single call, the output
 * buffer serving as the dictionary.  See lzma2.h for the interface and the
 * format rules enforced.
 *
 * Structure: lzma2_decode() walks the chunks; copy_chunk() handles the
 * uncompressed ones; lzma_chunk() reads an LZMA chunk's header, resets what
 * it asks for and runs lzma_run(), the packet loop, over a fresh range
 * decoder limited to the chunk's compressed bytes.
 *
 * Bounds: the range decoder never reads at or past the chunk's compressed
 * size (a read there yields 0 and counts as an overrun, caught in the loop
 * and at the chunk's end); every match is checked against the bytes decoded
 * since the last dictionary reset and against the chunk's remaining
 * uncompressed size before it is copied, so out[] is written only inside
 * the chunk, which was checked against out_cap.
 */
#include "lzma2.h"
#include <public/errno.h>

#define RC_TOP		(1u << 24)	/* below this, shift in a byte */
#define RC_PROB_BITS	11
#define RC_PROB_ONE	(1u << RC_PROB_BITS)
#define RC_MOVE_BITS	5
#define RC_INIT_BYTES	5

#define LZMA_LIT_STATES	7	/* states below this: last packet a literal */
#define LZMA_MATCH_MIN	2
#define LZMA_PROPS_MAX	(9 * 5 * 5)
#define LZMA_END_MARKER	0xFFFFFFFFu

/* A range decoder over one LZMA chunk's compressed bytes in[0..len). */
struct rc {
	uint32_t range;
	uint32_t code;
	const uint8_t *in;
	size_t len;
	size_t pos;		/* passes len only on corrupt input */
};

static inline void rc_normalize(struct rc *rc)
{
	if (rc->range < RC_TOP) {
		rc->range <<= 8;
		rc->code <<= 8;
		if (rc->pos < rc->len)
			rc->code |= rc->in[rc->pos];
		rc->pos++;
	}
}

/* Decode one bit with adaptive probability *prob (of a zero). */
static inline uint32_t rc_bit(struct rc *rc, uint16_t *prob)
{
	uint32_t bound = (rc->range >> RC_PROB_BITS) * *prob;
	uint32_t bit;

	if (rc->code < bound) {
		rc->range = bound;
		*prob += (RC_PROB_ONE - *prob) >> RC_MOVE_BITS;
		bit = 0;
	} else {
		rc->range -= bound;
		rc->code -= bound;
		*prob -= *prob >> RC_MOVE_BITS;
		bit = 1;
	}
	rc_normalize(rc);
	return bit;
}

/* A bits-wide symbol, most significant bit first; probs[1 << bits]. */
static inline uint32_t rc_tree(struct rc *rc, uint16_t *probs, uint32_t bits)
{
	uint32_t sym = 1;

	while (sym < (1u << bits))
		sym = (sym << 1) | rc_bit(rc, &probs[sym]);
	return sym - (1u << bits);
}

/* A bits-wide symbol, least significant bit first, probs[base..]. */
static inline uint32_t rc_tree_reverse(struct rc *rc, uint16_t *probs,
				       uint32_t base, uint32_t bits)
{
	uint32_t sym = 1, value = 0, i, bit;

	for (i = 0; i < bits; i++) {
		bit = rc_bit(rc, &probs[base + sym - 1]);
		sym = (sym << 1) | bit;
		value |= bit << i;
	}
	return value;
}

/* Bits with fixed probability one half, most significant first. */
static inline uint32_t rc_direct(struct rc *rc, uint32_t bits)
{
	uint32_t value = 0, bit;

	while (bits--) {
		rc->range >>= 1;
		bit = rc->code >= rc->range;
		if (bit)
			rc->code -= rc->range;
		value = (value << 1) | bit;
		rc_normalize(rc);
	}
	return value;
}

static int rc_init(struct rc *rc, const uint8_t *in, size_t len,
		   const char **why)
{
	if (len < RC_INIT_BYTES) {
		*why = "lzma2: LZMA chunk shorter than the range coder start";
		return -XEN_EINVAL;
	}
	if (in[0] != 0) {
		*why = "lzma2: range coder does not start with a zero byte";
		return -XEN_EINVAL;
	}
	rc->range = 0xFFFFFFFFu;
	rc->code = (uint32_t)in[1] << 24 | (uint32_t)in[2] << 16 |
		   (uint32_t)in[3] << 8 | in[4];
	rc->in = in;
	rc->len = len;
	rc->pos = RC_INIT_BYTES;
	return 0;
}

/* A match or repeat length: 2..273. */
static inline uint32_t lzma_len(struct rc *rc, struct lzma_len_probs *lp,
				uint32_t pos_state)
{
	if (!rc_bit(rc, &lp->choice))
		return LZMA_MATCH_MIN + rc_tree(rc, lp->low[pos_state], 3);
	if (!rc_bit(rc, &lp->choice2))
		return LZMA_MATCH_MIN + LZMA_LEN_LOW_SYMBOLS +
		       rc_tree(rc, lp->mid[pos_state], 3);
	return LZMA_MATCH_MIN + LZMA_LEN_LOW_SYMBOLS + LZMA_LEN_MID_SYMBOLS +
	       rc_tree(rc, lp->high, 8);
}

/* A new match's distance minus one; the slot's context is the length. */
static inline uint32_t lzma_distance(struct rc *rc, struct lzma_probs *p,
				     uint32_t len)
{
	uint32_t len_state = len - LZMA_MATCH_MIN;
	uint32_t slot, bits, dist;

	if (len_state > LZMA_DIST_STATES - 1)
		len_state = LZMA_DIST_STATES - 1;
	slot = rc_tree(rc, p->dist_slot[len_state], 6);
	if (slot < 4)
		return slot;
	bits = (slot >> 1) - 1;
	dist = (2 | (slot & 1)) << bits;
	if (slot < LZMA_DIST_MODEL_END)
		return dist + rc_tree_reverse(rc, p->dist_special,
					      dist - slot, bits);
	dist += rc_direct(rc, bits - 4) << 4;
	return dist + rc_tree_reverse(rc, p->dist_align, 0, 4);
}

/*
 * Decode one literal into out[pos].  After a match (state >= 7) the byte
 * at distance rep[0] steers the first bits until one differs from it.
 */
static int lzma_literal(struct lzma2_dec *d, struct rc *rc, uint8_t *out,
			size_t pos)
{
	size_t n = pos - d->dict_start;
	uint32_t prev = n ? out[pos - 1] : 0;
	uint32_t coder = (((uint32_t)n & ((1u << d->lp) - 1)) << d->lc) +
			 (prev >> (8 - d->lc));
	uint16_t *probs = d->probs.literal[coder];
	uint32_t sym = 1, match, match_bit, bit;

	if (d->state >= LZMA_LIT_STATES) {
		if (d->rep[0] >= n)
			return -XEN_EINVAL;
		match = out[pos - d->rep[0] - 1];
		do {
			match_bit = (match >> 7) & 1;
			match <<= 1;
			bit = rc_bit(rc, &probs[0x100 + (match_bit << 8) + sym]);
			sym = (sym << 1) | bit;
		} while (sym < 0x100 && bit == match_bit);
	}
	while (sym < 0x100)
		sym = (sym << 1) | rc_bit(rc, &probs[sym]);
	out[pos] = (uint8_t)sym;
	if (d->state < 4)
		d->state = 0;
	else if (d->state < 10)
		d->state -= 3;
	else
		d->state -= 6;
	return 0;
}

/*
 * After is_match said "not a literal": decode a match or a repeat, update
 * the state and the distance history, and return its length (1 for a
 * short repeat); the distance minus one is then d->rep[0].
 */
static uint32_t lzma_match(struct lzma2_dec *d, struct rc *rc,
			   uint32_t pos_state)
{
	struct lzma_probs *p = &d->probs;
	bool lit = d->state < LZMA_LIT_STATES;
	uint32_t dist;

	if (!rc_bit(rc, &p->is_rep[d->state])) {
		d->rep[3] = d->rep[2];
		d->rep[2] = d->rep[1];
		d->rep[1] = d->rep[0];
		d->state = lit ? 7 : 10;
		dist = lzma_len(rc, &p->match_len, pos_state);
		d->rep[0] = lzma_distance(rc, p, dist);
		return dist;
	}
	if (!rc_bit(rc, &p->is_rep0[d->state])) {
		if (!rc_bit(rc, &p->is_rep0_long[d->state][pos_state])) {
			d->state = lit ? 9 : 11;
			return 1;
		}
	} else {
		if (!rc_bit(rc, &p->is_rep1[d->state])) {
			dist = d->rep[1];
		} else {
			if (!rc_bit(rc, &p->is_rep2[d->state])) {
				dist = d->rep[2];
			} else {
				dist = d->rep[3];
				d->rep[3] = d->rep[2];
			}
			d->rep[2] = d->rep[1];
		}
		d->rep[1] = d->rep[0];
		d->rep[0] = dist;
	}
	d->state = lit ? 8 : 11;
	return lzma_len(rc, &p->rep_len, pos_state);
}

/* Decode packets until out[pos..end) is full. */
static int lzma_run(struct lzma2_dec *d, struct rc *rcp, uint8_t *out,
		    size_t pos, size_t end, const char **why)
{
	struct rc rc = *rcp;
	uint32_t pb_mask = (1u << d->pb) - 1;
	uint32_t pos_state, len, i;
	const uint8_t *src;

	while (pos < end) {
		if (rc.pos > rc.len) {
			*why = "lzma2: LZMA data runs past its chunk";
			return -XEN_EINVAL;
		}
		pos_state = (uint32_t)(pos - d->dict_start) & pb_mask;
		if (!rc_bit(&rc, &d->probs.is_match[d->state][pos_state])) {
			if (lzma_literal(d, &rc, out, pos)) {
				*why = "lzma2: literal refers before the dictionary";
				return -XEN_EINVAL;
			}
			pos++;
			continue;
		}
		len = lzma_match(d, &rc, pos_state);
		if (d->rep[0] == LZMA_END_MARKER) {
			*why = "lzma2: end marker inside an LZMA2 chunk";
			return -XEN_EINVAL;
		}
		if (d->rep[0] >= pos - d->dict_start) {
			*why = "lzma2: match distance before the dictionary start";
			return -XEN_EINVAL;
		}
		if (len > end - pos) {
			*why = "lzma2: match runs past the chunk's size";
			return -XEN_EINVAL;
		}
		src = out + (pos - d->rep[0] - 1);
		for (i = 0; i < len; i++)
			out[pos + i] = src[i];
		pos += len;
	}
	*rcp = rc;
	return 0;
}

/* State reset: every probability to one half, state and distances zero. */
static void lzma_reset(struct lzma2_dec *d)
{
	uint16_t *p = (uint16_t *)&d->probs;
	size_t n = offsetof(struct lzma_probs, literal) / sizeof(*p) +
		   ((size_t)LZMA_LITERAL_CODER << (d->lc + d->lp));
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = RC_PROB_ONE / 2;
	d->state = 0;
	d->rep[0] = d->rep[1] = d->rep[2] = d->rep[3] = 0;
}

static int lzma_props(struct lzma2_dec *d, uint8_t b, const char **why)
{
	uint32_t v = b;

	if (v >= LZMA_PROPS_MAX) {
		*why = "lzma2: invalid LZMA properties byte";
		return -XEN_EINVAL;
	}
	d->lc = v % 9;
	v /= 9;
	d->lp = v % 5;
	d->pb = v / 5;
	if (d->lc + d->lp > 4) {
		*why = "lzma2: lc + lp exceeds 4";
		return -XEN_EINVAL;
	}
	d->need_props = false;
	return 0;
}

/* An LZMA chunk; *ip is just past its control byte. */
static int lzma_chunk(struct lzma2_dec *d, uint8_t ctrl, const uint8_t *in,
		      size_t in_len, size_t *ip, uint8_t *out, size_t out_cap,
		      size_t *out_pos, const char **why)
{
	size_t p = *ip, usize, csize;
	struct rc rc;
	int err;

	if (in_len - p < 4)
		goto truncated;
	usize = ((size_t)(ctrl & 0x1F) << 16) + ((size_t)in[p] << 8) +
		in[p + 1] + 1;
	csize = ((size_t)in[p + 2] << 8) + in[p + 3] + 1;
	p += 4;
	if (ctrl >= 0xC0) {
		if (p >= in_len)
			goto truncated;
		err = lzma_props(d, in[p++], why);
		if (err)
			return err;
	} else if (d->need_props) {
		*why = "lzma2: LZMA chunk without properties after a reset";
		return -XEN_EINVAL;
	}
	if (ctrl >= 0xA0)
		lzma_reset(d);
	if (csize > in_len - p)
		goto truncated;
	if (usize > out_cap - *out_pos) {
		*why = "lzma2: output buffer too small";
		return -XEN_ENOSPC;
	}
	err = rc_init(&rc, in + p, csize, why);
	if (!err)
		err = lzma_run(d, &rc, out, *out_pos, *out_pos + usize, why);
	if (err)
		return err;
	if (rc.pos != csize || rc.code != 0) {
		*why = "lzma2: LZMA chunk does not end where its size says";
		return -XEN_EINVAL;
	}
	*ip = p + csize;
	*out_pos += usize;
	return 0;

truncated:
	*why = "lzma2: truncated LZMA chunk";
	return -XEN_EINVAL;
}

/* An uncompressed chunk; *ip is just past its control byte. */
static int copy_chunk(const uint8_t *in, size_t in_len, size_t *ip,
		      uint8_t *out, size_t out_cap, size_t *out_pos,
		      const char **why)
{
	size_t p = *ip, size, i;

	if (in_len - p < 2)
		goto truncated;
	size = ((size_t)in[p] << 8) + in[p + 1] + 1;
	p += 2;
	if (size > in_len - p)
		goto truncated;
	if (size > out_cap - *out_pos) {
		*why = "lzma2: output buffer too small";
		return -XEN_ENOSPC;
	}
	for (i = 0; i < size; i++)
		out[*out_pos + i] = in[p + i];
	*ip = p + size;
	*out_pos += size;
	return 0;

truncated:
	*why = "lzma2: truncated uncompressed chunk";
	return -XEN_EINVAL;
}

int lzma2_decode(struct lzma2_dec *d, const uint8_t *in, size_t in_len,
		 size_t *in_used, uint8_t *out, size_t out_cap,
		 size_t *out_pos, const char **why)
{
	size_t ip = 0;
	uint8_t ctrl;
	int err;

	d->need_dict_reset = true;
	d->need_props = true;
	for (;;) {
		if (ip >= in_len) {
			*why = "lzma2: truncated before the end of the stream";
			return -XEN_EINVAL;
		}
		ctrl = in[ip++];
		if (ctrl == 0x00)
			break;
		if (ctrl >= 0xE0 || ctrl == 0x01) {
			d->dict_start = *out_pos;
			d->need_dict_reset = false;
			d->need_props = true;
		} else if (d->need_dict_reset) {
			*why = "lzma2: first chunk does not reset the dictionary";
			return -XEN_EINVAL;
		}
		if (ctrl >= 0x80)
			err = lzma_chunk(d, ctrl, in, in_len, &ip, out, out_cap,
					 out_pos, why);
		else if (ctrl <= 0x02)
			err = copy_chunk(in, in_len, &ip, out, out_cap,
					 out_pos, why);
		else {
			*why = "lzma2: invalid chunk control byte";
			err = -XEN_EINVAL;
		}
		if (err)
			return err;
	}
	*in_used = ip;
	return 0;
}
