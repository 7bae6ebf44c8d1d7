/*
 * xs_tree.c - the XenStore tree: arena, node pool, path hash, path syntax,
 * permissions, usage and the operations on a view.  See xs_tree.h.
 * FREESTANDING: no libc, all storage in struct xs_store.
 *
 * Arena: a first-fit bitmap allocator over XS_ARENA_GRAIN-byte grains;
 * freed grains are reused.  Hash: chained through node.hash_next, keyed by
 * FNV-1a of the path mixed with the tag.  Usage and child listings scan the
 * pool up to its high-water mark (node_top, watch_top), which keeps the
 * accounting exact without counters that could drift.
 */
#include "xs_tree.h"

#define GRAINS		(XS_ARENA_BYTES / XS_ARENA_GRAIN)
#define HOME_PREFIX	"/local/domain/"

void xs_copy(void *dst, const void *src, uint32_t n)
{
	uint8_t *d = dst;
	const uint8_t *q = src;

	while (n--)
		*d++ = *q++;
}

bool xs_bytes_eq(const void *a, const void *b, uint32_t n)
{
	const uint8_t *x = a, *y = b;

	while (n--)
		if (*x++ != *y++)
			return false;
	return true;
}

uint32_t xs_format_u32(char *out, uint32_t v)
{
	char tmp[10];
	uint32_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

bool xs_parse_u32(const char *p, uint32_t len, uint32_t max, uint32_t *v)
{
	uint64_t x = 0;
	uint32_t i;

	if (!len || len > 10)
		return false;
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(p[i] - '0');
	}
	if (x > max)
		return false;
	*v = (uint32_t)x;
	return true;
}

/* ---- arena ---- */

uint32_t xs_arena_charge(uint32_t len)
{
	return (len + XS_ARENA_GRAIN - 1) / XS_ARENA_GRAIN * XS_ARENA_GRAIN;
}

static bool grain_used(const struct xs_store *s, uint32_t g)
{
	return s->arena_map[g / 32] & (1u << (g % 32));
}

static void grains_mark(struct xs_store *s, uint32_t g, uint32_t n, bool used)
{
	for (; n; n--, g++) {
		if (used)
			s->arena_map[g / 32] |= 1u << (g % 32);
		else
			s->arena_map[g / 32] &= ~(1u << (g % 32));
	}
}

int xs_arena_alloc(struct xs_store *s, uint32_t len, uint32_t *off)
{
	uint32_t need = xs_arena_charge(len) / XS_ARENA_GRAIN, g = 0, run;

	*off = 0;
	if (!len)
		return 0;
	if (need > GRAINS - s->arena_used / XS_ARENA_GRAIN)
		return -XEN_ENOSPC;
	while (g + need <= GRAINS) {
		if (s->arena_map[g / 32] == 0xffffffffu && !(g % 32)) {
			g += 32;
			continue;
		}
		for (run = 0; run < need && !grain_used(s, g + run); run++)
			;
		if (run == need) {
			grains_mark(s, g, need, true);
			s->arena_used += need * XS_ARENA_GRAIN;
			*off = g * XS_ARENA_GRAIN;
			return 0;
		}
		g += run + 1;
	}
	return -XEN_ENOSPC;
}

void xs_arena_free(struct xs_store *s, uint32_t off, uint32_t len)
{
	uint32_t n = xs_arena_charge(len) / XS_ARENA_GRAIN;

	if (!len)
		return;
	grains_mark(s, off / XS_ARENA_GRAIN, n, false);
	s->arena_used -= n * XS_ARENA_GRAIN;
}

/* ---- paths ---- */

static bool path_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '_' ||
	       c == '@';
}

bool xs_path_valid(const char *p, uint32_t len)
{
	uint32_t i;

	if (!len || len > XENSTORE_ABS_PATH_MAX || p[0] != '/')
		return false;
	if (len > 1 && p[len - 1] == '/')
		return false;
	for (i = 0; i < len; i++) {
		if (!path_char_ok(p[i]))
			return false;
		if (p[i] == '/' && i + 1 < len && p[i + 1] == '/')
			return false;
	}
	/* A node's name may not start with '@': those are watch names. */
	return len < 2 || p[1] != '@';
}

uint32_t xs_path_home(uint16_t domid, char *out)
{
	uint32_t n = sizeof(HOME_PREFIX) - 1;

	xs_copy(out, HOME_PREFIX, n);
	return n + xs_format_u32(out + n, domid);
}

int xs_path_canonical(uint16_t domid, const char *in, uint32_t len,
		      char *out, uint32_t *out_len)
{
	uint32_t n;

	if (!len)
		return -XEN_EINVAL;
	if (in[0] == '/') {
		if (len > XENSTORE_ABS_PATH_MAX)
			return -XEN_EINVAL;
		xs_copy(out, in, len);
		n = len;
	} else {
		if (len > XENSTORE_REL_PATH_MAX || in[0] == '@')
			return -XEN_EINVAL;
		n = xs_path_home(domid, out);
		out[n++] = '/';
		xs_copy(out + n, in, len);
		n += len;
	}
	if (!xs_path_valid(out, n))
		return -XEN_EINVAL;
	*out_len = n;
	return 0;
}

uint32_t xs_path_parent_len(const char *p, uint32_t len)
{
	uint32_t i = len;

	if (len <= 1)
		return 0;
	while (i > 0 && p[i - 1] != '/')
		i--;
	/* p[i - 1] is the last '/'; the parent of "/a" is "/". */
	return i > 1 ? i - 1 : 1;
}

bool xs_path_below(const char *p, uint32_t len, const char *anc,
		   uint32_t anc_len)
{
	if (anc_len == 1)
		return true;		/* everything is below "/" */
	if (len < anc_len || !xs_bytes_eq(p, anc, anc_len))
		return false;
	return len == anc_len || p[anc_len] == '/';
}

/* ---- permissions ---- */

unsigned int xs_perm_for(const struct xs_perm *perms, uint8_t nperms,
			 uint16_t domid)
{
	uint8_t i;

	if (!domid || perms[0].domid == domid)
		return XS_PERM_BOTH;
	for (i = 1; i < nperms; i++)
		if (perms[i].domid == domid)
			return perms[i].perm & XS_PERM_BOTH;
	return perms[0].perm & XS_PERM_BOTH;
}

/* ---- nodes and the hash ---- */

static uint32_t path_hash(uint16_t tx, const char *p, uint32_t len)
{
	uint32_t h = 2166136261u ^ tx;

	while (len--)
		h = (h ^ (uint8_t)*p++) * 16777619u;
	return h % XS_HASH_BUCKETS;
}

static bool node_is(struct xs_store *s, uint16_t i, uint16_t tx,
		    const char *p, uint32_t len)
{
	const struct xs_node *n = &s->node[i];

	return n->tx == tx && n->path_len == len &&
	       xs_bytes_eq(xs_node_path(s, i), p, len);
}

uint16_t xs_node_find(struct xs_store *s, uint16_t tx, const char *p,
		      uint32_t len)
{
	uint16_t i = s->hash[path_hash(tx, p, len)];

	while (i != XS_NONE && !node_is(s, i, tx, p, len))
		i = s->node[i].hash_next;
	return i;
}

static void hash_insert(struct xs_store *s, uint16_t i)
{
	struct xs_node *n = &s->node[i];
	uint32_t b = path_hash(n->tx, xs_node_path(s, i), n->path_len);

	n->hash_next = s->hash[b];
	s->hash[b] = i;
}

static void hash_remove(struct xs_store *s, uint16_t i)
{
	struct xs_node *n = &s->node[i];
	uint16_t *link = &s->hash[path_hash(n->tx, xs_node_path(s, i),
					    n->path_len)];

	while (*link != XS_NONE && *link != i)
		link = &s->node[*link].hash_next;
	if (*link == i)
		*link = n->hash_next;
	n->hash_next = XS_NONE;
}

int xs_node_new(struct xs_store *s, uint16_t tx, const char *p, uint32_t len,
		const void *val, uint32_t val_len, const struct xs_perm *perms,
		uint8_t nperms, uint16_t *out)
{
	uint32_t i, path_off, val_off;
	struct xs_node *n;

	for (i = 0; i < XS_MAX_NODES && (s->node[i].flags & XS_NODE_USED); i++)
		;
	if (i == XS_MAX_NODES || nperms > XS_MAX_PERMS || !nperms)
		return -XEN_ENOSPC;
	if (xs_arena_alloc(s, len, &path_off))
		return -XEN_ENOSPC;
	if (xs_arena_alloc(s, val_len, &val_off)) {
		xs_arena_free(s, path_off, len);
		return -XEN_ENOSPC;
	}
	n = &s->node[i];
	xs_copy(&s->arena[path_off], p, len);
	xs_copy(&s->arena[val_off], val, val_len);
	n->path_off = path_off;
	n->path_len = (uint16_t)len;
	n->val_off = val_off;
	n->val_len = (uint16_t)val_len;
	n->tx = tx;
	n->flags = XS_NODE_USED | XS_NODE_PRESENT;
	n->nperms = nperms;
	xs_copy(n->perms, perms, nperms * sizeof(*perms));
	n->gen = s->generation;
	hash_insert(s, (uint16_t)i);
	s->nr_nodes++;
	if (i >= s->node_top)
		s->node_top = i + 1;
	*out = (uint16_t)i;
	return 0;
}

void xs_node_free(struct xs_store *s, uint16_t i)
{
	struct xs_node *n = &s->node[i];

	hash_remove(s, i);
	xs_arena_free(s, n->path_off, n->path_len);
	xs_arena_free(s, n->val_off, n->val_len);
	n->flags = 0;
	n->val_len = 0;
	s->nr_nodes--;
}

void xs_node_retag(struct xs_store *s, uint16_t i, uint16_t tx)
{
	hash_remove(s, i);
	s->node[i].tx = tx;
	hash_insert(s, i);
}

/* Replaces the value; the old one stays if the arena is full. */
static int node_set_value(struct xs_store *s, uint16_t i, const void *val,
			  uint32_t val_len)
{
	struct xs_node *n = &s->node[i];
	uint32_t off;

	if (xs_arena_alloc(s, val_len, &off))
		return -XEN_ENOSPC;
	xs_copy(&s->arena[off], val, val_len);
	xs_arena_free(s, n->val_off, n->val_len);
	n->val_off = off;
	n->val_len = (uint16_t)val_len;
	return 0;
}

void xs_tree_rm_subtree(struct xs_store *s, uint16_t tx, const char *p,
			uint32_t len)
{
	uint32_t i;

	for (i = 0; i < s->node_top; i++) {
		struct xs_node *n = &s->node[i];

		if ((n->flags & XS_NODE_USED) && n->tx == tx &&
		    xs_path_below(xs_node_path(s, (uint16_t)i), n->path_len,
				  p, len))
			xs_node_free(s, (uint16_t)i);
	}
}

/* ---- usage ---- */

static int conn_index(const struct xs_store *s, uint16_t domid)
{
	int i;

	for (i = 0; i < XS_MAX_CONNS; i++)
		if (s->conn[i].used && s->conn[i].domid == domid)
			return i;
	return -1;
}

static int tag_conn(uint16_t tx)
{
	return tx ? (tx - 1) / XS_QUOTA_TRANSACTIONS : -1;
}

void xs_usage(struct xs_store *s, uint16_t domid, uint32_t *nodes,
	      uint32_t *bytes, uint32_t *tx_entries)
{
	int ci = conn_index(s, domid);
	uint32_t i;

	*nodes = *bytes = *tx_entries = 0;
	for (i = 0; i < s->node_top; i++) {
		const struct xs_node *n = &s->node[i];

		if (!(n->flags & XS_NODE_USED))
			continue;
		if (n->tx && ci >= 0 && tag_conn(n->tx) == ci)
			(*tx_entries)++;
		if (n->perms[0].domid != domid)
			continue;
		if (!n->tx || (n->flags & XS_NODE_NEW))
			(*nodes)++;
		*bytes += xs_arena_charge(n->path_len) +
			  xs_arena_charge(n->val_len);
	}
	for (i = 0; ci >= 0 && i < s->watch_top; i++)
		if (s->watch[i].conn == ci)
			*bytes += xs_arena_charge(s->watch[i].path_len) +
				  xs_arena_charge(s->watch[i].token_len);
	for (i = 0; ci >= 0 && i < s->conn[ci].ev_count; i++)
		*bytes += xs_arena_charge(s->conn[ci].ev[(s->conn[ci].ev_head + i) %
					  XS_EVENT_QUEUE].len);
}

/*
 * Room for `slots` more pool entries, and, for a writer other than dom0,
 * for `nodes` more nodes and `bytes` more bytes owned by `owner` and
 * `entries` more transaction entries of `writer`?
 */
static int quota_check(struct xs_store *s, uint16_t writer, uint16_t owner,
		       uint32_t slots, uint32_t nodes, uint32_t bytes,
		       uint32_t entries)
{
	uint32_t have_nodes, have_bytes, have_entries;

	if (s->nr_nodes + slots > XS_MAX_NODES)
		return -XEN_ENOSPC;
	if (!writer)
		return 0;
	if (owner && (nodes || bytes)) {
		xs_usage(s, owner, &have_nodes, &have_bytes, &have_entries);
		if (have_nodes + nodes > XS_QUOTA_NODES ||
		    have_bytes + bytes > XS_QUOTA_BYTES)
			return -XEN_ENOSPC;
	}
	if (entries) {
		xs_usage(s, writer, &have_nodes, &have_bytes, &have_entries);
		if (have_entries + entries > XS_QUOTA_TX_NODES)
			return -XEN_ENOSPC;
	}
	return 0;
}

/* ---- views ---- */

/* A change at node i (and, with parent, its parent's children list). */
static void stamp(struct xs_store *s, uint16_t tx, uint16_t i)
{
	if (!tx)
		s->generation++;
	if (i != XS_NONE)
		s->node[i].gen = s->generation;
}

bool xs_view_tree_hidden(struct xs_store *s, uint16_t tx, const char *p,
			 uint32_t len)
{
	uint16_t e;

	if (!tx)
		return false;
	for (;;) {
		e = xs_node_find(s, tx, p, len);
		if (e != XS_NONE && (s->node[e].flags & XS_NODE_HIDE))
			return true;
		if (len <= 1)
			return false;
		len = xs_path_parent_len(p, len);
	}
}

uint16_t xs_view_lookup(struct xs_store *s, uint16_t tx, const char *p,
			uint32_t len)
{
	uint16_t e;

	if (tx) {
		e = xs_node_find(s, tx, p, len);
		if (e != XS_NONE)
			return (s->node[e].flags & XS_NODE_PRESENT) ? e : XS_NONE;
		if (xs_view_tree_hidden(s, tx, p, len))
			return XS_NONE;
	}
	return xs_node_find(s, 0, p, len);
}

/* The closest existing proper ancestor of p, its length in *alen. */
static uint16_t view_ancestor(struct xs_store *s, uint16_t tx, const char *p,
			      uint32_t len, uint32_t *alen)
{
	uint16_t a;

	while (len > 1) {
		len = xs_path_parent_len(p, len);
		a = xs_view_lookup(s, tx, p, len);
		if (a != XS_NONE) {
			*alen = len;
			return a;
		}
	}
	return XS_NONE;
}

static unsigned int node_perm(struct xs_store *s, uint16_t i, uint16_t domid)
{
	return xs_perm_for(s->node[i].perms, s->node[i].nperms, domid);
}

/* p does not exist: ENOENT only if the closest ancestor grants `need`. */
static int missing_error(struct xs_store *s, uint16_t tx, uint16_t domid,
			 const char *p, uint32_t len, unsigned int need)
{
	uint32_t alen;
	uint16_t a = view_ancestor(s, tx, p, len, &alen);

	if (a != XS_NONE && (node_perm(s, a, domid) & need) == need)
		return -XEN_ENOENT;
	return -XEN_EACCES;
}

int xs_view_get(struct xs_store *s, uint16_t tx, uint16_t domid,
		const char *p, uint32_t len, unsigned int need, uint16_t *out)
{
	uint16_t i = xs_view_lookup(s, tx, p, len);

	if (i == XS_NONE)
		return missing_error(s, tx, domid, p, len, need);
	if ((node_perm(s, i, domid) & need) != need)
		return -XEN_EACCES;
	*out = i;
	return 0;
}

static bool is_child(const char *c, uint32_t clen, const char *p,
		     uint32_t plen)
{
	return clen > plen && xs_path_parent_len(c, clen) == plen &&
	       xs_bytes_eq(c, p, plen);
}

uint16_t xs_view_next_child(struct xs_store *s, uint16_t tx, const char *p,
			    uint32_t len, bool tree_hidden, uint32_t from)
{
	uint32_t i;

	for (i = from; i < s->node_top; i++) {
		const struct xs_node *n = &s->node[i];
		const char *np = xs_node_path(s, (uint16_t)i);

		if (!(n->flags & XS_NODE_USED))
			continue;
		if (!n->tx && tree_hidden)
			continue;
		if (n->tx && (n->tx != tx || !(n->flags & XS_NODE_PRESENT)))
			continue;
		if (!is_child(np, n->path_len, p, len))
			continue;
		if (!n->tx && tx && xs_node_find(s, tx, np, n->path_len) != XS_NONE)
			continue;	/* the transaction's entry decides */
		return (uint16_t)i;
	}
	return XS_NONE;
}

static int view_update(struct xs_store *s, uint16_t tx, uint16_t domid,
		       uint16_t i, const void *val, uint32_t val_len)
{
	struct xs_node *n = &s->node[i];
	uint32_t len = n->path_len, grow = 0;
	uint16_t c;
	int err;

	if (!(node_perm(s, i, domid) & XS_PERM_WRITE))
		return -XEN_EACCES;
	if (tx && !n->tx) {
		/* First change in the transaction: a private copy. */
		err = quota_check(s, domid, n->perms[0].domid, 1, 0,
				  xs_arena_charge(len) +
				  xs_arena_charge(val_len), 1);
		if (!err)
			err = xs_node_new(s, tx, xs_node_path(s, i), len, val,
					  val_len, n->perms, n->nperms, &c);
		if (!err)
			stamp(s, tx, c);
		return err;
	}
	if (xs_arena_charge(val_len) > xs_arena_charge(n->val_len))
		grow = xs_arena_charge(val_len) - xs_arena_charge(n->val_len);
	err = quota_check(s, domid, n->perms[0].domid, 0, 0, grow, 0);
	if (!err)
		err = node_set_value(s, i, val, val_len);
	if (!err)
		stamp(s, tx, i);
	return err;
}

/* Length of the prefix of p that adds one component to the first cur. */
static uint32_t next_component(const char *p, uint32_t len, uint32_t cur)
{
	uint32_t i = cur == 1 ? 1 : cur + 1;

	while (i < len && p[i] != '/')
		i++;
	return i;
}

static int create_one(struct xs_store *s, uint16_t tx, const char *p,
		      uint32_t len, const void *val, uint32_t val_len,
		      const struct xs_perm *perms, uint8_t nperms)
{
	uint16_t t = tx ? xs_node_find(s, tx, p, len) : XS_NONE, i;
	int err;

	err = xs_node_new(s, tx, p, len, val, val_len, perms, nperms, &i);
	if (err)
		return err;
	if (tx)
		s->node[i].flags |= XS_NODE_NEW;
	if (t != XS_NONE) {
		/* Replaces the transaction's removal; keep hiding the tree. */
		s->node[i].flags |= s->node[t].flags & XS_NODE_HIDE;
		xs_node_free(s, t);
	}
	stamp(s, tx, i);
	return 0;
}

/* Undo create_one() for the components of p between alen and end. */
static void create_rollback(struct xs_store *s, uint16_t tx, const char *p,
			    uint32_t alen, uint32_t end)
{
	uint32_t l;
	uint16_t i;

	for (l = next_component(p, end, alen); l < end;
	     l = next_component(p, end, l)) {
		i = xs_node_find(s, tx, p, l);
		if (i == XS_NONE)
			continue;
		if (s->node[i].flags & XS_NODE_HIDE) {
			node_set_value(s, i, 0, 0);
			s->node[i].flags &= ~(XS_NODE_PRESENT | XS_NODE_NEW);
		} else {
			xs_node_free(s, i);
		}
	}
}

static int view_create(struct xs_store *s, uint16_t tx, uint16_t domid,
		       const char *p, uint32_t len, const void *val,
		       uint32_t val_len)
{
	struct xs_perm perms[XS_MAX_PERMS];
	uint32_t alen = 0, l, k = 0, bytes = xs_arena_charge(val_len);
	uint16_t a = view_ancestor(s, tx, p, len, &alen);
	uint8_t nperms;
	int err;

	if (a == XS_NONE || !(node_perm(s, a, domid) & XS_PERM_WRITE))
		return -XEN_EACCES;
	for (l = len; l > alen; l = xs_path_parent_len(p, l)) {
		k++;
		bytes += xs_arena_charge(l);
	}
	nperms = s->node[a].nperms;
	xs_copy(perms, s->node[a].perms, nperms * sizeof(perms[0]));
	if (domid)
		perms[0].domid = domid;
	err = quota_check(s, domid, perms[0].domid, k, k, bytes, tx ? k : 0);
	if (err)
		return err;
	stamp(s, tx, a);
	for (l = next_component(p, len, alen); ; l = next_component(p, len, l)) {
		err = create_one(s, tx, p, l, l == len ? val : 0,
				 l == len ? val_len : 0, perms, nperms);
		if (err) {
			create_rollback(s, tx, p, alen, l);
			return err;
		}
		if (l == len)
			return 0;
	}
}

int xs_view_write(struct xs_store *s, uint16_t tx, uint16_t domid,
		  const char *p, uint32_t len, const void *val,
		  uint32_t val_len, bool mkdir, bool *changed)
{
	uint16_t i = xs_view_lookup(s, tx, p, len);
	int err;

	*changed = false;
	if (val_len > XENSTORE_PAYLOAD_MAX)
		return -XEN_ENOSPC;
	if (i != XS_NONE && mkdir)
		return node_perm(s, i, domid) & XS_PERM_WRITE ? 0 : -XEN_EACCES;
	if (i != XS_NONE)
		err = view_update(s, tx, domid, i, val, val_len);
	else
		err = view_create(s, tx, domid, p, len, val, val_len);
	*changed = !err;
	return err;
}

/* Frees tx's nodes at and below p, except keep. */
static void rm_entries(struct xs_store *s, uint16_t tx, const char *p,
		       uint32_t len, uint16_t keep)
{
	uint32_t i;

	for (i = 0; i < s->node_top; i++) {
		struct xs_node *n = &s->node[i];

		if ((n->flags & XS_NODE_USED) && n->tx == tx && i != keep &&
		    xs_path_below(xs_node_path(s, (uint16_t)i), n->path_len,
				  p, len))
			xs_node_free(s, (uint16_t)i);
	}
}

/* Removal inside a transaction: drop its entries, hide the tree's. */
static int view_rm_tx(struct xs_store *s, uint16_t tx, uint16_t domid,
		      uint16_t i, const char *p, uint32_t len)
{
	uint32_t plen = xs_path_parent_len(p, len);
	uint16_t t = XS_NONE;
	int err;

	if (xs_node_find(s, 0, p, len) == XS_NONE ||
	    xs_view_tree_hidden(s, tx, p, plen)) {
		rm_entries(s, tx, p, len, XS_NONE);
		return 0;
	}
	if (s->node[i].tx == tx) {
		t = i;
	} else {
		err = quota_check(s, domid, 0, 1, 0, 0, 1);
		if (!err)
			err = xs_node_new(s, tx, p, len, 0, 0, s->node[i].perms,
					  s->node[i].nperms, &t);
		if (err)
			return err;
	}
	node_set_value(s, t, 0, 0);
	s->node[t].flags = XS_NODE_USED | XS_NODE_HIDE;
	rm_entries(s, tx, p, len, t);
	return 0;
}

int xs_view_rm(struct xs_store *s, uint16_t tx, uint16_t domid,
	       const char *p, uint32_t len, bool *removed,
	       struct xs_perm *rm_perms, uint8_t *rm_nperms)
{
	uint32_t alen = 0, plen = xs_path_parent_len(p, len);
	uint16_t i = xs_view_lookup(s, tx, p, len), a;
	int err = 0;

	*removed = false;
	if (len <= 1)
		return -XEN_EINVAL;
	if (i == XS_NONE) {
		a = view_ancestor(s, tx, p, len, &alen);
		if (a == XS_NONE || !(node_perm(s, a, domid) & XS_PERM_WRITE))
			return -XEN_EACCES;
		return alen == plen ? 0 : -XEN_ENOENT;
	}
	if (!(node_perm(s, i, domid) & XS_PERM_WRITE))
		return -XEN_EACCES;
	*rm_nperms = s->node[i].nperms;
	xs_copy(rm_perms, s->node[i].perms,
		s->node[i].nperms * sizeof(rm_perms[0]));
	if (tx)
		err = view_rm_tx(s, tx, domid, i, p, len);
	else
		xs_tree_rm_subtree(s, 0, p, len);
	if (err)
		return err;
	stamp(s, tx, xs_view_lookup(s, tx, p, plen));
	*removed = true;
	return 0;
}

int xs_view_set_perms(struct xs_store *s, uint16_t tx, uint16_t domid,
		      const char *p, uint32_t len,
		      const struct xs_perm *perms, uint8_t nperms)
{
	uint16_t i = xs_view_lookup(s, tx, p, len), c;
	struct xs_node *n;
	uint32_t nodes, bytes;
	int err;

	if (!nperms || nperms > XS_MAX_PERMS)
		return -XEN_ENOSPC;
	if (i == XS_NONE)
		return missing_error(s, tx, domid, p, len, XS_PERM_WRITE);
	n = &s->node[i];
	if (domid && n->perms[0].domid != domid)
		return -XEN_EACCES;
	nodes = perms[0].domid != n->perms[0].domid;
	bytes = nodes ? xs_arena_charge(len) + xs_arena_charge(n->val_len) : 0;
	if (tx && !n->tx) {
		err = quota_check(s, domid, perms[0].domid, 1, nodes,
				  bytes + xs_arena_charge(len) +
				  xs_arena_charge(n->val_len), 1);
		if (!err)
			err = xs_node_new(s, tx, p, len,
					  xs_arena_at(s, n->val_off), n->val_len,
					  perms, nperms, &c);
		if (!err)
			stamp(s, tx, c);
		return err;
	}
	err = quota_check(s, domid, perms[0].domid, 0, nodes, bytes, 0);
	if (err)
		return err;
	n->nperms = nperms;
	xs_copy(n->perms, perms, nperms * sizeof(perms[0]));
	stamp(s, tx, i);
	return 0;
}
