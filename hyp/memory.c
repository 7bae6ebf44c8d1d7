/*
 * memory.c - the memory_op hypercall: growing and shrinking a domain's
 * reservation (the balloon) within its max_pages, and reading its sizes.
 * See memory.h.
 *
 * A frame given back by decrease_reservation loses its "allocated"
 * reference and its M2P entry at once; it returns to the allocator when
 * the last mapping of it goes (pagetable.c), so a guest that gives back a
 * frame it still maps keeps a harmless private page until it unmaps it.
 */
#include "memory.h"
#include "console.h"
#include "domain.h"
#include "grant_table.h"
#include "guest_access.h"
#include "lib.h"
#include "mm.h"
#include "pagetable.h"
#include <public/errno.h>
#include <public/memory.h>
#include <public/xen.h>

static int target_domain(domid_t id, struct domain **out)
{
	struct domain *d = current_domain();

	if (id != DOMID_SELF && id != d->domid) {
		if (!domain_is_privileged(d))
			return -XEN_EPERM;
		d = domain_lookup(id);
		if (!d)
			return -XEN_ESRCH;
	}
	*out = d;
	return 0;
}

/* One new frame for d, or -ENOMEM past its limit or when none is left. */
static int grow_one(struct domain *d, uint32_t *mfn_out)
{
	mfn_t m;

	if (d->nr_pages >= d->max_pages)
		return -XEN_ENOMEM;
	m = alloc_domheap_page(d->domid);
	if (mfn_x(m) == mfn_x(INVALID_MFN))
		return -XEN_ENOMEM;
	d->nr_pages++;
	*mfn_out = mfn_x(m);
	return 0;
}

static int shrink_one(struct domain *d, uint32_t mfn)
{
	struct page_info *pg = pt_env_page(mfn);

	if (!pg || pg->owner != d->domid || !pg->ref_count)
		return -XEN_EINVAL;
	/* The hypervisor keeps using these: not the guest's to give back. */
	if (mfn == virt_to_phys(d->shared_info) >> PAGE_SHIFT ||
	    mfn == d->console_ring_mfn || gnttab_owns_frame(d, mfn))
		return -XEN_EINVAL;
	pt_relinquish(mfn);
	set_m2p(_mfn(mfn), M2P_INVALID);
	/* Ownership ends now, even if mappings still hold the frame. */
	pg->owner = DOMID_XEN;
	d->nr_pages--;
	pt_put_page(mfn);
	return 0;
}

/* Apply one extent; the list entry is read and written in place. */
static int reservation_one(struct domain *d, uint32_t cmd, uint32_t entry)
{
	uint32_t val = 0, mfn;
	int rc;

	if (cmd != XENMEM_increase_reservation &&
	    copy_from_guest(&val, entry, sizeof(val)))
		return -XEN_EFAULT;
	if (cmd == XENMEM_decrease_reservation)
		return shrink_one(d, val);
	rc = grow_one(d, &mfn);
	if (rc)
		return rc;
	if (cmd == XENMEM_populate_physmap)
		set_m2p(_mfn(mfn), val);
	if (entry && copy_to_guest(entry, &mfn, sizeof(mfn))) {
		shrink_one(d, mfn);
		return -XEN_EFAULT;
	}
	return 0;
}

static long change_reservation(uint32_t cmd, uint32_t arg)
{
	struct xen_memory_reservation r;
	struct domain *d;
	uint32_t i;
	int rc;

	if (copy_from_guest(&r, arg, sizeof(r)))
		return -XEN_EFAULT;
	rc = target_domain(r.domid, &d);
	if (rc)
		return rc;
	if (r.extent_order != 0)
		return -XEN_EINVAL;	/* single frames only */
	if (!r.extent_start && cmd != XENMEM_increase_reservation)
		return -XEN_EINVAL;
	for (i = 0; i < r.nr_extents; i++) {
		uint32_t entry = r.extent_start ? r.extent_start + i * 4 : 0;

		if (reservation_one(d, cmd, entry))
			break;
	}
	mm_flush_if_pending();
	return i;
}

static long reservation_size(uint32_t cmd, uint32_t arg)
{
	struct domain *d;
	domid_t id;
	int rc;

	if (copy_from_guest(&id, arg, sizeof(id)))
		return -XEN_EFAULT;
	rc = target_domain(id, &d);
	if (rc)
		return rc;
	return cmd == XENMEM_current_reservation ? d->nr_pages : d->max_pages;
}

/*
 * XENMEM_machine_memory_map, Dom0 only (-EPERM): the boot loader's map as
 * e820 entries.  As Xen, the room offered must exceed the map by one
 * (-EINVAL otherwise); nr_entries comes back as the count written.
 */
static long machine_memory_map(uint32_t arg)
{
	const struct e820entry *map;
	struct xen_memory_map m;
	uint32_t n = mm_machine_map(&map);

	if (!domain_is_privileged(current_domain()))
		return -XEN_EPERM;
	if (copy_from_guest(&m, arg, sizeof(m)))
		return -XEN_EFAULT;
	if (m.nr_entries < n + 1)
		return -XEN_EINVAL;
	if (copy_to_guest(m.buffer, map, n * sizeof(*map)))
		return -XEN_EFAULT;
	m.nr_entries = n;
	return copy_to_guest(arg, &m, sizeof(m)) ? -XEN_EFAULT : 0;
}

long do_memory_op(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
		  uint32_t a5)
{
	(void)a3;
	(void)a4;
	(void)a5;
	switch (cmd) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		return change_reservation(cmd, arg);
	case XENMEM_maximum_ram_page:
		return max_mfn - 1;
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
		return reservation_size(cmd, arg);
	case XENMEM_machine_memory_map:
		return machine_memory_map(arg);
	default:
		return -XEN_ENOSYS;
	}
}
