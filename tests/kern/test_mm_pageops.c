/*
 * test_mm_pageops.c - mmuext_op MMUEXT_CLEAR_PAGE / MMUEXT_COPY_PAGE, and
 * the old physdev_op_compat hypercall (19), as NetBSD's Xen kernels use
 * them:
 *  - CLEAR_PAGE zeroes a page of ours filled with a pattern, and COPY_PAGE
 *    copies a pattern exactly (both read back through our own writable
 *    mappings, so a page mapped writable is a valid destination); the
 *    source is left as it was;
 *  - both refuse (-EINVAL) a pinned L1 as the destination and leave it as
 *    it was; a pinned L1 is accepted as a COPY source (only read);
 *  - both refuse frames that are not ours: the hypervisor's image (mfn
 *    0x100), a free RAM frame, frames past RAM (just past it, and the
 *    BIOS ROM below 4 GiB); COPY refuses them as a
 *    source too, and the destination keeps its contents;
 *  - in one batch, a refused request stops it: done counts the ones
 *    before it, the ones after it are not run;
 *  - the references the ops take are dropped: a page just cleared or
 *    copied into can be pinned as an L1 once our mapping of it is gone;
 *  - physdev_op_compat runs PHYSDEVOP_set_iopl (checked by its effect: at
 *    IOPL 0 a ring-1 "in" takes a #GP) and PHYSDEVOP_irq_status_query /
 *    PHYSDEVOP_alloc_irq_vector with the results of physdev_op (33)
 *    written back into the union; unknown commands are -ENOSYS; a
 *    struct physdev_op not wholly readable is -EFAULT.
 */
#include "ktest.h"
#include "mm.h"
#include <public/physdev.h>

#define A_SLOT		0u	/* page A, mapped writable */
#define B_SLOT		1u	/* page B, mapped writable */
#define L1_SLOT		2u	/* the pinned L1, read-only */
#define TMP_SLOT	3u	/* scratch, then unmapped */
#define EDGE_SLOT	4u	/* a page whose successor slot is unmapped */
#define HOLE_SLOT	5u	/* kept unmapped */
#define HYP_MFN		0x100u	/* the hypervisor's image, at 1 MiB */
#define L1_INDEX	5u	/* the entry the pinned L1 holds */

static uint8_t *slot_page(unsigned int slot)
{
	return (uint8_t *)mm_window_va(slot);
}

static void fill(unsigned int slot, uint32_t seed)
{
	uint8_t *p = slot_page(slot);
	unsigned int i;

	for (i = 0; i < MM_PAGE_SIZE; i++)
		p[i] = (uint8_t)((i * 131u + seed) ^ (i >> 8));
}

/* Does the page in slot hold fill(seed)'s pattern, every byte of it? */
static bool holds_pattern(unsigned int slot, uint32_t seed)
{
	const volatile uint8_t *p = slot_page(slot);
	unsigned int i;

	for (i = 0; i < MM_PAGE_SIZE; i++)
		if (p[i] != (uint8_t)((i * 131u + seed) ^ (i >> 8)))
			return false;
	return true;
}

static bool all_zero(unsigned int slot)
{
	const volatile uint8_t *p = slot_page(slot);
	unsigned int i;

	for (i = 0; i < MM_PAGE_SIZE; i++)
		if (p[i])
			return false;
	return true;
}

static long clear_page(uint32_t mfn)
{
	struct mmuext_op op = { .cmd = MMUEXT_CLEAR_PAGE, .arg1 = mfn };

	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static long copy_page(uint32_t dst_mfn, uint32_t src_mfn)
{
	struct mmuext_op op = {
		.cmd = MMUEXT_COPY_PAGE, .arg1 = dst_mfn, .arg2 = src_mfn,
	};

	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* A spare frame of ours, mapped writable in slot. */
static uint32_t new_page(unsigned int slot)
{
	uint32_t pfn = MM_INVALID_PFN;

	KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
	KCHECK_EQ(mm_map_pfn(slot, pfn, true), 0);
	return pfn_to_mfn(pfn);
}

static void check_clear_and_copy(uint32_t a, uint32_t b)
{
	printf("pageops: clear 0x%x, copy 0x%x -> 0x%x\n", a, b, a);
	fill(A_SLOT, 1);
	KCHECK(holds_pattern(A_SLOT, 1));
	KCHECK_EQ(clear_page(a), 0);
	KCHECK(all_zero(A_SLOT));

	fill(B_SLOT, 7);
	KCHECK_EQ(copy_page(a, b), 0);
	KCHECK(holds_pattern(A_SLOT, 7));
	KCHECK(holds_pattern(B_SLOT, 7));	/* the source is only read */
	fill(A_SLOT, 9);
	KCHECK_EQ(copy_page(a, a), 0);		/* onto itself: unchanged */
	KCHECK(holds_pattern(A_SLOT, 9));
}

/* A pinned L1 holding one entry: never a destination, fine as a source. */
static void check_page_table(uint32_t l1, uint32_t a, uint32_t b)
{
	const volatile uint64_t *t = (const uint64_t *)slot_page(L1_SLOT);
	uint64_t entry = mm_make_entry(b, MM_PTE_RO);

	printf("pageops: pinned L1 0x%x as destination and source\n", l1);
	KCHECK_EQ(clear_page(l1), -XEN_EINVAL);
	KCHECK_EQ64(t[L1_INDEX], entry);
	KCHECK_EQ(copy_page(l1, b), -XEN_EINVAL);
	KCHECK_EQ64(t[L1_INDEX], entry);
	KCHECK_EQ64(t[0], 0);
	fill(A_SLOT, 3);
	KCHECK_EQ(copy_page(a, l1), 0);
	KCHECK_EQ(memcmp(slot_page(A_SLOT), slot_page(L1_SLOT), MM_PAGE_SIZE), 0);
	KCHECK_EQ64(((uint64_t *)slot_page(A_SLOT))[L1_INDEX], entry);
}

static void check_not_ours(const char *what, uint32_t mfn, uint32_t a,
			   uint32_t b)
{
	printf("pageops: %s frame 0x%x\n", what, mfn);
	fill(A_SLOT, 5);
	KCHECK_EQ(clear_page(mfn), -XEN_EINVAL);
	KCHECK_EQ(copy_page(mfn, b), -XEN_EINVAL);
	KCHECK_EQ(copy_page(a, mfn), -XEN_EINVAL);
	KCHECK(holds_pattern(A_SLOT, 5));
}

/* [clear A, clear L1, clear B]: stops at the L1, B keeps its pattern. */
static void check_batch(uint32_t a, uint32_t b, uint32_t l1)
{
	struct mmuext_op ops[3] = {
		{ .cmd = MMUEXT_CLEAR_PAGE, .arg1 = a },
		{ .cmd = MMUEXT_CLEAR_PAGE, .arg1 = l1 },
		{ .cmd = MMUEXT_CLEAR_PAGE, .arg1 = b },
	};
	uint32_t done = 0xdead;

	fill(A_SLOT, 11);
	fill(B_SLOT, 13);
	KCHECK_EQ(HYPERVISOR_mmuext_op(ops, 3, &done, DOMID_SELF), -XEN_EINVAL);
	KCHECK_EQ(done, 1);
	KCHECK(all_zero(A_SLOT));
	KCHECK(holds_pattern(B_SLOT, 13));
}

/* The ops' type references are gone: unmapped, each page pins as an L1. */
static void check_refs_dropped(uint32_t a, uint32_t b)
{
	KCHECK_EQ(clear_page(a), 0);
	KCHECK_EQ(clear_page(b), 0);
	KCHECK_EQ(mm_unmap(A_SLOT), 0);
	KCHECK_EQ(mm_unmap(B_SLOT), 0);
	KCHECK_EQ(clear_page(a), 0);
	KCHECK_EQ(copy_page(b, a), 0);
	KCHECK_EQ(mm_pin(1, a), 0);
	KCHECK_EQ(mm_pin(1, b), 0);
	KCHECK_EQ(mm_unpin(a), 0);
	KCHECK_EQ(mm_unpin(b), 0);
}

volatile uint32_t gp_hits;

/* #GP: count it and step over the 2-byte "inb $0x71, %al". */
KTEST_GP_SKIP2_HANDLER;

static void ring1_in(void)
{
	uint32_t v = 0;

	asm volatile("inb $0x71, %%al" : "+a"(v) : : "memory");
}

static long compat_set_iopl(uint32_t iopl)
{
	struct physdev_op op = { .cmd = PHYSDEVOP_set_iopl };

	op.u.set_iopl.iopl = iopl;
	return HYPERVISOR_physdev_op_compat(&op);
}

static void check_compat_iopl(void)
{
	struct physdev_set_iopl s = { .iopl = 4 };
	uint32_t hits = gp_hits;

	KCHECK_EQ(compat_set_iopl(0), 0);
	ring1_in();
	KCHECK_EQ(gp_hits, hits + 1);			/* IOPL 0: refused */
	KCHECK_EQ(compat_set_iopl(1), 0);
	ring1_in();
	KCHECK_EQ(gp_hits, hits + 1);			/* IOPL 1: allowed */
	KCHECK_EQ(compat_set_iopl(4), HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &s));
	KCHECK_EQ(compat_set_iopl(4), -XEN_EINVAL);
	ring1_in();
	KCHECK_EQ(gp_hits, hits + 1);			/* still 1 */
}

static void check_compat_queries(void)
{
	struct physdev_irq_status_query q = { .irq = 8, .flags = 0 };
	struct physdev_irq v = { .irq = 8, .vector = 0 };
	struct physdev_op op = { .cmd = PHYSDEVOP_irq_status_query };

	op.u.irq_status_query.irq = 8;
	KCHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_irq_status_query, &q), 0);
	KCHECK_EQ(HYPERVISOR_physdev_op_compat(&op), 0);
	KCHECK_EQ(op.cmd, PHYSDEVOP_irq_status_query);
	KCHECK_EQ(op.u.irq_status_query.irq, 8);
	KCHECK_EQ(op.u.irq_status_query.flags, q.flags);
	KCHECK_EQ(op.u.irq_status_query.flags, XENIRQSTAT_needs_eoi);
	q.irq = 16;
	op.u.irq_status_query.irq = 16;
	KCHECK_EQ(HYPERVISOR_physdev_op_compat(&op),
		  HYPERVISOR_physdev_op(PHYSDEVOP_irq_status_query, &q));
	KCHECK_EQ(HYPERVISOR_physdev_op_compat(&op), -XEN_EINVAL);

	op.cmd = PHYSDEVOP_alloc_irq_vector;
	op.u.irq_op.irq = 8;
	op.u.irq_op.vector = 0;
	KCHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_alloc_irq_vector, &v), 0);
	KCHECK_EQ(HYPERVISOR_physdev_op_compat(&op), 0);
	KCHECK_EQ(op.u.irq_op.vector, v.vector);
	KCHECK_EQ(op.u.irq_op.vector, 8);
}

static void check_compat_errors(void)
{
	struct physdev_op op = { .cmd = 99 };
	struct physdev_op *edge;

	KCHECK_EQ(HYPERVISOR_physdev_op_compat(&op), -XEN_ENOSYS);
	KCHECK_EQ(HYPERVISOR_physdev_op(99, &op.u), -XEN_ENOSYS);
	op.cmd = 11;	/* Xen's free_irq_vector, which Xylem lacks */
	KCHECK_EQ(HYPERVISOR_physdev_op_compat(&op), -XEN_ENOSYS);
	KCHECK_EQ(HYPERVISOR_physdev_op_compat((void *)0xFC000000u), -XEN_EFAULT);
	/*
	 * The command and set_iopl's 4 bytes readable, the rest of the
	 * union on an unmapped page: as Xen, the whole structure must be.
	 */
	KCHECK_EQ(mm_window_entry(HOLE_SLOT), 0);
	(void)new_page(EDGE_SLOT);
	edge = (struct physdev_op *)(mm_window_va(EDGE_SLOT) + MM_PAGE_SIZE - 8);
	edge->cmd = PHYSDEVOP_set_iopl;
	edge->u.set_iopl.iopl = 1;
	KCHECK_EQ(HYPERVISOR_physdev_op_compat(edge), -XEN_EFAULT);
	KCHECK_EQ(mm_unmap(EDGE_SLOT), 0);
}

static void check_HYPERVISOR_physdev_op_compat(void)
{
	printf("pageops: physdev_op_compat against physdev_op\n");
	KCHECK_EQ(sizeof(struct physdev_op), 16);
	check_compat_iopl();
	check_compat_queries();
	check_compat_errors();
}

void kernel_main(struct start_info *si)
{
	static const struct trap_info traps[2] = {
		{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_entry },
		{ 0, 0, 0, 0 },
	};
	struct mmu_update req;
	uint32_t a, b, l1, free_mfn;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK_EQ(HYPERVISOR_set_trap_table(traps), 0);
	if (ktest_failures) {
		ktest_finish();
		return;
	}
	a = new_page(A_SLOT);
	b = new_page(B_SLOT);
	l1 = new_page(TMP_SLOT);
	memset(slot_page(TMP_SLOT), 0, MM_PAGE_SIZE);
	KCHECK_EQ(mm_unmap(TMP_SLOT), 0);
	KCHECK_EQ(mm_map_mfn(L1_SLOT, l1, false), 0);
	KCHECK_EQ(mm_pin(1, l1), 0);
	req.ptr = ((uint64_t)l1 << 12) + L1_INDEX * 8;
	req.val = mm_make_entry(b, MM_PTE_RO);
	KCHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF), 0);

	check_clear_and_copy(a, b);
	check_page_table(l1, a, b);
	check_not_ours("hypervisor", HYP_MFN, a, b);
	free_mfn = mm_frame_not_ours();
	KCHECK(free_mfn != MM_INVALID_MFN);
	check_not_ours("free RAM", free_mfn, a, b);
	check_not_ours("past RAM", mm_max_ram_page() + 16, a, b);
	check_not_ours("BIOS ROM", 0xfffffu, a, b);
	check_batch(a, b, l1);

	req.val = 0;
	KCHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF), 0);
	KCHECK_EQ(mm_unpin(l1), 0);
	KCHECK_EQ(mm_unmap(L1_SLOT), 0);
	check_refs_dropped(a, b);
	check_HYPERVISOR_physdev_op_compat();
	ktest_finish();
}
