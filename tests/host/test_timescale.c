/*
 * test_timescale.c - host unit tests for hyp/timescale.c.
 *
 * References are computed here independently: with unsigned __int128 for
 * the scaling and tick arithmetic, with glibc's timegm() and with dates
 * pasted from `date -u -d ... +%s` for the RTC conversion.  Random inputs
 * come from a fixed-seed xorshift, so a failure reproduces.
 *
 * Precision claim checked for every (frequency, delta) pair: the scaled
 * value v' differs from the exact v = delta * 10^9 / hz by less than
 * 10^-9 * v + 1 ns, plus, when the shift is negative, the ns worth of the
 * low delta bits the ABI drops before multiplying (less than 1 ns).
 */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "../../hyp/timescale.h"
#include <public/errno.h>

typedef unsigned __int128 u128;

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Uniform-ish in [lo, hi]. */
static uint64_t rnd_range(uint64_t lo, uint64_t hi)
{
	return lo + rnd() % (hi - lo + 1);
}

/* A frequency spread over 1 MHz .. 10 GHz on a log scale. */
static uint64_t rnd_hz(void)
{
	unsigned bits = (unsigned)rnd_range(20, 33);	/* 2^20 ~ 1 MHz */
	uint64_t hz = (1ull << bits) | (rnd() & ((1ull << bits) - 1));

	if (hz < 1000000)
		hz = 1000000;
	if (hz > 10000000000ull)
		hz = 10000000000ull;
	return hz;
}

/* The ABI formula in 128 bits, saturated like timescale_apply(). */
static uint64_t ref_apply(uint64_t delta, uint32_t mul, int shift)
{
	u128 p;
	int bits = 0;

	if (shift < 0) {
		p = (u128)(shift <= -64 ? 0 : delta >> -shift) * mul;
		return (uint64_t)(p >> 32);
	}
	p = (u128)delta * mul;
	if (shift <= 32) {
		p >>= 32 - shift;
		return p >> 64 ? UINT64_MAX : (uint64_t)p;
	}
	if (p == 0)
		return 0;
	while ((p >> bits) != 0)
		bits++;
	if (bits + (shift - 32) > 64)
		return UINT64_MAX;
	return (uint64_t)(p << (shift - 32));
}

/* (mul, shift) is the ABI pair of hz, rounded to nearest. */
static void check_pair(uint64_t hz)
{
	uint32_t mul;
	int8_t shift;
	u128 den, target, got;

	timescale_from_hz(hz, &mul, &shift);
	CHECK(mul >= 0x80000000u);
	if (shift >= 0) {
		den = (u128)hz << shift;
		target = (u128)TIMESCALE_NS_PER_SEC << 32;
	} else {
		den = hz;
		target = (u128)TIMESCALE_NS_PER_SEC << (32 - shift);
	}
	/* hz * 2^shift in (1e9, 2e9]; for shift < 0 compare den / 2^-shift. */
	if (shift >= 0) {
		CHECK(den > TIMESCALE_NS_PER_SEC && den <= 2 * TIMESCALE_NS_PER_SEC);
	} else {
		CHECK(den > (u128)TIMESCALE_NS_PER_SEC << -shift);
		CHECK(den <= (u128)(2 * TIMESCALE_NS_PER_SEC) << -shift);
	}
	got = (u128)mul * den;
	/* |mul * den - target| <= den / 2, unless clamped below 2^32. */
	if (mul != UINT32_MAX) {
		u128 diff = got > target ? got - target : target - got;

		CHECK(2 * diff <= den);
	}
}

/* The scaled delta against the exact value, per the claim above. */
static unsigned long check_precision(uint64_t hz, uint64_t delta)
{
	unsigned long before = check_failures;
	uint32_t mul;
	int8_t shift;
	uint64_t got;
	u128 exact_num, got_num, err_num, tol_num, dropped = 0;

	timescale_from_hz(hz, &mul, &shift);
	got = timescale_apply(delta, mul, shift);
	CHECK_EQ(got, ref_apply(delta, mul, shift));
	/* Work in units of 1/(hz * 1e9) ns to stay in integers. */
	exact_num = (u128)delta * TIMESCALE_NS_PER_SEC * TIMESCALE_NS_PER_SEC;
	got_num = (u128)got * hz * TIMESCALE_NS_PER_SEC;
	err_num = got_num > exact_num ? got_num - exact_num : exact_num - got_num;
	if (shift < 0)
		dropped = (u128)(delta & ((1ull << -shift) - 1)) *
			  TIMESCALE_NS_PER_SEC * TIMESCALE_NS_PER_SEC;
	tol_num = (u128)delta * TIMESCALE_NS_PER_SEC +	/* 1e-9 * v */
		  (u128)hz * TIMESCALE_NS_PER_SEC + dropped;	/* + 1 ns */
	CHECK(err_num < tol_num);
	if (check_failures != before)
		fprintf(stderr, "  hz %llu delta %llu mul %u shift %d got %llu\n",
			(unsigned long long)hz, (unsigned long long)delta, mul,
			shift, (unsigned long long)got);
	return check_failures - before;
}

static void test_known_pairs(void)
{
	uint32_t mul;
	int8_t shift;

	timescale_from_hz(1000000000ull, &mul, &shift);	/* 1 GHz: 1 ns/tick */
	CHECK_EQ(shift, 1);
	CHECK_EQ(mul, 0x80000000u);
	timescale_from_hz(2000000000ull, &mul, &shift);
	CHECK_EQ(shift, 0);
	CHECK_EQ(mul, 0x80000000u);
	timescale_from_hz(4000000000ull, &mul, &shift);
	CHECK_EQ(shift, -1);
	CHECK_EQ(mul, 0x80000000u);
	timescale_from_hz(1, &mul, &shift);
	CHECK_EQ(shift, 30);
	timescale_from_hz(0, &mul, &shift);
	CHECK_EQ(mul, 0);
	CHECK_EQ(shift, 0);
	CHECK_EQ(timescale_apply(12345, 0, 0), 0);
	/* 1 GHz: a tick is a nanosecond, exactly, for any delta. */
	timescale_from_hz(1000000000ull, &mul, &shift);
	CHECK_EQ(timescale_apply(1ull << 40, mul, shift), 1ull << 40);
	CHECK_EQ(timescale_apply(999, mul, shift), 999);
	/* Out-of-range frequencies still give a usable pair. */
	check_pair(1);
	check_pair(1ull << 62);
	{	/* Above 2^62 the pair is 2^62's. */
		uint32_t mul62;
		int8_t shift62;

		timescale_from_hz(1ull << 62, &mul62, &shift62);
		timescale_from_hz(UINT64_MAX, &mul, &shift);
		CHECK_EQ(mul, mul62);
		CHECK_EQ(shift, shift62);
	}
}

static void test_scaling(void)
{
	static const uint64_t fixed_hz[] = {
		1000000, 1193182, 3579545, 14318180, 999999999, 1000000001,
		1999999999, 2000000001, 2400000000ull, 2893299000ull,
		3000000000ull, 4294967296ull, 9999999999ull, 10000000000ull,
	};
	unsigned i, j;
	unsigned long bad = 0;

	for (i = 0; i < sizeof(fixed_hz) / sizeof(fixed_hz[0]); i++) {
		check_pair(fixed_hz[i]);
		for (j = 0; j <= 40; j++) {
			check_precision(fixed_hz[i], 1ull << j);
			check_precision(fixed_hz[i], (1ull << j) - 1);
		}
	}
	for (i = 0; i < 20000 && bad < 10; i++) {
		uint64_t hz = rnd_hz();

		check_pair(hz);
		for (j = 0; j < 50 && bad < 10; j++) {
			unsigned bits = (unsigned)rnd_range(0, 40);
			uint64_t delta = rnd() & ((1ull << bits) - 1);

			bad += check_precision(hz, delta);
		}
	}
}

/* timescale_apply() against the 128-bit formula for any (mul, shift),
 * including shifts the ABI never uses and results that saturate. */
static void test_apply_any(void)
{
	unsigned i;

	for (i = 0; i < 200000; i++) {
		uint64_t delta = rnd() >> rnd_range(0, 63);
		uint32_t mul = (uint32_t)rnd();
		int shift = (int)rnd_range(0, 255) - 128;

		if (timescale_apply(delta, mul, (int8_t)shift) !=
		    ref_apply(delta, mul, shift)) {
			CHECK_EQ(timescale_apply(delta, mul, (int8_t)shift),
				 ref_apply(delta, mul, shift));
			break;
		}
	}
	CHECK_EQ(timescale_apply(UINT64_MAX, UINT32_MAX, 32), UINT64_MAX);
	/* (2^64-1)(2^32-1) >> 32 = 2^64 - 2^32 - 1 */
	CHECK_EQ(timescale_apply(UINT64_MAX, UINT32_MAX, 0),
		 UINT64_MAX - 0xFFFFFFFFull - 1);
	CHECK_EQ(timescale_apply(1, 1, 127), UINT64_MAX);
	CHECK_EQ(timescale_apply(1, 1, 95), 1ull << 63);
	CHECK_EQ(timescale_apply(UINT64_MAX, UINT32_MAX, -128), 0);
}

static uint64_t ref_ticks(uint64_t ns, uint64_t hz)
{
	u128 p = (u128)ns * hz;
	u128 t = p / TIMESCALE_NS_PER_SEC + (p % TIMESCALE_NS_PER_SEC != 0);

	return t >> 64 ? UINT64_MAX : (uint64_t)t;
}

static void test_ns_to_ticks(void)
{
	unsigned i;

	CHECK_EQ(timescale_ns_to_ticks(1000000, 1000000000ull), 1000000);
	CHECK_EQ(timescale_ns_to_ticks(1, 1193182), 1);	/* rounds up */
	CHECK_EQ(timescale_ns_to_ticks(0, 1193182), 0);
	CHECK_EQ(timescale_ns_to_ticks(1000000000ull, 1193182), 1193182);
	CHECK_EQ(timescale_ns_to_ticks(123, 0), 0);
	CHECK_EQ(timescale_ns_to_ticks(UINT64_MAX, UINT64_MAX), UINT64_MAX);
	for (i = 0; i < 200000; i++) {
		uint64_t ns = rnd() >> rnd_range(0, 63);
		uint64_t hz = rnd() >> rnd_range(0, 63);

		if (timescale_ns_to_ticks(ns, hz) != ref_ticks(ns, hz)) {
			CHECK_EQ(timescale_ns_to_ticks(ns, hz), ref_ticks(ns, hz));
			break;
		}
	}
}

static void test_calibrate(void)
{
	uint64_t hz = 42;
	unsigned i;

	CHECK_EQ(timescale_calibrate(28933, 10000000, &hz), 0);	/* 10 ms */
	CHECK_EQ(hz, 2893300);
	CHECK_EQ(timescale_calibrate(3, 2000000, &hz), -XEN_EINVAL);
	CHECK_EQ(timescale_calibrate(0, 10000000, &hz), -XEN_EINVAL);
	CHECK_EQ(timescale_calibrate(100000, 0, &hz), -XEN_EINVAL);
	CHECK_EQ(timescale_calibrate(100000, 99999, &hz), -XEN_EINVAL);
	CHECK_EQ(timescale_calibrate(1ull << 40, 4000000001ull, &hz), -XEN_EINVAL);
	CHECK_EQ(timescale_calibrate(UINT64_MAX, 10000000, &hz), -XEN_EINVAL);
	CHECK_EQ(timescale_calibrate(10000001, 100000, &hz), -XEN_EINVAL);
	CHECK_EQ(hz, 2893300);	/* refusals leave *hz alone */
	/* Exactly at the limits: 1 MHz and 100 GHz over 100 us. */
	CHECK_EQ(timescale_calibrate(100, 100000, &hz), 0);
	CHECK_EQ(hz, TIMESCALE_HZ_MIN);
	CHECK_EQ(timescale_calibrate(10000000, 100000, &hz), 0);
	CHECK_EQ(hz, TIMESCALE_HZ_MAX);
	/* Round trip: ticks measured over an interval give the frequency
	 * back to within the interval's resolution. */
	for (i = 0; i < 10000; i++) {
		uint64_t f = rnd_range(TIMESCALE_HZ_MIN, TIMESCALE_HZ_MAX);
		uint64_t ref = rnd_range(TIMESCALE_CAL_MIN_NS, TIMESCALE_CAL_MAX_NS);
		uint64_t ticks = (uint64_t)((u128)f * ref / TIMESCALE_NS_PER_SEC);
		u128 expect = ((u128)ticks * TIMESCALE_NS_PER_SEC + ref / 2) / ref;
		int rc = timescale_calibrate(ticks, ref, &hz);

		if (expect < TIMESCALE_HZ_MIN) {
			CHECK_EQ(rc, -XEN_EINVAL);
			continue;
		}
		CHECK_EQ(rc, 0);
		CHECK_EQ(hz, (uint64_t)expect);
	}
}

static void test_rtc_known(void)
{
	static const struct {
		unsigned y, mo, d, h, mi, s;
		int64_t unix_s;
	} known[] = {	/* from `date -u -d "Y-M-D h:m:s UTC" +%s` */
		{ 1970, 1, 1, 0, 0, 0, 0 },
		{ 1970, 1, 1, 0, 0, 59, 59 },
		{ 1970, 12, 31, 23, 59, 59, 31535999 },
		{ 1972, 2, 29, 12, 0, 0, 68212800 },
		{ 1972, 3, 1, 0, 0, 0, 68256000 },
		{ 1999, 12, 31, 23, 59, 59, 946684799 },
		{ 2000, 1, 1, 0, 0, 0, 946684800 },
		{ 2000, 2, 29, 6, 30, 15, 951805815 },
		{ 2000, 3, 1, 0, 0, 0, 951868800 },
		{ 2004, 2, 29, 23, 59, 59, 1078099199 },
		{ 2024, 2, 29, 13, 14, 15, 1709212455 },
		{ 2024, 7, 4, 9, 8, 7, 1720084087 },
		{ 2038, 1, 19, 3, 14, 7, 2147483647 },
		{ 2038, 1, 19, 3, 14, 8, 2147483648ll },
		{ 2099, 12, 31, 23, 59, 59, 4102444799ll },
	};
	unsigned i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		CHECK_EQ(timescale_rtc_to_unix(known[i].y, known[i].mo, known[i].d,
					       known[i].h, known[i].mi, known[i].s),
			 known[i].unix_s);
}

static void test_rtc_refused(void)
{
	CHECK_EQ(timescale_rtc_to_unix(1969, 12, 31, 23, 59, 59), -1);
	CHECK_EQ(timescale_rtc_to_unix(2100, 1, 1, 0, 0, 0), -1);
	CHECK_EQ(timescale_rtc_to_unix(2023, 2, 29, 0, 0, 0), -1);
	CHECK_EQ(timescale_rtc_to_unix(2000, 2, 30, 0, 0, 0), -1);
	CHECK_EQ(timescale_rtc_to_unix(2024, 4, 31, 0, 0, 0), -1);
	CHECK_EQ(timescale_rtc_to_unix(2024, 0, 1, 0, 0, 0), -1);
	CHECK_EQ(timescale_rtc_to_unix(2024, 13, 1, 0, 0, 0), -1);
	CHECK_EQ(timescale_rtc_to_unix(2024, 1, 0, 0, 0, 0), -1);
	CHECK_EQ(timescale_rtc_to_unix(2024, 1, 32, 0, 0, 0), -1);
	CHECK_EQ(timescale_rtc_to_unix(2024, 1, 1, 24, 0, 0), -1);
	CHECK_EQ(timescale_rtc_to_unix(2024, 1, 1, 0, 60, 0), -1);
	CHECK_EQ(timescale_rtc_to_unix(2024, 1, 1, 0, 0, 60), -1);
	CHECK_EQ(timescale_rtc_to_unix(UINT32_MAX, UINT32_MAX, UINT32_MAX,
				       UINT32_MAX, UINT32_MAX, UINT32_MAX), -1);
}

/* Every day of the range, at a random time, against glibc's timegm(); and
 * every (month, day) pair, valid or not, against timegm's normalisation. */
static void test_rtc_sweep(void)
{
	unsigned y, mo, d;
	unsigned long bad = 0;

	for (y = 1970; y <= 2099 && bad < 5; y++) {
		for (mo = 1; mo <= 12; mo++) {
			for (d = 0; d <= 32; d++) {
				struct tm tm;
				unsigned h = (unsigned)rnd_range(0, 23);
				unsigned mi = (unsigned)rnd_range(0, 59);
				unsigned s = (unsigned)rnd_range(0, 59);
				int64_t got = timescale_rtc_to_unix(y, mo, d, h, mi, s);
				time_t ref;

				memset(&tm, 0, sizeof(tm));
				tm.tm_year = (int)y - 1900;
				tm.tm_mon = (int)mo - 1;
				tm.tm_mday = (int)d;
				tm.tm_hour = (int)h;
				tm.tm_min = (int)mi;
				tm.tm_sec = (int)s;
				ref = timegm(&tm);
				/* timegm normalises an impossible day into
				 * another month: that date must be refused. */
				if (tm.tm_mon != (int)mo - 1 || tm.tm_mday != (int)d) {
					if (got != -1) {
						CHECK_EQ(got, -1);
						bad++;
					}
				} else if (got != (int64_t)ref) {
					CHECK_EQ(got, (int64_t)ref);
					bad++;
				}
			}
		}
	}
}

static void test_bcd(void)
{
	unsigned v;
	int valid = 0;

	CHECK_EQ(timescale_bcd_to_bin(0x00), 0);
	CHECK_EQ(timescale_bcd_to_bin(0x59), 59);
	CHECK_EQ(timescale_bcd_to_bin(0x99), 99);
	CHECK_EQ(timescale_bcd_to_bin(0x1A), -1);
	CHECK_EQ(timescale_bcd_to_bin(0xA1), -1);
	CHECK_EQ(timescale_bcd_to_bin(0xFF), -1);
	for (v = 0; v < 256; v++) {
		int r = timescale_bcd_to_bin((uint8_t)v);

		if (r >= 0) {
			valid++;
			CHECK_EQ(((r / 10) << 4) | (r % 10), v);
		}
	}
	CHECK_EQ(valid, 100);
}

int main(void)
{
	test_known_pairs();
	test_scaling();
	test_apply_any();
	test_ns_to_ticks();
	test_calibrate();
	test_rtc_known();
	test_rtc_refused();
	test_rtc_sweep();
	test_bcd();
	return check_done();
}
