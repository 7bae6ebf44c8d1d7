/*
 * test_mm_uvm.c - update_va_mapping unmaps page 0 (UVMF_INVLPG): a read
 * of address 0 then raises a page fault that reaches the kernel's own #PF
 * handler with error code 0 (read, page not present, supervisor) and the
 * faulting address in shared_info->vcpu_info[0].arch.cr2; mapped again,
 * the page reads back what it held.  An L1 entry with NX (bit 63) is
 * accepted exactly when the CPUID the guest sees offers NX.  Dom0 may map
 * an I/O frame (VGA memory at 0xb8000) but not the local APIC's
 * (0xfee00000, the PC's default, where QEMU keeps it), which the
 * hypervisor drives: -EPERM, writable or not.
 */
#include "ktest.h"
#include "mm.h"

#define FILL_SLOT	0u
#define MARKER		0x7e57f00du

volatile uint32_t pf_count, pf_err, pf_eip;

/* Record the fault and step over the 6-byte "movl 0x0, %eax". */
asm(".text\n"
    "pf_entry:\n"
    "	popl pf_err\n"
    "	incl pf_count\n"
    "	pushl %eax\n"
    "	movl 4(%esp), %eax\n"
    "	movl %eax, pf_eip\n"
    "	popl %eax\n"
    "	addl $6, (%esp)\n"
    "	iret\n");
void pf_entry(void);

static const struct trap_info traps[] = {
	{ 14, 0, FLAT_KERNEL_CS, (uint32_t)pf_entry },
	{ 0, 0, 0, 0 },
};

/* Read the word at virtual address 0; 0xffffffff if it faulted. */
static uint32_t read_page0(uint32_t *fault_eip)
{
	uint32_t v;

	asm volatile("movl $0xffffffff, %%eax\n"
		     "1: .byte 0x8b, 0x05; .long 0\n"	/* movl 0x0, %%eax */
		     "movl $1b, %1"
		     : "=&a"(v), "=r"(*fault_eip) : : "memory");
	return v;
}

/* CPUID 0x80000001 EDX bit 20, as the guest sees it. */
static bool guest_has_nx(void)
{
	uint32_t a = 0x80000000, b, c = 0, d;

	asm volatile("ud2a; .ascii \"xen\"; cpuid"
		     : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	if (a < 0x80000001)
		return false;
	a = 0x80000001;
	c = 0;
	asm volatile("ud2a; .ascii \"xen\"; cpuid"
		     : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d & (1u << 20);
}

/* NX in an L1 entry: accepted exactly when CPUID shows NX; data reads on. */
static void check_nx(uint64_t pte0)
{
	uint32_t eip;
	bool nx = guest_has_nx();
	long rc = HYPERVISOR_update_va_mapping(0, pte0 | (1ull << 63),
					       UVMF_INVLPG);

	KCHECK_EQ(rc, nx ? 0 : -XEN_EINVAL);
	KCHECK_EQ(read_page0(&eip), MARKER);
	KCHECK_EQ(HYPERVISOR_update_va_mapping(0, pte0, UVMF_INVLPG), 0);
	printf("NX in CPUID: %s; L1 entry with NX: %ld\n", nx ? "yes" : "no",
	       rc);
}

/* I/O frames at page 0: VGA text memory maps, the local APIC does not. */
static void check_io_frames(uint64_t pte0)
{
	uint64_t vga = mm_make_entry(0xb8, MM_PTE_RW);
	uint64_t apic = mm_make_entry(0xfee00, MM_PTE_RO);

	KCHECK_EQ(HYPERVISOR_update_va_mapping(0, vga, UVMF_INVLPG), 0);
	KCHECK_EQ(HYPERVISOR_update_va_mapping(0, apic, UVMF_INVLPG),
		  -XEN_EPERM);
	KCHECK_EQ(HYPERVISOR_update_va_mapping(0, apic | MM_PTE_RW,
					       UVMF_INVLPG), -XEN_EPERM);
	KCHECK_EQ(HYPERVISOR_update_va_mapping(0, pte0, UVMF_INVLPG), 0);
	KCHECK_EQ(pf_count, 1);
}

void kernel_main(struct start_info *si)
{
	struct shared_info *sh;
	uint64_t pte0;
	uint32_t eip;

	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK_EQ(HYPERVISOR_set_trap_table(traps), 0);
	sh = mm_map_shared_info();
	KCHECK(sh != NULL);
	if (!sh) {
		ktest_finish();
		return;
	}
	/* Write a marker into pfn 0 through the window. */
	KCHECK_EQ(mm_map_pfn(FILL_SLOT, 0, true), 0);
	*(volatile uint32_t *)mm_window_va(FILL_SLOT) = MARKER;
	KCHECK_EQ(mm_unmap(FILL_SLOT), 0);
	KCHECK_EQ(read_page0(&eip), MARKER);
	KCHECK_EQ(pf_count, 0);

	printf("unmapping page 0 and reading address 0\n");
	sh->vcpu_info[0].arch.cr2 = 0xdeadbeef;
	KCHECK_EQ(HYPERVISOR_update_va_mapping(0, 0, UVMF_INVLPG), 0);
	KCHECK_EQ(read_page0(&eip), 0xffffffff);
	KCHECK_EQ(pf_count, 1);
	KCHECK_EQ(pf_err, 0);
	KCHECK_EQ(pf_eip, eip);
	KCHECK_EQ(sh->vcpu_info[0].arch.cr2, 0);

	printf("mapping it again\n");
	pte0 = mm_make_entry(pfn_to_mfn(0), MM_PTE_RW);
	KCHECK_EQ(HYPERVISOR_update_va_mapping(0, pte0, UVMF_INVLPG), 0);
	KCHECK_EQ(read_page0(&eip), MARKER);
	KCHECK_EQ(pf_count, 1);
	check_nx(pte0);
	check_io_frames(pte0);
	ktest_finish();
}
