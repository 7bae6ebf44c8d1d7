/*
 * test_evt_loopback.c - an interdomain event channel from the domain to
 * itself: alloc_unbound(remote DOMID_SELF) and bind_interdomain to that
 * port give a connected pair whose status names both ends; bind leaves the
 * new local port pending (a send that raced it is not lost); a send on one
 * end makes only the other end pending and the upcall runs that end's
 * handler exactly once; 1000 ping-pong round trips between the two
 * handlers each run every handler once per send; 1000 sends from the
 * kernel make 1000 upcalls, each handled before its send returns (the
 * iret hypercall unmasks each time); closing one end makes
 * the other unbound again (waiting for us), sends on it go nowhere, and it
 * can be bound again.  Prints the round-trip cost in TSC cycles.
 */
#include "ktest.h"
#include "event.h"
#include "mm.h"
#include "time.h"

#define ROUNDS		1000u

static evtchn_port_t end_a, end_b;
static volatile uint32_t got_a, got_b, sent_a, sent_b;
static volatile bool ping_pong;

/* A send on end_a arrives at end_b and vice versa. */
static void send_from(evtchn_port_t port)
{
	KCHECK_EQ(evtchn_send(port), 0);
	if (port == end_a)
		sent_a++;
	else
		sent_b++;
}

static void on_a(evtchn_port_t port, void *data)
{
	(void)data;
	KCHECK_EQ(port, end_a);
	got_a++;
	if (ping_pong && got_a < ROUNDS)
		send_from(end_a);
}

static void on_b(evtchn_port_t port, void *data)
{
	(void)data;
	KCHECK_EQ(port, end_b);
	got_b++;
	if (ping_pong)
		send_from(end_b);
}

static void check_interdomain(evtchn_port_t port, evtchn_port_t peer)
{
	struct evtchn_status st;

	KCHECK_EQ(evtchn_status(port, &st), 0);
	KCHECK_EQ(st.status, EVTCHNSTAT_interdomain);
	KCHECK_EQ(st.u.interdomain.dom, 0);	/* Dom0: ourselves */
	KCHECK_EQ(st.u.interdomain.port, peer);
	KCHECK_EQ(st.vcpu, 0);
}

static void check_unbound(evtchn_port_t port)
{
	struct evtchn_status st;

	KCHECK_EQ(evtchn_status(port, &st), 0);
	KCHECK_EQ(st.status, EVTCHNSTAT_unbound);
	KCHECK_EQ(st.u.unbound.dom, 0);
}

static void make_pair(void)
{
	KCHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, &end_a), 0);
	check_unbound(end_a);
	KCHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, end_a, &end_b), 0);
	KCHECK(end_b != end_a && end_b != 0);
	printf("loopback pair: ports %u and %u\n", end_a, end_b);
	check_interdomain(end_a, end_b);
	check_interdomain(end_b, end_a);
	/* Bind marks the new local end pending, as Xen does. */
	KCHECK(evtchn_is_pending(end_b));
	KCHECK(!evtchn_is_pending(end_a));
	evtchn_clear_pending(end_b);
}

/* Events disabled: the send is visible in the bitmaps, not yet handled. */
static void check_one_send(void)
{
	struct vcpu_info *vi = &shared_info_page->vcpu_info[0];

	local_irq_disable();
	send_from(end_a);
	KCHECK(evtchn_is_pending(end_b));
	KCHECK(!evtchn_is_pending(end_a));
	KCHECK_EQ(vi->evtchn_upcall_pending, 1);
	KCHECK(vi->evtchn_pending_sel & (1u << (end_b / 32)));
	KCHECK_EQ(got_b, 0);
	local_irq_enable();
	KCHECK_EQ(got_b, 1);
	KCHECK_EQ(got_a, 0);
	KCHECK(!evtchn_is_pending(end_b));

	send_from(end_b);		/* events on: handled before send returns */
	KCHECK_EQ(got_a, 1);
	KCHECK_EQ(got_b, 1);
}

static void check_ping_pong(void)
{
	uint32_t upcalls = evtchn_upcall_count();
	uint64_t t0, t1;

	got_a = got_b = sent_a = sent_b = 0;
	ping_pong = true;
	t0 = time_rdtsc();
	send_from(end_a);
	t1 = time_rdtsc();
	ping_pong = false;
	KCHECK_EQ(got_b, ROUNDS);
	KCHECK_EQ(got_a, ROUNDS);
	KCHECK_EQ(sent_a, got_b);	/* every send handled exactly once */
	KCHECK_EQ(sent_b, got_a);
	KCHECK(!evtchn_is_pending(end_a) && !evtchn_is_pending(end_b));
	printf("ping-pong: %u round trips in %u upcalls, %llu TSC cycles per round trip\n",
	       ROUNDS, evtchn_upcall_count() - upcalls,
	       (unsigned long long)((t1 - t0) / ROUNDS));
}

/* Sends from the kernel: each one is its own upcall, before send returns. */
static void check_upcall_per_send(void)
{
	uint32_t upcalls = evtchn_upcall_count(), i, late = 0;
	uint64_t t0, t1;

	got_b = 0;
	t0 = time_rdtsc();
	for (i = 0; i < ROUNDS; i++) {
		send_from(end_a);
		if (got_b != i + 1)
			late++;
	}
	t1 = time_rdtsc();
	KCHECK_EQ(late, 0);
	KCHECK_EQ(got_b, ROUNDS);
	KCHECK_EQ(evtchn_upcall_count() - upcalls, ROUNDS);
	KCHECK_EQ(shared_info_page->vcpu_info[0].evtchn_upcall_mask, 0);
	printf("send + upcall + iret: %llu TSC cycles each\n",
	       (unsigned long long)((t1 - t0) / ROUNDS));
}

static void check_close(void)
{
	struct evtchn_status st;
	evtchn_port_t again = 0;

	KCHECK_EQ(evtchn_close(end_a), 0);
	KCHECK_EQ(evtchn_status(end_a, &st), 0);
	KCHECK_EQ(st.status, EVTCHNSTAT_closed);
	check_unbound(end_b);
	/* Sending on an unbound port tells nobody. */
	got_a = got_b = 0;
	KCHECK_EQ(evtchn_send(end_b), 0);
	KCHECK(!evtchn_is_pending(end_a) && !evtchn_is_pending(end_b));
	KCHECK_EQ(got_a + got_b, 0);
	/* The unbound end can be bound again (the new end starts pending). */
	local_irq_disable();
	KCHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, end_b, &again), 0);
	KCHECK(evtchn_is_pending(again));
	evtchn_clear_pending(again);
	local_irq_enable();
	check_interdomain(again, end_b);
	check_interdomain(end_b, again);
	KCHECK_EQ(evtchn_close(again), 0);
	KCHECK_EQ(evtchn_close(end_b), 0);
	KCHECK_EQ(evtchn_status(end_b, &st), 0);
	KCHECK_EQ(st.status, EVTCHNSTAT_closed);
	KCHECK_EQ(evtchn_stray_events(), 0);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	if (!ktest_start_events())
		return;
	local_irq_disable();
	make_pair();
	KCHECK_EQ(evtchn_set_handler(end_a, on_a, NULL), 0);
	KCHECK_EQ(evtchn_set_handler(end_b, on_b, NULL), 0);
	local_irq_enable();
	check_one_send();
	check_ping_pong();
	check_upcall_per_send();
	check_close();
	ktest_finish();
}
