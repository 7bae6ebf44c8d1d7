/*
 * benchlib.h - what the PV benchmark kernels share: the median of a set
 * of batch timings, the "BENCH <name> <value> <unit>" lines (a ratio with
 * two decimals), and a word test on the kernel command line.
 */
#ifndef XYLEM_BENCHLIB_H
#define XYLEM_BENCHLIB_H

#include "guest.h"
#include "lib.h"
#include "time.h"
#include <stdbool.h>
#include <stdint.h>

#define BENCH_MAX_BATCHES	32u

/* The median of batch[0..n-1] (n <= BENCH_MAX_BATCHES), per operation. */
static inline uint64_t bench_median_per_op(const uint64_t *batch, uint32_t n,
					   uint32_t ops)
{
	uint64_t s[BENCH_MAX_BATCHES];

	memcpy(s, batch, n * sizeof(*s));
	sort_u64(s, n);
	return s[n / 2] / ops;
}

/*
 * Time n batches (n <= BENCH_MAX_BATCHES) of run(ops) with rdtsc: the
 * median cycles per operation.
 */
static inline uint64_t bench_batches(void (*run)(uint32_t ops), uint32_t n,
				     uint32_t ops)
{
	uint64_t batch[BENCH_MAX_BATCHES], t0;
	uint32_t b;

	for (b = 0; b < n; b++) {
		t0 = time_rdtsc();
		run(ops);
		batch[b] = time_rdtsc() - t0;
	}
	return bench_median_per_op(batch, n, ops);
}

static inline void bench_print(const char *name, uint64_t v, const char *unit)
{
	printf("BENCH %s %llu %s\n", name, (unsigned long long)v, unit);
}

/* a / b with two decimals (0 if b is 0). */
static inline void bench_print_ratio(const char *name, uint64_t a, uint64_t b)
{
	uint64_t r = b ? a * 100 / b : 0;

	printf("BENCH %s %llu.%02llu ratio\n", name,
	       (unsigned long long)(r / 100), (unsigned long long)(r % 100));
}

/* Is arg one of the space-separated words of cmdline? */
static inline bool bench_has_arg(const char *cmdline, const char *arg)
{
	size_t n = strlen(arg);
	const char *p = cmdline;

	while (*p) {
		if (!strncmp(p, arg, n) && (p[n] == ' ' || !p[n]))
			return true;
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
	}
	return false;
}

#endif
