/*
 * fuzz_xs.c - libFuzzer target for the XenStore server (dom0/xs_ring.c,
 * xs_store.c, xs_tree.c, xs_watch.c).  The input is a script for three
 * guests (domains 0, 1, 2), each with its own ring page: shaped requests
 * (a header built from the input, payload from the input), raw request
 * bytes, hostile index writes, the guest consuming replies, and domains
 * leaving and returning.  After every step: the service result is one of
 * the documented ones, no more than a ring of replies is outstanding, and
 * everything the guest received parses as well-formed messages (len within
 * the maximum, a reply, error or event type, error names known, events
 * "path\0token\0").  At the end: the store's bookkeeping (node count, arena
 * bytes) matches a recount, every node's path is valid and its parent
 * exists, and a removed domain leaves nothing behind.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../dom0/xs_ring.h"
#include "../../dom0/xs_tree.h"

#define NDOM	3

static struct xs_store st;
static struct xs_ring ring[NDOM];
static struct xenstore_domain_interface page[NDOM];
static uint8_t stream[NDOM][XS_MSG_MAX + XENSTORE_RING_SIZE];
static uint32_t stream_len[NDOM];
static bool tainted[NDOM];	/* the guest moved rsp_cons itself */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		__builtin_trap();
}

static bool error_name_ok(const uint8_t *p, uint32_t len)
{
	static const char *const names[] = {
		"EINVAL", "EACCES", "EEXIST", "ENOENT", "ENOSPC", "ENOSYS",
		"EBUSY", "EAGAIN", "E2BIG", "EIO", "ENOMEM", "EPERM" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (len == strlen(names[i]) + 1 && !memcmp(p, names[i], len))
			return true;
	return false;
}

/* Checks and drops every whole message at the head of d's stream. */
static void check_stream(int d)
{
	struct xsd_sockmsg h;
	uint32_t pos = 0, i, nuls;

	if (tainted[d]) {
		stream_len[d] = 0;
		return;
	}
	while (stream_len[d] - pos >= sizeof(h)) {
		memcpy(&h, stream[d] + pos, sizeof(h));
		check(h.len <= XENSTORE_PAYLOAD_MAX);
		if (stream_len[d] - pos < sizeof(h) + h.len)
			break;
		check(h.type < XS_TYPE_COUNT && h.type != 20);
		if (h.type == XS_ERROR)
			check(error_name_ok(stream[d] + pos + sizeof(h), h.len));
		if (h.type == XS_WATCH_EVENT) {
			check(!h.req_id && !h.tx_id && h.len >= 2);
			for (i = nuls = 0; i < h.len; i++)
				nuls += !stream[d][pos + sizeof(h) + i];
			check(nuls == 2 && !stream[d][pos + sizeof(h) + h.len - 1]);
		}
		pos += (uint32_t)sizeof(h) + h.len;
	}
	memmove(stream[d], stream[d] + pos, stream_len[d] - pos);
	stream_len[d] -= pos;
}

static void guest_receive(int d)
{
	volatile struct xenstore_domain_interface *intf = &page[d];

	while (intf->rsp_cons != intf->rsp_prod &&
	       stream_len[d] < sizeof(stream[d])) {
		stream[d][stream_len[d]++] =
			(uint8_t)intf->rsp[MASK_XENSTORE_IDX(intf->rsp_cons)];
		intf->rsp_cons++;
	}
	check_stream(d);
}

static void guest_send(int d, const uint8_t *p, uint32_t n)
{
	volatile struct xenstore_domain_interface *intf = &page[d];
	uint32_t room = XENSTORE_RING_SIZE - (intf->req_prod - intf->req_cons);
	uint32_t i;

	if (room > XENSTORE_RING_SIZE)
		return;			/* the guest broke its own ring */
	if (n > room)
		n = room;
	for (i = 0; i < n; i++)
		intf->req[MASK_XENSTORE_IDX(intf->req_prod + i)] = (char)p[i];
	intf->req_prod += n;
}

static void service(int d)
{
	int r = xs_ring_service(&ring[d], &page[d], &st, (uint16_t)d);

	check(r == 0 || r == 1 || r == -XEN_EIO || r == -XEN_E2BIG);
	if (!ring[d].broken)
		check(page[d].rsp_prod - page[d].rsp_cons <= XENSTORE_RING_SIZE);
}

static void connect(int d)
{
	memset(&page[d], 0, sizeof(page[d]));
	stream_len[d] = 0;
	tainted[d] = false;
	xs_ring_init(&ring[d], &page[d]);
}

/* Recounts nodes and arena bytes; checks paths and parents. */
static void check_store(void)
{
	uint32_t i, nodes = 0, bytes = 0, k;

	check(st.node_top <= XS_MAX_NODES && st.watch_top <= XS_MAX_WATCHES);
	for (i = 0; i < st.node_top; i++) {
		const struct xs_node *n = &st.node[i];
		const char *p = xs_node_path(&st, (uint16_t)i);
		uint32_t pl;

		if (!(n->flags & XS_NODE_USED))
			continue;
		nodes++;
		bytes += xs_arena_charge(n->path_len) +
			 xs_arena_charge(n->val_len);
		check(xs_path_valid(p, n->path_len) && n->nperms >= 1 &&
		      n->nperms <= XS_MAX_PERMS);
		pl = xs_path_parent_len(p, n->path_len);
		if (!n->tx && pl)
			check(xs_node_find(&st, 0, p, pl) != XS_NONE);
		if (n->tx && (n->flags & XS_NODE_PRESENT) && pl)
			check(xs_view_lookup(&st, n->tx, p, pl) != XS_NONE);
	}
	for (i = 0; i < st.watch_top; i++)
		if (st.watch[i].conn != XS_NONE)
			bytes += xs_arena_charge(st.watch[i].path_len) +
				 xs_arena_charge(st.watch[i].token_len);
	for (i = 0; i < NDOM; i++)
		for (k = 0; k < st.conn[i].ev_count; k++)
			bytes += xs_arena_charge(st.conn[i].ev[(st.conn[i].ev_head + k) %
						 XS_EVENT_QUEUE].len);
	check(nodes == st.nr_nodes && bytes == st.arena_used);
}

/* Nothing of domid is left: no nodes owned, no watches, no entries. */
static void check_gone(uint16_t domid)
{
	uint32_t nodes, bytes, entries, i, k;

	xs_usage(&st, domid, &nodes, &bytes, &entries);
	check(!nodes && !bytes && !entries);
	for (i = 0; i < st.node_top; i++) {
		if (!(st.node[i].flags & XS_NODE_USED))
			continue;
		for (k = 0; k < st.node[i].nperms; k++)
			check(st.node[i].perms[k].domid != domid);
	}
}

/* A request whose header comes from the input: type, tx, length. */
static size_t shaped_request(int d, const uint8_t *p, size_t left)
{
	static uint8_t buf[XS_MSG_MAX];
	struct xsd_sockmsg h;
	uint32_t len;

	if (left < 3)
		return left;
	h.type = p[0] % (XS_TYPE_COUNT + 1);
	h.req_id = p[0];
	h.tx_id = p[1] & 0x80 ? p[1] & 3 : 0;
	len = p[2];
	if (len > left - 3)
		len = (uint32_t)(left - 3);
	h.len = len;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), p + 3, len);
	guest_send(d, buf, (uint32_t)sizeof(h) + len);
	return 3 + len;
}

static size_t step(const uint8_t *p, size_t left)
{
	int d = p[0] % NDOM, op = (p[0] / NDOM) % 8;
	uint32_t v;

	p++, left--;
	switch (op) {
	case 0: case 1: case 2: case 3:
		left -= shaped_request(d, p, left);
		break;
	case 4:				/* raw bytes */
		if (!left)
			break;
		v = p[0];
		if (v > left - 1)
			v = (uint32_t)(left - 1);
		guest_send(d, p + 1, v);
		left -= v + 1;
		break;
	case 5:
		guest_receive(d);
		break;
	case 6:				/* hostile index */
		if (left >= 4) {
			memcpy(&v, p, 4);
			if (v & 1)
				page[d].req_prod = v;
			else
				page[d].rsp_cons = v;
			tainted[d] |= !(v & 1);
			left -= 4;
		}
		break;
	case 7:				/* the domain leaves and comes back */
		if (d) {
			check(xs_domain_remove(&st, (uint16_t)d) == 0);
			check_gone((uint16_t)d);
			check_store();
			check(xs_domain_add(&st, (uint16_t)d) == 0);
			connect(d);
		}
		break;
	}
	service(d);
	guest_receive(d);
	return left;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t left = size;
	int d;

	xs_init(&st);
	for (d = 0; d < NDOM; d++) {
		if (d)
			check(xs_domain_add(&st, (uint16_t)d) == 0);
		connect(d);
	}
	while (left) {
		left = step(data + (size - left), left);
	}
	for (d = 1; d < NDOM; d++) {
		check(xs_domain_remove(&st, (uint16_t)d) == 0);
		check_gone((uint16_t)d);
	}
	check_store();
	return 0;
}
