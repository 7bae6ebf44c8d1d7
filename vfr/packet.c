/*
 * packet.c - bounds-checked parsing of one Ethernet frame; see packet.h.
 *
 * Each layer is parsed by one function that is given the offset where its
 * header starts and the offset `end` one past the last byte that belongs to
 * it (the frame's end for L2/L3, the IP datagram's end for L4, so Ethernet
 * padding is never taken for payload).  Invariant: a function reads
 * frame[off..off+n) only after checking off + n <= end, with the arithmetic
 * done in 32 bits on values that are at most 2^16 + 2^16, so it cannot wrap.
 * Every failure goes through parse_fail(), which records a static reason.
 */
#include "packet.h"

#define ETH_HLEN	14
#define VLAN_HLEN	4
#define ARP_LEN		28
#define IPV4_MIN_HLEN	20
#define IPV6_HLEN	40
#define TCP_MIN_HLEN	20
#define UDP_HLEN	8
#define ICMP_MIN_LEN	8

#define IPV6_NH_HOPOPTS		0
#define IPV6_NH_ROUTING		43
#define IPV6_NH_FRAGMENT	44
#define IPV6_NH_AH		51
#define IPV6_NH_DSTOPTS		60

/* More than this many IPv6 extension headers is treated as an attack. */
#define IPV6_MAX_EXT_HEADERS	8

#define DHCP_CLIENT_PORT	68
#define DHCP_SERVER_PORT	67

static bool parse_fail(struct vfr_pkt *pkt, const char *why)
{
	pkt->malformed = why;
	return false;
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static bool parse_tcp(struct vfr_pkt *pkt, uint32_t off, uint32_t end)
{
	const uint8_t *h = pkt->frame + off;
	uint32_t hlen;

	if (end - off < TCP_MIN_HLEN)
		return parse_fail(pkt, "tcp: truncated header");
	hlen = (uint32_t)(h[12] >> 4) * 4;
	if (hlen < TCP_MIN_HLEN)
		return parse_fail(pkt, "tcp: data offset < 5");
	if (hlen > end - off)
		return parse_fail(pkt, "tcp: options run past the end");
	pkt->src_port = get_be16(h);
	pkt->dst_port = get_be16(h + 2);
	pkt->tcp_flags = h[13];
	pkt->has_ports = true;
	return true;
}

static bool parse_udp(struct vfr_pkt *pkt, uint32_t off, uint32_t end)
{
	const uint8_t *h = pkt->frame + off;
	uint32_t ulen;

	if (end - off < UDP_HLEN)
		return parse_fail(pkt, "udp: truncated header");
	ulen = get_be16(h + 4);
	if (ulen < UDP_HLEN)
		return parse_fail(pkt, "udp: length < 8");
	if (ulen > end - off)
		return parse_fail(pkt, "udp: length > ip payload");
	pkt->src_port = get_be16(h);
	pkt->dst_port = get_be16(h + 2);
	pkt->has_ports = true;
	pkt->is_dhcp_client = pkt->src_ip.family == VFR_AF_INET &&
			      pkt->src_port == DHCP_CLIENT_PORT &&
			      pkt->dst_port == DHCP_SERVER_PORT;
	return true;
}

static bool parse_icmp(struct vfr_pkt *pkt, uint32_t off, uint32_t end)
{
	const uint8_t *h = pkt->frame + off;

	if (end - off < ICMP_MIN_LEN)
		return parse_fail(pkt, pkt->proto == VFR_PROTO_ICMP ?
				  "icmp: truncated header" :
				  "icmpv6: truncated header");
	pkt->icmp_type = h[0];
	pkt->icmp_code = h[1];
	pkt->has_icmp = true;
	return true;
}

/* L4 of a first fragment or unfragmented datagram: frame[off..end). */
static bool parse_l4(struct vfr_pkt *pkt, uint32_t off, uint32_t end)
{
	bool v6 = pkt->src_ip.family == VFR_AF_INET6;

	pkt->l4_off = (uint16_t)off;
	switch (pkt->proto) {
	case VFR_PROTO_TCP:
		return parse_tcp(pkt, off, end);
	case VFR_PROTO_UDP:
		return parse_udp(pkt, off, end);
	case VFR_PROTO_ICMP:
		return v6 ? true : parse_icmp(pkt, off, end);
	case VFR_PROTO_ICMPV6:
		return v6 ? parse_icmp(pkt, off, end) : true;
	default:
		return true;
	}
}

static bool parse_arp(struct vfr_pkt *pkt, uint32_t off, uint32_t end)
{
	const uint8_t *h = pkt->frame + off;

	if (end - off < ARP_LEN)
		return parse_fail(pkt, "arp: truncated");
	if (get_be16(h) != 1 || get_be16(h + 2) != VFR_ETHERTYPE_IPV4 ||
	    h[4] != VFR_ETH_ALEN || h[5] != 4)
		return parse_fail(pkt, "arp: not Ethernet/IPv4");
	pkt->arp_op = get_be16(h + 6);
	memcpy(pkt->arp_sender_mac.b, h + 8, VFR_ETH_ALEN);
	pkt->arp_sender_ip.family = VFR_AF_INET;
	memcpy(pkt->arp_sender_ip.b, h + 14, 4);
	pkt->arp_target_ip.family = VFR_AF_INET;
	memcpy(pkt->arp_target_ip.b, h + 24, 4);
	return true;
}

static bool parse_ipv4(struct vfr_pkt *pkt, uint32_t off, uint32_t end)
{
	const uint8_t *h = pkt->frame + off;
	uint32_t hlen, total;
	uint16_t frag;

	if (end - off < IPV4_MIN_HLEN)
		return parse_fail(pkt, "ipv4: truncated header");
	if (h[0] >> 4 != 4)
		return parse_fail(pkt, "ipv4: version is not 4");
	hlen = (uint32_t)(h[0] & 0x0f) * 4;
	if (hlen < IPV4_MIN_HLEN)
		return parse_fail(pkt, "ipv4: ihl < 5");
	if (hlen > end - off)
		return parse_fail(pkt, "ipv4: options run past the end");
	total = get_be16(h + 2);
	if (total < hlen)
		return parse_fail(pkt, "ipv4: total length < header length");
	if (total > end - off)
		return parse_fail(pkt, "ipv4: total length > frame");
	frag = get_be16(h + 6);
	pkt->src_ip.family = VFR_AF_INET;
	memcpy(pkt->src_ip.b, h + 12, 4);
	pkt->dst_ip.family = VFR_AF_INET;
	memcpy(pkt->dst_ip.b, h + 16, 4);
	pkt->ttl = h[8];
	pkt->proto = h[9];
	pkt->is_fragment = (frag & 0x3fff) != 0;	/* MF or an offset */
	pkt->is_first_fragment = (frag & 0x1fff) == 0;
	if (!pkt->is_first_fragment) {
		/* RFC 1858: offset 1 can only serve to overwrite TCP flags. */
		if ((frag & 0x1fff) == 1 && pkt->proto == VFR_PROTO_TCP)
			return parse_fail(pkt, "ipv4: tcp fragment at offset 8");
		return true;
	}
	return parse_l4(pkt, off + hlen, off + total);
}

/*
 * Walk the IPv6 extension header chain from *off to the upper-layer header.
 * On return *nh is the final next header and *off its offset, and the
 * fragment fields of pkt are set if a fragment header was met.
 */
static bool skip_ipv6_ext(struct vfr_pkt *pkt, uint8_t *nh, uint32_t *off,
			  uint32_t end)
{
	int n;

	for (n = 0; n < IPV6_MAX_EXT_HEADERS; n++) {
		const uint8_t *h = pkt->frame + *off;
		uint32_t hlen;

		switch (*nh) {
		case IPV6_NH_HOPOPTS:
			if (n != 0)
				return parse_fail(pkt, "ipv6: hop-by-hop not first");
			/* fall through */
		case IPV6_NH_ROUTING:
		case IPV6_NH_DSTOPTS:
		case IPV6_NH_FRAGMENT:
		case IPV6_NH_AH:
			break;
		default:
			return true;
		}
		if (end - *off < 8)
			return parse_fail(pkt, "ipv6: extension header runs past the end");
		if (*nh == IPV6_NH_FRAGMENT) {
			uint16_t frag = get_be16(h + 2);

			hlen = 8;
			pkt->is_fragment = (frag & 0xfff9) != 0;
			pkt->is_first_fragment = (frag & 0xfff8) == 0;
		} else if (*nh == IPV6_NH_AH) {
			hlen = ((uint32_t)h[1] + 2) * 4;
		} else {
			hlen = ((uint32_t)h[1] + 1) * 8;
		}
		if (hlen > end - *off)
			return parse_fail(pkt, "ipv6: extension header runs past the end");
		*nh = h[0];
		*off += hlen;
	}
	return parse_fail(pkt, "ipv6: too many extension headers");
}

static bool parse_ipv6(struct vfr_pkt *pkt, uint32_t off, uint32_t end)
{
	const uint8_t *h = pkt->frame + off;
	uint32_t payload;
	uint8_t nh;

	if (end - off < IPV6_HLEN)
		return parse_fail(pkt, "ipv6: truncated header");
	if (h[0] >> 4 != 6)
		return parse_fail(pkt, "ipv6: version is not 6");
	payload = get_be16(h + 4);
	if (payload > end - off - IPV6_HLEN)
		return parse_fail(pkt, "ipv6: payload length > frame");
	pkt->src_ip.family = VFR_AF_INET6;
	memcpy(pkt->src_ip.b, h + 8, 16);
	pkt->dst_ip.family = VFR_AF_INET6;
	memcpy(pkt->dst_ip.b, h + 24, 16);
	pkt->ttl = h[7];
	pkt->is_first_fragment = true;
	nh = h[6];
	end = off + IPV6_HLEN + payload;
	off += IPV6_HLEN;
	if (!skip_ipv6_ext(pkt, &nh, &off, end))
		return false;
	pkt->proto = nh;
	if (!pkt->is_first_fragment)
		return true;
	return parse_l4(pkt, off, end);
}

/* Ethernet header and at most one 802.1Q tag; sets l3_off and ethertype. */
static bool parse_ethernet(struct vfr_pkt *pkt)
{
	const uint8_t *f = pkt->frame;
	uint32_t off = ETH_HLEN;
	uint16_t type;

	if (pkt->len < ETH_HLEN)
		return parse_fail(pkt, "ethernet: truncated header");
	memcpy(pkt->dst_mac.b, f, VFR_ETH_ALEN);
	memcpy(pkt->src_mac.b, f + VFR_ETH_ALEN, VFR_ETH_ALEN);
	type = get_be16(f + 12);
	if (type == VFR_ETHERTYPE_VLAN) {
		if (pkt->len < ETH_HLEN + VLAN_HLEN)
			return parse_fail(pkt, "vlan: truncated tag");
		pkt->has_vlan = true;
		pkt->vlan_id = get_be16(f + 14) & 0x0fff;
		type = get_be16(f + 16);
		off += VLAN_HLEN;
		if (type == VFR_ETHERTYPE_VLAN)
			return parse_fail(pkt, "vlan: stacked 802.1Q tags");
	}
	pkt->ethertype = type;
	pkt->l3_off = (uint16_t)off;
	return true;
}

bool vfr_packet_parse(const uint8_t *frame, uint32_t len, struct vfr_pkt *pkt)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->frame = frame;
	pkt->len = len;
	pkt->is_first_fragment = true;
	/* Offsets are 16-bit: no Ethernet frame, even a jumbo, is that big. */
	if (len > 0xffff)
		return parse_fail(pkt, "ethernet: frame longer than 65535");
	if (!parse_ethernet(pkt))
		return false;
	switch (pkt->ethertype) {
	case VFR_ETHERTYPE_ARP:
		return parse_arp(pkt, pkt->l3_off, len);
	case VFR_ETHERTYPE_IPV4:
		return parse_ipv4(pkt, pkt->l3_off, len);
	case VFR_ETHERTYPE_IPV6:
		return parse_ipv6(pkt, pkt->l3_off, len);
	default:
		return true;
	}
}
