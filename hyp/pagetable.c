/*
 * pagetable.c - type and reference rules for machine frames, and the
 * validation of guest page-table entries.  FREESTANDING; see pagetable.h.
 *
 * A frame becomes a page table by taking its first type reference of that
 * type: the type is set and counted before the entries are validated, so
 * an entry that refers back to the frame being validated sees a frame of
 * another type in use and is refused - except a linear L2 entry (below).
 * Validating an entry takes the references that entry needs; releasing it
 * drops them, which may in turn devalidate a lower table.
 *
 * Linear page tables, as Xen allows them (NetBSD's pmap maps its L2s
 * through them): an L2 entry whose frame is already an L2 is accepted when
 * it is read-only and either names its own table (which must be a plain
 * L2: no reference is taken) or names another plain L2 of the domain that
 * is in use as one (validated): that L2 then gains a general and a type
 * reference.  page_info.linear counts, for each L2, its linear entries to
 * other L2s (> 0) or the linear entries of other L2s to it (< 0); never
 * both, so an L2 that holds linear entries is never itself mapped
 * linearly (XSA-240's rule).  A table in the middle of validation is never
 * another L2's target: only L3s validate L2s, one at a time, so the only
 * L2 being validated is the one whose entry is checked.  Releasing an L2
 * thus releases at most one level of L2s, each of which holds no linear
 * entry: from an L3, the release goes at most L3, L2, linear L2, L1.  Stricter than Xen: an L2 in L3 slot
 * 3 (the hypervisor's slots) may hold linear entries to plain L2s but is
 * never itself mapped linearly, so that its hypervisor entries are never
 * read as guest page-table entries.
 */
#include "pagetable.h"
#include "segdesc.h"
#include <public/arch-x86_32.h>
#include <public/errno.h>
#include <public/xen.h>

/* Physical addresses up to 64 GiB: the PAE limit of the CPUs we target. */
#define PTE_ADDR_36	0x0000000ffffff000ull
#define L1_ALLOWED	(PTE_ADDR_36 | PTE_PRESENT | PTE_RW | PTE_USER | \
			 PTE_PWT | PTE_PCD | PTE_ACCESSED | PTE_DIRTY | \
			 PTE_PSE /* PAT in an L1 */ | PTE_AVAIL)
#define L2_ALLOWED	(PTE_ADDR_36 | PTE_PRESENT | PTE_RW | PTE_USER | \
			 PTE_PWT | PTE_PCD | PTE_ACCESSED | PTE_DIRTY | PTE_AVAIL)
/* As Xen lets a 32-bit PV guest: RW/US/A/D too, which the CPU's PDPTEs
 * do not have (mmu.c strips them from its copy). */
#define L3_ALLOWED	(PTE_ADDR_36 | PTE_PRESENT | PTE_RW | PTE_USER | \
			 PTE_PWT | PTE_PCD | PTE_ACCESSED | PTE_DIRTY | PTE_AVAIL)

static uint64_t nx_ok;	/* PTE_NX once the CPU has EFER.NXE set */

void pt_allow_nx(bool on)
{
	nx_ok = on ? PTE_NX : 0;
}

static bool type_is_table(enum page_type t)
{
	return t == PGT_L1 || t == PGT_L2 || t == PGT_L2_HYP || t == PGT_L3;
}

bool pt_get_page(uint32_t mfn, const struct pt_domain *d)
{
	struct page_info *pg = pt_env_page(mfn);

	if (!pg || pg->owner != d->domid || pg->ref_count == 0 ||
	    pg->ref_count == UINT32_MAX)
		return false;
	pg->ref_count++;
	return true;
}

void pt_put_page(uint32_t mfn)
{
	struct page_info *pg = pt_env_page(mfn);

	if (!pg || pg->ref_count == 0)
		pt_env_broken("put of a frame reference nobody holds", mfn);
	if (--pg->ref_count == 0)
		pt_env_free_frame(mfn);
}

/* An I/O frame (not RAM, or beyond the frame table): no counts kept. */
static bool frame_is_io(uint32_t mfn)
{
	struct page_info *pg = pt_env_page(mfn);

	return !pg || pg->owner == DOMID_IO;
}

static int get_l1e(uint64_t e, const struct pt_domain *d)
{
	uint32_t mfn = pte_mfn(e);
	struct pt_domain owner_view;

	if (!(e & PTE_PRESENT))
		return 0;
	if (e & ~(L1_ALLOWED | nx_ok))
		return -XEN_EINVAL;
	if (frame_is_io(mfn))
		return d->io_allowed && !pt_env_io_reserved(mfn) ?
		       0 : -XEN_EPERM;
	if (d->has_foreign && pt_env_page(mfn)->owner == d->foreign) {
		owner_view = (struct pt_domain){ .domid = d->foreign };
		d = &owner_view;
	}
	if (e & PTE_RW)
		return pt_get_page_and_type(mfn, PGT_WRITABLE, d);
	return pt_get_page(mfn, d) ? 0 : -XEN_EPERM;
}

static void put_l1e(uint64_t e)
{
	uint32_t mfn = pte_mfn(e);

	if (!(e & PTE_PRESENT))
		return;
	pt_env_mapping_dropped();
	if (frame_is_io(mfn))
		return;
	if (e & PTE_RW)
		pt_put_page_and_type(mfn);
	else
		pt_put_page(mfn);
}

/*
 * A linear entry in L2 table `table` to the L2 `e` names: its counts, as
 * in the comment at the top.  True when it is accepted (references taken).
 */
static bool get_linear_l2e(uint64_t e, uint32_t table, enum page_type t,
			   const struct pt_domain *d)
{
	uint32_t mfn = pte_mfn(e);
	struct page_info *pg, *tab = pt_env_page(table);

	if (e & PTE_RW)
		return false;	/* else the guest could write its tables */
	if (mfn == table)
		return t == PGT_L2;
	if (tab->owner != d->domid || tab->linear < 0 ||
	    tab->linear == INT16_MAX || !pt_get_page(mfn, d))
		return false;
	pg = pt_env_page(mfn);
	if (pg->type != PGT_L2 || !pg->type_count ||
	    pg->type_count == UINT32_MAX || pg->linear > 0 ||
	    pg->linear == INT16_MIN) {
		pt_put_page(mfn);
		return false;
	}
	pg->type_count++;
	pg->linear--;
	tab->linear++;
	return true;
}

static int get_l2e(uint64_t e, uint32_t table, enum page_type t,
		   const struct pt_domain *d)
{
	int rc;

	if (!(e & PTE_PRESENT))
		return 0;
	if (e & ~(L2_ALLOWED | nx_ok))
		return -XEN_EINVAL;	/* PSE: no superpages for guests */
	rc = pt_get_page_and_type(pte_mfn(e), PGT_L1, d);
	if (rc == -XEN_EBUSY && get_linear_l2e(e, table, t, d))
		rc = 0;
	return rc;
}

/* Drop what an L2 entry of table `table` holds, linear or not. */
static void put_l2e(uint64_t e, uint32_t table)
{
	uint32_t mfn = pte_mfn(e);
	struct page_info *pg;

	if (!(e & PTE_PRESENT))
		return;
	if (mfn == table) {		/* a self-mapping holds nothing */
		pt_env_mapping_dropped();
		return;
	}
	pg = pt_env_page(mfn);
	if (pg->type == PGT_L2) {	/* only a linear entry holds an L2 */
		pg->linear++;
		pt_env_page(table)->linear--;
	}
	pt_env_mapping_dropped();
	pt_put_page_and_type(mfn);
}

static int get_l3e(uint64_t e, unsigned int slot, const struct pt_domain *d)
{
	if (!(e & PTE_PRESENT))
		return 0;
	if (e & ~L3_ALLOWED)
		return -XEN_EINVAL;
	return pt_get_page_and_type(pte_mfn(e), slot == 3 ? PGT_L2_HYP : PGT_L2, d);
}

static void put_table_ref(uint64_t e)
{
	if (!(e & PTE_PRESENT))
		return;
	pt_env_mapping_dropped();
	pt_put_page_and_type(pte_mfn(e));
}

/* Entries the guest does not control: the hypervisor's, unused L3 slots. */
static bool slot_is_guest(enum page_type t, unsigned int i)
{
	if (t == PGT_L2_HYP)
		return i < PT_HYP_FIRST_SLOT;
	if (t == PGT_L3)
		return i < PT_L3_GUEST_SLOTS;
	return true;
}

/* Entry i (value e) of table `table`, of type t: take what it needs. */
static int get_entry(uint32_t table, enum page_type t, unsigned int i,
		     uint64_t e, const struct pt_domain *d)
{
	if (!slot_is_guest(t, i))
		return 0;
	switch (t) {
	case PGT_L1:
		return get_l1e(e, d);
	case PGT_L3:
		return get_l3e(e, i, d);
	default:
		return get_l2e(e, table, t, d);
	}
}

static void put_entry(uint32_t table, enum page_type t, unsigned int i,
		      uint64_t e)
{
	if (!slot_is_guest(t, i))
		return;
	if (t == PGT_L1)
		put_l1e(e);
	else if (t == PGT_L3)
		put_table_ref(e);
	else
		put_l2e(e, table);
}

static int validate_table(uint32_t mfn, enum page_type t,
			  const struct pt_domain *d)
{
	uint64_t *tab = pt_env_map(mfn);
	unsigned int i;
	int rc = 0;

	if (t == PGT_L3 && !(tab[3] & PTE_PRESENT))
		rc = -XEN_EINVAL;	/* slot 3 carries the hypervisor */
	for (i = 0; !rc && i < PT_ENTRIES; i++)
		rc = get_entry(mfn, t, i, tab[i], d);
	if (rc) {
		while (i-- > 1)
			put_entry(mfn, t, i - 1, tab[i - 1]);
		goto out_unmap;
	}
	if (t == PGT_L2_HYP)
		pt_env_install_hyp_slots(tab);
out_unmap:
	pt_env_unmap(tab);
	return rc;
}

static void devalidate_table(uint32_t mfn, enum page_type t)
{
	uint64_t *tab = pt_env_map(mfn);
	unsigned int i;

	for (i = 0; i < PT_ENTRIES; i++)
		put_entry(mfn, t, i, tab[i]);
	/* The hypervisor's entries must not outlive the type. */
	if (t == PGT_L2_HYP)
		for (i = PT_HYP_FIRST_SLOT; i < PT_ENTRIES; i++)
			tab[i] = 0;
	pt_env_unmap(tab);
}

/*
 * A descriptor page: every descriptor must pass segdesc_check(), which
 * may rewrite it in place (DPL 0 to 1, limits cut below the hypervisor).
 */
static int validate_descriptors(uint32_t mfn)
{
	uint64_t *tab = pt_env_map(mfn), desc;
	unsigned int i;
	int rc = 0;

	/* Check every one first, so a refused page is left as it was. */
	for (i = 0; !rc && i < PT_ENTRIES; i++) {
		desc = tab[i];
		rc = segdesc_check(&desc, MACH2PHYS_VIRT_END);
	}
	for (i = 0; !rc && i < PT_ENTRIES; i++)
		segdesc_check(&tab[i], MACH2PHYS_VIRT_END);
	pt_env_unmap(tab);
	return rc;
}

int pt_get_type(uint32_t mfn, enum page_type type, const struct pt_domain *d)
{
	struct page_info *pg = pt_env_page(mfn);
	int rc;

	if (pg->type_count) {
		if (pg->type != type)
			return -XEN_EBUSY;
		if (pg->type_count == UINT32_MAX)
			return -XEN_EOVERFLOW;
		pg->type_count++;
		return 0;
	}
	if (type != PGT_WRITABLE && pg->type != type)
		pt_env_type_changing(mfn);
	pg->type = type;
	pg->type_count = 1;
	if (type == PGT_SEG_DESC)
		rc = validate_descriptors(mfn);
	else if (type_is_table(type))
		rc = validate_table(mfn, type, d);
	else
		rc = 0;
	if (rc) {
		pg->type_count = 0;
		pg->type = PGT_NONE;
	}
	return rc;
}

void pt_put_type(uint32_t mfn)
{
	struct page_info *pg = pt_env_page(mfn);

	if (!pg || pg->type_count == 0)
		pt_env_broken("put of a type reference nobody holds", mfn);
	if (--pg->type_count)
		return;
	if (type_is_table(pg->type))
		devalidate_table(mfn, pg->type);
	if (pg->type != PGT_WRITABLE)
		pg->type = PGT_NONE;
}

int pt_get_page_and_type(uint32_t mfn, enum page_type type,
			 const struct pt_domain *d)
{
	int rc;

	if (!pt_get_page(mfn, d))
		return -XEN_EPERM;
	rc = pt_get_type(mfn, type, d);
	if (rc)
		pt_put_page(mfn);
	return rc;
}

void pt_put_page_and_type(uint32_t mfn)
{
	pt_put_type(mfn);
	pt_put_page(mfn);
}

int pt_pin(uint32_t mfn, unsigned int level, const struct pt_domain *d)
{
	static const enum page_type by_level[4] = {
		PGT_NONE, PGT_L1, PGT_L2, PGT_L3
	};
	struct page_info *pg = pt_env_page(mfn);
	int rc;

	if (level < 1 || level > 3)
		return -XEN_EINVAL;
	if (!pg || pg->owner != d->domid)
		return -XEN_EPERM;
	if (pg->flags & PGF_PINNED)
		return -XEN_EINVAL;
	rc = pt_get_page_and_type(mfn, by_level[level], d);
	if (!rc)
		pg->flags |= PGF_PINNED;
	return rc;
}

int pt_unpin(uint32_t mfn, const struct pt_domain *d)
{
	struct page_info *pg = pt_env_page(mfn);

	if (!pg || pg->owner != d->domid)
		return -XEN_EPERM;
	if (!(pg->flags & PGF_PINNED))
		return -XEN_EINVAL;
	pg->flags &= ~PGF_PINNED;
	pt_put_page_and_type(mfn);
	return 0;
}

/* Store a 64-bit entry the hardware may walk: never a torn present one. */
static void store_entry(uint64_t *slot, uint64_t val)
{
	volatile uint32_t *w = (volatile uint32_t *)slot;

	w[0] = 0;
	w[1] = (uint32_t)(val >> 32);
	w[0] = (uint32_t)val;
}

/*
 * Xen's fast path: an L1 entry rewritten to the same frame, present and
 * with the same RW and cache bits holds exactly the references it held,
 * so only its flags are checked.  A guest can so set or clear the
 * accessed, dirty, user, available or NX bits of an entry it could not
 * make anew, such as a grant mapping of another domain's frame.  What an
 * L1 entry holds depends only on its frame (RAM or I/O, which never
 * changes), its RW bit and present, so the owner and I/O checks are
 * skipped; nothing is dropped, so no TLB flush is due.
 */
#define L1_SAME_REFS_FLAGS	(PTE_USER | PTE_ACCESSED | PTE_DIRTY | \
				 PTE_AVAIL | PTE_NX)

static int get_entry_again(uint32_t table, enum page_type t, unsigned int i,
			   uint64_t old, uint64_t val,
			   const struct pt_domain *d)
{
	if (t == PGT_L1 && (old & PTE_PRESENT) &&
	    !((old ^ val) & ~L1_SAME_REFS_FLAGS))
		return (val & ~(L1_ALLOWED | nx_ok)) ? -XEN_EINVAL : 1;
	return get_entry(table, t, i, val, d);
}

static int update_table_entry(uint32_t mfn, enum page_type t, unsigned int i,
			      uint64_t val, const struct pt_domain *d)
{
	uint64_t *tab, old;
	int rc;

	if (t == PGT_L2_HYP && i >= PT_HYP_FIRST_SLOT)
		return -XEN_EPERM;
	if (t == PGT_L3 && i == 3 && !(val & PTE_PRESENT))
		return -XEN_EINVAL;
	tab = pt_env_map(mfn);
	old = tab[i];
	rc = get_entry_again(mfn, t, i, old, val, d);
	if (rc == 1) {			/* the same references */
		store_entry(&tab[i], val);
		pt_env_unmap(tab);
		return 0;
	}
	if (!rc)
		store_entry(&tab[i], val);
	pt_env_unmap(tab);
	if (rc)
		return rc;
	/*
	 * Reload a live L3 before dropping the old entry: an L2 that loses
	 * its last type reference has its hypervisor slots cleared, and the
	 * CPU would still be walking it through its cached PDPTE.
	 */
	if (t == PGT_L3)
		pt_env_l3_changed(mfn);
	else if (t == PGT_L2_HYP)
		pt_env_l2_hyp_changed(mfn);
	put_entry(mfn, t, i, old);
	return 0;
}

static int update_data_entry(uint32_t mfn, unsigned int i, uint64_t val,
			     const struct pt_domain *d)
{
	uint64_t *tab;
	int rc = pt_get_page_and_type(mfn, PGT_WRITABLE, d);

	if (rc)
		return rc;
	tab = pt_env_map(mfn);
	tab[i] = val;
	pt_env_unmap(tab);
	pt_put_page_and_type(mfn);
	return 0;
}

int pt_update_entry(uint32_t table_mfn, unsigned int index, uint64_t val,
		    const struct pt_domain *d)
{
	struct page_info *pg = pt_env_page(table_mfn);

	if (index >= PT_ENTRIES)
		return -XEN_EINVAL;
	if (!pg || pg->owner != d->domid)
		return -XEN_EPERM;
	if (pg->type_count && type_is_table(pg->type))
		return update_table_entry(table_mfn, pg->type, index, val, d);
	return update_data_entry(table_mfn, index, val, d);
}

void pt_relinquish(uint32_t mfn)
{
	struct page_info *pg = pt_env_page(mfn);

	if (pg && (pg->flags & PGF_PINNED)) {
		pg->flags &= ~PGF_PINNED;
		pt_put_page_and_type(mfn);
	}
}
