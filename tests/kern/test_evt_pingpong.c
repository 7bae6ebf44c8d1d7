/*
 * test_evt_pingpong.c - a test Dom0: two DomUs (module 1, the pingpong
 * kernel) exchange N_ROUNDS events over an interdomain channel that Dom0
 * sets up with md_build_pingpong() (multidom.h): an unbound port of
 * "ping" allocated on its behalf with "pong" as the remote, passed to pong
 * on its command line.  Both must power off with PINGPONG reports saying N_ROUNDS;
 * ping's cycles per round trip are printed.  Both are destroyed and the
 * free frame count must be back.
 */
#include "ktest.h"
#include "multidom.h"

#define N_ROUNDS	2000

enum { PING, PONG, NR };

static struct md_domain dom[NR];

static void check_report(struct md_domain *d, uint64_t role)
{
	struct report r;

	KCHECK_EQ(md_read_report(d, REPORT_PINGPONG, &r), 0);
	KCHECK_EQ(r.value[0], N_ROUNDS);
	KCHECK_EQ(r.value[2], role);
	if (role == 0 && r.value[0])
		printf("ping-pong: %llu round trips, %llu cycles each\n",
		       (unsigned long long)r.value[0],
		       (unsigned long long)(r.value[1] / r.value[0]));
}

void kernel_main(struct start_info *si)
{
	uint64_t before;
	unsigned int i;

	(void)si;
	if (md_setup()) {
		KCHECK(0);
		goto out;
	}
	before = md_free_pages();
	KCHECK_EQ(md_build_pingpong(dom, 1, N_ROUNDS, true), 0);
	for (i = 0; i < NR && !ktest_failures; i++)
		KCHECK_EQ(md_unpause(&dom[i]), 0);
	if (ktest_failures)
		goto destroy;
	KCHECK_EQ(md_wait_shutdown(dom, NR, 30000), 0);
	KCHECK_EQ(dom[PING].reason, SHUTDOWN_poweroff);
	KCHECK_EQ(dom[PONG].reason, SHUTDOWN_poweroff);
	check_report(&dom[PING], 0);
	check_report(&dom[PONG], 1);
destroy:
	KCHECK_EQ(md_destroy_all(dom, NR, before), 0);
out:
	ktest_finish();
}
