/*
 * test_vfr_forward.c - unit tests of the forwarding decision (vfr/forward.c)
 * on a simulated host: three guests on vif1.0, vif2.0, vif3.0 and two
 * stations on the uplink's wire.  Each simulated station answers ARP
 * requests for its address and ICMP echo requests, keeps an ARP cache, and
 * logs what it receives.  Frames travel through the VFR pipeline as Dom0
 * runs it: parse, anti-spoofing on VIF ingress, learning on the uplink,
 * decide, count; so guests must reach each other and the outside only
 * through what the VFR decides.  Routing, delivery methods, the MAC table's
 * aging and capacity, and every error are tested separately.
 */
#include "check.h"
#include "forward.h"
#include "vfr_frames.h"

#define N_STATIONS	5	/* 3 guests, 2 on the wire */
#define QUEUE_MAX	32

struct station {
	uint8_t mac[6], ip[4];
	vfr_vif_id_t port;		/* VIF id, or VFR_VIF_UPLINK */
	uint8_t arp_ip[N_STATIONS][4], arp_mac[N_STATIONS][6];
	int n_arp;
	int rx_arp_req, rx_arp_reply, rx_echo_req, rx_echo_reply, rx_other;
};

struct sim {
	struct vfr_vif slots[4];
	struct vfr_vif_table vifs;
	struct vfr_fwd_mac_entry macs[16];
	struct vfr_fwd_route routes[4];
	struct vfr_fwd fwd;
	struct station st[N_STATIONS];
	struct frame_builder queue[QUEUE_MAX];
	vfr_vif_id_t queue_from[QUEUE_MAX];
	int head, tail;
	uint32_t now;
	unsigned long no_route;
};

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void sim_send(struct sim *s, const struct frame_builder *f,
		     vfr_vif_id_t from)
{
	CHECK(s->tail < QUEUE_MAX);
	if (s->tail == QUEUE_MAX)
		return;
	s->queue[s->tail] = *f;
	s->queue_from[s->tail++] = from;
}

static const uint8_t *arp_lookup(const struct station *st, const uint8_t *ip)
{
	int i;

	for (i = 0; i < st->n_arp; i++)
		if (!memcmp(st->arp_ip[i], ip, 4))
			return st->arp_mac[i];
	return NULL;
}

static void arp_learn(struct station *st, const uint8_t *ip, const uint8_t *mac)
{
	if (arp_lookup(st, ip) || st->n_arp == N_STATIONS)
		return;
	memcpy(st->arp_ip[st->n_arp], ip, 4);
	memcpy(st->arp_mac[st->n_arp++], mac, 6);
}

static void send_echo(struct sim *s, struct station *st, const uint8_t *dst_ip,
		      uint8_t type)
{
	const uint8_t *dst_mac = arp_lookup(st, dst_ip);
	static const uint8_t zero6[6];
	struct frame_builder f;

	if (!dst_mac) {
		fb_eth(&f, bcast, st->mac, -1, VFR_ETHERTYPE_ARP);
		fb_arp(&f, 1, st->mac, st->ip, zero6, dst_ip);
		sim_send(s, &f, st->port);
		return;
	}
	fb_eth(&f, dst_mac, st->mac, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, st->ip, dst_ip, VFR_PROTO_ICMP, 0);
	fb_icmp(&f, type, 0);
	fb_payload(&f, 56, 0x42);
	fb_finish(&f);
	sim_send(s, &f, st->port);
}

/* What a station does with a frame that reached it. */
static void station_receive(struct sim *s, struct station *st,
			    const struct vfr_pkt *pkt)
{
	struct frame_builder f;

	if (pkt->ethertype == VFR_ETHERTYPE_ARP) {
		bool for_me = !memcmp(pkt->arp_target_ip.b, st->ip, 4);

		arp_learn(st, pkt->arp_sender_ip.b, pkt->arp_sender_mac.b);
		if (pkt->arp_op == 1) {
			st->rx_arp_req++;
			if (!for_me)
				return;
			fb_eth(&f, pkt->src_mac.b, st->mac, -1, VFR_ETHERTYPE_ARP);
			fb_arp(&f, 2, st->mac, st->ip, pkt->arp_sender_mac.b,
			       pkt->arp_sender_ip.b);
			sim_send(s, &f, st->port);
		} else {
			st->rx_arp_reply++;
		}
	} else if (pkt->has_icmp && !memcmp(pkt->dst_ip.b, st->ip, 4) &&
		   pkt->icmp_type == 8) {
		st->rx_echo_req++;
		send_echo(s, st, pkt->src_ip.b, 0);
	} else if (pkt->has_icmp && !memcmp(pkt->dst_ip.b, st->ip, 4) &&
		   pkt->icmp_type == 0) {
		st->rx_echo_reply++;
	} else {
		st->rx_other++;
	}
}

/* Hand a frame to the port's station(s); the wire has two stations. */
static void deliver(struct sim *s, vfr_vif_id_t port, const struct vfr_pkt *pkt)
{
	int i;

	for (i = 0; i < N_STATIONS; i++) {
		struct station *st = &s->st[i];
		bool mine = !memcmp(pkt->dst_mac.b, st->mac, 6) ||
			    (pkt->dst_mac.b[0] & 1);

		/* On the wire everybody sees the frame; a NIC filters. */
		if (st->port == port && mine)
			station_receive(s, st, pkt);
	}
}

/* One trip through the VFR, as Dom0 makes it. */
static void vfr_pass(struct sim *s, const struct frame_builder *f,
		     vfr_vif_id_t from)
{
	struct vfr_fwd_dest dests[8];
	struct vfr_fwd_decision d = { .dests = dests, .capacity = 8 };
	struct vfr_pkt pkt;
	int i;

	vfr_vif_count_frame(&s->vifs, from, VFR_DIR_IN, f->len);
	CHECK(vfr_packet_parse(f->b, f->len, &pkt));
	if (from != VFR_VIF_UPLINK) {
		CHECK(vfr_vif_source_allowed(vfr_vif_get(&s->vifs, from), &pkt));
	} else {
		CHECK_EQ(vfr_fwd_learn_uplink(&s->fwd, &pkt, s->now), 0);
	}
	CHECK_EQ(vfr_fwd_decide(&s->fwd, &pkt, from, s->now, &d), 0);
	if (d.drop != VFR_DROP_NONE) {
		vfr_vif_count_drop(&s->vifs, from, d.drop);
		s->no_route++;
	}
	for (i = 0; i < d.count; i++) {
		CHECK(dests[i].port != from);
		vfr_vif_count_frame(&s->vifs, dests[i].port, VFR_DIR_OUT, f->len);
		deliver(s, dests[i].port, &pkt);
	}
}

static void sim_run(struct sim *s)
{
	while (s->head < s->tail) {
		vfr_pass(s, &s->queue[s->head], s->queue_from[s->head]);
		s->head++;
	}
	s->head = s->tail = 0;
}

static void sim_init(struct sim *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	vfr_vif_table_init(&s->vifs, s->slots, 4);
	CHECK_EQ(vfr_fwd_init(&s->fwd, &s->vifs, s->macs, 16, s->routes, 4,
			      300), 0);
	for (i = 0; i < N_STATIONS; i++) {
		struct station *st = &s->st[i];
		uint8_t mac[6] = { 0x00, 0x16, 0x3e, 0, 0, (uint8_t)(i + 1) };
		uint8_t ip[4] = { 10, 0, 0, (uint8_t)(i + 1) };

		if (i >= 3) {
			mac[0] = 0x52;	/* stations on the wire */
			ip[3] = (uint8_t)(100 + i);
		}
		memcpy(st->mac, mac, 6);
		memcpy(st->ip, ip, 4);
		st->port = VFR_VIF_UPLINK;
		if (i < 3) {
			struct vfr_vif_config c = { .domid = (uint16_t)(i + 1) };

			memcpy(c.mac.b, mac, 6);
			c.addrs[0].addr.family = VFR_AF_INET;
			memcpy(c.addrs[0].addr.b, ip, 4);
			c.addrs[0].len = 32;
			c.n_addrs = 1;
			CHECK_EQ(vfr_vif_add(&s->vifs, &c, &st->port), 0);
			CHECK_EQ(vfr_fwd_learn_vif(&s->fwd, st->port), 0);
		}
	}
}

static void ping(struct sim *s, int from, int to)
{
	int before = s->st[from].rx_echo_reply;

	send_echo(s, &s->st[from], s->st[to].ip, 8);	/* maybe ARP first */
	sim_run(s);
	if (s->st[from].rx_echo_reply == before) {
		send_echo(s, &s->st[from], s->st[to].ip, 8);
		sim_run(s);
	}
	CHECK_EQ(s->st[from].rx_echo_reply, before + 1);
}

static void test_topology(void)
{
	static struct sim s;
	const struct vfr_counters *c;
	int i;

	sim_init(&s);
	ping(&s, 0, 1);		/* guest to guest */
	/* Only the ARP request was flooded: 3 and the wire saw just that. */
	CHECK_EQ(s.st[2].rx_arp_req, 1);
	CHECK_EQ(s.st[2].rx_echo_req + s.st[2].rx_other, 0);
	CHECK_EQ(s.st[3].rx_arp_req, 1);
	CHECK_EQ(s.st[3].rx_other + s.st[3].rx_echo_req, 0);
	CHECK_EQ(s.st[1].rx_echo_req, 1);
	CHECK_EQ(s.st[0].rx_arp_reply, 1);

	ping(&s, 0, 3);		/* guest to the outside */
	CHECK_EQ(vfr_fwd_mac_lookup(&s.fwd, &(struct vfr_mac){ { 0x52, 0x16,
		 0x3e, 0, 0, 4 } }, s.now), VFR_VIF_UPLINK);
	ping(&s, 4, 2);		/* the outside to a guest */
	ping(&s, 2, 1);
	ping(&s, 1, 4);
	for (i = 0; i < N_STATIONS; i++)
		CHECK_EQ(s.st[i].rx_other, 0);
	/* Station 4 answered vif2.0's first echo request with an ARP request
	 * (it did not know 10.0.0.2 and, like this simulation, drops the
	 * packet meanwhile); the retry got through. */
	CHECK_EQ(s.st[4].rx_echo_req, 2);
	CHECK_EQ(s.st[3].rx_echo_req, 1);
	CHECK_EQ(s.no_route, 0);

	/* Counters: vif3.0 (station 2) got 4 ARP requests flooded, 1 echo
	 * request, 1 ARP reply and 1 echo reply; it sent 1 reply to the
	 * outsider's ARP, 1 echo reply, then 1 ARP request and 1 echo. */
	c = vfr_vif_counters(&s.vifs, s.st[2].port);
	CHECK_EQ(c->tx_packets, 4 + 1 + 1 + 1);
	CHECK_EQ(c->rx_packets, 4);
	CHECK_EQ(s.vifs.uplink.rx_packets, 2 + 2 + 2);
}

static void pkt_of(struct frame_builder *f, struct vfr_pkt *pkt)
{
	fb_finish(f);
	CHECK(vfr_packet_parse(f->b, f->len, pkt));
}

static void test_unknown_and_delivery(void)
{
	static struct sim s;
	static const uint8_t stranger[6] = { 0x02, 0, 0, 0, 0, 9 };
	struct vfr_fwd_dest dests[2];
	struct vfr_fwd_decision d = { .dests = dests, .capacity = 2 };
	struct frame_builder f;
	struct vfr_pkt pkt;
	vfr_vif_id_t a, b, c;

	sim_init(&s);
	a = s.st[0].port;
	b = s.st[1].port;
	c = s.st[2].port;
	vfr_vif_get(&s.vifs, c)->cfg.rx_mode = VFR_RX_COPY;

	/* Unknown unicast: from a VIF to the uplink; from the uplink dropped. */
	fb_eth(&f, stranger, s.st[0].mac, -1, 0x88b5);
	fb_payload(&f, 46, 0);
	pkt_of(&f, &pkt);
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, a, 0, &d), 0);
	CHECK_EQ(d.count, 1);
	CHECK_EQ(dests[0].port, VFR_VIF_UPLINK);
	CHECK_EQ(dests[0].delivery, VFR_DELIVER_COPY);
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, VFR_VIF_UPLINK, 0, &d), 0);
	CHECK_EQ(d.count, 0);
	CHECK_EQ(d.drop, VFR_DROP_NO_ROUTE);
	/* A frame to the sender's own MAC never goes back. */
	fb_eth(&f, s.st[0].mac, s.st[0].mac, -1, 0x88b5);
	fb_payload(&f, 46, 0);
	pkt_of(&f, &pkt);
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, a, 0, &d), 0);
	CHECK_EQ(d.drop, VFR_DROP_NO_ROUTE);

	/* Flip for a big frame to a flip-mode VIF, copy below the threshold. */
	fb_eth(&f, s.st[1].mac, s.st[0].mac, -1, 0x88b5);
	fb_payload(&f, 256 - 14, 0);
	pkt_of(&f, &pkt);
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, a, 0, &d), 0);
	CHECK_EQ(d.count, 1);
	CHECK_EQ(dests[0].port, b);
	CHECK_EQ(dests[0].delivery, VFR_DELIVER_FLIP);
	pkt.len = 255;
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, a, 0, &d), 0);
	CHECK_EQ(dests[0].delivery, VFR_DELIVER_COPY);
	s.fwd.copy_threshold = 128;
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, a, 0, &d), 0);
	CHECK_EQ(dests[0].delivery, VFR_DELIVER_FLIP);
	/* ... but copy to a VIF in copy mode, whatever the size. */
	fb_eth(&f, s.st[2].mac, s.st[0].mac, -1, 0x88b5);
	fb_payload(&f, 1000, 0);
	pkt_of(&f, &pkt);
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, a, 0, &d), 0);
	CHECK_EQ(dests[0].port, c);
	CHECK_EQ(dests[0].delivery, VFR_DELIVER_COPY);

	/* A broadcast to 3 destinations does not fit in 2. */
	fb_eth(&f, bcast, s.st[0].mac, -1, 0x88b5);
	fb_payload(&f, 1000, 0);
	pkt_of(&f, &pkt);
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, a, 0, &d), -VFR_ENOSPC);
	CHECK_EQ(d.count, 0);
	/* From the uplink it goes to the 3 VIFs: still too many; remove one. */
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, VFR_VIF_UPLINK, 0, &d), -VFR_ENOSPC);
	vfr_fwd_forget_port(&s.fwd, c);
	CHECK_EQ(vfr_vif_remove(&s.vifs, c), 0);
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, VFR_VIF_UPLINK, 0, &d), 0);
	CHECK_EQ(d.count, 2);
	/* Two destinations: a page flips once, so both copy. */
	CHECK_EQ(dests[0].delivery, VFR_DELIVER_COPY);
	CHECK_EQ(dests[1].delivery, VFR_DELIVER_COPY);
	CHECK(dests[0].port != dests[1].port);
	/* Unicast to the removed VIF's MAC now goes out to the uplink. */
	fb_eth(&f, s.st[2].mac, s.st[0].mac, -1, 0x88b5);
	fb_payload(&f, 46, 0);
	pkt_of(&f, &pkt);
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, a, 0, &d), 0);
	CHECK_EQ(dests[0].port, VFR_VIF_UPLINK);
	/* Unknown source port. */
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, c, 0, &d), -VFR_EINVAL);
}

static void test_mac_table(void)
{
	static const uint8_t slots_mac[6] = { 0x02, 0, 0, 0, 0, 1 };
	struct vfr_vif slots[8];
	struct vfr_vif_table t;
	struct vfr_fwd_mac_entry macs[4];
	struct vfr_fwd f;
	struct vfr_pkt pkt;
	struct vfr_mac m;
	vfr_vif_id_t ids[5];
	int i;

	vfr_vif_table_init(&t, slots, 8);
	CHECK_EQ(vfr_fwd_init(&f, &t, macs, 6, NULL, 0, 300), -VFR_EINVAL);
	CHECK_EQ(vfr_fwd_init(&f, &t, macs, 2, NULL, 0, 300), -VFR_EINVAL);
	CHECK_EQ(vfr_fwd_init(&f, &t, macs, 4, NULL, 0, 300), 0);
	memset(&pkt, 0, sizeof(pkt));
	memcpy(pkt.src_mac.b, slots_mac, 6);

	/* Aging, across the clock's wrap. */
	CHECK_EQ(vfr_fwd_learn_uplink(&f, &pkt, 0xffffff00u), 0);
	CHECK_EQ(vfr_fwd_mac_lookup(&f, &pkt.src_mac, 0x10), VFR_VIF_UPLINK);
	CHECK_EQ(vfr_fwd_mac_lookup(&f, &pkt.src_mac, 0xffffff00u + 300),
		 VFR_VIF_UPLINK);
	CHECK_EQ(vfr_fwd_mac_lookup(&f, &pkt.src_mac, 0xffffff00u + 301),
		 VFR_VIF_NONE);
	/* Seen again: refreshed. */
	CHECK_EQ(vfr_fwd_learn_uplink(&f, &pkt, 1000), 0);
	CHECK_EQ(vfr_fwd_mac_lookup(&f, &pkt.src_mac, 1200), VFR_VIF_UPLINK);
	/* Multicast sources are not learned. */
	pkt.src_mac.b[0] = 0x03;
	CHECK_EQ(vfr_fwd_learn_uplink(&f, &pkt, 1000), 0);
	CHECK_EQ(vfr_fwd_mac_lookup(&f, &pkt.src_mac, 1000), VFR_VIF_NONE);

	/* One set of 4: VIFs take it over, learned entries get evicted. */
	for (i = 0; i < 5; i++) {
		struct vfr_vif_config c = { .domid = (uint16_t)(i + 1) };

		c.mac.b[0] = 0x02;
		c.mac.b[5] = (uint8_t)(0x10 + i);
		CHECK_EQ(vfr_vif_add(&t, &c, &ids[i]), 0);
	}
	for (i = 0; i < 4; i++)
		CHECK_EQ(vfr_fwd_learn_vif(&f, ids[i]), 0);
	CHECK_EQ(vfr_fwd_learn_vif(&f, ids[4]), -VFR_ENOSPC);
	memcpy(pkt.src_mac.b, slots_mac, 6);
	CHECK_EQ(vfr_fwd_mac_lookup(&f, &pkt.src_mac, 1000), VFR_VIF_NONE);
	CHECK_EQ(vfr_fwd_learn_uplink(&f, &pkt, 1000), -VFR_ENOSPC);
	/* The uplink cannot take over a VIF's MAC. */
	m = vfr_vif_get(&t, ids[0])->cfg.mac;
	pkt.src_mac = m;
	CHECK_EQ(vfr_fwd_learn_uplink(&f, &pkt, 1000), 0);
	CHECK_EQ(vfr_fwd_mac_lookup(&f, &m, 1000), ids[0]);
	/* Static entries never age. */
	CHECK_EQ(vfr_fwd_mac_lookup(&f, &m, 0x7fffffff), ids[0]);
	vfr_fwd_forget_port(&f, ids[0]);
	CHECK_EQ(vfr_fwd_mac_lookup(&f, &m, 1000), VFR_VIF_NONE);
	CHECK_EQ(vfr_fwd_learn_vif(&f, ids[4]), 0);
	CHECK_EQ(vfr_fwd_learn_vif(&f, VFR_VIF_UPLINK), -VFR_ENOENT);
}

static struct vfr_fwd_route route4(const uint8_t *net, uint8_t len,
				   vfr_vif_id_t port, const uint8_t *gw)
{
	struct vfr_fwd_route r;

	memset(&r, 0, sizeof(r));
	r.dst.addr.family = VFR_AF_INET;
	memcpy(r.dst.addr.b, net, 4);
	r.dst.len = len;
	r.port = port;
	if (gw)
		memcpy(r.next_hop.b, gw, 6);
	return r;
}

/* A frame from vif1.0 to the router MAC for dst; returns the decision. */
static void routed(struct sim *s, const uint8_t *router, const uint8_t *dst,
		   uint8_t ttl, struct vfr_fwd_decision *d, struct frame_builder *f,
		   struct vfr_pkt *pkt)
{
	fb_eth(f, router, s->st[0].mac, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(f, s->st[0].ip, dst, VFR_PROTO_UDP, 0);
	f->b[f->l3 + 8] = ttl;
	fb_udp(f, 5000, 53);
	fb_payload(f, 300, 0);
	pkt_of(f, pkt);
	CHECK_EQ(vfr_fwd_decide(&s->fwd, pkt, s->st[0].port, 0, d), 0);
}

static void test_routing(void)
{
	static const uint8_t router[6] = { 0x02, 0xaa, 0, 0, 0, 1 };
	static const uint8_t gw[6] = { 0x52, 0x54, 0, 0, 0, 0xfe };
	static const uint8_t any[4], net2[4] = { 10, 2 }, net25[4] = { 10, 2, 5 };
	static const uint8_t d1[4] = { 10, 2, 5, 7 }, d2[4] = { 10, 2, 9, 9 };
	static const uint8_t d3[4] = { 8, 8, 8, 8 };
	static struct sim s;
	struct vfr_fwd_dest dests[4];
	struct vfr_fwd_decision d = { .dests = dests, .capacity = 4 };
	struct vfr_fwd_route r;
	struct frame_builder f;
	struct vfr_pkt pkt;

	sim_init(&s);
	memcpy(s.fwd.router_mac.b, router, 6);
	r = route4(net2, 16, s.st[2].port, NULL);
	CHECK_EQ(vfr_fwd_route_add(&s.fwd, &r), 0);
	CHECK_EQ(vfr_fwd_route_add(&s.fwd, &r), -VFR_EEXIST);
	r = route4(any, 0, VFR_VIF_UPLINK, NULL);
	CHECK_EQ(vfr_fwd_route_add(&s.fwd, &r), -VFR_EINVAL);	/* no gw */
	r = route4(any, 0, VFR_VIF_UPLINK, gw);
	CHECK_EQ(vfr_fwd_route_add(&s.fwd, &r), 0);
	r = route4(net25, 24, s.st[1].port, NULL);
	CHECK_EQ(vfr_fwd_route_add(&s.fwd, &r), 0);
	r = route4(net2, 15, 77, NULL);
	CHECK_EQ(vfr_fwd_route_add(&s.fwd, &r), -VFR_EINVAL);	/* no VIF */
	r = route4(d1, 16, s.st[1].port, NULL);
	CHECK_EQ(vfr_fwd_route_add(&s.fwd, &r), -VFR_EINVAL);	/* host bits */
	r = route4(net2, 15, s.st[1].port, NULL);
	CHECK_EQ(vfr_fwd_route_add(&s.fwd, &r), 0);
	r = route4(any, 8, s.st[1].port, NULL);
	CHECK_EQ(vfr_fwd_route_add(&s.fwd, &r), -VFR_ENOSPC);

	/* Longest prefix wins, whatever the insertion order. */
	routed(&s, router, d1, 64, &d, &f, &pkt);
	CHECK_EQ(d.count, 1);
	CHECK(d.routed);
	CHECK_EQ(dests[0].port, s.st[1].port);
	CHECK(!memcmp(d.next_hop.b, s.st[1].mac, 6));
	CHECK_EQ(dests[0].delivery, VFR_DELIVER_FLIP);
	/* The rewrite: MACs, TTL - 1, a checksum still right. */
	CHECK_EQ(vfr_fwd_rewrite_routed(&s.fwd, f.b, &pkt, &d), 0);
	CHECK(!memcmp(f.b, s.st[1].mac, 6) && !memcmp(f.b + 6, router, 6));
	CHECK_EQ(f.b[f.l3 + 8], 63);
	CHECK_EQ(vfr_csum_finish(vfr_csum_add(0, f.b + f.l3, 20)), 0);
	routed(&s, router, d2, 64, &d, &f, &pkt);
	CHECK_EQ(dests[0].port, s.st[2].port);
	routed(&s, router, d3, 2, &d, &f, &pkt);
	CHECK_EQ(dests[0].port, VFR_VIF_UPLINK);
	CHECK(!memcmp(d.next_hop.b, gw, 6));
	CHECK_EQ(dests[0].delivery, VFR_DELIVER_COPY);
	CHECK_EQ(vfr_fwd_rewrite_routed(&s.fwd, f.b, &pkt, &d), 0);
	CHECK_EQ(f.b[f.l3 + 8], 1);
	CHECK_EQ(vfr_csum_finish(vfr_csum_add(0, f.b + f.l3, 20)), 0);
	/* TTL 1 cannot be routed. */
	routed(&s, router, d3, 1, &d, &f, &pkt);
	CHECK_EQ(d.count, 0);
	CHECK_EQ(d.drop, VFR_DROP_NO_ROUTE);
	CHECK_EQ(vfr_fwd_rewrite_routed(&s.fwd, f.b, &pkt, &d), -VFR_EINVAL);
	/* A route back out of the port it came in on is refused. */
	pkt.dst_ip.b[0] = 8;
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, VFR_VIF_UPLINK, 0, &d), 0);
	CHECK_EQ(d.drop, VFR_DROP_NO_ROUTE);
	/* Removing a VIF removes its routes: 10.2.9.9 falls to the default. */
	vfr_fwd_forget_port(&s.fwd, s.st[2].port);
	routed(&s, router, d2, 64, &d, &f, &pkt);
	CHECK_EQ(dests[0].port, s.st[1].port);	/* 10.2.0.0/15 */
	r = route4(net2, 15, 0, NULL);
	CHECK_EQ(vfr_fwd_route_remove(&s.fwd, &r.dst), 0);
	CHECK_EQ(vfr_fwd_route_remove(&s.fwd, &r.dst), -VFR_ENOENT);
	routed(&s, router, d2, 64, &d, &f, &pkt);
	CHECK_EQ(dests[0].port, VFR_VIF_UPLINK);
}

static void test_routing_ipv6(void)
{
	static const uint8_t router[6] = { 0x02, 0xaa, 0, 0, 0, 1 };
	static const uint8_t net[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 2 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 1,
					 [15] = 5 };
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1 };
	static struct sim s;
	struct vfr_fwd_dest dests[4];
	struct vfr_fwd_decision d = { .dests = dests, .capacity = 4 };
	struct vfr_fwd_route r;
	struct frame_builder f;
	struct vfr_pkt pkt;

	sim_init(&s);
	memcpy(s.fwd.router_mac.b, router, 6);
	memset(&r, 0, sizeof(r));
	r.dst.addr.family = VFR_AF_INET6;
	memcpy(r.dst.addr.b, net, 16);
	r.dst.len = 48;
	r.port = s.st[2].port;
	CHECK_EQ(vfr_fwd_route_add(&s.fwd, &r), 0);
	fb_eth(&f, router, s.st[0].mac, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, src, dst, VFR_PROTO_UDP);
	fb_udp(&f, 1, 2);
	pkt_of(&f, &pkt);
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, s.st[0].port, 0, &d), 0);
	CHECK_EQ(d.count, 1);
	CHECK_EQ(dests[0].port, s.st[2].port);
	CHECK_EQ(vfr_fwd_rewrite_routed(&s.fwd, f.b, &pkt, &d), 0);
	CHECK_EQ(f.b[f.l3 + 7], 63);
	/* An IPv4 address in the same bytes does not match an IPv6 route. */
	pkt.dst_ip.family = VFR_AF_INET;
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, s.st[0].port, 0, &d), 0);
	CHECK_EQ(d.drop, VFR_DROP_NO_ROUTE);
	/* Non-IP to the router MAC: nothing to route on. */
	fb_eth(&f, router, s.st[0].mac, -1, VFR_ETHERTYPE_ARP);
	fb_arp(&f, 2, s.st[0].mac, s.st[0].ip, router, s.st[1].ip);
	pkt_of(&f, &pkt);
	CHECK_EQ(vfr_fwd_decide(&s.fwd, &pkt, s.st[0].port, 0, &d), 0);
	CHECK_EQ(d.drop, VFR_DROP_NO_ROUTE);
}

int main(void)
{
	test_topology();
	test_unknown_and_delivery();
	test_mac_table();
	test_routing();
	test_routing_ipv6();
	return check_done();
}
