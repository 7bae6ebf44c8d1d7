/*
 * test_scale.c - a test Dom0: N concurrent DomUs (n=N on Dom0's command
 * line, default 100, at most MAX_DOMS) of 4 MiB each, built from module 1
 * (the hello DomU: "ticks=1 period=500", so each prints, sleeps half a
 * second and powers off).  All N are built (paused) before any runs, all
 * run at once, each greeting must reach the serial log through the
 * console service ("[sNNN] hello from a Xylem DomU ...", counted with
 * consoled_watch and per domain with consoled_stats), all must power off,
 * and only then are they destroyed; the free frame count must be back
 * where it started.  Needs about N * 4 MiB + 64 MiB of machine memory
 * (QEMU -m; see domu/tests.mk, test-scale).
 */
#include "ktest.h"
#include "multidom.h"
#include "consoled.h"
#include "options.h"
#include "time.h"

#define MAX_DOMS	CONSOLED_MAX
#define MEM_KIB		4096u
#define GREETING	"hello from a Xylem DomU: command line \"ticks=1 period=500\""

static struct md_domain dom[MAX_DOMS];

/* Build n paused domains; returns how many were built. */
static uint32_t build_all(uint32_t n)
{
	uint64_t t0 = time_system_ns();
	struct dom_params p;
	char name[16];
	uint32_t i;
	int rc;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "s%03u", i);
		p = md_params(name, 1, MEM_KIB, 256);
		rc = md_build(&dom[i], &p, "ticks=1 period=500", true);
		if (rc) {
			printf("scale: building domain %u failed (%d)\n", i, rc);
			break;
		}
	}
	printf("scale: built %u domains in %llu ms\n", i,
	       (unsigned long long)((time_system_ns() - t0) / MD_MS));
	return i;
}

static void check_consoles(uint32_t n)
{
	struct consoled_stats st;
	uint32_t i, silent = 0;

	for (i = 0; i < n; i++)
		if (consoled_stats(dom[i].h.domid, &st) || st.lines < 1)
			silent++;
	printf("scale: %u greetings on the serial log, %u silent domains\n",
	       consoled_watch_hits(), silent);
	KCHECK_EQ(silent, 0);
	KCHECK_EQ(consoled_watch_hits(), n);
}

void kernel_main(struct start_info *si)
{
	uint32_t n = (uint32_t)opt_number((const char *)si->cmd_line, "n", 100);
	uint32_t i, built, off = 0;
	uint64_t before, t0;

	if (md_setup() || !n || n > MAX_DOMS) {
		KCHECK(0);
		goto out;
	}
	before = md_free_pages();
	consoled_watch(GREETING);
	built = build_all(n);
	KCHECK_EQ(built, n);
	t0 = time_system_ns();
	for (i = 0; i < built; i++)
		KCHECK_EQ(md_unpause(&dom[i]), 0);
	KCHECK_EQ(md_wait_shutdown(dom, built, 60000), 0);
	for (i = 0; i < built; i++)
		off += dom[i].reason == SHUTDOWN_poweroff;
	printf("scale: %u of %u domains ran concurrently and powered off in %llu ms\n",
	       off, built, (unsigned long long)((time_system_ns() - t0) / MD_MS));
	KCHECK_EQ(off, n);
	check_consoles(built);
	t0 = time_system_ns();
	for (i = 0; i < built; i++)
		KCHECK_EQ(md_destroy(&dom[i]), 0);
	printf("scale: destroyed %u domains in %llu ms\n", built,
	       (unsigned long long)((time_system_ns() - t0) / MD_MS));
	printf("frames: before %llu after %llu\n", (unsigned long long)before,
	       (unsigned long long)md_free_pages());
	KCHECK_EQ(md_free_pages(), before);
out:
	ktest_finish();
}
