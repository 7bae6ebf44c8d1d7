/*
 * inflate.c - DEFLATE (RFC 1951) and gzip (RFC 1952) decoder, one call per
 * stream, output buffer as the window.  FREESTANDING (see inflate.h).
 *
 * Interface: inflate_raw(), gunzip(), gzip_magic(), crc32_update(); see
 * inflate.h.
 *
 * How it decodes: bits are read LSB first into a 64-bit buffer that a
 * refill tops up to at least 57 bits while input remains, so one refill
 * covers a whole literal or length/distance pair (at most 48 bits).
 * Huffman codes are decoded with two-level tables built by huff_build():
 * the next ROOT bits index the first level, whose entry is either a
 * symbol with its code length or a link to a second-level table indexed
 * by the following bits.  A zero entry is a code that the code set does
 * not define.
 *
 * Invariants:
 *   - br.pos <= br.in_len and in[] is only read below br.in_len; bits
 *     peeked past br.cnt are zero and never consumed (every consumption
 *     checks against br.cnt first, so running out is "truncated input").
 *   - out_pos <= out_cap; every write checks room first (-XEN_ENOSPC) and
 *     every match checks that its distance is within out_pos.
 *   - Tables are only built from code sets that pass the Kraft check:
 *     over-subscribed sets and incomplete sets are refused, except a
 *     distance set with no code or a single one-bit code (RFC 1951
 *     3.2.7), which leaves zero (invalid) entries behind.  For a complete
 *     set the second-level tables fit INFLATE_*_TABLE (bound in
 *     huff_fill()); the check there is a guard, not a limit.
 */
#include "inflate.h"
#include <public/errno.h>

#define ENT_LINK	0x8000u		/* entry points to a second level */
#define ENT_LEN(e)	((e) & 15u)	/* code length, 0 = invalid code */
#define ENT_SYM(e)	((e) >> 4)	/* symbol of a direct entry */
#define LINK_BITS(e)	(((e) >> 12) & 7u)
#define LINK_OFF(e)	((e) & 0xfffu)
#define MAX_CODE_LEN	15

#define SYM_INVALID	(-1)
#define SYM_TRUNCATED	(-2)

#define GZ_FHCRC	0x02
#define GZ_FEXTRA	0x04
#define GZ_FNAME	0x08
#define GZ_FCOMMENT	0x10
#define GZ_FRESERVED	0xe0

static const uint16_t len_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258
};
static const uint8_t len_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
};
static const uint16_t dist_base[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
	257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
	8193, 12289, 16385, 24577
};
static const uint8_t dist_extra[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
};
/* Order in which a dynamic block header gives the code length code. */
static const uint8_t clen_order[19] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
};

/* CRC-32, reflected polynomial 0xEDB88320: table[n] is the CRC of byte n. */
static const uint32_t crc_table[256] = {
	0x00000000, 0x77073096, 0xee0e612c, 0x990951ba, 0x076dc419, 0x706af48f,
	0xe963a535, 0x9e6495a3, 0x0edb8832, 0x79dcb8a4, 0xe0d5e91e, 0x97d2d988,
	0x09b64c2b, 0x7eb17cbd, 0xe7b82d07, 0x90bf1d91, 0x1db71064, 0x6ab020f2,
	0xf3b97148, 0x84be41de, 0x1adad47d, 0x6ddde4eb, 0xf4d4b551, 0x83d385c7,
	0x136c9856, 0x646ba8c0, 0xfd62f97a, 0x8a65c9ec, 0x14015c4f, 0x63066cd9,
	0xfa0f3d63, 0x8d080df5, 0x3b6e20c8, 0x4c69105e, 0xd56041e4, 0xa2677172,
	0x3c03e4d1, 0x4b04d447, 0xd20d85fd, 0xa50ab56b, 0x35b5a8fa, 0x42b2986c,
	0xdbbbc9d6, 0xacbcf940, 0x32d86ce3, 0x45df5c75, 0xdcd60dcf, 0xabd13d59,
	0x26d930ac, 0x51de003a, 0xc8d75180, 0xbfd06116, 0x21b4f4b5, 0x56b3c423,
	0xcfba9599, 0xb8bda50f, 0x2802b89e, 0x5f058808, 0xc60cd9b2, 0xb10be924,
	0x2f6f7c87, 0x58684c11, 0xc1611dab, 0xb6662d3d, 0x76dc4190, 0x01db7106,
	0x98d220bc, 0xefd5102a, 0x71b18589, 0x06b6b51f, 0x9fbfe4a5, 0xe8b8d433,
	0x7807c9a2, 0x0f00f934, 0x9609a88e, 0xe10e9818, 0x7f6a0dbb, 0x086d3d2d,
	0x91646c97, 0xe6635c01, 0x6b6b51f4, 0x1c6c6162, 0x856530d8, 0xf262004e,
	0x6c0695ed, 0x1b01a57b, 0x8208f4c1, 0xf50fc457, 0x65b0d9c6, 0x12b7e950,
	0x8bbeb8ea, 0xfcb9887c, 0x62dd1ddf, 0x15da2d49, 0x8cd37cf3, 0xfbd44c65,
	0x4db26158, 0x3ab551ce, 0xa3bc0074, 0xd4bb30e2, 0x4adfa541, 0x3dd895d7,
	0xa4d1c46d, 0xd3d6f4fb, 0x4369e96a, 0x346ed9fc, 0xad678846, 0xda60b8d0,
	0x44042d73, 0x33031de5, 0xaa0a4c5f, 0xdd0d7cc9, 0x5005713c, 0x270241aa,
	0xbe0b1010, 0xc90c2086, 0x5768b525, 0x206f85b3, 0xb966d409, 0xce61e49f,
	0x5edef90e, 0x29d9c998, 0xb0d09822, 0xc7d7a8b4, 0x59b33d17, 0x2eb40d81,
	0xb7bd5c3b, 0xc0ba6cad, 0xedb88320, 0x9abfb3b6, 0x03b6e20c, 0x74b1d29a,
	0xead54739, 0x9dd277af, 0x04db2615, 0x73dc1683, 0xe3630b12, 0x94643b84,
	0x0d6d6a3e, 0x7a6a5aa8, 0xe40ecf0b, 0x9309ff9d, 0x0a00ae27, 0x7d079eb1,
	0xf00f9344, 0x8708a3d2, 0x1e01f268, 0x6906c2fe, 0xf762575d, 0x806567cb,
	0x196c3671, 0x6e6b06e7, 0xfed41b76, 0x89d32be0, 0x10da7a5a, 0x67dd4acc,
	0xf9b9df6f, 0x8ebeeff9, 0x17b7be43, 0x60b08ed5, 0xd6d6a3e8, 0xa1d1937e,
	0x38d8c2c4, 0x4fdff252, 0xd1bb67f1, 0xa6bc5767, 0x3fb506dd, 0x48b2364b,
	0xd80d2bda, 0xaf0a1b4c, 0x36034af6, 0x41047a60, 0xdf60efc3, 0xa867df55,
	0x316e8eef, 0x4669be79, 0xcb61b38c, 0xbc66831a, 0x256fd2a0, 0x5268e236,
	0xcc0c7795, 0xbb0b4703, 0x220216b9, 0x5505262f, 0xc5ba3bbe, 0xb2bd0b28,
	0x2bb45a92, 0x5cb36a04, 0xc2d7ffa7, 0xb5d0cf31, 0x2cd99e8b, 0x5bdeae1d,
	0x9b64c2b0, 0xec63f226, 0x756aa39c, 0x026d930a, 0x9c0906a9, 0xeb0e363f,
	0x72076785, 0x05005713, 0x95bf4a82, 0xe2b87a14, 0x7bb12bae, 0x0cb61b38,
	0x92d28e9b, 0xe5d5be0d, 0x7cdcefb7, 0x0bdbdf21, 0x86d3d2d4, 0xf1d4e242,
	0x68ddb3f8, 0x1fda836e, 0x81be16cd, 0xf6b9265b, 0x6fb077e1, 0x18b74777,
	0x88085ae6, 0xff0f6a70, 0x66063bca, 0x11010b5c, 0x8f659eff, 0xf862ae69,
	0x616bffd3, 0x166ccf45, 0xa00ae278, 0xd70dd2ee, 0x4e048354, 0x3903b3c2,
	0xa7672661, 0xd06016f7, 0x4969474d, 0x3e6e77db, 0xaed16a4a, 0xd9d65adc,
	0x40df0b66, 0x37d83bf0, 0xa9bcae53, 0xdebb9ec5, 0x47b2cf7f, 0x30b5ffe9,
	0xbdbdf21c, 0xcabac28a, 0x53b39330, 0x24b4a3a6, 0xbad03605, 0xcdd70693,
	0x54de5729, 0x23d967bf, 0xb3667a2e, 0xc4614ab8, 0x5d681b02, 0x2a6f2b94,
	0xb40bbe37, 0xc30c8ea1, 0x5a05df1b, 0x2d02ef8d,
};

uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	size_t i;

	crc = ~crc;
	for (i = 0; i < n; i++)
		crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static int fail(struct inflate_work *w, int err, const char *why)
{
	w->why = why;
	return err;
}

/* Load whole bytes until at least 57 bits are buffered or input ends. */
static inline void bits_refill(struct inflate_bits *b)
{
	while (b->cnt <= 56 && b->pos < b->in_len) {
		b->buf |= (uint64_t)b->in[b->pos++] << b->cnt;
		b->cnt += 8;
	}
}

/* Take n (0..32) bits, first bit lowest; false if the input ran out. */
static inline bool bits_take(struct inflate_bits *b, unsigned int n,
			     uint32_t *v)
{
	if (b->cnt < n) {
		bits_refill(b);
		if (b->cnt < n)
			return false;
	}
	*v = (uint32_t)(b->buf & (((uint64_t)1 << n) - 1));
	b->buf >>= n;
	b->cnt -= n;
	return true;
}

/*
 * Decode one symbol with table t (first level of root bits); the caller
 * refilled.  Returns the symbol, SYM_INVALID or SYM_TRUNCATED.
 */
static inline int huff_sym(struct inflate_bits *b, const uint16_t *t,
			   unsigned int root)
{
	unsigned int e = t[b->buf & ((1u << root) - 1)];
	unsigned int n;

	if (e & ENT_LINK)
		e = t[LINK_OFF(e) +
		      ((b->buf >> root) & ((1u << LINK_BITS(e)) - 1))];
	n = ENT_LEN(e);
	if (n == 0)
		return SYM_INVALID;
	if (n > b->cnt)
		return SYM_TRUNCATED;
	b->buf >>= n;
	b->cnt -= n;
	return (int)ENT_SYM(e);
}

static int sym_error(struct inflate_work *w, int s)
{
	if (s == SYM_TRUNCATED)
		return fail(w, -XEN_EINVAL, "truncated input");
	return fail(w, -XEN_EINVAL, "invalid Huffman code");
}

static unsigned int reverse_bits(unsigned int code, unsigned int n)
{
	unsigned int r = 0;

	while (n--) {
		r = (r << 1) | (code & 1);
		code >>= 1;
	}
	return r;
}

/*
 * Size in index bits of the second-level table that starts with a code of
 * length len: grow it until the codes not yet placed (count[], which
 * still includes the current one) fill it.  Codes are placed in canonical
 * order, so a second-level table receives all codes sharing its prefix
 * before the next one starts.
 */
static unsigned int sub_bits(const uint16_t *count, unsigned int len,
			     unsigned int root)
{
	unsigned int k = len - root;
	int left = 1 << k;

	while (k + root < MAX_CODE_LEN) {
		left -= count[k + root];
		if (left <= 0)
			break;
		k++;
		left <<= 1;
	}
	return k;
}

/*
 * Fill table t from the symbols sorted[0..total) in canonical order.
 * Bound: in a complete code the codes under one first-level prefix form a
 * complete tree, so a second level of k index bits holds at least k + 1
 * codes; with k <= 15 - root the worst case is every code spent on
 * (16 - root)-code trees: 288 / 6 * 32 entries beyond 1024 for literal/
 * length, 32 / 8 * 128 beyond 256 for distance: INFLATE_*_TABLE.
 */
static bool huff_fill(uint16_t *t, unsigned int cap, unsigned int root,
		      const uint8_t *lens, uint16_t *count,
		      const uint16_t *sorted, unsigned int total)
{
	unsigned int i, j, code = 0, prev = 0, next = 1u << root;
	unsigned int prefix = ~0u, sub = 0, kbits = 0;

	for (i = 0; i < next; i++)
		t[i] = 0;
	for (i = 0; i < total; i++) {
		unsigned int sym = sorted[i], len = lens[sym], rev;
		uint16_t ent = (uint16_t)(sym << 4 | len);

		code = i ? (code + 1) << (len - prev) : 0;
		prev = len;
		rev = reverse_bits(code, len);
		if (len <= root) {
			for (j = rev; j < (1u << root); j += 1u << len)
				t[j] = ent;
		} else {
			if ((rev & ((1u << root) - 1)) != prefix) {
				prefix = rev & ((1u << root) - 1);
				kbits = sub_bits(count, len, root);
				if (next + (1u << kbits) > cap)
					return false;
				sub = next;
				next += 1u << kbits;
				for (j = sub; j < next; j++)
					t[j] = 0;
				t[prefix] = (uint16_t)(ENT_LINK | kbits << 12 | sub);
			}
			for (j = rev >> root; j < (1u << kbits);
			     j += 1u << (len - root))
				t[sub + j] = ent;
		}
		count[len]--;
	}
	return true;
}

/*
 * Build decode table t for code lengths lens[0..nsym) (each 0..15).  A
 * complete code is required; allow_sparse also accepts no code at all or
 * a single code of length 1 (the distance code of RFC 1951 3.2.7).
 */
static int huff_build(struct inflate_work *w, uint16_t *t, unsigned int cap,
		      unsigned int root, const uint8_t *lens, unsigned int nsym,
		      bool allow_sparse)
{
	uint16_t count[MAX_CODE_LEN + 1], offs[MAX_CODE_LEN + 1];
	unsigned int len, sym, total = 0;
	int left = 1;

	for (len = 0; len <= MAX_CODE_LEN; len++)
		count[len] = 0;
	for (sym = 0; sym < nsym; sym++)
		count[lens[sym]]++;
	for (len = 1; len <= MAX_CODE_LEN; len++) {
		left = 2 * left - count[len];
		if (left < 0)
			return fail(w, -XEN_EINVAL, "over-subscribed code set");
		total += count[len];
	}
	if (left > 0 && !(allow_sparse && total <= 1 && count[1] == total))
		return fail(w, -XEN_EINVAL, "incomplete code set");
	offs[1] = 0;
	for (len = 1; len < MAX_CODE_LEN; len++)
		offs[len + 1] = (uint16_t)(offs[len] + count[len]);
	for (sym = 0; sym < nsym; sym++)
		if (lens[sym])
			w->sorted[offs[lens[sym]]++] = (uint16_t)sym;
	if (!huff_fill(t, cap, root, lens, count, w->sorted, total))
		return fail(w, -XEN_EINVAL, "Huffman table overflow");
	return 0;
}

static int load_fixed(struct inflate_work *w)
{
	unsigned int i;
	int err;

	if (w->fixed_loaded)
		return 0;
	for (i = 0; i < 288; i++)
		w->lens[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
	for (i = 288; i < 320; i++)
		w->lens[i] = 5;
	err = huff_build(w, w->litlen, INFLATE_LITLEN_TABLE,
			 INFLATE_LITLEN_ROOT, w->lens, 288, false);
	if (!err)
		err = huff_build(w, w->dist, INFLATE_DIST_TABLE,
				 INFLATE_DIST_ROOT, w->lens + 288, 32, false);
	w->fixed_loaded = !err;
	return err;
}

/* Read n code lengths into w->lens with the code length code in w->clen. */
static int read_lengths(struct inflate_work *w, unsigned int n)
{
	unsigned int i = 0, rep, val;
	uint32_t v;
	int s;

	while (i < n) {
		bits_refill(&w->br);
		s = huff_sym(&w->br, w->clen, INFLATE_CLEN_ROOT);
		if (s < 0)
			return sym_error(w, s);
		if (s < 16) {
			w->lens[i++] = (uint8_t)s;
			continue;
		}
		if (s == 16 && i == 0)
			return fail(w, -XEN_EINVAL, "repeat with no length");
		val = s == 16 ? w->lens[i - 1] : 0;
		if (!bits_take(&w->br, s == 16 ? 2 : s == 17 ? 3 : 7, &v))
			return fail(w, -XEN_EINVAL, "truncated input");
		rep = v + (s == 18 ? 11 : 3);
		if (rep > n - i)
			return fail(w, -XEN_EINVAL, "code lengths overrun");
		while (rep--)
			w->lens[i++] = (uint8_t)val;
	}
	return 0;
}

/* A dynamic block's header: the code length code, then both codes. */
static int read_dynamic(struct inflate_work *w)
{
	uint32_t hlit, hdist, hclen, v;
	uint8_t clens[19];
	unsigned int i;
	int err;

	w->fixed_loaded = false;
	if (!bits_take(&w->br, 5, &hlit) || !bits_take(&w->br, 5, &hdist) ||
	    !bits_take(&w->br, 4, &hclen))
		return fail(w, -XEN_EINVAL, "truncated input");
	hlit += 257;
	hdist += 1;
	if (hlit > 286)
		return fail(w, -XEN_EINVAL, "HLIT > 286");
	if (hdist > 30)
		return fail(w, -XEN_EINVAL, "HDIST > 30");
	for (i = 0; i < 19; i++)
		clens[i] = 0;
	for (i = 0; i < hclen + 4; i++) {
		if (!bits_take(&w->br, 3, &v))
			return fail(w, -XEN_EINVAL, "truncated input");
		clens[clen_order[i]] = (uint8_t)v;
	}
	err = huff_build(w, w->clen, 1u << INFLATE_CLEN_ROOT,
			 INFLATE_CLEN_ROOT, clens, 19, false);
	if (!err)
		err = read_lengths(w, hlit + hdist);
	if (!err && w->lens[256] == 0)
		err = fail(w, -XEN_EINVAL, "no end-of-block code");
	if (!err)
		err = huff_build(w, w->litlen, INFLATE_LITLEN_TABLE,
				 INFLATE_LITLEN_ROOT, w->lens, hlit, false);
	if (!err)
		err = huff_build(w, w->dist, INFLATE_DIST_TABLE,
				 INFLATE_DIST_ROOT, w->lens + hlit, hdist, true);
	return err;
}

static int inflate_stored(struct inflate_work *w)
{
	struct inflate_bits *b = &w->br;
	unsigned int len, nlen, i;
	const uint8_t *from;
	uint8_t *to;

	/* Drop the partial byte; hand the whole buffered bytes back. */
	b->pos -= b->cnt / 8;
	b->buf = 0;
	b->cnt = 0;
	if (b->in_len - b->pos < 4)
		return fail(w, -XEN_EINVAL, "truncated input");
	len = b->in[b->pos] | (unsigned int)b->in[b->pos + 1] << 8;
	nlen = b->in[b->pos + 2] | (unsigned int)b->in[b->pos + 3] << 8;
	if (len != (~nlen & 0xffffu))
		return fail(w, -XEN_EINVAL, "stored block LEN/NLEN mismatch");
	b->pos += 4;
	if (len > b->in_len - b->pos)
		return fail(w, -XEN_EINVAL, "truncated input");
	if (len > w->out_cap - w->out_pos)
		return fail(w, -XEN_ENOSPC, "output buffer too small");
	from = b->in + b->pos;
	to = w->out + w->out_pos;
	for (i = 0; i < len; i++)
		to[i] = from[i];
	b->pos += len;
	w->out_pos += len;
	return 0;
}

/* The length/distance pair of length symbol 257 + lsym: copy it. */
static inline int copy_match(struct inflate_work *w, struct inflate_bits *b,
			     unsigned int lsym, size_t *posp)
{
	size_t pos = *posp, i;
	unsigned int len, dist;
	const uint8_t *from;
	uint8_t *to;
	uint32_t v;
	int ds;

	if (lsym >= 29)
		return fail(w, -XEN_EINVAL, "invalid length code 286/287");
	if (!bits_take(b, len_extra[lsym], &v))
		return fail(w, -XEN_EINVAL, "truncated input");
	len = len_base[lsym] + v;
	ds = huff_sym(b, w->dist, INFLATE_DIST_ROOT);
	if (ds < 0)
		return sym_error(w, ds);
	if (ds >= 30)
		return fail(w, -XEN_EINVAL, "invalid distance code 30/31");
	if (!bits_take(b, dist_extra[ds], &v))
		return fail(w, -XEN_EINVAL, "truncated input");
	dist = dist_base[ds] + v;
	if (dist > pos)
		return fail(w, -XEN_EINVAL, "distance before start of output");
	if (len > w->out_cap - pos)
		return fail(w, -XEN_ENOSPC, "output buffer too small");
	to = w->out + pos;
	from = to - dist;
	for (i = 0; i < len; i++)	/* forward: overlap repeats */
		to[i] = from[i];
	*posp = pos + len;
	return 0;
}

/*
 * The body of a Huffman block, up to its end-of-block code.  The bit
 * reader and output position live in locals here: stores to out[] could
 * alias w, which would force a reload of them after every byte.
 */
static int inflate_codes(struct inflate_work *w)
{
	struct inflate_bits b = w->br;
	uint8_t *out = w->out;
	size_t pos = w->out_pos;
	int s, err = 0;

	for (;;) {
		bits_refill(&b);
		s = huff_sym(&b, w->litlen, INFLATE_LITLEN_ROOT);
		if (s < 256) {
			if (s < 0) {
				err = sym_error(w, s);
				break;
			}
			if (pos == w->out_cap) {
				err = fail(w, -XEN_ENOSPC,
					   "output buffer too small");
				break;
			}
			out[pos++] = (uint8_t)s;
			continue;
		}
		if (s == 256)
			break;
		err = copy_match(w, &b, (unsigned int)s - 257, &pos);
		if (err)
			break;
	}
	w->br = b;
	w->out_pos = pos;
	return err;
}

static int inflate_block(struct inflate_work *w, unsigned int type)
{
	int err;

	switch (type) {
	case 0:
		return inflate_stored(w);
	case 1:
		err = load_fixed(w);
		break;
	case 2:
		err = read_dynamic(w);
		break;
	default:
		return fail(w, -XEN_EINVAL, "reserved block type");
	}
	return err ? err : inflate_codes(w);
}

int inflate_raw(struct inflate_work *w, const uint8_t *in, size_t in_len,
		size_t *in_used, uint8_t *out, size_t out_cap, size_t *out_len,
		const char **why)
{
	uint32_t hdr = 0;
	int err = 0;

	w->br.in = in;
	w->br.in_len = in_len;
	w->br.pos = 0;
	w->br.buf = 0;
	w->br.cnt = 0;
	w->out = out;
	w->out_cap = out_cap;
	w->out_pos = 0;
	w->why = NULL;
	w->fixed_loaded = false;
	while (!err && !(hdr & 1)) {
		if (!bits_take(&w->br, 3, &hdr))
			err = fail(w, -XEN_EINVAL, "truncated input");
		else
			err = inflate_block(w, hdr >> 1);
	}
	if (in_used)
		*in_used = w->br.pos - w->br.cnt / 8;
	if (out_len)
		*out_len = w->out_pos;
	if (why)
		*why = w->why;
	return err;
}

bool gzip_magic(const uint8_t *in, size_t in_len)
{
	return in_len >= 3 && in[0] == 0x1f && in[1] == 0x8b && in[2] == 8;
}

/* Step *pos past a zero-terminated string inside in[0..in_len). */
static bool skip_string(const uint8_t *in, size_t in_len, size_t *pos)
{
	size_t p;

	for (p = *pos; p < in_len; p++) {
		if (in[p] == 0) {
			*pos = p + 1;
			return true;
		}
	}
	return false;
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Check a gzip member header; *hdr_len is where the DEFLATE data starts. */
static int gzip_header(struct inflate_work *w, const uint8_t *in,
		       size_t in_len, size_t *hdr_len)
{
	size_t pos = 10, xlen;
	uint8_t flg;

	if (in_len < 10)
		return fail(w, -XEN_EINVAL, "truncated gzip header");
	if (in[0] != 0x1f || in[1] != 0x8b)
		return fail(w, -XEN_EINVAL, "not gzip (bad magic)");
	if (in[2] != 8)
		return fail(w, -XEN_EINVAL, "gzip method is not deflate");
	flg = in[3];
	if (flg & GZ_FRESERVED)
		return fail(w, -XEN_EINVAL, "reserved gzip flags set");
	if (flg & GZ_FEXTRA) {
		if (in_len - pos < 2)
			return fail(w, -XEN_EINVAL, "truncated gzip header");
		xlen = in[pos] | (size_t)in[pos + 1] << 8;
		pos += 2;
		if (xlen > in_len - pos)
			return fail(w, -XEN_EINVAL, "truncated gzip header");
		pos += xlen;
	}
	if ((flg & GZ_FNAME) && !skip_string(in, in_len, &pos))
		return fail(w, -XEN_EINVAL, "truncated gzip header");
	if ((flg & GZ_FCOMMENT) && !skip_string(in, in_len, &pos))
		return fail(w, -XEN_EINVAL, "truncated gzip header");
	if (flg & GZ_FHCRC) {
		if (in_len - pos < 2)
			return fail(w, -XEN_EINVAL, "truncated gzip header");
		if ((crc32_update(0, in, pos) & 0xffff) !=
		    (in[pos] | (uint32_t)in[pos + 1] << 8))
			return fail(w, -XEN_EINVAL, "gzip header crc mismatch");
		pos += 2;
	}
	*hdr_len = pos;
	return 0;
}

int gunzip(struct inflate_work *w, const uint8_t *in, size_t in_len,
	   uint8_t *out, size_t out_cap, size_t *out_len, const char **why)
{
	size_t hdr = 0, used = 0, len = 0;
	int err;

	w->why = NULL;
	err = gzip_header(w, in, in_len, &hdr);
	if (!err)
		err = inflate_raw(w, in + hdr, in_len - hdr, &used, out,
				  out_cap, &len, NULL);
	if (!err && in_len - hdr - used < 8)
		err = fail(w, -XEN_EINVAL, "truncated gzip trailer");
	if (!err && get_le32(in + hdr + used) != crc32_update(0, out, len))
		err = fail(w, -XEN_EINVAL, "crc mismatch");
	if (!err && get_le32(in + hdr + used + 4) != (uint32_t)len)
		err = fail(w, -XEN_EINVAL, "length (ISIZE) mismatch");
	if (out_len)
		*out_len = len;
	if (why)
		*why = w->why;
	return err;
}
