/*
 * grant_table.h - grant tables (v1): a domain grants others access to its
 * frames by entries in a table it shares with the hypervisor.
 *
 * The table: setup_table gives the calling domain up to GNTTAB_MAX_FRAMES
 * frames of 512 entries, allocated on first use from hypervisor memory and
 * owned by the domain (it maps them writable by their MFNs, as it does
 * shared_info); they stay its until it is destroyed and cannot be given
 * back with decrease_reservation.  query_size, set_version (1 only; 2 is
 * -ENOSYS) and get_version work.  Beside each table frame the hypervisor
 * keeps a private page of struct gnttab_active, one per entry.
 *
 * Operations on grants (include/public/grant_table.h), each with its own
 * GNTST_* status; the call itself fails only when the guest's op cannot be
 * read or written back (-EFAULT), the count is past 2^31 - 1 (-EINVAL)
 * or the command is unknown (-ENOSYS):
 *  - map_grant_ref writes one L1 entry of the caller's, chosen by virtual
 *    address (in its current address space) or by the entry's machine
 *    address (GNTMAP_contains_pte), to map the granted frame: present,
 *    accessed, dirty, writable unless GNTMAP_readonly, user with
 *    GNTMAP_application_map.  The entry then holds its references as any
 *    L1 entry does; the frame it replaces is released as by mmu_update.
 *    The grant must permit access to the caller (writable unless the map
 *    is read-only), name a frame the granter owns, and, while it is
 *    mapped, keep naming that frame.  A writable map is refused for a
 *    frame in use as a page table or descriptor page.  The caller gets the
 *    frame's machine address in dev_bus_addr (Linux's P2M takes it from
 *    there) and a handle (at most GNTTAB_MAPTRACK_PAGES *
 *    GNTTAB_MAPTRACK_PER_PAGE at once, else GNTST_no_device_space).  Device maps (GNTMAP_device_map)
 *    are not offered: there is no IOMMU, and a Dom0 that programs DMA
 *    takes the machine address from its P2M.  GNTST_general_error.
 *  - unmap_grant_ref takes the handle and the same host_addr: the entry
 *    there must still map the frame, writable only if the map was (else
 *    GNTST_general_error and the handle stays), and is cleared.
 *    unmap_and_replace (by virtual address only) writes there instead
 *    the entry new_addr holds, validated as by mmu_update (else
 *    GNTST_general_error, nothing changed), then clears new_addr's.
 *  - While a grant is mapped its shared entry carries GTF_reading (any
 *    map) and GTF_writing (a writable one), as Xen sets them, so the
 *    granter knows not to revoke it.
 *  - copy copies up to a page between two frames, each named by a grant
 *    (GNTCOPY_*_gref, checked as for a map, the destination writable,
 *    the granter DOMID_SELF allowed as in Xen) or,
 *    for DOMID_SELF only, by a machine frame the caller owns.  A
 *    destination in use as a page table or descriptor page is refused.
 *  - transfer gives one of the caller's frames, unused (no mapping, no
 *    type, not a frame the hypervisor keeps using), to a domain whose
 *    entry accepts a transfer from the caller and which is below its
 *    max_pages; the entry gets the frame and GTF_transfer_committed |
 *    GTF_transfer_completed.  Its M2P entry becomes the frame number the
 *    entry held (the pfn the receiver wants it at, as Xen).  Every check comes before the frame moves: a refused
 *    transfer loses nothing.
 * A batch runs each op in turn and continues itself past the hypercall
 * slice (hypercall.h).  The hypervisor runs alone on the one CPU, so the
 * shared entries are read once, checked, and updated without a guest
 * seeing a half-done step; a copy therefore leaves no GTF_ bits behind.
 *
 * A mapping is tracked by its mapper (struct gnttab_maptrack) with the
 * granter's id and creation serial: when the granter is destroyed first,
 * the mapping keeps the frame (its entry's reference) until it is
 * unmapped; when the mapper is destroyed, its entries go with its page
 * tables and gnttab_release() drops its pins on live granters.
 */
#ifndef XYLEM_GRANT_TABLE_H
#define XYLEM_GRANT_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#define GNTTAB_MAX_FRAMES		32	/* 16384 entries, as Xen 4.x by default */
#define GNTTAB_PER_FRAME		512	/* v1 entries in a frame */
#define GNTTAB_MAPTRACK_PAGES		8
#define GNTTAB_MAPTRACK_PER_PAGE	256	/* 4096 / 16 */

/* The hypervisor's view of one entry while it is mapped. */
struct gnttab_active {
	uint32_t frame;		/* the frame it maps, while pinned */
	uint16_t readers;	/* read-only maps */
	uint16_t writers;	/* writable maps */
};

/* One mapping a domain holds, named by its handle. */
struct gnttab_maptrack {
	uint32_t frame;		/* the frame mapped */
	uint32_t ref;		/* the granter's entry; a free slot's: next free */
	uint32_t serial;	/* the granter's domain serial */
	uint16_t granter;	/* its domid */
	uint16_t flags;		/* GNTMAP_* as mapped, and MAPTRACK_IN_USE */
};

struct gnttab {
	uint32_t frames[GNTTAB_MAX_FRAMES];	/* the shared table's MFNs */
	struct gnttab_active *active[GNTTAB_MAX_FRAMES];
	uint32_t nr_frames;
	struct gnttab_maptrack *maptrack[GNTTAB_MAPTRACK_PAGES];
	uint32_t maptrack_pages;
	uint32_t maptrack_free;		/* first free handle + 1; 0: none */
};

struct domain;

/* True if mfn is one of d's grant-table frames. */
bool gnttab_owns_frame(const struct domain *d, uint32_t mfn);

/*
 * d is being destroyed and its frames are released: drop the pins its
 * mappings hold on live granters and free the hypervisor's own pages.
 */
void gnttab_release(struct domain *d);

long do_grant_table_op(uint32_t cmd, uint32_t uop, uint32_t count,
		       uint32_t a4, uint32_t a5);

#endif
