/*
 * test_vfr_rule_classify.c - the compiled classifier against the linear scan.
 *
 * Generates ClassBench-like random rulesets (overlapping prefixes drawn from
 * a few bases, exact/range/wildcard ports, some ICMP, TCP-flag, MAC, iif and
 * limited rules) of several sizes, and random packets biased to the rules'
 * boundaries (first/last address of a prefix and one past it, port range
 * ends and their neighbours, non-first fragments, non-IP frames).  For every
 * packet, vfr_classifier_lookup() and lookup_from(random first) must equal
 * the linear reference.  Also checks vfr_rule_match() on hand-made cases,
 * capacity errors, and prints lookup timings (informational).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "classify.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static const uint16_t common_ports[] = { 20, 21, 22, 23, 25, 53, 80, 110,
	123, 143, 443, 1023, 1024, 3306, 8080, 65535 };
static const uint32_t v4_bases[] = { 0x0a000000, 0x0a010000, 0xc0a80000,
	0xac100000, 0x08080800, 0xcb007100 };

static void put_be32(uint8_t *b, uint32_t v)
{
	b[0] = v >> 24; b[1] = v >> 16; b[2] = v >> 8; b[3] = v;
}

static void make_prefix(struct vfr_prefix *p, uint8_t family)
{
	static const uint8_t v4_lens[] = { 0, 8, 16, 20, 24, 24, 28, 32, 32 };
	uint8_t len, i;

	memset(p, 0, sizeof(*p));
	p->addr.family = family;
	if (family == VFR_AF_INET) {
		uint32_t a = v4_bases[below(6)] | (below(4) << 8) | below(8);

		len = v4_lens[below(sizeof(v4_lens))];
		a &= len ? 0xffffffffu << (32 - len) : 0;
		put_be32(p->addr.b, a);
	} else {
		len = (uint8_t)(below(5) * 16 + below(3) * 8);
		p->addr.b[0] = 0x20; p->addr.b[1] = 0x01;
		p->addr.b[2] = 0x0d; p->addr.b[3] = (uint8_t)below(3);
		p->addr.b[4] = (uint8_t)below(2); p->addr.b[15] = (uint8_t)below(4);
		for (i = 0; i < 16; i++) {
			int keep = len - i * 8;

			if (keep <= 0)
				p->addr.b[i] = 0;
			else if (keep < 8)
				p->addr.b[i] &= (uint8_t)(0xff << (8 - keep));
		}
	}
	p->len = len;
}

static void make_ports(struct vfr_port_range *r, bool dst)
{
	uint32_t k = below(10);

	if (k < 5 || !dst) {
		r->lo = r->hi = common_ports[below(16)];
	} else if (k < 7) {
		r->lo = 1024;
		r->hi = 65535;
	} else {
		r->lo = (uint16_t)below(65536);
		r->hi = (uint16_t)(r->lo + below(65536 - r->lo));
	}
}

static void make_l4(struct vfr_match *m)
{
	uint32_t k = below(20);

	if (k < 10) {
		m->fields |= VFR_MATCH_PROTO;
		m->proto = below(3) ? VFR_PROTO_TCP : VFR_PROTO_UDP;
		if (below(3)) {
			m->fields |= VFR_MATCH_DST_PORT;
			make_ports(&m->dport, true);
		}
		if (!below(4)) {
			m->fields |= VFR_MATCH_SRC_PORT;
			make_ports(&m->sport, below(2));
		}
		if (m->proto == VFR_PROTO_TCP && !below(8)) {
			m->fields |= VFR_MATCH_TCP_FLAGS;
			m->tcp_flags_mask = VFR_TCP_SYN | VFR_TCP_ACK;
			m->tcp_flags_value = below(2) ? VFR_TCP_SYN : 0;
		}
	} else if (k < 12 && m->family) {
		m->fields |= VFR_MATCH_PROTO | VFR_MATCH_ICMP_TYPE;
		m->proto = m->family == VFR_AF_INET ? VFR_PROTO_ICMP :
						      VFR_PROTO_ICMPV6;
		m->icmp_type = below(2) ? 8 : 0;
		if (!below(3)) {
			m->fields |= VFR_MATCH_ICMP_CODE;
			m->icmp_code = (uint8_t)below(2);
		}
	} else if (k < 14) {
		m->fields |= VFR_MATCH_PROTO;
		m->proto = (uint8_t)(below(2) ? 47 : VFR_PROTO_UDP);
	}
}

static void make_rule(struct vfr_rule *r)
{
	struct vfr_match *m = &r->match;
	uint32_t k = below(40);

	vfr_rule_init(r);
	if (k == 0) {
		m->fields = VFR_MATCH_ETHERTYPE;
		m->ethertype = VFR_ETHERTYPE_ARP;
	} else if (k < 36) {
		m->fields = VFR_MATCH_FAMILY;
		m->family = below(8) ? VFR_AF_INET : VFR_AF_INET6;
		if (below(5)) {
			m->fields |= VFR_MATCH_SRC_IP;
			make_prefix(&m->src_ip, m->family);
		}
		if (below(5)) {
			m->fields |= VFR_MATCH_DST_IP;
			make_prefix(&m->dst_ip, m->family);
		}
		if (!below(4) && !(m->fields & (VFR_MATCH_SRC_IP | VFR_MATCH_DST_IP)))
			m->fields &= ~VFR_MATCH_FAMILY, m->family = 0;
	}
	if (!(m->fields & VFR_MATCH_ETHERTYPE))
		make_l4(m);
	if (!m->fields) {	/* catch-alls only at the end, as in ACLs */
		m->fields = VFR_MATCH_FAMILY;
		m->family = VFR_AF_INET6;
	}
	if (!below(30)) {
		m->fields |= VFR_MATCH_SRC_MAC;
		m->src_mac.b[5] = (uint8_t)below(3);
	}
	if (!below(30)) {
		m->fields |= VFR_MATCH_IIF;
		m->iif = (vfr_vif_id_t)(below(2) ? 0x10 : 0x20);
	}
	r->action.verdict = (uint8_t)(1 + below(3));
	if (!below(15))
		r->action.verdict = VFR_RULE_CONTINUE;
	if (!below(25)) {
		r->action.limit_unit = VFR_LIMIT_SECOND;
		r->action.limit_rate = 10;
		r->action.limit_burst = 5;
	}
}

/* An address near one of the rule's prefix boundaries, or random. */
static void near_prefix(struct vfr_ip *a, const struct vfr_prefix *p,
			uint8_t family)
{
	uint32_t k = below(4), i;

	memset(a, 0, sizeof(*a));
	a->family = family;
	if (!p || p->addr.family != family || k == 3) {
		for (i = 0; i < (family == VFR_AF_INET ? 4u : 16u); i++)
			a->b[i] = (uint8_t)rnd();
		if (family == VFR_AF_INET && below(2))
			put_be32(a->b, v4_bases[below(6)] | below(1024));
		return;
	}
	*a = p->addr;
	if (k >= 1) {	/* last address of the prefix, maybe one past */
		for (i = p->len; i < (family == VFR_AF_INET ? 32u : 128u); i++)
			a->b[i / 8] |= (uint8_t)(0x80 >> (i % 8));
		if (k == 2)
			for (i = (family == VFR_AF_INET ? 4 : 16); i-- > 0;)
				if (++a->b[i])
					break;
	} else if (below(2)) {	/* one before the first */
		for (i = (family == VFR_AF_INET ? 4 : 16); i-- > 0;)
			if (a->b[i]--)
				break;
	}
}

static uint16_t near_port(const struct vfr_port_range *r, bool has)
{
	switch (has ? below(5) : 4) {
	case 0: return r->lo;
	case 1: return r->hi;
	case 2: return (uint16_t)(r->lo - 1);
	case 3: return (uint16_t)(r->hi + 1);
	default: return below(2) ? common_ports[below(16)] : (uint16_t)rnd();
	}
}

static void make_packet(struct vfr_pkt *p, const struct vfr_rule *r,
			vfr_vif_id_t *iif)
{
	const struct vfr_match *m = &r->match;
	uint8_t family = m->family ? m->family :
			 below(6) ? VFR_AF_INET : VFR_AF_INET6;

	memset(p, 0, sizeof(*p));
	p->is_first_fragment = true;
	p->src_mac.b[5] = (uint8_t)below(3);
	*iif = (vfr_vif_id_t)(below(2) ? 0x10 : 0x20);
	if (!below(25)) {
		p->ethertype = VFR_ETHERTYPE_ARP;
		return;
	}
	p->ethertype = family == VFR_AF_INET ? VFR_ETHERTYPE_IPV4 :
					       VFR_ETHERTYPE_IPV6;
	near_prefix(&p->src_ip, (m->fields & VFR_MATCH_SRC_IP) ? &m->src_ip : NULL,
		    family);
	near_prefix(&p->dst_ip, (m->fields & VFR_MATCH_DST_IP) ? &m->dst_ip : NULL,
		    family);
	p->proto = (m->fields & VFR_MATCH_PROTO) && below(8) ? m->proto :
		   (uint8_t)(below(2) ? VFR_PROTO_TCP : below(2) ? VFR_PROTO_UDP :
			     family == VFR_AF_INET ? VFR_PROTO_ICMP : VFR_PROTO_ICMPV6);
	if (!below(15)) {	/* a non-first fragment: no L4 at all */
		p->is_fragment = true;
		p->is_first_fragment = false;
		return;
	}
	if (p->proto == VFR_PROTO_TCP || p->proto == VFR_PROTO_UDP) {
		p->has_ports = true;
		p->src_port = near_port(&m->sport, m->fields & VFR_MATCH_SRC_PORT);
		p->dst_port = near_port(&m->dport, m->fields & VFR_MATCH_DST_PORT);
		p->tcp_flags = p->proto == VFR_PROTO_TCP ? (uint8_t)rnd() : 0;
	} else if (p->proto == VFR_PROTO_ICMP || p->proto == VFR_PROTO_ICMPV6) {
		p->has_icmp = true;
		p->icmp_type = below(2) ? 8 : (uint8_t)below(4);
		p->icmp_code = (uint8_t)below(2);
	}
}

static void check_hand_made(void)
{
	struct vfr_rule r;
	struct vfr_pkt p;

	vfr_rule_init(&r);
	r.match.fields = VFR_MATCH_PROTO | VFR_MATCH_DST_PORT | VFR_MATCH_FAMILY |
			 VFR_MATCH_SRC_IP;
	r.match.family = VFR_AF_INET;
	r.match.src_ip.addr.family = VFR_AF_INET;
	put_be32(r.match.src_ip.addr.b, 0x0a000000);
	r.match.src_ip.len = 24;
	r.match.proto = VFR_PROTO_TCP;
	r.match.dport.lo = 80;
	r.match.dport.hi = 443;
	r.action.verdict = VFR_RULE_ACCEPT;
	CHECK(vfr_rule_validate(&r) == NULL);
	memset(&p, 0, sizeof(p));
	p.is_first_fragment = true;
	p.src_ip.family = p.dst_ip.family = VFR_AF_INET;
	put_be32(p.src_ip.b, 0x0a0000ff);
	p.proto = VFR_PROTO_TCP;
	p.has_ports = true;
	p.dst_port = 443;
	CHECK(vfr_rule_match(&r, &p, 0, 0));
	p.dst_port = 444;
	CHECK(!vfr_rule_match(&r, &p, 0, 0));
	p.dst_port = 80;
	put_be32(p.src_ip.b, 0x0a000100);
	CHECK(!vfr_rule_match(&r, &p, 0, 0));
	put_be32(p.src_ip.b, 0x0a000001);
	p.is_fragment = true;
	p.is_first_fragment = false;
	p.has_ports = false;
	CHECK(!vfr_rule_match(&r, &p, 0, 0));	/* non-first fragment */
	r.match.fields &= ~VFR_MATCH_DST_PORT;
	r.match.dport.lo = r.match.dport.hi = 0;
	CHECK(vfr_rule_match(&r, &p, 0, 0));	/* no L4 field needed */
	put_be32(r.match.src_ip.addr.b, 0x0a000001);
	CHECK(vfr_rule_validate(&r) != NULL);	/* host bits set */
}

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run_size(uint32_t n, uint32_t npkts, bool timing)
{
	struct vfr_rule wildcard;
	size_t mem_bytes = 64u << 20;
	void *mem = malloc(mem_bytes);
	struct vfr_rule *rules = calloc(n, sizeof(*rules));
	struct vfr_pkt *pkts = calloc(npkts, sizeof(*pkts));
	vfr_vif_id_t *iifs = calloc(npkts, sizeof(*iifs));
	struct vfr_classifier c;
	uint32_t i, bad = 0;
	double t_build0, t0 = 0, t1, t2;
	volatile int32_t sink = 0;

	for (i = 0; i < n; i++) {
		make_rule(&rules[i]);
		if (vfr_rule_validate(&rules[i]))
			bad++;
	}
	if (n > 2) {	/* a default rule at the end, as in ACLs */
		vfr_rule_init(&rules[n - 1]);
		rules[n - 1].action.verdict = VFR_RULE_DROP;
	}
	CHECK_EQ(bad, 0);
	t_build0 = now_sec();
	CHECK_EQ(vfr_classifier_build(&c, rules, n, mem, mem_bytes), 0);
	t1 = now_sec();
	vfr_rule_init(&wildcard);	/* packets for an empty ruleset */
	for (i = 0; i < npkts; i++)
		make_packet(&pkts[i], n ? &rules[below(n)] : &wildcard, &iifs[i]);
	for (i = 0; i < npkts; i++) {
		int32_t lin = vfr_classifier_lookup_linear(&c, &pkts[i], iifs[i], 0);
		int32_t fast = vfr_classifier_lookup(&c, &pkts[i], iifs[i], 0);
		uint32_t first = below(n + 1);

		if (lin != fast ||
		    vfr_rules_lookup_linear(rules, n, &pkts[i], iifs[i], 0, first) !=
		    vfr_classifier_lookup_from(&c, &pkts[i], iifs[i], 0, first))
			bad++;
	}
	CHECK_EQ(bad, 0);
	if (timing) {
		t2 = now_sec();
		for (i = 0; i < npkts; i++)
			sink += vfr_classifier_lookup_linear(&c, &pkts[i], iifs[i], 0);
		t2 = now_sec() - t2;
		t0 = now_sec() - t0;
		t0 = now_sec();
		for (i = 0; i < npkts; i++)
			sink += vfr_classifier_lookup(&c, &pkts[i], iifs[i], 0);
		t0 = now_sec() - t0;
		printf("%6u rules: build %.1f ms, tree %zu bytes (peak %zu), "
		       "%u nodes, %u leaves, depth %u, max leaf %u; lookup: "
		       "linear %.0f ns, tree %.0f ns\n", n, (t1 - t_build0) * 1e3,
		       vfr_classifier_mem_used(&c), c.stats.peak_bytes,
		       c.stats.nodes, c.stats.leaves, c.stats.max_depth,
		       c.stats.max_leaf, t2 * 1e9 / npkts, t0 * 1e9 / npkts);
	}
	free(mem);
	free(rules);
	free(pkts);
	free(iifs);
}

int main(void)
{
	static const uint32_t sizes[] = { 0, 1, 5, 9, 30, 100, 1000, 10000 };
	size_t i;

	check_hand_made();
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		run_size(sizes[i], 20000, sizes[i] >= 1000);
	return check_done();
}
