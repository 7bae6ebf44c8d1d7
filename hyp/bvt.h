/*
 * bvt.h - the scheduling policy interface (struct sched_ops) and its one
 * implementation, Borrowed Virtual Time (Duda & Cheriton, SOSP '99), as
 * the Xen paper uses it to share a CPU among vCPUs.
 *
 * The caller embeds one struct sched_entity per schedulable vCPU and one
 * struct sched_policy per CPU; the policy allocates nothing and knows
 * nothing of registers or clocks: every operation is given `now`, in ns
 * of a monotonic clock.  Protocol:
 *	ops->init(p)			once, before anything else;
 *	ops->add(p, e)			a new entity, not runnable, default
 *					parameters (weight BVT_WEIGHT_DEFAULT,
 *					no warp);
 *	ops->wake(p, e, now)		e became runnable (the current entity
 *					is charged up to now first);
 *	ops->sleep(p, e, now)		e blocked (may be the current one);
 *	ops->remove(p, e)		e leaves for good (may be the current
 *					one: it is not charged and never
 *					returned again);
 *	ops->yield(p, e)		the current entity e gives up the CPU
 *					at the next pick;
 *	ops->pick(p, now, &slice)	charge the current entity for the time
 *					since the last pick, return the entity
 *					to run (NULL: idle) and how long it may
 *					run before pick must be called again.
 * After a wake the caller should call pick soon (a woken entity may
 * preempt the current one); after a sleep of the current one, at once.
 * The policy remembers which entity it returned last (the current one), so
 * pick takes no `cur` argument.  All calls on one policy are serialised by
 * the caller.
 *
 * BVT: each entity has an actual virtual time (AVT) that advances, while it
 * runs, by ran_ns / weight (exactly: the remainder is carried).  Its
 * effective virtual time is EVT = AVT - warp_vt while warped, AVT
 * otherwise, where warp_vt = warp_ns / weight (warp is given as ns of the
 * entity's own running).  pick runs the runnable entity of least EVT, but
 * the current one keeps the CPU until another's EVT is lower than its own
 * by more than the context-switch allowance C (ctx_allow_ns of the current
 * entity's own running).  On wake an entity's AVT is raised to at least the
 * scheduler virtual time SVT (the least AVT of the runnable entities, or
 * the AVT of the last entity that ran when none is runnable), so sleeping
 * banks no credit.  An entity with warp_ns > 0 is warped when it wakes,
 * provided unwarp_ns has passed since its last warp ended; a warp ends
 * when the entity has run warp_limit_ns warped, or sleeps.
 *
 * Invariants: the runnable entities are exactly those on p->runnable;
 * vt_rem < weight; p->current is NULL or was returned by the last pick and
 * has been neither removed nor put to sleep since.  AVTs are 64-bit ns /
 * weight and do not wrap for centuries of CPU time.  pick and wake are
 * O(number of runnable entities), everything else O(1).
 */
#ifndef XYLEM_BVT_H
#define XYLEM_BVT_H

#include <stdbool.h>
#include <stdint.h>

#define BVT_WEIGHT_MIN		1u
#define BVT_WEIGHT_MAX		65535u
#define BVT_WEIGHT_DEFAULT	256u
/* Upper bound of warp_ns, warp_limit_ns and unwarp_ns, and of C. */
#define BVT_TIME_PARAM_MAX_NS	10000000000ull	/* 10 s */
#define BVT_CTX_ALLOW_DEFAULT_NS 1000000ull	/* 1 ms */
/* Bounds of the slice pick returns for a runnable entity. */
#define BVT_SLICE_MIN_NS	100000ull	/* 100 us */
#define BVT_SLICE_MAX_NS	100000000ull	/* 100 ms */

struct sched_policy;

/* Doubly-linked, circular, with the policy's head as sentinel. */
struct sched_link {
	struct sched_link *next, *prev;
};

struct sched_entity {
	struct sched_link link;		/* on p->runnable while runnable */
	struct sched_policy *policy;	/* set by add, NULL after remove */
	bool runnable;
	/* Parameters, validated by set_params. */
	uint32_t weight;
	uint64_t warp_ns, warp_limit_ns, unwarp_ns;
	/* Derived from the parameters and the policy's C. */
	uint64_t warp_vt, ctx_allow_vt;
	/* State. */
	uint64_t avt;
	uint64_t vt_rem;		/* ns not yet turned into AVT */
	bool warped;
	uint64_t warp_ran_ns;		/* run time of the current warp */
	uint64_t warp_allowed_at;	/* earliest time of the next warp */
	uint64_t ran_ns;		/* total run time, for statistics */
};

struct sched_policy {
	struct sched_link runnable;
	unsigned int nr_runnable;
	unsigned int nr_entities;
	struct sched_entity *current;
	uint64_t run_start;		/* when current was picked */
	uint64_t last_avt;		/* AVT of the last entity charged */
	uint64_t ctx_allow_ns;		/* C */
	bool yield_pending;		/* current asked to yield */
};

struct sched_ops {
	const char *name;
	void (*init)(struct sched_policy *p);
	void (*add)(struct sched_policy *p, struct sched_entity *e);
	void (*remove)(struct sched_policy *p, struct sched_entity *e);
	void (*wake)(struct sched_policy *p, struct sched_entity *e, uint64_t now);
	void (*sleep)(struct sched_policy *p, struct sched_entity *e, uint64_t now);
	struct sched_entity *(*pick)(struct sched_policy *p, uint64_t now,
				     uint64_t *slice_ns);
	/* e (the current entity) gives up the CPU: the next pick returns
	 * the runnable entity of least EVT other than e if there is one,
	 * whatever the context-switch allowance says; e is charged as
	 * usual and competes normally after that. */
	void (*yield)(struct sched_policy *p, struct sched_entity *e);
	/* 0, or -XEN_EINVAL (nothing changed) unless weight is within
	 * [BVT_WEIGHT_MIN, BVT_WEIGHT_MAX], warp_ns, warp_limit_ns and
	 * unwarp_ns are within [0, BVT_TIME_PARAM_MAX_NS], and a nonzero
	 * warp_ns comes with a nonzero warp_limit_ns.  On the current
	 * entity, its time since the last pick is charged at the new
	 * weight. */
	int (*set_params)(struct sched_policy *p, struct sched_entity *e,
			  uint32_t weight, int64_t warp_ns,
			  uint64_t warp_limit_ns, uint64_t unwarp_ns);
};

extern const struct sched_ops sched_bvt_ops;

/*
 * Set C, the context-switch allowance, in ns of real time: 0 or
 * -XEN_EBUSY while entities are added (their derived values use it), or
 * -XEN_EINVAL above BVT_TIME_PARAM_MAX_NS.
 */
int sched_bvt_set_ctx_allow(struct sched_policy *p, uint64_t ns);

/* The effective virtual time pick compares (exported for tests and for
 * statistics; negative when a warp exceeds the AVT). */
int64_t sched_bvt_evt(const struct sched_entity *e);

#endif
