/*
 * ktest.h - helpers for the tiny PV test kernels: each kernel checks one
 * behaviour and ends with exactly one verdict line, "Test result: SUCCESS"
 * or "Test result: FAILURE: <reason>", then powers off.
 */
#ifndef XYLEM_KTEST_H
#define XYLEM_KTEST_H

#include "event.h"
#include "guest.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include <public/errno.h>

/*
 * Failed checks, one count for the whole kernel: a weak definition in
 * each file of a kernel built from several (test_vcpu_up), which the
 * linker makes one.
 */
__attribute__((weak)) unsigned int ktest_failures;

/*
 * KTEST_GP_SKIP2_HANDLER defines gp_entry, a ring-1 #GP handler for the
 * trap table that counts the fault in gp_hits (the test defines it) and
 * returns past a 2-byte faulting instruction (rdmsr, wrmsr, inb imm8).
 */
#define KTEST_GP_SKIP2_HANDLER					\
	asm(".text\n"						\
	    "gp_entry:\n"					\
	    "	incl	gp_hits\n"				\
	    "	addl	$4, %esp\n"	/* the error code */	\
	    "	addl	$2, (%esp)\n"				\
	    "	iret\n")
void gp_entry(void);

#define KCHECK(cond) do {						\
	if (!(cond)) {							\
		ktest_failures++;					\
		printf("check failed at %s:%d: %s\n", __FILE__,	\
		       __LINE__, #cond);				\
	}								\
} while (0)

#define KCHECK_EQ(a, b) do {						\
	long ka_ = (long)(a), kb_ = (long)(b);				\
	if (ka_ != kb_) {						\
		ktest_failures++;					\
		printf("check failed at %s:%d: %s == %s (%ld != %ld)\n",\
		       __FILE__, __LINE__, #a, #b, ka_, kb_);		\
	}								\
} while (0)
/* The same for 64-bit values (KCHECK_EQ compares as long: 32 bits here). */
#define KCHECK_EQ64(a, b) do {						\
	unsigned long long ka_ = (a), kb_ = (b);			\
	if (ka_ != kb_) {						\
		ktest_failures++;					\
		printf("check failed at %s:%d: %s == %s (0x%llx != 0x%llx)\n",\
		       __FILE__, __LINE__, #a, #b, ka_, kb_);		\
	}								\
} while (0)
/*
 * Timing windows.  A lower bound ("not before the deadline") is a promise
 * of the hypervisor and is checked with KCHECK, once.  An upper bound
 * ("soon after it") also depends on the host: a loaded machine can stop
 * QEMU for tens of milliseconds at any point.  So a measurement that must
 * end inside a window is a function returning whether it did, and
 * KCHECK_WINDOW runs it up to KTEST_WINDOW_TRIES times: a real fault misses
 * every time, a host stall not three times running.  KCHECK_WINDOW_N gives
 * a window that a stall hits more often (a longer measurement) more tries.
 */
#define KTEST_WINDOW_TRIES	3

#define KCHECK_WINDOW_N(call, tries) do {				\
	unsigned int try_, n_ = (tries);				\
	for (try_ = 1; !(call); try_++) {				\
		printf("%s: outside its window (try %u of %u)\n",	\
		       #call, try_, n_);				\
		if (try_ >= n_) {					\
			ktest_failures++;				\
			printf("check failed at %s:%d: %s in its window\n",\
			       __FILE__, __LINE__, #call);		\
			break;						\
		}							\
	}								\
} while (0)

#define KCHECK_WINDOW(call)	KCHECK_WINDOW_N(call, KTEST_WINDOW_TRIES)

/* The plain CPUID instruction (the CPU's leaves, not the filtered ones). */
static inline void ktest_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(sub));
}

/* CR4 as the guest kernel sees it (mov emulated by the hypervisor). */
static inline uint32_t ktest_read_cr4(void)
{
	uint32_t v;

	asm volatile("movl %%cr4, %0" : "=r"(v));
	return v;
}

static inline void ktest_write_cr4(uint32_t v)
{
	asm volatile("movl %0, %%cr4" : : "r"(v) : "memory");
}

static inline void ktest_finish(void)
{
	if (ktest_failures)
		printf("Test result: FAILURE: %u checks failed\n", ktest_failures);
	else
		printf("Test result: SUCCESS\n");
	guest_shutdown(SHUTDOWN_poweroff);
}

/*
 * The usual start of a kernel that uses events: mm_init() and
 * evtchn_init().  False (after the failure verdict) if either fails.
 */
static inline bool ktest_start_events(void)
{
	KCHECK_EQ(mm_init(), 0);
	KCHECK_EQ(evtchn_init(), 0);
	if (ktest_failures) {
		ktest_finish();
		return false;
	}
	return true;
}

#endif
