/*
 * xs_watch.c - XenStore watches and watch event queues.  See xs_watch.h.
 * FREESTANDING.
 *
 * Watches live in the store-wide table s->watch (conn == XS_NONE: free),
 * their path and token in the arena.  Matching follows the protocol: an
 * event on path P reaches a watch on W when P is W or below it; a removal
 * of P also reaches watches below P, reported with W itself.  A relative
 * watch gets event paths relative to its domain's home.
 */
#include "xs_watch.h"
#include "xs_tree.h"

static const char *watch_path(struct xs_store *s, const struct xs_watch *w)
{
	return (const char *)xs_arena_at(s, w->path_off);
}

static const char *watch_token(struct xs_store *s, const struct xs_watch *w)
{
	return (const char *)xs_arena_at(s, w->token_off);
}

uint32_t xs_watch_count(const struct xs_store *s, int ci)
{
	uint32_t i, n = 0;

	for (i = 0; i < s->watch_top; i++)
		n += s->watch[i].conn == ci;
	return n;
}

static int watch_find(struct xs_store *s, int ci, const char *path,
		      uint32_t len, const char *token, uint32_t token_len)
{
	int i;

	for (i = 0; i < (int)s->watch_top; i++) {
		const struct xs_watch *w = &s->watch[i];

		if (w->conn == ci && w->path_len == len &&
		    w->token_len == token_len &&
		    xs_bytes_eq(watch_path(s, w), path, len) &&
		    xs_bytes_eq(watch_token(s, w), token, token_len))
			return i;
	}
	return -1;
}

static void event_drop_oldest(struct xs_store *s, struct xs_conn *c)
{
	struct xs_event *e = &c->ev[c->ev_head];

	xs_arena_free(s, e->off, e->len);
	c->ev_head = (uint8_t)((c->ev_head + 1) % XS_EVENT_QUEUE);
	c->ev_count--;
}

/* Queues "epath\0token\0" for w's connection. */
static void watch_fire_one(struct xs_store *s, const struct xs_watch *w,
			      const char *epath, uint32_t elen)
{
	struct xs_conn *c = &s->conn[w->conn];
	struct xsd_sockmsg h = { XS_WATCH_EVENT, 0, 0, 0 };
	uint32_t nodes, bytes, entries, off, hl;
	char home[24];
	uint8_t *m;

	hl = xs_path_home(c->domid, home);
	if (w->relative && elen > hl + 1 && xs_bytes_eq(epath, home, hl) &&
	    epath[hl] == '/') {
		epath += hl + 1;
		elen -= hl + 1;
	}
	h.len = elen + 1 + w->token_len + 1;
	if (h.len > XENSTORE_PAYLOAD_MAX)
		goto drop;
	if (c->domid) {
		xs_usage(s, c->domid, &nodes, &bytes, &entries);
		if (bytes + xs_arena_charge(sizeof(h) + h.len) > XS_QUOTA_BYTES)
			goto drop;
	}
	if (c->ev_count == XS_EVENT_QUEUE) {
		event_drop_oldest(s, c);
		c->events_dropped++;
	}
	if (xs_arena_alloc(s, sizeof(h) + h.len, &off))
		goto drop;
	m = xs_arena_at(s, off);
	xs_copy(m, &h, sizeof(h));
	xs_copy(m + sizeof(h), epath, elen);
	m[sizeof(h) + elen] = 0;
	xs_copy(m + sizeof(h) + elen + 1, watch_token(s, w), w->token_len);
	m[sizeof(h) + h.len - 1] = 0;
	c->ev[(c->ev_head + c->ev_count) % XS_EVENT_QUEUE] =
		(struct xs_event){ off, (uint32_t)sizeof(h) + h.len };
	c->ev_count++;
	return;
drop:
	c->events_dropped++;
}

void xs_watch_fire(struct xs_store *s, const char *path, uint32_t len,
		   const struct xs_perm *perms, uint8_t nperms, bool removed)
{
	uint32_t i;

	for (i = 0; i < s->watch_top; i++) {
		const struct xs_watch *w = &s->watch[i];
		const char *wp = watch_path(s, w);

		if (w->conn == XS_NONE || wp[0] != '/')
			continue;
		if (!(xs_perm_for(perms, nperms, s->conn[w->conn].domid) &
		      XS_PERM_READ))
			continue;
		if (xs_path_below(path, len, wp, w->path_len))
			watch_fire_one(s, w, path, len);
		else if (removed && xs_path_below(wp, w->path_len, path, len))
			watch_fire_one(s, w, wp, w->path_len);
	}
}

void xs_watch_fire_special(struct xs_store *s, const char *name)
{
	uint32_t i, len = 0;

	while (name[len])
		len++;
	for (i = 0; i < s->watch_top; i++) {
		const struct xs_watch *w = &s->watch[i];

		if (w->conn != XS_NONE && w->path_len == len &&
		    xs_bytes_eq(watch_path(s, w), name, len))
			watch_fire_one(s, w, name, len);
	}
}

uint32_t xs_event_pop(struct xs_store *s, int ci, uint8_t *out)
{
	struct xs_conn *c = &s->conn[ci];
	struct xs_event *e;
	uint32_t len;

	if (!c->ev_count)
		return 0;
	e = &c->ev[c->ev_head];
	len = e->len;
	xs_copy(out, xs_arena_at(s, e->off), len);
	event_drop_oldest(s, c);
	return len;
}

void xs_event_flush(struct xs_store *s, int ci)
{
	while (s->conn[ci].ev_count)
		event_drop_oldest(s, &s->conn[ci]);
}

static int watch_quota(struct xs_store *s, int ci, uint32_t bytes)
{
	uint32_t nodes, have, entries;
	uint16_t domid = s->conn[ci].domid;

	if (!domid)
		return 0;
	if (xs_watch_count(s, ci) >= XS_QUOTA_WATCHES)
		return -XEN_E2BIG;
	xs_usage(s, domid, &nodes, &have, &entries);
	return have + bytes > XS_QUOTA_BYTES ? -XEN_ENOSPC : 0;
}

int xs_watch_add(struct xs_store *s, int ci, const char *path, uint32_t len,
		 bool relative, const char *token, uint32_t token_len)
{
	struct xs_watch *w;
	uint32_t poff, toff;
	int i, err;

	if (watch_find(s, ci, path, len, token, token_len) >= 0)
		return -XEN_EEXIST;
	err = watch_quota(s, ci, xs_arena_charge(len) +
			  xs_arena_charge(token_len));
	if (err)
		return err;
	for (i = 0; i < XS_MAX_WATCHES && s->watch[i].conn != XS_NONE; i++)
		;
	if (i == XS_MAX_WATCHES || xs_arena_alloc(s, len, &poff))
		return -XEN_ENOSPC;
	if (xs_arena_alloc(s, token_len, &toff)) {
		xs_arena_free(s, poff, len);
		return -XEN_ENOSPC;
	}
	w = &s->watch[i];
	xs_copy(xs_arena_at(s, poff), path, len);
	xs_copy(xs_arena_at(s, toff), token, token_len);
	w->path_off = poff;
	w->path_len = (uint16_t)len;
	w->token_off = toff;
	w->token_len = (uint16_t)token_len;
	w->relative = relative;
	w->conn = (uint16_t)ci;
	if ((uint32_t)i >= s->watch_top)
		s->watch_top = (uint32_t)i + 1;
	/* The first event fires at once, on the watched path itself. */
	watch_fire_one(s, w, path, len);
	return 0;
}

static void watch_free(struct xs_store *s, struct xs_watch *w)
{
	xs_arena_free(s, w->path_off, w->path_len);
	xs_arena_free(s, w->token_off, w->token_len);
	w->conn = XS_NONE;
}

int xs_watch_remove(struct xs_store *s, int ci, const char *path,
		    uint32_t len, const char *token, uint32_t token_len)
{
	int i = watch_find(s, ci, path, len, token, token_len);

	if (i < 0)
		return -XEN_ENOENT;
	watch_free(s, &s->watch[i]);
	return 0;
}

void xs_watch_remove_all(struct xs_store *s, int ci)
{
	uint32_t i;

	for (i = 0; i < s->watch_top; i++)
		if (s->watch[i].conn == ci)
			watch_free(s, &s->watch[i]);
}
