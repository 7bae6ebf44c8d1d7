/*
 * rate.h - xl-style VIF rate limits: the `rate=` string and the credit.
 *
 * A VIF's rate is written as in xl-network-configuration(5):
 *
 *     RATE/s[@INTERVAL]      e.g. 10Mb/s@20ms, 250KB/s, 1MB/s@20ms
 *
 * RATE is a decimal number with an optional multiplier K (or k), M or G
 * (powers of 1000) followed by B (bytes) or b (bits); INTERVAL is a decimal
 * number followed by us, ms or s, 50ms when absent.  The VIF gets a credit
 * of RATE x INTERVAL bytes every INTERVAL; unused credit does not pile up
 * beyond one interval's worth.
 *
 * Interface:
 *   vfr_rate_parse()      text -> struct vfr_rate, or a static error string.
 *   vfr_credit_init()     a credit bucket for one VIF, full at `now`.
 *   vfr_credit_replenish(), vfr_credit_available(), vfr_credit_consume():
 *                         the arithmetic the transmit scheduler uses; time
 *                         is passed in as nanoseconds by the caller.
 *
 * Invariants (integers only, no division outside vfr_rate_parse):
 *   - 1 <= bytes_per_interval <= VFR_RATE_MAX_BYTES_PER_INTERVAL.
 *   - balance <= bytes_per_interval at all times: an idle VIF can burst at
 *     most one interval's credit.
 *   - A VIF may send while its balance is positive; the frame that takes it
 *     to or below zero leaves a debt of less than one frame, repaid from the
 *     next interval's credit.  So over any k consecutive intervals a
 *     backlogged VIF sends at most k x bytes_per_interval + one frame, and
 *     its long-run rate is exactly the configured one (no credit is lost
 *     to a frame that "does not fit").
 */
#ifndef VFR_RATE_H
#define VFR_RATE_H

#include "vfr_types.h"	/* VFR_E* error codes */

#define VFR_RATE_DEFAULT_INTERVAL_US	50000u
#define VFR_RATE_MAX_BYTES_PER_INTERVAL	((uint64_t)1 << 48)

struct vfr_rate {
	uint64_t bytes_per_sec;
	uint32_t interval_us;
	uint64_t bytes_per_interval;	/* bytes_per_sec * interval_us / 1e6 */
};

/*
 * Parse text[0..len-1] (no terminator needed; an embedded NUL is an error).
 * 0 and *out filled, or -VFR_EINVAL / -VFR_EOVERFLOW with *why (if non-NULL)
 * set to a static explanation such as "rate unit must be B/s or b/s".
 */
int vfr_rate_parse(const char *text, size_t len, struct vfr_rate *out,
		   const char **why);

/* One VIF's credit bucket.  Shared by every scheduler the VIF feeds. */
struct vfr_credit {
	uint64_t per_interval;		/* bytes added per interval, and cap */
	uint64_t interval_ns;
	int64_t balance;		/* bytes the VIF may still send */
	uint64_t next_replenish_ns;	/* when the next credit is added */
};

/* A full bucket for rate r, first replenished one interval after now. */
void vfr_credit_init(struct vfr_credit *c, const struct vfr_rate *r,
		     uint64_t now_ns);

/* Add the credit of every interval boundary passed by now (lazy timer). */
void vfr_credit_replenish(struct vfr_credit *c, uint64_t now_ns);

/* May the VIF send a frame now?  (Call vfr_credit_replenish first.) */
bool vfr_credit_available(const struct vfr_credit *c);

/* Charge a sent frame of `bytes` to the bucket. */
void vfr_credit_consume(struct vfr_credit *c, uint32_t bytes);

#endif
