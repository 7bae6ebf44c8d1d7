/*
 * bench_vfr.c - the classifier benchmark: the VFR's decision-tree
 * classifier, its linear scan and DPDK's rte_acl on the same ClassBench rule
 * sets and traces, checked against each other packet by packet.
 *
 *	bench_vfr [-r RUNS] DIR SET...
 *
 * For each SET (e.g. acl_1000) it reads DIR/SET.rules and DIR/SET.trace
 * (see tools/classbench/classbench.h) and prints, with TAG = N for the acl
 * sets and fw_N for the fw sets:
 *	BENCH vfr_TAG_cycles_per_pkt, vfr_TAG_build_ms, vfr_TAG_mem_kib
 *	BENCH linear_TAG_cycles_per_pkt
 *	BENCH rteacl_TAG_cycles_per_pkt        (rte_acl's scalar algorithm)
 *	BENCH rteacl_best_TAG_cycles_per_pkt   (fastest algorithm on this CPU)
 *	BENCH rteacl_TAG_build_ms, rteacl_TAG_mem_kib
 *	BENCH vfr_vs_{rteacl_scalar,rteacl_best,linear}_TAG_ratio (vfr / other)
 * Cycles are TSC ticks read with lfence-fenced rdtsc around one pass over
 * the whole trace, divided by its length; the figure is the median of RUNS
 * passes (default 5) after a warm-up pass, or of 3 passes for a pass longer
 * than 10^9 cycles (the linear scan of the largest sets).  The VFR is
 * called once per packet (its interface); rte_acl gets batches of BATCH
 * pointers (its interface).
 *
 * Correctness, in the same run: for every packet the VFR's answer must equal
 * the linear scan's, every rte_acl algorithm's, and that of the ClassBench
 * reference matcher (cb_first_match); any difference prints the packet and
 * the answers on stderr and the program exits 1 before printing that set's
 * figures.  If rte_acl cannot run here, no rteacl line is printed and the
 * reason goes to stderr.  Exit 2 for bad arguments or unreadable files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classbench.h"
#include "cb_rteacl.h"
#include "cb_vfr.h"
#include "classify.h"

#define BATCH		64
#define DEFAULT_RUNS	5
#define MAX_RUNS	101
#define BUILD_RUNS	3
#define MAX_MISMATCHES	5
#define LONG_PASS_CYCLES 1e9
#define LONG_PASS_RUNS	3

/* One rule set and trace in every form the classifiers take. */
struct bench_set {
	char tag[64];
	struct cb_rule *cb_rules;
	size_t n_rules;
	struct cb_header *hdrs;
	size_t n_pkts;
	struct vfr_rule *rules;
	struct vfr_pkt *pkts;
	struct cb_rteacl_tuple *tuples;
	const uint8_t **tuple_ptrs;
	int32_t *expected;	/* cb_first_match's answers */
	int32_t *got;		/* scratch for the classifier under test */
	uint32_t *userdata;	/* scratch for rte_acl */
};

struct figures {
	double vfr_cpp, vfr_build_ms, vfr_mem_kib, linear_cpp;
	bool have_acl;
	double acl_scalar_cpp, acl_best_cpp, acl_build_ms, acl_mem_kib;
	enum cb_rteacl_alg acl_best;
};

static unsigned int runs = DEFAULT_RUNS;
static bool eal_ready;
static char eal_error[256];

static inline uint64_t rdtsc_fenced(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence\n\trdtsc\n\tlfence"
			 : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fprintf(stderr, "bench_vfr: out of memory\n");
		exit(1);
	}
	return p;
}

/* One timed pass of a classifier over the whole trace. */
typedef void (*pass_fn)(const struct bench_set *s, const void *ctx,
			int32_t *out);

static double one_pass(const struct bench_set *s, pass_fn pass,
		       const void *ctx)
{
	uint64_t t0 = rdtsc_fenced();

	pass(s, ctx, s->got);
	return (double)(rdtsc_fenced() - t0) / (double)s->n_pkts;
}

/*
 * The median over `runs` passes after a warm-up pass.  A pass longer than
 * LONG_PASS_CYCLES (the linear scan of 10,000 rules) is its own warm-up: the
 * warm-up then counts as the first pass and at most LONG_PASS_RUNS are made,
 * so the benchmark stays within seconds.
 */
static double median_cycles_per_pkt(const struct bench_set *s, pass_fn pass,
				    const void *ctx)
{
	double cpp[MAX_RUNS];
	unsigned int r = 0, n = runs;

	cpp[0] = one_pass(s, pass, ctx);
	if (cpp[0] * (double)s->n_pkts > LONG_PASS_CYCLES) {
		r = 1;
		n = runs < LONG_PASS_RUNS ? runs : LONG_PASS_RUNS;
	}
	for (; r < n; r++)
		cpp[r] = one_pass(s, pass, ctx);
	return median(cpp, n);
}

static void vfr_pass(const struct bench_set *s, const void *ctx, int32_t *out)
{
	const struct vfr_classifier *c = ctx;
	size_t i;

	for (i = 0; i < s->n_pkts; i++)
		out[i] = vfr_classifier_lookup(c, &s->pkts[i], VFR_VIF_NONE,
					       VFR_VIF_NONE);
}

static void linear_pass(const struct bench_set *s, const void *ctx,
			int32_t *out)
{
	const struct vfr_classifier *c = ctx;
	size_t i;

	for (i = 0; i < s->n_pkts; i++)
		out[i] = vfr_classifier_lookup_linear(c, &s->pkts[i],
						      VFR_VIF_NONE,
						      VFR_VIF_NONE);
}

struct acl_pass_ctx {
	const struct cb_rteacl *acl;
	enum cb_rteacl_alg alg;
	int rc;
};

/* rte_acl in batches; out[] is left alone (see acl_results). */
static void acl_pass(const struct bench_set *s, const void *ctx, int32_t *out)
{
	struct acl_pass_ctx *a = (struct acl_pass_ctx *)ctx;
	size_t i;

	(void)out;
	for (i = 0; i < s->n_pkts; i += BATCH) {
		uint32_t n = s->n_pkts - i < BATCH ? (uint32_t)(s->n_pkts - i) :
			     BATCH;
		int rc = cb_rteacl_classify(a->acl, a->alg, &s->tuple_ptrs[i],
					    &s->userdata[i], n);

		if (rc)
			a->rc = rc;
	}
}

/* The answers of the last rte_acl pass, as rule indices, into s->got. */
static void acl_results(const struct bench_set *s)
{
	size_t i;

	for (i = 0; i < s->n_pkts; i++)
		s->got[i] = cb_rteacl_rule_index(s->userdata[i]);
}

/* Compares s->got with the reference; prints the first mismatches. */
static bool agrees(const struct bench_set *s, const char *who)
{
	size_t i, bad = 0;

	for (i = 0; i < s->n_pkts; i++) {
		const struct cb_header *h = &s->hdrs[i];

		if (s->got[i] == s->expected[i])
			continue;
		if (bad++ < MAX_MISMATCHES)
			fprintf(stderr, "bench_vfr: %s: MISMATCH packet %zu "
				"(src %08x dst %08x sport %u dport %u proto %u): "
				"%s says rule %d, reference says rule %d\n",
				s->tag, i, h->src_ip, h->dst_ip, h->src_port,
				h->dst_port, h->proto, who, s->got[i],
				s->expected[i]);
	}
	if (bad)
		fprintf(stderr, "bench_vfr: %s: %s disagrees on %zu of %zu "
			"packets\n", s->tag, who, bad, s->n_pkts);
	return bad == 0;
}


/* The VFR's rules and packets; -1 if a rule has no VFR equivalent. */
static int make_vfr_inputs(struct bench_set *s)
{
	const char *why;
	size_t i;

	s->rules = xcalloc(s->n_rules, sizeof(*s->rules));
	s->pkts = xcalloc(s->n_pkts, sizeof(*s->pkts));
	for (i = 0; i < s->n_rules; i++) {
		if (cb_vfr_rule(&s->cb_rules[i], &s->rules[i], &why)) {
			fprintf(stderr, "bench_vfr: %s: rule %zu: %s\n", s->tag,
				i, why);
			return -1;
		}
	}
	for (i = 0; i < s->n_pkts; i++)
		cb_vfr_pkt(&s->hdrs[i], &s->pkts[i]);
	return 0;
}

/*
 * Builds c in a buffer that fits: the first build finds the size (doubling
 * from 1 MiB on -VFR_ENOSPC), then BUILD_RUNS timed builds give the median.
 */
static void *build_vfr(struct bench_set *s, struct vfr_classifier *c,
		       double *build_ms)
{
	double ms[BUILD_RUNS];
	size_t size = 1u << 20;
	void *mem = NULL;
	unsigned int r;
	int rc;

	for (;;) {
		free(mem);
		mem = xcalloc(1, size);
		rc = vfr_classifier_build(c, s->rules, (uint32_t)s->n_rules,
					  mem, size);
		if (rc != -VFR_ENOSPC || size >= ((size_t)4 << 30))
			break;
		size *= 2;
	}
	if (rc) {
		fprintf(stderr, "bench_vfr: %s: vfr_classifier_build: error %d "
			"(buffer %zu bytes)\n", s->tag, rc, size);
		free(mem);
		return NULL;
	}
	for (r = 0; r < BUILD_RUNS; r++) {
		double t0 = now_ms();

		rc = vfr_classifier_build(c, s->rules, (uint32_t)s->n_rules,
					  mem, size);
		ms[r] = now_ms() - t0;
		if (rc) {
			fprintf(stderr, "bench_vfr: %s: rebuild failed: %d\n",
				s->tag, rc);
			free(mem);
			return NULL;
		}
	}
	*build_ms = median(ms, BUILD_RUNS);
	return mem;
}

static int bench_vfr_side(struct bench_set *s, struct figures *f)
{
	struct vfr_classifier c;
	void *mem;
	int rc = -1;

	if (make_vfr_inputs(s))
		return -1;
	mem = build_vfr(s, &c, &f->vfr_build_ms);
	if (!mem)
		return -1;
	f->vfr_mem_kib = vfr_classifier_mem_used(&c) / 1024.0;
	f->vfr_cpp = median_cycles_per_pkt(s, vfr_pass, &c);
	if (!agrees(s, "vfr_classifier_lookup"))
		goto out;
	f->linear_cpp = median_cycles_per_pkt(s, linear_pass, &c);
	if (!agrees(s, "vfr_classifier_lookup_linear"))
		goto out;
	rc = 0;
out:
	free(mem);
	return rc;
}

/* rte_acl built BUILD_RUNS times (median time); NULL if it cannot be. */
static struct cb_rteacl *build_acl(const struct bench_set *s,
				   double *build_ms)
{
	struct cb_rteacl *acl = NULL;
	double ms[BUILD_RUNS];
	char err[256];
	unsigned int r;

	for (r = 0; r < BUILD_RUNS; r++) {
		double t0;

		cb_rteacl_free(acl);
		t0 = now_ms();
		if (cb_rteacl_build(&acl, s->cb_rules, s->n_rules, err,
				    sizeof(err))) {
			fprintf(stderr, "bench_vfr: %s: no rteacl figures: %s\n",
				s->tag, err);
			return NULL;
		}
		ms[r] = now_ms() - t0;
	}
	*build_ms = median(ms, BUILD_RUNS);
	return acl;
}

static void make_acl_inputs(struct bench_set *s)
{
	size_t i;

	s->tuples = xcalloc(s->n_pkts, sizeof(*s->tuples));
	s->tuple_ptrs = xcalloc(s->n_pkts, sizeof(*s->tuple_ptrs));
	s->userdata = xcalloc(s->n_pkts, sizeof(*s->userdata));
	for (i = 0; i < s->n_pkts; i++) {
		cb_rteacl_tuple_fill(&s->tuples[i], &s->hdrs[i]);
		s->tuple_ptrs[i] = s->tuples[i].bytes;
	}
}

/* Times one algorithm; -1 on a wrong answer, 1 if it cannot run here. */
static int time_acl_alg(struct bench_set *s, struct cb_rteacl *acl,
			enum cb_rteacl_alg alg, double *cpp)
{
	struct acl_pass_ctx a = { acl, alg, 0 };
	char who[64];
	int rc = cb_rteacl_alg_usable(acl, alg);

	if (rc) {
		fprintf(stderr, "bench_vfr: %s: rte_acl %s not usable here (%s)\n",
			s->tag, cb_rteacl_alg_name(alg), strerror(-rc));
		return 1;
	}
	*cpp = median_cycles_per_pkt(s, acl_pass, &a);
	if (a.rc) {
		fprintf(stderr, "bench_vfr: %s: rte_acl_classify_alg(%s): %s\n",
			s->tag, cb_rteacl_alg_name(alg), strerror(-a.rc));
		return 1;
	}
	acl_results(s);
	snprintf(who, sizeof(who), "rte_acl %s", cb_rteacl_alg_name(alg));
	return agrees(s, who) ? 0 : -1;
}

static int bench_acl_side(struct bench_set *s, struct figures *f)
{
	struct cb_rteacl *acl;
	int alg, rc = 0;
	double cpp;

	if (!eal_ready)
		return 0;
	make_acl_inputs(s);
	acl = build_acl(s, &f->acl_build_ms);
	if (!acl)
		return 0;
	f->acl_mem_kib = cb_rteacl_mem_bytes(acl) / 1024.0;
	for (alg = 0; alg < CB_RTEACL_ALG_COUNT; alg++) {
		rc = time_acl_alg(s, acl, alg, &cpp);
		if (rc < 0)
			break;
		if (rc > 0) {
			if (alg == CB_RTEACL_SCALAR)
				break;	/* no scalar figure: none at all */
			rc = 0;
			continue;
		}
		if (alg == CB_RTEACL_SCALAR) {
			f->acl_scalar_cpp = cpp;
			f->have_acl = true;
		}
		if (alg == CB_RTEACL_SCALAR || cpp < f->acl_best_cpp) {
			f->acl_best_cpp = cpp;
			f->acl_best = alg;
		}
	}
	if (rc > 0) {
		f->have_acl = false;
		rc = 0;
	}
	cb_rteacl_free(acl);
	return rc;
}

static void print_set(const struct bench_set *s, const struct figures *f)
{
	const char *t = s->tag;

	printf("BENCH vfr_%s_cycles_per_pkt %.1f cycles\n", t, f->vfr_cpp);
	printf("BENCH vfr_%s_build_ms %.3f ms\n", t, f->vfr_build_ms);
	printf("BENCH vfr_%s_mem_kib %.1f KiB\n", t, f->vfr_mem_kib);
	printf("BENCH linear_%s_cycles_per_pkt %.1f cycles\n", t, f->linear_cpp);
	printf("BENCH vfr_vs_linear_%s_ratio %.4f ratio\n", t,
	       f->vfr_cpp / f->linear_cpp);
	if (f->have_acl) {
		printf("BENCH rteacl_%s_cycles_per_pkt %.1f cycles\n", t,
		       f->acl_scalar_cpp);
		printf("BENCH rteacl_best_%s_cycles_per_pkt %.1f cycles\n", t,
		       f->acl_best_cpp);
		printf("BENCH rteacl_%s_build_ms %.3f ms\n", t, f->acl_build_ms);
		printf("BENCH rteacl_%s_mem_kib %.1f KiB\n", t, f->acl_mem_kib);
		printf("BENCH vfr_vs_rteacl_scalar_%s_ratio %.4f ratio\n", t,
		       f->vfr_cpp / f->acl_scalar_cpp);
		printf("BENCH vfr_vs_rteacl_best_%s_ratio %.4f ratio\n", t,
		       f->vfr_cpp / f->acl_best_cpp);
		fprintf(stderr, "bench_vfr: %s: rte_acl's fastest algorithm "
			"here: %s\n", t, cb_rteacl_alg_name(f->acl_best));
	}
	fflush(stdout);
}

/* DIR/SET.rules and DIR/SET.trace into s; exits 2 when unreadable. */
static void load_set(struct bench_set *s, const char *dir, const char *set)
{
	char path[4096], err[512];
	size_t i;
	long n;

	memset(s, 0, sizeof(*s));
	if (!strncmp(set, "acl_", 4))
		snprintf(s->tag, sizeof(s->tag), "%s", set + 4);
	else
		snprintf(s->tag, sizeof(s->tag), "%s", set);
	snprintf(path, sizeof(path), "%s/%s.rules", dir, set);
	if (cb_load_rules(path, &s->cb_rules, &s->n_rules, err, sizeof(err)))
		goto err_exit;
	snprintf(path, sizeof(path), "%s/%s.trace", dir, set);
	if (cb_load_trace(path, &s->hdrs, &s->n_pkts, err, sizeof(err)))
		goto err_exit;
	if (s->n_rules == 0 || s->n_pkts == 0 || s->n_rules > INT32_MAX) {
		snprintf(err, sizeof(err), "%s: no rules or no packets", set);
		goto err_exit;
	}
	s->expected = xcalloc(s->n_pkts, sizeof(*s->expected));
	s->got = xcalloc(s->n_pkts, sizeof(*s->got));
	for (i = 0; i < s->n_pkts; i++) {
		n = cb_first_match(s->cb_rules, s->n_rules, &s->hdrs[i]);
		s->expected[i] = (int32_t)n;
	}
	return;

err_exit:
	fprintf(stderr, "bench_vfr: %s\n", err);
	exit(2);
}

static void free_set(struct bench_set *s)
{
	free(s->cb_rules);
	free(s->hdrs);
	free(s->rules);
	free(s->pkts);
	free(s->tuples);
	free(s->tuple_ptrs);
	free(s->expected);
	free(s->got);
	free(s->userdata);
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_vfr [-r RUNS] DIR SET...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int i = 1, status = 0;

	if (argc > 2 && !strcmp(argv[1], "-r")) {
		char *end;
		unsigned long r = strtoul(argv[2], &end, 10);

		if (*argv[2] == '\0' || *end || r < 1 || r > MAX_RUNS)
			usage();
		runs = (unsigned int)r;
		i = 3;
	}
	if (argc - i < 2)
		usage();
	if (cb_rteacl_eal_init(argv[0], eal_error, sizeof(eal_error)) == 0)
		eal_ready = true;
	else
		fprintf(stderr, "bench_vfr: rte_acl will not run, no rteacl "
			"figures: %s\n", eal_error);
	for (int k = i + 1; k < argc; k++) {
		struct bench_set s;
		struct figures f;

		load_set(&s, argv[i], argv[k]);
		memset(&f, 0, sizeof(f));
		if (bench_vfr_side(&s, &f) || bench_acl_side(&s, &f)) {
			status = 1;
			free_set(&s);
			break;
		}
		print_set(&s, &f);
		free_set(&s);
	}
	return status;
}
