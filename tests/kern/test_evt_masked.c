/*
 * test_evt_masked.c - masked events are held, never lost.  On a loopback
 * pair (alloc_unbound + bind_interdomain to ourselves):
 *  - a send to a masked port sets its pending bit but neither the
 *    selector bit nor evtchn_upcall_pending, and no upcall runs; unmasking
 *    (by clearing the bit and the unmask hypercall, or by the hypercall
 *    alone) delivers it exactly once; two sends while masked are one event;
 *  - with evtchn_upcall_mask = 1 a send sets pending, the selector bit and
 *    evtchn_upcall_pending, and nothing runs across hypercalls and 5 ms of
 *    timer ticks; enabling events delivers it once; SCHEDOP_block with an
 *    event held returns at once and delivers it;
 *  - the callback runs with the upcall mask set, never nested (a send from
 *    inside a handler runs after it returns), and the iret hypercall puts
 *    the mask back to 0.
 */
#include "ktest.h"
#include "event.h"
#include "mm.h"
#include "time.h"

static evtchn_port_t end_a, end_b;
static volatile uint32_t got_b, depth, max_depth, mask_in_handler;
static volatile uint32_t resend_from_handler;

static struct vcpu_info *vi(void)
{
	return &shared_info_page->vcpu_info[0];
}

static void on_b(evtchn_port_t port, void *data)
{
	(void)data;
	(void)port;
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	mask_in_handler = vi()->evtchn_upcall_mask;
	got_b++;
	if (resend_from_handler) {
		resend_from_handler--;
		KCHECK_EQ(evtchn_send(end_a), 0);
	}
	depth--;
}

static bool sel_bit(evtchn_port_t port)
{
	return ACCESS_ONCE(vi()->evtchn_pending_sel) & (1u << (port / 32));
}

static void make_pair(void)
{
	local_irq_disable();
	KCHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, &end_a), 0);
	KCHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, end_a, &end_b), 0);
	evtchn_clear_pending(end_b);	/* bind leaves it pending */
	KCHECK_EQ(evtchn_set_handler(end_b, on_b, NULL), 0);
	local_irq_enable();
	KCHECK_EQ(vi()->evtchn_upcall_mask, 0);
	printf("loopback pair: ports %u and %u\n", end_a, end_b);
}

static void check_port_mask(void)
{
	struct evtchn_unmask u;

	got_b = 0;
	evtchn_mask(end_b);
	KCHECK(evtchn_is_masked(end_b));
	KCHECK_EQ(evtchn_send(end_a), 0);
	KCHECK(evtchn_is_pending(end_b));
	KCHECK_EQ(vi()->evtchn_upcall_pending, 0);
	KCHECK(!sel_bit(end_b));
	time_busy_wait_ns(3000000);		/* ticks come and go */
	KCHECK_EQ(got_b, 0);
	evtchn_unmask(end_b);			/* clear bit, then hypercall */
	KCHECK_EQ(got_b, 1);
	KCHECK(!evtchn_is_pending(end_b));
	KCHECK(!evtchn_is_masked(end_b));

	/* The unmask hypercall on its own, and two sends coalesced. */
	evtchn_mask(end_b);
	KCHECK_EQ(evtchn_send(end_a), 0);
	KCHECK_EQ(evtchn_send(end_a), 0);
	KCHECK_EQ(got_b, 1);
	u.port = end_b;
	KCHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &u), 0);
	KCHECK_EQ(got_b, 2);
	KCHECK(!evtchn_is_masked(end_b));
	/* Unmasking a port that is not pending raises nothing. */
	KCHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &u), 0);
	KCHECK_EQ(got_b, 2);
	KCHECK_EQ(vi()->evtchn_upcall_pending, 0);
}

static void check_upcall_mask(void)
{
	uint32_t upcalls;

	got_b = 0;
	local_irq_disable();
	KCHECK_EQ(evtchn_send(end_a), 0);
	KCHECK(evtchn_is_pending(end_b));
	KCHECK_EQ(vi()->evtchn_upcall_pending, 1);
	KCHECK(sel_bit(end_b));
	HYPERVISOR_xen_version(XENVER_version, NULL);
	time_busy_wait_ns(5000000);
	KCHECK_EQ(got_b, 0);
	KCHECK(evtchn_is_pending(end_b));
	local_irq_enable();
	KCHECK_EQ(got_b, 1);
	KCHECK_EQ(vi()->evtchn_upcall_pending, 0);
	KCHECK(!sel_bit(end_b));

	/* Nested save/restore keeps events off until the outermost. */
	KCHECK(local_irq_save());
	KCHECK(!local_irq_save());
	KCHECK_EQ(evtchn_send(end_a), 0);
	local_irq_restore(false);
	KCHECK_EQ(got_b, 1);
	local_irq_restore(true);
	KCHECK_EQ(got_b, 2);

	/* Blocking with an event held: returns at once and delivers it. */
	upcalls = evtchn_upcall_count();
	local_irq_disable();
	KCHECK_EQ(evtchn_send(end_a), 0);
	KCHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0);
	KCHECK_EQ(got_b, 3);
	KCHECK_EQ(evtchn_upcall_count(), upcalls + 1);
	KCHECK_EQ(vi()->evtchn_upcall_mask, 0);
}

static void check_handler_context(void)
{
	got_b = 0;
	max_depth = 0;
	resend_from_handler = 3;
	KCHECK_EQ(evtchn_send(end_a), 0);
	KCHECK_EQ(got_b, 4);
	KCHECK_EQ(max_depth, 1);		/* never nested */
	KCHECK_EQ(mask_in_handler, 1);
	KCHECK_EQ(vi()->evtchn_upcall_mask, 0);	/* put back by iret */
	printf("upcalls so far: %u\n", evtchn_upcall_count());
}

void kernel_main(struct start_info *si)
{
	(void)si;
	if (!ktest_start_events())
		return;
	KCHECK_EQ(vi()->evtchn_upcall_mask, 1);	/* events start disabled */
	make_pair();
	check_port_mask();
	check_upcall_mask();
	check_handler_context();
	KCHECK_EQ(evtchn_stray_events(), 0);
	ktest_finish();
}
