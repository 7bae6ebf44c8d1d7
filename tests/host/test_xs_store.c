/*
 * test_xs_store.c - host tests of dom0/xs_store.c (with xs_tree.c and
 * xs_watch.c): every request type, path validation, permissions, quotas,
 * watches and their events, transactions, DIRECTORY_PART, domain removal
 * and the Dom0 API.  Requests go through xs_request() exactly as the ring
 * would deliver them; each reply's header is checked on the way.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../dom0/xs_store.h"

/* A literal with its embedded NULs, without the compiler's final one. */
#define LIT(s) s, (uint32_t)(sizeof(s) - 1)

static struct xs_store st;
static uint8_t out[XS_MSG_MAX];
static uint8_t pl[XENSTORE_PAYLOAD_MAX + 64];
static uint32_t req_id;
static char rbuf[XENSTORE_PAYLOAD_MAX + 1];	/* reply payload, NUL added */
static uint32_t rlen;

/* Sends one request; 0 on success, -1 on XS_ERROR (name in rbuf). */
static int rq(uint16_t dom, uint32_t tx, uint32_t type, const void *p,
	      uint32_t len)
{
	struct xsd_sockmsg h = { type, ++req_id, tx, len }, rh;
	uint32_t n = xs_request(&st, dom, &h, p, out);

	memcpy(&rh, out, sizeof(rh));
	CHECK_EQ(n, sizeof(rh) + rh.len);
	CHECK_EQ(rh.req_id, h.req_id);
	CHECK_EQ(rh.tx_id, tx);
	CHECK(rh.len <= XENSTORE_PAYLOAD_MAX);
	CHECK(rh.type == type || rh.type == XS_ERROR);
	rlen = rh.len <= XENSTORE_PAYLOAD_MAX ? rh.len : 0;
	memcpy(rbuf, out + sizeof(rh), rlen);
	rbuf[rlen] = 0;
	return rh.type == XS_ERROR ? -1 : 0;
}

/* Payload of NUL-terminated strings a, b (b may be NULL). */
static uint32_t two(const char *a, const char *b)
{
	uint32_t n = (uint32_t)strlen(a) + 1;

	memcpy(pl, a, n);
	if (b) {
		memcpy(pl + n, b, strlen(b) + 1);
		n += (uint32_t)strlen(b) + 1;
	}
	return n;
}

static int op1(uint16_t dom, uint32_t tx, uint32_t type, const char *path)
{
	return rq(dom, tx, type, pl, two(path, NULL));
}

static int wr(uint16_t dom, uint32_t tx, const char *path, const char *val)
{
	uint32_t n = two(path, NULL);

	memcpy(pl + n, val, strlen(val));
	return rq(dom, tx, XS_WRITE, pl, n + (uint32_t)strlen(val));
}

static int rd(uint16_t dom, uint32_t tx, const char *path)
{
	return op1(dom, tx, XS_READ, path);
}

static int watch(uint16_t dom, const char *path, const char *token, bool add)
{
	return rq(dom, 0, add ? XS_WATCH : XS_UNWATCH, pl, two(path, token));
}

static bool err_is(int r, const char *name)
{
	return r == -1 && !strcmp(rbuf, name);
}

static bool ok_reply(int r)
{
	return r == 0 && rlen == 3 && !memcmp(rbuf, "OK", 3);
}

/* Next event of dom is "path\0token\0"? */
static bool event_is(uint16_t dom, const char *path, const char *token)
{
	struct xsd_sockmsg h;
	uint32_t n = xs_next_event(&st, dom, out), pn = (uint32_t)strlen(path);

	if (n < sizeof(h))
		return false;
	memcpy(&h, out, sizeof(h));
	return h.type == XS_WATCH_EVENT && !h.req_id && !h.tx_id &&
	       n == sizeof(h) + h.len &&
	       h.len == pn + strlen(token) + 2 &&
	       !memcmp(out + sizeof(h), path, pn + 1) &&
	       !memcmp(out + sizeof(h) + pn + 1, token, strlen(token) + 1);
}

/* The next two events are for paths a and b, in either order. */
static bool events_are(uint16_t dom, const char *a, const char *b,
		       const char *token)
{
	struct xsd_sockmsg h;
	bool seen_a = false, seen_b = false;
	int i;

	for (i = 0; i < 2; i++) {
		if (xs_next_event(&st, dom, out) < sizeof(h))
			return false;
		memcpy(&h, out, sizeof(h));
		seen_a |= !strcmp((char *)out + sizeof(h), a) &&
			  !strcmp((char *)out + sizeof(h) + strlen(a) + 1,
				  token);
		seen_b |= !strcmp((char *)out + sizeof(h), b) &&
			  !strcmp((char *)out + sizeof(h) + strlen(b) + 1,
				  token);
	}
	return seen_a && seen_b;
}

static bool no_event(uint16_t dom)
{
	return xs_next_event(&st, dom, out) == 0;
}

static uint32_t tx_start(uint16_t dom)
{
	unsigned long id = 0;

	if (rq(dom, 0, XS_TRANSACTION_START, "", 1))
		return 0;
	sscanf(rbuf, "%lu", &id);
	CHECK(rlen == strlen(rbuf) + 1);
	return (uint32_t)id;
}

static int tx_end(uint16_t dom, uint32_t tx, bool commit)
{
	return rq(dom, tx, XS_TRANSACTION_END, commit ? "T" : "F", 2);
}

static void test_init_and_paths(void)
{
	CHECK_EQ(st.nr_nodes, 3);
	CHECK(rd(0, 0, "/") == 0 && rlen == 0);
	CHECK(op1(0, 0, XS_DIRECTORY, "/") == 0 && rlen == 6 &&
	      !memcmp(rbuf, "local", 6));
	CHECK(op1(0, 0, XS_GET_PERMS, "/local/domain") == 0 &&
	      !strcmp(rbuf, "n0") && rlen == 3);
	CHECK_EQ(xs_domain_add(&st, 1), 0);
	CHECK_EQ(xs_domain_add(&st, 2), 0);
	CHECK_EQ(xs_domain_add(&st, 1), -XEN_EEXIST);
	CHECK_EQ(xs_domain_add(&st, 0x7ff0), -XEN_EINVAL);
	CHECK(op1(1, 0, XS_GET_PERMS, "/local/domain/1") == 0 &&
	      !strcmp(rbuf, "n1"));
	CHECK(op1(2, 0, XS_GET_PERMS, "/local/domain/1") == -1);

	CHECK(err_is(wr(1, 0, "", "v"), "EINVAL"));
	CHECK(err_is(wr(1, 0, "/a//b", "v"), "EINVAL"));
	CHECK(err_is(wr(1, 0, "x/", "v"), "EINVAL"));
	CHECK(err_is(wr(1, 0, "a b", "v"), "EINVAL"));
	CHECK(err_is(wr(1, 0, "a.b", "v"), "EINVAL"));
	CHECK(err_is(wr(1, 0, "@x", "v"), "EINVAL"));
	CHECK(err_is(wr(0, 0, "/@x", "v"), "EINVAL"));
	CHECK(err_is(rq(1, 0, XS_WRITE, "nonul", 5), "EINVAL"));
	CHECK(err_is(rq(1, 0, XS_READ, LIT("x\0y")), "EINVAL"));
	CHECK(err_is(rq(1, 0, XS_READ, "x", 1), "EINVAL"));
	CHECK(err_is(rq(1, 0, XS_READ, "", 0), "EINVAL"));
	{
		static char p[XENSTORE_ABS_PATH_MAX + 2];

		memset(p, 'a', sizeof(p) - 1);
		p[0] = '/';
		p[XENSTORE_ABS_PATH_MAX + 1] = 0;	/* 3073 bytes */
		CHECK(err_is(rd(0, 0, p), "EINVAL"));
		p[XENSTORE_ABS_PATH_MAX] = 0;		/* 3072: valid */
		CHECK(err_is(rd(0, 0, p), "ENOENT"));
		memset(p, 'b', XENSTORE_REL_PATH_MAX + 1);
		p[XENSTORE_REL_PATH_MAX + 1] = 0;
		CHECK(err_is(rd(1, 0, p), "EINVAL"));
		p[XENSTORE_REL_PATH_MAX] = 0;
		CHECK(err_is(rd(1, 0, p), "ENOENT"));
	}
	CHECK(ok_reply(wr(1, 0, "A-z_0@9", "ok")));
	CHECK(rd(1, 0, "/local/domain/1/A-z_0@9") == 0 && !strcmp(rbuf, "ok"));
	CHECK(ok_reply(op1(1, 0, XS_RM, "A-z_0@9")));
	/* A header longer than the maximum is refused. */
	CHECK(err_is(rq(0, 0, XS_READ, pl, XENSTORE_PAYLOAD_MAX + 1),
		     "EINVAL"));
	/* Unknown connection. */
	CHECK(err_is(rd(9, 0, "/"), "EINVAL"));
}

static void test_read_write_perms(void)
{
	static const uint8_t bin[5] = { 'a', 0, 'b', 0, 0xff };
	uint32_t n;

	CHECK(ok_reply(wr(1, 0, "x", "1")));
	CHECK(rd(1, 0, "/local/domain/1/x") == 0 && !strcmp(rbuf, "1"));
	CHECK(rd(0, 0, "/local/domain/1/x") == 0 && !strcmp(rbuf, "1"));
	CHECK(err_is(rd(2, 0, "/local/domain/1/x"), "EACCES"));
	CHECK(err_is(rd(2, 0, "/local/domain/1/nothing"), "EACCES"));
	CHECK(err_is(rd(1, 0, "nothing"), "ENOENT"));
	CHECK(err_is(wr(2, 0, "/local/domain/1/y", "v"), "EACCES"));
	CHECK(err_is(wr(2, 0, "/local/domain/1/x", "v"), "EACCES"));
	CHECK(err_is(wr(1, 0, "/local/domain/2/x", "v"), "EACCES"));
	CHECK(err_is(wr(1, 0, "/top", "v"), "EACCES"));
	CHECK(ok_reply(wr(1, 0, "a/b/c", "v")));
	CHECK(op1(1, 0, XS_DIRECTORY, "a") == 0 && rlen == 2 &&
	      !strcmp(rbuf, "b"));
	CHECK(op1(1, 0, XS_GET_PERMS, "a/b") == 0 && !strcmp(rbuf, "n1"));
	CHECK(rd(1, 0, "a/b") == 0 && rlen == 0);
	/* Dom0 writing below a domain's home keeps the domain as owner. */
	CHECK(ok_reply(wr(0, 0, "/local/domain/1/from0", "z")));
	CHECK(op1(1, 0, XS_GET_PERMS, "from0") == 0 && !strcmp(rbuf, "n1"));
	/* Values are bytes. */
	n = two("bin", NULL);
	memcpy(pl + n, bin, sizeof(bin));
	CHECK(ok_reply(rq(1, 0, XS_WRITE, pl, n + sizeof(bin))));
	CHECK(rd(1, 0, "bin") == 0 && rlen == sizeof(bin) &&
	      !memcmp(rbuf, bin, sizeof(bin)));
	CHECK(ok_reply(wr(1, 0, "bin", "")));
	CHECK(rd(1, 0, "bin") == 0 && rlen == 0);
	/* MKDIR: existing is fine, value kept; missing is created. */
	CHECK(ok_reply(op1(1, 0, XS_MKDIR, "x")));
	CHECK(rd(1, 0, "x") == 0 && !strcmp(rbuf, "1"));
	CHECK(ok_reply(op1(1, 0, XS_MKDIR, "m/n")));
	CHECK(rd(1, 0, "m/n") == 0 && rlen == 0);
	CHECK(err_is(op1(2, 0, XS_MKDIR, "/local/domain/1/x"), "EACCES"));

	/* SET_PERMS: owner or dom0 only; ACL entries and defaults. */
	CHECK(ok_reply(rq(1, 0, XS_SET_PERMS, LIT("a\0n1\0r2\0"))));
	CHECK(op1(2, 0, XS_GET_PERMS, "/local/domain/1/a") == 0 &&
	      rlen == 6 && !memcmp(rbuf, "n1\0r2", 6));
	CHECK(rd(2, 0, "/local/domain/1/a") == 0);
	CHECK(err_is(wr(2, 0, "/local/domain/1/a", "v"), "EACCES"));
	CHECK(err_is(rq(2, 0, XS_SET_PERMS, LIT("/local/domain/1/a\0b2\0")),
		     "EACCES"));
	CHECK(ok_reply(rq(0, 0, XS_SET_PERMS, LIT("/local/domain/1/a\0b1\0"))));
	CHECK(ok_reply(wr(2, 0, "/local/domain/1/a", "by2")));
	CHECK(rd(1, 0, "a") == 0 && !strcmp(rbuf, "by2"));
	/* A child created by 2 is owned by 2, perms otherwise inherited. */
	CHECK(ok_reply(wr(2, 0, "/local/domain/1/a/k2", "")));
	CHECK(op1(1, 0, XS_GET_PERMS, "a/k2") == 0 && !strcmp(rbuf, "b2"));
	CHECK(err_is(rq(1, 0, XS_SET_PERMS, LIT("a\0x1\0")), "EINVAL"));
	CHECK(err_is(rq(1, 0, XS_SET_PERMS, LIT("a\0r\0")), "EINVAL"));
	CHECK(err_is(rq(1, 0, XS_SET_PERMS, LIT("a\0r70000\0")), "EINVAL"));
	CHECK(err_is(rq(1, 0, XS_SET_PERMS, LIT("a\0")), "EINVAL"));
	CHECK(err_is(rq(1, 0, XS_SET_PERMS, LIT("a\0r1")), "EINVAL"));
	CHECK(err_is(rq(1, 0, XS_SET_PERMS,
			LIT("a\0n1\0r2\0r3\0r4\0r5\0r6\0r7\0r8\0r9\0r10\0")),
		     "ENOSPC"));
	CHECK(err_is(rq(1, 0, XS_SET_PERMS, LIT("zz\0n1\0")), "ENOENT"));

	/* An unreadable child is listed by name but not readable. */
	CHECK(ok_reply(wr(1, 0, "a/secret", "s")));
	CHECK(ok_reply(rq(1, 0, XS_SET_PERMS, LIT("a/secret\0n1\0"))));
	CHECK(op1(2, 0, XS_DIRECTORY, "/local/domain/1/a") == 0 &&
	      rlen == 12 && memmem(rbuf, rlen, "\0secret", 8));
	CHECK(err_is(rd(2, 0, "/local/domain/1/a/secret"), "EACCES"));
	CHECK(err_is(rd(2, 0, "/local/domain/1/a/secret/x"), "EACCES"));

	/* RM */
	CHECK(err_is(op1(2, 0, XS_RM, "/local/domain/1/x"), "EACCES"));
	CHECK(ok_reply(op1(1, 0, XS_RM, "m")));
	CHECK(err_is(rd(1, 0, "m/n"), "ENOENT"));
	CHECK(err_is(rd(1, 0, "m"), "ENOENT"));
	CHECK(ok_reply(op1(1, 0, XS_RM, "m")));		/* parent exists */
	CHECK(err_is(op1(1, 0, XS_RM, "m/q"), "ENOENT"));
	CHECK(err_is(op1(0, 0, XS_RM, "/"), "EINVAL"));
}

static void test_misc_requests(void)
{
	CHECK(op1(1, 0, XS_GET_DOMAIN_PATH, "5") == 0 &&
	      !strcmp(rbuf, "/local/domain/5") && rlen == 16);
	CHECK(err_is(op1(1, 0, XS_GET_DOMAIN_PATH, "5x"), "EINVAL"));
	CHECK(err_is(op1(1, 0, XS_GET_DOMAIN_PATH, "65536"), "EINVAL"));
	CHECK(err_is(op1(1, 0, XS_INTRODUCE, "3"), "EACCES"));
	CHECK(err_is(op1(1, 0, XS_RELEASE, "3"), "EACCES"));
	CHECK(err_is(op1(1, 0, XS_SET_TARGET, "3"), "EACCES"));
	CHECK(err_is(op1(1, 0, XS_RESUME, "3"), "EACCES"));
	CHECK(err_is(op1(1, 0, XS_CONTROL, "print"), "EACCES"));
	CHECK(err_is(op1(0, 0, XS_INTRODUCE, "3"), "ENOSYS"));
	CHECK(err_is(op1(0, 0, XS_CONTROL, "print"), "ENOSYS"));
	CHECK(err_is(op1(1, 0, 20, "x"), "EINVAL"));
	CHECK(err_is(op1(1, 0, XS_WATCH_EVENT, "x"), "EINVAL"));
	CHECK(err_is(op1(1, 0, XS_ERROR, "x"), "EINVAL"));
	CHECK(err_is(op1(1, 0, 99, "x"), "EINVAL"));
	CHECK(err_is(op1(1, 0, 0xffffffffu, "x"), "EINVAL"));
	CHECK(err_is(op1(1, 0, XS_IS_DOMAIN_INTRODUCED, "2"), "EACCES"));
	CHECK(op1(0, 0, XS_IS_DOMAIN_INTRODUCED, "2") == 0 &&
	      !strcmp(rbuf, "T"));
	CHECK(op1(0, 0, XS_IS_DOMAIN_INTRODUCED, "7") == 0 &&
	      !strcmp(rbuf, "F"));
}

static void test_watches(void)
{
	int i;

	CHECK(ok_reply(watch(1, "w", "tk", true)));
	CHECK(event_is(1, "w", "tk"));
	CHECK(no_event(1));
	CHECK(err_is(watch(1, "w", "tk", true), "EEXIST"));
	CHECK(ok_reply(watch(1, "/local/domain/1/w", "abs", true)));
	CHECK(event_is(1, "/local/domain/1/w", "abs"));
	CHECK(ok_reply(wr(1, 0, "w/b", "1")));
	CHECK(event_is(1, "w/b", "tk"));
	CHECK(event_is(1, "/local/domain/1/w/b", "abs"));
	CHECK(no_event(1));
	CHECK(ok_reply(wr(1, 0, "wx", "1")));		/* not below "w" */
	CHECK(no_event(1));
	CHECK(ok_reply(watch(1, "w/b/c/d", "deep", true)));
	CHECK(event_is(1, "w/b/c/d", "deep"));
	CHECK(ok_reply(op1(1, 0, XS_RM, "w")));
	CHECK(event_is(1, "w", "tk"));
	CHECK(event_is(1, "/local/domain/1/w", "abs"));
	CHECK(event_is(1, "w/b/c/d", "deep"));
	CHECK(no_event(1));
	CHECK(ok_reply(watch(1, "w", "tk", false)));
	CHECK(err_is(watch(1, "w", "tk", false), "ENOENT"));
	CHECK(ok_reply(watch(1, "/local/domain/1/w", "abs", false)));
	CHECK(ok_reply(watch(1, "w/b/c/d", "deep", false)));

	/* No event to a domain that cannot read the node. */
	CHECK(ok_reply(watch(2, "/local/domain/1", "peek", true)));
	CHECK(event_is(2, "/local/domain/1", "peek"));
	CHECK(ok_reply(wr(1, 0, "hidden", "1")));
	CHECK(no_event(2));
	CHECK(ok_reply(rq(1, 0, XS_SET_PERMS, LIT("hidden\0n1\0r2\0"))));
	CHECK(event_is(2, "/local/domain/1/hidden", "peek"));
	CHECK(ok_reply(wr(1, 0, "hidden", "2")));
	CHECK(event_is(2, "/local/domain/1/hidden", "peek"));
	CHECK(ok_reply(op1(1, 0, XS_RM, "hidden")));
	CHECK(event_is(2, "/local/domain/1/hidden", "peek"));
	CHECK(no_event(2));
	CHECK(ok_reply(watch(2, "/local/domain/1", "peek", false)));

	/* The queue is bounded: the oldest events go, counted. */
	CHECK(ok_reply(watch(1, "q", "t", true)));
	CHECK(event_is(1, "q", "t"));
	for (i = 0; i < XS_EVENT_QUEUE + 4; i++) {
		char v[16];

		snprintf(v, sizeof(v), "%d", i);
		CHECK(ok_reply(wr(1, 0, "q", v)));
	}
	CHECK_EQ(xs_events_dropped(&st, 1), 4);
	for (i = 0; i < XS_EVENT_QUEUE; i++)
		CHECK(event_is(1, "q", "t"));
	CHECK(no_event(1));
	CHECK(ok_reply(watch(1, "q", "t", false)));

	/* Special watches. */
	CHECK(err_is(watch(0, "@foo", "t", true), "EINVAL"));
	CHECK(err_is(watch(0, "/a//b", "t", true), "EINVAL"));
	CHECK(err_is(rq(0, 0, XS_WATCH, "/x", 3), "EINVAL"));
	CHECK(ok_reply(watch(0, "@introduceDomain", "in", true)));
	CHECK(event_is(0, "@introduceDomain", "in"));
	CHECK(ok_reply(watch(0, "@releaseDomain", "out", true)));
	CHECK(event_is(0, "@releaseDomain", "out"));
	CHECK_EQ(xs_domain_add(&st, 3), 0);
	CHECK(event_is(0, "@introduceDomain", "in"));
	CHECK(no_event(0));
	CHECK_EQ(xs_domain_remove(&st, 3), 0);
	CHECK(event_is(0, "@releaseDomain", "out"));
	CHECK(no_event(0));
	CHECK_EQ(xs_domain_remove(&st, 3), -XEN_ENOENT);
	CHECK_EQ(xs_domain_remove(&st, 0), -XEN_EINVAL);
	CHECK(ok_reply(watch(0, "@introduceDomain", "in", false)));
	CHECK(ok_reply(watch(0, "@releaseDomain", "out", false)));
}

static void test_transactions(void)
{
	uint32_t t, t2, gen_nodes;

	CHECK(ok_reply(watch(1, "t", "tw", true)));
	CHECK(event_is(1, "t", "tw"));
	t = tx_start(1);
	CHECK(t != 0);
	CHECK(ok_reply(wr(1, t, "t/x", "1")));
	CHECK(rd(1, t, "t/x") == 0 && !strcmp(rbuf, "1"));
	CHECK(err_is(rd(1, 0, "t/x"), "ENOENT"));
	CHECK(err_is(rd(1, 0, "t"), "ENOENT"));
	CHECK(op1(1, t, XS_DIRECTORY, "t") == 0 && !strcmp(rbuf, "x"));
	CHECK(no_event(1));
	CHECK(err_is(rd(2, t, "/local/domain/2"), "ENOENT"));	/* not 2's */
	CHECK(err_is(rq(1, t, XS_TRANSACTION_START, "", 1), "EBUSY"));
	CHECK(err_is(rq(1, t, XS_TRANSACTION_END, "X", 2), "EINVAL"));
	CHECK(ok_reply(tx_end(1, t, true)));
	CHECK(events_are(1, "t", "t/x", "tw"));
	CHECK(no_event(1));
	CHECK(rd(1, 0, "t/x") == 0 && !strcmp(rbuf, "1"));
	CHECK(err_is(tx_end(1, t, true), "ENOENT"));
	CHECK(err_is(tx_end(1, 0, true), "ENOENT"));
	CHECK(err_is(rd(1, 12345, "t/x"), "ENOENT"));

	/* Abort discards. */
	gen_nodes = st.nr_nodes;
	t = tx_start(1);
	CHECK(ok_reply(wr(1, t, "t/x", "2")));
	CHECK(ok_reply(wr(1, t, "t/new", "n")));
	CHECK(rd(1, t, "t/x") == 0 && !strcmp(rbuf, "2"));
	CHECK(rd(1, 0, "t/x") == 0 && !strcmp(rbuf, "1"));
	CHECK(ok_reply(tx_end(1, t, false)));
	CHECK(rd(1, 0, "t/x") == 0 && !strcmp(rbuf, "1"));
	CHECK(err_is(rd(1, 0, "t/new"), "ENOENT"));
	CHECK(no_event(1));
	CHECK_EQ(st.nr_nodes, gen_nodes);

	/* Conflict: anyone's change to the tree since the start. */
	t = tx_start(1);
	t2 = tx_start(1);
	CHECK(t2 != t && t2);
	CHECK(ok_reply(wr(1, t, "t/x", "3")));
	CHECK(ok_reply(wr(2, 0, "other", "o")));
	CHECK(err_is(tx_end(1, t, true), "EAGAIN"));
	CHECK(rd(1, 0, "t/x") == 0 && !strcmp(rbuf, "1"));
	CHECK(err_is(tx_end(1, t2, true), "EAGAIN"));
	CHECK(no_event(1));
	CHECK_EQ(st.nr_nodes, gen_nodes + 1);	/* "other" */

	/* RM inside: the tree's nodes hidden, new ones visible; atomic. */
	CHECK(ok_reply(wr(1, 0, "t/y", "y")));
	CHECK(event_is(1, "t/y", "tw"));
	t = tx_start(1);
	CHECK(ok_reply(op1(1, t, XS_RM, "t")));
	CHECK(err_is(rd(1, t, "t/x"), "ENOENT"));
	CHECK(err_is(rd(1, t, "t"), "ENOENT"));
	CHECK(rd(1, 0, "t/x") == 0);
	CHECK(ok_reply(wr(1, t, "t/z", "z")));
	CHECK(op1(1, t, XS_DIRECTORY, "t") == 0 && !strcmp(rbuf, "z") &&
	      rlen == 2);
	CHECK(op1(1, 0, XS_DIRECTORY, "t") == 0 && rlen == 4);
	CHECK(ok_reply(rq(1, t, XS_SET_PERMS, LIT("t/z\0n1\0r2\0"))));
	CHECK(op1(1, t, XS_GET_PERMS, "t/z") == 0 && rlen == 6);
	CHECK(ok_reply(tx_end(1, t, true)));
	CHECK(err_is(rd(1, 0, "t/x"), "ENOENT"));
	CHECK(err_is(rd(1, 0, "t/y"), "ENOENT"));
	CHECK(rd(2, 0, "/local/domain/1/t/z") == 0 && !strcmp(rbuf, "z"));
	CHECK(op1(1, 0, XS_DIRECTORY, "t") == 0 && !strcmp(rbuf, "z") &&
	      rlen == 2);
	CHECK(events_are(1, "t", "t/z", "tw"));
	CHECK(no_event(1));

	/* Transaction ids are per connection. */
	t = tx_start(1);
	CHECK(err_is(rd(2, t, "/local/domain/2"), "ENOENT"));
	CHECK(ok_reply(tx_end(1, t, true)));	/* nothing written: commits */
	CHECK(ok_reply(watch(1, "t", "tw", false)));
}

static void test_quotas(void)
{
	uint32_t ids[XS_QUOTA_TRANSACTIONS], i, made = 0;
	char p[32], tok[16];
	static char big[4000];

	for (i = 0; i < XS_QUOTA_TRANSACTIONS; i++)
		CHECK((ids[i] = tx_start(2)) != 0);
	CHECK(tx_start(2) == 0 && !strcmp(rbuf, "ENOSPC"));
	for (i = 0; i < XS_QUOTA_TRANSACTIONS; i++)
		CHECK(ok_reply(tx_end(2, ids[i], false)));

	for (i = 0; i < XS_QUOTA_WATCHES; i++) {
		snprintf(tok, sizeof(tok), "t%u", i);
		CHECK(ok_reply(watch(2, "wq", tok, true)));
	}
	CHECK(err_is(watch(2, "wq", "one-more", true), "E2BIG"));
	CHECK(ok_reply(rq(2, 0, XS_RESET_WATCHES, "", 1)));
	CHECK(ok_reply(watch(2, "wq", "one-more", true)));
	CHECK(ok_reply(rq(2, 0, XS_RESET_WATCHES, "", 1)));
	while (xs_next_event(&st, 2, out))
		;

	for (i = 0; i < XS_QUOTA_NODES + 10; i++) {
		snprintf(p, sizeof(p), "n/%u", i);
		if (wr(2, 0, p, "") < 0)
			break;
		made++;
	}
	CHECK(!strcmp(rbuf, "ENOSPC"));
	CHECK(made > XS_QUOTA_NODES - 10 && made < XS_QUOTA_NODES);
	CHECK(ok_reply(op1(2, 0, XS_RM, "n")));
	/* Dom0 is not limited by a domain's quota. */
	for (i = 0; i < XS_QUOTA_NODES + 10; i++) {
		snprintf(p, sizeof(p), "/local/domain/2/n/%u", i);
		CHECK(ok_reply(wr(0, 0, p, "")));
	}
	CHECK(ok_reply(op1(0, 0, XS_RM, "/local/domain/2/n")));

	memset(big, 'v', sizeof(big) - 1);
	for (i = 0, made = 0; i < 40; i++) {
		snprintf(p, sizeof(p), "b/%u", i);
		if (wr(2, 0, p, big) < 0)
			break;
		made++;
	}
	CHECK(!strcmp(rbuf, "ENOSPC"));
	CHECK(made >= 10 && made <= XS_QUOTA_BYTES / 4000);
	CHECK(ok_reply(op1(2, 0, XS_RM, "b")));
	/* ... and the space is usable again. */
	CHECK(ok_reply(wr(2, 0, "b/again", big)));
	CHECK(ok_reply(op1(2, 0, XS_RM, "b")));
}

static void test_directory_part(void)
{
	char p[64], seen[300] = { 0 };
	uint32_t i, off = 0, got = 0, rounds = 0, gen = 0;

	for (i = 0; i < 300; i++) {
		snprintf(p, sizeof(p), "/big/child-with-a-long-name-%03u", i);
		CHECK(ok_reply(wr(0, 0, p, "")));
	}
	CHECK(err_is(op1(0, 0, XS_DIRECTORY, "/big"), "E2BIG"));
	for (;;) {
		char arg[16];
		uint32_t n, pos, g;

		snprintf(arg, sizeof(arg), "%u", off);
		n = two("/big", arg);
		CHECK(rq(0, 0, XS_DIRECTORY_PART, pl, n) == 0);
		CHECK(rlen > 0 && rbuf[rlen - 1] == 0);
		g = (uint32_t)strtoul(rbuf, NULL, 10);
		if (rounds++)
			CHECK_EQ(g, gen);
		gen = g;
		pos = (uint32_t)strlen(rbuf) + 1;
		if (pos >= rlen)
			break;
		while (pos < rlen && rbuf[pos]) {
			unsigned k;

			CHECK(sscanf(rbuf + pos, "child-with-a-long-name-%u", &k) == 1);
			if (k < 300 && !seen[k]++)
				got++;
			off += (uint32_t)strlen(rbuf + pos) + 1;
			pos += (uint32_t)strlen(rbuf + pos) + 1;
		}
		if (pos < rlen)		/* the empty name: end of the list */
			break;
		if (rounds > 20)
			break;
	}
	CHECK_EQ(got, 300);
	CHECK(rounds > 1 && rounds < 10);
	CHECK(err_is(rq(0, 0, XS_DIRECTORY_PART, LIT("/big\0x\0")), "EINVAL"));
	CHECK(err_is(rq(0, 0, XS_DIRECTORY_PART, LIT("/big\0")), "EINVAL"));
	CHECK(ok_reply(op1(0, 0, XS_RM, "/big")));
}

static void test_dom0_api_and_arena(void)
{
	struct xs_perm perms[2] = { { 0, XS_PERM_NONE }, { 2, XS_PERM_READ } };
	static char big[4000];
	uint32_t len, i, used = st.arena_used;
	char buf[16];

	CHECK_EQ(xs_dom0_write(&st, "/vm/name", "guest", 5), 0);
	CHECK_EQ(xs_dom0_read(&st, "/vm/name", buf, sizeof(buf), &len), 0);
	CHECK(len == 5 && !memcmp(buf, "guest", 5));
	CHECK_EQ(xs_dom0_read(&st, "/vm/name", buf, 2, &len), -XEN_E2BIG);
	CHECK_EQ(xs_dom0_read(&st, "/vm/none", buf, 2, &len), -XEN_ENOENT);
	CHECK_EQ(xs_dom0_write(&st, "/vm//x", "", 0), -XEN_EINVAL);
	CHECK(err_is(rd(2, 0, "/vm/name"), "EACCES"));
	CHECK_EQ(xs_dom0_set_perms(&st, "/vm/name", perms, 2), 0);
	CHECK(rd(2, 0, "/vm/name") == 0 && !strcmp(rbuf, "guest"));
	CHECK_EQ(xs_dom0_set_perms(&st, "/vm/name", perms, 0), -XEN_EINVAL);
	CHECK_EQ(xs_dom0_rm(&st, "/vm"), 0);
	CHECK_EQ(xs_dom0_rm(&st, "/vm/name"), -XEN_ENOENT);
	CHECK_EQ(st.arena_used, used);

	/* Freed space is reused: far more than the arena passes through. */
	memset(big, 'x', sizeof(big));
	for (i = 0; i < 2000; i++) {
		CHECK_EQ(xs_dom0_write(&st, "/churn/a", big, sizeof(big)), 0);
		CHECK_EQ(xs_dom0_write(&st, "/churn/b", big, i % 100), 0);
		CHECK_EQ(xs_dom0_rm(&st, "/churn"), 0);
	}
	CHECK_EQ(st.arena_used, used);
}

static void test_domain_remove(uint32_t nodes0, uint32_t arena0)
{
	uint32_t t;

	CHECK(ok_reply(watch(2, "/local/domain/1/pub", "w2", true)));
	CHECK(event_is(2, "/local/domain/1/pub", "w2"));
	CHECK(ok_reply(wr(1, 0, "pub", "p")));
	CHECK(ok_reply(rq(1, 0, XS_SET_PERMS, LIT("pub\0r1\0"))));
	while (xs_next_event(&st, 2, out))
		;
	CHECK(ok_reply(watch(1, "x", "mine", true)));
	t = tx_start(1);
	CHECK(ok_reply(wr(1, t, "tx-only", "1")));
	CHECK(ok_reply(wr(1, 0, "pub", "q")));		/* queue an event */
	CHECK(ok_reply(wr(2, 0, "owned-by-2", "")));
	CHECK_EQ(xs_domain_remove(&st, 1), 0);
	CHECK(event_is(2, "/local/domain/1/pub", "w2"));
	CHECK(err_is(rd(0, 0, "/local/domain/1"), "ENOENT"));
	CHECK(err_is(rd(1, 0, "/"), "EINVAL"));
	CHECK_EQ(xs_next_event(&st, 1, out), 0);
	CHECK(ok_reply(watch(2, "/local/domain/1/pub", "w2", false)));
	CHECK_EQ(xs_domain_remove(&st, 2), 0);
	CHECK_EQ(st.nr_nodes, nodes0);
	CHECK_EQ(st.arena_used, arena0);
	/* The id can come back, with a clean home. */
	CHECK_EQ(xs_domain_add(&st, 1), 0);
	CHECK(op1(1, 0, XS_DIRECTORY, "") == -1);
	CHECK(op1(1, 0, XS_DIRECTORY, "/local/domain/1") == 0 && rlen == 0);
	CHECK_EQ(xs_domain_remove(&st, 1), 0);
}

int main(void)
{
	uint32_t nodes0, arena0;

	xs_init(&st);
	nodes0 = st.nr_nodes;
	arena0 = st.arena_used;
	test_init_and_paths();
	test_read_write_perms();
	test_misc_requests();
	test_watches();
	test_transactions();
	test_quotas();
	test_directory_part();
	test_dom0_api_and_arena();
	test_domain_remove(nodes0, arena0);
	return check_done();
}
