/*
 * vfr_frames.h - a small frame builder shared by the VFR host tests.
 *
 * A test builds a frame layer by layer into a struct frame_builder:
 *	fb_eth(), then fb_ipv4()/fb_ipv6()/fb_arp(), then fb_tcp()/fb_udp()/
 *	fb_icmp(), then fb_payload(), then fb_finish()
 * fb_finish() fills in the IPv4 total length and header checksum, the IPv6
 * payload length, the UDP length and the L4 checksum, so the frames are
 * correct on the wire unless a test then breaks them on purpose.
 * Test-only code: it uses vfr_csum_*() (link vfr/csum.c) and assumes the
 * caller's buffer is large enough (FB_MAX bytes).
 */
#ifndef XYLEM_TESTS_VFR_FRAMES_H
#define XYLEM_TESTS_VFR_FRAMES_H

#include <stdint.h>
#include <string.h>
#include "csum.h"
#include "packet.h"

#define FB_MAX 2048

struct frame_builder {
	uint8_t b[FB_MAX];
	uint32_t len;
	uint32_t l3, l4;	/* offsets; 0 when absent */
	int family;		/* 4, 6 or 0 */
	uint8_t proto;
};

static inline void fb_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void fb_put32(uint8_t *p, uint32_t v)
{
	fb_put16(p, (uint16_t)(v >> 16));
	fb_put16(p + 2, (uint16_t)v);
}

/* vlan < 0: untagged. */
static inline void fb_eth(struct frame_builder *f, const uint8_t *dst,
			  const uint8_t *src, int vlan, uint16_t type)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->b, dst, 6);
	memcpy(f->b + 6, src, 6);
	f->len = 12;
	if (vlan >= 0) {
		fb_put16(f->b + 12, VFR_ETHERTYPE_VLAN);
		fb_put16(f->b + 14, (uint16_t)vlan);
		f->len = 16;
	}
	fb_put16(f->b + f->len, type);
	f->len += 2;
}

static inline void fb_arp(struct frame_builder *f, uint16_t op,
			  const uint8_t *smac, const uint8_t *sip,
			  const uint8_t *tmac, const uint8_t *tip)
{
	uint8_t *h = f->b + f->len;

	f->l3 = f->len;
	fb_put16(h, 1);
	fb_put16(h + 2, VFR_ETHERTYPE_IPV4);
	h[4] = 6;
	h[5] = 4;
	fb_put16(h + 6, op);
	memcpy(h + 8, smac, 6);
	memcpy(h + 14, sip, 4);
	memcpy(h + 18, tmac, 6);
	memcpy(h + 24, tip, 4);
	f->len += 28;
}

/* frag: the 16-bit flags+offset field (offset in 8-byte units). */
static inline void fb_ipv4(struct frame_builder *f, const uint8_t *src,
			   const uint8_t *dst, uint8_t proto, uint16_t frag)
{
	uint8_t *h = f->b + f->len;

	f->l3 = f->len;
	f->family = 4;
	f->proto = proto;
	memset(h, 0, 20);
	h[0] = 0x45;
	fb_put16(h + 4, 0x1234);
	fb_put16(h + 6, frag);
	h[8] = 64;
	h[9] = proto;
	memcpy(h + 12, src, 4);
	memcpy(h + 16, dst, 4);
	f->len += 20;
}

static inline void fb_ipv6(struct frame_builder *f, const uint8_t *src,
			   const uint8_t *dst, uint8_t nh)
{
	uint8_t *h = f->b + f->len;

	f->l3 = f->len;
	f->family = 6;
	f->proto = nh;
	memset(h, 0, 40);
	h[0] = 0x60;
	h[6] = nh;
	h[7] = 64;
	memcpy(h + 8, src, 16);
	memcpy(h + 24, dst, 16);
	f->len += 40;
}

/* An IPv6 extension header of 8 bytes (fragment) or (len8 + 1) * 8 bytes. */
static inline void fb_ipv6_ext(struct frame_builder *f, uint8_t type,
			       uint8_t nh, uint8_t len8, uint16_t frag)
{
	uint8_t *h = f->b + f->len;
	uint32_t n = type == 44 ? 8 : ((uint32_t)len8 + 1) * 8;

	memset(h, 0, n);
	h[0] = nh;
	if (type == 44)
		fb_put16(h + 2, frag);
	else
		h[1] = len8;
	f->proto = nh;
	f->len += n;
}

static inline void fb_tcp(struct frame_builder *f, uint16_t sport,
			  uint16_t dport, uint32_t seq, uint32_t ack,
			  uint8_t flags)
{
	uint8_t *h = f->b + f->len;

	f->l4 = f->len;
	memset(h, 0, 20);
	fb_put16(h, sport);
	fb_put16(h + 2, dport);
	fb_put32(h + 4, seq);
	fb_put32(h + 8, ack);
	h[12] = 5 << 4;
	h[13] = flags;
	fb_put16(h + 14, 65535);
	f->len += 20;
}

static inline void fb_udp(struct frame_builder *f, uint16_t sport,
			  uint16_t dport)
{
	uint8_t *h = f->b + f->len;

	f->l4 = f->len;
	memset(h, 0, 8);
	fb_put16(h, sport);
	fb_put16(h + 2, dport);
	f->len += 8;
}

static inline void fb_icmp(struct frame_builder *f, uint8_t type,
			   uint8_t code)
{
	uint8_t *h = f->b + f->len;

	f->l4 = f->len;
	memset(h, 0, 8);
	h[0] = type;
	h[1] = code;
	f->len += 8;
}

static inline void fb_payload(struct frame_builder *f, uint32_t n,
			      uint8_t byte)
{
	memset(f->b + f->len, byte, n);
	f->len += n;
}

static inline void fb_finish(struct frame_builder *f)
{
	uint8_t *ip = f->b + f->l3;
	struct vfr_ip src, dst;
	uint32_t l4len = f->l4 ? f->len - f->l4 : 0;
	int csum_at = -1;

	if (f->family == 4) {
		fb_put16(ip + 2, (uint16_t)(f->len - f->l3));
		fb_put16(ip + 10, 0);
		fb_put16(ip + 10, vfr_csum_finish(vfr_csum_add(0, ip, 20)));
		src.family = dst.family = VFR_AF_INET;
		memcpy(src.b, ip + 12, 4);
		memcpy(dst.b, ip + 16, 4);
	} else if (f->family == 6) {
		fb_put16(ip + 4, (uint16_t)(f->len - f->l3 - 40));
		src.family = dst.family = VFR_AF_INET6;
		memcpy(src.b, ip + 8, 16);
		memcpy(dst.b, ip + 24, 16);
	}
	if (!f->l4 || !f->family)
		return;
	if (f->proto == VFR_PROTO_TCP)
		csum_at = 16;
	if (f->proto == VFR_PROTO_UDP) {
		fb_put16(f->b + f->l4 + 4, (uint16_t)l4len);
		csum_at = 6;
	}
	if (f->proto == VFR_PROTO_ICMP || f->proto == VFR_PROTO_ICMPV6)
		csum_at = 2;
	if (csum_at < 0)
		return;
	fb_put16(f->b + f->l4 + csum_at, 0);
	{
		uint32_t sum = 0;

		if (f->proto != VFR_PROTO_ICMP)
			sum = vfr_csum_pseudo(0, &src, &dst, f->proto, l4len);
		sum = vfr_csum_add(sum, f->b + f->l4, l4len);
		fb_put16(f->b + f->l4 + csum_at, vfr_csum_finish(sum));
	}
}

#endif
