/*
 * test_console_giveup.c - Linux as Dom0 zeroes start_info's
 * console.domU.mfn and hands the ring page to its allocator, so the page
 * soon holds other data.  The hypervisor must then stop serving the ring:
 * not print the page, not write out_cons into it.
 *
 * First a line goes through the ring and must be consumed (out_cons
 * catches up after a hypercall).  Then console.domU.mfn = 0, and the page
 * is filled with text that reads like ring output (containing "FAILURE",
 * so a hypervisor that printed it fails the run through the log too) and
 * indices that differ; after hypercalls the page must be unchanged byte
 * for byte.  Restoring console.domU.mfn must not bring the ring back.
 */
#include "ktest.h"
#include "mm.h"
#include <public/console.h>

#define DRAIN_CHANCES	4

static const char served[] = "console giveup: a line through the ring\n";
static const char bait[] = "console giveup FAILURE: a page given up was served\n";
static uint8_t snapshot[MM_PAGE_SIZE];

/* Put s in the ring as a producer does; nothing may be pending. */
static void ring_write(volatile struct xencons_interface *ring, const char *s,
		       uint32_t n)
{
	uint32_t prod = ring->out_prod, i;

	for (i = 0; i < n; i++)
		ring->out[(prod + i) % sizeof(ring->out)] = s[i];
	barrier();	/* x86 keeps stores in order */
	ring->out_prod = prod + n;
}

static void hypercalls(void)
{
	unsigned int i;

	for (i = 0; i < DRAIN_CHANCES; i++)
		HYPERVISOR_xen_version(0, NULL);
}

/* Something a reused page could hold: bait text, indices that differ. */
static void fill_reused(volatile struct xencons_interface *ring)
{
	uint8_t *p = (uint8_t *)ring;
	uint32_t i;

	for (i = 0; i < MM_PAGE_SIZE; i++)
		p[i] = (uint8_t)(0xa5 ^ i);
	for (i = 0; i < sizeof(ring->out); i++)
		ring->out[i] = bait[i % (sizeof(bait) - 1)];
	ring->out_cons = 0x100;
	ring->out_prod = 0x100 + 3 * (sizeof(bait) - 1);
}

static bool page_unchanged(const volatile struct xencons_interface *ring)
{
	return !memcmp((const void *)ring, snapshot, MM_PAGE_SIZE);
}

void kernel_main(struct start_info *si)
{
	uint32_t mfn = si->console.domU.mfn;
	volatile struct xencons_interface *ring;

	KCHECK_EQ(mm_init(), 0);
	KCHECK(mfn != 0);
	ring = (volatile struct xencons_interface *)(mfn_to_pfn(mfn) *
						     MM_PAGE_SIZE);
	KCHECK((uint32_t)ring < mm_boot_region_end());
	KCHECK_EQ(ring->out_cons, ring->out_prod);	/* drained at boot */
	if (ktest_failures) {
		ktest_finish();
		return;
	}

	ring_write(ring, served, sizeof(served) - 1);
	hypercalls();
	KCHECK_EQ(ring->out_cons, ring->out_prod);

	si->console.domU.mfn = 0;	/* what Linux does */
	fill_reused(ring);
	memcpy(snapshot, (const void *)ring, MM_PAGE_SIZE);
	hypercalls();
	KCHECK(page_unchanged(ring));

	si->console.domU.mfn = mfn;	/* stopped for good */
	hypercalls();
	KCHECK(page_unchanged(ring));
	printf("console ring given up: out_cons 0x%x, out_prod 0x%x left as "
	       "they were\n", ring->out_cons, ring->out_prod);
	ktest_finish();
}
