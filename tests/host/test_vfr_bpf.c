/*
 * test_vfr_bpf.c - vfr/bpf.c against libpcap, plus its validation rules.
 *
 * 1. Differential: >= 30 tcpdump expressions compiled as
 *    pcap_compile_nopcap(65535, DLT_EN10MB) does (pcap_open_dead +
 *    pcap_compile, the undeprecated spelling), run through vfr_bpf_run() and
 *    libpcap's pcap_offline_filter() over >= 2000 frames (crafted Ethernet/
 *    VLAN/ARP/IPv4/IPv6/TCP/UDP/ICMP frames, random-mutated copies, random
 *    bytes), each both whole (caplen == len) and truncated (caplen < len).
 *    Every result must be identical, not merely both zero or non-zero.
 * 2. Refusal: for every validation rule, at least one program that breaks
 *    it and must be refused (with the offending pc), next to a near-twin
 *    that must be accepted, so a rule that refuses everything also fails.
 * 3. Run-time semantics libpcap never exercises from tcpdump expressions:
 *    division by X == 0, shifts by X >= 32, X + k overflow, zeroed scratch.
 */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "bpf.h"

_Static_assert(sizeof(struct vfr_bpf_insn) == sizeof(struct bpf_insn),
	       "vfr_bpf_insn must have libpcap's layout");

#define NFRAMES		2400
#define FRAME_MAX	1600

struct frame {
	uint8_t b[FRAME_MAX];
	uint32_t len;
};

static struct frame frames[NFRAMES];
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static uint32_t pick(const uint32_t *v, size_t n)
{
	return v[rnd() % n];
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static const uint32_t ipv4s[] = {
	0x0a000001, 0x0a010203, 0xc0a80101, 0xac100005, 0xe0000001,
	0xffffffff, 0x08080808, 0x0afffffe,
};
static const uint32_t ports[] = {
	53, 80, 22, 67, 68, 443, 999, 1000, 1500, 2000, 2001, 8080, 65535,
};

static void put_mac(uint8_t *p)
{
	static const uint8_t macs[][6] = {
		{ 0x02, 0, 0, 0, 0, 0x01 }, { 0x02, 0, 0, 0, 0, 0x02 },
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 },
		{ 0x33, 0x33, 0, 0, 0, 0x01 },
	};
	uint32_t i = rnd() % 6;

	if (i < 5) {
		memcpy(p, macs[i], 6);
		return;
	}
	for (i = 0; i < 6; i++)
		p[i] = (uint8_t)rnd();
}

/* TCP/UDP/ICMP header at p (room bytes free); returns its length. */
static uint32_t put_l4(uint8_t *p, uint32_t proto, uint32_t room)
{
	uint32_t len = proto == 6 ? 20 + 4 * (rnd() % 3) : 8;
	uint32_t i;

	if (len > room)
		return 0;
	for (i = 0; i < len; i++)
		p[i] = (uint8_t)rnd();
	if (proto == 6 || proto == 17) {
		put16(p, rnd() % 4 ? pick(ports, 13) : rnd() & 0xffff);
		put16(p + 2, rnd() % 4 ? pick(ports, 13) : rnd() & 0xffff);
		if (proto == 6)
			p[12] = (uint8_t)((len / 4) << 4);
	} else {
		static const uint32_t types[] = { 0, 8, 3, 11, 128, 129, 135 };

		p[0] = (uint8_t)pick(types, 7);
	}
	return len;
}

static uint32_t put_ipv4(uint8_t *p, uint32_t room)
{
	static const uint32_t protos[] = { 6, 17, 1, 47, 6, 17 };
	uint32_t ihl = rnd() % 5 == 0 ? 5 + rnd() % 3 : 5;
	uint32_t proto = pick(protos, 6);
	uint32_t i, l4, payload = rnd() % 1200;

	for (i = 0; i < ihl * 4; i++)
		p[i] = (uint8_t)rnd();
	p[0] = (uint8_t)(0x40 | ihl);
	p[8] = (uint8_t)(rnd() % 8 ? 64 : rnd() % 5);
	p[9] = (uint8_t)proto;
	put16(p + 6, rnd() % 5 ? 0x4000 : rnd() & 0x3fff);
	put32(p + 12, pick(ipv4s, 8));
	put32(p + 16, pick(ipv4s, 8));
	l4 = put_l4(p + ihl * 4, proto, room - ihl * 4);
	if (payload > room - ihl * 4 - l4)
		payload = room - ihl * 4 - l4;
	for (i = 0; i < payload; i++)
		p[ihl * 4 + l4 + i] = (uint8_t)rnd();
	if (proto == 6 && l4 && payload >= 4 && rnd() % 3 == 0)
		put32(p + ihl * 4 + l4, 0x47455420);	/* "GET " */
	put16(p + 2, ihl * 4 + l4 + payload);
	return ihl * 4 + l4 + payload;
}

static uint32_t put_ipv6(uint8_t *p, uint32_t room)
{
	static const uint32_t protos[] = { 6, 17, 58, 0, 44, 6 };
	static const uint8_t a1[16] = { 0xfe, 0x80, [15] = 1 };
	static const uint8_t a2[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	uint32_t proto = pick(protos, 6), i, l4, off = 40;

	p[0] = 0x60;
	p[1] = p[2] = p[3] = 0;
	p[6] = (uint8_t)proto;
	p[7] = 64;
	memcpy(p + 8, rnd() % 2 ? a1 : a2, 16);
	memcpy(p + 24, rnd() % 2 ? a1 : a2, 16);
	if (proto == 0 || proto == 44) {	/* one extension header */
		for (i = 0; i < 8; i++)
			p[off + i] = (uint8_t)rnd();
		p[off] = (uint8_t)pick(protos, 3);
		p[off + 1] = 0;
		proto = p[off];
		off += 8;
	}
	l4 = put_l4(p + off, proto, room - off);
	put16(p + 4, off - 40 + l4);
	return off + l4;
}

static uint32_t put_arp(uint8_t *p)
{
	uint32_t i;

	for (i = 0; i < 28; i++)
		p[i] = (uint8_t)rnd();
	put16(p, 1);
	put16(p + 2, 0x0800);
	p[4] = 6;
	p[5] = 4;
	put16(p + 6, 1 + rnd() % 2);
	put32(p + 14, pick(ipv4s, 8));
	put32(p + 24, pick(ipv4s, 8));
	return 28;
}

static void craft(struct frame *f)
{
	static const uint32_t types[] = { 0x0800, 0x86dd, 0x0806, 0x0800,
					  0x86dd, 0x88cc, 0x8035 };
	uint8_t *p = f->b;
	uint32_t off = 12, et = pick(types, 7), n;

	put_mac(p);
	put_mac(p + 6);
	if (rnd() % 4 == 0) {		/* 802.1Q tag */
		put16(p + 12, 0x8100);
		put16(p + 14, rnd() % 2 ? 100 : rnd() & 0xfff);
		off = 16;
	}
	put16(p + off, et);
	off += 2;
	if (et == 0x0800)
		n = put_ipv4(p + off, FRAME_MAX - off);
	else if (et == 0x86dd)
		n = put_ipv6(p + off, FRAME_MAX - off);
	else if (et == 0x0806)
		n = put_arp(p + off);
	else
		n = rnd() % 100;
	f->len = off + n;
}

static void build_frames(void)
{
	uint32_t i, j;

	for (i = 0; i < NFRAMES; i++) {
		struct frame *f = &frames[i];

		memset(f->b, 0, sizeof(f->b));
		if (i % 10 == 9) {		/* pure noise */
			f->len = rnd() % 200;
			for (j = 0; j < f->len; j++)
				f->b[j] = (uint8_t)rnd();
			continue;
		}
		craft(f);
		if (i % 3 == 1) {		/* mutate a crafted frame */
			uint32_t flips = 1 + rnd() % 4;

			for (j = 0; j < flips && f->len; j++)
				f->b[rnd() % f->len] ^= (uint8_t)(1 + rnd() % 255);
		}
		if (i % 7 == 2)			/* cut short */
			f->len = rnd() % (f->len + 1);
	}
}

static const char *const exprs[] = {
	"ip", "ip6", "arp", "rarp", "vlan", "vlan 100", "vlan and ip",
	"vlan 100 and tcp port 80", "tcp", "udp", "icmp", "icmp6",
	"tcp port 80", "udp and not port 53", "port 53 or port 22",
	"icmp[icmptype] == icmp-echo", "icmp[icmptype] != icmp-echoreply",
	"tcp[tcpflags] & tcp-syn != 0",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn",
	"ip and tcp[13] & 2 != 0", "ether host 02:00:00:00:00:01",
	"ether src 02:00:00:00:00:02 and ether dst 02:00:00:00:00:01",
	"ether broadcast", "ether multicast", "ether proto 0x88cc",
	"net 10.0.0.0/8", "src net 192.168.0.0/16", "dst host 10.0.0.1",
	"host 8.8.8.8 and udp", "ip multicast", "portrange 1000-2000",
	"tcp dst portrange 1-1023", "len > 100", "len <= 64",
	"greater 200", "less 100", "ip[2:2] > 500", "ip6 proto 58",
	"ip6 and tcp", "ip6 host fe80::1", "ip6 net 2001:db8::/32",
	"ip6 and udp port 53", "ip proto 47", "ip[8] < 5",
	"ip[6:2] & 0x1fff != 0", "ip[0] & 0xf != 5",
	"tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420",
	"udp[4:2] > 100", "icmp6 and ip6[40] == 128",
	"not ip and not ip6 and not arp", "udp dst port 67 or udp dst port 68",
	"ip[2:2] / 4 > 100", "ip[2:2] % 7 == 3", "ip[1] * 3 + 1 > 100",
	"(ip[2:2] ^ 0xff) & 3 == 1", "(ip[0] << 2) & 0xff == 0x14",
	"ip[2:2] >> (ip[0] & 0xf) > 1", "(-ip[1]) & 2 == 2", "len - 14 > 100",
	"ip[2:2] / ip[9] > 10", "ip[2:2] % ip[9] == 0",
	"tcp[13] & 2 != 0 and len > 100",
};

#define NEXPRS (sizeof(exprs) / sizeof(exprs[0]))

static unsigned long compared, matched;

/* One expression over every frame, whole and truncated. */
static void diff_expression(const char *expr)
{
	static struct vfr_bpf_insn storage[VFR_BPF_MAXINSNS];
	struct bpf_program bp;
	struct vfr_bpf_prog prog = { 0 };
	struct vfr_bpf_error err = { 0, NULL };
	unsigned long mismatches = 0, hits = 0, runs = 0;
	uint32_t i, t;

	/* what pcap_compile_nopcap(65535, DLT_EN10MB, ...) does, undeprecated */
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);

	if (dead == NULL || pcap_compile(dead, &bp, expr, 1,
					 PCAP_NETMASK_UNKNOWN) != 0) {
		fprintf(stderr, "cannot compile '%s': %s\n", expr,
			dead ? pcap_geterr(dead) : "pcap_open_dead failed");
		CHECK(0);
		if (dead)
			pcap_close(dead);
		return;
	}
	pcap_close(dead);
	CHECK_EQ(vfr_bpf_load(&prog, storage, VFR_BPF_MAXINSNS,
			      (const struct vfr_bpf_insn *)bp.bf_insns,
			      bp.bf_len, &err), 0);
	if (err.why)
		fprintf(stderr, "'%s' refused at %u: %s\n", expr, err.pc,
			err.why);
	for (i = 0; i < NFRAMES; i++) {
		const struct frame *f = &frames[i];

		for (t = 0; t < 2; t++) {
			struct pcap_pkthdr h;
			uint32_t caplen = t == 0 || f->len == 0 ? f->len :
					  rnd() % f->len;
			uint8_t *copy = malloc(caplen ? caplen : 1);
			uint32_t ours, theirs;

			memcpy(copy, f->b, caplen);
			memset(&h, 0, sizeof(h));
			h.caplen = caplen;
			h.len = f->len;
			theirs = (uint32_t)pcap_offline_filter(&bp, &h, copy);
			ours = vfr_bpf_run(&prog, copy, caplen, f->len);
			free(copy);
			compared++;
			runs++;
			hits += theirs != 0;
			if (ours != theirs && mismatches++ < 3)
				fprintf(stderr, "'%s' frame %u caplen %u "
					"len %u: ours %u libpcap %u\n", expr,
					i, caplen, f->len, ours, theirs);
		}
	}
	CHECK_EQ(mismatches, 0);
	/* the corpus must exercise both outcomes of every expression */
	if (hits == 0 || hits == runs)
		fprintf(stderr, "'%s' matched %lu of %lu\n", expr, hits, runs);
	CHECK(hits > 0 && hits < runs);
	matched += hits;
	pcap_freecode(&bp);
}

#define I(c, t, f, kk) { (uint16_t)(c), (uint8_t)(t), (uint8_t)(f), (uint32_t)(kk) }
#define RET_K(v)	I(VFR_BPF_RET | VFR_BPF_K, 0, 0, v)

struct bad_case {
	const char *rule;
	struct vfr_bpf_insn bad[3];
	struct vfr_bpf_insn good[3];	/* the nearest acceptable twin */
	uint32_t n;
	uint32_t bad_pc;
};

static const struct bad_case bad_cases[] = {
	{ "unknown opcode (ld class, bad mode)",
	  { I(0xe0, 0, 0, 0), RET_K(1) }, { I(0x20, 0, 0, 0), RET_K(1) }, 2, 0 },
	{ "unknown opcode (ld h imm)",
	  { I(0x08, 0, 0, 0), RET_K(1) }, { I(0x00, 0, 0, 0), RET_K(1) }, 2, 0 },
	{ "unknown opcode (high bits)",
	  { I(0x104, 0, 0, 1), RET_K(1) }, { I(0x04, 0, 0, 1), RET_K(1) }, 2, 0 },
	{ "unknown opcode (ldx h abs)",
	  { I(0x29, 0, 0, 0), RET_K(1) }, { I(0xb1, 0, 0, 0), RET_K(1) }, 2, 0 },
	{ "unknown opcode (alu op 0xb0)",
	  { I(0xb4, 0, 0, 1), RET_K(1) }, { I(0xa4, 0, 0, 1), RET_K(1) }, 2, 0 },
	{ "unknown opcode (neg x)",
	  { I(0x8c, 0, 0, 0), RET_K(1) }, { I(0x84, 0, 0, 0), RET_K(1) }, 2, 0 },
	{ "unknown opcode (jmp op 0x50)",
	  { I(0x55, 0, 0, 0), RET_K(1) }, { I(0x45, 0, 0, 0), RET_K(1) }, 2, 0 },
	{ "unknown opcode (ja x)",
	  { I(0x0d, 0, 0, 0), RET_K(1) }, { I(0x05, 0, 0, 0), RET_K(1) }, 2, 0 },
	{ "unknown opcode (ret x)",
	  { I(0x0e, 0, 0, 0) }, { I(0x16, 0, 0, 0) }, 1, 0 },
	{ "unknown opcode (misc 0x40)",
	  { I(0x47, 0, 0, 0), RET_K(1) }, { I(0x87, 0, 0, 0), RET_K(1) }, 2, 0 },
	{ "unknown opcode (st with mode bits)",
	  { I(0x62, 0, 0, 0), RET_K(1) }, { I(0x02, 0, 0, 0), RET_K(1) }, 2, 0 },
	{ "scratch index >= 16 (ld mem)",
	  { I(0x60, 0, 0, 16), RET_K(1) }, { I(0x60, 0, 0, 15), RET_K(1) }, 2, 0 },
	{ "scratch index >= 16 (ldx mem)",
	  { I(0x61, 0, 0, 16), RET_K(1) }, { I(0x61, 0, 0, 15), RET_K(1) }, 2, 0 },
	{ "scratch index >= 16 (st)",
	  { I(0x02, 0, 0, 99), RET_K(1) }, { I(0x02, 0, 0, 0), RET_K(1) }, 2, 0 },
	{ "scratch index >= 16 (stx)",
	  { I(0x03, 0, 0, 16), RET_K(1) }, { I(0x03, 0, 0, 1), RET_K(1) }, 2, 0 },
	{ "jump out of range (ja)",
	  { I(0x05, 0, 0, 1), RET_K(1) }, { I(0x05, 0, 0, 0), RET_K(1) }, 2, 0 },
	{ "jump out of range (ja, huge k wraps)",
	  { I(0x05, 0, 0, 0xffffffff), RET_K(1) },
	  { I(0x05, 0, 0, 0), RET_K(1) }, 2, 0 },
	{ "jump out of range (jt)",
	  { I(0x15, 2, 0, 0), RET_K(1), RET_K(0) },
	  { I(0x15, 1, 0, 0), RET_K(1), RET_K(0) }, 3, 0 },
	{ "jump out of range (jf)",
	  { I(0x15, 0, 2, 0), RET_K(1), RET_K(0) },
	  { I(0x15, 0, 1, 0), RET_K(1), RET_K(0) }, 3, 0 },
	{ "last instruction not a ret",
	  { RET_K(1), I(0x00, 0, 0, 0) }, { I(0x00, 0, 0, 0), RET_K(1) }, 2, 1 },
	{ "division by constant 0",
	  { I(0x34, 0, 0, 0), RET_K(1) }, { I(0x3c, 0, 0, 0), RET_K(1) }, 2, 0 },
	{ "modulo by constant 0",
	  { I(0x94, 0, 0, 0), RET_K(1) }, { I(0x94, 0, 0, 3), RET_K(1) }, 2, 0 },
	{ "shift by constant >= 32",
	  { I(0x64, 0, 0, 32), RET_K(1) }, { I(0x64, 0, 0, 31), RET_K(1) }, 2, 0 },
	{ "extension load SKF_AD_OFF (abs)",
	  { I(0x30, 0, 0, 0xfffff000), RET_K(1) },
	  { I(0x30, 0, 0, 0x7ffff000), RET_K(1) }, 2, 0 },
	{ "extension load SKF_NET_OFF (ind)",
	  { I(0x40, 0, 0, 0xfff00000), RET_K(1) },
	  { I(0x40, 0, 0, 14), RET_K(1) }, 2, 0 },
	{ "extension load (msh)",
	  { I(0xb1, 0, 0, 0xffe00000), RET_K(1) },
	  { I(0xb1, 0, 0, 14), RET_K(1) }, 2, 0 },
};

static void test_refusals(void)
{
	static struct vfr_bpf_insn big[VFR_BPF_MAXINSNS + 1];
	struct vfr_bpf_insn storage[4];
	struct vfr_bpf_prog prog = { 0 };
	struct vfr_bpf_error err;
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];

		err.pc = 12345;
		err.why = NULL;
		if (vfr_bpf_validate(c->bad, c->n, &err) != -VFR_EINVAL)
			fprintf(stderr, "not refused: %s\n", c->rule);
		CHECK_EQ(vfr_bpf_validate(c->bad, c->n, &err), -VFR_EINVAL);
		CHECK_EQ(err.pc, c->bad_pc);
		CHECK(err.why != NULL);
		if (vfr_bpf_validate(c->good, c->n, NULL) != 0)
			fprintf(stderr, "twin refused: %s\n", c->rule);
		CHECK_EQ(vfr_bpf_validate(c->good, c->n, NULL), 0);
		/* a refused load leaves the program matching nothing */
		CHECK_EQ(vfr_bpf_load(&prog, storage, 4, c->good, c->n, NULL), 0);
		CHECK_EQ(vfr_bpf_load(&prog, storage, 4, c->bad, c->n, NULL),
			 -VFR_EINVAL);
		CHECK_EQ(prog.len, 0);
		CHECK_EQ(vfr_bpf_run(&prog, (const uint8_t *)"x", 1, 1), 0);
	}
	/* length 1..4096 */
	for (i = 0; i <= VFR_BPF_MAXINSNS; i++)
		big[i] = (struct vfr_bpf_insn)RET_K(7);
	CHECK_EQ(vfr_bpf_validate(big, 0, NULL), -VFR_EINVAL);
	CHECK_EQ(vfr_bpf_validate(NULL, 1, NULL), -VFR_EINVAL);
	CHECK_EQ(vfr_bpf_validate(big, VFR_BPF_MAXINSNS + 1, NULL), -VFR_EINVAL);
	CHECK_EQ(vfr_bpf_validate(big, VFR_BPF_MAXINSNS, NULL), 0);
	CHECK_EQ(vfr_bpf_validate(big, 1, NULL), 0);
	/* storage too small */
	CHECK_EQ(vfr_bpf_load(&prog, storage, 4, big, 5, NULL), -VFR_ENOSPC);
	CHECK_EQ(prog.len, 0);
}

static uint32_t run_small(const struct vfr_bpf_insn *p, uint32_t n,
			  const uint8_t *pkt, uint32_t buflen, uint32_t wirelen)
{
	struct vfr_bpf_insn storage[16];
	struct vfr_bpf_prog prog = { 0 };

	if (vfr_bpf_load(&prog, storage, 16, p, n, NULL) != 0)
		return 0xdeadbeef;
	return vfr_bpf_run(&prog, pkt, buflen, wirelen);
}

static void test_semantics(void)
{
	static const uint8_t pkt[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	const struct vfr_bpf_insn div_x0[] = {
		I(0x00, 0, 0, 10), I(0x01, 0, 0, 0), I(0x3c, 0, 0, 0),
		RET_K(9) };
	const struct vfr_bpf_insn mod_x0[] = {
		I(0x01, 0, 0, 0), I(0x9c, 0, 0, 0), RET_K(9) };
	const struct vfr_bpf_insn lsh_x40[] = {
		I(0x00, 0, 0, 5), I(0x01, 0, 0, 40), I(0x6c, 0, 0, 0),
		I(0x16, 0, 0, 0) };
	const struct vfr_bpf_insn ind_wrap[] = {	/* X + k overflows */
		I(0x01, 0, 0, 0xffffffff), I(0x50, 0, 0, 2), RET_K(9) };
	const struct vfr_bpf_insn ind_ok[] = {
		I(0x01, 0, 0, 4), I(0x40, 0, 0, 0), I(0x16, 0, 0, 0) };
	const struct vfr_bpf_insn mem_zero[] = {
		I(0x00, 0, 0, 77), I(0x60, 0, 0, 5), I(0x16, 0, 0, 0) };
	const struct vfr_bpf_insn len_vs_cap[] = {
		I(0x80, 0, 0, 0), I(0x16, 0, 0, 0) };
	const struct vfr_bpf_insn w_at_end[] = {
		I(0x20, 0, 0, 5), RET_K(9) };
	const struct vfr_bpf_insn w_last[] = {
		I(0x20, 0, 0, 4), I(0x16, 0, 0, 0) };
	const struct vfr_bpf_insn msh[] = {
		I(0xb1, 0, 0, 0), I(0x87, 0, 0, 0), I(0x16, 0, 0, 0) };

	CHECK_EQ(run_small(div_x0, 4, pkt, 8, 8), 0);
	CHECK_EQ(run_small(mod_x0, 3, pkt, 8, 8), 0);
	CHECK_EQ(run_small(lsh_x40, 4, pkt, 8, 8), 0);
	CHECK_EQ(run_small(ind_wrap, 3, pkt, 8, 8), 0);
	CHECK_EQ(run_small(ind_ok, 3, pkt, 8, 8), 0x05060708);
	CHECK_EQ(run_small(ind_ok, 3, pkt, 7, 8), 0);
	CHECK_EQ(run_small(mem_zero, 3, pkt, 8, 8), 0);
	CHECK_EQ(run_small(len_vs_cap, 2, pkt, 4, 1500), 1500);
	CHECK_EQ(run_small(w_at_end, 2, pkt, 8, 8), 0);
	CHECK_EQ(run_small(w_last, 2, pkt, 8, 8), 0x05060708);
	CHECK_EQ(run_small(msh, 3, pkt, 8, 8), 4);
	CHECK_EQ(run_small(msh, 3, pkt, 0, 8), 0);
	CHECK_EQ(vfr_bpf_run(NULL, pkt, 8, 8), 0);
}

int main(void)
{
	size_t i;

	build_frames();
	for (i = 0; i < NEXPRS; i++)
		diff_expression(exprs[i]);
	printf("differential: %zu expressions x %d frames x 2 (whole, "
	       "truncated): %lu verdicts compared, %lu matches\n",
	       NEXPRS, NFRAMES, compared, matched);
	CHECK(NEXPRS >= 30);
	CHECK(matched > compared / 20);	/* the corpus does exercise matches */
	test_refusals();
	test_semantics();
	return check_done();
}
