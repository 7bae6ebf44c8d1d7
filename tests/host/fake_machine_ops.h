/*
 * fake_machine_ops.h - the operations of the fake machine (fake_machine.h),
 * decoded from bytes, for tests/host/test_pagetable.c (random property
 * test) and tests/fuzz/fuzz_pagetable.c.  Include it instead of
 * fake_machine.h.  The counts of operations run (fm_op_ok, fm_op_failed)
 * are a copy per file: read them in the file that calls fm_apply().
 *
 * fm_apply() decodes FM_OP_BYTES bytes into one operation (update, zero a
 * frame, pin, unpin, hold or drop a reference of any type, give a frame
 * back, allocate one, relinquish), predicts its result where the rules
 * decide it without walking entries, and checks that a refused operation
 * changed no count and no frame it mapped, and that an accepted update
 * changed exactly its entry.  fm_teardown() gives everything back and
 * checks that every frame was freed.
 */
#ifndef XYLEM_TESTS_FAKE_MACHINE_OPS_H
#define XYLEM_TESTS_FAKE_MACHINE_OPS_H

#include "fake_machine.h"

/* Not instrumented for coverage either (see fake_machine.h). */
#if defined(__clang__)
#pragma clang attribute push(__attribute__((no_sanitize("coverage"))), \
			     apply_to = function)
#endif

enum fm_op_kind {
	FM_OP_UPDATE, FM_OP_SCRUB, FM_OP_PIN, FM_OP_UNPIN, FM_OP_HOLD,
	FM_OP_UNHOLD, FM_OP_RELEASE, FM_OP_ALLOCATE, FM_OP_RELINQUISH,
	FM_NR_OPS
};

#define FM_OP_BYTES	8u

struct fm_op {
	unsigned int kind;		/* enum fm_op_kind */
	const struct pt_domain *d;
	uint32_t mfn;
	unsigned int index;
	uint64_t val;
	unsigned int level;		/* what mfn is meant to be */
	unsigned int arg;
};

/* The first 24 of a domain's frames meet often: tables, then data. */
static inline uint32_t fm_hot_frame(uint16_t domid, unsigned int i)
{
	return (domid == 1 ? FM_DOM1_FIRST : FM_DOM2_FIRST) + i % 24;
}

/* Frames past the frame table: I/O space, the reserved frame included. */
static inline uint32_t fm_beyond(uint8_t t)
{
	return (const uint32_t[5]){ FM_FRAMES, 0x1000, 0xfffff, 0xffffff,
				    FM_IO_RESERVED }[t % 5];
}

/* A frame to operate on: mostly the domain's hot ones. */
static inline uint32_t fm_pick_frame(uint8_t s, uint8_t t, uint16_t domid)
{
	if (s < 192)
		return fm_hot_frame(domid, s);
	if (s < 240)
		return t % FM_FRAMES;
	return fm_beyond(t);
}

/*
 * The level a hot frame is meant to be, so that random entries build real
 * trees: hot frames 0-3 are L3s, 4-9 L2s, 10-15 L1s, the rest data (0).
 */
static inline unsigned int fm_intended_level(uint32_t mfn, uint16_t domid)
{
	uint32_t h = mfn - fm_hot_frame(domid, 0);

	if (h >= 16)
		return 0;
	return h < 4 ? 3 : h < 10 ? 2 : 1;
}

/*
 * A frame entry `index` of a level-`level` table points at; the L2s in
 * L3 slot 3 (hot 4-5) are kept apart from those in slots 0-2 (hot 6-9).
 */
static inline uint32_t fm_pick_target(uint8_t t, uint8_t u, uint16_t domid,
				      unsigned int level, unsigned int index)
{
	static const uint8_t first[4] = { 0, 16, 10, 6 };
	static const uint8_t count[4] = { 24, 8, 6, 4 };

	if (t < 160 && level == 3 && index == 3)
		return fm_hot_frame(domid, 4 + t % 2);
	if (t < 160)
		return fm_hot_frame(domid, first[level] + t % count[level]);
	if (t < 200)
		return fm_hot_frame(domid, t);
	if (t < 236)
		return u % FM_FRAMES;
	return fm_beyond(u);
}

/* Mostly the first slots (where L3s live), a few at the edges. */
static inline unsigned int fm_pick_index(uint8_t s, uint8_t t)
{
	switch (s & 7) {
	case 5:
		return 3;
	case 6:
		if (t & 8)
			return PT_HYP_FIRST_SLOT - 4 + (t & 7);
		return PT_ENTRIES - 4 + (t & 3);
	case 7:
		if (t == 255)
			return PT_ENTRIES + s;
		if (t < 64)
			return (unsigned int)((t << 3) | (s >> 5));
		return t & 7;
	default:
		return t & 3;
	}
}

/* An entry: valid at some level more often than not. */
static inline uint64_t fm_pick_value(uint8_t s, uint8_t t, uint8_t u,
				     uint16_t domid, unsigned int level,
				     unsigned int index)
{
	static const uint64_t good[4][2] = {
		{ 0, 0 },
		{ PTE_PRESENT | PTE_USER | PTE_ACCESSED,
		  PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED | PTE_DIRTY },
		{ PTE_PRESENT, PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED },
		{ PTE_PRESENT, PTE_PRESENT | PTE_PWT | PTE_PCD },
	};
	/* Present (bit 0 added below); [0..7] are not present. */
	static const uint64_t flags[32] = {
		[12 ... 15] = PTE_RW | PTE_USER | PTE_ACCESSED | PTE_DIRTY,
		[16 ... 17] = PTE_USER | PTE_ACCESSED,
		[18 ... 19] = PTE_PWT | PTE_PCD, [20 ... 21] = PTE_RW,
		[22] = PTE_RW | PTE_AVAIL, [23] = PTE_AVAIL,
		[24] = PTE_RW | PTE_USER, [25] = PTE_ACCESSED,
		[26] = PTE_RW | PTE_PSE, [27] = PTE_GLOBAL, [28] = 1ull << 63,
		[29] = 1ull << 36, [30] = 1ull << 52, [31] = PTE_USER,
	};
	uint32_t mfn = fm_pick_target(t, u, domid, level, index);
	uint64_t addr = ((uint64_t)mfn << 12) & PTE_ADDR_MASK;

	/* What the level allows: mostly, and the more so the higher. */
	if (level && (s & 0xe0) < 0x80 + 0x20 * level) {
		mfn = fm_pick_target(t % 160, u, domid, level, index);
		if (level == 2 && (u & 7) == 0)	/* now and then linear */
			mfn = fm_hot_frame(domid, 6 + t % 4);
		return ((uint64_t)mfn << 12) | good[level][s & 1];
	}
	switch (s & 31) {
	case 0:
	case 1:
	case 4 ... 7:
		return 0;
	case 2:		/* not present, everything else garbage */
		return (0x9e3779b97f4a7c15ull * (t | (u << 8) | 1)) &
		       ~PTE_PRESENT;
	case 3:		/* not present, an address left behind */
		return addr | PTE_RW;
	default:
		return addr | PTE_PRESENT | flags[s & 31];
	}
}

static inline struct fm_op fm_decode(const uint8_t b[FM_OP_BYTES])
{
	static const uint8_t kinds[16] = {
		FM_OP_UPDATE, FM_OP_UPDATE, FM_OP_UPDATE, FM_OP_UPDATE,
		FM_OP_UPDATE, FM_OP_UPDATE, FM_OP_UPDATE, FM_OP_UPDATE,
		FM_OP_PIN, FM_OP_PIN, FM_OP_UNPIN, FM_OP_HOLD, FM_OP_UNHOLD,
		FM_OP_RELEASE, FM_OP_ALLOCATE, FM_OP_RELINQUISH,
	};
	struct fm_op op;

	op.kind = kinds[b[0] & 15];
	op.d = &fm_dom[(b[0] >> 4) & 1];
	/* The rarer operations: most of their draws become something else. */
	if (op.kind == FM_OP_UPDATE && (b[0] & 7) == 7 && b[0] >= 0xc0)
		op.kind = FM_OP_SCRUB;
	if (op.kind == FM_OP_RELEASE && b[0] >= 0x20)
		op.kind = FM_OP_PIN;
	if (op.kind == FM_OP_RELINQUISH && b[0] >= 0x40)
		op.kind = FM_OP_UNPIN;
	op.mfn = fm_pick_frame(b[1], b[2], op.d->domid);
	op.level = fm_intended_level(op.mfn, op.d->domid);
	op.index = fm_pick_index(b[3], b[4]);
	op.val = fm_pick_value(b[5], b[6], b[7], op.d->domid, op.level,
			       op.index);
	op.arg = b[5];
	return op;
}

static unsigned long fm_op_ok[FM_NR_OPS], fm_op_failed[FM_NR_OPS];

/* Start recording what an operation touches. */
static inline void fm_op_begin(void)
{
	fm.tracking = true;
	memset(fm.mapped, 0, sizeof(fm.mapped));
	memcpy(fm.page_before, fm.page, sizeof(fm.page));
}

/* A refused operation must leave every count and every entry as it was. */
static inline void fm_check_unchanged(void)
{
	uint32_t f;

	for (f = 0; f < fm.nr_frames; f++) {
		const struct page_info *a = &fm.page_before[f];
		const struct page_info *b = &fm.page[f];

		if (a->ref_count != b->ref_count ||
		    a->type_count != b->type_count || a->flags != b->flags ||
		    a->linear != b->linear ||
		    a->owner != b->owner ||
		    (a->type_count && a->type != b->type))
			fm_violation("refused operation changed a frame's info",
				     f, 0);
		if (fm.mapped[f] &&
		    memcmp(fm.before[f], fm.mem[f], sizeof(fm.mem[f])))
			fm_violation("refused operation changed a frame", f, 0);
	}
}

/*
 * What a type reference of kind `type` on a frame d owns must give, where
 * the rules decide it without validating: 0 or an error; 1 when it
 * depends on the frame's entries.
 */
static inline int fm_type_expect(uint32_t mfn, unsigned int type)
{
	const struct page_info *pg = &fm.page[mfn];

	if (pg->type_count)
		return pg->type == type ? 0 : -XEN_EBUSY;
	return fm_is_table(type) || type == PGT_SEG_DESC ? 1 : 0;
}

/*
 * Whether the rules accept op's entry, in an L2 of type t, as a linear
 * entry to the L2 it names (the L1 use of that frame having been refused).
 */
static inline bool fm_linear_ok(const struct fm_op *op, unsigned int t)
{
	uint32_t target = pte_mfn(op->val);
	const struct page_info *tab = &fm.page[op->mfn], *pg;

	if (op->val & PTE_RW)
		return false;
	if (target == op->mfn)
		return t == PGT_L2;
	pg = &fm.page[target];
	return tab->linear >= 0 && tab->linear < INT16_MAX &&
	       pg->type == PGT_L2 && pg->type_count &&
	       pg->type_count < UINT32_MAX && pg->linear <= 0 &&
	       pg->linear > INT16_MIN && pg->ref_count < UINT32_MAX;
}

/*
 * An L1 entry rewritten to the same frame, present, with the same RW and
 * cache bits: it keeps its references, so only its flags are checked.
 */
static inline bool fm_l1_same_refs(uint64_t old, uint64_t val)
{
	const uint64_t may_change = PTE_USER | PTE_ACCESSED | PTE_DIRTY |
				    PTE_AVAIL | PTE_NX;	/* (NX: never drawn) */

	return (old & PTE_PRESENT) && !((old ^ val) & ~may_change);
}

static inline int fm_update_expect(const struct fm_op *op)
{
	uint32_t target = pte_mfn(op->val);
	unsigned int t;
	int rc;

	if (op->index >= PT_ENTRIES)
		return -XEN_EINVAL;
	if (!fm_owns(op->mfn, op->d->domid))
		return -XEN_EPERM;
	if (!fm_validated(op->mfn))
		return fm.page[op->mfn].type_count &&
		       fm.page[op->mfn].type == PGT_SEG_DESC ? -XEN_EBUSY : 0;
	t = fm.page[op->mfn].type;
	if (t == PGT_L2_HYP && op->index >= PT_HYP_FIRST_SLOT)
		return -XEN_EPERM;
	if (t == PGT_L3 && op->index >= PT_L3_GUEST_SLOTS)
		return 0;
	if (!(op->val & PTE_PRESENT))
		return t == PGT_L3 && op->index == 3 ? -XEN_EINVAL : 0;
	if (op->val & ~fm_allowed(t))
		return -XEN_EINVAL;
	if (t == PGT_L1 && fm_l1_same_refs(fm.mem[op->mfn][op->index], op->val))
		return 0;		/* however the frame is held now */
	if (target >= fm.nr_frames || fm.model[target].role == FM_ROLE_IO)
		return t == PGT_L1 && op->d->io_allowed &&
		       target != FM_IO_RESERVED ? 0 : -XEN_EPERM;
	if (!fm_owns(target, op->d->domid))
		return -XEN_EPERM;
	if (t == PGT_L1 && !(op->val & PTE_RW))
		return 0;
	rc = fm_type_expect(target, fm_entry_kind(t, op->index, op->val));
	if (rc == -XEN_EBUSY && t != PGT_L3 && fm_linear_ok(op, t))
		rc = 0;
	return rc;
}

static inline void fm_verdict(int rc, int expect, const struct fm_op *op)
{
	if (expect != 1 && rc != expect)
		fm_violation("result differs from the rules", op->mfn,
			     op->kind);
	if (rc)
		fm_check_unchanged();
	if (rc > 0 || (rc && rc != -XEN_EINVAL && rc != -XEN_EPERM &&
		       rc != -XEN_EBUSY && rc != -XEN_EOVERFLOW))
		fm_violation("result not 0 or a known error", op->mfn,
			     op->kind);
	fm.tracking = false;
}

/* An accepted update changed its entry and no other of its frame. */
static inline void fm_check_stored(const struct fm_op *op)
{
	const uint64_t *now = fm.mem[op->mfn], *was = fm.before[op->mfn];
	unsigned int i;

	if (now[op->index] != op->val)
		fm_violation("accepted update not stored", op->mfn, op->index);
	if (!fm.mapped[op->mfn])
		fm_violation("accepted update never mapped its frame",
			     op->mfn, op->index);
	for (i = 0; fm.mapped[op->mfn] && i < PT_ENTRIES; i++)
		if (i != op->index && now[i] != was[i])
			fm_violation("update changed another entry",
				     op->mfn, i);
}

static inline int fm_do_update(const struct fm_op *op)
{
	int expect = fm_update_expect(op);
	unsigned long l3_changed = fm.l3_changed_calls;
	unsigned long l2_hyp_changed = fm.l2_hyp_changed_calls;
	bool l3 = op->mfn < fm.nr_frames && fm_validated(op->mfn) &&
		  fm.page[op->mfn].type == PGT_L3;
	bool l2_hyp = op->mfn < fm.nr_frames && fm_validated(op->mfn) &&
		      fm.page[op->mfn].type == PGT_L2_HYP;
	int rc;

	fm_op_begin();
	rc = pt_update_entry(op->mfn, op->index, op->val, op->d);
	fm_verdict(rc, expect, op);
	if (rc)
		return rc;
	if (l3 && (fm.l3_changed_calls == l3_changed ||
		   fm.last_l3_changed != op->mfn))
		fm_violation("L3 updated without pt_env_l3_changed", op->mfn,
			     op->index);
	if (l2_hyp && fm.l2_hyp_changed_calls == l2_hyp_changed)
		fm_violation("top L2 updated without pt_env_l2_hyp_changed",
			     op->mfn, op->index);
	fm_check_stored(op);
	return 0;
}

/* The guest zeroes every entry of a frame that is not zero. */
static inline int fm_do_scrub(const struct fm_op *op)
{
	struct fm_op one = *op;
	int rc = 0, one_rc;

	one.val = 0;
	for (one.index = 0; one.index < PT_ENTRIES; one.index++) {
		if (op->mfn < fm.nr_frames && !fm.mem[op->mfn][one.index])
			continue;
		one_rc = fm_do_update(&one);
		if (one_rc)
			rc = one_rc;
	}
	return rc;
}

static inline int fm_do_pin(const struct fm_op *op)
{
	static const uint8_t by_level[5] = {
		PGT_NONE, PGT_L1, PGT_L2, PGT_L3, PGT_NONE
	};
	/*
	 * Mostly the level meant (not for slot-3 L2s: a pin makes them
	 * plain L2s); now and then another, or 0 or 4.
	 */
	bool hyp_l2 = op->mfn == fm_hot_frame(op->d->domid, 4) ||
		      op->mfn == fm_hot_frame(op->d->domid, 5);
	unsigned int level = op->arg >= 0xf0 ? (op->arg & 1) * 4 :
			     op->arg < 0xa0 && op->level && !hyp_l2 ?
			     op->level : 1 + op->arg % 3;
	int expect, rc;

	if (level == 0 || level == 4)
		expect = -XEN_EINVAL;
	else if (!fm_owns(op->mfn, op->d->domid))
		expect = -XEN_EPERM;
	else if (fm.model[op->mfn].pin_type != PGT_NONE)
		expect = -XEN_EINVAL;
	else
		expect = fm_type_expect(op->mfn, by_level[level]);
	fm_op_begin();
	rc = pt_pin(op->mfn, level, op->d);
	fm_verdict(rc, expect, op);
	if (!rc)
		fm.model[op->mfn].pin_type = by_level[level];
	return rc;
}

/* Mostly one of the frames d has pinned, else whatever was drawn. */
static inline uint32_t fm_pick_pinned(const struct fm_op *op)
{
	uint32_t f, n = 0;

	for (f = 0; f < fm.nr_frames; f++)
		n += fm.model[f].pin_type && fm_owns(f, op->d->domid);
	if (!n || op->arg >= 0x10)
		return op->mfn;
	n = op->arg % n;
	for (f = 0; f < fm.nr_frames; f++)
		if (fm.model[f].pin_type && fm_owns(f, op->d->domid) && !n--)
			break;
	return f;
}

static inline int fm_do_unpin(const struct fm_op *op_drawn)
{
	struct fm_op one = *op_drawn, *op = &one;
	int expect, rc;

	one.mfn = fm_pick_pinned(op_drawn);
	if (!fm_owns(op->mfn, op->d->domid))
		expect = -XEN_EPERM;
	else
		expect = fm.model[op->mfn].pin_type ? 0 : -XEN_EINVAL;
	fm_op_begin();
	rc = pt_unpin(op->mfn, op->d);
	fm_verdict(rc, expect, op);
	if (!rc)
		fm.model[op->mfn].pin_type = PGT_NONE;
	return rc;
}

/* The "hypervisor" takes a reference of any type for a while. */
static inline int fm_do_hold(const struct fm_op *op)
{
	static const uint8_t types[6] = {
		PGT_L1, PGT_L2, PGT_L2_HYP, PGT_L3, PGT_SEG_DESC, PGT_WRITABLE
	};
	unsigned int type = types[op->arg % 6];
	int expect, rc;

	if (fm.nr_held == FM_MAX_HELD)
		return 0;
	expect = fm_owns(op->mfn, op->d->domid) ?
		 fm_type_expect(op->mfn, type) : -XEN_EPERM;
	fm_op_begin();
	rc = pt_get_page_and_type(op->mfn, type, op->d);
	fm_verdict(rc, expect, op);
	if (!rc) {
		fm.held[fm.nr_held].mfn = op->mfn;
		fm.held[fm.nr_held].type = type;
		fm.nr_held++;
	}
	return rc;
}

static inline int fm_do_unhold(const struct fm_op *op)
{
	unsigned int h;

	if (!fm.nr_held)
		return 0;
	h = op->arg % fm.nr_held;
	pt_put_page_and_type(fm.held[h].mfn);
	fm.held[h] = fm.held[--fm.nr_held];
	return 0;
}

/* A free frame goes back to the domain whose range it lies in. */
static inline int fm_do_allocate(const struct fm_op *op)
{
	uint32_t i, mfn = op->mfn % fm.nr_frames;

	for (i = 0; i < fm.nr_frames; i++, mfn = (mfn + 1) % fm.nr_frames) {
		if (fm.model[mfn].role != FM_ROLE_FREE)
			continue;
		if (mfn < FM_DOM1_FIRST)
			return fm_allocate(mfn, op->d->domid);
		return fm_allocate(mfn, mfn < FM_DOM2_FIRST ? 1 : 2);
	}
	return -XEN_ENOMEM;
}

static inline int fm_do_relinquish(const struct fm_op *op)
{
	pt_relinquish(op->mfn);
	if (op->mfn < fm.nr_frames)
		fm.model[op->mfn].pin_type = PGT_NONE;
	return 0;
}

static inline int fm_do_release(const struct fm_op *op)
{
	return fm_release(op->mfn, op->d->domid);
}

/* Decode and run one operation, checking its result against the rules. */
static inline int fm_apply(const uint8_t b[FM_OP_BYTES])
{
	static int (*const run[FM_NR_OPS])(const struct fm_op *op) = {
		[FM_OP_UPDATE] = fm_do_update, [FM_OP_SCRUB] = fm_do_scrub,
		[FM_OP_PIN] = fm_do_pin, [FM_OP_UNPIN] = fm_do_unpin,
		[FM_OP_HOLD] = fm_do_hold, [FM_OP_UNHOLD] = fm_do_unhold,
		[FM_OP_RELEASE] = fm_do_release,
		[FM_OP_ALLOCATE] = fm_do_allocate,
		[FM_OP_RELINQUISH] = fm_do_relinquish,
	};
	struct fm_op op = fm_decode(b);
	int rc = run[op.kind](&op);

	if (rc)
		fm_op_failed[op.kind]++;
	else
		fm_op_ok[op.kind]++;
	return rc;
}

/*
 * Give everything back: the holds, then every guest frame.  Afterwards
 * every frame but the hypervisor's and the I/O ones must be free: type
 * references form a tree under pins and holds, so nothing can be leaked.
 */
static inline void fm_teardown(void)
{
	uint32_t f;

	while (fm.nr_held) {
		fm.nr_held--;
		pt_put_page_and_type(fm.held[fm.nr_held].mfn);
	}
	for (f = 0; f < fm.nr_frames; f++)
		if (fm.model[f].role == FM_ROLE_GUEST)
			fm_release(f, fm.model[f].domid);
	for (f = 0; f < fm.nr_frames; f++)
		if (fm.model[f].role != FM_ROLE_XEN &&
		    fm.model[f].role != FM_ROLE_IO &&
		    fm.model[f].role != FM_ROLE_FREE)
			fm_violation("frame leaked after teardown", f,
				     fm.page[f].ref_count);
}

#if defined(__clang__)
#pragma clang attribute pop
#endif

#endif
