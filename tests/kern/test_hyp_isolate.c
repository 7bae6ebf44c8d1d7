/*
 * test_hyp_isolate.c (hostile) - a guest kernel reaches for every kind of
 * hypervisor page and is stopped each time, then checks the hypervisor
 * still works.  On a CPU that checks segment limits each access is a #GP
 * (the flat segments end at 0xF67FFFFF); where it does not (QEMU's TCG)
 * the hypervisor is unmapped while the guest runs (isolate.h) and each is
 * a #PF: not present for pages outside the guest's view, a write to a
 * present read-only page for the descriptor tables and the entry code the
 * CPU needs.  Every access must fault, all the same way:
 *   writes to GDT page 0 (the zero page every vCPU shares), to the
 *   hypervisor's GDT page 14, to the IDT and to the trap entry code;
 *   reads of the direct map at 0xFC000000, the mapcache and the local
 *   APIC, a write to the absent LDT window.
 * Afterwards a divide error still reaches this kernel's handler through
 * the IDT, and hypercalls still work.
 */
#include "ktest.h"

#define ACCESS_LEN	2	/* movl %eax,(%ebx) and movl (%ebx),%eax */
#define PFEC_PRESENT	0x1u
#define PFEC_WRITE	0x2u

volatile uint32_t faults, fault_vec, fault_err, de_hits;

void gp_probe(void);
void pf_probe(void);
void de_probe(void);

asm(".text\n"
    "gp_probe:\n"
    "	movl	$13, fault_vec\n"
    "	jmp	1f\n"
    "pf_probe:\n"
    "	movl	$14, fault_vec\n"
    "1:	incl	faults\n"
    "	popl	fault_err\n"
    "	addl	$2, (%esp)\n"		/* ACCESS_LEN */
    "	iret\n"
    "de_probe:\n"
    "	incl	de_hits\n"
    "	addl	$2, (%esp)\n"		/* divl %ecx */
    "	iret\n");

static const struct trap_info table[] = {
	{ 0, 0, FLAT_KERNEL_CS, (uint32_t)de_probe },
	{ 13, 0, FLAT_KERNEL_CS, (uint32_t)gp_probe },
	{ 14, 0, FLAT_KERNEL_CS, (uint32_t)pf_probe },
	{ 0, 0, 0, 0 },
};

struct desc_ptr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

static uint32_t first_vec;	/* 13 or 14: how this CPU stops us */

/* One access at va; true if it faulted once, as every other one did. */
static bool access_faults(const char *what, uint32_t va, bool write)
{
	uint32_t before = faults, v = 0x5a5a5a5a;

	if (write)
		asm volatile("movl %%eax, (%%ebx)" : : "a"(v), "b"(va) : "memory");
	else
		asm volatile("movl (%%ebx), %%eax" : "+a"(v) : "b"(va) : "memory");
	if (faults != before + 1) {
		printf("%s at %08x: not stopped\n", what, va);
		return false;
	}
	if (!first_vec)
		first_vec = fault_vec;
	printf("%s at %08x: %s, error %x\n", what, va,
	       fault_vec == 14 ? "#PF" : "#GP", fault_err);
	if (fault_vec != first_vec)
		return false;
	if (fault_vec == 14 && write && (fault_err & PFEC_WRITE) == 0)
		return false;
	return true;
}

/* Through the IDT: a read of it is refused on hardware, allowed on TCG. */
static void check_entry_code(uint32_t idt_base)
{
	uint32_t before = faults, lo = 0, hi = 0, handler;

	asm volatile("movl (%%ebx), %%eax" : "+a"(lo) : "b"(idt_base + 0x82 * 8)
		     : "memory");
	if (faults != before) {
		KCHECK_EQ(fault_vec, 13);	/* limits: the IDT is out of reach */
		return;
	}
	asm volatile("movl (%%ebx), %%eax" : "+a"(hi)
		     : "b"(idt_base + 0x82 * 8 + 4) : "memory");
	KCHECK_EQ(lo >> 16, 0xe008);		/* the hypervisor's code */
	KCHECK_EQ((hi >> 8) & 0xff, 0xae);	/* interrupt gate, DPL 1 */
	handler = (hi & 0xffff0000) | (lo & 0xffff);
	KCHECK(access_faults("write to the hypercall entry code", handler, true));
	KCHECK(fault_err & PFEC_PRESENT);
}

void kernel_main(struct start_info *si)
{
	struct desc_ptr gdt, idt;
	uint32_t q = 7, zero = 0;

	(void)si;
	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	asm volatile("sgdt %0; sidt %1" : "=m"(gdt), "=m"(idt));
	KCHECK_EQ(gdt.base, 0xF6800000u);
	KCHECK(access_faults("write to GDT page 0", gdt.base, true));
	KCHECK(access_faults("write to GDT page 14", gdt.base + 14 * 4096, true));
	KCHECK(access_faults("write to the IDT", idt.base, true));
	check_entry_code(idt.base);
	KCHECK(access_faults("read of the direct map", 0xFC000000u, false));
	KCHECK(access_faults("read of the mapcache", 0xF7000000u, false));
	KCHECK(access_faults("read of the local APIC", 0xF69FF000u, false));
	KCHECK(access_faults("write to the LDT window", 0xF6810000u, true));
	if (first_vec == 14)
		KCHECK_EQ(fault_err & PFEC_PRESENT, 0);	/* nothing there */

	/* The IDT is intact: vector 0 still reaches our handler. */
	asm volatile("divl %%ecx" : "+a"(q), "+d"(zero) : "c"(0));
	KCHECK_EQ(de_hits, 1);
	printf("hyp_isolate: %u accesses stopped by %s\n", faults,
	       first_vec == 14 ? "page faults (isolation)" :
	       "general protection (segment limits)");
	ktest_finish();
}
