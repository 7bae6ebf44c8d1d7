/*
 * classify.h - find the first rule of an ordered list that matches a packet.
 *
 * vfr_classifier_build() compiles rules[0..n) into a decision tree (see the
 * comment at the top of classify.c) inside the caller's memory; lookups then
 * return the index of the first (lowest-index) rule whose vfr_rule_match()
 * is true, or -1.  vfr_classifier_lookup_linear() is the reference: a plain
 * scan that must always give the same answer.
 *
 * Interface rules:
 *  - the classifier keeps a pointer to rules[]; they must stay unchanged and
 *    alive as long as the classifier is used;
 *  - all memory comes from mem[0..mem_bytes) (8-byte aligned is best); the
 *    build uses part of it as scratch and releases it; a build that does not
 *    fit returns -VFR_ENOSPC and leaves *c unusable (lookups return -1);
 *  - lookups never write; many may run at once on one classifier;
 *  - the structure holds only offsets, so it can be read while built by
 *    someone else only after build returned.
 * Build time is measured by the caller (vfr/ has no clock); memory use and
 * the shape of the tree are reported by vfr_classifier_mem_used() and
 * struct vfr_classifier_stats.
 */
#ifndef VFR_CLASSIFY_H
#define VFR_CLASSIFY_H

#include "rule.h"

struct vfr_classifier_stats {
	uint32_t nodes;		/* internal nodes */
	uint32_t leaves;	/* distinct leaves */
	uint32_t leaf_entries;	/* rule indices stored in all leaves */
	uint32_t max_depth;	/* internal nodes on the longest path */
	uint32_t max_leaf;	/* largest leaf, in rules */
	size_t peak_bytes;	/* most memory in use during the build */
};

struct vfr_classifier {
	const struct vfr_rule *rules;
	uint32_t nrules;
	uint32_t root;		/* word offset of the root node in words[] */
	uint32_t *words;	/* the compiled tree */
	size_t used_bytes;	/* bytes of words[] the tree occupies */
	bool built;
	struct vfr_classifier_stats stats;
};

int vfr_classifier_build(struct vfr_classifier *c, const struct vfr_rule *rules,
			 uint32_t n, void *mem, size_t mem_bytes);

/* Index of the first matching rule, or -1. */
int32_t vfr_classifier_lookup(const struct vfr_classifier *c,
			      const struct vfr_pkt *pkt,
			      vfr_vif_id_t iif, vfr_vif_id_t oif);
/* Index of the first matching rule whose index is >= first, or -1. */
int32_t vfr_classifier_lookup_from(const struct vfr_classifier *c,
				   const struct vfr_pkt *pkt,
				   vfr_vif_id_t iif, vfr_vif_id_t oif,
				   uint32_t first);

/* The reference: a linear scan of c->rules; same answers as above. */
int32_t vfr_classifier_lookup_linear(const struct vfr_classifier *c,
				     const struct vfr_pkt *pkt,
				     vfr_vif_id_t iif, vfr_vif_id_t oif);
int32_t vfr_rules_lookup_linear(const struct vfr_rule *rules, uint32_t n,
				const struct vfr_pkt *pkt, vfr_vif_id_t iif,
				vfr_vif_id_t oif, uint32_t first);

/* Bytes of mem that the built structure occupies (scratch excluded). */
size_t vfr_classifier_mem_used(const struct vfr_classifier *c);

#endif
