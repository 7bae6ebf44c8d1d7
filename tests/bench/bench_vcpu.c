/*
 * bench_vcpu.c - a PV kernel that measures what a switch between two
 * vCPUs of one domain costs (both share the one physical CPU), with
 * rdtsc, and prints "BENCH <name> <value> <unit>" lines
 * (tests/bench/vcpu.mk boots it as Dom0 with dom0_max_vcpus=2).
 *
 * Command line: "accel=kvm|tcg", printed back as vcpu_bench_kvm 1|0.
 * vCPU 1 is started with vcpu_start() (guest/vcpu.c) on secondary(),
 * which waits for commands on an IPI port with SCHEDOP_poll.  Each figure
 * is the median over BATCHES batches of the per-operation average:
 *   evtchn_self_roundtrip_cycles   vCPU 0 sends on a loopback IPI port
 *                                  bound to itself, polls it (already
 *                                  pending: no switch), clears it
 *   vcpu_ipi_roundtrip_cycles      vCPU 0 sends an IPI to vCPU 1 and
 *                                  polls; vCPU 1 answers with an IPI to
 *                                  vCPU 0 and polls again: two switches
 *   vcpu_ipi_over_self             the ratio of the two
 *   vcpu_ipi_switch_extra_cycles   (roundtrip - 2 x self) / 2: what one
 *                                  blocking poll, wake-up and switch add
 *   sched_yield_alone_cycles       SCHEDOP_yield with vCPU 1 blocked
 *   vcpu_yield_roundtrip_cycles    a ball passed with SCHEDOP_yield: vCPU
 *                                  0 yields to vCPU 1, which yields back
 *   vcpu_yield_over_alone          the ratio of the two
 *   vcpu_up_down_roundtrip_cycles  vCPU 0 ups vCPU 1 and yields, vCPU 1
 *                                  downs itself, vCPU 0 sees it down
 * Every round is checked (the echo carries a sequence number, vCPU 1
 * counts what it did, waits are bounded); before the figures, the
 * refusals of vcpu_start() are checked too.  Any failure prints
 * "bench: error: ..." and ends the domain with SHUTDOWN_crash, so the
 * boot does not end with the poweroff exit code.  At the end vCPU 1's
 * function returns and the helper must down it.
 *
 * vCPU 1 never prints and touches no guest-library event state: it
 * records into the volatile variables below, which vCPU 0 checks.  Under
 * TCG the cycle counts only mean something relative to each other.
 */
#include "benchlib.h"
#include "guest.h"
#include "event.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "time.h"
#include "vcpu.h"
#include <public/errno.h>

#define BATCHES		9u
#define ROUNDS		1000u		/* operations per batch */
#define SECONDARY	1u
#define WAIT_NS		10000000000ull	/* a batch's bound on IPI waits */
#define SPIN_LIMIT	100000u		/* yields before giving up a wait */

/* Commands to vCPU 1: cmd, then an IPI on port_to_v1. */
enum command { CMD_ECHO = 1, CMD_YIELD, CMD_DOWN_UP, CMD_QUIT };

static uint8_t v1_stack[8192] __attribute__((aligned(16)));
static uint64_t batch[BATCHES];
static evtchn_port_t self_port, port_to_v1, port_to_v0;

/* Written by vCPU 0, read by vCPU 1. */
static volatile uint32_t cmd, request, yield_rounds;
/* Written by vCPU 1, read by vCPU 0 (ball by both, in turn). */
static volatile uint32_t reply, answers, ball, down_ups, sec_errors;
static volatile uint32_t sec_entered, sec_quit;

/* ---- vCPU 1 ---- */

static void sec_wait_command(void)
{
	while (!evtchn_is_pending(port_to_v1))
		HYPERVISOR_poll(&port_to_v1, 1, 0);
	evtchn_clear_pending(port_to_v1);
}

static void sec_echo(void)
{
	reply = request + 1;
	answers++;
	if (evtchn_send(port_to_v0))
		sec_errors++;
}

/* Ball 2i+1 is ours to return as 2i+2; yield until it comes. */
static void sec_yield(void)
{
	uint32_t i, spins, n = yield_rounds;

	for (i = 0; i < n; i++) {
		for (spins = 0; ACCESS_ONCE(ball) != 2 * i + 1; spins++) {
			if (spins >= SPIN_LIMIT) {
				sec_errors++;
				return;
			}
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		}
		ball = 2 * i + 2;
	}
}

/* Down ourselves until vCPU 0 changes the command before an up. */
static void sec_down_up(void)
{
	for (;;) {
		if (vcpu_down(SECONDARY))
			sec_errors++;
		if (cmd != CMD_DOWN_UP)
			return;
		down_ups++;
	}
}

static void secondary(void *arg)
{
	(void)arg;
	sec_entered = 1;
	for (;;) {
		sec_wait_command();
		switch (cmd) {
		case CMD_ECHO:
			sec_echo();
			break;
		case CMD_YIELD:
			sec_yield();
			break;
		case CMD_DOWN_UP:
			sec_down_up();
			break;
		case CMD_QUIT:
			sec_quit = 1;
			return;		/* vcpu_start's frame downs us */
		default:
			sec_errors++;
		}
	}
}

/* ---- vCPU 0: measuring ---- */

static void __attribute__((noreturn)) fail(const char *what)
{
	printf("bench: error: %s (vCPU 1 errors %u)\n", what, sec_errors);
	guest_shutdown(SHUTDOWN_crash);
	guest_block_forever();
}

/* Poll port until it is pending (bounded by deadline), then clear it. */
static void wait_and_clear(evtchn_port_t port, uint64_t deadline)
{
	while (!evtchn_is_pending(port)) {
		HYPERVISOR_poll(&port, 1, deadline);
		if (!evtchn_is_pending(port) && time_system_ns() >= deadline)
			fail("no event within the batch's time bound");
	}
	evtchn_clear_pending(port);
}

static uint64_t bench_self(void)
{
	uint64_t t, deadline;
	uint32_t b, i;

	for (b = 0; b < BATCHES; b++) {
		deadline = time_system_ns() + WAIT_NS;
		t = time_rdtsc();
		for (i = 0; i < ROUNDS; i++) {
			if (evtchn_send(self_port))
				fail("send on the loopback port");
			HYPERVISOR_poll(&self_port, 1, deadline);
			if (!evtchn_is_pending(self_port))
				fail("loopback port not pending after poll");
			evtchn_clear_pending(self_port);
		}
		batch[b] = time_rdtsc() - t;
	}
	return bench_median_per_op(batch, BATCHES, ROUNDS);
}

/* One echo: sequence number seq, answered as seq + 1. */
static void echo_round(uint32_t seq, uint64_t deadline)
{
	request = seq;
	if (evtchn_send(port_to_v1))
		fail("send to vCPU 1");
	wait_and_clear(port_to_v0, deadline);
	if (reply != seq + 1)
		fail("vCPU 1's answer does not match the request");
}

static uint64_t bench_ipi(void)
{
	uint32_t b, i, seq = 0, start = answers;
	uint64_t t, deadline;

	cmd = CMD_ECHO;
	for (b = 0; b < BATCHES; b++) {
		deadline = time_system_ns() + WAIT_NS;
		t = time_rdtsc();
		for (i = 0; i < ROUNDS; i++)
			echo_round(++seq, deadline);
		batch[b] = time_rdtsc() - t;
	}
	if (answers - start != BATCHES * ROUNDS)
		fail("vCPU 1 did not answer every IPI exactly once");
	return bench_median_per_op(batch, BATCHES, ROUNDS);
}

static uint64_t bench_yield_alone(void)
{
	uint32_t b, i;
	uint64_t t;

	for (b = 0; b < BATCHES; b++) {
		t = time_rdtsc();
		for (i = 0; i < ROUNDS; i++)
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		batch[b] = time_rdtsc() - t;
	}
	return bench_median_per_op(batch, BATCHES, ROUNDS);
}

/* Yield until ball is want; the number of yields it took. */
static uint32_t yield_until_ball(uint32_t want)
{
	uint32_t spins;

	for (spins = 0; ACCESS_ONCE(ball) != want; spins++) {
		if (spins >= SPIN_LIMIT || sec_errors)
			fail("vCPU 1 did not return the ball");
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	return spins;
}

/* A batch of ping-pong: vCPU 1 is told the rounds, the ball starts at 0. */
static uint64_t yield_batch(uint32_t *yields)
{
	uint32_t i;
	uint64_t t;

	ball = 0;
	yield_rounds = ROUNDS;
	cmd = CMD_YIELD;
	if (evtchn_send(port_to_v1))
		fail("send to vCPU 1");
	t = time_rdtsc();
	for (i = 0; i < ROUNDS; i++) {
		ball = 2 * i + 1;
		*yields += yield_until_ball(2 * i + 2);
	}
	return time_rdtsc() - t;
}

static uint64_t bench_yield_pingpong(void)
{
	uint32_t b, yields = 0;

	for (b = 0; b < BATCHES; b++)
		batch[b] = yield_batch(&yields);
	printf("bench: yield ping-pong: vCPU 0 yielded %u times in %u rounds\n",
	       yields, BATCHES * ROUNDS);
	return bench_median_per_op(batch, BATCHES, ROUNDS);
}

/* Yield until vcpu_is_up(SECONDARY) is up (1) or down (0). */
static void yield_until_state(long up)
{
	uint32_t spins;
	long rc;

	for (spins = 0; (rc = vcpu_is_up(SECONDARY)) != up; spins++) {
		if (rc < 0 || spins >= SPIN_LIMIT)
			fail("vCPU 1 never reached the expected up/down state");
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
}

static uint64_t bench_down_up(void)
{
	uint32_t b, i, start;
	uint64_t t;

	cmd = CMD_DOWN_UP;
	if (evtchn_send(port_to_v1))
		fail("send to vCPU 1");
	yield_until_state(0);
	start = down_ups;
	for (b = 0; b < BATCHES; b++) {
		t = time_rdtsc();
		for (i = 0; i < ROUNDS; i++) {
			if (vcpu_up(SECONDARY))
				fail("VCPUOP_up");
			yield_until_state(0);
		}
		batch[b] = time_rdtsc() - t;
	}
	if (down_ups - start != BATCHES * ROUNDS)
		fail("vCPU 1 did not run once per up");
	cmd = CMD_ECHO;			/* seen by vCPU 1 after the next up */
	if (vcpu_up(SECONDARY))
		fail("VCPUOP_up");
	echo_round(~0u - 1, time_system_ns() + WAIT_NS);	/* back polling */
	return bench_median_per_op(batch, BATCHES, ROUNDS);
}

/* ---- vCPU 0: setting up and ending ---- */

static evtchn_port_t bind_ipi(uint32_t vcpu)
{
	struct evtchn_bind_ipi b = { .vcpu = vcpu };

	if (HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b))
		fail("EVTCHNOP_bind_ipi");
	return b.port;
}

/* vcpu_start's own refusals, then vCPU 1 started and answering. */
static void start_secondary(void)
{
	void *stack = v1_stack;
	uint32_t size = sizeof(v1_stack);

	if (vcpu_start(0, secondary, NULL, stack, size) != -XEN_EINVAL ||
	    vcpu_start(SECONDARY, NULL, NULL, stack, size) != -XEN_EINVAL ||
	    vcpu_start(SECONDARY, secondary, NULL, stack,
		       VCPU_STACK_MIN - 1) != -XEN_EINVAL ||
	    vcpu_start(SECONDARY, secondary, NULL, (void *)0xfffff000u,
		       0x2000) != -XEN_EINVAL ||
	    vcpu_start(XEN_LEGACY_MAX_VCPUS, secondary, NULL, stack,
		       size) != -XEN_EINVAL)
		fail("vcpu_start accepted a bad argument");
	if (vcpu_start(SECONDARY + 1, secondary, NULL, stack, size) !=
	    -XEN_ENOENT)
		fail("vCPU 2 exists: boot with dom0_max_vcpus=2");
	if (vcpu_start(SECONDARY, secondary, NULL, stack, size))
		fail("vcpu_start(1): is the hypervisor booted with dom0_max_vcpus=2?");
	if (vcpu_is_up(SECONDARY) != 1)
		fail("vCPU 1 not up after vcpu_start");
	if (vcpu_start(SECONDARY, secondary, NULL, stack, size) != -XEN_EEXIST)
		fail("vcpu_start(1) twice was not -EEXIST");
	cmd = CMD_ECHO;
	echo_round(0, time_system_ns() + WAIT_NS);
	if (!sec_entered)
		fail("vCPU 1 answered without running secondary()");
}

/* vCPU 1's function returns: the helper must down it. */
static void stop_secondary(void)
{
	cmd = CMD_QUIT;
	if (evtchn_send(port_to_v1))
		fail("send to vCPU 1");
	yield_until_state(0);
	if (!sec_quit)
		fail("vCPU 1 went down without returning from its function");
	if (sec_errors)
		fail("vCPU 1 counted errors");
}

static void run(void)
{
	uint64_t self, ipi, alone, pingpong;

	self = bench_self();
	bench_print("evtchn_self_roundtrip_cycles", self, "cycles");
	ipi = bench_ipi();
	bench_print("vcpu_ipi_roundtrip_cycles", ipi, "cycles");
	bench_print_ratio("vcpu_ipi_over_self", ipi, self);
	bench_print("vcpu_ipi_switch_extra_cycles",
		    ipi > 2 * self ? (ipi - 2 * self) / 2 : 0, "cycles");
	alone = bench_yield_alone();
	bench_print("sched_yield_alone_cycles", alone, "cycles");
	pingpong = bench_yield_pingpong();
	bench_print("vcpu_yield_roundtrip_cycles", pingpong, "cycles");
	bench_print_ratio("vcpu_yield_over_alone", pingpong, alone);
	bench_print("vcpu_up_down_roundtrip_cycles", bench_down_up(), "cycles");
}

void kernel_main(struct start_info *si)
{
	char cmdline[MAX_GUEST_CMDLINE];

	strlcpy(cmdline, (const char *)si->cmd_line, sizeof(cmdline));
	printf("BENCH vcpu_bench_kvm %u bool\n", bench_has_arg(cmdline, "accel=kvm"));
	if (mm_init() || evtchn_init())
		fail("mm_init or evtchn_init");
	if (vcpu_is_up(SECONDARY) != 0)
		fail("no vCPU 1, or up already: boot with dom0_max_vcpus=2");
	self_port = bind_ipi(0);
	port_to_v1 = bind_ipi(SECONDARY);
	port_to_v0 = bind_ipi(0);
	start_secondary();
	run();
	stop_secondary();
	printf("bench: vCPU 1 answered %u IPIs and %u ups; done\n", answers,
	       down_ups);
}
