/*
 * cbgen.c - deterministic generator of ClassBench-format rule sets and
 * packet traces for the classifier benchmark.
 *
 *	cbgen acl|fw NRULES NHEADERS SEED RULES_OUT TRACE_OUT
 *
 * writes NRULES rules in ClassBench filter format to RULES_OUT and NHEADERS
 * headers in ClassBench trace format (plus cbgen's ORIGIN column, see
 * classbench.h) to TRACE_OUT.  The same arguments always give byte-identical
 * files: the only source of randomness is splitmix64 seeded with SEED.
 *
 * The two distributions follow the shape that ClassBench (Taylor & Turner,
 * 2005) reports for its seed families, not any one seed exactly:
 *  - "acl": access lists of routers - specific destinations (mostly /32 and
 *    /24..30), many /32 sources, source port wildcarded, destination port
 *    an exact well-known port, mostly TCP.
 *  - "fw": firewalls - many wildcarded addresses, port ranges (1024:65535 and
 *    arbitrary ranges) on both sides, more wildcarded protocols.
 * Addresses are drawn under a pool of /16 "sites" so that prefixes nest and
 * overlap the way real rule sets do (hosts under subnets under sites).
 * A rule that restricts ports always names TCP or UDP, and no rule has both
 * addresses wildcarded (an early any-to-any rule would shadow the rest).
 *
 * Headers: 90% are a random point inside a randomly chosen rule (so they
 * match it, or an earlier rule that covers that point), 10% are uniformly
 * random.  A header whose protocol is neither TCP nor UDP has ports 0.
 */
#include "classbench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rng {
	uint64_t state;
};

/* splitmix64: tiny, fast and the same everywhere. */
static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0 (the modulo bias is irrelevant here). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(rng_next(r) % n);
}

/* One weighted choice: weights[] sum to 100. */
static int pick(struct rng *r, const unsigned int *weights, int n)
{
	unsigned int x = rng_below(r, 100), acc = 0;
	int i;

	for (i = 0; i < n - 1; i++) {
		acc += weights[i];
		if (x < acc)
			return i;
	}
	return n - 1;
}

enum port_class { PORT_WC, PORT_HI, PORT_LO, PORT_EM, PORT_AR, PORT_CLASSES };
enum proto_class { PROTO_TCP, PROTO_UDP, PROTO_ICMP, PROTO_ANY, PROTO_CLASSES };

/* Prefix lengths: 0 (wildcard), 32, 24, 25..31, 8..23. */
#define LEN_CLASSES 5

struct profile {
	unsigned int src_len[LEN_CLASSES], dst_len[LEN_CLASSES];
	unsigned int src_port[PORT_CLASSES], dst_port[PORT_CLASSES];
	unsigned int proto[PROTO_CLASSES];
};

static const struct profile acl_profile = {
	.src_len = { 25, 35, 15, 10, 15 },
	.dst_len = { 5, 45, 20, 15, 15 },
	.src_port = { 95, 3, 0, 2, 0 },
	.dst_port = { 10, 5, 0, 75, 10 },
	.proto = { 75, 15, 3, 7 },
};

static const struct profile fw_profile = {
	.src_len = { 45, 15, 15, 5, 20 },
	.dst_len = { 25, 30, 20, 10, 15 },
	.src_port = { 80, 10, 0, 5, 5 },
	.dst_port = { 35, 10, 5, 35, 15 },
	.proto = { 50, 25, 5, 20 },
};

static const uint16_t well_known_ports[] = {
	20, 21, 22, 23, 25, 53, 69, 80, 110, 123, 135, 137, 139, 143, 161,
	179, 389, 443, 445, 514, 587, 636, 993, 995, 1433, 1521, 1723, 3306,
	3389, 5060, 5432, 8080, 8443,
};

#define N_WELL_KNOWN (sizeof(well_known_ports) / sizeof(well_known_ports[0]))

struct generator {
	struct rng rng;
	const struct profile *prof;
	uint32_t *sites;	/* /16 bases that prefixes are drawn under */
	uint32_t n_sites;
};

static uint8_t draw_len(struct generator *g, const unsigned int *weights)
{
	switch (pick(&g->rng, weights, LEN_CLASSES)) {
	case 0:
		return 0;
	case 1:
		return 32;
	case 2:
		return 24;
	case 3:
		return (uint8_t)(25 + rng_below(&g->rng, 7));
	default:
		return (uint8_t)(8 + rng_below(&g->rng, 16));
	}
}

static uint32_t draw_prefix(struct generator *g, uint8_t len)
{
	uint32_t site = g->sites[rng_below(&g->rng, g->n_sites)];
	/* Host bits below the site vary; only a few subnets per site. */
	uint32_t subnet = rng_below(&g->rng, 8) << 8;
	uint32_t host = rng_below(&g->rng, 256);

	return (site | subnet | host) & cb_prefix_mask(len);
}

static void draw_ports(struct generator *g, const unsigned int *weights,
		       uint16_t *lo, uint16_t *hi)
{
	uint16_t a, b;

	switch (pick(&g->rng, weights, PORT_CLASSES)) {
	case PORT_WC:
		*lo = 0, *hi = 65535;
		break;
	case PORT_HI:
		*lo = 1024, *hi = 65535;
		break;
	case PORT_LO:
		*lo = 0, *hi = 1023;
		break;
	case PORT_EM:
		a = well_known_ports[rng_below(&g->rng, N_WELL_KNOWN)];
		*lo = a, *hi = a;
		break;
	default:
		a = (uint16_t)rng_below(&g->rng, 65536);
		b = (uint16_t)rng_below(&g->rng, 65536);
		*lo = a < b ? a : b;
		*hi = a < b ? b : a;
		break;
	}
}

static void draw_rule(struct generator *g, struct cb_rule *r)
{
	static const uint8_t proto_value[PROTO_CLASSES] = { 6, 17, 1, 0 };
	int proto = pick(&g->rng, g->prof->proto, PROTO_CLASSES);

	memset(r, 0, sizeof(*r));
	r->src_len = draw_len(g, g->prof->src_len);
	r->src_ip = draw_prefix(g, r->src_len);
	r->dst_len = draw_len(g, g->prof->dst_len);
	if (r->src_len == 0 && r->dst_len == 0)	/* no any-to-any rules */
		r->dst_len = (uint8_t)(16 + rng_below(&g->rng, 9));
	r->dst_ip = draw_prefix(g, r->dst_len);
	draw_ports(g, g->prof->src_port, &r->src_port_lo, &r->src_port_hi);
	draw_ports(g, g->prof->dst_port, &r->dst_port_lo, &r->dst_port_hi);
	if ((r->src_port_lo != 0 || r->src_port_hi != 65535 ||
	     r->dst_port_lo != 0 || r->dst_port_hi != 65535) &&
	    proto != PROTO_TCP && proto != PROTO_UDP)
		proto = PROTO_TCP;
	r->proto = proto_value[proto];
	r->proto_mask = proto == PROTO_ANY ? 0x00 : 0xff;
}

static uint16_t port_in(struct generator *g, uint16_t lo, uint16_t hi)
{
	return (uint16_t)(lo + rng_below(&g->rng, (uint32_t)(hi - lo) + 1));
}

static void draw_header(struct generator *g, const struct cb_rule *rules,
			uint32_t n_rules, struct cb_header *h)
{
	static const uint8_t any_proto[] = { 6, 6, 6, 17, 17, 1 };

	if (n_rules > 0 && rng_below(&g->rng, 10) != 0) {
		uint32_t i = rng_below(&g->rng, n_rules);
		const struct cb_rule *r = &rules[i];
		uint32_t rnd = (uint32_t)rng_next(&g->rng);

		h->origin = (int32_t)i;
		h->src_ip = r->src_ip | (rnd & ~cb_prefix_mask(r->src_len));
		rnd = (uint32_t)rng_next(&g->rng);
		h->dst_ip = r->dst_ip | (rnd & ~cb_prefix_mask(r->dst_len));
		h->src_port = port_in(g, r->src_port_lo, r->src_port_hi);
		h->dst_port = port_in(g, r->dst_port_lo, r->dst_port_hi);
		h->proto = r->proto_mask ? r->proto :
			any_proto[rng_below(&g->rng, sizeof(any_proto))];
	} else {
		h->origin = -1;
		h->src_ip = (uint32_t)rng_next(&g->rng);
		h->dst_ip = (uint32_t)rng_next(&g->rng);
		h->src_port = (uint16_t)rng_below(&g->rng, 65536);
		h->dst_port = (uint16_t)rng_below(&g->rng, 65536);
		h->proto = any_proto[rng_below(&g->rng, sizeof(any_proto))];
	}
	if (h->proto != 6 && h->proto != 17)
		h->src_port = 0, h->dst_port = 0;
}

static void make_sites(struct generator *g, uint32_t n_rules)
{
	uint32_t i;

	g->n_sites = n_rules / 16 + 8;
	g->sites = calloc(g->n_sites, sizeof(*g->sites));
	if (!g->sites) {
		fprintf(stderr, "cbgen: out of memory\n");
		exit(1);
	}
	for (i = 0; i < g->n_sites; i++) {
		/* First octet 1..223 but not 127: unicast, not loopback. */
		uint32_t a = 1 + rng_below(&g->rng, 222);

		if (a == 127)
			a = 128;
		g->sites[i] = (a << 24) | (rng_below(&g->rng, 256) << 16);
	}
}

static int write_rules(const char *path, const struct cb_rule *rules,
		       uint32_t n)
{
	FILE *f = fopen(path, "w");
	char line[128];
	uint32_t i;

	if (!f)
		return -1;
	for (i = 0; i < n; i++) {
		cb_format_rule(line, sizeof(line), &rules[i]);
		fprintf(f, "%s\n", line);
	}
	return fclose(f);
}

static int write_trace(struct generator *g, const char *path,
		       const struct cb_rule *rules, uint32_t n_rules,
		       uint32_t n_headers)
{
	FILE *f = fopen(path, "w");
	struct cb_header h;
	uint32_t i;

	if (!f)
		return -1;
	for (i = 0; i < n_headers; i++) {
		draw_header(g, rules, n_rules, &h);
		fprintf(f, "%u\t%u\t%u\t%u\t%u\t%d\n", h.src_ip, h.dst_ip,
			h.src_port, h.dst_port, h.proto, h.origin);
	}
	return fclose(f);
}

static uint32_t count_arg(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v > CB_MAX_ENTRIES) {
		fprintf(stderr, "cbgen: %s must be 0..%u, not '%s'\n", what,
			CB_MAX_ENTRIES, s);
		exit(2);
	}
	return (uint32_t)v;
}

int main(int argc, char **argv)
{
	struct generator g;
	struct cb_rule *rules;
	uint32_t n_rules, n_headers, i;

	if (argc != 7 || (strcmp(argv[1], "acl") && strcmp(argv[1], "fw"))) {
		fprintf(stderr, "usage: cbgen acl|fw NRULES NHEADERS SEED "
			"RULES_OUT TRACE_OUT\n");
		return 2;
	}
	n_rules = count_arg(argv[2], "NRULES");
	n_headers = count_arg(argv[3], "NHEADERS");
	g.rng.state = strtoull(argv[4], NULL, 0);
	g.prof = strcmp(argv[1], "acl") ? &fw_profile : &acl_profile;
	make_sites(&g, n_rules);
	rules = calloc(n_rules ? n_rules : 1, sizeof(*rules));
	if (!rules) {
		fprintf(stderr, "cbgen: out of memory\n");
		return 1;
	}
	for (i = 0; i < n_rules; i++)
		draw_rule(&g, &rules[i]);
	if (write_rules(argv[5], rules, n_rules) ||
	    write_trace(&g, argv[6], rules, n_rules, n_headers)) {
		fprintf(stderr, "cbgen: cannot write %s / %s: %s\n", argv[5],
			argv[6], strerror(errno));
		return 1;
	}
	free(rules);
	free(g.sites);
	return 0;
}
