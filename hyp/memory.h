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

#include <stdint.h>

long do_memory_op(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
		  uint32_t a5);

#endif
