/*
 * capture.c - capture taps and the shared byte ring of capture records.
 *
 * Interface and wire format: see capture.h.
 *
 * Invariants: every byte written to or read from data[] goes through
 * ring_copy_in/ring_copy_out, which mask the offset with size - 1, so no
 * index read from shared memory can make us touch memory outside the
 * ring; multi-byte fields are encoded byte by byte, little-endian, so the
 * format does not depend on either side's byte order.  The shared indices
 * are single aligned 32-bit words accessed with acquire/release atomics.
 */
#include "capture.h"

#define OFF_MAGIC	0
#define OFF_VERSION	4
#define OFF_SIZE	8
#define OFF_PROD	64
#define OFF_CONS	128

static void put_le16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v);
	put_le16(p + 2, v >> 16);
}

static uint32_t get_le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get_le32(const uint8_t *p)
{
	return get_le16(p) | get_le16(p + 2) << 16;
}

/* A shared index: one aligned word whose bytes are little-endian. */
static uint32_t *index_word(const struct vfr_capture_ring *r, uint32_t off)
{
	return (uint32_t *)(void *)(r->shared + off);
}

static uint32_t load_index(const struct vfr_capture_ring *r, uint32_t off)
{
	uint32_t w = __atomic_load_n(index_word(r, off), __ATOMIC_ACQUIRE);

	return get_le32((const uint8_t *)&w);
}

static void store_index(struct vfr_capture_ring *r, uint32_t off, uint32_t v)
{
	uint32_t w;

	put_le32((uint8_t *)&w, v);
	__atomic_store_n(index_word(r, off), w, __ATOMIC_RELEASE);
}

static void ring_copy_in(struct vfr_capture_ring *r, uint32_t pos,
			 const void *src, uint32_t len)
{
	uint8_t *data = r->shared + VFR_CAPTURE_RING_HDR;
	uint32_t off = pos & (r->size - 1);
	uint32_t first = r->size - off < len ? r->size - off : len;

	if (len == 0)
		return;
	memcpy(data + off, src, first);
	memcpy(data, (const uint8_t *)src + first, len - first);
}

static void ring_copy_out(const struct vfr_capture_ring *r, uint32_t pos,
			  void *dst, uint32_t len)
{
	const uint8_t *data = r->shared + VFR_CAPTURE_RING_HDR;
	uint32_t off = pos & (r->size - 1);
	uint32_t first = r->size - off < len ? r->size - off : len;

	if (len == 0)
		return;
	memcpy(dst, data + off, first);
	memcpy((uint8_t *)dst + first, data, len - first);
}

static bool usable_area(const void *mem, size_t mem_len)
{
	return mem != NULL && ((uintptr_t)mem & 3) == 0 &&
	       mem_len >= VFR_CAPTURE_RING_BYTES(VFR_CAPTURE_MIN_DATA);
}

int vfr_capture_ring_init(struct vfr_capture_ring *r, void *mem,
			  size_t mem_len)
{
	uint32_t size = VFR_CAPTURE_MIN_DATA;

	if (!usable_area(mem, mem_len))
		return -VFR_EINVAL;
	while (size < VFR_CAPTURE_MAX_DATA &&
	       VFR_CAPTURE_RING_BYTES((size_t)size * 2) <= mem_len)
		size *= 2;
	memset(mem, 0, VFR_CAPTURE_RING_HDR);
	r->shared = mem;
	r->size = size;
	r->index = 0;
	r->corrupt = false;
	put_le32(r->shared + OFF_VERSION, VFR_CAPTURE_VERSION);
	put_le32(r->shared + OFF_SIZE, size);
	/* the magic last: an attaching consumer sees a finished header */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	put_le32(r->shared + OFF_MAGIC, VFR_CAPTURE_MAGIC);
	return 0;
}

int vfr_capture_ring_attach(struct vfr_capture_ring *r, void *mem,
			    size_t mem_len)
{
	uint8_t *m = mem;
	uint32_t size;

	if (!usable_area(mem, mem_len))
		return -VFR_EINVAL;
	if (get_le32(m + OFF_MAGIC) != VFR_CAPTURE_MAGIC)
		return -VFR_EINVAL;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	size = get_le32(m + OFF_SIZE);
	if (get_le32(m + OFF_VERSION) != VFR_CAPTURE_VERSION ||
	    size < VFR_CAPTURE_MIN_DATA || size > VFR_CAPTURE_MAX_DATA ||
	    (size & (size - 1)) != 0 ||
	    VFR_CAPTURE_RING_BYTES((size_t)size) > mem_len)
		return -VFR_EINVAL;
	r->shared = m;
	r->size = size;
	r->corrupt = false;
	r->index = load_index(r, OFF_CONS);
	if (load_index(r, OFF_PROD) - r->index > size)
		return -VFR_EINVAL;
	return 0;
}

static uint32_t record_len(uint32_t prefix_len, uint32_t cap_len)
{
	return (VFR_CAPTURE_REC_HDR + prefix_len + cap_len + 7) & ~7u;
}

static void encode_header(uint8_t *h, const struct vfr_capture_meta *m,
			  uint32_t rec_len, uint32_t cap_len)
{
	put_le32(h + 0, rec_len);
	put_le16(h + 4, m->vif);
	h[6] = m->direction;
	h[7] = m->prefix_len;
	put_le32(h + 8, (uint32_t)m->timestamp_ns);
	put_le32(h + 12, (uint32_t)(m->timestamp_ns >> 32));
	put_le32(h + 16, m->wire_len);
	put_le32(h + 20, cap_len);
	put_le32(h + 24, m->tap_id);
	put_le32(h + 28, 0);
}

int vfr_capture_ring_put(struct vfr_capture_ring *r,
			 const struct vfr_capture_meta *meta,
			 const uint8_t *frame, uint32_t cap_len)
{
	static const uint8_t zeros[8];
	uint8_t hdr[VFR_CAPTURE_REC_HDR];
	uint32_t rec_len, used, pos;

	if (meta->prefix_len > VFR_CAPTURE_PREFIX_MAX ||
	    (meta->prefix_len && meta->prefix == NULL) ||
	    cap_len > meta->wire_len || (cap_len && frame == NULL) ||
	    cap_len > r->size)
		return -VFR_EINVAL;
	rec_len = record_len(meta->prefix_len, cap_len);
	if (rec_len > r->size)
		return -VFR_EINVAL;
	if (r->corrupt)
		return -VFR_EIO;
	used = r->index - load_index(r, OFF_CONS);
	if (used > r->size) {
		r->corrupt = true;
		return -VFR_EIO;
	}
	if (r->size - used < rec_len)
		return -VFR_ENOSPC;
	pos = r->index;
	encode_header(hdr, meta, rec_len, cap_len);
	ring_copy_in(r, pos, hdr, sizeof(hdr));
	ring_copy_in(r, pos + VFR_CAPTURE_REC_HDR, meta->prefix,
		     meta->prefix_len);
	ring_copy_in(r, pos + VFR_CAPTURE_REC_HDR + meta->prefix_len, frame,
		     cap_len);
	ring_copy_in(r, pos + VFR_CAPTURE_REC_HDR + meta->prefix_len + cap_len,
		     zeros, rec_len - VFR_CAPTURE_REC_HDR - meta->prefix_len -
		     cap_len);
	r->index = pos + rec_len;
	store_index(r, OFF_PROD, r->index);
	return 0;
}

/* Decode and check a record header copied out of the ring. */
static bool decode_header(const uint8_t *h, uint32_t avail,
			  struct vfr_capture_record *rec, uint32_t *rec_len)
{
	uint32_t len = get_le32(h);

	rec->vif = (vfr_vif_id_t)get_le16(h + 4);
	rec->direction = h[6];
	rec->prefix_len = h[7];
	rec->timestamp_ns = (uint64_t)get_le32(h + 8) |
			    (uint64_t)get_le32(h + 12) << 32;
	rec->wire_len = get_le32(h + 16);
	rec->cap_len = get_le32(h + 20);
	rec->tap_id = get_le32(h + 24);
	*rec_len = len;
	return len <= avail && len >= VFR_CAPTURE_REC_HDR &&
	       rec->prefix_len <= VFR_CAPTURE_PREFIX_MAX &&
	       rec->direction < VFR_DIR_COUNT &&
	       rec->cap_len <= rec->wire_len && rec->cap_len <= len &&
	       len == record_len(rec->prefix_len, rec->cap_len);
}

int vfr_capture_ring_get(struct vfr_capture_ring *r,
			 struct vfr_capture_record *rec, uint8_t *data,
			 uint32_t data_cap)
{
	uint8_t hdr[VFR_CAPTURE_REC_HDR];
	uint32_t avail, rec_len, pos = r->index;

	if (r->corrupt)
		return -VFR_EIO;
	avail = load_index(r, OFF_PROD) - pos;
	if (avail > r->size)
		goto corrupt;
	if (avail == 0)
		return 0;
	if (avail < VFR_CAPTURE_REC_HDR)
		goto corrupt;
	ring_copy_out(r, pos, hdr, sizeof(hdr));
	if (!decode_header(hdr, avail, rec, &rec_len))
		goto corrupt;
	if (rec->cap_len > data_cap || (rec->cap_len && data == NULL))
		return -VFR_ENOSPC;
	ring_copy_out(r, pos + VFR_CAPTURE_REC_HDR, rec->prefix,
		      rec->prefix_len);
	ring_copy_out(r, pos + VFR_CAPTURE_REC_HDR + rec->prefix_len, data,
		      rec->cap_len);
	r->index = pos + rec_len;
	store_index(r, OFF_CONS, r->index);
	return 1;
corrupt:
	r->corrupt = true;
	return -VFR_EIO;
}

int vfr_capture_tap_init(struct vfr_capture_tap *t, uint32_t id,
			 vfr_vif_id_t vif, uint8_t dirs, uint32_t snaplen,
			 const struct vfr_bpf_prog *filter,
			 struct vfr_capture_ring *ring)
{
	if (t == NULL || ring == NULL || dirs == 0 ||
	    (dirs & ~VFR_CAPTURE_DIR_BOTH) != 0 || vif == VFR_VIF_NONE)
		return -VFR_EINVAL;
	memset(t, 0, sizeof(*t));
	t->ring = ring;
	t->filter = filter;
	t->id = id;
	t->snaplen = snaplen ? snaplen : VFR_CAPTURE_DEFAULT_SNAPLEN;
	t->vif = vif;
	t->dirs = dirs;
	return 0;
}

int vfr_capture_tap_frame(struct vfr_capture_tap *t, vfr_vif_id_t vif,
			  enum vfr_dir dir, uint64_t now_ns,
			  const uint8_t *frame, uint32_t len)
{
	struct vfr_capture_meta meta;
	uint32_t keep = len;
	int rc;

	if (vif != t->vif || (unsigned)dir >= VFR_DIR_COUNT ||
	    !(t->dirs & (1u << dir)))
		return 0;
	if (t->filter) {
		uint32_t snap = vfr_bpf_run(t->filter, frame, len, len);

		if (snap == 0) {
			t->filtered_out++;
			return 0;
		}
		if (snap < keep)
			keep = snap;
	}
	if (t->snaplen < keep)
		keep = t->snaplen;
	/* a frame too big for the ring is cut to what a record can hold */
	if (keep > t->ring->size - VFR_CAPTURE_REC_HDR)
		keep = t->ring->size - VFR_CAPTURE_REC_HDR;
	memset(&meta, 0, sizeof(meta));
	meta.timestamp_ns = now_ns;
	meta.wire_len = len;
	meta.tap_id = t->id;
	meta.vif = vif;
	meta.direction = (uint8_t)dir;
	rc = vfr_capture_ring_put(t->ring, &meta, frame, keep);
	if (rc) {
		t->dropped++;
		return rc;
	}
	t->captured++;
	return 1;
}
