/*
 * test_gnttab_map.c - the grant operations (grant_table.h), Dom0 granting
 * to itself: one table frame, mapped writable, whose entries we write.
 *  - map read-only by virtual address: the window entry maps the frame
 *    present, accessed, dirty, not writable; the page reads its pattern;
 *    the shared entry gets GTF_reading, not GTF_writing; a writable map of
 *    the read-only grant is refused; an application map is a user entry;
 *    unmap clears the entry and the flags.
 *  - map writable by PTE machine address (GNTMAP_contains_pte): a write
 *    through it reaches the frame; GTF_reading | GTF_writing; with one
 *    read-only and one writable map the flags follow the counts as they
 *    are unmapped one by one.
 *  - refused maps leave the entry's flags and the target entry alone:
 *    unknown domain and DOMID_SELF (bad_domain, as Xen), a ref past the
 *    table and no GNTMAP_host_map (bad_gntref), device maps, a grant to
 *    another domain, of the wrong type or of a frame not ours, a host_addr
 *    in the hypervisor's area or past 4 GiB, a misaligned PTE address or
 *    one in a frame that is no L1, a writable map of one of our L1 tables
 *    (read-only works), a pinned grant whose frame the granter changed.
 *    An op the hypervisor cannot read fails the call (-EFAULT).
 *  - a map reports the frame's machine address in dev_bus_addr (Linux's
 *    P2M takes it from there); an unmap whose entry is writable for a
 *    read-only handle, or read-only for a writable one, is refused.
 *  - a batch that maps over its own page after we gave that page's frame
 *    back reads its next op from the new frame: no stale TLB entry
 *    survives the frame being freed within the call.
 *  - refused unmaps: a handle never given or past the maximum, a second
 *    unmap (bad_handle); a host_addr whose entry does not map the frame
 *    (general_error, the handle then unmaps); a wrong dev_bus_addr
 *    (bad_dev_addr), the right one is accepted.
 *  - copy: a gref source into our own frame by mfn at the given offsets;
 *    len 0; offset + len past the page (bad_copy_arg); by mfn with domid 0
 *    (permission_denied); a read-only destination grant; a frame not ours
 *    (bad_page); a destination that is one of our page tables, by mfn or
 *    by grant, stays unwritten (as a source it reads); one frame both
 *    sides is memmove; no GTF_ bit stays behind.  3000 page copies in
 *    one call are all done and, when the call takes 10 ms or more, a
 *    1 ms timer fires 3 times during it: the call continued itself.
 *  - transfer to ourselves: a mapped frame, the shared_info frame, the
 *    table frame, a frame not ours (bad_page), an entry that does not
 *    accept a transfer from us, a bad ref, a bad domain: nothing moves
 *    (entry, reservation, M2P); an unused frame moves: the entry is
 *    committed and completed with the frame, its M2P entry the pfn the
 *    entry named, its content kept.
 *  - last, as Dom0 cannot lose its handles: 2048 maps of one grant into
 *    one slot (each replacing the one before) in one batch, the 2049th
 *    no_device_space.  Unmap checks only that the entry maps the frame
 *    (read-only, as every one of these maps is), so the first unmap
 *    succeeds whatever its handle, the next one finds
 *    the entry empty (general_error, the handle stays); mapping the frame
 *    there again by hand lets each remaining handle go, and the grant ends
 *    unpinned.
 */
#include "ktest.h"
#include "event.h"
#include "mm.h"
#include "time.h"
#include <public/grant_table.h>
#include <public/memory.h>

#define SLOT_TABLE	0u	/* our grant table, writable */
#define SLOT_MAP	1u	/* where grants are mapped */
#define SLOT_MAP2	2u
#define SLOT_PEEK	3u	/* plain mappings, to look at a frame */
#define SLOT_EMPTY	4u	/* never mapped */
#define SLOT_BATCH	5u	/* a batch of ops that maps over itself */
#define SLOT_VICTIM	498u	/* never mapped: refused copies aim at it */

#define NR_ENTRIES	512u	/* one table frame */
#define MAX_HANDLES	2048u	/* GNTTAB_MAPTRACK_PAGES * _PER_PAGE */
#define BAD_DOM		77u
#define OTHER_DOM	5u
#define HYP_AREA	0xF5800000u
#define NR_SRC		8u
#define NR_COPIES	3000u
#define MS		1000000ull
#define WORDS		(MM_PAGE_SIZE / 4)
#define XFER_NAMED_PFN	0x7777u	/* where the receiver wants the frame */

enum { REF_RO = 1, REF_RW, REF_SPARE, REF_L1, REF_XFER, REF_STALE,
       REF_SRC = 16 };
enum { TAG_RO = 1, TAG_RW, TAG_SPARE, TAG_OTHER, TAG_COPY, TAG_XFER,
       TAG_SRC = 16 };

#define RO_FLAGS	(GNTMAP_host_map | GNTMAP_readonly)

static volatile struct grant_entry_v1 *table;
static uint32_t table_mfn, frame_ro, frame_rw, frame_spare, frame_other;
static uint32_t frame_copy, xfer_pfn, src_frame[NR_SRC], not_ours;
static unsigned int ops_checked;
static uint64_t last_bus_addr;	/* dev_bus_addr of the last map */
static volatile uint32_t ticks;

static struct gnttab_copy copies[NR_COPIES];
static uint32_t copy_mfn[NR_COPIES];
static struct gnttab_map_grant_ref maps[MAX_HANDLES + 1];
static uint8_t before[MM_PAGE_SIZE], expect[MM_PAGE_SIZE];

static long gnttab_op(uint32_t cmd, void *uop, uint32_t count)
{
	return hypercall(__HYPERVISOR_grant_table_op, cmd, (uint32_t)uop, count,
			 0, 0);
}

/* Word w of frame `tag`'s pattern: bit 0 clear (a not-present PTE). */
static uint32_t pattern(uint32_t tag, uint32_t w)
{
	return tag << 24 | w << 2;
}

static void fill(uint32_t mfn, uint32_t tag)
{
	volatile uint32_t *p = (volatile uint32_t *)mm_window_va(SLOT_PEEK);
	uint32_t w;

	KCHECK_EQ(mm_map_mfn(SLOT_PEEK, mfn, true), 0);
	for (w = 0; w < WORDS; w++)
		p[w] = pattern(tag, w);
	KCHECK_EQ(mm_unmap(SLOT_PEEK), 0);
}

/* Words of the page at va that differ from tag's pattern. */
static unsigned int bad_words_at(uint32_t va, uint32_t tag)
{
	const volatile uint32_t *p = (const volatile uint32_t *)va;
	unsigned int w, bad = 0;

	for (w = 0; w < WORDS; w++)
		bad += p[w] != pattern(tag, w);
	return bad;
}

static unsigned int bad_words(uint32_t mfn, uint32_t tag)
{
	unsigned int bad;

	if (mm_map_mfn(SLOT_PEEK, mfn, false))
		return WORDS;
	bad = bad_words_at(mm_window_va(SLOT_PEEK), tag);
	KCHECK_EQ(mm_unmap(SLOT_PEEK), 0);
	return bad;
}

/* A copy of frame mfn's bytes into buf. */
static void snapshot(uint32_t mfn, uint8_t *buf)
{
	KCHECK_EQ(mm_map_mfn(SLOT_PEEK, mfn, false), 0);
	memcpy(buf, (const void *)mm_window_va(SLOT_PEEK), MM_PAGE_SIZE);
	KCHECK_EQ(mm_unmap(SLOT_PEEK), 0);
}

static bool frame_equals(uint32_t mfn, const uint8_t *buf)
{
	static uint8_t now[MM_PAGE_SIZE];

	snapshot(mfn, now);
	return !memcmp(now, buf, MM_PAGE_SIZE);
}

static void grant(uint32_t ref, uint16_t flags, uint16_t domid, uint32_t frame)
{
	table[ref].frame = frame;
	table[ref].domid = domid;
	table[ref].flags = flags;
}

static uint64_t pte_of(unsigned int slot)
{
	uint64_t maddr = 0;

	KCHECK_EQ(mm_pte_maddr(mm_window_va(slot), &maddr), 0);
	return maddr;
}

/* What a grant map writes: present, accessed, dirty, RW if writable. */
static uint64_t grant_pte(uint32_t mfn, bool writable)
{
	return mm_make_entry(mfn, writable ? MM_PTE_RW : MM_PTE_RO | _PAGE_DIRTY);
}

static long current_pages(void)
{
	domid_t self = DOMID_SELF;

	return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

static int16_t map(uint32_t ref, domid_t dom, uint32_t flags,
		   uint64_t host_addr, uint32_t *handle)
{
	struct gnttab_map_grant_ref m = {
		.host_addr = host_addr, .flags = flags, .ref = ref, .dom = dom,
		.status = 99, .handle = ~0u,
	};

	KCHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, &m, 1), 0);
	ops_checked++;
	if (handle)
		*handle = m.handle;
	last_bus_addr = m.dev_bus_addr;
	return m.status;
}

static int16_t unmap(uint64_t host_addr, uint32_t handle, uint64_t bus_addr)
{
	struct gnttab_unmap_grant_ref u = {
		.host_addr = host_addr, .dev_bus_addr = bus_addr,
		.handle = handle, .status = 99,
	};

	KCHECK_EQ(gnttab_op(GNTTABOP_unmap_grant_ref, &u, 1), 0);
	ops_checked++;
	return u.status;
}

static int16_t transfer(uint32_t mfn, domid_t domid, uint32_t ref)
{
	struct gnttab_transfer t = { mfn, domid, ref, 99 };

	KCHECK_EQ(gnttab_op(GNTTABOP_transfer, &t, 1), 0);
	ops_checked++;
	return t.status;
}

static struct gnttab_copy_ptr by_ref(uint32_t ref, uint16_t offset)
{
	return (struct gnttab_copy_ptr){ ref, 0, offset };
}

static struct gnttab_copy_ptr by_mfn(uint32_t mfn, uint16_t offset)
{
	return (struct gnttab_copy_ptr){ mfn, DOMID_SELF, offset };
}

static int16_t copy(struct gnttab_copy_ptr src, struct gnttab_copy_ptr dst,
		    uint16_t len, uint16_t flags)
{
	struct gnttab_copy c = { src, dst, len, flags, 99 };

	KCHECK_EQ(gnttab_op(GNTTABOP_copy, &c, 1), 0);
	ops_checked++;
	return c.status;
}

/* ---- Map and unmap ---- */

static void check_map_readonly(void)
{
	uint32_t h, h2, va = mm_window_va(SLOT_MAP);

	fill(frame_ro, TAG_RO);
	grant(REF_RO, GTF_permit_access | GTF_readonly, 0, frame_ro);
	KCHECK_EQ(map(REF_RO, 0, RO_FLAGS, va, &h), GNTST_okay);
	KCHECK(h < MAX_HANDLES);
	KCHECK_EQ64(last_bus_addr, (uint64_t)frame_ro << 12);
	KCHECK_EQ(bad_words_at(va, TAG_RO), 0);
	KCHECK_EQ(table[REF_RO].flags,
		  GTF_permit_access | GTF_readonly | GTF_reading);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP), grant_pte(frame_ro, false));
	KCHECK_EQ(map(REF_RO, 0, GNTMAP_host_map, mm_window_va(SLOT_MAP2), NULL),
		  GNTST_general_error);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP2), 0);
	KCHECK_EQ(map(REF_RO, 0, RO_FLAGS | GNTMAP_application_map,
		      mm_window_va(SLOT_MAP2), &h2), GNTST_okay);
	KCHECK(h2 != h && h2 < MAX_HANDLES);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP2),
		    grant_pte(frame_ro, false) | _PAGE_USER);
	KCHECK_EQ(unmap(mm_window_va(SLOT_MAP2), h2, 0), GNTST_okay);
	KCHECK_EQ(table[REF_RO].flags,
		  GTF_permit_access | GTF_readonly | GTF_reading);
	KCHECK_EQ(unmap(va, h, 0), GNTST_okay);
	KCHECK_EQ(table[REF_RO].flags, GTF_permit_access | GTF_readonly);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP), 0);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP2), 0);
}

static void check_map_writable(void)
{
	uint64_t pte = pte_of(SLOT_MAP);
	volatile uint32_t *p = (volatile uint32_t *)mm_window_va(SLOT_MAP);
	uint32_t rw, ro;

	fill(frame_rw, TAG_RW);
	grant(REF_RW, GTF_permit_access, 0, frame_rw);
	KCHECK_EQ(map(REF_RW, 0, GNTMAP_host_map | GNTMAP_contains_pte, pte,
		      &rw), GNTST_okay);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP), grant_pte(frame_rw, true));
	KCHECK_EQ(table[REF_RW].flags,
		  GTF_permit_access | GTF_reading | GTF_writing);
	p[5] = 0xfeedface;
	KCHECK_EQ(bad_words(frame_rw, TAG_RW), 1);
	p[5] = pattern(TAG_RW, 5);
	KCHECK_EQ(bad_words(frame_rw, TAG_RW), 0);
	KCHECK_EQ(map(REF_RW, 0, RO_FLAGS, mm_window_va(SLOT_MAP2), &ro),
		  GNTST_okay);
	KCHECK(ro != rw);
	KCHECK_EQ64(last_bus_addr, (uint64_t)frame_rw << 12);
	KCHECK_EQ(table[REF_RW].flags,
		  GTF_permit_access | GTF_reading | GTF_writing);
	/* Each handle's unmap at the other's entry: writable vs read-only. */
	KCHECK_EQ(unmap(pte_of(SLOT_MAP2), rw, 0), GNTST_general_error);
	KCHECK_EQ(unmap(mm_window_va(SLOT_MAP), ro, 0), GNTST_general_error);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP), grant_pte(frame_rw, true));
	KCHECK_EQ64(mm_window_entry(SLOT_MAP2), grant_pte(frame_rw, false));
	KCHECK_EQ(table[REF_RW].flags,
		  GTF_permit_access | GTF_reading | GTF_writing);
	KCHECK_EQ(unmap(pte, rw, 0), GNTST_okay);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP), 0);
	KCHECK_EQ(table[REF_RW].flags, GTF_permit_access | GTF_reading);
	KCHECK_EQ(unmap(mm_window_va(SLOT_MAP2), ro, 0), GNTST_okay);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP2), 0);
	KCHECK_EQ(table[REF_RW].flags, GTF_permit_access);
}

/*
 * A map that must give status st and change neither the entry's flags
 * nor SLOT_MAP's entry (which holds a plain mapping of frame_other).
 */
static void expect_map_refused(const char *what, uint32_t ref, domid_t dom,
			       uint32_t flags, uint64_t host_addr, int16_t st)
{
	uint16_t flags_before = table[REF_SPARE].flags;
	uint64_t pte = mm_window_entry(SLOT_MAP);
	int16_t got = map(ref, dom, flags, host_addr, NULL);

	if (got != st || table[REF_SPARE].flags != flags_before ||
	    mm_window_entry(SLOT_MAP) != pte) {
		printf("check failed: %s: status %d (want %d), flags %x -> %x, "
		       "entry %llx -> %llx\n", what, got, st, flags_before,
		       table[REF_SPARE].flags, pte, mm_window_entry(SLOT_MAP));
		ktest_failures++;
	}
}

/* Refusals by the request alone: domain, ref, flags, host_addr. */
static void check_map_bad_requests(void)
{
	uint64_t va = mm_window_va(SLOT_MAP), pte = pte_of(SLOT_MAP);

	expect_map_refused("unknown domain", REF_SPARE, BAD_DOM, RO_FLAGS, va,
			   GNTST_bad_domain);
	expect_map_refused("DOMID_SELF", REF_SPARE, DOMID_SELF, RO_FLAGS, va,
			   GNTST_bad_domain);
	expect_map_refused("ref past the table", NR_ENTRIES, 0, RO_FLAGS, va,
			   GNTST_bad_gntref);
	expect_map_refused("ref ~0", ~0u, 0, RO_FLAGS, va, GNTST_bad_gntref);
	expect_map_refused("no host_map", REF_SPARE, 0, GNTMAP_readonly, va,
			   GNTST_bad_gntref);
	expect_map_refused("device map", REF_SPARE, 0,
			   RO_FLAGS | GNTMAP_device_map, va, GNTST_general_error);
	expect_map_refused("device map alone", REF_SPARE, 0,
			   GNTMAP_device_map | GNTMAP_readonly, va,
			   GNTST_general_error);
	expect_map_refused("hypervisor area", REF_SPARE, 0, RO_FLAGS, HYP_AREA,
			   GNTST_general_error);
	expect_map_refused("top page", REF_SPARE, 0, RO_FLAGS, 0xFFFFF000u,
			   GNTST_general_error);
	expect_map_refused("past 4 GiB", REF_SPARE, 0, RO_FLAGS,
			   va | 1ull << 32, GNTST_general_error);
	expect_map_refused("misaligned PTE", REF_SPARE, 0,
			   RO_FLAGS | GNTMAP_contains_pte, pte + 4,
			   GNTST_general_error);
	expect_map_refused("PTE in a data frame", REF_SPARE, 0,
			   RO_FLAGS | GNTMAP_contains_pte,
			   (uint64_t)frame_spare << 12, GNTST_general_error);
	KCHECK_EQ(bad_words(frame_spare, TAG_SPARE), 0);
	expect_map_refused("PTE in the L3", REF_SPARE, 0,
			   RO_FLAGS | GNTMAP_contains_pte,
			   (uint64_t)mm_current_l3() << 12, GNTST_general_error);
}

/* Refusals by the shared entry: whom, what type, which frame. */
static void check_map_bad_entries(void)
{
	uint64_t va = mm_window_va(SLOT_MAP);

	grant(REF_SPARE, GTF_permit_access, OTHER_DOM, frame_spare);
	expect_map_refused("granted to another domain", REF_SPARE, 0, RO_FLAGS,
			   va, GNTST_general_error);
	grant(REF_SPARE, GTF_accept_transfer, 0, frame_spare);
	expect_map_refused("accept_transfer entry", REF_SPARE, 0, RO_FLAGS, va,
			   GNTST_general_error);
	grant(REF_SPARE, GTF_invalid, 0, frame_spare);
	expect_map_refused("invalid entry", REF_SPARE, 0, RO_FLAGS, va,
			   GNTST_general_error);
	grant(REF_SPARE, GTF_permit_access, 0, not_ours);
	expect_map_refused("frame not ours", REF_SPARE, 0, RO_FLAGS, va,
			   GNTST_general_error);
	grant(REF_SPARE, GTF_permit_access, 0, ~0u);
	expect_map_refused("no such frame", REF_SPARE, 0, RO_FLAGS, va,
			   GNTST_general_error);
	grant(REF_SPARE, GTF_permit_access, 0, frame_spare);
}

/* One of our L1 tables, granted writable: mapped read-only only. */
static void check_map_page_table(void)
{
	uint32_t l1 = (uint32_t)(pte_of(SLOT_MAP) >> 12), h;
	uint64_t va = mm_window_va(SLOT_MAP2);

	grant(REF_L1, GTF_permit_access, 0, l1);
	KCHECK_EQ(map(REF_L1, 0, GNTMAP_host_map, va, NULL),
		  GNTST_general_error);
	KCHECK_EQ(table[REF_L1].flags, GTF_permit_access);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP2), 0);
	KCHECK_EQ(map(REF_L1, 0, RO_FLAGS, va, &h), GNTST_okay);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP2), grant_pte(l1, false));
	/* The table maps itself: its SLOT_MAP2 entry reads as just written. */
	KCHECK_EQ64(((volatile uint64_t *)(uint32_t)va)[SLOT_MAP2],
		    grant_pte(l1, false));
	KCHECK_EQ(table[REF_L1].flags, GTF_permit_access | GTF_reading);
	KCHECK_EQ(unmap(va, h, 0), GNTST_okay);
	KCHECK_EQ(table[REF_L1].flags, GTF_permit_access);
}

/* A pinned grant must keep naming its frame. */
static void check_map_frame_changed(void)
{
	uint64_t va2 = mm_window_va(SLOT_MAP2);
	uint32_t h;

	fill(frame_spare, TAG_SPARE);
	KCHECK_EQ(map(REF_SPARE, 0, RO_FLAGS, va2, &h), GNTST_okay);
	table[REF_SPARE].frame = frame_other;
	expect_map_refused("frame changed while pinned", REF_SPARE, 0,
			   RO_FLAGS, mm_window_va(SLOT_MAP), GNTST_general_error);
	KCHECK_EQ(table[REF_SPARE].flags, GTF_permit_access | GTF_reading);
	KCHECK_EQ(unmap(va2, h, 0), GNTST_okay);	/* frame_spare's */
	KCHECK_EQ(table[REF_SPARE].flags, GTF_permit_access);
	KCHECK_EQ(map(REF_SPARE, 0, RO_FLAGS, va2, &h), GNTST_okay);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP2), grant_pte(frame_other, false));
	KCHECK_EQ(bad_words_at(va2, TAG_OTHER), 0);
	KCHECK_EQ(unmap(va2, h, 0), GNTST_okay);
	table[REF_SPARE].frame = frame_spare;
}

/* The call itself fails only when an op cannot be read: -EFAULT. */
static void check_call_errors(void)
{
	void *hyp = (void *)HYP_AREA;

	KCHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, hyp, 1), -XEN_EFAULT);
	KCHECK_EQ(gnttab_op(GNTTABOP_unmap_grant_ref, hyp, 1), -XEN_EFAULT);
	KCHECK_EQ(gnttab_op(GNTTABOP_copy, hyp, 1), -XEN_EFAULT);
	KCHECK_EQ(gnttab_op(GNTTABOP_transfer, hyp, 1), -XEN_EFAULT);
	KCHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, hyp, 0), 0);
}

static void check_map_refusals(void)
{
	fill(frame_spare, TAG_SPARE);
	fill(frame_other, TAG_OTHER);
	grant(REF_SPARE, GTF_permit_access, 0, frame_spare);
	KCHECK_EQ(mm_map_mfn(SLOT_MAP, frame_other, false), 0);
	check_map_bad_requests();
	check_map_bad_entries();
	check_map_frame_changed();
	KCHECK_EQ(table[REF_SPARE].flags, GTF_permit_access);
	KCHECK_EQ(mm_unmap(SLOT_MAP), 0);
	check_map_page_table();
	check_call_errors();
}

static void check_unmap_refusals(void)
{
	uint64_t va = mm_window_va(SLOT_MAP), entry;
	uint32_t h;

	KCHECK_EQ(map(REF_RO, 0, RO_FLAGS, va, &h), GNTST_okay);
	entry = mm_window_entry(SLOT_MAP);
	KCHECK_EQ(unmap(va, h == 200 ? 201 : 200, 0), GNTST_bad_handle);
	KCHECK_EQ(unmap(va, 1000, 0), GNTST_bad_handle);
	KCHECK_EQ(unmap(va, MAX_HANDLES, 0), GNTST_bad_handle);
	KCHECK_EQ(unmap(va, ~0u, 0), GNTST_bad_handle);
	KCHECK_EQ(unmap(va, h, (uint64_t)frame_other << 12),
		  GNTST_bad_dev_addr);
	KCHECK_EQ(unmap(mm_window_va(SLOT_EMPTY), h, 0), GNTST_general_error);
	KCHECK_EQ(mm_map_mfn(SLOT_PEEK, frame_other, false), 0);
	KCHECK_EQ(unmap(mm_window_va(SLOT_PEEK), h, 0), GNTST_general_error);
	KCHECK_EQ(mm_unmap(SLOT_PEEK), 0);
	KCHECK_EQ(unmap(pte_of(SLOT_MAP), h, 0), GNTST_general_error);
	KCHECK_EQ(unmap(HYP_AREA, h, 0), GNTST_general_error);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP), entry);
	KCHECK_EQ(table[REF_RO].flags,
		  GTF_permit_access | GTF_readonly | GTF_reading);
	KCHECK_EQ(unmap(va, h, (uint64_t)frame_ro << 12), GNTST_okay);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP), 0);
	KCHECK_EQ(table[REF_RO].flags, GTF_permit_access | GTF_readonly);
	KCHECK_EQ(unmap(va, h, 0), GNTST_bad_handle);
}

/* ---- Copy ---- */

/* A copy that must give status st and leave frame_copy as it was. */
static void expect_copy_refused(const char *what, struct gnttab_copy_ptr src,
				struct gnttab_copy_ptr dst, uint16_t len,
				uint16_t flags, int16_t st)
{
	int16_t got = copy(src, dst, len, flags);
	unsigned int bad = bad_words(frame_copy, TAG_COPY);

	if (got != st || bad) {
		printf("check failed: %s: status %d (want %d), %u words changed\n",
		       what, got, st, bad);
		ktest_failures++;
	}
}

static void check_copy_basic(void)
{
	uint16_t src = GNTCOPY_source_gref;

	fill(frame_copy, TAG_COPY);
	snapshot(frame_copy, expect);
	snapshot(src_frame[0], before);
	KCHECK_EQ(copy(by_ref(REF_SRC, 100), by_mfn(frame_copy, 201), 300,
		       src), GNTST_okay);
	memcpy(expect + 201, before + 100, 300);
	KCHECK(frame_equals(frame_copy, expect));
	fill(frame_copy, TAG_COPY);
	KCHECK_EQ(copy(by_ref(REF_SRC, 0), by_mfn(frame_copy, 0), 0, src),
		  GNTST_okay);
	KCHECK_EQ(bad_words(frame_copy, TAG_COPY), 0);
	/* A writable grant as the destination. */
	KCHECK_EQ(copy(by_ref(REF_SRC, 8), by_ref(REF_RW, 16), 64,
		       src | GNTCOPY_dest_gref), GNTST_okay);
	KCHECK_EQ(bad_words(frame_rw, TAG_RW), 16);
	fill(frame_rw, TAG_RW);
	/* By frame both sides. */
	KCHECK_EQ(copy(by_mfn(src_frame[1], 0), by_mfn(frame_copy, 0),
		       MM_PAGE_SIZE, 0), GNTST_okay);
	KCHECK_EQ(bad_words(frame_copy, TAG_SRC + 1), 0);
	fill(frame_copy, TAG_COPY);
}

static void check_copy_refusals(void)
{
	uint16_t src = GNTCOPY_source_gref, both = src | GNTCOPY_dest_gref;
	struct gnttab_copy_ptr mine = by_mfn(frame_copy, 0), self0 = mine;

	self0.domid = 0;
	expect_copy_refused("source past the page", by_ref(REF_SRC, 4000), mine,
			    100, src, GNTST_bad_copy_arg);
	expect_copy_refused("destination past the page", by_ref(REF_SRC, 0),
			    by_mfn(frame_copy, 4095), 2, src, GNTST_bad_copy_arg);
	expect_copy_refused("a page and a byte", by_ref(REF_SRC, 0), mine,
			    MM_PAGE_SIZE + 1, src, GNTST_bad_copy_arg);
	expect_copy_refused("destination by mfn, domid 0", by_ref(REF_SRC, 0),
			    self0, 8, src, GNTST_permission_denied);
	self0.ref_or_mfn = src_frame[0];
	expect_copy_refused("source by mfn, domid 0", self0, mine, 8, 0,
			    GNTST_permission_denied);
	expect_copy_refused("read-only destination grant", by_ref(REF_SRC, 0),
			    by_ref(REF_RO, 0), 8, both, GNTST_general_error);
	KCHECK_EQ(bad_words(frame_ro, TAG_RO), 0);
	expect_copy_refused("source frame not ours", by_mfn(not_ours, 0), mine,
			    8, 0, GNTST_bad_page);
	expect_copy_refused("destination frame not ours", by_ref(REF_SRC, 0),
			    by_mfn(not_ours, 0), 8, src, GNTST_bad_page);
	expect_copy_refused("source ref past the table",
			    by_ref(NR_ENTRIES, 0), mine, 8, src,
			    GNTST_bad_gntref);
	expect_copy_refused("source in an unknown domain",
			    (struct gnttab_copy_ptr){ REF_SRC, BAD_DOM, 0 },
			    mine, 8, src, GNTST_bad_domain);
	grant(REF_SPARE, GTF_permit_access, OTHER_DOM, frame_spare);
	expect_copy_refused("source granted to another domain",
			    by_ref(REF_SPARE, 0), mine, 8, src,
			    GNTST_general_error);
	grant(REF_SPARE, GTF_permit_access, 0, frame_spare);
}

/* A page table as destination, by frame or by grant: left unwritten. */
static void check_copy_page_table(void)
{
	uint32_t l1 = (uint32_t)(pte_of(SLOT_MAP) >> 12);
	uint16_t at = SLOT_VICTIM * 8, src = GNTCOPY_source_gref;
	uint64_t entry;

	snapshot(l1, before);
	KCHECK_EQ(copy(by_ref(REF_SRC, 64), by_mfn(l1, at), 8, src),
		  GNTST_general_error);
	KCHECK_EQ(copy(by_ref(REF_SRC, 64), by_ref(REF_L1, at), 8,
		       src | GNTCOPY_dest_gref), GNTST_general_error);
	KCHECK_EQ64(mm_window_entry(SLOT_VICTIM), 0);
	KCHECK(frame_equals(l1, before));
	KCHECK_EQ(table[REF_L1].flags, GTF_permit_access);
	/* As a source it reads: SLOT_TABLE's entry. */
	KCHECK_EQ(copy(by_mfn(l1, SLOT_TABLE * 8), by_mfn(frame_copy, 0), 8, 0),
		  GNTST_okay);
	KCHECK_EQ(bad_words(frame_copy, TAG_COPY), 2);
	snapshot(frame_copy, expect);
	memcpy(&entry, expect, sizeof(entry));
	KCHECK_EQ64(entry, mm_window_entry(SLOT_TABLE));
	fill(frame_copy, TAG_COPY);
}

/* Source and destination in one frame: memmove, either direction. */
static void check_copy_overlap(void)
{
	uint16_t src = GNTCOPY_source_gref;

	snapshot(frame_rw, before);
	memcpy(expect, before, MM_PAGE_SIZE);
	memmove(expect + 64, expect, 512);
	KCHECK_EQ(copy(by_ref(REF_RW, 0), by_mfn(frame_rw, 64), 512, src),
		  GNTST_okay);
	KCHECK(frame_equals(frame_rw, expect));
	memmove(expect + 1000, expect + 1100, 700);
	KCHECK_EQ(copy(by_ref(REF_RW, 1100), by_mfn(frame_rw, 1000), 700, src),
		  GNTST_okay);
	KCHECK(frame_equals(frame_rw, expect));
	fill(frame_rw, TAG_RW);
}

static void check_copy_no_pins_left(void)
{
	uint32_t i;

	KCHECK_EQ(table[REF_RO].flags, GTF_permit_access | GTF_readonly);
	KCHECK_EQ(table[REF_RW].flags, GTF_permit_access);
	KCHECK_EQ(table[REF_SPARE].flags, GTF_permit_access);
	KCHECK_EQ(table[REF_L1].flags, GTF_permit_access);
	for (i = 0; i < NR_SRC; i++)
		KCHECK_EQ(table[REF_SRC + i].flags,
			  GTF_permit_access | GTF_readonly);
}

/* ---- A long batch of copies ---- */

static void on_timer(evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	ticks++;
	HYPERVISOR_set_timer_op(time_system_ns() + MS);
}

/* The frames behind the first n pages at base (2 MiB aligned). */
static bool scratch_frames(uint32_t base, uint32_t n)
{
	const volatile uint64_t *l1 =
		(const volatile uint64_t *)mm_window_va(SLOT_PEEK);
	uint64_t maddr;
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (i % 512 == 0 &&
		    (mm_pte_maddr(base + i * MM_PAGE_SIZE, &maddr) ||
		     mm_map_mfn(SLOT_PEEK, (uint32_t)(maddr >> 12), false)))
			return false;
		copy_mfn[i] = mm_entry_mfn(l1[i % 512]);
		if (i % 512 == 511 || i == n - 1)
			KCHECK_EQ(mm_unmap(SLOT_PEEK), 0);
	}
	return true;
}

/* NR_COPIES whole pages, from the sources in turn, in one call. */
static void check_copy_batch(void)
{
	uint32_t i, bad = 0, not_okay = 0, events;
	uint64_t start, ns;
	void *base;
	long rc;

	if (mm_scratch(NR_COPIES * MM_PAGE_SIZE, &base) ||
	    !scratch_frames((uint32_t)base, NR_COPIES)) {
		printf("check failed: no scratch area for the batch\n");
		ktest_failures++;
		return;
	}
	memset(base, 0, NR_COPIES * MM_PAGE_SIZE);
	for (i = 0; i < NR_COPIES; i++)
		copies[i] = (struct gnttab_copy){
			by_ref(REF_SRC + i % NR_SRC, 0), by_mfn(copy_mfn[i], 0),
			MM_PAGE_SIZE, GNTCOPY_source_gref, 99 };
	HYPERVISOR_set_timer_op(time_system_ns() + MS);
	events = ticks;
	start = time_system_ns();
	rc = gnttab_op(GNTTABOP_copy, copies, NR_COPIES);
	ns = time_system_ns() - start;
	events = ticks - events;
	HYPERVISOR_set_timer_op(0);
	KCHECK_EQ(rc, 0);
	for (i = 0; i < NR_COPIES; i++) {
		not_okay += copies[i].status != GNTST_okay;
		bad += bad_words_at((uint32_t)base + i * MM_PAGE_SIZE,
				    TAG_SRC + i % NR_SRC) != 0;
	}
	ops_checked += NR_COPIES;
	KCHECK_EQ(not_okay, 0);
	KCHECK_EQ(bad, 0);
	printf("gnttab_map: %u copies of 4096 bytes in one call: %u us, "
	       "%u timer events during it\n", NR_COPIES, (uint32_t)(ns / 1000),
	       events);
	if (ns >= 10 * MS)
		KCHECK(events >= 3);
	else	/* too fast to tell (KVM): say so rather than pass quietly */
		printf("gnttab_map: batch under 10 ms, continuation not "
		       "checked\n");
}

static void check_copy(void)
{
	uint32_t i;

	for (i = 0; i < NR_SRC; i++) {
		fill(src_frame[i], TAG_SRC + i);
		grant(REF_SRC + i, GTF_permit_access | GTF_readonly, 0,
		      src_frame[i]);
	}
	grant(REF_L1, GTF_permit_access, 0, (uint32_t)(pte_of(SLOT_MAP) >> 12));
	check_copy_basic();
	check_copy_refusals();
	check_copy_page_table();
	check_copy_overlap();
	check_copy_batch();
	check_copy_no_pins_left();
}

/* ---- Transfer ---- */

/* A transfer that must give status st and move nothing. */
static void expect_transfer_refused(const char *what, uint32_t mfn,
				    domid_t domid, uint32_t ref, int16_t st)
{
	struct grant_entry_v1 e = { table[REF_XFER].flags,
		table[REF_XFER].domid, table[REF_XFER].frame };
	uint32_t m2p = mfn_to_pfn(mfn);
	long pages = current_pages();
	int16_t got = transfer(mfn, domid, ref);

	if (got != st || table[REF_XFER].flags != e.flags ||
	    table[REF_XFER].domid != e.domid ||
	    table[REF_XFER].frame != e.frame || mfn_to_pfn(mfn) != m2p ||
	    current_pages() != pages) {
		printf("check failed: %s: status %d (want %d), entry %x/%x/%x, "
		       "m2p %x -> %x, pages %ld -> %ld\n", what, got, st,
		       table[REF_XFER].flags, table[REF_XFER].domid,
		       table[REF_XFER].frame, m2p, mfn_to_pfn(mfn), pages,
		       current_pages());
		ktest_failures++;
	}
}

static void check_transfer_refusals(uint32_t mfn)
{
	uint32_t boot = pfn_to_mfn((uint32_t)&ops_checked / MM_PAGE_SIZE);

	expect_transfer_refused("a boot-region frame", boot, 0, REF_XFER,
				GNTST_bad_page);
	KCHECK_EQ(mm_map_mfn(SLOT_PEEK, mfn, false), 0);
	expect_transfer_refused("a frame mapped in the window", mfn, 0,
				REF_XFER, GNTST_bad_page);
	KCHECK_EQ(mm_unmap(SLOT_PEEK), 0);
	expect_transfer_refused("the shared_info frame",
				start_info->shared_info / MM_PAGE_SIZE, 0,
				REF_XFER, GNTST_bad_page);
	expect_transfer_refused("the grant table frame", table_mfn, 0,
				REF_XFER, GNTST_bad_page);
	expect_transfer_refused("a frame not ours", not_ours, 0, REF_XFER,
				GNTST_bad_page);
	expect_transfer_refused("no such frame", 0xFFFFFF0u, 0, REF_XFER,
				GNTST_bad_page);
	expect_transfer_refused("ref past the table", mfn, 0, NR_ENTRIES,
				GNTST_bad_gntref);
	expect_transfer_refused("unknown domain", mfn, BAD_DOM, REF_XFER,
				GNTST_bad_domain);
	expect_transfer_refused("DOMID_SELF", mfn, DOMID_SELF, REF_XFER,
				GNTST_bad_domain);
	grant(REF_XFER, GTF_accept_transfer, OTHER_DOM, 0);
	expect_transfer_refused("accepts from another domain", mfn, 0,
				REF_XFER, GNTST_general_error);
	grant(REF_XFER, GTF_permit_access, 0, 0);
	expect_transfer_refused("a permit_access entry", mfn, 0, REF_XFER,
				GNTST_general_error);
	grant(REF_XFER, GTF_accept_transfer, 0, XFER_NAMED_PFN);
}

static void check_transfer(void)
{
	uint32_t mfn = pfn_to_mfn(xfer_pfn);
	struct mmu_update u = {
		((uint64_t)mfn << 12) | MMU_MACHPHYS_UPDATE, xfer_pfn };
	long pages = current_pages();

	fill(mfn, TAG_XFER);
	grant(REF_XFER, GTF_accept_transfer, 0, XFER_NAMED_PFN);
	check_transfer_refusals(mfn);
	KCHECK_EQ(mfn_to_pfn(mfn), xfer_pfn);
	KCHECK_EQ(transfer(mfn, 0, REF_XFER), GNTST_okay);
	KCHECK_EQ(table[REF_XFER].flags, GTF_accept_transfer |
		  GTF_transfer_committed | GTF_transfer_completed);
	KCHECK_EQ(table[REF_XFER].domid, 0);
	KCHECK_EQ(table[REF_XFER].frame, mfn);
	KCHECK_EQ(mfn_to_pfn(mfn), XFER_NAMED_PFN);
	KCHECK_EQ(current_pages(), pages);
	KCHECK_EQ(bad_words(mfn, TAG_XFER), 0);	/* still ours, content kept */
	/* The entry has taken its frame: it accepts no second one. */
	expect_transfer_refused("a completed entry", mfn, 0, REF_XFER,
				GNTST_general_error);
	/* As the receiver, name it in the M2P where it was. */
	KCHECK_EQ(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), 0);
	KCHECK_EQ(mfn_to_pfn(mfn), xfer_pfn);
}

/* ---- The handle limit ---- */

static void check_handle_limit(void)
{
	uint64_t va = mm_window_va(SLOT_MAP);
	uint32_t i, bad = 0;

	for (i = 0; i <= MAX_HANDLES; i++)
		maps[i] = (struct gnttab_map_grant_ref){ .host_addr = va,
			.flags = RO_FLAGS, .ref = REF_RO, .dom = 0,
			.status = 99, .handle = ~0u };
	KCHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, maps, MAX_HANDLES + 1), 0);
	ops_checked += MAX_HANDLES + 1;
	for (i = 0; i < MAX_HANDLES; i++)
		bad += maps[i].status != GNTST_okay ||
		       maps[i].handle >= MAX_HANDLES;
	KCHECK_EQ(bad, 0);
	KCHECK_EQ(maps[MAX_HANDLES].status, GNTST_no_device_space);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP), grant_pte(frame_ro, false));
	KCHECK_EQ(table[REF_RO].flags,
		  GTF_permit_access | GTF_readonly | GTF_reading);
	KCHECK_EQ(map(REF_RO, 0, RO_FLAGS, mm_window_va(SLOT_MAP2), NULL),
		  GNTST_no_device_space);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP2), 0);
	/* Any handle unmaps the one entry; the next finds it empty. */
	KCHECK_EQ(unmap(va, maps[0].handle, 0), GNTST_okay);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP), 0);
	KCHECK_EQ(unmap(va, maps[MAX_HANDLES - 1].handle, 0),
		  GNTST_general_error);
	KCHECK_EQ(table[REF_RO].flags,
		  GTF_permit_access | GTF_readonly | GTF_reading);
	for (i = 1, bad = 0; i < MAX_HANDLES; i++) {
		KCHECK_EQ(mm_map_mfn(SLOT_MAP, frame_ro, false), 0);
		bad += unmap(va, maps[i].handle, 0) != GNTST_okay;
	}
	KCHECK_EQ(bad, 0);
	KCHECK_EQ(table[REF_RO].flags, GTF_permit_access | GTF_readonly);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP), 0);
	KCHECK_EQ(unmap(va, maps[1].handle, 0), GNTST_bad_handle);
	KCHECK_EQ(map(REF_RO, 0, RO_FLAGS, va, &i), GNTST_okay);
	KCHECK_EQ(unmap(va, i, 0), GNTST_okay);
}

/*
 * A batch whose first op maps over the page the batch lives in, whose
 * frame we gave back (so that map frees it): the second op must be read
 * from the new frame, not through a stale TLB entry from the freed one.
 * The old frame's second op would map REF_RO at SLOT_MAP2; the new
 * frame's has no host_map flag (bad_gntref).
 */
static void check_map_frees_batch_page(void)
{
	struct gnttab_map_grant_ref *ops =
		(struct gnttab_map_grant_ref *)mm_window_va(SLOT_BATCH);
	struct gnttab_map_grant_ref *peek =
		(struct gnttab_map_grant_ref *)mm_window_va(SLOT_PEEK);
	uint32_t pfn, mfn;

	KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
	mfn = pfn_to_mfn(pfn);
	grant(REF_STALE, GTF_permit_access, 0, frame_spare);
	KCHECK_EQ(mm_map_mfn(SLOT_PEEK, frame_spare, true), 0);
	memset(peek, 0, MM_PAGE_SIZE);
	peek[0] = (struct gnttab_map_grant_ref){ .status = 99, .handle = ~0u };
	peek[1] = (struct gnttab_map_grant_ref){ .status = 99 };
	KCHECK_EQ(mm_unmap(SLOT_PEEK), 0);
	KCHECK_EQ(mm_map_mfn(SLOT_BATCH, mfn, true), 0);
	ops[0] = (struct gnttab_map_grant_ref){ .host_addr = (uint32_t)ops,
		.flags = GNTMAP_host_map, .ref = REF_STALE, .status = 99 };
	ops[1] = (struct gnttab_map_grant_ref){
		.host_addr = mm_window_va(SLOT_MAP2), .flags = RO_FLAGS,
		.ref = REF_RO, .status = 99 };
	mm_set_p2m(pfn, MM_INVALID_MFN);
	KCHECK_EQ(mm_reservation_change(XENMEM_decrease_reservation, &mfn, 1, 0),
		  1);
	KCHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, ops, 2), 0);
	KCHECK_EQ64(mm_window_entry(SLOT_BATCH), grant_pte(frame_spare, true));
	KCHECK_EQ(ops[0].status, GNTST_okay);
	KCHECK_EQ(ops[1].status, GNTST_bad_gntref);
	KCHECK_EQ64(mm_window_entry(SLOT_MAP2), 0);
	KCHECK_EQ(table[REF_RO].flags, GTF_permit_access | GTF_readonly);
	KCHECK_EQ(unmap((uint32_t)ops, ops[0].handle, 0), GNTST_okay);
	KCHECK_EQ(table[REF_STALE].flags, GTF_permit_access);
	ops_checked += 2;
}

/* ---- Setting up ---- */

static bool setup(void)
{
	struct gnttab_setup_table s = { DOMID_SELF, 1, 99, (uint32_t)&table_mfn };
	uint32_t *frames[] = { &frame_ro, &frame_rw, &frame_spare, &frame_other,
			       &frame_copy };
	uint32_t i, pfn;

	KCHECK_EQ(gnttab_op(GNTTABOP_setup_table, &s, 1), 0);
	KCHECK_EQ(s.status, GNTST_okay);
	KCHECK_EQ(mm_map_mfn(SLOT_TABLE, table_mfn, true), 0);
	table = (volatile struct grant_entry_v1 *)mm_window_va(SLOT_TABLE);
	for (i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
		*frames[i] = pfn_to_mfn(pfn);
	}
	for (i = 0; i < NR_SRC; i++) {
		KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
		src_frame[i] = pfn_to_mfn(pfn);
	}
	KCHECK_EQ(mm_alloc_pfn(&xfer_pfn), 0);
	not_ours = mm_frame_not_ours();
	KCHECK(not_ours != MM_INVALID_MFN);
	return !ktest_failures;
}

void kernel_main(struct start_info *si)
{
	evtchn_port_t port;

	(void)si;
	if (!ktest_start_events())
		return;
	KCHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, &port), 0);
	KCHECK_EQ(evtchn_set_handler(port, on_timer, NULL), 0);
	if (!setup()) {
		ktest_finish();
		return;
	}
	local_irq_enable();
	printf("grant table frame 0x%x, granted frames from 0x%x\n",
	       table_mfn, frame_ro);
	check_map_readonly();
	check_map_writable();
	check_map_refusals();
	check_unmap_refusals();
	check_map_frees_batch_page();
	check_copy();
	check_transfer();
	check_handle_limit();
	printf("gnttab_map: %u grant operations checked (map, unmap, copy, "
	       "transfer), %u handles at most\n", ops_checked, MAX_HANDLES);
	ktest_finish();
}
