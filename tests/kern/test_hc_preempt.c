/*
 * test_hc_preempt.c - long hypercalls are preemptible (hypercall.h): a
 * 1 ms timer, re-armed by its own handler, fires at least 3 times during
 * one call lasting 10 ms or more (for the calls whose length we set, up to
 * 3 runs: a stalled host can hold back one run's ticks, ktest.h).  The event can only reach us while the
 * call runs if the call returns to the guest as a continuation; without
 * that, all of it is one upcall on the way out.  Continued calls must
 * give what one uninterrupted call would:
 *  - mmu_update of N M2P updates (N sized for about 30 ms): 0, *pdone N;
 *    with a request we may not make at N-5: -EPERM and *pdone N-5, counted
 *    across the continuations;
 *  - mmuext_op of N/4 local TLB flushes: 0, *pdone N/4; an unknown command
 *    at N/4-5: -ENOSYS, *pdone N/4-5;
 *  - the same mmu_update as a multicall entry: the multicall continues at
 *    that entry, whose result is 0, *pdone N, and whose count argument
 *    now carries MMU_UPDATE_PREEMPTED (as Xen, the entry's arguments are
 *    rewritten in our list);
 *  - console_io write of 4 MiB of NULs (skipped, so nothing prints) ending
 *    in one line, alone and as a multicall entry: the count and buffer it
 *    leaves in %ecx/%edx (alone) or in the entry's arguments are what was
 *    left when it last continued; the runner wants that line (tests.list),
 *    which only the buffer's last bytes hold;
 *  - decrease_reservation of 4096 frames, populate_physmap of them below
 *    128 MiB (the allocator's address-limited path; each frame below it)
 *    and an exchange of 4096 single frames: every extent done, the new
 *    frames ours with their M2P entries our pfns.
 *  - the extent to start from in memory_op's command word: a decrease of
 *    4 extents from extent 2 returns 4 and gives back only extents 2 and
 *    3; a start at nr_extents returns it and does nothing; other
 *    subcommands with a start are -EINVAL; more than 2^26 extents (no
 *    continuation could name them) is -EINVAL.
 *  - a multicall of 128 entries (one slice by count), each one mmuext_op
 *    that cannot be preempted by itself (a single pin or unpin of an L2
 *    whose K full L1s are validated or released with it, K sized for
 *    about 30 ms in all): the multicall must stop between entries on time
 *    alone, and every entry's result is 0.
 * The mmuext_op, console and memory calls are checked for preemption (and
 * the console's rewritten arguments) when they take 10 ms or more (always
 * under TCG): their length is not ours to set.
 */
#include "ktest.h"
#include "event.h"
#include "mm.h"
#include "time.h"
#include <public/memory.h>

#define MS		1000000ull
#define MAX_REQS	131072u
#define NR_FRAMES	4096u
#define HYP_MFN		0x100u

static struct mmu_update reqs[MAX_REQS];
static struct mmuext_op ops[MAX_REQS];
static uint32_t pfns[NR_FRAMES], list[NR_FRAMES], out[NR_FRAMES];
static volatile uint32_t ticks;

static void on_timer(evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	ticks++;
	HYPERVISOR_set_timer_op(time_system_ns() + MS);
}

struct run {
	long rc;
	uint32_t ticks;
	uint64_t ns;
};

/* Call fn(n) with the 1 ms timer running: its result, time and events. */
static struct run timed(long (*fn)(uint32_t n), uint32_t n)
{
	struct run r;
	uint32_t t0;
	uint64_t start;

	HYPERVISOR_set_timer_op(time_system_ns() + MS);
	t0 = ticks;
	start = time_system_ns();
	r.rc = fn(n);
	r.ns = time_system_ns() - start;
	r.ticks = ticks - t0;
	HYPERVISOR_set_timer_op(0);
	return r;
}

static void report(const char *what, struct run r)
{
	printf("%s: %u us, %u timer events during the call\n", what,
	       (uint32_t)(r.ns / 1000), r.ticks);
}

/*
 * A call of 10 ms or more gave the timer back to us 3 times or more.  The
 * length is the hypervisor's promise (KCHECK); the count is a window
 * (ktest.h): a stalled host can hold back the ticks of one run, a call
 * that is not preempted gets at most one in every run.
 */
static bool preempted(const char *what, struct run r)
{
	report(what, r);
	KCHECK(r.ns >= 10 * MS);
	return r.ticks >= 3;
}

static uint32_t done;

static long mmu_batch(uint32_t n);
static long mmu_in_multicall(uint32_t n);

static bool mmu_preempted(uint32_t n)
{
	bool ok = preempted("mmu_update", timed(mmu_batch, n));

	KCHECK_EQ(done, n);
	return ok;
}

static bool mmu_in_multicall_preempted(uint32_t n)
{
	bool ok = preempted("multicall of one mmu_update",
			    timed(mmu_in_multicall, n));

	KCHECK_EQ(done, n);
	return ok;
}

/* The same for a call whose length we do not choose: checked when it took
 * 10 ms or more (always under TCG, where zeroing 16 MiB takes longer). */
static bool check_if_long(const char *what, struct run r)
{
	report(what, r);
	if (r.ns >= 10 * MS)
		KCHECK(r.ticks >= 3);
	return r.ns >= 10 * MS;
}

static long mmu_batch(uint32_t n)
{
	done = ~0u;
	return HYPERVISOR_mmu_update(reqs, n, &done, DOMID_SELF);
}

static long mmuext_batch(uint32_t n)
{
	done = ~0u;
	return HYPERVISOR_mmuext_op(ops, n, &done, DOMID_SELF);
}

static struct multicall_entry mc[1];

static long multicall_one(uint32_t unused)
{
	(void)unused;
	return HYPERVISOR_multicall(mc, 1);
}

static long mmu_in_multicall(uint32_t n)
{
	done = ~0u;
	mc[0] = (struct multicall_entry){
		.op = __HYPERVISOR_mmu_update,
		.result = 0x5555,
		.args = { (uint32_t)reqs, n, (uint32_t)&done, DOMID_SELF },
	};
	return HYPERVISOR_multicall(mc, 1);
}

/* N M2P updates that change nothing (our pfn 0 is already its frame's),
 * N sized from a short run so that the call takes about 30 ms. */
static uint32_t size_mmu_batch(void)
{
	uint32_t mfn = pfn_to_mfn(0), i, n = 4096;
	uint64_t best = 0;
	struct run r;

	for (i = 0; i < MAX_REQS; i++)
		reqs[i] = (struct mmu_update){
			((uint64_t)mfn << 12) | MMU_MACHPHYS_UPDATE, 0 };
	for (i = 0; i < 3; i++) {	/* the fastest of 3: QEMU may stall */
		r = timed(mmu_batch, n);
		KCHECK_EQ(r.rc, 0);
		KCHECK_EQ(done, n);
		if (!i || r.ns < best)
			best = r.ns;
	}
	if (best && (uint64_t)n * 30 * MS / best < MAX_REQS)
		n = (uint32_t)((uint64_t)n * 30 * MS / best);
	else
		n = MAX_REQS;
	printf("mmu_update: 4096 requests in %u us; using %u\n",
	       (uint32_t)(best / 1000), n);
	return n;
}

/* NULs, which console_io skips, and one line at the very end: printed
 * only if every continuation carried the buffer forward (tests.list). */
#define NULS		(4u << 20)
#define TAIL		"hc_preempt: the last line of 4 MiB\n"
static char nuls[NULS];

static void set_tail(void)
{
	memcpy(nuls + NULS - sizeof(TAIL) + 1, TAIL, sizeof(TAIL) - 1);
}

/* The registers a continued write leaves: count and buffer as of the last
 * continuation, as on Xen (the call itself has nothing else to show). */
static uint32_t left_ecx, left_edx;

static long write_nuls(uint32_t n)
{
	uint32_t fn = (uint32_t)hypercall_page + __HYPERVISOR_console_io * 32;
	uint32_t b = CONSOLEIO_write, c = n, d = (uint32_t)nuls;
	long ret;

	asm volatile("call *%[fn]"
		     : "=a"(ret), "+b"(b), "+c"(c), "+d"(d)
		     : [fn] "m"(fn)
		     : "memory", "esi", "edi");
	left_ecx = c;
	left_edx = d;
	return ret;
}

static void check_batches(uint32_t n)
{
	uint32_t i;

	KCHECK_WINDOW(mmu_preempted(n));
	reqs[n - 5].ptr = ((uint64_t)HYP_MFN << 12) | MMU_MACHPHYS_UPDATE;
	KCHECK_EQ(timed(mmu_batch, n).rc, -XEN_EPERM);
	KCHECK_EQ(done, n - 5);
	reqs[n - 5] = reqs[0];

	n /= 4;			/* a TLB flush costs more than an M2P update */
	for (i = 0; i < n; i++)
		ops[i] = (struct mmuext_op){ MMUEXT_TLB_FLUSH_LOCAL, 0, 0 };
	check_if_long("mmuext_op", timed(mmuext_batch, n));
	KCHECK_EQ(done, n);
	ops[n - 5].cmd = 999;
	KCHECK_EQ(timed(mmuext_batch, n).rc, -XEN_ENOSYS);
	KCHECK_EQ(done, n - 5);
	n *= 4;

	set_tail();
	/* registers as the last continuation left them (none: as given) */
	if (check_if_long("console_io write of 4 MiB of NULs",
			  timed(write_nuls, NULS)))
		KCHECK(left_edx > (uint32_t)nuls);	/* buffer advanced */
	KCHECK_EQ(left_ecx + left_edx, (uint32_t)nuls + NULS);
	mc[0] = (struct multicall_entry){
		.op = __HYPERVISOR_console_io,
		.result = 0x5555,
		.args = { CONSOLEIO_write, NULS, (uint32_t)nuls },
	};
	if (check_if_long("the same as a multicall entry",
			  timed(multicall_one, 0)))
		KCHECK(mc[0].args[2] > (uint32_t)nuls);	/* rewritten */
	KCHECK_EQ(mc[0].result, 0);
	KCHECK_EQ(mc[0].args[1] + mc[0].args[2], (uint32_t)nuls + NULS);

	KCHECK_WINDOW(mmu_in_multicall_preempted(n));
	KCHECK_EQ(mc[0].result, 0);
	KCHECK(mc[0].args[1] & MMU_UPDATE_PREEMPTED);
}

/*
 * Slow entries that only the multicall can preempt: a single PIN_L2 or
 * UNPIN of an L2 naming K L1s, each full of read-only mappings of our
 * page 0, so each pin validates 512 * K entries and each unpin drops them.
 */
#define MC_ENTRIES	128u
#define MAX_L1S		64u

static struct multicall_entry slow_mc[MC_ENTRIES];
static struct mmuext_op pin_op, unpin_op;
static uint32_t slow_l2, slow_l1[MAX_L1S];

static void fill_table(uint32_t pfn, uint32_t nr, const uint32_t *mfns)
{
	uint64_t *t;
	uint32_t i;

	KCHECK_EQ(mm_map_pfn(1, pfn, true), 0);
	t = (uint64_t *)mm_window_va(1);
	for (i = 0; i < 512; i++)
		t[i] = mfns ? (i < nr ? mm_make_entry(mfns[i], MM_PTE_RW) : 0) :
			      mm_make_entry(pfn_to_mfn(0), MM_PTE_RO);
	KCHECK_EQ(mm_unmap(1), 0);
}

/* The L2 names the first k L1s; all entries alternate pin and unpin. */
static void build_slow_tables(uint32_t k)
{
	uint32_t i, pfn;

	for (i = 0; i < MAX_L1S && !slow_l1[i]; i++) {
		KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
		fill_table(pfn, 0, NULL);
		slow_l1[i] = pfn_to_mfn(pfn);
	}
	if (!slow_l2) {
		KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
		slow_l2 = pfn;
	}
	fill_table(slow_l2, k, slow_l1);
	pin_op = (struct mmuext_op){ MMUEXT_PIN_L2_TABLE, pfn_to_mfn(slow_l2), 0 };
	unpin_op = (struct mmuext_op){ MMUEXT_UNPIN_TABLE, pfn_to_mfn(slow_l2), 0 };
	for (i = 0; i < MC_ENTRIES; i++)
		slow_mc[i] = (struct multicall_entry){
			.op = __HYPERVISOR_mmuext_op,
			.result = 0x5555,
			.args = { (uint32_t)(i & 1 ? &unpin_op : &pin_op), 1, 0,
				  DOMID_SELF },
		};
}

static long slow_multicall(uint32_t n)
{
	return HYPERVISOR_multicall(slow_mc, n);
}

/* The fastest of 3 runs of 8 entries (4 pins, 4 unpins) with k L1s. */
static uint64_t time_8_entries(uint32_t k)
{
	uint64_t best = 0;
	struct run r;
	int i;

	build_slow_tables(k);
	for (i = 0; i < 3; i++) {
		r = timed(slow_multicall, 8);
		KCHECK_EQ(r.rc, 0);
		if (!i || r.ns < best)
			best = r.ns;
	}
	return best;
}

/*
 * K from two sizes, so the fixed cost of an entry is not scaled with it:
 * 128 entries are 16 times 8, and should take about 30 ms.
 */
static uint32_t size_slow_entries(void)
{
	uint64_t t1 = time_8_entries(1), t8 = time_8_entries(8);
	uint64_t per_l1 = t8 > t1 ? (t8 - t1) / 7 : 1, goal = 30 * MS / 16;
	uint64_t fixed = t1 > per_l1 ? t1 - per_l1 : 0, k = 1;

	if (per_l1 && goal > fixed)
		k = (goal - fixed + per_l1 / 2) / per_l1;
	k = k < 1 ? 1 : k > MAX_L1S ? MAX_L1S : k;
	printf("multicall: 8 pin/unpin entries of 1 L1 in %u us, of 8 in %u us; "
	       "using %u\n", (uint32_t)(t1 / 1000), (uint32_t)(t8 / 1000),
	       (uint32_t)k);
	return (uint32_t)k;
}

static void check_multicall_between_entries(void)
{
	uint32_t i, tries;
	struct run r;

	build_slow_tables(size_slow_entries());
	for (tries = 1;; tries++) {
		r = timed(slow_multicall, MC_ENTRIES);
		KCHECK_EQ(r.rc, 0);
		for (i = 0; i < MC_ENTRIES; i++)
			KCHECK_EQ(slow_mc[i].result, 0);
		if (preempted("multicall of 128 unpreemptible entries", r))
			break;
		printf("multicall of 128: outside its window (try %u of %u)\n",
		       tries, KTEST_WINDOW_TRIES);
		if (tries >= KTEST_WINDOW_TRIES) {
			ktest_failures++;
			break;
		}
	}
}

static long memop(uint32_t cmd)
{
	return mm_reservation_change(cmd, list, NR_FRAMES, 0);
}

/* populate_physmap below 128 MiB: under the top of QEMU's 256 MiB, so
 * every frame comes from the allocator's address-limited path. */
#define LOW_BITS	27u

static long populate_low(uint32_t n)
{
	struct xen_memory_reservation r = {
		(uint32_t)list, n, 0, LOW_BITS, DOMID_SELF
	};

	return HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
}

static long exchange_all(uint32_t n)
{
	struct xen_memory_exchange x = {
		.in = { (uint32_t)list, n, 0, 0, DOMID_SELF },
		.out = { (uint32_t)out, n, 0, 0, DOMID_SELF },
	};
	long rc = HYPERVISOR_memory_op(XENMEM_exchange, &x);

	return rc ? rc : (long)x.nr_exchanged;
}

/* Our pfns again hold the frames in list[], each mapping and ours. */
static void adopt(const uint32_t *mfns)
{
	uint32_t i;

	for (i = 0; i < NR_FRAMES; i++) {
		KCHECK_EQ(mfn_to_pfn(mfns[i]), pfns[i]);
		mm_set_p2m(pfns[i], mfns[i]);
	}
	KCHECK_EQ(mm_map_pfn(0, pfns[NR_FRAMES - 1], true), 0);
	KCHECK_EQ(mm_unmap(0), 0);
}

static void check_memory(void)
{
	struct run r;
	uint32_t i;

	for (i = 0; i < NR_FRAMES; i++) {
		KCHECK_EQ(mm_alloc_pfn(&pfns[i]), 0);
		list[i] = pfn_to_mfn(pfns[i]);
	}
	r = timed(memop, XENMEM_decrease_reservation);
	report("decrease_reservation", r);	/* too little work to check */
	KCHECK_EQ(r.rc, NR_FRAMES);
	for (i = 0; i < NR_FRAMES; i++) {
		KCHECK_EQ(mfn_to_pfn(list[i]), MM_INVALID_PFN);
		mm_set_p2m(pfns[i], MM_INVALID_MFN);
		list[i] = pfns[i];
	}
	KCHECK(mm_max_ram_page() >= 1u << (LOW_BITS - 12));
	r = timed(populate_low, NR_FRAMES);
	check_if_long("populate_physmap below 128 MiB", r);
	KCHECK_EQ(r.rc, NR_FRAMES);
	for (i = 0; i < NR_FRAMES; i++)
		KCHECK(list[i] < 1u << (LOW_BITS - 12));
	adopt(list);
	for (i = 0; i < NR_FRAMES; i++)
		out[i] = pfns[i];
	r = timed(exchange_all, NR_FRAMES);
	check_if_long("exchange", r);
	KCHECK_EQ(r.rc, NR_FRAMES);
	adopt(out);
	for (i = 0; i < NR_FRAMES; i++)
		list[i] = out[i];
}

static long start_at(uint32_t cmd, uint32_t start, uint32_t n)
{
	struct xen_memory_reservation r = {
		(uint32_t)list, n, 0, 0, DOMID_SELF
	};

	return HYPERVISOR_memory_op(cmd | start << MEMOP_EXTENT_SHIFT, &r);
}

static void check_extent_start(void)
{
	domid_t self = DOMID_SELF;
	long pages = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
	uint32_t keep[2] = { list[0], list[1] };

	list[0] = HYP_MFN;	/* would stop the call if it were looked at */
	list[1] = HYP_MFN;
	KCHECK_EQ(start_at(XENMEM_decrease_reservation, 2, 4), 4);
	KCHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &self),
		  pages - 2);
	KCHECK_EQ(mfn_to_pfn(list[2]), MM_INVALID_PFN);
	KCHECK_EQ(mfn_to_pfn(list[3]), MM_INVALID_PFN);
	KCHECK_EQ(mfn_to_pfn(list[4]), pfns[4]);
	KCHECK_EQ(start_at(XENMEM_decrease_reservation, 4, 4), 4);
	KCHECK_EQ(start_at(XENMEM_decrease_reservation, 0, 1u << 26 | 1),
		  -XEN_EINVAL);
	KCHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation |
				       1u << MEMOP_EXTENT_SHIFT, &self),
		  -XEN_EINVAL);
	KCHECK_EQ(HYPERVISOR_memory_op(XENMEM_exchange |
				       1u << MEMOP_EXTENT_SHIFT, &self),
		  -XEN_EINVAL);
	KCHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &self),
		  pages - 2);
	KCHECK_EQ(mfn_to_pfn(keep[0]), pfns[0]);
}

void kernel_main(struct start_info *si)
{
	evtchn_port_t port;
	uint32_t n;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK_EQ(evtchn_init(), 0);
	KCHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, &port), 0);
	if (ktest_failures) {
		ktest_finish();
		return;
	}
	KCHECK_EQ(evtchn_set_handler(port, on_timer, NULL), 0);
	local_irq_enable();
	n = size_mmu_batch();
	check_batches(n);
	check_multicall_between_entries();
	check_memory();
	check_extent_start();
	ktest_finish();
}
