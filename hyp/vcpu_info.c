/*
 * vcpu_info.c - VCPUOP_register_vcpu_info: moving a vCPU's vcpu_info out
 * of shared_info into a page of the guest's choosing.  See vcpu_info.h.
 *
 * The argument is copied in once and checked before anything changes.
 * The move copies the current contents (mask, pending bits, cr2, time)
 * and then marks every selector word pending, as Xen does, so that an
 * event raised around the move is found by the guest's next scan.
 *
 * A moved vcpu_info keeps one mapcache slot for the vCPU's lifetime; at
 * most MAX_MOVED are held at once (-XEN_ENOMEM past that), so however
 * many domains exist, transient mappings always find a free slot.
 */
#include "vcpu_info.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "mm.h"
#include "pagetable.h"
#include "arch/x86_32/paging.h"
#include <public/errno.h>
#include <public/vcpu.h>
#include <public/xen.h>

#define MAX_MOVED	(MAPCACHE_SLOTS / 2)

static unsigned int nr_moved;

_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info is 64 bytes");
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16,
	       "vcpu_register_vcpu_info is 16 bytes");

void vcpu_info_init(struct vcpu *v)
{
	v->vcpu_info = &v->domain->shared_info->vcpu_info[v->vcpu_id];
	v->vcpu_info_mfn = 0;
}

static bool offset_ok(uint32_t offset)
{
	return offset <= PAGE_SIZE - sizeof(struct vcpu_info) &&
	       !(offset & 3);
}

long vcpu_info_register(struct vcpu *v, uint32_t arg)
{
	struct vcpu_register_vcpu_info r;
	struct pt_domain pd = domain_pt_view(v->domain);
	struct vcpu_info *vi;
	uint8_t *page;
	uint32_t mfn;

	if (copy_from_guest(&r, arg, sizeof(r)))
		return -XEN_EFAULT;
	if (v->vcpu_info_mfn || r.mfn >> 32 || !r.mfn ||
	    !offset_ok(r.offset))
		return -XEN_EINVAL;
	if (nr_moved >= MAX_MOVED)
		return -XEN_ENOMEM;
	mfn = (uint32_t)r.mfn;
	if (pt_get_page_and_type(mfn, PGT_WRITABLE, &pd))
		return -XEN_EINVAL;
	nr_moved++;
	page = map_domain_page(_mfn(mfn));
	vi = (struct vcpu_info *)(page + r.offset);
	memcpy(vi, v->vcpu_info, sizeof(*vi));
	v->vcpu_info = vi;
	v->vcpu_info_mfn = mfn;
	vi->evtchn_pending_sel = ~0u;
	vi->evtchn_upcall_pending = 1;
	return 0;
}

void vcpu_info_release(struct vcpu *v)
{
	if (!v->vcpu_info_mfn)
		return;
	unmap_domain_page((void *)((uint32_t)v->vcpu_info & PAGE_MASK));
	pt_put_page_and_type(v->vcpu_info_mfn);
	nr_moved--;
	vcpu_info_init(v);
}
