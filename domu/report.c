/*
 * report.c - the DomU's side of the report page.  See report.h.
 */
#include "report.h"
#include "guest.h"
#include "lib.h"
#include "mm.h"

struct report *report_open(enum report_kind kind)
{
	uint32_t end = mm_boot_region_end();
	struct report *r;

	if (end < 2 * REPORT_PAGE_SIZE) {
		printf("report: no boot region end (%#x)\n", end);
		return NULL;
	}
	r = (struct report *)(end - REPORT_PAGE_SIZE);
	memset(r, 0, REPORT_PAGE_SIZE);
	r->kind = kind;
	barrier();
	r->magic = REPORT_MAGIC;
	return r;
}

void report_begin(struct report *r)
{
	r->seq++;
	barrier();
}

void report_end(struct report *r)
{
	barrier();
	r->seq++;
}

void report_finish(struct report *r)
{
	report_begin(r);
	r->done = 1;
	report_end(r);
}
