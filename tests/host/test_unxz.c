/*
 * test_unxz.c - host unit tests for hyp/unxz.c and hyp/lzma2.c, the
 * single-call .xz decoder.
 *
 * Inputs are made at test time by the host's `xz` in a temporary directory
 * (removed at the end): generated text, random bytes (which LZMA2 stores as
 * uncompressed chunks), a real x86 binary (build/hyp/xylem.elf, else
 * /bin/ls) and a ~20 MB mixture.  Every good stream is decoded from an
 * exactly-sized copy into an exactly-sized output buffer, compared byte for
 * byte, and decoded again with one byte less room (-XEN_ENOSPC).  A walker
 * over the LZMA2 chunks of each stream records which control bytes were
 * seen, so the test proves that every chunk kind was exercised.
 *
 * Streams that xz cannot make are built here: build_xz() wraps raw LZMA2
 * data in a one-block container (header, optional block sizes, check,
 * index, footer) with its own bitwise CRCs; it makes a mid-stream
 * dictionary reset (two raw streams joined) and wrong block sizes.
 * Rejections: bad magic, bad CRCs, reserved flags, SHA-256 and unsupported
 * filters (-XEN_EOPNOTSUPP), truncation at every offset, every single-bit
 * flip of small streams (counted; with a CRC32 check all must be caught),
 * altered or reordered index records with the index CRC fixed up, a wrong
 * backward size, matches that reach before the dictionary start.
 *
 * Run: make build/host/test_unxz && build/host/test_unxz
 * It prints the decoding speed on the mixture (no timing assertion).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "../../hyp/unxz.h"
#include <public/errno.h>

struct buf {
	uint8_t *p;
	size_t len;
};

static char tmpdir[64];
static struct unxz_work work;
static unsigned int chunk_kinds[6];	/* 01, 02, 80, A0, C0, E0 */

static uint32_t rng_state = 12345;

static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = 0;
}

static void buf_append(struct buf *b, const void *p, size_t n)
{
	b->p = realloc(b->p, b->len + n + 1);
	if (!b->p)
		abort();
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static struct buf file_read(const char *path)
{
	struct buf b = { NULL, 0 };
	uint8_t tmp[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(2);
	}
	b.p = malloc(1);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_append(&b, tmp, n);
	fclose(f);
	return b;
}

static void file_write(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(b->p, 1, b->len, f) != b->len || fclose(f)) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
}

static void run(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "command failed: %s\n", cmd);
		exit(2);
	}
}

/* Compress `plain` with `xz OPTS` (xz's own container unless told). */
static struct buf xz_make(const struct buf *plain, const char *opts)
{
	char cmd[512], in[96], out[96];

	snprintf(in, sizeof(in), "%s/plain", tmpdir);
	snprintf(out, sizeof(out), "%s/packed", tmpdir);
	file_write(in, plain);
	snprintf(cmd, sizeof(cmd), "xz -c %s < %s > %s", opts, in, out);
	run(cmd);
	return file_read(out);
}

/* Decode from an exactly-sized copy; returns the error, fills *out. */
static int decode(const struct buf *xz, size_t in_len, size_t out_cap,
		  struct buf *out, size_t *in_used, const char **why)
{
	uint8_t *in = malloc(in_len ? in_len : 1);
	size_t out_len = 0;
	int err;

	memcpy(in, xz->p, in_len);
	out->p = malloc(out_cap ? out_cap : 1);
	err = unxz(&work, in, in_len, in_used, out->p, out_cap, &out_len, why);
	out->len = out_len;
	free(in);
	return err;
}

/* Record the LZMA2 control bytes of the first block of an xz stream. */
static void walk_chunks(const struct buf *xz)
{
	static const uint8_t kinds[6] = { 0x01, 0x02, 0x80, 0xA0, 0xC0, 0xE0 };
	size_t p, k;
	uint8_t c;

	if (xz->len < 13 || xz->p[12] == 0)
		return;
	p = 12 + ((size_t)xz->p[12] + 1) * 4;
	while (p < xz->len && (c = xz->p[p]) != 0) {
		for (k = 0; k < 6; k++)
			if ((c >= 0x80 ? (c & 0xE0) : c) == kinds[k])
				chunk_kinds[k]++;
		if (c >= 0x80)
			p += 6 + ((size_t)xz->p[p + 3] << 8) + xz->p[p + 4] +
			     (c >= 0xC0);
		else if (c <= 2)
			p += 4 + ((size_t)xz->p[p + 1] << 8) + xz->p[p + 2];
		else
			return;
	}
}

/* A good stream must decode exactly, and fail with one byte less room. */
static void expect_good(const char *name, const struct buf *xz,
			const struct buf *plain, size_t stream_len)
{
	struct buf out;
	size_t used;
	const char *why = NULL;
	int err;

	walk_chunks(xz);
	err = decode(xz, xz->len, plain->len, &out, &used, &why);
	CHECK_EQ(err, 0);
	if (err)
		fprintf(stderr, "  %s: %s\n", name, why);
	CHECK_EQ(out.len, plain->len);
	CHECK_EQ(used, stream_len);
	CHECK(out.len == plain->len && !memcmp(out.p, plain->p, out.len));
	buf_free(&out);
	if (plain->len) {
		err = decode(xz, xz->len, plain->len - 1, &out, &used, &why);
		CHECK_EQ(err, -XEN_ENOSPC);
		CHECK_EQ(used, 0);
		buf_free(&out);
	}
}

static void expect_good_xz(const char *name, const struct buf *plain,
			   const char *opts)
{
	struct buf xz = xz_make(plain, opts);

	expect_good(name, &xz, plain, xz.len);
	buf_free(&xz);
}

static int expect_error(const struct buf *xz, size_t out_cap)
{
	struct buf out;
	size_t used = 1;
	const char *why = NULL;
	int err = decode(xz, xz->len, out_cap, &out, &used, &why);

	CHECK(err < 0);
	CHECK(why != NULL && why[0] != 0);
	CHECK_EQ(out.len, 0);
	CHECK_EQ(used, 0);
	buf_free(&out);
	return err;
}

/* Text-like data: words from a small vocabulary, lines of varying length. */
static struct buf make_text(size_t len)
{
	static const char *words[] = {
		"hypervisor", "domain", "page", "table", "grant", "event",
		"channel", "the", "a", "of", "ring", "frame", "guest", "xen",
		"vcpu", "interrupt", "scheduler", "memory", "0x", "pv32pae",
	};
	struct buf b = { malloc(1), 0 };
	char line[128];
	int n;

	while (b.len < len) {
		n = snprintf(line, sizeof(line), "%s %s %u %s\n",
			     words[rng() % 20], words[rng() % 20],
			     rng() % 1000, words[rng() % 20]);
		buf_append(&b, line, (size_t)n);
	}
	b.len = len;
	return b;
}

static struct buf make_random(size_t len)
{
	struct buf b = { malloc(len + 1), len };
	size_t i;

	for (i = 0; i < len; i++)
		b.p[i] = (uint8_t)(rng() >> 4);
	return b;
}

static struct buf read_binary(void)
{
	return file_read(access("build/hyp/xylem.elf", R_OK) == 0 ?
			 "build/hyp/xylem.elf" : "/bin/ls");
}

/* ---- an independent, bitwise CRC and a one-block container builder ---- */

static uint32_t bit_crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	int k;

	while (n--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
	}
	return ~c;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static size_t put_vli(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

#define BUILD_CSIZE	1	/* write the compressed size in the header */
#define BUILD_USIZE	2	/* write the uncompressed size */

/*
 * One CRC32-checked block of raw LZMA2 data lz (decoding to plain); the
 * header sizes are csize_adj/usize_adj off the truth when asked.
 */
static struct buf build_xz(const struct buf *lz, const struct buf *plain,
			   int flags, int csize_adj, int usize_adj)
{
	struct buf b = { malloc(1), 0 };
	uint8_t h[64] = { 0xFD, '7', 'z', 'X', 'Z', 0, 0, 1 };
	size_t n = 2, hsize, unpadded;
	uint8_t zero[4] = { 0 };

	put32(h + 8, bit_crc32(h + 6, 2));
	buf_append(&b, h, 12);
	memset(h, 0, sizeof(h));
	h[1] = (flags & BUILD_CSIZE ? 0x40 : 0) | (flags & BUILD_USIZE ? 0x80 : 0);
	if (flags & BUILD_CSIZE)
		n += put_vli(h + n, lz->len + csize_adj);
	if (flags & BUILD_USIZE)
		n += put_vli(h + n, plain->len + usize_adj);
	h[n++] = 0x21;
	h[n++] = 1;
	h[n++] = 0x16;
	hsize = (n + 4 + 3) & ~(size_t)3;
	h[0] = (uint8_t)(hsize / 4 - 1);
	put32(h + hsize - 4, bit_crc32(h, hsize - 4));
	buf_append(&b, h, hsize);
	buf_append(&b, lz->p, lz->len);
	buf_append(&b, zero, (4 - (hsize + lz->len) % 4) % 4);
	put32(h, bit_crc32(plain->p, plain->len));
	buf_append(&b, h, 4);
	unpadded = hsize + lz->len + 4;
	n = 0;
	h[n++] = 0;
	h[n++] = 1;
	n += put_vli(h + n, unpadded);
	n += put_vli(h + n, plain->len);
	while (n % 4)
		h[n++] = 0;
	put32(h + n, bit_crc32(h, n));
	buf_append(&b, h, n + 4);
	put32(h + 4, (uint32_t)((n + 4) / 4 - 1));
	h[8] = 0;
	h[9] = 1;
	put32(h, bit_crc32(h + 4, 6));
	h[10] = 'Y';
	h[11] = 'Z';
	buf_append(&b, h, 12);
	return b;
}

/* ---- the tests ---- */

static void test_presets_and_checks(const struct buf *full_text)
{
	struct buf part = { full_text->p, 400000 }, *text = &part, xz;

	expect_good_xz("-0", text, "-0");
	expect_good_xz("-6", text, "-6");
	expect_good_xz("-9e", text, "-9e");
	expect_good_xz("check none", text, "--check=none");
	expect_good_xz("check crc32", text, "--check=crc32");
	expect_good_xz("check crc64", text, "--check=crc64");
	xz = xz_make(text, "--check=sha256");
	CHECK_EQ(expect_error(&xz, text->len), -XEN_EOPNOTSUPP);
	buf_free(&xz);
}

static void test_properties(const struct buf *full_text,
			    const struct buf *bin)
{
	struct buf part = { full_text->p, 300000 }, *text = &part;
	static const char *props[] = {
		"lc=0,lp=2,pb=0", "lc=4,lp=0,pb=4", "lc=1,lp=3,pb=1",
		"lc=0,lp=4,pb=2", "lc=3,lp=1,pb=3", "lc=2,lp=2,pb=4",
		"lc=0,lp=0,pb=0", "preset=6,dict=4KiB",
		"preset=1,mode=fast,mf=hc4,nice=8", "preset=9,mf=bt2,nice=273",
	};
	char opts[128];
	size_t i;

	for (i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		snprintf(opts, sizeof(opts), "--format=xz --lzma2=%s", props[i]);
		expect_good_xz(props[i], text, opts);
		expect_good_xz(props[i], bin, opts);
	}
}

/* Bytes dense in E8/E9 opcodes and 00/FF operand bytes: every BCJ case. */
static struct buf make_branchy(size_t len)
{
	static const uint8_t alphabet[8] = {
		0xE8, 0xE9, 0x00, 0xFF, 0xE8, 0x00, 0x12, 0x80
	};
	struct buf b = make_random(len);
	size_t i;

	for (i = 0; i < len; i++)
		if (rng() % 4)
			b.p[i] = alphabet[rng() % 8];
	return b;
}

static void test_x86(const struct buf *bin)
{
	char cmd[512];
	struct buf bcj, branchy = make_branchy(300000);

	expect_good_xz("x86 dict=32MiB", bin,
		       "--check=crc32 --x86 --lzma2=dict=32MiB");
	expect_good_xz("x86 blocks", bin,
		       "--check=crc64 --x86 --lzma2 --block-size=20000");
	expect_good_xz("x86 threaded", bin,
		       "-T2 --check=crc32 --x86 --lzma2 --block-size=30000");
	expect_good_xz("x86 start=0", bin, "--x86=start=0 --lzma2");
	/* The filter really changes the binary: the test above can fail. */
	snprintf(cmd, sizeof(cmd),
		 "xz -c --format=raw --x86 --lzma2 < %s/plain | "
		 "xz -dc --format=raw --lzma2 > %s/bcj", tmpdir, tmpdir);
	run(cmd);
	snprintf(cmd, sizeof(cmd), "%s/bcj", tmpdir);
	bcj = file_read(cmd);
	CHECK(bcj.len == bin->len && memcmp(bcj.p, bin->p, bin->len) != 0);
	buf_free(&bcj);
	expect_good_xz("x86 branchy", &branchy, "--x86 --lzma2");
	expect_good_xz("x86 branchy blocks", &branchy,
		       "--x86 --lzma2 --block-size=65537");
	buf_free(&branchy);
}

static void test_unsupported(const struct buf *full_text)
{
	struct buf part = { full_text->p, 20000 }, *text = &part;
	static const char *opts[] = {
		"--x86=start=16 --lzma2", "--delta=dist=4 --lzma2",
		"--arm --lzma2", "--powerpc --lzma2", "--sparc --lzma2",
		"--x86 --delta --lzma2", "--check=sha256 -0",
	};
	struct buf xz;
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		xz = xz_make(text, opts[i]);
		CHECK_EQ(expect_error(&xz, text->len), -XEN_EOPNOTSUPP);
		buf_free(&xz);
	}
	xz = xz_make(text, "--format=lzma");
	CHECK(!xz_magic(xz.p, xz.len));
	CHECK_EQ(expect_error(&xz, text->len), -XEN_EINVAL);
	buf_free(&xz);
}

static void test_blocks_and_chunks(const struct buf *text)
{
	struct buf rnd = make_random(300000), mix = { malloc(1), 0 };
	struct buf empty = { malloc(1), 0 }, xz;

	expect_good_xz("blocks", text, "--block-size=50000");
	expect_good_xz("blocks threaded", text, "-T2 --block-size=50000");
	xz = xz_make(text, "-T2 --block-size=50000");
	CHECK_EQ(xz.p[13] & 0xC0, 0xC0);	/* sizes in the block header */
	buf_free(&xz);
	expect_good_xz("random", &rnd, "-6");
	expect_good_xz("random blocks", &rnd, "--block-size=70000 --check=none");
	buf_append(&mix, text->p, 200000);
	buf_append(&mix, rnd.p, rnd.len);
	buf_append(&mix, text->p + 200000, 200000);
	buf_append(&mix, rnd.p, 1000);
	expect_good_xz("text random text", &mix, "-6");
	mix.len = 0;
	buf_append(&mix, rnd.p, 100000);
	buf_append(&mix, text->p, 100000);
	expect_good_xz("random text", &mix, "-6");
	expect_good_xz("empty", &empty, "-6");
	expect_good_xz("empty none", &empty, "--check=none");
	expect_good_xz("one byte", &(struct buf){ (uint8_t *)"x", 1 }, "-6");
	buf_free(&rnd);
	buf_free(&mix);
	buf_free(&empty);
}

/* What follows the stream is not looked at; in_used stops at the footer. */
static void test_trailing_data(const struct buf *text)
{
	struct buf xz = xz_make(text, "-6"), cat = { malloc(1), 0 };
	uint8_t pad[8] = { 0 }, size_field[4];

	buf_append(&cat, xz.p, xz.len);
	buf_append(&cat, pad, sizeof(pad));
	buf_append(&cat, xz.p, xz.len);
	expect_good("concatenated", &cat, text, xz.len);
	cat.len = xz.len;
	put32(size_field, (uint32_t)text->len);
	buf_append(&cat, size_field, 4);
	expect_good("kernel size field", &cat, text, xz.len);
	buf_free(&cat);
	buf_free(&xz);
}

static struct buf raw_lzma2(const struct buf *plain, const char *opts)
{
	char o[128];

	snprintf(o, sizeof(o), "--format=raw %s", opts);
	return xz_make(plain, o);
}

static void test_built_streams(const struct buf *text)
{
	struct buf a = { text->p, 100000 }, b = { text->p + 5000, 150000 };
	struct buf la = raw_lzma2(&a, "--lzma2=preset=6"), lb, lz, ab, xz;

	lb = raw_lzma2(&b, "--lzma2=preset=1");
	/* Join two raw streams: the second starts with a dictionary reset. */
	lz.p = malloc(1);
	lz.len = 0;
	buf_append(&lz, la.p, la.len - 1);
	buf_append(&lz, lb.p, lb.len);
	ab.p = malloc(1);
	ab.len = 0;
	buf_append(&ab, a.p, a.len);
	buf_append(&ab, b.p, b.len);
	CHECK_EQ(lb.p[0] & 0xE0, 0xE0);
	xz = build_xz(&lz, &ab, 0, 0, 0);
	expect_good("dict reset mid-stream", &xz, &ab, xz.len);
	buf_free(&xz);
	xz = build_xz(&lz, &ab, BUILD_CSIZE | BUILD_USIZE, 0, 0);
	expect_good("built with sizes", &xz, &ab, xz.len);
	buf_free(&xz);
	xz = build_xz(&lz, &ab, BUILD_CSIZE, 1, 0);
	CHECK_EQ(expect_error(&xz, ab.len), -XEN_EINVAL);
	buf_free(&xz);
	xz = build_xz(&lz, &ab, BUILD_CSIZE, -1, 0);
	CHECK_EQ(expect_error(&xz, ab.len), -XEN_EINVAL);
	buf_free(&xz);
	xz = build_xz(&lz, &ab, BUILD_USIZE, 0, -1);
	CHECK_EQ(expect_error(&xz, ab.len), -XEN_EINVAL);
	buf_free(&xz);
	xz = build_xz(&lz, &ab, BUILD_USIZE, 0, 1);
	CHECK_EQ(expect_error(&xz, ab.len + 1), -XEN_EINVAL);
	CHECK_EQ(expect_error(&xz, ab.len), -XEN_ENOSPC);
	buf_free(&xz);
	buf_free(&la);
	buf_free(&lb);
	buf_free(&lz);
	buf_free(&ab);
}

/* A random stream (uncompressed chunks, the first 0x01) after a text one. */
static void test_uncompressed_reset(const struct buf *text)
{
	struct buf a = { text->p, 100000 }, rnd = make_random(70000);
	struct buf la = raw_lzma2(&a, "--lzma2=preset=6"), lb, lz, ab, xz;

	lb = raw_lzma2(&rnd, "--lzma2=preset=6");
	CHECK_EQ(lb.p[0], 0x01);
	lz.p = malloc(1);
	lz.len = 0;
	buf_append(&lz, la.p, la.len - 1);
	buf_append(&lz, lb.p, lb.len);
	ab.p = malloc(1);
	ab.len = 0;
	buf_append(&ab, a.p, a.len);
	buf_append(&ab, rnd.p, rnd.len);
	xz = build_xz(&lz, &ab, 0, 0, 0);
	expect_good("uncompressed dict reset", &xz, &ab, xz.len);
	buf_free(&xz);
	buf_free(&la);
	buf_free(&lb);
	buf_free(&lz);
	buf_free(&ab);
	buf_free(&rnd);
}

/* Matches that reach before the dictionary start must be refused. */
static void test_reach_back(void)
{
	struct buf x = make_random(200000), xx = { malloc(1), 0 };
	struct buf lz = { malloc(64), 0 }, xz, plain = { malloc(64), 64 };
	size_t p, hits = 0;
	uint8_t c;

	/* Chunk E0: 64 bytes, range coder data of all ones: a repeat first. */
	memcpy(lz.p, (uint8_t[]){ 0xE0, 0x00, 0x3F, 0x00, 0x1F, 0x5D, 0x00 },
	       7);
	memset(lz.p + 7, 0xFF, 31);
	lz.p[38] = 0x00;
	lz.len = 39;
	memset(plain.p, 0, 64);
	xz = build_xz(&lz, &plain, 0, 0, 0);
	CHECK_EQ(expect_error(&xz, 64), -XEN_EINVAL);
	buf_free(&xz);
	/* X X: the second copy is a long match; make its chunk reset the dict. */
	buf_append(&xx, x.p, x.len);
	buf_append(&xx, x.p, x.len);
	xz = xz_make(&xx, "-6");
	p = 12 + ((size_t)xz.p[12] + 1) * 4;
	while (p < xz.len && (c = xz.p[p]) != 0 && !hits) {
		if (c >= 0xC0 && c < 0xE0) {
			xz.p[p] |= 0xE0;
			hits++;
		} else if (c >= 0x80) {
			p += 6 + ((size_t)xz.p[p + 3] << 8) + xz.p[p + 4] +
			     (c >= 0xC0);
		} else {
			p += 4 + ((size_t)xz.p[p + 1] << 8) + xz.p[p + 2];
		}
	}
	CHECK_EQ(hits, 1);
	CHECK_EQ(expect_error(&xz, xx.len), -XEN_EINVAL);
	buf_free(&xz);
	buf_free(&x);
	buf_free(&xx);
	buf_free(&lz);
	buf_free(&plain);
}

static void test_header_damage(const struct buf *text)
{
	struct buf xz = xz_make(text, "-6");

	CHECK(xz_magic(xz.p, xz.len));
	xz.p[0] ^= 1;
	CHECK(!xz_magic(xz.p, xz.len));
	CHECK_EQ(expect_error(&xz, text->len), -XEN_EINVAL);
	xz.p[0] ^= 1;
	xz.p[9] ^= 0x20;			/* stream header CRC32 */
	CHECK_EQ(expect_error(&xz, text->len), -XEN_EINVAL);
	xz.p[9] ^= 0x20;
	xz.p[7] = 0x14;				/* reserved flag bits, CRC fixed */
	put32(xz.p + 8, bit_crc32(xz.p + 6, 2));
	CHECK_EQ(expect_error(&xz, text->len), -XEN_EOPNOTSUPP);
	xz.p[7] = 0x02;				/* reserved check ID 2 */
	put32(xz.p + 8, bit_crc32(xz.p + 6, 2));
	CHECK_EQ(expect_error(&xz, text->len), -XEN_EOPNOTSUPP);
	xz.p[7] = 0x04;
	put32(xz.p + 8, bit_crc32(xz.p + 6, 2));
	expect_good("restored", &xz, text, xz.len);
	buf_free(&xz);
}

/* Find the index of a stream from its footer's backward size. */
static size_t index_start(const struct buf *xz)
{
	const uint8_t *f = xz->p + xz->len - 12;
	uint32_t back = (uint32_t)f[4] | (uint32_t)f[5] << 8 |
			(uint32_t)f[6] << 16 | (uint32_t)f[7] << 24;

	return xz->len - 12 - ((size_t)back + 1) * 4;
}

static void fix_index_crc(struct buf *xz)
{
	size_t start = index_start(xz), end = xz->len - 16;

	put32(xz->p + end, bit_crc32(xz->p + start, end - start));
}

/* The length of the index record (two VLIs) at p. */
static size_t record_len(const struct buf *xz, size_t p)
{
	size_t start = p;
	int k;

	for (k = 0; k < 2; k++)
		while (xz->p[p++] & 0x80)
			;
	return p - start;
}

/* Offsets of the index's records (up to max; the count byte is < 128). */
static size_t index_records(const struct buf *xz, size_t *rec, size_t max)
{
	size_t p = index_start(xz) + 2, n = 0, count = xz->p[p - 1];

	while (n < max && n < count) {
		rec[n++] = p;
		p += record_len(xz, p);
	}
	return n;
}

static void test_index(const struct buf *text)
{
	struct buf short_text = { text->p, 3000 };
	struct buf xz = xz_make(&short_text, "--block-size=1000 --check=crc32");
	struct buf orig = { malloc(xz.len), xz.len };
	size_t ix = index_start(&xz), rec[4], len1, len3, n;
	uint8_t *f = xz.p + xz.len - 12;

	memcpy(orig.p, xz.p, xz.len);
	CHECK_EQ(xz.p[ix], 0x00);
	CHECK_EQ(xz.p[ix + 1], 3);
	n = index_records(&xz, rec, 4);
	CHECK_EQ(n, 3);
	if (n != 3)
		return;
	/* Record 1: unpadded size + 1. */
	xz.p[rec[0]] ^= 1;
	fix_index_crc(&xz);
	CHECK_EQ(expect_error(&xz, short_text.len), -XEN_EINVAL);
	/* Record 2: uncompressed size 1000 (e8 07) becomes 1001. */
	memcpy(xz.p, orig.p, xz.len);
	len1 = rec[1] - rec[0];
	CHECK(xz.p[rec[2] - 2] == 0xE8 && xz.p[rec[2] - 1] == 0x07);
	xz.p[rec[2] - 2] = 0xE9;
	fix_index_crc(&xz);
	CHECK_EQ(expect_error(&xz, short_text.len), -XEN_EINVAL);
	/* Swap records 1 and 3: same sums, different order. */
	memcpy(xz.p, orig.p, xz.len);
	len3 = record_len(&xz, rec[2]);
	CHECK(len1 == len3 && memcmp(xz.p + rec[0], xz.p + rec[2], len1));
	memcpy(xz.p + rec[0], orig.p + rec[2], len1);
	memcpy(xz.p + rec[2], orig.p + rec[0], len1);
	fix_index_crc(&xz);
	CHECK_EQ(expect_error(&xz, short_text.len), -XEN_EINVAL);
	/* Backward size one word short, footer CRC fixed. */
	memcpy(xz.p, orig.p, xz.len);
	f[4]--;
	put32(f, bit_crc32(f + 4, 6));
	CHECK_EQ(expect_error(&xz, short_text.len), -XEN_EINVAL);
	memcpy(xz.p, orig.p, xz.len);
	fix_index_crc(&xz);
	expect_good("index untouched", &xz, &short_text, xz.len);
	buf_free(&xz);
	buf_free(&orig);
}

/* No truncation of a stream may succeed; all are corrupt input. */
static void truncations(const struct buf *xz, const struct buf *plain)
{
	struct buf out;
	size_t n, used, bad = 0;
	const char *why;

	for (n = 0; n < xz->len; n++) {
		if (decode(xz, n, plain->len, &out, &used, &why) != -XEN_EINVAL)
			bad++;
		buf_free(&out);
	}
	CHECK_EQ(bad, 0);
}

/* Flip every bit; count how many flips are caught. */
static void bit_flips(const char *name, const struct buf *xz,
		      const struct buf *plain, size_t *caught, size_t *total)
{
	struct buf copy = { malloc(xz->len), xz->len }, out;
	size_t i, used;
	const char *why;
	int err;

	memcpy(copy.p, xz->p, xz->len);
	for (i = 0; i < xz->len * 8; i++) {
		copy.p[i / 8] ^= (uint8_t)(1u << (i % 8));
		err = decode(&copy, copy.len, plain->len + 64, &out, &used,
			     &why);
		if (err)
			(*caught)++;
		else if (out.len == plain->len &&
			 !memcmp(out.p, plain->p, out.len))
			fprintf(stderr, "  %s: flip %zu undetected, same output\n",
				name, i);
		(*total)++;
		copy.p[i / 8] ^= (uint8_t)(1u << (i % 8));
		buf_free(&out);
	}
	buf_free(&copy);
}

static void test_damage(const struct buf *text, const struct buf *bin)
{
	static const char *opts[] = {
		"-6 --check=crc32", "-0 --check=crc64", "--check=none -6",
		"--block-size=700 --check=crc32", "-T2 --block-size=700",
		"--x86 --lzma2 --check=crc32",
	};
	struct buf small_text = { text->p, 2500 }, small_bin = { bin->p, 1500 };
	struct buf xz, rnd = make_random(600);
	size_t i, caught = 0, total = 0, c_none = 0, t_none = 0;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		const struct buf *plain = i == 5 ? &small_bin : &small_text;

		xz = xz_make(plain, opts[i]);
		truncations(&xz, plain);
		if (i == 2)
			bit_flips(opts[i], &xz, plain, &c_none, &t_none);
		else
			bit_flips(opts[i], &xz, plain, &caught, &total);
		buf_free(&xz);
	}
	xz = xz_make(&rnd, "-6");
	truncations(&xz, &rnd);
	bit_flips("random", &xz, &rnd, &caught, &total);
	buf_free(&xz);
	buf_free(&rnd);
	printf("bit flips: %zu of %zu caught with checks, %zu of %zu with "
	       "--check=none\n", caught, total, c_none, t_none);
	CHECK_EQ(caught, total);
	CHECK(c_none * 10 > t_none * 9);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ~20 MB of text, binary, random and zero runs; report the speed. */
static void test_big(const struct buf *text, const struct buf *bin)
{
	struct buf mix = { malloc(1), 0 }, rnd = make_random(1 << 20);
	struct buf xz, out;
	static uint8_t zeros[1 << 16];
	size_t used;
	const char *why;
	double t;
	int err, round;

	for (round = 0; mix.len < 20000000; round++) {
		buf_append(&mix, text->p + (round * 7919) % 100000, 900000);
		buf_append(&mix, bin->p, bin->len);
		if (round % 3 == 0)
			buf_append(&mix, rnd.p, rnd.len / (round % 2 + 1));
		buf_append(&mix, zeros, sizeof(zeros) >> (round % 4));
	}
	xz = xz_make(&mix, "--check=crc32 --x86 --lzma2=dict=32MiB");
	expect_good("big x86", &xz, &mix, xz.len);
	t = now();
	err = decode(&xz, xz.len, mix.len, &out, &used, &why);
	t = now() - t;
	CHECK_EQ(err, 0);
	printf("unxz: %zu -> %zu bytes in %.3f s: %.1f MB/s output\n",
	       xz.len, out.len, t, out.len / t / 1e6);
	buf_free(&out);
	buf_free(&xz);
	buf_free(&mix);
	buf_free(&rnd);
}

static void timed(const char *name, double *t0)
{
	double t = now();

	if (getenv("TEST_UNXZ_TIMES"))
		fprintf(stderr, "  [%s %.1f s]\n", name, t - *t0);
	*t0 = t;
}

int main(void)
{
	double t0 = now();
	char cmd[128];
	struct buf text = make_text(1200000), bin;
	size_t k;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_unxz.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	bin = read_binary();
	test_presets_and_checks(&text);
	timed("test_presets_and_checks", &t0);
	test_properties(&text, &bin);
	timed("test_properties", &t0);
	test_x86(&bin);
	timed("test_x86", &t0);
	test_unsupported(&text);
	timed("test_unsupported", &t0);
	test_blocks_and_chunks(&text);
	timed("test_blocks_and_chunks", &t0);
	test_trailing_data(&text);
	timed("test_trailing_data", &t0);
	test_built_streams(&text);
	test_uncompressed_reset(&text);
	timed("test_built_streams", &t0);
	test_reach_back();
	timed("test_reach_back", &t0);
	test_header_damage(&text);
	timed("test_header_damage", &t0);
	test_index(&text);
	timed("test_index", &t0);
	test_damage(&text, &bin);
	timed("test_damage", &t0);
	test_big(&text, &bin);
	timed("test_big", &t0);
	printf("LZMA2 chunks seen: 01 %u, 02 %u, 80 %u, A0 %u, C0 %u, E0 %u\n",
	       chunk_kinds[0], chunk_kinds[1], chunk_kinds[2], chunk_kinds[3],
	       chunk_kinds[4], chunk_kinds[5]);
	for (k = 0; k < 6; k++)
		CHECK(chunk_kinds[k] > 0);
	buf_free(&text);
	buf_free(&bin);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	run(cmd);
	return check_done();
}
