/*
 * burn.c - a CPU-bound DomU: it never enables event delivery (the vCPU's
 * upcall mask stays as the builder left it, set) and never yields or
 * blocks, so only the hypervisor's tick can take the CPU from it.
 *
 * Command-line words:
 *   work=N   stop after N million loop iterations: write a WORK report
 *            (domu/report.h) with the count and power off; without it,
 *            spin until destroyed.
 */
#include "guest.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "options.h"
#include "report.h"

static void do_work(unsigned long millions)
{
	volatile uint32_t sink = 0;
	struct report *r = NULL;
	uint64_t i, n = (uint64_t)millions * 1000000u;

	if (!mm_init())
		r = report_open(REPORT_WORK);
	if (!r) {
		printf("burn: no report page\n");
		guest_shutdown(SHUTDOWN_crash);
		return;
	}
	for (i = 0; i < n; i++)
		sink += (uint32_t)i;
	report_begin(r);
	r->value[0] = i;
	report_end(r);
	report_finish(r);
	printf("burn: %lu million iterations done, powering off\n", millions);
}

void kernel_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	unsigned long work = opt_number(cmd, "work", 0);

	if (work) {
		printf("burn: working through %lu million iterations\n", work);
		do_work(work);
		return;
	}
	printf("burn: spinning with events masked until destroyed\n");
	for (;;)
		asm volatile("pause");
}
