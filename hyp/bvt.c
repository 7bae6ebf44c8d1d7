/*
 * bvt.c - Borrowed Virtual Time behind struct sched_ops.  See bvt.h for
 * the protocol, the rules and the invariants.
 *
 * The runnable set is an intrusive list scanned by pick and wake: at the
 * scale of one CPU's vCPUs (up to about a thousand) a scan is cheap, needs
 * no rebalancing, and keeps the policy short.  Virtual time is ns / weight
 * with the remainder carried in vt_rem, so shares come out exact however
 * short the runs; the one division per charge is by a weight, which no
 * shift can replace.
 */
#include "bvt.h"
#include <stddef.h>
#include <public/errno.h>

/* A single charge is capped so that sums with it cannot wrap. */
#define CHARGE_MAX_NS	(1ull << 62)

#define entity_of(l) \
	((struct sched_entity *)((char *)(l) - offsetof(struct sched_entity, link)))

static void link_init(struct sched_link *l)
{
	l->next = l;
	l->prev = l;
}

static void link_add_tail(struct sched_link *head, struct sched_link *l)
{
	l->prev = head->prev;
	l->next = head;
	head->prev->next = l;
	head->prev = l;
}

static void link_del(struct sched_link *l)
{
	l->prev->next = l->next;
	l->next->prev = l->prev;
	link_init(l);
}

int64_t sched_bvt_evt(const struct sched_entity *e)
{
	return (int64_t)e->avt - (e->warped ? (int64_t)e->warp_vt : 0);
}

static void derive(const struct sched_policy *p, struct sched_entity *e)
{
	e->warp_vt = e->warp_ns / e->weight;
	e->ctx_allow_vt = p->ctx_allow_ns / e->weight;
}

static void end_warp(struct sched_entity *e, uint64_t now)
{
	e->warped = false;
	e->warp_allowed_at = now + e->unwarp_ns;
}

/* Turn the time since the last pick into the current entity's AVT. */
static void charge_current(struct sched_policy *p, uint64_t now)
{
	struct sched_entity *e = p->current;
	uint64_t ran, total;

	if (!e)
		return;
	ran = now > p->run_start ? now - p->run_start : 0;
	if (ran > CHARGE_MAX_NS)
		ran = CHARGE_MAX_NS;
	p->run_start = now;
	total = ran + e->vt_rem;
	e->avt += total / e->weight;
	e->vt_rem = total % e->weight;
	e->ran_ns += ran;
	p->last_avt = e->avt;
	if (e->warped) {
		e->warp_ran_ns += ran;
		if (e->warp_ran_ns >= e->warp_limit_ns)
			end_warp(e, now);
	}
}

static void bvt_init(struct sched_policy *p)
{
	link_init(&p->runnable);
	p->nr_runnable = 0;
	p->nr_entities = 0;
	p->current = NULL;
	p->run_start = 0;
	p->last_avt = 0;
	p->ctx_allow_ns = BVT_CTX_ALLOW_DEFAULT_NS;
	p->yield_pending = false;
}

static void bvt_add(struct sched_policy *p, struct sched_entity *e)
{
	link_init(&e->link);
	e->policy = p;
	e->runnable = false;
	e->weight = BVT_WEIGHT_DEFAULT;
	e->warp_ns = 0;
	e->warp_limit_ns = 0;
	e->unwarp_ns = 0;
	e->avt = 0;
	e->vt_rem = 0;
	e->warped = false;
	e->warp_ran_ns = 0;
	e->warp_allowed_at = 0;
	e->ran_ns = 0;
	derive(p, e);
	p->nr_entities++;
}

static void bvt_remove(struct sched_policy *p, struct sched_entity *e)
{
	if (e->policy != p)
		return;
	if (e->runnable) {
		link_del(&e->link);
		p->nr_runnable--;
		e->runnable = false;
	}
	if (p->current == e)
		p->current = NULL;	/* its last run is not charged: it is gone */
	e->policy = NULL;
	p->nr_entities--;
}

/* The scheduler virtual time a waking entity is raised to. */
static uint64_t svt(const struct sched_policy *p)
{
	const struct sched_link *l;
	uint64_t least = p->last_avt;
	bool any = false;

	for (l = p->runnable.next; l != &p->runnable; l = l->next) {
		const struct sched_entity *e = entity_of(l);

		if (!any || e->avt < least)
			least = e->avt;
		any = true;
	}
	return least;
}

static void bvt_wake(struct sched_policy *p, struct sched_entity *e, uint64_t now)
{
	uint64_t floor_avt;

	if (e->policy != p || e->runnable)
		return;
	charge_current(p, now);	/* so that SVT sees the current one's AVT */
	floor_avt = svt(p);
	if (e->avt < floor_avt) {
		e->avt = floor_avt;
		e->vt_rem = 0;
	}
	if (e->warp_ns && now >= e->warp_allowed_at) {
		e->warped = true;
		e->warp_ran_ns = 0;
	}
	e->runnable = true;
	link_add_tail(&p->runnable, &e->link);
	p->nr_runnable++;
}

static void bvt_sleep(struct sched_policy *p, struct sched_entity *e, uint64_t now)
{
	if (e->policy != p || !e->runnable)
		return;
	if (p->current == e) {
		charge_current(p, now);
		p->current = NULL;
	}
	if (e->warped)
		end_warp(e, now);
	link_del(&e->link);
	e->runnable = false;
	p->nr_runnable--;
}

static bool runs_before(const struct sched_entity *a, const struct sched_entity *b)
{
	return sched_bvt_evt(a) < sched_bvt_evt(b);
}

/* The two runnable entities of least EVT, m[0] first; ties go to the one
 * nearer the head (pick's C rule keeps the current one on a tie). */
static void two_first(const struct sched_policy *p, struct sched_entity *m[2])
{
	struct sched_link *l;

	m[0] = NULL;
	m[1] = NULL;
	for (l = p->runnable.next; l != &p->runnable; l = l->next) {
		struct sched_entity *e = entity_of(l);

		if (!m[0] || runs_before(e, m[0])) {
			m[1] = m[0];
			m[0] = e;
		} else if (!m[1] || runs_before(e, m[1])) {
			m[1] = e;
		}
	}
}

/*
 * How long next may run: until its EVT passes other's by more than its C
 * (or its warp runs out), within [BVT_SLICE_MIN_NS, BVT_SLICE_MAX_NS].
 */
static uint64_t slice_for(const struct sched_entity *next,
			  const struct sched_entity *other)
{
	uint64_t slice = BVT_SLICE_MAX_NS, gap;
	int64_t g;

	if (other) {
		g = sched_bvt_evt(other) + (int64_t)next->ctx_allow_vt -
		    sched_bvt_evt(next);
		gap = g < 0 ? 1 : (uint64_t)g + 1;
		/* gap >= 1 > vt_rem / weight, so the subtraction is safe. */
		if (gap < BVT_SLICE_MAX_NS)
			slice = gap * next->weight - next->vt_rem;
	}
	if (next->warped && next->warp_limit_ns - next->warp_ran_ns < slice)
		slice = next->warp_limit_ns - next->warp_ran_ns;
	if (slice < BVT_SLICE_MIN_NS)
		slice = BVT_SLICE_MIN_NS;
	if (slice > BVT_SLICE_MAX_NS)
		slice = BVT_SLICE_MAX_NS;
	return slice;
}

static struct sched_entity *bvt_pick(struct sched_policy *p, uint64_t now,
				     uint64_t *slice_ns)
{
	struct sched_entity *cur, *next, *other, *m[2];

	charge_current(p, now);
	cur = p->current;
	two_first(p, m);
	if (!m[0]) {
		p->current = NULL;
		*slice_ns = 0;
		return NULL;
	}
	if (p->yield_pending && cur && cur->runnable && (m[0] != cur || m[1])) {
		next = m[0] != cur ? m[0] : m[1];	/* anyone but cur */
		other = cur;
	} else if (cur && m[0] != cur &&
	    sched_bvt_evt(cur) - sched_bvt_evt(m[0]) <= (int64_t)cur->ctx_allow_vt) {
		next = cur;	/* within its allowance: no switch yet */
		other = m[0];
	} else {
		next = m[0];
		other = m[1];
	}
	p->yield_pending = false;
	*slice_ns = slice_for(next, other);
	p->current = next;
	p->run_start = now;
	return next;
}

static void bvt_yield(struct sched_policy *p, struct sched_entity *e)
{
	if (e == p->current)
		p->yield_pending = true;
}

static bool params_valid(uint32_t weight, int64_t warp_ns, uint64_t warp_limit_ns,
			 uint64_t unwarp_ns)
{
	if (weight < BVT_WEIGHT_MIN || weight > BVT_WEIGHT_MAX)
		return false;
	if (warp_ns < 0 || (uint64_t)warp_ns > BVT_TIME_PARAM_MAX_NS)
		return false;
	if (warp_limit_ns > BVT_TIME_PARAM_MAX_NS || unwarp_ns > BVT_TIME_PARAM_MAX_NS)
		return false;
	return warp_ns == 0 || warp_limit_ns != 0;
}

static int bvt_set_params(struct sched_policy *p, struct sched_entity *e,
			  uint32_t weight, int64_t warp_ns, uint64_t warp_limit_ns,
			  uint64_t unwarp_ns)
{
	if (e->policy != p || !params_valid(weight, warp_ns, warp_limit_ns, unwarp_ns))
		return -XEN_EINVAL;
	if (weight != e->weight)
		e->vt_rem = 0;	/* keeps vt_rem < weight; loses < 65535 ns */
	e->weight = weight;
	e->warp_ns = (uint64_t)warp_ns;
	e->warp_limit_ns = warp_limit_ns;
	e->unwarp_ns = unwarp_ns;
	derive(p, e);
	if (e->warped && (!warp_ns || e->warp_ran_ns >= warp_limit_ns))
		e->warped = false;
	return 0;
}

int sched_bvt_set_ctx_allow(struct sched_policy *p, uint64_t ns)
{
	if (p->nr_entities)
		return -XEN_EBUSY;
	if (ns > BVT_TIME_PARAM_MAX_NS)
		return -XEN_EINVAL;
	p->ctx_allow_ns = ns;
	return 0;
}

const struct sched_ops sched_bvt_ops = {
	.name = "bvt",
	.init = bvt_init,
	.add = bvt_add,
	.remove = bvt_remove,
	.wake = bvt_wake,
	.sleep = bvt_sleep,
	.pick = bvt_pick,
	.yield = bvt_yield,
	.set_params = bvt_set_params,
};
