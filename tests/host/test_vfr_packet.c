/*
 * test_vfr_packet.c - unit tests of vfr_packet_parse() (vfr/packet.c).
 *
 * Good frames of every layer combination are parsed and their fields
 * checked; each is then parsed again at every truncated length, from a heap
 * buffer of exactly that size (the test is built with AddressSanitizer, so a
 * read past the end aborts it), and must be refused with a reason.  A corpus
 * of crafted bad frames must be refused with the expected reason.
 */
#include <stdlib.h>
#include "check.h"
#include "vfr_frames.h"

static const uint8_t mac_a[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x01 };
static const uint8_t mac_b[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x02 };
static const uint8_t ip_a[4] = { 10, 0, 0, 1 };
static const uint8_t ip_b[4] = { 10, 0, 0, 2 };
static const uint8_t ip6_a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t ip6_b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

/* Parse a heap copy of exactly len bytes so ASan sees any over-read. */
static bool parse_copy(const uint8_t *frame, uint32_t len, struct vfr_pkt *pkt)
{
	uint8_t *copy = malloc(len ? len : 1);
	bool ok;

	memcpy(copy, frame, len);
	ok = vfr_packet_parse(copy, len, pkt);
	free(copy);
	pkt->frame = NULL;
	return ok;
}

/* Every strict prefix of a frame whose headers fill it must be refused. */
static void check_truncations(const struct frame_builder *f)
{
	struct vfr_pkt pkt;
	uint32_t len;

	for (len = 0; len < f->len; len++) {
		bool ok = parse_copy(f->b, len, &pkt);

		CHECK(!ok);
		CHECK(pkt.malformed != NULL);
		if (ok)
			fprintf(stderr, "  truncated to %u of %u parsed\n",
				len, f->len);
	}
}

static void test_ipv4_tcp(int vlan)
{
	struct frame_builder f;
	struct vfr_pkt pkt;

	fb_eth(&f, mac_b, mac_a, vlan, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, ip_a, ip_b, VFR_PROTO_TCP, 0x4000);
	fb_tcp(&f, 40000, 80, 1, 2, VFR_TCP_SYN | VFR_TCP_ACK);
	fb_payload(&f, 10, 'x');
	fb_finish(&f);
	CHECK(parse_copy(f.b, f.len, &pkt));
	CHECK(pkt.malformed == NULL);
	CHECK(!memcmp(pkt.src_mac.b, mac_a, 6) && !memcmp(pkt.dst_mac.b, mac_b, 6));
	CHECK_EQ(pkt.has_vlan, vlan >= 0);
	CHECK_EQ(pkt.vlan_id, vlan >= 0 ? vlan & 0xfff : 0);
	CHECK_EQ(pkt.ethertype, VFR_ETHERTYPE_IPV4);
	CHECK_EQ(pkt.l3_off, vlan >= 0 ? 18 : 14);
	CHECK_EQ(pkt.src_ip.family, VFR_AF_INET);
	CHECK(!memcmp(pkt.src_ip.b, ip_a, 4) && !memcmp(pkt.dst_ip.b, ip_b, 4));
	CHECK_EQ(pkt.proto, VFR_PROTO_TCP);
	CHECK_EQ(pkt.ttl, 64);
	CHECK(!pkt.is_fragment && pkt.is_first_fragment);
	CHECK_EQ(pkt.l4_off, pkt.l3_off + 20);
	CHECK(pkt.has_ports && !pkt.has_icmp);
	CHECK_EQ(pkt.src_port, 40000);
	CHECK_EQ(pkt.dst_port, 80);
	CHECK_EQ(pkt.tcp_flags, VFR_TCP_SYN | VFR_TCP_ACK);
	check_truncations(&f);

	/* Ethernet padding after the datagram is not payload: still fine. */
	fb_payload(&f, 12, 0);
	CHECK(parse_copy(f.b, f.len, &pkt));
	CHECK(parse_copy(f.b, f.len - 6, &pkt));
	CHECK_EQ(pkt.dst_port, 80);
}

static void test_ipv4_options_udp_dhcp(void)
{
	static const uint8_t zero[4], bcast[4] = { 255, 255, 255, 255 };
	struct frame_builder f;
	struct vfr_pkt pkt;

	fb_eth(&f, mac_b, mac_a, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, zero, bcast, VFR_PROTO_UDP, 0);
	/* Grow the header by 8 bytes of options (two NOPs + EOL padding). */
	f.b[f.l3] = 0x47;
	memset(f.b + f.len, 1, 8);
	f.len += 8;
	fb_udp(&f, 68, 67);
	fb_payload(&f, 300, 0);
	/* fb_finish sums 20 bytes of IP header: fine, checksums are unused. */
	fb_finish(&f);
	CHECK(parse_copy(f.b, f.len, &pkt));
	CHECK_EQ(pkt.l4_off, 14 + 28);
	CHECK(pkt.has_ports && pkt.is_dhcp_client);
	CHECK_EQ(pkt.src_port, 68);
	check_truncations(&f);

	/* 67 -> 68 is the server's answer, not client traffic. */
	fb_put16(f.b + f.l4, 67);
	fb_put16(f.b + f.l4 + 2, 68);
	CHECK(parse_copy(f.b, f.len, &pkt));
	CHECK(!pkt.is_dhcp_client);
}

static void test_ipv4_icmp_and_fragments(void)
{
	struct frame_builder f;
	struct vfr_pkt pkt;

	fb_eth(&f, mac_b, mac_a, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, ip_a, ip_b, VFR_PROTO_ICMP, 0);
	fb_icmp(&f, 8, 0);
	fb_payload(&f, 56, 0xab);
	fb_finish(&f);
	CHECK(parse_copy(f.b, f.len, &pkt));
	CHECK(pkt.has_icmp && !pkt.has_ports);
	CHECK_EQ(pkt.icmp_type, 8);
	check_truncations(&f);

	/* First fragment (MF set): L4 parsed. */
	fb_eth(&f, mac_b, mac_a, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, ip_a, ip_b, VFR_PROTO_UDP, 0x2000);
	fb_udp(&f, 1000, 53);
	fb_payload(&f, 32, 0);
	fb_finish(&f);
	CHECK(parse_copy(f.b, f.len, &pkt));
	CHECK(pkt.is_fragment && pkt.is_first_fragment && pkt.has_ports);
	CHECK_EQ(pkt.dst_port, 53);

	/* Non-first fragment: no ports, even though the bytes look like UDP. */
	fb_put16(f.b + f.l3 + 6, 0x0010);
	CHECK(parse_copy(f.b, f.len, &pkt));
	CHECK(pkt.is_fragment && !pkt.is_first_fragment);
	CHECK(!pkt.has_ports && !pkt.has_icmp);
	CHECK_EQ(pkt.l4_off, 0);
	CHECK_EQ(pkt.proto, VFR_PROTO_UDP);

	/* The largest offset (13 bits) is not the first fragment either. */
	fb_put16(f.b + f.l3 + 6, 0x1000);
	CHECK(parse_copy(f.b, f.len, &pkt));
	CHECK(!pkt.is_first_fragment && !pkt.has_ports);

	/* A non-first fragment of 1 byte is not truncated: nothing to parse. */
	fb_eth(&f, mac_b, mac_a, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, ip_a, ip_b, VFR_PROTO_TCP, 0x0020);
	fb_payload(&f, 1, 0);
	fb_finish(&f);
	CHECK(parse_copy(f.b, f.len, &pkt));
	CHECK(!pkt.has_ports);
}

static void test_ipv6(void)
{
	struct frame_builder f;
	struct vfr_pkt pkt;

	/* TCP behind hop-by-hop, destination options and a first fragment. */
	fb_eth(&f, mac_b, mac_a, 7, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, ip6_a, ip6_b, 0);
	fb_ipv6_ext(&f, 0, 60, 0, 0);
	fb_ipv6_ext(&f, 60, 44, 1, 0);
	fb_ipv6_ext(&f, 44, VFR_PROTO_TCP, 0, 0x0001);
	fb_tcp(&f, 1234, 22, 7, 0, VFR_TCP_SYN);
	fb_finish(&f);
	CHECK(parse_copy(f.b, f.len, &pkt));
	CHECK_EQ(pkt.src_ip.family, VFR_AF_INET6);
	CHECK(!memcmp(pkt.src_ip.b, ip6_a, 16) && !memcmp(pkt.dst_ip.b, ip6_b, 16));
	CHECK_EQ(pkt.proto, VFR_PROTO_TCP);
	CHECK(pkt.is_fragment && pkt.is_first_fragment);
	CHECK_EQ(pkt.l4_off, 18 + 40 + 8 + 16 + 8);
	CHECK(pkt.has_ports);
	CHECK_EQ(pkt.dst_port, 22);
	CHECK_EQ(pkt.vlan_id, 7);
	check_truncations(&f);

	/* The same with a fragment offset: no L4. */
	fb_put16(f.b + 18 + 40 + 8 + 16 + 2, 0x0100);
	CHECK(parse_copy(f.b, f.len, &pkt));
	CHECK(pkt.is_fragment && !pkt.is_first_fragment && !pkt.has_ports);

	/* ICMPv6 neighbour solicitation behind an AH header. */
	fb_eth(&f, mac_b, mac_a, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, ip6_a, ip6_b, 51);
	f.b[f.len] = VFR_PROTO_ICMPV6;
	f.b[f.len + 1] = 4;	/* (4 + 2) * 4 = 24 bytes */
	memset(f.b + f.len + 2, 0, 22);
	f.len += 24;
	f.proto = VFR_PROTO_ICMPV6;
	fb_icmp(&f, 135, 0);
	fb_payload(&f, 16, 0);
	fb_finish(&f);
	CHECK(parse_copy(f.b, f.len, &pkt));
	CHECK(pkt.has_icmp);
	CHECK_EQ(pkt.icmp_type, 135);
	CHECK_EQ(pkt.l4_off, 14 + 40 + 24);
	check_truncations(&f);

	/* No next header (59): fine, no L4. */
	fb_eth(&f, mac_b, mac_a, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, ip6_a, ip6_b, 59);
	fb_finish(&f);
	CHECK(parse_copy(f.b, f.len, &pkt));
	CHECK_EQ(pkt.proto, 59);
	CHECK(!pkt.has_ports && !pkt.has_icmp);
}

static void test_arp_and_other(void)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero6[6];
	struct frame_builder f;
	struct vfr_pkt pkt;

	fb_eth(&f, bcast, mac_a, -1, VFR_ETHERTYPE_ARP);
	fb_arp(&f, 1, mac_a, ip_a, zero6, ip_b);
	CHECK(parse_copy(f.b, f.len, &pkt));
	CHECK_EQ(pkt.arp_op, 1);
	CHECK(!memcmp(pkt.arp_sender_mac.b, mac_a, 6));
	CHECK(!memcmp(pkt.arp_sender_ip.b, ip_a, 4));
	CHECK(!memcmp(pkt.arp_target_ip.b, ip_b, 4));
	CHECK_EQ(pkt.src_ip.family, VFR_AF_NONE);
	check_truncations(&f);

	/* Unknown ethertype: only L2 is filled in. */
	fb_eth(&f, mac_b, mac_a, -1, 0x88cc);
	fb_payload(&f, 40, 0);
	CHECK(parse_copy(f.b, f.len, &pkt));
	CHECK_EQ(pkt.ethertype, 0x88cc);
	CHECK_EQ(pkt.src_ip.family, VFR_AF_NONE);
	CHECK(parse_copy(f.b, 14, &pkt));
	CHECK(!parse_copy(f.b, 13, &pkt));
}

/* The frame must be refused, for exactly the reason given. */
static void expect_bad(struct frame_builder *f, const char *reason)
{
	struct vfr_pkt pkt;

	CHECK(!parse_copy(f->b, f->len, &pkt));
	CHECK(pkt.malformed != NULL);
	if (pkt.malformed && strcmp(pkt.malformed, reason)) {
		fprintf(stderr, "  got \"%s\", expected \"%s\"\n",
			pkt.malformed, reason);
		CHECK(0);
	}
}

static void good_v4(struct frame_builder *f, uint8_t proto)
{
	fb_eth(f, mac_b, mac_a, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(f, ip_a, ip_b, proto, 0);
	if (proto == VFR_PROTO_TCP)
		fb_tcp(f, 1, 2, 3, 4, VFR_TCP_ACK);
	else
		fb_udp(f, 1, 2);
	fb_payload(f, 8, 0);
	fb_finish(f);
}

static void good_v6(struct frame_builder *f)
{
	fb_eth(f, mac_b, mac_a, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(f, ip6_a, ip6_b, 60);
	fb_ipv6_ext(f, 60, VFR_PROTO_TCP, 0, 0);
	fb_tcp(f, 1, 2, 3, 4, VFR_TCP_ACK);
	fb_finish(f);
}

static void test_bad_corpus(void)
{
	struct frame_builder f;
	uint32_t ip;

	good_v4(&f, VFR_PROTO_TCP);
	ip = f.l3;
	f.b[ip] = 0x44;
	expect_bad(&f, "ipv4: ihl < 5");
	f.b[ip] = 0x4f;
	expect_bad(&f, "ipv4: options run past the end");
	f.b[ip] = 0x65;
	expect_bad(&f, "ipv4: version is not 4");
	f.b[ip] = 0x45;
	fb_put16(f.b + ip + 2, (uint16_t)(f.len - ip + 1));
	expect_bad(&f, "ipv4: total length > frame");
	fb_put16(f.b + ip + 2, 19);
	expect_bad(&f, "ipv4: total length < header length");
	/* Total length that cuts the TCP header short. */
	fb_put16(f.b + ip + 2, 30);
	expect_bad(&f, "tcp: truncated header");
	fb_put16(f.b + ip + 2, (uint16_t)(f.len - ip));
	f.b[f.l4 + 12] = 4 << 4;
	expect_bad(&f, "tcp: data offset < 5");
	f.b[f.l4 + 12] = 8 << 4;	/* 32 bytes, only 28 there */
	expect_bad(&f, "tcp: options run past the end");
	f.b[f.l4 + 12] = 5 << 4;
	fb_put16(f.b + ip + 6, 0x2001);
	expect_bad(&f, "ipv4: tcp fragment at offset 8");

	good_v4(&f, VFR_PROTO_UDP);
	fb_put16(f.b + f.l4 + 4, 7);
	expect_bad(&f, "udp: length < 8");
	fb_put16(f.b + f.l4 + 4, 17);
	expect_bad(&f, "udp: length > ip payload");

	good_v6(&f);
	ip = f.l3;
	f.b[ip] = 0x40;
	expect_bad(&f, "ipv6: version is not 6");
	f.b[ip] = 0x60;
	fb_put16(f.b + ip + 4, (uint16_t)(f.len - ip - 40 + 1));
	expect_bad(&f, "ipv6: payload length > frame");
	fb_put16(f.b + ip + 4, (uint16_t)(f.len - ip - 40));
	f.b[ip + 41] = 200;	/* destination options claim 1608 bytes */
	expect_bad(&f, "ipv6: extension header runs past the end");
	f.b[ip + 41] = 0;
	fb_put16(f.b + ip + 4, 4);	/* chain cut inside the header */
	expect_bad(&f, "ipv6: extension header runs past the end");
	fb_put16(f.b + ip + 4, (uint16_t)(f.len - ip - 40));
	f.b[ip + 40] = 0;	/* hop-by-hop after destination options */
	expect_bad(&f, "ipv6: hop-by-hop not first");

	/* A fragment header cut after 2 bytes, at the very end of the frame. */
	fb_eth(&f, mac_b, mac_a, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, ip6_a, ip6_b, 44);
	fb_payload(&f, 2, VFR_PROTO_TCP);
	fb_finish(&f);
	expect_bad(&f, "ipv6: extension header runs past the end");

	/* An endless chain of destination options. */
	fb_eth(&f, mac_b, mac_a, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, ip6_a, ip6_b, 60);
	for (ip = 0; ip < 12; ip++)
		fb_ipv6_ext(&f, 60, 60, 0, 0);
	fb_finish(&f);
	expect_bad(&f, "ipv6: too many extension headers");

	/* Stacked VLAN tags and non-Ethernet ARP. */
	fb_eth(&f, mac_b, mac_a, 5, VFR_ETHERTYPE_VLAN);
	fb_payload(&f, 50, 0);
	expect_bad(&f, "vlan: stacked 802.1Q tags");
	fb_eth(&f, mac_b, mac_a, -1, VFR_ETHERTYPE_ARP);
	fb_arp(&f, 1, mac_a, ip_a, mac_b, ip_b);
	f.b[f.l3 + 4] = 8;
	expect_bad(&f, "arp: not Ethernet/IPv4");

	/* ICMP with fewer than 8 bytes. */
	fb_eth(&f, mac_b, mac_a, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, ip_a, ip_b, VFR_PROTO_ICMP, 0);
	fb_payload(&f, 4, 8);
	fb_finish(&f);
	expect_bad(&f, "icmp: truncated header");
}

/* Random bytes, with good headers sprinkled in, must never crash. */
static void test_random(void)
{
	struct frame_builder f;
	struct vfr_pkt pkt;
	unsigned int seed = 1, i, j;

	for (i = 0; i < 20000; i++) {
		good_v4(&f, i & 1 ? VFR_PROTO_TCP : VFR_PROTO_UDP);
		if (i & 2)
			good_v6(&f);
		for (j = 0; j < 1 + i % 4; j++)
			f.b[rand_r(&seed) % f.len] = (uint8_t)rand_r(&seed);
		if (parse_copy(f.b, f.len, &pkt))
			CHECK(pkt.malformed == NULL);
		else
			CHECK(pkt.malformed != NULL);
		CHECK(pkt.l4_off <= f.len);
	}
}

int main(void)
{
	test_ipv4_tcp(-1);
	test_ipv4_tcp(100);
	test_ipv4_options_udp_dhcp();
	test_ipv4_icmp_and_fragments();
	test_ipv6();
	test_arp_and_other();
	test_bad_corpus();
	test_random();
	return check_done();
}
