/*
 * grant_table.c - the grant table frames and grant_table_op: the table,
 * maps and unmaps, copies and transfers.  See grant_table.h.
 */
#include "grant_table.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "memory.h"
#include "mm.h"
#include "mmu.h"
#include "arch/x86_32/paging.h"
#include <public/errno.h>
#include <public/grant_table.h>
#include <public/xen.h>

#define MAPTRACK_IN_USE		0x8000
#define MAPTRACK_KEPT		(GNTMAP_readonly | GNTMAP_application_map | \
				 GNTMAP_contains_pte)
#define MAPTRACK_MAX		(GNTTAB_MAPTRACK_PAGES * GNTTAB_MAPTRACK_PER_PAGE)
#define PIN_MAX			UINT16_MAX

BUILD_BUG_ON(sizeof(struct gnttab_active) * GNTTAB_PER_FRAME != PAGE_SIZE);
BUILD_BUG_ON(sizeof(struct gnttab_maptrack) * GNTTAB_MAPTRACK_PER_PAGE !=
	     PAGE_SIZE);

bool gnttab_owns_frame(const struct domain *d, uint32_t mfn)
{
	unsigned int i;

	for (i = 0; i < d->gnttab.nr_frames; i++)
		if (d->gnttab.frames[i] == mfn)
			return true;
	return false;
}

/* ---- The table ---- */

/* Grow d's table to n frames; false when memory runs out. */
static bool grow_table(struct domain *d, uint32_t n)
{
	struct gnttab *gt = &d->gnttab;

	while (gt->nr_frames < n) {
		void *active = alloc_xenheap_page(), *page = alloc_xenheap_page();

		if (!active || !page) {
			if (active)
				free_xenheap_page(active);
			if (page)
				free_xenheap_page(page);
			return false;
		}
		share_xenheap_page(page, d->domid);	/* never a page table */
		gt->active[gt->nr_frames] = active;
		gt->frames[gt->nr_frames++] = virt_to_phys(page) >> PAGE_SHIFT;
	}
	return true;
}

static int setup_table(uint32_t uop)
{
	struct domain *d = current_domain();
	struct gnttab_setup_table s;

	if (copy_from_guest(&s, uop, sizeof(s)))
		return -XEN_EFAULT;
	if (s.dom != DOMID_SELF && s.dom != d->domid)
		s.status = GNTST_bad_domain;
	else if (s.nr_frames > GNTTAB_MAX_FRAMES || !grow_table(d, s.nr_frames))
		s.status = GNTST_general_error;
	else if (s.nr_frames &&
		 copy_to_guest(s.frame_list, d->gnttab.frames, s.nr_frames * 4))
		return -XEN_EFAULT;
	else
		s.status = GNTST_okay;
	return copy_to_guest(uop, &s, sizeof(s)) ? -XEN_EFAULT : 0;
}

static int query_size(uint32_t uop)
{
	struct domain *d = current_domain();
	struct gnttab_query_size q;

	if (copy_from_guest(&q, uop, sizeof(q)))
		return -XEN_EFAULT;
	if (q.dom != DOMID_SELF && q.dom != d->domid) {
		q.status = GNTST_bad_domain;
	} else {
		q.nr_frames = d->gnttab.nr_frames;
		q.max_nr_frames = GNTTAB_MAX_FRAMES;
		q.status = GNTST_okay;
	}
	return copy_to_guest(uop, &q, sizeof(q)) ? -XEN_EFAULT : 0;
}

static int version_op(uint32_t cmd, uint32_t uop)
{
	struct gnttab_get_version g;
	struct gnttab_set_version s;

	if (cmd == GNTTABOP_set_version) {
		if (copy_from_guest(&s, uop, sizeof(s)))
			return -XEN_EFAULT;
		if (s.version == 1)
			return 0;
		/* As Xen with version 2 disabled; anything else is no version. */
		return s.version == 2 ? -XEN_ENOSYS : -XEN_EINVAL;
	}
	if (copy_from_guest(&g, uop, sizeof(g)))
		return -XEN_EFAULT;
	if (g.dom != DOMID_SELF && g.dom != current_domain()->domid)
		return -XEN_ESRCH;
	g.version = 1;
	return copy_to_guest(uop, &g, sizeof(g)) ? -XEN_EFAULT : 0;
}

/* ---- Entries ---- */

static struct grant_entry_v1 *shared_entry(const struct domain *rd,
					   uint32_t ref)
{
	struct grant_entry_v1 *frame = phys_to_virt(
		(uint64_t)rd->gnttab.frames[ref / GNTTAB_PER_FRAME] << PAGE_SHIFT);

	return &frame[ref % GNTTAB_PER_FRAME];
}

static struct gnttab_active *active_entry(const struct domain *rd,
					  uint32_t ref)
{
	return &rd->gnttab.active[ref / GNTTAB_PER_FRAME][ref % GNTTAB_PER_FRAME];
}

static bool ref_valid(const struct domain *rd, uint32_t ref)
{
	return ref < rd->gnttab.nr_frames * GNTTAB_PER_FRAME;
}

/*
 * May ld use rd's entry ref (to write, if writable)?  Its frame, read once
 * from the shared entry, to *frame; GNTST_okay or the error.  A pinned
 * entry must still name the frame it was pinned with.
 */
static int16_t check_entry(const struct domain *rd, uint32_t ref,
			   domid_t ld, bool writable, uint32_t *frame)
{
	struct grant_entry_v1 e;
	const struct gnttab_active *act;

	if (!ref_valid(rd, ref))
		return GNTST_bad_gntref;
	e = *(volatile struct grant_entry_v1 *)shared_entry(rd, ref);
	act = active_entry(rd, ref);
	if ((e.flags & GTF_type_mask) != GTF_permit_access || e.domid != ld ||
	    (writable && (e.flags & GTF_readonly)))
		return GNTST_general_error;
	if ((act->readers || act->writers) && e.frame != act->frame)
		return GNTST_general_error;
	if (!mfn_valid(_mfn(e.frame)) ||
	    mfn_to_page(_mfn(e.frame))->owner != rd->domid)
		return GNTST_general_error;
	*frame = e.frame;
	return GNTST_okay;
}

/* The shared entry's GTF_reading / GTF_writing, from the pin counts. */
static void publish_pins(const struct domain *rd, uint32_t ref)
{
	const struct gnttab_active *act = active_entry(rd, ref);
	volatile uint16_t *flags = &shared_entry(rd, ref)->flags;
	uint16_t f = *flags & ~(GTF_reading | GTF_writing);

	if (act->readers || act->writers)
		f |= GTF_reading;
	if (act->writers)
		f |= GTF_writing;
	*flags = f;
}

static int16_t pin(const struct domain *rd, uint32_t ref, uint32_t frame,
		   bool writable)
{
	struct gnttab_active *act = active_entry(rd, ref);
	uint16_t *count = writable ? &act->writers : &act->readers;

	if (*count == PIN_MAX)
		return GNTST_general_error;
	(*count)++;
	act->frame = frame;
	publish_pins(rd, ref);
	return GNTST_okay;
}

static void unpin(const struct domain *rd, uint32_t ref, bool writable)
{
	struct gnttab_active *act = active_entry(rd, ref);
	uint16_t *count = writable ? &act->writers : &act->readers;

	if (*count)
		(*count)--;
	publish_pins(rd, ref);
}

/* ---- Maptrack: the mappings a domain holds ---- */

static struct gnttab_maptrack *maptrack_entry(const struct domain *d,
					      uint32_t handle)
{
	if (handle >= d->gnttab.maptrack_pages * GNTTAB_MAPTRACK_PER_PAGE)
		return NULL;
	return &d->gnttab.maptrack[handle / GNTTAB_MAPTRACK_PER_PAGE]
				  [handle % GNTTAB_MAPTRACK_PER_PAGE];
}

/* Add a page of free handles; false when none can be had. */
static bool maptrack_grow(struct domain *d)
{
	struct gnttab *gt = &d->gnttab;
	struct gnttab_maptrack *page;
	uint32_t i, first;

	if (gt->maptrack_pages == GNTTAB_MAPTRACK_PAGES)
		return false;
	page = alloc_xenheap_page();
	if (!page)
		return false;
	first = gt->maptrack_pages * GNTTAB_MAPTRACK_PER_PAGE;
	for (i = 0; i < GNTTAB_MAPTRACK_PER_PAGE; i++)	/* chain: next + 1 */
		page[i].ref = i + 1 < GNTTAB_MAPTRACK_PER_PAGE ?
			      first + i + 2 : gt->maptrack_free;
	gt->maptrack[gt->maptrack_pages++] = page;
	gt->maptrack_free = first + 1;
	return true;
}

/* A free handle, taken; false if d has MAPTRACK_MAX in use. */
static bool maptrack_get(struct domain *d, uint32_t *handle)
{
	struct gnttab_maptrack *m;

	if (!d->gnttab.maptrack_free && !maptrack_grow(d))
		return false;
	*handle = d->gnttab.maptrack_free - 1;
	m = maptrack_entry(d, *handle);
	d->gnttab.maptrack_free = m->ref;
	m->flags = MAPTRACK_IN_USE;
	return true;
}

static void maptrack_put(struct domain *d, uint32_t handle)
{
	struct gnttab_maptrack *m = maptrack_entry(d, handle);

	m->flags = 0;
	m->ref = d->gnttab.maptrack_free;
	d->gnttab.maptrack_free = handle + 1;
}

/* The granter of m if it is still the domain that granted: live, same serial. */
static struct domain *maptrack_granter(const struct gnttab_maptrack *m)
{
	struct domain *rd = domain_lookup(m->granter);

	return rd && rd->serial == m->serial ? rd : NULL;
}

/* ---- Map and unmap ---- */

/*
 * The L1 entry host_addr names for ld (GNTMAP_contains_pte: its machine
 * address; else a virtual address in ld's current address space), which
 * must be in an L1 table of ld's in use.  False if there is none.
 */
static bool find_pte(const struct domain *ld, uint64_t host_addr,
		     uint32_t flags, uint32_t *l1, uint32_t *index)
{
	const struct page_info *pg;

	if (flags & GNTMAP_contains_pte) {
		if ((host_addr & 7) || (host_addr >> PAGE_SHIFT) > UINT32_MAX)
			return false;
		*l1 = (uint32_t)(host_addr >> PAGE_SHIFT);
		*index = (uint32_t)(host_addr & (PAGE_SIZE - 1)) / 8;
	} else {
		if (host_addr > UINT32_MAX ||
		    mmu_find_l1(current_vcpu(), (uint32_t)host_addr, l1))
			return false;
		*index = l1_index((uint32_t)host_addr);
	}
	if (!mfn_valid(_mfn(*l1)))
		return false;
	pg = mfn_to_page(_mfn(*l1));
	return pg->owner == ld->domid && pg->type == PGT_L1 && pg->type_count;
}

/* Write the L1 entry for ld as mmu_update would, frames of rd allowed. */
static int write_pte(const struct domain *ld, const struct domain *rd,
		     uint32_t l1, uint32_t index, uint64_t val)
{
	struct pt_domain view = domain_pt_view(ld);

	if (rd) {
		view.has_foreign = true;
		view.foreign = rd->domid;
	}
	return pt_update_entry(l1, index, val, &view);
}

static uint64_t grant_pte(uint32_t frame, uint32_t flags)
{
	uint64_t e = ((uint64_t)frame << PAGE_SHIFT) | PTE_PRESENT |
		     PTE_ACCESSED | PTE_DIRTY;

	if (!(flags & GNTMAP_readonly))
		e |= PTE_RW;
	if (flags & GNTMAP_application_map)
		e |= PTE_USER;
	return e;
}

static int16_t map_checked(struct domain *ld, struct domain *rd,
			   struct gnttab_map_grant_ref *op)
{
	bool writable = !(op->flags & GNTMAP_readonly);
	uint32_t l1, index, frame, handle;
	struct gnttab_maptrack *m;
	int16_t st;

	if (!find_pte(ld, op->host_addr, op->flags, &l1, &index))
		return GNTST_general_error;
	st = check_entry(rd, op->ref, ld->domid, writable, &frame);
	if (st)
		return st;
	if (!maptrack_get(ld, &handle))
		return GNTST_no_device_space;
	st = pin(rd, op->ref, frame, writable);
	if (!st && write_pte(ld, rd, l1, index, grant_pte(frame, op->flags))) {
		unpin(rd, op->ref, writable);
		st = GNTST_general_error;
	}
	if (st) {
		maptrack_put(ld, handle);
		return st;
	}
	m = maptrack_entry(ld, handle);
	*m = (struct gnttab_maptrack){ .frame = frame, .ref = op->ref,
		.serial = rd->serial, .granter = rd->domid,
		.flags = MAPTRACK_IN_USE | (op->flags & MAPTRACK_KEPT) };
	op->handle = handle;
	op->dev_bus_addr = (uint64_t)frame << PAGE_SHIFT;	/* Linux's P2M */
	return GNTST_okay;
}

static int16_t map_one(struct gnttab_map_grant_ref *op)
{
	struct domain *rd;

	if (!(op->flags & (GNTMAP_host_map | GNTMAP_device_map)))
		return GNTST_bad_gntref;
	if (op->flags & GNTMAP_device_map)
		return GNTST_general_error;	/* not offered: no IOMMU */
	rd = domain_lookup(op->dom);
	if (!rd)
		return GNTST_bad_domain;
	return map_checked(current_domain(), rd, op);
}

static uint64_t read_pte(uint32_t l1, uint32_t index)
{
	uint64_t *table = map_domain_page(_mfn(l1)), e = table[index];

	unmap_domain_page(table);
	return e;
}

/*
 * Unmap handle's grant at host_addr, writing `replace` (a PTE of ld's,
 * validated as by mmu_update) there instead of 0.
 */
static int16_t unmap_handle(struct domain *ld, uint32_t handle,
			    uint64_t host_addr, uint64_t replace)
{
	struct gnttab_maptrack *m = maptrack_entry(ld, handle);
	struct domain *rd;
	uint32_t l1, index;
	uint64_t e;

	if (!find_pte(ld, host_addr, m->flags, &l1, &index))
		return GNTST_general_error;
	e = read_pte(l1, index);
	/* The entry must be this handle's: its frame, and writable only if
	 * the map was (else GTF_writing would go while a writer stays). */
	if (!(e & PTE_PRESENT) || pte_mfn(e) != m->frame ||
	    !(e & PTE_RW) != !!(m->flags & GNTMAP_readonly) ||
	    write_pte(ld, NULL, l1, index, replace))
		return GNTST_general_error;
	rd = maptrack_granter(m);
	if (rd)
		unpin(rd, m->ref, !(m->flags & GNTMAP_readonly));
	maptrack_put(ld, handle);
	return GNTST_okay;
}

static bool handle_in_use(const struct domain *ld, uint32_t handle)
{
	const struct gnttab_maptrack *m = maptrack_entry(ld, handle);

	return m && (m->flags & MAPTRACK_IN_USE);
}

static int16_t unmap_one(const struct gnttab_unmap_grant_ref *op)
{
	struct domain *ld = current_domain();
	const struct gnttab_maptrack *m = maptrack_entry(ld, op->handle);

	if (!handle_in_use(ld, op->handle))
		return GNTST_bad_handle;
	if (op->dev_bus_addr &&
	    op->dev_bus_addr != (uint64_t)m->frame << PAGE_SHIFT)
		return GNTST_bad_dev_addr;
	return unmap_handle(ld, op->handle, op->host_addr, 0);
}

/*
 * As Xen: new_addr's entry moves to host_addr and new_addr is left
 * unmapped.  It is written at host_addr first (validated, so an entry of
 * a frame not ours, a grant's say, is general_error and nothing changes),
 * then cleared: the frame is never unreferenced in between.
 */
static int16_t unmap_replace_one(const struct gnttab_unmap_and_replace *op)
{
	struct domain *ld = current_domain();
	const struct gnttab_maptrack *m = maptrack_entry(ld, op->handle);
	uint32_t l1 = 0, index = 0;
	uint64_t e = 0;
	int16_t st;

	if (!handle_in_use(ld, op->handle))
		return GNTST_bad_handle;
	if (op->new_addr && (m->flags & GNTMAP_contains_pte))
		return GNTST_general_error;	/* by VA only, as Xen */
	if (op->new_addr) {
		if (!find_pte(ld, op->new_addr, 0, &l1, &index))
			return GNTST_general_error;
		e = read_pte(l1, index);
	}
	st = unmap_handle(ld, op->handle, op->host_addr, e);
	/* Only clears: it drops references, the table is an L1 of ours. */
	if (!st && op->new_addr)
		(void)write_pte(ld, NULL, l1, index, 0);
	return st;
}

void gnttab_release(struct domain *d)
{
	struct gnttab *gt = &d->gnttab;
	const struct gnttab_maptrack *m;
	struct domain *rd;
	uint32_t h, i;

	for (h = 0; (m = maptrack_entry(d, h)) != NULL; h++) {
		if (!(m->flags & MAPTRACK_IN_USE))
			continue;
		rd = maptrack_granter(m);
		if (rd)
			unpin(rd, m->ref, !(m->flags & GNTMAP_readonly));
	}
	for (i = 0; i < gt->maptrack_pages; i++)
		free_xenheap_page(gt->maptrack[i]);
	for (i = 0; i < gt->nr_frames; i++)
		free_xenheap_page(gt->active[i]);
	gt->maptrack_pages = gt->maptrack_free = 0;
}

/* ---- Copy ---- */

/*
 * The frame one side of a copy names, with a reference (and, for the
 * destination, a writable type reference) taken for ld: GNTST_*.
 */
static int16_t copy_frame(struct domain *ld, const struct gnttab_copy_ptr *p,
			  bool gref, bool writable, uint32_t *mfn)
{
	struct domain *rd = p->domid == DOMID_SELF ? ld : domain_lookup(p->domid);
	struct pt_domain view;
	int16_t st;

	if (!gref && p->domid != DOMID_SELF)
		return GNTST_permission_denied;	/* by frame: only one's own */
	if (!rd)
		return GNTST_bad_domain;
	*mfn = p->ref_or_mfn;
	if (gref) {
		st = check_entry(rd, p->ref_or_mfn, ld->domid, writable, mfn);
		if (st)
			return st;
	}
	view = domain_pt_view(rd);
	if (!pt_get_page(*mfn, &view))
		return GNTST_bad_page;
	if (writable && pt_get_type(*mfn, PGT_WRITABLE, &view)) {
		pt_put_page(*mfn);
		return GNTST_general_error;
	}
	return GNTST_okay;
}

static int16_t copy_one(const struct gnttab_copy *op)
{
	struct domain *ld = current_domain();
	uint32_t src, dst;
	uint8_t *s, *d;
	int16_t st;

	if (op->source.offset + op->len > PAGE_SIZE ||
	    op->dest.offset + op->len > PAGE_SIZE)
		return GNTST_bad_copy_arg;
	st = copy_frame(ld, &op->source, op->flags & GNTCOPY_source_gref,
			false, &src);
	if (st)
		return st;
	st = copy_frame(ld, &op->dest, op->flags & GNTCOPY_dest_gref, true,
			&dst);
	if (!st) {	/* one mapping when both are one frame: memmove sees it */
		s = map_domain_page(_mfn(src));
		d = dst == src ? s : map_domain_page(_mfn(dst));
		memmove(d + op->dest.offset, s + op->source.offset, op->len);
		if (d != s)
			unmap_domain_page(d);
		unmap_domain_page(s);
		pt_put_page_and_type(dst);
	}
	pt_put_page(src);
	return st;
}

/* ---- Transfer ---- */

static int16_t transfer_one(const struct gnttab_transfer *op)
{
	struct domain *ld = current_domain(), *e = domain_lookup(op->domid);
	volatile struct grant_entry_v1 *entry;
	struct grant_entry_v1 seen;
	int rc;

	if (!e)
		return GNTST_bad_domain;
	if (!ref_valid(e, op->ref))
		return GNTST_bad_gntref;
	entry = shared_entry(e, op->ref);
	seen = *entry;		/* read once, then checked */
	if (seen.flags != GTF_accept_transfer || seen.domid != ld->domid)
		return GNTST_general_error;
	if (!mfn_valid(_mfn(op->mfn)))
		return GNTST_bad_page;
	/* As Xen: the entry's frame is the pfn the receiver wants it at. */
	rc = memory_give_frame(ld, e, op->mfn, seen.frame);
	if (rc)
		return rc == -XEN_ENOMEM ? GNTST_general_error : GNTST_bad_page;
	entry->frame = op->mfn;
	entry->flags = GTF_accept_transfer | GTF_transfer_committed |
		       GTF_transfer_completed;
	return GNTST_okay;
}

/* ---- The hypercall ---- */

static uint32_t op_size(uint32_t cmd)
{
	switch (cmd) {
	case GNTTABOP_map_grant_ref: return sizeof(struct gnttab_map_grant_ref);
	case GNTTABOP_unmap_grant_ref:
		return sizeof(struct gnttab_unmap_grant_ref);
	case GNTTABOP_unmap_and_replace:
		return sizeof(struct gnttab_unmap_and_replace);
	case GNTTABOP_setup_table: return sizeof(struct gnttab_setup_table);
	case GNTTABOP_transfer: return sizeof(struct gnttab_transfer);
	case GNTTABOP_copy: return sizeof(struct gnttab_copy);
	case GNTTABOP_query_size: return sizeof(struct gnttab_query_size);
	case GNTTABOP_set_version: return sizeof(struct gnttab_set_version);
	case GNTTABOP_get_version: return sizeof(struct gnttab_get_version);
	default: return 0;
	}
}

/* Read an op, run it, write its status back (the whole op, as Xen). */
static int grant_op(uint32_t cmd, uint32_t uop)
{
	union {
		struct gnttab_map_grant_ref map;
		struct gnttab_unmap_grant_ref unmap;
		struct gnttab_unmap_and_replace replace;
		struct gnttab_transfer transfer;
		struct gnttab_copy copy;
	} op;
	uint32_t size = op_size(cmd);

	if (copy_from_guest(&op, uop, size))
		return -XEN_EFAULT;
	if (cmd == GNTTABOP_map_grant_ref)
		op.map.status = map_one(&op.map);
	else if (cmd == GNTTABOP_unmap_grant_ref)
		op.unmap.status = unmap_one(&op.unmap);
	else if (cmd == GNTTABOP_unmap_and_replace)
		op.replace.status = unmap_replace_one(&op.replace);
	else if (cmd == GNTTABOP_transfer)
		op.transfer.status = transfer_one(&op.transfer);
	else
		op.copy.status = copy_one(&op.copy);
	return copy_to_guest(uop, &op, size) ? -XEN_EFAULT : 0;
}

static int one_op(uint32_t cmd, uint32_t uop)
{
	switch (cmd) {
	case GNTTABOP_map_grant_ref:
	case GNTTABOP_unmap_grant_ref:
	case GNTTABOP_unmap_and_replace:
	case GNTTABOP_transfer:
	case GNTTABOP_copy:
		return grant_op(cmd, uop);
	case GNTTABOP_setup_table:
		return setup_table(uop);
	case GNTTABOP_query_size:
		return query_size(uop);
	case GNTTABOP_set_version:
	case GNTTABOP_get_version:
		return version_op(cmd, uop);
	default:
		return -XEN_ENOSYS;
	}
}

long do_grant_table_op(uint32_t cmd, uint32_t uop, uint32_t count,
		       uint32_t a4, uint32_t a5)
{
	uint32_t i, size = op_size(cmd);
	int rc = 0;

	(void)a4;
	(void)a5;
	if (!size)
		return -XEN_ENOSYS;
	if (count > INT32_MAX)
		return -XEN_EINVAL;
	for (i = 0; !rc && i < count; i++) {
		if (i && hypercall_preempt_check()) {
			hypercall_continue3(__HYPERVISOR_grant_table_op, cmd,
					    uop + i * size, count - i);
			break;
		}
		rc = one_op(cmd, uop + i * size);
	}
	mm_flush_if_pending();
	return rc;
}
