/*
 * time.h - time in a Xylem PV kernel: system time (ns since the
 * hypervisor booted) from vcpu_info's time snapshot and the TSC, the
 * wall clock from shared_info, and busy-waiting.
 *
 * A snapshot (tsc_timestamp, system_time, mul, shift) is copied out under
 * the version protocol: the hypervisor makes the version odd while it
 * rewrites the fields, so a copy is kept only when the version was even
 * and unchanged across it.  System time at TSC value t is
 *	system_time + scale(t - tsc_timestamp)
 * with scale(d) = ((shift >= 0 ? d << shift : d >> -shift) * mul) >> 32,
 * the 64x32-bit product kept in 96 bits.  The wall clock is the Unix time
 * at system time 0 (wc_sec, wc_nsec, wc_version likewise versioned).
 *
 * Every function needs shared_info mapped (shared_info_page, see mm.h).
 * Operations return 0 or -XEN_EBUSY when the version never settled (the
 * hypervisor would have to be rewriting the fields without end).
 */
#ifndef XYLEM_GUEST_TIME_H
#define XYLEM_GUEST_TIME_H

#include <stdint.h>

struct time_snapshot {
	uint32_t version;		/* even */
	uint64_t tsc_timestamp;
	uint64_t system_time;		/* ns at tsc_timestamp */
	uint32_t mul;
	int8_t shift;
};

static inline uint64_t time_rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* The ABI's scaling of a TSC delta to nanoseconds. */
uint64_t time_scale_delta(uint64_t delta, uint32_t mul, int8_t shift);
/* A consistent copy of vcpu_info[0].time. */
int time_read_snapshot(struct time_snapshot *s);
/* System time at TSC value tsc by snapshot s (tsc before it counts 0). */
uint64_t time_snapshot_ns(const struct time_snapshot *s, uint64_t tsc);
/* System time now; 0 if the snapshot never settled. */
uint64_t time_system_ns(void);
/* The wall clock at system time 0 (seconds, with wc_sec_hi). */
int time_wallclock_base(uint64_t *sec, uint32_t *nsec, uint32_t *version);
/* Unix time now: the base plus system time. */
int time_wallclock_now(uint64_t *sec, uint32_t *nsec);
/* Spin until system time has advanced by ns. */
void time_busy_wait_ns(uint64_t ns);

#endif
