/*
 * report.h - the report page through which a test DomU hands its figures
 * to Dom0, and the DomU's side of it.
 *
 * Where: the last page of the DomU's initial region, the virtual page
 * just below the end of its boot region (the builder's v_end), which the
 * builder maps and nothing else uses (the region ends at least 512 KiB
 * past the bootstrap stack, bootlayout.h).  Dom0 finds the frame by
 * walking the DomU's page tables from its L3 (tests/kern/multidom.h),
 * maps it read-only, copies the record out once and validates the copy.
 *
 * Protocol: report_open() zeroes the page and writes the magic and kind;
 * the DomU then fills values and gaps between report_begin() (seq made
 * odd) and report_end() (seq made even again); report_finish() sets done.
 * A reader keeps a copy only with the magic, an even seq, a known kind and
 * nr_gaps <= REPORT_MAX_GAPS; everything else in it is the DomU's word
 * and is treated as such (a test checks the numbers it relies on).
 *
 * Meaning of value[] per kind:
 *   PINGPONG  0 round trips done, 1 TSC cycles over them, 2 role (0 = a, 1 = b)
 *   LATENCY   0 samples, 1 sum of lateness ns, 2 max lateness ns, 3 min,
 *             4 median (the lower middle sample)
 *   YIELD     0 yields, 1 TSC cycles over them, 2 TSC cycles per us
 *             gap[] = (leave, arrive) TSC pairs around yields after which
 *             more than the threshold had passed (another domain ran)
 *   WORK      0 iterations done
 */
#ifndef XYLEM_DOMU_REPORT_H
#define XYLEM_DOMU_REPORT_H

#include <stdint.h>

#define REPORT_MAGIC		0x5452504Bu	/* "KPRT" */
#define REPORT_MAX_VALUES	8
#define REPORT_MAX_GAPS		200
#define REPORT_PAGE_SIZE	4096u

enum report_kind {
	REPORT_PINGPONG = 1,
	REPORT_LATENCY,
	REPORT_YIELD,
	REPORT_WORK,
	REPORT_KIND_MAX = REPORT_WORK,
};

struct report_gap {
	uint64_t leave, arrive;
};

struct report {
	uint32_t magic;
	uint32_t seq;
	uint32_t kind;
	uint32_t done;
	uint64_t value[REPORT_MAX_VALUES];
	uint32_t nr_gaps;
	uint32_t pad;
	struct report_gap gap[REPORT_MAX_GAPS];
};

_Static_assert(sizeof(struct report) <= REPORT_PAGE_SIZE, "one page");

/* DomU side (mm_init() first).  NULL when the page cannot be found. */
struct report *report_open(enum report_kind kind);
void report_begin(struct report *r);
void report_end(struct report *r);
void report_finish(struct report *r);

#endif
