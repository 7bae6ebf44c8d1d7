/*
 * test_inflate.c - host unit tests for hyp/inflate.c, the DEFLATE/gzip
 * decoder the Dom0 builder uses for compressed kernels.
 *
 * Reference streams are made at test time by independent encoders: the
 * host's `gzip` (levels 1, 6, 9; stores FNAME) and python3's zlib (raw
 * DEFLATE at levels 0 (stored blocks), 1, 6, 9 and with the FIXED, RLE and
 * HUFFMAN_ONLY strategies; gzip wrapper at level 0), in a temporary
 * directory under /tmp.  Inputs: empty, one byte, text, random bytes, long
 * runs (distance-1 overlapping copies), text over 64 KiB and a ~20 MB
 * mixture.  Every result is compared byte for byte, with out_len, in_used,
 * an exact output buffer and one a byte too small (-XEN_ENOSPC).
 *
 * Hand-made streams (a bit writer with canonical Huffman codes) cover what
 * encoders never emit: codes 286/287, distances 30/31, distances reaching
 * before the output, maximum distance and length, over-subscribed and
 * incomplete code sets, the sparse distance codes RFC 1951 allows, bad
 * HLIT/HDIST, bad repeats, stored LEN/NLEN mismatch, reserved block type.
 * gzip headers with FEXTRA/FCOMMENT/FHCRC are built by hand (and checked
 * with `gzip -t`); bad magic, method, flags, CRC32, ISIZE, every truncation
 * and every single bit flip of a small member are tried.  All inputs are
 * exactly-sized malloc copies, so a sanitizer build catches overreads.
 * Prints the decode speed on the ~20 MB mixture.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "deflate_writer.h"
#include "../../hyp/inflate.h"
#include <public/errno.h>

static struct inflate_work work;
static char tmpdir[64];

struct buf {
	uint8_t *p;
	size_t n;
};

/* ---- files and helpers ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n) {
		perror(path);
		exit(2);
	}
	fclose(f);
}

/* Read a whole file into an exactly-sized buffer (never NULL). */
static struct buf read_file(const char *path)
{
	struct buf b = { NULL, 0 };
	FILE *f = fopen(path, "rb");
	long len;

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0) {
		perror(path);
		exit(2);
	}
	rewind(f);
	b.n = (size_t)len;
	b.p = malloc(b.n ? b.n : 1);
	if (!b.p || fread(b.p, 1, b.n, f) != b.n) {
		perror(path);
		exit(2);
	}
	fclose(f);
	return b;
}

static void run(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "command failed: %s\n", cmd);
		exit(2);
	}
}

static const char mk_py[] =
	"import sys, zlib\n"
	"mode, level, src, dst = sys.argv[1], int(sys.argv[2]), "
	"sys.argv[3], sys.argv[4]\n"
	"strategy = {'raw': zlib.Z_DEFAULT_STRATEGY, 'gz': "
	"zlib.Z_DEFAULT_STRATEGY, 'fixed': zlib.Z_FIXED, 'rle': zlib.Z_RLE, "
	"'huff': zlib.Z_HUFFMAN_ONLY}[mode]\n"
	"wbits = 31 if mode == 'gz' else -15\n"
	"c = zlib.compressobj(level, zlib.DEFLATED, wbits, 9, strategy)\n"
	"data = open(src, 'rb').read()\n"
	"open(dst, 'wb').write(c.compress(data) + c.flush())\n";

/* Compress data with `how` ("gzip -N" or "py MODE LEVEL"); return it. */
static struct buf compress(const struct buf *data, const char *how)
{
	char src[128], dst[128], cmd[512];

	snprintf(src, sizeof(src), "%s/data", tmpdir);
	snprintf(dst, sizeof(dst), "%s/data.z", tmpdir);
	write_file(src, data->p, data->n);
	if (strncmp(how, "gzip", 4) == 0)
		snprintf(cmd, sizeof(cmd), "gzip -c %s %s > %s", how + 4, src,
			 dst);
	else
		snprintf(cmd, sizeof(cmd), "python3 %s/mk.py %s %s %s",
			 tmpdir, how + 3, src, dst);
	run(cmd);
	return read_file(dst);
}

static uint8_t *xmalloc(size_t n)
{
	uint8_t *p = malloc(n ? n : 1);

	if (!p)
		exit(2);
	return p;
}

/* ---- generated inputs ---- */

static const char *const words[] = {
	"the", "hypervisor", "domain", "page", "table", "event", "channel",
	"grant", "ring", "of", "and", "a", "kernel", "frame", "to", "is",
	"virtual", "machine", "memory", "Xen", "paravirtualized", "guest",
};

static void fill_text(uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		const char *w = words[rng() % (sizeof(words) / sizeof(words[0]))];

		while (*w && i < n)
			p[i++] = (uint8_t)*w++;
		if (i < n)
			p[i++] = (rng() % 12 == 0) ? '\n' : ' ';
	}
}

static void fill_random(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(rng() >> 24);
}

/* Long runs of one byte, some very long: distance-1 overlapping copies. */
static void fill_runs(uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t run_len = 1 + rng() % (rng() % 4 == 0 ? 70000 : 300);
		uint8_t c = (uint8_t)rng();

		while (run_len-- && i < n)
			p[i++] = c;
	}
}

/* 64 KiB chunks of text, random bytes, runs, an earlier chunk again. */
static void fill_mixture(uint8_t *p, size_t n)
{
	size_t off, chunk = 65536;

	for (off = 0; off < n; off += chunk) {
		size_t len = n - off < chunk ? n - off : chunk;

		switch (rng() % 5) {
		case 0:
		case 1:
			fill_text(p + off, len);
			break;
		case 2:
			fill_random(p + off, len);
			break;
		case 3:
			fill_runs(p + off, len);
			break;
		default:
			if (off >= chunk)
				memmove(p + off, p + off - chunk + 1000, len);
			else
				fill_text(p + off, len);
		}
	}
}

static struct buf make_input(const char *kind, size_t n)
{
	struct buf b = { xmalloc(n), n };

	if (strcmp(kind, "text") == 0)
		fill_text(b.p, n);
	else if (strcmp(kind, "random") == 0)
		fill_random(b.p, n);
	else if (strcmp(kind, "runs") == 0)
		fill_runs(b.p, n);
	else
		fill_mixture(b.p, n);
	return b;
}

/* ---- round trips through real encoders ---- */

static int decode(bool gz, const struct buf *z, uint8_t *out, size_t cap,
		  size_t *out_len, size_t *in_used, const char **why)
{
	*in_used = 0;
	if (gz)
		return gunzip(&work, z->p, z->n, out, cap, out_len, why);
	return inflate_raw(&work, z->p, z->n, in_used, out, cap, out_len, why);
}

/* Decode z (gzip member or raw stream) and compare with data. */
static void check_round_trip(const struct buf *data, const struct buf *z,
			     bool gz, const char *label)
{
	uint8_t *out = xmalloc(data->n + 16);
	size_t out_len = 0, used = 0;
	const char *why = NULL;
	int r;

	r = decode(gz, z, out, data->n + 16, &out_len, &used, &why);
	CHECK_EQ(r, 0);
	CHECK_EQ(out_len, data->n);
	CHECK(out_len == data->n && memcmp(out, data->p, data->n) == 0);
	if (!gz)
		CHECK_EQ(used, z->n);
	if (r)
		fprintf(stderr, "%s: %s\n", label, why ? why : "(no reason)");
	r = decode(gz, z, out, data->n, &out_len, &used, &why);
	CHECK_EQ(r, 0);
	if (data->n > 0) {
		r = decode(gz, z, out, data->n - 1, &out_len, &used, &why);
		CHECK_EQ(r, -XEN_ENOSPC);
		CHECK(why != NULL);
	}
	free(out);
}

static const char *const small_methods[] = {
	"gzip -1", "gzip -6", "gzip -9", "py gz 0", "py gz 6",
	"py raw 0", "py raw 1", "py raw 6", "py raw 9", "py raw -1",
	"py fixed 6", "py rle 6", "py huff 6",
};

static void test_round_trips(void)
{
	static const struct { const char *kind; size_t n; } inputs[] = {
		{ "text", 0 }, { "text", 1 }, { "text", 5000 },
		{ "random", 100000 }, { "runs", 300000 }, { "text", 200000 },
		{ "mix", 1 << 20 },
	};
	size_t i, j;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct buf data = make_input(inputs[i].kind, inputs[i].n);

		for (j = 0; j < sizeof(small_methods) / sizeof(char *); j++) {
			const char *how = small_methods[j];
			struct buf z = compress(&data, how);
			bool gz = strstr(how, "gz") != NULL;

			check_round_trip(&data, &z, gz, how);
			free(z.p);
		}
		free(data.p);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Best of three decodes of z; prints MB/s of output. */
static void bench(const struct buf *data, const struct buf *z, bool gz,
		  const char *label)
{
	uint8_t *out = xmalloc(data->n);
	double best = 1e9;
	size_t len = 0, used;
	const char *why;
	int i, r = 0;

	for (i = 0; i < 3; i++) {
		double t = now();

		r |= decode(gz, z, out, data->n, &len, &used, &why);
		t = now() - t;
		if (t < best)
			best = t;
	}
	CHECK_EQ(r, 0);
	CHECK(len == data->n && memcmp(out, data->p, data->n) == 0);
	printf("inflate: %-10s %zu -> %zu bytes: %.0f MB/s\n", label, z->n,
	       data->n, data->n / best / 1e6);
	free(out);
}

static void test_big(void)
{
	static const char *const methods[] = { "gzip -6", "py raw 1",
					       "py raw 0" };
	struct buf data = make_input("mix", 20 << 20);
	size_t i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		struct buf z = compress(&data, methods[i]);
		bool gz = strstr(methods[i], "gz") != NULL;

		check_round_trip(&data, &z, gz, methods[i]);
		bench(&data, &z, gz, methods[i]);
		free(z.p);
	}
	free(data.p);
}

/* ---- hand-made streams ---- */

/* Decode b with a 70000-byte output; compare when want != NULL. */
static int raw(const struct bitw *b, const char *want, const char **why)
{
	static uint8_t out[70000];
	uint8_t *in = xmalloc(b->n);
	size_t len = 0, used = 0;
	int r;

	memcpy(in, b->p, b->n);
	r = inflate_raw(&work, in, b->n, &used, out, sizeof(out), &len, why);
	if (r == 0 && want) {
		CHECK_EQ(len, strlen(want));
		CHECK(len == strlen(want) && memcmp(out, want, len) == 0);
		CHECK_EQ(used, b->n);
	}
	if (r)
		CHECK(*why != NULL);
	free(in);
	return r;
}

static void test_fixed(void)
{
	struct code c;
	struct bitw b;
	const char *why;
	unsigned int bad;

	fixed_code(&c);
	bw_init(&b);
	put(&b, 1 | 1 << 1, 3);		/* final, fixed */
	put_sym(&b, &c, 'a');
	put_match3(&b, &c, 0);		/* distance 1 */
	put_sym(&b, &c, 256);
	CHECK_EQ(raw(&b, "aaaa", &why), 0);
	/* Distance 2 with one byte of output. */
	bw_init(&b);
	put(&b, 3, 3);
	put_sym(&b, &c, 'a');
	put_match3(&b, &c, 1);
	put_sym(&b, &c, 256);
	CHECK_EQ(raw(&b, NULL, &why), -XEN_EINVAL);
	for (bad = 286; bad <= 287; bad++) {
		bw_init(&b);
		put(&b, 3, 3);
		put_sym(&b, &c, 'a');
		put_sym(&b, &c, bad);
		put_dist(&b, &c, 0);
		put_sym(&b, &c, 256);
		CHECK_EQ(raw(&b, NULL, &why), -XEN_EINVAL);
	}
	for (bad = 30; bad <= 31; bad++) {
		bw_init(&b);
		put(&b, 3, 3);
		put_sym(&b, &c, 'a');
		put_match3(&b, &c, bad);
		put_sym(&b, &c, 256);
		CHECK_EQ(raw(&b, NULL, &why), -XEN_EINVAL);
	}
	bw_init(&b);
	put(&b, 1 | 3 << 1, 3);		/* reserved block type */
	put(&b, 0, 16);
	CHECK_EQ(raw(&b, NULL, &why), -XEN_EINVAL);
}

static void put_stored(struct bitw *b, bool final, const uint8_t *p,
		       unsigned int n, unsigned int nlen)
{
	uint8_t hdr[4] = { n & 0xff, n >> 8, nlen & 0xff, nlen >> 8 };

	put(b, final, 3);
	put_bytes(b, hdr, 4);
	put_bytes(b, p, n);
}

/* Longest match (258) from the farthest distance (32768) and one past. */
static void test_far_matches(void)
{
	static char want[32768 + 259];
	uint8_t *lit = (uint8_t *)want;
	struct code c;
	struct bitw b;
	const char *why;
	int i;

	fixed_code(&c);
	fill_text(lit, 32768);
	memcpy(want + 32768, want, 258);
	want[32768 + 258] = 0;
	for (i = 0; i < 2; i++) {
		bw_init(&b);
		put_stored(&b, false, lit + i, 32768 - i, ~(32768u - i) & 0xffff);
		put(&b, 1 | 1 << 1, 3);
		put_sym(&b, &c, 285);		/* length 258 */
		put_dist(&b, &c, 29);		/* 24577 + 8191 extra */
		put(&b, 8191, 13);
		put_sym(&b, &c, 256);
		CHECK_EQ(raw(&b, i ? NULL : want, &why), i ? -XEN_EINVAL : 0);
	}
	/* Length 258 as code 284 + 31, at distance 1. */
	bw_init(&b);
	put(&b, 3, 3);
	put_sym(&b, &c, 'z');
	put_sym(&b, &c, 284);
	put(&b, 31, 5);
	put_dist(&b, &c, 0);
	put_sym(&b, &c, 256);
	memset(want, 'z', 259);
	want[259] = 0;
	CHECK_EQ(raw(&b, want, &why), 0);
}

static void test_stored(void)
{
	static const uint8_t hello[] = "hello, world";
	static uint8_t out[16];
	const char *why;
	struct bitw b;
	size_t len, used;

	bw_init(&b);
	put(&b, 0, 3);			/* not final: stored */
	put_bytes(&b, (const uint8_t *)"\0\0\xff\xff", 4);
	put_stored(&b, true, hello, 12, ~12u & 0xffff);
	b.p[b.n++] = 0x55;		/* trailing byte: not used */
	CHECK_EQ(inflate_raw(&work, b.p, b.n, &used, out, 11, &len, &why),
		 -XEN_ENOSPC);
	CHECK_EQ(inflate_raw(&work, b.p, b.n, &used, out, 12, &len, &why), 0);
	CHECK_EQ(used, b.n - 1);
	CHECK(len == 12 && memcmp(out, hello, 12) == 0);
	b.n--;
	CHECK_EQ(raw(&b, "hello, world", &why), 0);
	bw_init(&b);
	put_stored(&b, true, hello, 12, ~13u & 0xffff);
	CHECK_EQ(raw(&b, NULL, &why), -XEN_EINVAL);
	bw_init(&b);
	put_stored(&b, true, hello, 12, 12);
	CHECK_EQ(raw(&b, NULL, &why), -XEN_EINVAL);
	bw_init(&b);			/* empty input */
	CHECK_EQ(raw(&b, NULL, &why), -XEN_EINVAL);
}

/* Extra-bit counts of code length code symbols 16, 17, 18. */
static unsigned int clen_extra(unsigned int sym)
{
	return sym == 16 ? 2 : sym == 17 ? 3 : sym == 18 ? 7 : 0;
}

/*
 * A dynamic block header: HLIT/HDIST fields as given, all 19 code length
 * code lengths from clens (RFC order), then seq[] of (symbol | extra << 8).
 */
static void put_dyn_header(struct bitw *b, unsigned int hlit_field,
			   unsigned int hdist_field, const uint8_t *clens,
			   const uint16_t *seq, unsigned int nseq)
{
	static const uint8_t order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5,
					   11, 4, 12, 3, 13, 2, 14, 1, 15 };
	uint32_t ccodes[19];
	unsigned int i;

	canon(clens, 19, ccodes);
	put(b, 1 | 2 << 1, 3);		/* final, dynamic */
	put(b, hlit_field, 5);
	put(b, hdist_field, 5);
	put(b, 19 - 4, 4);
	for (i = 0; i < 19; i++)
		put(b, clens[order[i]], 3);
	for (i = 0; i < nseq; i++) {
		unsigned int s = seq[i] & 0xff;

		put_code(b, ccodes[s], clens[s]);
		put(b, seq[i] >> 8, clen_extra(s));
	}
}

/* Default code length code: symbols 0..12 four bits, 13..18 five. */
static void default_clens(uint8_t *clens)
{
	unsigned int i;

	for (i = 0; i < 19; i++)
		clens[i] = i < 13 ? 4 : 5;
}

/*
 * Dynamic block with the given literal/length and distance lengths, sent
 * as seq[] (code length code symbols) or, when seq is NULL, one plain
 * length symbol each; then 'x', 'y', a length-3 match at distance 1 when
 * `match`, end of block.  Returns inflate_raw's verdict and *why.
 */
static int dyn_block_seq(const uint8_t *litlens, unsigned int hlit,
			 const uint8_t *dlens, unsigned int hdist, bool match,
			 const uint16_t *seq, unsigned int nseq,
			 const char **why)
{
	uint16_t plain[320];
	uint8_t clens[19];
	struct code c;
	struct bitw b;
	unsigned int i;

	default_clens(clens);
	for (i = 0; i < hlit; i++)
		plain[i] = c.lens[i] = litlens[i];
	for (i = 0; i < hdist; i++)
		plain[hlit + i] = c.lens[hlit + i] = dlens[i];
	c.hlit = hlit;
	canon(c.lens, hlit, c.codes);
	canon(c.lens + hlit, hdist, c.codes + hlit);
	bw_init(&b);
	put_dyn_header(&b, hlit - 257, hdist - 1, clens, seq ? seq : plain,
		       seq ? nseq : hlit + hdist);
	put_sym(&b, &c, 'x');
	put_sym(&b, &c, 'y');
	if (match)
		put_match3(&b, &c, 0);
	put_sym(&b, &c, 256);
	*why = NULL;
	return raw(&b, match ? "xyyyy" : "xy", why);
}

static int dyn_block(const uint8_t *litlens, unsigned int hlit,
		     const uint8_t *dlens, unsigned int hdist, bool match)
{
	const char *why;

	return dyn_block_seq(litlens, hlit, dlens, hdist, match, NULL, 0, &why);
}

/*
 * Lengths sent with repeats, the last run of zeros ending exactly at
 * HLIT + HDIST (accepted) or one past it (refused); HLIT 287/288 and
 * HDIST 31/32 with otherwise valid complete codes; no end-of-block code.
 */
static void test_dynamic_limits(void)
{
	uint8_t lit[288], dist[32];
	uint16_t seq[60];
	unsigned int i, n = 0;
	const char *why;

	for (i = 0; i < 288; i++)
		lit[i] = i < 255 ? 8 : 0;
	lit[256] = lit[257] = 9;
	memset(dist, 0, sizeof(dist));
	dist[0] = 1;
	seq[n++] = 8;
	for (i = 0; i < 41; i++)
		seq[n++] = 16 | 3 << 8;		/* 6 more: 247 */
	seq[n++] = 16 | 1 << 8;			/* 4 more: 251 */
	seq[n++] = 16 | 1 << 8;			/* 255 */
	seq[n++] = 0;
	seq[n++] = 9;
	seq[n++] = 9;
	seq[n++] = 1;
	seq[n++] = 18 | 18 << 8;		/* 29 zeros: 258 + 30 */
	CHECK_EQ(dyn_block_seq(lit, 258, dist, 30, true, seq, n, &why), 0);
	seq[n - 1] = 18 | 19 << 8;		/* 30 zeros */
	CHECK_EQ(dyn_block_seq(lit, 258, dist, 30, true, seq, n, &why),
		 -XEN_EINVAL);
	CHECK(why && strcmp(why, "code lengths overrun") == 0);
	lit[254] = 9;				/* complete with 286 ... */
	lit[286] = 9;
	CHECK_EQ(dyn_block_seq(lit, 287, dist, 1, true, NULL, 0, &why),
		 -XEN_EINVAL);
	CHECK(why && strcmp(why, "HLIT > 286") == 0);
	lit[286] = 0;				/* ... or with 287 */
	lit[287] = 9;
	CHECK_EQ(dyn_block_seq(lit, 288, dist, 1, true, NULL, 0, &why),
		 -XEN_EINVAL);
	CHECK(why && strcmp(why, "HLIT > 286") == 0);
	lit[255] = 9;				/* complete in 0..257 */
	CHECK_EQ(dyn_block_seq(lit, 258, dist, 31, true, NULL, 0, &why),
		 -XEN_EINVAL);
	CHECK(why && strcmp(why, "HDIST > 30") == 0);
	CHECK_EQ(dyn_block_seq(lit, 258, dist, 32, true, NULL, 0, &why),
		 -XEN_EINVAL);
	CHECK(why && strcmp(why, "HDIST > 30") == 0);
	for (i = 0; i < 288; i++)	/* complete, but no end of block */
		lit[i] = i < 256 ? 8 : 0;
	CHECK_EQ(dyn_block_seq(lit, 258, dist, 1, false, NULL, 0, &why),
		 -XEN_EINVAL);
	CHECK(why && strcmp(why, "no end-of-block code") == 0);
}

static void test_dynamic_codes(void)
{
	uint8_t lit[286], dist[30];
	unsigned int i;

	/* 255 codes of 8 bits, 256 and 257 of 9: complete. */
	for (i = 0; i < 286; i++)
		lit[i] = i < 255 ? 8 : 0;
	lit[256] = lit[257] = 9;
	memset(dist, 0, sizeof(dist));
	dist[0] = 1;			/* single one-bit distance code */
	CHECK_EQ(dyn_block(lit, 258, dist, 1, true), 0);
	CHECK_EQ(dyn_block(lit, 258, dist, 30, true), 0);
	dist[1] = 1;
	CHECK_EQ(dyn_block(lit, 258, dist, 2, true), 0);
	dist[1] = 2;			/* over-subscribed */
	dist[2] = 2;
	dist[3] = 2;
	CHECK_EQ(dyn_block(lit, 258, dist, 4, true), -XEN_EINVAL);
	dist[0] = 0;			/* 3 of 4 two-bit codes: incomplete */
	CHECK_EQ(dyn_block(lit, 258, dist, 4, false), -XEN_EINVAL);
	memset(dist, 0, sizeof(dist));
	dist[0] = 2;			/* single code of two bits */
	CHECK_EQ(dyn_block(lit, 258, dist, 1, false), -XEN_EINVAL);
	dist[0] = 0;			/* no distance code: literals only */
	CHECK_EQ(dyn_block(lit, 258, dist, 1, false), 0);
	CHECK_EQ(dyn_block(lit, 258, dist, 1, true), -XEN_EINVAL);
	dist[0] = 1;
	lit[258] = 9;			/* over-subscribed */
	CHECK_EQ(dyn_block(lit, 259, dist, 1, false), -XEN_EINVAL);
	lit[258] = 0;
	lit[257] = 0;			/* incomplete */
	CHECK_EQ(dyn_block(lit, 258, dist, 1, false), -XEN_EINVAL);
	/* 0..13: 1..14 bits, three of 15 bits: over-subscribed. */
	for (i = 0; i < 286; i++)
		lit[i] = 0;
	for (i = 0; i < 14; i++)
		lit[i] = (uint8_t)(i + 1);
	lit['x'] = 15;
	lit['y'] = 15;
	lit[256] = 15;
	CHECK_EQ(dyn_block(lit, 257, dist, 1, false), -XEN_EINVAL);
	lit[13] = 0;			/* 0..12: 1..13 bits, four of 15: complete */
	lit[257] = 15;
	CHECK_EQ(dyn_block(lit, 258, dist, 1, true), 0);
}

/* Header with seq[], followed by a few zero bytes; inflate_raw verdict. */
static int dyn_header_only(unsigned int hlit_field, unsigned int hdist_field,
			   const uint8_t *clens, const uint16_t *seq,
			   unsigned int nseq)
{
	struct bitw b;
	const char *why;

	bw_init(&b);
	put_dyn_header(&b, hlit_field, hdist_field, clens, seq, nseq);
	put(&b, 0, 32);
	return raw(&b, NULL, &why);
}

static void test_dynamic_headers(void)
{
	uint8_t clens[19];
	uint16_t seq[4];
	unsigned int f;

	default_clens(clens);
	seq[0] = 8;
	seq[1] = 16 | 3 << 8;		/* repeat 8 six times */
	CHECK_EQ(dyn_header_only(0, 0, clens, seq, 2), -XEN_EINVAL);
	for (f = 30; f <= 31; f++) {	/* HLIT 287, 288 */
		CHECK_EQ(dyn_header_only(f, 0, clens, seq, 2), -XEN_EINVAL);
		CHECK_EQ(dyn_header_only(0, f, clens, seq, 2), -XEN_EINVAL);
	}
	seq[0] = 16;			/* repeat with nothing before */
	CHECK_EQ(dyn_header_only(0, 0, clens, seq, 1), -XEN_EINVAL);
	seq[0] = 18 | 127 << 8;		/* 138 zeros */
	seq[1] = 18 | 127 << 8;
	seq[2] = 17 | 7 << 8;		/* 10 zeros: 286 > 257 + 1 */
	CHECK_EQ(dyn_header_only(0, 0, clens, seq, 3), -XEN_EINVAL);
	memset(clens, 1, sizeof(clens));	/* over-subscribed */
	CHECK_EQ(dyn_header_only(0, 0, clens, seq, 0), -XEN_EINVAL);
	memset(clens, 0, sizeof(clens));
	clens[0] = 1;			/* one code: incomplete */
	seq[0] = 0;
	CHECK_EQ(dyn_header_only(0, 0, clens, seq, 1), -XEN_EINVAL);
	memset(clens, 0, sizeof(clens));	/* no code at all */
	CHECK_EQ(dyn_header_only(0, 0, clens, seq, 0), -XEN_EINVAL);
}

/* ---- gzip members ---- */

struct gz_parts {
	struct buf body;	/* raw DEFLATE */
	uint8_t trailer[8];	/* CRC32, ISIZE */
};

static struct buf cat(const uint8_t *a, size_t na, const uint8_t *b,
		      size_t nb, const uint8_t *c, size_t nc)
{
	struct buf r = { xmalloc(na + nb + nc), na + nb + nc };

	memcpy(r.p, a, na);
	memcpy(r.p + na, b, nb);
	if (nc)
		memcpy(r.p + na + nb, c, nc);
	return r;
}

static int gz(const struct buf *z, uint8_t *out, size_t cap, size_t *len,
	      const char **why)
{
	*why = NULL;
	return gunzip(&work, z->p, z->n, out, cap, len, why);
}

/* `gzip -t` on z: true if gzip itself accepts it. */
static bool gzip_accepts(const struct buf *z)
{
	char path[128], cmd[256];

	snprintf(path, sizeof(path), "%s/hdr.gz", tmpdir);
	write_file(path, z->p, z->n);
	snprintf(cmd, sizeof(cmd), "gzip -t %s 2>/dev/null", path);
	return system(cmd) == 0;
}

/* Headers with FEXTRA, FCOMMENT and FHCRC around the body of a gzip file. */
static void test_gzip_headers(const struct buf *data, const struct gz_parts *g)
{
	uint8_t hdr[64] = { 0x1f, 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 1, 2, 3,
			    4, 0, 3 };
	uint8_t *out = xmalloc(data->n);
	const char *why;
	size_t n = 10, len;
	struct buf z;
	uint32_t crc;

	memcpy(hdr + n, "\x06\x00XY\x02\x00hi", 8);	/* FEXTRA */
	n += 8;
	memcpy(hdr + n, "name\0comment\0", 13);	/* FNAME, FCOMMENT */
	n += 13;
	crc = crc32_update(0, hdr, n);
	hdr[n++] = crc & 0xff;
	hdr[n++] = (crc >> 8) & 0xff;
	z = cat(hdr, n, g->body.p, g->body.n, g->trailer, 8);
	CHECK(gzip_accepts(&z));
	CHECK_EQ(gz(&z, out, data->n, &len, &why), 0);
	CHECK(len == data->n && memcmp(out, data->p, len) == 0);
	z.p[n - 1] ^= 1;			/* header CRC */
	CHECK_EQ(gz(&z, out, data->n, &len, &why), -XEN_EINVAL);
	CHECK(!gzip_accepts(&z));
	z.p[n - 1] ^= 1;
	z.p[11] = 0xff;				/* XLEN past the end */
	CHECK_EQ(gz(&z, out, data->n, &len, &why), -XEN_EINVAL);
	free(z.p);
	hdr[3] = 0x10;				/* FCOMMENT only */
	memcpy(hdr + 10, "just a comment\0", 15);
	z = cat(hdr, 25, g->body.p, g->body.n, g->trailer, 8);
	CHECK(gzip_accepts(&z));
	CHECK_EQ(gz(&z, out, data->n, &len, &why), 0);
	CHECK(len == data->n && memcmp(out, data->p, len) == 0);
	free(z.p);
	free(out);
}

/* Every proper prefix of z must be refused (never accepted). */
static void check_truncations(const struct buf *z, bool is_gz, size_t cap)
{
	uint8_t *out = xmalloc(cap);
	size_t n, len, used, refused = 0;
	const char *why;

	for (n = 0; n < z->n; n++) {
		struct buf t = { xmalloc(n), n };
		int r;

		memcpy(t.p, z->p, n);
		r = decode(is_gz, &t, out, cap, &len, &used, &why);
		refused += r == -XEN_EINVAL && why != NULL;
		free(t.p);
	}
	CHECK_EQ(refused, z->n);
	free(out);
}

/*
 * Flip every bit of z: each result must be refused or give the original
 * data (flips in MTIME, OS, the file name, FTEXT or padding bits change
 * nothing that is checked); the magic, method and trailer must always be
 * caught.  Prints how many flips were detected.
 */
static void check_bit_flips(const struct buf *data, const struct buf *z)
{
	uint8_t *out = xmalloc(data->n + 1);
	size_t i, len, detected = 0, wrong = 0, missed_fixed = 0;
	const char *why;

	for (i = 0; i < z->n * 8; i++) {
		bool fixed_field = i / 8 < 3 || i / 8 >= z->n - 8;
		int r;

		z->p[i / 8] ^= 1u << (i % 8);
		r = gz(z, out, data->n + 1, &len, &why);
		z->p[i / 8] ^= 1u << (i % 8);
		if (r) {
			detected++;
			continue;
		}
		wrong += len != data->n || memcmp(out, data->p, len) != 0;
		missed_fixed += fixed_field;
	}
	CHECK_EQ(wrong, 0);
	CHECK_EQ(missed_fixed, 0);
	CHECK(detected > z->n * 8 * 9 / 10);
	printf("inflate: %zu of %zu single bit flips detected, the rest "
	       "harmless\n", detected, z->n * 8);
	free(out);
}

/* Magic, method, reserved flags, CRC32 and ISIZE of z, one at a time. */
static void check_bad_fields(const struct buf *data, struct buf *z)
{
	static const struct { size_t off; uint8_t xor; } bad[] = {
		{ 0, 0x01 }, { 1, 0x80 }, { 2, 0x0f },		/* magic, CM */
		{ 3, 0x20 }, { 3, 0x40 }, { 3, 0x80 },		/* reserved */
	};
	uint8_t *out = xmalloc(data->n);
	const char *why;
	size_t i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		z->p[bad[i].off] ^= bad[i].xor;
		CHECK_EQ(gz(z, out, data->n, &len, &why), -XEN_EINVAL);
		z->p[bad[i].off] ^= bad[i].xor;
	}
	z->p[z->n - 8] ^= 1;				/* CRC32 */
	CHECK_EQ(gz(z, out, data->n, &len, &why), -XEN_EINVAL);
	CHECK(why && strcmp(why, "crc mismatch") == 0);
	z->p[z->n - 8] ^= 1;
	z->p[z->n - 1] ^= 1;				/* ISIZE */
	CHECK_EQ(gz(z, out, data->n, &len, &why), -XEN_EINVAL);
	CHECK(why && strcmp(why, "length (ISIZE) mismatch") == 0);
	z->p[z->n - 1] ^= 1;
	CHECK_EQ(gz(z, out, data->n, &len, &why), 0);
	free(out);
}

static void test_gzip(void)
{
	struct buf data = make_input("text", 3000);
	struct buf z = compress(&data, "gzip -9");
	uint8_t *out = xmalloc(data.n);
	struct gz_parts g;
	size_t hdr, len;
	const char *why;
	struct buf t;

	CHECK(z.n > 20 && z.p[3] == 0x08);	/* gzip stored FNAME */
	hdr = 10 + strlen((char *)z.p + 10) + 1;
	g.body.p = z.p + hdr;
	g.body.n = z.n - hdr - 8;
	memcpy(g.trailer, z.p + z.n - 8, 8);
	CHECK(gzip_magic(z.p, z.n));
	CHECK(!gzip_magic(z.p, 2));
	CHECK(!gzip_magic(data.p, data.n));
	CHECK_EQ(gz(&z, out, data.n, &len, &why), 0);
	CHECK(len == data.n && memcmp(out, data.p, len) == 0);
	test_gzip_headers(&data, &g);
	/* Linux appends four size bytes after the member: allowed. */
	t = cat(z.p, z.n, (const uint8_t *)"\x12\x34\x56\x78", 4, NULL, 0);
	CHECK_EQ(gz(&t, out, data.n, &len, &why), 0);
	CHECK_EQ(len, data.n);
	free(t.p);
	check_bad_fields(&data, &z);
	check_truncations(&z, true, data.n);
	check_truncations(&g.body, false, data.n);
	check_bit_flips(&data, &z);
	free(out);
	free(z.p);
	free(data.p);
}

/* Every truncation of a stored-block stream and of a dynamic one. */
static void test_raw_truncations(void)
{
	struct buf data = make_input("runs", 2000);
	static const char *const how[] = { "py raw 0", "py raw 9",
					   "py fixed 9" };
	size_t i;

	for (i = 0; i < sizeof(how) / sizeof(how[0]); i++) {
		struct buf z = compress(&data, how[i]);

		check_truncations(&z, false, data.n);
		free(z.p);
	}
	free(data.p);
}

static void test_crc32(void)
{
	static const char fox[] =
		"The quick brown fox jumps over the lazy dog";
	const uint8_t *p = (const uint8_t *)fox;

	CHECK_EQ(crc32_update(0, (const uint8_t *)"123456789", 9),
		 0xCBF43926u);
	CHECK_EQ(crc32_update(0, p, 0), 0);
	CHECK_EQ(crc32_update(0, (const uint8_t *)"a", 1), 0xE8B7BE43u);
	CHECK_EQ(crc32_update(0, p, strlen(fox)), 0x414FA339u);
	CHECK_EQ(crc32_update(crc32_update(0, p, 10), p + 10, strlen(fox) - 10),
		 0x414FA339u);
}

int main(void)
{
	char path[128];
	FILE *f;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_inflate.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/mk.py", tmpdir);
	f = fopen(path, "w");
	if (!f || fputs(mk_py, f) < 0 || fclose(f)) {
		perror(path);
		return 2;
	}
	test_crc32();
	test_fixed();
	test_far_matches();
	test_stored();
	test_dynamic_codes();
	test_dynamic_limits();
	test_dynamic_headers();
	test_gzip();
	test_raw_truncations();
	test_round_trips();
	test_big();
	snprintf(path, sizeof(path), "rm -rf %s", tmpdir);
	run(path);
	return check_done();
}
