/*
 * grant_table.c - the grant table frames and grant_table_op.  See
 * grant_table.h.
 */
#include "grant_table.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "mm.h"
#include <public/errno.h>
#include <public/grant_table.h>
#include <public/xen.h>

bool gnttab_owns_frame(const struct domain *d, uint32_t mfn)
{
	unsigned int i;

	for (i = 0; i < d->gnttab_nr_frames; i++)
		if (d->gnttab_frames[i] == mfn)
			return true;
	return false;
}

/* Grow d's table to n frames; false when memory runs out. */
static bool grow_table(struct domain *d, uint32_t n)
{
	BUILD_BUG_ON(sizeof(d->gnttab_frames) / 4 != GNTTAB_MAX_FRAMES);
	while (d->gnttab_nr_frames < n) {
		void *page = alloc_xenheap_page();

		if (!page)
			return false;
		share_xenheap_page(page, d->domid);	/* never a page table */
		d->gnttab_frames[d->gnttab_nr_frames++] =
			virt_to_phys(page) >> PAGE_SHIFT;
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
		 copy_to_guest(s.frame_list, d->gnttab_frames, s.nr_frames * 4))
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
		q.nr_frames = d->gnttab_nr_frames;
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

static int one_op(uint32_t cmd, uint32_t uop)
{
	switch (cmd) {
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

static uint32_t op_size(uint32_t cmd)
{
	switch (cmd) {
	case GNTTABOP_setup_table: return sizeof(struct gnttab_setup_table);
	case GNTTABOP_query_size: return sizeof(struct gnttab_query_size);
	case GNTTABOP_set_version: return sizeof(struct gnttab_set_version);
	default: return sizeof(struct gnttab_get_version);
	}
}

long do_grant_table_op(uint32_t cmd, uint32_t uop, uint32_t count,
		       uint32_t a4, uint32_t a5)
{
	uint32_t i;
	int rc = 0;

	(void)a4;
	(void)a5;
	if (count > 512)
		return -XEN_EINVAL;
	for (i = 0; !rc && i < count; i++)
		rc = one_op(cmd, uop + i * op_size(cmd));
	return rc;
}
