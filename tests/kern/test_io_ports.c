/*
 * test_io_ports.c - port I/O from a PV kernel (Dom0), emulated by the
 * hypervisor:
 *  - CMOS: the seconds register through ports 0x70/0x71 (imm8 and dx
 *    forms) agrees with the wall clock in shared_info;
 *  - widths: through the PCI configuration ports (0xcf8/0xcfc) a dword
 *    write reads back, and the host bridge's vendor id reads as a word
 *    and a dword; a byte read keeps the upper bits of %eax;
 *  - ports that are not the domain's (the 8259s, the 8254, COM1 and
 *    isa-debug-exit; each port, in and out, imm8 and dx; accesses that
 *    only straddle into them or wrap past 0xffff) are handled as Xen
 *    does: reads give all ones in the accessed width, writes are dropped
 *    (a dropped 0 to isa-debug-exit would otherwise end the run), no #GP;
 *    (ins/outs: test_io_string.c);
 *  - IOPL: ring 3 is refused at IOPL 1 (which this kernel sets first, as
 *    a PV kernel does) and allowed after PHYSDEVOP_set_iopl(3); IOPL 0
 *    refuses ring 1 too; 4 is -EINVAL;
 *  - PHYSDEVOP_irq_status_query says an EOI is needed; unknown commands
 *    are -ENOSYS.
 */
#include "ktest.h"
#include "mm.h"
#include "time.h"
#include "user.h"
#include <public/physdev.h>

volatile uint32_t gp_hits, gp_err, gp_eip, gp_cs, gp_skip;

void gp_entry(void);

/* #GP: record it and step over gp_skip bytes (the refused instruction). */
asm(".text\n"
    "gp_entry:\n"
    "	incl	gp_hits\n"
    "	popl	gp_err\n"
    "	pushl	%ecx\n"
    "	movl	4(%esp), %ecx\n"
    "	movl	%ecx, gp_eip\n"
    "	movl	8(%esp), %ecx\n"
    "	movl	%ecx, gp_cs\n"
    "	movl	gp_skip, %ecx\n"
    "	addl	%ecx, 4(%esp)\n"
    "	popl	%ecx\n"
    "	iret\n");

/* dx forms: eax in, eax out (so refused reads can show it untouched). */
static uint32_t in_dx(uint16_t port, unsigned int size, uint32_t eax)
{
	gp_skip = size == 2 ? 2 : 1;
	if (size == 1)
		asm volatile("inb %%dx, %%al" : "+a"(eax) : "d"(port));
	else if (size == 2)
		asm volatile("inw %%dx, %%ax" : "+a"(eax) : "d"(port));
	else
		asm volatile("inl %%dx, %%eax" : "+a"(eax) : "d"(port));
	return eax;
}

static void out_dx(uint16_t port, unsigned int size, uint32_t v)
{
	gp_skip = size == 2 ? 2 : 1;
	if (size == 1)
		asm volatile("outb %%al, %%dx" : : "a"(v), "d"(port));
	else if (size == 2)
		asm volatile("outw %%ax, %%dx" : : "a"(v), "d"(port));
	else
		asm volatile("outl %%eax, %%dx" : : "a"(v), "d"(port));
}

static unsigned int cmos_read(unsigned int reg)
{
	uint32_t v = reg;

	gp_skip = 2;
	asm volatile("outb %%al, $0x70\n\tinb $0x71, %%al" : "+a"(v));
	return v & 0xff;
}

static void check_cmos(void)
{
	unsigned int sec, b, hits = gp_hits, tries;
	uint64_t wall;
	uint32_t nsec;
	int diff;

	for (tries = 0; tries < 100000 && (cmos_read(0x0a) & 0x80); tries++)
		;
	sec = cmos_read(0x00);
	b = cmos_read(0x0b);
	if (!(b & 0x04))
		sec = (sec >> 4) * 10 + (sec & 0xf);
	KCHECK_EQ(time_wallclock_now(&wall, &nsec), 0);
	diff = ((int)sec - (int)(wall % 60) + 60) % 60;
	KCHECK(diff <= 2 || diff >= 58);
	/* The same register through dx. */
	out_dx(0x70, 1, 0x0b);
	KCHECK_EQ(in_dx(0x71, 1, 0), b);
	KCHECK_EQ(gp_hits, hits);
	printf("CMOS seconds %u, wall clock %u (mod 60)\n", sec,
	       (unsigned int)(wall % 60));
}

static void check_widths(void)
{
	unsigned int hits = gp_hits;

	out_dx(0xcf8, 4, 0x80000000u);		/* bus 0, device 0, reg 0 */
	KCHECK_EQ(in_dx(0xcf8, 4, 0), 0x80000000u);
	KCHECK_EQ(in_dx(0xcfc, 4, 0) & 0xffff, 0x8086);
	KCHECK_EQ(in_dx(0xcfc, 2, 0xdead0000u), 0xdead8086u);
	KCHECK_EQ(in_dx(0xcfc, 1, 0x12345600u), 0x12345686u);
	KCHECK_EQ(in_dx(0xcfd, 1, 0), 0x80);
	out_dx(0xcf8, 4, 0);
	KCHECK_EQ(gp_hits, hits);
}

static unsigned int denied_reads, denied_writes;

/* A port not ours, at an IOPL that admits us: all ones, no #GP. */
static void expect_denied(bool ok, uint32_t hits_before, uint16_t port,
			  bool write)
{
	if (!ok || gp_hits != hits_before) {
		printf("port 0x%x: %s not handled as Xen does (gp %u)\n", port,
		       write ? "write" : "read", gp_hits - hits_before);
		ktest_failures++;
	}
	if (write)
		denied_writes++;
	else
		denied_reads++;
}

static void deny_dx(uint16_t port, unsigned int size)
{
	uint32_t hits = gp_hits, mask, v;

	mask = size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
	v = in_dx(port, size, 0x5a5a5a5a);
	expect_denied(v == ((0x5a5a5a5a & ~mask) | mask), hits, port, false);
	hits = gp_hits;
	/* Were it not dropped, a 0 to isa-debug-exit would end QEMU now
	 * (status 1), and the 'X' would show in the log between lines. */
	out_dx(port, size, port == 0x3f8 ? 'X' : 0);
	expect_denied(true, hits, port, true);
}

/* imm8 forms. */
#define DENY_IMM8(port) do {						\
	uint32_t h_ = gp_hits, v_ = 0x5a5a5a5a;				\
	asm volatile("inb $" #port ", %%al" : "+a"(v_));		\
	expect_denied(v_ == 0x5a5a5aff, h_, port, false);		\
	h_ = gp_hits;							\
	asm volatile("outb %%al, $" #port : : "a"(0));			\
	expect_denied(true, h_, port, true);				\
} while (0)

static void check_denied(void)
{
	static const uint16_t ports[] = {
		0x20, 0x21, 0xa0, 0xa1, 0x40, 0x41, 0x42, 0x43, 0x61, 0xf4,
		0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff,
	};
	unsigned int i;

	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		deny_dx(ports[i], 1);
	DENY_IMM8(0x20);
	DENY_IMM8(0x21);
	DENY_IMM8(0xa1);
	DENY_IMM8(0x40);
	DENY_IMM8(0x43);
	DENY_IMM8(0x61);
	DENY_IMM8(0xf4);
	deny_dx(0xf4, 2);		/* a word into isa-debug-exit too */
	deny_dx(0x3f7, 2);		/* 0x3f7-0x3f8: straddles COM1 */
	deny_dx(0x1e, 4);		/* 0x1e-0x21: straddles the 8259 */
	deny_dx(0x3e, 4);		/* 0x3e-0x41: the 8254 */
	deny_dx(0xffff, 4);		/* wraps past 0xffff */
	printf("denied: %u reads all ones, %u writes dropped; %u #GPs in "
	       "all\n", denied_reads, denied_writes, gp_hits);
}

static uint32_t ring3_read_cmos(uint32_t reg)
{
	uint32_t v = 0x5a5a5a00;

	gp_skip = 1;
	asm volatile("inb %%dx, %%al" : "+a"(v) : "d"(0x71));
	(void)reg;
	return v;
}

static void check_iopl(void)
{
	uint32_t hits = gp_hits;

	KCHECK_EQ(user_run(ring3_read_cmos, 0), 0x5a5a5a00);	/* IOPL 1 */
	KCHECK_EQ(gp_hits, hits + 1);
	KCHECK_EQ(gp_cs & 0xffff, FLAT_RING3_CS);
	KCHECK_EQ(HYPERVISOR_set_iopl(3), 0);
	hits = gp_hits;
	KCHECK((user_run(ring3_read_cmos, 0) & 0xffffff00) == 0x5a5a5a00);
	KCHECK_EQ(gp_hits, hits);
	KCHECK_EQ(HYPERVISOR_set_iopl(0), 0);			/* nobody may */
	hits = gp_hits;
	KCHECK_EQ(in_dx(0x71, 1, 0x99), 0x99);
	KCHECK_EQ(gp_hits, hits + 1);
	KCHECK_EQ(HYPERVISOR_set_iopl(4), -XEN_EINVAL);
	KCHECK_EQ(HYPERVISOR_set_iopl(1), 0);
	hits = gp_hits;
	KCHECK_EQ(user_run(ring3_read_cmos, 0), 0x5a5a5a00);
	KCHECK_EQ(gp_hits, hits + 1);
	cmos_read(0x0b);
	KCHECK_EQ(gp_hits, hits + 1);
}

static void check_physdev_ops(void)
{
	struct physdev_irq_status_query q = { .irq = 8, .flags = 0 };

	KCHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_irq_status_query, &q), 0);
	KCHECK_EQ(q.flags, XENIRQSTAT_needs_eoi);
	q.irq = 16;
	KCHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_irq_status_query, &q), -XEN_EINVAL);
	KCHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, (void *)0xFC000000),
		  -XEN_EFAULT);
	KCHECK_EQ(HYPERVISOR_physdev_op(99, &q), -XEN_ENOSYS);
}

void kernel_main(struct start_info *si)
{
	static const struct trap_info gp[2] = {
		{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_entry },
		{ 0, 0, 0, 0 },
	};

	(void)si;
	KCHECK_EQ(user_init(), 0);
	KCHECK_EQ(HYPERVISOR_set_trap_table(gp), 0);
	KCHECK_EQ(HYPERVISOR_set_iopl(1), 0);	/* as a Dom0 kernel does */
	if (ktest_failures) {
		ktest_finish();
		return;
	}
	check_cmos();
	check_widths();
	check_denied();
	check_iopl();
	check_physdev_ops();
	ktest_finish();
}
