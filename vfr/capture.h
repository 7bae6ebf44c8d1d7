/*
 * capture.h - capture taps and the byte ring their records go through.
 *
 * A tap watches one VIF (or the uplink) in one or both directions; frames
 * that pass its optional BPF filter are copied, cut to its snap length,
 * into a capture ring: a byte ring in memory shared with the host tool,
 * which drains the records in order and writes pcap.  `log` rules put
 * records (with their log prefix) into a ring the same way.
 *
 * Interface:
 *   vfr_capture_ring_init()    producer: format a shared area as a ring.
 *   vfr_capture_ring_attach()  consumer: check a formatted area, use it.
 *   vfr_capture_ring_put()     producer: append one record or refuse.
 *   vfr_capture_ring_get()     consumer: take the oldest record out.
 *   vfr_capture_tap_init(), vfr_capture_tap_frame(): a tap and its counters.
 *
 * The ring is a wire format (it crosses to another address space):
 *
 *   Shared area header (192 bytes), all fields little-endian:
 *     0   le32 magic  0x43524656 ("VFRC")      written once by the producer
 *     4   le32 version  1
 *     8   le32 data_size  bytes of record space, a power of two >= 256
 *     12  52 bytes zero
 *     64  le32 prod  bytes ever written (mod 2^32)   producer-owned line
 *     68  60 bytes zero
 *     128 le32 cons  bytes ever consumed (mod 2^32)  consumer-owned line
 *     132 60 bytes zero
 *     192 data[data_size]: records, back to back; a record may wrap from
 *         the end of data[] to its start (byte offset = index mod size).
 *
 *   Record (header 32 bytes, then prefix, then frame bytes, then padding):
 *     0   le32 rec_len       32 + prefix_len + cap_len rounded up to 8
 *     4   le16 vif           VIF id (0xfffe = uplink)
 *     6   u8   direction     0 = in (from the guest), 1 = out (to it)
 *     7   u8   prefix_len    0..VFR_CAPTURE_PREFIX_MAX (log rules)
 *     8   le64 timestamp_ns  the producer's clock
 *     16  le32 wire_len      frame length on the wire
 *     20  le32 cap_len       bytes of the frame kept (<= wire_len)
 *     24  le32 tap_id        which tap (or log rule) wrote it
 *     28  le32 reserved      0
 *     32  prefix bytes (not NUL-terminated), then cap_len frame bytes,
 *         then 0..7 zero bytes so every record starts 8-aligned.
 *
 * Ring discipline: only the producer writes prod, only the consumer cons;
 * each publishes its index with a release store after the bytes it covers
 * and reads the other's with an acquire load.  Each side keeps a private
 * copy of its own index and of data_size and never trusts the shared
 * copies: an index more than data_size away from the private one marks the
 * ring corrupt (the producer then drops everything, the consumer reads
 * nothing).  A full ring never overwrites unread records: the new record is
 * dropped and the tap's drop counter counts it.  Records are copied out of
 * the ring before the consumer looks at them, and validated.
 */
#ifndef VFR_CAPTURE_H
#define VFR_CAPTURE_H

#include "vfr_types.h"
#include "bpf.h"

#define VFR_CAPTURE_MAGIC	0x43524656u
#define VFR_CAPTURE_VERSION	1u
#define VFR_CAPTURE_RING_HDR	192u	/* header bytes before data[] */
#define VFR_CAPTURE_REC_HDR	32u	/* record header bytes */
#define VFR_CAPTURE_MIN_DATA	256u
#define VFR_CAPTURE_MAX_DATA	(1u << 30)
#define VFR_CAPTURE_PREFIX_MAX	64u
#define VFR_CAPTURE_DEFAULT_SNAPLEN	65535u

/* Direction mask of a tap. */
#define VFR_CAPTURE_DIR_IN	(1u << VFR_DIR_IN)
#define VFR_CAPTURE_DIR_OUT	(1u << VFR_DIR_OUT)
#define VFR_CAPTURE_DIR_BOTH	(VFR_CAPTURE_DIR_IN | VFR_CAPTURE_DIR_OUT)

/* One side's private view of a shared ring. */
struct vfr_capture_ring {
	uint8_t *shared;	/* header + data[], 4-byte aligned */
	uint32_t size;		/* private copy of data_size */
	uint32_t index;		/* private copy of our own index */
	bool corrupt;
};

/* A record's header fields, decoded (or to encode). */
struct vfr_capture_meta {
	uint64_t timestamp_ns;
	uint32_t wire_len;
	uint32_t tap_id;
	vfr_vif_id_t vif;
	uint8_t direction;	/* enum vfr_dir */
	uint8_t prefix_len;
	const char *prefix;	/* put: the prefix to write */
};

/* What vfr_capture_ring_get() hands back. */
struct vfr_capture_record {
	uint64_t timestamp_ns;
	uint32_t wire_len, cap_len, tap_id;
	vfr_vif_id_t vif;
	uint8_t direction;
	uint8_t prefix_len;
	char prefix[VFR_CAPTURE_PREFIX_MAX];
};

/* Bytes of shared memory a ring with data_size bytes of records needs. */
#define VFR_CAPTURE_RING_BYTES(data_size) (VFR_CAPTURE_RING_HDR + (data_size))

/*
 * Producer: format mem[0..mem_len-1] as an empty ring using the largest
 * power-of-two data size that fits.  -VFR_EINVAL when mem is not 4-byte
 * aligned or too small for VFR_CAPTURE_MIN_DATA bytes of records.
 */
int vfr_capture_ring_init(struct vfr_capture_ring *r, void *mem,
			  size_t mem_len);

/* Consumer: use a ring formatted by the producer; -VFR_EINVAL if the
 * header is not a valid ring that fits in mem_len bytes. */
int vfr_capture_ring_attach(struct vfr_capture_ring *r, void *mem,
			    size_t mem_len);

/*
 * Producer: append a record of frame[0..cap_len-1] described by meta.
 * 0 on success; -VFR_ENOSPC when the ring has no room (nothing written);
 * -VFR_EINVAL for a prefix longer than VFR_CAPTURE_PREFIX_MAX, cap_len >
 * wire_len or a record that could never fit; -VFR_EIO if the consumer's
 * index is corrupt.
 */
int vfr_capture_ring_put(struct vfr_capture_ring *r,
			 const struct vfr_capture_meta *meta,
			 const uint8_t *frame, uint32_t cap_len);

/*
 * Consumer: take the oldest record: header into *rec, frame bytes into
 * data[0..data_cap-1].  1 = a record was taken, 0 = ring empty,
 * -VFR_ENOSPC = data_cap < its cap_len (the record stays), -VFR_EIO = the
 * ring is corrupt (the producer's index or a record header is impossible).
 */
int vfr_capture_ring_get(struct vfr_capture_ring *r,
			 struct vfr_capture_record *rec, uint8_t *data,
			 uint32_t data_cap);

struct vfr_capture_tap {
	struct vfr_capture_ring *ring;
	const struct vfr_bpf_prog *filter;	/* NULL = every frame */
	uint32_t id;
	uint32_t snaplen;
	vfr_vif_id_t vif;			/* a VIF or VFR_VIF_UPLINK */
	uint8_t dirs;				/* VFR_CAPTURE_DIR_* mask */
	uint64_t captured, filtered_out, dropped;
};

/* A tap on vif for the directions in dirs; snaplen 0 = 65535. */
int vfr_capture_tap_init(struct vfr_capture_tap *t, uint32_t id,
			 vfr_vif_id_t vif, uint8_t dirs, uint32_t snaplen,
			 const struct vfr_bpf_prog *filter,
			 struct vfr_capture_ring *ring);

/*
 * Offer the tap a frame seen on vif in direction dir at now_ns.  1 =
 * captured; 0 = not this tap's VIF/direction, or filtered out (counted);
 * -VFR_ENOSPC = ring full, dropped (counted); -VFR_EIO = ring corrupt,
 * dropped (counted).  The frame is cut to min(len, snaplen, filter result).
 */
int vfr_capture_tap_frame(struct vfr_capture_tap *t, vfr_vif_id_t vif,
			  enum vfr_dir dir, uint64_t now_ns,
			  const uint8_t *frame, uint32_t len);

#endif
