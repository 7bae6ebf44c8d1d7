/*
 * xcr0.h - the rules an XCR0 value obeys: which state components a guest
 * may be offered, and XSETBV's checks.  Pure arithmetic, shared by
 * xstate.c and its host test (tests/host/test_xcr0.c).
 */
#ifndef XYLEM_XCR0_H
#define XYLEM_XCR0_H

#include <stdbool.h>
#include <stdint.h>

#define XSTATE_X87		(1u << 0)
#define XSTATE_SSE		(1u << 1)
#define XSTATE_AVX		(1u << 2)
#define XSTATE_AVX512		(7u << 5)	/* opmask, ZMM_Hi256, Hi16_ZMM */
#define XSTATE_INIT		(XSTATE_X87 | XSTATE_SSE)
/* What a guest may ever be offered: user state with no extra rules. */
#define XSTATE_OFFERED		(XSTATE_X87 | XSTATE_SSE | XSTATE_AVX | \
				 XSTATE_AVX512)

/*
 * The offered components of cpu (CPUID 0xD's EAX) that can be part of a
 * valid XCR0 together: AVX needs SSE, the AVX-512 three come together and
 * need AVX.
 */
uint32_t xcr0_offerable(uint32_t cpu);

/*
 * XSETBV of XCR ecx := edx:eax for a guest offered `allowed`, as the CPU
 * and Xen check it: ECX 0, EDX 0 (nothing is offered up there), no bit
 * outside allowed, x87 set, AVX only with SSE, AVX-512 all three and only
 * with AVX.
 */
bool xcr0_valid(uint32_t allowed, uint32_t ecx, uint32_t edx, uint32_t eax);

#endif
