/*
 * iotest.h - what the port I/O test kernels (cpu_iopl, cpu_iobitmap)
 * share: counting the #GPs a probe
 * takes in the kernel or in ring 3.  The including test defines gp_hits
 * and a #GP handler that increments it and steps over the instruction;
 * user_init() must have run before a ring-3 probe.
 */
#ifndef XYLEM_TESTS_IOTEST_H
#define XYLEM_TESTS_IOTEST_H

#include "hypercall.h"
#include "user.h"
#include <public/physdev.h>

extern volatile uint32_t gp_hits;

/* #GPs taken by fn in the kernel (user false) or in ring 3. */
static inline uint32_t faults(user_fn fn, bool user)
{
	uint32_t before = gp_hits;

	if (user)
		user_run(fn, 0);
	else
		fn(0);
	return gp_hits - before;
}

#endif
