/*
 * hcfuzz_mix.c - the value mix of the hypercall fuzzer (hcfuzz.c): the
 * seeded generator, the memory and frames the fuzzer hands out, the pickers
 * that draw arguments from them, and the start-up that finds the frames
 * and protects the fuzzer's own pages.  See hcfuzz_mix.h.
 *
 * Arguments come from a mix: small integers, boundary values, pointers
 * into our own areas (RW, read-only, the page after the RW area is
 * read-only so copies straddle), into the hypervisor's area, unmapped
 * addresses, our start_info / shared_info / page tables (all mapped
 * read-only), and our own machine frames, so mmu_update, mmuext_op, grant
 * and memory ops reach real validation paths.
 *
 * Invariants that keep the DomU alive most of the time: our code is
 * mapped read-only before fuzzing starts (a hypervisor write through a
 * stray pointer fails instead of corrupting it); values that land in our
 * own data, stack or boot-region bookkeeping are moved elsewhere except
 * in 1 of PROTECT_LEAK cases; the pages whose mappings and frames the
 * fuzzer hands out ("victim" pages) are never read or written by the
 * fuzzer itself after start-up; the RW argument area is never the target
 * of a mapping change.  Determinism: every choice comes from the xorshift
 * generator seeded by seed=, never from a result.  What a choice meets
 * also depends on where our pages lie and which frames we were given (a
 * random frame may be any of ours): the order of the definitions below and
 * domu/domu.mk's link order place the poll page, our variables, the
 * vcpu_info page and the area at the start of .bss, one after the other,
 * and a change there or in the code's size gives every seed other results.
 */
#include "hcfuzz_mix.h"
#include "guest.h"
#include "hcfuzz_grant.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"

#define ARG_PAGES	4u
#define RO_PAGES	4u
#define VICTIM_PAGES	16u
#define GUARD_PAGES	2u	/* rand_mfn() names victims' neighbours to +2 */
#define UNMAPPED_BASE	0x40000000u	/* L3 slot 1: nothing there */
#define PROTECT_LEAK	256u		/* 1 in N values may hit our data */

/* The RW argument area is followed by read-only pages (straddling copies
 * fault there), then the victims, then read-only guard pages, so that the
 * frames next to the victims that rand_mfn() names are the area's. */
static struct {
	uint8_t arg[ARG_PAGES][PAGE];
	uint8_t ro[RO_PAGES][PAGE];
	uint8_t victim[VICTIM_PAGES][PAGE];
	uint8_t guard[GUARD_PAGES][PAGE];
} area __attribute__((aligned(4096)));

/* Where register_vcpu_info usually moves our vcpu_info: a page nothing
 * else hands out, so the upcall mask there is not clobbered. */
static uint8_t vcpu_info_page[PAGE] __attribute__((aligned(4096)));
uint32_t vcpu_info_mfn;

/* The first object of .data: our code and rodata end before its page. */
static volatile uint32_t data_marker = 1;

uint64_t mix_rng;
static uint32_t arg_used;
static uint32_t data_lo, boot_end, si_va;
static uint32_t victim_mfn[VICTIM_PAGES], area_mfn[ARG_PAGES + RO_PAGES];
static uint64_t victim_pte[VICTIM_PAGES];
static uint32_t pt_mfn[64], nr_pt;
static uint32_t top_l2_mfn, low_l2_mfn;
uint32_t l3_mfn;
static uint32_t other_mfn, shared_mfn, si_mfn, max_mfn;

/* The poll sched_op's builder fills (hcfuzz_mix.h); placed first. */
struct poll_page poll_page __attribute__((aligned(4096)));

/* ---- randomness ---- */

void mix_seed(unsigned long seed)
{
	mix_rng = (uint64_t)seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
}

/* ---- the value mix ---- */

static bool in_area(uint32_t v)
{
	return v >= (uint32_t)&area && v < (uint32_t)&area + sizeof(area);
}

/* Keep stray values off our data, stack and boot-region pages. */
static uint32_t protect(uint32_t v)
{
	if (v >= data_lo && v < boot_end && !in_area(v) && !chance(PROTECT_LEAK))
		return v ^ UNMAPPED_BASE;
	return v;
}

uint32_t boundary(void)
{
	static const uint32_t b[] = { 0, 1, 0xffffffffu, 0x7fffffffu,
				      0x80000000u, 0xffffu, 0x10000u,
				      0xfffu, 0x1000u, 0xfffffff0u };

	return b[rnd(sizeof(b) / sizeof(b[0]))];
}

/* n bytes of the RW area, 8-aligned; wraps (reuses) when full. */
void *arg_alloc(uint32_t n)
{
	void *p;

	n = (n + 7) & ~7u;
	if (n > sizeof(area.arg))
		n = sizeof(area.arg);
	if (arg_used + n > sizeof(area.arg))
		arg_used = 0;
	p = &area.arg[0][0] + arg_used;
	arg_used += n;
	return p;
}
static uint32_t ptr_own(void)
{
	uint32_t r = rnd(100);

	if (r < 45) {
		uint32_t *p = arg_alloc(64), i;

		for (i = 0; i < 16; i++)
			p[i] = chance(2) ? rnd(16) : rnd32();
		return (uint32_t)p;
	}
	if (r < 60)	/* the RW area's last bytes: copies run into RO */
		return (uint32_t)&area.ro[0][0] - 1 - rnd(64);
	if (r < 80)
		return (uint32_t)&area.ro[rnd(RO_PAGES)][rnd(PAGE)];
	return (uint32_t)&area.victim[rnd(VICTIM_PAGES)][rnd(PAGE)];
}

uint32_t ptr_foreign(void)
{
	switch (rnd(8)) {
	case 0:
		return HYP_START + rnd32() % (0u - HYP_START);
	case 1:
		return HYP_START - 1 - rnd(16);		/* straddles into it */
	case 2:
		return 0xfffff000u + rnd(PAGE);
	case 3:
		return UNMAPPED_BASE + rnd(0x1000000);
	case 4:
		return boot_end - 1 - rnd(32);		/* runs off our memory */
	case 5:
		return si_va + rnd(PAGE);		/* start_info, RO */
	case 6:
		return mm_window_va(0) + rnd(PAGE);	/* shared_info, RO */
	default:
		return start_info->pt_base + rnd(nr_pt * PAGE);	/* tables */
	}
}

uint32_t rand_ptr(void)
{
	return chance(3) ? ptr_foreign() : ptr_own();
}

uint32_t rand_domid(void)
{
	static const uint32_t d[] = { DOMID_SELF, DOMID_SELF, DOMID_SELF, 0,
				      1, 2, DOMID_IO, DOMID_XEN, 0x7fff, 4095 };

	return d[rnd(sizeof(d) / sizeof(d[0]))];
}

uint32_t rand_word(void)
{
	uint32_t r = rnd(100);

	if (r < 20)
		return rnd(17);
	if (r < 35)
		return boundary();
	if (r < 50)
		return protect(rnd32());
	if (r < 72)
		return rand_ptr();
	if (r < 85)
		return rand_mfn();
	if (r < 92)
		return rand_domid();
	return protect(rnd32() << 12);
}

/* Mostly frames the fuzzer may lose; rarely any frame of ours. */
uint32_t rand_mfn(void)
{
	uint32_t r = rnd(100);

	if (r < 55)
		return victim_mfn[rnd(VICTIM_PAGES)];
	if (r < 63)
		return area_mfn[rnd(ARG_PAGES + RO_PAGES)];
	if (r < 73)
		return r & 1 ? l3_mfn : pt_mfn[rnd(nr_pt)];
	if (r < 78)
		return r & 1 ? shared_mfn : si_mfn;
	if (r < 86) {
		static const uint32_t odd[] = { 0, 1, 0xfffff, 0xffffffffu };

		return r < 82 ? other_mfn : odd[rnd(4)] + (r & 1) * max_mfn;
	}
	if (r < 99)
		return victim_mfn[rnd(VICTIM_PAGES)] + rnd(5) - 2;
	return pfn_to_mfn(rnd(start_info->nr_pages));
}

uint64_t rand_pte(void)
{
	static const uint64_t flags[] = { MM_PTE_RO, MM_PTE_RW, MM_PTE_RW | _PAGE_USER,
					  MM_PTE_RO | _PAGE_GLOBAL, MM_PTE_RW | _PAGE_PSE,
					  MM_PTE_RO | (1ull << 63), 0, 0x1 };

	switch (rnd(8)) {
	case 0:
		return 0;
	case 1:
		return ((uint64_t)rnd32() << 32) | rnd32();
	case 2:
		return mm_make_entry(rand_mfn(), rnd(PAGE));
	default:
		return mm_make_entry(rand_mfn(), flags[rnd(8)]);
	}
}

/* A virtual address whose mapping we may change. */
uint32_t rand_va(void)
{
	uint32_t r = rnd(100);

	if (r < 60)
		return (uint32_t)&area.victim[rnd(VICTIM_PAGES)][0];
	if (r < 75)
		return mm_window_va(rnd(MM_WINDOW_USER_SLOTS));
	if (r < 80)
		return (uint32_t)&area.ro[rnd(RO_PAGES)][0];
	if (r < 88)
		return HYP_START + (rnd32() & 0x0ffff000u);
	return protect(rnd32()) & ~(r < 95 ? 0xfffu : 0u);
}

/* Machine address of a page-table entry worth writing. */
uint64_t rand_entry_maddr(void)
{
	uint32_t r = rnd(100);

	if (r < 50)
		return victim_pte[rnd(VICTIM_PAGES)];
	if (r < 62)	/* unused L2 entries under 1 GiB: the scratch range */
		return ((uint64_t)low_l2_mfn << 12) + (256 + rnd(256)) * 8;
	if (r < 70)	/* top L2: below the window, the window, hypervisor */
		return ((uint64_t)top_l2_mfn << 12) + (400 + rnd(112)) * 8;
	if (r < 76)
		return ((uint64_t)l3_mfn << 12) + (1 + rnd(3)) * 8;
	if (r < 88)	/* not a table: our plain frames, another's frame */
		return ((uint64_t)(chance(4) ? other_mfn :
				   victim_mfn[rnd(VICTIM_PAGES)]) << 12) + rnd(PAGE);
	if (r < 99)
		return ((uint64_t)rnd32() << 12) | rnd(PAGE);
	/* rarely: any entry of our own L1s, our code included */
	return ((uint64_t)pt_mfn[rnd(nr_pt)] << 12) + rnd(512) * 8;
}

void fill_words(uint32_t *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		p[i] = rand_word();
}

uint32_t small_count(uint32_t max)
{
	uint32_t r = rnd(16);

	if (r < 12)
		return 1 + rnd(max);
	if (r < 14)
		return 0;
	return r == 14 ? boundary() : rnd(1024);
}

uint32_t pick_cmd(uint32_t nvalid)
{
	return chance(10) ? (chance(2) ? boundary() : rnd(64)) : rnd(nvalid);
}

/* The read-only pages' frames: a GDT there can be accepted. */
uint32_t rand_ro_mfn(void)
{
	return area_mfn[ARG_PAGES + rnd(RO_PAGES)];
}

/* The next call's arguments start at the RW area's beginning again. */
void arg_reset(void)
{
	arg_used = 0;
}

/* ---- start-up ---- */

static int remap_ro(uint32_t va)
{
	return (int)HYPERVISOR_update_va_mapping(va, mm_make_entry(virt_to_mfn(va),
						 MM_PTE_RO), UVMF_INVLPG);
}

/* Fill every page with printable noise (console_io may echo some). */
static void fill_area(void)
{
	uint8_t *p = (uint8_t *)&area;
	uint32_t i;

	for (i = 0; i < sizeof(area); i++)
		p[i] = (uint8_t)(0x20 + rnd(0x5f));
}

/* Code and rodata (linked at 1 MiB), the RO pages, the guard and
 * start_info become read-only; shared_info goes read-only in slot 0. */
static int protect_pages(void)
{
	uint32_t va, i;
	int rc = 0;

	for (va = 0x100000; va < data_lo && !rc; va += PAGE)
		rc = remap_ro(va);
	for (i = 0; i < RO_PAGES && !rc; i++)
		rc = remap_ro((uint32_t)&area.ro[i][0]);
	for (i = 0; i < GUARD_PAGES && !rc; i++)
		rc = remap_ro((uint32_t)&area.guard[i][0]);
	if (!rc)
		rc = remap_ro(si_va);
	if (!rc)
		rc = mm_map_mfn(0, shared_mfn, false);
	return rc;
}

static int find_frames(void)
{
	uint32_t pt_pfn = start_info->pt_base / PAGE, i;
	uint64_t e;
	int rc = 0;

	for (i = 0; i < VICTIM_PAGES && !rc; i++) {
		victim_mfn[i] = virt_to_mfn((uint32_t)&area.victim[i][0]);
		rc = mm_pte_maddr((uint32_t)&area.victim[i][0], &victim_pte[i]);
	}
	for (i = 0; i < ARG_PAGES + RO_PAGES; i++)
		area_mfn[i] = virt_to_mfn((uint32_t)&area.arg[0][0] + i * PAGE);
	nr_pt = start_info->nr_pt_frames < 64 ? start_info->nr_pt_frames : 64;
	for (i = 0; i < nr_pt; i++)
		pt_mfn[i] = pfn_to_mfn(pt_pfn + i);
	l3_mfn = mm_current_l3();
	if (!rc)
		rc = mm_read_entry(l3_mfn, 0, &e);
	low_l2_mfn = mm_entry_mfn(e);
	if (!rc)
		rc = mm_read_entry(l3_mfn, 3, &e);
	top_l2_mfn = mm_entry_mfn(e);
	other_mfn = mm_someone_elses_frame();
	max_mfn = mm_max_ram_page();
	return rc;
}

/* The value mix the grant builder draws from (hcfuzz_grant.h). */
static struct hcfuzz_mix mix = {
	.rnd = rnd, .word = rand_word, .ptr = rand_ptr, .mfn = rand_mfn,
	.va = rand_va, .entry_maddr = rand_entry_maddr, .domid = rand_domid,
	.count = small_count, .cmd = pick_cmd, .alloc = arg_alloc,
	/* Not the argument pages: a batch lives there, and a copy into
	 * them would rewrite its own later ops. */
	.victim_mfn = victim_mfn, .area_mfn = area_mfn + ARG_PAGES,
	.pt_mfn = pt_mfn, .nr_victim = VICTIM_PAGES, .nr_area = RO_PAGES,
};

int mix_setup(bool verbose)
{
	int rc;

	data_lo = (uint32_t)&data_marker & ~(PAGE - 1);
	boot_end = mm_boot_region_end();
	si_va = (uint32_t)start_info & ~(PAGE - 1);
	si_mfn = virt_to_mfn(si_va);
	shared_mfn = start_info->shared_info / PAGE;
	vcpu_info_mfn = virt_to_mfn((uint32_t)vcpu_info_page);
	hypercall(__HYPERVISOR_set_callbacks, FLAT_RING1_CS,
		  (uint32_t)hcfuzz_event_entry, FLAT_RING1_CS,
		  (uint32_t)hcfuzz_event_entry, 0);
	fill_area();
	rc = find_frames();
	if (!rc)
		rc = protect_pages();
	mix.nr_pt = nr_pt;
	mix.shared_mfn = shared_mfn;
	mix.verbose = verbose;
	if (!rc)
		rc = hcfuzz_grant_setup(&mix);
	return rc;
}
