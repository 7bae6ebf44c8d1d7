/*
 * memory.h - the memory_op hypercall (include/public/memory.h): a domain's
 * reservation grows (increase_reservation, populate_physmap) up to its
 * max_pages and shrinks (decrease_reservation); maximum_ram_page,
 * current_reservation and maximum_reservation report sizes.  Only order-0
 * extents; only the calling domain (Dom0 acting on others arrives with
 * domain control).  Other subcommands return -XEN_ENOSYS.
 */
#ifndef XYLEM_MEMORY_H
#define XYLEM_MEMORY_H

#include <stdint.h>

long do_memory_op(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
		  uint32_t a5);

#endif
