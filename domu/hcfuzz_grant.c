/*
 * hcfuzz_grant.c - grant_table_op arguments for the hypercall fuzzer
 * (hcfuzz.c): map, unmap, unmap_and_replace, copy and transfer ops that
 * get past the first
 * checks often enough to reach the deep paths, against a grant table of
 * the fuzzer's own whose entries it keeps rewriting.  See hcfuzz_grant.h.
 *
 * The table: 1 or 2 frames set up at start; its frame list is read again
 * (query_size, setup_table) before each build, as a fuzzed setup_table
 * may have grown it.  An entry is written through entry_page, mapped
 * writable to its table frame just before (a fuzzed call may have changed
 * that mapping), or through a window slot when entry_page's L1 refuses
 * updates.  Two builds in three write a few entries: mostly
 * GTF_permit_access (or readonly) or GTF_accept_transfer to our own id
 * (found through an unbound event channel to ourselves), naming a frame
 * of ours, half of them keeping the frame the entry has; and before an op
 * is built, a third of the time, the entry it uses is made what it needs.
 * Ops mostly use the first HOT_REFS refs.  A successful map made by a call
 * on its own is remembered (handle, host address, frame, read back from
 * the op) for unmaps to undo.  Only the ops built run: a longer count is
 * cut to them, except a count past INT32_MAX, which is refused whole.
 *
 * What may be written is what the fuzzer may lose, as in hcfuzz.c: the
 * victim and read-only pages (not the argument pages, where the batch
 * itself lives), the page tables (typed, so only readable), the table
 * frames, shared_info and the frames past the boot region, which nothing
 * maps.  A frame from the mix that we live on (code, data, stack,
 * start_info, the P2M, the argument pages) is replaced by a victim
 * wherever the builder names a frame to be written or given (entries,
 * copy sides, transfers), except 1 in LEAK times.  A
 * transfer may name any frame: only an unused one (no mapping, no type)
 * can go, and nothing we use is unmapped.
 *
 * Determinism: what is drawn never depends on a result; what is used
 * does (our domid, the table's frames and their number, the held maps,
 * whether an entry is pinned, the ops' statuses), which the hypervisor
 * gives alike for the same seed and frame layout.
 */
#include "hcfuzz_grant.h"
#include "event.h"
#include "guest.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/grant_table.h>

#define PAGE		4096u
#define TABLE_MAX	32u	/* query_size's max_nr_frames */
#define PER_FRAME	(PAGE / sizeof(struct grant_entry_v1))
#define HOT_REFS	16u	/* most ops and writes use the refs below */
#define ACCESS_REFS	12u	/* of them for access; the rest transfer */
#define MAX_BUILT	32u	/* ops built for a call; a longer count is cut */
#define TABLE_OPS_MAX	8u	/* setup_table-shaped blobs, as before */
#define HELD		16u
#define LEAK		256u
#define STATUS_UNRUN	0x5a5a	/* preset: the op never ran */
#define NR_BINS		15u	/* GNTST 0..-12, unrun, other */
/* The window slot map_table_frame() falls back on. */
#define ENTRY_SLOT	(MM_WINDOW_USER_SLOTS - 1)
#define NR_KINDS	5u	/* the op commands: kinds[] */

struct held_map {
	uint64_t host_addr, dev_bus_addr;	/* the frame's, from the map */
	uint32_t handle;
	bool valid;
};

/* The ops of the last call built on its own, for the tally. */
struct built_call {
	uint32_t cmd, k;
	const uint8_t *ops;	/* NULL: the call did not get them */
};

static const struct hcfuzz_mix *mix;
static uint16_t self_id;
static uint32_t table_mfn[TABLE_MAX], nr_table, boot_pfns;
static uint8_t entry_page[PAGE] __attribute__((aligned(4096)));
static struct held_map held[HELD];
static uint32_t held_next;
static struct built_call last;
static uint32_t status_bins[NR_KINDS][NR_BINS];	/* as kinds[] */

static uint32_t rnd(uint32_t n)
{
	return mix->rnd(n);
}

static bool chance(uint32_t one_in)
{
	return mix->rnd(one_in) == 0;
}

static long gnttab_op(uint32_t cmd, void *ops, uint32_t count)
{
	return hypercall(__HYPERVISOR_grant_table_op, cmd, (uint32_t)ops,
			 count, 0, 0);
}

/* ---- our id, our table ---- */

/* The remote end of an unbound port to DOMID_SELF is our own id. */
static uint16_t learn_own_id(void)
{
	struct evtchn_status st;
	evtchn_port_t port;
	uint16_t id = DOMID_SELF;

	if (evtchn_alloc_unbound(DOMID_SELF, &port))
		return id;
	if (!evtchn_status(port, &st) && st.status == EVTCHNSTAT_unbound)
		id = st.u.unbound.dom;
	evtchn_close(port);
	return id;
}

/* Take the table to n frames (or read its first n) and keep the list. */
static int table_grow(uint32_t n)
{
	struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = n };
	uint32_t frames[TABLE_MAX];
	long rc;

	s.frame_list = (uint32_t)frames;
	rc = gnttab_op(GNTTABOP_setup_table, &s, 1);
	if (rc || s.status)
		return rc ? (int)rc : -XEN_EINVAL;
	memcpy(table_mfn, frames, n * sizeof(frames[0]));
	nr_table = n;
	return 0;
}

static void table_refresh(void)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };

	if (!gnttab_op(GNTTABOP_query_size, &q, 1) && !q.status &&
	    q.nr_frames > nr_table && q.nr_frames <= TABLE_MAX)
		table_grow(q.nr_frames);
}

int hcfuzz_grant_setup(const struct hcfuzz_mix *m)
{
	mix = m;
	boot_pfns = mm_boot_region_end() / PAGE;
	self_id = learn_own_id();
	if (self_id == DOMID_SELF) {
		hyp_printf("hcfuzz: own domid not found\n");
		return -XEN_ESRCH;
	}
	return table_grow(1 + rnd(2));
}

/* ---- frames ---- */

static bool in_list(uint32_t mfn, const uint32_t *list, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (list[i] == mfn)
			return true;
	return false;
}

/* A frame of the boot region we live on: not a victim, argument,
 * read-only or page-table frame. */
static bool frame_in_use(uint32_t mfn)
{
	uint32_t pfn;

	if (in_list(mfn, mix->victim_mfn, mix->nr_victim) ||
	    in_list(mfn, mix->area_mfn, mix->nr_area) ||
	    in_list(mfn, mix->pt_mfn, mix->nr_pt))
		return false;
	for (pfn = 0; pfn < boot_pfns; pfn++)
		if (pfn_to_mfn(pfn) == mfn)
			return true;
	return false;
}

/* As hcfuzz.c's protect(), for a frame that is to be written. */
static uint32_t safe_mfn(uint32_t mfn)
{
	bool leak = chance(LEAK);	/* drawn whatever the frame: determinism */

	if (frame_in_use(mfn) && !leak)
		return mix->victim_mfn[rnd(mix->nr_victim)];
	return mfn;
}

/* A frame of ours past the boot region: nothing maps or uses it. */
static uint32_t spare_mfn(void)
{
	uint32_t nr = mm_nr_pages();
	uint32_t mfn = pfn_to_mfn(boot_pfns + rnd(nr > boot_pfns ?
						   nr - boot_pfns : 1));

	return mfn != MM_INVALID_MFN ? mfn : mix->victim_mfn[0];
}

/* A frame of ours that may be written or lost, or one of the mix. */
static uint32_t own_frame(void)
{
	uint32_t r = rnd(100);

	if (r < 30)
		return mix->victim_mfn[rnd(mix->nr_victim)];
	if (r < 42)
		return mix->area_mfn[rnd(mix->nr_area)];
	if (r < 52)
		return mix->pt_mfn[rnd(mix->nr_pt)];
	if (r < 60)
		return table_mfn[rnd(nr_table)];
	if (r < 65)
		return mix->shared_mfn;
	if (r < 80)
		return spare_mfn();
	return safe_mfn(mix->mfn());
}

/* ---- entries ---- */

/* Mostly what the ops that use the slot's ref want (pick_ref()). */
static uint16_t entry_flags(uint32_t slot)
{
	uint32_t r = rnd(100);

	if (slot % HOT_REFS >= ACCESS_REFS && r < 60)
		return GTF_accept_transfer;
	if (r < 50)
		return GTF_permit_access;
	if (r < 68)
		return GTF_permit_access | GTF_readonly;
	if (r < 80)
		return GTF_accept_transfer;
	if (r < 85)
		return GTF_invalid;
	if (r < 90)	/* the bits the hypervisor owns, set by us */
		return GTF_permit_access | (uint16_t)(rnd(4) << 3);
	return (uint16_t)mix->word();
}

/* A domid for an entry or an op: mostly ourselves. */
static uint16_t pick_domid(void)
{
	uint32_t r = rnd(16);

	if (r < 13)
		return self_id;
	if (r < 15)
		return r == 13 ? 0 : DOMID_SELF;
	return (uint16_t)mix->domid();
}

/*
 * Table frame mfn, mapped writable for us now: at entry_page, or when
 * that cannot be changed (a decrease_reservation gave back the L1 that
 * maps our kernel: it keeps working but refuses updates) in the window's
 * ENTRY_SLOT, if the window's L1 then holds the entry.  NULL if neither.
 */
static volatile struct grant_entry_v1 *map_table_frame(uint32_t mfn)
{
	uint64_t e;

	if (!HYPERVISOR_update_va_mapping((uint32_t)entry_page,
			mm_make_entry(mfn, MM_PTE_RW), UVMF_INVLPG))
		return (void *)entry_page;
	if (mm_map_mfn(ENTRY_SLOT, mfn, true))
		return NULL;
	e = mm_window_entry(ENTRY_SLOT);
	if (mm_entry_mfn(e) != mfn || !(e & _PAGE_RW))
		return NULL;
	return (void *)mm_window_va(ENTRY_SLOT);
}

/* How write_entry() treats the entry's frame: a pinned entry is usable
 * only with the frame it was pinned with. */
enum keep_frame { FRAME_NEW, FRAME_KEPT, FRAME_KEPT_IF_PINNED };

/* Write our entry ref, if its table frame can be mapped. */
static void write_entry(uint32_t ref, uint16_t flags, uint16_t domid,
			uint32_t frame, enum keep_frame keep)
{
	volatile struct grant_entry_v1 *e = NULL;

	if (ref / PER_FRAME < nr_table)
		e = map_table_frame(table_mfn[ref / PER_FRAME]);
	if (e) {
		e += ref % PER_FRAME;
		if (keep == FRAME_KEPT_IF_PINNED)
			keep = e->flags & (GTF_reading | GTF_writing) ?
			       FRAME_KEPT : FRAME_NEW;
	}
	if (mix->verbose)
		hyp_printf("hcfuzz:     entry %u flags=%x domid=%u frame=%x%s\n",
		    ref, flags, domid, frame, !e ? " (not written)" :
		    keep == FRAME_KEPT ? " (frame kept)" : "");
	if (!e)
		return;
	if (keep == FRAME_NEW)
		e->frame = frame;
	e->domid = domid;
	barrier();	/* the type last, as a granter writes it */
	e->flags = flags;
}

/* A few entries, mostly of the first frame.  Here and below the values
 * are drawn even when an entry cannot be written. */
static void write_entries(void)
{
	uint32_t f = chance(4) ? rnd(TABLE_MAX) : 0, n = 1 + rnd(4), i;

	if (f >= nr_table)
		f = 0;
	for (i = 0; i < n; i++) {
		uint32_t slot = chance(4) ? rnd(PER_FRAME) : rnd(HOT_REFS);
		uint32_t frame = own_frame();
		enum keep_frame keep = chance(2) ? FRAME_KEPT : FRAME_NEW;
		uint16_t domid = pick_domid(), flags = entry_flags(slot);

		write_entry(f * PER_FRAME + slot, flags, domid, frame, keep);
	}
}

/* A third of the time, make the entry an op is about to use what it
 * needs (flags, mostly our id, a frame of ours, kept while pinned), so
 * that ops get past the entry's checks to the deeper ones. */
static void prepare_entry(uint32_t ref, uint16_t flags)
{
	uint32_t frame = own_frame();
	enum keep_frame keep = chance(4) ? FRAME_NEW : FRAME_KEPT_IF_PINNED;
	uint16_t domid = chance(8) ? pick_domid() : self_id;

	if (chance(3))
		write_entry(ref, flags, domid, frame, keep);
}

/* Mostly the refs write_entries() writes; sometimes past the table. */
static uint32_t pick_ref(bool transfer)
{
	uint32_t r = rnd(100);

	if (r < 70)
		return transfer ? ACCESS_REFS + rnd(HOT_REFS - ACCESS_REFS) :
				  rnd(ACCESS_REFS);
	if (r < 80)
		return rnd(2 * HOT_REFS);
	if (r < 87)
		return PER_FRAME + rnd(HOT_REFS);	/* a second frame's */
	if (r < 95)
		return nr_table * PER_FRAME - 2 + rnd(4);	/* the edge */
	return mix->word();
}

/* ---- ops ---- */

static uint32_t map_flags(void)
{
	uint32_t f = chance(16) ? 0 : GNTMAP_host_map;

	if (chance(32))
		return mix->word();
	if (chance(3))
		f |= GNTMAP_readonly;
	if (chance(4))
		f |= GNTMAP_application_map;
	if (chance(3))
		f |= GNTMAP_contains_pte;
	if (chance(32))
		f |= GNTMAP_device_map;
	return f;
}

/* A virtual address, or with GNTMAP_contains_pte an entry's address. */
static uint64_t host_addr(uint32_t flags)
{
	uint64_t a;

	if (flags & GNTMAP_contains_pte) {
		a = mix->entry_maddr();
		return chance(8) ? a + 1 + rnd(7) : a;	/* misaligned */
	}
	a = mix->va();
	if (chance(8))
		a |= rnd(PAGE);
	if (chance(32))
		a |= (uint64_t)(1 + rnd(15)) << 32;
	return a;
}

static void build_map(struct gnttab_map_grant_ref *op)
{
	op->flags = map_flags();
	op->host_addr = host_addr(op->flags);
	op->ref = pick_ref(false);
	op->dom = pick_domid();
	prepare_entry(op->ref, GTF_permit_access |
		      ((op->flags & GNTMAP_readonly) && chance(2) ?
		       GTF_readonly : 0));
	op->handle = mix->word();
	op->dev_bus_addr = mix->word();
	op->status = STATUS_UNRUN;
}

/* Mostly the small handles a run hands out first. */
static uint32_t pick_handle(void)
{
	uint32_t r = rnd(100);

	if (r < 50)
		return rnd(8);
	if (r < 75)
		return rnd(32);
	if (r < 85)
		return rnd(2048);
	if (r < 92)
		return 2046 + rnd(4);	/* the last of the maptrack */
	return mix->word();
}

/* An unmap of a map we hold (either half of it, or both), or drawn;
 * dev_bus_addr mostly 0, else the map's or another. */
static void build_unmap(struct gnttab_unmap_grant_ref *op)
{
	const struct held_map *h = &held[rnd(HELD)];
	uint32_t use = rnd(8), dev = rnd(8);

	op->handle = pick_handle();
	op->host_addr = host_addr(chance(3) ? GNTMAP_contains_pte : 0);
	op->dev_bus_addr = 0;
	if (dev == 1)
		op->dev_bus_addr = (uint64_t)own_frame() << 12;
	else if (dev == 2)
		op->dev_bus_addr = mix->word();
	if (h->valid && use < 5) {
		op->handle = h->handle;
		if (use < 4)
			op->host_addr = h->host_addr;
		if (dev == 1)
			op->dev_bus_addr = h->dev_bus_addr;
	}
	op->status = STATUS_UNRUN;
}

/* As an unmap (no dev_bus_addr); new_addr a mapping we may lose, 0, the
 * host address itself or drawn. */
static void build_replace(struct gnttab_unmap_and_replace *op)
{
	struct gnttab_unmap_grant_ref u;
	uint32_t r = rnd(16);

	build_unmap(&u);
	op->host_addr = u.host_addr;
	op->handle = u.handle;
	op->new_addr = r < 10 ? mix->va() : r < 12 ? 0 :
		       r < 14 ? op->host_addr : host_addr(0);
	op->status = STATUS_UNRUN;
}

/* Mostly within the page, often at its edges. */
static uint16_t copy_offset(void)
{
	static const uint16_t o[] = { 0, 0, 0, 1, 8, 2048, 4088, 4095, 4096 };

	if (chance(16))	/* past the page */
		return chance(2) ? PAGE + 1 : (uint16_t)mix->word();
	return chance(2) ? (uint16_t)rnd(PAGE) : o[rnd(9)];
}

/* Lengths at the edges, mostly one that just fits both offsets. */
static uint16_t copy_len(const struct gnttab_copy *op)
{
	uint32_t far = op->source.offset > op->dest.offset ?
		       op->source.offset : op->dest.offset;
	uint32_t fit = far <= PAGE ? PAGE - far : 0;

	switch (rnd(10)) {
	case 0:
		return chance(2) ? 0 : 1;
	case 1:
		return chance(2) ? 4095 : 4096;
	case 2:
	case 3:
	case 4:
	case 5:
		return (uint16_t)fit;
	case 6:
	case 7:
		return (uint16_t)rnd(fit + 1);
	case 8:
		return (uint16_t)(fit + 1);
	default:
		return (uint16_t)(chance(2) ? rnd(PAGE + 1) : mix->word());
	}
}

/* A copy's side: a grant of ours, or a frame of ours by DOMID_SELF.  Not
 * our code as a source: a copy of it in a frame that a fuzzed entry then
 * maps over our code would run instead of crashing us, and may loop. */
static void copy_side(struct gnttab_copy_ptr *p, bool gref, bool dest)
{
	if (gref) {
		p->ref_or_mfn = pick_ref(false);
		p->domid = chance(3) ? DOMID_SELF : pick_domid();
		prepare_entry(p->ref_or_mfn, GTF_permit_access |
			      (!dest && chance(2) ? GTF_readonly : 0));
	} else {
		p->ref_or_mfn = own_frame();
		p->domid = chance(8) ? pick_domid() : DOMID_SELF;
	}
	p->offset = copy_offset();
}

static void build_copy(struct gnttab_copy *op)
{
	op->flags = (uint16_t)rnd(4);
	if (chance(16))
		op->flags |= (uint16_t)mix->word();
	copy_side(&op->source, op->flags & GNTCOPY_source_gref, false);
	copy_side(&op->dest, op->flags & GNTCOPY_dest_gref, true);
	op->len = copy_len(op);
	op->status = STATUS_UNRUN;
}

static void build_transfer(struct gnttab_transfer *op)
{
	uint32_t r = rnd(16), d = rnd(10);

	op->mfn = r < 6 ? spare_mfn() : r < 13 ? own_frame() : mix->mfn();
	op->domid = d < 7 ? self_id : d == 7 ? 0 : (uint16_t)mix->domid();
	op->ref = pick_ref(true);
	prepare_entry(op->ref, GTF_accept_transfer);
	op->status = STATUS_UNRUN;
}

/* The table and version commands (and unknown ones): setup_table-shaped
 * blobs of words from the mix, 16 bytes apart. */
static void build_table_ops(uint32_t cmd, uint32_t *blob, uint32_t k)
{
	uint32_t *frames = mix->alloc(32), i, j;

	for (i = 0; i < k; i++) {
		struct gnttab_setup_table *s = (void *)(blob + i * 4);

		for (j = 0; j < 4; j++)
			blob[i * 4 + j] = mix->word();
		s->dom = chance(4) ? mix->domid() : DOMID_SELF;
		s->nr_frames = chance(4) ? mix->word() : rnd(TABLE_MAX + 2);
		s->frame_list = chance(4) ? mix->ptr() : (uint32_t)frames;
		if (cmd == GNTTABOP_set_version)
			blob[i * 4] = chance(3) ? mix->word() : rnd(3);
	}
}

/* ---- building a call ---- */

static void show_map(uint32_t i, const void *p)
{
	const struct gnttab_map_grant_ref *m = p;

	hyp_printf("hcfuzz:     map[%u] host=%llx flags=%x ref=%u dom=%u\n", i,
		   (unsigned long long)m->host_addr, m->flags, m->ref, m->dom);
}

static void show_unmap(uint32_t i, const void *p)
{
	const struct gnttab_unmap_grant_ref *u = p;

	hyp_printf("hcfuzz:     unmap[%u] host=%llx handle=%u dev=%llx\n", i,
		   (unsigned long long)u->host_addr, u->handle,
		   (unsigned long long)u->dev_bus_addr);
}

static void show_replace(uint32_t i, const void *p)
{
	const struct gnttab_unmap_and_replace *r = p;

	hyp_printf("hcfuzz:     replace[%u] host=%llx new=%llx handle=%u\n", i,
		   (unsigned long long)r->host_addr,
		   (unsigned long long)r->new_addr, r->handle);
}

static void show_transfer(uint32_t i, const void *p)
{
	const struct gnttab_transfer *t = p;

	hyp_printf("hcfuzz:     transfer[%u] mfn=%x dom=%u ref=%u\n", i,
		   t->mfn, t->domid, t->ref);
}

static void show_copy(uint32_t i, const void *p)
{
	const struct gnttab_copy *c = p;

	hyp_printf("hcfuzz:     copy[%u] flags=%x src=%x/%u+%u dst=%x/%u+%u "
		   "len=%u\n", i, c->flags, c->source.ref_or_mfn,
		   c->source.domid, c->source.offset, c->dest.ref_or_mfn,
		   c->dest.domid, c->dest.offset, c->len);
}

/* The op commands: how each is built, shown and read back. */
static const struct op_kind {
	uint32_t cmd, size, status_at;
	const char *name;
	void (*build)(void *op);
	void (*show)(uint32_t i, const void *op);
} kinds[NR_KINDS] = {
#define KIND(c, t, n, b, sh) { c, sizeof(struct t), \
	offsetof(struct t, status), n, (void (*)(void *))b, sh }
	KIND(GNTTABOP_map_grant_ref, gnttab_map_grant_ref, "map", build_map,
	     show_map),
	KIND(GNTTABOP_unmap_grant_ref, gnttab_unmap_grant_ref, "unmap",
	     build_unmap, show_unmap),
	KIND(GNTTABOP_unmap_and_replace, gnttab_unmap_and_replace, "replace",
	     build_replace, show_replace),
	KIND(GNTTABOP_transfer, gnttab_transfer, "transfer", build_transfer,
	     show_transfer),
	KIND(GNTTABOP_copy, gnttab_copy, "copy", build_copy, show_copy),
#undef KIND
};

/* cmd's kind; NULL for the commands built as blobs. */
static const struct op_kind *kind_of(uint32_t cmd)
{
	uint32_t i;

	for (i = 0; i < NR_KINDS; i++)
		if (kinds[i].cmd == cmd)
			return &kinds[i];
	return NULL;
}

/* Mostly the grant operations; a third of the time any command. */
static uint32_t pick_cmd(void)
{
	static const uint8_t ops[] = {
		GNTTABOP_map_grant_ref, GNTTABOP_map_grant_ref,
		GNTTABOP_map_grant_ref, GNTTABOP_unmap_grant_ref,
		GNTTABOP_unmap_grant_ref, GNTTABOP_unmap_and_replace,
		GNTTABOP_copy, GNTTABOP_copy, GNTTABOP_copy,
		GNTTABOP_transfer, GNTTABOP_transfer };

	return chance(3) ? mix->cmd(GNTTABOP_get_version + 1) :
	       ops[rnd(sizeof(ops))];
}

void hcfuzz_grant_build(uint32_t a[3], bool top)
{
	uint32_t cmd = pick_cmd(), n = mix->count(3);
	const struct op_kind *kind = kind_of(cmd);
	uint32_t size = kind ? kind->size : 0, k, i;
	uint32_t max = size ? MAX_BUILT : TABLE_OPS_MAX;
	uint8_t *ops;

	table_refresh();
	if (rnd(3))
		write_entries();
	if (chance(16))	/* a longer batch, all of it built */
		n = 4 + rnd(MAX_BUILT - 3);
	k = n < max ? n : max;
	ops = mix->alloc(k * (size ? size : 16) + 16);
	if (!size)
		build_table_ops(cmd, (uint32_t *)ops, k);
	for (i = 0; kind && i < k; i++) {
		kind->build(ops + i * size);
		if (mix->verbose)
			kind->show(i, ops + i * size);
	}
	a[0] = cmd;
	a[1] = chance(8) ? mix->ptr() : (uint32_t)ops;
	/* Only the ops built here run (a count past INT32_MAX is refused
	 * whole): ops past them would be stale argument data that no rule
	 * here filtered, and in a multicall their write-back could reach
	 * what later entries use (a poll's deadline did). */
	a[2] = n > k && n <= INT32_MAX ? k : n;
	if (top)
		last = (struct built_call){ cmd, size ? k : 0,
			a[1] == (uint32_t)ops ? ops : NULL };
}

/* ---- statuses ---- */

/* Keep a new map for unmaps to find; forget an unmapped handle. */
static void note_success(uint32_t cmd, const void *op)
{
	const struct gnttab_map_grant_ref *m = op;
	uint32_t i, handle;

	if (cmd == GNTTABOP_map_grant_ref) {
		held[held_next++ % HELD] = (struct held_map){ m->host_addr,
			m->dev_bus_addr, m->handle, true };
		return;
	}
	if (cmd == GNTTABOP_unmap_grant_ref)
		handle = ((const struct gnttab_unmap_grant_ref *)op)->handle;
	else if (cmd == GNTTABOP_unmap_and_replace)
		handle = ((const struct gnttab_unmap_and_replace *)op)->handle;
	else
		return;
	for (i = 0; i < HELD; i++)
		if (held[i].valid && held[i].handle == handle)
			held[i].valid = false;
}

/* 0..12 for GNTST_okay..-12, then unrun, then anything else. */
static uint32_t status_bin(int16_t st)
{
	if (st <= 0 && st >= -12)
		return (uint32_t)-st;
	return st == STATUS_UNRUN ? 13 : 14;
}

void hcfuzz_grant_tally(void)
{
	const struct op_kind *kind = kind_of(last.cmd);
	const uint8_t *op;
	int16_t st;
	uint32_t i;

	for (i = 0; kind && last.ops && i < last.k; i++) {
		op = last.ops + i * kind->size;
		memcpy(&st, op + kind->status_at, sizeof(st));
		status_bins[kind - kinds][status_bin(st)]++;
		if (st == GNTST_okay)
			note_success(last.cmd, op);
	}
	last.ops = NULL;
}

void hcfuzz_grant_report(void)
{
	char line[256];
	size_t n;
	uint32_t row, b;

	hyp_printf("hcfuzz: gnttab: domid %u, %u table frames; op statuses:\n",
	    self_id, nr_table);
	for (row = 0; row < NR_KINDS; row++) {
		n = (size_t)snprintf(line, sizeof(line), "hcfuzz:   %s",
				     kinds[row].name);
		for (b = 0; b < NR_BINS && n < sizeof(line); b++) {
			if (!status_bins[row][b])
				continue;
			if (b < 13)
				n += (size_t)snprintf(line + n, sizeof(line) - n,
						      " %d:%u", -(int)b,
						      status_bins[row][b]);
			else
				n += (size_t)snprintf(line + n, sizeof(line) - n,
						      " %s:%u", b == 13 ? "unrun" :
						      "other", status_bins[row][b]);
		}
		hyp_printf("%s\n", line);
	}
}
