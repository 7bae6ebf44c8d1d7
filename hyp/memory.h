/*
 * memory.h - the memory_op hypercall (include/public/memory.h): a domain's
 * reservation grows (increase_reservation, populate_physmap) up to its
 * max_pages and shrinks (decrease_reservation) in extents of up to 2^9
 * contiguous, aligned frames below an address limit; exchange trades
 * frames for others (contiguous or low ones, as xen-swiotlb needs);
 * maximum_ram_page, current_reservation, maximum_reservation and
 * machphys_mapping report sizes and places.  Only the calling domain, or
 * any for a privileged one.  Other subcommands return -XEN_ENOSYS.
 *
 * Long calls are preemptible (hypercall.h), as on Xen: a reservation call
 * continues with the next extent in the command word's upper bits
 * (MEMOP_EXTENT_SHIFT; a guest may start there too, and its return value
 * still counts from extent 0), an exchange with nr_exchanged written back.
 * Other subcommands with those bits set are -XEN_EINVAL.
 */
#ifndef XYLEM_MEMORY_H
#define XYLEM_MEMORY_H

#include <stdbool.h>
#include <stdint.h>

struct domain;

/*
 * Is mfn d's and unused: no mapping, no type, not claimed by an exchange,
 * and not a frame the hypervisor keeps using (shared_info, grant table,
 * a console ring it serves)?  Such a frame can change hands.
 */
bool memory_frame_unused(struct domain *d, uint32_t mfn);
/*
 * Move an unused frame of from's to to, contents and all (grant
 * transfer): -XEN_EINVAL if it is not unused, -XEN_ENOMEM if to is at its
 * max_pages; nothing changes then.  Its M2P entry becomes pfn, the
 * receiver's choice (any value: the M2P holds what guests say).
 */
int memory_give_frame(struct domain *from, struct domain *to, uint32_t mfn,
		      uint32_t pfn);

long do_memory_op(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
		  uint32_t a5);

#endif
