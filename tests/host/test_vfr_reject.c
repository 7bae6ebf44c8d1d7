/*
 * test_vfr_reject.c - unit tests of reject replies (vfr/reject.c).
 *
 * Each reply is checked field by field after parsing it with
 * vfr_packet_parse() (addresses and ports swapped, RFC 793 seq/ack, quoted
 * bytes, checksums summing to zero), then all replies are written to a
 * pcap file and decoded by `tcpdump -r FILE -vv -n`, whose output must
 * contain no checksum complaint and must describe each reply.  A control
 * frame with a broken checksum proves tcpdump's complaint is recognised.
 * Frames that must not be answered are refused with -VFR_EPERM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"
#include "reject.h"
#include "vfr_frames.h"

static const uint8_t mac_c[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x01 };
static const uint8_t mac_s[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x02 };
static const uint8_t ip_c[4] = { 10, 0, 0, 1 }, ip_s[4] = { 10, 0, 0, 2 };
static const uint8_t ip6_c[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t ip6_s[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

#define MAX_REPLIES 16
static uint8_t replies[MAX_REPLIES][VFR_REJECT_MAX_FRAME];
static uint32_t reply_len[MAX_REPLIES];
static int n_replies;

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The L4 checksum of a parsed reply, including the pseudo-header: 0. */
static uint16_t l4_csum(const struct vfr_pkt *r)
{
	const uint8_t *ip = r->frame + r->l3_off;
	uint32_t end = r->src_ip.family == VFR_AF_INET6 ?
		       r->l3_off + 40u + (uint32_t)(ip[4] << 8 | ip[5]) :
		       r->l3_off + (uint32_t)(ip[2] << 8 | ip[3]);
	uint32_t len = end - r->l4_off, sum = 0;

	if (r->proto != VFR_PROTO_ICMP)
		sum = vfr_csum_pseudo(0, &r->src_ip, &r->dst_ip, r->proto, len);
	return vfr_csum_finish(vfr_csum_add(sum, r->frame + r->l4_off, len));
}

/*
 * Build the reply to the finished frame f, parse it into *r, and check
 * what every reply shares.
 */
static bool reply_to(struct frame_builder *f, struct vfr_pkt *r)
{
	struct vfr_pkt orig;
	uint8_t *out = replies[n_replies];
	int len;

	CHECK(vfr_packet_parse(f->b, f->len, &orig));
	len = vfr_reject_build(&orig, out, VFR_REJECT_MAX_FRAME);
	CHECK(len > 0);
	if (len <= 0 || n_replies == MAX_REPLIES)
		return false;
	reply_len[n_replies++] = (uint32_t)len;
	CHECK(vfr_packet_parse(out, (uint32_t)len, r));
	CHECK(!memcmp(r->dst_mac.b, orig.src_mac.b, 6));
	CHECK(!memcmp(r->src_mac.b, orig.dst_mac.b, 6));
	CHECK_EQ(r->has_vlan, orig.has_vlan);
	CHECK(!memcmp(out + 12, f->b + 12, orig.l3_off - 12u));	/* tag */
	CHECK(!memcmp(r->src_ip.b, orig.dst_ip.b, 16));
	CHECK(!memcmp(r->dst_ip.b, orig.src_ip.b, 16));
	CHECK_EQ(r->ttl, 64);
	if (r->src_ip.family == VFR_AF_INET)
		CHECK_EQ(vfr_csum_finish(vfr_csum_add(0, out + r->l3_off, 20)), 0);
	CHECK_EQ(l4_csum(r), 0);
	return true;
}

static void test_tcp_rst(void)
{
	struct frame_builder f;
	struct vfr_pkt r;

	/* SYN, no ACK: <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>. */
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, ip_c, ip_s, VFR_PROTO_TCP, 0x4000);
	fb_tcp(&f, 40000, 80, 1000, 0, VFR_TCP_SYN);
	fb_finish(&f);
	if (reply_to(&f, &r)) {
		CHECK_EQ(r.src_port, 80);
		CHECK_EQ(r.dst_port, 40000);
		CHECK_EQ(r.tcp_flags, VFR_TCP_RST | VFR_TCP_ACK);
		CHECK_EQ(be32(r.frame + r.l4_off + 4), 0);
		CHECK_EQ(be32(r.frame + r.l4_off + 8), 1001);
	}
	/* With ACK: <SEQ=SEG.ACK><CTL=RST>, whatever the payload. */
	fb_eth(&f, mac_s, mac_c, 42, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, ip_c, ip_s, VFR_PROTO_TCP, 0);
	fb_tcp(&f, 40001, 443, 5, 0xfffffff0u, VFR_TCP_ACK | VFR_TCP_PSH);
	fb_payload(&f, 100, 'a');
	fb_finish(&f);
	fb_payload(&f, 20, 0);	/* Ethernet padding is not payload */
	if (reply_to(&f, &r)) {
		CHECK_EQ(r.tcp_flags, VFR_TCP_RST);
		CHECK_EQ(be32(r.frame + r.l4_off + 4), 0xfffffff0u);
		CHECK(r.has_vlan && r.vlan_id == 42);
	}
	/* No ACK, 10 bytes and FIN: ACK = SEQ + 11, wrapping. */
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, ip6_c, ip6_s, VFR_PROTO_TCP);
	fb_tcp(&f, 1, 22, 0xfffffffau, 0, VFR_TCP_FIN);
	fb_payload(&f, 10, 'b');
	fb_finish(&f);
	if (reply_to(&f, &r)) {
		CHECK_EQ(r.tcp_flags, VFR_TCP_RST | VFR_TCP_ACK);
		CHECK_EQ(be32(r.frame + r.l4_off + 8), 5);
		CHECK_EQ(r.src_ip.family, VFR_AF_INET6);
	}
}

static void test_icmp(void)
{
	struct frame_builder f;
	struct vfr_pkt r;
	const uint8_t *quote;

	/* UDP with 4 bytes of IP options: quote is 24 + 8 bytes. */
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, ip_c, ip_s, VFR_PROTO_UDP, 0);
	f.b[f.l3] = 0x46;
	fb_payload(&f, 4, 1);
	fb_udp(&f, 5353, 53);
	fb_payload(&f, 40, 'q');
	fb_finish(&f);
	/* fb_finish summed only 20 header bytes: redo it over 24. */
	fb_put16(f.b + f.l3 + 10, 0);
	fb_put16(f.b + f.l3 + 10, vfr_csum_finish(vfr_csum_add(0, f.b + f.l3, 24)));
	if (reply_to(&f, &r)) {
		CHECK(r.has_icmp);
		CHECK_EQ(r.icmp_type, 3);
		CHECK_EQ(r.icmp_code, 3);
		CHECK_EQ(r.len, 14 + 20 + 8 + 24 + 8);
		quote = r.frame + r.l4_off + 8;
		CHECK(!memcmp(quote, f.b + f.l3, 32));
	}
	/* An echo request is not an error: it may be rejected. */
	fb_eth(&f, mac_s, mac_c, 7, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, ip_c, ip_s, VFR_PROTO_ICMP, 0);
	fb_icmp(&f, 8, 0);
	fb_finish(&f);
	if (reply_to(&f, &r))
		CHECK_EQ(r.len, 18 + 20 + 8 + 28);
	/* IPv6 UDP of 1500 bytes: the reply stops at 1280 bytes of IPv6. */
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, ip6_c, ip6_s, VFR_PROTO_UDP);
	fb_udp(&f, 7, 9);
	fb_payload(&f, 1500 - 48, 'z');
	fb_finish(&f);
	if (reply_to(&f, &r)) {
		CHECK_EQ(r.icmp_type, 1);
		CHECK_EQ(r.icmp_code, 4);
		CHECK_EQ(r.len, 14 + 1280);
		CHECK(!memcmp(r.frame + r.l4_off + 8, f.b + f.l3, 1232));
	}
	/* A short IPv6 packet is quoted whole. */
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, ip6_c, ip6_s, VFR_PROTO_UDP);
	fb_udp(&f, 7, 9);
	fb_finish(&f);
	if (reply_to(&f, &r))
		CHECK_EQ(r.len, 14 + 40 + 8 + 48);
}

static void expect_refused(struct frame_builder *f, int rc)
{
	static uint8_t out[VFR_REJECT_MAX_FRAME];
	struct vfr_pkt pkt;

	fb_finish(f);
	vfr_packet_parse(f->b, f->len, &pkt);
	CHECK_EQ(vfr_reject_build(&pkt, out, sizeof(out)), rc);
}

static void test_refused(void)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t group[4] = { 224, 0, 0, 1 }, zero[4];
	static const uint8_t lo[4] = { 127, 0, 0, 1 };
	static const uint8_t all[4] = { 255, 255, 255, 255 };
	static const uint8_t group6[16] = { 0xff, 0x02, [15] = 1 }, zero6[16];
	struct frame_builder f;
	uint8_t small[128];
	struct vfr_pkt pkt;

	fb_eth(&f, bcast, mac_c, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, ip_c, ip_s, VFR_PROTO_UDP, 0);
	fb_udp(&f, 1, 2);
	expect_refused(&f, -VFR_EPERM);
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, ip_c, group, VFR_PROTO_UDP, 0);
	fb_udp(&f, 1, 2);
	expect_refused(&f, -VFR_EPERM);
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, ip_c, all, VFR_PROTO_UDP, 0);
	fb_udp(&f, 1, 2);
	expect_refused(&f, -VFR_EPERM);
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, zero, ip_s, VFR_PROTO_UDP, 0);
	fb_udp(&f, 68, 67);
	expect_refused(&f, -VFR_EPERM);
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, lo, ip_s, VFR_PROTO_UDP, 0);
	fb_udp(&f, 1, 2);
	expect_refused(&f, -VFR_EPERM);
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV4);	/* ICMP error */
	fb_ipv4(&f, ip_c, ip_s, VFR_PROTO_ICMP, 0);
	fb_icmp(&f, 3, 1);
	fb_payload(&f, 28, 0);
	expect_refused(&f, -VFR_EPERM);
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV4);	/* not first */
	fb_ipv4(&f, ip_c, ip_s, VFR_PROTO_UDP, 0x0004);
	fb_payload(&f, 16, 0);
	expect_refused(&f, -VFR_EPERM);
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV4);
	fb_ipv4(&f, ip_c, ip_s, VFR_PROTO_TCP, 0);
	fb_tcp(&f, 1, 2, 3, 4, VFR_TCP_RST | VFR_TCP_ACK);
	expect_refused(&f, -VFR_EPERM);
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, ip6_c, ip6_s, VFR_PROTO_ICMPV6);
	fb_icmp(&f, 1, 4);
	expect_refused(&f, -VFR_EPERM);
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, ip6_c, group6, VFR_PROTO_UDP);
	fb_udp(&f, 1, 2);
	expect_refused(&f, -VFR_EPERM);
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV6);
	fb_ipv6(&f, zero6, ip6_s, VFR_PROTO_UDP);
	fb_udp(&f, 1, 2);
	expect_refused(&f, -VFR_EPERM);
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_ARP);
	fb_arp(&f, 1, mac_c, ip_c, mac_s, ip_s);
	expect_refused(&f, -VFR_EPERM);
	fb_eth(&f, mac_s, mac_c, -1, 0x88b5);
	expect_refused(&f, -VFR_EPERM);
	fb_eth(&f, mac_s, mac_c, -1, VFR_ETHERTYPE_IPV4);	/* malformed */
	fb_ipv4(&f, ip_c, ip_s, VFR_PROTO_UDP, 0);
	fb_udp(&f, 1, 2);
	fb_finish(&f);
	f.b[f.l3] = 0x44;
	vfr_packet_parse(f.b, f.len, &pkt);
	CHECK_EQ(vfr_reject_build(&pkt, small, sizeof(small)), -VFR_EINVAL);
	/* A buffer too small for the reply. */
	f.b[f.l3] = 0x45;
	CHECK(vfr_packet_parse(f.b, f.len, &pkt));
	CHECK_EQ(vfr_reject_build(&pkt, small, 14 + 20 + 8 + 28 - 1),
		 -VFR_ENOSPC);
	CHECK_EQ(vfr_reject_build(&pkt, small, 14 + 20 + 8 + 28),
		 14 + 20 + 8 + 28);
}

static void write_pcap(const char *path,
		       uint8_t (*frames)[VFR_REJECT_MAX_FRAME],
		       const uint32_t *lens, int n)
{
	uint32_t global[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1 };
	FILE *fp = fopen(path, "wb");
	int i;

	CHECK(fp != NULL);
	if (!fp)
		return;
	fwrite(global, 4, 6, fp);
	for (i = 0; i < n; i++) {
		uint32_t rec[4] = { 1700000000u + (uint32_t)i, 0, lens[i], lens[i] };

		fwrite(rec, 4, 4, fp);
		fwrite(frames[i], 1, lens[i], fp);
	}
	fclose(fp);
}

/* Run tcpdump -vv on the file; its output into buf.  False if it failed. */
static bool tcpdump(const char *path, char *buf, size_t size)
{
	char cmd[256];
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "tcpdump -r %s -e -vv -n 2>&1", path);
	p = popen(cmd, "r");
	if (!p)
		return false;
	n = fread(buf, 1, size - 1, p);
	buf[n] = '\0';
	return pclose(p) == 0;
}

static bool complains(const char *out)
{
	return strstr(out, "bad cksum") || strstr(out, "incorrect") ||
	       strstr(out, "bad icmp") || strstr(out, "wrong");
}

/* Reply i with byte `at` changed must make tcpdump complain. */
static void check_control(const char *path, int i, uint32_t at)
{
	static uint8_t control[1][VFR_REJECT_MAX_FRAME];
	static char out[65536];

	memcpy(control[0], replies[i], reply_len[i]);
	control[0][at] ^= 0x55;
	write_pcap(path, control, &reply_len[i], 1);
	CHECK(tcpdump(path, out, sizeof(out)));
	CHECK(complains(out));
	if (!complains(out))
		fprintf(stderr, "  control %d/%u not flagged: %s", i, at, out);
}

static void test_tcpdump(void)
{
	static char out[65536];
	char path[] = "/tmp/test_vfr_reject_XXXXXX";
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	close(fd);
	write_pcap(path, replies, reply_len, n_replies);
	CHECK(tcpdump(path, out, sizeof(out)));
	printf("%s", out);
	CHECK(!complains(out));
	CHECK(strstr(out, "(correct), seq 0, ack 1001,") != NULL);
	CHECK(strstr(out, "Flags [R], cksum") != NULL);
	CHECK(strstr(out, "(correct), seq 4294967280, win 0") != NULL);
	CHECK(strstr(out, "(correct), seq 0, ack 5,") != NULL);
	CHECK(strstr(out, "[icmp6 sum ok]") != NULL);
	CHECK(strstr(out, "udp port 53 unreachable") != NULL);
	CHECK(strstr(out, "ICMP6, destination unreachable, unreachable port") != NULL);
	CHECK(strstr(out, "vlan 42") != NULL);

	/* Controls: a broken IPv4, TCP, ICMP or ICMPv6 checksum is flagged. */
	check_control(path, 0, 14 + 10);	/* IPv4 header checksum */
	check_control(path, 0, 14 + 20 + 16);	/* TCP checksum */
	check_control(path, 3, 14 + 20 + 2);	/* ICMP checksum */
	check_control(path, 5, 14 + 40 + 2);	/* ICMPv6 checksum */
	unlink(path);
}

int main(void)
{
	test_tcp_rst();
	test_icmp();
	test_refused();
	test_tcpdump();
	return check_done();
}
