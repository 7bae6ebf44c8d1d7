/*
 * hcfuzz.c - a DomU that throws seeded random hypercalls at the hypervisor,
 * to show mechanically that a hostile guest can crash only itself.  The
 * test Dom0 (tests/kern/test_dom_hcfuzz.c) runs it with many seeds and
 * checks after each run that the hypervisor is intact.
 *
 * Command line: seed=N (default 1), calls=N (default 3000), verbose=1
 * (print each call's number and arguments before it is made, on the
 * hypervisor's console_io, so the last line before a hang names the
 * culprit).  At the end it prints how many calls it made and a histogram
 * of their results, then shuts down with SHUTDOWN_poweroff.  A DomU that
 * kills itself on the way (a garbage address space it asked for) ends
 * with crash, which is allowed.
 *
 * Each call is a hypercall number, weighted towards the implemented ones
 * (hyp/hypercall.c's table), with some unknown numbers; a sub-command,
 * mostly a valid one; and arguments from a mix: small integers, boundary
 * values, pointers into our own areas (RW, read-only, the page after the
 * RW area is read-only so copies straddle), into the hypervisor's area,
 * unmapped addresses, our start_info / shared_info / page tables (all
 * mapped read-only), and our own machine frames, so mmu_update, mmuext_op,
 * grant and memory ops reach real validation paths.  Structured arguments
 * are built in the RW area from the same mix.  grant_table_op's are built
 * by hcfuzz_grant.c, which draws from this mix (struct hcfuzz_mix): map,
 * unmap, copy and transfer ops against a grant table of our own, whose
 * entries it writes; at the end it prints the ops' GNTST_* statuses.
 *
 * Excluded (they block forever or end the DomU by design, which is no
 * hypervisor bug): SCHEDOP_block and SCHEDOP_shutdown, and the compat
 * sched_op's block and shutdown (any reason shuts down); SCHEDOP_poll
 * with a deadline still ahead (only deadlines in the past are made, so it
 * returns at once); the iret hypercall (it pops a frame off our stack and
 * never returns); VCPUOP_down of vCPU 0 (our only vCPU: the domain powers
 * off).  Multicall entries go through the same generator and filter;
 * a poll's struct is kept out of the RW area, where an earlier entry's
 * output could move its deadline ahead.
 *
 * Invariants that keep the DomU alive most of the time: our code is
 * mapped read-only before fuzzing starts (a hypervisor write through a
 * stray pointer fails instead of corrupting it); values that land in our
 * own data, stack or boot-region bookkeeping are moved elsewhere except
 * in 1 of PROTECT_LEAK cases; the pages whose mappings and frames the
 * fuzzer hands out ("victim" pages) are never read or written by the
 * fuzzer itself after start-up; the RW argument area is never the target
 * of a mapping change.  Determinism: every choice comes from the xorshift
 * generator seeded by seed=, never from a result (hcfuzz_grant.c uses a
 * few results, our grant table's frames and the handles our maps got,
 * but draws alike whatever they are).
 */
#include "guest.h"
#include "hcfuzz_grant.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "options.h"
#include <public/callback.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/memory.h>
#include <public/physdev.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define PAGE		4096u
#define ARG_PAGES	4u
#define RO_PAGES	4u
#define VICTIM_PAGES	16u
#define GUARD_PAGES	2u	/* rand_mfn() names victims' neighbours to +2 */
#define HYP_START	0xF5800000u
#define UNMAPPED_BASE	0x40000000u	/* L3 slot 1: nothing there */
#define PROTECT_LEAK	256u		/* 1 in N values may hit our data */
#define MC_MAX		8u
#define DEPTH_TOP	0
#define DEPTH_MC	1

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
static uint32_t vcpu_info_mfn;

/* The event callback we keep restoring: an upcall enters it with events
 * masked, and a plain iret (ring 1 to ring 1) leaves them masked. */
void hcfuzz_event_entry(void);
asm(".pushsection .text\n.globl hcfuzz_event_entry\n"
    "hcfuzz_event_entry:\n\tiret\n.popsection");

/* The first object of .data: our code and rodata end before its page. */
static volatile uint32_t data_marker = 1;

struct call {
	uint32_t nr;
	uint32_t a[5];
};

static uint64_t rng;
static uint32_t arg_used;
static bool verbose;
static uint32_t data_lo, boot_end, si_va;
static uint32_t victim_mfn[VICTIM_PAGES], area_mfn[ARG_PAGES + RO_PAGES];
static uint64_t victim_pte[VICTIM_PAGES];
static uint32_t pt_mfn[64], nr_pt;
static uint32_t l3_mfn, top_l2_mfn, low_l2_mfn;
static uint32_t other_mfn, shared_mfn, si_mfn, max_mfn;
static uint32_t hist[7], per_nr[65];

/* ---- output and randomness ---- */

static uint32_t rnd32(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static uint32_t rnd(uint32_t n)
{
	return n ? rnd32() % n : 0;
}

static bool chance(uint32_t one_in)
{
	return rnd(one_in) == 0;
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

static uint32_t boundary(void)
{
	static const uint32_t b[] = { 0, 1, 0xffffffffu, 0x7fffffffu,
				      0x80000000u, 0xffffu, 0x10000u,
				      0xfffu, 0x1000u, 0xfffffff0u };

	return b[rnd(sizeof(b) / sizeof(b[0]))];
}

/* n bytes of the RW area, 8-aligned; wraps (reuses) when full. */
static void *arg_alloc(uint32_t n)
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

static uint32_t rand_mfn(void);
static uint32_t rand_word(void);

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

static uint32_t ptr_foreign(void)
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

static uint32_t rand_ptr(void)
{
	return chance(3) ? ptr_foreign() : ptr_own();
}

static uint32_t rand_domid(void)
{
	static const uint32_t d[] = { DOMID_SELF, DOMID_SELF, DOMID_SELF, 0,
				      1, 2, DOMID_IO, DOMID_XEN, 0x7fff, 4095 };

	return d[rnd(sizeof(d) / sizeof(d[0]))];
}

static uint32_t rand_word(void)
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
static uint32_t rand_mfn(void)
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

static uint64_t rand_pte(void)
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
static uint32_t rand_va(void)
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
static uint64_t rand_entry_maddr(void)
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

static void fill_words(uint32_t *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		p[i] = rand_word();
}

static uint32_t small_count(uint32_t max)
{
	uint32_t r = rnd(16);

	if (r < 12)
		return 1 + rnd(max);
	if (r < 14)
		return 0;
	return r == 14 ? boundary() : rnd(1024);
}

static uint32_t pick_cmd(uint32_t nvalid)
{
	return chance(10) ? (chance(2) ? boundary() : rnd(64)) : rnd(nvalid);
}

/* ---- builders, one per hypercall (or family) ---- */

static void build_mmu_update(struct call *c)
{
	uint32_t n = small_count(MC_MAX), i, k = n > 64 ? 64 : n;
	struct mmu_update *req = arg_alloc(k * sizeof(*req) + 8);

	for (i = 0; i < k; i++) {
		uint32_t cmd = chance(8) ? rnd(8) : (chance(4) ? 1 : rnd(3));

		if (cmd == MMU_MACHPHYS_UPDATE) {
			req[i].ptr = ((uint64_t)rand_mfn() << 12) | cmd;
			req[i].val = chance(2) ? rnd(start_info->nr_pages) : rand_word();
		} else {
			req[i].ptr = (rand_entry_maddr() & ~3ull) | cmd;
			req[i].val = rand_pte();
		}
		if (verbose)
			hyp_printf("hcfuzz:     req[%u] ptr=%llx val=%llx\n", i,
			    (unsigned long long)req[i].ptr,
			    (unsigned long long)req[i].val);
	}
	c->a[0] = chance(12) ? rand_ptr() : (uint32_t)req;
	c->a[1] = n;
	c->a[2] = chance(2) ? 0 : rand_ptr();
	c->a[3] = chance(4) ? rand_domid() : DOMID_SELF;
}

static void mmuext_args(struct mmuext_op *op)
{
	switch (op->cmd) {
	case MMUEXT_NEW_BASEPTR:	/* anything but our own L3 is rare */
		op->arg1 = chance(8) ? rand_mfn() : l3_mfn;
		break;
	case MMUEXT_INVLPG_LOCAL:
	case MMUEXT_INVLPG_MULTI:
	case MMUEXT_INVLPG_ALL:
		op->arg1 = rand_va();
		break;
	case MMUEXT_SET_LDT:
		op->arg1 = chance(4) ? rand_word() : rand_va();
		op->arg2 = chance(2) ? rnd(600) : rand_word();
		return;
	case MMUEXT_COPY_PAGE:
		op->arg1 = rand_mfn();
		op->arg2 = rand_mfn();
		return;
	default:
		op->arg1 = chance(6) ? rand_word() : rand_mfn();
	}
	op->arg2 = chance(2) ? rand_ptr() : rand_word();
}

static void build_mmuext_op(struct call *c)
{
	uint32_t n = small_count(MC_MAX), i, k = n > 64 ? 64 : n;
	struct mmuext_op *op = arg_alloc(k * sizeof(*op) + 8);

	for (i = 0; i < k; i++) {
		op[i].cmd = chance(10) ? rand_word() : rnd(MMUEXT_COPY_PAGE + 2);
		mmuext_args(&op[i]);
		if (verbose)
			hyp_printf("hcfuzz:     op[%u] cmd=%u arg1=%x arg2=%x\n", i,
			    op[i].cmd, op[i].arg1, op[i].arg2);
	}
	c->a[0] = chance(12) ? rand_ptr() : (uint32_t)op;
	c->a[1] = n;
	c->a[2] = chance(2) ? 0 : rand_ptr();
	c->a[3] = chance(4) ? rand_domid() : DOMID_SELF;
}

static void build_update_va_mapping(struct call *c)
{
	uint64_t pte = rand_pte();

	c->a[0] = rand_va();
	c->a[1] = (uint32_t)pte;
	c->a[2] = (uint32_t)(pte >> 32);
	c->a[3] = chance(4) ? rand_word() : rnd(8);
}

static uint32_t reservation(struct xen_memory_reservation *r)
{
	uint32_t n = small_count(4), i, k = n > 32 ? 32 : n;
	uint32_t *ext = arg_alloc(k * 4 + 4);

	for (i = 0; i < k; i++)
		ext[i] = chance(2) ? rand_mfn() : rnd(start_info->nr_pages + 8);
	r->extent_start = chance(8) ? rand_ptr() : (uint32_t)ext;
	r->nr_extents = n;
	r->extent_order = chance(4) ? (chance(2) ? rnd(12) : rand_word()) : 0;
	r->mem_flags = chance(4) ? rand_word() : (chance(3) ? rnd(40) : 0);
	r->domid = chance(5) ? rand_domid() : DOMID_SELF;
	return (uint32_t)r;
}

static void build_memory_op(struct call *c)
{
	static const uint32_t cmds[] = { 0, 1, 1, 2, 3, 4, 6, 6, 9, 10, 11, 11, 12 };
	uint32_t cmd = chance(10) ? pick_cmd(32) : cmds[rnd(13)];
	uint32_t *blob = arg_alloc(64);

	fill_words(blob, 16);
	c->a[0] = cmd;
	c->a[1] = (uint32_t)blob;
	if (cmd <= XENMEM_decrease_reservation || cmd == XENMEM_populate_physmap) {
		c->a[1] = reservation((void *)blob);
	} else if (cmd == XENMEM_exchange) {
		struct xen_memory_exchange *x = (void *)blob;

		reservation(&x->in);
		reservation(&x->out);
		x->nr_exchanged = chance(4) ? rand_word() : 0;
	} else if (cmd == XENMEM_current_reservation || cmd == XENMEM_maximum_reservation) {
		blob[0] = rand_domid();
	}
	if (chance(8))
		c->a[1] = rand_ptr();
}

static void build_call(struct call *c, int depth);
static void build_multicall(struct call *c, int depth)
{
	uint32_t n = small_count(MC_MAX), i, k = n > MC_MAX ? MC_MAX : n;
	struct multicall_entry *mc = arg_alloc(MC_MAX * sizeof(*mc));
	struct call e;

	for (i = 0; i < k; i++) {
		build_call(&e, depth + 1);
		mc[i].op = e.nr;
		mc[i].result = rnd32();
		memcpy(mc[i].args, e.a, sizeof(e.a));
		mc[i].args[5] = rnd32();
		if (verbose)
			hyp_printf("hcfuzz:   mc[%u] nr=%u %08x %08x %08x %08x %08x\n", i,
			    e.nr, e.a[0], e.a[1], e.a[2], e.a[3], e.a[4]);
	}
	/* Only the k entries built here run: stale ones past them could be
	 * anything (an iret, a shutdown), so a longer count is cut to k. */
	c->a[0] = (uint32_t)mc;
	c->a[1] = n > MC_MAX ? k : n;
	if (chance(16)) {
		/* A list in the hypervisor's area (-EFAULT).  Never one we did
		 * not build (start_info, page tables, the read-only pages):
		 * its words would run as unfiltered entries - seed 5037 shut
		 * down with reason 22 from both start_info and the read-only
		 * pages, whose frames earlier calls may have rewritten. */
		c->a[0] = ptr_foreign() | HYP_START;
		c->a[1] = n;
	}
}

/* Ports, vCPUs, VIRQs and domains are small numbers or boundaries. */
static void fill_small(uint32_t *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		p[i] = chance(4) ? rand_word() : (chance(3) ? DOMID_SELF : rnd(40));
}

static void build_event_channel_op(struct call *c, bool compat)
{
	uint32_t cmd = pick_cmd(EVTCHNOP_set_priority + 1);
	uint32_t *blob = arg_alloc(40);

	fill_small(blob, 10);
	if (verbose)
		hyp_printf("hcfuzz:     evtchn cmd=%u {%x %x %x %x %x %x}\n", cmd, blob[1],
		    blob[2], blob[3], blob[4], blob[5], blob[6]);
	if (compat) {
		blob[0] = cmd;
		c->a[0] = chance(8) ? rand_ptr() : (uint32_t)blob;
		return;
	}
	c->a[0] = cmd;
	c->a[1] = chance(8) ? rand_ptr() : (uint32_t)blob;
}

static void build_vcpu_op(struct call *c)
{
	uint32_t cmd = pick_cmd(VCPUOP_register_vcpu_time_memory_area + 1);
	uint32_t size = cmd == VCPUOP_initialise ? sizeof(struct vcpu_guest_context) : 64;
	uint32_t *blob = arg_alloc(size);

	fill_words(blob, size / 4);
	if (cmd == VCPUOP_initialise) {	/* selectors that may pass */
		blob[0] = chance(2) ? 1 : rnd32();
		blob[1] = FLAT_RING1_CS;
	} else if (cmd == VCPUOP_register_vcpu_info) {
		blob[0] = chance(16) ? rand_mfn() : vcpu_info_mfn;
		blob[1] = chance(2) ? rnd(PAGE / 64) * 64 : rand_word();
	} else if (cmd == VCPUOP_set_periodic_timer ||
		   cmd == VCPUOP_set_singleshot_timer) {
		blob[0] = chance(2) ? rnd(20000000) : rnd32();
		blob[1] = chance(2) ? 0 : rnd32();
	}
	c->a[0] = cmd;
	c->a[1] = chance(8) ? rand_word() : (chance(6) ? 1 : 0);
	c->a[2] = chance(8) ? rand_ptr() : (uint32_t)blob;
}

static uint32_t rand_selector(void)
{
	static const uint32_t s[] = { FLAT_RING1_CS, FLAT_RING1_CS, FLAT_RING1_SS,
				      0xe02b, 0xe033, 0, 0x08, 0x10, 0x0b, 0xe018,
				      0xe010 };

	return chance(6) ? rand_word() : s[rnd(sizeof(s) / sizeof(s[0]))];
}

static void build_set_trap_table(struct call *c)
{
	uint32_t n = chance(8) ? 256 + rnd(64) : rnd(8), i;
	struct trap_info *t = arg_alloc((n + 1) * sizeof(*t));

	for (i = 0; i < n; i++) {
		t[i].vector = (uint8_t)(chance(2) ? rnd(32) : rnd32());
		t[i].flags = (uint8_t)(chance(2) ? rnd(8) : rnd32());
		t[i].cs = (uint16_t)rand_selector();
		t[i].address = rand_word() | 1;
	}
	memset(&t[n], 0, sizeof(t[n]));
	c->a[0] = chance(10) ? 0 : (chance(8) ? rand_ptr() : (uint32_t)t);
}

static void build_set_gdt(struct call *c)
{
	uint32_t *frames = arg_alloc(16 * 4), i;

	for (i = 0; i < 16; i++)
		frames[i] = chance(3) ? area_mfn[ARG_PAGES + rnd(RO_PAGES)] : rand_mfn();
	c->a[0] = chance(8) ? rand_ptr() : (uint32_t)frames;
	c->a[1] = chance(2) ? rnd(1024) : (chance(2) ? rnd(7200) : rand_word());
}

static uint32_t rand_desc_hi(void)
{
	static const uint32_t hi[] = { 0x00cf9a00, 0x00cfba00, 0x00cf9200,
				       0x00cff200, 0x00409a00, 0x0000ec00,
				       0x00008200, 0x00cf9600, 0x00cf9e00 };

	return chance(4) ? rnd32() : hi[rnd(sizeof(hi) / sizeof(hi[0]))];
}

static void build_update_descriptor(struct call *c)
{
	uint64_t ma = chance(4) ? rand_entry_maddr() :
		      ((uint64_t)rand_mfn() << 12) + rnd(512) * 8;

	c->a[0] = (uint32_t)ma;
	c->a[1] = (uint32_t)(ma >> 32);
	c->a[2] = chance(2) ? 0x0000ffff : rnd32();
	c->a[3] = rand_desc_hi();
}

static void build_callbacks(struct call *c)
{
	struct callback_register *r = arg_alloc(sizeof(*r) + 8);

	r->type = (uint16_t)(chance(6) ? rnd32() : rnd(9));
	r->flags = (uint16_t)(chance(4) ? rnd32() : rnd(2));
	r->address.cs = rand_selector();
	r->address.eip = rand_word();
	c->a[0] = chance(6) ? rand_word() : rnd(2);
	c->a[1] = chance(8) ? rand_ptr() : (uint32_t)r;
}

static void build_set_debugreg(struct call *c)
{
	uint32_t reg = chance(8) ? rand_word() : rnd(8);

	c->a[0] = reg;
	if (reg < 4)
		c->a[1] = rand_word();
	else if (reg == 7 || reg == 5)	/* enabling breakpoints is rare */
		c->a[1] = chance(64) ? rnd32() : rnd32() & ~0xffu;
	else
		c->a[1] = rnd32();
}

/*
 * A poll that cannot wait: its deadline (ns since boot) is long past.  Its
 * struct is not in the RW area, where an earlier multicall entry may write
 * over it (xen_version's 1 KiB of capabilities into a 64-byte buffer did)
 * and move the deadline ahead, so that we would block; it is in the middle
 * of a page of its own, out of reach of writes that run on from a stray
 * pointer near a page's end (0xfffff + max_mfn, a rand_mfn() value used as
 * a pointer, was 34 bytes before it).
 */
static struct {
	uint8_t before[PAGE / 2];
	struct sched_poll poll;
	uint8_t after[PAGE / 2 - sizeof(struct sched_poll)];
} poll_page __attribute__((aligned(4096)));

static void build_sched_op(struct call *c)
{
	static const uint32_t cmds[] = { SCHEDOP_yield, SCHEDOP_poll, SCHEDOP_poll,
					 SCHEDOP_remote_shutdown, 5, 6, 7, 8 };
	struct sched_poll *p = &poll_page.poll;
	uint32_t *ports = arg_alloc(16 * 4), i;

	c->a[0] = chance(10) ? 8 + rnd32() % 0xfffffff0u : cmds[rnd(8)];
	for (i = 0; i < 16; i++)
		ports[i] = chance(8) ? rand_word() : rnd(40);
	p->ports = chance(8) ? rand_ptr() : (uint32_t)ports;
	p->nr_ports = chance(8) ? rand_word() : rnd(17);
	p->timeout = 1 + rnd(100000000);
	c->a[1] = (uint32_t)p;
	if (c->a[0] == SCHEDOP_poll) {
		if (chance(8))	/* in the hypervisor's area: faults at once */
			c->a[1] = ptr_foreign() | HYP_START;
		return;
	}
	/* remote_shutdown's {domid, reason}, or anything */
	fill_small(ports, 4);
	c->a[1] = chance(4) ? rand_ptr() : (uint32_t)ports;
}

static void build_console_io(struct call *c)
{
	static const char text[] = "hcfuzz: console_io text\n";
	char *buf = arg_alloc(sizeof(text));

	memcpy(buf, text, sizeof(text));
	c->a[0] = chance(4) ? pick_cmd(2) : CONSOLEIO_write;
	c->a[1] = (uint32_t)buf;
	c->a[2] = chance(2) ? sizeof(text) - 1 : 0;
	if (chance(3)) {	/* bad buffers, any count */
		c->a[1] = ptr_foreign() | HYP_START;
		c->a[2] = rand_word();
	}
	/* console_io's order: cmd, count, buffer */
	c->a[3] = c->a[1];
	c->a[1] = c->a[2];
	c->a[2] = c->a[3];
	c->a[3] = 0;
}

static void build_blob_op(struct call *c, uint32_t ncmds, uint32_t cmd_word)
{
	uint32_t *blob = arg_alloc(160);

	fill_small(blob, 40);
	if (cmd_word == 0) {	/* struct with the command first */
		blob[0] = pick_cmd(ncmds);
		blob[1] = chance(2) ? 0x03000001 : (chance(2) ? 0x10 : 0x13);
		c->a[0] = chance(8) ? rand_ptr() : (uint32_t)blob;
		return;
	}
	c->a[0] = pick_cmd(ncmds);
	c->a[1] = chance(8) ? rand_ptr() : (uint32_t)blob;
}

static void build_simple(struct call *c)
{
	uint32_t i;

	for (i = 0; i < 5; i++)
		c->a[i] = rand_word();
	switch (c->nr) {
	case __HYPERVISOR_stack_switch:
		c->a[0] = rand_selector();
		break;
	case __HYPERVISOR_set_callbacks:
		c->a[0] = rand_selector();
		c->a[2] = rand_selector();
		break;
	case __HYPERVISOR_fpu_taskswitch:
	case __HYPERVISOR_get_debugreg:
		c->a[0] = chance(4) ? rand_word() : rnd(9);
		break;
	case __HYPERVISOR_vm_assist:
		c->a[0] = chance(4) ? rand_word() : rnd(2);
		c->a[1] = chance(4) ? rand_word() : rnd(6);
		break;
	case __HYPERVISOR_xen_version:
		c->a[0] = chance(6) ? rand_word() : rnd(12);
		break;
	case __HYPERVISOR_sched_op_compat:	/* block and shutdown excluded */
		c->a[0] = chance(2) ? SCHEDOP_yield : 3 + rnd32() % 0xfffffffcu;
		break;
	}
}

/* ---- choosing and filtering ---- */

static const struct {
	uint8_t nr, weight;
} weights[] = {
	{ __HYPERVISOR_mmu_update, 10 }, { __HYPERVISOR_mmuext_op, 10 },
	{ __HYPERVISOR_update_va_mapping, 8 }, { __HYPERVISOR_memory_op, 8 },
	{ __HYPERVISOR_multicall, 5 }, { __HYPERVISOR_grant_table_op, 8 },
	{ __HYPERVISOR_event_channel_op, 6 }, { __HYPERVISOR_event_channel_op_compat, 2 },
	{ __HYPERVISOR_vcpu_op, 6 }, { __HYPERVISOR_set_trap_table, 3 },
	{ __HYPERVISOR_set_gdt, 3 }, { __HYPERVISOR_update_descriptor, 4 },
	{ __HYPERVISOR_stack_switch, 2 }, { __HYPERVISOR_set_callbacks, 2 },
	{ __HYPERVISOR_callback_op, 3 }, { __HYPERVISOR_fpu_taskswitch, 1 },
	{ __HYPERVISOR_set_debugreg, 3 }, { __HYPERVISOR_get_debugreg, 1 },
	{ __HYPERVISOR_sched_op, 3 }, { __HYPERVISOR_sched_op_compat, 1 },
	{ __HYPERVISOR_xen_version, 3 }, { __HYPERVISOR_console_io, 1 },
	{ __HYPERVISOR_physdev_op, 4 }, { __HYPERVISOR_physdev_op_compat, 2 },
	{ __HYPERVISOR_vm_assist, 2 }, { __HYPERVISOR_set_timer_op, 2 },
	{ __HYPERVISOR_platform_op, 2 }, { __HYPERVISOR_sysctl, 2 },
	{ __HYPERVISOR_domctl, 2 },
	{ 255, 5 },	/* any number below 64 */
	{ 254, 1 },	/* a number past the table */
};

static uint32_t pick_nr(void)
{
	uint32_t total = 0, i, r;

	for (i = 0; i < sizeof(weights) / sizeof(weights[0]); i++)
		total += weights[i].weight;
	r = rnd(total);
	for (i = 0; r >= weights[i].weight; i++)
		r -= weights[i].weight;
	if (weights[i].nr == 255)
		return rnd(NR_HYPERCALLS);
	if (weights[i].nr == 254)
		return chance(2) ? NR_HYPERCALLS + rnd(64) : boundary() | 0x80;
	return weights[i].nr;
}

/* Calls that end or stall the DomU by design (see the top comment). */
static bool excluded(const struct call *c)
{
	switch (c->nr) {
	case __HYPERVISOR_iret:
		return true;
	case __HYPERVISOR_sched_op:
		return c->a[0] == SCHEDOP_block || c->a[0] == SCHEDOP_shutdown;
	case __HYPERVISOR_sched_op_compat:
		return c->a[0] == SCHEDOP_block || c->a[0] == SCHEDOP_shutdown;
	case __HYPERVISOR_vcpu_op:
		return c->a[0] == VCPUOP_down && c->a[1] == 0;
	default:
		return false;
	}
}

static void build_by_nr(struct call *c, int depth)
{
	switch (c->nr) {
	case __HYPERVISOR_mmu_update: build_mmu_update(c); break;
	case __HYPERVISOR_mmuext_op: build_mmuext_op(c); break;
	case __HYPERVISOR_update_va_mapping: build_update_va_mapping(c); break;
	case __HYPERVISOR_memory_op: build_memory_op(c); break;
	case __HYPERVISOR_multicall: build_multicall(c, depth); break;
	case __HYPERVISOR_grant_table_op:
		hcfuzz_grant_build(c->a, depth == DEPTH_TOP);
		break;
	case __HYPERVISOR_event_channel_op: build_event_channel_op(c, false); break;
	case __HYPERVISOR_event_channel_op_compat: build_event_channel_op(c, true); break;
	case __HYPERVISOR_vcpu_op: build_vcpu_op(c); break;
	case __HYPERVISOR_set_trap_table: build_set_trap_table(c); break;
	case __HYPERVISOR_set_gdt: build_set_gdt(c); break;
	case __HYPERVISOR_update_descriptor: build_update_descriptor(c); break;
	case __HYPERVISOR_callback_op: build_callbacks(c); break;
	case __HYPERVISOR_set_debugreg: build_set_debugreg(c); break;
	case __HYPERVISOR_sched_op: build_sched_op(c); break;
	case __HYPERVISOR_console_io: build_console_io(c); break;
	case __HYPERVISOR_physdev_op: build_blob_op(c, 32, 1); break;
	case __HYPERVISOR_physdev_op_compat: build_blob_op(c, 32, 0); break;
	case __HYPERVISOR_platform_op: build_blob_op(c, 64, 0); break;
	case __HYPERVISOR_sysctl: build_blob_op(c, 8, 0); break;
	case __HYPERVISOR_domctl: build_blob_op(c, 32, 0); break;
	default: build_simple(c); break;
	}
}

static void build_call(struct call *c, int depth)
{
	do {
		memset(c, 0, sizeof(*c));
		c->nr = pick_nr();
		/* a nested multicall is refused; keep it, but rarely */
		if (c->nr == __HYPERVISOR_multicall && depth > DEPTH_TOP && !chance(8))
			continue;
		build_by_nr(c, depth);
	} while (excluded(c) || (c->nr == __HYPERVISOR_multicall && depth > DEPTH_MC));
}

/* ---- running ---- */

/* Undo, most of the time, what would end us through no fault of the
 * hypervisor: a garbage event callback (an upcall would jump to it) and
 * enabled breakpoints (we have no #DB handler). */
static void restore_state(const struct call *c)
{
	if (c->nr == __HYPERVISOR_set_callbacks || c->nr == __HYPERVISOR_callback_op ||
	    c->nr == __HYPERVISOR_multicall)
		hypercall(__HYPERVISOR_set_callbacks, FLAT_RING1_CS,
			  (uint32_t)hcfuzz_event_entry, FLAT_RING1_CS,
			  (uint32_t)hcfuzz_event_entry, 0);
	if ((c->nr == __HYPERVISOR_set_debugreg || c->nr == __HYPERVISOR_multicall) &&
	    !chance(8))
		hypercall(__HYPERVISOR_set_debugreg, 7, 0, 0, 0, 0);
}

static long make_call(const struct call *c)
{
	if (c->nr >= 128)	/* past the hypercall page */
		return raw_hypercall(c->nr, c->a[0], c->a[1]);
	return hypercall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
}

static void count_result(uint32_t nr, long rc)
{
	unsigned int bin;

	if (rc == 0)
		bin = 0;
	else if (rc > 0)
		bin = 1;
	else if (rc == -XEN_ENOSYS)
		bin = 2;
	else if (rc == -XEN_EINVAL)
		bin = 3;
	else if (rc == -XEN_EFAULT)
		bin = 4;
	else if (rc == -XEN_EPERM)
		bin = 5;
	else
		bin = 6;
	hist[bin]++;
	per_nr[nr < 64 ? nr : 64]++;
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

static int setup(void)
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

static void report(unsigned long made)
{
	char line[700];
	size_t n = 0;
	unsigned int i;

	hyp_printf("hcfuzz: done: %lu calls; results: 0=%u >0=%u ENOSYS=%u EINVAL=%u "
	    "EFAULT=%u EPERM=%u other=%u\n", made, hist[0], hist[1], hist[2],
	    hist[3], hist[4], hist[5], hist[6]);
	n = (size_t)snprintf(line, sizeof(line), "hcfuzz: calls by number:");
	for (i = 0; i < 64 && n < sizeof(line); i++)
		if (per_nr[i])
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %u:%u",
					      i, per_nr[i]);
	if (n < sizeof(line))
		n += (size_t)snprintf(line + n, sizeof(line) - n, " past-64:%u",
				      per_nr[64]);
	if (n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	HYPERVISOR_console_io(CONSOLEIO_write, (uint32_t)n, line);
	hcfuzz_grant_report();
}

void kernel_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	unsigned long seed = opt_number(cmd, "seed", 1);
	unsigned long calls = opt_number(cmd, "calls", 3000), i;
	struct call c;
	long rc;

	verbose = opt_is(cmd, "verbose", "1");
	rng = (uint64_t)seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
	hyp_printf("hcfuzz: seed=%lu calls=%lu\n", seed, calls);
	if (mm_init() || setup()) {
		hyp_printf("hcfuzz: setup failed\n");
		guest_shutdown(SHUTDOWN_crash);
		return;
	}
	for (i = 0; i < calls; i++) {
		arg_used = 0;
		build_call(&c, DEPTH_TOP);
		if (verbose)
			hyp_printf("hcfuzz: #%lu nr=%u %08x %08x %08x %08x %08x\n", i, c.nr,
			    c.a[0], c.a[1], c.a[2], c.a[3], c.a[4]);
		rc = make_call(&c);
		count_result(c.nr, rc);
		if (c.nr == __HYPERVISOR_grant_table_op)
			hcfuzz_grant_tally();
		restore_state(&c);
		if ((i + 1) % 1000 == 0)
			hyp_printf("hcfuzz: %lu calls\n", i + 1);
	}
	report(calls);
	guest_shutdown(SHUTDOWN_poweroff);
}
