/*
 * domain.c - creating, shutting down and crashing domains.  See domain.h.
 * With one domain (Dom0) there is nothing to schedule to when it stops, so
 * the machine stops with Dom0's reason (shutdown.h).
 */
#include "domain.h"
#include "console.h"
#include "lib.h"
#include "mm.h"
#include "shutdown.h"
#include <public/sched.h>

static struct domain dom0_struct;
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
	struct domain *d = &dom0_struct;

	return domid == 0 && d->shared_info ? d : NULL;
}

bool domain_is_privileged(const struct domain *d)
{
	return d->privileged;
}

struct pt_domain domain_pt_view(const struct domain *d)
{
	return (struct pt_domain){ .domid = d->domid, .io_allowed = d->privileged };
}

struct domain *domain_create(domid_t domid, const char *name, bool privileged)
{
	struct domain *d = &dom0_struct;

	if (domid != 0)
		return NULL;	/* DomU creation arrives with domctl */
	memset(d, 0, sizeof(*d));
	d->domid = domid;
	strlcpy(d->name, name, sizeof(d->name));
	d->privileged = privileged;
	d->vcpu0.domain = d;
	d->shared_info = alloc_xenheap_page();
	if (!d->shared_info)
		return NULL;
	/* The guest maps this hypervisor page: it counts as the guest's. */
	*mfn_to_page(_mfn(virt_to_phys(d->shared_info) >> PAGE_SHIFT)) =
		(struct page_info){ .owner = domid, .ref_count = 1 };
	d->shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	return d;
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
	if (d->state == DOMAIN_SHUTDOWN)
		return;
	d->state = DOMAIN_SHUTDOWN;
	d->shutdown_reason = reason;
	printk(reason == SHUTDOWN_crash ? LOG_ERR : LOG_INFO,
	       "domain %u (%s) shut down: %s\n", d->domid, d->name,
	       reason_name(reason));
	if (d->domid == 0)
		machine_exit_for_dom0(reason);
}

void domain_crash(struct domain *d, const char *why)
{
	printk(LOG_ERR, "domain %u (%s) crashed: %s\n", d->domid, d->name, why);
	domain_shutdown(d, SHUTDOWN_crash);
}
