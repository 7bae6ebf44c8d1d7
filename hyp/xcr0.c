/*
 * xcr0.c - the rules an XCR0 value obeys.  See xcr0.h.
 */
#include "xcr0.h"

uint32_t xcr0_offerable(uint32_t cpu)
{
	uint32_t m = cpu & XSTATE_OFFERED;

	if (!(m & XSTATE_SSE))
		m &= ~(XSTATE_AVX | XSTATE_AVX512);
	if (!(m & XSTATE_AVX) || (m & XSTATE_AVX512) != XSTATE_AVX512)
		m &= ~XSTATE_AVX512;
	return m;
}

bool xcr0_valid(uint32_t allowed, uint32_t ecx, uint32_t edx, uint32_t eax)
{
	if (ecx != 0 || edx != 0 || (eax & ~allowed))
		return false;
	if (!(eax & XSTATE_X87))
		return false;
	if ((eax & XSTATE_AVX) && !(eax & XSTATE_SSE))
		return false;
	if (eax & XSTATE_AVX512)
		return (eax & XSTATE_AVX512) == XSTATE_AVX512 &&
		       (eax & XSTATE_AVX);
	return true;
}
