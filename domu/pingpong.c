/*
 * pingpong.c - one end of an interdomain event-channel ping-pong.
 *
 * Command-line words (Dom0 sets up the channel and passes them):
 *   role=a   [port=P]      P is our own unbound port, allocated by Dom0 on
 *                          our behalf with the peer as its remote end;
 *                          without port=, we look for it: the first of our
 *                          ports (EVTCHNOP_status) that is unbound or
 *                          interdomain with a remote other than Dom0 (a's
 *                          command line is written before the peer, and so
 *                          the port, exists);
 *   role=b   port=P peer=D we bind P of domain D (bind_interdomain);
 *   n=N      round trips (default 1000, at most 10000000).
 * b binds and sends once ("ready"); a waits for that, then N times sends
 * and waits for the answer, timing the N round trips with rdtsc; b answers
 * each event it gets, N times.  Waiting is SCHEDOP_poll on the port with
 * events masked (no upcalls), so a waiting end blocks and the other runs.
 * Both write a PINGPONG report (domu/report.h) and power off; an error
 * prints why and crashes the domain.
 */
#include "event.h"
#include "guest.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "options.h"
#include "report.h"
#include "time.h"

#define MAX_ROUNDS	10000000ul

static void wait_event(evtchn_port_t port)
{
	while (!evtchn_is_pending(port))
		HYPERVISOR_poll(&port, 1, 0);
	evtchn_clear_pending(port);
}

static int ping(evtchn_port_t port, unsigned long n, struct report *r)
{
	uint64_t t0, t1;
	unsigned long i;

	wait_event(port);		/* b is bound and ready */
	t0 = time_rdtsc();
	for (i = 0; i < n; i++) {
		if (evtchn_send(port))
			return -1;
		wait_event(port);
	}
	t1 = time_rdtsc();
	report_begin(r);
	r->value[0] = i;
	r->value[1] = t1 - t0;
	r->value[2] = 0;
	report_end(r);
	printf("pingpong a: %lu round trips, %llu cycles each\n", i,
	       (unsigned long long)((t1 - t0) / n));
	return 0;
}

static int pong(domid_t peer, evtchn_port_t remote, unsigned long n,
		struct report *r)
{
	evtchn_port_t port;
	unsigned long i;
	int rc = evtchn_bind_interdomain(peer, remote, &port);

	if (rc) {
		printf("pingpong b: bind_interdomain(%u, %u) failed (%d)\n",
		       peer, remote, rc);
		return rc;
	}
	/* Binding marks our new port pending (as in Xen): not an answer. */
	evtchn_clear_pending(port);
	if (evtchn_send(port))
		return -1;
	for (i = 0; i < n; i++) {
		wait_event(port);
		if (evtchn_send(port))
			return -1;
	}
	report_begin(r);
	r->value[0] = i;
	r->value[2] = 1;
	report_end(r);
	printf("pingpong b: answered %lu events on port %u\n", i, port);
	return 0;
}

/* Our port whose other end is a domain other than Dom0, or 0. */
static evtchn_port_t find_peer_port(void)
{
	struct evtchn_status st;
	evtchn_port_t p;

	for (p = 1; p < NR_EVENT_CHANNELS; p++) {
		if (evtchn_status(p, &st))
			continue;
		if (st.status == EVTCHNSTAT_unbound && st.u.unbound.dom != 0)
			return p;
		if (st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom != 0)
			return p;
	}
	return 0;
}

void kernel_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	unsigned long n = opt_number(cmd, "n", 1000);
	unsigned long port = opt_number(cmd, "port", NR_EVENT_CHANNELS);
	unsigned long peer = opt_number(cmd, "peer", DOMID_FIRST_RESERVED);
	struct report *r = NULL;
	int rc = -1;

	if (!mm_init() && !evtchn_init())
		r = report_open(REPORT_PINGPONG);
	if (r && opt_is(cmd, "role", "a") && port == NR_EVENT_CHANNELS)
		port = find_peer_port() ?: NR_EVENT_CHANNELS;
	if (!r || !n || n > MAX_ROUNDS || port >= NR_EVENT_CHANNELS) {
		printf("pingpong: bad setup or command line \"%s\"\n", cmd);
	} else if (opt_is(cmd, "role", "a")) {
		rc = ping((evtchn_port_t)port, n, r);
	} else if (opt_is(cmd, "role", "b") && peer < DOMID_FIRST_RESERVED) {
		rc = pong((domid_t)peer, (evtchn_port_t)port, n, r);
	} else {
		printf("pingpong: need role=a or role=b peer=D\n");
	}
	if (rc) {
		guest_shutdown(SHUTDOWN_crash);
		return;
	}
	report_finish(r);
}
