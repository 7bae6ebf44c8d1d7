/*
 * pagetable.c - type and reference rules for machine frames, and the
 * validation of guest page-table entries.  FREESTANDING; see pagetable.h.
 *
 * A frame becomes a page table by taking its first type reference of that
 * type: the type is set and counted before the entries are validated, so
 * an entry that refers back to the frame being validated sees a frame of
 * another type in use and is refused.  Validating an entry takes the
 * references that entry needs; releasing it drops them, which may in turn
 * devalidate a lower table.  Depth is at most three.
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
		return d->io_allowed ? 0 : -XEN_EPERM;
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

static int get_l2e(uint64_t e, const struct pt_domain *d)
{
	if (!(e & PTE_PRESENT))
		return 0;
	if (e & ~(L2_ALLOWED | nx_ok))
		return -XEN_EINVAL;	/* PSE: no superpages for guests */
	return pt_get_page_and_type(pte_mfn(e), PGT_L1, d);
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

static int get_entry(enum page_type t, unsigned int i, uint64_t e,
		     const struct pt_domain *d)
{
	if (!slot_is_guest(t, i))
		return 0;
	switch (t) {
	case PGT_L1:
		return get_l1e(e, d);
	case PGT_L3:
		return get_l3e(e, i, d);
	default:
		return get_l2e(e, d);
	}
}

static void put_entry(enum page_type t, unsigned int i, uint64_t e)
{
	if (!slot_is_guest(t, i))
		return;
	if (t == PGT_L1)
		put_l1e(e);
	else
		put_table_ref(e);
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
		rc = get_entry(t, i, tab[i], d);
	if (rc) {
		while (i-- > 1)
			put_entry(t, i - 1, tab[i - 1]);
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
		put_entry(t, i, tab[i]);
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
	rc = get_entry(t, i, val, d);
	if (!rc) {
		store_entry(&tab[i], val);
		put_entry(t, i, old);
	}
	pt_env_unmap(tab);
	if (!rc && t == PGT_L3)
		pt_env_l3_changed(mfn);
	return rc;
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
