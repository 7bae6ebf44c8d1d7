/*
 * xstate_test.h - what the XSAVE test kernels share: XGETBV of XCR0 (and
 * the plain CPUID, ktest.h's: these tests look at what the CPU shows).
 */
#ifndef XYLEM_XSTATE_TEST_H
#define XYLEM_XSTATE_TEST_H

#include <stdint.h>

/* XCR0's low half, ~0 if the high half is not 0. */
static inline uint32_t xt_xcr0(void)
{
	uint32_t lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return hi ? ~0u : lo;
}

#endif
