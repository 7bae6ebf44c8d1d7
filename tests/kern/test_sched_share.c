/*
 * test_sched_share.c - a test Dom0: three CPU-bound DomUs (module 1, the
 * burn kernel: events masked, never yield) with BVT weights 1:2:3 share
 * the CPU in that proportion.  After SETTLE_MS of running, the CPU time
 * each gets over WINDOW_MS (getdomaininfo cpu_time deltas) must be within
 * 5% (relative) of 1/6, 2/6 and 3/6 of their total.  That is measured in
 * up to WINDOWS windows one after another, each one's figures printed,
 * and holds if one window meets it for all three shares: a busy host that
 * stops QEMU during a window skews it (a domain is charged for the time
 * it was running when QEMU stopped), while a scheduler that gets the
 * proportion wrong fails every window.  Then all three are destroyed and
 * the free frame count must be back where it started.
 */
#include "ktest.h"
#include "multidom.h"
#include "time.h"

#define NR		3
#define SETTLE_MS	500
#define WINDOW_MS	3000
#define WINDOWS		3
#define UNIT_WEIGHT	128
#define PPM		1000000ull

static struct md_domain dom[NR];

/* Whether every share of d is within 5% of its weight's; prints them. */
static bool shares_ok(const uint64_t *d)
{
	uint64_t total = d[0] + d[1] + d[2], share, want, diff;
	unsigned int i;
	bool ok = true;

	KCHECK(total > 0);
	if (!total)
		return false;
	for (i = 0; i < NR; i++) {
		share = d[i] * PPM / total;
		want = (i + 1) * PPM / 6;
		diff = share > want ? share - want : want - share;
		printf("share of weight %u: %llu.%04llu%% (want %llu.%04llu%%, "
		       "off by %llu.%02llu%% of it), %llu ms\n", i + 1,
		       (unsigned long long)(share / 10000),
		       (unsigned long long)(share % 10000),
		       (unsigned long long)(want / 10000),
		       (unsigned long long)(want % 10000),
		       (unsigned long long)(diff * 100 / want),
		       (unsigned long long)(diff * 10000 / want % 100),
		       (unsigned long long)(d[i] / MD_MS));
		if (diff * 100 > 5 * want)
			ok = false;
	}
	return ok;
}

/* One window of WINDOW_MS: whether its shares are right. */
static bool window_ok(unsigned int n)
{
	uint64_t t0[NR], t1[NR], d[NR];
	unsigned int i;

	for (i = 0; i < NR; i++)
		KCHECK_EQ(md_cpu_time(&dom[i], &t0[i]), 0);
	md_serve(WINDOW_MS);
	for (i = 0; i < NR; i++) {
		KCHECK_EQ(md_cpu_time(&dom[i], &t1[i]), 0);
		d[i] = t1[i] - t0[i];
	}
	printf("window %u of %u, %u ms: CPU time %llu / %llu / %llu ms\n",
	       n, WINDOWS, WINDOW_MS, (unsigned long long)(d[0] / MD_MS),
	       (unsigned long long)(d[1] / MD_MS),
	       (unsigned long long)(d[2] / MD_MS));
	return shares_ok(d);
}

void kernel_main(struct start_info *si)
{
	uint64_t before;
	struct dom_params p;
	char name[16];
	unsigned int i, n;
	bool ok = false;

	(void)si;
	if (md_setup()) {
		KCHECK(0);
		goto out;
	}
	before = md_free_pages();
	for (i = 0; i < NR; i++) {
		snprintf(name, sizeof(name), "burn%u", i + 1);
		p = md_params(name, 1, 4096, UNIT_WEIGHT * (i + 1));
		KCHECK_EQ(md_build(&dom[i], &p, "", true), 0);
	}
	for (i = 0; i < NR; i++)
		KCHECK_EQ(md_unpause(&dom[i]), 0);
	if (ktest_failures)
		goto destroy;
	md_serve(SETTLE_MS);
	for (n = 1; n <= WINDOWS && !ok; n++)
		ok = window_ok(n);
	KCHECK(ok);	/* within 5% in one window */
destroy:
	KCHECK_EQ(md_destroy_all(dom, NR, before), 0);
out:
	ktest_finish();
}
