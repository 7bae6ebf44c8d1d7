/*
 * dom_bench.c - the domain benchmark's Dom0 (`make bench-dom`).  Boot
 * modules: 1 pingpong, 2 yielder, 3 sleeper (domu/).  Prints, as
 * "BENCH name value unit" lines:
 *  - evtchn_roundtrip_cycles: TSC cycles per event round trip between two
 *    DomUs (domu/pingpong.c, ROUNDS round trips, ping's report);
 *  - domain_switch_cycles: the median, over the switches seen, of the TSC
 *    cycles from one yielder's last reading before SCHEDOP_yield to the
 *    other's first reading after its own yield returns (both DomUs record
 *    the yields during which the other ran, domu/yielder.c); also
 *    yield_cycles, the mean time inside one SCHEDOP_yield, which gives
 *    the CPU to the other yielder: two switches and the other's turn;
 *  - domain_create_ms_median, domain_create_ms_p99: dom_build + unpause of
 *    a 4 MiB sleeper, CREATE_SAMPLES times (each destroyed after);
 *  - max_domains_4gib: sleepers (4 MiB, no console service) built and
 *    unpaused until the builder fails, counted, then all destroyed
 *    (skipped with max=0 on the command line);
 *  - mem_per_domain_kib: the free frames they took, per domain, in KiB
 *    (hypervisor overhead included).
 * The free frame count must be back where it started after each part;
 * the verdict line says whether everything held.
 */
#include "ktest.h"
#include "multidom.h"
#include "options.h"
#include "time.h"

#define ROUNDS		20000u
#define YIELDS		20000u
#define CREATE_SAMPLES	60u
#define MAX_DOMS	4000u
#define MAX_SWITCHES	(2 * REPORT_MAX_GAPS)

static struct md_domain doms[MAX_DOMS];
static struct report rep[2];
static uint64_t samples[MAX_SWITCHES > CREATE_SAMPLES ? MAX_SWITCHES : CREATE_SAMPLES];


static void destroy_range(uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		KCHECK_EQ(md_destroy(&doms[i]), 0);
}

static void bench_roundtrip(void)
{
	KCHECK_EQ(md_build_pingpong(doms, 1, ROUNDS, true), 0);
	if (!ktest_failures) {
		KCHECK_EQ(md_unpause(&doms[0]), 0);
		KCHECK_EQ(md_unpause(&doms[1]), 0);
		KCHECK_EQ(md_wait_shutdown(doms, 2, 120000), 0);
		KCHECK_EQ(md_read_report(&doms[0], REPORT_PINGPONG, &rep[0]), 0);
		KCHECK_EQ(rep[0].value[0], ROUNDS);
	}
	if (!ktest_failures)
		printf("BENCH evtchn_roundtrip_cycles %llu cycles\n",
		       (unsigned long long)(rep[0].value[1] / ROUNDS));
	destroy_range(2);
}

/* Switches from x to y: y's first arrival after each of x's leaves. */
static uint32_t pair_switches(const struct report *x, const struct report *y,
			      uint32_t n)
{
	uint32_t i, j;

	for (i = 0; i < x->nr_gaps && n < MAX_SWITCHES; i++) {
		const struct report_gap *g = &x->gap[i];

		for (j = 0; j < y->nr_gaps; j++) {
			if (y->gap[j].arrive <= g->leave)
				continue;
			/* y must have come back while x was away. */
			if (y->gap[j].arrive < g->arrive)
				samples[n++] = y->gap[j].arrive - g->leave;
			break;
		}
	}
	return n;
}

static void bench_switch(void)
{
	struct dom_params p;
	uint32_t i, n;
	char cmd[32];

	/* A yield switches to the other yielder; 5 us tells a switch from a
	 * bare yield hypercall even under TCG. */
	snprintf(cmd, sizeof(cmd), "n=%u gap=5", YIELDS);
	for (i = 0; i < 2; i++) {
		p = md_params(i ? "yieldB" : "yieldA", 2, 4096, DOMSPEC_DEFAULT_WEIGHT);
		KCHECK_EQ(md_build(&doms[i], &p, cmd, true), 0);
	}
	for (i = 0; i < 2 && !ktest_failures; i++)
		KCHECK_EQ(md_unpause(&doms[i]), 0);
	KCHECK_EQ(md_wait_shutdown(doms, 2, 120000), 0);
	for (i = 0; i < 2 && !ktest_failures; i++)
		KCHECK_EQ(md_read_report(&doms[i], REPORT_YIELD, &rep[i]), 0);
	if (!ktest_failures) {
		n = pair_switches(&rep[0], &rep[1], 0);
		n = pair_switches(&rep[1], &rep[0], n);
		sort_u64(samples, n);
		printf("switches paired: %u (gaps %u + %u)\n", n, rep[0].nr_gaps,
		       rep[1].nr_gaps);
		KCHECK(n > 0);
		if (n)
			printf("BENCH domain_switch_cycles %llu cycles\n",
			       (unsigned long long)samples[n / 2]);
		printf("BENCH yield_cycles %llu cycles\n",
		       (unsigned long long)(rep[0].value[1] / YIELDS));
	}
	destroy_range(2);
}

/* ns as "ms.mmm" for a BENCH line. */
static void print_ms(const char *name, uint64_t ns)
{
	printf("BENCH %s %llu.%03llu ms\n", name, (unsigned long long)(ns / MD_MS),
	       (unsigned long long)(ns % MD_MS / 1000));
}

static void bench_create(void)
{
	struct dom_params p = md_params("create", 3, 4096, DOMSPEC_DEFAULT_WEIGHT);
	uint64_t t0;
	uint32_t i;

	for (i = 0; i < CREATE_SAMPLES && !ktest_failures; i++) {
		t0 = time_system_ns();
		KCHECK_EQ(md_build(&doms[0], &p, "", false), 0);
		KCHECK_EQ(md_unpause(&doms[0]), 0);
		samples[i] = time_system_ns() - t0;
		KCHECK_EQ(md_destroy(&doms[0]), 0);
	}
	if (ktest_failures)
		return;
	sort_u64(samples, CREATE_SAMPLES);
	print_ms("domain_create_ms_median", samples[CREATE_SAMPLES / 2]);
	print_ms("domain_create_ms_p99", samples[(CREATE_SAMPLES * 99 + 99) / 100 - 1]);
}

static void bench_max(uint32_t limit)
{
	uint64_t before = md_free_pages(), low;
	struct dom_params p;
	uint32_t n;
	int rc = 0;

	for (n = 0; n < limit; n++) {
		p = md_params("max", 3, 4096, DOMSPEC_DEFAULT_WEIGHT);
		snprintf(p.name, sizeof(p.name), "m%u", n);
		rc = md_build(&doms[n], &p, "", false);
		if (rc)
			break;
		KCHECK_EQ(md_unpause(&doms[n]), 0);
	}
	md_serve(200);		/* let every one of them reach its block */
	low = md_free_pages();
	printf("max domains: %u built, stopped by %d, %llu frames left\n", n, rc,
	       (unsigned long long)low);
	KCHECK(n > 0);
	if (n) {
		printf("BENCH max_domains_4gib %u domains\n", n);
		printf("BENCH mem_per_domain_kib %llu KiB\n",
		       (unsigned long long)((before - low) * 4 / n));
	}
	destroy_range(n);
}

void kernel_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	uint32_t max = (uint32_t)opt_number(cmd, "max", MAX_DOMS);
	uint64_t before;

	if (md_setup() || md_nr_modules() < 3) {
		KCHECK(0);
		goto out;
	}
	before = md_free_pages();
	bench_roundtrip();
	bench_switch();
	bench_create();
	if (max)
		bench_max(MIN(max, MAX_DOMS));
	printf("frames: before %llu after %llu\n", (unsigned long long)before,
	       (unsigned long long)md_free_pages());
	KCHECK_EQ(md_free_pages(), before);
out:
	ktest_finish();
}
