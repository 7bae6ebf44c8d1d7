/*
 * test_pagetable.h - what the two files of the test_pagetable host test
 * share: test_pagetable.c (the helpers, the reference, entry and type
 * tests, main()) and test_pagetable_ops.c (updates, pins, unwinding, the
 * property test).  Frames are named by their role in the tests, on the
 * fake machine of fake_machine.h.
 */
#ifndef XYLEM_TESTS_TEST_PAGETABLE_H
#define XYLEM_TESTS_TEST_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "fake_machine.h"

#define D1	(&fm_dom[0])
#define D2	(&fm_dom[1])
#define P	PTE_PRESENT
#define RW	(PTE_PRESENT | PTE_RW)
#define XEN_MFN	FM_XEN_FIRST
#define IO_MFN	FM_IO_FIRST
#define FREE_MFN FM_FREE_FIRST
/* Domain 1's frames by role in the tests; domain 2's first frame. */
#define T1	(FM_DOM1_FIRST + 0)	/* an L3 */
#define H1	(FM_DOM1_FIRST + 1)	/* its slot-3 L2 */
#define A1	(FM_DOM1_FIRST + 2)	/* L2s */
#define B1	(FM_DOM1_FIRST + 3)
#define X1	(FM_DOM1_FIRST + 4)	/* L1s */
#define Y1	(FM_DOM1_FIRST + 5)
#define F1	(FM_DOM1_FIRST + 10)	/* data frames F1.. */
#define G1	(FM_DOM1_FIRST + 11)
#define OTHER	FM_DOM2_FIRST

/* A page-table entry: frame and flags. */
#define ENT(mfn, flags)	(((uint64_t)(mfn) << 12) | (flags))

/* Pin and unpin, keeping the model in step (test_pagetable.c). */
int pin(uint32_t mfn, unsigned int level, const struct pt_domain *d);
int unpin(uint32_t mfn, const struct pt_domain *d);
void check_counts(uint32_t mfn, uint32_t ref, uint32_t type_count);
/* Every frame back to "allocated only" (or as fm_reset set it). */
void check_all_idle(void);
/* The invariants hold and every map was undone. */
void check_machine(void);
/* T1: slot 3 -> H1, slot 0 -> A1; H1 slot 0 -> X1; A1 slot 0 -> Y1. */
void build_tree(void);
/* l2's hypervisor slots hold what the hypervisor writes, or nothing. */
void check_hyp_slots(uint32_t l2, bool installed);

/* The tests of test_pagetable_ops.c, in the order main() runs them. */
void test_update_l3(void);
void test_update_moves_references(void);
void test_update_refused(void);
void test_update_data(void);
void test_pin_unpin(void);
void test_unwinding(void);
void test_release_table(void);
void test_type_overflow(void);
void test_unbalanced_puts(void);
/* The property test: nr_ops random operations, checked after each. */
void test_random(unsigned long nr_ops);

#endif
