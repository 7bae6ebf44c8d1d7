/*
 * xs_ring.c - the XenStore shared-ring protocol for one connection.  See
 * xs_ring.h.  FREESTANDING.
 *
 * Each pass of xs_ring_service(): copy request bytes (header first, then
 * exactly its payload) until one request is whole; answer it into `out`
 * when `out` is free, else queue nothing more; with `out` still free, take
 * the oldest watch event; then copy `out` into rsp[] as space allows.
 * Passes repeat while anything moved.
 */
#include "xs_ring.h"

#define HDR	((uint32_t)sizeof(struct xsd_sockmsg))

static inline void compiler_barrier(void)
{
	__asm__ __volatile__("" ::: "memory");
}

void xs_ring_init(struct xs_ring *c,
		  volatile struct xenstore_domain_interface *intf)
{
	c->in_used = 0;
	c->out_len = c->out_sent = 0;
	c->broken = 0;
	c->req_cons = intf->req_cons;
	c->rsp_prod = intf->rsp_prod;
	intf->error = XENSTORE_ERROR_NONE;
	intf->server_features |= XENSTORE_SERVER_FEATURE_ERROR;
}

static uint32_t request_len(const struct xs_ring *c)
{
	const uint8_t *l = c->in + 12;	/* xsd_sockmsg.len, little-endian */

	return (uint32_t)l[0] | (uint32_t)l[1] << 8 | (uint32_t)l[2] << 16 |
	       (uint32_t)l[3] << 24;
}

static bool request_whole(const struct xs_ring *c)
{
	return c->in_used >= HDR && c->in_used == HDR + request_len(c);
}

/* Copies request bytes until one request is whole; *moved counts them. */
static int read_requests(struct xs_ring *c,
			 volatile struct xenstore_domain_interface *intf,
			 uint32_t *moved)
{
	XENSTORE_RING_IDX prod = intf->req_prod;
	uint32_t avail, want, n;

	compiler_barrier();		/* the bytes after the index */
	avail = prod - c->req_cons;
	if (avail > XENSTORE_RING_SIZE)
		return -XEN_EIO;
	while (avail && !request_whole(c)) {
		want = c->in_used < HDR ? HDR - c->in_used :
					  HDR + request_len(c) - c->in_used;
		n = avail < want ? avail : want;
		avail -= n;
		*moved += n;
		while (n--)
			c->in[c->in_used++] =
				(uint8_t)intf->req[MASK_XENSTORE_IDX(c->req_cons++)];
		if (c->in_used == HDR && request_len(c) > XENSTORE_PAYLOAD_MAX)
			return -XEN_E2BIG;
	}
	compiler_barrier();		/* done with the bytes before freeing */
	intf->req_cons = c->req_cons;
	return 0;
}

/* Copies what fits of `out` into rsp[]; *moved counts the bytes. */
static int write_responses(struct xs_ring *c,
			   volatile struct xenstore_domain_interface *intf,
			   uint32_t *moved)
{
	XENSTORE_RING_IDX cons = intf->rsp_cons;
	uint32_t used, n;

	compiler_barrier();		/* free space known before writing */
	used = c->rsp_prod - cons;
	if (used > XENSTORE_RING_SIZE)
		return -XEN_EIO;
	n = XENSTORE_RING_SIZE - used;
	if (n > c->out_len - c->out_sent)
		n = c->out_len - c->out_sent;
	*moved += n;
	while (n--)
		intf->rsp[MASK_XENSTORE_IDX(c->rsp_prod++)] =
			(char)c->out[c->out_sent++];
	compiler_barrier();		/* the bytes before the index */
	intf->rsp_prod = c->rsp_prod;
	if (c->out_sent == c->out_len)
		c->out_len = c->out_sent = 0;
	return 0;
}

static int ring_break(struct xs_ring *c,
		      volatile struct xenstore_domain_interface *intf,
		      struct xs_store *s, uint16_t domid, int err)
{
	c->broken = err;
	intf->error = err == -XEN_E2BIG ? XENSTORE_ERROR_PROTO :
					  XENSTORE_ERROR_RINGIDX;
	xs_conn_reset(s, domid);
	return err;
}

static void answer(struct xs_ring *c, struct xs_store *s, uint16_t domid)
{
	struct xsd_sockmsg h;
	uint8_t *b = (uint8_t *)&h;
	uint32_t i;

	for (i = 0; i < HDR; i++)
		b[i] = c->in[i];
	c->out_len = xs_request(s, domid, &h, c->in + HDR, c->out);
	c->in_used = 0;
}

int xs_ring_service(struct xs_ring *c,
		    volatile struct xenstore_domain_interface *intf,
		    struct xs_store *s, uint16_t domid)
{
	uint32_t moved, total = 0;
	int err;

	if (c->broken)
		return c->broken;
	do {
		moved = 0;
		err = read_requests(c, intf, &moved);
		if (err)
			return ring_break(c, intf, s, domid, err);
		if (!c->out_len && request_whole(c))
			answer(c, s, domid);
		if (!c->out_len)
			c->out_len = xs_next_event(s, domid, c->out);
		err = write_responses(c, intf, &moved);
		if (err)
			return ring_break(c, intf, s, domid, err);
		total += moved;
	} while (moved);
	return total ? 1 : 0;
}
