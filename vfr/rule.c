/*
 * rule.c - the rule model: validation, single-rule matching, VIF names/ids.
 *
 * Interface in rule.h.  Everything here is pure: no state, no allocation.
 * vfr_rule_match() is the one definition of what a rule means; the linear
 * reference and the leaves of the compiled classifier both call it, so the
 * two can only disagree about which rules they look at, never about a rule.
 */
#include "vfr_env.h"
#include "rule.h"

void vfr_rule_init(struct vfr_rule *r)
{
	memset(r, 0, sizeof(*r));
}

static bool mac_equal(const struct vfr_mac *a, const struct vfr_mac *b)
{
	return memcmp(a->b, b->b, VFR_ETH_ALEN) == 0;
}

static bool in_range(uint16_t v, const struct vfr_port_range *r)
{
	return v >= r->lo && v <= r->hi;
}

/* The L4 part: only reached when the rule has an L4 field. */
static bool match_l4(const struct vfr_match *m, const struct vfr_pkt *p)
{
	uint32_t f = m->fields;

	if (p->is_fragment && !p->is_first_fragment)
		return false;
	if (f & (VFR_MATCH_SRC_PORT | VFR_MATCH_DST_PORT | VFR_MATCH_TCP_FLAGS)) {
		if (!p->has_ports)
			return false;
		if ((f & VFR_MATCH_SRC_PORT) && !in_range(p->src_port, &m->sport))
			return false;
		if ((f & VFR_MATCH_DST_PORT) && !in_range(p->dst_port, &m->dport))
			return false;
		if ((f & VFR_MATCH_TCP_FLAGS) &&
		    (p->tcp_flags & m->tcp_flags_mask) != m->tcp_flags_value)
			return false;
	}
	if (f & (VFR_MATCH_ICMP_TYPE | VFR_MATCH_ICMP_CODE)) {
		if (!p->has_icmp)
			return false;
		if ((f & VFR_MATCH_ICMP_TYPE) && p->icmp_type != m->icmp_type)
			return false;
		if ((f & VFR_MATCH_ICMP_CODE) && p->icmp_code != m->icmp_code)
			return false;
	}
	return true;
}

bool vfr_rule_match(const struct vfr_rule *r, const struct vfr_pkt *p,
		    vfr_vif_id_t iif, vfr_vif_id_t oif)
{
	const struct vfr_match *m = &r->match;
	uint32_t f = m->fields;

	if ((f & VFR_MATCH_IIF) && m->iif != iif)
		return false;
	if ((f & VFR_MATCH_OIF) && m->oif != oif)
		return false;
	if ((f & VFR_MATCH_SRC_MAC) && !mac_equal(&m->src_mac, &p->src_mac))
		return false;
	if ((f & VFR_MATCH_DST_MAC) && !mac_equal(&m->dst_mac, &p->dst_mac))
		return false;
	if ((f & VFR_MATCH_ETHERTYPE) && p->ethertype != m->ethertype)
		return false;
	if ((f & VFR_MATCH_FAMILY) && p->src_ip.family != m->family)
		return false;
	if ((f & VFR_MATCH_SRC_IP) && !vfr_prefix_contains(&m->src_ip, &p->src_ip))
		return false;
	if ((f & VFR_MATCH_DST_IP) && !vfr_prefix_contains(&m->dst_ip, &p->dst_ip))
		return false;
	if ((f & VFR_MATCH_PROTO) &&
	    (p->src_ip.family == VFR_AF_NONE || p->proto != m->proto))
		return false;
	if (f & VFR_MATCH_L4_FIELDS)
		return match_l4(m, p);
	return true;
}

static const char *validate_prefix(const struct vfr_prefix *p, uint8_t family)
{
	static const uint8_t zero[16];

	if (p->addr.family != family)
		return "address family differs from the rule's";
	if (p->len > (family == VFR_AF_INET ? 32 : 128))
		return "prefix length out of range";
	if (!vfr_prefix_valid(p))
		return "address has bits set past the prefix length";
	/* An IPv4 address keeps b[4..16) zero so rules compare with memcmp. */
	if (family == VFR_AF_INET && memcmp(p->addr.b + 4, zero, 12))
		return "address has bits set past the prefix length";
	return NULL;
}

/* Family, prefixes, protocol: the L3 invariants. */
static const char *validate_l3(const struct vfr_match *m)
{
	const char *why;

	if ((m->fields & (VFR_MATCH_SRC_IP | VFR_MATCH_DST_IP)) &&
	    !(m->fields & VFR_MATCH_FAMILY))
		return "an address match needs the family set";
	if (m->fields & VFR_MATCH_FAMILY) {
		if (m->family != VFR_AF_INET && m->family != VFR_AF_INET6)
			return "family must be IPv4 or IPv6";
		if (m->fields & VFR_MATCH_ETHERTYPE)
			return "an IP family and an ethertype cannot both be matched";
	}
	if ((m->fields & VFR_MATCH_ETHERTYPE) &&
	    (m->ethertype == VFR_ETHERTYPE_IPV4 ||
	     m->ethertype == VFR_ETHERTYPE_IPV6))
		return "IP ethertypes are expressed as a family";
	if ((m->fields & VFR_MATCH_PROTO) && (m->fields & VFR_MATCH_ETHERTYPE))
		return "a protocol match needs IP, not another ethertype";
	if (m->fields & VFR_MATCH_SRC_IP) {
		why = validate_prefix(&m->src_ip, m->family);
		if (why)
			return why;
	}
	if (m->fields & VFR_MATCH_DST_IP)
		return validate_prefix(&m->dst_ip, m->family);
	return NULL;
}

static const char *validate_l4(const struct vfr_match *m)
{
	uint32_t f = m->fields;

	if ((f & (VFR_MATCH_SRC_PORT | VFR_MATCH_DST_PORT)) &&
	    (!(f & VFR_MATCH_PROTO) ||
	     (m->proto != VFR_PROTO_TCP && m->proto != VFR_PROTO_UDP)))
		return "ports need protocol tcp or udp";
	if ((f & VFR_MATCH_SRC_PORT) && m->sport.lo > m->sport.hi)
		return "source port range is empty";
	if ((f & VFR_MATCH_DST_PORT) && m->dport.lo > m->dport.hi)
		return "destination port range is empty";
	if ((f & VFR_MATCH_TCP_FLAGS) &&
	    (!(f & VFR_MATCH_PROTO) || m->proto != VFR_PROTO_TCP))
		return "tcp flags need protocol tcp";
	if ((f & VFR_MATCH_TCP_FLAGS) &&
	    ((m->tcp_flags_value & ~m->tcp_flags_mask) || !m->tcp_flags_mask))
		return "tcp flags value must lie inside a non-empty mask";
	if (f & (VFR_MATCH_ICMP_TYPE | VFR_MATCH_ICMP_CODE)) {
		bool v4 = m->proto == VFR_PROTO_ICMP && m->family == VFR_AF_INET;
		bool v6 = m->proto == VFR_PROTO_ICMPV6 &&
			  m->family == VFR_AF_INET6;

		if (!(f & VFR_MATCH_PROTO) || !(f & VFR_MATCH_FAMILY) ||
		    !(v4 || v6))
			return "icmp fields need icmp over ip or icmpv6 over ip6";
	}
	return NULL;
}

static const char *validate_action(const struct vfr_action *a)
{
	size_t i;

	if (a->verdict > VFR_RULE_REJECT)
		return "unknown verdict";
	if (a->log > 1 || a->limit_over > 1)
		return "log and limit_over are booleans";
	for (i = 0; i < VFR_LOG_PREFIX_MAX && a->log_prefix[i]; i++) {
		char ch = a->log_prefix[i];

		if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\')
			return "log prefix must be printable, without '\"' or '\\'";
	}
	if (i == VFR_LOG_PREFIX_MAX)
		return "log prefix too long";
	if (a->log_prefix[0] && !a->log)
		return "log prefix without log";
	if (a->limit_unit > VFR_LIMIT_HOUR)
		return "unknown limit unit";
	if (a->limit_unit == VFR_LIMIT_NONE)
		return (a->limit_rate || a->limit_burst || a->limit_over) ?
			"limit fields without a limit" : NULL;
	if (a->limit_rate < 1 || a->limit_rate > VFR_LIMIT_RATE_MAX)
		return "limit rate out of range";
	if (a->limit_burst < 1 || a->limit_burst > VFR_LIMIT_BURST_MAX)
		return "limit burst out of range";
	return NULL;
}

/* The bytes of a match that its absent fields must leave zero. */
static bool absent_fields_zero(const struct vfr_match *m)
{
	struct vfr_match z;

	memset(&z, 0, sizeof(z));
	z.fields = m->fields;
#define KEEP(bit, field) if (m->fields & (bit)) z.field = m->field
	KEEP(VFR_MATCH_IIF, iif);
	KEEP(VFR_MATCH_OIF, oif);
	KEEP(VFR_MATCH_SRC_MAC, src_mac);
	KEEP(VFR_MATCH_DST_MAC, dst_mac);
	KEEP(VFR_MATCH_ETHERTYPE, ethertype);
	KEEP(VFR_MATCH_FAMILY, family);
	KEEP(VFR_MATCH_SRC_IP, src_ip);
	KEEP(VFR_MATCH_DST_IP, dst_ip);
	KEEP(VFR_MATCH_PROTO, proto);
	KEEP(VFR_MATCH_SRC_PORT, sport);
	KEEP(VFR_MATCH_DST_PORT, dport);
	KEEP(VFR_MATCH_ICMP_TYPE, icmp_type);
	KEEP(VFR_MATCH_ICMP_CODE, icmp_code);
	KEEP(VFR_MATCH_TCP_FLAGS, tcp_flags_value);
	KEEP(VFR_MATCH_TCP_FLAGS, tcp_flags_mask);
#undef KEEP
	return memcmp(&z, m, sizeof(z)) == 0;
}

const char *vfr_rule_validate(const struct vfr_rule *r)
{
	const struct vfr_match *m = &r->match;
	const char *why;

	if (m->fields & ~VFR_MATCH_ALL)
		return "unknown match field";
	if (!absent_fields_zero(m))
		return "a field that is not matched is not zero";
	if ((m->fields & VFR_MATCH_IIF) && !vfr_vif_id_valid(m->iif))
		return "iif is not a VIF or the uplink";
	if ((m->fields & VFR_MATCH_OIF) && !vfr_vif_id_valid(m->oif))
		return "oif is not a VIF or the uplink";
	why = validate_l3(m);
	if (!why)
		why = validate_l4(m);
	if (!why)
		why = validate_action(&r->action);
	return why;
}

bool vfr_vif_id_valid(vfr_vif_id_t id)
{
	return id == VFR_VIF_UPLINK || (id >> 4) <= VFR_VIF_DOMID_MAX;
}

vfr_vif_id_t vfr_vif_id_make(uint32_t domid, uint32_t index)
{
	if (domid > VFR_VIF_DOMID_MAX || index > VFR_VIF_INDEX_MAX)
		return VFR_VIF_NONE;
	return (vfr_vif_id_t)(domid << 4 | index);
}

/* Decimal digits s[*pos..), no leading zero, at most 5; -1 if none. */
static int32_t parse_small(const char *s, size_t len, size_t *pos)
{
	size_t start = *pos;
	int32_t v = 0;

	while (*pos < len && s[*pos] >= '0' && s[*pos] <= '9' &&
	       *pos - start < 6) {
		v = v * 10 + (s[*pos] - '0');
		(*pos)++;
	}
	if (*pos == start || *pos - start > 5 ||
	    (s[start] == '0' && *pos - start > 1))
		return -1;
	return v;
}

int vfr_vif_name_parse(const char *s, size_t len, vfr_vif_id_t *id,
		       const char **why)
{
	size_t pos = 3;
	int32_t dom, idx;

	*why = "expected a VIF name (vifD.N or uplink)";
	if (len == 6 && memcmp(s, "uplink", 6) == 0) {
		*id = VFR_VIF_UPLINK;
		return 0;
	}
	if (len < 3 || memcmp(s, "vif", 3) != 0)
		return -VFR_EINVAL;
	dom = parse_small(s, len, &pos);
	if (dom < 0 || pos >= len || s[pos] != '.')
		return -VFR_EINVAL;
	pos++;
	idx = parse_small(s, len, &pos);
	if (idx < 0 || pos != len)
		return -VFR_EINVAL;
	if ((uint32_t)dom > VFR_VIF_DOMID_MAX) {
		*why = "VIF domain id out of range (0..4094)";
		return -VFR_ENOSPC;
	}
	if ((uint32_t)idx > VFR_VIF_INDEX_MAX) {
		*why = "VIF index out of range (0..15)";
		return -VFR_ENOSPC;
	}
	*id = vfr_vif_id_make((uint32_t)dom, (uint32_t)idx);
	*why = NULL;
	return 0;
}

static size_t put_uint(char *buf, uint32_t v)
{
	char tmp[10];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

size_t vfr_vif_name_format(vfr_vif_id_t id, char buf[VFR_VIF_NAME_MAX])
{
	size_t n;

	if (id == VFR_VIF_UPLINK) {
		memcpy(buf, "uplink", 7);
		return 6;
	}
	if (!vfr_vif_id_valid(id)) {
		memcpy(buf, "vif?", 5);
		return 4;
	}
	memcpy(buf, "vif", 3);
	n = 3 + put_uint(buf + 3, id >> 4);
	buf[n++] = '.';
	n += put_uint(buf + n, id & 15);
	buf[n] = '\0';
	return n;
}

uint64_t vfr_div_u64(uint64_t n, uint32_t d, uint32_t *rem)
{
	uint64_t q = 0, r = 0;
	int i;

	for (i = 63; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= (uint64_t)1 << i;
		}
	}
	if (rem)
		*rem = (uint32_t)r;
	return q;
}
