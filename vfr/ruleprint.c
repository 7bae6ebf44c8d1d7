/*
 * ruleprint.c - printer of the nft-like rule language.
 *
 * Interface in rulelang.h, canonical format in docs/vfr-rules.md.  The
 * printer writes one canonical spelling per rule (the order and implication
 * rules are in the docs), using the parser's spelling tables (rulelang.c),
 * so print(load(print(x))) == print(x).  Output goes through a struct
 * vfr_sbuf: like snprintf, the length needed is returned even when cap is
 * too small, and buf is never overrun.
 */
#include "vfr_env.h"
#include "rulelang.h"
#include "rulelex.h"

static void put_word(struct vfr_sbuf *sb, const char *w)
{
	if (sb->len)
		vfr_sbuf_putn(sb, " ", 1);
	vfr_sbuf_puts(sb, w);
}

static void put_named(struct vfr_sbuf *sb, const struct vfr_rulelang_name *t,
		      uint32_t v)
{
	const char *name = vfr_rulelang_name_of(t, v);

	vfr_sbuf_putn(sb, " ", 1);
	if (name)
		vfr_sbuf_puts(sb, name);
	else
		vfr_sbuf_put_u64(sb, v);
}

static void put_vif(struct vfr_sbuf *sb, vfr_vif_id_t vif)
{
	char name[VFR_VIF_NAME_MAX];

	vfr_vif_name_format(vif, name);
	put_word(sb, name);
}

static void put_prefix(struct vfr_sbuf *sb, const char *what,
		       const struct vfr_prefix *pfx)
{
	put_word(sb, what);
	vfr_sbuf_putn(sb, " ", 1);
	vfr_sbuf_put_ip(sb, &pfx->addr);
	if (pfx->len != (pfx->addr.family == VFR_AF_INET ? 32 : 128)) {
		vfr_sbuf_putn(sb, "/", 1);
		vfr_sbuf_put_u64(sb, pfx->len);
	}
}

static void put_ports(struct vfr_sbuf *sb, const char *what,
		      const struct vfr_port_range *r)
{
	put_word(sb, what);
	vfr_sbuf_putn(sb, " ", 1);
	vfr_sbuf_put_u64(sb, r->lo);
	if (r->hi != r->lo) {
		vfr_sbuf_putn(sb, "-", 1);
		vfr_sbuf_put_u64(sb, r->hi);
	}
}

static void put_flags(struct vfr_sbuf *sb, uint8_t bits)
{
	bool first = true;
	int i;

	vfr_sbuf_putn(sb, " ", 1);
	if (!bits)
		vfr_sbuf_puts(sb, "none");
	for (i = 0; i < 8; i++)
		if (bits & (1u << i)) {
			if (!first)
				vfr_sbuf_putn(sb, ",", 1);
			vfr_sbuf_puts(sb, vfr_rulelang_tcp_flags[i]);
			first = false;
		}
}

static void put_l2(struct vfr_sbuf *sb, const struct vfr_match *m)
{
	if (m->fields & VFR_MATCH_IIF) {
		put_word(sb, "iif");
		put_vif(sb, m->iif);
	}
	if (m->fields & VFR_MATCH_OIF) {
		put_word(sb, "oif");
		put_vif(sb, m->oif);
	}
	if (m->fields & VFR_MATCH_SRC_MAC) {
		put_word(sb, "ether saddr ");
		vfr_sbuf_put_mac(sb, &m->src_mac);
	}
	if (m->fields & VFR_MATCH_DST_MAC) {
		put_word(sb, "ether daddr ");
		vfr_sbuf_put_mac(sb, &m->dst_mac);
	}
	if (m->fields & VFR_MATCH_ETHERTYPE) {
		put_word(sb, "ether type");
		if (m->ethertype == VFR_ETHERTYPE_ARP) {
			vfr_sbuf_puts(sb, " arp");
		} else {
			vfr_sbuf_puts(sb, " 0x");
			vfr_sbuf_put_hex(sb, m->ethertype, 4);
		}
	}
}

/* Family, addresses and a protocol that no L4 match implies. */
static void put_l3(struct vfr_sbuf *sb, const struct vfr_match *m)
{
	uint32_t icmp = VFR_MATCH_ICMP_TYPE | VFR_MATCH_ICMP_CODE;
	bool v4 = m->family == VFR_AF_INET;
	uint8_t fam = (m->fields & VFR_MATCH_FAMILY) ? m->family : 0;
	bool proto_shown = (m->fields & VFR_MATCH_PROTO) &&
			   !(m->fields & (VFR_MATCH_SRC_PORT | VFR_MATCH_DST_PORT |
					  VFR_MATCH_TCP_FLAGS | icmp));
	bool fam_shown = (m->fields & (VFR_MATCH_SRC_IP | VFR_MATCH_DST_IP |
				       icmp)) || (proto_shown && fam);

	if (fam && !fam_shown)
		put_word(sb, v4 ? "meta nfproto ipv4" : "meta nfproto ipv6");
	if (m->fields & VFR_MATCH_SRC_IP)
		put_prefix(sb, v4 ? "ip saddr" : "ip6 saddr", &m->src_ip);
	if (m->fields & VFR_MATCH_DST_IP)
		put_prefix(sb, v4 ? "ip daddr" : "ip6 daddr", &m->dst_ip);
	if (proto_shown) {
		put_word(sb, !fam ? "meta l4proto" : v4 ? "ip protocol" :
			 "ip6 nexthdr");
		put_named(sb, vfr_rulelang_protocols, m->proto);
	}
}

static void put_l4(struct vfr_sbuf *sb, const struct vfr_match *m)
{
	bool tcp = m->proto == VFR_PROTO_TCP;
	bool v4 = m->family == VFR_AF_INET;

	if (m->fields & VFR_MATCH_SRC_PORT)
		put_ports(sb, tcp ? "tcp sport" : "udp sport", &m->sport);
	if (m->fields & VFR_MATCH_DST_PORT)
		put_ports(sb, tcp ? "tcp dport" : "udp dport", &m->dport);
	if (m->fields & VFR_MATCH_TCP_FLAGS) {
		put_word(sb, "tcp flags");
		if (m->tcp_flags_mask == 0xff) {
			vfr_sbuf_puts(sb, " ==");
			put_flags(sb, m->tcp_flags_value);
		} else {
			put_flags(sb, m->tcp_flags_value);
			if (m->tcp_flags_value != m->tcp_flags_mask) {
				vfr_sbuf_puts(sb, " /");
				put_flags(sb, m->tcp_flags_mask);
			}
		}
	}
	if (m->fields & VFR_MATCH_ICMP_TYPE) {
		put_word(sb, v4 ? "icmp type" : "icmpv6 type");
		put_named(sb, v4 ? vfr_rulelang_icmp_types : vfr_rulelang_icmpv6_types, m->icmp_type);
	}
	if (m->fields & VFR_MATCH_ICMP_CODE) {
		put_word(sb, v4 ? "icmp code " : "icmpv6 code ");
		vfr_sbuf_put_u64(sb, m->icmp_code);
	}
}

static void put_actions(struct vfr_sbuf *sb, const struct vfr_action *a,
			const struct vfr_rule_state *s)
{
	if (a->limit_unit != VFR_LIMIT_NONE) {
		put_word(sb, a->limit_over ? "limit rate over " : "limit rate ");
		vfr_sbuf_put_u64(sb, a->limit_rate);
		vfr_sbuf_putn(sb, "/", 1);
		vfr_sbuf_puts(sb, vfr_rulelang_limit_units[a->limit_unit]);
		vfr_sbuf_puts(sb, " burst ");
		vfr_sbuf_put_u64(sb, a->limit_burst);
		vfr_sbuf_puts(sb, " packets");
	}
	put_word(sb, "counter");
	if (s) {
		vfr_sbuf_puts(sb, " packets ");
		vfr_sbuf_put_u64(sb, s->packets);
		vfr_sbuf_puts(sb, " bytes ");
		vfr_sbuf_put_u64(sb, s->bytes);
	}
	if (a->log) {
		put_word(sb, "log");
		if (a->log_prefix[0]) {
			vfr_sbuf_puts(sb, " prefix \"");
			vfr_sbuf_puts(sb, a->log_prefix);
			vfr_sbuf_puts(sb, "\"");
		}
	}
	if (a->verdict >= VFR_RULE_ACCEPT && a->verdict <= VFR_RULE_REJECT)
		put_word(sb, vfr_rulelang_verdicts[a->verdict]);
}

static void put_rule(struct vfr_sbuf *sb, const struct vfr_rule *r,
		     const struct vfr_rule_state *s)
{
	put_l2(sb, &r->match);
	put_l3(sb, &r->match);
	put_l4(sb, &r->match);
	put_actions(sb, &r->action, s);
}

size_t vfr_rulelang_format_rule(const struct vfr_rule *r,
				const struct vfr_rule_state *state,
				char *buf, size_t cap)
{
	struct vfr_sbuf sb;

	vfr_sbuf_init(&sb, buf, cap);
	put_rule(&sb, r, state);
	return sb.len;
}

static void put_chain_head(struct vfr_sbuf *sb, const char *what,
			   const struct vfr_chain *c)
{
	vfr_sbuf_puts(sb, what);
	put_vif(sb, c->vif);
	vfr_sbuf_puts(sb, c->dir == VFR_DIR_IN ? " in" : " out");
}

size_t vfr_rulelang_print(const struct vfr_ruleset *rs, char *buf, size_t cap,
			  unsigned flags)
{
	const struct vfr_table *t = vfr_ruleset_active(rs);
	struct vfr_sbuf sb;
	uint32_t i, r;

	vfr_sbuf_init(&sb, buf, cap);
	vfr_sbuf_puts(&sb, "flush ruleset\n");
	for (i = 0; i < t->nchains; i++) {
		const struct vfr_chain *c = &t->chains[i];

		put_chain_head(&sb, "policy", c);
		vfr_sbuf_puts(&sb, c->policy == VFR_RULE_DROP ? " drop\n" :
			      " accept\n");
		for (r = c->first; r < c->first + c->count; r++) {
			put_chain_head(&sb, "add rule", c);
			vfr_sbuf_puts(&sb, " handle ");
			vfr_sbuf_put_u64(&sb, t->state[r].handle);
			put_rule(&sb, &t->rules[r],
				 (flags & VFR_RULELANG_COUNTERS) ?
				 &t->state[r] : NULL);
			vfr_sbuf_puts(&sb, "\n");
		}
	}
	return sb.len;
}
