/*
 * unxz.c - the .xz container: stream header and footer, block headers,
 * block padding and checks, the index, and the x86 BCJ filter.  LZMA2
 * itself is in lzma2.c.  See unxz.h for the interface.
 *
 * Layout of a stream (all multi-byte integers little-endian; "VLI" is the
 * format's 7-bits-per-byte variable-length integer, at most 9 bytes, no
 * superfluous zero byte at the end):
 *   header   6 magic bytes, 2 flag bytes (0, check ID), CRC32 of the flags
 *   blocks   header (size byte: (n + 1) * 4 bytes in all, flags, optional
 *            compressed and uncompressed sizes as VLIs, filter flags, zero
 *            padding, CRC32), compressed data, zero padding to a multiple
 *            of four from the block's start, check of the block's output
 *   index    0x00, VLI record count, per block VLI unpadded size (header +
 *            compressed data + check) and VLI uncompressed size, zero
 *            padding to a multiple of four, CRC32
 *   footer   CRC32 of the next 6 bytes, backward size (index size / 4 - 1),
 *            the 2 flag bytes again, "YZ"
 *
 * Every offset read from the input is checked against in_len before use;
 * sizes from the input are compared as uint64_t before narrowing.  The
 * CRC tables live in the work struct and are rebuilt on every call, so the
 * struct needs no initialisation and there is no global mutable state.
 */
#include "unxz.h"
#include <public/errno.h>

#define XZ_HEADER_SIZE		12
#define XZ_FOOTER_SIZE		12
#define XZ_MAGIC_SIZE		6
#define XZ_VLI_BYTES_MAX	9

#define XZ_CHECK_NONE		0x0
#define XZ_CHECK_CRC32		0x1
#define XZ_CHECK_CRC64		0x4
#define XZ_CHECK_SHA256		0xA

#define XZ_BLOCK_FILTERS_MASK	0x03
#define XZ_BLOCK_RESERVED	0x3C
#define XZ_BLOCK_HAS_CSIZE	0x40
#define XZ_BLOCK_HAS_USIZE	0x80

#define XZ_FILTER_X86		0x04
#define XZ_FILTER_LZMA2		0x21
#define XZ_LZMA2_DICT_MAX	40	/* property value: 4 GiB - 1 */

#define CRC32_POLY		0xEDB88320u		/* reflected */
#define CRC64_POLY		0xC96C5795D7870F42ull	/* ECMA-182, reflected */

static const uint8_t xz_header_magic[XZ_MAGIC_SIZE] = {
	0xFD, '7', 'z', 'X', 'Z', 0x00
};

/* The part of a stream being decoded that the steps share. */
struct xz_stream {
	const uint8_t *in;
	size_t in_len;
	size_t pos;			/* next input byte */
	uint8_t *out;
	size_t out_cap;
	size_t out_pos;			/* next output byte */
	uint8_t flags[2];		/* stream flags, for the footer */
	uint32_t check_size;		/* 0, 4 or 8 bytes per block */
};

/* What a block header says. */
struct xz_block {
	size_t header_size;
	bool has_csize, has_usize;
	uint64_t csize, usize;
	bool x86;			/* x86 BCJ before LZMA2 */
};

static void crc_tables_init(struct unxz_work *w)
{
	uint32_t i, k, c32;
	uint64_t c64;

	for (i = 0; i < 256; i++) {
		c32 = i;
		c64 = i;
		for (k = 0; k < 8; k++) {
			c32 = (c32 >> 1) ^ (CRC32_POLY & (0u - (c32 & 1)));
			c64 = (c64 >> 1) ^ (CRC64_POLY & (0ull - (c64 & 1)));
		}
		w->crc32_table[i] = c32;
		w->crc64_table[i] = c64;
	}
}

static uint32_t crc32_calc(const struct unxz_work *w, const uint8_t *p,
			   size_t n)
{
	uint32_t crc = 0xFFFFFFFFu;

	while (n--)
		crc = w->crc32_table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

/* Chainable: start with 0, feed pieces in order. */
static uint64_t crc64_update(const struct unxz_work *w, uint64_t crc,
			     const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--)
		crc = w->crc64_table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A VLI from buf[*pos..end); at most 63 bits, minimally encoded. */
static int vli_get(const uint8_t *buf, size_t end, size_t *pos, uint64_t *val)
{
	uint64_t v = 0;
	unsigned int i;
	uint8_t b;

	for (i = 0; i < XZ_VLI_BYTES_MAX; i++) {
		if (*pos >= end)
			return -XEN_EINVAL;
		b = buf[(*pos)++];
		v |= (uint64_t)(b & 0x7F) << (7 * i);
		if (!(b & 0x80)) {
			if (b == 0 && i > 0)
				return -XEN_EINVAL;
			*val = v;
			return 0;
		}
	}
	return -XEN_EINVAL;
}

static void index_fold(const struct unxz_work *w, struct unxz_index_sum *sum,
		       uint64_t unpadded, uint64_t uncompressed)
{
	uint8_t rec[16];

	put_le64(rec, unpadded);
	put_le64(rec + 8, uncompressed);
	sum->count++;
	sum->unpadded += unpadded;
	sum->uncompressed += uncompressed;
	sum->hash = crc64_update(w, sum->hash, rec, sizeof(rec));
}

bool xz_magic(const uint8_t *in, size_t in_len)
{
	size_t i;

	if (in_len < XZ_MAGIC_SIZE)
		return false;
	for (i = 0; i < XZ_MAGIC_SIZE; i++)
		if (in[i] != xz_header_magic[i])
			return false;
	return true;
}

/* Is in[0..in_len) a proper prefix of the magic (a truncated header)? */
static bool magic_prefix(const uint8_t *in, size_t in_len)
{
	size_t i;

	for (i = 0; i < in_len && i < XZ_MAGIC_SIZE; i++)
		if (in[i] != xz_header_magic[i])
			return false;
	return true;
}

/*
 * x86 BCJ decoder.  The encoder replaced the rel32 operand of E8 (call) and
 * E9 (jmp) opcodes that look like near branches by an absolute target; this
 * turns them back.  Whether an opcode is converted depends on its operand's
 * top byte (0x00 or 0xFF: a plausible near displacement) and on `mask`,
 * which remembers E8/E9 bytes seen in the three bytes before it that were
 * not converted (bit k + 1 for k bytes back; bits from 4 up: their operand
 * top byte looked like a displacement too, which forbids conversion).
 *
 * Single-call form: the streaming filter of the format converts whole
 * 5-byte windows as they become available, keeps its mask and last-opcode
 * position between calls, and passes the final 4 bytes (which cannot hold
 * a whole instruction) through unchanged.  Running this once over a
 * block's entire output, positions counted from the block's start (start
 * offset 0), makes the same decisions on the same bytes, so the result is
 * the same.
 */
static bool bcj_is_disp_byte(uint8_t b)
{
	return b == 0x00 || b == 0xFF;
}

static bool bcj_mask_allows(uint32_t mask)
{
	return (mask >> 1) <= 4 && (mask >> 1) != 3;
}

/*
 * Convert the operand at op[0..4) of an instruction ending at ip.  If an
 * unconverted E8/E9 lay i bytes back (i = 1..3), its operand overlapped
 * ours and the encoder, to keep its own choice reversible, flipped the low
 * bits when byte 3 - i of the result looked like a displacement byte; redo
 * that once.  A second round is never needed: its tested byte is then the
 * complement of our operand's byte 3 - i, which the mask rule guarantees
 * is neither 0x00 nor 0xFF.
 */
static void bcj_convert(uint8_t *op, uint32_t ip, uint32_t mask)
{
	static const uint8_t back_to_bytes[5] = { 0, 1, 2, 2, 3 };
	uint32_t dest = get_le32(op) - ip;
	uint32_t i = back_to_bytes[mask >> 1];

	if (i && bcj_is_disp_byte((uint8_t)(dest >> (24 - 8 * i))))
		dest = (dest ^ ((1u << (32 - 8 * i)) - 1)) - ip;
	op[0] = (uint8_t)dest;
	op[1] = (uint8_t)(dest >> 8);
	op[2] = (uint8_t)(dest >> 16);
	op[3] = (dest & 0x01000000) ? 0xFF : 0x00;
}

static void bcj_x86_decode(uint8_t *buf, size_t len)
{
	uint32_t mask = 0;
	size_t pos = 0, prev = 0, gap;

	while (len >= 5 && pos <= len - 5) {
		if ((buf[pos] & 0xFE) != 0xE8) {
			pos++;
			continue;
		}
		gap = pos - prev;
		prev = pos;
		if (gap > 5)
			mask = 0;
		else
			while (gap--)
				mask = (mask & 0x77) << 1;
		if (bcj_is_disp_byte(buf[pos + 4]) && bcj_mask_allows(mask)) {
			bcj_convert(buf + pos + 1, (uint32_t)(pos + 5), mask);
			pos += 5;
			mask = 0;
		} else {
			mask |= 1;
			if (bcj_is_disp_byte(buf[pos + 4]))
				mask |= 0x10;
			pos++;
		}
	}
}

static int stream_header(const struct unxz_work *w, struct xz_stream *s,
			 const char **why)
{
	const uint8_t *in = s->in;
	uint8_t check;

	if (s->in_len < XZ_HEADER_SIZE) {
		*why = magic_prefix(in, s->in_len) ? "xz: truncated stream header"
						   : "xz: not an xz stream";
		return -XEN_EINVAL;
	}
	if (!xz_magic(in, s->in_len)) {
		*why = "xz: not an xz stream";
		return -XEN_EINVAL;
	}
	if (crc32_calc(w, in + 6, 2) != get_le32(in + 8)) {
		*why = "xz: stream header CRC32 mismatch";
		return -XEN_EINVAL;
	}
	if (in[6] != 0 || (in[7] & 0xF0)) {
		*why = "xz: reserved stream flags set";
		return -XEN_EOPNOTSUPP;
	}
	check = in[7];
	if (check == XZ_CHECK_NONE) {
		s->check_size = 0;
	} else if (check == XZ_CHECK_CRC32) {
		s->check_size = 4;
	} else if (check == XZ_CHECK_CRC64) {
		s->check_size = 8;
	} else {
		*why = check == XZ_CHECK_SHA256 ? "xz: SHA-256 check not supported"
						: "xz: unsupported check type";
		return -XEN_EOPNOTSUPP;
	}
	s->flags[0] = in[6];
	s->flags[1] = in[7];
	s->pos = XZ_HEADER_SIZE;
	return 0;
}

/* LZMA2 must be last; its one property byte encodes the dictionary size. */
static int lzma2_filter(const uint8_t *props, uint64_t psize, bool last,
			const char **why)
{
	if (!last || psize != 1) {
		*why = "xz: LZMA2 not last or without one property byte";
		return -XEN_EINVAL;
	}
	if (props[0] & 0xC0) {
		*why = "xz: reserved LZMA2 property bits set";
		return -XEN_EOPNOTSUPP;
	}
	if (props[0] > XZ_LZMA2_DICT_MAX) {
		*why = "xz: LZMA2 dictionary size out of range";
		return -XEN_EINVAL;
	}
	return 0;
}

/* One Filter Flags entry of a block header h[*pos..end). */
static int filter_flags(const uint8_t *h, size_t end, size_t *pos,
			unsigned int index, bool last, struct xz_block *b,
			const char **why)
{
	uint64_t id, psize;
	const uint8_t *props;

	if (vli_get(h, end, pos, &id) || vli_get(h, end, pos, &psize) ||
	    psize > end - *pos) {
		*why = "xz: malformed filter flags";
		return -XEN_EINVAL;
	}
	props = h + *pos;
	*pos += (size_t)psize;
	if (id == XZ_FILTER_LZMA2)
		return lzma2_filter(props, psize, last, why);
	if (id == XZ_FILTER_X86 && !last) {
		if (index != 0) {
			*why = "xz: unsupported filter chain";
			return -XEN_EOPNOTSUPP;
		}
		if (psize != 0 && psize != 4) {
			*why = "xz: malformed x86 filter properties";
			return -XEN_EINVAL;
		}
		if (psize == 4 && get_le32(props) != 0) {
			*why = "xz: x86 filter start offset not supported";
			return -XEN_EOPNOTSUPP;
		}
		b->x86 = true;
		return 0;
	}
	if (id == XZ_FILTER_X86) {
		*why = "xz: x86 filter cannot be last";
		return -XEN_EINVAL;
	}
	*why = "xz: unsupported filter";
	return -XEN_EOPNOTSUPP;
}

/* The block header at s->pos (its first byte is nonzero). */
static int block_header(const struct unxz_work *w, const struct xz_stream *s,
			struct xz_block *b, const char **why)
{
	const uint8_t *h = s->in + s->pos;
	size_t size = ((size_t)h[0] + 1) * 4, end = size - 4, pos = 2;
	unsigned int i, nr_filters;

	if (size > s->in_len - s->pos) {
		*why = "xz: truncated block header";
		return -XEN_EINVAL;
	}
	if (crc32_calc(w, h, end) != get_le32(h + end)) {
		*why = "xz: block header CRC32 mismatch";
		return -XEN_EINVAL;
	}
	if (h[1] & XZ_BLOCK_RESERVED) {
		*why = "xz: reserved block flags set";
		return -XEN_EOPNOTSUPP;
	}
	b->header_size = size;
	b->has_csize = h[1] & XZ_BLOCK_HAS_CSIZE;
	b->has_usize = h[1] & XZ_BLOCK_HAS_USIZE;
	if ((b->has_csize && (vli_get(h, end, &pos, &b->csize) || !b->csize)) ||
	    (b->has_usize && vli_get(h, end, &pos, &b->usize))) {
		*why = "xz: malformed block sizes";
		return -XEN_EINVAL;
	}
	nr_filters = (h[1] & XZ_BLOCK_FILTERS_MASK) + 1;
	for (i = 0; i < nr_filters; i++) {
		int err = filter_flags(h, end, &pos, i, i == nr_filters - 1,
				       b, why);
		if (err)
			return err;
	}
	while (pos < end) {
		if (h[pos++] != 0) {
			*why = "xz: nonzero block header padding";
			return -XEN_EOPNOTSUPP;
		}
	}
	return 0;
}

/* Block padding and the check after the compressed data at s->pos. */
static int block_trailer(const struct unxz_work *w, struct xz_stream *s,
			 size_t block_start, size_t out_start, const char **why)
{
	const uint8_t *data = s->out + out_start;
	size_t n = s->out_pos - out_start;
	const uint8_t *check;

	while ((s->pos - block_start) & 3) {
		if (s->pos >= s->in_len || s->in[s->pos] != 0) {
			*why = "xz: bad or truncated block padding";
			return -XEN_EINVAL;
		}
		s->pos++;
	}
	if (s->check_size > s->in_len - s->pos) {
		*why = "xz: truncated block check";
		return -XEN_EINVAL;
	}
	check = s->in + s->pos;
	if ((s->check_size == 4 && crc32_calc(w, data, n) != get_le32(check)) ||
	    (s->check_size == 8 &&
	     crc64_update(w, 0, data, n) != get_le64(check))) {
		*why = "xz: block check mismatch";
		return -XEN_EINVAL;
	}
	s->pos += s->check_size;
	return 0;
}

static int block_decode(struct unxz_work *w, struct xz_stream *s,
			const char **why)
{
	struct xz_block b = { 0 };
	size_t block_start = s->pos, out_start = s->out_pos, data, avail, used;
	int err;

	err = block_header(w, s, &b, why);
	if (err)
		return err;
	data = block_start + b.header_size;
	avail = s->in_len - data;
	if (b.has_csize && b.csize < avail)
		avail = (size_t)b.csize;
	if (b.has_usize && b.usize > s->out_cap - s->out_pos) {
		*why = "xz: output buffer too small";
		return -XEN_ENOSPC;
	}
	err = lzma2_decode(&w->lzma2, s->in + data, avail, &used, s->out,
			   s->out_cap, &s->out_pos, why);
	if (err)
		return err;
	if ((b.has_csize && used != b.csize) ||
	    (b.has_usize && s->out_pos - out_start != b.usize)) {
		*why = "xz: block sizes differ from its header";
		return -XEN_EINVAL;
	}
	if (b.x86)
		bcj_x86_decode(s->out + out_start, s->out_pos - out_start);
	s->pos = data + used;
	err = block_trailer(w, s, block_start, out_start, why);
	if (err)
		return err;
	index_fold(w, &w->blocks, b.header_size + used + s->check_size,
		   s->out_pos - out_start);
	return 0;
}

/* The index at s->pos (its first byte is 0); *size is its length. */
static int index_decode(struct unxz_work *w, struct xz_stream *s,
			size_t *size, const char **why)
{
	size_t start = s->pos, pos = start + 1;
	uint64_t count, i, unpadded, uncompressed;

	if (vli_get(s->in, s->in_len, &pos, &count))
		goto malformed;
	if (count != w->blocks.count) {
		*why = "xz: index record count differs from the blocks";
		return -XEN_EINVAL;
	}
	for (i = 0; i < count; i++) {
		if (vli_get(s->in, s->in_len, &pos, &unpadded) ||
		    vli_get(s->in, s->in_len, &pos, &uncompressed) ||
		    unpadded == 0)
			goto malformed;
		index_fold(w, &w->records, unpadded, uncompressed);
	}
	while ((pos - start) & 3)
		if (pos >= s->in_len || s->in[pos++] != 0)
			goto malformed;
	if (s->in_len - pos < 4 ||
	    crc32_calc(w, s->in + start, pos - start) != get_le32(s->in + pos))
		goto malformed;
	if (w->records.unpadded != w->blocks.unpadded ||
	    w->records.uncompressed != w->blocks.uncompressed ||
	    w->records.hash != w->blocks.hash) {
		*why = "xz: index records differ from the blocks";
		return -XEN_EINVAL;
	}
	s->pos = pos + 4;
	*size = s->pos - start;
	return 0;

malformed:
	*why = "xz: malformed, truncated or corrupt index";
	return -XEN_EINVAL;
}

static int stream_footer(const struct unxz_work *w, struct xz_stream *s,
			 size_t index_size, const char **why)
{
	const uint8_t *f = s->in + s->pos;

	if (s->in_len - s->pos < XZ_FOOTER_SIZE) {
		*why = "xz: truncated stream footer";
		return -XEN_EINVAL;
	}
	if (crc32_calc(w, f + 4, 6) != get_le32(f)) {
		*why = "xz: stream footer CRC32 mismatch";
		return -XEN_EINVAL;
	}
	if (f[10] != 'Y' || f[11] != 'Z') {
		*why = "xz: bad stream footer magic";
		return -XEN_EINVAL;
	}
	if (f[8] != s->flags[0] || f[9] != s->flags[1]) {
		*why = "xz: stream footer flags differ from the header";
		return -XEN_EINVAL;
	}
	if (((uint64_t)get_le32(f + 4) + 1) * 4 != index_size) {
		*why = "xz: backward size differs from the index size";
		return -XEN_EINVAL;
	}
	s->pos += XZ_FOOTER_SIZE;
	return 0;
}

static int stream_decode(struct unxz_work *w, struct xz_stream *s,
			 const char **why)
{
	size_t index_size;
	int err;

	err = stream_header(w, s, why);
	while (!err) {
		if (s->pos >= s->in_len) {
			*why = "xz: truncated before the index";
			return -XEN_EINVAL;
		}
		if (s->in[s->pos] == 0x00)
			break;
		err = block_decode(w, s, why);
	}
	if (!err)
		err = index_decode(w, s, &index_size, why);
	if (!err)
		err = stream_footer(w, s, index_size, why);
	return err;
}

int unxz(struct unxz_work *w, const uint8_t *in, size_t in_len,
	 size_t *in_used, uint8_t *out, size_t out_cap, size_t *out_len,
	 const char **why)
{
	struct xz_stream s = {
		.in = in, .in_len = in_len, .out = out, .out_cap = out_cap,
	};
	static const struct unxz_index_sum empty;
	int err;

	*in_used = 0;
	*out_len = 0;
	*why = NULL;
	crc_tables_init(w);
	w->blocks = empty;
	w->records = empty;
	err = stream_decode(w, &s, why);
	if (err)
		return err;
	*in_used = s.pos;
	*out_len = s.out_pos;
	return 0;
}
