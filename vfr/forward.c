/*
 * forward.c - the forwarding decision, MAC table and static routes; see
 * forward.h for the rules.
 *
 * Invariants: macs[] is mac_capacity / VFR_FWD_MAC_WAYS sets of
 * VFR_FWD_MAC_WAYS entries and a MAC is only ever stored in the set its
 * hash names, at most once; routes[0..n_routes) is sorted by prefix
 * length, longest first, so the first route that contains an address is
 * its longest-prefix match.  The clock is the caller's and may wrap: ages
 * are computed as now - seen in uint32_t.
 */
#include "forward.h"

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

int vfr_fwd_init(struct vfr_fwd *f, const struct vfr_vif_table *vifs,
		 struct vfr_fwd_mac_entry *macs, uint32_t mac_capacity,
		 struct vfr_fwd_route *routes, uint16_t route_capacity,
		 uint32_t mac_max_age)
{
	uint32_t i;

	if (mac_capacity < VFR_FWD_MAC_WAYS ||
	    (mac_capacity & (mac_capacity - 1)))
		return -VFR_EINVAL;
	memset(f, 0, sizeof(*f));
	f->vifs = vifs;
	f->copy_threshold = VFR_FWD_COPY_THRESHOLD;
	f->mac_max_age = mac_max_age;
	f->macs = macs;
	f->mac_capacity = mac_capacity;
	f->routes = routes;
	f->route_capacity = route_capacity;
	for (i = 0; i < mac_capacity; i++) {
		memset(&macs[i], 0, sizeof(macs[i]));
		macs[i].port = VFR_VIF_NONE;
	}
	return 0;
}

/* The first entry of the set this MAC hashes to. */
static struct vfr_fwd_mac_entry *mac_set(const struct vfr_fwd *f,
					 const struct vfr_mac *mac)
{
	const uint8_t *b = mac->b;
	uint32_t h = ((uint32_t)b[2] << 24 | (uint32_t)b[3] << 16 |
		      (uint32_t)b[4] << 8 | b[5]) ^ ((uint32_t)b[0] << 8 | b[1]);
	uint32_t sets = f->mac_capacity / VFR_FWD_MAC_WAYS;

	h *= 2654435761u;	/* Knuth's multiplicative hash */
	h ^= h >> 16;
	return &f->macs[(h & (sets - 1)) * VFR_FWD_MAC_WAYS];
}

static bool mac_entry_live(const struct vfr_fwd *f,
			   const struct vfr_fwd_mac_entry *e, uint32_t now)
{
	if (e->port == VFR_VIF_NONE)
		return false;
	return e->is_static || now - e->seen <= f->mac_max_age;
}

vfr_vif_id_t vfr_fwd_mac_lookup(const struct vfr_fwd *f,
				const struct vfr_mac *mac, uint32_t now)
{
	const struct vfr_fwd_mac_entry *set = mac_set(f, mac);
	int i;

	for (i = 0; i < VFR_FWD_MAC_WAYS; i++)
		if (mac_entry_live(f, &set[i], now) && mac_equal(&set[i].mac, mac))
			return set[i].port;
	return VFR_VIF_NONE;
}

/* The entry a new MAC may take: free, aged out, else the oldest learned. */
static struct vfr_fwd_mac_entry *mac_victim(struct vfr_fwd *f,
					    struct vfr_fwd_mac_entry *set,
					    uint32_t now)
{
	struct vfr_fwd_mac_entry *oldest = NULL;
	int i;

	for (i = 0; i < VFR_FWD_MAC_WAYS; i++) {
		struct vfr_fwd_mac_entry *e = &set[i];

		if (!mac_entry_live(f, e, now))
			return e;
		if (!e->is_static &&
		    (!oldest || now - e->seen > now - oldest->seen))
			oldest = e;
	}
	return oldest;
}

static int mac_insert(struct vfr_fwd *f, const struct vfr_mac *mac,
		      vfr_vif_id_t port, bool is_static, uint32_t now)
{
	struct vfr_fwd_mac_entry *set = mac_set(f, mac), *e = NULL;
	int i;

	for (i = 0; i < VFR_FWD_MAC_WAYS; i++)
		if (set[i].port != VFR_VIF_NONE && mac_equal(&set[i].mac, mac))
			e = &set[i];
	if (e && e->is_static && !is_static)
		return 0;
	if (!e)
		e = mac_victim(f, set, now);
	if (!e)
		return -VFR_ENOSPC;
	e->mac = *mac;
	e->port = port;
	e->is_static = is_static;
	e->seen = now;
	return 0;
}

int vfr_fwd_learn_vif(struct vfr_fwd *f, vfr_vif_id_t vif)
{
	const struct vfr_vif *v = vfr_vif_get_const(f->vifs, vif);

	if (!v)
		return -VFR_ENOENT;
	return mac_insert(f, &v->cfg.mac, vif, true, 0);
}

int vfr_fwd_learn_uplink(struct vfr_fwd *f, const struct vfr_pkt *pkt,
			 uint32_t now)
{
	const struct vfr_mac *src = &pkt->src_mac;

	if (mac_is_multicast(src) || mac_is_zero(src) ||
	    mac_equal(src, &f->router_mac))
		return 0;
	return mac_insert(f, src, VFR_VIF_UPLINK, false, now);
}

void vfr_fwd_forget_port(struct vfr_fwd *f, vfr_vif_id_t port)
{
	uint32_t i;
	uint16_t r = 0, w = 0;

	for (i = 0; i < f->mac_capacity; i++)
		if (f->macs[i].port == port)
			f->macs[i].port = VFR_VIF_NONE;
	for (r = 0; r < f->n_routes; r++)
		if (f->routes[r].port != port)
			f->routes[w++] = f->routes[r];
	f->n_routes = w;
}

static bool prefix_equal(const struct vfr_prefix *a, const struct vfr_prefix *b)
{
	return a->addr.family == b->addr.family && a->len == b->len &&
	       vfr_prefix_contains(a, &b->addr);
}

int vfr_fwd_route_add(struct vfr_fwd *f, const struct vfr_fwd_route *r)
{
	uint16_t i, at;

	if (!vfr_prefix_valid(&r->dst) || mac_is_multicast(&r->next_hop))
		return -VFR_EINVAL;
	if (r->port == VFR_VIF_UPLINK ? mac_is_zero(&r->next_hop) :
	    !vfr_vif_get_const(f->vifs, r->port))
		return -VFR_EINVAL;
	for (i = 0; i < f->n_routes; i++)
		if (prefix_equal(&f->routes[i].dst, &r->dst))
			return -VFR_EEXIST;
	if (f->n_routes == f->route_capacity)
		return -VFR_ENOSPC;
	for (at = 0; at < f->n_routes; at++)
		if (f->routes[at].dst.len < r->dst.len)
			break;
	memmove(&f->routes[at + 1], &f->routes[at],
		(size_t)(f->n_routes - at) * sizeof(*r));
	f->routes[at] = *r;
	f->n_routes++;
	return 0;
}

int vfr_fwd_route_remove(struct vfr_fwd *f, const struct vfr_prefix *dst)
{
	uint16_t i;

	for (i = 0; i < f->n_routes; i++) {
		if (!prefix_equal(&f->routes[i].dst, dst))
			continue;
		memmove(&f->routes[i], &f->routes[i + 1],
			(size_t)(f->n_routes - i - 1) * sizeof(f->routes[0]));
		f->n_routes--;
		return 0;
	}
	return -VFR_ENOENT;
}

/* Append a destination; delivery by the rules at the top of forward.h. */
static int add_dest(const struct vfr_fwd *f, const struct vfr_pkt *pkt,
		    vfr_vif_id_t port, struct vfr_fwd_decision *out)
{
	const struct vfr_vif *v = vfr_vif_get_const(f->vifs, port);
	struct vfr_fwd_dest *d;

	if (out->count == out->capacity) {
		out->count = 0;
		return -VFR_ENOSPC;
	}
	d = &out->dests[out->count++];
	d->port = port;
	d->delivery = VFR_DELIVER_COPY;
	if (v && v->cfg.rx_mode == VFR_RX_FLIP && pkt->len >= f->copy_threshold)
		d->delivery = VFR_DELIVER_FLIP;
	return 0;
}

static int flood(const struct vfr_fwd *f, const struct vfr_pkt *pkt,
		 vfr_vif_id_t from, struct vfr_fwd_decision *out)
{
	const struct vfr_vif_table *t = f->vifs;
	uint16_t i;
	int rc;

	for (i = 0; i < t->capacity; i++) {
		if (!t->slots[i].in_use || t->slots[i].id == from)
			continue;
		rc = add_dest(f, pkt, t->slots[i].id, out);
		if (rc)
			return rc;
	}
	if (from != VFR_VIF_UPLINK) {
		rc = add_dest(f, pkt, VFR_VIF_UPLINK, out);
		if (rc)
			return rc;
	}
	if (out->count > 1)
		for (i = 0; i < out->count; i++)
			out->dests[i].delivery = VFR_DELIVER_COPY;
	if (!out->count)
		out->drop = VFR_DROP_NO_ROUTE;
	return 0;
}

static const struct vfr_fwd_route *route_lookup(const struct vfr_fwd *f,
						const struct vfr_ip *dst)
{
	uint16_t i;

	for (i = 0; i < f->n_routes; i++)
		if (vfr_prefix_contains(&f->routes[i].dst, dst))
			return &f->routes[i];
	return NULL;
}

static int route(const struct vfr_fwd *f, const struct vfr_pkt *pkt,
		 vfr_vif_id_t from, struct vfr_fwd_decision *out)
{
	const struct vfr_fwd_route *r = NULL;
	const struct vfr_vif *v;

	if (pkt->src_ip.family != VFR_AF_NONE && pkt->ttl > 1)
		r = route_lookup(f, &pkt->dst_ip);
	if (!r || r->port == from) {
		out->drop = VFR_DROP_NO_ROUTE;
		return 0;
	}
	out->next_hop = r->next_hop;
	if (r->port != VFR_VIF_UPLINK && mac_is_zero(&r->next_hop)) {
		v = vfr_vif_get_const(f->vifs, r->port);
		if (!v) {
			out->drop = VFR_DROP_NO_ROUTE;
			return 0;
		}
		out->next_hop = v->cfg.mac;
	}
	out->routed = true;
	return add_dest(f, pkt, r->port, out);
}

int vfr_fwd_decide(const struct vfr_fwd *f, const struct vfr_pkt *pkt,
		   vfr_vif_id_t from, uint32_t now,
		   struct vfr_fwd_decision *out)
{
	vfr_vif_id_t port;

	out->count = 0;
	out->drop = VFR_DROP_NONE;
	out->routed = false;
	if (from != VFR_VIF_UPLINK && !vfr_vif_get_const(f->vifs, from))
		return -VFR_EINVAL;
	if (mac_is_multicast(&pkt->dst_mac))
		return flood(f, pkt, from, out);
	if (!mac_is_zero(&f->router_mac) &&
	    mac_equal(&pkt->dst_mac, &f->router_mac))
		return route(f, pkt, from, out);
	port = vfr_fwd_mac_lookup(f, &pkt->dst_mac, now);
	if (port == VFR_VIF_NONE && from != VFR_VIF_UPLINK)
		port = VFR_VIF_UPLINK;
	if (port == VFR_VIF_NONE || port == from ||
	    (port != VFR_VIF_UPLINK && !vfr_vif_get_const(f->vifs, port))) {
		out->drop = VFR_DROP_NO_ROUTE;
		return 0;
	}
	return add_dest(f, pkt, port, out);
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') for one changed 16-bit word. */
static uint16_t csum_replace16(uint16_t check, uint16_t old, uint16_t new)
{
	uint32_t sum = (uint16_t)~check + (uint32_t)(uint16_t)~old + new;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* TTL - 1 in an IPv4 header, patching its checksum instead of redoing it. */
static void ipv4_decrement_ttl(uint8_t *ip)
{
	uint16_t old = (uint16_t)(ip[8] << 8 | ip[9]);
	uint16_t check = (uint16_t)(ip[10] << 8 | ip[11]);

	ip[8]--;
	check = csum_replace16(check, old, (uint16_t)(ip[8] << 8 | ip[9]));
	ip[10] = (uint8_t)(check >> 8);
	ip[11] = (uint8_t)check;
}

int vfr_fwd_rewrite_routed(const struct vfr_fwd *f, uint8_t *frame,
			   const struct vfr_pkt *pkt,
			   const struct vfr_fwd_decision *d)
{
	uint8_t *ip = frame + pkt->l3_off;

	if (!d->routed || frame != pkt->frame || pkt->ttl <= 1 ||
	    pkt->src_ip.family == VFR_AF_NONE)
		return -VFR_EINVAL;
	memcpy(frame, d->next_hop.b, VFR_ETH_ALEN);
	memcpy(frame + VFR_ETH_ALEN, f->router_mac.b, VFR_ETH_ALEN);
	if (pkt->src_ip.family == VFR_AF_INET6)
		ip[7] = (uint8_t)(pkt->ttl - 1);
	else
		ipv4_decrement_ttl(ip);
	return 0;
}
