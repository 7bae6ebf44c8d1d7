/*
 * fake_machine.h - a small machine for exercising hyp/pagetable.c on the
 * host: the pt_env_*() world it needs, an independent model of what the
 * world knows and a from-scratch invariant checker, used through
 * fake_machine_ops.h (the operation interpreter) by
 * tests/host/test_pagetable.c (random property test) and
 * tests/fuzz/fuzz_pagetable.c.  The machine (fm, fm_dom) and the
 * pt_env_*() functions are defined once, in tests/host/fake_machine.c,
 * which a program using this header links.
 *
 * The machine: FM_FRAMES frames of 512 entries, frame i's info in
 * fm.page[i]; pt_env_page() answers NULL from fm.nr_frames up (those
 * frames are I/O).  fm_reset() gives frames FM_XEN_FIRST.. to DOMID_XEN,
 * FM_IO_FIRST.. to DOMID_IO, leaves FM_FREE_FIRST.. free, and splits the
 * rest between domain 1 (fm_dom[0], no I/O) and domain 2 (fm_dom[1], may
 * map I/O frames but FM_IO_RESERVED), each holding its "allocated"
 * reference.
 *
 * The environment checks what pagetable.c asks of it: maps and unmaps
 * balance, only referenced frames are mapped, a frame is freed once and
 * only when nothing refers to it, the hypervisor's slots go only into a
 * frame being made an L2_HYP, l3_changed names a live L3.  Every breach,
 * here or in fm_check(), is counted in fm.violations, printed (the first
 * few), and aborts the program if fm.abort_on_violation is set.
 *
 * The model (fm.model[], fm.held[]) is kept by the callers of pagetable.c,
 * never by pagetable.c: who a frame belongs to, whether its allocation
 * reference is held, what it is pinned as, and references the "hypervisor"
 * holds.  fm_check() recomputes every frame's ref_count and type_count from
 * the model and the present entries of validated tables, and checks the
 * rules of pagetable.h against the entries themselves: allowed bits per
 * level, owners, no writable mapping of a table or descriptor page, linear
 * L2 entries read-only, between plain L2s, and counted in page_info.linear
 * with no L2 at both ends of them, the
 * hypervisor's slots exactly in live L2_HYPs, descriptor pages holding
 * only descriptors segdesc_check() accepts, a flush before a frame
 * becomes a table.
 *
 * The operations decoded from bytes, fm_apply() and fm_teardown(), are in
 * fake_machine_ops.h, which includes this file.
 *
 * Everything else here is `static inline` so that a program using only
 * part of it compiles without unused-function warnings; fm_expected, the
 * scratch of fm_check(), is a copy per file.
 */
#ifndef XYLEM_TESTS_FAKE_MACHINE_H
#define XYLEM_TESTS_FAKE_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../hyp/pagetable.h"
#include "../../hyp/segdesc.h"
#include <public/arch-x86_32.h>
#include <public/errno.h>
#include <public/xen.h>

/*
 * A fuzzer should learn from pagetable.c, not from this machine: nothing
 * here is instrumented for coverage (it also made the fuzzer 4x slower).
 */
#if defined(__clang__)
#pragma clang attribute push(__attribute__((no_sanitize("coverage"))), \
			     apply_to = function)
#endif

#define FM_FRAMES	256u
#define FM_XEN_FIRST	0u	/* 2 frames of the hypervisor */
#define FM_IO_FIRST	2u	/* 2 I/O frames inside the frame table */
#define FM_FREE_FIRST	4u	/* 4 free frames */
#define FM_DOM1_FIRST	8u	/* 124 frames each */
#define FM_DOM2_FIRST	132u
#define FM_MAX_HELD	32u
/* An I/O frame no guest may map, I/O access or not (as the local APIC). */
#define FM_IO_RESERVED	0xfee00u

/* What the hypervisor writes into slot i >= PT_HYP_FIRST_SLOT. */
#define FM_HYP_TAG	0x5a5a000000000063ull
#define FM_HYP_MASK	0xffff000000000fffull
static inline uint64_t fm_hyp_entry(unsigned int i)
{
	return FM_HYP_TAG | ((uint64_t)i << 12);
}

/* The rules of the brief, written independently of pagetable.c. */
#define FM_ADDR36	0x0000000ffffff000ull
#define FM_L1_OK	(FM_ADDR36 | 0xeffull)	/* all but global */
#define FM_L2_OK	(FM_ADDR36 | 0xe7full)	/* nor PSE */
#define FM_L3_OK	(FM_ADDR36 | 0xe7full)	/* P, RW, US, PWT, PCD, A, D, avail */

enum fm_role {
	FM_ROLE_XEN,		/* the hypervisor's own: never changes */
	FM_ROLE_IO,		/* an I/O frame in the table: ditto */
	FM_ROLE_FREE,		/* not allocated to anyone */
	FM_ROLE_GUEST,		/* allocated to model.domid */
	FM_ROLE_RELEASED,	/* given back by model.domid, still in use */
};

struct fm_frame_model {
	uint8_t role;		/* enum fm_role */
	uint8_t pin_type;	/* what it is pinned as, PGT_NONE if not */
	uint16_t domid;		/* the guest that owns or owned it */
	bool allocated;		/* the guest holds its allocation ref */
	unsigned int frees;	/* frees since it was handed out */
};

struct fm_held {
	uint32_t mfn;
	uint8_t type;
};

struct fake_machine {
	uint64_t mem[FM_FRAMES][PT_ENTRIES];
	struct page_info page[FM_FRAMES];
	uint32_t nr_frames;
	/* The environment's accounting. */
	int maps;
	unsigned long free_calls, dropped_calls, type_changing_calls;
	unsigned long l3_changed_calls, l2_hyp_changed_calls, hyp_installs;
	uint32_t last_type_changing, last_l3_changed;
	/* Copy-on-first-map of the current operation (fm_op_begin()). */
	bool tracking;
	bool mapped[FM_FRAMES];
	bool dirty[FM_FRAMES];		/* mapped since fm_check() */
	bool retyped[FM_FRAMES];	/* type_changing since fm_check() */
	uint8_t used_as[FM_FRAMES];	/* table type at fm_check() */
	uint64_t before[FM_FRAMES][PT_ENTRIES];
	struct page_info page_before[FM_FRAMES];
	/* The model. */
	struct fm_frame_model model[FM_FRAMES];
	struct page_info fixed[FM_FRAMES];	/* XEN and IO frames as set */
	struct fm_held held[FM_MAX_HELD];
	unsigned int nr_held;
	/* Verdicts. */
	unsigned long violations;
	bool abort_on_violation;
	bool quiet;
};

/* The machine and its two domains (fake_machine.c). */
extern struct fake_machine fm;
extern const struct pt_domain fm_dom[2];

static inline void fm_violation(const char *what, uint32_t mfn, unsigned int i)
{
	fm.violations++;
	if (!fm.quiet && fm.violations <= 20)
		fprintf(stderr, "fake machine: %s (mfn %u, slot %u)\n",
			what, mfn, i);
	if (fm.abort_on_violation)
		abort();
}

static inline const struct pt_domain *fm_domain(uint16_t domid)
{
	return domid == 1 ? &fm_dom[0] : domid == 2 ? &fm_dom[1] : NULL;
}

static inline bool fm_is_table(unsigned int t)
{
	return t == PGT_L1 || t == PGT_L2 || t == PGT_L2_HYP || t == PGT_L3;
}

static inline bool fm_validated(uint32_t mfn)
{
	return fm.page[mfn].type_count && fm_is_table(fm.page[mfn].type);
}

static inline bool fm_guest_slot(unsigned int t, unsigned int i)
{
	if (t == PGT_L2_HYP)
		return i < PT_HYP_FIRST_SLOT;
	if (t == PGT_L3)
		return i < PT_L3_GUEST_SLOTS;
	return true;
}

/* The type reference an entry of a table of type t at slot i takes. */
static inline unsigned int fm_entry_kind(unsigned int t, unsigned int i,
					 uint64_t e)
{
	switch (t) {
	case PGT_L1:
		return (e & PTE_RW) ? PGT_WRITABLE : PGT_NONE;
	case PGT_L3:
		return i == 3 ? PGT_L2_HYP : PGT_L2;
	default:
		return PGT_L1;
	}
}

static inline uint64_t fm_allowed(unsigned int t)
{
	return t == PGT_L1 ? FM_L1_OK : t == PGT_L3 ? FM_L3_OK : FM_L2_OK;
}

/* ---- setting the machine up ---- */

static inline void fm_set_frame(uint32_t mfn, enum fm_role role,
				uint16_t owner)
{
	struct page_info *pg = &fm.page[mfn];

	memset(pg, 0, sizeof(*pg));
	memset(&fm.model[mfn], 0, sizeof(fm.model[mfn]));
	fm.model[mfn].role = role;
	pg->owner = owner;
	switch (role) {
	case FM_ROLE_GUEST:
		fm.model[mfn].domid = owner;
		fm.model[mfn].allocated = true;
		pg->ref_count = 1;
		break;
	case FM_ROLE_FREE:
		pg->owner = DOMID_INVALID;
		break;
	default:
		pg->ref_count = 1;
		break;
	}
	fm.fixed[mfn] = *pg;
}

static inline void fm_reset(void)
{
	unsigned long violations = fm.violations;
	bool abort_on_violation = fm.abort_on_violation, quiet = fm.quiet;
	uint32_t i;

	memset(&fm, 0, sizeof(fm));
	fm.violations = violations;	/* verdicts outlive the machine */
	fm.abort_on_violation = abort_on_violation;
	fm.quiet = quiet;
	fm.nr_frames = FM_FRAMES;
	memset(fm.dirty, true, sizeof(fm.dirty));
	for (i = 0; i < FM_FRAMES; i++) {
		if (i < FM_IO_FIRST)
			fm_set_frame(i, FM_ROLE_XEN, DOMID_XEN);
		else if (i < FM_FREE_FIRST)
			fm_set_frame(i, FM_ROLE_IO, DOMID_IO);
		else if (i < FM_DOM1_FIRST)
			fm_set_frame(i, FM_ROLE_FREE, DOMID_INVALID);
		else
			fm_set_frame(i, FM_ROLE_GUEST,
				     i < FM_DOM2_FIRST ? 1 : 2);
	}
}

/* mfn is allocated to domid. */
static inline bool fm_owns(uint32_t mfn, uint16_t domid)
{
	return mfn < fm.nr_frames && fm.model[mfn].role == FM_ROLE_GUEST &&
	       fm.model[mfn].domid == domid;
}

/* A guest gives a frame back (XENMEM_decrease_reservation's steps). */
static inline int fm_release(uint32_t mfn, uint16_t domid)
{
	struct fm_frame_model *m;

	if (!fm_owns(mfn, domid))
		return -XEN_EINVAL;
	m = &fm.model[mfn];
	pt_relinquish(mfn);
	m->pin_type = PGT_NONE;
	m->role = FM_ROLE_RELEASED;
	m->allocated = false;
	fm.page[mfn].owner = DOMID_XEN;
	pt_put_page(mfn);
	return 0;
}

/* The allocator hands a free frame to a guest; its contents stay. */
static inline int fm_allocate(uint32_t mfn, uint16_t domid)
{
	if (mfn >= fm.nr_frames || fm.model[mfn].role != FM_ROLE_FREE)
		return -XEN_EINVAL;
	fm_set_frame(mfn, FM_ROLE_GUEST, domid);
	return 0;
}


/* ---- the invariants, recomputed from scratch ---- */

static struct {
	uint32_t ref[FM_FRAMES];
	uint32_t type[FM_FRAMES];
	uint32_t linear_entries[FM_FRAMES];	/* to other L2s */
	uint32_t linear_uses[FM_FRAMES];	/* by other L2s */
} fm_expected;

static inline void fm_expect_type(uint32_t mfn, unsigned int kind,
				  const char *what, unsigned int slot)
{
	fm_expected.type[mfn]++;
	if (fm.page[mfn].type != kind)
		fm_violation(what, mfn, slot);
}

/*
 * An L2 entry to an L2 (a linear entry): it must be read-only; one naming
 * its own table must be in a plain L2 and holds nothing; one naming another
 * L2 holds a general and a type reference on a plain L2 and is counted at
 * both ends.  False for every other entry.
 */
static inline bool fm_linear_entry(uint32_t tab, unsigned int t, uint64_t e)
{
	uint32_t mfn = pte_mfn(e);

	if (t != PGT_L2 && t != PGT_L2_HYP)
		return false;
	if (mfn != tab && !(fm_validated(mfn) &&
			    (fm.page[mfn].type == PGT_L2 ||
			     fm.page[mfn].type == PGT_L2_HYP)))
		return false;
	if (e & PTE_RW)
		fm_violation("writable linear entry", tab, mfn);
	if (mfn == tab) {
		if (t != PGT_L2)
			fm_violation("an L2_HYP maps itself", tab, 0);
		return true;
	}
	if (fm.page[mfn].type != PGT_L2)
		fm_violation("linear entry to a frame not a plain L2", tab,
			     mfn);
	fm_expected.ref[mfn]++;
	fm_expected.type[mfn]++;
	fm_expected.linear_entries[tab]++;
	fm_expected.linear_uses[mfn]++;
	return true;
}

/* A present guest entry of validated table tab: allowed, and counted. */
static inline void fm_check_entry(uint32_t tab, unsigned int i,
				  uint64_t e)
{
	unsigned int t = fm.page[tab].type;
	const struct pt_domain *d = fm_domain(fm.model[tab].domid);
	uint32_t mfn = pte_mfn(e);
	unsigned int kind;

	if (e & ~fm_allowed(t)) {
		fm_violation("validated entry with disallowed bits", tab, i);
		return;
	}
	if (mfn >= fm.nr_frames || fm.model[mfn].role == FM_ROLE_IO) {
		if (t != PGT_L1 || !d || !d->io_allowed)
			fm_violation("I/O frame mapped without permission",
				     tab, i);
		return;
	}
	if ((fm.model[mfn].role != FM_ROLE_GUEST &&
	     fm.model[mfn].role != FM_ROLE_RELEASED) ||
	    fm.model[mfn].domid != fm.model[tab].domid) {
		fm_violation("entry refers to a frame of another owner",
			     tab, i);
		return;
	}
	if (fm_linear_entry(tab, t, e))
		return;
	fm_expected.ref[mfn]++;
	kind = fm_entry_kind(t, i, e);
	if (kind == PGT_WRITABLE)
		fm_expect_type(mfn, kind, "RW mapping of a table", tab);
	else if (kind != PGT_NONE)
		fm_expect_type(mfn, kind, "table entry to a frame of another "
			       "type (linear or shared)", tab);
}

/* How many of a frame's top slots hold what the hypervisor writes. */
static inline unsigned int fm_hyp_tags(uint32_t f)
{
	unsigned int i, n = 0;

	for (i = PT_HYP_FIRST_SLOT; i < PT_ENTRIES; i++)
		n += (fm.mem[f][i] & FM_HYP_MASK) == FM_HYP_TAG;
	return n;
}

static inline void fm_check_table(uint32_t tab)
{
	unsigned int t = fm.page[tab].type, i;

	if (fm.model[tab].role != FM_ROLE_GUEST &&
	    fm.model[tab].role != FM_ROLE_RELEASED) {
		fm_violation("a frame no guest owns is a table", tab, 0);
		return;
	}
	if (t == PGT_L3 && !(fm.mem[tab][3] & PTE_PRESENT))
		fm_violation("validated L3 without slot 3", tab, 3);
	for (i = 0; i < PT_ENTRIES && fm_guest_slot(t, i); i++)
		if (fm.mem[tab][i] & PTE_PRESENT)
			fm_check_entry(tab, i, fm.mem[tab][i]);
	for (; t == PGT_L2_HYP && i < PT_ENTRIES; i++)
		if (fm.mem[tab][i] != fm_hyp_entry(i))
			fm_violation("hypervisor slot altered", tab, i);
}

/* The references the world holds: allocation, pins, the "hypervisor". */
static inline void fm_expect_world(void)
{
	unsigned int f, h;

	for (f = 0; f < fm.nr_frames; f++) {
		const struct fm_frame_model *m = &fm.model[f];
		bool pinned = fm.page[f].flags & PGF_PINNED;

		fm_expected.ref[f] = m->allocated;
		if (pinned != (m->pin_type != PGT_NONE))
			fm_violation("pinned flag differs from the pins made",
				     f, 0);
		if (m->pin_type != PGT_NONE) {
			fm_expected.ref[f]++;
			fm_expect_type(f, m->pin_type, "pinned frame retyped",
				       0);
		}
	}
	for (h = 0; h < fm.nr_held; h++) {
		fm_expected.ref[fm.held[h].mfn]++;
		fm_expect_type(fm.held[h].mfn, fm.held[h].type,
			       "held frame retyped", h);
	}
}

/* A descriptor page in use holds only descriptors the rule accepts as is. */
static inline void fm_check_descriptors(uint32_t f)
{
	unsigned int i;

	for (i = 0; i < PT_ENTRIES; i++) {
		uint64_t desc = fm.mem[f][i];

		if (segdesc_check(&desc, MACH2PHYS_VIRT_END) ||
		    desc != fm.mem[f][i])
			fm_violation("descriptor page holds a bad descriptor",
				     f, i);
	}
}

static inline void fm_check_frame(uint32_t f)
{
	const struct fm_frame_model *m = &fm.model[f];
	const struct page_info *pg = &fm.page[f];
	bool hyp_l2 = pg->type == PGT_L2_HYP && pg->type_count;
	uint8_t used_as;

	if (m->role == FM_ROLE_XEN || m->role == FM_ROLE_IO) {
		if (memcmp(pg, &fm.fixed[f], sizeof(*pg)))
			fm_violation("hypervisor or I/O frame info changed",
				     f, 0);
		return;
	}
	if (pg->ref_count != fm_expected.ref[f])
		fm_violation("ref_count differs from the references", f,
			     fm_expected.ref[f]);
	if (pg->type_count != fm_expected.type[f])
		fm_violation("type_count differs from the references", f,
			     fm_expected.type[f]);
	if (fm_expected.linear_entries[f] && fm_expected.linear_uses[f])
		fm_violation("an L2 holds linear entries and is mapped linearly",
			     f, 0);
	if (pg->linear != (int)fm_expected.linear_entries[f] -
			  (int)fm_expected.linear_uses[f])
		fm_violation("linear count differs from the entries", f,
			     fm_expected.linear_uses[f]);
	if (!pg->type_count && pg->type != PGT_NONE &&
	    pg->type != PGT_WRITABLE)
		fm_violation("unused frame keeps a table type", f, pg->type);
	if (m->role == FM_ROLE_GUEST &&
	    (pg->owner != m->domid || m->frees || !m->allocated))
		fm_violation("allocated frame lost its owner or was freed",
			     f, 0);
	if (m->role == FM_ROLE_RELEASED && (m->frees || !pg->ref_count))
		fm_violation("released frame not freed at its last reference",
			     f, 0);
	if (m->role == FM_ROLE_FREE && pg->ref_count)
		fm_violation("free frame referenced", f, 0);
	if (pg->type == PGT_SEG_DESC && pg->type_count)
		fm_check_descriptors(f);
	/* A frame becomes a table or descriptor page only after a flush. */
	used_as = pg->type_count && pg->type != PGT_WRITABLE ? pg->type : 0;
	if (used_as && used_as != fm.used_as[f] && !fm.retyped[f])
		fm_violation("new table without pt_env_type_changing", f, 0);
	fm.used_as[f] = used_as;
	fm.retyped[f] = false;
	/* Only pt_env_map() gives pagetable.c a frame to write. */
	if (!hyp_l2 && fm.dirty[f] && fm_hyp_tags(f))
		fm_violation("hypervisor slot outlived its L2", f, 0);
	fm.dirty[f] = false;
}

/* Check every invariant; returns the number of violations found. */
static inline unsigned long fm_check(void)
{
	unsigned long before = fm.violations;
	uint32_t f;

	memset(&fm_expected, 0, sizeof(fm_expected));
	if (fm.maps)
		fm_violation("maps and unmaps do not balance", 0, 0);
	fm_expect_world();
	for (f = 0; f < fm.nr_frames; f++)
		if (fm_validated(f))
			fm_check_table(f);
	for (f = 0; f < fm.nr_frames; f++)
		fm_check_frame(f);
	return fm.violations - before;
}

#if defined(__clang__)
#pragma clang attribute pop
#endif

#endif
