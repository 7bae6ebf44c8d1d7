/*
 * test_pagetable_ops.c - the second half of test_pagetable's tests of
 * hyp/pagetable.c (see test_pagetable.c): entry updates (the L3 and its
 * hypervisor slot, references moving with an entry, refusals that leave
 * every count and entry as it was, data frames), pin and unpin, unwinding
 * a table refused half-way, a table given back, a type count at its
 * limit, unbalanced puts, and the property test: random operations of
 * fake_machine_ops.h with a fixed seed, every invariant after each.
 */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "fake_machine_ops.h"
#include "test_pagetable.h"

void test_update_l3(void)
{
	unsigned long l3_changed, l2_changed, installs;

	fm_reset();
	build_tree();
	CHECK_EQ(pin(T1, 3, D1), 0);
	CHECK_EQ(pt_update_entry(H1, PT_HYP_FIRST_SLOT, 0, D1), -XEN_EPERM);
	CHECK_EQ(pt_update_entry(H1, PT_ENTRIES - 1, 0, D1), -XEN_EPERM);
	l2_changed = fm.l2_hyp_changed_calls;
	CHECK_EQ(pt_update_entry(H1, PT_HYP_FIRST_SLOT - 1, ENT(Y1, RW), D1),
		 0);
	CHECK_EQ(fm.l2_hyp_changed_calls, l2_changed + 1);
	check_counts(Y1, 3, 2);
	check_hyp_slots(H1, true);
	l3_changed = fm.l3_changed_calls;
	CHECK_EQ(pt_update_entry(T1, 3, 0, D1), -XEN_EINVAL);
	CHECK_EQ(pt_update_entry(T1, 3, ENT(H1, 0), D1), -XEN_EINVAL);
	CHECK_EQ(pt_update_entry(T1, 1, ENT(XEN_MFN, P), D1), -XEN_EPERM);
	CHECK_EQ(fm.l3_changed_calls, l3_changed);
	CHECK_EQ(pt_update_entry(T1, 1, ENT(B1, P), D1), 0);
	CHECK_EQ(fm.l3_changed_calls, l3_changed + 1);
	CHECK_EQ(fm.last_l3_changed, T1);
	CHECK_EQ(pt_update_entry(T1, 200, ENT(XEN_MFN, RW), D1), 0);
	CHECK_EQ(fm.mem[T1][200], ENT(XEN_MFN, RW));	/* ignored slot */
	CHECK_EQ(fm.l3_changed_calls, l3_changed + 2);
	check_machine();

	/* Slot 3 moves to a new L2: hypervisor slots move with it. */
	installs = fm.hyp_installs;
	CHECK_EQ(pt_update_entry(T1, 3, ENT(B1 + 10, P), D1), 0);
	CHECK_EQ(fm.hyp_installs, installs + 1);
	check_hyp_slots(B1 + 10, true);
	check_hyp_slots(H1, false);
	check_counts(H1, 1, 0);
	CHECK_EQ(fm.page[H1].type, PGT_NONE);
	check_counts(X1, 1, 0);	/* H1's L1 went with it */
	check_counts(F1, 1, 0);
	check_machine();
	CHECK_EQ(unpin(T1, D1), 0);
	check_all_idle();
	check_machine();
}

void test_update_moves_references(void)
{
	unsigned long dropped;

	fm_reset();
	fm.mem[X1][0] = ENT(F1, P);
	CHECK_EQ(pin(X1, 1, D1), 0);
	dropped = fm.dropped_calls;
	CHECK_EQ(pt_update_entry(X1, 0, ENT(G1, P), D1), 0);
	check_counts(F1, 1, 0);
	check_counts(G1, 2, 0);
	CHECK_EQ(fm.dropped_calls, dropped + 1);
	CHECK_EQ(pt_update_entry(X1, 0, ENT(G1, RW), D1), 0);
	check_counts(G1, 2, 1);
	CHECK_EQ(fm.page[G1].type, PGT_WRITABLE);
	CHECK_EQ(pt_update_entry(X1, 0, ENT(G1, P | PTE_USER), D1), 0);
	check_counts(G1, 2, 0);
	CHECK_EQ(pt_update_entry(X1, 0, ~PTE_PRESENT, D1), 0);
	check_counts(G1, 1, 0);
	CHECK_EQ(fm.mem[X1][0], ~PTE_PRESENT);
	check_machine();

	/* An L2 entry moves from one L1 to another: the old one goes. */
	fm.mem[A1][7] = ENT(Y1, RW);
	fm.mem[Y1][0] = ENT(F1, RW);
	CHECK_EQ(pin(A1, 2, D1), 0);
	check_counts(F1, 2, 1);
	CHECK_EQ(pt_update_entry(A1, 7, ENT(X1, RW), D1), 0);
	check_counts(Y1, 1, 0);
	CHECK_EQ(fm.page[Y1].type, PGT_NONE);
	check_counts(F1, 1, 0);
	check_counts(X1, 3, 2);
	check_machine();
	CHECK_EQ(unpin(A1, D1), 0);
	CHECK_EQ(unpin(X1, D1), 0);
	check_all_idle();
	check_machine();
}

/* Refused updates, some after validating deep below: nothing moves. */
void test_update_refused(void)
{
	static const struct {
		uint32_t table;
		unsigned int index;
		uint64_t val;
		int rc;
	} cases[] = {
		{ A1, 1, ENT(Y1, RW), -XEN_EPERM },	/* Y1 maps Xen */
		{ A1, 1, ENT(A1, RW), -XEN_EBUSY },
		{ A1, 1, ENT(T1, RW), -XEN_EBUSY },
		{ A1, 0, ENT(OTHER, RW), -XEN_EPERM },
		{ T1, 0, ENT(X1, P), -XEN_EBUSY },	/* X1 is an L1 */
		{ T1, 3, ENT(B1, P), -XEN_EPERM },	/* B1 -> Y1 -> Xen */
		{ X1, 4, ENT(A1, RW), -XEN_EBUSY },
		{ X1, 4, ENT(F1, P | PTE_GLOBAL), -XEN_EINVAL },
		{ X1, PT_ENTRIES, 0, -XEN_EINVAL },
		{ X1, 0xffffffffu, 0, -XEN_EINVAL },
		{ OTHER, 0, 0, -XEN_EPERM },
		{ XEN_MFN, 0, 0, -XEN_EPERM },
		{ IO_MFN, 0, 0, -XEN_EPERM },
		{ FREE_MFN, 0, 0, -XEN_EPERM },
		{ FM_FRAMES, 0, 0, -XEN_EPERM },
	};
	unsigned int i;

	fm_reset();
	fm.mem[T1][3] = ENT(H1, P);
	fm.mem[T1][0] = ENT(A1, P);
	fm.mem[A1][0] = ENT(X1, RW);
	fm.mem[X1][0] = ENT(F1, RW);
	fm.mem[Y1][0] = ENT(G1, RW);
	fm.mem[Y1][4] = ENT(XEN_MFN, P);
	fm.mem[B1][0] = ENT(Y1, RW);
	CHECK_EQ(pin(T1, 3, D1), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fm_op_begin();
		CHECK_EQ(pt_update_entry(cases[i].table, cases[i].index,
					 cases[i].val, D1), cases[i].rc);
		fm_check_unchanged();
		fm.tracking = false;
		CHECK_EQ(fm.violations, 0);
	}
	check_counts(G1, 1, 0);
	check_counts(Y1, 1, 0);
	check_machine();
	CHECK_EQ(unpin(T1, D1), 0);
	check_all_idle();
	check_machine();
}

void test_update_data(void)
{
	fm_reset();
	CHECK_EQ(pt_update_entry(F1, 7, ~0ull, D1), 0);	/* raw data */
	CHECK_EQ(fm.mem[F1][7], ~0ull);
	check_counts(F1, 1, 0);
	CHECK_EQ(pt_update_entry(F1, 8, ENT(XEN_MFN, RW), D1), 0);
	CHECK_EQ(pt_update_entry(F1, 7, 0, D2), -XEN_EPERM);
	CHECK_EQ(fm.mem[F1][7], ~0ull);
	/* A descriptor page is not written as data. */
	CHECK_EQ(pt_get_page_and_type(G1, PGT_SEG_DESC, D1), 0);
	CHECK_EQ(pt_update_entry(G1, 0, 1, D1), -XEN_EBUSY);
	CHECK_EQ(fm.mem[G1][0], 0);
	pt_put_page_and_type(G1);
	CHECK_EQ(pt_update_entry(G1, 0, 1, D1), 0);
	CHECK_EQ(fm.mem[G1][0], 1);
	check_machine();
	CHECK_EQ(pin(F1, 1, D1), -XEN_EINVAL);	/* slot 7 holds garbage */
	check_all_idle();
	check_machine();
}

void test_pin_unpin(void)
{
	fm_reset();
	CHECK_EQ(pin(X1, 0, D1), -XEN_EINVAL);
	CHECK_EQ(pin(X1, 4, D1), -XEN_EINVAL);
	CHECK_EQ(pin(OTHER, 1, D1), -XEN_EPERM);
	CHECK_EQ(pin(XEN_MFN, 1, D1), -XEN_EPERM);
	CHECK_EQ(pin(FM_FRAMES + 5, 1, D1), -XEN_EPERM);
	CHECK_EQ(unpin(X1, D1), -XEN_EINVAL);
	CHECK_EQ(unpin(FM_FRAMES, D1), -XEN_EPERM);
	CHECK_EQ(pin(X1, 1, D1), 0);
	CHECK_EQ(pin(X1, 1, D1), -XEN_EINVAL);
	CHECK_EQ(pin(X1, 2, D1), -XEN_EINVAL);
	CHECK_EQ(unpin(X1, D2), -XEN_EPERM);
	check_counts(X1, 2, 1);
	CHECK_EQ(unpin(X1, D1), 0);
	CHECK_EQ(unpin(X1, D1), -XEN_EINVAL);
	check_all_idle();

	/* Unpinning the top devalidates the whole tree. */
	build_tree();
	CHECK_EQ(pin(X1, 1, D1), 0);	/* X1 pinned too: it stays */
	CHECK_EQ(pin(T1, 3, D1), 0);
	check_counts(X1, 3, 2);
	check_machine();
	CHECK_EQ(unpin(T1, D1), 0);
	check_counts(X1, 2, 1);
	check_counts(F1, 2, 1);
	check_counts(H1, 1, 0);
	check_counts(Y1, 1, 0);
	check_counts(G1, 1, 0);
	check_hyp_slots(H1, false);
	check_machine();
	CHECK_EQ(unpin(X1, D1), 0);
	check_all_idle();
	check_machine();

	/* pt_relinquish drops a pin, and only a pin. */
	CHECK_EQ(pin(T1, 3, D1), 0);
	pt_relinquish(T1);
	pt_relinquish(T1);
	pt_relinquish(F1);
	pt_relinquish(FM_FRAMES);
	fm.model[T1].pin_type = PGT_NONE;
	check_all_idle();
	check_machine();
}

/* A table whose 5th entry is bad: the first four are let go again. */
void test_unwinding(void)
{
	static const uint64_t bad[] = {
		ENT(XEN_MFN, P), ENT(OTHER, RW), ENT(F1 + 4, P | PTE_GLOBAL),
		ENT(X1, RW), ENT(F1 + 4, P) | 1ull << 40,
	};
	unsigned int i, k;
	unsigned long dropped;

	fm_reset();
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		for (i = 0; i < 4; i++)
			fm.mem[X1][i] = ENT(F1 + i, i & 1 ? P : RW);
		fm.mem[X1][4] = bad[k];
		fm.mem[X1][5] = ENT(G1 + 20, RW);
		dropped = fm.dropped_calls;
		CHECK(pin(X1, 1, D1) < 0);
		for (i = 0; i < 4; i++)
			check_counts(F1 + i, 1, 0);
		check_counts(G1 + 20, 1, 0);
		check_counts(X1, 1, 0);
		CHECK_EQ(fm.page[X1].type, PGT_NONE);
		CHECK(fm.dropped_calls >= dropped);
		check_machine();
	}
	/* The same one level up: four good L1s, then a bad one. */
	memset(fm.mem[X1], 0, sizeof(fm.mem[X1]));
	for (i = 0; i < 4; i++) {
		fm.mem[A1][i] = ENT(X1 + 20 + i, RW);
		fm.mem[X1 + 20 + i][0] = ENT(F1, RW);
	}
	fm.mem[A1][4] = ENT(Y1, RW);
	fm.mem[Y1][300] = ENT(OTHER, P);
	CHECK_EQ(pin(A1, 2, D1), -XEN_EPERM);
	check_all_idle();
	check_machine();
	fm.mem[Y1][300] = 0;
	CHECK_EQ(pin(A1, 2, D1), 0);
	check_counts(F1, 5, 4);	/* writable four times over */
	check_counts(Y1, 2, 1);
	CHECK_EQ(unpin(A1, D1), 0);
	check_all_idle();
	check_machine();
}

/* The frame a guest gives back while it is still a table. */
void test_release_table(void)
{
	fm_reset();
	fm.mem[A1][0] = ENT(X1, RW);
	fm.mem[X1][0] = ENT(F1, RW);
	CHECK_EQ(pin(A1, 2, D1), 0);
	CHECK_EQ(pin(X1, 1, D1), 0);
	CHECK_EQ(fm_release(X1, 1), 0);
	check_counts(X1, 1, 1);	/* A1's entry holds it, still an L1 */
	CHECK_EQ(fm.free_calls, 0);
	CHECK_EQ(pt_update_entry(X1, 1, 0, D1), -XEN_EPERM);
	CHECK_EQ(pt_update_entry(A1, 1, ENT(X1, RW), D1), -XEN_EPERM);
	check_machine();
	CHECK_EQ(unpin(A1, D1), 0);
	CHECK_EQ(fm.free_calls, 1);
	CHECK_EQ(fm.model[X1].role, FM_ROLE_FREE);
	check_counts(F1, 1, 0);
	check_machine();
	fm_teardown();
	CHECK_EQ(fm.violations, 0);
}

void test_type_overflow(void)
{
	fm_reset();
	fm.mem[X1][0] = ENT(F1, RW);
	CHECK_EQ(pin(X1, 1, D1), 0);
	fm.page[F1].type_count = UINT32_MAX;
	CHECK_EQ(pt_update_entry(X1, 1, ENT(F1, RW), D1), -XEN_EOVERFLOW);
	CHECK_EQ(fm.page[F1].type_count, UINT32_MAX);
	CHECK_EQ(fm.page[F1].ref_count, 2);
	fm.page[F1].type_count = 1;
	check_machine();
}

/* The property test: random operations, every invariant after each. */
static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* Slots past the types: L2s holding linear entries, L2s mapped linearly. */
#define NR_COUNTED	(PGT_WRITABLE + 3)
#define LINEAR_HOLDERS	(PGT_WRITABLE + 1)
#define LINEAR_TARGETS	(PGT_WRITABLE + 2)

static void count_tables(unsigned long seen[NR_COUNTED],
			 unsigned long most[NR_COUNTED])
{
	unsigned long now[NR_COUNTED] = { 0 };
	uint32_t f;
	unsigned int t;

	for (f = 0; f < FM_FRAMES; f++) {
		if (fm.page[f].type_count)
			now[fm.page[f].type]++;
		if (fm.page[f].linear)
			now[fm.page[f].linear > 0 ? LINEAR_HOLDERS :
						    LINEAR_TARGETS]++;
	}
	for (t = 0; t < NR_COUNTED; t++) {
		seen[t] += now[t];
		if (now[t] > most[t])
			most[t] = now[t];
	}
}

void test_random(unsigned long nr_ops)
{
	static const char *const names[FM_NR_OPS] = {
		"update", "scrub", "pin", "unpin", "hold", "unhold",
		"release", "allocate", "relinquish"
	};
	unsigned long seen[NR_COUNTED] = { 0 };
	unsigned long most[NR_COUNTED] = { 0 };
	unsigned long n, before = fm.violations;
	unsigned int k;

	fm_reset();
	for (n = 0; n < nr_ops && fm.violations == before; n++) {
		uint64_t r = rng_next();
		uint8_t b[FM_OP_BYTES];

		memcpy(b, &r, sizeof(b));
		fm_apply(b);
		fm_check();
		count_tables(seen, most);
	}
	if (fm.violations != before)
		fprintf(stderr, "random: violation at operation %lu\n", n - 1);
	fm_teardown();
	CHECK_EQ(fm.violations, before);
	printf("random: %lu operations, %lu frees, %lu hyp installs\n",
	       n, fm.free_calls, fm.hyp_installs);
	for (k = 0; k < FM_NR_OPS; k++)
		printf("  %-10s %7lu ok %7lu refused\n", names[k], fm_op_ok[k],
		       fm_op_failed[k]);
	printf("  in use (mean/most): L1 %.1f/%lu L2 %.1f/%lu L2_HYP %.1f/%lu "
	       "L3 %.1f/%lu writable %.1f/%lu\n",
	       (double)seen[PGT_L1] / n, most[PGT_L1],
	       (double)seen[PGT_L2] / n, most[PGT_L2],
	       (double)seen[PGT_L2_HYP] / n, most[PGT_L2_HYP],
	       (double)seen[PGT_L3] / n, most[PGT_L3],
	       (double)seen[PGT_WRITABLE] / n, most[PGT_WRITABLE]);
	printf("  linear (mean/most): holders %.2f/%lu targets %.2f/%lu\n",
	       (double)seen[LINEAR_HOLDERS] / n, most[LINEAR_HOLDERS],
	       (double)seen[LINEAR_TARGETS] / n, most[LINEAR_TARGETS]);
	/* The run must have built real trees, not just been refused. */
	for (k = 0; k < FM_NR_OPS; k++)
		CHECK(fm_op_ok[k] > 0);
	CHECK(most[PGT_L3] >= 2 && most[PGT_L2_HYP] >= 2);
	CHECK(most[PGT_L2] >= 2 && most[PGT_L1] >= 4);
	CHECK(most[LINEAR_HOLDERS] >= 1 && most[LINEAR_TARGETS] >= 1);
	CHECK(fm.free_calls > 100);
}

/* Run one put in a child: it must stop the program (pt_env_broken). */
static bool put_stops(void (*put)(uint32_t), uint32_t mfn)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		fm.quiet = true;
		put(mfn);
		_exit(0);	/* the put returned: a broken count went on */
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

/* A put nobody's get matches stops instead of wrapping a count. */
void test_unbalanced_puts(void)
{
	fm_reset();
	CHECK(put_stops(pt_put_page, FREE_MFN));	/* no reference */
	CHECK(put_stops(pt_put_page, FM_FRAMES));	/* past the table */
	CHECK(put_stops(pt_put_type, F1));		/* no type held */
	CHECK(put_stops(pt_put_type, 0xffffffffu));
	/* The control: a put that matches a get returns. */
	CHECK(pt_get_page(F1, D1));
	CHECK(!put_stops(pt_put_page, F1));
	pt_put_page(F1);	/* the child's put did not reach this process */
	check_counts(F1, 1, 0);
	check_machine();
}
