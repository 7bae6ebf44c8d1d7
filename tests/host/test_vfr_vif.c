/*
 * test_vfr_vif.c - unit tests of the VIF table, names, anti-spoofing and
 * counters (vfr/vif.c).  Anti-spoofing is checked on frames built with
 * vfr_frames.h and parsed by vfr_packet_parse(), as the data path sees them.
 */
#include "check.h"
#include "vfr_frames.h"
#include "vif.h"

static const uint8_t vif_mac[6] = { 0x00, 0x16, 0x3e, 0x00, 0x03, 0x00 };
static const uint8_t other_mac[6] = { 0x00, 0x16, 0x3e, 0x00, 0x04, 0x00 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct vfr_vif_config config(uint16_t domid, uint8_t index,
				    uint8_t mac_last)
{
	struct vfr_vif_config c;

	memset(&c, 0, sizeof(c));
	c.domid = domid;
	c.index = index;
	memcpy(c.mac.b, vif_mac, 6);
	c.mac.b[5] = mac_last;
	return c;
}

static void add_prefix(struct vfr_vif_config *c, int family,
		       const uint8_t *addr, uint8_t len)
{
	struct vfr_prefix *p = &c->addrs[c->n_addrs++];

	p->addr.family = (uint8_t)family;
	memcpy(p->addr.b, addr, family == VFR_AF_INET ? 4 : 16);
	p->len = len;
}

static void test_table(void)
{
	struct vfr_vif slots[3];
	struct vfr_vif_table t;
	struct vfr_vif_config c;
	vfr_vif_id_t id0, id1, id2, id, parsed;
	char name[VFR_VIF_NAME_MAX];
	const char *why;

	CHECK_EQ(vfr_vif_table_init(&t, slots, 3), 0);
	c = config(3, 0, 1);
	CHECK_EQ(vfr_vif_add(&t, &c, &id0), 0);
	CHECK_EQ(vfr_vif_add(&t, &c, &id), -VFR_EEXIST);	/* same name */
	c.index = 1;
	CHECK_EQ(vfr_vif_add(&t, &c, &id), -VFR_EEXIST);	/* same MAC */
	c.mac.b[5] = 2;
	CHECK_EQ(vfr_vif_add(&t, &c, &id1), 0);
	c = config(VFR_VIF_DOMID_MAX + 1, 0, 3);	/* no id encodes it */
	CHECK_EQ(vfr_vif_add(&t, &c, &id2), -VFR_EINVAL);
	c = config(3, VFR_VIF_INDEX_MAX + 1, 3);
	CHECK_EQ(vfr_vif_add(&t, &c, &id2), -VFR_EINVAL);
	c = config(VFR_VIF_DOMID_MAX, VFR_VIF_INDEX_MAX, 3);
	CHECK_EQ(vfr_vif_add(&t, &c, &id2), 0);
	c = config(7, 0, 4);
	CHECK_EQ(vfr_vif_add(&t, &c, &id), -VFR_ENOSPC);
	CHECK_EQ(t.count, 3);

	/* Ids are the names' encoding, the one rulesets store, not slots. */
	CHECK_EQ(id0, vfr_vif_id_make(3, 0));
	CHECK_EQ(id1, vfr_vif_id_make(3, 1));
	CHECK_EQ(id2, vfr_vif_id_make(VFR_VIF_DOMID_MAX, VFR_VIF_INDEX_MAX));
	CHECK_EQ(vfr_vif_name_parse("vif3.1", 6, &parsed, &why), 0);
	CHECK_EQ(parsed, id1);
	CHECK(vfr_vif_get(&t, id1) == &slots[1]);
	CHECK(vfr_vif_get(&t, 1) == NULL);	/* a slot index is no id */

	/* Lookups by MAC and by name, and names back. */
	c = config(0, 0, 2);
	CHECK_EQ(vfr_vif_lookup_mac(&t, &c.mac), id1);
	c.mac.b[5] = 9;
	CHECK_EQ(vfr_vif_lookup_mac(&t, &c.mac), VFR_VIF_NONE);
	CHECK_EQ(vfr_vif_lookup_name(&t, "vif3.1", 6, &id), 0);
	CHECK_EQ(id, id1);
	CHECK_EQ(vfr_vif_lookup_name(&t, "vif4094.15 trailing", 10, &id), 0);
	CHECK_EQ(id, id2);
	CHECK_EQ(vfr_vif_lookup_name(&t, "uplink", 6, &id), 0);
	CHECK_EQ(id, VFR_VIF_UPLINK);
	CHECK_EQ(vfr_vif_lookup_name(&t, "vif4.0", 6, &id), -VFR_ENOENT);
	CHECK_EQ(vfr_vif_format_name(&t, id2, name, sizeof(name)), 10);
	CHECK(!strcmp(name, "vif4094.15"));
	CHECK_EQ(vfr_vif_format_name(&t, id2, name, 10), -VFR_ENOSPC);
	CHECK_EQ(name[0], '\0');
	CHECK_EQ(vfr_vif_format_name(&t, id0, name, 7), 6);
	CHECK(!strcmp(name, "vif3.0"));
	CHECK_EQ(vfr_vif_format_name(&t, VFR_VIF_UPLINK, name, 7), 6);
	CHECK(!strcmp(name, "uplink"));
	CHECK_EQ(vfr_vif_format_name(&t, VFR_VIF_NONE, name, 7), -VFR_ENOENT);

	/* Remove frees the slot and the name; the id stops resolving. */
	CHECK_EQ(vfr_vif_remove(&t, id1), 0);
	CHECK_EQ(vfr_vif_remove(&t, id1), -VFR_ENOENT);
	CHECK(vfr_vif_get(&t, id1) == NULL);
	CHECK(vfr_vif_get(&t, VFR_VIF_UPLINK) == NULL);
	CHECK_EQ(vfr_vif_lookup_name(&t, "vif3.1", 6, &id), -VFR_ENOENT);
	c = config(7, 0, 4);
	CHECK_EQ(vfr_vif_add(&t, &c, &id), 0);	/* takes the freed slot */
	CHECK_EQ(id, vfr_vif_id_make(7, 0));
	CHECK(vfr_vif_get(&t, id) == &slots[1]);
	CHECK_EQ(vfr_vif_remove(&t, id), 0);
	c = config(3, 1, 2);			/* vif3.1 again: same id */
	CHECK_EQ(vfr_vif_add(&t, &c, &id), 0);
	CHECK_EQ(id, id1);
	CHECK_EQ(vfr_vif_table_init(&t, slots, VFR_VIF_TABLE_MAX + 1),
		 -VFR_EINVAL);
}

static void test_bad_names_and_configs(void)
{
	static const char *bad[] = {
		"", "vif", "vif3", "vif3.", "vif.0", "vif03.0", "vif3.00",
		"vif65536.0", "vif3.256", "vif4095.0", "vif3.16", "vif3.0x", "vif-3.0", "eth0",
		"VIF3.0", "vif3..0", "uplink0", "vif99999999999.0",
	};
	static const uint8_t net4[4] = { 10, 0, 0, 1 };
	struct vfr_vif slots[2];
	struct vfr_vif_table t;
	struct vfr_vif_config c;
	vfr_vif_id_t id;
	size_t i;

	vfr_vif_table_init(&t, slots, 2);
	c = config(3, 0, 1);
	vfr_vif_add(&t, &c, &id);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = vfr_vif_lookup_name(&t, bad[i], strlen(bad[i]), &id);

		CHECK_EQ(rc, -VFR_EINVAL);
		if (rc != -VFR_EINVAL)
			fprintf(stderr, "  name \"%s\" accepted\n", bad[i]);
	}
	c = config(4, 0, 1);
	c.mac.b[0] = 0x01;	/* multicast */
	CHECK_EQ(vfr_vif_add(&t, &c, &id), -VFR_EINVAL);
	memset(c.mac.b, 0, 6);
	CHECK_EQ(vfr_vif_add(&t, &c, &id), -VFR_EINVAL);
	c = config(4, 0, 5);
	add_prefix(&c, VFR_AF_INET, net4, 24);	/* host bits set */
	CHECK_EQ(vfr_vif_add(&t, &c, &id), -VFR_EINVAL);
	c.addrs[0].len = 33;
	CHECK_EQ(vfr_vif_add(&t, &c, &id), -VFR_EINVAL);
	c.addrs[0].len = 32;
	c.n_addrs = VFR_VIF_MAX_ADDRS + 1;
	CHECK_EQ(vfr_vif_add(&t, &c, &id), -VFR_EINVAL);
	c.n_addrs = 1;
	c.addrs[0].addr.family = 5;
	CHECK_EQ(vfr_vif_add(&t, &c, &id), -VFR_EINVAL);
	c.addrs[0].addr.family = VFR_AF_INET;
	c.rx_mode = 7;
	CHECK_EQ(vfr_vif_add(&t, &c, &id), -VFR_EINVAL);
	c.rx_mode = VFR_RX_COPY;
	CHECK_EQ(vfr_vif_add(&t, &c, &id), 0);
}

/* Parse the built frame and ask whether the VIF may send it. */
static bool allowed(const struct vfr_vif *v, struct frame_builder *f)
{
	struct vfr_pkt pkt;

	fb_finish(f);
	CHECK(vfr_packet_parse(f->b, f->len, &pkt));
	return vfr_vif_source_allowed(v, &pkt);
}

static void test_spoofing_ipv4_arp(const struct vfr_vif *v)
{
	static const uint8_t own[4] = { 192, 168, 1, 10 }, net[4] = { 10, 1, 2, 99 };
	static const uint8_t other[4] = { 192, 168, 1, 11 }, zero[4];
	static const uint8_t dst[4] = { 8, 8, 8, 8 }, zero6[6];
	struct frame_builder f;

	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, own, dst, VFR_PROTO_UDP, 0);
	fb_udp(&f, 1000, 53);
	CHECK(allowed(v, &f));
	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, net, dst, VFR_PROTO_UDP, 0);	/* in 10.1.0.0/16 */
	fb_udp(&f, 1000, 53);
	CHECK(allowed(v, &f));
	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, other, dst, VFR_PROTO_UDP, 0);
	fb_udp(&f, 1000, 53);
	CHECK(!allowed(v, &f));
	fb_eth(&f, bcast, other_mac, -1, VFR_ETHERTYPE_IPV4);	/* bad MAC */
	fb_ipv4(&f, own, dst, VFR_PROTO_UDP, 0);
	fb_udp(&f, 1000, 53);
	CHECK(!allowed(v, &f));
	/* DHCP from 0.0.0.0 is allowed, other traffic from 0.0.0.0 not. */
	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, zero, bcast, VFR_PROTO_UDP, 0);
	fb_udp(&f, 68, 67);
	CHECK(allowed(v, &f));
	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, zero, bcast, VFR_PROTO_UDP, 0);
	fb_udp(&f, 68, 68);
	CHECK(!allowed(v, &f));
	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_IPV4);	/* DHCP, bad src */
	fb_ipv4(&f, other, bcast, VFR_PROTO_UDP, 0);
	fb_udp(&f, 68, 67);
	CHECK(!allowed(v, &f));

	/* ARP: sender MAC and IP, and the 0.0.0.0 probe. */
	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_ARP);
	fb_arp(&f, 1, vif_mac, own, zero6, dst);
	CHECK(allowed(v, &f));
	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_ARP);
	fb_arp(&f, 1, vif_mac, zero, zero6, own);
	CHECK(allowed(v, &f));
	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_ARP);
	fb_arp(&f, 2, vif_mac, other, zero6, dst);	/* poisoning */
	CHECK(!allowed(v, &f));
	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_ARP);
	fb_arp(&f, 2, other_mac, own, zero6, dst);
	CHECK(!allowed(v, &f));
}

static void test_spoofing_ipv6(const struct vfr_vif *v)
{
	static const uint8_t own[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x10 };
	static const uint8_t other[16] = { 0x20, 0x01, 0x0d, 0xb9, [15] = 0x10 };
	static const uint8_t ll[16] = { 0xfe, 0x80, [8] = 0x02, 0x16, 0x3e,
					0xff, 0xfe, 0x00, 0x03, 0x00 };
	static const uint8_t ll_other[16] = { 0xfe, 0x80, [8] = 0x02, 0x16,
					      0x3e, 0xff, 0xfe, 0x00, 0x04, 0x00 };
	static const uint8_t zero[16], mcast[16] = { 0xff, 0x02, [15] = 1 };
	struct frame_builder f;

	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, own, mcast, VFR_PROTO_UDP);
	fb_udp(&f, 1, 2);
	CHECK(allowed(v, &f));
	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, other, mcast, VFR_PROTO_UDP);
	fb_udp(&f, 1, 2);
	CHECK(!allowed(v, &f));
	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, ll, mcast, VFR_PROTO_ICMPV6);
	fb_icmp(&f, 133, 0);
	CHECK(allowed(v, &f));
	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, ll_other, mcast, VFR_PROTO_ICMPV6);
	fb_icmp(&f, 133, 0);
	CHECK(!allowed(v, &f));
	/* :: only for DAD's neighbour solicitation (and MLD reports). */
	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, zero, mcast, VFR_PROTO_ICMPV6);
	fb_icmp(&f, 135, 0);
	fb_payload(&f, 16, 0);
	CHECK(allowed(v, &f));
	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, zero, mcast, VFR_PROTO_ICMPV6);
	fb_icmp(&f, 128, 0);
	CHECK(!allowed(v, &f));
	fb_eth(&f, bcast, vif_mac, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, zero, mcast, VFR_PROTO_UDP);
	fb_udp(&f, 546, 547);
	CHECK(!allowed(v, &f));
}

static void test_spoofing(void)
{
	static const uint8_t own4[4] = { 192, 168, 1, 10 }, net4[4] = { 10, 1 };
	static const uint8_t own6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x10 };
	static const uint8_t dst[4] = { 8, 8, 8, 8 };
	struct vfr_vif slots[1];
	struct vfr_vif_table t;
	struct vfr_vif_config c = config(3, 0, 0);
	struct frame_builder f;
	struct vfr_vif *v;
	vfr_vif_id_t id;

	add_prefix(&c, VFR_AF_INET, own4, 32);
	add_prefix(&c, VFR_AF_INET, net4, 16);
	add_prefix(&c, VFR_AF_INET6, own6, 128);
	vfr_vif_table_init(&t, slots, 1);
	CHECK_EQ(vfr_vif_add(&t, &c, &id), 0);
	v = vfr_vif_get(&t, id);
	test_spoofing_ipv4_arp(v);
	test_spoofing_ipv6(v);

	/* Non-IP frames only need the right source MAC. */
	fb_eth(&f, bcast, vif_mac, -1, 0x88cc);
	fb_payload(&f, 46, 0);
	CHECK(allowed(v, &f));
	fb_eth(&f, bcast, other_mac, -1, 0x88cc);
	fb_payload(&f, 46, 0);
	CHECK(!allowed(v, &f));

	/* With anti-spoofing off, anything goes. */
	v->cfg.spoof_check_off = true;
	fb_eth(&f, bcast, other_mac, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, dst, dst, VFR_PROTO_UDP, 0);
	fb_udp(&f, 1000, 53);
	CHECK(allowed(v, &f));
}

static void test_counters(void)
{
	struct vfr_vif slots[2];
	struct vfr_vif_table t;
	struct vfr_vif_config c = config(3, 0, 1);
	const struct vfr_counters *k;
	vfr_vif_id_t id;

	vfr_vif_table_init(&t, slots, 2);
	vfr_vif_add(&t, &c, &id);
	vfr_vif_count_frame(&t, id, VFR_DIR_IN, 100);
	vfr_vif_count_frame(&t, id, VFR_DIR_IN, 60);
	vfr_vif_count_frame(&t, id, VFR_DIR_OUT, 1500);
	vfr_vif_count_drop(&t, id, VFR_DROP_SPOOFED);
	vfr_vif_count_drop(&t, id, VFR_DROP_SPOOFED);
	vfr_vif_count_drop(&t, id, VFR_DROP_MALFORMED);
	vfr_vif_count_drop(&t, id, VFR_DROP_REASON_COUNT);	/* ignored */
	vfr_vif_count_drop(&t, VFR_VIF_UPLINK, VFR_DROP_NO_ROUTE);
	vfr_vif_count_frame(&t, VFR_VIF_UPLINK, VFR_DIR_OUT, 42);
	vfr_vif_count_frame(&t, 1, VFR_DIR_OUT, 42);	/* unused slot */
	k = vfr_vif_counters(&t, id);
	CHECK_EQ(k->rx_packets, 2);
	CHECK_EQ(k->rx_bytes, 160);
	CHECK_EQ(k->tx_packets, 1);
	CHECK_EQ(k->tx_bytes, 1500);
	CHECK_EQ(k->drops[VFR_DROP_SPOOFED], 2);
	CHECK_EQ(k->drops[VFR_DROP_MALFORMED], 1);
	CHECK_EQ(k->drops[VFR_DROP_NO_ROUTE], 0);
	k = vfr_vif_counters(&t, VFR_VIF_UPLINK);
	CHECK_EQ(k->drops[VFR_DROP_NO_ROUTE], 1);
	CHECK_EQ(k->tx_bytes, 42);
	CHECK(vfr_vif_counters(&t, 1) == NULL);
}

int main(void)
{
	test_table();
	test_bad_names_and_configs();
	test_spoofing();
	test_counters();
	return check_done();
}
