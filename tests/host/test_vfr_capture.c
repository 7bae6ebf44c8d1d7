/*
 * test_vfr_capture.c - vfr/capture.c: the shared record ring and taps.
 *
 * Checks: the exact bytes of one record and of the ring header (the wire
 * format in capture.h); a long producer/consumer run with random record
 * sizes and prefixes that wraps the data area many times and the 32-bit
 * indices once, every record coming out in order and intact; a full ring
 * drops new records (counted on the tap) and never overwrites unread ones;
 * taps select by VIF and direction, filter with BPF, cut to the snap
 * length and count captured / filtered-out / dropped; corrupt shared
 * indices and record headers are detected; attach refuses bad headers.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "capture.h"

static uint64_t rng = 0xdeadbeefcafef00dull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static _Alignas(64) uint8_t area[VFR_CAPTURE_RING_BYTES(4096) + 100];
static _Alignas(64) uint8_t area2[VFR_CAPTURE_RING_BYTES(4096)];

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_wire_format(void)
{
	struct vfr_capture_ring prod, cons;
	struct vfr_capture_meta m = {
		.timestamp_ns = 0x0102030405060708ull, .wire_len = 60,
		.tap_id = 0xa1b2c3d4, .vif = 0x1234, .direction = VFR_DIR_OUT,
		.prefix_len = 4, .prefix = "drop",
	};
	const uint8_t frame[5] = { 0xf0, 0xf1, 0xf2, 0xf3, 0xf4 };
	static const uint8_t expect[48] = {
		48, 0, 0, 0, 0x34, 0x12, 1, 4,
		8, 7, 6, 5, 4, 3, 2, 1,
		60, 0, 0, 0, 5, 0, 0, 0,
		0xd4, 0xc3, 0xb2, 0xa1, 0, 0, 0, 0,
		'd', 'r', 'o', 'p', 0xf0, 0xf1, 0xf2, 0xf3,
		0xf4, 0, 0, 0, 0, 0, 0, 0,
	};
	struct vfr_capture_record rec;
	uint8_t data[16];

	memset(area, 0xee, sizeof(area));
	CHECK_EQ(vfr_capture_ring_init(&prod, area, sizeof(area)), 0);
	CHECK_EQ(prod.size, 4096);	/* largest power of two that fits */
	CHECK_EQ(le32(area + 0), 0x43524656);
	CHECK_EQ(le32(area + 4), 1);
	CHECK_EQ(le32(area + 8), 4096);
	CHECK_EQ(vfr_capture_ring_attach(&cons, area, sizeof(area)), 0);
	CHECK_EQ(vfr_capture_ring_get(&cons, &rec, data, 16), 0);
	CHECK_EQ(vfr_capture_ring_put(&prod, &m, frame, 5), 0);
	CHECK_EQ(le32(area + 64), 48);			/* prod */
	CHECK_EQ(memcmp(area + VFR_CAPTURE_RING_HDR, expect, 48), 0);
	CHECK_EQ(vfr_capture_ring_get(&cons, &rec, data, 4), -VFR_ENOSPC);
	CHECK_EQ(vfr_capture_ring_get(&cons, &rec, data, 16), 1);
	CHECK_EQ(le32(area + 128), 48);			/* cons */
	CHECK_EQ(rec.timestamp_ns, 0x0102030405060708ull);
	CHECK_EQ(rec.wire_len, 60);
	CHECK_EQ(rec.cap_len, 5);
	CHECK_EQ(rec.tap_id, 0xa1b2c3d4);
	CHECK_EQ(rec.vif, 0x1234);
	CHECK_EQ(rec.direction, VFR_DIR_OUT);
	CHECK_EQ(rec.prefix_len, 4);
	CHECK_EQ(memcmp(rec.prefix, "drop", 4), 0);
	CHECK_EQ(memcmp(data, frame, 5), 0);
	CHECK_EQ(vfr_capture_ring_get(&cons, &rec, data, 16), 0);
	/* refused arguments */
	m.prefix_len = VFR_CAPTURE_PREFIX_MAX + 1;
	CHECK_EQ(vfr_capture_ring_put(&prod, &m, frame, 5), -VFR_EINVAL);
	m.prefix_len = 0;
	m.wire_len = 4;
	CHECK_EQ(vfr_capture_ring_put(&prod, &m, frame, 5), -VFR_EINVAL);
	CHECK_EQ(vfr_capture_ring_init(&prod, area + 1, 2000), -VFR_EINVAL);
	CHECK_EQ(vfr_capture_ring_init(&prod, area, 400), -VFR_EINVAL);
}

/* Producer and consumer in lockstep-ish random order, across 2^32. */
static void test_wraparound(void)
{
	static uint8_t frame[1500], out[1500];
	struct vfr_capture_ring prod, cons;
	struct vfr_capture_record rec;
	uint32_t sent = 0, got = 0, full = 0, i, start = 0xffff0000u;
	bool ok = true;

	CHECK_EQ(vfr_capture_ring_init(&prod, area2, sizeof(area2)), 0);
	/* start both indices just below 2^32 so they wrap during the run */
	area2[64] = area2[128] = 0;
	area2[66] = area2[130] = 0xff;
	area2[67] = area2[131] = 0xff;
	prod.index = start;
	CHECK_EQ(vfr_capture_ring_attach(&cons, area2, sizeof(area2)), 0);
	CHECK_EQ(cons.index, start);
	for (i = 0; i < 200000; i++) {
		if (rnd() % 2) {
			struct vfr_capture_meta m = { 0 };
			uint32_t len = rnd() % 1500, j;
			int rc;

			m.wire_len = len + rnd() % 3;
			m.tap_id = sent;
			m.timestamp_ns = (uint64_t)sent << 20;
			m.prefix_len = (uint8_t)(rnd() % 5 == 0 ? rnd() % 65 : 0);
			m.prefix = "0123456789abcdef0123456789abcdef"
				   "0123456789abcdef0123456789abcdef";
			for (j = 0; j < len; j++)
				frame[j] = (uint8_t)(sent * 7 + j);
			rc = vfr_capture_ring_put(&prod, &m, frame, len);
			if (rc == -VFR_ENOSPC) {
				full++;
				continue;
			}
			ok &= rc == 0;
			sent++;
		} else {
			int rc = vfr_capture_ring_get(&cons, &rec, out,
						      sizeof(out));
			uint32_t j;

			if (rc == 0)
				continue;
			ok &= rc == 1 && rec.tap_id == got &&
			      rec.timestamp_ns == (uint64_t)got << 20 &&
			      rec.cap_len <= rec.wire_len &&
			      rec.wire_len - rec.cap_len < 3 &&
			      memcmp(rec.prefix, "0123456789abcdef",
				     rec.prefix_len < 16 ? rec.prefix_len : 16)
				      == 0;
			for (j = 0; j < rec.cap_len; j++)
				ok &= out[j] == (uint8_t)(got * 7 + j);
			got++;
		}
	}
	while (vfr_capture_ring_get(&cons, &rec, out, sizeof(out)) == 1)
		ok &= rec.tap_id == got++;
	printf("wraparound: %u records through a 4096-byte ring, %u refused "
	       "as full, indices now %#x\n", sent, full, prod.index);
	CHECK(ok);
	CHECK_EQ(got, sent);
	CHECK(sent > 10000 && full > 1000);
	CHECK(prod.index < start);	/* the 32-bit index did wrap */
	CHECK_EQ(prod.index, cons.index);
}

/* keep 40 bytes if ethertype == IPv4, else 0 */
static const struct vfr_bpf_insn ipv4_only[] = {
	{ VFR_BPF_LD | VFR_BPF_H | VFR_BPF_ABS, 0, 0, 12 },
	{ VFR_BPF_JMP | VFR_BPF_JEQ | VFR_BPF_K, 0, 1, 0x0800 },
	{ VFR_BPF_RET | VFR_BPF_K, 0, 0, 40 },
	{ VFR_BPF_RET | VFR_BPF_K, 0, 0, 0 },
};

/* Full ring: 96-byte records in 256 bytes: two fit, then drops. */
static void test_full_ring(struct vfr_capture_ring *prod,
			   struct vfr_capture_ring *cons,
			   struct vfr_capture_tap *all, struct vfr_capture_tap *v4)
{
	static uint8_t big[1000];
	struct vfr_capture_tap up;
	struct vfr_capture_record rec;
	uint8_t f4[100] = { [12] = 0x08, [13] = 0x00 };
	uint8_t out[256];
	int rc, i;

	for (i = 0; i < 5; i++) {
		rc = vfr_capture_tap_frame(all, 7, VFR_DIR_IN, 10 + i, f4, 100);
		CHECK_EQ(rc, i < 2 ? 1 : -VFR_ENOSPC);
	}
	CHECK_EQ(all->captured, 3);
	CHECK_EQ(all->dropped, 3);
	/* the unread records are intact: the oldest first */
	CHECK_EQ(vfr_capture_ring_get(cons, &rec, out, sizeof(out)), 1);
	CHECK_EQ(rec.timestamp_ns, 10);
	CHECK_EQ(vfr_capture_tap_frame(all, 7, VFR_DIR_IN, 20, f4, 100), 1);
	CHECK_EQ(vfr_capture_ring_get(cons, &rec, out, sizeof(out)), 1);
	CHECK_EQ(rec.timestamp_ns, 11);
	CHECK_EQ(vfr_capture_ring_get(cons, &rec, out, sizeof(out)), 1);
	CHECK_EQ(rec.timestamp_ns, 20);
	CHECK_EQ(vfr_capture_ring_get(cons, &rec, out, sizeof(out)), 0);
	/* a frame bigger than the ring is cut to what a record can hold */
	CHECK_EQ(vfr_capture_tap_frame(v4, 7, VFR_DIR_IN, 30, f4, 100), 1);
	CHECK_EQ(vfr_capture_ring_get(cons, &rec, out, sizeof(out)), 1);
	CHECK_EQ(vfr_capture_tap_init(&up, 9, 7, VFR_CAPTURE_DIR_IN, 0, NULL,
				      prod), 0);
	CHECK_EQ(vfr_capture_tap_frame(&up, 7, VFR_DIR_IN, 31, big, 1000), 1);
	CHECK_EQ(vfr_capture_ring_get(cons, &rec, out, sizeof(out)), 1);
	CHECK_EQ(rec.cap_len, 256 - VFR_CAPTURE_REC_HDR);
	CHECK_EQ(rec.wire_len, 1000);
}

static void test_taps(void)
{
	static _Alignas(8) uint8_t small[VFR_CAPTURE_RING_BYTES(256)];
	struct vfr_bpf_insn storage[4];
	struct vfr_bpf_prog prog = { 0 };
	struct vfr_capture_ring prod, cons;
	struct vfr_capture_tap all, v4, up;
	struct vfr_capture_record rec;
	uint8_t f4[100] = { [12] = 0x08, [13] = 0x00 };
	uint8_t f6[80] = { [12] = 0x86, [13] = 0xdd };
	uint8_t out[256];

	CHECK_EQ(vfr_bpf_load(&prog, storage, 4, ipv4_only, 4, NULL), 0);
	CHECK_EQ(vfr_capture_ring_init(&prod, small, sizeof(small)), 0);
	CHECK_EQ(vfr_capture_ring_attach(&cons, small, sizeof(small)), 0);
	CHECK_EQ(vfr_capture_tap_init(&all, 1, 7, VFR_CAPTURE_DIR_BOTH, 64,
				      NULL, &prod), 0);
	CHECK_EQ(vfr_capture_tap_init(&v4, 2, 7, VFR_CAPTURE_DIR_IN, 0,
				      &prog, &prod), 0);
	CHECK_EQ(vfr_capture_tap_init(&up, 3, VFR_VIF_UPLINK,
				      VFR_CAPTURE_DIR_OUT, 0, NULL, &prod), 0);
	CHECK_EQ(vfr_capture_tap_init(&up, 3, 7, 0, 0, NULL, &prod),
		 -VFR_EINVAL);
	CHECK_EQ(vfr_capture_tap_init(&up, 3, VFR_VIF_UPLINK,
				      VFR_CAPTURE_DIR_OUT, 0, NULL, &prod), 0);

	/* selection by VIF and direction; the filter's snap and the tap's */
	CHECK_EQ(vfr_capture_tap_frame(&v4, 7, VFR_DIR_OUT, 1, f4, 100), 0);
	CHECK_EQ(vfr_capture_tap_frame(&v4, 8, VFR_DIR_IN, 1, f4, 100), 0);
	CHECK_EQ(vfr_capture_tap_frame(&v4, 7, VFR_DIR_IN, 1, f6, 80), 0);
	CHECK_EQ(v4.filtered_out, 1);
	CHECK_EQ(vfr_capture_tap_frame(&v4, 7, VFR_DIR_IN, 2, f4, 100), 1);
	CHECK_EQ(vfr_capture_tap_frame(&all, 7, VFR_DIR_OUT, 3, f6, 80), 1);
	CHECK_EQ(vfr_capture_tap_frame(&up, VFR_VIF_UPLINK, VFR_DIR_OUT, 4,
				       f6, 30), 1);
	CHECK_EQ(vfr_capture_tap_frame(&up, VFR_VIF_UPLINK, VFR_DIR_IN, 4,
				       f6, 30), 0);
	CHECK_EQ(vfr_capture_ring_get(&cons, &rec, out, sizeof(out)), 1);
	CHECK_EQ(rec.tap_id, 2);
	CHECK_EQ(rec.cap_len, 40);	/* the filter's snap */
	CHECK_EQ(rec.wire_len, 100);
	CHECK_EQ(rec.timestamp_ns, 2);
	CHECK_EQ(vfr_capture_ring_get(&cons, &rec, out, sizeof(out)), 1);
	CHECK_EQ(rec.tap_id, 1);
	CHECK_EQ(rec.cap_len, 64);	/* the tap's snap length */
	CHECK_EQ(rec.direction, VFR_DIR_OUT);
	CHECK_EQ(vfr_capture_ring_get(&cons, &rec, out, sizeof(out)), 1);
	CHECK_EQ(rec.vif, VFR_VIF_UPLINK);
	CHECK_EQ(rec.cap_len, 30);
	CHECK_EQ(vfr_capture_ring_get(&cons, &rec, out, sizeof(out)), 0);
	test_full_ring(&prod, &cons, &all, &v4);
}

static void test_corruption(void)
{
	struct vfr_capture_ring prod, cons;
	struct vfr_capture_record rec;
	struct vfr_capture_meta m = { .wire_len = 10 };
	uint8_t f[10] = { 0 }, out[64];

	/* a consumer index far from the producer's: producer refuses */
	CHECK_EQ(vfr_capture_ring_init(&prod, area2, sizeof(area2)), 0);
	CHECK_EQ(vfr_capture_ring_attach(&cons, area2, sizeof(area2)), 0);
	area2[128 + 2] = 0x10;
	CHECK_EQ(vfr_capture_ring_put(&prod, &m, f, 10), -VFR_EIO);
	CHECK_EQ(vfr_capture_ring_put(&prod, &m, f, 10), -VFR_EIO);

	/* a record header with an impossible length: consumer refuses */
	CHECK_EQ(vfr_capture_ring_init(&prod, area2, sizeof(area2)), 0);
	CHECK_EQ(vfr_capture_ring_attach(&cons, area2, sizeof(area2)), 0);
	CHECK_EQ(vfr_capture_ring_put(&prod, &m, f, 10), 0);
	area2[VFR_CAPTURE_RING_HDR] = 56;	/* rec_len past prod */
	CHECK_EQ(vfr_capture_ring_get(&cons, &rec, out, 64), -VFR_EIO);
	CHECK_EQ(vfr_capture_ring_get(&cons, &rec, out, 64), -VFR_EIO);

	/* cap_len > wire_len in a header */
	CHECK_EQ(vfr_capture_ring_init(&prod, area2, sizeof(area2)), 0);
	CHECK_EQ(vfr_capture_ring_attach(&cons, area2, sizeof(area2)), 0);
	CHECK_EQ(vfr_capture_ring_put(&prod, &m, f, 10), 0);
	area2[VFR_CAPTURE_RING_HDR + 16] = 9;
	CHECK_EQ(vfr_capture_ring_get(&cons, &rec, out, 64), -VFR_EIO);

	/* a producer index more than the ring ahead */
	CHECK_EQ(vfr_capture_ring_init(&prod, area2, sizeof(area2)), 0);
	CHECK_EQ(vfr_capture_ring_attach(&cons, area2, sizeof(area2)), 0);
	area2[64 + 1] = 0x20;
	CHECK_EQ(vfr_capture_ring_get(&cons, &rec, out, 64), -VFR_EIO);
	CHECK_EQ(vfr_capture_ring_attach(&cons, area2, sizeof(area2)),
		 -VFR_EINVAL);

	/* attach: bad magic, version, size, short area */
	CHECK_EQ(vfr_capture_ring_init(&prod, area2, sizeof(area2)), 0);
	CHECK_EQ(vfr_capture_ring_attach(&cons, area2, sizeof(area2) - 1),
		 -VFR_EINVAL);
	area2[8] = 1;				/* size not a power of 2 */
	CHECK_EQ(vfr_capture_ring_attach(&cons, area2, sizeof(area2)),
		 -VFR_EINVAL);
	CHECK_EQ(vfr_capture_ring_init(&prod, area2, sizeof(area2)), 0);
	area2[4] = 2;
	CHECK_EQ(vfr_capture_ring_attach(&cons, area2, sizeof(area2)),
		 -VFR_EINVAL);
	CHECK_EQ(vfr_capture_ring_init(&prod, area2, sizeof(area2)), 0);
	area2[0] ^= 1;
	CHECK_EQ(vfr_capture_ring_attach(&cons, area2, sizeof(area2)),
		 -VFR_EINVAL);
}

int main(void)
{
	test_wire_format();
	test_wraparound();
	test_taps();
	test_corruption();
	return check_done();
}
