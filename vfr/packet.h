/*
 * packet.h - bounds-checked parsing of one Ethernet frame into metadata.
 *
 * vfr_packet_parse() reads a frame of `len` bytes and fills a struct vfr_pkt
 * with every field the rest of the VFR matches or forwards on.  It never
 * reads past frame[len - 1].  A frame that is truncated or inconsistent
 * makes it return false with pkt->malformed set to a static string naming
 * why (e.g. "ipv4: ihl < 5"); the caller counts it as VFR_DROP_MALFORMED.
 *
 * Layers understood: Ethernet II with at most one 802.1Q tag, ARP, IPv4
 * (options skipped, fragments recognised), IPv6 (hop-by-hop, routing,
 * destination-options, fragment and AH extension headers skipped), TCP, UDP,
 * ICMP, ICMPv6.  A non-first IPv4/IPv6 fragment has has_ports == false and
 * no L4 fields: it can only match rules that need none.
 * Unknown ethertypes and unknown L4 protocols parse successfully with only
 * the layers that were understood filled in.
 */
#ifndef VFR_PACKET_H
#define VFR_PACKET_H

#include "vfr_types.h"

#define VFR_ETHERTYPE_IPV4	0x0800
#define VFR_ETHERTYPE_ARP	0x0806
#define VFR_ETHERTYPE_VLAN	0x8100
#define VFR_ETHERTYPE_IPV6	0x86dd

#define VFR_PROTO_ICMP		1
#define VFR_PROTO_TCP		6
#define VFR_PROTO_UDP		17
#define VFR_PROTO_ICMPV6	58

/* TCP flag bits as in the TCP header's flags byte. */
#define VFR_TCP_FIN	0x01
#define VFR_TCP_SYN	0x02
#define VFR_TCP_RST	0x04
#define VFR_TCP_PSH	0x08
#define VFR_TCP_ACK	0x10
#define VFR_TCP_URG	0x20
#define VFR_TCP_ECE	0x40
#define VFR_TCP_CWR	0x80

struct vfr_pkt {
	const uint8_t *frame;	/* the frame parsed; not owned */
	uint32_t len;		/* its length in bytes */

	struct vfr_mac dst_mac, src_mac;
	uint16_t ethertype;	/* inner ethertype, after any VLAN tag */
	bool has_vlan;
	uint16_t vlan_id;	/* 12-bit VID when has_vlan */
	uint16_t l3_off;	/* offset of the L3 header in frame */

	/* ARP (ethertype 0x0806, Ethernet/IPv4 only) */
	uint16_t arp_op;
	struct vfr_ip arp_sender_ip, arp_target_ip;
	struct vfr_mac arp_sender_mac;

	/* IPv4 / IPv6; src_ip.family == VFR_AF_NONE when there is no IP */
	struct vfr_ip src_ip, dst_ip;
	uint8_t proto;		/* L4 protocol / final IPv6 next header */
	uint8_t ttl;		/* TTL or hop limit */
	bool is_fragment;	/* any fragment, first or not */
	bool is_first_fragment;	/* fragment offset 0 (or not a fragment) */
	uint16_t l4_off;	/* offset of the L4 header in frame, 0 if none */

	/* L4: valid only when has_ports (TCP/UDP) or has_icmp */
	bool has_ports;
	uint16_t src_port, dst_port;	/* host byte order */
	uint8_t tcp_flags;
	bool has_icmp;
	uint8_t icmp_type, icmp_code;	/* ICMP or ICMPv6 */

	/* L4 payload */
	bool is_dhcp_client;	/* UDP 68 -> 67 (DHCP client traffic) */

	const char *malformed;	/* why parsing failed, NULL when it did not */
};

/* Parse frame[0..len).  Returns true on success; on failure pkt->malformed. */
bool vfr_packet_parse(const uint8_t *frame, uint32_t len, struct vfr_pkt *pkt);

#endif
