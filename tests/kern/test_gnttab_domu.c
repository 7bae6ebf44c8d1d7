/*
 * test_gnttab_domu.c - grant operations between Dom0 and a DomU, in both
 * directions, and what stays when one side is destroyed.  Booted as Dom0
 * with itself as module 1 (tests.list); the DomU's command line says
 * which part it plays.
 *  A. "granter", run twice: the DomU sets up a grant table and grants
 *     Dom0 page A read-only (ref 8), page B writable (ref 9, written
 *     last, with a ready magic already in the page) and accepts a
 *     transfer (ref 10).  Before it has a table (prepare hook) a map, a
 *     copy and a transfer are bad_gntref.  Dom0 then maps ref 8
 *     read-only (its pattern; a writable map is general_error, as is a
 *     copy into it; an unmap at the wrong address leaves the handle),
 *     copies ref 8 into a frame of its own, transfers one of its unused
 *     frames to ref 10 (a mapped one is bad_page, one past the DomU's
 *     max_pages general_error; after max_mem grows okay: Dom0's
 *     reservation one lower, the DomU's one higher, the frame no longer
 *     Dom0's, a second transfer to the entry general_error), maps ref 9,
 *     writes a reply, unmaps it and copies a done magic into ref 9.  The
 *     DomU then sees the reply, GTF_reading on ref 8 only (Dom0 still
 *     maps it), ref 10 committed and completed with a frame it can map
 *     showing Dom0's pattern (M2P the pfn it named, reservation and max one
 *     higher), and powers off.
 *  B. Dom0 keeps its ref 8 mapping across the DomU's destruction: it
 *     still reads the pattern, a map from the gone domain is bad_domain,
 *     the frame stays out of the free count until the unmap (okay, then
 *     bad_handle).  The first run's mapping is unmapped during the second
 *     run, whose DomU has the same id and a pinned ref 8 of its own: the
 *     creation serial keeps that unmap from unpinning the new entry.
 *  C. "mapper": Dom0 grants a DomU page 20 read-only and page 21
 *     writable; the DomU maps both (read-only and writable PTEs),
 *     rewrites their PTEs by mmu_update and update_va_mapping (accessed,
 *     dirty, user and available bits okay, as Xen's same-frame fast path;
 *     RW, PCD or another frame refused, the entry unchanged), writes
 *     21, copies into 21 and out of 20, is refused a writable map of and
 *     a copy into 20, sees an unmap general_error (handle kept) once it
 *     cleared the PTE itself, runs out of handles at 2048 (then
 *     no_device_space) and shuts down without unmapping.  Dom0 sees
 *     GTF_reading on 20 and GTF_reading|GTF_writing on 21 until the DomU
 *     is destroyed, none after, its pages keeping the DomU's writes, and
 *     the free frame count back where it was.
 * Every wait is bounded; each part prints a "gnttab_domu:" line.
 */
#include "domtest.h"
#include <public/grant_table.h>
#include <public/memory.h>

#define WORDS		1024u		/* uint32_t in a page */
#define DOMU_KIB	16384u		/* room for this kernel and the builder */

/* Window slots (0 is the builder's, 16 and up consoled's). */
#define SLOT_TABLE	2u
#define SLOT_A		3u
#define SLOT_B		4u
#define SLOT_X		5u	/* refused and stale maps */
#define SLOT_XFER	6u
#define SLOT_MANY	7u	/* the DomU runs out of handles here */
#define SLOT_A2		8u	/* the second granter's ref 8 */
#define SLOT_SCRATCH	9u	/* the mapper's page for unmap_and_replace */
#define HYP_AREA	0xF5800000u

/* Scenario A: the DomU's entries, to Dom0. */
#define REF_RO		8u
#define REF_RW		9u
#define REF_XFER	10u
#define XFER_PFN	0x3ff0u		/* where the DomU wants the frame */
/* Scenario C: Dom0's entries, to the DomU; ref 1 for Dom0's own map. */
#define REF_SELF	1u
#define REF_D0_RO	20u
#define REF_D0_RW	21u

#define MAGIC_READY	0x52454459u	/* page B word 0: the DomU is set up */
#define MAGIC_DONE	0x444f4e45u	/* page B word 0: Dom0 has finished */
#define SEED_A		0x11110000u
#define SEED_REPLY	0x22220000u
#define SEED_XFER	0x33330000u
#define SEED_D0_RO	0x44440000u
#define SEED_D0_RW	0x55550000u
#define SEED_DOMU	0x66660000u

/* grant_table.h: GNTTAB_MAPTRACK_PAGES * GNTTAB_MAPTRACK_PER_PAGE */
#define HANDLES_MAX	2048u

#define READY_MS	5000u	/* Dom0 waits this long for the DomU's grants */
#define DONE_MS		10000u	/* the DomU for Dom0's done magic */
#define RUN_MS		20000u	/* Dom0 for the DomU to shut down */

#define barrier()	asm volatile("" : : : "memory")

typedef volatile struct grant_entry_v1 gnt_entry;

static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint8_t page_b[4096] __attribute__((aligned(4096)));
static uint8_t page_c[4096] __attribute__((aligned(4096)));
static uint8_t page_d[4096] __attribute__((aligned(4096)));

static gnt_entry *table;	/* our own grant table, mapped in SLOT_TABLE */

/* ---- Helpers for both sides ---- */

static uint32_t pattern_word(uint32_t seed, uint32_t i)
{
	return seed ^ (i * 0x9e3779b1u);
}

static void fill_words(void *page, uint32_t first, uint32_t seed)
{
	volatile uint32_t *p = page;
	uint32_t i;

	for (i = first; i < WORDS; i++)
		p[i] = pattern_word(seed, i);
}

/* Words first..WORDS-1 of page that differ from seed's pattern. */
static uint32_t mismatches(const void *page, uint32_t first, uint32_t seed)
{
	const volatile uint32_t *p = page;
	uint32_t i, n = 0;

	for (i = first; i < WORDS; i++)
		n += p[i] != pattern_word(seed, i);
	return n;
}

static uint32_t mfn_of(const void *page)
{
	return virt_to_mfn((uint32_t)page);
}

static long gnttab_op(uint32_t cmd, void *uop, uint32_t count)
{
	return hypercall(__HYPERVISOR_grant_table_op, cmd, (uint32_t)uop, count,
			 0, 0);
}

static int16_t grant_map(domid_t dom, grant_ref_t ref, uint32_t va,
			 bool readonly, grant_handle_t *handle)
{
	struct gnttab_map_grant_ref m = {
		.host_addr = va, .ref = ref, .dom = dom, .status = 99,
		.flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
	};

	KCHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, &m, 1), 0);
	if (handle)
		*handle = m.handle;
	return m.status;
}

static int16_t grant_unmap(uint32_t va, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref u = { .host_addr = va, .handle = handle,
					    .status = 99 };

	KCHECK_EQ(gnttab_op(GNTTABOP_unmap_grant_ref, &u, 1), 0);
	return u.status;
}

/* Copy len bytes; a side with its _gref flag names a grant, else a frame. */
static int16_t grant_copy(struct gnttab_copy_ptr src,
			  struct gnttab_copy_ptr dst, uint16_t len,
			  uint16_t flags)
{
	struct gnttab_copy c = { .source = src, .dest = dst, .len = len,
				 .flags = flags, .status = 99 };

	KCHECK_EQ(gnttab_op(GNTTABOP_copy, &c, 1), 0);
	return c.status;
}

static struct gnttab_copy_ptr by_ref(domid_t dom, grant_ref_t ref,
				     uint16_t offset)
{
	return (struct gnttab_copy_ptr){ ref, dom, offset };
}

static struct gnttab_copy_ptr by_frame(const void *page, uint16_t offset)
{
	return (struct gnttab_copy_ptr){ mfn_of(page), DOMID_SELF, offset };
}

static int16_t grant_transfer(uint32_t mfn, domid_t dom, grant_ref_t ref)
{
	struct gnttab_transfer t = { .mfn = mfn, .domid = dom, .ref = ref,
				     .status = 99 };

	KCHECK_EQ(gnttab_op(GNTTABOP_transfer, &t, 1), 0);
	return t.status;
}

static long reservation(uint32_t cmd, domid_t domid)
{
	domid_t d = domid;

	return HYPERVISOR_memory_op(cmd, &d);
}

/* Set up a one-frame table and map it in SLOT_TABLE (table); false if not. */
static bool table_setup(void)
{
	uint32_t mfn = 0;
	struct gnttab_setup_table s = { DOMID_SELF, 1, 99, (uint32_t)&mfn };

	KCHECK_EQ(gnttab_op(GNTTABOP_setup_table, &s, 1), 0);
	KCHECK_EQ(s.status, GNTST_okay);
	if (s.status || mm_map_mfn(SLOT_TABLE, mfn, true))
		return false;
	table = (gnt_entry *)mm_window_va(SLOT_TABLE);
	return true;
}

/* Fill in an entry, its flags last: only then may the grantee use it. */
static void grant_set(grant_ref_t ref, domid_t domid, uint32_t frame,
		      uint16_t flags)
{
	table[ref].domid = domid;
	table[ref].frame = frame;
	barrier();
	table[ref].flags = flags;
}

/* ---- The DomU's parts ---- */

/* Wait (bounded) for Dom0's done magic in page B. */
static bool granter_wait_done(void)
{
	volatile uint32_t *signal = (volatile uint32_t *)page_b;
	uint64_t end = time_system_ns() + DONE_MS * DOMTEST_MS;

	while (*signal != MAGIC_DONE && time_system_ns() < end)
		HYPERVISOR_poll(NULL, 0, time_system_ns() + 2 * DOMTEST_MS);
	return *signal == MAGIC_DONE;
}

/* Ref 10 received Dom0's frame: it is ours, at XFER_PFN in the M2P. */
static void granter_check_transfer(long pages)
{
	uint32_t mfn = table[REF_XFER].frame;

	KCHECK_EQ(table[REF_XFER].flags, GTF_accept_transfer |
		  GTF_transfer_committed | GTF_transfer_completed);
	KCHECK_EQ(mfn_to_pfn(mfn), XFER_PFN);
	KCHECK_EQ(reservation(XENMEM_current_reservation, DOMID_SELF),
		  pages + 1);
	KCHECK_EQ(reservation(XENMEM_maximum_reservation, DOMID_SELF),
		  pages + 1);
	KCHECK_EQ(mm_map_mfn(SLOT_XFER, mfn, true), 0);
	KCHECK_EQ(mismatches((void *)mm_window_va(SLOT_XFER), 0, SEED_XFER), 0);
	KCHECK_EQ(mm_unmap(SLOT_XFER), 0);
	printf("domu granter: frame 0x%x transferred to us\n", mfn);
}

/* Scenario A, the DomU's side. */
static void run_granter(void)
{
	long pages = reservation(XENMEM_current_reservation, DOMID_SELF);
	bool done;

	KCHECK(mm_map_shared_info() != NULL);
	if (ktest_failures || !table_setup())
		return;
	fill_words(page_a, 0, SEED_A);
	memset(page_b, 0, sizeof(page_b));
	*(volatile uint32_t *)page_b = MAGIC_READY;
	grant_set(REF_RO, 0, mfn_of(page_a), GTF_permit_access | GTF_readonly);
	grant_set(REF_XFER, 0, XFER_PFN, GTF_accept_transfer);
	grant_set(REF_RW, 0, mfn_of(page_b), GTF_permit_access);	/* last */
	done = granter_wait_done();
	KCHECK(done);
	if (!done)
		return;
	KCHECK_EQ(mismatches(page_b, 1, SEED_REPLY), 0);
	KCHECK_EQ(table[REF_RO].flags,
		  GTF_permit_access | GTF_readonly | GTF_reading);
	KCHECK_EQ(table[REF_RW].flags, GTF_permit_access);
	granter_check_transfer(pages);
}

/* C: refs 20 and 21 map with the right PTEs and contents; 21 takes writes. */
static void mapper_map(grant_handle_t *h20, grant_handle_t *h21)
{
	void *ro = (void *)mm_window_va(SLOT_A), *rw = (void *)mm_window_va(SLOT_B);

	KCHECK_EQ(grant_map(0, REF_D0_RO, (uint32_t)ro, true, h20), GNTST_okay);
	KCHECK_EQ(mm_window_entry(SLOT_A) & (_PAGE_PRESENT | _PAGE_RW),
		  _PAGE_PRESENT);
	KCHECK_EQ(mismatches(ro, 0, SEED_D0_RO), 0);
	KCHECK_EQ(grant_map(0, REF_D0_RW, (uint32_t)rw, false, h21), GNTST_okay);
	KCHECK_EQ(mm_window_entry(SLOT_B) & (_PAGE_PRESENT | _PAGE_RW),
		  _PAGE_PRESENT | _PAGE_RW);
	KCHECK_EQ(mismatches(rw, 0, SEED_D0_RW), 0);
	fill_words(page_c, 0, SEED_DOMU);
	memcpy(rw, page_c, 2048);		/* the first half by the map */
}

/*
 * C: rewrite the PTE of window slot `slot` to val, by mmu_update and then
 * by update_va_mapping (which flushes it); after each the entry must be
 * `want`.
 */
static void rewrite(unsigned int slot, uint64_t val, bool ok, uint64_t want)
{
	uint32_t va = mm_window_va(slot);
	struct mmu_update u = { .val = val };
	long rc;

	KCHECK_EQ(mm_pte_maddr(va, &u.ptr), 0);
	u.ptr |= MMU_NORMAL_PT_UPDATE;
	rc = HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
	KCHECK(ok ? rc == 0 : rc < 0);
	KCHECK_EQ64(mm_window_entry(slot), want);
	rc = HYPERVISOR_update_va_mapping(va, val, UVMF_INVLPG);
	KCHECK(ok ? rc == 0 : rc < 0);
	KCHECK_EQ64(mm_window_entry(slot), want);
}

/*
 * C: our grant PTEs map Dom0's frames, which we could not map anew; Xen's
 * fast path lets us rewrite their accessed, dirty, user and available
 * bits, not their frame, RW or cache bits.
 */
static void mapper_rewrite_flags(void)
{
	volatile uint32_t *rw = (volatile uint32_t *)mm_window_va(SLOT_B);
	uint64_t e_ro = mm_window_entry(SLOT_A), e_rw = mm_window_entry(SLOT_B);
	uint64_t flags = e_rw & ~(uint64_t)(_PAGE_ACCESSED | _PAGE_DIRTY);

	flags |= _PAGE_USER | 0x200;		/* an available bit */
	rewrite(SLOT_B, flags, true, flags);
	rw[0] = ((uint32_t *)page_c)[0];	/* still writable... */
	KCHECK(mm_window_entry(SLOT_B) & _PAGE_DIRTY);	/* ...and the CPU's */
	rewrite(SLOT_B, e_rw, true, e_rw);
	rewrite(SLOT_B, e_rw & ~(uint64_t)_PAGE_RW, false, e_rw);
	rewrite(SLOT_B, e_rw | _PAGE_PCD, false, e_rw);
	rewrite(SLOT_B, (e_rw & 0xfffull) | (e_ro & ~0xfffull), false, e_rw);
	rewrite(SLOT_A, e_ro | _PAGE_RW, false, e_ro);
	rewrite(SLOT_A, e_ro & ~(uint64_t)_PAGE_ACCESSED, true,
		e_ro & ~(uint64_t)_PAGE_ACCESSED);
	KCHECK_EQ(mismatches((void *)mm_window_va(SLOT_A), 0, SEED_D0_RO), 0);
}

/* C: what ref 20 refuses, and copies in and out. */
static void mapper_copies(void)
{
	uint32_t va = mm_window_va(SLOT_X);

	KCHECK_EQ(grant_map(0, REF_D0_RO, va, false, NULL), GNTST_general_error);
	KCHECK_EQ64(mm_window_entry(SLOT_X), 0);
	KCHECK_EQ(grant_copy(by_frame(page_c, 0), by_ref(0, REF_D0_RO, 0), 16,
			     GNTCOPY_dest_gref), GNTST_general_error);
	KCHECK_EQ(grant_copy(by_frame(page_c, 2048), by_ref(0, REF_D0_RW, 2048),
			     2048, GNTCOPY_dest_gref), GNTST_okay);
	KCHECK_EQ(grant_copy(by_ref(0, REF_D0_RO, 0), by_frame(page_d, 0), 4096,
			     GNTCOPY_source_gref), GNTST_okay);
	KCHECK_EQ(mismatches(page_d, 0, SEED_D0_RO), 0);
}

/* C: unmap_and_replace of the grant at host with what new_addr maps. */
static int16_t grant_replace(uint64_t host, uint64_t new_addr,
			     grant_handle_t handle)
{
	struct gnttab_unmap_and_replace r = { .host_addr = host,
		.new_addr = new_addr, .handle = handle, .status = 99 };

	KCHECK_EQ(gnttab_op(GNTTABOP_unmap_and_replace, &r, 1), 0);
	return r.status;
}

/* C: ref 21 mapped by its L1 entry's machine address in SLOT_X. */
static grant_handle_t map_by_pte(uint64_t *maddr)
{
	struct gnttab_map_grant_ref m = { .ref = REF_D0_RW, .dom = 0,
		.flags = GNTMAP_host_map | GNTMAP_contains_pte, .status = 99 };

	KCHECK_EQ(mm_pte_maddr(mm_window_va(SLOT_X), maddr), 0);
	m.host_addr = *maddr;
	KCHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, &m, 1), 0);
	KCHECK_EQ(m.status, GNTST_okay);
	return m.handle;
}

/*
 * C: unmap_and_replace, as Linux 3.x's backends unmap: a page of ours
 * mapped in SLOT_SCRATCH moves over the grant in SLOT_X.  An entry of a
 * frame not ours (the grant in SLOT_A), an address without an L1 and a
 * map by PTE address are refused with nothing changed; new_addr 0 is a
 * plain unmap.
 */
static void mapper_replace(void)
{
	uint32_t x = mm_window_va(SLOT_X), scratch = mm_window_va(SLOT_SCRATCH);
	uint64_t e_x, e_scratch, maddr;
	grant_handle_t h = 0;

	KCHECK_EQ(grant_map(0, REF_D0_RW, x, false, &h), GNTST_okay);
	KCHECK_EQ(mm_map_mfn(SLOT_SCRATCH, mfn_of(page_d), true), 0);
	e_x = mm_window_entry(SLOT_X);
	e_scratch = mm_window_entry(SLOT_SCRATCH);
	KCHECK_EQ(grant_replace(x, mm_window_va(SLOT_A), h),
		  GNTST_general_error);
	KCHECK_EQ(grant_replace(x, HYP_AREA, h), GNTST_general_error);
	KCHECK_EQ(grant_replace(x, scratch, h + 1000), GNTST_bad_handle);
	KCHECK_EQ64(mm_window_entry(SLOT_X), e_x);
	KCHECK(mm_window_entry(SLOT_A) & _PAGE_PRESENT);
	KCHECK_EQ(grant_replace(x, scratch, h), GNTST_okay);
	KCHECK_EQ64(mm_window_entry(SLOT_X), e_scratch);
	KCHECK_EQ64(mm_window_entry(SLOT_SCRATCH), 0);
	KCHECK_EQ(mismatches((void *)x, 0, SEED_D0_RO), 0);	/* page_d */
	KCHECK_EQ(grant_replace(x, scratch, h), GNTST_bad_handle);

	KCHECK_EQ(grant_map(0, REF_D0_RW, x, false, &h), GNTST_okay);
	KCHECK_EQ(grant_replace(x, 0, h), GNTST_okay);
	KCHECK_EQ64(mm_window_entry(SLOT_X), 0);

	h = map_by_pte(&maddr);
	KCHECK_EQ(mm_map_mfn(SLOT_SCRATCH, mfn_of(page_d), true), 0);
	KCHECK_EQ(grant_replace(maddr, scratch, h), GNTST_general_error);
	KCHECK_EQ(grant_replace(maddr, 0, h), GNTST_okay);
	KCHECK_EQ64(mm_window_entry(SLOT_X), 0);
	KCHECK_EQ(mm_unmap(SLOT_SCRATCH), 0);
}

/* C: a mapping whose PTE we cleared ourselves cannot be unmapped. */
static void mapper_stale_handle(void)
{
	uint32_t va = mm_window_va(SLOT_X);
	grant_handle_t h = 0;

	KCHECK_EQ(grant_map(0, REF_D0_RW, va, false, &h), GNTST_okay);
	KCHECK_EQ(HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG), 0);
	KCHECK_EQ(grant_unmap(va, h), GNTST_general_error);
	KCHECK_EQ(grant_unmap(va, h), GNTST_general_error);	/* still held */
}

/* C: map ref 20 at one address until the handles run out. */
static void mapper_exhaust(uint32_t in_use)
{
	uint32_t va = mm_window_va(SLOT_MANY), n = 0;
	int16_t st = GNTST_okay;

	while (n <= HANDLES_MAX && st == GNTST_okay) {
		st = grant_map(0, REF_D0_RO, va, true, NULL);
		n += st == GNTST_okay;
	}
	printf("domu mapper: %u more maps, then status %d\n", n, st);
	KCHECK_EQ(n, HANDLES_MAX - in_use);
	KCHECK_EQ(st, GNTST_no_device_space);
	KCHECK_EQ(mismatches((void *)va, 0, SEED_D0_RO), 0);
}

/* Scenario C, the DomU's side: it leaves every mapping in place. */
static void run_mapper(void)
{
	grant_handle_t h20 = 0, h21 = 0;

	mapper_map(&h20, &h21);
	KCHECK(h20 != h21);
	mapper_rewrite_flags();
	mapper_copies();
	mapper_replace();
	mapper_stale_handle();
	mapper_exhaust(3);
}

static void run_as_domu(struct start_info *si)
{
	const char *cmdline = (const char *)si->cmd_line;

	bool granter = !strcmp(cmdline, "granter");

	KCHECK(granter || !strcmp(cmdline, "mapper"));
	KCHECK_EQ(mm_init(), 0);
	if (!ktest_failures && granter)
		run_granter();
	else if (!ktest_failures)
		run_mapper();
	printf("domu %s: %u checks failed\n", cmdline, ktest_failures);
	guest_shutdown(ktest_failures ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}

/* ---- Dom0's parts ---- */

/* Dom0 maps its own grant: the maptrack page exists before any baseline. */
static void check_self_grant(void)
{
	uint32_t va = mm_window_va(SLOT_X);
	grant_handle_t h = 0;

	grant_set(REF_SELF, 0, mfn_of(page_d), GTF_permit_access | GTF_readonly);
	KCHECK_EQ(grant_map(0, REF_SELF, va, true, &h), GNTST_okay);
	KCHECK_EQ(table[REF_SELF].flags,
		  GTF_permit_access | GTF_readonly | GTF_reading);
	KCHECK_EQ(grant_unmap(va, h), GNTST_okay);
	KCHECK_EQ(table[REF_SELF].flags, GTF_permit_access | GTF_readonly);
	table[REF_SELF].flags = 0;
}

/* A, before the DomU runs: it has no table, so no ref is valid. */
static int granter_prepare(domid_t domid)
{
	uint32_t va = mm_window_va(SLOT_X);
	unsigned int failures = ktest_failures;

	KCHECK_EQ(grant_map(domid, REF_RW, va, false, NULL), GNTST_bad_gntref);
	KCHECK_EQ(grant_copy(by_ref(domid, REF_RO, 0), by_frame(page_c, 0), 16,
			     GNTCOPY_source_gref), GNTST_bad_gntref);
	KCHECK_EQ(grant_transfer(mfn_of(page_c), domid, REF_XFER),
		  GNTST_bad_gntref);
	KCHECK_EQ64(mm_window_entry(SLOT_X), 0);
	return ktest_failures == failures ? 0 : -1;	/* -1: destroyed unrun */
}

/*
 * A: map the DomU's ref 9 in SLOT_B once it is granted (it grants 9 last,
 * with the ready magic already in the page), serving its console.
 */
static bool wait_granter_ready(struct dom_handle *h, grant_handle_t *hb)
{
	uint64_t end = time_system_ns() + READY_MS * DOMTEST_MS;
	uint32_t va = mm_window_va(SLOT_B);
	evtchn_port_t port = h->console_port;
	int16_t st;

	for (;;) {
		st = grant_map(h->domid, REF_RW, va, false, hb);
		if (st != GNTST_bad_gntref && st != GNTST_general_error)
			break;		/* the table or the entry not there yet */
		if (time_system_ns() >= end)
			break;
		evtchn_clear_pending(port);
		consoled_poll();
		HYPERVISOR_poll(&port, 1, time_system_ns() + 5 * DOMTEST_MS);
	}
	KCHECK_EQ(st, GNTST_okay);
	if (st)
		return false;
	KCHECK_EQ(*(volatile uint32_t *)va, MAGIC_READY);
	return true;
}

/*
 * One run of the granter DomU as Dom0 sees it: where Dom0 maps its ref 8
 * (kept past its destruction), by which handle.
 */
struct granter_run {
	domid_t domid;
	unsigned int slot;
	grant_handle_t handle;
	bool kept;		/* the ref 8 mapping is held */
};

/* A: ref 8 maps read-only only; an unmap elsewhere keeps the handle. */
static void check_granter_read_only(struct granter_run *r)
{
	uint32_t va = mm_window_va(r->slot), other = mm_window_va(SLOT_X);

	KCHECK_EQ(grant_map(r->domid, REF_RO, other, false, NULL),
		  GNTST_general_error);
	KCHECK_EQ64(mm_window_entry(SLOT_X), 0);
	KCHECK_EQ(grant_map(r->domid, REF_RO, va, true, &r->handle), GNTST_okay);
	r->kept = mm_window_entry(r->slot) != 0;
	KCHECK_EQ(mismatches((void *)va, 0, SEED_A), 0);
	KCHECK_EQ(grant_unmap(other, r->handle), GNTST_general_error);
	KCHECK_EQ(mismatches((void *)va, 0, SEED_A), 0);
}

/* A: ref 8 copies out, not in. */
static void check_granter_copies(domid_t domid)
{
	memset(page_c, 0, sizeof(page_c));
	KCHECK_EQ(grant_copy(by_ref(domid, REF_RO, 0), by_frame(page_c, 0), 4096,
			     GNTCOPY_source_gref), GNTST_okay);
	KCHECK_EQ(mismatches(page_c, 0, SEED_A), 0);
	memset(page_c, 0x5a, 16);	/* a refused copy of other bytes */
	KCHECK_EQ(grant_copy(by_frame(page_c, 0), by_ref(domid, REF_RO, 0), 16,
			     GNTCOPY_dest_gref), GNTST_general_error);
}

static int set_max_pages(domid_t domid, long pages)
{
	struct xen_domctl dc;

	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_max_mem;
	dc.domain = domid;
	dc.u.max_mem.max_memkb = (uint64_t)pages * 4;
	return dom_domctl(&dc);
}

/* A: refusals that must lose nothing, then the transfer of pfn's frame. */
static void transfer_refusals(domid_t domid, uint32_t pfn, long d0_pages)
{
	long pages = reservation(XENMEM_current_reservation, domid);

	KCHECK_EQ(reservation(XENMEM_maximum_reservation, domid), pages);
	KCHECK_EQ(mm_map_pfn(SLOT_XFER, pfn, true), 0);
	fill_words((void *)mm_window_va(SLOT_XFER), 0, SEED_XFER);
	KCHECK_EQ(grant_transfer(pfn_to_mfn(pfn), domid, REF_XFER),
		  GNTST_bad_page);		/* still mapped */
	KCHECK_EQ(mm_unmap(SLOT_XFER), 0);
	KCHECK_EQ(grant_transfer(pfn_to_mfn(pfn), domid, REF_XFER),
		  GNTST_general_error);		/* the DomU is at max_pages */
	KCHECK_EQ(reservation(XENMEM_current_reservation, DOMID_SELF), d0_pages);
	KCHECK_EQ(reservation(XENMEM_current_reservation, domid), pages);
	KCHECK_EQ(set_max_pages(domid, pages + 1), 0);
}

/* A: give the DomU one of our frames through its ref 10. */
static void check_transfer(domid_t domid)
{
	long d0_pages = reservation(XENMEM_current_reservation, DOMID_SELF);
	long pages = reservation(XENMEM_current_reservation, domid);
	uint32_t pfn = 0, spare = 0, mfn;

	KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
	KCHECK_EQ(mm_alloc_pfn(&spare), 0);
	mfn = pfn_to_mfn(pfn);
	transfer_refusals(domid, pfn, d0_pages);
	KCHECK_EQ(grant_transfer(mfn, domid, REF_XFER), GNTST_okay);
	mm_set_p2m(pfn, MM_INVALID_MFN);	/* not ours: never hand it out */
	KCHECK_EQ(reservation(XENMEM_current_reservation, DOMID_SELF),
		  d0_pages - 1);
	KCHECK_EQ(reservation(XENMEM_current_reservation, domid), pages + 1);
	if (!mm_map_mfn(SLOT_XFER, mfn, false)) {
		KCHECK(!"the transferred frame still maps in Dom0");
		mm_unmap(SLOT_XFER);
	}
	/* The entry took one frame: another is refused (with room for it). */
	KCHECK_EQ(set_max_pages(domid, pages + 2), 0);
	KCHECK_EQ(grant_transfer(pfn_to_mfn(spare), domid, REF_XFER),
		  GNTST_general_error);
	KCHECK_EQ(set_max_pages(domid, pages + 1), 0);
	KCHECK_EQ(reservation(XENMEM_current_reservation, DOMID_SELF),
		  d0_pages - 1);
	KCHECK_EQ(reservation(XENMEM_current_reservation, domid), pages + 1);
	mm_free_pfn(spare);
	printf("gnttab_domu: frame 0x%x given to domain %u\n", mfn, domid);
}

/* A: reply through ref 9, unmap it, then signal by a copy (no pin left). */
static void reply_and_signal(domid_t domid, grant_handle_t hb)
{
	uint32_t va = mm_window_va(SLOT_B);

	fill_words((void *)va, 1, SEED_REPLY);
	KCHECK_EQ(grant_unmap(va, hb), GNTST_okay);
	KCHECK_EQ64(mm_window_entry(SLOT_B), 0);
	KCHECK_EQ(grant_unmap(va, hb), GNTST_bad_handle);
	*(volatile uint32_t *)page_d = MAGIC_DONE;
	KCHECK_EQ(grant_copy(by_frame(page_d, 0), by_ref(domid, REF_RW, 0), 4,
			     GNTCOPY_dest_gref), GNTST_okay);
}

/*
 * B: r's granter is gone; our map of its ref 8 still reads its pattern
 * and keeps the frame: the free count is `expected`.
 */
static void check_granter_gone(const struct granter_run *r, uint64_t expected)
{
	uint32_t va = mm_window_va(r->slot);

	KCHECK_EQ(mismatches((void *)va, 0, SEED_A), 0);
	KCHECK_EQ(grant_map(r->domid, REF_RO, mm_window_va(SLOT_X), true, NULL),
		  GNTST_bad_domain);
	KCHECK_EQ64(domtest_free_pages(), expected);
}

/* B: unmap r's kept map of a destroyed granter: that frees its frame. */
static void unmap_kept(struct granter_run *r)
{
	uint32_t va = mm_window_va(r->slot);
	uint64_t free = domtest_free_pages();

	KCHECK_EQ(grant_unmap(va, r->handle), GNTST_okay);
	KCHECK_EQ64(mm_window_entry(r->slot), 0);
	KCHECK_EQ64(domtest_free_pages(), free + 1);
	KCHECK_EQ(grant_unmap(va, r->handle), GNTST_bad_handle);
	r->kept = false;
}

/*
 * Scenario A, Dom0's side, for r.  With a stale run (a destroyed granter
 * whose id r's DomU has again), the stale map is unmapped once r's ref 8
 * is mapped: it must not unpin r's entry (the DomU checks GTF_reading).
 */
static void scenario_granter(struct granter_run *r, struct granter_run *stale)
{
	struct dom_params p = domtest_params("gnttab_granter", DOMU_KIB);
	unsigned int failures = ktest_failures;
	grant_handle_t hb = 0;
	struct dom_handle h;

	KCHECK_EQ(domtest_start_with(&p, "granter", granter_prepare, &h), 0);
	if (ktest_failures != failures)
		return;
	r->domid = h.domid;
	if (wait_granter_ready(&h, &hb)) {
		check_granter_read_only(r);
		if (stale) {
			KCHECK_EQ(r->domid, stale->domid);	/* ids are reused */
			unmap_kept(stale);
		}
		check_granter_copies(r->domid);
		check_transfer(r->domid);
		reply_and_signal(r->domid, hb);
	}
	KCHECK_EQ(domtest_wait(&h, RUN_MS), SHUTDOWN_poweroff);
	domtest_finish(&h);
	printf("gnttab_domu: A %s: domain %u granted, Dom0 mapped, copied and "
	       "transferred%s\n", ktest_failures == failures ? "ok" : "FAILED",
	       r->domid, stale ? "; the map of its predecessor (same id) "
	       "unmapped" : "");
}

/*
 * Scenarios A and B: the granter runs twice (the second with the first's
 * id).  Each run moves one of our frames to it (freed with it) and leaves
 * one of its frames mapped by us until we unmap it.
 */
static void scenarios_granter(void)
{
	struct granter_run first = { .slot = SLOT_A }, second = { .slot = SLOT_A2 };
	uint64_t before = domtest_free_pages(), gone, after;
	unsigned int failures;

	scenario_granter(&first, NULL);
	failures = ktest_failures;
	if (first.kept)
		check_granter_gone(&first, before);		/* +1 -1 */
	scenario_granter(&second, first.kept ? &first : NULL);
	if (first.kept)
		unmap_kept(&first);
	gone = domtest_free_pages();
	if (second.kept) {
		check_granter_gone(&second, before + 1);	/* +2 -1 */
		unmap_kept(&second);
	}
	after = domtest_free_pages();
	KCHECK_EQ64(after, before + 2);
	printf("gnttab_domu: B %s: free frames %llu before, %llu with the "
	       "second granter gone, %llu after the unmap\n",
	       ktest_failures == failures ? "ok" : "FAILED", before, gone, after);
}

/* C, before the DomU runs: grant it page_a read-only and page_b writable. */
static int mapper_prepare(domid_t domid)
{
	fill_words(page_a, 0, SEED_D0_RO);
	fill_words(page_b, 0, SEED_D0_RW);
	grant_set(REF_D0_RO, domid, mfn_of(page_a),
		  GTF_permit_access | GTF_readonly);
	grant_set(REF_D0_RW, domid, mfn_of(page_b), GTF_permit_access);
	return 0;
}

/* Scenario C, Dom0's side. */
static void scenario_mapper(void)
{
	struct dom_params p = domtest_params("gnttab_mapper", DOMU_KIB);
	uint64_t before = domtest_free_pages(), after;
	unsigned int failures = ktest_failures;
	struct dom_handle h;
	domid_t domid;

	KCHECK_EQ(domtest_start_with(&p, "mapper", mapper_prepare, &h), 0);
	if (ktest_failures != failures)
		return;
	domid = h.domid;		/* domtest_finish() clears h */
	KCHECK_EQ(domtest_wait(&h, RUN_MS), SHUTDOWN_poweroff);
	KCHECK_EQ(table[REF_D0_RO].flags,
		  GTF_permit_access | GTF_readonly | GTF_reading);
	KCHECK_EQ(table[REF_D0_RW].flags,
		  GTF_permit_access | GTF_reading | GTF_writing);
	domtest_finish(&h);
	KCHECK_EQ(table[REF_D0_RO].flags, GTF_permit_access | GTF_readonly);
	KCHECK_EQ(table[REF_D0_RW].flags, GTF_permit_access);
	KCHECK_EQ(mismatches(page_a, 0, SEED_D0_RO), 0);
	KCHECK_EQ(mismatches(page_b, 0, SEED_DOMU), 0);
	after = domtest_free_pages();
	KCHECK_EQ64(after, before);
	table[REF_D0_RO].flags = 0;
	table[REF_D0_RW].flags = 0;
	printf("gnttab_domu: C %s: domain %u mapped and left its maps, free "
	       "frames %llu before, %llu after\n",
	       ktest_failures == failures ? "ok" : "FAILED", domid, before,
	       after);
}

void kernel_main(struct start_info *si)
{
	if (!(si->flags & SIF_INITDOMAIN)) {
		run_as_domu(si);
		return;
	}
	KCHECK_EQ(domtest_setup(), 0);	/* mm_init, events, modules */
	if (!ktest_failures && table_setup())
		check_self_grant();
	if (ktest_failures) {
		ktest_finish();
		return;
	}
	scenarios_granter();
	scenario_mapper();
	if (!ktest_failures)
		printf("gnttab_domu: A, B and C passed\n");
	ktest_finish();
}
