/*
 * rulelang.c - parser of the nft-like rule language, and its spellings.
 *
 * Interface in rulelang.h, language reference in docs/vfr-rules.md.  The
 * parser is recursive descent over rulelex.c's tokens with one token of
 * lookahead; each statement is applied to the ruleset's edit area as soon as
 * it is parsed, so errors such as an unknown handle point at their line.
 * Every match field may be given once; fields implied by others (ports imply
 * tcp/udp, icmp implies IPv4 and protocol 1, ...) may be repeated only with
 * the same value.  The printer is in ruleprint.c; the spelling tables here
 * (protocol, ICMP type, TCP flag, limit unit and verdict names) serve both,
 * so a name the printer writes is always one the parser reads.
 */
#include "vfr_env.h"
#include "rulelang.h"
#include "rulelex.h"

const struct vfr_rulelang_name vfr_rulelang_protocols[] = {
	{ "icmp", 1 }, { "igmp", 2 }, { "tcp", 6 }, { "udp", 17 },
	{ "gre", 47 }, { "esp", 50 }, { "ah", 51 }, { "icmpv6", 58 },
	{ "sctp", 132 }, { NULL, 0 }
};

const struct vfr_rulelang_name vfr_rulelang_icmp_types[] = {
	{ "echo-reply", 0 }, { "destination-unreachable", 3 },
	{ "source-quench", 4 }, { "redirect", 5 }, { "echo-request", 8 },
	{ "router-advertisement", 9 }, { "router-solicitation", 10 },
	{ "time-exceeded", 11 }, { "parameter-problem", 12 },
	{ "timestamp-request", 13 }, { "timestamp-reply", 14 },
	{ "info-request", 15 }, { "info-reply", 16 },
	{ "address-mask-request", 17 }, { "address-mask-reply", 18 },
	{ NULL, 0 }
};

const struct vfr_rulelang_name vfr_rulelang_icmpv6_types[] = {
	{ "destination-unreachable", 1 }, { "packet-too-big", 2 },
	{ "time-exceeded", 3 }, { "parameter-problem", 4 },
	{ "echo-request", 128 }, { "echo-reply", 129 },
	{ "mld-listener-query", 130 }, { "mld-listener-report", 131 },
	{ "mld-listener-done", 132 }, { "nd-router-solicit", 133 },
	{ "nd-router-advert", 134 }, { "nd-neighbor-solicit", 135 },
	{ "nd-neighbor-advert", 136 }, { "nd-redirect", 137 },
	{ "mld2-listener-report", 143 }, { NULL, 0 }
};

/* In the header's bit order: fin syn rst psh ack urg ecn cwr. */
const char *const vfr_rulelang_tcp_flags[8] = {
	"fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr"
};

const char *const vfr_rulelang_limit_units[VFR_LIMIT_HOUR + 1] = {
	[VFR_LIMIT_SECOND] = "second", [VFR_LIMIT_MINUTE] = "minute",
	[VFR_LIMIT_HOUR] = "hour",
};

const char *const vfr_rulelang_verdicts[VFR_RULE_REJECT + 1] = {
	[VFR_RULE_ACCEPT] = "accept", [VFR_RULE_DROP] = "drop",
	[VFR_RULE_REJECT] = "reject",
};

const char *vfr_rulelang_name_of(const struct vfr_rulelang_name *t, uint32_t v)
{
	for (; t->name; t++)
		if (t->value == v)
			return t->name;
	return NULL;
}

/* ---------------------------------------------------------------- parser */

struct parser {
	struct vfr_lexer lx;
	struct vfr_token tok;		/* current token */
	struct vfr_token prev;		/* the one before it */
	struct vfr_ruleset *rs;
	struct vfr_rulelang_error *err;
	bool failed;
};

/* What one rule has said so far, beyond its fields. */
struct rule_ctx {
	struct vfr_rule r;
	bool counter, log, limit, verdict;
};

static void advance(struct parser *p)
{
	p->prev = p->tok;
	vfr_lex_next(&p->lx, &p->tok);
}

static void put_token(struct vfr_sbuf *sb, const struct vfr_token *t)
{
	if (t->kind == VFR_TOK_EOF) {
		vfr_sbuf_puts(sb, "end of input");
		return;
	}
	if (t->kind == VFR_TOK_NEWLINE) {
		vfr_sbuf_puts(sb, "end of line");
		return;
	}
	vfr_sbuf_putn(sb, "'", 1);
	vfr_sbuf_putn(sb, t->text, t->len > 40 ? 40 : t->len);
	vfr_sbuf_puts(sb, t->len > 40 ? "...'" : "'");
}

/* Record "a 'token' b" at token t; the first error wins.  Returns -1. */
static int error3(struct parser *p, const struct vfr_token *t, const char *a,
		  const struct vfr_token *quoted, const char *b)
{
	struct vfr_sbuf sb;

	if (p->failed)
		return -1;
	p->failed = true;
	p->err->line = t->line;
	p->err->col = t->col;
	vfr_sbuf_init(&sb, p->err->msg, sizeof(p->err->msg));
	if (t->kind == VFR_TOK_ERROR) {
		vfr_sbuf_puts(&sb, t->text);
		return -1;
	}
	vfr_sbuf_puts(&sb, a);
	if (quoted)
		put_token(&sb, quoted);
	if (b)
		vfr_sbuf_puts(&sb, b);
	return -1;
}

static int error_at(struct parser *p, const struct vfr_token *t, const char *msg)
{
	return error3(p, t, msg, NULL, NULL);
}

/* "expected WHAT after 'previous'" at the current token. */
static int expected(struct parser *p, const char *what)
{
	struct vfr_sbuf sb;
	char msg[80];

	vfr_sbuf_init(&sb, msg, sizeof(msg));
	vfr_sbuf_puts(&sb, "expected ");
	vfr_sbuf_puts(&sb, what);
	vfr_sbuf_puts(&sb, " after ");
	return error3(p, &p->tok, msg, &p->prev, NULL);
}

static bool accept_word(struct parser *p, const char *word)
{
	if (!vfr_tok_is(&p->tok, word))
		return false;
	advance(p);
	return true;
}

static int expect_word(struct parser *p, const char *word)
{
	struct vfr_sbuf sb;
	char what[40];

	if (accept_word(p, word))
		return 0;
	vfr_sbuf_init(&sb, what, sizeof(what));
	vfr_sbuf_puts(&sb, "'");
	vfr_sbuf_puts(&sb, word);
	vfr_sbuf_puts(&sb, "'");
	return expected(p, what);
}

static int parse_number(struct parser *p, const char *what, uint32_t max,
			uint32_t *out)
{
	if (p->tok.kind != VFR_TOK_WORD)
		return expected(p, what);
	if (!vfr_parse_u32(p->tok.text, p->tok.len, max, false, out))
		return error3(p, &p->tok, "invalid ", &p->tok, " (out of range "
			      "or not a decimal number)");
	advance(p);
	return 0;
}

static int parse_vif(struct parser *p, vfr_vif_id_t *vif)
{
	const char *why;
	int err;

	if (p->tok.kind != VFR_TOK_WORD)
		return expected(p, "a VIF name (vifD.N or uplink)");
	err = vfr_vif_name_parse(p->tok.text, p->tok.len, vif, &why);
	if (err == -VFR_EINVAL)
		return expected(p, "a VIF name (vifD.N or uplink)");
	if (err)
		return error_at(p, &p->tok, why);
	advance(p);
	return 0;
}

static int parse_dir(struct parser *p, enum vfr_dir *dir)
{
	if (accept_word(p, "in"))
		*dir = VFR_DIR_IN;
	else if (accept_word(p, "out"))
		*dir = VFR_DIR_OUT;
	else
		return expected(p, "'in' or 'out'");
	return 0;
}

static int parse_chain(struct parser *p, vfr_vif_id_t *vif, enum vfr_dir *dir)
{
	return parse_vif(p, vif) || parse_dir(p, dir) ? -1 : 0;
}

/* Claim a match field that may appear once. */
static int claim(struct parser *p, struct rule_ctx *c, uint32_t bit,
		 const struct vfr_token *at)
{
	if (c->r.match.fields & bit)
		return error3(p, at, "duplicate ", at, " match");
	c->r.match.fields |= bit;
	return 0;
}

static int set_family(struct parser *p, struct rule_ctx *c, uint8_t family,
		      const struct vfr_token *at)
{
	struct vfr_match *m = &c->r.match;

	if (m->fields & VFR_MATCH_ETHERTYPE)
		return error3(p, at, "", at, " conflicts with the rule's "
			      "'ether type'");
	if ((m->fields & VFR_MATCH_FAMILY) && m->family != family)
		return error3(p, at, "", at, family == VFR_AF_INET ?
			      " conflicts with the rule's IPv6 match" :
			      " conflicts with the rule's IPv4 match");
	m->fields |= VFR_MATCH_FAMILY;
	m->family = family;
	return 0;
}

static int set_proto(struct parser *p, struct rule_ctx *c, uint8_t proto,
		     const struct vfr_token *at)
{
	struct vfr_match *m = &c->r.match;

	if (m->fields & VFR_MATCH_ETHERTYPE)
		return error3(p, at, "", at, " conflicts with the rule's "
			      "'ether type'");
	if ((m->fields & VFR_MATCH_PROTO) && m->proto != proto)
		return error3(p, at, "", at, " conflicts with the rule's "
			      "protocol match");
	m->fields |= VFR_MATCH_PROTO;
	m->proto = proto;
	return 0;
}

static int parse_named(struct parser *p, const struct vfr_rulelang_name *names,
		       const char *what, uint32_t max, uint32_t *out)
{
	const struct vfr_rulelang_name *n;

	if (p->tok.kind != VFR_TOK_WORD)
		return expected(p, what);
	for (n = names; n && n->name; n++)
		if (vfr_tok_is(&p->tok, n->name)) {
			*out = n->value;
			advance(p);
			return 0;
		}
	if (p->tok.text[0] < '0' || p->tok.text[0] > '9')
		return error3(p, &p->tok, "unknown ", &p->tok, NULL);
	return parse_number(p, what, max, out);
}

static int parse_prefix(struct parser *p, uint8_t family,
			struct vfr_prefix *pfx)
{
	const struct vfr_token at = p->tok;
	uint8_t max = family == VFR_AF_INET ? 32 : 128;
	uint32_t len = max;
	bool ok;

	memset(pfx, 0, sizeof(*pfx));
	pfx->addr.family = family;
	if (at.kind != VFR_TOK_WORD)
		return expected(p, family == VFR_AF_INET ? "an IPv4 address" :
				"an IPv6 address");
	ok = family == VFR_AF_INET ?
	     vfr_parse_ipv4(at.text, at.len, pfx->addr.b) :
	     vfr_parse_ipv6(at.text, at.len, pfx->addr.b);
	if (!ok)
		return error3(p, &at, family == VFR_AF_INET ?
			      "invalid IPv4 address " : "invalid IPv6 address ",
			      &at, NULL);
	advance(p);
	if (p->tok.kind == VFR_TOK_SLASH) {
		advance(p);
		if (p->tok.kind != VFR_TOK_WORD)
			return expected(p, "a prefix length");
		if (!vfr_parse_u32(p->tok.text, p->tok.len, max, false, &len))
			return error3(p, &p->tok, "invalid prefix length ",
				      &p->tok, family == VFR_AF_INET ?
				      " (0..32)" : " (0..128)");
		advance(p);
	}
	pfx->len = (uint8_t)len;
	{
		struct vfr_rule probe;

		vfr_rule_init(&probe);
		probe.match.fields = VFR_MATCH_FAMILY | VFR_MATCH_SRC_IP;
		probe.match.family = family;
		probe.match.src_ip = *pfx;
		if (vfr_rule_validate(&probe))
			return error3(p, &at, "address ", &at, " has bits set "
				      "past the prefix length");
	}
	return 0;
}

static int parse_ports(struct parser *p, struct vfr_port_range *r)
{
	const struct vfr_token at = p->tok;
	uint32_t lo, hi, dash;

	if (at.kind != VFR_TOK_WORD || at.text[0] < '0' || at.text[0] > '9')
		return expected(p, "port or range");
	for (dash = 0; dash < at.len && at.text[dash] != '-'; dash++)
		;
	if (!vfr_parse_u32(at.text, dash, 65535, false, &lo))
		return error3(p, &at, "invalid port or range ", &at,
			      " (ports are 0..65535)");
	hi = lo;
	if (dash < at.len &&
	    !vfr_parse_u32(at.text + dash + 1, at.len - dash - 1, 65535,
			   false, &hi))
		return error3(p, &at, "invalid port or range ", &at,
			      " (ports are 0..65535)");
	if (lo > hi)
		return error3(p, &at, "empty port range ", &at,
			      " (low end above high end)");
	r->lo = (uint16_t)lo;
	r->hi = (uint16_t)hi;
	advance(p);
	return 0;
}

/* name{,name} or "none"; the bits in TCP header order. */
static int parse_flag_list(struct parser *p, uint8_t *bits)
{
	*bits = 0;
	if (accept_word(p, "none"))
		return 0;
	for (;;) {
		int i;

		if (p->tok.kind != VFR_TOK_WORD)
			return expected(p, "a TCP flag name");
		for (i = 0; i < 8; i++)
			if (vfr_tok_is(&p->tok, vfr_rulelang_tcp_flags[i]))
				break;
		if (i == 8)
			return error3(p, &p->tok, "unknown TCP flag ", &p->tok,
				      " (fin syn rst psh ack urg ecn cwr)");
		*bits |= (uint8_t)(1u << i);
		advance(p);
		if (p->tok.kind != VFR_TOK_COMMA)
			return 0;
		advance(p);
	}
}

static int parse_tcp_flags(struct parser *p, struct rule_ctx *c)
{
	struct vfr_match *m = &c->r.match;
	const struct vfr_token at = p->tok;
	bool exact = accept_word(p, "==");

	if (parse_flag_list(p, &m->tcp_flags_value))
		return -1;
	m->tcp_flags_mask = exact ? 0xff : m->tcp_flags_value;
	if (!exact && p->tok.kind == VFR_TOK_SLASH) {
		advance(p);
		if (parse_flag_list(p, &m->tcp_flags_mask))
			return -1;
	}
	if (!m->tcp_flags_mask)
		return error_at(p, &at, "tcp flags: the mask is empty");
	if (m->tcp_flags_value & ~m->tcp_flags_mask)
		return error_at(p, &at, "tcp flags: value has flags outside "
				"the mask");
	return 0;
}

/* tcp|udp sport|dport|flags ... */
static int parse_l4_ports(struct parser *p, struct rule_ctx *c, uint8_t proto)
{
	const struct vfr_token kw = p->prev;
	struct vfr_match *m = &c->r.match;
	const struct vfr_token at = p->tok;

	if (set_proto(p, c, proto, &kw))
		return -1;
	if (accept_word(p, "sport"))
		return (claim(p, c, VFR_MATCH_SRC_PORT, &at) ||
		       parse_ports(p, &m->sport)) ? -1 : 0;
	if (accept_word(p, "dport"))
		return (claim(p, c, VFR_MATCH_DST_PORT, &at) ||
		       parse_ports(p, &m->dport)) ? -1 : 0;
	if (proto == VFR_PROTO_TCP && accept_word(p, "flags"))
		return (claim(p, c, VFR_MATCH_TCP_FLAGS, &at) ||
		       parse_tcp_flags(p, c)) ? -1 : 0;
	return expected(p, proto == VFR_PROTO_TCP ? "'sport', 'dport' or "
			"'flags'" : "'sport' or 'dport'");
}

static int parse_icmp(struct parser *p, struct rule_ctx *c, uint8_t family)
{
	const struct vfr_token kw = p->prev, at = p->tok;
	struct vfr_match *m = &c->r.match;
	uint32_t v;

	if (set_family(p, c, family, &kw) ||
	    set_proto(p, c, family == VFR_AF_INET ? VFR_PROTO_ICMP :
		      VFR_PROTO_ICMPV6, &kw))
		return -1;
	if (accept_word(p, "type")) {
		if (claim(p, c, VFR_MATCH_ICMP_TYPE, &at) ||
		    parse_named(p, family == VFR_AF_INET ? vfr_rulelang_icmp_types :
				vfr_rulelang_icmpv6_types, "an ICMP type", 255, &v))
			return -1;
		m->icmp_type = (uint8_t)v;
		return 0;
	}
	if (accept_word(p, "code")) {
		if (claim(p, c, VFR_MATCH_ICMP_CODE, &at) ||
		    parse_number(p, "an ICMP code (0..255)", 255, &v))
			return -1;
		m->icmp_code = (uint8_t)v;
		return 0;
	}
	return expected(p, "'type' or 'code'");
}

/* ip|ip6 saddr|daddr|protocol|nexthdr ... */
static int parse_ip(struct parser *p, struct rule_ctx *c, uint8_t family)
{
	const struct vfr_token kw = p->prev, at = p->tok;
	struct vfr_match *m = &c->r.match;
	uint32_t v;

	if (set_family(p, c, family, &kw))
		return -1;
	if (accept_word(p, "saddr"))
		return (claim(p, c, VFR_MATCH_SRC_IP, &at) ||
		       parse_prefix(p, family, &m->src_ip)) ? -1 : 0;
	if (accept_word(p, "daddr"))
		return (claim(p, c, VFR_MATCH_DST_IP, &at) ||
		       parse_prefix(p, family, &m->dst_ip)) ? -1 : 0;
	if (accept_word(p, family == VFR_AF_INET ? "protocol" : "nexthdr")) {
		if (parse_named(p, vfr_rulelang_protocols, "a protocol", 255, &v))
			return -1;
		return set_proto(p, c, (uint8_t)v, &p->prev);
	}
	return expected(p, family == VFR_AF_INET ?
			"'saddr', 'daddr' or 'protocol'" :
			"'saddr', 'daddr' or 'nexthdr'");
}

static int parse_ether(struct parser *p, struct rule_ctx *c)
{
	const struct vfr_token at = p->tok;
	struct vfr_match *m = &c->r.match;
	static const struct vfr_rulelang_name types[] = {
		{ "ip", VFR_ETHERTYPE_IPV4 }, { "ip6", VFR_ETHERTYPE_IPV6 },
		{ "arp", VFR_ETHERTYPE_ARP }, { "vlan", VFR_ETHERTYPE_VLAN },
		{ NULL, 0 }
	};
	const struct vfr_rulelang_name *n;
	struct vfr_mac *mac;
	uint32_t v;

	if (accept_word(p, "saddr") || accept_word(p, "daddr")) {
		bool src = at.text[0] == 's';

		mac = src ? &m->src_mac : &m->dst_mac;
		if (claim(p, c, src ? VFR_MATCH_SRC_MAC : VFR_MATCH_DST_MAC, &at))
			return -1;
		if (p->tok.kind != VFR_TOK_WORD)
			return expected(p, "a MAC address");
		if (!vfr_parse_mac(p->tok.text, p->tok.len, mac))
			return error3(p, &p->tok, "invalid MAC address ",
				      &p->tok, " (want xx:xx:xx:xx:xx:xx)");
		advance(p);
		return 0;
	}
	if (!accept_word(p, "type"))
		return expected(p, "'saddr', 'daddr' or 'type'");
	if (p->tok.kind != VFR_TOK_WORD)
		return expected(p, "an ethertype");
	for (n = types; n->name && !vfr_tok_is(&p->tok, n->name); n++)
		;
	if (n->name)
		v = n->value;
	else if (!vfr_parse_u32(p->tok.text, p->tok.len, 0xffff, true, &v))
		return error3(p, &p->tok, "invalid ethertype ", &p->tok,
			      " (a name or 0x0000..0xffff)");
	advance(p);
	if (v == VFR_ETHERTYPE_IPV4 || v == VFR_ETHERTYPE_IPV6)
		return set_family(p, c, v == VFR_ETHERTYPE_IPV4 ? VFR_AF_INET :
				  VFR_AF_INET6, &at);
	if (m->fields & (VFR_MATCH_FAMILY | VFR_MATCH_PROTO))
		return error_at(p, &at, "'ether type' conflicts with the "
				"rule's IP match");
	if (claim(p, c, VFR_MATCH_ETHERTYPE, &at))
		return -1;
	m->ethertype = (uint16_t)v;
	return 0;
}

static int parse_meta(struct parser *p, struct rule_ctx *c)
{
	uint32_t v;

	if (accept_word(p, "l4proto")) {
		if (parse_named(p, vfr_rulelang_protocols, "a protocol", 255, &v))
			return -1;
		return set_proto(p, c, (uint8_t)v, &p->prev);
	}
	if (!accept_word(p, "nfproto"))
		return expected(p, "'l4proto' or 'nfproto'");
	if (accept_word(p, "ipv4"))
		return set_family(p, c, VFR_AF_INET, &p->prev);
	if (accept_word(p, "ipv6"))
		return set_family(p, c, VFR_AF_INET6, &p->prev);
	return expected(p, "'ipv4' or 'ipv6'");
}

static int parse_iface(struct parser *p, struct rule_ctx *c, bool in)
{
	const struct vfr_token at = p->prev;

	if (claim(p, c, in ? VFR_MATCH_IIF : VFR_MATCH_OIF, &at))
		return -1;
	return parse_vif(p, in ? &c->r.match.iif : &c->r.match.oif);
}

/* One match; 1 when the current token starts none. */
static int parse_match(struct parser *p, struct rule_ctx *c)
{
	if (accept_word(p, "iif"))
		return parse_iface(p, c, true);
	if (accept_word(p, "oif"))
		return parse_iface(p, c, false);
	if (accept_word(p, "ether"))
		return parse_ether(p, c);
	if (accept_word(p, "ip"))
		return parse_ip(p, c, VFR_AF_INET);
	if (accept_word(p, "ip6"))
		return parse_ip(p, c, VFR_AF_INET6);
	if (accept_word(p, "meta"))
		return parse_meta(p, c);
	if (accept_word(p, "tcp"))
		return parse_l4_ports(p, c, VFR_PROTO_TCP);
	if (accept_word(p, "udp"))
		return parse_l4_ports(p, c, VFR_PROTO_UDP);
	if (accept_word(p, "icmp"))
		return parse_icmp(p, c, VFR_AF_INET);
	if (accept_word(p, "icmpv6"))
		return parse_icmp(p, c, VFR_AF_INET6);
	return 1;
}

static int parse_limit(struct parser *p, struct rule_ctx *c)
{
	struct vfr_action *a = &c->r.action;
	uint32_t u;

	if (expect_word(p, "rate"))
		return -1;
	a->limit_over = accept_word(p, "over");
	if (parse_number(p, "a rate (1..1000000)", VFR_LIMIT_RATE_MAX,
			 &a->limit_rate))
		return -1;
	if (!a->limit_rate)
		return error_at(p, &p->prev, "limit rate must be at least 1");
	if (p->tok.kind != VFR_TOK_SLASH)
		return expected(p, "'/second', '/minute' or '/hour'");
	advance(p);
	for (u = VFR_LIMIT_SECOND; u <= VFR_LIMIT_HOUR; u++)
		if (accept_word(p, vfr_rulelang_limit_units[u]))
			break;
	if (u > VFR_LIMIT_HOUR)
		return expected(p, "'second', 'minute' or 'hour'");
	a->limit_unit = (uint8_t)u;
	a->limit_burst = 5;
	if (!accept_word(p, "burst"))
		return 0;
	if (parse_number(p, "a burst (1..1000000)", VFR_LIMIT_BURST_MAX,
			 &a->limit_burst))
		return -1;
	if (!a->limit_burst)
		return error_at(p, &p->prev, "limit burst must be at least 1");
	return expect_word(p, "packets");
}

static int parse_log(struct parser *p, struct rule_ctx *c)
{
	struct vfr_action *a = &c->r.action;
	uint32_t i;

	a->log = 1;
	if (!accept_word(p, "prefix"))
		return 0;
	if (p->tok.kind != VFR_TOK_STRING)
		return expected(p, "a quoted string");
	if (p->tok.len >= VFR_LOG_PREFIX_MAX)
		return error_at(p, &p->tok, "log prefix longer than 47 characters");
	for (i = 0; i < p->tok.len; i++)
		if (p->tok.text[i] == '\\')
			return error_at(p, &p->tok, "log prefix may not "
					"contain '\\'");
	memcpy(a->log_prefix, p->tok.text, p->tok.len);
	advance(p);
	return 0;
}

static int parse_counter(struct parser *p)
{
	uint32_t ignored;

	if (!accept_word(p, "packets"))
		return 0;
	/* values of a listing are informational: counters carry by handle */
	if (parse_number(p, "a packet count", 0xffffffffu, &ignored) ||
	    expect_word(p, "bytes"))
		return -1;
	if (p->tok.kind != VFR_TOK_WORD || p->tok.len > 20)
		return expected(p, "a byte count");
	advance(p);
	return 0;
}

/* One action or the verdict; 1 when the current token starts none. */
static int parse_action(struct parser *p, struct rule_ctx *c)
{
	const struct vfr_token at = p->tok;
	bool *seen = NULL;
	uint32_t v;

	if (vfr_tok_is(&at, "counter"))
		seen = &c->counter;
	else if (vfr_tok_is(&at, "log"))
		seen = &c->log;
	else if (vfr_tok_is(&at, "limit"))
		seen = &c->limit;
	if (seen) {
		if (*seen)
			return error3(p, &at, "duplicate ", &at, " statement");
		*seen = true;
		advance(p);
		return at.text[0] == 'c' ? parse_counter(p) :
		       at.text[0] == 'l' && at.text[1] == 'o' ?
		       parse_log(p, c) : parse_limit(p, c);
	}
	for (v = VFR_RULE_ACCEPT; v <= VFR_RULE_REJECT; v++)
		if (accept_word(p, vfr_rulelang_verdicts[v])) {
			c->r.action.verdict = (uint8_t)v;
			c->verdict = true;
			return 0;
		}
	return 1;
}

/* MATCH... ACTION... [VERDICT], up to the end of the line. */
static int parse_rule(struct parser *p, struct rule_ctx *c)
{
	const struct vfr_token start = p->tok;
	int r;

	memset(c, 0, sizeof(*c));
	vfr_rule_init(&c->r);
	do {
		r = parse_match(p, c);
		if (r > 0)
			r = parse_action(p, c);
	} while (r == 0 && !c->verdict && !p->failed);
	if (r < 0 || p->failed)
		return -1;
	if (p->tok.kind == VFR_TOK_WORD && !c->verdict)
		return error3(p, &p->tok, "unknown match or action ", &p->tok,
			      NULL);
	if (!c->r.match.fields && !c->counter && !c->log && !c->limit &&
	    !c->verdict)
		return error_at(p, &start, "empty rule: give a match, an "
				"action or a verdict");
	return 0;
}

/* Report the ruleset's reason for a failed edit at token t. */
static int apply_error(struct parser *p, const struct vfr_token *t, int err)
{
	if (!err)
		return 0;
	return error_at(p, t, p->rs->error ? p->rs->error : "edit failed");
}

/* add|insert|replace rule VIF DIR [position H | handle H] RULE */
static int parse_rule_stmt(struct parser *p, const struct vfr_token *kw)
{
	bool add = kw->text[0] == 'a', replace = kw->text[0] == 'r';
	enum vfr_rule_place place = add ? VFR_PLACE_END : VFR_PLACE_START;
	uint32_t ref = 0, want = 0;
	struct vfr_token at;
	struct rule_ctx c;
	vfr_vif_id_t vif;
	enum vfr_dir dir;

	if (expect_word(p, "rule") || parse_chain(p, &vif, &dir))
		return -1;
	at = p->tok;
	if (!replace && accept_word(p, "position")) {
		if (parse_number(p, "a rule handle", 0xfffffffeu, &ref))
			return -1;
		place = add ? VFR_PLACE_AFTER : VFR_PLACE_BEFORE;
	} else if ((add || replace) && accept_word(p, "handle")) {
		if (parse_number(p, "a rule handle", 0xfffffffeu, &want))
			return -1;
		if (!want)
			return error_at(p, &p->prev, "handle 0 is the chain's "
					"policy, not a rule");
	} else if (replace) {
		return expected(p, "'handle'");
	}
	if (parse_rule(p, &c))
		return -1;
	if (replace)
		return apply_error(p, &at, vfr_ruleset_replace(p->rs, vif, dir,
							      want, &c.r));
	return apply_error(p, &at, vfr_ruleset_add(p->rs, vif, dir, &c.r, place,
						  ref, want, NULL));
}

static int parse_delete(struct parser *p)
{
	struct vfr_token at;
	vfr_vif_id_t vif;
	enum vfr_dir dir;
	uint32_t h;

	if (expect_word(p, "rule") || parse_chain(p, &vif, &dir) ||
	    expect_word(p, "handle"))
		return -1;
	at = p->tok;
	if (parse_number(p, "a rule handle", 0xfffffffeu, &h))
		return -1;
	return apply_error(p, &at, vfr_ruleset_delete(p->rs, vif, dir, h));
}

static int parse_policy(struct parser *p)
{
	const struct vfr_token at = p->tok;
	vfr_vif_id_t vif;
	enum vfr_dir dir;
	uint8_t policy;

	if (parse_chain(p, &vif, &dir))
		return -1;
	if (accept_word(p, "accept"))
		policy = VFR_RULE_ACCEPT;
	else if (accept_word(p, "drop"))
		policy = VFR_RULE_DROP;
	else
		return expected(p, "'accept' or 'drop'");
	return apply_error(p, &at, vfr_ruleset_set_policy(p->rs, vif, dir,
							 policy));
}

static int parse_flush(struct parser *p)
{
	const struct vfr_token at = p->tok;
	vfr_vif_id_t vif;
	enum vfr_dir dir;

	if (accept_word(p, "ruleset"))
		return apply_error(p, &at, vfr_ruleset_flush_all(p->rs));
	if (accept_word(p, "vif")) {
		const struct vfr_token v = p->tok;

		if (parse_vif(p, &vif))
			return -1;
		return apply_error(p, &v, vfr_ruleset_flush_vif(p->rs, vif));
	}
	if (accept_word(p, "chain")) {
		const struct vfr_token v = p->tok;

		if (parse_chain(p, &vif, &dir))
			return -1;
		return apply_error(p, &v, vfr_ruleset_flush_chain(p->rs, vif,
								 dir));
	}
	return expected(p, "'ruleset', 'vif' or 'chain'");
}

static int parse_statement(struct parser *p)
{
	const struct vfr_token kw = p->tok;
	int r;

	if (kw.kind != VFR_TOK_WORD)
		return error3(p, &kw, "expected a statement, not ", &kw, NULL);
	advance(p);
	if (vfr_tok_is(&kw, "add") || vfr_tok_is(&kw, "insert") ||
	    vfr_tok_is(&kw, "replace"))
		r = parse_rule_stmt(p, &kw);
	else if (vfr_tok_is(&kw, "delete"))
		r = parse_delete(p);
	else if (vfr_tok_is(&kw, "policy"))
		r = parse_policy(p);
	else if (vfr_tok_is(&kw, "flush"))
		r = parse_flush(p);
	else
		return error3(p, &kw, "unknown statement ", &kw, " (add, "
			      "insert, replace, delete, policy, flush)");
	if (r || p->failed)
		return -1;
	if (p->tok.kind != VFR_TOK_NEWLINE && p->tok.kind != VFR_TOK_EOF)
		return error3(p, &p->tok, "unexpected ", &p->tok,
			      p->prev.kind == VFR_TOK_WORD &&
			      (vfr_tok_is(&p->prev, "accept") ||
			       vfr_tok_is(&p->prev, "drop") ||
			       vfr_tok_is(&p->prev, "reject")) ?
			      " after the verdict" : " (expected end of line)");
	return 0;
}

int vfr_rulelang_load(struct vfr_ruleset *rs, const char *text, size_t len,
		      unsigned flags, struct vfr_rulelang_error *err)
{
	struct parser p;
	int r;

	memset(err, 0, sizeof(*err));
	memset(&p, 0, sizeof(p));
	p.rs = rs;
	p.err = err;
	r = vfr_ruleset_begin(rs);
	if (r) {
		error_at(&p, &p.tok, rs->error);
		return r;
	}
	vfr_lex_init(&p.lx, text, len);
	vfr_lex_next(&p.lx, &p.tok);
	while (p.tok.kind != VFR_TOK_EOF) {
		if (p.tok.kind == VFR_TOK_NEWLINE) {
			advance(&p);
			continue;
		}
		if (parse_statement(&p)) {
			vfr_ruleset_abort(rs);
			return -VFR_EINVAL;
		}
	}
	if (flags & VFR_RULELANG_CHECK_ONLY) {
		vfr_ruleset_abort(rs);
		return 0;
	}
	r = vfr_ruleset_commit(rs);
	if (r) {
		struct vfr_sbuf sb;

		vfr_sbuf_init(&sb, err->msg, sizeof(err->msg));
		vfr_sbuf_puts(&sb, "commit failed: ");
		vfr_sbuf_puts(&sb, rs->error ? rs->error : "unknown reason");
	}
	return r;
}
