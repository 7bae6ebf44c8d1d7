/*
 * test_io_string.c - ins and outs from a PV kernel (Dom0), emulated by the
 * hypervisor, against devices whose answers are known: QEMU's fw_cfg
 * (selector port 0x510, a word; data port 0x511, bytes: item 0 reads
 * "QEMU", item 1 the interface id, odd) and CMOS RAM (0x70/0x71).
 *  - rep outsw selects an item, rep insb reads it: ESI/EDI step by the
 *    element size, ECX ends at 0; ins/outs without rep move one element;
 *  - EFLAGS.DF: the elements go downward;
 *  - 67 (16-bit addresses): DI wraps from 0xffff to 0 and CX counts,
 *    the upper halves of EDI and ECX untouched;
 *  - a rep longer than one trap's batch (3000 bytes) completes both ways:
 *    ESI/EDI and ECX end where they must, the last byte written out is
 *    what CMOS then holds, and every byte read in is what it holds;
 *  - a segment override on outs (fs) is honoured; a null ES, or ES the
 *    kernel's code segment (not writable), is a #GP; so is a word that
 *    runs into the hypervisor's area (past every segment's limit);
 *  - a destination page that is not mapped, or read-only, and a source
 *    page that is not mapped: the guest's #PF handler sees the fault at
 *    that page with the right error code, the elements before it done
 *    and counted in the registers, no device data lost; once it maps the
 *    page the instruction resumes and completes;
 *  - ring 3 at IOPL 3: insb and outsb move their byte through a user
 *    page; a supervisor page (ins or outs, or the second page of a word
 *    that starts on a user page), a read-only user page (ins) and an
 *    unmapped page are a #PF with the user bit in its error code and
 *    nothing written; at IOPL 1 ring 3 gets a #GP, nothing moved, even
 *    for a supervisor page (the I/O check comes first, as on the CPU).
 */
#include "ktest.h"
#include "mm.h"
#include "user.h"
#include <public/physdev.h>

#define FW_CFG_SEL	0x510
#define FW_CFG_DATA	0x511
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_ID	0x0001
#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define CMOS_SCRATCH	0x40		/* general-purpose CMOS RAM */

volatile uint32_t gp_hits, gp_err, gp_skip, pf_count, pf_err, pf_cr2, pf_skip;
volatile int pf_fix_slot = -1;
volatile bool pf_fix_writable;

void gp_entry(void);
void pf_entry(void);
void pf_fixup(void);

/* #GP: record it and step over gp_skip bytes (the refused instruction). */
asm(".text\n"
    "gp_entry:\n"
    "	incl	gp_hits\n"
    "	popl	gp_err\n"
    "	pushl	%ecx\n"
    "	movl	gp_skip, %ecx\n"
    "	addl	%ecx, 4(%esp)\n"
    "	popl	%ecx\n"
    "	iret\n"
    /*
     * #PF: record it; pf_fixup() maps the page and the instruction
     * resumes, or, with nothing to map, it is skipped (gp_skip bytes).
     */
    "pf_entry:\n"
    "	popl	pf_err\n"
    "	incl	pf_count\n"
    "	pushal\n"
    "	cld\n"
    "	call	pf_fixup\n"
    "	popal\n"
    "	pushl	%eax\n"
    "	movl	pf_skip, %eax\n"
    "	addl	%eax, 4(%esp)\n"
    "	popl	%eax\n"
    "	iret\n");

static uint32_t pfns[2];

void pf_fixup(void)
{
	uint32_t cr2;

	asm volatile("movl %%cr2, %0" : "=r"(cr2));
	pf_cr2 = cr2;
	pf_skip = pf_fix_slot < 0 ? gp_skip : 0;
	if (pf_fix_slot >= 0)
		KCHECK_EQ(mm_map_pfn(pf_fix_slot, pfns[pf_fix_slot],
				     pf_fix_writable), 0);
	pf_fix_slot = -1;
}

struct regs {
	uint32_t ecx, esi, edi;
};

/* rep outsw of n words from src to the fw_cfg selector. */
static void select_item(uint16_t item)
{
	struct regs r = { 1, (uint32_t)&item, 0 };

	asm volatile("rep outsw" : "+c"(r.ecx), "+S"(r.esi)
		     : "d"(FW_CFG_SEL) : "memory");
	KCHECK_EQ(r.ecx, 0);
	KCHECK_EQ(r.esi, (uint32_t)&item + 2);
}

static void rep_insb(struct regs *r, uint16_t port)
{
	asm volatile("rep insb" : "+c"(r->ecx), "+D"(r->edi)
		     : "d"(port) : "memory");
}

static void check_rep_and_single(void)
{
	char buf[8] = "........";
	struct regs r = { 4, 0, (uint32_t)buf };
	uint32_t di = (uint32_t)buf + 4, i;

	select_item(FW_CFG_SIGNATURE);
	rep_insb(&r, FW_CFG_DATA);
	KCHECK(!memcmp(buf, "QEMU....", 8));
	KCHECK_EQ(r.ecx, 0);
	KCHECK_EQ(r.edi, (uint32_t)buf + 4);

	select_item(FW_CFG_SIGNATURE);
	for (i = 0; i < 4; i++)
		asm volatile("insb" : "+D"(di) : "d"(FW_CFG_DATA) : "memory");
	KCHECK(!memcmp(buf, "QEMUQEMU", 8));
	KCHECK_EQ(di, (uint32_t)buf + 8);

	/* Downward: DF set, the first byte lands at the highest address. */
	memset(buf, '.', sizeof(buf));
	select_item(FW_CFG_SIGNATURE);
	r = (struct regs){ 4, 0, (uint32_t)buf + 3 };
	asm volatile("std\n\trep insb\n\tcld" : "+c"(r.ecx), "+D"(r.edi)
		     : "d"(FW_CFG_DATA) : "memory");
	KCHECK(!memcmp(buf, "UMEQ....", 8));
	KCHECK_EQ(r.edi, (uint32_t)buf - 1);
	printf("fw_cfg item 0 through rep insb downward: \"%c%c%c%c\"\n",
	       buf[0], buf[1], buf[2], buf[3]);
}

/* A pointer to va that the compiler cannot tell is null. */
static volatile uint8_t *at(uint32_t va)
{
	asm("" : "+r"(va));
	return (volatile uint8_t *)va;
}

/*
 * 67 rep insb of 4 bytes from DI 0xfffe: 0xfffe, 0xffff, 0, 1 (our own
 * pages below the kernel, mapped from address 0; put back afterwards).
 */
static void check_addr16(void)
{
	volatile uint8_t *lo = at(0), *hi = at(0xfffe);
	uint8_t save_lo[2] = { lo[0], lo[1] }, save_hi[2] = { hi[0], hi[1] };
	uint32_t ecx = 0x56780004, edi = 0xabcdfffe;

	select_item(FW_CFG_SIGNATURE);
	asm volatile(".byte 0x67\n\trep insb" : "+c"(ecx), "+D"(edi)
		     : "d"(FW_CFG_DATA) : "memory");
	KCHECK(hi[0] == 'Q' && hi[1] == 'E' && lo[0] == 'M' && lo[1] == 'U');
	KCHECK_EQ(ecx, 0x56780000);
	KCHECK_EQ(edi, 0xabcd0002);
	lo[0] = save_lo[0];
	lo[1] = save_lo[1];
	hi[0] = save_hi[0];
	hi[1] = save_hi[1];
}

/* 3000 bytes, more than one trap's batch, in both directions. */
static void check_long_rep(void)
{
	static uint8_t big[3000];
	struct regs r = { sizeof(big), (uint32_t)big, 0 };
	uint32_t i, same = 0;
	uint8_t v;

	memset(big, 0xa5, sizeof(big));
	big[sizeof(big) - 1] = 0x3c;
	asm volatile("outb %%al, %%dx" : : "a"(CMOS_SCRATCH), "d"(CMOS_INDEX));
	asm volatile("rep outsb" : "+c"(r.ecx), "+S"(r.esi)
		     : "d"(CMOS_DATA) : "memory");
	KCHECK_EQ(r.ecx, 0);
	KCHECK_EQ(r.esi, (uint32_t)big + sizeof(big));
	asm volatile("inb %%dx, %%al" : "=a"(v) : "d"(CMOS_DATA));
	KCHECK_EQ(v, 0x3c);		/* the last byte was the last written */

	memset(big, 0, sizeof(big));
	r = (struct regs){ sizeof(big), 0, (uint32_t)big };
	rep_insb(&r, CMOS_DATA);
	for (i = 0; i < sizeof(big); i++)
		same += big[i] == 0x3c;
	KCHECK_EQ(same, sizeof(big));
	KCHECK_EQ(r.ecx, 0);
	printf("rep outsb/insb of %u bytes through CMOS 0x%x: %u read back\n",
	       (unsigned)sizeof(big), CMOS_SCRATCH, same);
}

static void check_segments(void)
{
	char buf[4] = "....";
	uint16_t item = FW_CFG_SIGNATURE, es, fs;
	uint32_t esi = (uint32_t)&item, edi = (uint32_t)buf, hits;

	/*
	 * An fs override on the source: fs the flat kernel data segment, ds
	 * null for that one instruction (ds would be a #GP).
	 */
	asm volatile("movw %%fs, %0\n\t"
		     "movw %2, %%fs\n\t"
		     "movw %3, %%ds\n\t"
		     "fs outsw\n\t"
		     "movw %2, %%ds\n\t"
		     "movw %0, %%fs"
		     : "=&r"(fs), "+S"(esi) : "r"((uint16_t)FLAT_KERNEL_DS),
		       "r"((uint16_t)0), "d"(FW_CFG_SEL) : "memory");
	KCHECK_EQ(esi, (uint32_t)&item + 2);
	/* A null ES: #GP, nothing read from the device, EDI kept. */
	hits = gp_hits;
	gp_skip = 1;
	asm volatile("movw %%es, %0\n\t"
		     "movw %2, %%es\n\t"
		     "insb\n\t"
		     "movw %0, %%es"
		     : "=&r"(es), "+D"(edi) : "r"((uint16_t)0), "d"(FW_CFG_DATA)
		     : "memory");
	KCHECK_EQ(gp_hits, hits + 1);
	KCHECK_EQ(gp_err, 0);
	KCHECK_EQ(edi, (uint32_t)buf);
	KCHECK(!memcmp(buf, "....", 4));
	/* ES = the kernel's code segment (readable, not writable): #GP. */
	asm volatile("movw %%es, %0\n\t"
		     "movw %2, %%es\n\t"
		     "insb\n\t"
		     "movw %0, %%es"
		     : "=&r"(es), "+D"(edi) : "r"((uint16_t)FLAT_KERNEL_CS),
		       "d"(FW_CFG_DATA) : "memory");
	KCHECK_EQ(gp_hits, hits + 2);
	KCHECK_EQ(edi, (uint32_t)buf);
	KCHECK(!memcmp(buf, "....", 4));
	/* The device still has all four bytes to give. */
	{
		struct regs r = { 4, 0, (uint32_t)buf };

		rep_insb(&r, FW_CFG_DATA);
	}
	KCHECK(!memcmp(buf, "QEMU", 4));
	/*
	 * A source running into the hypervisor's area is beyond every guest
	 * segment's limit: a #GP, as the CPU's limit check, not a #PF.
	 */
	hits = gp_hits;
	pf_count = 0;
	esi = HYPERVISOR_VIRT_START - 1;
	gp_skip = 2;					/* 66 6f */
	asm volatile("outsw" : "+S"(esi) : "d"(0x80) : "memory");
	gp_skip = 1;
	KCHECK_EQ(gp_hits, hits + 1);
	KCHECK_EQ(pf_count, 0);
	KCHECK_EQ(esi, HYPERVISOR_VIRT_START - 1);
}

/*
 * rep insb of "QEMU" to the last 2 bytes of window slot 0 and the first
 * 2 of slot 1, slot 1 being unmapped or read-only.
 */
static void insb_across(bool slot1_readonly)
{
	uint8_t *p0 = (uint8_t *)mm_window_va(0);
	uint8_t *p1 = (uint8_t *)mm_window_va(1);
	struct regs r = { 4, 0, (uint32_t)p1 - 2 };

	KCHECK_EQ(mm_map_pfn(1, pfns[1], true), 0);
	memset(p1, '.', 4);
	if (slot1_readonly)
		KCHECK_EQ(mm_map_pfn(1, pfns[1], false), 0);
	else
		KCHECK_EQ(mm_unmap(1), 0);
	memset(p0 + MM_PAGE_SIZE - 2, '.', 2);
	pf_count = 0;
	pf_fix_slot = 1;
	pf_fix_writable = true;
	select_item(FW_CFG_SIGNATURE);
	rep_insb(&r, FW_CFG_DATA);
	KCHECK_EQ(pf_count, 1);
	KCHECK_EQ(pf_cr2, (uint32_t)p1);
	KCHECK_EQ(pf_err, slot1_readonly ? 3 : 2);	/* write (+ present) */
	KCHECK(!memcmp(p0 + MM_PAGE_SIZE - 2, "QE", 2));
	KCHECK(!memcmp(p1, "MU..", 4));
	KCHECK_EQ(r.ecx, 0);
	KCHECK_EQ(r.edi, (uint32_t)p1 + 2);
}

/*
 * rep outsw of a word whose second byte is on an unmapped page: the fault
 * is at that page; item 1 (the id) is selected once it is mapped.
 */
static void outsw_unmapped(void)
{
	uint8_t *p0 = (uint8_t *)mm_window_va(0);
	uint8_t *p1 = (uint8_t *)mm_window_va(1);
	struct regs r = { 1, (uint32_t)p1 - 1, 0 };
	uint8_t id[4] = { 0 };

	KCHECK_EQ(mm_map_pfn(1, pfns[1], true), 0);
	p0[MM_PAGE_SIZE - 1] = FW_CFG_ID & 0xff;
	p1[0] = FW_CFG_ID >> 8;
	KCHECK_EQ(mm_unmap(1), 0);
	pf_count = 0;
	pf_fix_slot = 1;
	pf_fix_writable = false;
	asm volatile("rep outsw" : "+c"(r.ecx), "+S"(r.esi)
		     : "d"(FW_CFG_SEL) : "memory");
	KCHECK_EQ(pf_count, 1);
	KCHECK_EQ(pf_cr2, (uint32_t)p1);
	KCHECK_EQ(pf_err, 0);			/* read, not present */
	KCHECK_EQ(r.ecx, 0);
	KCHECK_EQ(r.esi, (uint32_t)p1 + 1);
	r = (struct regs){ 4, 0, (uint32_t)id };
	rep_insb(&r, FW_CFG_DATA);
	KCHECK(memcmp(id, "QEMU", 4) != 0);
	KCHECK(id[0] & 1);			/* the traditional interface */
	printf("fw_cfg id after a faulted outsw: 0x%02x\n", id[0]);
}

static void check_faults(void)
{
	KCHECK_EQ(mm_alloc_pfn(&pfns[0]), 0);
	KCHECK_EQ(mm_alloc_pfn(&pfns[1]), 0);
	KCHECK_EQ(mm_map_pfn(0, pfns[0], true), 0);
	insb_across(false);
	insb_across(true);
	outsw_unmapped();
	printf("faults: unmapped and read-only destinations, unmapped source: "
	       "each one #PF, resumed\n");
}

static uint32_t ring3_insb(uint32_t dst)
{
	uint32_t edi = dst;

	gp_skip = 1;
	asm volatile("insb" : "+D"(edi) : "d"(CMOS_DATA) : "memory");
	return edi;
}

static uint32_t ring3_outsb(uint32_t src)
{
	uint32_t esi = src;

	gp_skip = 1;
	asm volatile("outsb" : "+S"(esi) : "d"(CMOS_DATA) : "memory");
	return esi;
}

/* outsw to port 0x80 (a word nobody reads back). */
static uint32_t ring3_outsw(uint32_t src)
{
	uint32_t esi = src;

	gp_skip = 2;
	asm volatile("outsw" : "+S"(esi) : "d"(0x80) : "memory");
	return esi;
}

static uint8_t cmos_scratch(int write)
{
	uint8_t v = (uint8_t)write;

	asm volatile("outb %%al, %%dx" : : "a"(CMOS_SCRATCH), "d"(CMOS_INDEX));
	if (write >= 0)
		asm volatile("outb %%al, %%dx" : : "a"(v), "d"(CMOS_DATA));
	else
		asm volatile("inb %%dx, %%al" : "=a"(v) : "d"(CMOS_DATA));
	return v;
}

/* Ring 3's ins (or outs) at va faults: #PF, error code ec, va untouched
 * (checked where it is mapped: the present bit, 1, in ec). */
static void ring3_refused(user_fn fn, uint32_t va, uint32_t ec)
{
	uint8_t before = ec & 1 ? *(volatile uint8_t *)va : 0;

	pf_count = 0;
	cmos_scratch(0x3c);
	KCHECK_EQ(user_run(fn, va), va);	/* skipped, not stepped */
	KCHECK_EQ(pf_count, 1);
	KCHECK_EQ(pf_err, ec);
	KCHECK_EQ(pf_cr2, va);
	if (ec & 1)
		KCHECK_EQ(*(volatile uint8_t *)va, before);
	KCHECK_EQ(cmos_scratch(-1), 0x3c);	/* nothing went out */
}

static void check_ring3(void)
{
	static uint8_t ubuf[4] = { 0x11, 0x11, 0x11, 0x11 };
	uint32_t hits = gp_hits, sup = mm_window_va(2), ro = mm_window_va(3);
	uint32_t pfn;

	KCHECK_EQ(user_map_range((uint32_t)ubuf, sizeof(ubuf)), 0);
	KCHECK_EQ(mm_alloc_pfn(&pfn), 0);
	KCHECK_EQ(mm_map_pfn(2, pfn, true), 0);		/* supervisor */
	KCHECK_EQ(mm_map_pfn(3, pfn, false), 0);
	KCHECK_EQ(user_map_range(ro, 1), 0);		/* user, read-only */
	*(volatile uint8_t *)sup = 0x77;
	KCHECK_EQ(HYPERVISOR_set_iopl(3), 0);
	pf_count = 0;
	cmos_scratch(0x5a);
	KCHECK_EQ(user_run(ring3_insb, (uint32_t)ubuf), (uint32_t)ubuf + 1);
	KCHECK_EQ(ubuf[0], 0x5a);
	ubuf[1] = 0xc3;
	KCHECK_EQ(user_run(ring3_outsb, (uint32_t)ubuf + 1), (uint32_t)ubuf + 2);
	KCHECK_EQ(cmos_scratch(-1), 0xc3);
	KCHECK_EQ(user_run(ring3_outsb, ro), ro + 1);	/* reading it is fine */
	KCHECK_EQ(cmos_scratch(-1), 0x77);
	KCHECK_EQ(gp_hits, hits);
	KCHECK_EQ(pf_count, 0);
	ring3_refused(ring3_insb, sup, 7);	/* user, write, present */
	ring3_refused(ring3_outsb, sup, 5);	/* user, present */
	ring3_refused(ring3_insb, ro, 7);
	ring3_refused(ring3_insb, mm_window_va(4), 6);	/* user, write */
	/* A word from the user page's last byte into a supervisor page. */
	KCHECK_EQ(mm_map_pfn(4, pfn, true), 0);
	pf_count = 0;
	KCHECK_EQ(user_run(ring3_outsw, ro + MM_PAGE_SIZE - 1),
		  ro + MM_PAGE_SIZE - 1);
	KCHECK_EQ(pf_count, 1);
	KCHECK_EQ(pf_err, 5);				/* user, present */
	KCHECK_EQ(pf_cr2, mm_window_va(4));
	KCHECK_EQ(mm_unmap(4), 0);
	KCHECK_EQ(HYPERVISOR_set_iopl(1), 0);		/* ring 3 refused */
	ubuf[0] = 0x11;
	KCHECK_EQ(user_run(ring3_insb, (uint32_t)ubuf), (uint32_t)ubuf);
	KCHECK_EQ(gp_hits, hits + 1);
	KCHECK_EQ(ubuf[0], 0x11);
	/* The I/O permission is checked before memory, as by the CPU: a
	 * supervisor destination still gives the #GP, not a #PF. */
	pf_count = 0;
	KCHECK_EQ(user_run(ring3_insb, sup), sup);
	KCHECK_EQ(gp_hits, hits + 2);
	KCHECK_EQ(pf_count, 0);
	KCHECK_EQ(mm_unmap(2), 0);
	KCHECK_EQ(mm_unmap(3), 0);
	printf("ring 3: insb and outsb through user pages; supervisor, "
	       "read-only and unmapped pages each a user #PF\n");
}

void kernel_main(struct start_info *si)
{
	static const struct trap_info traps[] = {
		{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_entry },
		{ 14, 0, FLAT_KERNEL_CS, (uint32_t)pf_entry },
		{ 0, 0, 0, 0 },
	};

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK_EQ(user_init(), 0);
	KCHECK_EQ(HYPERVISOR_set_trap_table(traps), 0);
	KCHECK_EQ(HYPERVISOR_set_iopl(1), 0);	/* as a Dom0 kernel does */
	if (ktest_failures) {
		ktest_finish();
		return;
	}
	check_rep_and_single();
	check_addr16();
	check_long_rep();
	check_segments();
	check_faults();
	check_ring3();
	printf("%u #GPs\n", gp_hits);
	ktest_finish();
}
