/*
 * test_cpu_iobitmap.c - PHYSDEVOP_set_iobitmap: the vCPU's I/O bitmap
 * admits port I/O that the virtual IOPL refuses, as on Xen (Linux's ioperm
 * for Dom0's processes uses it).
 *
 *  - with IOPL 1, ring 3's "outb $0x80" is a #GP; with a bitmap whose bit
 *    0x80 is clear and a limit past 0x80 it runs, and stops running when
 *    the limit no longer covers it or the bitmap is turned off (0 ports);
 *  - every port of a wider access must be admitted by its bit and the
 *    limit (outw at 0x80 needs 0x81 too), also across a byte of the
 *    bitmap (inw at 0x87);
 *  - with IOPL 0 the kernel's own accesses go through the bitmap as well;
 *    with IOPL 1 the IOPL admits them whatever the bitmap says;
 *  - bitmap bytes that cannot be read (an address with nothing mapped)
 *    count as all ones: a #GP; a bitmap whose page ends inside it still
 *    admits ports whose byte is readable;
 *  - the bitmap does not grant ports the domain may not use: ring 3 reads
 *    COM1's line status (the hypervisor's port) as all ones, no #GP;
 *  - the virtual IOPL and the bitmap are each vCPU's own, as on Xen: vCPU
 *    1 raising its IOPL to 3 and admitting every port leaves vCPU 0's
 *    ring 3 refused (Linux sets both on every task switch of each vCPU);
 *  - more than 65536 ports, or a bitmap of IOBMP_BYTES reaching the
 *    hypervisor, is -EINVAL, and an unreadable argument is -EFAULT, all
 *    leaving the vCPU's bitmap as it was; the
 *    compat hypercall (19) reaches the same command.
 */
#include "ktest.h"
#include "iotest.h"
#include "mm.h"
#include "vcpu.h"

volatile uint32_t gp_hits;

void gp_entry(void);
uint32_t probe_out80(uint32_t unused);
uint32_t probe_in81(uint32_t unused);
uint32_t probe_outw80(uint32_t unused);
uint32_t probe_inw87(uint32_t unused);
uint32_t probe_in_com1_lsr(uint32_t unused);

/*
 * #GP: count it and step over the faulting in/out: an optional 66 prefix,
 * then one byte for the %dx forms (ec-ef), two for the imm8 forms.
 */
asm(".text\n"
    "gp_entry:\n"
    "	incl	gp_hits\n"
    "	addl	$4, %esp\n"			/* the error code */
    "	pushl	%eax\n"
    "	movl	4(%esp), %eax\n"
    "	cmpb	$0x66, (%eax)\n"
    "	jne	1f\n"
    "	incl	4(%esp)\n"
    "	incl	%eax\n"
    "1:	cmpb	$0xec, (%eax)\n"
    "	jae	2f\n"
    "	incl	4(%esp)\n"
    "2:	incl	4(%esp)\n"
    "	popl	%eax\n"
    USER_IRET_HYPERCALL_ASM
    "probe_out80:\n"
    "	movb	$0x55, %al\n"
    "	outb	%al, $0x80\n"
    "	xorl	%eax, %eax\n"
    "	ret\n"
    "probe_in81:\n"
    "	inb	$0x81, %al\n"
    "	xorl	%eax, %eax\n"
    "	ret\n"
    "probe_outw80:\n"
    "	movw	$0x5555, %ax\n"
    "	outw	%ax, $0x80\n"
    "	xorl	%eax, %eax\n"
    "	ret\n"
    "probe_inw87:\n"
    "	inw	$0x87, %ax\n"
    "	xorl	%eax, %eax\n"
    "	ret\n"
    "probe_in_com1_lsr:\n"
    "	movw	$0x3fd, %dx\n"
    "	xorl	%eax, %eax\n"
    "	inb	%dx, %al\n"
    "	ret\n");

static const struct trap_info table[] = {
	{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_entry },
	{ 0, 0, 0, 0 },
};

static uint8_t bitmap[IOBMP_BYTES];

#define UNMAPPED_VA	0x40000000u	/* L3 slot 1: an empty L2 */

static long set_iobitmap(uint32_t va, uint32_t nr_ports)
{
	struct physdev_set_iobitmap s = { .bitmap = va, .nr_ports = nr_ports };

	return HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap, &s);
}

static void admit(uint16_t port, bool yes)
{
	if (yes)
		bitmap[port / 8] &= (uint8_t)~(1u << (port & 7));
	else
		bitmap[port / 8] |= (uint8_t)(1u << (port & 7));
}

static void check_ring3(void)
{
	memset(bitmap, 0xff, sizeof(bitmap));
	admit(0x80, true);
	KCHECK_EQ(HYPERVISOR_set_iopl(1), 0);
	KCHECK_EQ(faults(probe_out80, true), 1);	/* no bitmap yet */
	KCHECK_EQ(set_iobitmap((uint32_t)bitmap, 0x82), 0);
	KCHECK_EQ(faults(probe_out80, true), 0);
	KCHECK_EQ(faults(probe_in81, true), 1);		/* its bit is set */
	KCHECK_EQ(faults(probe_outw80, true), 1);	/* 0x81's bit too */
	admit(0x81, true);
	KCHECK_EQ(faults(probe_outw80, true), 0);
	KCHECK_EQ(faults(probe_in81, true), 0);
	KCHECK_EQ(set_iobitmap((uint32_t)bitmap, 0x81), 0);
	KCHECK_EQ(faults(probe_out80, true), 0);
	KCHECK_EQ(faults(probe_outw80, true), 1);	/* past the limit */
	KCHECK_EQ(faults(probe_in81, true), 1);
	KCHECK_EQ(set_iobitmap((uint32_t)bitmap, 0x80), 0);
	KCHECK_EQ(faults(probe_out80, true), 1);	/* limit excludes it */

	/* 0x87 and 0x88 sit in two bytes of the bitmap. */
	KCHECK_EQ(set_iobitmap((uint32_t)bitmap, 0x100), 0);
	admit(0x87, true);
	KCHECK_EQ(faults(probe_inw87, true), 1);
	admit(0x88, true);
	KCHECK_EQ(faults(probe_inw87, true), 0);
	admit(0x87, false);
	KCHECK_EQ(faults(probe_inw87, true), 1);

	KCHECK_EQ(set_iobitmap((uint32_t)bitmap, 0), 0);
	KCHECK_EQ(faults(probe_out80, true), 1);	/* turned off */
}

/*
 * A bitmap whose byte for ports 0x80-0x87 is the last of a mapped page and
 * whose next byte (0x88-0x8f) lies on a page with nothing mapped: outb at
 * 0x80 needs only the first byte, inw at 0x87 needs the unreadable one.
 */
#define HALF_SLOT	2u

static void check_half_readable(void)
{
	uint32_t pfn = 0, base;
	uint8_t *page;

	KCHECK_EQ(mm_window_entry(HALF_SLOT + 1), 0);
	KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
	KCHECK_EQ(mm_map_pfn(HALF_SLOT, pfn, true), 0);
	page = (uint8_t *)mm_window_va(HALF_SLOT);
	memset(page, 0xff, 4096);
	page[4095] = (uint8_t)~(1u << 0 | 1u << 7);	/* 0x80 and 0x87 */
	base = mm_window_va(HALF_SLOT) + 4096 - 0x80 / 8 - 1;
	KCHECK_EQ(set_iobitmap(base, 0x100), 0);
	KCHECK_EQ(faults(probe_out80, true), 0);
	KCHECK_EQ(faults(probe_inw87, true), 1);	/* 0x88: unreadable */
	KCHECK_EQ(set_iobitmap((uint32_t)bitmap, 0), 0);
	KCHECK_EQ(mm_unmap(HALF_SLOT), 0);
}

static void check_kernel_unreadable_and_foreign(void)
{
	uint32_t before;

	KCHECK_EQ(set_iobitmap((uint32_t)bitmap, 0x100), 0);
	KCHECK_EQ(HYPERVISOR_set_iopl(0), 0);
	KCHECK_EQ(faults(probe_out80, false), 0);	/* the bitmap admits it */
	KCHECK_EQ(faults(probe_in81, false), 0);
	admit(0x80, false);
	KCHECK_EQ(faults(probe_out80, false), 1);
	KCHECK_EQ(HYPERVISOR_set_iopl(1), 0);
	KCHECK_EQ(faults(probe_out80, false), 0);	/* the IOPL admits it */
	admit(0x80, true);

	KCHECK_EQ(set_iobitmap(UNMAPPED_VA, 0x100), 0);
	KCHECK_EQ(faults(probe_out80, true), 1);	/* read as all ones */
	check_half_readable();

	KCHECK_EQ(set_iobitmap((uint32_t)bitmap, 0x400), 0);
	admit(0x3fd, true);
	before = gp_hits;
	KCHECK_EQ(user_run(probe_in_com1_lsr, 0), 0xff);	/* not ours */
	KCHECK_EQ(gp_hits, before);
	KCHECK_EQ(set_iobitmap((uint32_t)bitmap, 0), 0);
}

static uint8_t open_bitmap[IOBMP_BYTES];	/* every bit clear */
static uint8_t second_stack[4096] __attribute__((aligned(16)));
static volatile long second_rc[2] = { 1, 1 };
static volatile bool second_done;

static void on_second_vcpu(void *unused)
{
	(void)unused;
	second_rc[0] = HYPERVISOR_set_iopl(3);
	second_rc[1] = set_iobitmap((uint32_t)open_bitmap, 65536);
	second_done = true;
}

static void check_per_vcpu(void)
{
	uint32_t spins;

	KCHECK_EQ(HYPERVISOR_set_iopl(1), 0);
	KCHECK_EQ(set_iobitmap((uint32_t)bitmap, 0), 0);
	KCHECK_EQ(vcpu_start(1, on_second_vcpu, NULL, second_stack,
			     sizeof(second_stack)), 0);
	for (spins = 0; !second_done && spins < 100000; spins++)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	KCHECK(second_done);
	KCHECK_EQ(second_rc[0], 0);
	KCHECK_EQ(second_rc[1], 0);
	KCHECK_EQ(faults(probe_out80, true), 1);	/* vCPU 0 unchanged */
	KCHECK_EQ(faults(probe_in81, true), 1);
}

static void check_arguments(void)
{
	struct physdev_op op = { .cmd = PHYSDEVOP_set_iobitmap };

	KCHECK_EQ(HYPERVISOR_set_iopl(1), 0);
	KCHECK_EQ(set_iobitmap((uint32_t)bitmap, 0), 0);
	KCHECK_EQ(set_iobitmap((uint32_t)bitmap, 65537), -XEN_EINVAL);
	KCHECK_EQ(faults(probe_out80, true), 1);	/* nothing was set */
	KCHECK_EQ(set_iobitmap(0xF5800000u - IOBMP_BYTES + 1, 16), -XEN_EINVAL);
	KCHECK_EQ(set_iobitmap(0xFFFFF000u, 16), -XEN_EINVAL);
	KCHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap,
					(void *)0xF5800000u),
		  -XEN_EFAULT);
	KCHECK_EQ(faults(probe_out80, true), 1);
	KCHECK_EQ(set_iobitmap((uint32_t)bitmap, 65536), 0);
	KCHECK_EQ(set_iobitmap(0xF5800000u - IOBMP_BYTES, 16), 0);
	op.u.set_iobitmap.bitmap = (uint32_t)bitmap;
	op.u.set_iobitmap.nr_ports = 0x81;
	KCHECK_EQ(HYPERVISOR_physdev_op_compat(&op), 0);
	KCHECK_EQ(HYPERVISOR_set_iopl(1), 0);
	KCHECK_EQ(faults(probe_out80, true), 0);
	KCHECK_EQ(set_iobitmap((uint32_t)bitmap, 0), 0);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	KCHECK_EQ(user_init(), 0);
	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	check_ring3();
	check_kernel_unreadable_and_foreign();
	check_arguments();
	check_per_vcpu();
	printf("iobitmap: %u #GPs taken, as the bitmap said\n", gp_hits);
	ktest_finish();
}
