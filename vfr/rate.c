/*
 * rate.c - parse xl `rate=` strings; the per-VIF credit bucket.
 *
 * Interface: see rate.h.  The grammar accepted, exactly:
 *
 *     rate     := number [K|k|M|G] (B|b) "/s" [ "@" interval ]
 *     interval := number ("us" | "ms" | "s")
 *     number   := [0-9]+   (decimal, value 1 .. 4294967295)
 *
 * As in xl's libxlu_vif.c: the multiplier applies before a bit rate is
 * divided by 8 (rounding down), the number before the multiplier and the
 * interval in microseconds must each fit in 32 bits, and the credit per
 * interval is bytes_per_sec * interval_us / 1000000 rounded down.
 *
 * Invariants: nothing reads past text[len - 1]; 64-bit division (which a
 * 32-bit freestanding build would need libgcc for) is done by hand and
 * only while parsing, never per frame.
 */
#include "rate.h"

struct cursor {
	const char *p, *end;
};

/* Bit-at-a-time 64/32 division: parse time only. */
static uint64_t div_u64(uint64_t n, uint32_t d)
{
	uint64_t q = 0, r = 0;
	int i;

	for (i = 63; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= (uint64_t)1 << i;
		}
	}
	return q;
}

static bool peek(const struct cursor *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

static bool take(struct cursor *c, char ch)
{
	if (!peek(c, ch))
		return false;
	c->p++;
	return true;
}

/* A decimal number 1 .. UINT32_MAX. */
static int take_number(struct cursor *c, uint32_t *out, const char **why,
		       const char *what_missing, const char *what_zero)
{
	uint64_t v = 0;
	const char *start = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		v = v * 10 + (uint64_t)(*c->p - '0');
		c->p++;
		if (v > 0xffffffffu) {
			*why = "number too large (more than 4294967295)";
			return -VFR_EOVERFLOW;
		}
	}
	if (c->p == start) {
		*why = what_missing;
		return -VFR_EINVAL;
	}
	if (v == 0) {
		*why = what_zero;
		return -VFR_EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

static int parse_bytes_per_sec(struct cursor *c, uint64_t *out,
			       const char **why)
{
	uint32_t n;
	uint64_t v;
	int rc;

	rc = take_number(c, &n, why, "rate must start with a number",
			 "rate must be positive");
	if (rc)
		return rc;
	v = n;
	if (take(c, 'K') || take(c, 'k'))
		v *= 1000;
	else if (take(c, 'M'))
		v *= 1000 * 1000;
	else if (take(c, 'G'))
		v *= 1000 * 1000 * 1000;
	if (take(c, 'b')) {
		v /= 8;
	} else if (!take(c, 'B')) {
		*why = "rate unit must be B/s or b/s, optionally with K, M or G";
		return -VFR_EINVAL;
	}
	if (!take(c, '/') || !take(c, 's')) {
		*why = "rate must end in /s, e.g. 10Mb/s";
		return -VFR_EINVAL;
	}
	if (v == 0) {
		*why = "rate below 1 byte per second";
		return -VFR_EINVAL;
	}
	*out = v;
	return 0;
}

static int parse_interval_us(struct cursor *c, uint32_t *out,
			     const char **why)
{
	uint32_t n;
	uint64_t v;
	int rc;

	rc = take_number(c, &n, why, "interval after @ must be a number",
			 "interval must be positive");
	if (rc)
		return rc;
	v = n;
	if (take(c, 'u')) {
		if (!take(c, 's'))
			goto bad_unit;
	} else if (take(c, 'm')) {
		if (!take(c, 's'))
			goto bad_unit;
		v *= 1000;
	} else if (take(c, 's')) {
		v *= 1000 * 1000;
	} else {
		goto bad_unit;
	}
	if (v > 0xffffffffu) {
		*why = "interval too long (more than 4294967295us)";
		return -VFR_EOVERFLOW;
	}
	*out = (uint32_t)v;
	return 0;
bad_unit:
	*why = "interval unit must be us, ms or s, e.g. @20ms";
	return -VFR_EINVAL;
}

static int rate_parse(struct cursor *c, struct vfr_rate *r, const char **why)
{
	int rc;

	r->interval_us = VFR_RATE_DEFAULT_INTERVAL_US;
	rc = parse_bytes_per_sec(c, &r->bytes_per_sec, why);
	if (rc)
		return rc;
	if (take(c, '@')) {
		rc = parse_interval_us(c, &r->interval_us, why);
		if (rc)
			return rc;
	}
	if (c->p != c->end) {
		*why = "unexpected text after the rate (want RATE/s[@INTERVAL])";
		return -VFR_EINVAL;
	}
	if (r->bytes_per_sec > div_u64(UINT64_MAX, r->interval_us)) {
		*why = "rate x interval overflows";
		return -VFR_EOVERFLOW;
	}
	r->bytes_per_interval = div_u64(r->bytes_per_sec * r->interval_us,
					1000000);
	if (r->bytes_per_interval == 0) {
		*why = "credit per interval rounds to 0 bytes: raise the "
		       "rate or lengthen the interval";
		return -VFR_EINVAL;
	}
	if (r->bytes_per_interval > VFR_RATE_MAX_BYTES_PER_INTERVAL) {
		*why = "credit per interval too large";
		return -VFR_EOVERFLOW;
	}
	return 0;
}

int vfr_rate_parse(const char *text, size_t len, struct vfr_rate *out,
		   const char **why)
{
	struct cursor c;
	struct vfr_rate r;
	const char *ignored;
	int rc;

	if (why == NULL)
		why = &ignored;
	if (text == NULL || len == 0) {
		*why = "no rate specified";
		return -VFR_EINVAL;
	}
	c.p = text;
	c.end = text + len;
	rc = rate_parse(&c, &r, why);
	if (rc)
		return rc;
	*out = r;
	return 0;
}

void vfr_credit_init(struct vfr_credit *c, const struct vfr_rate *r,
		     uint64_t now_ns)
{
	c->per_interval = r->bytes_per_interval;
	c->interval_ns = (uint64_t)r->interval_us * 1000;
	c->balance = (int64_t)c->per_interval;
	c->next_replenish_ns = now_ns + c->interval_ns;
}

void vfr_credit_replenish(struct vfr_credit *c, uint64_t now_ns)
{
	int64_t cap = (int64_t)c->per_interval;

	/* One step per interval boundary passed, while the bucket is not
	 * full: at most (debt / per_interval) + 1 steps, debt < one frame. */
	while (now_ns >= c->next_replenish_ns && c->balance < cap) {
		c->balance += cap;
		c->next_replenish_ns += c->interval_ns;
	}
	if (c->balance > cap)
		c->balance = cap;
	/* Full and past due: the VIF was idle; restart the grid at now. */
	if (now_ns >= c->next_replenish_ns)
		c->next_replenish_ns = now_ns + c->interval_ns;
}

bool vfr_credit_available(const struct vfr_credit *c)
{
	return c->balance > 0;
}

void vfr_credit_consume(struct vfr_credit *c, uint32_t bytes)
{
	c->balance -= bytes;
}
