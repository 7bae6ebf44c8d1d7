/*
 * multidom.h - helpers of the multi-domain test Dom0s (test_sched_share,
 * test_sched_warp, test_evt_pingpong, test_iso, test_scale) and of the
 * domain benchmark (tests/bench/dom_bench.c), on top of dom0/builder.h
 * and dom0/consoled.h.
 *
 * md_setup() maps the window and shared_info, sets up events, indexes
 * the boot modules and binds VIRQ_DOM_EXC (md_dom_exc_port).  md_build()
 * builds a paused domain from boot module p->module, optionally served by
 * the console service; md_destroy() undoes it (console first).  Every
 * struct md_domain starts zeroed; `built` says whether it holds a domain.
 *
 * md_read_report() finds a DomU's report page (domu/report.h) by walking
 * its page tables from its L3 (read-only foreign mappings through window
 * slot MD_SLOT), copies the record once and validates the copy: magic,
 * an even seq, the expected kind, nr_gaps in range; -XEN_EINVAL (with a
 * line saying why) otherwise, -XEN_EBUSY when the record is not done.
 *
 * md_build_pingpong() builds the two ends of an event-channel ping-pong
 * (domu/pingpong.c) from module `module`, paused: "ping" first; then Dom0
 * learns ping's lowest free port P (EVTCHNOP_status on its behalf), builds
 * "pong" with "role=b peer=PING port=P", and allocates P in ping
 * (EVTCHNOP_alloc_unbound, dom = ping, remote = pong), checking it got P.
 * Ping finds P itself (its command line was written before pong existed).
 *
 * md_serve() serves every console for ms milliseconds, waking every
 * MD_TICK_MS; md_wait_shutdown() does so until every listed domain has
 * shut down (its reason in ->reason, else -1) or the timeout passes, and
 * returns how many are still running.  All operations return 0 or a
 * negative XEN_E* code.
 */
#ifndef XYLEM_MULTIDOM_H
#define XYLEM_MULTIDOM_H

#include <stdbool.h>
#include <stdint.h>
#include "builder.h"
#include "report.h"

#define MD_SLOT		6u
#define MD_TICK_MS	10u
#define MD_MS		1000000ull

struct md_domain {
	struct dom_handle h;
	bool built;
	bool console;		/* served by consoled */
	int reason;		/* shutdown reason, -1 while running */
};

extern evtchn_port_t md_dom_exc_port;

int md_setup(void);
uint32_t md_nr_modules(void);
struct dom_params md_params(const char *name, uint32_t module, uint32_t mem_kib,
			    uint32_t weight);
int md_build(struct md_domain *d, const struct dom_params *p,
	     const char *cmdline, bool console);
int md_unpause(struct md_domain *d);
int md_destroy(struct md_domain *d);

int md_build_pingpong(struct md_domain pair[2], uint32_t module, uint32_t n,
		      bool console);

int md_read_report(const struct md_domain *d, enum report_kind kind,
		   struct report *out);

void md_serve(uint64_t ms);
uint32_t md_wait_shutdown(struct md_domain *d, uint32_t n, uint64_t timeout_ms);
/* CPU time (ns) and getdomaininfo flags of d. */
int md_cpu_time(const struct md_domain *d, uint64_t *ns);
uint64_t md_free_pages(void);
/* Destroy d[0..n) and compare the free frames with `before`; prints both
 * and returns the number of problems (0 when all went well). */
unsigned int md_destroy_all(struct md_domain *d, unsigned int n,
			    uint64_t before);

#endif
