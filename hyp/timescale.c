/*
 * timescale.c - TSC scaling, timer tick conversion, calibration and RTC
 * dates.  See timescale.h.  Wide products are built from 32-bit pieces
 * (struct u96) so that the file compiles the same for -m32 and 64-bit
 * hosts; every sum and product that could pass 64 bits is checked and the
 * result saturates rather than wraps.
 */
#include "timescale.h"
#include <stdbool.h>
#include <public/errno.h>

#define HZ_CLAMP	(1ull << 62)
/* hz * 2^shift is brought into (SCALE_LOW, 2 * SCALE_LOW]. */
#define SCALE_LOW	TIMESCALE_NS_PER_SEC

/* A 96-bit unsigned value: hi * 2^32 + lo. */
struct u96 {
	uint64_t hi;
	uint32_t lo;
};

static struct u96 mul_64x32(uint64_t a, uint32_t b)
{
	uint64_t low = (uint64_t)(uint32_t)a * b;
	struct u96 r;

	/* (2^32-1)^2 + (2^32-1) < 2^64: the high part cannot overflow. */
	r.hi = (a >> 32) * b + (low >> 32);
	r.lo = (uint32_t)low;
	return r;
}

/* v * 2^-s for -95 <= s <= 32, saturating. */
static uint64_t u96_shift(struct u96 v, int s)
{
	uint64_t low64;
	int t;

	if (s == 32)
		return v.hi;
	if (s > 0) {
		if (v.hi >> (32 + s))
			return UINT64_MAX;
		return (v.hi << (32 - s)) | (v.lo >> s);
	}
	if (v.hi >> 32)
		return UINT64_MAX;
	low64 = (v.hi << 32) | v.lo;
	t = -s;
	if (t == 0 || low64 == 0)
		return low64;
	if (t >= 64 || (low64 >> (64 - t)))
		return UINT64_MAX;
	return low64 << t;
}

uint64_t timescale_apply(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift < 0) {
		/* The ABI drops these low bits before multiplying. */
		if (shift <= -64)
			return 0;
		return u96_shift(mul_64x32(delta >> -shift, mul), 32);
	}
	return u96_shift(mul_64x32(delta, mul), 32 - shift);
}

/*
 * floor(2^bits * num / den) and whether the remainder is at least half of
 * den, by restoring division one bit at a time; needs num < den < 2^63 so
 * that the doubled remainder fits, and bits small enough for the quotient
 * to fit 64 bits (the caller's choice of shift guarantees < 2^32).
 */
static uint64_t frac_div(uint64_t num, uint64_t den, int bits, bool *round_up)
{
	uint64_t q = 0, r = num;
	int i;

	for (i = 0; i < bits; i++) {
		r <<= 1;
		q <<= 1;
		if (r >= den) {
			r -= den;
			q |= 1;
		}
	}
	*round_up = r >= den - r;
	return q;
}

void timescale_from_hz(uint64_t tsc_hz, uint32_t *mul, int8_t *shift)
{
	uint64_t den = tsc_hz, q;
	int s = 0, down = 0;
	bool round_up;

	if (tsc_hz == 0) {
		*mul = 0;
		*shift = 0;
		return;
	}
	if (den > HZ_CLAMP)
		den = HZ_CLAMP;
	/* Slow clocks: scale the frequency up into (SCALE_LOW, 2*SCALE_LOW]. */
	while (den <= SCALE_LOW) {
		den <<= 1;
		s++;
	}
	/* Fast clocks: find k with den / 2^k in that range, keeping den exact
	 * and asking frac_div for k more quotient bits instead. */
	while ((den >> down) > 2 * SCALE_LOW ||
	       ((den >> down) == 2 * SCALE_LOW && (den & ((1ull << down) - 1))))
		down++;
	q = frac_div(SCALE_LOW, den, 32 + down, &round_up);
	if (round_up && q < UINT32_MAX)
		q++;
	*mul = (uint32_t)q;
	*shift = (int8_t)(s - down);
}

/* a * b, or false when it does not fit 64 bits. */
static bool mul_fits(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

static bool add_fits(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_add_overflow(a, b, out);
}

uint64_t timescale_ns_to_ticks(uint64_t ns, uint64_t hz)
{
	uint64_t ns_q = ns / TIMESCALE_NS_PER_SEC, ns_r = ns % TIMESCALE_NS_PER_SEC;
	uint64_t hz_q = hz / TIMESCALE_NS_PER_SEC, hz_r = hz % TIMESCALE_NS_PER_SEC;
	uint64_t whole, part, frac;

	/* ns * hz / 1e9 = ns_q * hz + ns_r * hz_q + ns_r * hz_r / 1e9, where
	 * the last product is below 10^18 and only its quotient is inexact. */
	frac = ns_r * hz_r;
	part = frac / TIMESCALE_NS_PER_SEC + (frac % TIMESCALE_NS_PER_SEC != 0);
	if (!mul_fits(ns_q, hz, &whole) || !add_fits(whole, part, &whole))
		return UINT64_MAX;
	if (!mul_fits(ns_r, hz_q, &part) || !add_fits(whole, part, &whole))
		return UINT64_MAX;
	return whole;
}

int timescale_calibrate(uint64_t tsc_delta, uint64_t ref_ns, uint64_t *hz)
{
	uint64_t q, r, f;

	if (ref_ns < TIMESCALE_CAL_MIN_NS || ref_ns > TIMESCALE_CAL_MAX_NS)
		return -XEN_EINVAL;
	q = tsc_delta / ref_ns;
	r = tsc_delta % ref_ns;
	/* q is whole ticks per ns: beyond this the frequency is absurd. */
	if (q > TIMESCALE_HZ_MAX / TIMESCALE_NS_PER_SEC)
		return -XEN_EINVAL;
	/* r < ref_ns <= 4e9, so r * 1e9 < 4e18 fits. */
	f = q * TIMESCALE_NS_PER_SEC +
	    (r * TIMESCALE_NS_PER_SEC + ref_ns / 2) / ref_ns;
	if (f < TIMESCALE_HZ_MIN || f > TIMESCALE_HZ_MAX)
		return -XEN_EINVAL;
	*hz = f;
	return 0;
}

static bool is_leap(unsigned year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Leap years in [1, year). */
static unsigned leaps_before(unsigned year)
{
	unsigned y = year - 1;

	return y / 4 - y / 100 + y / 400;
}

int64_t timescale_rtc_to_unix(unsigned year, unsigned mon, unsigned day,
			      unsigned h, unsigned m, unsigned s)
{
	/* Days before the first of each month in a common year. */
	static const uint16_t before[12] = {
		0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
	};
	static const uint8_t length[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	bool leap;
	int64_t days;

	if (year < 1970 || year > 2099 || mon < 1 || mon > 12)
		return -1;
	leap = is_leap(year);
	if (day < 1 || day > length[mon - 1] + (unsigned)(leap && mon == 2))
		return -1;
	if (h > 23 || m > 59 || s > 59)
		return -1;
	days = 365 * (int64_t)(year - 1970) + leaps_before(year) -
	       leaps_before(1970) + before[mon - 1] + (leap && mon > 2) +
	       (day - 1);
	return ((days * 24 + h) * 60 + m) * 60 + s;
}

int timescale_bcd_to_bin(uint8_t bcd)
{
	unsigned tens = bcd >> 4, units = bcd & 0xf;

	if (tens > 9 || units > 9)
		return -1;
	return (int)(tens * 10 + units);
}
