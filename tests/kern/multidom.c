/*
 * multidom.c - helpers of the multi-domain test Dom0s.  See multidom.h.
 */
#include "multidom.h"
#include "consoled.h"
#include "event.h"
#include "guest.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "modpack.h"
#include "time.h"
#include <public/errno.h>

evtchn_port_t md_dom_exc_port;
static struct modpack mods;

int md_setup(void)
{
	const char *why = "";
	int rc = mm_init();

	if (!rc)
		rc = evtchn_init();
	if (!rc)
		rc = modpack_open((const void *)start_info->mod_start,
				  start_info->mod_len, &mods, &why);
	if (!rc)
		rc = evtchn_bind_virq(VIRQ_DOM_EXC, &md_dom_exc_port);
	if (rc)
		printf("multidom: setup failed (%d) %s\n", rc, why);
	return rc;
}

uint32_t md_nr_modules(void)
{
	return mods.nr;
}

struct dom_params md_params(const char *name, uint32_t module, uint32_t mem_kib,
			    uint32_t weight)
{
	struct dom_params p;

	memset(&p, 0, sizeof(p));
	strlcpy(p.name, name, sizeof(p.name));
	p.module = module;
	p.mem_kib = mem_kib;
	p.weight = weight;
	return p;
}

int md_build(struct md_domain *d, const struct dom_params *p,
	     const char *cmdline, bool console)
{
	const uint8_t *image;
	const char *modcmd;
	uint32_t len;
	int rc;

	memset(d, 0, sizeof(*d));
	d->reason = -1;
	rc = modpack_get(&mods, p->module, &image, &len, &modcmd);
	if (!rc)
		rc = dom_build(p, image, len, cmdline, &d->h);
	if (rc)
		return rc;
	d->built = true;
	if (console) {
		rc = consoled_add(d->h.domid, p->name, d->h.console_mfn,
				  d->h.console_port);
		if (rc) {
			md_destroy(d);
			return rc;
		}
		d->console = true;
	}
	return 0;
}

int md_unpause(struct md_domain *d)
{
	return dom_unpause(&d->h);
}

int md_destroy(struct md_domain *d)
{
	int rc = 0;

	if (!d->built)
		return 0;
	if (d->console) {
		consoled_drain(d->h.domid);
		rc = consoled_remove(d->h.domid);
		d->console = false;
	}
	if (!rc)
		rc = dom_destroy(&d->h);
	if (!rc)
		d->built = false;
	return rc;
}

/* The lowest closed port of domain d (what alloc_unbound will give). */
static evtchn_port_t lowest_free_port(domid_t d)
{
	struct evtchn_status st;
	evtchn_port_t p;

	for (p = 1; p < NR_EVENT_CHANNELS; p++) {
		memset(&st, 0, sizeof(st));
		st.dom = d;
		st.port = p;
		if (!HYPERVISOR_event_channel_op(EVTCHNOP_status, &st) &&
		    st.status == EVTCHNSTAT_closed)
			return p;
	}
	return 0;
}

int md_build_pingpong(struct md_domain pair[2], uint32_t module, uint32_t n,
		      bool console)
{
	struct evtchn_alloc_unbound a;
	struct dom_params p;
	evtchn_port_t port;
	char cmd[64];
	int rc;

	p = md_params("ping", module, 4096, DOMSPEC_DEFAULT_WEIGHT);
	snprintf(cmd, sizeof(cmd), "role=a n=%u", n);
	rc = md_build(&pair[0], &p, cmd, console);
	if (rc)
		return rc;
	port = lowest_free_port(pair[0].h.domid);
	snprintf(cmd, sizeof(cmd), "role=b peer=%u port=%u n=%u",
		 pair[0].h.domid, port, n);
	p = md_params("pong", module, 4096, DOMSPEC_DEFAULT_WEIGHT);
	rc = md_build(&pair[1], &p, cmd, console);
	if (rc)
		return rc;
	memset(&a, 0, sizeof(a));
	a.dom = pair[0].h.domid;
	a.remote_dom = pair[1].h.domid;
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a);
	printf("channel: port %u of domain %u, remote domain %u (predicted %u)\n",
	       a.port, a.dom, a.remote_dom, port);
	if (!rc && a.port != port)
		rc = -XEN_EINVAL;
	return rc;
}

/* Entry index of the table frame mfn of domain dom, read-only. */
static int read_entry(domid_t dom, uint32_t mfn, uint32_t index, uint64_t *e)
{
	void *va;
	int rc = dom_map_foreign(MD_SLOT, dom, mfn, false, &va);

	if (rc)
		return rc;
	*e = ((volatile uint64_t *)va)[index];
	return dom_unmap(MD_SLOT);
}

/* The frame mapping va in d's page tables (PAE: 2 + 9 + 9 + 12 bits). */
static int walk(const struct md_domain *d, uint32_t va, uint32_t *mfn)
{
	static const unsigned int shift[3] = { 30, 21, 12 };
	uint32_t table = d->h.l3_mfn;
	uint64_t e = 0;
	unsigned int level;
	int rc;

	for (level = 0; level < 3; level++) {
		rc = read_entry(d->h.domid, table, (va >> shift[level]) & 511, &e);
		if (rc)
			return rc;
		if (!(e & _PAGE_PRESENT) || (level < 2 && (e & _PAGE_PSE)))
			return -XEN_EINVAL;
		table = mm_entry_mfn(e);
	}
	*mfn = table;
	return 0;
}

static int check_report(const struct report *r, enum report_kind kind)
{
	if (r->magic != REPORT_MAGIC)
		return -XEN_EBUSY;	/* not written yet */
	if (r->kind != (uint32_t)kind || (r->seq & 1) ||
	    r->nr_gaps > REPORT_MAX_GAPS) {
		printf("multidom: malformed report (kind %u seq %u gaps %u)\n",
		       r->kind, r->seq, r->nr_gaps);
		return -XEN_EINVAL;
	}
	return r->done == 1 ? 0 : -XEN_EBUSY;
}

int md_read_report(const struct md_domain *d, enum report_kind kind,
		   struct report *out)
{
	uint32_t va = d->h.v_end - REPORT_PAGE_SIZE, mfn;
	void *page;
	int rc;

	if (!d->built || d->h.v_end < d->h.v_start + 2 * REPORT_PAGE_SIZE)
		return -XEN_EINVAL;
	rc = walk(d, va, &mfn);
	if (!rc)
		rc = dom_map_foreign(MD_SLOT, d->h.domid, mfn, false, &page);
	if (rc) {
		printf("multidom: %s: report page not found (%d)\n", d->h.name, rc);
		return rc;
	}
	memcpy(out, page, sizeof(*out));
	dom_unmap(MD_SLOT);
	return check_report(out, kind);
}

void md_serve(uint64_t ms)
{
	uint64_t end = time_system_ns() + ms * MD_MS;

	while (time_system_ns() < end) {
		consoled_poll();
		HYPERVISOR_poll(NULL, 0, MIN(end, time_system_ns() + MD_TICK_MS * MD_MS));
	}
	consoled_poll();
}

static bool update_reason(struct md_domain *d)
{
	struct xen_domctl_getdomaininfo info;

	if (d->reason >= 0)
		return true;
	if (!d->built || dom_getinfo(d->h.domid, &info))
		return false;
	if (info.flags & XEN_DOMINF_shutdown)
		d->reason = (int)((info.flags >> XEN_DOMINF_shutdownshift) &
				  XEN_DOMINF_shutdownmask);
	return d->reason >= 0;
}

uint32_t md_wait_shutdown(struct md_domain *d, uint32_t n, uint64_t timeout_ms)
{
	uint64_t end = time_system_ns() + timeout_ms * MD_MS;
	uint32_t i, running;

	for (;;) {
		consoled_poll();
		for (i = 0, running = 0; i < n; i++)
			running += !update_reason(&d[i]);
		if (!running || time_system_ns() >= end)
			break;
		HYPERVISOR_poll(NULL, 0, time_system_ns() + MD_TICK_MS * MD_MS);
	}
	consoled_poll();
	return running;
}

int md_cpu_time(const struct md_domain *d, uint64_t *ns)
{
	struct xen_domctl_getdomaininfo info;
	int rc = dom_getinfo(d->h.domid, &info);

	if (!rc)
		*ns = info.cpu_time;
	return rc;
}

uint64_t md_free_pages(void)
{
	uint64_t n = 0;

	return dom_free_pages(&n) ? 0 : n;
}

unsigned int md_destroy_all(struct md_domain *d, unsigned int n,
			    uint64_t before)
{
	unsigned int i, problems = 0;
	uint64_t after;

	for (i = 0; i < n; i++) {
		int rc = md_destroy(&d[i]);

		if (rc) {
			printf("destroying domain %u: %d\n", i, rc);
			problems++;
		}
	}
	after = md_free_pages();
	printf("frames: before %llu after %llu\n", (unsigned long long)before,
	       (unsigned long long)after);
	return problems + (after != before);
}
