/*
 * test_time_runstate.c - virtual time: VCPUOP_get_runstate_info says we
 * are running; 20 ms of spinning adds at least 20 ms, and no more than the
 * system time that passed (+ 1 ms), to time[running] and nothing to
 * time[blocked]; a 30 ms block on a one-shot
 * timer adds 29..36 ms to time[blocked] and less than 5 ms to
 * time[running]; the times plus the time in the current state add up to
 * the system time since the vCPU started (the same start, within 1 ms,
 * before and after).  VCPUOP_register_runstate_memory_area gives
 * a guest copy that is filled at once and kept up to date across the
 * block without asking.  vCPU 1 is -ENOENT; an unwritable buffer for
 * get_runstate_info is -EFAULT.  The upper bounds are retried when the
 * host stalls QEMU (KCHECK_WINDOW, ktest.h): the spin up to 3 times, the
 * block's 29..36 ms up to BLOCK_TRIES times (a stall anywhere from arming
 * the timer to the second reading spoils it).
 */
#include "ktest.h"
#include "event.h"
#include "mm.h"
#include "time.h"

#define MS		1000000ull
#define BLOCK_TRIES	5

static struct vcpu_runstate_info area;
static evtchn_port_t timer_port;
static volatile uint32_t fires;

static void on_timer(evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	fires++;
}

static void get_runstate(struct vcpu_runstate_info *r)
{
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, r), 0);
}

static uint64_t delta(const struct vcpu_runstate_info *a,
		      const struct vcpu_runstate_info *b, int state)
{
	return b->time[state] - a->time[state];
}

/*
 * The times plus the time in the current state cover everything since
 * the vCPU started: that start (now - sum) is the same at every call.
 */
static void check_totals(void)
{
	static uint64_t first_start;
	struct vcpu_runstate_info r;
	uint64_t now, sum, start;

	get_runstate(&r);
	now = time_system_ns();
	KCHECK_EQ(r.state, RUNSTATE_running);
	KCHECK(r.state_entry_time <= now);
	sum = r.time[0] + r.time[1] + r.time[2] + r.time[3] +
	      (now - r.state_entry_time);
	KCHECK(sum <= now);
	start = now - sum;
	printf("runstate: running %llu us, blocked %llu us, vCPU started at %llu us\n",
	       (unsigned long long)(r.time[RUNSTATE_running] / 1000),
	       (unsigned long long)(r.time[RUNSTATE_blocked] / 1000),
	       (unsigned long long)(start / 1000));
	if (!first_start)
		first_start = start;
	KCHECK(start + MS >= first_start && start <= first_start + MS);
}

/*
 * Spin 20 ms; true when the running time counted is no more than the
 * system time that passed (plus 1 ms for the two reads): a host stall
 * during the spin lengthens both alike.
 */
static bool spin_20ms(void)
{
	struct vcpu_runstate_info a, b;
	uint64_t ran, t0, elapsed;

	get_runstate(&a);
	t0 = time_system_ns();
	time_busy_wait_ns(20 * MS);
	elapsed = time_system_ns() - t0;
	get_runstate(&b);
	ran = delta(&a, &b, RUNSTATE_running);
	printf("spin 20 ms: running +%llu us, blocked +%llu us\n",
	       (unsigned long long)(ran / 1000),
	       (unsigned long long)(delta(&a, &b, RUNSTATE_blocked) / 1000));
	KCHECK(ran >= 20 * MS);
	KCHECK_EQ(delta(&a, &b, RUNSTATE_blocked), 0);
	return ran <= elapsed + MS;
}

/* Block until a one-shot timer 30 ms out has fired. */
static void block_30ms(void)
{
	uint32_t before = fires;

	KCHECK_EQ(HYPERVISOR_set_timer_op(time_system_ns() + 30 * MS), 0);
	while (fires == before)
		KCHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0);
}

/*
 * Block 30 ms; true when 29..36 ms was counted as blocked (also in the
 * registered copy) and less than 5 ms as running.  Even the lower bound is
 * a window here: the host can stall QEMU between arming the timer and
 * blocking, which shortens the block itself.
 */
static bool block_and_count(void)
{
	struct vcpu_runstate_info a, b, copy_before;
	uint64_t slept, ran;

	get_runstate(&a);
	copy_before = area;
	block_30ms();
	get_runstate(&b);
	slept = delta(&a, &b, RUNSTATE_blocked);
	ran = delta(&a, &b, RUNSTATE_running);
	printf("block 30 ms: blocked +%llu us, running +%llu us\n",
	       (unsigned long long)(slept / 1000),
	       (unsigned long long)(ran / 1000));
	/* The registered copy followed without being asked. */
	printf("guest copy: blocked %llu us -> %llu us\n",
	       (unsigned long long)(copy_before.time[RUNSTATE_blocked] / 1000),
	       (unsigned long long)(area.time[RUNSTATE_blocked] / 1000));
	KCHECK_EQ(area.state, RUNSTATE_running);
	KCHECK(area.state_entry_time > copy_before.state_entry_time);
	KCHECK(area.time[RUNSTATE_blocked] <= b.time[RUNSTATE_blocked]);
	return slept >= 29 * MS && slept <= 36 * MS && ran < 5 * MS &&
	       area.time[RUNSTATE_blocked] -
	       copy_before.time[RUNSTATE_blocked] >= 29 * MS;
}

static void check_register(void)
{
	struct vcpu_register_runstate_memory_area reg = {
		.addr = (uint32_t)&area,
	};

	memset(&area, 0xff, sizeof(area));
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area,
				     0, &reg), 0);
	KCHECK_EQ(area.state, RUNSTATE_running);
	KCHECK(area.time[RUNSTATE_running] > 0);
	KCHECK(area.state_entry_time <= time_system_ns());
	KCHECK(area.time[RUNSTATE_offline] == 0);
}

static void check_refusals(void)
{
	struct vcpu_runstate_info r;

	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 1, &r),
		  -XEN_ENOENT);
	/* The hypervisor's own area: not the guest's to write. */
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0,
				     (void *)0xFC000000u), -XEN_EFAULT);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK_EQ(evtchn_init(), 0);
	KCHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, &timer_port), 0);
	KCHECK_EQ(evtchn_set_handler(timer_port, on_timer, NULL), 0);
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
	if (ktest_failures) {
		ktest_finish();
		return;
	}
	local_irq_enable();
	check_register();
	check_totals();
	KCHECK_WINDOW(spin_20ms());
	KCHECK_WINDOW_N(block_and_count(), BLOCK_TRIES);
	check_totals();
	check_refusals();
	ktest_finish();
}
