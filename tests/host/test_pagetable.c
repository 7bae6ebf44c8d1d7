/*
 * test_pagetable.c - host unit tests for hyp/pagetable.c, the frame-type
 * and reference rules and the validation of guest PAE page-table entries.
 *
 * Runs against the fake machine of fake_machine.h and fake_machine_ops.h:
 * 256 frames, two of the hypervisor (0, 1), two I/O frames (2, 3), four
 * free ones (4..7), domain 1 owning 8..131 (no I/O), domain 2 owning
 * 132..255 (may map I/O).  Each test builds tables by writing raw
 * entries into fm.mem, pins or updates through pagetable.c's interface,
 * checks the result and the counts it names, and ends with fm_check(),
 * which recomputes every count from the model and the validated tables
 * and checks the rules of pagetable.h.
 * The environment itself fails the run on a double free, a free of a
 * referenced frame or unbalanced maps.  Last comes a property test of
 * 200,000 random operations with a fixed seed, checked after every one.
 *
 * This file holds the helpers and the tests of references, entries and
 * types (L1, L2, linear L2 entries, L3); the tests of updates, pins,
 * unwinding and the property test are in test_pagetable_ops.c, behind
 * test_pagetable.h.
 *
 * Run: make build/host/test_pagetable && build/host/test_pagetable [OPS]
 * (OPS: how many random operations, 200000 by default).
 */
#include <stdlib.h>

#include "check.h"
#include "test_pagetable.h"

static const uint8_t by_level[4] = { PGT_NONE, PGT_L1, PGT_L2, PGT_L3 };

/* Pin and unpin, keeping the model in step. */
int pin(uint32_t mfn, unsigned int level, const struct pt_domain *d)
{
	int rc = pt_pin(mfn, level, d);

	CHECK(rc || (mfn < FM_FRAMES && level >= 1 && level <= 3));
	if (!rc && mfn < FM_FRAMES && level >= 1 && level <= 3)
		fm.model[mfn].pin_type = by_level[level];
	return rc;
}

int unpin(uint32_t mfn, const struct pt_domain *d)
{
	int rc = pt_unpin(mfn, d);

	CHECK(rc || mfn < FM_FRAMES);
	if (!rc && mfn < FM_FRAMES)
		fm.model[mfn].pin_type = PGT_NONE;
	return rc;
}

void check_counts(uint32_t mfn, uint32_t ref, uint32_t type_count)
{
	CHECK_EQ(fm.page[mfn].ref_count, ref);
	CHECK_EQ(fm.page[mfn].type_count, type_count);
}

/* Every frame back to "allocated only" (or as fm_reset set it). */
void check_all_idle(void)
{
	uint32_t f;
	unsigned long bad = 0;

	for (f = 0; f < FM_FRAMES; f++)
		if (fm.model[f].role == FM_ROLE_GUEST &&
		    (fm.page[f].ref_count != 1 || fm.page[f].type_count ||
		     fm.page[f].flags))
			bad++;
	CHECK_EQ(bad, 0);
}

void check_machine(void)
{
	CHECK_EQ(fm_check(), 0);
	CHECK_EQ(fm.maps, 0);
}

static void test_get_put_page(void)
{
	fm_reset();
	CHECK(pt_get_page(F1, D1));
	check_counts(F1, 2, 0);
	pt_put_page(F1);
	check_counts(F1, 1, 0);
	CHECK(!pt_get_page(OTHER, D1));
	CHECK(!pt_get_page(XEN_MFN, D1));
	CHECK(!pt_get_page(IO_MFN, D1));
	CHECK(!pt_get_page(FM_FRAMES, D1));
	CHECK(!pt_get_page(0xffffffffu, D1));
	fm.page[FREE_MFN].owner = 1;	/* owner right, but not allocated */
	CHECK(!pt_get_page(FREE_MFN, D1));
	fm.page[FREE_MFN].owner = DOMID_INVALID;
	check_counts(OTHER, 1, 0);
	check_counts(XEN_MFN, 1, 0);
	check_counts(FREE_MFN, 0, 0);
	fm.page[G1].ref_count = UINT32_MAX;	/* the count would wrap */
	CHECK(!pt_get_page(G1, D1));
	CHECK(pt_get_page_and_type(G1, PGT_WRITABLE, D1) < 0);
	CHECK_EQ(fm.page[G1].ref_count, UINT32_MAX);
	CHECK_EQ(fm.page[G1].type_count, 0);
	fm.page[G1].ref_count = 1;
	check_machine();

	/* Freed exactly when the last reference goes, and only once. */
	CHECK(pt_get_page(F1, D1));
	CHECK_EQ(fm_release(F1, 1), 0);
	CHECK_EQ(fm.free_calls, 0);
	check_counts(F1, 1, 0);
	pt_put_page(F1);
	CHECK_EQ(fm.free_calls, 1);
	CHECK_EQ(fm.model[F1].frees, 1);
	CHECK_EQ(fm.model[F1].role, FM_ROLE_FREE);
	CHECK_EQ(fm.violations, 0);
	check_machine();
}

/* Freed when the last mapping of a given-back frame goes. */
static void test_free_at_last_mapping(void)
{
	fm_reset();
	fm.mem[X1][0] = ENT(F1, RW);
	fm.mem[X1][1] = ENT(F1, P);
	CHECK_EQ(pin(X1, 1, D1), 0);
	check_counts(F1, 3, 1);
	CHECK_EQ(fm_release(F1, 1), 0);
	check_counts(F1, 2, 1);
	CHECK_EQ(pt_update_entry(X1, 0, 0, D1), 0);
	CHECK_EQ(fm.free_calls, 0);
	check_machine();
	CHECK_EQ(pt_update_entry(X1, 1, ENT(G1, P), D1), 0);
	CHECK_EQ(fm.free_calls, 1);
	CHECK_EQ(fm.model[F1].role, FM_ROLE_FREE);
	/* A given-back frame cannot be mapped again. */
	CHECK_EQ(pt_update_entry(X1, 2, ENT(F1, P), D1), -XEN_EPERM);
	check_machine();
	CHECK_EQ(unpin(X1, D1), 0);
	check_machine();
}

/* Pin X1 as an L1 whose slot 5 is e (on d's behalf); unpin if it worked. */
static int pin_l1_with(uint32_t l1, uint64_t e, const struct pt_domain *d)
{
	int rc;

	fm.mem[l1][5] = e;
	rc = pin(l1, 1, d);
	check_machine();
	if (!rc)
		CHECK_EQ(unpin(l1, d), 0);
	check_machine();
	fm.mem[l1][5] = 0;
	return rc;
}

static void test_l1_entries(void)
{
	fm_reset();
	fm.mem[X1][0] = ENT(F1, RW | PTE_USER);
	fm.mem[X1][1] = ENT(G1, P | PTE_USER);
	CHECK_EQ(pin(X1, 1, D1), 0);
	check_counts(F1, 2, 1);
	CHECK_EQ(fm.page[F1].type, PGT_WRITABLE);
	check_counts(G1, 2, 0);
	check_counts(X1, 2, 1);
	CHECK_EQ(fm.page[X1].type, PGT_L1);
	check_machine();
	CHECK_EQ(unpin(X1, D1), 0);
	check_all_idle();
	check_machine();

	CHECK_EQ(pin_l1_with(X1, ENT(OTHER, RW), D1), -XEN_EPERM);
	CHECK_EQ(pin_l1_with(X1, ENT(OTHER, P), D1), -XEN_EPERM);
	CHECK_EQ(pin_l1_with(X1, ENT(XEN_MFN, P), D1), -XEN_EPERM);
	CHECK_EQ(pin_l1_with(X1, ENT(FREE_MFN, P), D1), -XEN_EPERM);
	CHECK_EQ(pin_l1_with(X1, ENT(IO_MFN, RW), D1), -XEN_EPERM);
	CHECK_EQ(pin_l1_with(X1, ENT(0x1000, RW), D1), -XEN_EPERM);
	CHECK_EQ(pin_l1_with(OTHER, ENT(IO_MFN, RW), D2), 0);
	CHECK_EQ(pin_l1_with(OTHER, ENT(0x1000, RW), D2), 0);
	/* The hypervisor's own I/O frame: refused even with I/O access. */
	CHECK_EQ(pin_l1_with(OTHER, ENT(FM_IO_RESERVED, RW), D2), -XEN_EPERM);
	CHECK_EQ(pin_l1_with(OTHER, ENT(FM_IO_RESERVED, P), D2), -XEN_EPERM);
	CHECK_EQ(pin_l1_with(OTHER, ENT(0xffffff, P), D2), 0);
	CHECK_EQ(pin_l1_with(OTHER, ENT(F1, P), D2), -XEN_EPERM);
	CHECK_EQ(fm.page[IO_MFN].ref_count, 1);

	CHECK_EQ(pin_l1_with(X1, ENT(F1, RW | PTE_GLOBAL), D1), -XEN_EINVAL);
	CHECK_EQ(pin_l1_with(X1, ENT(F1, P) | 1ull << 36, D1), -XEN_EINVAL);
	CHECK_EQ(pin_l1_with(X1, ENT(F1, P) | 1ull << 51, D1), -XEN_EINVAL);
	CHECK_EQ(pin_l1_with(X1, ENT(F1, P) | 1ull << 62, D1), -XEN_EINVAL);
	CHECK_EQ(pin_l1_with(X1, ENT(F1, P) | 1ull << 63, D1), -XEN_EINVAL);
	/* NX only once the hypervisor has turned EFER.NXE on. */
	pt_allow_nx(true);	/* (the fake machine's model knows no NX) */
	fm.mem[X1][5] = ENT(F1, P) | PTE_NX;
	CHECK_EQ(pin(X1, 1, D1), 0);
	CHECK_EQ(unpin(X1, D1), 0);
	fm.mem[X1][5] = 0;
	pt_allow_nx(false);
	CHECK_EQ(pin_l1_with(X1, ENT(F1, P) | PTE_NX, D1), -XEN_EINVAL);
	CHECK_EQ(pin_l1_with(X1, ENT(F1, RW | PTE_PSE | PTE_PCD | PTE_PWT |
					 PTE_AVAIL | PTE_ACCESSED | PTE_DIRTY),
			     D1), 0);
	/* Not present: whatever else the entry says is ignored. */
	CHECK_EQ(pin_l1_with(X1, ~PTE_PRESENT, D1), 0);
	CHECK_EQ(pin_l1_with(X1, ENT(XEN_MFN, PTE_RW), D1), 0);
	CHECK_EQ(fm.violations, 0);
	check_all_idle();
}

static void test_type_conflicts(void)
{
	unsigned int level;
	unsigned long changing;

	fm_reset();
	fm.mem[X1][0] = ENT(F1, RW);
	CHECK_EQ(pin(X1, 1, D1), 0);
	for (level = 1; level <= 3; level++)
		CHECK_EQ(pin(F1, level, D1), -XEN_EBUSY);
	fm.mem[F1][3] = ENT(A1, P);	/* would be a valid L3 */
	CHECK_EQ(pin(F1, 3, D1), -XEN_EBUSY);
	check_counts(F1, 2, 1);
	CHECK_EQ(pt_update_entry(X1, 0, 0, D1), 0);
	changing = fm.type_changing_calls;
	CHECK_EQ(pin(F1, 1, D1), 0);	/* now it can be a table */
	CHECK_EQ(fm.type_changing_calls, changing + 1);
	CHECK_EQ(fm.last_type_changing, F1);
	check_machine();

	/* A pinned L1 can be mapped read-only, not writable. */
	CHECK_EQ(pt_update_entry(X1, 1, ENT(F1, RW), D1), -XEN_EBUSY);
	CHECK_EQ(fm.mem[X1][1], 0);
	CHECK_EQ(pt_update_entry(X1, 1, ENT(F1, P), D1), 0);
	check_counts(F1, 3, 1);
	/* Nor can an L1 map itself writable, by pin or by update. */
	CHECK_EQ(pt_update_entry(X1, 2, ENT(X1, RW), D1), -XEN_EBUSY);
	CHECK_EQ(pt_update_entry(X1, 2, ENT(X1, P), D1), 0);
	check_machine();
	fm.mem[Y1][7] = ENT(Y1, RW);
	CHECK_EQ(pin(Y1, 1, D1), -XEN_EBUSY);
	check_counts(Y1, 1, 0);
	CHECK_EQ(fm.page[Y1].type, PGT_NONE);
	fm.mem[Y1][7] = ENT(Y1, P);
	CHECK_EQ(pin(Y1, 1, D1), 0);
	check_counts(Y1, 3, 1);
	check_machine();
	CHECK_EQ(unpin(Y1, D1), 0);
	CHECK_EQ(unpin(F1, D1), 0);
	CHECK_EQ(unpin(X1, D1), 0);
	check_all_idle();
	check_machine();
}

/* Becoming writable again is no type change; writable -> table is. */
static void test_type_changing(void)
{
	unsigned long changing;

	fm_reset();
	CHECK_EQ(pin(X1, 1, D1), 0);
	changing = fm.type_changing_calls;
	CHECK_EQ(pt_update_entry(X1, 3, ENT(Y1, RW), D1), 0);
	CHECK_EQ(pt_update_entry(X1, 3, 0, D1), 0);
	CHECK_EQ(pt_update_entry(X1, 3, ENT(Y1, RW), D1), 0);
	CHECK_EQ(fm.type_changing_calls, changing);
	CHECK_EQ(pt_update_entry(X1, 3, 0, D1), 0);
	CHECK_EQ(pin(Y1, 2, D1), 0);	/* writable -> L2: a change */
	CHECK_EQ(fm.type_changing_calls, changing + 1);
	CHECK_EQ(fm.last_type_changing, Y1);
	check_machine();
	CHECK_EQ(pt_update_entry(X1, 3, ENT(Y1, RW), D1), -XEN_EBUSY);
	CHECK_EQ(unpin(Y1, D1), 0);
	CHECK_EQ(unpin(X1, D1), 0);
	check_all_idle();
	check_machine();
}

static void test_l2(void)
{
	fm_reset();
	fm.mem[A1][0] = ENT(X1, RW | PTE_USER | PTE_PSE);
	CHECK_EQ(pin(A1, 2, D1), -XEN_EINVAL);
	fm.mem[A1][0] = ENT(X1, RW | PTE_GLOBAL);
	CHECK_EQ(pin(A1, 2, D1), -XEN_EINVAL);
	fm.mem[A1][0] = ENT(X1, RW | PTE_USER | PTE_ACCESSED);
	/* A plain L2: every slot is the guest's. */
	fm.mem[A1][511] = ENT(X1, P);
	fm.mem[X1][9] = ENT(F1, RW);
	fm.mem[X1][10] = ENT(G1, P);
	CHECK_EQ(pin(A1, 2, D1), 0);
	check_counts(A1, 2, 1);
	check_counts(X1, 3, 2);
	CHECK_EQ(fm.page[X1].type, PGT_L1);
	check_counts(F1, 2, 1);	/* X1 was validated on the way */
	check_counts(G1, 2, 0);
	check_machine();
	CHECK_EQ(unpin(A1, D1), 0);
	check_all_idle();
	check_machine();

	/* A bad L1 below: the L2 is refused and nothing stays counted. */
	fm.mem[X1][10] = ENT(XEN_MFN, P);
	CHECK_EQ(pin(A1, 2, D1), -XEN_EPERM);
	check_all_idle();
	fm.mem[X1][10] = ENT(OTHER, RW);
	CHECK_EQ(pin(A1, 2, D1), -XEN_EPERM);
	check_all_idle();
	fm.mem[X1][10] = 0;
	check_machine();
}


/*
 * Linear tables (pagetable.c's top comment): an L2 entry to its own L2,
 * read-only, holds nothing; never writable, never in an L2_HYP.
 */
static void test_l2_linear_self(void)
{
	fm_reset();
	fm.mem[A1][4] = ENT(A1, RW);
	CHECK_EQ(pin(A1, 2, D1), -XEN_EBUSY);
	check_all_idle();
	fm.mem[A1][4] = ENT(A1, P | PTE_USER | PTE_ACCESSED);
	fm.mem[A1][5] = ENT(X1, RW);
	CHECK_EQ(pin(A1, 2, D1), 0);
	check_counts(A1, 2, 1);		/* the self entry holds nothing */
	check_counts(X1, 2, 1);
	CHECK_EQ(fm.page[A1].linear, 0);
	CHECK_EQ(pt_update_entry(A1, 6, ENT(A1, P), D1), 0);
	CHECK_EQ(pt_update_entry(A1, 6, ENT(A1, RW), D1), -XEN_EBUSY);
	CHECK_EQ(pt_update_entry(A1, 6, ENT(A1, P | PTE_PSE), D1),
		 -XEN_EINVAL);
	CHECK_EQ(fm.mem[A1][6], ENT(A1, P));
	CHECK_EQ(pt_update_entry(A1, 6, 0, D1), 0);
	check_counts(A1, 2, 1);
	check_machine();
	CHECK_EQ(unpin(A1, D1), 0);
	check_all_idle();
	check_machine();

	/* The L2 in L3 slot 3 neither maps itself nor is mapped linearly. */
	build_tree();
	fm.mem[H1][7] = ENT(H1, P);
	CHECK_EQ(pin(T1, 3, D1), -XEN_EBUSY);
	check_all_idle();
	fm.mem[H1][7] = 0;
	CHECK_EQ(pin(T1, 3, D1), 0);
	CHECK_EQ(pt_update_entry(H1, 7, ENT(H1, P), D1), -XEN_EBUSY);
	CHECK_EQ(pt_update_entry(A1, 7, ENT(H1, P), D1), -XEN_EBUSY);
	/* It may map a plain L2 in use (A1, from slot 0) linearly. */
	CHECK_EQ(pt_update_entry(H1, 7, ENT(A1, P), D1), 0);
	check_counts(A1, 3, 2);
	CHECK_EQ(fm.page[H1].linear, 1);
	CHECK_EQ(fm.page[A1].linear, -1);
	check_machine();
	CHECK_EQ(unpin(T1, D1), 0);	/* H1 goes, and with it A1's use */
	check_all_idle();
	CHECK_EQ(fm.page[A1].linear, 0);
	CHECK_EQ(fm.page[H1].linear, 0);
	check_machine();
}

#define C1	(FM_DOM1_FIRST + 6)	/* more L2s, and a second L3 */
#define E1	(FM_DOM1_FIRST + 7)
#define T2	(FM_DOM1_FIRST + 8)
#define L2_FRESH (FM_DOM1_FIRST + 9)

/*
 * NetBSD's layout: an L3 whose slot-2 L2 (C1) maps the L2s of slots 0, 1
 * and itself read-only at its entries 508-510, and later a fourth L2.
 */
static void build_netbsd_tree(void)
{
	fm.mem[T2][0] = ENT(A1, P);
	fm.mem[T2][1] = ENT(B1, P);
	fm.mem[T2][2] = ENT(C1, P);
	fm.mem[T2][3] = ENT(H1, P);
	fm.mem[A1][0] = ENT(X1, RW);
	fm.mem[C1][0] = ENT(Y1, RW);
	fm.mem[C1][508] = ENT(A1, P);
	fm.mem[C1][509] = ENT(B1, P);
	fm.mem[C1][510] = ENT(C1, P);
}

static void test_l2_linear_others(void)
{
	fm_reset();
	build_netbsd_tree();
	CHECK_EQ(pin(T2, 3, D1), 0);
	check_counts(A1, 3, 2);		/* T2 and C1's linear entry */
	check_counts(B1, 3, 2);
	check_counts(C1, 2, 1);		/* T2 only: its self entry */
	CHECK_EQ(fm.page[C1].linear, 2);
	CHECK_EQ(fm.page[A1].linear, -1);
	CHECK_EQ(fm.page[B1].linear, -1);
	check_machine();

	/* A fourth L2, pinned, joins through mmu_update. */
	CHECK_EQ(pin(E1, 2, D1), 0);
	CHECK_EQ(pt_update_entry(C1, 511, ENT(E1, RW), D1), -XEN_EBUSY);
	CHECK_EQ(pt_update_entry(C1, 511, ENT(E1, P), D1), 0);
	check_counts(E1, 3, 2);
	CHECK_EQ(fm.page[C1].linear, 3);

	/* XSA-240: no L2 at both ends of linear entries. */
	CHECK_EQ(pt_update_entry(E1, 9, ENT(C1, P), D1), -XEN_EBUSY);
	CHECK_EQ(pt_update_entry(A1, 9, ENT(B1, P), D1), -XEN_EBUSY);
	CHECK_EQ(pt_update_entry(A1, 9, ENT(A1, P), D1), 0);	/* self: fine */
	CHECK_EQ(pt_update_entry(A1, 9, 0, D1), 0);
	CHECK_EQ(pin(L2_FRESH, 2, D1), 0);		/* no linear entries */
	CHECK_EQ(pt_update_entry(L2_FRESH, 9, ENT(C1, P), D1), -XEN_EBUSY);
	CHECK_EQ(pt_update_entry(L2_FRESH, 9, ENT(E1, P), D1), 0);
	CHECK_EQ(pt_update_entry(L2_FRESH, 9, 0, D1), 0);
	CHECK_EQ(unpin(L2_FRESH, D1), 0);
	/* Counts that would overflow are refused, leaving all as it was. */
	fm.page[C1].linear = INT16_MAX;
	CHECK_EQ(pt_update_entry(C1, 100, ENT(A1, P), D1), -XEN_EBUSY);
	fm.page[C1].linear = 3;
	fm.page[B1].linear = INT16_MIN;
	CHECK_EQ(pt_update_entry(C1, 100, ENT(B1, P), D1), -XEN_EBUSY);
	fm.page[B1].linear = -1;
	CHECK_EQ(fm.mem[C1][100], 0);
	/* Another domain's L2 is refused before any linear rule. */
	CHECK_EQ(pt_update_entry(C1, 100, ENT(OTHER, P), D1), -XEN_EPERM);
	check_machine();

	/* The L3 goes: C1 gives back A1, B1 and E1; E1 stays pinned. */
	CHECK_EQ(unpin(T2, D1), 0);
	check_counts(E1, 2, 1);
	CHECK_EQ(fm.page[E1].linear, 0);
	CHECK_EQ(fm.page[C1].linear, 0);
	check_machine();
	CHECK_EQ(unpin(E1, D1), 0);
	check_all_idle();
	check_machine();
}

/*
 * A linear entry needs an L2 already in use: one to a frame not yet a
 * table takes it as an L1 (as on Xen), so C1 in slot 0 naming A1 of slot
 * 1 makes A1 an L1 and the L3 is refused, leaving nothing held.
 */
static void test_l2_linear_order(void)
{
	fm_reset();
	build_netbsd_tree();
	fm.mem[T2][0] = ENT(C1, P);
	fm.mem[T2][2] = ENT(A1, P);
	fm.mem[C1][508] = ENT(B1, P);
	fm.mem[C1][509] = ENT(A1, P);
	CHECK_EQ(pin(T2, 3, D1), -XEN_EBUSY);
	check_all_idle();
	CHECK_EQ(fm.page[C1].linear, 0);
	check_machine();
}

/* T1: slot 3 -> H1, slot 0 -> A1; H1 slot 0 -> X1; A1 slot 0 -> Y1. */
void build_tree(void)
{
	fm.mem[T1][3] = ENT(H1, P);
	fm.mem[T1][0] = ENT(A1, P | PTE_PWT | PTE_PCD);
	fm.mem[H1][0] = ENT(X1, RW | PTE_USER);
	fm.mem[A1][0] = ENT(Y1, RW);
	fm.mem[X1][0] = ENT(F1, RW);
	fm.mem[Y1][1] = ENT(G1, P);
}

void check_hyp_slots(uint32_t l2, bool installed)
{
	unsigned int i, bad = 0;

	for (i = PT_HYP_FIRST_SLOT; i < PT_ENTRIES; i++)
		if (fm.mem[l2][i] != (installed ? fm_hyp_entry(i) : 0))
			bad++;
	CHECK_EQ(bad, 0);
}

static void test_l3(void)
{
	unsigned int i;

	fm_reset();
	fm.mem[T1][0] = ENT(A1, P);
	CHECK_EQ(pin(T1, 3, D1), -XEN_EINVAL);	/* no slot 3 */
	check_all_idle();
	build_tree();
	fm.mem[H1][PT_HYP_FIRST_SLOT] = ENT(XEN_MFN, RW); /* overwritten */
	for (i = PT_L3_GUEST_SLOTS; i < PT_ENTRIES; i++)
		fm.mem[T1][i] = ENT(XEN_MFN, RW | PTE_USER | PTE_PSE);
	CHECK_EQ(pin(T1, 3, D1), 0);
	CHECK_EQ(fm.page[H1].type, PGT_L2_HYP);
	check_counts(H1, 2, 1);
	CHECK_EQ(fm.page[A1].type, PGT_L2);
	check_counts(A1, 2, 1);
	check_counts(X1, 2, 1);
	check_counts(Y1, 2, 1);
	check_hyp_slots(H1, true);
	CHECK_EQ(fm.hyp_installs, 1);
	check_machine();
	CHECK_EQ(unpin(T1, D1), 0);
	check_all_idle();
	check_hyp_slots(H1, false);
	check_machine();
	for (i = PT_L3_GUEST_SLOTS; i < PT_ENTRIES; i++)
		fm.mem[T1][i] = 0;

	/* One L2 in slot 3 and in a lower slot: refused either way round. */
	fm.mem[T1][1] = ENT(H1, P);
	CHECK_EQ(pin(T1, 3, D1), -XEN_EBUSY);
	check_all_idle();
	fm.mem[T1][1] = 0;
	fm.mem[T1][2] = ENT(A1, P);	/* the same plain L2 twice is fine */
	CHECK_EQ(pin(T1, 3, D1), 0);
	check_counts(A1, 3, 2);
	CHECK_EQ(pt_update_entry(T1, 1, ENT(H1, P), D1), -XEN_EBUSY);
	CHECK_EQ(pt_update_entry(T1, 3, ENT(A1, P), D1), -XEN_EBUSY);
	check_machine();
	CHECK_EQ(unpin(T1, D1), 0);
	check_all_idle();
	check_machine();
}

/*
 * L3 entries allow P, RW, US, A, D (as Xen allows a 32-bit PV guest; the
 * CPU's PDPT copy drops them), PWT, PCD and the available bits; PSE and
 * G are refused, and the hypervisor slot must be present.
 */
static void test_l3_bits(void)
{
	static const uint64_t good[] = { RW, P | PTE_USER, P | PTE_ACCESSED,
					 P | PTE_DIRTY, P | PTE_AVAIL };
	static const uint64_t bad[] = { P | PTE_PSE, P | PTE_GLOBAL };
	unsigned int i;

	fm_reset();
	fm.mem[T1][3] = ENT(H1, P);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		fm.mem[T1][0] = ENT(A1, good[i]);
		CHECK_EQ(pin(T1, 3, D1), 0);
		CHECK_EQ(unpin(T1, D1), 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fm.mem[T1][0] = ENT(A1, bad[i]);
		CHECK_EQ(pin(T1, 3, D1), -XEN_EINVAL);
	}
	fm.mem[T1][0] = ENT(A1, P | PTE_AVAIL);
	fm.mem[T1][3] = ENT(H1, RW & ~PTE_PRESENT);
	CHECK_EQ(pin(T1, 3, D1), -XEN_EINVAL);
	check_all_idle();
	fm.mem[T1][3] = ENT(H1, P);
	/* A bad L2_HYP: the hypervisor's slots are not installed. */
	fm.mem[H1][5] = ENT(X1, P | PTE_PSE);
	CHECK_EQ(pin(T1, 3, D1), -XEN_EINVAL);
	CHECK_EQ(fm.mem[H1][PT_HYP_FIRST_SLOT], 0);
	check_all_idle();
	check_machine();
}

int main(int argc, char **argv)
{
	unsigned long nr_ops = 200000;

	if (argc > 1)
		nr_ops = strtoul(argv[1], NULL, 0);
	test_get_put_page();
	test_free_at_last_mapping();
	test_l1_entries();
	test_type_conflicts();
	test_type_changing();
	test_l2();
	test_l2_linear_self();
	test_l2_linear_others();
	test_l2_linear_order();
	test_l3();
	test_l3_bits();
	test_update_l3();
	test_update_moves_references();
	test_update_refused();
	test_update_data();
	test_pin_unpin();
	test_unwinding();
	test_release_table();
	test_type_overflow();
	test_unbalanced_puts();
	CHECK_EQ(fm.violations, 0);
	test_random(nr_ops);
	return check_done();
}
