/*
 * domtest.h - helpers for the test Dom0 kernels that build DomUs with
 * dom0/builder.c and serve them with dom0/consoled.c (test_dom_*.c).
 *
 * domtest_setup() maps the window and shared_info and indexes the boot
 * modules; domtest_start() (domtest_start_with() for other parameters)
 * builds, registers the console and unpauses; domtest_run() starts,
 * waits and finishes in one;
 * domtest_wait() serves the consoles until the domain shuts down (or a
 * timeout) and returns its shutdown reason; domtest_finish() drains and
 * unmaps its console and destroys it.  Results are checked with KCHECK.
 */
#ifndef XYLEM_DOMTEST_H
#define XYLEM_DOMTEST_H

#include "ktest.h"
#include "builder.h"
#include "consoled.h"
#include "event.h"
#include "mm.h"
#include "modpack.h"
#include "time.h"

#define DOMTEST_MS	1000000ull

static struct modpack domtest_mods;

static inline int domtest_setup(void)
{
	const char *why = "";
	int rc = mm_init();

	if (!rc)
		rc = evtchn_init();
	if (!rc)
		rc = modpack_open((const void *)start_info->mod_start,
				  start_info->mod_len, &domtest_mods, &why);
	if (rc)
		printf("domtest: setup failed (%d) %s\n", rc, why);
	return rc;
}

static inline uint64_t domtest_free_pages(void)
{
	uint64_t n = 0;

	KCHECK_EQ(dom_free_pages(&n), 0);
	return n;
}

static inline struct dom_params domtest_params(const char *name, uint32_t mem_kib)
{
	struct dom_params p;

	memset(&p, 0, sizeof(p));
	strlcpy(p.name, name, sizeof(p.name));
	p.module = 1;
	p.mem_kib = mem_kib;
	p.weight = DOMSPEC_DEFAULT_WEIGHT;
	return p;
}

/*
 * Build module 1 with p and cmdline, call prepare(domid) if given (to grant
 * it something before it runs), register its console and let it run; 0 or
 * an error, after which nothing is left (a domain built is destroyed).
 */
static inline int domtest_start_with(const struct dom_params *p,
				     const char *cmdline,
				     int (*prepare)(domid_t domid),
				     struct dom_handle *h)
{
	const uint8_t *image;
	const char *modcmd;
	uint32_t len;
	bool console = false;
	int rc = modpack_get(&domtest_mods, 1, &image, &len, &modcmd);

	if (!rc)
		rc = dom_build(p, image, len, cmdline, h);
	if (rc)
		return rc;
	if (prepare)
		rc = prepare(h->domid);
	if (!rc)
		rc = consoled_add(h->domid, p->name, h->console_mfn,
				  h->console_port);
	console = !rc;
	if (!rc)
		rc = dom_unpause(h);
	if (rc) {
		if (console)
			consoled_remove(h->domid);
		dom_destroy(h);
	}
	return rc;
}

/* Build module 1 as `name` (4 MiB) with cmdline and let it run. */
static inline int domtest_start(const char *name, const char *cmdline,
				struct dom_handle *h)
{
	struct dom_params p = domtest_params(name, 4096);

	return domtest_start_with(&p, cmdline, NULL, h);
}

/* Serve consoles until h shuts down: its reason, or -1 after timeout_ms. */
static inline int domtest_wait(struct dom_handle *h, uint64_t timeout_ms)
{
	struct xen_domctl_getdomaininfo info;
	uint64_t end = time_system_ns() + timeout_ms * DOMTEST_MS;
	evtchn_port_t port = h->console_port;

	while (time_system_ns() < end) {
		evtchn_clear_pending(port);
		consoled_poll();
		if (dom_getinfo(h->domid, &info))
			return -1;
		if (info.flags & XEN_DOMINF_shutdown)
			return (int)((info.flags >> XEN_DOMINF_shutdownshift) &
				     XEN_DOMINF_shutdownmask);
		HYPERVISOR_poll(&port, 1, time_system_ns() + 20 * DOMTEST_MS);
	}
	return -1;
}

static inline void domtest_finish(struct dom_handle *h)
{
	domid_t domid = h->domid;
	struct xen_domctl_getdomaininfo info;

	KCHECK_EQ(consoled_remove(domid), 0);
	KCHECK_EQ(dom_destroy(h), 0);
	KCHECK_EQ(dom_getinfo(domid, &info), -XEN_ESRCH);
}

/*
 * Run module 1 as a DomU named `name` with 16 MiB (room for a test kernel
 * with the builder linked in), `cmdline` and prepare(), until it shuts
 * down or timeout_ms pass, then destroy it: its shutdown reason, or -1
 * when it could not be started or did not end (checked with KCHECK).
 */
static inline int domtest_run(const char *name, const char *cmdline,
			      int (*prepare)(domid_t domid), uint64_t timeout_ms)
{
	struct dom_params p = domtest_params(name, 16384);
	struct dom_handle h;
	int rc = domtest_start_with(&p, cmdline, prepare, &h);

	KCHECK_EQ(rc, 0);
	if (rc)
		return -1;
	rc = domtest_wait(&h, timeout_ms);
	domtest_finish(&h);
	return rc;
}

#endif
