/*
 * ruleset.c - chains, handles, atomic commit, counters, limits, evaluation.
 *
 * Interface and semantics in ruleset.h.  Layout of the caller's buffer:
 *   edit chains [max_chains] | edit rules [max_rules] |
 *   2 x (chains [max_chains] | rules [max_rules] | states [max_rules] |
 *        classifier arena [classifier_bytes])
 * Invariants:
 *  - rs->active points at one of rs->tables; the other is scratch until the
 *    next commit compiles into it;
 *  - outside a transaction the edit area is meaningless;
 *  - edit chains are sorted by (vif, dir) and come in pairs (in and out);
 *  - every edit rule is either on exactly one chain's list or on the free
 *    list; each chain's handles are all below its next_handle.
 */
#include "vfr_env.h"
#include "ruleset.h"

#define NIL		0xffffffffu
#define NS_PER_SECOND	1000000000ull

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static size_t table_bytes(const struct vfr_ruleset_config *cfg)
{
	return align8(cfg->max_chains * sizeof(struct vfr_chain)) +
	       align8(cfg->max_rules * sizeof(struct vfr_rule)) +
	       align8(cfg->max_rules * sizeof(struct vfr_rule_state)) +
	       align8(cfg->classifier_bytes);
}

size_t vfr_ruleset_mem_bytes(const struct vfr_ruleset_config *cfg)
{
	return 8 + align8(cfg->max_chains * sizeof(struct vfr_edit_chain)) +
	       align8(cfg->max_rules * sizeof(struct vfr_edit_rule)) +
	       2 * table_bytes(cfg);
}

/* Hand out n bytes of *p, keeping 8-byte alignment. */
static void *carve(uint8_t **p, size_t n)
{
	void *r = *p;

	*p += align8(n);
	return r;
}

int vfr_ruleset_init(struct vfr_ruleset *rs,
		     const struct vfr_ruleset_config *cfg,
		     void *mem, size_t bytes)
{
	uint8_t *p = (uint8_t *)(((uintptr_t)mem + 7) & ~(uintptr_t)7);
	int i;

	memset(rs, 0, sizeof(*rs));
	if (cfg->max_chains < 2 || cfg->max_rules >= NIL ||
	    cfg->max_chains > 0x20000 || cfg->max_rules > 0x1000000) {
		rs->error = "ruleset capacities out of range";
		return -VFR_EINVAL;
	}
	if (!mem || bytes < vfr_ruleset_mem_bytes(cfg)) {
		rs->error = "ruleset memory smaller than vfr_ruleset_mem_bytes()";
		return -VFR_ENOSPC;
	}
	rs->cfg = *cfg;
	rs->echains = carve(&p, cfg->max_chains * sizeof(*rs->echains));
	rs->erules = carve(&p, cfg->max_rules * sizeof(*rs->erules));
	for (i = 0; i < 2; i++) {
		struct vfr_table *t = &rs->tables[i];

		t->chains = carve(&p, cfg->max_chains * sizeof(*t->chains));
		t->rules = carve(&p, cfg->max_rules * sizeof(*t->rules));
		t->state = carve(&p, cfg->max_rules * sizeof(*t->state));
		t->cls_mem = carve(&p, cfg->classifier_bytes);
		t->cls_bytes = cfg->classifier_bytes;
	}
	rs->active = &rs->tables[0];
	return 0;
}

static int fail(struct vfr_ruleset *rs, int err, const char *why)
{
	rs->error = why;
	return err;
}

static uint32_t chain_key(vfr_vif_id_t vif, uint8_t dir)
{
	return (uint32_t)vif << 1 | dir;
}

/* Index of the first edit chain whose key is >= key. */
static uint32_t echain_lower_bound(const struct vfr_ruleset *rs, uint32_t key)
{
	uint32_t lo = 0, hi = rs->nechains;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (chain_key(rs->echains[mid].vif, rs->echains[mid].dir) < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct vfr_edit_chain *echain_find(struct vfr_ruleset *rs,
					  vfr_vif_id_t vif, uint8_t dir)
{
	uint32_t key = chain_key(vif, dir), i = echain_lower_bound(rs, key);

	if (i < rs->nechains &&
	    chain_key(rs->echains[i].vif, rs->echains[i].dir) == key)
		return &rs->echains[i];
	return NULL;
}

static int check_open(struct vfr_ruleset *rs)
{
	return rs->open ? 0 : fail(rs, -VFR_EBUSY, "no transaction is open");
}

int vfr_ruleset_vif_add(struct vfr_ruleset *rs, vfr_vif_id_t vif)
{
	uint32_t i, d;

	if (check_open(rs))
		return -VFR_EBUSY;
	if (!vfr_vif_id_valid(vif))
		return fail(rs, -VFR_EINVAL, "not a VIF id");
	if (echain_find(rs, vif, VFR_DIR_IN))
		return fail(rs, -VFR_EEXIST, "VIF already has chains");
	if (rs->nechains + 2 > rs->cfg.max_chains)
		return fail(rs, -VFR_ENOSPC, "too many chains (max_chains)");
	i = echain_lower_bound(rs, chain_key(vif, VFR_DIR_IN));
	memmove(&rs->echains[i + 2], &rs->echains[i],
		(rs->nechains - i) * sizeof(rs->echains[0]));
	for (d = 0; d < 2; d++) {
		struct vfr_edit_chain *c = &rs->echains[i + d];

		memset(c, 0, sizeof(*c));
		c->vif = vif;
		c->dir = (uint8_t)d;
		c->policy = VFR_RULE_ACCEPT;
		c->head = c->tail = NIL;
		c->next_handle = 1;
	}
	rs->nechains += 2;
	return 0;
}

/* The chain to edit; creates the VIF's chains in auto_chains mode. */
static struct vfr_edit_chain *chain_for_edit(struct vfr_ruleset *rs,
					     vfr_vif_id_t vif, uint8_t dir,
					     int *err)
{
	struct vfr_edit_chain *c;

	*err = check_open(rs);
	if (*err)
		return NULL;
	if (dir >= VFR_DIR_COUNT) {
		*err = fail(rs, -VFR_EINVAL, "direction must be in or out");
		return NULL;
	}
	c = echain_find(rs, vif, dir);
	if (c || !rs->cfg.auto_chains) {
		if (!c)
			*err = fail(rs, -VFR_ENOENT, "unknown VIF");
		return c;
	}
	*err = vfr_ruleset_vif_add(rs, vif);
	return *err ? NULL : echain_find(rs, vif, dir);
}

static void free_list(struct vfr_ruleset *rs, struct vfr_edit_chain *c)
{
	uint32_t i = c->head;

	while (i != NIL) {
		uint32_t next = rs->erules[i].next;

		rs->erules[i].next = rs->free_head;
		rs->free_head = i;
		rs->nrules--;
		i = next;
	}
	c->head = c->tail = NIL;
	c->count = 0;
}

int vfr_ruleset_vif_remove(struct vfr_ruleset *rs, vfr_vif_id_t vif)
{
	struct vfr_edit_chain *c;
	uint32_t i;

	if (check_open(rs))
		return -VFR_EBUSY;
	c = echain_find(rs, vif, VFR_DIR_IN);
	if (!c)
		return fail(rs, -VFR_ENOENT, "unknown VIF");
	free_list(rs, &c[0]);
	free_list(rs, &c[1]);
	i = (uint32_t)(c - rs->echains);
	memmove(&rs->echains[i], &rs->echains[i + 2],
		(rs->nechains - i - 2) * sizeof(rs->echains[0]));
	rs->nechains -= 2;
	return 0;
}

/* Index of the edit rule with handle h in c, and its predecessor. */
static uint32_t find_handle(const struct vfr_ruleset *rs,
			    const struct vfr_edit_chain *c, uint32_t h,
			    uint32_t *prev)
{
	uint32_t i = c->head;

	*prev = NIL;
	if (h == 0 || h >= c->next_handle)
		return NIL;
	while (i != NIL && rs->erules[i].handle != h) {
		*prev = i;
		i = rs->erules[i].next;
	}
	return i;
}

/* Where a new rule goes: after *prev (NIL = at the head). */
static int place_rule(struct vfr_ruleset *rs, const struct vfr_edit_chain *c,
		      enum vfr_rule_place place, uint32_t ref, uint32_t *prev)
{
	uint32_t at;

	switch (place) {
	case VFR_PLACE_END:
		*prev = c->tail;
		return 0;
	case VFR_PLACE_START:
		*prev = NIL;
		return 0;
	case VFR_PLACE_AFTER:
	case VFR_PLACE_BEFORE:
		at = find_handle(rs, c, ref, prev);
		if (at == NIL)
			return fail(rs, -VFR_ENOENT, "no rule with that handle "
				    "in the chain");
		if (place == VFR_PLACE_AFTER)
			*prev = at;
		return 0;
	}
	return fail(rs, -VFR_EINVAL, "unknown place");
}

static int pick_handle(struct vfr_ruleset *rs, struct vfr_edit_chain *c,
		       uint32_t want, uint32_t *handle)
{
	uint32_t prev;

	if (!want) {
		if (c->next_handle == NIL)
			return fail(rs, -VFR_ENOSPC, "chain ran out of handles");
		*handle = c->next_handle++;
		return 0;
	}
	if (want == NIL)
		return fail(rs, -VFR_EINVAL, "handle out of range");
	if (find_handle(rs, c, want, &prev) != NIL)
		return fail(rs, -VFR_EEXIST, "handle already in use in the chain");
	if (want >= c->next_handle)
		c->next_handle = want + 1;
	*handle = want;
	return 0;
}

int vfr_ruleset_add(struct vfr_ruleset *rs, vfr_vif_id_t vif, enum vfr_dir dir,
		    const struct vfr_rule *rule, enum vfr_rule_place place,
		    uint32_t ref, uint32_t want_handle, uint32_t *handle_out)
{
	struct vfr_edit_chain *c;
	struct vfr_edit_rule *e;
	uint32_t prev, idx, handle;
	const char *why;
	int err;

	c = chain_for_edit(rs, vif, (uint8_t)dir, &err);
	if (!c)
		return err;
	why = vfr_rule_validate(rule);
	if (why)
		return fail(rs, -VFR_EINVAL, why);
	if (rs->free_head == NIL)
		return fail(rs, -VFR_ENOSPC, "too many rules (max_rules)");
	err = place_rule(rs, c, place, ref, &prev);
	if (!err)
		err = pick_handle(rs, c, want_handle, &handle);
	if (err)
		return err;
	idx = rs->free_head;
	e = &rs->erules[idx];
	rs->free_head = e->next;
	rs->nrules++;
	memcpy(&e->rule, rule, sizeof(*rule));
	e->handle = handle;
	e->next = prev == NIL ? c->head : rs->erules[prev].next;
	if (prev == NIL)
		c->head = idx;
	else
		rs->erules[prev].next = idx;
	if (e->next == NIL)
		c->tail = idx;
	c->count++;
	if (handle_out)
		*handle_out = handle;
	return 0;
}

int vfr_ruleset_replace(struct vfr_ruleset *rs, vfr_vif_id_t vif,
			enum vfr_dir dir, uint32_t handle,
			const struct vfr_rule *rule)
{
	struct vfr_edit_chain *c;
	uint32_t prev, at;
	const char *why;
	int err;

	c = chain_for_edit(rs, vif, (uint8_t)dir, &err);
	if (!c)
		return err;
	why = vfr_rule_validate(rule);
	if (why)
		return fail(rs, -VFR_EINVAL, why);
	at = find_handle(rs, c, handle, &prev);
	if (at == NIL)
		return fail(rs, -VFR_ENOENT, "no rule with that handle in the chain");
	memcpy(&rs->erules[at].rule, rule, sizeof(*rule));
	return 0;
}

int vfr_ruleset_delete(struct vfr_ruleset *rs, vfr_vif_id_t vif,
		       enum vfr_dir dir, uint32_t handle)
{
	struct vfr_edit_chain *c;
	uint32_t prev, at;
	int err;

	c = chain_for_edit(rs, vif, (uint8_t)dir, &err);
	if (!c)
		return err;
	at = find_handle(rs, c, handle, &prev);
	if (at == NIL)
		return fail(rs, -VFR_ENOENT, "no rule with that handle in the chain");
	if (prev == NIL)
		c->head = rs->erules[at].next;
	else
		rs->erules[prev].next = rs->erules[at].next;
	if (c->tail == at)
		c->tail = prev;
	c->count--;
	rs->erules[at].next = rs->free_head;
	rs->free_head = at;
	rs->nrules--;
	return 0;
}

int vfr_ruleset_set_policy(struct vfr_ruleset *rs, vfr_vif_id_t vif,
			   enum vfr_dir dir, uint8_t policy)
{
	struct vfr_edit_chain *c;
	int err;

	c = chain_for_edit(rs, vif, (uint8_t)dir, &err);
	if (!c)
		return err;
	if (policy != VFR_RULE_ACCEPT && policy != VFR_RULE_DROP)
		return fail(rs, -VFR_EINVAL, "policy must be accept or drop");
	c->policy = policy;
	return 0;
}

int vfr_ruleset_flush_chain(struct vfr_ruleset *rs, vfr_vif_id_t vif,
			    enum vfr_dir dir)
{
	struct vfr_edit_chain *c;
	int err;

	c = chain_for_edit(rs, vif, (uint8_t)dir, &err);
	if (!c)
		return err;
	free_list(rs, c);
	return 0;
}

int vfr_ruleset_flush_vif(struct vfr_ruleset *rs, vfr_vif_id_t vif)
{
	int err = vfr_ruleset_flush_chain(rs, vif, VFR_DIR_IN);

	return err ? err : vfr_ruleset_flush_chain(rs, vif, VFR_DIR_OUT);
}

int vfr_ruleset_flush_all(struct vfr_ruleset *rs)
{
	uint32_t i;

	if (check_open(rs))
		return -VFR_EBUSY;
	for (i = 0; i < rs->nechains; i++) {
		free_list(rs, &rs->echains[i]);
		rs->echains[i].policy = VFR_RULE_ACCEPT;
	}
	return 0;
}

/* Load the edit area from the active table. */
int vfr_ruleset_begin(struct vfr_ruleset *rs)
{
	const struct vfr_table *t = rs->active;
	uint32_t i, r, used = 0;

	if (rs->open)
		return fail(rs, -VFR_EBUSY, "a transaction is already open");
	for (i = 0; i < t->nchains; i++) {
		const struct vfr_chain *tc = &t->chains[i];
		struct vfr_edit_chain *c = &rs->echains[i];

		c->vif = tc->vif;
		c->dir = tc->dir;
		c->policy = tc->policy;
		c->next_handle = tc->next_handle;
		c->count = tc->count;
		c->head = tc->count ? used : NIL;
		c->tail = tc->count ? used + tc->count - 1 : NIL;
		for (r = 0; r < tc->count; r++, used++) {
			rs->erules[used].rule = t->rules[tc->first + r];
			rs->erules[used].handle = t->state[tc->first + r].handle;
			rs->erules[used].next = r + 1 < tc->count ? used + 1 : NIL;
		}
	}
	rs->nechains = t->nchains;
	rs->nrules = used;
	rs->free_head = used < rs->cfg.max_rules ? used : NIL;
	for (i = used; i < rs->cfg.max_rules; i++)
		rs->erules[i].next = i + 1 < rs->cfg.max_rules ? i + 1 : NIL;
	rs->open = true;
	rs->error = NULL;
	return 0;
}

void vfr_ruleset_abort(struct vfr_ruleset *rs)
{
	rs->open = false;
}

static const uint64_t unit_ns[] = {
	[VFR_LIMIT_SECOND] = NS_PER_SECOND,
	[VFR_LIMIT_MINUTE] = 60 * NS_PER_SECOND,
	[VFR_LIMIT_HOUR] = 3600 * NS_PER_SECOND,
};

/* Fresh state: zero counters, a full bucket. */
static void state_init(struct vfr_rule_state *s, const struct vfr_rule *r,
		       uint32_t handle)
{
	memset(s, 0, sizeof(*s));
	s->handle = handle;
	if (r->action.limit_unit != VFR_LIMIT_NONE) {
		s->cost_ns = vfr_div_u64(unit_ns[r->action.limit_unit],
					 r->action.limit_rate, NULL);
		s->credit_ns = s->cost_ns * r->action.limit_burst;
	}
}

/* Lay the edit chains out in table t and build their classifiers. */
static int compile(struct vfr_ruleset *rs, struct vfr_table *t)
{
	uint32_t i, n = 0;
	int err;

	t->nchains = rs->nechains;
	t->cls_used = 0;
	for (i = 0; i < rs->nechains; i++) {
		const struct vfr_edit_chain *ec = &rs->echains[i];
		struct vfr_chain *c = &t->chains[i];
		uint32_t e;

		c->vif = ec->vif;
		c->dir = ec->dir;
		c->policy = ec->policy;
		c->next_handle = ec->next_handle;
		c->first = n;
		c->count = ec->count;
		for (e = ec->head; e != NIL; e = rs->erules[e].next, n++) {
			t->rules[n] = rs->erules[e].rule;
			state_init(&t->state[n], &t->rules[n],
				   rs->erules[e].handle);
		}
		err = vfr_classifier_build(&c->cls, &t->rules[c->first],
					   c->count, t->cls_mem + t->cls_used,
					   t->cls_bytes - t->cls_used);
		if (err)
			return fail(rs, err, err == -VFR_ENOSPC ?
				    "classifier memory exhausted "
				    "(classifier_bytes)" :
				    "classifier build failed");
		t->cls_used += align8(vfr_classifier_mem_used(&c->cls));
	}
	return 0;
}

/* Position of handle h among old chain oc's rules, hinted by *cursor. */
static int32_t old_position(const struct vfr_table *old,
			    const struct vfr_chain *oc, uint32_t h,
			    uint32_t *cursor)
{
	uint32_t i;

	if (h >= oc->next_handle)
		return -1;	/* created in this transaction */
	if (*cursor < oc->count && old->state[oc->first + *cursor].handle == h)
		return (int32_t)(*cursor)++;
	for (i = 0; i < oc->count; i++)
		if (old->state[oc->first + i].handle == h) {
			*cursor = i + 1;
			return (int32_t)i;
		}
	return -1;
}

/* Keep counters and buckets of rules that did not change. */
static void carry_over(const struct vfr_table *old, struct vfr_table *t)
{
	uint32_t i, r;

	for (i = 0; i < t->nchains; i++) {
		const struct vfr_chain *c = &t->chains[i];
		const struct vfr_chain *oc = vfr_table_find_chain(old, c->vif,
							  (enum vfr_dir)c->dir);
		uint32_t cursor = 0;

		if (!oc)
			continue;
		for (r = c->first; r < c->first + c->count; r++) {
			int32_t o = old_position(old, oc, t->state[r].handle,
						 &cursor);

			if (o < 0 || memcmp(&old->rules[oc->first + o],
					    &t->rules[r], sizeof(t->rules[r])))
				continue;
			t->state[r] = old->state[oc->first + o];
		}
	}
}

int vfr_ruleset_commit(struct vfr_ruleset *rs)
{
	struct vfr_table *old = rs->active;
	struct vfr_table *t = old == &rs->tables[0] ? &rs->tables[1] :
						      &rs->tables[0];
	int err;

	if (check_open(rs))
		return -VFR_EBUSY;
	err = compile(rs, t);
	if (err) {
		rs->open = false;
		return err;
	}
	carry_over(old, t);
	t->generation = rs->generation + 1;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	rs->active = t;
	rs->generation++;
	rs->open = false;
	return 0;
}

const struct vfr_table *vfr_ruleset_active(const struct vfr_ruleset *rs)
{
	return rs->active;
}

const struct vfr_chain *vfr_table_find_chain(const struct vfr_table *t,
					     vfr_vif_id_t vif,
					     enum vfr_dir dir)
{
	uint32_t key = chain_key(vif, (uint8_t)dir), lo = 0, hi = t->nchains;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint32_t k = chain_key(t->chains[mid].vif, t->chains[mid].dir);

		if (k == key)
			return &t->chains[mid];
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Take one packet's worth of tokens; false when the bucket is short. */
static bool bucket_take(struct vfr_rule_state *s, uint32_t burst,
			uint64_t now_ns)
{
	uint64_t cap = s->cost_ns * burst;

	if (now_ns > s->last_ns) {
		uint64_t delta = now_ns - s->last_ns;

		s->credit_ns = delta >= cap - s->credit_ns ? cap :
			       s->credit_ns + delta;
		s->last_ns = now_ns;
	}
	if (s->credit_ns < s->cost_ns)
		return false;
	s->credit_ns -= s->cost_ns;
	return true;
}

static void set_verdict(struct vfr_eval_result *res, uint8_t verdict,
			bool rate_limited)
{
	res->verdict = verdict == VFR_RULE_ACCEPT ? VFR_ACCEPT :
		       verdict == VFR_RULE_REJECT ? VFR_REJECT : VFR_DROP;
	res->reason = res->verdict == VFR_ACCEPT ? VFR_DROP_NONE :
		      rate_limited ? VFR_DROP_RATE_LIMITED : VFR_DROP_POLICY;
}

int vfr_ruleset_eval(struct vfr_ruleset *rs, vfr_vif_id_t vif,
		     enum vfr_dir dir, const struct vfr_pkt *pkt,
		     vfr_vif_id_t iif, vfr_vif_id_t oif, uint64_t now_ns,
		     struct vfr_eval_result *res)
{
	struct vfr_table *t = rs->active;
	const struct vfr_chain *c = vfr_table_find_chain(t, vif, dir);
	bool rate_limited = false;
	uint32_t first = 0;

	memset(res, 0, offsetof(struct vfr_eval_result, log_prefix) + 1);
	res->generation = t->generation;
	if (!c) {
		res->verdict = VFR_DROP;
		res->reason = VFR_DROP_NO_ROUTE;
		return -VFR_ENOENT;
	}
	for (;;) {
		int32_t i = vfr_classifier_lookup_from(&c->cls, pkt, iif, oif,
						       first);
		const struct vfr_rule *r;
		struct vfr_rule_state *s;

		if (i < 0)
			break;
		r = &t->rules[c->first + i];
		s = &t->state[c->first + i];
		first = (uint32_t)i + 1;
		if (s->cost_ns) {
			bool within = bucket_take(s, r->action.limit_burst, now_ns);

			if (within == (bool)r->action.limit_over) {
				rate_limited |= !within;
				continue;
			}
			rate_limited |= !within;
		}
		s->packets++;
		s->bytes += pkt->len;
		if (r->action.log && !res->log) {
			res->log = true;
			memcpy(res->log_prefix, r->action.log_prefix,
			       VFR_LOG_PREFIX_MAX);
		}
		if (r->action.verdict == VFR_RULE_CONTINUE)
			continue;
		res->handle = s->handle;
		set_verdict(res, r->action.verdict, rate_limited);
		return 0;
	}
	set_verdict(res, c->policy, rate_limited);
	return 0;
}
