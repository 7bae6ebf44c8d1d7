/*
 * vif.c - the VIF table, VIF names, anti-spoofing and counters; see vif.h.
 *
 * The table is a plain array searched linearly: it holds one slot per guest
 * interface on the host (tens), and the data path finds a VIF by id, which
 * is the slot index.  Invariant: a slot with in_use set holds a config that
 * passed config_valid(), and no two used slots share a name or a MAC.
 */
#include "vif.h"

#define ICMPV6_MLDV2_REPORT	143
#define ICMPV6_NEIGHBOUR_SOLICIT	135

static bool mac_is_multicast(const struct vfr_mac *mac)
{
	return mac->b[0] & 1;
}

static bool mac_is_zero(const struct vfr_mac *mac)
{
	static const struct vfr_mac zero;

	return !memcmp(mac->b, zero.b, VFR_ETH_ALEN);
}

static bool mac_equal(const struct vfr_mac *a, const struct vfr_mac *b)
{
	return !memcmp(a->b, b->b, VFR_ETH_ALEN);
}

static bool ip_is_zero(const struct vfr_ip *ip)
{
	static const uint8_t zero[16];

	return !memcmp(ip->b, zero, ip->family == VFR_AF_INET6 ? 16 : 4);
}

bool vfr_prefix_contains(const struct vfr_prefix *p, const struct vfr_ip *addr)
{
	uint8_t whole = p->len / 8, rest = p->len % 8;
	uint8_t mask;

	if (p->addr.family != addr->family)
		return false;
	if (memcmp(p->addr.b, addr->b, whole))
		return false;
	if (!rest)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return ((p->addr.b[whole] ^ addr->b[whole]) & mask) == 0;
}

bool vfr_prefix_valid(const struct vfr_prefix *p)
{
	uint8_t max = p->addr.family == VFR_AF_INET ? 32 : 128;
	struct vfr_ip zeroed = p->addr;
	unsigned int bit;

	if (p->addr.family != VFR_AF_INET && p->addr.family != VFR_AF_INET6)
		return false;
	if (p->len > max)
		return false;
	/* Host bits must be zero: clear them and compare. */
	for (bit = p->len; bit < max; bit++)
		zeroed.b[bit / 8] &= (uint8_t)~(0x80 >> (bit % 8));
	return !memcmp(zeroed.b, p->addr.b, max / 8);
}

static bool config_valid(const struct vfr_vif_config *cfg)
{
	uint8_t i;

	if (mac_is_multicast(&cfg->mac) || mac_is_zero(&cfg->mac))
		return false;
	if (cfg->n_addrs > VFR_VIF_MAX_ADDRS)
		return false;
	if (cfg->rx_mode != VFR_RX_FLIP && cfg->rx_mode != VFR_RX_COPY)
		return false;
	for (i = 0; i < cfg->n_addrs; i++)
		if (!vfr_prefix_valid(&cfg->addrs[i]))
			return false;
	return true;
}

int vfr_vif_table_init(struct vfr_vif_table *t, struct vfr_vif *slots,
		       uint16_t capacity)
{
	if (capacity > VFR_VIF_TABLE_MAX || (capacity && !slots))
		return -VFR_EINVAL;
	memset(t, 0, sizeof(*t));
	t->slots = slots;
	t->capacity = capacity;
	if (capacity)
		memset(slots, 0, (size_t)capacity * sizeof(*slots));
	return 0;
}

static vfr_vif_id_t lookup_domid_index(const struct vfr_vif_table *t,
				       uint16_t domid, uint8_t index)
{
	uint16_t i;

	for (i = 0; i < t->capacity; i++) {
		const struct vfr_vif *v = &t->slots[i];

		if (v->in_use && v->cfg.domid == domid && v->cfg.index == index)
			return i;
	}
	return VFR_VIF_NONE;
}

int vfr_vif_add(struct vfr_vif_table *t, const struct vfr_vif_config *cfg,
		vfr_vif_id_t *id)
{
	uint16_t i;

	if (!config_valid(cfg))
		return -VFR_EINVAL;
	if (lookup_domid_index(t, cfg->domid, cfg->index) != VFR_VIF_NONE ||
	    vfr_vif_lookup_mac(t, &cfg->mac) != VFR_VIF_NONE)
		return -VFR_EEXIST;
	for (i = 0; i < t->capacity; i++) {
		struct vfr_vif *v = &t->slots[i];

		if (v->in_use)
			continue;
		memset(v, 0, sizeof(*v));
		v->cfg = *cfg;
		v->in_use = true;
		t->count++;
		*id = i;
		return 0;
	}
	return -VFR_ENOSPC;
}

int vfr_vif_remove(struct vfr_vif_table *t, vfr_vif_id_t id)
{
	struct vfr_vif *v = vfr_vif_get(t, id);

	if (!v)
		return -VFR_ENOENT;
	memset(v, 0, sizeof(*v));
	t->count--;
	return 0;
}

const struct vfr_vif *vfr_vif_get_const(const struct vfr_vif_table *t,
					vfr_vif_id_t id)
{
	if (id >= t->capacity || !t->slots[id].in_use)
		return NULL;
	return &t->slots[id];
}

struct vfr_vif *vfr_vif_get(struct vfr_vif_table *t, vfr_vif_id_t id)
{
	/* The slots are the caller's mutable memory: dropping const is safe. */
	return (struct vfr_vif *)vfr_vif_get_const(t, id);
}

vfr_vif_id_t vfr_vif_lookup_mac(const struct vfr_vif_table *t,
				const struct vfr_mac *mac)
{
	uint16_t i;

	for (i = 0; i < t->capacity; i++)
		if (t->slots[i].in_use && mac_equal(&t->slots[i].cfg.mac, mac))
			return i;
	return VFR_VIF_NONE;
}

/*
 * A decimal number in s[*pos..len) no larger than max, without sign or
 * leading zeros.  Advances *pos past it; false if there is none.
 */
static bool parse_decimal(const char *s, size_t len, size_t *pos,
			  uint32_t max, uint32_t *out)
{
	size_t start = *pos;
	uint32_t v = 0;

	while (*pos < len && s[*pos] >= '0' && s[*pos] <= '9') {
		v = v * 10 + (uint32_t)(s[*pos] - '0');
		if (v > max)
			return false;
		(*pos)++;
	}
	if (*pos == start || (s[start] == '0' && *pos - start > 1))
		return false;
	*out = v;
	return true;
}

int vfr_vif_lookup_name(const struct vfr_vif_table *t, const char *name,
			size_t len, vfr_vif_id_t *out)
{
	uint32_t domid, index;
	size_t pos = 3;
	vfr_vif_id_t id;

	if (len == 6 && !memcmp(name, "uplink", 6)) {
		*out = VFR_VIF_UPLINK;
		return 0;
	}
	if (len < 3 || memcmp(name, "vif", 3))
		return -VFR_EINVAL;
	if (!parse_decimal(name, len, &pos, 0xffff, &domid))
		return -VFR_EINVAL;
	if (pos == len || name[pos++] != '.')
		return -VFR_EINVAL;
	if (!parse_decimal(name, len, &pos, 0xff, &index) || pos != len)
		return -VFR_EINVAL;
	id = lookup_domid_index(t, (uint16_t)domid, (uint8_t)index);
	if (id == VFR_VIF_NONE)
		return -VFR_ENOENT;
	*out = id;
	return 0;
}

/* Append the decimal digits of v to buf at *pos (buf is large enough). */
static void put_decimal(char *buf, size_t *pos, uint32_t v)
{
	char digits[10];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		buf[(*pos)++] = digits[--n];
}

int vfr_vif_format_name(const struct vfr_vif_table *t, vfr_vif_id_t id,
			char *buf, size_t size)
{
	char name[VFR_VIF_NAME_MAX];
	const struct vfr_vif *v;
	size_t pos = 0;

	if (size)
		buf[0] = '\0';
	if (id == VFR_VIF_UPLINK) {
		memcpy(name, "uplink", 6);
		pos = 6;
	} else {
		v = vfr_vif_get_const(t, id);
		if (!v)
			return -VFR_ENOENT;
		memcpy(name, "vif", 3);
		pos = 3;
		put_decimal(name, &pos, v->cfg.domid);
		name[pos++] = '.';
		put_decimal(name, &pos, v->cfg.index);
	}
	if (pos + 1 > size)
		return -VFR_ENOSPC;
	memcpy(buf, name, pos);
	buf[pos] = '\0';
	return (int)pos;
}

static bool ip_allowed(const struct vfr_vif_config *cfg,
		       const struct vfr_ip *ip)
{
	uint8_t i;

	for (i = 0; i < cfg->n_addrs; i++)
		if (vfr_prefix_contains(&cfg->addrs[i], ip))
			return true;
	return false;
}

/* fe80::/64 with the modified EUI-64 interface id of the VIF's MAC. */
static bool is_own_link_local(const struct vfr_vif_config *cfg,
			      const struct vfr_ip *ip)
{
	const uint8_t *m = cfg->mac.b;
	const uint8_t ll[16] = {
		0xfe, 0x80, 0, 0, 0, 0, 0, 0,
		(uint8_t)(m[0] ^ 0x02), m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5],
	};

	return !memcmp(ip->b, ll, 16);
}

static bool ipv6_source_allowed(const struct vfr_vif_config *cfg,
				const struct vfr_pkt *pkt)
{
	if (ip_is_zero(&pkt->src_ip))
		return pkt->has_icmp && pkt->proto == VFR_PROTO_ICMPV6 &&
		       (pkt->icmp_type == ICMPV6_NEIGHBOUR_SOLICIT ||
			pkt->icmp_type == ICMPV6_MLDV2_REPORT);
	return is_own_link_local(cfg, &pkt->src_ip) ||
	       ip_allowed(cfg, &pkt->src_ip);
}

bool vfr_vif_source_allowed(const struct vfr_vif *vif,
			    const struct vfr_pkt *pkt)
{
	const struct vfr_vif_config *cfg = &vif->cfg;

	if (cfg->spoof_check_off)
		return true;
	if (!mac_equal(&pkt->src_mac, &cfg->mac))
		return false;
	switch (pkt->ethertype) {
	case VFR_ETHERTYPE_ARP:
		if (!mac_equal(&pkt->arp_sender_mac, &cfg->mac))
			return false;
		return ip_is_zero(&pkt->arp_sender_ip) ||
		       ip_allowed(cfg, &pkt->arp_sender_ip);
	case VFR_ETHERTYPE_IPV4:
		if (ip_is_zero(&pkt->src_ip) && pkt->is_dhcp_client)
			return true;
		return ip_allowed(cfg, &pkt->src_ip);
	case VFR_ETHERTYPE_IPV6:
		return ipv6_source_allowed(cfg, pkt);
	default:
		return true;
	}
}

const struct vfr_counters *vfr_vif_counters(const struct vfr_vif_table *t,
					    vfr_vif_id_t id)
{
	const struct vfr_vif *v;

	if (id == VFR_VIF_UPLINK)
		return &t->uplink;
	v = vfr_vif_get_const(t, id);
	return v ? &v->counters : NULL;
}

void vfr_vif_count_frame(struct vfr_vif_table *t, vfr_vif_id_t id,
			 enum vfr_dir dir, uint32_t bytes)
{
	struct vfr_counters *c = (struct vfr_counters *)vfr_vif_counters(t, id);

	if (!c)
		return;
	if (dir == VFR_DIR_IN) {
		c->rx_packets++;
		c->rx_bytes += bytes;
	} else {
		c->tx_packets++;
		c->tx_bytes += bytes;
	}
}

void vfr_vif_count_drop(struct vfr_vif_table *t, vfr_vif_id_t id,
			enum vfr_drop_reason reason)
{
	struct vfr_counters *c = (struct vfr_counters *)vfr_vif_counters(t, id);

	if (c && (unsigned int)reason < VFR_DROP_REASON_COUNT)
		c->drops[reason]++;
}
