/*
 * mmu.c - the page-table hypercalls and the vCPU base pointer.  See mmu.h.
 *
 * Batched calls (mmu_update, mmuext_op) stop at the first request that
 * fails and report, through the guest's done pointer, how many requests
 * took effect before it; the return value is that request's error.  Every
 * request is copied out of guest memory before it is looked at.
 */
#include "mmu.h"
#include "console.h"
#include "gdt.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "pagetable.h"
#include "arch/x86_32/isolate.h"
#include "arch/x86_32/paging.h"
#include "arch/x86_32/x86.h"
#include <public/arch-x86_32.h>
#include <public/errno.h>
#include <public/xen.h>

void mmu_refresh_pdpt(struct vcpu *v)
{
	uint64_t *l3 = map_domain_page(_mfn(v->baseptr_mfn));
	unsigned int i;

	/* PDPTEs have no RW/US/A/D: those bits are reserved there. */
	for (i = 0; i < 4; i++)
		v->pdpt[i] = l3[i] & ~(uint64_t)(PTE_RW | PTE_USER | PTE_ACCESSED |
						 PTE_DIRTY);
	unmap_domain_page(l3);
}

void mmu_load_address_space(struct vcpu *v)
{
	mmu_refresh_pdpt(v);
	write_cr3(virt_to_phys(v->pdpt));
	iso_stale();
}

void mmu_load_idle(void)
{
	write_cr3(virt_to_phys(idle_pdpt));
}

int mmu_set_baseptr(struct vcpu *v, uint32_t mfn)
{
	struct pt_domain pd = domain_pt_view(v->domain);
	uint32_t old = v->baseptr_mfn;
	int rc = pt_get_page_and_type(mfn, PGT_L3, &pd);

	if (rc)
		return rc;
	v->baseptr_mfn = mfn;
	if (v == current_vcpu())
		mmu_load_address_space(v);
	/* Only now is the old table out of the hardware's hands. */
	if (old)
		pt_put_page_and_type(old);
	return 0;
}

void pt_env_l3_changed(uint32_t l3_mfn)
{
	struct vcpu *v = current_vcpu();

	if (v && v->baseptr_mfn == l3_mfn)
		mmu_load_address_space(v);
}

/* The restricted view (isolate.h) copies the running vCPU's top L2. */
void pt_env_l2_hyp_changed(uint32_t l2_mfn)
{
	(void)l2_mfn;
	iso_stale();
}

int mmu_find_l1(const struct vcpu *v, uint32_t va, uint32_t *l1_mfn)
{
	uint64_t l3e = v->pdpt[l3_index(va)], l2e, *l2;

	if (va >= HYPERVISOR_VIRT_START || !(l3e & PTE_PRESENT))
		return -XEN_EINVAL;
	l2 = map_domain_page(_mfn(pte_mfn(l3e)));
	l2e = l2[l2_index(va)];
	unmap_domain_page(l2);
	if (!(l2e & PTE_PRESENT))
		return -XEN_EINVAL;
	*l1_mfn = pte_mfn(l2e);
	return 0;
}

uint32_t mmu_user_fault(const struct vcpu *v, uint32_t va, bool write)
{
	uint32_t ec = PFEC_USER | (write ? PFEC_WRITE : 0), l1_mfn;
	uint64_t l2e, l1e, *t, need = PTE_USER | (write ? PTE_RW : 0);

	if (mmu_find_l1(v, va, &l1_mfn))
		return ec;
	t = map_domain_page(_mfn(pte_mfn(v->pdpt[l3_index(va)])));
	l2e = t[l2_index(va)];
	unmap_domain_page(t);
	t = map_domain_page(_mfn(l1_mfn));
	l1e = t[l1_index(va)];
	unmap_domain_page(t);
	if (!(l1e & PTE_PRESENT))
		return ec;
	return (l2e & l1e & need) == need ? 0 : ec | PFEC_PRESENT;
}

/*
 * The domain a batch acts for besides the caller (foreigndom), or NULL.
 * Only a privileged caller names another domain: its mmu_update entries
 * may then map that domain's frames, MACHPHYS updates and pins apply to
 * that domain's frames (the domain builder).  Batches do not block, so one
 * variable serves.
 */
static struct domain *batch_foreign;

static int check_foreigndom(uint32_t foreigndom)
{
	domid_t id = (domid_t)foreigndom;
	struct domain *cur = current_domain();

	batch_foreign = NULL;
	if (id == DOMID_SELF || id == cur->domid)
		return 0;
	if (!domain_is_privileged(cur))
		return -XEN_EPERM;
	batch_foreign = domain_lookup(id);
	return batch_foreign ? 0 : -XEN_ESRCH;
}

/* Whose frames a batch's M2P updates and pins are about. */
static struct domain *batch_owner(void)
{
	return batch_foreign ? batch_foreign : current_domain();
}

static int machphys_update(uint32_t mfn, uint64_t pfn)
{
	struct page_info *pg = pt_env_page(mfn);

	if (!pg || pg->owner != batch_owner()->domid)
		return -XEN_EPERM;
	set_m2p(_mfn(mfn), (uint32_t)pfn);
	return 0;
}

static int pt_update_request(uint64_t ptr, uint64_t val, bool preserve_ad)
{
	struct pt_domain pd = domain_pt_view(current_domain());
	uint32_t mfn = (uint32_t)(ptr >> PAGE_SHIFT);
	unsigned int index = (uint32_t)(ptr & (PAGE_SIZE - 1)) >> 3;

	if (batch_foreign) {
		pd.has_foreign = true;
		pd.foreign = batch_foreign->domid;
	}

	if (ptr & 7 || ptr >> 44)
		return -XEN_EINVAL;	/* entries are 8-byte aligned */
	if (preserve_ad) {
		struct page_info *pg = pt_env_page(mfn);
		uint64_t *tab;

		if (!pg || pg->owner != pd.domid)
			return -XEN_EPERM;
		tab = map_domain_page(_mfn(mfn));
		val = (val & ~(PTE_ACCESSED | PTE_DIRTY)) |
		      (tab[index] & (PTE_ACCESSED | PTE_DIRTY));
		unmap_domain_page(tab);
	}
	return pt_update_entry(mfn, index, val, &pd);
}

static int mmu_update_one(const void *request)
{
	const struct mmu_update *req = request;
	uint64_t ptr = req->ptr & ~3ull;

	switch (req->ptr & 3) {
	case MMU_NORMAL_PT_UPDATE:
		return pt_update_request(ptr, req->val, false);
	case MMU_PT_UPDATE_PRESERVE_AD:
		return pt_update_request(ptr, req->val, true);
	case MMU_MACHPHYS_UPDATE:
		return machphys_update((uint32_t)(ptr >> PAGE_SHIFT), req->val);
	default:
		return -XEN_ENOSYS;
	}
}

static int report_done(uint32_t pdone, uint32_t done)
{
	if (pdone && copy_to_guest(pdone, &done, sizeof(done)))
		return -XEN_EFAULT;
	return 0;
}

/* A batched hypercall: its number, its request size and what runs one. */
struct batch {
	const char *what;
	uint32_t nr;
	uint32_t size;
	int (*one)(const void *req);
};

/*
 * Run count requests from guest address list through b->one(); stop at
 * the first failure.  Preemptible, as Xen: past the time slice the rest
 * becomes a continuation on (list advanced, remaining count with
 * MMU_UPDATE_PREEMPTED), and the requests done so far are kept in the
 * guest's *pdone, which the resumed call reads back (with no pdone there
 * is nothing to add up).
 */
static long run_batch(const struct batch *b, uint32_t list, uint32_t count,
		      uint32_t pdone, uint32_t foreigndom)
{
	uint64_t req[2];	/* large enough for either request type */
	uint32_t done = 0, i;
	int rc = check_foreigndom(foreigndom), rc2;

	if ((count & MMU_UPDATE_PREEMPTED) && pdone &&
	    copy_from_guest(&done, pdone, sizeof(done)))
		done = 0;	/* reported below, where it faults again */
	count &= ~MMU_UPDATE_PREEMPTED;
	for (i = 0; !rc && i < count; i++) {
		if (i && hypercall_preempt_check()) {
			hypercall_continue(b->nr, list + i * b->size,
					   (count - i) | MMU_UPDATE_PREEMPTED);
			break;
		}
		if (copy_from_guest(req, list + i * b->size, b->size)) {
			rc = -XEN_EFAULT;
			break;
		}
		rc = b->one(req);
		if (rc)
			break;
	}
	if (rc)
		printk(LOG_DEBUG, "d%u %s: request %u of %u failed: %d\n",
		       current_domain()->domid, b->what, i, count, rc);
	batch_foreign = NULL;
	rc2 = report_done(pdone, done + i);
	return rc ? rc : rc2;
}

long do_mmu_update(uint32_t reqs, uint32_t count, uint32_t pdone,
		   uint32_t foreigndom, uint32_t a5)
{
	static const struct batch b = {
		"mmu_update", __HYPERVISOR_mmu_update,
		sizeof(struct mmu_update), mmu_update_one
	};

	(void)a5;
	return run_batch(&b, reqs, count, pdone, foreigndom);
}

static void flush_after_update(uint32_t va, uint32_t flags)
{
	switch (flags & UVMF_FLUSHTYPE_MASK) {
	case UVMF_TLB_FLUSH:
		flush_tlb_local();
		break;
	case UVMF_INVLPG:
		invlpg(va);
		break;
	}
}

long do_update_va_mapping(uint32_t va, uint32_t lo, uint32_t hi,
			  uint32_t flags, uint32_t a5)
{
	struct pt_domain pd = domain_pt_view(current_domain());
	uint32_t l1_mfn;
	int rc;

	(void)a5;
	rc = mmu_find_l1(current_vcpu(), va, &l1_mfn);
	if (rc)
		return rc;
	if (!pt_env_page(l1_mfn) || pt_env_page(l1_mfn)->type != PGT_L1)
		return -XEN_EINVAL;
	rc = pt_update_entry(l1_mfn, l1_index(va), ((uint64_t)hi << 32) | lo, &pd);
	if (rc)
		return rc;
	/* On one CPU "all" and "multi" are the local flush. */
	flush_after_update(va, flags);
	return 0;
}

static int flush_cache(void)
{
	if (!domain_is_privileged(current_domain()))
		return -XEN_EPERM;
	asm volatile("wbinvd" : : : "memory");
	return 0;
}

/*
 * MMUEXT_CLEAR_PAGE and MMUEXT_COPY_PAGE.  As in Xen, the destination must
 * be a frame of the batch's owner that could be mapped writable (so not a
 * page table or descriptor page in use) and the source any frame of the
 * owner, page tables included: only read.  Xen answers every refusal with
 * -EINVAL, whatever the reason.
 */
static int clear_page_op(uint32_t mfn, const struct pt_domain *pd)
{
	void *page;

	if (pt_get_page_and_type(mfn, PGT_WRITABLE, pd))
		return -XEN_EINVAL;
	page = map_domain_page(_mfn(mfn));
	memset(page, 0, PAGE_SIZE);
	unmap_domain_page(page);
	pt_put_page_and_type(mfn);
	return 0;
}

static int copy_page_op(uint32_t dst_mfn, uint32_t src_mfn,
			const struct pt_domain *pd)
{
	const void *src;
	void *dst;

	if (!pt_get_page(src_mfn, pd))
		return -XEN_EINVAL;
	if (pt_get_page_and_type(dst_mfn, PGT_WRITABLE, pd))
		goto err_put_src;
	if (dst_mfn != src_mfn) {	/* a frame onto itself changes nothing */
		src = map_domain_page(_mfn(src_mfn));
		dst = map_domain_page(_mfn(dst_mfn));
		memcpy(dst, src, PAGE_SIZE);
		unmap_domain_page(dst);
		unmap_domain_page(src);
	}
	pt_put_page_and_type(dst_mfn);
	pt_put_page(src_mfn);
	return 0;

err_put_src:
	pt_put_page(src_mfn);
	return -XEN_EINVAL;
}

static int mmuext_one(const void *request)
{
	const struct mmuext_op *op = request;
	struct pt_domain pd = domain_pt_view(batch_owner());

	switch (op->cmd) {
	case MMUEXT_PIN_L1_TABLE:
	case MMUEXT_PIN_L2_TABLE:
	case MMUEXT_PIN_L3_TABLE:
		return pt_pin(op->arg1, op->cmd - MMUEXT_PIN_L1_TABLE + 1, &pd);
	case MMUEXT_PIN_L4_TABLE:
	case MMUEXT_NEW_USER_BASEPTR:
		return -XEN_EINVAL;	/* 64-bit guests only */
	case MMUEXT_UNPIN_TABLE:
		return pt_unpin(op->arg1, &pd);
	case MMUEXT_NEW_BASEPTR:
		if (batch_foreign)
			return -XEN_EINVAL;	/* the domctl sets another's */
		return mmu_set_baseptr(current_vcpu(), op->arg1);
	case MMUEXT_TLB_FLUSH_LOCAL:
	case MMUEXT_TLB_FLUSH_MULTI:
	case MMUEXT_TLB_FLUSH_ALL:
		flush_tlb_local();
		return 0;
	case MMUEXT_INVLPG_LOCAL:
	case MMUEXT_INVLPG_MULTI:
	case MMUEXT_INVLPG_ALL:
		if (op->arg1 < HYPERVISOR_VIRT_START)
			invlpg(op->arg1);
		return 0;
	case MMUEXT_FLUSH_CACHE:
		return flush_cache();
	case MMUEXT_SET_LDT:
		if (batch_foreign)
			return -XEN_EPERM;	/* as Xen: for the caller only */
		return ldt_set(current_vcpu(), op->arg1, op->arg2);
	case MMUEXT_CLEAR_PAGE:
		return clear_page_op(op->arg1, &pd);
	case MMUEXT_COPY_PAGE:
		return copy_page_op(op->arg1, op->arg2, &pd);
	default:
		return -XEN_ENOSYS;
	}
}

long do_mmuext_op(uint32_t ops, uint32_t count, uint32_t pdone,
		  uint32_t foreigndom, uint32_t a5)
{
	static const struct batch b = {
		"mmuext_op", __HYPERVISOR_mmuext_op,
		sizeof(struct mmuext_op), mmuext_one
	};

	(void)a5;
	return run_batch(&b, ops, count, pdone, foreigndom);
}

/*
 * Writable page tables are always on (writes to a page table are
 * emulated, ptwr.c) and an L3 may live anywhere, so those two assists are
 * accepted and cannot be turned off; architectural_iopl (privop.h) and
 * 4gb_segments (seg_assist.h) may be turned on and off; 4gb_segments_notify
 * is not offered.
 */
long do_vm_assist(uint32_t cmd, uint32_t type, uint32_t a3, uint32_t a4,
		  uint32_t a5)
{
	struct domain *d = current_domain();

	(void)a3;
	(void)a4;
	(void)a5;
	if (type != VMASST_TYPE_writable_pagetables &&
	    type != VMASST_TYPE_pae_extended_cr3 &&
	    type != VMASST_TYPE_architectural_iopl &&
	    type != VMASST_TYPE_4gb_segments)
		return -XEN_EINVAL;
	switch (cmd) {
	case VMASST_CMD_enable:
		d->vm_assist |= 1u << type;
		return 0;
	case VMASST_CMD_disable:
		if (type != VMASST_TYPE_architectural_iopl &&
		    type != VMASST_TYPE_4gb_segments)
			return -XEN_EINVAL;	/* always in effect */
		d->vm_assist &= ~(1u << type);
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
