/*
 * include/public/grant_table.h - grant_table_op (v1): a domain's grant
 * table frames, shared with the hypervisor.  Only the table itself is
 * offered so far (setup_table, query_size, set_version, get_version).
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
#define GNTST_permission_denied	(-8)

struct grant_entry_v1 {
	uint16_t flags;
	uint16_t domid;
	uint32_t frame;
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

#endif
