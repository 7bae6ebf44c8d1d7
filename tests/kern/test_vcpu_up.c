/*
 * test_vcpu_up.c - more than one vCPU in a domain: Dom0 booted with
 * dom0_max_vcpus=3 (vcpu_op initialise/up/down/is_up, per-vCPU events,
 * timers and scheduling).  What it checks, in order:
 *  1. vCPU 0 up, 1 and 2 down, 3 absent (-ENOENT for every command); up
 *     before initialise -EINVAL; every vcpu_info slot starts masked;
 *  2. 17 refusals of initialise(1), each a good context with one fault
 *     (cr3, GDT frame/size, handler/callback/user/stack selectors, DR7,
 *     DR0, MXCSR, LDT base/size/place/mapping, unreadable), each leaving
 *     vCPU 1 uninitialised and holding nothing (the GDT frame maps
 *     writable afterwards; the spare L3 they named does once unpinned);
 *  3. a good context (own stack, own GDT frame whose DPL-1 code and data
 *     descriptors it runs on, a trap table, an event callback) stays down
 *     until up, then starts with its registers, selectors and flags (IF
 *     on; IOPL, NT, VM off), its int3 reaches its own trap entry, and
 *     its outb runs: the context's IOPL 3 is its virtual IOPL;
 *  4. 1000 IPI round trips with SCHEDOP_poll, each flagging the notified
 *     vCPU's selector word and never the other's; status and bind_vcpu for
 *     every kind of port; an interdomain port moved to vCPU 1, sent or
 *     unmasked while pending, flags vCPU 1 only;
 *  5. vCPU 1's one-shot timer fires its own VIRQ_TIMER port through its
 *     event callback after SCHEDOP_block, not vCPU 0's (up to
 *     TIMER_ATTEMPTS times when a host stall lets the deadline pass before
 *     vCPU 1 can block: it tells by the clock); a periodic timer vCPU 0
 *     sets on vCPU 1 ticks there; singleshot on another vCPU -EINVAL;
 *  6. vCPU 1's run-state, read by vCPU 0, shows running and blocked time;
 *  7. vCPU 2 with VGCF_online is up at once (ring-0 cs raised to RPL 1),
 *     starts with its ds on an LDT of its own (one ring-1 data entry) and
 *     with the FPU state of its context (x87 control word, MXCSR), runs,
 *     downs itself;
 *  8. vCPU 1 downs itself, does not run while down, and its down call
 *     returns 0 once vCPU 0 ups it;
 *  9. the verdict, then vCPU 0 downs vCPU 1 and itself: the last vCPU
 *     down powers off (a return prints FAILURE and crashes).
 *
 * vCPUs 1 and 2 run this kernel's code, entered at secondary_entry with
 * their id in %eax.  They never print nor touch the guest library's vCPU-0
 * state (upcall, irq mask): they record into volatile variables that vCPU
 * 0 checks.  The vCPUs share one CPU and interleave only at hypervisor
 * entries (hypercalls, the tick): every handshake is a volatile store then
 * a hypercall.  Ports (lowest free first): word 0 has vCPU 0's VIRQ_TIMER
 * and fillers, port 32 (word 1) is the IPI to vCPU 1, port 64 (word 2) the
 * IPI to vCPU 0, fillers to 95, later ports word 3: selector bit 1 must
 * never appear in vCPU 0's vcpu_info, bit 2 never in vCPU 1's.  Both keep
 * their upcall mask set and wait with SCHEDOP_poll, except vCPU 1 when it
 * blocks for its timer.
 *
 * The contexts initialise is given (those of checks 2, 3 and 7) and the
 * GDT and LDT frames they name are built in test_vcpu_up_ctx.c, behind
 * test_vcpu_up.h.
 */
#include "ktest.h"
#include "event.h"
#include "hypercall.h"
#include "mm.h"
#include "time.h"
#include "vcpu.h"
#include "test_vcpu_up.h"
#include <public/vcpu.h>

#define NR_VCPUS	3u
#define ROUNDS		1000u
#define MS		1000000ull
#define RPC_TIMEOUT_MS	2000u
#define TIMER_RACED	0xfffffffeu	/* CMD_TIMER's answer after a stall */
#define TIMER_ATTEMPTS	5u
#define V2_MAGIC	0x2222c0deu

/* Commands vCPU 0 gives vCPU 1 in v1_cmd, with an IPI on port_to_v1. */
enum v1_command { CMD_ECHO = 1, CMD_TIMER, CMD_TICKS, CMD_DOWN };

/* What secondary_entry pushed, lowest address first. */
struct entry_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, eflags;
};

/* What a secondary vCPU saw on entry. */
struct entry_seen {
	struct entry_regs regs;
	uint32_t frame;		/* where the pushes ended */
	uint32_t cs, ss, ds, es, fs, gs;
	uint32_t entered;
};

struct vcpu_guest_context ctx;
static struct entry_seen seen[NR_VCPUS];
static evtchn_port_t timer_v0, port_to_v1, port_to_v0, filler;

/* Shared with vCPUs 1 and 2 (and their assembly stubs). */
static volatile uint32_t v1_cmd, v1_result;
static volatile uint64_t v1_arg;
static volatile evtchn_port_t v1_timer_port;
static volatile uint32_t v1_rounds, v1_down_calls, v1_resumed;
static volatile uint32_t sec_failures, sec_first_failed_line;
static volatile uint32_t v2_go, v2_done, v2_down_returned;
static volatile uint32_t v2_fcw, v2_mxcsr;
static struct vcpu_info *volatile v1_vi __attribute__((used));
static volatile uint32_t v1_upcalls __attribute__((used));
static volatile uint32_t v1_callback_cs __attribute__((used));
static volatile uint32_t v1_int3s __attribute__((used));
static volatile uint32_t v1_trap_cs __attribute__((used));
static volatile uint32_t sec_failsafes __attribute__((used));

/* vCPU 0 only. */
static bool v1_broken;
static uint32_t v0_flag_errors;

void secondary_main(struct entry_regs *r) __attribute__((noreturn));

_Static_assert(__builtin_offsetof(struct vcpu_info, evtchn_upcall_mask) == 1,
	       "the event stub writes the mask at offset 1");

/*
 * secondary_entry: the first instruction a secondary vCPU runs; pushes the
 * flags and general registers as the hypervisor loaded them and calls
 * secondary_main(frame).  The event stub (vCPU 1 only, events masked by
 * delivery) counts the upcall, clears upcall_pending, keeps the mask set
 * and returns with a plain iret (ring 1 to ring 1).  The int3 stub counts
 * and records the %cs its trap entry ran on.
 */
asm(".pushsection .text\n"
    ".globl secondary_entry, v1_event_entry, v1_int3_entry\n"
    ".globl secondary_failsafe_entry\n"
    "secondary_entry:\n"
    "	pushfl\n"
    "	cld\n"
    "	pushl	%ebp\n"
    "	pushl	%edi\n"
    "	pushl	%esi\n"
    "	pushl	%edx\n"
    "	pushl	%ecx\n"
    "	pushl	%ebx\n"
    "	pushl	%eax\n"
    "	pushl	%esp\n"
    "	call	secondary_main\n"
    "1:	jmp	1b\n"
    "v1_event_entry:\n"
    "	pushl	%eax\n"
    "	movl	v1_vi, %eax\n"
    "	movb	$0, (%eax)\n"
    "	movb	$1, 1(%eax)\n"
    "	movl	%cs, %eax\n"
    "	movl	%eax, v1_callback_cs\n"
    "	lock incl v1_upcalls\n"
    "	popl	%eax\n"
    "	iret\n"
    "v1_int3_entry:\n"
    "	pushl	%eax\n"
    "	movl	%cs, %eax\n"
    "	movl	%eax, v1_trap_cs\n"
    "	lock incl v1_int3s\n"
    "	popl	%eax\n"
    "	iret\n"
    "secondary_failsafe_entry:\n"
    "	lock incl sec_failsafes\n"
    "2:	jmp	2b\n"
    ".popsection\n");

#define read_seg(seg) ({						\
	uint32_t s_;							\
	asm volatile("movl %%" #seg ", %0" : "=r"(s_));		\
	s_ & 0xffff;							\
})

static uint32_t sel_bit(evtchn_port_t port)
{
	return 1u << (port / 32);
}

static struct vcpu_info *vinfo(unsigned int id)
{
	return &shared_info_page->vcpu_info[id];
}

/* Consume port's event in vcpu_info id: pending bit, selector, upcall. */
static void consume(unsigned int id, evtchn_port_t port)
{
	evtchn_clear_pending(port);
	__atomic_fetch_and(&vinfo(id)->evtchn_pending_sel, ~sel_bit(port),
			   __ATOMIC_SEQ_CST);
	ACCESS_ONCE(vinfo(id)->evtchn_upcall_pending) = 0;
}

/* ---- vCPUs 1 and 2 ---- */

#define SEC_CHECK(cond) do {						\
	if (!(cond))							\
		sec_failed(__LINE__);					\
} while (0)

static void sec_failed(uint32_t line)
{
	if (__atomic_fetch_add(&sec_failures, 1, __ATOMIC_SEQ_CST) == 0)
		sec_first_failed_line = line;
}

static void v1_reply(uint32_t result)
{
	v1_result = result;
	barrier();
	SEC_CHECK(evtchn_send(port_to_v0) == 0);
}

/* Wait for a command: the IPI flagged in our vcpu_info, not vCPU 0's. */
static void v1_wait_command(void)
{
	struct vcpu_info *me = vinfo(1);

	while (!evtchn_is_pending(port_to_v1))
		HYPERVISOR_poll(&port_to_v1, 1, 0);
	SEC_CHECK(ACCESS_ONCE(me->evtchn_pending_sel) & sel_bit(port_to_v1));
	SEC_CHECK(ACCESS_ONCE(me->evtchn_upcall_pending) == 1);
	SEC_CHECK(ACCESS_ONCE(me->evtchn_upcall_mask) == 1);
	SEC_CHECK(!(ACCESS_ONCE(me->evtchn_pending_sel) & sel_bit(port_to_v0)));
	consume(1, port_to_v1);
}

/*
 * System time by vCPU 1's own snapshot (time_system_ns() reads vCPU 0's
 * vcpu_info, which is not ours to touch).
 */
static uint64_t v1_now(void)
{
	const volatile struct vcpu_time_info *t = &vinfo(1)->time;
	struct time_snapshot s;
	uint32_t v;

	do {
		v = t->version;
		barrier();
		s.tsc_timestamp = t->tsc_timestamp;
		s.system_time = t->system_time;
		s.mul = t->tsc_to_system_mul;
		s.shift = t->tsc_shift;
		barrier();
	} while ((v & 1) || t->version != v);
	return time_snapshot_ns(&s, time_rdtsc());
}

/* Bind our own VIRQ_TIMER port, once: a second bind is -EEXIST. */
static evtchn_port_t v1_bind_timer(void)
{
	struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 1 };

	if (v1_timer_port)
		return v1_timer_port;
	SEC_CHECK(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 1, NULL) == 0);
	SEC_CHECK(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b) == 0);
	v1_timer_port = b.port;
	b.port = 0;
	SEC_CHECK(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b) ==
		  -XEN_EEXIST);
	return v1_timer_port;
}

/*
 * One-shot timer on our own VIRQ_TIMER port, waited for with block: the
 * blocks it took, or TIMER_RACED when the event was there before the
 * first block with the clock already past the deadline (a host stall after
 * vCPU 0 read the clock: the timer rightly fired at once).
 */
static uint32_t v1_timer(uint64_t deadline)
{
	struct vcpu_info *me = vinfo(1);
	uint32_t upcalls = v1_upcalls, tries = 0;
	evtchn_port_t port = v1_bind_timer();
	uint64_t now;

	SEC_CHECK(!evtchn_is_pending(port));
	SEC_CHECK(HYPERVISOR_set_timer_op(deadline) == 0);
	for (;;) {	/* clear, then look: an event after it ends block */
		ACCESS_ONCE(me->evtchn_upcall_pending) = 0;
		barrier();
		now = v1_now();
		if (evtchn_is_pending(port) || tries >= 1000)
			break;
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
		tries++;
	}
	SEC_CHECK(evtchn_is_pending(port));
	SEC_CHECK(ACCESS_ONCE(me->evtchn_pending_sel) & sel_bit(port));
	if (tries == 0 && now >= deadline) {
		consume(1, port);
		return TIMER_RACED;
	}
	SEC_CHECK(v1_upcalls != upcalls);	/* block unmasked: delivered */
	SEC_CHECK(v1_callback_cs == V1_CS);
	SEC_CHECK(ACCESS_ONCE(me->evtchn_upcall_mask) == 1);
	consume(1, port);
	return tries;
}

/* Count n events of our VIRQ_TIMER port (a periodic timer vCPU 0 set). */
static uint32_t v1_ticks(uint32_t n)
{
	evtchn_port_t port = v1_timer_port;
	uint32_t i;

	for (i = 0; i < n; i++) {
		while (!evtchn_is_pending(port))
			HYPERVISOR_poll(&port, 1, 0);
		consume(1, port);
	}
	return i;
}

static void v1_run(uint32_t cmd)
{
	long rc;

	switch (cmd) {
	case CMD_ECHO:
		v1_rounds++;
		v1_reply((uint32_t)v1_arg + 1);
		break;
	case CMD_TIMER:
		v1_reply(v1_timer(v1_arg));
		break;
	case CMD_TICKS:
		v1_reply(v1_ticks((uint32_t)v1_arg));
		break;
	case CMD_DOWN:
		v1_down_calls++;
		rc = vcpu_down(1);
		v1_resumed++;
		v1_reply((uint32_t)rc);
		break;
	default:
		SEC_CHECK(0);
		v1_reply(~0u);
	}
}

static void __attribute__((noreturn)) v1_main(void)
{
	asm volatile("int3" : : : "memory");
	SEC_CHECK(v1_int3s == 1);
	SEC_CHECK(v1_trap_cs == V1_CS);
	/* Its virtual IOPL is its context's 3: the port write is emulated
	 * (dropped in a DomU); at IOPL 0 the #GP would crash the domain. */
	asm volatile("outb %%al, $0x80" : : "a"(0x55) : "memory");
	v1_reply(0);			/* hello */
	for (;;) {
		v1_wait_command();
		v1_run(ACCESS_ONCE(v1_cmd));
	}
}

static void __attribute__((noreturn)) v2_main(void)
{
	uint16_t fcw;
	uint32_t mxcsr;

	asm volatile("fnstcw %0; stmxcsr %1" : "=m"(fcw), "=m"(mxcsr));
	v2_fcw = fcw;
	v2_mxcsr = mxcsr;
	while (!ACCESS_ONCE(v2_go))
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	ACCESS_ONCE(v2_done) = V2_MAGIC;
	for (;;) {
		vcpu_down(2);
		v2_down_returned++;
	}
}

void secondary_main(struct entry_regs *r)
{
	uint32_t id = r->eax;
	struct entry_seen *s;

	if (id == 0 || id >= NR_VCPUS) {
		sec_failed(__LINE__);
		for (;;)
			HYPERVISOR_sched_op(SCHEDOP_block, NULL);
	}
	s = &seen[id];
	s->regs = *r;
	s->frame = (uint32_t)r;
	s->cs = read_seg(cs);
	s->ss = read_seg(ss);
	s->ds = read_seg(ds);
	s->es = read_seg(es);
	s->fs = read_seg(fs);
	s->gs = read_seg(gs);
	barrier();
	ACCESS_ONCE(s->entered) = 1;
	if (id == 1)
		v1_main();
	v2_main();
}

/* ---- vCPU 0: talking to vCPU 1 ---- */

static void sleep_ms(uint32_t ms)
{
	HYPERVISOR_poll(NULL, 0, time_system_ns() + ms * MS);
}

static bool wait_port(evtchn_port_t port, uint32_t timeout_ms)
{
	uint64_t deadline = time_system_ns() + timeout_ms * MS;

	while (!evtchn_is_pending(port)) {
		if (time_system_ns() >= deadline)
			return false;
		HYPERVISOR_poll(&port, 1, deadline);
	}
	return true;
}

/* vCPU 1's answer is pending: flagged in our vcpu_info only; consume it. */
static void take_reply(void)
{
	struct vcpu_info *me = vinfo(0);
	uint32_t sel = ACCESS_ONCE(me->evtchn_pending_sel);

	if (!(sel & sel_bit(port_to_v0)) || !me->evtchn_upcall_pending)
		v0_flag_errors++;
	if (sel & sel_bit(port_to_v1))
		v0_flag_errors++;
	if (!me->evtchn_upcall_mask)
		v0_flag_errors++;
	consume(0, port_to_v0);
}

static void rpc_send(uint32_t cmd, uint64_t arg)
{
	if (v1_broken)
		return;
	v1_cmd = cmd;
	v1_arg = arg;
	barrier();
	KCHECK_EQ(evtchn_send(port_to_v1), 0);
}

/* vCPU 1's result, or ~0 after a timeout (then vCPU 1 is given up). */
static uint32_t rpc_wait(void)
{
	if (v1_broken)
		return ~0u;
	if (!wait_port(port_to_v0, RPC_TIMEOUT_MS)) {
		printf("vCPU 1 did not answer command %u in %u ms\n", v1_cmd,
		       RPC_TIMEOUT_MS);
		KCHECK(!v1_broken);
		v1_broken = true;
		return ~0u;
	}
	take_reply();
	return v1_result;
}

static uint32_t rpc(uint32_t cmd, uint64_t arg)
{
	rpc_send(cmd, arg);
	return rpc_wait();
}

/* ---- vCPU 0: the checks ---- */

static void check_probing(void)
{
	struct vcpu_runstate_info rs;
	unsigned int i;

	KCHECK_EQ(vcpu_is_up(0), 1);
	KCHECK_EQ(vcpu_is_up(1), 0);
	KCHECK_EQ(vcpu_is_up(2), 0);
	KCHECK_EQ(vcpu_is_up(3), -XEN_ENOENT);
	KCHECK_EQ(vcpu_is_up(32), -XEN_ENOENT);
	KCHECK_EQ(vcpu_is_up(0xffffffffu), -XEN_ENOENT);
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_initialise, 3, &ctx), -XEN_ENOENT);
	KCHECK_EQ(vcpu_up(3), -XEN_ENOENT);
	KCHECK_EQ(vcpu_down(3), -XEN_ENOENT);
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 3, &rs), -XEN_ENOENT);
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 3, NULL), -XEN_ENOENT);
	KCHECK_EQ(vcpu_up(1), -XEN_EINVAL);
	KCHECK_EQ(vcpu_up(2), -XEN_EINVAL);
	for (i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
		KCHECK_EQ(vinfo(i)->evtchn_upcall_mask, 1);
}

/* Allocate unbound ports until the next free one is (normally) target. */
static void fill_ports_below(evtchn_port_t last, evtchn_port_t target)
{
	unsigned int n = 0;

	while (last + 1 < target && n++ < NR_EVENT_CHANNELS)
		if (evtchn_alloc_unbound(DOMID_SELF, &last)) {
			KCHECK(!"filler port refused");
			return;
		}
	if (!filler)
		filler = last;
}

static long bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_ipi b = { .vcpu = vcpu };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b);

	*port = b.port;
	return rc;
}

static long bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b);

	*port = b.port;
	return rc;
}

static long bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
	struct evtchn_bind_vcpu b = { .port = port, .vcpu = vcpu };

	return HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &b);
}

static void check_port(evtchn_port_t port, uint32_t status, uint32_t vcpu)
{
	struct evtchn_status st;

	KCHECK_EQ(evtchn_status(port, &st), 0);
	KCHECK_EQ(st.status, status);
	KCHECK_EQ(st.vcpu, vcpu);
}

static void make_ports(void)
{
	evtchn_port_t p;

	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
	KCHECK_EQ(bind_virq(VIRQ_TIMER, 0, &timer_v0), 0);
	fill_ports_below(timer_v0, 32);
	KCHECK_EQ(bind_ipi(1, &port_to_v1), 0);
	fill_ports_below(port_to_v1, 64);
	KCHECK_EQ(bind_ipi(0, &port_to_v0), 0);
	fill_ports_below(port_to_v0, 96);
	printf("ports: timer %u, to vCPU 1 %u, to vCPU 0 %u\n", timer_v0,
	       port_to_v1, port_to_v0);
	KCHECK_EQ(timer_v0 / 32, 0);
	KCHECK_EQ(port_to_v1 / 32, 1);
	KCHECK_EQ(port_to_v0 / 32, 2);
	evtchn_unmask(port_to_v1);
	evtchn_unmask(port_to_v0);
	check_port(port_to_v1, EVTCHNSTAT_ipi, 1);
	check_port(port_to_v0, EVTCHNSTAT_ipi, 0);
	check_port(timer_v0, EVTCHNSTAT_virq, 0);
	KCHECK_EQ(bind_ipi(3, &p), -XEN_ENOENT);
	KCHECK_EQ(bind_virq(VIRQ_TIMER, 3, &p), -XEN_ENOENT);
	KCHECK_EQ(bind_virq(VIRQ_TIMER, 0, &p), -XEN_EEXIST);
	KCHECK_EQ(bind_virq(VIRQ_DOM_EXC, 1, &p), -XEN_EINVAL);
	/* A global VIRQ off vCPU 0 is refused before the vCPU is looked
	 * up, as in Xen: -EINVAL even for a vCPU that does not exist. */
	KCHECK_EQ(bind_virq(VIRQ_DOM_EXC, 3, &p), -XEN_EINVAL);
}

static void check_bind_vcpu(void)
{
	struct evtchn_status st;
	evtchn_port_t dom_exc;

	KCHECK_EQ(bind_vcpu(filler, 1), 0);		/* unbound */
	check_port(filler, EVTCHNSTAT_unbound, 1);
	KCHECK_EQ(bind_vcpu(filler, 3), -XEN_ENOENT);
	KCHECK_EQ(bind_vcpu(port_to_v1, 0), -XEN_EINVAL);	/* IPI */
	KCHECK_EQ(bind_vcpu(timer_v0, 1), -XEN_EINVAL);	/* per-vCPU VIRQ */
	KCHECK_EQ(evtchn_status(NR_EVENT_CHANNELS - 1, &st), 0);
	KCHECK_EQ(st.status, EVTCHNSTAT_closed);
	KCHECK_EQ(bind_vcpu(NR_EVENT_CHANNELS - 1, 1), -XEN_EINVAL);
	KCHECK_EQ(bind_virq(VIRQ_DOM_EXC, 0, &dom_exc), 0);	/* global */
	KCHECK_EQ(bind_vcpu(dom_exc, 1), 0);
	check_port(dom_exc, EVTCHNSTAT_virq, 1);
	KCHECK_EQ(dom_exc / 32, 3);
}

/*
 * An interdomain port moved to vCPU 1 (down: nobody consumes): a send and
 * an unmask of the pending, masked port flag vCPU 1's vcpu_info only.
 */
static void check_moved_interdomain(void)
{
	evtchn_port_t a, b;
	uint32_t bit;

	KCHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, &a), 0);
	KCHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, a, &b), 0);
	bit = sel_bit(b);
	KCHECK_EQ(b / 32, 3);
	consume(0, b);			/* bind leaves the new end pending */
	KCHECK_EQ(bind_vcpu(b, 1), 0);
	check_port(b, EVTCHNSTAT_interdomain, 1);
	consume(1, b);
	KCHECK_EQ(evtchn_send(a), 0);
	KCHECK(evtchn_is_pending(b));
	KCHECK(vinfo(1)->evtchn_pending_sel & bit);
	KCHECK_EQ(vinfo(1)->evtchn_upcall_pending, 1);
	KCHECK(!(vinfo(0)->evtchn_pending_sel & bit));
	consume(1, b);

	evtchn_mask(b);
	KCHECK_EQ(evtchn_send(a), 0);
	KCHECK(evtchn_is_pending(b));
	KCHECK(!(vinfo(1)->evtchn_pending_sel & bit));	/* masked */
	evtchn_unmask(b);		/* the hypercall: pending raised */
	KCHECK(vinfo(1)->evtchn_pending_sel & bit);
	KCHECK_EQ(vinfo(1)->evtchn_upcall_pending, 1);
	KCHECK(!(vinfo(0)->evtchn_pending_sel & bit));
	consume(1, b);
	KCHECK_EQ(evtchn_close(a), 0);
	KCHECK_EQ(evtchn_close(b), 0);
}

/* What a secondary vCPU recorded on entry, against its context c. */
static void check_entry(unsigned int id, const struct vcpu_guest_context *c,
			uint32_t cs)
{
	const struct entry_seen *s = &seen[id];
	const struct cpu_user_regs *u = &c->user_regs;
	uint32_t flags = EFLAGS_CF | EFLAGS_ZF | EFLAGS_IF | EFLAGS_IOPL |
			 EFLAGS_NT | EFLAGS_VM;

	KCHECK_EQ(s->entered, 1);
	KCHECK_EQ(s->regs.eax, id);
	KCHECK_EQ(s->regs.ebx, u->ebx);
	KCHECK_EQ(s->regs.ecx, u->ecx);
	KCHECK_EQ(s->regs.edx, u->edx);
	KCHECK_EQ(s->regs.esi, u->esi);
	KCHECK_EQ(s->regs.edi, u->edi);
	KCHECK_EQ(s->regs.ebp, u->ebp);
	KCHECK_EQ(s->regs.eflags & flags,
		  (u->eflags & (EFLAGS_CF | EFLAGS_ZF)) | EFLAGS_IF);
	KCHECK_EQ(s->frame, u->esp - sizeof(struct entry_regs));
	KCHECK_EQ(s->cs, cs);
	KCHECK_EQ(s->ss, u->ss);
	KCHECK_EQ(s->ds, u->ds);
	KCHECK_EQ(s->es, u->es);
	KCHECK_EQ(s->fs, u->fs);
	KCHECK_EQ(s->gs, u->gs);
}

static void check_start_vcpu1(void)
{
	v1_vi = vinfo(1);
	ctx_vcpu1(&ctx, mm_current_l3());
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctx), 0);
	KCHECK_EQ(vcpu_is_up(1), 0);
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EEXIST);
	KCHECK_EQ(mm_map_pfn(SLOT_GDT, gdt_pfn, true), -XEN_EBUSY);
	sleep_ms(10);
	KCHECK_EQ(seen[1].entered, 0);		/* down until up */
	KCHECK_EQ(vcpu_up(1), 0);
	KCHECK_EQ(vcpu_is_up(1), 1);
	KCHECK_EQ(rpc_wait(), 0);		/* hello */
	check_entry(1, &ctx, V1_CS);
	KCHECK_EQ(v1_int3s, 1);
	KCHECK_EQ(v1_trap_cs, V1_CS);
	KCHECK_EQ(vcpu_up(1), 0);	/* already up */
}

static void check_ping_pong(void)
{
	uint32_t i, wrong = 0;
	uint64_t t0, t1;

	v1_rounds = 0;
	t0 = time_system_ns();
	for (i = 0; i < ROUNDS && !v1_broken; i++)
		if (rpc(CMD_ECHO, i) != i + 1)
			wrong++;
	t1 = time_system_ns();
	KCHECK_EQ(wrong, 0);
	KCHECK_EQ(v1_rounds, ROUNDS);
	KCHECK_EQ(v0_flag_errors, 0);
	KCHECK_EQ(v1_upcalls, 0);		/* vCPU 1's mask held */
	KCHECK(!(vinfo(0)->evtchn_pending_sel & sel_bit(port_to_v1)));
	KCHECK(!(vinfo(1)->evtchn_pending_sel & sel_bit(port_to_v0)));
	printf("vcpu_up: %u IPI round trips (vCPU 1 answered %u), %llu ns each\n",
	       i, v1_rounds, (unsigned long long)((t1 - t0) / (i ? i : 1)));
}

static void check_timers(void)
{
	struct vcpu_set_singleshot_timer ss = { time_system_ns() + 1000 * MS, 0 };
	struct vcpu_set_periodic_timer per = { 5 * MS };
	evtchn_port_t p;
	uint64_t deadline, t0;
	uint32_t tries, attempt;

	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 1, &ss), -XEN_EINVAL);
	consume(0, timer_v0);
	for (attempt = 1; attempt <= TIMER_ATTEMPTS; attempt++) {
		deadline = time_system_ns() + 20 * MS;
		tries = rpc(CMD_TIMER, deadline);
		if (tries != TIMER_RACED)
			break;
		printf("timers: vCPU 1 past the deadline unblocked (host stall)\n");
	}
	KCHECK(time_system_ns() >= deadline);
	KCHECK(tries >= 1 && tries <= 1000);
	KCHECK(!evtchn_is_pending(timer_v0));		/* not vCPU 0's */
	KCHECK(!(vinfo(0)->evtchn_pending_sel & sel_bit(v1_timer_port)));
	KCHECK(v1_upcalls >= 1);
	check_port(v1_timer_port, EVTCHNSTAT_virq, 1);
	KCHECK_EQ(bind_virq(VIRQ_TIMER, 1, &p), -XEN_EEXIST);

	t0 = time_system_ns();
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 1, &per), 0);
	KCHECK_EQ(rpc(CMD_TICKS, 3), 3);
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 1, NULL), 0);
	KCHECK(time_system_ns() - t0 >= 10 * MS);
	KCHECK(!evtchn_is_pending(timer_v0));
	printf("timers: vCPU 1's one-shot after %u blocks, 3 periodic ticks in %llu us\n",
	       tries, (unsigned long long)((time_system_ns() - t0) / 1000));
}

static void check_runstate(void)
{
	struct vcpu_runstate_info rs;

	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 1, &rs), 0);
	KCHECK(rs.time[RUNSTATE_running] > 0);
	KCHECK(rs.time[RUNSTATE_blocked] > 0);
	printf("vCPU 1 run-state: running %llu us, blocked %llu us\n",
	       (unsigned long long)(rs.time[RUNSTATE_running] / 1000),
	       (unsigned long long)(rs.time[RUNSTATE_blocked] / 1000));
}

static void check_vcpu2(void)
{
	struct vcpu_runstate_info rs;
	uint64_t deadline;

	KCHECK_EQ(mm_map_pfn(SLOT_LDT, ldt_pfn, false), 0);
	ctx_vcpu2(&ctx);
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_initialise, 2, &ctx), 0);
	KCHECK_EQ(vcpu_is_up(2), 1);
	KCHECK_EQ(mm_map_pfn(SLOT_GDT, ldt_pfn, true), -XEN_EBUSY);	/* its LDT */
	ACCESS_ONCE(v2_go) = 1;
	deadline = time_system_ns() + RPC_TIMEOUT_MS * MS;
	while ((ACCESS_ONCE(v2_done) != V2_MAGIC || vcpu_is_up(2) != 0) &&
	       time_system_ns() < deadline)
		sleep_ms(1);
	KCHECK_EQ(v2_done, V2_MAGIC);
	KCHECK_EQ(vcpu_is_up(2), 0);
	KCHECK_EQ(v2_down_returned, 0);
	check_entry(2, &ctx, FLAT_RING1_CS);
	KCHECK_EQ(v2_fcw, V2_FCW);
	KCHECK_EQ(v2_mxcsr, V2_MXCSR);
	KCHECK_EQ(sec_failsafes, 0);
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_initialise, 2, &ctx), -XEN_EEXIST);
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 2, &rs), 0);
	KCHECK(rs.time[RUNSTATE_running] > 0);
}

static void check_down_up(void)
{
	uint32_t resumed = v1_resumed;
	uint64_t deadline;

	rpc_send(CMD_DOWN, 0);
	deadline = time_system_ns() + RPC_TIMEOUT_MS * MS;
	while (vcpu_is_up(1) != 0 && time_system_ns() < deadline)
		sleep_ms(1);
	KCHECK_EQ(vcpu_is_up(1), 0);
	KCHECK_EQ(v1_down_calls, 1);
	sleep_ms(20);			/* a down vCPU does not run */
	KCHECK_EQ(v1_resumed, resumed);
	KCHECK(!evtchn_is_pending(port_to_v0));
	KCHECK_EQ(vcpu_up(1), 0);
	KCHECK_EQ(rpc_wait(), 0);	/* its down call returned 0 */
	KCHECK_EQ(v1_resumed, resumed + 1);
	KCHECK_EQ(rpc(CMD_ECHO, 41), 42);
}

/* ktest_finish's verdict, then the last vCPU down must power off. */
static void finish(void)
{
	long rc;

	KCHECK_EQ(vcpu_down(1), 0);
	KCHECK_EQ(vcpu_is_up(1), 0);
	KCHECK_EQ(vcpu_is_up(2), 0);
	KCHECK_EQ(vcpu_is_up(0), 1);
	KCHECK_EQ(sec_failsafes, 0);
	if (sec_failures) {
		printf("vCPU 1/2: %u checks failed, the first at line %u\n",
		       sec_failures, sec_first_failed_line);
		ktest_failures++;
	}
	if (ktest_failures)
		printf("Test result: FAILURE: %u checks failed\n", ktest_failures);
	else
		printf("Test result: SUCCESS\n");
	rc = vcpu_down(0);
	printf("Test result: FAILURE: the last vCPU's down returned %ld\n", rc);
	guest_shutdown(SHUTDOWN_crash);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	if (!ktest_start_events())
		return;
	check_probing();
	make_ports();
	check_bind_vcpu();
	check_moved_interdomain();
	make_gdt_frame();
	check_refusals();
	check_start_vcpu1();
	check_ping_pong();
	check_timers();
	check_runstate();
	check_vcpu2();
	check_down_up();
	finish();
}
