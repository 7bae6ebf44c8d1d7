/*
 * check.h - the assertion kit shared by every host unit test.
 *
 * A host test is one program, tests/host/test_NAME.c (and the helper files
 * it names), whose main() calls CHECK()/CHECK_EQ() as often as it likes and
 * ends with `return check_done();`.
 * A failed check prints file:line and the expression and is counted; the
 * program exits non-zero if any check failed, 0 otherwise.  The runner
 * (scripts/run-tests.sh) treats the exit status as the verdict.
 */
#ifndef XYLEM_TESTS_CHECK_H
#define XYLEM_TESTS_CHECK_H

#include <stdio.h>

/*
 * The counts, one pair for the whole program: a weak definition in each
 * file of a test built from several (test_elf.c and elf_image.c), which
 * the linker makes one.
 */
__attribute__((weak)) unsigned long check_count;
__attribute__((weak)) unsigned long check_failures;

#define CHECK(cond) do {						\
	check_count++;							\
	if (!(cond)) {							\
		check_failures++;					\
		fprintf(stderr, "%s:%d: CHECK failed: %s\n",		\
			__FILE__, __LINE__, #cond);			\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long check_a_ = (long long)(a);				\
	long long check_b_ = (long long)(b);				\
	check_count++;							\
	if (check_a_ != check_b_) {					\
		check_failures++;					\
		fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s "	\
			"(%lld != %lld)\n", __FILE__, __LINE__,		\
			#a, #b, check_a_, check_b_);			\
	}								\
} while (0)

static inline int check_done(void)
{
	printf("%lu checks, %lu failed\n", check_count, check_failures);
	return check_failures ? 1 : 0;
}

#endif
