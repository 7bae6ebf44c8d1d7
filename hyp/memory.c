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
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "pagetable.h"
#include <public/arch-x86_32.h>
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

/* Largest extent a guest may ask for: 2^9 frames, 2 MiB. */
#define MEMOP_MAX_ORDER	9

/* A new extent of 2^order frames for d, or -ENOMEM past its limit or when
 * no such run is free. */
static int grow(struct domain *d, unsigned int order, unsigned int bits,
		uint32_t *mfn_out)
{
	mfn_t m;

	if (d->max_pages - d->nr_pages < (1u << order) ||
	    d->nr_pages > d->max_pages)
		return -XEN_ENOMEM;
	m = alloc_domheap_pages(d->domid, order, bits);
	if (mfn_x(m) == mfn_x(INVALID_MFN))
		return -XEN_ENOMEM;
	d->nr_pages += 1u << order;
	*mfn_out = mfn_x(m);
	return 0;
}

/* May d give mfn back?  Only a frame it owns and that the hypervisor
 * does not keep using itself (a console ring d gave up no longer counts). */
static bool shrinkable(struct domain *d, uint32_t mfn)
{
	const struct page_info *pg = pt_env_page(mfn);

	return pg && pg->owner == d->domid && pg->ref_count &&
	       mfn != virt_to_phys(d->shared_info) >> PAGE_SHIFT &&
	       !gnttab_owns_frame(d, mfn) && !console_ring_keeps(d, mfn);
}

bool memory_frame_unused(struct domain *d, uint32_t mfn)
{
	const struct page_info *pg = pt_env_page(mfn);

	return shrinkable(d, mfn) && pg->ref_count == 1 && !pg->type_count &&
	       !(pg->flags & PGF_CLAIMED);
}

int memory_give_frame(struct domain *from, struct domain *to, uint32_t mfn,
		      uint32_t pfn)
{
	if (!memory_frame_unused(from, mfn))
		return -XEN_EINVAL;
	if (to != from && to->nr_pages >= to->max_pages)
		return -XEN_ENOMEM;
	set_m2p(_mfn(mfn), pfn);
	pt_env_page(mfn)->owner = to->domid;
	from->nr_pages--;
	to->nr_pages++;
	return 0;
}

/* The frame leaves d now; it is freed when its last mapping goes. */
static void shrink_one(struct domain *d, uint32_t mfn)
{
	pt_relinquish(mfn);
	set_m2p(_mfn(mfn), M2P_INVALID);
	pt_env_page(mfn)->owner = DOMID_XEN;
	d->nr_pages--;
	pt_put_page(mfn);
}

/* Give back the 2^order frames from mfn: all of them, or none. */
static int shrink(struct domain *d, uint32_t mfn, unsigned int order)
{
	uint32_t i, n = 1u << order;

	if (mfn > UINT32_MAX - n)
		return -XEN_EINVAL;
	for (i = 0; i < n; i++)
		if (!shrinkable(d, mfn + i))
			return -XEN_EINVAL;
	for (i = 0; i < n; i++)
		shrink_one(d, mfn + i);
	return 0;
}

/* Apply one extent; the list entry is read and written in place. */
static int reservation_one(struct domain *d, uint32_t cmd,
			   const struct xen_memory_reservation *r,
			   uint32_t entry)
{
	unsigned int bits = XENMEMF_get_address_bits(r->mem_flags);
	uint32_t val = 0, mfn, i;
	int rc;

	if (cmd != XENMEM_increase_reservation &&
	    copy_from_guest(&val, entry, sizeof(val)))
		return -XEN_EFAULT;
	if (cmd == XENMEM_decrease_reservation)
		return shrink(d, val, r->extent_order);
	if (cmd == XENMEM_populate_physmap &&
	    val > UINT32_MAX - (1u << r->extent_order))
		return -XEN_EINVAL;
	rc = grow(d, r->extent_order, bits, &mfn);
	if (rc)
		return rc;
	for (i = 0; cmd == XENMEM_populate_physmap &&
	     i < (1u << r->extent_order); i++)
		set_m2p(_mfn(mfn + i), val + i);
	if (entry && copy_to_guest(entry, &mfn, sizeof(mfn))) {
		shrink(d, mfn, r->extent_order);
		return -XEN_EFAULT;
	}
	return 0;
}

/*
 * Extents start..nr_extents of a reservation call; the return value counts
 * from extent 0, as Xen.  Past the time slice the rest continues with the
 * next extent in the command word (MEMOP_EXTENT_SHIFT).
 */
static long change_reservation(uint32_t cmd, uint32_t start, uint32_t arg)
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
	if (r.nr_extents > UINT32_MAX >> MEMOP_EXTENT_SHIFT)
		return -XEN_EINVAL;	/* no continuation could say where */
	if (r.extent_order > MEMOP_MAX_ORDER || start >= r.nr_extents)
		return start;	/* as Xen: nothing (more) done */
	if (r.mem_flags & XENMEMF_populate_on_demand)
		return -XEN_EINVAL;	/* HVM only */
	if (!r.extent_start && cmd != XENMEM_increase_reservation)
		return -XEN_EINVAL;
	for (i = start; i < r.nr_extents; i++) {
		uint32_t entry = r.extent_start ? r.extent_start + i * 4 : 0;

		if (i > start && hypercall_preempt_check()) {
			hypercall_continue(__HYPERVISOR_memory_op,
					   cmd | i << MEMOP_EXTENT_SHIFT, arg);
			break;
		}
		if (reservation_one(d, cmd, &r, entry))
			break;
	}
	mm_flush_if_pending();
	return i;
}

/*
 * XENMEM_exchange, as Xen: the work goes in chunks of 2^max(in, out order)
 * frames, each all or nothing.  An input frame must be d's and unused: its
 * allocation reference only, no mapping, no type (as Xen's steal_page; a
 * mapped frame is -EINVAL), listed once.  The new frames are allocated
 * before any old one is given up, so -ENOMEM loses nothing.
 */
struct exchange {
	struct xen_memory_exchange x;
	struct domain *d;
	uint32_t in_per_chunk, out_per_chunk;	/* extents per chunk */
	uint32_t nr_in;				/* frames held in in_mfns */
	uint32_t out_mfn[1u << MEMOP_MAX_ORDER];
	uint32_t in_mfns[1u << MEMOP_MAX_ORDER];
};

static struct exchange ex;	/* hypercalls do not nest */

static void unclaim(void)
{
	uint32_t i;

	for (i = 0; i < ex.nr_in; i++)
		pt_env_page(ex.in_mfns[i])->flags &= ~PGF_CLAIMED;
}

static int claim(uint32_t mfn)
{
	struct page_info *pg = pt_env_page(mfn);

	if (!memory_frame_unused(ex.d, mfn))
		return -XEN_EINVAL;
	pg->flags |= PGF_CLAIMED;
	ex.in_mfns[ex.nr_in++] = mfn;
	return 0;
}

/* Read and claim the input extents of chunk c. */
static int claim_inputs(uint32_t c)
{
	uint32_t i, k, base, n = 1u << ex.x.in.extent_order;
	int rc;

	ex.nr_in = 0;
	for (i = 0; i < ex.in_per_chunk; i++) {
		if (copy_from_guest(&base, ex.x.in.extent_start +
				    (c * ex.in_per_chunk + i) * 4, 4))
			return -XEN_EFAULT;
		if (base > UINT32_MAX - n)
			return -XEN_EINVAL;
		for (k = 0; k < n; k++) {
			rc = claim(base + k);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Allocate chunk c's output extents; all, or none and -ENOMEM. */
static int alloc_outputs(void)
{
	unsigned int bits = XENMEMF_get_address_bits(ex.x.out.mem_flags);
	uint32_t i, k;
	mfn_t m;

	for (i = 0; i < ex.out_per_chunk; i++) {
		m = alloc_domheap_pages(ex.d->domid, ex.x.out.extent_order, bits);
		if (mfn_x(m) == mfn_x(INVALID_MFN))
			break;
		ex.out_mfn[i] = mfn_x(m);
	}
	if (i == ex.out_per_chunk)
		return 0;
	while (i--)
		for (k = 0; k < (1u << ex.x.out.extent_order); k++)
			free_domheap_page(_mfn(ex.out_mfn[i] + k));
	return -XEN_ENOMEM;
}

/* The output entries of chunk c, checked writable before anything moves. */
static int read_outputs(uint32_t c, uint32_t *gpfn)
{
	uint32_t i, at, n = 1u << ex.x.out.extent_order;

	for (i = 0; i < ex.out_per_chunk; i++) {
		at = ex.x.out.extent_start + (c * ex.out_per_chunk + i) * 4;
		if (copy_from_guest(&gpfn[i], at, 4) ||
		    copy_to_guest(at, &gpfn[i], 4))
			return -XEN_EFAULT;
		if (gpfn[i] > UINT32_MAX - n)
			return -XEN_EINVAL;
	}
	return 0;
}

static int exchange_chunk(uint32_t c)
{
	static uint32_t gpfn[1u << MEMOP_MAX_ORDER];
	uint32_t i, k, at, n = 1u << ex.x.out.extent_order;
	int rc = claim_inputs(c);

	if (!rc)
		rc = read_outputs(c, gpfn);
	if (!rc)
		rc = alloc_outputs();
	unclaim();
	if (rc)
		return rc;
	for (i = 0; i < ex.nr_in; i++) {
		shrink_one(ex.d, ex.in_mfns[i]);
		ex.d->nr_pages++;	/* the new frames replace them */
	}
	for (i = 0; i < ex.out_per_chunk; i++) {
		for (k = 0; k < n; k++)
			set_m2p(_mfn(ex.out_mfn[i] + k), gpfn[i] + k);
		at = ex.x.out.extent_start + (c * ex.out_per_chunk + i) * 4;
		copy_to_guest(at, &ex.out_mfn[i], 4);	/* checked above */
	}
	return 0;
}

static int exchange_check(void)
{
	const struct xen_memory_reservation *in = &ex.x.in, *out = &ex.x.out;
	int rc;

	if (in->domid != out->domid)
		return -XEN_EINVAL;
	rc = target_domain(in->domid, &ex.d);
	if (rc)
		return rc;
	if (in->extent_order > MEMOP_MAX_ORDER ||
	    out->extent_order > MEMOP_MAX_ORDER)
		return -XEN_EPERM;
	if ((in->mem_flags | out->mem_flags) & XENMEMF_populate_on_demand)
		return -XEN_EINVAL;
	if (in->nr_extents > (UINT32_MAX >> in->extent_order) ||
	    out->nr_extents > (UINT32_MAX >> out->extent_order) ||
	    (in->nr_extents << in->extent_order) !=
	    (out->nr_extents << out->extent_order))
		return -XEN_EINVAL;
	ex.in_per_chunk = out->extent_order > in->extent_order ?
			  1u << (out->extent_order - in->extent_order) : 1;
	ex.out_per_chunk = in->extent_order > out->extent_order ?
			   1u << (in->extent_order - out->extent_order) : 1;
	/* A caller may resume where an earlier call stopped, as Xen. */
	if (ex.x.nr_exchanged % ex.in_per_chunk ||
	    ex.x.nr_exchanged > in->nr_extents)
		return -XEN_EINVAL;
	return 0;
}

static int write_nr_exchanged(uint32_t arg)
{
	return copy_to_guest(arg + offsetof(struct xen_memory_exchange,
					    nr_exchanged),
			     &ex.x.nr_exchanged, sizeof(ex.x.nr_exchanged)) ?
	       -XEN_EFAULT : 0;
}

/*
 * Preemptible: nr_exchanged is written back first, and only if that
 * succeeds does the rest continue from it (else -EFAULT: a resumed call
 * would redo chunks already done).
 */
static long memory_exchange(uint32_t arg)
{
	uint32_t c, start_chunk;
	int rc;

	if (copy_from_guest(&ex.x, arg, sizeof(ex.x)))
		return -XEN_EFAULT;
	rc = exchange_check();
	if (rc)
		return rc;
	start_chunk = ex.x.nr_exchanged / ex.in_per_chunk;
	for (c = start_chunk; ex.x.nr_exchanged < ex.x.in.nr_extents; c++) {
		if (c > start_chunk && hypercall_preempt_check()) {
			mm_flush_if_pending();
			rc = write_nr_exchanged(arg);
			if (!rc)
				hypercall_continue(__HYPERVISOR_memory_op,
						   XENMEM_exchange, arg);
			return rc;
		}
		rc = exchange_chunk(c);
		if (rc)
			break;
		ex.x.nr_exchanged += ex.in_per_chunk;
	}
	mm_flush_if_pending();
	return write_nr_exchanged(arg) ? -XEN_EFAULT : rc;
}

/* XENMEM_machphys_mapping: the M2P window and its last valid entry. */
static long machphys_mapping(uint32_t arg)
{
	struct xen_machphys_mapping m = {
		.v_start = MACH2PHYS_VIRT_START,
		.v_end = MACH2PHYS_VIRT_END,
		.max_mfn = max_mfn - 1,
	};

	return copy_to_guest(arg, &m, sizeof(m)) ? -XEN_EFAULT : 0;
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
	uint32_t op = cmd & MEMOP_CMD_MASK, start = cmd >> MEMOP_EXTENT_SHIFT;

	(void)a3;
	(void)a4;
	(void)a5;
	if (op == XENMEM_increase_reservation ||
	    op == XENMEM_decrease_reservation || op == XENMEM_populate_physmap)
		return change_reservation(op, start, arg);
	if (start)
		return -XEN_EINVAL;	/* as Xen: only those three resume */
	switch (cmd) {
	case XENMEM_maximum_ram_page:
		return max_mfn - 1;
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
		return reservation_size(cmd, arg);
	case XENMEM_machine_memory_map:
		return machine_memory_map(arg);
	case XENMEM_exchange:
		return memory_exchange(arg);
	case XENMEM_machphys_mapping:
		return machphys_mapping(arg);
	default:
		return -XEN_ENOSYS;
	}
}
