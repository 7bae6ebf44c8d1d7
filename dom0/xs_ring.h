/*
 * xs_ring.h - the XenStore shared-ring protocol for one connection: moves
 * request bytes out of a domain's xenstore_domain_interface page into
 * dom0/xs_store.c and replies and watch events back.  FREESTANDING.
 *
 * Interface:
 *   xs_ring_init()     at connection time: takes the server-owned indices
 *                      (req_cons, rsp_prod) from the page as the starting
 *                      point, advertises XENSTORE_SERVER_FEATURE_ERROR and
 *                      clears `error`.
 *   xs_ring_service()  serves as much as the ring allows now; returns 1 if
 *                      the peer must be notified (bytes were consumed or
 *                      produced), 0 if not, or a negative code once the
 *                      connection is broken: -XEN_EIO (an index ran more
 *                      than XENSTORE_RING_SIZE from ours: XENSTORE_ERROR_
 *                      RINGIDX) or -XEN_E2BIG (a request header with len >
 *                      XENSTORE_PAYLOAD_MAX: XENSTORE_ERROR_PROTO).  As
 *                      xenstored does, a broken connection is not served
 *                      again: its code is written to the page's error field,
 *                      its watches, transactions and events are discarded
 *                      (xs_conn_reset), and every later call returns the
 *                      same code without touching the page.  The caller
 *                      should notify the peer once when it first sees it.
 *
 * Ordering: the guest writes req[] then req_prod, and reads rsp[] after
 * rsp_prod.  We read req_prod once per pass, then the bytes, then publish
 * req_cons; we read rsp_cons once, write the bytes, then publish rsp_prod.
 * On x86 loads are not reordered with loads, stores not with stores, and
 * loads not with later stores, so a compiler barrier between the steps is
 * all that is needed (no fence instruction).
 *
 * Invariants: our private req_cons/rsp_prod never move more than the ring
 * allows; a request is parsed only from the private copy in `in`; at most
 * one reply or event is in `out`, and a request's reply always precedes the
 * events it caused (the first event of a WATCH follows its OK).
 */
#ifndef XYLEM_DOM0_XS_RING_H
#define XYLEM_DOM0_XS_RING_H

#include <stdbool.h>
#include <stdint.h>
#include <public/io/xs_wire.h>
#include "xs_store.h"

struct xs_ring {
	uint8_t in[XS_MSG_MAX];		/* the request being assembled */
	uint32_t in_used;
	uint8_t out[XS_MSG_MAX];	/* the reply or event being sent */
	uint32_t out_len, out_sent;
	XENSTORE_RING_IDX req_cons;	/* private copies of our indices */
	XENSTORE_RING_IDX rsp_prod;
	int broken;			/* 0 or the negative code */
};

void xs_ring_init(struct xs_ring *c,
		  volatile struct xenstore_domain_interface *intf);
int xs_ring_service(struct xs_ring *c,
		    volatile struct xenstore_domain_interface *intf,
		    struct xs_store *s, uint16_t domid);

#endif
