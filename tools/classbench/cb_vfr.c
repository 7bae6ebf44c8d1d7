/*
 * cb_vfr.c - ClassBench rules and headers in the VFR's types (see cb_vfr.h).
 */
#include "cb_vfr.h"

#include <string.h>

static void ipv4(struct vfr_ip *ip, uint32_t addr)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = VFR_AF_INET;
	ip->b[0] = (uint8_t)(addr >> 24);
	ip->b[1] = (uint8_t)(addr >> 16);
	ip->b[2] = (uint8_t)(addr >> 8);
	ip->b[3] = (uint8_t)addr;
}

static bool whole_range(uint16_t lo, uint16_t hi)
{
	return lo == 0 && hi == 65535;
}

int cb_vfr_rule(const struct cb_rule *cb, struct vfr_rule *rule,
		const char **why)
{
	struct vfr_match *m = &rule->match;
	bool ports = !whole_range(cb->src_port_lo, cb->src_port_hi) ||
		     !whole_range(cb->dst_port_lo, cb->dst_port_hi);

	if (ports && (cb->proto_mask != 0xff ||
		      (cb->proto != VFR_PROTO_TCP && cb->proto != VFR_PROTO_UDP))) {
		*why = "port range without TCP or UDP";
		return -1;
	}
	vfr_rule_init(rule);
	m->fields = VFR_MATCH_FAMILY;
	m->family = VFR_AF_INET;
	if (cb->src_len) {
		m->fields |= VFR_MATCH_SRC_IP;
		ipv4(&m->src_ip.addr, cb->src_ip);
		m->src_ip.len = cb->src_len;
	}
	if (cb->dst_len) {
		m->fields |= VFR_MATCH_DST_IP;
		ipv4(&m->dst_ip.addr, cb->dst_ip);
		m->dst_ip.len = cb->dst_len;
	}
	if (cb->proto_mask) {
		m->fields |= VFR_MATCH_PROTO;
		m->proto = cb->proto;
	}
	if (!whole_range(cb->src_port_lo, cb->src_port_hi)) {
		m->fields |= VFR_MATCH_SRC_PORT;
		m->sport.lo = cb->src_port_lo;
		m->sport.hi = cb->src_port_hi;
	}
	if (!whole_range(cb->dst_port_lo, cb->dst_port_hi)) {
		m->fields |= VFR_MATCH_DST_PORT;
		m->dport.lo = cb->dst_port_lo;
		m->dport.hi = cb->dst_port_hi;
	}
	rule->action.verdict = VFR_RULE_ACCEPT;
	*why = vfr_rule_validate(rule);
	return *why ? -1 : 0;
}

void cb_vfr_pkt(const struct cb_header *hdr, struct vfr_pkt *pkt)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->ethertype = VFR_ETHERTYPE_IPV4;
	ipv4(&pkt->src_ip, hdr->src_ip);
	ipv4(&pkt->dst_ip, hdr->dst_ip);
	pkt->proto = hdr->proto;
	pkt->ttl = 64;
	pkt->is_first_fragment = true;
	pkt->l3_off = 14;
	if (hdr->proto == VFR_PROTO_TCP || hdr->proto == VFR_PROTO_UDP) {
		pkt->l4_off = 34;
		pkt->has_ports = true;
		pkt->src_port = hdr->src_port;
		pkt->dst_port = hdr->dst_port;
	}
	if (hdr->proto == VFR_PROTO_ICMP) {
		pkt->l4_off = 34;
		pkt->has_icmp = true;
	}
}
