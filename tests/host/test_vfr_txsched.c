/*
 * test_vfr_txsched.c - vfr/txsched.c and vfr/rate.c over simulated time.
 *
 * A simulated output link of fixed bandwidth (1 Gb/s: 8 ns per byte) takes
 * one packet at a time from the scheduler; sources are kept backlogged (or
 * idle) with packets of 64..1514 bytes from a deterministic PRNG.  Checks:
 *   - N equal backlogged VIFs, mixed sizes (also: one VIF of tiny packets
 *     against one of full-size ones): Jain's fairness index of bytes sent
 *     >= 0.99 over 1 s, for the default and a small quantum;
 *   - a VIF limited to R@I gets R within 2% over 1 s while the others
 *     share the rest evenly and the link stays busy; several R@I pairs;
 *   - no more than its credit per interval (plus the one-frame overdraft
 *     that rate.h allows, repaid next interval), cumulatively too;
 *   - one busy VIF among idle ones gets the whole link (work-conserving);
 *   - one credit shared by two schedulers limits the VIF's total;
 *   - rate-string parsing, exact values and every error;
 *   - queue-full refusal, FIFO order per source, wake-up times, bad args.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "txsched.h"

#define MAXV		16
#define QCAP		64
#define NS_PER_BYTE	8u		/* 1 Gb/s */
#define SECOND		1000000000ull

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

struct sim {
	struct vfr_txsched s;
	struct vfr_txsched_source src[MAXV];
	struct vfr_txsched_desc q[MAXV][QCAP];
	struct vfr_credit credit[MAXV];
	uint32_t n;
	bool busy[MAXV];		/* keep this source backlogged */
	uint32_t min_len[MAXV], max_len[MAXV];
	uint64_t bytes[MAXV];
	uint32_t next_cookie[MAXV], expect_cookie[MAXV];
	bool fifo_ok;
	/* per-interval accounting of source `watch` */
	int watch;
	uint64_t interval_ns, per_interval;
	uint64_t cur_interval, cur_bytes, max_interval_bytes;
	uint64_t cum_bytes, max_cum_excess;
	bool cum_ok;
};

static void sim_init(struct sim *m, uint32_t n, uint32_t quantum)
{
	uint32_t i;

	memset(m, 0, sizeof(*m));
	m->n = n;
	m->watch = -1;
	m->fifo_ok = true;
	m->cum_ok = true;
	CHECK_EQ(vfr_txsched_init(&m->s, m->src, (uint16_t)n, quantum), 0);
	for (i = 0; i < n; i++) {
		CHECK_EQ(vfr_txsched_source_init(&m->s, (uint16_t)i,
						 (vfr_vif_id_t)(100 + i),
						 m->q[i], QCAP), 0);
		m->busy[i] = true;
		m->min_len[i] = 64;
		m->max_len[i] = 1514;
	}
}

static void sim_limit(struct sim *m, uint32_t i, const char *rate)
{
	struct vfr_rate r;
	const char *why = NULL;

	CHECK_EQ(vfr_rate_parse(rate, strlen(rate), &r, &why), 0);
	vfr_credit_init(&m->credit[i], &r, 0);
	CHECK_EQ(vfr_txsched_set_credit(&m->s, (uint16_t)i, &m->credit[i]), 0);
	m->watch = (int)i;
	m->interval_ns = (uint64_t)r.interval_us * 1000;
	m->per_interval = r.bytes_per_interval;
}

static void refill(struct sim *m)
{
	uint32_t i;

	for (i = 0; i < m->n; i++) {
		uint32_t span = m->max_len[i] - m->min_len[i] + 1;

		while (m->busy[i] &&
		       vfr_txsched_backlog(&m->s, (uint16_t)i) < QCAP) {
			uint32_t len = m->min_len[i] + rnd() % span;

			if (vfr_txsched_enqueue(&m->s, (uint16_t)i, len,
						m->next_cookie[i]++) != 0) {
				CHECK(0);
				return;
			}
		}
	}
}

/* Bytes of the watched source per interval of its credit grid. */
static void account_watch(struct sim *m, uint64_t t, uint32_t len)
{
	uint64_t k = t / m->interval_ns;

	if (k != m->cur_interval) {
		m->cur_interval = k;
		m->cur_bytes = 0;
	}
	m->cur_bytes += len;
	if (m->cur_bytes > m->max_interval_bytes)
		m->max_interval_bytes = m->cur_bytes;
	m->cum_bytes += len;
	/* intervals 0..k have brought (k + 1) * per_interval of credit */
	if (m->cum_bytes > (k + 1) * m->per_interval + 1513)
		m->cum_ok = false;
	if (m->cum_bytes > (k + 1) * m->per_interval &&
	    m->cum_bytes - (k + 1) * m->per_interval > m->max_cum_excess)
		m->max_cum_excess = m->cum_bytes - (k + 1) * m->per_interval;
}

/* Run the link for `duration` ns; returns the ns it spent idle. */
static uint64_t sim_run(struct sim *m, uint64_t duration)
{
	uint64_t t = 0, idle = 0;

	while (t < duration) {
		struct vfr_txsched_pkt p;
		uint64_t wake = 0;
		int rc;

		refill(m);
		rc = vfr_txsched_dequeue(&m->s, t, &p, &wake);
		if (rc == -VFR_EAGAIN) {
			CHECK(wake > t && wake != UINT64_MAX);
			if (wake <= t || wake == UINT64_MAX)
				return duration;
			idle += (wake < duration ? wake : duration) - t;
			t = wake;
			continue;
		}
		if (rc == -VFR_ENODATA) {
			idle += duration - t;
			break;
		}
		if (rc != 0 || p.source >= m->n) {
			CHECK_EQ(rc, 0);
			return duration;
		}
		if (p.desc.cookie != m->expect_cookie[p.source]++ ||
		    p.vif != 100 + p.source)
			m->fifo_ok = false;
		if ((int)p.source == m->watch)
			account_watch(m, t, p.desc.len);
		t += (uint64_t)p.desc.len * NS_PER_BYTE;
		if (t <= duration)
			m->bytes[p.source] += p.desc.len;
		else	/* count the part of the last packet inside the window */
			m->bytes[p.source] += p.desc.len -
				(t - duration) / NS_PER_BYTE;
	}
	return idle;
}

static double jain(const uint64_t *x, uint32_t from, uint32_t to)
{
	double sum = 0, sq = 0;
	uint32_t i;

	for (i = from; i < to; i++) {
		sum += (double)x[i];
		sq += (double)x[i] * (double)x[i];
	}
	return sq == 0 ? 0 : sum * sum / ((double)(to - from) * sq);
}

static struct sim m;	/* big: keep it off the stack */

static void test_fairness(uint32_t n, uint32_t quantum, bool skewed)
{
	double j;
	uint32_t i;

	sim_init(&m, n, quantum);
	if (skewed) {		/* half tiny packets, half full-size ones */
		for (i = 0; i < n; i++) {
			m.min_len[i] = i % 2 ? 64 : 1400;
			m.max_len[i] = i % 2 ? 100 : 1514;
		}
	}
	CHECK_EQ(sim_run(&m, SECOND), 0);
	j = jain(m.bytes, 0, n);
	printf("fairness: %u VIFs, quantum %u, %s sizes: Jain %.9f\n", n,
	       quantum ? quantum : VFR_TXSCHED_DEFAULT_QUANTUM,
	       skewed ? "64-100 vs 1400-1514" : "64..1514", j);
	CHECK(j >= 0.99);
	CHECK(m.fifo_ok);
}

static void test_limited(const char *rate, uint64_t expect_bps, uint32_t n)
{
	uint64_t total = 0, idle;
	double err, j;
	uint32_t i;

	sim_init(&m, n, 0);
	sim_limit(&m, 0, rate);
	idle = sim_run(&m, SECOND);
	for (i = 0; i < n; i++)
		total += m.bytes[i];
	err = ((double)m.bytes[0] - (double)expect_bps) / (double)expect_bps;
	j = jain(m.bytes, 1, n);
	printf("limit %-14s: %llu B/s (%+.3f%%), max %llu B in one interval "
	       "(credit %llu), others Jain %.9f, link busy %.3f%%\n", rate,
	       (unsigned long long)m.bytes[0], err * 100,
	       (unsigned long long)m.max_interval_bytes,
	       (unsigned long long)m.per_interval, j,
	       100.0 * (double)total / (SECOND / NS_PER_BYTE));
	CHECK(fabs(err) <= 0.02);
	CHECK(m.cum_ok);
	CHECK(m.max_interval_bytes <= m.per_interval + 1513);
	CHECK(j >= 0.99);
	CHECK_EQ(idle, 0);	/* the others soak up what the limit leaves */
	CHECK(m.fifo_ok);
}

static void test_work_conserving(void)
{
	uint32_t i;
	uint64_t idle;

	sim_init(&m, 8, 0);
	for (i = 1; i < 8; i++)
		m.busy[i] = false;
	idle = sim_run(&m, SECOND);
	printf("work-conserving: 1 busy of 8 VIFs sends %llu of %llu B/s\n",
	       (unsigned long long)m.bytes[0],
	       (unsigned long long)(SECOND / NS_PER_BYTE));
	CHECK_EQ(idle, 0);
	CHECK_EQ(m.bytes[0], SECOND / NS_PER_BYTE);

	/* a limited VIF alone: the link idles rather than break the limit */
	sim_init(&m, 2, 0);
	m.busy[1] = false;
	sim_limit(&m, 0, "10Mb/s@20ms");
	idle = sim_run(&m, SECOND);
	CHECK(idle > SECOND * 9 / 10);
	CHECK(m.bytes[0] >= 1250000 * 98 / 100 &&
	      m.bytes[0] <= 1250000 * 102 / 100);
	CHECK(m.cum_ok);
}

/* One credit, two outputs: the VIF's total is limited, not each path. */
static void test_shared_credit(void)
{
	static struct vfr_txsched_source src_a[2], src_b[2];
	static struct vfr_txsched_desc qa[2][QCAP], qb[2][QCAP];
	struct vfr_txsched a, b;
	struct vfr_credit c;
	struct vfr_rate r;
	uint64_t t = 0, sent = 0;
	uint32_t i;

	CHECK_EQ(vfr_rate_parse("1MB/s@10ms", 10, &r, NULL), 0);
	vfr_credit_init(&c, &r, 0);
	CHECK_EQ(vfr_txsched_init(&a, src_a, 2, 0), 0);
	CHECK_EQ(vfr_txsched_init(&b, src_b, 2, 0), 0);
	for (i = 0; i < 2; i++) {
		CHECK_EQ(vfr_txsched_source_init(&a, (uint16_t)i, 1, qa[i],
						 QCAP), 0);
		CHECK_EQ(vfr_txsched_source_init(&b, (uint16_t)i, 1, qb[i],
						 QCAP), 0);
	}
	CHECK_EQ(vfr_txsched_set_credit(&a, 0, &c), 0);
	CHECK_EQ(vfr_txsched_set_credit(&b, 0, &c), 0);
	for (; t < SECOND; t += 1000 * 1000) {	/* both outputs poll each ms */
		struct vfr_txsched_pkt p;

		while (vfr_txsched_backlog(&a, 0) < QCAP)
			vfr_txsched_enqueue(&a, 0, 1000, 0);
		while (vfr_txsched_backlog(&b, 0) < QCAP)
			vfr_txsched_enqueue(&b, 0, 1000, 0);
		while (vfr_txsched_dequeue(&a, t, &p, NULL) == 0)
			sent += p.desc.len;
		while (vfr_txsched_dequeue(&b, t, &p, NULL) == 0)
			sent += p.desc.len;
	}
	printf("shared credit 1MB/s@10ms over two outputs: %llu B in 1 s\n",
	       (unsigned long long)sent);
	CHECK(sent >= 1000000 * 98 / 100 && sent <= 1000000 * 102 / 100);
}

struct rate_case {
	const char *text;
	int rc;
	uint64_t bps;
	uint32_t interval_us;
	uint64_t per_interval;
};

static const struct rate_case rate_cases[] = {
	{ "10Mb/s@20ms", 0, 1250000, 20000, 25000 },
	{ "10Mb/s", 0, 1250000, 50000, 62500 },
	{ "250KB/s", 0, 250000, 50000, 12500 },
	{ "250kB/s", 0, 250000, 50000, 12500 },
	{ "1MB/s@20ms", 0, 1000000, 20000, 20000 },
	{ "1GB/s@1ms", 0, 1000000000, 1000, 1000000 },
	{ "1Gb/s@100us", 0, 125000000, 100, 12500 },
	{ "100b/s@1s", 0, 12, 1000000, 12 },
	{ "8kb/s@2s", 0, 1000, 2000000, 2000 },
	{ "1500B/s@1s", 0, 1500, 1000000, 1500 },
	{ "4294967295GB/s@1us", 0, 4294967295000000000ull, 1, 4294967295000ull },
	{ "", -VFR_EINVAL, 0, 0, 0 },
	{ "@20ms", -VFR_EINVAL, 0, 0, 0 },
	{ "10Mb", -VFR_EINVAL, 0, 0, 0 },
	{ "10Mb/", -VFR_EINVAL, 0, 0, 0 },
	{ "10Mb/m", -VFR_EINVAL, 0, 0, 0 },
	{ "10M/s", -VFR_EINVAL, 0, 0, 0 },
	{ "10TB/s", -VFR_EINVAL, 0, 0, 0 },
	{ "10mb/s", -VFR_EINVAL, 0, 0, 0 },
	{ "0MB/s", -VFR_EINVAL, 0, 0, 0 },
	{ "-1MB/s", -VFR_EINVAL, 0, 0, 0 },
	{ " 1MB/s", -VFR_EINVAL, 0, 0, 0 },
	{ "1MB/s ", -VFR_EINVAL, 0, 0, 0 },
	{ "1.5MB/s", -VFR_EINVAL, 0, 0, 0 },
	{ "1b/s", -VFR_EINVAL, 0, 0, 0 },
	{ "4294967296B/s", -VFR_EOVERFLOW, 0, 0, 0 },
	{ "99999999999999999999999B/s", -VFR_EOVERFLOW, 0, 0, 0 },
	{ "1MB/s@", -VFR_EINVAL, 0, 0, 0 },
	{ "1MB/s@20", -VFR_EINVAL, 0, 0, 0 },
	{ "1MB/s@20m", -VFR_EINVAL, 0, 0, 0 },
	{ "1MB/s@20ns", -VFR_EINVAL, 0, 0, 0 },
	{ "1MB/s@0ms", -VFR_EINVAL, 0, 0, 0 },
	{ "1MB/s@20ms@5ms", -VFR_EINVAL, 0, 0, 0 },
	{ "1MB/s@5000s", -VFR_EOVERFLOW, 0, 0, 0 },
	{ "1B/s@1ms", -VFR_EINVAL, 0, 0, 0 },
	{ "4294967295GB/s@1s", -VFR_EOVERFLOW, 0, 0, 0 },
};

static void test_rate_parse(void)
{
	size_t i;

	for (i = 0; i < sizeof(rate_cases) / sizeof(rate_cases[0]); i++) {
		const struct rate_case *c = &rate_cases[i];
		struct vfr_rate r = { 1, 1, 1 };
		const char *why = NULL;
		int rc = vfr_rate_parse(c->text, strlen(c->text), &r, &why);

		if (rc != c->rc)
			fprintf(stderr, "rate '%s': rc %d (%s)\n", c->text, rc,
				why ? why : "");
		CHECK_EQ(rc, c->rc);
		if (c->rc) {
			CHECK(why != NULL && why[0] != '\0');
			continue;
		}
		CHECK_EQ(r.bytes_per_sec, c->bps);
		CHECK_EQ(r.interval_us, c->interval_us);
		CHECK_EQ(r.bytes_per_interval, c->per_interval);
	}
	/* length-bounded: no reading past len, embedded NUL refused */
	{
		struct vfr_rate r;

		CHECK_EQ(vfr_rate_parse("10Mb/s@20msGARBAGE", 11, &r, NULL), 0);
		CHECK_EQ(r.interval_us, 20000);
		CHECK_EQ(vfr_rate_parse("10Mb/s\0@1s", 10, &r, NULL),
			 -VFR_EINVAL);
		CHECK_EQ(vfr_rate_parse(NULL, 3, &r, NULL), -VFR_EINVAL);
	}
}

/* Queue limits, FIFO, wake-up times, argument checking. */
static void test_api(void)
{
	static struct vfr_txsched_source src[3];
	static struct vfr_txsched_desc q0[4], q1[4];
	struct vfr_txsched s;
	struct vfr_txsched_pkt p;
	struct vfr_credit c;
	struct vfr_rate r;
	uint64_t wake = 0;
	uint32_t i;

	CHECK_EQ(vfr_txsched_init(&s, src, 0, 0), -VFR_EINVAL);
	CHECK_EQ(vfr_txsched_init(&s, src, 3, 10), -VFR_EINVAL);
	CHECK_EQ(vfr_txsched_init(&s, src, 3, 0), 0);
	CHECK_EQ(s.quantum, VFR_TXSCHED_DEFAULT_QUANTUM);
	CHECK_EQ(vfr_txsched_source_init(&s, 3, 1, q0, 4), -VFR_EINVAL);
	CHECK_EQ(vfr_txsched_source_init(&s, 0, 1, NULL, 4), -VFR_EINVAL);
	CHECK_EQ(vfr_txsched_source_init(&s, 0, 1, q0, 4), 0);
	CHECK_EQ(vfr_txsched_source_init(&s, 1, 2, q1, 4), 0);
	CHECK_EQ(vfr_txsched_dequeue(&s, 0, &p, &wake), -VFR_ENODATA);
	CHECK_EQ(vfr_txsched_enqueue(&s, 2, 100, 0), -VFR_EINVAL); /* no q */
	CHECK_EQ(vfr_txsched_enqueue(&s, 0, 0, 0), -VFR_EINVAL);
	CHECK_EQ(vfr_txsched_enqueue(&s, 0, 65536, 0), -VFR_EINVAL);
	for (i = 0; i < 4; i++)
		CHECK_EQ(vfr_txsched_enqueue(&s, 0, 1000, i), 0);
	CHECK_EQ(vfr_txsched_enqueue(&s, 0, 1000, 9), -VFR_ENOBUFS);
	CHECK_EQ(src[0].enqueue_refused, 1);
	CHECK_EQ(vfr_txsched_source_init(&s, 0, 1, q0, 4), -VFR_EINVAL);
	for (i = 0; i < 4; i++) {
		CHECK_EQ(vfr_txsched_dequeue(&s, 0, &p, NULL), 0);
		CHECK_EQ(p.desc.cookie, i);
		CHECK_EQ(p.vif, 1);
	}
	CHECK_EQ(vfr_txsched_dequeue(&s, 0, &p, NULL), -VFR_ENODATA);

	/* credit 3000 B per 10 ms: two 1000 B frames fit, the third
	 * overdraws to -1000, then the source waits for t = 10 ms */
	CHECK_EQ(vfr_rate_parse("300KB/s@10ms", 12, &r, NULL), 0);
	vfr_credit_init(&c, &r, 5);
	CHECK_EQ(vfr_txsched_set_credit(&s, 0, &c), 0);
	for (i = 0; i < 4; i++)
		CHECK_EQ(vfr_txsched_enqueue(&s, 0, 1000, i), 0);
	for (i = 0; i < 3; i++)
		CHECK_EQ(vfr_txsched_dequeue(&s, 100, &p, NULL), 0);
	CHECK_EQ(c.balance, 0);
	CHECK_EQ(vfr_txsched_dequeue(&s, 100, &p, &wake), -VFR_EAGAIN);
	CHECK_EQ(wake, 10000005);
	/* an unlimited source is served while the limited one waits */
	CHECK_EQ(vfr_txsched_enqueue(&s, 1, 500, 77), 0);
	CHECK_EQ(vfr_txsched_dequeue(&s, 200, &p, &wake), 0);
	CHECK_EQ(p.desc.cookie, 77);
	CHECK_EQ(vfr_txsched_dequeue(&s, 10000004, &p, &wake), -VFR_EAGAIN);
	CHECK_EQ(vfr_txsched_dequeue(&s, 10000005, &p, &wake), 0);
	CHECK_EQ(p.desc.cookie, 3);

	/* overdraft: a 2500 B frame on 3000 B credit after 1000 B sent */
	vfr_credit_init(&c, &r, 0);
	CHECK_EQ(vfr_txsched_enqueue(&s, 0, 1000, 1), 0);
	CHECK_EQ(vfr_txsched_enqueue(&s, 0, 2500, 2), 0);
	CHECK_EQ(vfr_txsched_enqueue(&s, 0, 100, 3), 0);
	CHECK_EQ(vfr_txsched_dequeue(&s, 1, &p, NULL), 0);
	CHECK_EQ(vfr_txsched_dequeue(&s, 1, &p, NULL), 0);
	CHECK_EQ(c.balance, -500);
	CHECK_EQ(vfr_txsched_dequeue(&s, 1, &p, &wake), -VFR_EAGAIN);
	CHECK_EQ(wake, 10000000);
	/* the debt is repaid from the next interval: 2500 left */
	CHECK_EQ(vfr_txsched_dequeue(&s, 10000000, &p, NULL), 0);
	CHECK_EQ(c.balance, 2400);
	/* long idle: bucket refills to one interval's credit, no more */
	vfr_credit_replenish(&c, 10 * SECOND);
	CHECK_EQ(c.balance, 3000);
	CHECK_EQ(c.next_replenish_ns, 10 * SECOND + 10000000);
}

int main(void)
{
	test_rate_parse();
	test_api();
	test_fairness(8, 0, false);
	test_fairness(8, 300, false);
	test_fairness(4, 0, true);
	test_fairness(16, 0, true);
	test_limited("10Mb/s@20ms", 1250000, 5);
	test_limited("10Mb/s", 1250000, 5);
	test_limited("1MB/s@20ms", 1000000, 4);
	test_limited("250KB/s", 250000, 3);
	test_limited("50Mb/s@1ms", 6250000, 8);
	test_limited("100Mb/s@100ms", 12500000, 4);
	test_limited("2Mb/s@10ms", 250000, 6);
	test_work_conserving();
	test_shared_credit();
	return check_done();
}
