/*
 * classify.c - first-match classification by HiCuts-style decision trees.
 *
 * Interface in classify.h.  The scheme:
 *
 * Every rule is projected onto six dimensions, each a power-of-two range of
 * unsigned keys:
 *   family (2 bits: 0 = not IP, 1 = IPv4, 2 = IPv6), source and destination
 *   address (32 bits: the IPv4 address, or the first 32 bits of an IPv6
 *   one), L4 protocol (8 bits), source and destination port (17 bits: the
 *   port, or 65536 for a packet without ports, e.g. a non-first fragment).
 * A rule's projection is a box (one interval per dimension) that contains
 * the key of every packet the rule can match.  Fields that are not
 * dimensions (MACs, iif/oif, ICMP, TCP flags, ethertype, IPv6 bits past 32)
 * only make a rule match fewer packets, so the box is still a superset.
 *
 * The rules are split into NGROUPS groups by whether their source and
 * destination ranges are wide (more than 2^16 addresses), and each group
 * gets its own tree (EffiCuts), so wide rules are not copied into the many
 * children that narrow ones need.  The forest is a word holding the tree
 * count followed by the trees' root offsets.
 *
 * A tree is built once per commit.  A node covers an aligned box and holds
 * the rules, in order, whose boxes meet it.  A node with at most LEAF_RULES
 * rules becomes a leaf.  Otherwise it is cut into 2^k equal children along
 * one dimension: for each dimension k grows while the children's rule lists
 * together stay within SPACE_FACTOR times the node's (HiCuts' space measure,
 * with a cap of 2^MAX_CUT_BITS children).  Rules that cover the node's whole
 * range in the cut dimension stay at the node instead of being copied into
 * every child (HyperCuts' pushing), when there are at most PUSH_MAX of them.
 * The dimension whose worst path (largest child plus rules kept at the node)
 * is shortest wins.  A node where no cut helps is a leaf.  Adjacent sibling
 * leaves with equal lists are stored once.
 *
 * Pruning: a rule is "exact" when its box says everything about it (only
 * family, addresses of up to 32 bits, protocol and ports) and "final" when
 * evaluation stops at it (a verdict, no limit).  Once such a rule covers a
 * node's whole box, later rules in that node can never be reached from
 * index 0, so the list is cut after it and the leaf is marked truncated.
 * The covering rule is never kept at a node, so it stays the last entry of
 * every truncated leaf below.
 *
 * Lookup computes the six keys once, then walks each tree with one shift and
 * mask per level.  Every rule list met on the way (rules kept at nodes, then
 * the leaf) is in ascending index order and is scanned only below the best
 * index found so far, stopping at its first match.  A rule is first tested
 * against its compact box (a table of BOX_WORDS words per rule: lo and span
 * per dimension, so each test is one subtraction and compare) and only on a
 * hit against vfr_rule_match(), which has the final word.  lookup_from(first)
 * skips indices below first; when first lies past the covering rule of a
 * truncated leaf it falls back to the linear scan, so its answer is exact
 * for every first.  Correctness never depends on the heuristics: the lists
 * on a packet's paths hold every rule whose box contains the packet's keys,
 * up to a covering rule that is guaranteed to match.
 *
 * Memory: everything is an array of 32-bit words at the bottom of the
 * caller's buffer: the box table (nrules * BOX_WORDS), then the forest.  An
 * internal node is a header word (dimension, shift, cut bits), the count of
 * rules kept at it, 2^k child offsets, then those rules' indices; a leaf is
 * one header word (count, truncated flag) and the rule indices.  Build
 * scratch (rule boxes, child lists) is taken from the top of the buffer,
 * stack-like, and released before returning.
 */
#include "vfr_env.h"
#include "classify.h"

#define NDIMS		6
#define LEAF_RULES	8
#define SPACE_FACTOR	4
#define MAX_CUT_BITS	12
#define MAX_DEPTH	24
#define PUSH_MAX	4
#define NGROUPS		4
#define WIDE_SPAN	0xffffu

#define LEAF_FLAG	0x80000000u
#define TRUNC_FLAG	0x40000000u
#define COUNT_MASK	0x00ffffffu

enum { DIM_FAMILY, DIM_SRC, DIM_DST, DIM_PROTO, DIM_SPORT, DIM_DPORT };

static const uint8_t dim_bits[NDIMS] = { 2, 32, 32, 8, 17, 17 };

#define NO_PORTS_KEY	65536u

struct range {
	uint32_t lo, hi;
};

struct box {
	struct range r[NDIMS];
};

/* One rule's projection, computed once per build. */
struct rule_box {
	struct box box;
	bool exact_final;
};

struct builder {
	struct vfr_classifier *c;
	uint32_t *words;	/* whole buffer as words */
	uint32_t cap;		/* words in the buffer */
	uint32_t bottom;	/* tree: words[0..bottom) */
	uint32_t top;		/* scratch: words[top..cap) */
	struct rule_box *boxes;	/* in scratch */
	bool push;		/* keep rules that span a cut at the node */
};

/*
 * The compact box of one rule, BOX_WORDS words at the start of the tree:
 * lo and span (hi - lo) of source, destination, source and destination
 * port, then family and protocol lo/span as four bytes.  A key k lies in
 * [lo, lo + span] exactly when (k - lo) <= span in unsigned arithmetic.
 */
#define BOX_WORDS	9
enum { BX_SRC = 0, BX_DST = 2, BX_SPORT = 4, BX_DPORT = 6, BX_FP = 8 };

static uint32_t dim_max(int d)
{
	return dim_bits[d] == 32 ? 0xffffffffu : (1u << dim_bits[d]) - 1;
}

static uint32_t be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static struct range prefix_range(const struct vfr_prefix *p)
{
	struct range r;
	uint32_t bits = p->len > 32 ? 32 : p->len;
	uint32_t mask = bits ? 0xffffffffu << (32 - bits) : 0;

	r.lo = be32(p->addr.b) & mask;
	r.hi = r.lo | ~mask;
	return r;
}

static struct range port_range(const struct vfr_port_range *p)
{
	struct range r = { p->lo, p->hi };

	return r;
}

static struct range family_range(const struct vfr_match *m)
{
	struct range r = { 0, 3 };

	if (m->fields & VFR_MATCH_FAMILY) {
		r.lo = r.hi = m->family == VFR_AF_INET ? 1 : 2;
	} else if (m->fields & (VFR_MATCH_PROTO | VFR_MATCH_SRC_IP |
				VFR_MATCH_DST_IP)) {
		r.lo = 1;
		r.hi = 2;
	} else if (m->fields & VFR_MATCH_ETHERTYPE) {
		r.hi = 0;
	}
	return r;
}

static bool rule_exact_final(const struct vfr_rule *rule)
{
	const struct vfr_match *m = &rule->match;
	uint32_t dims = VFR_MATCH_FAMILY | VFR_MATCH_SRC_IP | VFR_MATCH_DST_IP |
			VFR_MATCH_PROTO | VFR_MATCH_SRC_PORT | VFR_MATCH_DST_PORT;

	if (m->fields & ~dims)
		return false;
	if ((m->fields & VFR_MATCH_SRC_IP) && m->src_ip.len > 32)
		return false;
	if ((m->fields & VFR_MATCH_DST_IP) && m->dst_ip.len > 32)
		return false;
	return rule->action.verdict != VFR_RULE_CONTINUE &&
	       rule->action.limit_unit == VFR_LIMIT_NONE;
}

static void rule_project(const struct vfr_rule *rule, struct rule_box *rb)
{
	const struct vfr_match *m = &rule->match;
	int d;

	for (d = 0; d < NDIMS; d++) {
		rb->box.r[d].lo = 0;
		rb->box.r[d].hi = dim_max(d);
	}
	rb->box.r[DIM_FAMILY] = family_range(m);
	if (m->fields & VFR_MATCH_SRC_IP)
		rb->box.r[DIM_SRC] = prefix_range(&m->src_ip);
	if (m->fields & VFR_MATCH_DST_IP)
		rb->box.r[DIM_DST] = prefix_range(&m->dst_ip);
	if (m->fields & VFR_MATCH_PROTO)
		rb->box.r[DIM_PROTO].lo = rb->box.r[DIM_PROTO].hi = m->proto;
	if (m->fields & VFR_MATCH_SRC_PORT)
		rb->box.r[DIM_SPORT] = port_range(&m->sport);
	if (m->fields & VFR_MATCH_DST_PORT)
		rb->box.r[DIM_DPORT] = port_range(&m->dport);
	rb->exact_final = rule_exact_final(rule);
}

static void packet_keys(const struct vfr_pkt *p, uint32_t key[NDIMS])
{
	bool ip = p->src_ip.family == VFR_AF_INET ||
		  p->src_ip.family == VFR_AF_INET6;

	key[DIM_FAMILY] = !ip ? 0 : p->src_ip.family == VFR_AF_INET ? 1 : 2;
	key[DIM_SRC] = ip ? be32(p->src_ip.b) : 0;
	key[DIM_DST] = ip && p->dst_ip.family == p->src_ip.family ?
		       be32(p->dst_ip.b) : 0;
	key[DIM_PROTO] = ip ? p->proto : 0;
	key[DIM_SPORT] = p->has_ports ? p->src_port : NO_PORTS_KEY;
	key[DIM_DPORT] = p->has_ports ? p->dst_port : NO_PORTS_KEY;
}

static bool box_covers(const struct box *outer, const struct box *inner)
{
	int d;

	for (d = 0; d < NDIMS; d++)
		if (outer->r[d].lo > inner->r[d].lo ||
		    outer->r[d].hi < inner->r[d].hi)
			return false;
	return true;
}

/* Scratch allocation from the top; NULL when it would meet the tree. */
static uint32_t *scratch_alloc(struct builder *b, uint32_t nwords)
{
	size_t peak;

	if (nwords > b->top - b->bottom)
		return NULL;
	b->top -= nwords;
	peak = (size_t)(b->cap - b->top + b->bottom) * 4;
	if (peak > b->c->stats.peak_bytes)
		b->c->stats.peak_bytes = peak;
	return &b->words[b->top];
}

static int tree_alloc(struct builder *b, uint32_t nwords, uint32_t *off)
{
	size_t peak;

	if (nwords > b->top - b->bottom)
		return -VFR_ENOSPC;
	*off = b->bottom;
	b->bottom += nwords;
	peak = (size_t)(b->cap - b->top + b->bottom) * 4;
	if (peak > b->c->stats.peak_bytes)
		b->c->stats.peak_bytes = peak;
	return 0;
}

static int emit_leaf(struct builder *b, const uint32_t *list, uint32_t n,
		     bool truncated, uint32_t *off)
{
	int err = tree_alloc(b, n + 1, off);

	if (err)
		return err;
	b->words[*off] = LEAF_FLAG | (truncated ? TRUNC_FLAG : 0) | n;
	memcpy(&b->words[*off + 1], list, n * sizeof(uint32_t));
	b->c->stats.leaves++;
	b->c->stats.leaf_entries += n;
	if (n > b->c->stats.max_leaf)
		b->c->stats.max_leaf = n;
	return 0;
}

/* Children spanned by range r inside box dimension [lo, lo + 2^bits). */
static void child_span(struct range r, uint32_t lo, uint32_t hi, int shift,
		       uint32_t *first, uint32_t *last)
{
	uint32_t a = r.lo > lo ? r.lo : lo;
	uint32_t z = r.hi < hi ? r.hi : hi;

	*first = (a - lo) >> shift;
	*last = (z - lo) >> shift;
}

struct cut {
	int dim;
	int kbits;
	uint32_t max_child;	/* largest child, pushed rules excluded */
	uint32_t pushed;	/* rules kept at the node */
	uint32_t total;		/* entries in all children */
	bool push;		/* rules spanning the node stay there */
};

/* Does rule i cover the node's whole range in d, so it stays at the node? */
static bool spans_node(const struct builder *b, uint32_t i,
		       const struct box *box, int d, bool push)
{
	const struct range *r = &b->boxes[i].box.r[d];

	return push && r->lo <= box->r[d].lo && r->hi >= box->r[d].hi;
}

/* For one dimension: the most cuts the space factor allows. */
static int choose_kbits(struct builder *b, const uint32_t *list, uint32_t n,
			const struct box *box, int d, uint32_t bits, bool push)
{
	uint32_t lo = box->r[d].lo, hi = box->r[d].hi;
	int k, best = 0;
	uint32_t i;

	for (k = 1; k <= MAX_CUT_BITS && (uint32_t)k <= bits; k++) {
		uint64_t total = (uint64_t)1 << k;
		int shift = (int)bits - k;

		for (i = 0; i < n; i++) {
			uint32_t f, l;

			if (spans_node(b, list[i], box, d, push))
				continue;
			child_span(b->boxes[list[i]].box.r[d], lo, hi, shift,
				   &f, &l);
			total += l - f + 1;
		}
		if (k > 1 && total > (uint64_t)SPACE_FACTOR * n)
			break;
		best = k;
	}
	return best;
}

/* log2 of the size of a node's range in dimension d (0 for one key). */
static uint32_t box_bits(const struct box *box, int d)
{
	uint32_t span = box->r[d].hi - box->r[d].lo;

	return span ? 32 - (uint32_t)__builtin_clz(span) : 0;
}

/* Largest child, pushed rules and total entries for a cut of d into 2^k. */
static int measure_cut(struct builder *b, const uint32_t *list, uint32_t n,
		       const struct box *box, struct cut *cut)
{
	int d = cut->dim;
	int shift = (int)box_bits(box, d) - cut->kbits;
	uint32_t nc = 1u << cut->kbits, i, run = 0, top = b->top;
	uint32_t *diff = scratch_alloc(b, nc + 1);

	if (!diff)
		return -VFR_ENOSPC;
	memset(diff, 0, (nc + 1) * sizeof(uint32_t));
	cut->total = 0;
	cut->pushed = 0;
	for (i = 0; i < n; i++) {
		uint32_t f, l;

		if (spans_node(b, list[i], box, d, cut->push)) {
			cut->pushed++;
			continue;
		}
		child_span(b->boxes[list[i]].box.r[d], box->r[d].lo,
			   box->r[d].hi, shift, &f, &l);
		diff[f]++;
		diff[l + 1]--;
		cut->total += l - f + 1;
	}
	cut->max_child = 0;
	for (i = 0; i < nc; i++) {
		run += diff[i];
		if (run > cut->max_child)
			cut->max_child = run;
	}
	b->top = top;
	return 0;
}

/* The dimension and cut count whose worst lookup path is shortest. */
static int choose_cut(struct builder *b, const uint32_t *list, uint32_t n,
		      const struct box *box, struct cut *best)
{
	struct cut cut;
	int d, err;

	memset(best, 0, sizeof(*best));
	for (d = 0; d < NDIMS; d++) {
		uint32_t bits = box_bits(box, d);

		if (!bits)
			continue;
		cut.dim = d;
		cut.push = b->push;
		cut.kbits = choose_kbits(b, list, n, box, d, bits, cut.push);
		err = measure_cut(b, list, n, box, &cut);
		if (!err && cut.pushed > PUSH_MAX) {
			cut.push = false;
			cut.kbits = choose_kbits(b, list, n, box, d, bits, false);
			err = measure_cut(b, list, n, box, &cut);
		}
		if (err)
			return err;
		if (!best->kbits ||
		    cut.max_child + cut.pushed <
		    best->max_child + best->pushed ||
		    (cut.max_child + cut.pushed ==
		     best->max_child + best->pushed &&
		     cut.total < best->total))
			*best = cut;
	}
	return 0;
}

/*
 * Cut the list after the first exact, final rule that covers the whole box:
 * nothing after it is reachable from index 0 inside this box.
 */
static uint32_t prune(const struct builder *b, const uint32_t *list,
		      uint32_t n, const struct box *box, bool *truncated)
{
	uint32_t i;

	for (i = 0; i + 1 < n; i++) {
		const struct rule_box *rb = &b->boxes[list[i]];

		if (rb->exact_final && box_covers(&rb->box, box)) {
			*truncated = true;
			return i + 1;
		}
	}
	return n;
}

static int build_node(struct builder *b, uint32_t *list, uint32_t n,
		      const struct box *box, uint32_t depth, bool truncated,
		      uint32_t *off);

/* The scratch lists of one cut: 2^k children and the rules kept at the node */
struct split {
	uint32_t *starts;	/* starts[nc + 1] into lists */
	uint32_t *lists;
	uint32_t *pushed;
	uint32_t npushed;
};

/*
 * Does list[i] stay at the node?  In a truncated node the last rule is the
 * covering one, which lookup_from() compares with first; it must stay in
 * every leaf below, so it is never kept at the node.
 */
static bool keep_at_node(const struct builder *b, const uint32_t *list,
			 uint32_t i, uint32_t n, const struct box *box,
			 const struct cut *cut, bool truncated)
{
	return spans_node(b, list[i], box, cut->dim, cut->push) && !(truncated && i + 1 == n);
}

/* Rule lists of all 2^k children of a cut, in scratch. */
static int split_lists(struct builder *b, const uint32_t *list, uint32_t n,
		       const struct box *box, const struct cut *cut,
		       bool truncated, struct split *sp)
{
	int d = cut->dim;
	int shift = (int)box_bits(box, d) - cut->kbits;
	uint32_t nc = 1u << cut->kbits, i, c, sum = 0, f, l;
	uint32_t *starts = scratch_alloc(b, nc + 1);
	uint32_t *pushed = starts ? scratch_alloc(b, n) : NULL;
	uint32_t *lists;

	if (!pushed)
		return -VFR_ENOSPC;
	memset(starts, 0, (nc + 1) * sizeof(uint32_t));
	sp->npushed = 0;
	for (i = 0; i < n; i++) {
		if (keep_at_node(b, list, i, n, box, cut, truncated)) {
			pushed[sp->npushed++] = list[i];
			continue;
		}
		child_span(b->boxes[list[i]].box.r[d], box->r[d].lo,
			   box->r[d].hi, shift, &f, &l);
		for (c = f; c <= l; c++)
			starts[c + 1]++;
	}
	for (c = 0; c < nc; c++) {
		sum += starts[c + 1];
		starts[c + 1] = sum;
	}
	lists = scratch_alloc(b, sum);
	if (!lists)
		return -VFR_ENOSPC;
	/* fill in rule order, using starts[c] as the cursor, then restore */
	for (i = 0; i < n; i++) {
		if (keep_at_node(b, list, i, n, box, cut, truncated))
			continue;
		child_span(b->boxes[list[i]].box.r[d], box->r[d].lo,
			   box->r[d].hi, shift, &f, &l);
		for (c = f; c <= l; c++)
			lists[starts[c]++] = list[i];
	}
	for (c = nc; c > 0; c--)
		starts[c] = starts[c - 1];
	starts[0] = 0;
	sp->starts = starts;
	sp->lists = lists;
	sp->pushed = pushed;
	return 0;
}

static int cut_node(struct builder *b, uint32_t *list, uint32_t n,
		    const struct box *box, const struct cut *cut,
		    uint32_t depth, bool truncated, uint32_t *off)
{
	int d = cut->dim, shift = (int)box_bits(box, d) - cut->kbits;
	uint32_t nc = 1u << cut->kbits, c, top = b->top;
	uint32_t prev_n = 0, prev_off = 0;
	bool prev_leaf = false, prev_trunc = false;
	struct split sp;
	int err;

	err = split_lists(b, list, n, box, cut, truncated, &sp);
	if (!err)
		err = tree_alloc(b, 2 + nc + sp.npushed, off);
	if (err)
		return err;
	b->words[*off] = (uint32_t)d | (uint32_t)shift << 8 |
			 (uint32_t)cut->kbits << 16;
	b->words[*off + 1] = sp.npushed;
	memcpy(&b->words[*off + 2 + nc], sp.pushed,
	       sp.npushed * sizeof(uint32_t));
	b->c->stats.nodes++;
	b->c->stats.leaf_entries += sp.npushed;
	if (depth + 1 > b->c->stats.max_depth)
		b->c->stats.max_depth = depth + 1;
	for (c = 0; c < nc && !err; c++) {
		struct box child = *box;
		uint32_t *cl = &sp.lists[sp.starts[c]], child_off;
		bool trunc = truncated;
		uint32_t cn = sp.starts[c + 1] - sp.starts[c];

		child.r[d].lo = box->r[d].lo + (c << shift);
		child.r[d].hi = child.r[d].lo + ((1u << shift) - 1);
		cn = prune(b, cl, cn, &child, &trunc);
		if (prev_leaf && cn == prev_n && trunc == prev_trunc &&
		    !memcmp(cl, &b->words[prev_off + 1], cn * sizeof(*cl))) {
			b->words[*off + 2 + c] = prev_off;
			continue;
		}
		err = build_node(b, cl, cn, &child, depth + 1, trunc, &child_off);
		b->words[*off + 2 + c] = child_off;
		prev_off = child_off;
		prev_leaf = (b->words[child_off] & LEAF_FLAG) != 0;
		prev_n = cn;
		prev_trunc = trunc;
	}
	b->top = top;
	return err;
}

static int build_node(struct builder *b, uint32_t *list, uint32_t n,
		      const struct box *box, uint32_t depth, bool truncated,
		      uint32_t *off)
{
	struct cut best;
	int err;

	if (n <= LEAF_RULES || depth >= MAX_DEPTH)
		return emit_leaf(b, list, n, truncated, off);
	err = choose_cut(b, list, n, box, &best);
	if (err)
		return err;
	if (!best.kbits || best.max_child + best.pushed >= n)
		return emit_leaf(b, list, n, truncated, off);
	return cut_node(b, list, n, box, &best, depth, truncated, off);
}

/* Write the compact box of every rule at bx[i * BOX_WORDS]. */
static void emit_boxes(const struct rule_box *boxes, uint32_t n, uint32_t *bx)
{
	static const int dims[4] = { DIM_SRC, DIM_DST, DIM_SPORT, DIM_DPORT };
	uint32_t i;
	int j;

	for (i = 0; i < n; i++, bx += BOX_WORDS) {
		const struct box *bo = &boxes[i].box;

		for (j = 0; j < 4; j++) {
			bx[2 * j] = bo->r[dims[j]].lo;
			bx[2 * j + 1] = bo->r[dims[j]].hi - bo->r[dims[j]].lo;
		}
		bx[BX_FP] = bo->r[DIM_FAMILY].lo |
			    (bo->r[DIM_FAMILY].hi - bo->r[DIM_FAMILY].lo) << 8 |
			    bo->r[DIM_PROTO].lo << 16 |
			    (bo->r[DIM_PROTO].hi - bo->r[DIM_PROTO].lo) << 24;
	}
}

/* Which tree a rule goes to: by whether its addresses are wide. */
static uint32_t rule_group(const struct rule_box *rb)
{
	return (rb->box.r[DIM_SRC].hi - rb->box.r[DIM_SRC].lo > WIDE_SPAN) |
	       (rb->box.r[DIM_DST].hi - rb->box.r[DIM_DST].lo > WIDE_SPAN) << 1;
}

/*
 * One tree per group of rules (EffiCuts): wide rules do not get copied
 * into the many children that narrow ones need.  The forest is a word
 * with the tree count and the trees' root offsets.
 */
static int build_forest(struct builder *b, uint32_t *list, uint32_t n,
			const struct box *root, uint32_t *off)
{
	uint32_t *part = scratch_alloc(b, n), g, i, m, ntrees = 0;
	int err;

	if (!part || tree_alloc(b, 1 + NGROUPS, off))
		return -VFR_ENOSPC;
	for (g = 0; g < NGROUPS; g++) {
		bool truncated = false;
		uint32_t tree;

		for (i = 0, m = 0; i < n; i++)
			if (rule_group(&b->boxes[list[i]]) == g)
				part[m++] = list[i];
		if (!m)
			continue;
		m = prune(b, part, m, root, &truncated);
		err = build_node(b, part, m, root, 0, truncated, &tree);
		if (err)
			return err;
		b->words[*off + 1 + ntrees++] = tree;
	}
	b->words[*off] = ntrees;
	return 0;
}

static int builder_init(struct builder *b, struct vfr_classifier *c,
			void *mem, size_t mem_bytes)
{
	uintptr_t addr = (uintptr_t)mem, aligned = (addr + 7) & ~(uintptr_t)7;
	size_t words;

	if (!mem || mem_bytes < (aligned - addr) + 64)
		return -VFR_ENOSPC;
	words = (mem_bytes - (aligned - addr)) / 4;
	b->c = c;
	b->words = (uint32_t *)aligned;
	b->cap = (uint32_t)(words > 0xfffffff0u ? 0xfffffff0u : words);
	b->cap &= ~1u;	/* keep the top 8-byte aligned for the boxes */
	b->bottom = 0;
	b->top = b->cap;
	return 0;
}

int vfr_classifier_build(struct vfr_classifier *c, const struct vfr_rule *rules,
			 uint32_t n, void *mem, size_t mem_bytes)
{
	struct builder b;
	struct box root;
	uint32_t *list, i, box_words, boxes_off;
	int d, err;

	memset(c, 0, sizeof(*c));
	c->rules = rules;
	c->nrules = n;
	if (n > COUNT_MASK)
		return -VFR_EINVAL;
	err = builder_init(&b, c, mem, mem_bytes);
	if (err)
		return err;
	box_words = (uint32_t)((sizeof(struct rule_box) + 3) / 4);
	if ((uint64_t)n * (box_words + 1 + BOX_WORDS) > b.cap)
		return -VFR_ENOSPC;
	b.boxes = (struct rule_box *)(void *)scratch_alloc(&b, n * box_words);
	list = b.boxes ? scratch_alloc(&b, n) : NULL;
	if (!list || tree_alloc(&b, n * BOX_WORDS, &boxes_off))
		return -VFR_ENOSPC;
	for (i = 0; i < n; i++) {
		rule_project(&rules[i], &b.boxes[i]);
		list[i] = i;
	}
	emit_boxes(b.boxes, n, &b.words[boxes_off]);
	for (d = 0; d < NDIMS; d++) {
		root.r[d].lo = 0;
		root.r[d].hi = dim_max(d);
	}
	b.push = true;
	err = build_forest(&b, list, n, &root, &c->root);
	if (err)
		return err;
	c->words = b.words;
	c->used_bytes = (size_t)b.bottom * 4;
	c->built = true;
	return 0;
}

int32_t vfr_rules_lookup_linear(const struct vfr_rule *rules, uint32_t n,
				const struct vfr_pkt *pkt, vfr_vif_id_t iif,
				vfr_vif_id_t oif, uint32_t first)
{
	uint32_t i;

	for (i = first; i < n; i++)
		if (vfr_rule_match(&rules[i], pkt, iif, oif))
			return (int32_t)i;
	return -1;
}

int32_t vfr_classifier_lookup_linear(const struct vfr_classifier *c,
				     const struct vfr_pkt *pkt,
				     vfr_vif_id_t iif, vfr_vif_id_t oif)
{
	return vfr_rules_lookup_linear(c->rules, c->nrules, pkt, iif, oif, 0);
}

/* What one lookup needs, computed once per packet. */
struct lookup {
	const struct vfr_classifier *c;
	const struct vfr_pkt *pkt;
	vfr_vif_id_t iif, oif;
	uint32_t first;
	uint32_t key[NDIMS];
};

static bool box_hit(const uint32_t *bx, const uint32_t *key)
{
	uint32_t fp = bx[BX_FP];

	return key[DIM_SRC] - bx[BX_SRC] <= bx[BX_SRC + 1] &&
	       key[DIM_DST] - bx[BX_DST] <= bx[BX_DST + 1] &&
	       key[DIM_DPORT] - bx[BX_DPORT] <= bx[BX_DPORT + 1] &&
	       key[DIM_SPORT] - bx[BX_SPORT] <= bx[BX_SPORT + 1] &&
	       key[DIM_PROTO] - ((fp >> 16) & 0xff) <= fp >> 24 &&
	       key[DIM_FAMILY] - (fp & 0xff) <= ((fp >> 8) & 0xff);
}

/*
 * The first rule of list[0..n) (ascending indices) that matches, below best
 * and not below first; best when there is none.  The compact box rejects
 * most rules before vfr_rule_match() is called.
 */
static uint32_t scan_list(const struct lookup *lk, const uint32_t *list,
			  uint32_t n, uint32_t best)
{
	const uint32_t *words = lk->c->words;
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint32_t idx = list[i];

		if (idx >= best)
			break;
		if (idx >= lk->first &&
		    box_hit(&words[(size_t)idx * BOX_WORDS], lk->key) &&
		    vfr_rule_match(&lk->c->rules[idx], lk->pkt, lk->iif,
				   lk->oif))
			return idx;
	}
	return best;
}

#define NO_MATCH	0xffffffffu

/*
 * Walk one tree; the answer (below best) or best.  A truncated leaf ends
 * with its covering rule, so it is exact unless first lies past that rule:
 * then *linear is set and the caller falls back to the linear scan.
 */
static uint32_t walk_tree(const struct lookup *lk, uint32_t off,
			  uint32_t best, bool *linear)
{
	const uint32_t *words = lk->c->words;
	uint32_t w = words[off], n;

	while (!(w & LEAF_FLAG)) {
		uint32_t d = w & 0xf, shift = (w >> 8) & 31, k = (w >> 16) & 31;

		if (words[off + 1])
			best = scan_list(lk, &words[off + 2 + (1u << k)],
					 words[off + 1], best);
		off = words[off + 2 + ((lk->key[d] >> shift) & ((1u << k) - 1))];
		w = words[off];
	}
	n = w & COUNT_MASK;
	if ((w & TRUNC_FLAG) && n && lk->first > words[off + n]) {
		*linear = true;
		return best;
	}
	return scan_list(lk, &words[off + 1], n, best);
}

int32_t vfr_classifier_lookup_from(const struct vfr_classifier *c,
				   const struct vfr_pkt *pkt,
				   vfr_vif_id_t iif, vfr_vif_id_t oif,
				   uint32_t first)
{
	struct lookup lk = { c, pkt, iif, oif, first, { 0 } };
	uint32_t t, ntrees, best = NO_MATCH;
	bool linear = false;

	if (!c->built)
		return -1;
	packet_keys(pkt, lk.key);
	ntrees = c->words[c->root];
	for (t = 0; t < ntrees && !linear; t++)
		best = walk_tree(&lk, c->words[c->root + 1 + t], best, &linear);
	if (linear)
		return vfr_rules_lookup_linear(c->rules, c->nrules, pkt, iif,
					       oif, first);
	return best == NO_MATCH ? -1 : (int32_t)best;
}

int32_t vfr_classifier_lookup(const struct vfr_classifier *c,
			      const struct vfr_pkt *pkt,
			      vfr_vif_id_t iif, vfr_vif_id_t oif)
{
	return vfr_classifier_lookup_from(c, pkt, iif, oif, 0);
}

size_t vfr_classifier_mem_used(const struct vfr_classifier *c)
{
	return c->built ? c->used_bytes : 0;
}
