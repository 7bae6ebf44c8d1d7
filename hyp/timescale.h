/*
 * timescale.h - the arithmetic of time: TSC ticks to nanoseconds in the pv
 * time ABI's form, nanoseconds to timer ticks, TSC calibration against a
 * reference interval, and CMOS RTC dates to Unix seconds.
 *
 * The pv time ABI (struct vcpu_time_info) scales a TSC delta to ns as
 *	ns = ((shift >= 0 ? delta << shift : delta >> -shift) * mul) >> 32
 * with a 32-bit mul and a signed 8-bit shift.  timescale_from_hz() picks
 * the pair the way Xen's own time code does: the shift that brings
 * hz * 2^shift into (10^9, 2*10^9], so that mul = 2^32 * 10^9 /
 * (hz * 2^shift) lies in [2^31, 2^32) and keeps 31 to 32 significant bits.
 *
 * Freestanding: only 64-bit integer arithmetic, no __int128, no floating
 * point; builds -m32 (64-bit divisions use libgcc, and none is in
 * timescale_apply(), the per-read path).  Nothing here keeps state.
 */
#ifndef XYLEM_TIMESCALE_H
#define XYLEM_TIMESCALE_H

#include <stdint.h>

#define TIMESCALE_NS_PER_SEC	1000000000ull

/* Frequencies timescale_calibrate() accepts as plausible for a TSC. */
#define TIMESCALE_HZ_MIN	1000000ull		/* 1 MHz */
#define TIMESCALE_HZ_MAX	100000000000ull		/* 100 GHz */
/* Reference intervals it accepts: long enough to mean something, short
 * enough that every intermediate product fits 64 bits. */
#define TIMESCALE_CAL_MIN_NS	100000ull		/* 100 us */
#define TIMESCALE_CAL_MAX_NS	4000000000ull		/* 4 s */

/*
 * The ABI pair for a clock of tsc_hz ticks per second (rounded to nearest).
 * tsc_hz == 0 gives mul 0, shift 0 (a clock that does not advance); values
 * above 2^62 are treated as 2^62.
 */
void timescale_from_hz(uint64_t tsc_hz, uint32_t *mul, int8_t *shift);

/*
 * delta scaled by (mul, shift) exactly as the ABI formula above, the
 * 64x32-bit product kept in 96 bits.  A positive shift is applied inside
 * the product, so the result equals the guest's computation whenever the
 * guest's 64-bit `delta << shift` does not overflow, and is still the
 * exact value when it would.  Saturates at UINT64_MAX.
 */
uint64_t timescale_apply(uint64_t delta, uint32_t mul, int8_t shift);

/*
 * Ticks of a hz clock that cover at least ns nanoseconds: ceil(ns * hz /
 * 10^9), exact, saturating at UINT64_MAX; rounding up so that a timer
 * programmed with it never fires early.  hz == 0 gives 0.
 */
uint64_t timescale_ns_to_ticks(uint64_t ns, uint64_t hz);

/*
 * *hz = round(tsc_delta * 10^9 / ref_ns): the frequency of a counter that
 * advanced tsc_delta while ref_ns nanoseconds passed on a reference clock.
 * Returns 0, or -XEN_EINVAL (and leaves *hz alone) when ref_ns lies
 * outside [TIMESCALE_CAL_MIN_NS, TIMESCALE_CAL_MAX_NS] or the frequency
 * outside [TIMESCALE_HZ_MIN, TIMESCALE_HZ_MAX] (which includes a zero
 * tsc_delta).
 */
int timescale_calibrate(uint64_t tsc_delta, uint64_t ref_ns, uint64_t *hz);

/*
 * Seconds since 1970-01-01 00:00:00 UTC of a Gregorian date and time as a
 * CMOS RTC reports it (already binary, 24-hour, full year): year
 * 1970..2099, mon 1..12, day 1..length of that month, h 0..23, m and s
 * 0..59.  Returns -1 for anything else.
 */
int64_t timescale_rtc_to_unix(unsigned year, unsigned mon, unsigned day,
			      unsigned h, unsigned m, unsigned s);

/* The value 0..99 of a packed BCD byte, or -1 when a nibble is above 9. */
int timescale_bcd_to_bin(uint8_t bcd);

#endif
