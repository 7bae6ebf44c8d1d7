/*
 * vif.c - the VIF table, VIF names, anti-spoofing and counters; see vif.h.
 *
 * The table is a plain array searched linearly: it holds one slot per guest
 * interface on the host (tens), so scanning for an id is a few compares.
 * Invariant: a slot with in_use set holds a config that passed
 * config_valid() and id == vfr_vif_id_make(cfg.domid, cfg.index); no two
 * used slots share an id (that is, a name) or a MAC.
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

static bool config_valid(const struct vfr_vif_config *cfg)
{
	uint8_t i;

	if (vfr_vif_id_make(cfg->domid, cfg->index) == VFR_VIF_NONE)
		return false;
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

int vfr_vif_add(struct vfr_vif_table *t, const struct vfr_vif_config *cfg,
		vfr_vif_id_t *id)
{
	vfr_vif_id_t new_id = vfr_vif_id_make(cfg->domid, cfg->index);
	uint16_t i;

	if (!config_valid(cfg))
		return -VFR_EINVAL;
	if (vfr_vif_get_const(t, new_id) ||
	    vfr_vif_lookup_mac(t, &cfg->mac) != VFR_VIF_NONE)
		return -VFR_EEXIST;
	for (i = 0; i < t->capacity; i++) {
		struct vfr_vif *v = &t->slots[i];

		if (v->in_use)
			continue;
		memset(v, 0, sizeof(*v));
		v->cfg = *cfg;
		v->id = new_id;
		v->in_use = true;
		t->count++;
		*id = new_id;
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
	uint16_t i;

	/* No slot holds VFR_VIF_UPLINK or VFR_VIF_NONE: config_valid(). */
	for (i = 0; i < t->capacity; i++)
		if (t->slots[i].in_use && t->slots[i].id == id)
			return &t->slots[i];
	return NULL;
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
			return t->slots[i].id;
	return VFR_VIF_NONE;
}

int vfr_vif_lookup_name(const struct vfr_vif_table *t, const char *name,
			size_t len, vfr_vif_id_t *out)
{
	const char *why;
	vfr_vif_id_t id;

	/* A name too large to encode names no VIF: not a VIF name here. */
	if (vfr_vif_name_parse(name, len, &id, &why))
		return -VFR_EINVAL;
	if (id != VFR_VIF_UPLINK && !vfr_vif_get_const(t, id))
		return -VFR_ENOENT;
	*out = id;
	return 0;
}

int vfr_vif_format_name(const struct vfr_vif_table *t, vfr_vif_id_t id,
			char *buf, size_t size)
{
	char name[VFR_VIF_NAME_MAX];
	size_t len;

	if (size)
		buf[0] = '\0';
	if (id != VFR_VIF_UPLINK && !vfr_vif_get_const(t, id))
		return -VFR_ENOENT;
	len = vfr_vif_name_format(id, name);
	if (len + 1 > size)
		return -VFR_ENOSPC;
	memcpy(buf, name, len + 1);
	return (int)len;
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
