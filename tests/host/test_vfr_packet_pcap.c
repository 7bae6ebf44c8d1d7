/*
 * test_vfr_packet_pcap.c - cross-check vfr_packet_parse() against libpcap.
 *
 * Random frames (VLAN or not; IPv4 with options and fragments, IPv6 with
 * extension headers, ARP, other ethertypes; TCP, UDP, ICMP, ICMPv6, other
 * protocols; ports and flags drawn from small sets so filters do match) are
 * parsed by the VFR and run through tcpdump expressions compiled with
 * pcap_compile_nopcap(65535, DLT_EN10MB, ...) and pcap_offline_filter().
 * For each expression a predicate over the parsed fields says what libpcap
 * must answer; they must agree on every frame that parses.  Where libpcap's
 * documented semantics differ from a full parse (it sees an IPv6 upper layer
 * only right after the fixed header or after one fragment header, and an
 * untagged-only `ip` without `vlan`), the predicate says so explicitly.
 */
#include <pcap/pcap.h>
#include <stdlib.h>
#include "check.h"
#include "vfr_frames.h"

/* How the generator built the IPv6 extension header chain. */
enum chain { CHAIN_NONE, CHAIN_FRAG, CHAIN_LONG };

struct sample {
	struct vfr_pkt pkt;
	enum chain chain;
};

static bool is_v4(const struct sample *s)
{
	return s->pkt.ethertype == VFR_ETHERTYPE_IPV4;
}

static bool is_v6(const struct sample *s)
{
	return s->pkt.ethertype == VFR_ETHERTYPE_IPV6;
}

/* libpcap's "ip6 proto N" (and so "tcp", "udp", "icmp6" for IPv6). */
static bool v6_proto_visible(const struct sample *s, uint8_t proto)
{
	return is_v6(s) && s->pkt.proto == proto && s->chain != CHAIN_LONG;
}

static bool e_tcp_dport80(const struct sample *s)
{
	const struct vfr_pkt *p = &s->pkt;
	bool port = p->has_ports && p->proto == VFR_PROTO_TCP && p->dst_port == 80;

	return !p->has_vlan && port && (is_v4(s) || s->chain == CHAIN_NONE);
}

static bool e_udp(const struct sample *s)
{
	return !s->pkt.has_vlan && ((is_v4(s) && s->pkt.proto == VFR_PROTO_UDP) ||
				    v6_proto_visible(s, VFR_PROTO_UDP));
}

static bool e_icmp(const struct sample *s)
{
	return !s->pkt.has_vlan && is_v4(s) && s->pkt.proto == VFR_PROTO_ICMP;
}

static bool e_icmp6(const struct sample *s)
{
	return !s->pkt.has_vlan && v6_proto_visible(s, VFR_PROTO_ICMPV6);
}

static bool e_ip6_tcp(const struct sample *s)
{
	return !s->pkt.has_vlan && v6_proto_visible(s, VFR_PROTO_TCP);
}

static bool e_protochain_tcp(const struct sample *s)
{
	return !s->pkt.has_vlan && is_v6(s) && s->pkt.proto == VFR_PROTO_TCP;
}

static bool e_arp(const struct sample *s)
{
	return !s->pkt.has_vlan && s->pkt.ethertype == VFR_ETHERTYPE_ARP;
}

static bool e_vlan_ip(const struct sample *s)
{
	return s->pkt.has_vlan && is_v4(s);
}

static bool e_vlan100_ip6(const struct sample *s)
{
	return s->pkt.has_vlan && s->pkt.vlan_id == 100 && is_v6(s);
}

static bool e_nonfirst_frag(const struct sample *s)
{
	return !s->pkt.has_vlan && is_v4(s) && !s->pkt.is_first_fragment;
}

static bool e_syn(const struct sample *s)
{
	const struct vfr_pkt *p = &s->pkt;

	return !p->has_vlan && is_v4(s) && p->has_ports &&
	       p->proto == VFR_PROTO_TCP && (p->tcp_flags & VFR_TCP_SYN);
}

static bool e_dhcp(const struct sample *s)
{
	return !s->pkt.has_vlan && s->pkt.is_dhcp_client;
}

static bool e_echo(const struct sample *s)
{
	return e_icmp(s) && s->pkt.has_icmp && s->pkt.icmp_type == 8;
}

static bool e_src_mac(const struct sample *s)
{
	static const uint8_t mac[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x01 };

	return !memcmp(s->pkt.src_mac.b, mac, 6);
}

static const struct {
	const char *expr;
	bool (*expect)(const struct sample *s);
} exprs[] = {
	{ "tcp dst port 80", e_tcp_dport80 },
	{ "udp", e_udp },
	{ "icmp", e_icmp },
	{ "icmp6", e_icmp6 },
	{ "ip6 and tcp", e_ip6_tcp },
	{ "ip6 protochain 6", e_protochain_tcp },
	{ "arp", e_arp },
	{ "vlan and ip", e_vlan_ip },
	{ "vlan 100 and ip6", e_vlan100_ip6 },
	{ "ip[6:2] & 0x1fff != 0", e_nonfirst_frag },
	{ "ip and tcp[tcpflags] & tcp-syn != 0", e_syn },
	{ "ip and udp src port 68 and udp dst port 67", e_dhcp },
	{ "icmp[icmptype] == icmp-echo", e_echo },
	{ "ether src 00:16:3e:00:00:01", e_src_mac },
};
#define N_EXPRS (sizeof(exprs) / sizeof(exprs[0]))

static unsigned int seed = 7;

static uint32_t rnd(uint32_t n)
{
	return (uint32_t)rand_r(&seed) % n;
}

static void gen_l4(struct frame_builder *f, uint8_t proto)
{
	static const uint16_t ports[] = { 80, 67, 68, 443, 53, 8080 };
	static const uint8_t flags[] = { VFR_TCP_SYN, VFR_TCP_ACK,
					 VFR_TCP_SYN | VFR_TCP_ACK, VFR_TCP_RST };

	if (proto == VFR_PROTO_TCP)
		fb_tcp(f, ports[rnd(6)], ports[rnd(6)], rnd(1000), 0,
		       flags[rnd(4)]);
	else if (proto == VFR_PROTO_UDP)
		fb_udp(f, ports[rnd(6)], ports[rnd(6)]);
	else if (proto == VFR_PROTO_ICMP || proto == VFR_PROTO_ICMPV6)
		fb_icmp(f, (uint8_t)(rnd(2) ? 8 : rnd(256)), 0);
	fb_payload(f, rnd(40), 0x5a);
}

static void gen_ipv4(struct frame_builder *f)
{
	static const uint8_t protos[] = { VFR_PROTO_TCP, VFR_PROTO_UDP,
					  VFR_PROTO_ICMP, 47 };
	uint8_t src[4] = { 10, 0, 0, (uint8_t)rnd(4) }, dst[4] = { 10, 0, 0, 9 };
	uint8_t proto = protos[rnd(4)];
	uint16_t frag = rnd(4) ? 0 : (uint16_t)(rnd(2) << 13 | rnd(3) * 8);
	uint32_t opt = rnd(3) * 4;

	if (rnd(8) == 0)
		memset(src, 0, 4);
	fb_ipv4(f, src, dst, proto, frag);
	f->b[f->l3] = (uint8_t)(0x45 + opt / 4);
	fb_payload(f, opt, 1);	/* NOP options */
	if (frag & 0x1fff)
		fb_payload(f, 8 + rnd(20), 0xee);
	else
		gen_l4(f, proto);
}

static enum chain gen_ipv6(struct frame_builder *f)
{
	static const uint8_t protos[] = { VFR_PROTO_TCP, VFR_PROTO_UDP,
					  VFR_PROTO_ICMPV6, 59 };
	uint8_t src[16] = { 0xfe, 0x80, [15] = 1 }, dst[16] = { 0xff, 0x02, [15] = 1 };
	uint8_t proto = protos[rnd(4)];
	enum chain chain = (enum chain)rnd(3);
	uint16_t frag = rnd(2) ? 0 : (uint16_t)(rnd(3) * 8 | 1);

	if (chain == CHAIN_NONE) {
		fb_ipv6(f, src, dst, proto);
	} else if (chain == CHAIN_FRAG) {
		fb_ipv6(f, src, dst, 44);
		fb_ipv6_ext(f, 44, proto, 0, frag);
	} else {
		fb_ipv6(f, src, dst, 0);
		fb_ipv6_ext(f, 0, 60, 0, 0);
		fb_ipv6_ext(f, 60, proto, (uint8_t)rnd(3), 0);
	}
	if (chain == CHAIN_FRAG && (frag & 0xfff8))
		fb_payload(f, 8, 0xee);
	else
		gen_l4(f, proto);
	return chain;
}

static enum chain gen_frame(struct frame_builder *f)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t src[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, (uint8_t)rnd(3) };
	static const uint16_t types[] = { VFR_ETHERTYPE_IPV4, VFR_ETHERTYPE_IPV6,
					  VFR_ETHERTYPE_ARP, 0x88cc };
	uint16_t type = types[rnd(4)];
	int vlan = rnd(3) ? -1 : (int)(rnd(2) ? 100 : rnd(4096));
	enum chain chain = CHAIN_NONE;

	fb_eth(f, bcast, src, vlan, type);
	if (type == VFR_ETHERTYPE_IPV4)
		gen_ipv4(f);
	else if (type == VFR_ETHERTYPE_IPV6)
		chain = gen_ipv6(f);
	else if (type == VFR_ETHERTYPE_ARP)
		fb_arp(f, 1, src, (const uint8_t[4]){ 10, 0, 0, 1 }, bcast,
		       (const uint8_t[4]){ 10, 0, 0, 2 });
	else
		fb_payload(f, 46, 0);
	fb_finish(f);
	return chain;
}

int main(void)
{
	struct bpf_program progs[N_EXPRS];
	unsigned long matches[N_EXPRS] = { 0 }, parsed = 0;
	struct frame_builder f;
	struct sample s;
	size_t i;
	int n;

	for (i = 0; i < N_EXPRS; i++) {
		/* Deprecated, but it needs no pcap_t. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
		int rc = pcap_compile_nopcap(65535, DLT_EN10MB, &progs[i],
					     exprs[i].expr, 1,
					     PCAP_NETMASK_UNKNOWN);
#pragma GCC diagnostic pop

		CHECK_EQ(rc, 0);
		if (rc)
			return check_done();
	}
	for (n = 0; n < 20000; n++) {
		struct pcap_pkthdr hdr = { 0 };

		s.chain = gen_frame(&f);
		if (!vfr_packet_parse(f.b, f.len, &s.pkt))
			continue;
		parsed++;
		hdr.caplen = hdr.len = f.len;
		for (i = 0; i < N_EXPRS; i++) {
			bool want = exprs[i].expect(&s);
			bool got = pcap_offline_filter(&progs[i], &hdr, f.b) != 0;

			CHECK_EQ(got, want);
			if (got != want)
				fprintf(stderr, "  frame %d: \"%s\" pcap %d vfr %d\n",
					n, exprs[i].expr, got, want);
			matches[i] += got;
		}
	}
	CHECK(parsed > 15000);
	for (i = 0; i < N_EXPRS; i++) {
		/* Every expression must match some frames and miss others. */
		CHECK(matches[i] > 20 && matches[i] < parsed);
		printf("%-45s matched %lu of %lu\n", exprs[i].expr,
		       matches[i], parsed);
		pcap_freecode(&progs[i]);
	}
	return check_done();
}
