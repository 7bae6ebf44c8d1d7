/*
 * debugreg_test.h - what the debug-register tests share: ring-1 handlers
 * for #DB and #GP, and the set_debugreg/get_debugreg hypercalls.
 *
 * DEBUGREG_TEST_HANDLERS defines db_entry, which counts a #DB in db_hits,
 * keeps the eip it returns to in db_eip and clears TF in the frame, and
 * gp_entry, which counts a #GP in gp_hits and returns gp_skip bytes past
 * the faulting instruction.  The test defines those variables.
 */
#ifndef XYLEM_TESTS_DEBUGREG_TEST_H
#define XYLEM_TESTS_DEBUGREG_TEST_H

#include "ktest.h"

#define DEBUGREG_TEST_HANDLERS					\
	asm(".text\n"						\
	    "db_entry:\n"					\
	    "	incl	db_hits\n"				\
	    "	pushl	%eax\n"					\
	    "	movl	4(%esp), %eax\n"			\
	    "	movl	%eax, db_eip\n"				\
	    "	andl	$~0x100, 12(%esp)\n"	/* TF off */	\
	    "	popl	%eax\n"					\
	    "	iret\n"						\
	    "gp_entry:\n"					\
	    "	incl	gp_hits\n"				\
	    "	addl	$4, %esp\n"		/* error code */	\
	    "	pushl	%eax\n"					\
	    "	movl	gp_skip, %eax\n"			\
	    "	addl	%eax, 4(%esp)\n"			\
	    "	popl	%eax\n"					\
	    "	iret\n")
void db_entry(void);
void gp_entry(void);

static inline long set_dr(uint32_t reg, uint32_t value)
{
	return hypercall(__HYPERVISOR_set_debugreg, reg, value, 0, 0, 0);
}

static inline long get_dr(uint32_t reg)
{
	return hypercall(__HYPERVISOR_get_debugreg, reg, 0, 0, 0, 0);
}

#endif
