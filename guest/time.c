/*
 * time.c - system time and wall clock from shared_info.  See time.h.
 */
#include "time.h"
#include "guest.h"
#include "lib.h"
#include <public/errno.h>
#include <public/xen.h>

/* The hypervisor rewrites a snapshot in well under a microsecond. */
#define VERSION_RETRIES		1000000u
#define NS_PER_SEC		1000000000ull

uint64_t time_scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
	uint64_t lo, hi;

	if (shift >= 0)
		delta <<= shift;
	else
		delta >>= -shift;
	/* (delta * mul) >> 32 in pieces: bits 32..95 of the 96-bit product. */
	lo = (delta & 0xffffffffull) * mul;
	hi = (delta >> 32) * mul;
	return hi + (lo >> 32);
}

int time_read_snapshot(struct time_snapshot *s)
{
	const volatile struct vcpu_time_info *t =
		&this_vcpu_info()->time;
	uint32_t i, v;

	for (i = 0; i < VERSION_RETRIES; i++) {
		v = t->version;
		barrier();
		if (v & 1)
			continue;
		s->tsc_timestamp = t->tsc_timestamp;
		s->system_time = t->system_time;
		s->mul = t->tsc_to_system_mul;
		s->shift = t->tsc_shift;
		barrier();
		if (t->version == v) {
			s->version = v;
			return 0;
		}
	}
	return -XEN_EBUSY;
}

uint64_t time_snapshot_ns(const struct time_snapshot *s, uint64_t tsc)
{
	if (tsc < s->tsc_timestamp)
		return s->system_time;
	return s->system_time +
	       time_scale_delta(tsc - s->tsc_timestamp, s->mul, s->shift);
}

uint64_t time_system_ns(void)
{
	struct time_snapshot s;

	if (time_read_snapshot(&s))
		return 0;
	return time_snapshot_ns(&s, time_rdtsc());
}

int time_wallclock_base(uint64_t *sec, uint32_t *nsec, uint32_t *version)
{
	const volatile struct shared_info *si = shared_info_page;
	uint32_t i, v, lo, hi, ns;

	for (i = 0; i < VERSION_RETRIES; i++) {
		v = si->wc_version;
		barrier();
		if (v & 1)
			continue;
		lo = si->wc_sec;
		hi = si->arch.wc_sec_hi;
		ns = si->wc_nsec;
		barrier();
		if (si->wc_version == v) {
			*sec = ((uint64_t)hi << 32) | lo;
			*nsec = ns;
			*version = v;
			return 0;
		}
	}
	return -XEN_EBUSY;
}

int time_wallclock_now(uint64_t *sec, uint32_t *nsec)
{
	uint64_t base, ns;
	uint32_t base_ns, version;
	int rc = time_wallclock_base(&base, &base_ns, &version);

	if (rc)
		return rc;
	ns = time_system_ns() + base_ns;
	*sec = base + ns / NS_PER_SEC;
	*nsec = (uint32_t)(ns % NS_PER_SEC);
	return 0;
}

void time_busy_wait_ns(uint64_t ns)
{
	uint64_t end = time_system_ns() + ns;

	while (time_system_ns() < end)
		asm volatile("pause");
}
