/*
 * test_xs_ring.c - host tests of dom0/xs_ring.c over a fake ring page in
 * host memory, playing the guest: requests split across the ring's wrap and
 * across passes, pipelined requests, a reply larger than the free space,
 * watch events after their replies, and hostile indices and headers (the
 * connection breaks, the page's error field says why, nothing more is
 * read or written).
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "../../dom0/xs_ring.h"

static struct xs_store st;
static struct xs_ring ring;
static struct xenstore_domain_interface page;
static volatile struct xenstore_domain_interface *intf = &page;

static uint8_t stream[1 << 16];		/* what the guest received */
static uint32_t stream_len;

/* Guest: queue up to n bytes of a request; returns how many fit. */
static uint32_t g_send(const void *p, uint32_t n)
{
	const uint8_t *b = p;
	uint32_t room = XENSTORE_RING_SIZE - (intf->req_prod - intf->req_cons);
	uint32_t i;

	if (n > room)
		n = room;
	for (i = 0; i < n; i++)
		intf->req[MASK_XENSTORE_IDX(intf->req_prod + i)] = (char)b[i];
	intf->req_prod += n;
	return n;
}

/* Guest: take every response byte available. */
static void g_recv(void)
{
	while (intf->rsp_cons != intf->rsp_prod) {
		stream[stream_len++] =
			(uint8_t)intf->rsp[MASK_XENSTORE_IDX(intf->rsp_cons)];
		intf->rsp_cons++;
	}
}

static uint32_t msg(uint8_t *buf, uint32_t type, uint32_t req_id,
		    const void *p, uint32_t len)
{
	struct xsd_sockmsg h = { type, req_id, 0, len };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), p, len);
	return (uint32_t)sizeof(h) + len;
}

/* Pops the next whole message off the received stream. */
static bool next_msg(struct xsd_sockmsg *h, uint8_t *payload)
{
	static uint32_t pos;

	if (stream_len - pos < sizeof(*h))
		return false;
	memcpy(h, stream + pos, sizeof(*h));
	if (h->len > XENSTORE_PAYLOAD_MAX || stream_len - pos < sizeof(*h) + h->len)
		return false;
	memcpy(payload, stream + pos + sizeof(*h), h->len);
	pos += (uint32_t)sizeof(*h) + h->len;
	return true;
}

static void reset_page(uint32_t start)
{
	memset(&page, 0, sizeof(page));
	page.req_cons = page.req_prod = start;
	page.rsp_cons = page.rsp_prod = start + 7;
	xs_ring_init(&ring, intf);
	CHECK_EQ(intf->server_features & XENSTORE_SERVER_FEATURE_ERROR,
		 XENSTORE_SERVER_FEATURE_ERROR);
}

static void test_split_and_wrap(void)
{
	static uint8_t buf[8192], pl[XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg h;
	uint32_t n, i;

	/* Indices just before the 32-bit wrap and the ring's end. */
	reset_page(0xfffffffau);
	n = msg(buf, XS_WRITE, 1, "/x/y\0value", 10);
	CHECK_EQ(g_send(buf, 7), 7);			/* half a header */
	CHECK_EQ(xs_ring_service(&ring, intf, &st, 0), 1);
	CHECK_EQ(intf->req_cons, intf->req_prod);
	CHECK_EQ(intf->rsp_prod, intf->rsp_cons);	/* no reply yet */
	CHECK_EQ(g_send(buf + 7, 12), 12);		/* header + 3 bytes */
	CHECK_EQ(xs_ring_service(&ring, intf, &st, 0), 1);
	CHECK_EQ(intf->rsp_prod, intf->rsp_cons);
	CHECK_EQ(g_send(buf + 19, n - 19), n - 19);
	CHECK_EQ(xs_ring_service(&ring, intf, &st, 0), 1);
	g_recv();
	CHECK(next_msg(&h, pl) && h.type == XS_WRITE && h.req_id == 1 &&
	      h.len == 3 && !memcmp(pl, "OK", 3));
	CHECK_EQ(xs_ring_service(&ring, intf, &st, 0), 0);	/* idle */

	/* Three requests at once, answered in order; many ring laps. */
	for (i = 0; i < 200; i++) {
		n = msg(buf, XS_READ, 100 + i, "/x/y", 5);
		n += msg(buf + n, XS_READ, 1000 + i, "/nope", 6);
		n += msg(buf + n, XS_GET_DOMAIN_PATH, 5000 + i, "7", 2);
		CHECK_EQ(g_send(buf, n), n);
		CHECK_EQ(xs_ring_service(&ring, intf, &st, 0), 1);
		g_recv();
		CHECK(next_msg(&h, pl) && h.type == XS_READ &&
		      h.req_id == 100 + i && h.len == 5 &&
		      !memcmp(pl, "value", 5));
		CHECK(next_msg(&h, pl) && h.type == XS_ERROR &&
		      h.req_id == 1000 + i && !memcmp(pl, "ENOENT", 7));
		CHECK(next_msg(&h, pl) && h.type == XS_GET_DOMAIN_PATH &&
		      h.req_id == 5000 + i && !memcmp(pl, "/local/domain/7", 16));
	}
	CHECK(!next_msg(&h, pl));
}

static void test_big_reply_and_events(void)
{
	static uint8_t buf[8192], pl[XENSTORE_PAYLOAD_MAX], val[3000];
	static char longp[104];
	struct xsd_sockmsg h;
	uint32_t n, i, rounds = 0;

	for (i = 0; i < sizeof(val); i++)
		val[i] = (uint8_t)(i * 7);
	CHECK_EQ(xs_dom0_write(&st, "/big", val, sizeof(val)), 0);
	reset_page(1000);
	n = msg(buf, XS_READ, 9, "/big", 5);
	CHECK_EQ(g_send(buf, n), n);
	/* The guest reads only once the ring is full: several rounds. */
	while (xs_ring_service(&ring, intf, &st, 0) == 1) {
		CHECK(intf->rsp_prod - intf->rsp_cons <= XENSTORE_RING_SIZE);
		g_recv();
		rounds++;
	}
	CHECK(rounds >= 3);
	CHECK(next_msg(&h, pl) && h.type == XS_READ && h.req_id == 9 &&
	      h.len == sizeof(val) && !memcmp(pl, val, sizeof(val)));

	/* WATCH: the OK first, then the immediate event. */
	n = msg(buf, XS_WATCH, 10, "/w\0tok", 7);
	CHECK_EQ(g_send(buf, n), n);
	CHECK_EQ(xs_ring_service(&ring, intf, &st, 0), 1);
	g_recv();
	CHECK(next_msg(&h, pl) && h.type == XS_WATCH && h.req_id == 10);
	CHECK(next_msg(&h, pl) && h.type == XS_WATCH_EVENT && !h.req_id &&
	      h.len == 7 && !memcmp(pl, "/w\0tok", 7));
	/* A change by someone else reaches the guest on the next service. */
	CHECK_EQ(xs_dom0_write(&st, "/w/a", "1", 1), 0);
	CHECK_EQ(xs_ring_service(&ring, intf, &st, 0), 1);
	g_recv();
	CHECK(next_msg(&h, pl) && h.type == XS_WATCH_EVENT &&
	      !memcmp(pl, "/w/a\0tok", 9));
	/* A full ring holds events back until the guest makes room. */
	memset(longp, 'a', sizeof(longp) - 1);
	memcpy(longp, "/w/", 3);
	for (i = 0; i < 12; i++)
		CHECK_EQ(xs_dom0_write(&st, longp, "1", 1), 0);
	CHECK_EQ(xs_ring_service(&ring, intf, &st, 0), 1);
	CHECK_EQ(intf->rsp_prod - intf->rsp_cons, XENSTORE_RING_SIZE);
	CHECK_EQ(xs_ring_service(&ring, intf, &st, 0), 0);
	for (i = 0; i < 12; i++) {
		g_recv();
		xs_ring_service(&ring, intf, &st, 0);
	}
	g_recv();
	for (i = 0; i < 12; i++)
		CHECK(next_msg(&h, pl) && h.type == XS_WATCH_EVENT &&
		      h.len == sizeof(longp) + 4);
	CHECK(!next_msg(&h, pl));
}

static void test_hostile(void)
{
	static uint8_t buf[64];
	XENSTORE_RING_IDX cons;
	uint32_t n;

	/* req_prod more than a ring ahead: broken, nothing consumed. */
	CHECK_EQ(xs_domain_add(&st, 5), 0);
	reset_page(500);
	n = msg(buf, XS_WATCH, 1, "/w\0t5", 6);
	CHECK_EQ(g_send(buf, n), n);
	CHECK_EQ(xs_ring_service(&ring, intf, &st, 5), 1);
	g_recv();
	cons = intf->req_cons;
	intf->req_prod = cons + XENSTORE_RING_SIZE + 1;
	CHECK_EQ(xs_ring_service(&ring, intf, &st, 5), -XEN_EIO);
	CHECK_EQ(intf->error, XENSTORE_ERROR_RINGIDX);
	CHECK_EQ(intf->req_cons, cons);
	intf->req_prod = cons;
	CHECK_EQ(xs_ring_service(&ring, intf, &st, 5), -XEN_EIO);
	/* The broken connection's watch is gone: no event queued. */
	CHECK_EQ(xs_dom0_write(&st, "/w/b", "1", 1), 0);
	CHECK_EQ(xs_next_event(&st, 5, buf), 0);

	/* rsp_cons beyond what we produced. */
	reset_page(77);
	intf->rsp_cons = intf->rsp_prod + 1;
	n = msg(buf, XS_READ, 2, "/w", 3);
	CHECK_EQ(g_send(buf, n), n);
	CHECK_EQ(xs_ring_service(&ring, intf, &st, 5), -XEN_EIO);
	CHECK_EQ(intf->error, XENSTORE_ERROR_RINGIDX);

	/* A header announcing more than XENSTORE_PAYLOAD_MAX bytes. */
	reset_page(0);
	n = msg(buf, XS_READ, 3, "/w", 3);
	((struct xsd_sockmsg *)buf)->len = XENSTORE_PAYLOAD_MAX + 1;
	CHECK_EQ(g_send(buf, n), n);
	CHECK_EQ(xs_ring_service(&ring, intf, &st, 5), -XEN_E2BIG);
	CHECK_EQ(intf->error, XENSTORE_ERROR_PROTO);
	CHECK_EQ(intf->rsp_prod, intf->rsp_cons);
	/* A payload of exactly the maximum is fine. */
	reset_page(0);
	((struct xsd_sockmsg *)buf)->len = XENSTORE_PAYLOAD_MAX;
	CHECK_EQ(g_send(buf, sizeof(struct xsd_sockmsg)), 16);
	CHECK_EQ(xs_ring_service(&ring, intf, &st, 5), 1);
	CHECK_EQ(intf->error, XENSTORE_ERROR_NONE);
}

int main(void)
{
	xs_init(&st);
	test_split_and_wrap();
	test_big_reply_and_events();
	test_hostile();
	return check_done();
}
