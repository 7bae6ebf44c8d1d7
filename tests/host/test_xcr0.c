/*
 * test_xcr0.c - host unit test of hyp/xcr0.c: which state components a
 * guest may be offered, and the checks on its XSETBV.
 *
 * xcr0_offerable() on what real CPUs report (QEMU's TCG "max" 0x21f, an
 * AVX-512 server 0x2ff, SSE-only 0x3) and on broken sets (AVX-512 without
 * AVX, two of its three components, AVX without SSE).  xcr0_valid() is
 * compared with a separately written statement of the SDM's XSETBV rules
 * for every EAX below 0x400, ECX and EDX 0 or 1, and four allowed sets
 * (3, 7, 0xe7, and 0 for XSAVE off), plus the cases a guest is known to
 * try: NetBSD's 7, GNU Mach's nothing, x87 alone, and the ones refused.
 */
#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "../../hyp/xcr0.h"

/* The SDM's rules, set by set. */
static bool sdm_valid(uint32_t allowed, uint32_t ecx, uint32_t edx,
		      uint32_t eax)
{
	uint32_t zmm = (eax >> 5) & 7;
	bool x87 = eax & 1, sse = eax & 2, ymm = eax & 4;

	if (ecx || edx || (eax & ~allowed) || !x87)
		return false;
	if (ymm && !sse)
		return false;
	if (zmm && (zmm != 7 || !ymm))
		return false;
	return true;
}

static void check_offerable(void)
{
	CHECK_EQ(xcr0_offerable(0x21f), 0x7);	/* MPX and PKRU not offered */
	CHECK_EQ(xcr0_offerable(0x2ff), 0xe7);
	CHECK_EQ(xcr0_offerable(0x3), 0x3);
	CHECK_EQ(xcr0_offerable(0xe3), 0x3);	/* AVX-512 without AVX */
	CHECK_EQ(xcr0_offerable(0x67), 0x7);	/* two of the three */
	CHECK_EQ(xcr0_offerable(0x5), 0x1);	/* AVX without SSE */
	CHECK_EQ(xcr0_offerable(0), 0);
}

/* Every EAX below 0x400 with ECX and EDX 0 or 1: how many differ. */
static uint32_t differences(uint32_t allowed, uint32_t *taken)
{
	uint32_t eax, ecx, edx, differ = 0;

	for (eax = 0; eax < 0x400; eax++) {
		for (ecx = 0; ecx < 2; ecx++) {
			for (edx = 0; edx < 2; edx++) {
				bool got = xcr0_valid(allowed, ecx, edx, eax);

				differ += got != sdm_valid(allowed, ecx, edx, eax);
				*taken += got;
			}
		}
	}
	return differ;
}

static void check_valid_against_sdm(void)
{
	static const uint32_t sets[] = { 0, 3, 7, 0xe7 };
	uint32_t s, taken = 0;

	for (s = 0; s < sizeof(sets) / sizeof(sets[0]); s++)
		CHECK_EQ(differences(sets[s], &taken), 0);
	CHECK_EQ(taken, 2 + 3 + 4);	/* 1,3 | 1,3,7 | 1,3,7,0xe7 */
}

static void check_known_cases(void)
{
	CHECK(xcr0_valid(7, 0, 0, 7));		/* NetBSD on TCG */
	CHECK(xcr0_valid(7, 0, 0, 1));
	CHECK(xcr0_valid(0xe7, 0, 0, 0xe7));
	CHECK(!xcr0_valid(7, 0, 0, 0));
	CHECK(!xcr0_valid(7, 0, 0, 5));
	CHECK(!xcr0_valid(7, 0, 0, 0x1b));	/* MPX */
	CHECK(!xcr0_valid(0xe7, 0, 0, 0x67));
	CHECK(!xcr0_valid(0xe7, 0, 0, 0xe3));
	CHECK(!xcr0_valid(7, 1, 0, 3));
	CHECK(!xcr0_valid(7, 0, 1, 3));
	CHECK(!xcr0_valid(3, 0, 0, 7));		/* AVX not offered */
}

int main(void)
{
	check_offerable();
	check_valid_against_sdm();
	check_known_cases();
	return check_done();
}
