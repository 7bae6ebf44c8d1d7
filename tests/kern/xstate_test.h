/*
 * xstate_test.h - what the XSAVE test kernels share: the plain CPUID
 * (not the filtered one: these tests look at what the CPU shows) and
 * XGETBV of XCR0.
 */
#ifndef XYLEM_XSTATE_TEST_H
#define XYLEM_XSTATE_TEST_H

#include <stdint.h>

static inline void xt_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(sub));
}

/* XCR0's low half, ~0 if the high half is not 0. */
static inline uint32_t xt_xcr0(void)
{
	uint32_t lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return hi ? ~0u : lo;
}

#endif
