/*
 * test_time_clock.c - the time a PV kernel reads from shared_info:
 *  - vcpu_time_info: version even, a mul/shift pair that means a TSC of
 *    plausible frequency (10 MHz .. 20 GHz), a snapshot not in the future;
 *  - system time read through the version protocol never goes backwards
 *    over 200000 reads, across the hypervisor rewriting the snapshot;
 *  - 1 ms of busy-waiting on system time takes at least 1 ms of system
 *    time in each of ONE_MS_TRIES tries, and less than 1.5 ms in the
 *    shortest; the TSC cycles around that shortest one, scaled with the
 *    advertised mul/shift by hand (a schoolbook 96-bit product,
 *    independent of time.c), say the same within 0.25 ms;
 *  - the hypervisor rewrites the snapshot every 1000 ticks of its 1 kHz
 *    8254 tick: the system time between two rewrites, which the TSC
 *    measures, is at least 0.7 s every time (the TSC calibration does not
 *    run slow against the 8254, an independent clock) and at most 2.5 s in
 *    the shortest of up to MAX_GAPS gaps (TCG loses ticks on a busy host;
 *    under KVM it is 1 s);
 *  - wall clock: wc_version even, wc_nsec < 10^9, the time at system time
 *    0 after 2024-01-01 and before 2100-01-01, and "now" is that plus
 *    system time;
 *  - VCPUOP_register_vcpu_time_memory_area: an address without room below
 *    the hypervisor is -EFAULT, vCPU 1 -ENOENT; a registered copy is filled
 *    at once and then follows every rewrite of vcpu_info's snapshot byte
 *    for byte (the high half of the 64-bit handle is not read); address 0
 *    stops it: the next rewrite leaves the copy alone;
 *  - the snapshot is rewritten whenever the vCPU is switched in, as on
 *    Xen: after blocking 1.5 s for a one-shot timer (the periodic timer
 *    stopped), the snapshot it wakes to was taken after the deadline (a
 *    kernel that mostly sleeps would otherwise extrapolate from one
 *    taken before it slept, which a 32-bit offset cannot span).
 */
#include "ktest.h"
#include "event.h"
#include "mm.h"
#include "time.h"
#include <public/vcpu.h>

#define NS_PER_MS		1000000ull
#define UNIX_2024		1704067200ull
#define UNIX_2100		4102444800ull
#define ONE_MS_TRIES		40
#define MAX_GAPS		4u
#define GAP_MIN_NS		(700 * NS_PER_MS)
#define GAP_MAX_NS		(2500 * NS_PER_MS)

/*
 * ((d shifted) * mul) >> 32 by schoolbook multiplication in 16-bit
 * digits: the product's columns 2..5 are its bits 32..95.
 */
static uint64_t scale_by_hand(uint64_t d, uint32_t mul, int8_t shift)
{
	uint64_t col[7] = { 0 }, r = 0;
	uint32_t m[2] = { mul & 0xffff, mul >> 16 };
	int i, j;

	d = shift >= 0 ? d << shift : d >> -shift;
	for (i = 0; i < 4; i++)
		for (j = 0; j < 2; j++)
			col[i + j] += ((d >> (16 * i)) & 0xffff) * m[j];
	for (i = 0; i < 6; i++) {
		col[i + 1] += col[i] >> 16;
		col[i] &= 0xffff;
	}
	for (i = 5; i >= 2; i--)
		r = (r << 16) | col[i];
	return r;
}

static void check_snapshot(struct time_snapshot *s)
{
	uint64_t ns_per_2_30, mhz;

	KCHECK_EQ(time_read_snapshot(s), 0);
	KCHECK_EQ(s->version & 1, 0);
	KCHECK(s->mul != 0);
	KCHECK(s->tsc_timestamp <= time_rdtsc());
	ns_per_2_30 = time_scale_delta(1ull << 30, s->mul, s->shift);
	KCHECK(ns_per_2_30 != 0);
	mhz = ns_per_2_30 ? (1000ull << 30) / ns_per_2_30 : 0;
	printf("time info: version %u mul %u shift %d: TSC %llu MHz, system time %llu ns\n",
	       s->version, s->mul, s->shift, (unsigned long long)mhz,
	       (unsigned long long)s->system_time);
	KCHECK(mhz >= 10 && mhz <= 20000);
	KCHECK_EQ(scale_by_hand(1ull << 30, s->mul, s->shift), ns_per_2_30);
	KCHECK_EQ(scale_by_hand(0x123456789abull, s->mul, s->shift),
		  time_scale_delta(0x123456789abull, s->mul, s->shift));
}

/* One 1 ms busy wait: its length by system time and by scaled TSC. */
static void busy_wait_once(uint64_t *by_time, uint64_t *by_tsc)
{
	struct time_snapshot s;
	uint64_t t0, t1, tsc0, tsc1;

	KCHECK_EQ(time_read_snapshot(&s), 0);
	tsc0 = time_rdtsc();
	t0 = time_system_ns();
	time_busy_wait_ns(NS_PER_MS);
	t1 = time_system_ns();
	tsc1 = time_rdtsc();
	*by_time = t1 - t0;
	*by_tsc = scale_by_hand(tsc1 - tsc0, s.mul, s.shift);
}

/*
 * The shortest of ONE_MS_TRIES tries: the host may deschedule QEMU in any
 * of them, which makes it long but never short, and a busy host does so
 * often (one loaded run's shortest of 5 was 1.46 ms).
 */
static void check_one_ms(void)
{
	uint64_t by_time, by_tsc, best_time = ~0ull, best_tsc = 0;
	int i;

	for (i = 0; i < ONE_MS_TRIES; i++) {
		busy_wait_once(&by_time, &by_tsc);
		KCHECK(by_time >= NS_PER_MS);
		KCHECK(by_tsc >= by_time);
		if (by_time < best_time) {
			best_time = by_time;
			best_tsc = by_tsc;
		}
	}
	printf("1 ms busy wait, shortest of %d: %llu ns by system time, %llu ns by TSC\n",
	       ONE_MS_TRIES, (unsigned long long)best_time,
	       (unsigned long long)best_tsc);
	/* Each reading costs tens of microseconds under TCG. */
	KCHECK(best_time < NS_PER_MS * 3 / 2);
	KCHECK(best_tsc < best_time + NS_PER_MS / 4);
}

/*
 * Read system time until the snapshot has been rewritten at[0..n], n
 * gaps: up to MAX_GAPS, ending early at a gap of at most GAP_MAX_NS (each
 * further one is a round after a host stall).  Checks monotonicity all
 * along; returns n.
 */
static uint32_t watch_rewrites(uint64_t *at)
{
	struct time_snapshot s;
	uint64_t last = 0, now = 0, give_up;
	uint32_t version, changes = 0, reads = 0, backwards = 0;

	KCHECK_EQ(time_read_snapshot(&s), 0);
	version = s.version;
	give_up = time_system_ns() + (MAX_GAPS + 2) * GAP_MAX_NS;
	while (changes <= MAX_GAPS && now < give_up && reads < 400000000u) {
		now = time_system_ns();
		reads++;
		if (now < last)
			backwards++;
		last = now;
		KCHECK_EQ(time_read_snapshot(&s), 0);
		if (s.version == version)
			continue;
		KCHECK_EQ(s.version & 1, 0);
		version = s.version;
		at[changes++] = s.system_time;
		if (changes >= 2 && at[changes - 1] - at[changes - 2] <= GAP_MAX_NS)
			break;
	}
	printf("%u reads, %u snapshot rewrites, %u steps backwards\n",
	       reads, changes, backwards);
	KCHECK(changes >= 2);
	KCHECK_EQ(backwards, 0);
	KCHECK(reads >= 200000);
	return changes ? changes - 1 : 0;
}

static void check_against_tick(void)
{
	uint64_t at[MAX_GAPS + 1], gap, shortest = ~0ull;
	uint32_t i, n = watch_rewrites(at);

	for (i = 0; i < n; i++) {
		gap = at[i + 1] - at[i];
		printf("snapshot rewritten every %llu us (1000 ticks of the 8254)\n",
		       (unsigned long long)(gap / 1000));
		/*
		 * A tick can be lost (QEMU's TCG drops 8254 interrupts when
		 * the host is busy), never gained: a gap may be long, never
		 * short.  Short means the TSC calibration is off; 30% is the
		 * slack a loaded TCG host needs.
		 */
		KCHECK(gap >= GAP_MIN_NS);
		shortest = MIN(shortest, gap);
	}
	KCHECK(n > 0 && shortest <= GAP_MAX_NS);
}

static void check_wallclock(void)
{
	uint64_t base, now;
	uint32_t nsec, now_nsec, version;

	KCHECK_EQ(time_wallclock_base(&base, &nsec, &version), 0);
	printf("wall clock at boot: %llu s %u ns (version %u)\n",
	       (unsigned long long)base, nsec, version);
	KCHECK_EQ(version & 1, 0);
	KCHECK(version != 0);		/* it was written */
	KCHECK(nsec < 1000000000u);
	KCHECK(base > UNIX_2024 && base < UNIX_2100);
	KCHECK_EQ(time_wallclock_now(&now, &now_nsec), 0);
	KCHECK(now >= base && now - base <= time_system_ns() / 1000000000ull + 1);
	KCHECK(now_nsec < 1000000000u);
}

static struct vcpu_time_info time_copy __attribute__((aligned(64)));

static long register_time_area(uint32_t vcpu, uint32_t lo, uint32_t hi)
{
	struct vcpu_register_time_memory_area a = {
		.addr = ((uint64_t)hi << 32) | lo,
	};

	return HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_time_memory_area, vcpu, &a);
}

/* Spin until the hypervisor rewrites vcpu_info's snapshot once more. */
static void wait_rewrite(void)
{
	volatile struct vcpu_time_info *t = &this_vcpu_info()->time;
	uint32_t version = t->version;

	while (t->version == version || (t->version & 1))
		;
	asm volatile("" ::: "memory");	/* time_copy may have changed too */
}

static void check_time_area(void)
{
	struct vcpu_time_info *t = &this_vcpu_info()->time, stopped;

	KCHECK_EQ(register_time_area(0, 0xf5800000u - 31, 0), -XEN_EFAULT);
	KCHECK_EQ(register_time_area(0, 0xfffffff0u, 0), -XEN_EFAULT);
	KCHECK_EQ(register_time_area(1, (uint32_t)&time_copy, 0), -XEN_ENOENT);
	KCHECK_EQ(time_copy.version, 0);
	KCHECK_EQ(register_time_area(0, (uint32_t)&time_copy, 0xdeadbeef), 0);
	KCHECK(time_copy.version != 0);
	KCHECK_EQ(memcmp(&time_copy, t, sizeof(time_copy)), 0);
	wait_rewrite();
	wait_rewrite();
	KCHECK_EQ(memcmp(&time_copy, t, sizeof(time_copy)), 0);
	KCHECK_EQ(time_copy.version & 1, 0);
	KCHECK_EQ(register_time_area(0, 0, 0), 0);
	stopped = time_copy;
	wait_rewrite();
	KCHECK_EQ(memcmp(&time_copy, &stopped, sizeof(stopped)), 0);
	KCHECK(t->version != stopped.version);
	printf("time area: copy followed the snapshot to version %u, then stopped\n",
	       stopped.version);
}

static void check_switch_in(void)
{
	struct time_snapshot s;
	evtchn_port_t port;
	uint64_t deadline;

	KCHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, &port), 0);
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
	deadline = time_system_ns() + 1500 * NS_PER_MS;
	KCHECK_EQ(HYPERVISOR_set_timer_op(deadline), 0);
	while (time_system_ns() < deadline)
		KCHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0);
	KCHECK_EQ(time_read_snapshot(&s), 0);
	KCHECK(s.system_time >= deadline);
	printf("after 1.5 s asleep: snapshot taken %lld us after the deadline\n",
	       (long long)(s.system_time - deadline) / 1000);
}

void kernel_main(struct start_info *si)
{
	struct time_snapshot s;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK_EQ(evtchn_init(), 0);
	KCHECK(mm_map_shared_info() != NULL);
	if (ktest_failures) {
		ktest_finish();
		return;
	}
	check_snapshot(&s);
	check_one_ms();
	check_against_tick();
	check_wallclock();
	check_time_area();
	check_switch_in();
	ktest_finish();
}
