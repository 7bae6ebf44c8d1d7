/*
 * test_dom_console.c - a test Dom0: a DomU's PV console output reaches
 * the serial line as "[name] ..." lines through the console service, and
 * a hostile ring does not fool it.
 *
 * While the hello DomU (module 1) is still paused, this Dom0 plays the
 * DomU's part through a second mapping of its ring:
 *  - 300 bytes without a newline: one line cut at 256 bytes, the rest
 *    printed when the newline comes;
 *  - out_prod a long way ahead of the consumer, then behind it: each
 *    reported once, read as one ring (2048 bytes) and no more, and the
 *    consumer index handed back equal to out_prod.
 * Then the DomU runs; its greeting, ticks and farewell must arrive as six
 * lines, it must power off, and after destroying it the free frame count
 * must be what it was before the build.
 */
#include "domtest.h"
#include <public/console.h>

#define TEST_SLOT	5u

static struct dom_handle dom;

static void ring_write(volatile struct xencons_interface *r, const char *s,
		       uint32_t n)
{
	uint32_t i, prod = r->out_prod;

	for (i = 0; i < n; i++)
		r->out[(prod + i) % sizeof(r->out)] = s[i];
	barrier();
	r->out_prod = prod + n;
}

/*
 * Typed input: no more than the 1024-byte in[] ring goes in (out[] is
 * never touched), the rest waits in Dom0 and follows as the DomU consumes;
 * an in_cons beyond our producer holds the input back and is reported.
 */
static void input_ring(volatile struct xencons_interface *r)
{
	static char typed[3000];
	struct consoled_stats st;
	uint32_t i, stray = 0;

	memset(typed, 'i', sizeof(typed));
	consoled_input(typed, sizeof(typed));
	KCHECK_EQ(consoled_stats(dom.domid, &st), 0);
	KCHECK_EQ(st.in_bytes, 1024);
	KCHECK_EQ(r->in_prod, 1024);
	KCHECK_EQ(consoled_input_room(), CONSOLED_INPUT_MAX - (3000 - 1024));
	for (i = 0; i < sizeof(r->out); i++)
		stray += r->out[i] == 'i';
	KCHECK_EQ(stray, 0);
	r->in_cons = 1000;
	KCHECK_EQ(consoled_push_input(), 1000);
	KCHECK_EQ(r->in_prod, 2024);
	r->in_cons = r->in_prod + 5;		/* hostile */
	KCHECK_EQ(consoled_push_input(), 0);
	KCHECK_EQ(consoled_stats(dom.domid, &st), 0);
	KCHECK_EQ(st.bad_in_indices, 1);
	r->in_cons = r->in_prod;
	KCHECK_EQ(consoled_push_input(), 3000 - 2024);
	KCHECK_EQ(consoled_input_room(), CONSOLED_INPUT_MAX);
}

static void hostile_ring(void)
{
	volatile struct xencons_interface *r;
	struct consoled_stats st;
	char xs[300];
	void *va;

	KCHECK_EQ(dom_map_foreign(TEST_SLOT, dom.domid, dom.console_mfn, true, &va), 0);
	r = va;
	memset(xs, 'x', sizeof(xs));
	ring_write(r, xs, sizeof(xs));
	consoled_poll();
	KCHECK_EQ(consoled_stats(dom.domid, &st), 0);
	KCHECK_EQ(st.lines, 1);
	KCHECK_EQ(st.bytes, 300);
	ring_write(r, "\n", 1);
	consoled_poll();
	KCHECK_EQ(consoled_stats(dom.domid, &st), 0);
	KCHECK_EQ(st.lines, 2);
	KCHECK_EQ(r->out_cons, 301);

	r->out_prod = 301 + 100000;
	consoled_poll();
	KCHECK_EQ(consoled_stats(dom.domid, &st), 0);
	KCHECK_EQ(st.bad_indices, 1);
	KCHECK_EQ(st.bytes, 301 + 2048);
	KCHECK_EQ(st.lines, 2 + 8);	/* 2048 bytes of NULs: 8 cut lines */
	r->out_prod = 301 + 100000 - 10;	/* backwards */
	consoled_poll();
	KCHECK_EQ(consoled_stats(dom.domid, &st), 0);
	KCHECK_EQ(st.bad_indices, 2);
	KCHECK_EQ(st.bytes, 301 + 2 * 2048);
	KCHECK(st.lines >= 2 + 8 + 8);
	KCHECK_EQ(r->out_cons, r->out_prod);
	/* End whatever partial line the last ring's worth left. */
	ring_write(r, "\n", 1);
	consoled_poll();
	input_ring(r);
	KCHECK_EQ(dom_unmap(TEST_SLOT), 0);
}

void kernel_main(struct start_info *si)
{
	struct consoled_stats st;
	uint32_t lines_before = 0;
	uint64_t before, after;
	struct dom_params p;
	const uint8_t *image;
	const char *cmd;
	uint32_t len;

	(void)si;
	if (domtest_setup())
		goto out;
	before = domtest_free_pages();
	p = domtest_params("hello", 4096);
	KCHECK_EQ(modpack_get(&domtest_mods, 1, &image, &len, &cmd), 0);
	KCHECK_EQ(dom_build(&p, image, len, "console test", &dom), 0);
	KCHECK_EQ(consoled_add(dom.domid, "hello", dom.console_mfn, dom.console_port), 0);
	KCHECK_EQ(consoled_add(dom.domid, "again", dom.console_mfn, dom.console_port),
		  -XEN_EEXIST);
	if (ktest_failures)
		goto out;
	hostile_ring();
	KCHECK_EQ(consoled_stats(dom.domid, &st), 0);
	lines_before = st.lines;
	consoled_watch("hello from a Xylem DomU: command line \"console test\"");
	KCHECK_EQ(dom_unpause(&dom), 0);
	KCHECK_EQ(domtest_wait(&dom, 10000), SHUTDOWN_poweroff);
	consoled_drain(dom.domid);
	KCHECK_EQ(consoled_stats(dom.domid, &st), 0);
	printf("console: %u lines, %u bytes, %u bad index passes\n", st.lines,
	       st.bytes, st.bad_indices);
	KCHECK_EQ(st.lines - lines_before, 6);
	KCHECK_EQ(consoled_watch_hits(), 1);
	domtest_finish(&dom);
	after = domtest_free_pages();
	printf("frames: before %llu after %llu\n", (unsigned long long)before,
	       (unsigned long long)after);
	KCHECK_EQ(before, after);
out:
	ktest_finish();
}
