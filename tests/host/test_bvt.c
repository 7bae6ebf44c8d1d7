/*
 * test_bvt.c - host unit tests for hyp/bvt.c, the BVT scheduling policy.
 *
 * Most tests drive the policy with a small simulator of one CPU and a 1 ms
 * timer tick: at each tick it delivers due wake-ups, calls pick when the
 * last slice has run out, something woke or the running entity blocked,
 * and credits the tick to whatever runs.  Entities are CPU-bound, or
 * "bursty" (wake every period, run a burst of CPU, block).  The simulator
 * keeps its own ledger of who ran when, independent of the policy's
 * counters, and measures shares, run streaks and wake-up latencies
 * (ticks from a wake to the first tick run).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../hyp/bvt.h"
#include <public/errno.h>

#define TICK	1000000ull		/* 1 ms */
#define SEC	1000000000ull
#define MS	1000000ull

struct sim_entity {
	struct sched_entity se;
	/* Behaviour: CPU-bound when burst == 0. */
	uint64_t burst, period, first_wake;
	/* State. */
	bool asleep, waiting;
	uint64_t next_wake, burst_left, woke_at;
	/* Ledger. */
	uint64_t ran, streak, max_streak, first_streak;
	bool first_streak_done, ever_ran;
	uint64_t wakes, latency_sum, latency_max;
};

struct sim {
	struct sched_policy p;
	struct sim_entity *ents;
	unsigned int n;
	uint64_t now, deadline;
	struct sched_entity *cur;
	bool resched, pick_every_tick;
	uint64_t switches, idle;
};

static void sim_init(struct sim *s, struct sim_entity *ents, unsigned int n,
		     uint64_t ctx_allow)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	memset(ents, 0, n * sizeof(*ents));
	s->ents = ents;
	s->n = n;
	sched_bvt_ops.init(&s->p);
	CHECK_EQ(sched_bvt_set_ctx_allow(&s->p, ctx_allow), 0);
	for (i = 0; i < n; i++) {
		sched_bvt_ops.add(&s->p, &ents[i].se);
		ents[i].asleep = true;
	}
}

static struct sim_entity *sim_of(struct sched_entity *se)
{
	return (struct sim_entity *)((char *)se - offsetof(struct sim_entity, se));
}

static void sim_wakes(struct sim *s)
{
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		struct sim_entity *e = &s->ents[i];

		if (!e->asleep || e->next_wake > s->now || !e->se.policy)
			continue;
		sched_bvt_ops.wake(&s->p, &e->se, s->now);
		e->asleep = false;
		e->burst_left = e->burst;
		e->waiting = true;
		e->woke_at = s->now;
		e->wakes++;
		s->resched = true;
	}
}

/* Credit one tick to the running entity; it may block at the tick's end. */
static void sim_run_tick(struct sim *s)
{
	struct sim_entity *e = sim_of(s->cur);
	uint64_t lat;

	e->ran += TICK;
	e->ever_ran = true;
	e->streak += TICK;
	if (e->streak > e->max_streak)
		e->max_streak = e->streak;
	if (e->waiting) {
		lat = s->now - e->woke_at;
		e->latency_sum += lat;
		if (lat > e->latency_max)
			e->latency_max = lat;
		e->waiting = false;
	}
	if (!e->burst)
		return;
	e->burst_left -= TICK;
	if (e->burst_left)
		return;
	sched_bvt_ops.sleep(&s->p, &e->se, s->now + TICK);
	e->asleep = true;
	e->next_wake = e->woke_at + e->period;
	if (e->next_wake <= s->now + TICK)
		e->next_wake = s->now + TICK;
	s->resched = true;
}

static void sim_end_streak(struct sim_entity *e)
{
	if (!e->first_streak_done && e->streak) {
		e->first_streak = e->streak;
		e->first_streak_done = true;
	}
	e->streak = 0;
}

static void sim_pick(struct sim *s)
{
	struct sched_entity *prev = s->cur;
	uint64_t slice = 0;

	s->cur = sched_bvt_ops.pick(&s->p, s->now, &slice);
	if (s->cur) {
		CHECK(s->cur->runnable);
		CHECK(slice >= BVT_SLICE_MIN_NS && slice <= BVT_SLICE_MAX_NS);
	}
	s->deadline = s->now + slice;
	s->resched = false;
	if (prev != s->cur) {
		s->switches++;
		if (prev)
			sim_end_streak(sim_of(prev));
	}
}

static void sim_run(struct sim *s, uint64_t until)
{
	while (s->now < until) {
		sim_wakes(s);
		if (s->resched || s->pick_every_tick || !s->cur ||
		    s->now >= s->deadline)
			sim_pick(s);
		if (s->cur)
			sim_run_tick(s);
		else
			s->idle += TICK;
		s->now += TICK;
	}
}

/* Parts per million of x in total. */
static long long ppm(uint64_t x, uint64_t total)
{
	return (long long)(x * 1000000ull / total);
}

static void test_shares_1_2_3(void)
{
	struct sim_entity ents[3];
	struct sim s;
	unsigned int i;
	uint64_t total = 0;

	sim_init(&s, ents, 3, BVT_CTX_ALLOW_DEFAULT_NS);
	for (i = 0; i < 3; i++)
		CHECK_EQ(sched_bvt_ops.set_params(&s.p, &ents[i].se, 100 * (i + 1),
						  0, 0, 0), 0);
	sim_run(&s, 10 * SEC);
	for (i = 0; i < 3; i++) {
		long long want = 1000000ll * (i + 1) / 6;
		long long got = ppm(ents[i].ran, 10 * SEC);

		total += ents[i].ran;
		printf("shares 1:2:3: entity %u weight %u share %lld ppm "
		       "(want %lld), policy counted %llu ns\n", i,
		       ents[i].se.weight, got, want,
		       (unsigned long long)ents[i].se.ran_ns);
		/* Within 1% of the expected share, relatively. */
		CHECK(llabs(got - want) * 100 < want);
	}
	CHECK_EQ(total, 10 * SEC);
	CHECK_EQ(s.idle, 0);
	printf("shares 1:2:3: %llu switches in 10 s\n",
	       (unsigned long long)s.switches);
}

/*
 * Three CPU-bound entities run alone for 5 s; a fourth of the same weight
 * sleeps through them, then wakes CPU-bound.  It must not have banked 5 s
 * of credit (a continuous run of about C at most), must run soon, and must
 * get its quarter of the remaining time.
 */
static void test_sleeper(void)
{
	struct sim_entity ents[4];
	struct sim s;
	struct sim_entity *late = &ents[3];
	uint64_t before[4], others_max = 0;
	unsigned int i;

	sim_init(&s, ents, 4, BVT_CTX_ALLOW_DEFAULT_NS);
	late->next_wake = 5 * SEC;
	sim_run(&s, 5 * SEC);
	CHECK_EQ(late->ran, 0);
	for (i = 0; i < 4; i++) {
		before[i] = ents[i].ran;
		ents[i].max_streak = 0;
	}
	sim_run(&s, 10 * SEC);
	for (i = 0; i < 3; i++)
		if (ents[i].max_streak > others_max)
			others_max = ents[i].max_streak;
	printf("sleeper: woke at 5 s, latency %llu ns, longest run %llu ns "
	       "(others %llu ns), then %lld ppm of the rest\n",
	       (unsigned long long)late->latency_max,
	       (unsigned long long)late->max_streak,
	       (unsigned long long)others_max,
	       ppm(late->ran, 5 * SEC));
	CHECK(late->ever_ran);
	/* Not starved: at worst the current one uses its allowance and the
	 * two others at the same AVT take one turn each first. */
	CHECK(late->latency_max <= 3 * (2 * BVT_CTX_ALLOW_DEFAULT_NS + 2 * TICK));
	/* No banked credit: its turns are no longer than the others' + C,
	 * and no turn is longer than 2C + 2 ticks (from C + a tick behind
	 * to more than C ahead). */
	CHECK(late->max_streak <= 2 * BVT_CTX_ALLOW_DEFAULT_NS + 2 * TICK);
	CHECK(late->max_streak <= others_max + BVT_CTX_ALLOW_DEFAULT_NS);
	for (i = 0; i < 4; i++) {
		long long got = ppm(ents[i].ran - before[i], 5 * SEC);

		CHECK(llabs(got - 250000) < 2500);
	}
}

/* A bursty entity (1 ms every 20 ms) among three CPU-bound ones; returns
 * its mean wake-up latency in ns and checks the run did what it should. */
static uint64_t bursty_latency(int64_t warp, uint64_t *max_latency)
{
	struct sim_entity ents[4];
	struct sim s;
	struct sim_entity *io = &ents[3];

	sim_init(&s, ents, 4, BVT_CTX_ALLOW_DEFAULT_NS);
	io->burst = TICK;
	io->period = 20 * MS;
	io->next_wake = 7 * MS;
	CHECK_EQ(sched_bvt_ops.set_params(&s.p, &io->se, BVT_WEIGHT_DEFAULT,
					  warp, 2 * MS, 5 * MS), 0);
	sim_run(&s, 10 * SEC);
	CHECK(io->wakes >= 490);
	CHECK(io->ran >= (io->wakes - 1) * TICK);	/* every burst served */
	*max_latency = io->latency_max;
	return io->latency_sum / io->wakes;
}

static void test_warp_latency(void)
{
	uint64_t mean_plain, max_plain, mean_warp, max_warp;

	mean_plain = bursty_latency(0, &max_plain);
	mean_warp = bursty_latency(10 * MS, &max_warp);
	printf("wake-up latency under load: unwarped mean %llu ns max %llu ns; "
	       "warped mean %llu ns max %llu ns\n",
	       (unsigned long long)mean_plain, (unsigned long long)max_plain,
	       (unsigned long long)mean_warp, (unsigned long long)max_warp);
	CHECK(max_warp == 0);		/* runs at the pick its wake caused */
	CHECK(mean_warp < mean_plain);
	CHECK(max_warp < max_plain);
}

/*
 * Warp limit and unwarp time, by direct calls: two CPU-bound entities and
 * one with a huge warp (1 s), limit 5 ms, unwarp 50 ms.
 */
static void test_warp_limits(void)
{
	struct sim_entity ents[3];
	struct sim s;
	struct sim_entity *w = &ents[2];
	uint64_t end_first;

	sim_init(&s, ents, 3, BVT_CTX_ALLOW_DEFAULT_NS);
	w->next_wake = UINT64_MAX;
	CHECK_EQ(sched_bvt_ops.set_params(&s.p, &w->se, BVT_WEIGHT_DEFAULT,
					  SEC, 5 * MS, 50 * MS), 0);
	sim_run(&s, SEC);
	w->next_wake = SEC;		/* wakes CPU-bound at 1 s */
	sim_run(&s, SEC + TICK);
	CHECK(w->se.warped);
	CHECK_EQ(w->latency_max, 0);
	sim_run(&s, 2 * SEC);
	printf("warp limit 5 ms: first run after the wake %llu ns\n",
	       (unsigned long long)w->first_streak);
	/* It ran its whole warp at once, and no more than the limit + C. */
	CHECK(w->first_streak >= 5 * MS);
	CHECK(w->first_streak <= 5 * MS + BVT_CTX_ALLOW_DEFAULT_NS + TICK);
	CHECK(!w->se.warped);
	/* Its warp ended about 1.005 s; sleep, wake before the unwarp time
	 * is over: no warp. */
	end_first = w->se.warp_allowed_at - 50 * MS;
	CHECK(end_first >= SEC + 5 * MS && end_first <= SEC + 7 * MS);
	sched_bvt_ops.sleep(&s.p, &w->se, end_first + 10 * MS);
	sched_bvt_ops.wake(&s.p, &w->se, end_first + 30 * MS);
	CHECK(!w->se.warped);
	sched_bvt_ops.sleep(&s.p, &w->se, end_first + 40 * MS);
	sched_bvt_ops.wake(&s.p, &w->se, end_first + 50 * MS - 1);
	CHECK(!w->se.warped);
	sched_bvt_ops.sleep(&s.p, &w->se, end_first + 50 * MS);
	sched_bvt_ops.wake(&s.p, &w->se, end_first + 50 * MS);
	CHECK(w->se.warped);
	/* Sleeping while warped ends the warp and starts the unwarp time. */
	sched_bvt_ops.sleep(&s.p, &w->se, 3 * SEC);
	CHECK(!w->se.warped);
	CHECK_EQ(w->se.warp_allowed_at, 3 * SEC + 50 * MS);
	/* Without a limit on the warp it would have run for far longer: the
	 * same setup with a 1 s limit keeps the CPU for hundreds of ms. */
	sim_init(&s, ents, 3, BVT_CTX_ALLOW_DEFAULT_NS);
	w->next_wake = SEC;
	CHECK_EQ(sched_bvt_ops.set_params(&s.p, &w->se, BVT_WEIGHT_DEFAULT,
					  SEC, SEC, 50 * MS), 0);
	sim_run(&s, 3 * SEC);
	CHECK(w->first_streak > 100 * MS);
}

/* Two equal CPU-bound entities, pick at every tick: C keeps each on the
 * CPU for about 2C per turn; with C = 0 they alternate every other tick. */
static void test_ctx_allow(void)
{
	struct sim_entity ents[2];
	struct sim s;
	uint64_t switches_c;

	sim_init(&s, ents, 2, 5 * MS);
	s.pick_every_tick = true;
	sim_run(&s, SEC);
	switches_c = s.switches;
	printf("C = 5 ms: longest runs %llu and %llu ns\n",
	       (unsigned long long)ents[0].max_streak,
	       (unsigned long long)ents[1].max_streak);
	/* A turn: from C (+ a tick) behind to more than C ahead. */
	CHECK(ents[0].max_streak <= 10 * MS + 2 * TICK);
	CHECK(ents[1].max_streak <= 10 * MS + 2 * TICK);
	CHECK(switches_c >= SEC / (10 * MS + 2 * TICK) - 1);
	CHECK(switches_c <= SEC / (10 * MS));
	CHECK(llabs((long long)ents[0].ran - (long long)ents[1].ran) <= 6 * MS);

	sim_init(&s, ents, 2, 0);
	s.pick_every_tick = true;
	sim_run(&s, SEC);
	printf("C = 5 ms: %llu switches/s; C = 0: %llu switches/s\n",
	       (unsigned long long)switches_c, (unsigned long long)s.switches);
	/* C = 0: a tick puts the runner ahead; the other catches up to a
	 * tie in one tick (ties keep the current one) and passes in two. */
	CHECK(s.switches >= 450 && s.switches <= 510);
}

/* 1,024 CPU-bound entities of weights 1..4 (x 64) for 60 s: each one's run
 * time is its weighted share to within the BVT lag bound. */
static void test_many(void)
{
	enum { N = 1024 };
	static struct sim_entity ents[N];
	struct sim s;
	uint64_t sum_w = 0, total = 0;
	long long worst = 0;
	unsigned int i;

	sim_init(&s, ents, N, BVT_CTX_ALLOW_DEFAULT_NS);
	for (i = 0; i < N; i++) {
		CHECK_EQ(sched_bvt_ops.set_params(&s.p, &ents[i].se, 64 * (i % 4 + 1),
						  0, 0, 0), 0);
		sum_w += 64 * (i % 4 + 1);
	}
	sim_run(&s, 60 * SEC);
	CHECK_EQ(s.p.nr_runnable, N);
	for (i = 0; i < N; i++) {
		long long want = (long long)(60 * SEC * ents[i].se.weight / sum_w);
		long long err = llabs((long long)ents[i].ran - want);
		/* Lag: AVTs stay within (C + a tick) / w_min of each other. */
		long long bound = (long long)((BVT_CTX_ALLOW_DEFAULT_NS + 2 * TICK) *
					      ents[i].se.weight / 64);

		total += ents[i].ran;
		CHECK(err <= bound);
		if (err * 1000 / want > worst)
			worst = err * 1000 / want;
	}
	CHECK_EQ(total, 60 * SEC);
	printf("1024 entities, 60 s: worst deviation from the weighted share "
	       "%lld.%lld%%, %llu switches\n", worst / 10, worst % 10,
	       (unsigned long long)s.switches);
}

static void test_remove_running(void)
{
	struct sim_entity ents[3];
	struct sim s;
	struct sched_entity *victim;
	uint64_t slice, ran_b;
	unsigned int i;

	sim_init(&s, ents, 3, BVT_CTX_ALLOW_DEFAULT_NS);
	sim_run(&s, 100 * MS);
	victim = s.cur;
	CHECK(victim != NULL);
	sched_bvt_ops.remove(&s.p, victim);
	CHECK(victim->policy == NULL && !victim->runnable);
	CHECK_EQ(s.p.nr_entities, 2);
	CHECK_EQ(s.p.nr_runnable, 2);
	sim_of(victim)->asleep = true;
	sim_of(victim)->next_wake = 0;	/* sim_wakes skips removed ones */
	s.resched = true;
	ran_b = sim_of(victim)->ran;
	sim_run(&s, SEC);
	CHECK_EQ(sim_of(victim)->ran, ran_b);	/* never picked again */
	/* Removing twice, waking or sleeping a removed entity: no effect. */
	sched_bvt_ops.remove(&s.p, victim);
	sched_bvt_ops.wake(&s.p, victim, s.now);
	sched_bvt_ops.sleep(&s.p, victim, s.now);
	CHECK_EQ(s.p.nr_entities, 2);
	CHECK_EQ(s.p.nr_runnable, 2);
	CHECK_EQ(sched_bvt_ops.set_params(&s.p, victim, 10, 0, 0, 0), -XEN_EINVAL);
	/* Remove the rest, the running one last: the CPU idles. */
	CHECK(sched_bvt_ops.pick(&s.p, s.now, &slice) != NULL);
	for (i = 0; i < 3; i++)
		if (&ents[i].se != s.p.current)
			sched_bvt_ops.remove(&s.p, &ents[i].se);
	CHECK_EQ(s.p.nr_entities, 1);
	sched_bvt_ops.remove(&s.p, s.p.current);
	CHECK(s.p.current == NULL);
	CHECK(sched_bvt_ops.pick(&s.p, s.now + MS, &slice) == NULL);
	CHECK_EQ(slice, 0);
	CHECK_EQ(s.p.nr_entities, 0);
	CHECK_EQ(sched_bvt_ops.set_params(&s.p, &ents[0].se, 10, 0, 0, 0), -XEN_EINVAL);
}

/* Waking when nothing is runnable raises AVT to the last runner's AVT. */
static void test_svt_when_idle(void)
{
	struct sched_policy p;
	struct sched_entity a, b;
	uint64_t slice;

	sched_bvt_ops.init(&p);
	sched_bvt_ops.add(&p, &a);
	sched_bvt_ops.add(&p, &b);
	sched_bvt_ops.wake(&p, &a, 0);
	sched_bvt_ops.wake(&p, &a, 0);		/* twice: no effect */
	CHECK_EQ(p.nr_runnable, 1);
	CHECK(sched_bvt_ops.pick(&p, 0, &slice) == &a);
	CHECK_EQ(slice, BVT_SLICE_MAX_NS);	/* alone */
	sched_bvt_ops.sleep(&p, &a, 256 * MS);
	sched_bvt_ops.sleep(&p, &a, 300 * MS);	/* twice: no effect */
	CHECK_EQ(a.avt, MS);			/* 256 ms / weight 256 */
	CHECK_EQ(a.ran_ns, 256 * MS);
	CHECK(sched_bvt_ops.pick(&p, 256 * MS, &slice) == NULL);
	sched_bvt_ops.wake(&p, &b, SEC);
	CHECK_EQ(b.avt, MS);
	CHECK(sched_bvt_ops.pick(&p, SEC, &slice) == &b);
	/* Time going backwards charges nothing. */
	CHECK(sched_bvt_ops.pick(&p, SEC - 5, &slice) == &b);
	CHECK_EQ(b.avt, MS);
}

/* AVT is ns / weight exactly, however short the runs; a wake sees the
 * running entity's AVT up to the moment of the wake. */
static void test_exact_charge(void)
{
	struct sched_policy p;
	struct sched_entity a, b;
	uint64_t slice, t;

	sched_bvt_ops.init(&p);
	sched_bvt_ops.add(&p, &a);
	sched_bvt_ops.add(&p, &b);
	CHECK_EQ(sched_bvt_ops.set_params(&p, &a, 7, 0, 0, 0), 0);
	sched_bvt_ops.wake(&p, &a, 0);
	for (t = 0; t <= 7000; t += 3)
		CHECK(sched_bvt_ops.pick(&p, t, &slice) == &a);
	CHECK_EQ(a.ran_ns, 6999);
	CHECK_EQ(a.avt, 6999 / 7);
	CHECK_EQ(a.vt_rem, 6999 % 7);
	sched_bvt_ops.wake(&p, &b, 7000 + 7 * 1000);
	CHECK_EQ(a.avt, 14000 / 7);
	CHECK_EQ(b.avt, 14000 / 7);
}

static void test_params(void)
{
	struct sched_policy p;
	struct sched_entity e;
	const struct sched_ops *ops = &sched_bvt_ops;

	ops->init(&p);
	ops->add(&p, &e);
	CHECK_EQ(e.weight, BVT_WEIGHT_DEFAULT);
	CHECK_EQ(ops->set_params(&p, &e, 0, 0, 0, 0), -XEN_EINVAL);
	CHECK_EQ(ops->set_params(&p, &e, 65536, 0, 0, 0), -XEN_EINVAL);
	CHECK_EQ(ops->set_params(&p, &e, UINT32_MAX, 0, 0, 0), -XEN_EINVAL);
	CHECK_EQ(ops->set_params(&p, &e, 10, -1, MS, 0), -XEN_EINVAL);
	CHECK_EQ(ops->set_params(&p, &e, 10, INT64_MIN, MS, 0), -XEN_EINVAL);
	CHECK_EQ(ops->set_params(&p, &e, 10, MS, 0, 0), -XEN_EINVAL);
	CHECK_EQ(ops->set_params(&p, &e, 10, 10 * SEC + 1, MS, 0), -XEN_EINVAL);
	CHECK_EQ(ops->set_params(&p, &e, 10, MS, 10 * SEC + 1, 0), -XEN_EINVAL);
	CHECK_EQ(ops->set_params(&p, &e, 10, MS, MS, 10 * SEC + 1), -XEN_EINVAL);
	CHECK_EQ(ops->set_params(&p, &e, 10, 0, UINT64_MAX, 0), -XEN_EINVAL);
	CHECK_EQ(e.weight, BVT_WEIGHT_DEFAULT);	/* refusals change nothing */
	CHECK_EQ(e.warp_ns, 0);
	CHECK_EQ(ops->set_params(&p, &e, 1, 0, 0, 0), 0);
	CHECK_EQ(ops->set_params(&p, &e, 65535, 10 * SEC, 10 * SEC, 10 * SEC), 0);
	CHECK_EQ(e.warp_vt, 10 * SEC / 65535);
	CHECK_EQ(ops->set_params(&p, &e, 100, 0, 0, 0), 0);
	CHECK_EQ(e.warp_ns, 0);
	CHECK_EQ(e.ctx_allow_vt, BVT_CTX_ALLOW_DEFAULT_NS / 100);
	CHECK_EQ(sched_bvt_set_ctx_allow(&p, MS), -XEN_EBUSY);
	ops->remove(&p, &e);
	CHECK_EQ(sched_bvt_set_ctx_allow(&p, 10 * SEC + 1), -XEN_EINVAL);
	CHECK_EQ(sched_bvt_set_ctx_allow(&p, 2 * MS), 0);
	CHECK(strcmp(ops->name, "bvt") == 0);
}

/*
 * Yield: two runnable entities, a current and within its allowance (it
 * would keep the CPU); after a yield the next pick returns b, and only
 * once: the pick after that is the normal rule again.  Alone, a yielding
 * entity keeps the CPU.  A yield by an entity that is not current does
 * nothing.
 */
static void test_yield(void)
{
	struct sched_policy p;
	struct sched_entity a, b;
	uint64_t slice;

	sched_bvt_ops.init(&p);
	sched_bvt_ops.add(&p, &a);
	sched_bvt_ops.add(&p, &b);
	sched_bvt_ops.wake(&p, &a, 0);
	CHECK(sched_bvt_ops.pick(&p, 0, &slice) == &a);
	sched_bvt_ops.yield(&p, &a);
	CHECK(sched_bvt_ops.pick(&p, 10, &slice) == &a);	/* alone */
	sched_bvt_ops.wake(&p, &b, 20);
	CHECK(sched_bvt_ops.pick(&p, 30, &slice) == &a);	/* allowance */
	sched_bvt_ops.yield(&p, &b);				/* not current */
	CHECK(sched_bvt_ops.pick(&p, 40, &slice) == &a);
	sched_bvt_ops.yield(&p, &a);
	CHECK(sched_bvt_ops.pick(&p, 50, &slice) == &b);
	CHECK(sched_bvt_ops.pick(&p, 60, &slice) == &b);	/* b within C */
	CHECK(!p.yield_pending);
}

int main(void)
{
	test_params();
	test_svt_when_idle();
	test_exact_charge();
	test_shares_1_2_3();
	test_sleeper();
	test_warp_latency();
	test_warp_limits();
	test_ctx_allow();
	test_many();
	test_remove_running();
	test_yield();
	return check_done();
}
