/*
 * include/public/grant_table.h - grant_table_op (v1): a domain's grant
 * table frames, shared with the hypervisor, and the operations on grants:
 * map and unmap another domain's granted frame, copy between granted
 * frames, and transfer a frame to a domain that accepts one.
 */
#ifndef XYLEM_PUBLIC_GRANT_TABLE_H
#define XYLEM_PUBLIC_GRANT_TABLE_H

#include <stdint.h>

#define GNTTABOP_map_grant_ref		0
#define GNTTABOP_unmap_grant_ref	1
#define GNTTABOP_setup_table		2
#define GNTTABOP_dump_table		3
#define GNTTABOP_transfer		4
#define GNTTABOP_copy			5
#define GNTTABOP_query_size		6
#define GNTTABOP_unmap_and_replace	7
#define GNTTABOP_set_version		8
#define GNTTABOP_get_status_frames	9
#define GNTTABOP_get_version		10

#define GNTST_okay		0
#define GNTST_general_error	(-1)
#define GNTST_bad_domain	(-2)
#define GNTST_bad_gntref	(-3)
#define GNTST_bad_handle	(-4)
#define GNTST_bad_virt_addr	(-5)
#define GNTST_bad_dev_addr	(-6)
#define GNTST_no_device_space	(-7)
#define GNTST_permission_denied	(-8)
#define GNTST_bad_page		(-9)
#define GNTST_bad_copy_arg	(-10)
#define GNTST_address_too_big	(-11)
#define GNTST_eagain		(-12)

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

/* One entry of a v1 table: 8 bytes, 512 to a frame. */
struct grant_entry_v1 {
	uint16_t flags;		/* GTF_* */
	uint16_t domid;		/* the domain it is granted to */
	uint32_t frame;		/* the machine frame (a PV guest's) */
};

/* flags: the type, in bits 0-1 */
#define GTF_invalid		0x0000
#define GTF_permit_access	0x0001	/* domid may map or copy frame */
#define GTF_accept_transfer	0x0002	/* domid may transfer a frame here */
#define GTF_type_mask		0x0003
/* permit_access: set by the granter */
#define GTF_readonly		0x0004
/* permit_access: set by the hypervisor while the frame is in use */
#define GTF_reading		0x0008
#define GTF_writing		0x0010
/* accept_transfer: set by the hypervisor */
#define GTF_transfer_committed	0x0004
#define GTF_transfer_completed	0x0008

/* gnttab_map_grant_ref.flags */
#define GNTMAP_device_map	0x01
#define GNTMAP_host_map		0x02
#define GNTMAP_readonly		0x04
#define GNTMAP_application_map	0x08	/* a user (ring 3) mapping */
#define GNTMAP_contains_pte	0x10	/* host_addr is a PTE's machine address */

struct gnttab_map_grant_ref {
	uint64_t host_addr;	/* a virtual address, or a PTE's machine address */
	uint32_t flags;		/* GNTMAP_* */
	grant_ref_t ref;
	uint16_t dom;		/* the granting domain */
	int16_t status;		/* out: GNTST_* */
	grant_handle_t handle;	/* out: names the mapping to unmap */
	uint64_t dev_bus_addr;	/* out: the frame's machine address */
};

struct gnttab_unmap_grant_ref {
	uint64_t host_addr;	/* as it was given to map */
	uint64_t dev_bus_addr;	/* 0, or the frame's machine address */
	grant_handle_t handle;
	int16_t status;		/* out: GNTST_* */
};

/*
 * Unmap the grant mapped at host_addr (by virtual address only) and put
 * there what new_addr maps, which becomes unmapped; new_addr 0 is a plain
 * unmap.
 */
struct gnttab_unmap_and_replace {
	uint64_t host_addr;
	uint64_t new_addr;
	grant_handle_t handle;
	int16_t status;		/* out: GNTST_* */
};

struct gnttab_transfer {
	uint32_t mfn;		/* the caller's frame, given away */
	uint16_t domid;		/* to this domain */
	grant_ref_t ref;	/* its accept_transfer entry */
	int16_t status;		/* out: GNTST_* */
};

/* gnttab_copy.flags: which sides name a grant (else a frame of the caller's) */
#define GNTCOPY_source_gref	0x01
#define GNTCOPY_dest_gref	0x02

struct gnttab_copy_ptr {
	uint32_t ref_or_mfn;	/* grant_ref_t with GNTCOPY_*_gref, else an mfn */
	uint16_t domid;
	uint16_t offset;
};

struct gnttab_copy {
	struct gnttab_copy_ptr source, dest;
	uint16_t len;
	uint16_t flags;		/* GNTCOPY_* */
	int16_t status;		/* out: GNTST_* */
};

struct gnttab_setup_table {
	uint16_t dom;
	uint32_t nr_frames;
	int16_t status;		/* out: GNTST_* */
	uint32_t frame_list;	/* guest pointer: receives nr_frames MFNs */
};

struct gnttab_query_size {
	uint16_t dom;
	uint32_t nr_frames;	/* out */
	uint32_t max_nr_frames;	/* out */
	int16_t status;		/* out */
};

struct gnttab_set_version {
	uint32_t version;	/* in/out */
};

struct gnttab_get_version {
	uint16_t dom;
	uint16_t pad;
	uint32_t version;	/* out */
};

_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "pv32 layout");
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "pv32 layout");
_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24, "pv32 layout");
_Static_assert(sizeof(struct gnttab_transfer) == 16, "pv32 layout");
_Static_assert(sizeof(struct gnttab_copy) == 24, "pv32 layout");

#endif
