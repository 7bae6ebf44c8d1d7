/*
 * test_gnttab.c - the grant table frames: GNTTABOP_set_version (1 yes,
 * 2 -ENOSYS as from a Xen without version 2, 3 -EINVAL), setup_table hands out MFNs the domain can map writable
 * and use, query_size reports them, all 32 frames (Xen's default
 * maximum) can be had, more than the maximum is a general_error status, the frames cannot be given back with
 * decrease_reservation.  A zeroed map request (no GNTMAP_host_map) is a
 * bad_gntref status and a zeroed copy (by frame, not DOMID_SELF) a
 * permission_denied one, a zeroed unmap_and_replace (handle 0, none
 * mapped) a bad_handle one, each with the call returning 0; the
 * operations not offered (dump_table, get_status_frames, 11) return
 * -ENOSYS.  test_gnttab_map and test_gnttab_domu test the
 * grant operations themselves.  The call sequence at the start is the
 * one XTF's drivers use.
 */
#include "ktest.h"
#include "mm.h"
#include <public/grant_table.h>
#include <public/memory.h>

#define SLOT		3u
#define MAX_FRAMES	32u	/* query_size's max_nr_frames */

static long gnttab_op(uint32_t cmd, void *uop, uint32_t count)
{
	return hypercall(__HYPERVISOR_grant_table_op, cmd, (uint32_t)uop, count,
			 0, 0);
}

static void check_versions(void)
{
	struct gnttab_set_version v1 = { 1 }, v2 = { 2 };
	struct gnttab_get_version g = { DOMID_SELF, 0, 0 };

	KCHECK_EQ(gnttab_op(GNTTABOP_set_version, &v1, 1), 0);
	KCHECK_EQ(gnttab_op(GNTTABOP_set_version, &v2, 1), -XEN_ENOSYS);
	v2.version = 3;
	KCHECK_EQ(gnttab_op(GNTTABOP_set_version, &v2, 1), -XEN_EINVAL);
	KCHECK_EQ(gnttab_op(GNTTABOP_get_version, &g, 1), 0);
	KCHECK_EQ(g.version, 1);
}

static uint32_t frames[MAX_FRAMES + 1];

static uint32_t setup(uint32_t nr, int16_t *status)
{
	struct gnttab_setup_table s = { DOMID_SELF, nr, 99, (uint32_t)frames };

	memset(frames, 0, sizeof(frames));
	KCHECK_EQ(gnttab_op(GNTTABOP_setup_table, &s, 1), 0);
	*status = s.status;
	return frames[0];
}

/* The whole table: MAX_FRAMES distinct frames, the first one kept. */
static void check_full_table(uint32_t first)
{
	struct gnttab_query_size q = { DOMID_SELF, 0, 0, 99 };
	int16_t status = 99;
	uint32_t i, j;

	KCHECK_EQ(setup(MAX_FRAMES, &status), first);
	KCHECK_EQ(status, GNTST_okay);
	for (i = 0; i < MAX_FRAMES; i++)
		for (j = 0; j < i; j++)
			KCHECK(frames[i] != 0 && frames[i] != frames[j]);
	KCHECK_EQ(frames[MAX_FRAMES], 0);	/* nothing past nr_frames */
	KCHECK_EQ(gnttab_op(GNTTABOP_query_size, &q, 1), 0);
	KCHECK_EQ(q.nr_frames, MAX_FRAMES);
	for (i = 0; i < MAX_FRAMES; i++) {	/* each ours, writable */
		KCHECK_EQ(mm_map_mfn(SLOT, frames[i], true), 0);
		*(volatile uint32_t *)mm_window_va(SLOT) = 0;
		KCHECK_EQ(mm_unmap(SLOT), 0);
	}
}

static void check_mapping(uint32_t mfn)
{
	volatile struct grant_entry_v1 *e;

	KCHECK_EQ(mm_map_mfn(SLOT, mfn, true), 0);
	e = (volatile struct grant_entry_v1 *)mm_window_va(SLOT);
	e[1].domid = 7;
	e[1].frame = 0x1234;
	KCHECK_EQ(e[1].frame, 0x1234);
	KCHECK_EQ(mm_unmap(SLOT), 0);
}

static void check_refusals(uint32_t mfn)
{
	struct gnttab_query_size q = { DOMID_SELF, 0, 0, 99 };
	struct xen_memory_reservation r = { (uint32_t)&mfn, 1, 0, 0, DOMID_SELF };
	struct gnttab_map_grant_ref map = { 0 };
	struct gnttab_copy copy = { 0 };
	uint8_t dummy[64] = { 0 };
	int16_t status;

	KCHECK_EQ(gnttab_op(GNTTABOP_query_size, &q, 1), 0);
	KCHECK_EQ(q.status, GNTST_okay);
	KCHECK_EQ(q.nr_frames, 1);
	KCHECK_EQ(q.max_nr_frames, MAX_FRAMES);
	setup(MAX_FRAMES + 1, &status);
	KCHECK_EQ(status, GNTST_general_error);
	KCHECK_EQ(HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 0);
	KCHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, &map, 1), 0);
	KCHECK_EQ(map.status, GNTST_bad_gntref);
	KCHECK_EQ(gnttab_op(GNTTABOP_copy, &copy, 1), 0);
	KCHECK_EQ(copy.status, GNTST_permission_denied);
	KCHECK_EQ(gnttab_op(GNTTABOP_dump_table, dummy, 1), -XEN_ENOSYS);
	KCHECK_EQ(gnttab_op(GNTTABOP_unmap_and_replace, dummy, 1), 0);
	KCHECK_EQ(((struct gnttab_unmap_and_replace *)dummy)->status,
		  GNTST_bad_handle);
	KCHECK_EQ(gnttab_op(GNTTABOP_get_status_frames, dummy, 1), -XEN_ENOSYS);
	KCHECK_EQ(gnttab_op(11, dummy, 1), -XEN_ENOSYS);
}

void kernel_main(struct start_info *si)
{
	int16_t status = 99;
	uint32_t mfn, again;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	check_versions();
	mfn = setup(1, &status);
	KCHECK_EQ(status, GNTST_okay);
	KCHECK(mfn != 0);
	printf("grant table frame: mfn 0x%x\n", mfn);
	check_mapping(mfn);
	again = setup(1, &status);
	KCHECK_EQ(status, GNTST_okay);
	KCHECK_EQ(again, mfn);		/* the same frame every time */
	check_refusals(mfn);
	check_mapping(mfn);		/* still ours after the refusals */
	check_full_table(mfn);
	ktest_finish();
}
