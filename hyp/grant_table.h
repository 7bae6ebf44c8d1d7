/*
 * grant_table.h - a domain's grant table (v1).
 *
 * setup_table gives the calling domain up to GNTTAB_MAX_FRAMES frames of
 * grant entries, allocated on first use from hypervisor memory and owned
 * by the domain (it maps them writable by their MFNs, as it does
 * shared_info); they stay its until it is destroyed and cannot be given
 * back with decrease_reservation.  query_size, set_version (1 only; 2 is
 * -EOPNOTSUPP) and get_version work; map/unmap/copy/transfer of grants are
 * not offered yet: -ENOSYS.  A batch of count operations runs each in turn.
 */
#ifndef XYLEM_GRANT_TABLE_H
#define XYLEM_GRANT_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#define GNTTAB_MAX_FRAMES	4

struct domain;

/* True if mfn is one of d's grant-table frames. */
bool gnttab_owns_frame(const struct domain *d, uint32_t mfn);

long do_grant_table_op(uint32_t cmd, uint32_t uop, uint32_t count,
		       uint32_t a4, uint32_t a5);

#endif
