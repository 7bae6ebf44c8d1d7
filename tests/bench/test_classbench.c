/*
 * test_classbench.c - host test of the ClassBench reader (classbench.c) and
 * of the translation of ClassBench rules and headers into VFR rules and
 * packets (cb_vfr.c), checked against the VFR's matcher and classifier.
 *
 * Built with ASan: every parse runs on a buffer of exactly the line's
 * length, so a read past the end is caught.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "classbench.h"
#include "cb_vfr.h"
#include "classify.h"

static const char good_rule[] =
	"@192.168.1.77/24\t10.0.0.0/8\t0 : 65535\t80 : 80\t0x06/0xFF\t0x0000/0x0200";

/* Parses s from a heap copy of exactly strlen(s) bytes. */
static bool parse_rule(const char *s, struct cb_rule *r, const char **why)
{
	size_t len = strlen(s);
	char *copy = malloc(len ? len : 1);
	bool ok;

	memcpy(copy, s, len);
	ok = cb_parse_rule(copy, len, r, why);
	free(copy);
	return ok;
}

static bool parse_header(const char *s, struct cb_header *h, const char **why)
{
	size_t len = strlen(s);
	char *copy = malloc(len ? len : 1);
	bool ok;

	memcpy(copy, s, len);
	ok = cb_parse_header(copy, len, h, why);
	free(copy);
	return ok;
}

static void test_good_rule(void)
{
	struct cb_rule r;
	const char *why = NULL;
	char text[128];

	CHECK(parse_rule(good_rule, &r, &why));
	CHECK_EQ(r.src_ip, 0xc0a80100);		/* host bits cleared */
	CHECK_EQ(r.src_len, 24);
	CHECK_EQ(r.dst_ip, 0x0a000000);
	CHECK_EQ(r.dst_len, 8);
	CHECK_EQ(r.src_port_lo, 0);
	CHECK_EQ(r.src_port_hi, 65535);
	CHECK_EQ(r.dst_port_lo, 80);
	CHECK_EQ(r.dst_port_hi, 80);
	CHECK_EQ(r.proto, 6);
	CHECK_EQ(r.proto_mask, 0xff);

	/* The canonical text parses back to the same rule. */
	struct cb_rule again;

	cb_format_rule(text, sizeof(text), &r);
	CHECK(parse_rule(text, &again, &why));
	CHECK(memcmp(&r, &again, sizeof(r)) == 0);

	CHECK(parse_rule("@0.0.0.0/0 0.0.0.0/0 0:65535 0:65535 0x00/0x00", &r,
			 &why));
	CHECK_EQ(r.proto_mask, 0);
	CHECK(parse_rule("@1.2.3.4/32\t5.6.7.8/32\t1 : 2\t3 : 4\t17/255", &r,
			 &why));
	CHECK_EQ(r.proto, 17);
}

static void test_bad_rules(void)
{
	static const char *const bad[] = {
		"",
		"192.168.1.0/24 10.0.0.0/8 0 : 65535 80 : 80 0x06/0xFF",
		"@192.168.1.0/33 10.0.0.0/8 0 : 65535 80 : 80 0x06/0xFF",
		"@192.168.256.0/24 10.0.0.0/8 0 : 65535 80 : 80 0x06/0xFF",
		"@192.168.1/24 10.0.0.0/8 0 : 65535 80 : 80 0x06/0xFF",
		"@192.168.1.0 10.0.0.0/8 0 : 65535 80 : 80 0x06/0xFF",
		"@192.168.1.0/24 10.0.0.0/8 0 : 65536 80 : 80 0x06/0xFF",
		"@192.168.1.0/24 10.0.0.0/8 9 : 8 80 : 80 0x06/0xFF",
		"@192.168.1.0/24 10.0.0.0/8 0 - 65535 80 : 80 0x06/0xFF",
		"@192.168.1.0/24 10.0.0.0/8 0 : 65535 80 : 80 0x06/0x0F",
		"@192.168.1.0/24 10.0.0.0/8 0 : 65535 80 : 80 0x106/0xFF",
		"@192.168.1.0/24 10.0.0.0/8 0 : 65535 80 : 80 0x06",
		"@192.168.1.0/24 10.0.0.0/8 0 : 65535 80 : 80 0x06/0xFFjunk",
		"@192.168.1.0/24 10.0.0.0/8 0 : 99999999999999999999 80 : 80 6/255",
		"@1. 2.3.4/8 10.0.0.0/8 0 : 65535 80 : 80 0x06/0xFF",
	};
	struct cb_rule r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;

		CHECK(!parse_rule(bad[i], &r, &why));
		CHECK(why != NULL);
	}
}

/* A proper prefix of a rule misses a mandatory part and must fail. */
static void test_truncations(void)
{
	size_t mandatory = strlen(good_rule) - strlen("\t0x0000/0x0200");
	size_t len;
	struct cb_rule r;

	for (len = 0; len <= strlen(good_rule); len++) {
		char *copy = malloc(len ? len : 1);
		const char *why = NULL;
		bool ok;

		memcpy(copy, good_rule, len);
		ok = cb_parse_rule(copy, len, &r, &why);
		free(copy);
		/* "...0x06/0" is itself complete: protocol mask 0 (any). */
		if (len < mandatory && len != mandatory - 3)
			CHECK(!ok && why);
		else
			CHECK(ok);
	}
}

static void test_headers(void)
{
	struct cb_header h;
	const char *why = NULL;

	CHECK(parse_header("3232235777\t167772161\t1024\t80\t6\t12", &h, &why));
	CHECK_EQ(h.src_ip, 3232235777u);
	CHECK_EQ(h.dst_ip, 167772161);
	CHECK_EQ(h.src_port, 1024);
	CHECK_EQ(h.dst_port, 80);
	CHECK_EQ(h.proto, 6);
	CHECK_EQ(h.origin, 12);
	CHECK(parse_header("1 2 3 4 17 -1", &h, &why));
	CHECK_EQ(h.origin, -1);
	CHECK(parse_header("1 2 3 4 17", &h, &why));
	CHECK_EQ(h.origin, -1);
	CHECK(!parse_header("4294967296 2 3 4 17", &h, &why));
	CHECK(!parse_header("1 2 65536 4 17", &h, &why));
	CHECK(!parse_header("1 2 3 4 256", &h, &why));
	CHECK(!parse_header("1 2 3 4", &h, &why));
	CHECK(!parse_header("1 2 3 4 6 -2", &h, &why));
	CHECK(!parse_header("1 2 3 4 6 -0", &h, &why));
	CHECK(!parse_header("1 2 3 4 6 7 8", &h, &why));
}

static void test_load_errors(void)
{
	char path[] = "/tmp/test_classbench_XXXXXX", err[256];
	static const char text[] =
		"# comment\n\n"
		"@1.2.3.4/32\t5.6.7.8/32\t0 : 65535\t80 : 80\t0x06/0xFF\t\n"
		"@1.2.3.4/32\t5.6.7.8/32\t0 : 65535\t80 : 80\t0x06/0x0F\t\n";
	struct cb_rule *rules = NULL;
	size_t n = 0;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	CHECK(write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1));
	close(fd);
	CHECK(cb_load_rules(path, &rules, &n, err, sizeof(err)) == -1);
	CHECK(strstr(err, ":4: protocol mask") != NULL);
	unlink(path);
	CHECK(cb_load_rules(path, &rules, &n, err, sizeof(err)) == -1);
}

static uint64_t rng = 0x12345678;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* A small random rule, tight enough that random headers often match. */
static void random_rule(struct cb_rule *r)
{
	static const uint8_t lens[] = { 0, 1, 8, 16, 24, 30, 32 };
	static const uint8_t protos[] = { 6, 17, 1, 0 };
	uint32_t a = next() % 5, b = next() % 5;

	memset(r, 0, sizeof(*r));
	r->src_len = lens[next() % sizeof(lens)];
	r->src_ip = (0x0a000000 | (next() & 0x3)) & cb_prefix_mask(r->src_len);
	r->dst_len = lens[next() % sizeof(lens)];
	r->dst_ip = (0x0a000000 | (next() & 0x3)) & cb_prefix_mask(r->dst_len);
	r->proto = protos[next() % sizeof(protos)];
	r->proto_mask = r->proto ? 0xff : 0;
	r->src_port_hi = 65535;
	r->dst_port_hi = 65535;
	if (r->proto == 6 || r->proto == 17) {
		r->src_port_lo = (uint16_t)(a < b ? a : b);
		r->src_port_hi = (uint16_t)(a < b ? b : a);
		r->dst_port_lo = (uint16_t)(next() % 3);
		r->dst_port_hi = (uint16_t)(r->dst_port_lo + next() % 3);
	}
}

static void random_header(struct cb_header *h)
{
	static const uint8_t protos[] = { 6, 17, 1, 50 };

	h->src_ip = 0x0a000000 | (next() & 0x3);
	h->dst_ip = 0x0a000000 | (next() & 0x3);
	if (next() % 8 == 0)
		h->dst_ip = next();
	h->proto = protos[next() % sizeof(protos)];
	h->src_port = h->proto == 6 || h->proto == 17 ? (uint16_t)(next() % 5) : 0;
	h->dst_port = h->proto == 6 || h->proto == 17 ? (uint16_t)(next() % 5) : 0;
	h->origin = -1;
}

#define N_RULES 300
#define N_HDRS 3000

/* vfr_rule_match and the classifier agree with the ClassBench matcher. */
static void test_vfr_translation(void)
{
	static struct cb_rule cb[N_RULES];
	static struct vfr_rule rules[N_RULES];
	static uint8_t mem[8 << 20];
	struct vfr_classifier c;
	const char *why;
	unsigned int i, j, mismatches = 0, matched = 0;

	for (i = 0; i < N_RULES; i++) {
		random_rule(&cb[i]);
		CHECK_EQ(cb_vfr_rule(&cb[i], &rules[i], &why), 0);
	}
	CHECK_EQ(vfr_classifier_build(&c, rules, N_RULES, mem, sizeof(mem)), 0);
	for (j = 0; j < N_HDRS; j++) {
		struct cb_header h;
		struct vfr_pkt pkt;
		long want;

		random_header(&h);
		cb_vfr_pkt(&h, &pkt);
		for (i = 0; i < 20; i++)
			mismatches += vfr_rule_match(&rules[i], &pkt, VFR_VIF_NONE,
						     VFR_VIF_NONE) !=
				      cb_rule_matches(&cb[i], &h);
		want = cb_first_match(cb, N_RULES, &h);
		matched += want >= 0;
		CHECK_EQ(vfr_classifier_lookup(&c, &pkt, VFR_VIF_NONE,
					       VFR_VIF_NONE), want);
	}
	CHECK_EQ(mismatches, 0);
	CHECK(matched > N_HDRS / 4);	/* the test exercises matches */

	/* Ports need TCP or UDP in the VFR: such a rule is refused. */
	struct cb_rule odd = cb[0];

	odd.proto = 0, odd.proto_mask = 0, odd.dst_port_lo = 1, odd.dst_port_hi = 1;
	CHECK_EQ(cb_vfr_rule(&odd, &rules[0], &why), -1);
	CHECK(why != NULL);
}

int main(void)
{
	test_good_rule();
	test_bad_rules();
	test_truncations();
	test_headers();
	test_load_errors();
	test_vfr_translation();
	return check_done();
}
