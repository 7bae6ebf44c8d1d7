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
#define XENMEM_exchange			11
#define XENMEM_machphys_mapping		12

/*
 * The command word's bits above MEMOP_EXTENT_SHIFT carry the extent to
 * start from: the hypervisor's own continuation of a long reservation
 * call, which a guest may also use.  Other commands want them zero.
 */
#define MEMOP_EXTENT_SHIFT		6
#define MEMOP_CMD_MASK			((1u << MEMOP_EXTENT_SHIFT) - 1)

/*
 * increase_reservation: extent_start receives the new frames' MFNs.
 * decrease_reservation: extent_start lists the MFNs to give back.
 * populate_physmap: extent_start lists PFNs in and receives MFNs out; the
 * M2P entry of each new frame is set to its PFN.
 * An extent is 2^extent_order frames, contiguous and aligned to its size.
 * mem_flags bits 0-7 are the address bits the frames must fit in (0: any).
 * The return value is the number of extents done.
 */
struct xen_memory_reservation {
	uint32_t extent_start;	/* guest pointer to a uint32_t array */
	uint32_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	uint16_t domid;
};

#define XENMEMF_get_address_bits(f)	((f) & 0xffu)
#define XENMEMF_populate_on_demand	(1u << 16)

/*
 * XENMEM_exchange: give back in.nr_extents extents of 2^in.extent_order
 * frames (MFN bases in in.extent_start) for out.nr_extents new extents of
 * 2^out.extent_order (PFN bases in out.extent_start, overwritten with the
 * new MFN bases), below out's address bits.  Both sides must cover the
 * same number of frames and name the same domain.  nr_exchanged counts the
 * input extents done (the caller sets it to 0); on failure the first
 * nr_exchanged were exchanged and the rest untouched.
 */
struct xen_memory_exchange {
	struct xen_memory_reservation in;
	struct xen_memory_reservation out;
	uint32_t nr_exchanged;
};

/* XENMEM_machphys_mapping: where the read-only M2P is, and its last entry. */
struct xen_machphys_mapping {
	uint32_t v_start, v_end;
	uint32_t max_mfn;
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
