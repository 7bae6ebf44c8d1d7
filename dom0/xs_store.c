/*
 * xs_store.c - XenStore requests, connections and transactions.  See
 * xs_store.h for the semantics; the tree is dom0/xs_tree.c, watches
 * dom0/xs_watch.c.  FREESTANDING.
 *
 * A request is parsed from its payload (never past h->len), its path made
 * canonical in s->path, then run against the view of its transaction.  The
 * reply is built in place in out: header first, payload after, never more
 * than XENSTORE_PAYLOAD_MAX.  Watches fire only for changes of the tree
 * itself (tx 0), so a transaction's changes fire on commit.
 */
#include "xs_store.h"
#include "xs_tree.h"
#include "xs_watch.h"

struct xs_req {
	struct xs_store *s;
	const struct xsd_sockmsg *h;
	const char *pl;			/* payload, h->len bytes */
	uint32_t len;
	int ci;
	uint16_t domid;
	uint16_t tx;			/* view tag, 0: none */
	char *out;			/* reply payload, XENSTORE_PAYLOAD_MAX */
	uint32_t out_len;
};

static const struct xs_perm root_perms[1] = { { 0, XS_PERM_NONE } };

static int conn_find(const struct xs_store *s, uint16_t domid)
{
	int i;

	for (i = 0; i < XS_MAX_CONNS; i++)
		if (s->conn[i].used && s->conn[i].domid == domid)
			return i;
	return -1;
}

bool xs_domain_known(const struct xs_store *s, uint16_t domid)
{
	return conn_find(s, domid) >= 0;
}

static uint16_t tx_tag(int ci, int slot)
{
	return (uint16_t)(ci * XS_QUOTA_TRANSACTIONS + slot + 1);
}

/* ---- payload parsing ---- */

/* Length of the string at off (up to its NUL); false if no NUL. */
static bool payload_string(const struct xs_req *r, uint32_t off,
			   uint32_t *len)
{
	uint32_t i;

	for (i = off; i < r->len; i++) {
		if (!r->pl[i]) {
			*len = i - off;
			return true;
		}
	}
	return false;
}

/* The payload is exactly one string and its NUL. */
static bool one_arg(const struct xs_req *r, uint32_t *len)
{
	return payload_string(r, 0, len) && *len + 1 == r->len;
}

/* Canonical path of the string at the start of the payload into s->path. */
static int path_arg(struct xs_req *r, uint32_t len, uint32_t *plen)
{
	return xs_path_canonical(r->domid, r->pl, len, r->s->path, plen);
}

static int one_path(struct xs_req *r, uint32_t *plen)
{
	uint32_t len;

	if (!one_arg(r, &len))
		return -XEN_EINVAL;
	return path_arg(r, len, plen);
}

static int put_bytes(struct xs_req *r, const void *p, uint32_t len)
{
	if (len > XENSTORE_PAYLOAD_MAX - r->out_len)
		return -XEN_E2BIG;
	xs_copy(r->out + r->out_len, p, len);
	r->out_len += len;
	return 0;
}

static int put_ok(struct xs_req *r)
{
	return put_bytes(r, "OK", 3);
}

/* ---- transactions ---- */

static uint16_t tx_find(const struct xs_store *s, int ci, uint32_t id)
{
	int i;

	for (i = 0; id && i < XS_QUOTA_TRANSACTIONS; i++)
		if (s->conn[ci].tx[i].id == id)
			return tx_tag(ci, i);
	return 0;
}

static void tx_discard(struct xs_store *s, uint16_t tag)
{
	uint32_t i;

	for (i = 0; i < s->node_top; i++)
		if ((s->node[i].flags & XS_NODE_USED) && s->node[i].tx == tag)
			xs_node_free(s, (uint16_t)i);
	s->conn[(tag - 1) / XS_QUOTA_TRANSACTIONS]
		.tx[(tag - 1) % XS_QUOTA_TRANSACTIONS].id = 0;
}

/* Applies every entry of tag to the tree at once and fires the watches. */
static void tx_commit(struct xs_store *s, uint16_t tag)
{
	uint32_t i;
	uint16_t m;
	bool any = false;

	for (i = 0; i < s->node_top; i++) {
		struct xs_node *n = &s->node[i];

		if ((n->flags & XS_NODE_USED) && n->tx == tag &&
		    (n->flags & XS_NODE_HIDE))
			xs_tree_rm_subtree(s, 0, xs_node_path(s, (uint16_t)i),
					   n->path_len);
	}
	s->generation++;
	for (i = 0; i < s->node_top; i++) {
		struct xs_node *n = &s->node[i];
		const char *p = xs_node_path(s, (uint16_t)i);

		if (!(n->flags & XS_NODE_USED) || n->tx != tag)
			continue;
		any = true;
		xs_watch_fire(s, p, n->path_len, n->perms, n->nperms,
			      !(n->flags & XS_NODE_PRESENT));
		if (!(n->flags & XS_NODE_PRESENT)) {
			xs_node_free(s, (uint16_t)i);
			continue;
		}
		m = xs_node_find(s, 0, p, n->path_len);
		if (m != XS_NONE)
			xs_node_free(s, m);
		n->flags = XS_NODE_USED | XS_NODE_PRESENT;
		n->gen = s->generation;
		xs_node_retag(s, (uint16_t)i, 0);
	}
	if (!any)
		s->generation--;	/* nothing changed after all */
}

static int op_tx_start(struct xs_req *r)
{
	struct xs_conn *c = &r->s->conn[r->ci];
	int i;

	if (r->tx)
		return -XEN_EBUSY;
	for (i = 0; i < XS_QUOTA_TRANSACTIONS && c->tx[i].id; i++)
		;
	if (i == XS_QUOTA_TRANSACTIONS)
		return -XEN_ENOSPC;
	do {
		c->next_tx_id++;
	} while (!c->next_tx_id || tx_find(r->s, r->ci, c->next_tx_id));
	c->tx[i].id = c->next_tx_id;
	c->tx[i].start_gen = r->s->generation;
	r->out_len = xs_format_u32(r->out, c->tx[i].id);
	r->out[r->out_len++] = 0;
	return 0;
}

static int op_tx_end(struct xs_req *r)
{
	struct xs_tx *t;

	if (!r->tx)
		return -XEN_ENOENT;
	t = &r->s->conn[r->ci].tx[(r->tx - 1) % XS_QUOTA_TRANSACTIONS];
	if (r->len != 2 || r->pl[1] || (r->pl[0] != 'T' && r->pl[0] != 'F'))
		return -XEN_EINVAL;
	if (r->pl[0] == 'T' && t->start_gen != r->s->generation) {
		tx_discard(r->s, r->tx);
		return -XS_EAGAIN;
	}
	if (r->pl[0] == 'T')
		tx_commit(r->s, r->tx);
	tx_discard(r->s, r->tx);
	return put_ok(r);
}

/* ---- tree operations ---- */

static int op_read(struct xs_req *r)
{
	uint32_t plen;
	uint16_t i;
	int err = one_path(r, &plen);

	if (!err)
		err = xs_view_get(r->s, r->tx, r->domid, r->s->path, plen,
				  XS_PERM_READ, &i);
	if (!err)
		err = put_bytes(r, xs_arena_at(r->s, r->s->node[i].val_off),
				r->s->node[i].val_len);
	return err;
}

/* Child names of s->path from byte offset `from` of the whole list; with
 * part, stops before a name that does not fit and ends the list with an
 * empty name once everything is out. */
static int list_children(struct xs_req *r, uint32_t plen, uint32_t from,
			 bool part)
{
	struct xs_store *s = r->s;
	bool hidden = xs_view_tree_hidden(s, r->tx, s->path, plen);
	uint32_t pos = 0, skip = plen == 1 ? 1 : plen + 1, room;
	uint16_t c;

	for (c = xs_view_next_child(s, r->tx, s->path, plen, hidden, 0);
	     c != XS_NONE;
	     c = xs_view_next_child(s, r->tx, s->path, plen, hidden, c + 1u)) {
		const char *name = xs_node_path(s, c) + skip;
		uint32_t nlen = s->node[c].path_len - skip + 1, off = 0;

		if (pos + nlen <= from) {
			pos += nlen;
			continue;
		}
		if (pos < from)
			off = from - pos;	/* a client's odd offset */
		pos += nlen;
		room = XENSTORE_PAYLOAD_MAX - r->out_len;
		if (part && nlen - off + 1 > room)
			return 0;
		if (put_bytes(r, name + off, nlen - off - 1) ||
		    put_bytes(r, "", 1))
			return -XEN_E2BIG;
	}
	return part ? put_bytes(r, "", 1) : 0;
}

static int op_directory(struct xs_req *r)
{
	uint32_t plen;
	uint16_t i;
	int err = one_path(r, &plen);

	if (!err)
		err = xs_view_get(r->s, r->tx, r->domid, r->s->path, plen,
				  XS_PERM_READ, &i);
	return err ? err : list_children(r, plen, 0, false);
}

static int op_directory_part(struct xs_req *r)
{
	uint32_t len, olen, off, plen;
	char gen[11];
	uint16_t i;
	int err;

	if (!payload_string(r, 0, &len) ||
	    !payload_string(r, len + 1, &olen) || len + olen + 2 != r->len ||
	    !xs_parse_u32(r->pl + len + 1, olen, 0xffffffffu, &off))
		return -XEN_EINVAL;
	err = path_arg(r, len, &plen);
	if (!err)
		err = xs_view_get(r->s, r->tx, r->domid, r->s->path, plen,
				  XS_PERM_READ, &i);
	if (err)
		return err;
	err = put_bytes(r, gen, xs_format_u32(gen, r->s->node[i].gen));
	if (!err)
		err = put_bytes(r, "", 1);
	return err ? err : list_children(r, plen, off, true);
}

/* After a change of the tree at s->path: fire with the node's perms. */
static void fire_changed(struct xs_store *s, uint32_t plen)
{
	uint16_t i = xs_node_find(s, 0, s->path, plen);

	if (i != XS_NONE)
		xs_watch_fire(s, s->path, plen, s->node[i].perms,
			      s->node[i].nperms, false);
}

static int op_write(struct xs_req *r, bool mkdir)
{
	uint32_t len, plen;
	bool changed;
	int err;

	if (mkdir && !one_arg(r, &len))
		return -XEN_EINVAL;
	if (!mkdir && !payload_string(r, 0, &len))
		return -XEN_EINVAL;
	err = path_arg(r, len, &plen);
	if (!err)
		err = xs_view_write(r->s, r->tx, r->domid, r->s->path, plen,
				    r->pl + len + 1,
				    mkdir ? 0 : r->len - len - 1, mkdir,
				    &changed);
	if (err)
		return err;
	if (changed && !r->tx)
		fire_changed(r->s, plen);
	return put_ok(r);
}

static int op_rm(struct xs_req *r)
{
	struct xs_perm perms[XS_MAX_PERMS];
	uint32_t plen;
	uint8_t nperms;
	bool removed;
	int err = one_path(r, &plen);

	if (!err)
		err = xs_view_rm(r->s, r->tx, r->domid, r->s->path, plen,
				 &removed, perms, &nperms);
	if (err)
		return err;
	if (removed && !r->tx)
		xs_watch_fire(r->s, r->s->path, plen, perms, nperms, true);
	return put_ok(r);
}

static const char perm_letters[4] = { 'n', 'r', 'w', 'b' };

static int op_get_perms(struct xs_req *r)
{
	const struct xs_node *n;
	uint32_t plen, k;
	uint16_t i;
	char one[12];
	int err = one_path(r, &plen);

	if (!err)
		err = xs_view_get(r->s, r->tx, r->domid, r->s->path, plen,
				  XS_PERM_READ, &i);
	for (k = 0; !err && k < r->s->node[i].nperms; k++) {
		n = &r->s->node[i];
		one[0] = perm_letters[n->perms[k].perm & XS_PERM_BOTH];
		err = put_bytes(r, one, xs_format_u32(one + 1,
						      n->perms[k].domid) + 1);
		if (!err)
			err = put_bytes(r, "", 1);
	}
	return err;
}

static bool parse_perm(const char *p, uint32_t len, struct xs_perm *out)
{
	uint32_t domid, k;

	if (len < 2 || !xs_parse_u32(p + 1, len - 1, 0xffff, &domid))
		return false;
	for (k = 0; k < 4 && perm_letters[k] != p[0]; k++)
		;
	if (k == 4)
		return false;
	out->domid = (uint16_t)domid;
	out->perm = (uint8_t)k;
	return true;
}

static int op_set_perms(struct xs_req *r)
{
	struct xs_perm perms[XS_MAX_PERMS];
	uint32_t len, plen, off, n = 0, l;
	int err;

	if (!payload_string(r, 0, &len))
		return -XEN_EINVAL;
	for (off = len + 1; off < r->len; off += l + 1) {
		if (!payload_string(r, off, &l))
			return -XEN_EINVAL;
		if (n == XS_MAX_PERMS)
			return -XEN_ENOSPC;
		if (!parse_perm(r->pl + off, l, &perms[n++]))
			return -XEN_EINVAL;
	}
	if (!n)
		return -XEN_EINVAL;
	err = path_arg(r, len, &plen);
	if (!err)
		err = xs_view_set_perms(r->s, r->tx, r->domid, r->s->path, plen,
					perms, (uint8_t)n);
	if (err)
		return err;
	if (!r->tx)
		fire_changed(r->s, plen);
	return put_ok(r);
}

/* ---- watches and domains ---- */

static bool is_special(const char *p, uint32_t len)
{
	return (len == 16 && xs_bytes_eq(p, "@introduceDomain", 16)) ||
	       (len == 14 && xs_bytes_eq(p, "@releaseDomain", 14));
}

/* "<path>\0<token>\0" (anything after is ignored, as xenstored does). */
static int watch_args(struct xs_req *r, uint32_t *plen, const char **token,
		      uint32_t *token_len)
{
	uint32_t len;
	int err;

	if (!payload_string(r, 0, &len) ||
	    !payload_string(r, len + 1, token_len))
		return -XEN_EINVAL;
	*token = r->pl + len + 1;
	if (len && r->pl[0] == '@') {
		if (!is_special(r->pl, len))
			return -XEN_EINVAL;
		xs_copy(r->s->path, r->pl, len);
		*plen = len;
		return 0;
	}
	err = path_arg(r, len, plen);
	return err;
}

static int op_watch(struct xs_req *r, bool add)
{
	const char *token;
	uint32_t plen, tlen;
	int err = watch_args(r, &plen, &token, &tlen);

	if (!err && add)
		err = xs_watch_add(r->s, r->ci, r->s->path, plen,
				   r->pl[0] != '/' && r->pl[0] != '@', token,
				   tlen);
	else if (!err)
		err = xs_watch_remove(r->s, r->ci, r->s->path, plen, token,
				      tlen);
	return err ? err : put_ok(r);
}

static int op_domain_path(struct xs_req *r)
{
	uint32_t len, domid;
	char home[24];

	if (!one_arg(r, &len) || !xs_parse_u32(r->pl, len, 0xffff, &domid))
		return -XEN_EINVAL;
	len = xs_path_home((uint16_t)domid, home);
	home[len++] = 0;
	return put_bytes(r, home, len);
}

static int op_is_introduced(struct xs_req *r)
{
	uint32_t len, domid;

	if (r->domid)
		return -XEN_EACCES;
	if (!one_arg(r, &len) || !xs_parse_u32(r->pl, len, 0xffff, &domid))
		return -XEN_EINVAL;
	return put_bytes(r, xs_domain_known(r->s, (uint16_t)domid) ? "T" : "F",
			 2);
}

static void conn_reset(struct xs_store *s, int ci)
{
	int i;

	xs_watch_remove_all(s, ci);
	for (i = 0; i < XS_QUOTA_TRANSACTIONS; i++)
		if (s->conn[ci].tx[i].id)
			tx_discard(s, tx_tag(ci, i));
	xs_event_flush(s, ci);
}

void xs_conn_reset(struct xs_store *s, uint16_t domid)
{
	int ci = conn_find(s, domid);

	if (ci >= 0)
		conn_reset(s, ci);
}

/* ---- requests ---- */

static int dispatch(struct xs_req *r)
{
	switch (r->h->type) {
	case XS_DIRECTORY:		return op_directory(r);
	case XS_DIRECTORY_PART:		return op_directory_part(r);
	case XS_READ:			return op_read(r);
	case XS_GET_PERMS:		return op_get_perms(r);
	case XS_WRITE:			return op_write(r, false);
	case XS_MKDIR:			return op_write(r, true);
	case XS_RM:			return op_rm(r);
	case XS_SET_PERMS:		return op_set_perms(r);
	case XS_WATCH:			return op_watch(r, true);
	case XS_UNWATCH:		return op_watch(r, false);
	case XS_TRANSACTION_START:	return op_tx_start(r);
	case XS_TRANSACTION_END:	return op_tx_end(r);
	case XS_GET_DOMAIN_PATH:	return op_domain_path(r);
	case XS_IS_DOMAIN_INTRODUCED:	return op_is_introduced(r);
	case XS_RESET_WATCHES:
		conn_reset(r->s, r->ci);
		return put_ok(r);
	case XS_CONTROL:
	case XS_INTRODUCE:
	case XS_RELEASE:
	case XS_RESUME:
	case XS_SET_TARGET:
		/* Dom0 introduces domains through xs_domain_add(). */
		return r->domid ? -XEN_EACCES : -XEN_ENOSYS;
	default:
		return -XEN_EINVAL;
	}
}

static const char *error_name(int err)
{
	switch (-err) {
	case XEN_EACCES:	return XS_ERR_EACCES;
	case XEN_EEXIST:	return XS_ERR_EEXIST;
	case XEN_ENOENT:	return XS_ERR_ENOENT;
	case XEN_ENOMEM:	return XS_ERR_ENOMEM;
	case XEN_ENOSPC:	return XS_ERR_ENOSPC;
	case XEN_EIO:		return XS_ERR_EIO;
	case XEN_ENOSYS:	return XS_ERR_ENOSYS;
	case XEN_EBUSY:		return XS_ERR_EBUSY;
	case XS_EAGAIN:		return XS_ERR_EAGAIN;
	case XEN_E2BIG:		return XS_ERR_E2BIG;
	case XEN_EPERM:		return XS_ERR_EPERM;
	default:		return XS_ERR_EINVAL;
	}
}

uint32_t xs_request(struct xs_store *s, uint16_t domid,
		    const struct xsd_sockmsg *h, const uint8_t *payload,
		    uint8_t *out)
{
	struct xsd_sockmsg rh = { h->type, h->req_id, h->tx_id, 0 };
	struct xs_req r = { s, h, (const char *)payload, h->len,
			    conn_find(s, domid), domid, 0,
			    (char *)out + sizeof(rh), 0 };
	const char *name;
	int err = -XEN_EINVAL;

	if (r.ci >= 0 && h->len <= XENSTORE_PAYLOAD_MAX) {
		r.tx = tx_find(s, r.ci, h->tx_id);
		err = h->tx_id && !r.tx ? -XEN_ENOENT : dispatch(&r);
	}
	if (err) {
		name = error_name(err);
		rh.type = XS_ERROR;
		for (r.out_len = 0; name[r.out_len]; r.out_len++)
			r.out[r.out_len] = name[r.out_len];
		r.out[r.out_len++] = 0;
	}
	rh.len = r.out_len;
	xs_copy(out, &rh, sizeof(rh));
	return (uint32_t)sizeof(rh) + rh.len;
}

uint32_t xs_next_event(struct xs_store *s, uint16_t domid, uint8_t *out)
{
	int ci = conn_find(s, domid);

	return ci < 0 ? 0 : xs_event_pop(s, ci, out);
}

uint32_t xs_events_dropped(const struct xs_store *s, uint16_t domid)
{
	int ci = conn_find(s, domid);

	return ci < 0 ? 0 : s->conn[ci].events_dropped;
}

/* ---- the store and its domains ---- */

static void conn_clear(struct xs_conn *c)
{
	uint8_t *b = (uint8_t *)c;
	size_t i;

	for (i = 0; i < sizeof(*c); i++)
		b[i] = 0;
}

void xs_init(struct xs_store *s)
{
	static const char *const skeleton[3] = { "/", "/local",
						  "/local/domain" };
	uint32_t i, len;
	uint16_t n;

	s->generation = 0;
	s->nr_nodes = 0;
	s->arena_used = 0;
	s->node_top = s->watch_top = 0;
	for (i = 0; i < XS_HASH_BUCKETS; i++)
		s->hash[i] = XS_NONE;
	for (i = 0; i < XS_ARENA_BYTES / XS_ARENA_GRAIN / 32; i++)
		s->arena_map[i] = 0;
	for (i = 0; i < XS_MAX_NODES; i++) {
		s->node[i].flags = 0;
		s->node[i].hash_next = XS_NONE;
	}
	for (i = 0; i < XS_MAX_WATCHES; i++)
		s->watch[i].conn = XS_NONE;
	for (i = 0; i < XS_MAX_CONNS; i++)
		conn_clear(&s->conn[i]);
	for (i = 0; i < 3; i++) {
		for (len = 0; skeleton[i][len]; len++)
			;
		xs_node_new(s, 0, skeleton[i], len, 0, 0, root_perms, 1, &n);
	}
	s->conn[0].used = true;
	s->conn[0].domid = 0;
}

int xs_domain_add(struct xs_store *s, uint16_t domid)
{
	const struct xs_perm home_perms[1] = { { domid, XS_PERM_NONE } };
	uint32_t len;
	bool changed;
	int ci, err;

	if (domid >= 0x7ff0)		/* DOMID_FIRST_RESERVED and up */
		return -XEN_EINVAL;
	if (conn_find(s, domid) >= 0)
		return -XEN_EEXIST;
	for (ci = 0; ci < XS_MAX_CONNS && s->conn[ci].used; ci++)
		;
	if (ci == XS_MAX_CONNS)
		return -XEN_ENOSPC;
	len = xs_path_home(domid, s->path);
	err = xs_view_write(s, 0, 0, s->path, len, 0, 0, true, &changed);
	if (!err)
		err = xs_view_set_perms(s, 0, 0, s->path, len, home_perms, 1);
	if (err)
		return err;
	fire_changed(s, len);
	conn_clear(&s->conn[ci]);
	s->conn[ci].used = true;
	s->conn[ci].domid = domid;
	xs_watch_fire_special(s, "@introduceDomain");
	return 0;
}

/* Nodes owned by a departed domain pass to dom0; its ACL entries go. */
static void disown(struct xs_store *s, uint16_t domid)
{
	uint32_t i, k, j;

	for (i = 0; i < s->node_top; i++) {
		struct xs_node *n = &s->node[i];

		if (!(n->flags & XS_NODE_USED))
			continue;
		if (n->perms[0].domid == domid)
			n->perms[0].domid = 0;
		for (k = j = 1; k < n->nperms; k++)
			if (n->perms[k].domid != domid)
				n->perms[j++] = n->perms[k];
		n->nperms = (uint8_t)j;
	}
}

int xs_domain_remove(struct xs_store *s, uint16_t domid)
{
	struct xs_perm perms[XS_MAX_PERMS];
	int ci = conn_find(s, domid);
	uint32_t len;
	uint8_t nperms;
	bool removed;

	if (!domid)
		return -XEN_EINVAL;
	if (ci < 0)
		return -XEN_ENOENT;
	conn_reset(s, ci);
	s->conn[ci].used = false;
	len = xs_path_home(domid, s->path);
	if (!xs_view_rm(s, 0, 0, s->path, len, &removed, perms, &nperms) &&
	    removed)
		xs_watch_fire(s, s->path, len, perms, nperms, true);
	disown(s, domid);
	s->generation++;
	xs_watch_fire_special(s, "@releaseDomain");
	return 0;
}

/* ---- Dom0's direct access ---- */

static int dom0_path(struct xs_store *s, const char *path, uint32_t *plen)
{
	uint32_t len = 0;

	while (len <= XENSTORE_ABS_PATH_MAX && path[len])
		len++;
	return xs_path_canonical(0, path, len, s->path, plen);
}

int xs_dom0_write(struct xs_store *s, const char *path, const void *val,
		  uint32_t len)
{
	uint32_t plen;
	bool changed;
	int err = dom0_path(s, path, &plen);

	if (!err)
		err = xs_view_write(s, 0, 0, s->path, plen, val, len, false,
				    &changed);
	if (!err && changed)
		fire_changed(s, plen);
	return err;
}

int xs_dom0_read(struct xs_store *s, const char *path, void *buf,
		 uint32_t cap, uint32_t *len)
{
	uint32_t plen;
	uint16_t i;
	int err = dom0_path(s, path, &plen);

	if (!err)
		err = xs_view_get(s, 0, 0, s->path, plen, XS_PERM_READ, &i);
	if (err)
		return err;
	*len = s->node[i].val_len;
	if (*len > cap)
		return -XEN_E2BIG;
	xs_copy(buf, xs_arena_at(s, s->node[i].val_off), *len);
	return 0;
}

int xs_dom0_rm(struct xs_store *s, const char *path)
{
	struct xs_perm perms[XS_MAX_PERMS];
	uint32_t plen;
	uint8_t nperms;
	bool removed;
	int err = dom0_path(s, path, &plen);

	if (!err)
		err = xs_view_rm(s, 0, 0, s->path, plen, &removed, perms,
				 &nperms);
	if (!err && removed)
		xs_watch_fire(s, s->path, plen, perms, nperms, true);
	return err;
}

int xs_dom0_set_perms(struct xs_store *s, const char *path,
		      const struct xs_perm *perms, unsigned int nperms)
{
	uint32_t plen;
	int err = dom0_path(s, path, &plen);

	if (!err && (!nperms || nperms > XS_MAX_PERMS))
		err = -XEN_EINVAL;
	if (!err)
		err = xs_view_set_perms(s, 0, 0, s->path, plen, perms,
					(uint8_t)nperms);
	if (!err)
		fire_changed(s, plen);
	return err;
}
