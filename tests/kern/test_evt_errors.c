/*
 * test_evt_errors.c - event_channel_op refuses what it must: ports 0,
 * 1024 and 0xffffffff for send, close, status, unmask and bind_vcpu
 * (-EINVAL); send on a VIRQ port (-EINVAL); close of a free port
 * (-EINVAL); bind_virq twice (-EEXIST), virq >= NR_VIRQS (-EINVAL), vcpu 1
 * (-ENOENT); bind_interdomain to a port that is not unbound for us
 * (-EINVAL); a domain that does not exist (-ESRCH); bind_pirq past the
 * 16 ISA IRQs (-EINVAL); unknown commands (-ENOSYS).  Port exhaustion: allocation works until -ENOSPC
 * after exactly 1023 ports in use (1..1023), bind_virq then fails the same
 * way, and after closing them all allocation works again.  A refused call
 * changes nothing: the VIRQ port still reports its VIRQ.  Events stay
 * disabled throughout, as at boot.
 */
#include "ktest.h"
#include "event.h"
#include "mm.h"

static const uint32_t bad_ports[] = { 0, NR_EVENT_CHANNELS, 0xffffffffu };
static evtchn_port_t held[NR_EVENT_CHANNELS];

static long op(uint32_t cmd, void *arg)
{
	return HYPERVISOR_event_channel_op(cmd, arg);
}

static void check_bad_ports(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_ports); i++) {
		uint32_t p = bad_ports[i];
		struct evtchn_status st = { .dom = DOMID_SELF, .port = p };
		struct evtchn_unmask u = { .port = p };
		struct evtchn_bind_vcpu bv = { .port = p, .vcpu = 0 };

		KCHECK_EQ(evtchn_send(p), -XEN_EINVAL);
		KCHECK_EQ(evtchn_close(p), -XEN_EINVAL);
		KCHECK_EQ(op(EVTCHNOP_status, &st), -XEN_EINVAL);
		KCHECK_EQ(op(EVTCHNOP_unmask, &u), -XEN_EINVAL);
		KCHECK_EQ(op(EVTCHNOP_bind_vcpu, &bv), -XEN_EINVAL);
		KCHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, p, &held[0]),
			  -XEN_EINVAL);
	}
}

static void check_virq(void)
{
	struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 1 };
	struct evtchn_status st;
	evtchn_port_t port = 0, other;

	KCHECK_EQ(evtchn_bind_virq(VIRQ_DEBUG, &port), 0);
	KCHECK_EQ(evtchn_bind_virq(VIRQ_DEBUG, &other), -XEN_EEXIST);
	KCHECK_EQ(evtchn_bind_virq(NR_VIRQS, &other), -XEN_EINVAL);
	KCHECK_EQ(evtchn_bind_virq(0xffffffffu, &other), -XEN_EINVAL);
	KCHECK_EQ(op(EVTCHNOP_bind_virq, &b), -XEN_ENOENT);
	KCHECK_EQ(evtchn_send(port), -XEN_EINVAL);
	/* Nothing above disturbed the binding. */
	KCHECK_EQ(evtchn_status(port, &st), 0);
	KCHECK_EQ(st.status, EVTCHNSTAT_virq);
	KCHECK_EQ(st.u.virq, VIRQ_DEBUG);
	KCHECK_EQ(evtchn_close(port), 0);
	KCHECK_EQ(evtchn_close(port), -XEN_EINVAL);	/* already free */
	KCHECK_EQ(evtchn_status(port, &st), 0);
	KCHECK_EQ(st.status, EVTCHNSTAT_closed);
}

/* The FIFO ABI is not offered: bad arguments as Xen, then -EOPNOTSUPP. */
static void check_fifo_probes(void)
{
	struct evtchn_init_control ic = { .control_gfn = (uint64_t)-2 };
	struct evtchn_expand_array ea = { 0 };

	KCHECK_EQ(op(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
	ic.vcpu = 1;
	KCHECK_EQ(op(EVTCHNOP_init_control, &ic), -XEN_ENOENT);
	ic.vcpu = 0;
	ic.control_gfn = pfn_to_mfn(0);
	ic.offset = 4;
	KCHECK_EQ(op(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
	ic.offset = 4096 - 64;
	KCHECK_EQ(op(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
	ic.offset = 0;
	KCHECK_EQ(op(EVTCHNOP_init_control, &ic), -XEN_EOPNOTSUPP);
	KCHECK_EQ(op(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP);
}

static void check_bind_refusals(void)
{
	struct evtchn_bind_pirq bp = { .pirq = 16 };	/* past the ISA IRQs */
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = 77 };
	struct evtchn_status st = { .dom = 77, .port = 1 };
	evtchn_port_t a = 0, b = 0, c;
	uint32_t junk[8] = { 0 };

	KCHECK_EQ(op(EVTCHNOP_bind_pirq, &bp), -XEN_EINVAL);
	KCHECK_EQ(op(99, junk), -XEN_ENOSYS);
	check_fifo_probes();
	KCHECK_EQ(op(0x1000, junk), -XEN_ENOSYS);
	KCHECK_EQ(op(EVTCHNOP_alloc_unbound, &au), -XEN_ESRCH);
	KCHECK_EQ(op(EVTCHNOP_status, &st), -XEN_ESRCH);
	KCHECK_EQ(evtchn_bind_interdomain(77, 1, &c), -XEN_ESRCH);

	/* Only an unbound port may be bound, and only once. */
	KCHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, &a), 0);
	KCHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, a, &b), 0);
	KCHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, a, &c), -XEN_EINVAL);
	KCHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, b, &c), -XEN_EINVAL);
	KCHECK_EQ(evtchn_close(a), 0);
	KCHECK_EQ(evtchn_close(b), 0);
	/* A free port is not unbound. */
	KCHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, a, &c), -XEN_EINVAL);
}

/* Ports in use now, by status. */
static uint32_t ports_in_use(void)
{
	struct evtchn_status st;
	uint32_t p, n = 0;

	for (p = 1; p < NR_EVENT_CHANNELS; p++)
		if (!evtchn_status(p, &st) && st.status != EVTCHNSTAT_closed)
			n++;
	return n;
}

static void check_exhaustion(void)
{
	uint32_t before = ports_in_use(), n = 0, i;
	evtchn_port_t extra;
	int rc;

	while ((rc = evtchn_alloc_unbound(DOMID_SELF, &held[n])) == 0) {
		KCHECK(held[n] > 0 && held[n] < NR_EVENT_CHANNELS);
		if (++n == ARRAY_SIZE(held))
			break;
	}
	printf("allocated %u ports (%u already in use) before %d\n",
	       n, before, rc);
	KCHECK_EQ(rc, -XEN_ENOSPC);
	KCHECK_EQ(n + before, NR_EVENT_CHANNELS - 1);
	KCHECK_EQ(evtchn_bind_virq(VIRQ_DEBUG, &extra), -XEN_ENOSPC);
	for (i = 0; i < n; i++)
		KCHECK_EQ(evtchn_close(held[i]), 0);
	KCHECK_EQ(ports_in_use(), before);
	KCHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, &extra), 0);
	KCHECK_EQ(evtchn_close(extra), 0);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	if (!ktest_start_events())
		return;
	check_bad_ports();
	check_virq();
	check_bind_refusals();
	check_exhaustion();
	ktest_finish();
}
