/*
 * hcfuzz_grant.h - the hypercall fuzzer's grant_table_op builder
 * (domu/hcfuzz_grant.c), used by domu/hcfuzz.c.
 *
 * The fuzzer lends the builder its value mix (struct hcfuzz_mix): its
 * seeded generator, its argument area and its pickers of words, pointers,
 * frames, virtual addresses and entry addresses, with the frames it may
 * lose.  The builder keeps a grant table of the fuzzer's own, writes its
 * entries, and builds map, unmap, copy and transfer ops against it.
 *
 * Call hcfuzz_grant_setup() once, after the fuzzer's frames are known;
 * then hcfuzz_grant_build() for each grant_table_op (top: made on its own,
 * not inside a multicall) and, after a top call, hcfuzz_grant_tally(),
 * which counts the ops' GNTST_* statuses; hcfuzz_grant_report() prints
 * the counts once at the end.
 */
#ifndef XYLEM_DOMU_HCFUZZ_GRANT_H
#define XYLEM_DOMU_HCFUZZ_GRANT_H

#include <stdbool.h>
#include <stdint.h>

struct hcfuzz_mix {
	uint32_t (*rnd)(uint32_t n);		/* 0..n-1, seeded */
	uint32_t (*word)(void);			/* any argument word */
	uint32_t (*ptr)(void);			/* a pointer, good or bad */
	uint32_t (*mfn)(void);			/* mostly frames we may lose */
	uint32_t (*va)(void);			/* a mapping we may change */
	uint64_t (*entry_maddr)(void);		/* a table entry worth writing */
	uint32_t (*domid)(void);
	uint32_t (*count)(uint32_t max);	/* a batch size, mostly 1..max */
	uint32_t (*cmd)(uint32_t nvalid);	/* a sub-command, mostly valid */
	void *(*alloc)(uint32_t bytes);		/* from the RW argument area */
	/* Frames that may be written or lost: the victim pages, the
	 * read-only pages (never the argument pages a batch lives in), the
	 * page tables (typed). */
	const uint32_t *victim_mfn, *area_mfn, *pt_mfn;
	uint32_t nr_victim, nr_area, nr_pt;
	uint32_t shared_mfn;
	bool verbose;
};

/* Learn our domid and set up a table of 1 or 2 frames; 0 or -XEN_E*. */
int hcfuzz_grant_setup(const struct hcfuzz_mix *mix);
/* a[0] cmd, a[1] the ops, a[2] their count. */
void hcfuzz_grant_build(uint32_t a[3], bool top);
void hcfuzz_grant_tally(void);
void hcfuzz_grant_report(void);

#endif
