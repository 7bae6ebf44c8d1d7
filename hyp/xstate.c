/*
 * xstate.c - the XSAVE feature set for guests.  See xstate.h.
 */
#include "xstate.h"
#include "console.h"
#include "arch/x86_32/x86.h"

#define CPUID1_XSAVE		(1u << 26)

static uint32_t allowed;	/* 0: XSAVE off */
static uint32_t hw_xcr0;	/* what XCR0 holds */

/* The bytes the standard-form area needs for mask's components. */
static uint32_t area_size(uint32_t mask)
{
	uint32_t i, size = XSTATE_LEGACY_SIZE, a, b, c, d;

	for (i = 2; i < 32; i++) {
		if (!(mask & (1u << i)))
			continue;
		cpuid_count(0xd, i, &a, &b, &c, &d);
		if (b + a > size)
			size = b + a;	/* offset + size */
	}
	return size;
}

/* What the CPU offers, less what could not be valid or would not fit. */
static uint32_t usable(uint32_t cpu)
{
	uint32_t m = xcr0_offerable(cpu);

	if (area_size(m) > XSTATE_AREA_MAX)
		m &= ~XSTATE_AVX512;
	if (area_size(m) > XSTATE_AREA_MAX)
		m &= ~XSTATE_AVX;
	return m;
}

void xstate_init(uint32_t leaf1_ecx)
{
	uint32_t max, a = 0, b, c, d;

	if (!(leaf1_ecx & CPUID1_XSAVE))
		return;
	cpuid_count(0, 0, &max, &b, &c, &d);
	if (max >= 0xd)
		cpuid_count(0xd, 0, &a, &b, &c, &d);
	if ((a & XSTATE_INIT) != XSTATE_INIT) {
		printk(LOG_WARN, "xstate: XSAVE left off: CPUID 0xD offers "
		       "components 0x%x, not x87 and SSE\n", a);
		return;
	}
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);
	allowed = usable(a);
	hw_xcr0 = XSTATE_INIT;
	write_xcr0(hw_xcr0);
	printk(LOG_INFO, "xstate: XSAVE on; a guest's XCR0 starts at 0x%x and "
	       "may enable 0x%x (area %u bytes)\n", (uint32_t)read_xcr0(),
	       allowed, area_size(allowed));
}

uint32_t xstate_allowed(void)
{
	return allowed;
}

bool xstate_xsetbv_valid(uint32_t ecx, uint32_t edx, uint32_t eax)
{
	return allowed && xcr0_valid(allowed, ecx, edx, eax);
}

void xstate_load_xcr0(uint32_t v)
{
	if (v != hw_xcr0) {
		write_xcr0(v);
		hw_xcr0 = v;
	}
}
