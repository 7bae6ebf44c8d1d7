/*
 * ruleset.h - per-VIF rule chains, replaced atomically, and their evaluation.
 *
 * Each VIF (or the uplink) has two chains: VFR_DIR_IN (frames from the
 * guest) and VFR_DIR_OUT (frames to the guest).  A chain is an ordered list
 * of rules, first match wins, with a default policy (accept or drop).  Every
 * rule has a handle, unique in its chain and never reused during the life of
 * the ruleset; handle 0 means "the chain's policy".
 *
 * Transactions.  All changes go through begin / edits / commit:
 *   vfr_ruleset_begin()    copies the active table into the edit area;
 *   vfr_ruleset_add() etc. edit it (chains, rules, policies, flushes);
 *   vfr_ruleset_commit()   compiles it into the inactive table (rules laid
 *                          out per chain, one classifier per chain), carries
 *                          counters over, then publishes it with one pointer
 *                          store and generation + 1;
 *   vfr_ruleset_abort()    drops the edits.
 * Any failure (bad rule, unknown VIF or handle, capacity) leaves the active
 * table untouched; rs->error names the reason.  A failed commit aborts.
 *
 * Counters and limits.  Each rule counts packets and bytes it matched.  At
 * commit, a rule that keeps its chain, handle and exact content (match and
 * action) keeps its counters and token bucket; any other rule starts at zero
 * with a full bucket.  The copy happens just before the switch, so with one
 * thread doing both packets and commits (Dom0's case) nothing is lost.
 *
 * Evaluation reads the active table pointer once, so a packet sees exactly
 * one generation.  Evaluation and commit must not run concurrently on
 * different CPUs (the counters are plain integers).
 *
 * Memory: the caller gives one buffer of vfr_ruleset_mem_bytes(cfg) bytes
 * holding the edit area and the two tables; nothing else is allocated.
 */
#ifndef VFR_RULESET_H
#define VFR_RULESET_H

#include "rule.h"
#include "classify.h"

struct vfr_ruleset_config {
	uint32_t max_chains;		/* two per VIF */
	uint32_t max_rules;		/* all chains together */
	size_t classifier_bytes;	/* per table, shared by its chains */
	bool auto_chains;		/* create a VIF's chains on first use
					   (parse-only tools); else unknown
					   VIFs are an error */
};

/* Per-rule run-time state, parallel to a table's rules[]. */
struct vfr_rule_state {
	uint64_t packets, bytes;
	uint64_t credit_ns;	/* token bucket, in ns of rate time */
	uint64_t last_ns;	/* when credit_ns was last brought up to date */
	uint64_t cost_ns;	/* one packet's cost; 0 = no limit */
	uint32_t handle;
	uint32_t pad;
};

struct vfr_chain {
	vfr_vif_id_t vif;
	uint8_t dir;			/* enum vfr_dir */
	uint8_t policy;			/* VFR_RULE_ACCEPT or VFR_RULE_DROP */
	uint32_t first, count;		/* rules[first .. first + count) */
	uint32_t next_handle;		/* handles below it may be in use */
	struct vfr_classifier cls;
};

/* A compiled, immutable (except counters) generation of the ruleset. */
struct vfr_table {
	uint32_t generation;
	uint32_t nchains;
	struct vfr_chain *chains;	/* sorted by (vif, dir) */
	struct vfr_rule *rules;
	struct vfr_rule_state *state;
	uint8_t *cls_mem;
	size_t cls_bytes, cls_used;
};

struct vfr_edit_chain {
	vfr_vif_id_t vif;
	uint8_t dir, policy;
	uint32_t head, tail, count;	/* list of edit rules; NIL = empty */
	uint32_t next_handle;
};

struct vfr_edit_rule {
	struct vfr_rule rule;
	uint32_t handle;
	uint32_t next;
};

struct vfr_ruleset {
	struct vfr_ruleset_config cfg;
	struct vfr_table tables[2];
	struct vfr_table *volatile active;
	uint32_t generation;
	bool open;			/* a transaction is in progress */
	struct vfr_edit_chain *echains;	/* sorted by (vif, dir) */
	uint32_t nechains;
	struct vfr_edit_rule *erules;
	uint32_t free_head;		/* free edit rules, linked by next */
	uint32_t nrules;		/* edit rules in use */
	const char *error;		/* why the last call failed */
};

/* Where vfr_ruleset_add() puts a rule. */
enum vfr_rule_place {
	VFR_PLACE_END = 0,	/* append (nft "add") */
	VFR_PLACE_START,	/* prepend (nft "insert") */
	VFR_PLACE_AFTER,	/* after the rule with handle ref */
	VFR_PLACE_BEFORE,	/* before the rule with handle ref */
};

size_t vfr_ruleset_mem_bytes(const struct vfr_ruleset_config *cfg);
int vfr_ruleset_init(struct vfr_ruleset *rs,
		     const struct vfr_ruleset_config *cfg,
		     void *mem, size_t bytes);

int vfr_ruleset_begin(struct vfr_ruleset *rs);
int vfr_ruleset_commit(struct vfr_ruleset *rs);
void vfr_ruleset_abort(struct vfr_ruleset *rs);

/* Edits; each needs an open transaction and returns 0 or -VFR_E*. */
int vfr_ruleset_vif_add(struct vfr_ruleset *rs, vfr_vif_id_t vif);
int vfr_ruleset_vif_remove(struct vfr_ruleset *rs, vfr_vif_id_t vif);
/*
 * Add *rule to the chain (vif, dir) at place (ref is the handle that
 * AFTER/BEFORE refer to).  want_handle 0 assigns the next free handle;
 * another value asks for that handle (used to reload a listing) and fails
 * with -VFR_EEXIST if the chain has it.  *handle_out may be NULL.
 */
int vfr_ruleset_add(struct vfr_ruleset *rs, vfr_vif_id_t vif, enum vfr_dir dir,
		    const struct vfr_rule *rule, enum vfr_rule_place place,
		    uint32_t ref, uint32_t want_handle, uint32_t *handle_out);
int vfr_ruleset_replace(struct vfr_ruleset *rs, vfr_vif_id_t vif,
			enum vfr_dir dir, uint32_t handle,
			const struct vfr_rule *rule);
int vfr_ruleset_delete(struct vfr_ruleset *rs, vfr_vif_id_t vif,
		       enum vfr_dir dir, uint32_t handle);
/* policy is VFR_RULE_ACCEPT or VFR_RULE_DROP. */
int vfr_ruleset_set_policy(struct vfr_ruleset *rs, vfr_vif_id_t vif,
			   enum vfr_dir dir, uint8_t policy);
/* Empty a chain / both chains of a VIF (policies kept). */
int vfr_ruleset_flush_chain(struct vfr_ruleset *rs, vfr_vif_id_t vif,
			    enum vfr_dir dir);
int vfr_ruleset_flush_vif(struct vfr_ruleset *rs, vfr_vif_id_t vif);
/* Empty every chain and set every policy back to accept. */
int vfr_ruleset_flush_all(struct vfr_ruleset *rs);

struct vfr_eval_result {
	enum vfr_verdict verdict;
	enum vfr_drop_reason reason;	/* VFR_DROP_NONE unless dropped */
	uint32_t handle;		/* deciding rule; 0 = chain policy */
	uint32_t generation;		/* the table that decided */
	bool log;			/* send the frame to capture */
	char log_prefix[VFR_LOG_PREFIX_MAX];	/* first log rule's prefix */
};

/*
 * Run pkt (pkt->len bytes) through chain (vif, dir) at time now_ns.  A drop
 * or reject has reason VFR_DROP_RATE_LIMITED when a `limit rate over` rule
 * decided or a `limit rate` rule that matched was passed over for being
 * over its rate; VFR_DROP_POLICY otherwise.  Returns 0, or -VFR_ENOENT when
 * the VIF has no chains (then *res says drop, VFR_DROP_NO_ROUTE).
 */
int vfr_ruleset_eval(struct vfr_ruleset *rs, vfr_vif_id_t vif,
		     enum vfr_dir dir, const struct vfr_pkt *pkt,
		     vfr_vif_id_t iif, vfr_vif_id_t oif, uint64_t now_ns,
		     struct vfr_eval_result *res);

/* The table in force (for listing); valid until the next commit. */
const struct vfr_table *vfr_ruleset_active(const struct vfr_ruleset *rs);
const struct vfr_chain *vfr_table_find_chain(const struct vfr_table *t,
					     vfr_vif_id_t vif,
					     enum vfr_dir dir);

#endif
