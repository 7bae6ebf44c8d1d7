/*
 * reject.c - building TCP RST, ICMP and ICMPv6 replies; see reject.h.
 *
 * The reply is laid out as Ethernet (+ tag) | IP header | L4.  Each piece
 * is written by one function at a known offset once the total length is
 * known and checked against cap, so nothing is written past out[cap - 1].
 * Everything read from the original comes from pkt's parsed fields or from
 * pkt->frame inside the bounds the parser checked: [0, l3 end) where l3
 * end is the IP datagram's end (never the frame's padding).
 */
#include "reject.h"
#include "csum.h"

#define ETH_HLEN	14
#define IPV4_HLEN	20
#define IPV6_HLEN	40
#define TCP_HLEN	20
#define ICMP_HLEN	8
#define IPV6_MIN_MTU	1280
#define REPLY_TTL	64

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* One past the last byte of the IP datagram, as the parser checked it. */
static uint32_t ip_end(const struct vfr_pkt *pkt)
{
	const uint8_t *ip = pkt->frame + pkt->l3_off;
	uint32_t len;

	if (pkt->src_ip.family == VFR_AF_INET6)
		len = IPV6_HLEN + (uint32_t)(ip[4] << 8 | ip[5]);
	else
		len = (uint32_t)(ip[2] << 8 | ip[3]);
	return pkt->l3_off + len;
}

static bool ipv4_is_unique_host(const uint8_t *a)
{
	return a[0] != 0 && a[0] != 127 && a[0] < 224;
}

static bool ipv4_is_group(const uint8_t *a)
{
	static const uint8_t bcast[4] = { 255, 255, 255, 255 };

	return a[0] >= 224 || !memcmp(a, bcast, 4);
}

static bool icmp_is_error(const struct vfr_pkt *pkt)
{
	if (!pkt->has_icmp)
		return false;
	if (pkt->src_ip.family == VFR_AF_INET6)
		return pkt->icmp_type < 128;
	switch (pkt->icmp_type) {
	case 3: case 4: case 5: case 11: case 12:
		return true;
	default:
		return false;
	}
}

static bool addresses_allow_reply(const struct vfr_pkt *pkt)
{
	static const uint8_t zero[16];
	const uint8_t *s = pkt->src_ip.b, *d = pkt->dst_ip.b;

	if (pkt->src_ip.family == VFR_AF_INET)
		return ipv4_is_unique_host(s) && !ipv4_is_group(d);
	if (pkt->src_ip.family == VFR_AF_INET6)
		return memcmp(s, zero, 16) && s[0] != 0xff && d[0] != 0xff;
	return false;
}

bool vfr_reject_allowed(const struct vfr_pkt *pkt)
{
	if (pkt->malformed)
		return false;
	if ((pkt->dst_mac.b[0] & 1) || (pkt->src_mac.b[0] & 1))
		return false;
	if (!addresses_allow_reply(pkt) || !pkt->is_first_fragment)
		return false;
	if (icmp_is_error(pkt))
		return false;
	if (pkt->proto == VFR_PROTO_TCP && (pkt->tcp_flags & VFR_TCP_RST))
		return false;
	return true;
}

/* Ethernet header with swapped MACs and the original tag and type. */
static void put_eth(const struct vfr_pkt *pkt, uint8_t *out)
{
	memcpy(out, pkt->src_mac.b, VFR_ETH_ALEN);
	memcpy(out + VFR_ETH_ALEN, pkt->dst_mac.b, VFR_ETH_ALEN);
	/* The tag (TPID, PCP, DEI, VID) is copied verbatim. */
	memcpy(out + 12, pkt->frame + 12, pkt->l3_off - 12u);
}

/* IP header from the original's destination to its source. */
static void put_ip(const struct vfr_pkt *pkt, uint8_t *ip, uint8_t proto,
		   uint32_t payload_len)
{
	if (pkt->src_ip.family == VFR_AF_INET6) {
		memset(ip, 0, IPV6_HLEN);
		ip[0] = 0x60;
		put_be16(ip + 4, (uint16_t)payload_len);
		ip[6] = proto;
		ip[7] = REPLY_TTL;
		memcpy(ip + 8, pkt->dst_ip.b, 16);
		memcpy(ip + 24, pkt->src_ip.b, 16);
		return;
	}
	memset(ip, 0, IPV4_HLEN);
	ip[0] = 0x45;
	put_be16(ip + 2, (uint16_t)(IPV4_HLEN + payload_len));
	put_be16(ip + 6, 0x4000);	/* DF */
	ip[8] = REPLY_TTL;
	ip[9] = proto;
	memcpy(ip + 12, pkt->dst_ip.b, 4);
	memcpy(ip + 16, pkt->src_ip.b, 4);
	put_be16(ip + 10, vfr_csum_finish(vfr_csum_add(0, ip, IPV4_HLEN)));
}

/* Checksum of an L4 message; ICMPv4 alone has no pseudo-header. */
static void put_l4_csum(const struct vfr_pkt *pkt, uint8_t *l4, uint32_t len,
			uint8_t proto, uint32_t csum_off)
{
	uint32_t sum = 0;

	if (proto != VFR_PROTO_ICMP)
		sum = vfr_csum_pseudo(0, &pkt->dst_ip, &pkt->src_ip, proto, len);
	put_be16(l4 + csum_off, 0);
	sum = vfr_csum_add(sum, l4, len);
	put_be16(l4 + csum_off, vfr_csum_finish(sum));
}

static void put_tcp_rst(const struct vfr_pkt *pkt, uint8_t *tcp)
{
	const uint8_t *orig = pkt->frame + pkt->l4_off;
	uint32_t hlen = (uint32_t)(orig[12] >> 4) * 4;
	uint32_t seg_len = ip_end(pkt) - pkt->l4_off - hlen;

	memset(tcp, 0, TCP_HLEN);
	put_be16(tcp, pkt->dst_port);
	put_be16(tcp + 2, pkt->src_port);
	tcp[12] = (TCP_HLEN / 4) << 4;
	if (pkt->tcp_flags & VFR_TCP_ACK) {
		memcpy(tcp + 4, orig + 8, 4);	/* SEQ = SEG.ACK */
		tcp[13] = VFR_TCP_RST;
	} else {
		seg_len += !!(pkt->tcp_flags & VFR_TCP_SYN);
		seg_len += !!(pkt->tcp_flags & VFR_TCP_FIN);
		put_be32(tcp + 8, get_be32(orig + 4) + seg_len);
		tcp[13] = VFR_TCP_RST | VFR_TCP_ACK;
	}
	put_l4_csum(pkt, tcp, TCP_HLEN, VFR_PROTO_TCP, 16);
}

/* How many bytes of the original datagram an ICMP(v6) error quotes. */
static uint32_t quote_len(const struct vfr_pkt *pkt)
{
	const uint8_t *ip = pkt->frame + pkt->l3_off;
	uint32_t have = ip_end(pkt) - pkt->l3_off;
	uint32_t want;

	if (pkt->src_ip.family == VFR_AF_INET6)
		want = IPV6_MIN_MTU - IPV6_HLEN - ICMP_HLEN;
	else
		want = (uint32_t)(ip[0] & 0x0f) * 4 + 8;
	return have < want ? have : want;
}

static void put_icmp_unreachable(const struct vfr_pkt *pkt, uint8_t *icmp,
				 uint32_t len)
{
	bool v6 = pkt->src_ip.family == VFR_AF_INET6;

	memset(icmp, 0, ICMP_HLEN);
	icmp[0] = v6 ? 1 : 3;		/* destination unreachable */
	icmp[1] = v6 ? 4 : 3;		/* port unreachable */
	memcpy(icmp + ICMP_HLEN, pkt->frame + pkt->l3_off, len - ICMP_HLEN);
	put_l4_csum(pkt, icmp, len, v6 ? VFR_PROTO_ICMPV6 : VFR_PROTO_ICMP, 2);
}

int vfr_reject_build(const struct vfr_pkt *pkt, uint8_t *out, uint32_t cap)
{
	bool v6 = pkt->src_ip.family == VFR_AF_INET6;
	bool tcp = pkt->proto == VFR_PROTO_TCP && pkt->has_ports;
	uint32_t l4_off = pkt->l3_off + (v6 ? IPV6_HLEN : IPV4_HLEN);
	uint32_t l4_len;
	uint8_t proto = tcp ? VFR_PROTO_TCP :
			v6 ? VFR_PROTO_ICMPV6 : VFR_PROTO_ICMP;

	if (pkt->malformed)
		return -VFR_EINVAL;
	if (!vfr_reject_allowed(pkt))
		return -VFR_EPERM;
	/* Only now is pkt known to hold an IP datagram to read from. */
	l4_len = tcp ? TCP_HLEN : ICMP_HLEN + quote_len(pkt);
	if (l4_off + l4_len > cap)
		return -VFR_ENOSPC;
	put_eth(pkt, out);
	put_ip(pkt, out + pkt->l3_off, proto, l4_len);
	if (tcp)
		put_tcp_rst(pkt, out + l4_off);
	else
		put_icmp_unreachable(pkt, out + l4_off, l4_len);
	return (int)(l4_off + l4_len);
}
