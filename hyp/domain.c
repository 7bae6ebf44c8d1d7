/*
 * domain.c - creating, pausing, shutting down, crashing and destroying
 * domains.  See domain.h.  When Dom0 stops, the machine stops with Dom0's
 * reason (shutdown.h); when another domain stops, Dom0 hears of it through
 * VIRQ_DOM_EXC and destroys it.
 */
#include "domain.h"
#include "debugreg.h"
#include "console.h"
#include "event.h"
#include "fpu.h"
#include "gdt.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "physdev.h"
#include "sched.h"
#include "shutdown.h"
#include "time.h"
#include "vcpu_info.h"
#include "arch/x86_32/desc.h"
#include <public/errno.h>
#include <public/sched.h>

#define DOMAIN_PAGES	((sizeof(struct domain) + PAGE_SIZE - 1) / PAGE_SIZE)

static struct domain *domain_table[DOMID_MAX + 1];
static struct domain *domain_list;
static unsigned int nr_domains;
static uint32_t domain_serial;	/* the last one given out */
static struct vcpu *current;

struct vcpu *current_vcpu(void)
{
	return current;
}

struct domain *current_domain(void)
{
	return current->domain;
}

void set_current(struct vcpu *v)
{
	current = v;
}

struct domain *domain_lookup(domid_t domid)
{
	struct domain *d = domain_lookup_dying(domid);

	return d && d->state != DOMAIN_DYING ? d : NULL;
}

struct domain *domain_lookup_dying(domid_t domid)
{
	return domid <= DOMID_MAX ? domain_table[domid] : NULL;
}

struct domain *domain_first(void)
{
	return domain_list;
}

struct domain *domain_next(const struct domain *d)
{
	return d->next;
}

unsigned int domain_count(void)
{
	return nr_domains;
}

bool domain_is_privileged(const struct domain *d)
{
	return d->privileged;
}

struct pt_domain domain_pt_view(const struct domain *d)
{
	return (struct pt_domain){ .domid = d->domid, .io_allowed = d->privileged };
}

static int pick_domid(domid_t *domid)
{
	domid_t id;

	if (*domid > DOMID_MAX)
		return -XEN_EINVAL;
	if (*domid != 0 || !domain_table[0])
		return domain_table[*domid] ? -XEN_EEXIST : 0;
	for (id = 1; id <= DOMID_MAX; id++) {
		if (!domain_table[id]) {
			*domid = id;
			return 0;
		}
	}
	return -XEN_ENOSPC;
}

static void list_insert(struct domain *d)
{
	struct domain **pp = &domain_list;

	while (*pp && (*pp)->domid < d->domid)
		pp = &(*pp)->next;
	d->next = *pp;
	*pp = d;
	domain_table[d->domid] = d;
	nr_domains++;
}

static void list_remove(struct domain *d)
{
	struct domain **pp = &domain_list;

	while (*pp != d)
		pp = &(*pp)->next;
	*pp = d->next;
	domain_table[d->domid] = NULL;
	nr_domains--;
}

/* The shared_info page is the domain's (it maps it), served from the
 * xenheap so the hypervisor reaches it directly, and never a page table
 * (share_xenheap_page): the hypervisor writes event bits and time into
 * it.  Every vCPU's upcalls start masked. */
static int alloc_shared_info(struct domain *d)
{
	uint32_t i;

	d->shared_info = alloc_xenheap_page();
	if (!d->shared_info)
		return -XEN_ENOMEM;
	share_xenheap_page(d->shared_info, d->domid);
	for (i = 0; i < MAX_VCPUS; i++)
		d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;
	return 0;
}

#define VCPU_PAGES	((sizeof(struct vcpu) + PAGE_SIZE - 1) / PAGE_SIZE)

/* A blank, down vCPU on its own hypervisor stack. */
static void vcpu_setup(struct domain *d, struct vcpu *v, uint32_t id,
		       void *stack)
{
	v->domain = d;
	v->vcpu_id = id;
	v->down = true;
	v->iopl = 0;		/* as Xen: a kernel raises it (set_iopl) */
	v->stack_top = (uint32_t)stack + VCPU_STACK_PAGES * PAGE_SIZE;
	debugreg_init(v);
	fpu_init_vcpu(v);
	vcpu_info_init(v);
	sched_add_vcpu(v);
	time_start_vcpu(v);
	if (id)
		v->runstate.state = RUNSTATE_offline;	/* until first brought up */
	d->vcpu[id] = v;
}

static void free_vcpu_stack(struct vcpu *v)
{
	free_xenheap_pages((void *)(v->stack_top - VCPU_STACK_PAGES * PAGE_SIZE),
			   VCPU_STACK_PAGES);
}

int domain_set_max_vcpus(struct domain *d, uint32_t n)
{
	struct vcpu *v[MAX_VCPUS];
	void *stack[MAX_VCPUS];
	uint32_t i;

	if (n < d->max_vcpus || n > MAX_VCPUS)
		return -XEN_EINVAL;
	for (i = d->max_vcpus; i < n; i++) {
		v[i] = alloc_xenheap_pages(VCPU_PAGES);
		stack[i] = alloc_xenheap_pages(VCPU_STACK_PAGES);
		if (!v[i] || !stack[i])
			goto err_free;
	}
	for (i = d->max_vcpus; i < n; i++)
		vcpu_setup(d, v[i], i, stack[i]);
	d->max_vcpus = n;
	return 0;

err_free:
	for (n = i + 1; n-- > d->max_vcpus;) {
		if (v[n])
			free_xenheap_pages(v[n], VCPU_PAGES);
		if (stack[n])
			free_xenheap_pages(stack[n], VCPU_STACK_PAGES);
	}
	return -XEN_ENOMEM;
}

struct vcpu *domain_vcpu(const struct domain *d, uint32_t id)
{
	return id < d->max_vcpus ? d->vcpu[id] : NULL;
}

int domain_create(domid_t domid, const char *name, bool privileged,
		  struct domain **out)
{
	struct domain *d;
	void *stack;
	int rc = pick_domid(&domid);

	if (rc)
		return rc;
	d = alloc_xenheap_pages(DOMAIN_PAGES);
	if (!d)
		return -XEN_ENOMEM;
	stack = alloc_xenheap_pages(VCPU_STACK_PAGES);
	if (!stack)
		goto err_free_domain;
	d->domid = domid;
	d->serial = ++domain_serial;
	strlcpy(d->name, name, sizeof(d->name));
	d->privileged = privileged;
	d->pause_count = 1;
	if (alloc_shared_info(d))
		goto err_free_stack;
	vcpu_setup(d, &d->vcpu0, 0, stack);
	d->max_vcpus = 1;
	list_insert(d);
	*out = d;
	return 0;

err_free_stack:
	free_xenheap_pages(stack, VCPU_STACK_PAGES);
err_free_domain:
	free_xenheap_pages(d, DOMAIN_PAGES);
	return -XEN_ENOMEM;
}

/* Every vCPU's runnability may have changed. */
static void domain_vcpus_changed(struct domain *d)
{
	uint32_t i;

	for (i = 0; i < d->max_vcpus; i++)
		sched_vcpu_changed(d->vcpu[i]);
}

void domain_pause(struct domain *d)
{
	d->pause_count++;
	domain_vcpus_changed(d);
}

void domain_unpause(struct domain *d)
{
	if (d->pause_count && --d->pause_count == 0)
		domain_vcpus_changed(d);
}

/* Drop the references the vCPU's state holds: base pointer, GDT, LDT,
 * a moved vcpu_info. */
static void release_vcpu_frames(struct vcpu *v)
{
	if (v->baseptr_mfn)
		pt_put_page_and_type(v->baseptr_mfn);
	v->baseptr_mfn = 0;
	gdt_release_vcpu(v);
	ldt_release_vcpu(v);
	vcpu_info_release(v);
}

/*
 * Teardown, in steps as Xen's domain_kill.  The first step stops d for
 * good (DOMAIN_DYING: off the scheduler, and domain_lookup() no longer
 * finds it), closes its event channels and releases its IRQs, ports and
 * vCPU state.  Then every frame d owns is released in frame order, in two
 * passes: unpin them all (which releases every table reachable from a
 * pin), then drop each frame's "allocated" reference.  Frames another
 * domain still maps stay until it unmaps them, owned by nobody who can
 * map them again.  A preemptible step stops once the hypercall has had
 * its slice, its place kept in d->teardown_mfn.
 */
enum { TEARDOWN_UNPIN = 1, TEARDOWN_FREE };

#define TEARDOWN_CHECK_EVERY	64u	/* frames between preemption checks */

static void teardown_start(struct domain *d)
{
	uint32_t i;

	printk(LOG_INFO, "domain %u (%s) destroyed\n", d->domid, d->name);
	d->state = DOMAIN_DYING;
	for (i = 0; i < d->max_vcpus; i++)
		sched_remove_vcpu(d->vcpu[i]);
	evtchn_close_all(d);
	physdev_release(d);
	for (i = 0; i < d->max_vcpus; i++) {
		fpu_forget_vcpu(d->vcpu[i]);
		release_vcpu_frames(d->vcpu[i]);
	}
	d->teardown_pass = TEARDOWN_UNPIN;
	d->teardown_mfn = 0;
}

static uint32_t shared_info_mfn(const struct domain *d)
{
	return virt_to_phys(d->shared_info) >> PAGE_SHIFT;
}

/* Give up d's allocation reference on one of its frames. */
static void free_frame(uint32_t mfn)
{
	frame_table[mfn].owner = DOMID_XEN;
	set_m2p(_mfn(mfn), M2P_INVALID);
	pt_put_page(mfn);
}

/*
 * The passes' work on one frame.  The shared_info page is left to the
 * last step: while the domain is listed, the wall clock is still
 * published into it.
 */
/* In the free pass the frame leaves the domain: getdomaininfo's
 * tot_pages counts down while it dies, as on Xen (the grant-table frames,
 * hypervisor pages, were never counted). */
static void release_frame(struct domain *d, uint32_t mfn)
{
	if (frame_table[mfn].owner != d->domid || mfn == shared_info_mfn(d))
		return;
	if (d->teardown_pass == TEARDOWN_UNPIN) {
		pt_relinquish(mfn);
		return;
	}
	if (!gnttab_owns_frame(d, mfn))
		d->nr_pages--;
	free_frame(mfn);
}

/*
 * Run the passes on from d's cursor: true once both are done.  Every call
 * moves the cursor past at least one frame (so the passes end); a
 * preemptible one then stops once the
 * slice is over, asked after each frame of d's (one unpin may release a
 * whole tree) and every TEARDOWN_CHECK_EVERY frames scanned.
 */
static bool release_frames(struct domain *d, bool preemptible)
{
	uint32_t n = 0;
	bool ours;

	while (d->teardown_pass <= TEARDOWN_FREE) {
		for (; d->teardown_mfn < max_mfn; d->teardown_mfn++) {
			ours = frame_table[d->teardown_mfn].owner == d->domid;
			if (preemptible && n &&
			    (ours || !(n % TEARDOWN_CHECK_EVERY)) &&
			    hypercall_preempt_check())
				return false;
			release_frame(d, d->teardown_mfn);
			n++;
		}
		d->teardown_pass++;
		d->teardown_mfn = 0;
	}
	return true;
}

bool domain_destroy_step(struct domain *d, bool preemptible)
{
	uint32_t i;
	bool done;

	if (d->state != DOMAIN_DYING)
		teardown_start(d);
	done = release_frames(d, preemptible);
	mm_flush_if_pending();
	if (!done)
		return false;
	if (d->nr_pages)	/* every counted frame has gone: else a bug */
		printk(LOG_ERR, "domain %u: %u pages still counted at its end\n",
		       d->domid, d->nr_pages);
	free_frame(shared_info_mfn(d));
	list_remove(d);
	gnttab_release(d);
	for (i = d->max_vcpus; i-- > 0;) {
		free_vcpu_stack(d->vcpu[i]);
		if (i)
			free_xenheap_pages(d->vcpu[i], VCPU_PAGES);
	}
	free_xenheap_pages(d, DOMAIN_PAGES);
	return true;
}

void domain_destroy(struct domain *d)
{
	while (!domain_destroy_step(d, false))
		;
}

static const char *reason_name(uint32_t reason)
{
	switch (reason) {
	case SHUTDOWN_poweroff: return "poweroff";
	case SHUTDOWN_reboot: return "reboot";
	case SHUTDOWN_suspend: return "suspend";
	case SHUTDOWN_crash: return "crash";
	case SHUTDOWN_watchdog: return "watchdog";
	case SHUTDOWN_soft_reset: return "soft_reset";
	default: return "unknown";
	}
}

void domain_shutdown(struct domain *d, uint32_t reason)
{
	struct domain *dom0 = domain_lookup(0);

	if (d->state != DOMAIN_RUNNING)
		return;
	d->state = DOMAIN_SHUTDOWN;
	d->shutdown_reason = reason;
	printk(reason == SHUTDOWN_crash ? LOG_ERR : LOG_INFO,
	       "domain %u (%s) shut down: %s (%u)\n", d->domid, d->name,
	       reason_name(reason), reason);
	if (d->domid == 0)
		machine_exit_for_dom0(reason);
	domain_vcpus_changed(d);
	if (dom0)
		evtchn_send_virq(&dom0->vcpu0, VIRQ_DOM_EXC);
}

void domain_crash(struct domain *d, const char *why)
{
	printk(LOG_ERR, "domain %u (%s) crashed: %s\n", d->domid, d->name, why);
	domain_shutdown(d, SHUTDOWN_crash);
}
