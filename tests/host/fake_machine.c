/*
 * fake_machine.c - the fake machine of fake_machine.h: its state (fm, the
 * two domains) and the environment hyp/pagetable.c runs in, the
 * pt_env_*() functions of pagetable.h, which check what pagetable.c asks
 * of them (fake_machine.h says what) and count every breach in
 * fm.violations.
 */
#include "fake_machine.h"

/* Not instrumented for coverage either (see fake_machine.h). */
#if defined(__clang__)
#pragma clang attribute push(__attribute__((no_sanitize("coverage"))), \
			     apply_to = function)
#endif

struct fake_machine fm;
const struct pt_domain fm_dom[2] = {
	{ .domid = 1, .io_allowed = false },
	{ .domid = 2, .io_allowed = true },
};

struct page_info *pt_env_page(uint32_t mfn)
{
	return mfn < fm.nr_frames ? &fm.page[mfn] : NULL;
}

bool pt_env_io_reserved(uint32_t mfn)
{
	return mfn == FM_IO_RESERVED;
}

uint64_t *pt_env_map(uint32_t mfn)
{
	if (mfn >= fm.nr_frames) {
		fm_violation("map of a frame beyond the table", mfn, 0);
		mfn = FM_XEN_FIRST;
	} else if (fm.page[mfn].ref_count == 0) {
		fm_violation("map of an unreferenced frame", mfn, 0);
	}
	if (fm.tracking && !fm.mapped[mfn]) {
		fm.mapped[mfn] = true;
		memcpy(fm.before[mfn], fm.mem[mfn], sizeof(fm.mem[mfn]));
	}
	fm.dirty[mfn] = true;
	fm.maps++;
	return fm.mem[mfn];
}

static uint32_t fm_frame_of(const uint64_t *table)
{
	uintptr_t off = (uintptr_t)table - (uintptr_t)fm.mem;

	if ((uintptr_t)table < (uintptr_t)fm.mem || off >= sizeof(fm.mem) ||
	    off % sizeof(fm.mem[0])) {
		fm_violation("pointer that pt_env_map did not return", 0, 0);
		return UINT32_MAX;
	}
	return (uint32_t)(off / sizeof(fm.mem[0]));
}

void pt_env_unmap(uint64_t *table)
{
	fm_frame_of(table);
	if (--fm.maps < 0)
		fm_violation("more unmaps than maps", 0, 0);
}

void pt_env_install_hyp_slots(uint64_t *l2)
{
	uint32_t mfn = fm_frame_of(l2);
	unsigned int i;

	fm.hyp_installs++;
	if (mfn == UINT32_MAX)
		return;
	if (fm.page[mfn].type != PGT_L2_HYP || !fm.page[mfn].type_count)
		fm_violation("hypervisor slots into a frame not an L2_HYP",
			     mfn, 0);
	for (i = PT_HYP_FIRST_SLOT; i < PT_ENTRIES; i++)
		l2[i] = fm_hyp_entry(i);
}

/* A present entry of a validated table that refers to mfn, if any. */
static bool fm_find_reference(uint32_t mfn, uint32_t *tab,
			      unsigned int *slot)
{
	uint32_t t;
	unsigned int i;

	for (t = 0; t < fm.nr_frames; t++) {
		if (!fm_validated(t))
			continue;
		for (i = 0; i < PT_ENTRIES; i++) {
			uint64_t e = fm.mem[t][i];

			if (fm_guest_slot(fm.page[t].type, i) &&
			    (e & PTE_PRESENT) && pte_mfn(e) == mfn) {
				*tab = t;
				*slot = i;
				return true;
			}
		}
	}
	return false;
}

/* Never survivable: the violation is recorded and the program stops. */
void pt_env_broken(const char *what, uint32_t mfn)
{
	fm.abort_on_violation = true;
	fm_violation(what, mfn, 0);
	abort();
}

void pt_env_free_frame(uint32_t mfn)
{
	struct fm_frame_model *m;
	uint32_t tab;
	unsigned int slot;

	fm.free_calls++;
	if (mfn >= fm.nr_frames) {
		fm_violation("free of a frame beyond the table", mfn, 0);
		return;
	}
	m = &fm.model[mfn];
	if (m->frees)
		fm_violation("frame freed twice", mfn, 0);
	if (m->role != FM_ROLE_RELEASED || m->allocated)
		fm_violation("freed a frame its owner still holds", mfn, 0);
	if (fm.page[mfn].ref_count || fm.page[mfn].type_count ||
	    (fm.page[mfn].flags & PGF_PINNED))
		fm_violation("freed a frame with counts", mfn, 0);
	if (fm_find_reference(mfn, &tab, &slot))
		fm_violation("freed a frame a validated table refers to",
			     mfn, tab * 1000 + slot);
	m->frees++;
	m->role = FM_ROLE_FREE;
	fm.page[mfn].owner = DOMID_INVALID;
}

void pt_env_mapping_dropped(void)
{
	fm.dropped_calls++;
}

void pt_env_type_changing(uint32_t mfn)
{
	fm.type_changing_calls++;
	fm.last_type_changing = mfn;
	if (mfn >= fm.nr_frames || fm.page[mfn].type_count)
		fm_violation("type changing on a frame in use", mfn, 0);
	else
		fm.retyped[mfn] = true;
}

void pt_env_l2_hyp_changed(uint32_t l2_mfn)
{
	fm.l2_hyp_changed_calls++;
	if (l2_mfn >= fm.nr_frames || fm.page[l2_mfn].type != PGT_L2_HYP ||
	    !fm.page[l2_mfn].type_count)
		fm_violation("l2_hyp_changed on a frame not a live top L2",
			     l2_mfn, 0);
}

void pt_env_l3_changed(uint32_t l3_mfn)
{
	fm.l3_changed_calls++;
	fm.last_l3_changed = l3_mfn;
	if (l3_mfn >= fm.nr_frames || fm.page[l3_mfn].type != PGT_L3 ||
	    !fm.page[l3_mfn].type_count)
		fm_violation("l3_changed on a frame not a live L3", l3_mfn, 0);
}

#if defined(__clang__)
#pragma clang attribute pop
#endif
