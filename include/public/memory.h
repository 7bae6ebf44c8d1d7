/*
 * include/public/memory.h - the memory_op hypercall: a domain's
 * reservation of machine frames (pv32pae layout: handles and xen_ulong_t
 * are 32 bits).
 */
#ifndef XYLEM_PUBLIC_MEMORY_H
#define XYLEM_PUBLIC_MEMORY_H

#include <stdint.h>

#define XENMEM_increase_reservation	0
#define XENMEM_decrease_reservation	1
#define XENMEM_maximum_ram_page		2
#define XENMEM_current_reservation	3
#define XENMEM_maximum_reservation	4
#define XENMEM_populate_physmap		6
#define XENMEM_memory_map		9	/* -ENOSYS: no map set for a domain */
#define XENMEM_machine_memory_map	10	/* Dom0: the machine's map */

/*
 * increase_reservation: extent_start receives the new frames' MFNs.
 * decrease_reservation: extent_start lists the MFNs to give back.
 * populate_physmap: extent_start lists PFNs in and receives MFNs out; the
 * M2P entry of each new frame is set to its PFN.
 * The return value is the number of extents done.
 */
struct xen_memory_reservation {
	uint32_t extent_start;	/* guest pointer to a uint32_t array */
	uint32_t nr_extents;
	uint32_t extent_order;	/* Xylem supports order 0 only */
	uint32_t mem_flags;
	uint16_t domid;
};

/* XENMEM_machine_memory_map: nr_entries in (room) and out (written). */
struct xen_memory_map {
	uint32_t nr_entries;
	uint32_t buffer;		/* guest address of e820entry[] */
};

struct e820entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;			/* 1 RAM, 2 reserved, ... */
} __attribute__((packed));

#endif
