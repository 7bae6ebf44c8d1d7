/*
 * desc.c - build and load the GDT, IDT and TSS.  See desc.h.
 */
#include "desc.h"
#include "isolate.h"
#include "page.h"
#include "paging.h"
#include "x86.h"
#include "../../lib.h"
#include "../../mm.h"
#include "../../panic.h"
#include <public/arch-x86_32.h>

struct tss {
	uint16_t link, r0;
	uint32_t esp0;
	uint16_t ss0, r1;
	uint32_t esp1;
	uint16_t ss1, r2;
	uint32_t esp2;
	uint16_t ss2, r3;
	uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint16_t es, r4, cs, r5, ss, r6, ds, r7, fs, r8, gs, r9, ldt, r10;
	uint16_t trap, iomap_base;
} __attribute__((packed));

extern char trap_stubs[];
extern char boot_stack_top[];

/* The CPU reads both while a guest runs on its restricted view (isolate.h). */
static struct tss tss __attribute__((aligned(128), section(".bss.entry")));
static uint64_t idt[256] __attribute__((aligned(8), section(".bss.entry")));
static bool have_sysenter;	/* CPUID.1:EDX.SEP: the MSRs are set */
/* Pages 14-15 of the window; part of the image, so physically adjacent. */
static uint64_t gdt_reserved[1024] __attribute__((aligned(4096)));

#define GUEST_LIMIT_PAGES	((MACH2PHYS_VIRT_END >> PAGE_SHIFT) - 1)
#define RESERVED(sel)		(((sel) >> 3) - FIRST_RESERVED_GDT_ENTRY)

static void gdt_build(void)
{
	void *zero = alloc_xenheap_page();
	uint32_t hi = virt_to_phys(gdt_reserved) >> PAGE_SHIFT;
	unsigned int i;

	if (!zero)
		panic("no memory for the GDT");
	/*
	 * Accessed bits set: the CPU would write them on first use, and a
	 * guest on its restricted view (isolate.h) sees the GDT read-only.
	 */
	gdt_reserved[RESERVED(__HYPERVISOR_CS)] = make_seg_desc(0, 0xfffff, 0x9b);
	gdt_reserved[RESERVED(__HYPERVISOR_DS)] = make_seg_desc(0, 0xfffff, 0x93);
	gdt_reserved[RESERVED(FLAT_RING1_CS)] = make_seg_desc(0, GUEST_LIMIT_PAGES, 0xbb);
	gdt_reserved[RESERVED(FLAT_RING1_DS)] = make_seg_desc(0, GUEST_LIMIT_PAGES, 0xb3);
	gdt_reserved[RESERVED(FLAT_RING3_CS)] = make_seg_desc(0, GUEST_LIMIT_PAGES, 0xfb);
	gdt_reserved[RESERVED(FLAT_RING3_DS)] = make_seg_desc(0, GUEST_LIMIT_PAGES, 0xf3);
	/* 32-bit available TSS, byte-granular limit. */
	gdt_reserved[RESERVED(__TSS_SEL)] =
		(make_seg_desc((uint32_t)&tss, sizeof(tss) - 1, 0x89) &
		 ~(0xcull << 52));
	gdt_zero_mfn = virt_to_phys(zero) >> PAGE_SHIFT;
	for (i = 0; i < FIRST_RESERVED_GDT_PAGE; i++)
		arch_clear_gdt_frame(i);
	arch_set_gdt_frame(14, hi, 1);
	arch_set_gdt_frame(15, hi + 1, 1);
}

void arch_load_ldt(uint32_t nr_ents)
{
	if (!nr_ents) {
		lldt(0);
		return;
	}
	/* An LDT system descriptor (type 2, DPL 0), byte-granular limit. */
	gdt_reserved[RESERVED(__LDT_SEL)] =
		make_seg_desc(LDT_VIRT_START, nr_ents * 8 - 1, 0x82) &
		~(0xcull << 52);
	lldt(__LDT_SEL);
}

static void idt_set(unsigned int vec, unsigned int dpl)
{
	uint32_t handler = (uint32_t)trap_stubs + 16 * vec;

	/* 32-bit interrupt gate: the hypervisor always runs with IF clear. */
	idt[vec] = (handler & 0xffff) | ((uint64_t)__HYPERVISOR_CS << 16) |
		   ((uint64_t)(0x8e | (dpl << 5)) << 40) |
		   ((uint64_t)(handler >> 16) << 48);
}

void arch_set_direct_trap(uint8_t vec, uint16_t cs, uint32_t eip)
{
	/* 32-bit trap gate, DPL 3, straight into the guest kernel. */
	idt[vec] = (eip & 0xffff) | ((uint64_t)cs << 16) |
		   ((uint64_t)0xef << 40) | ((uint64_t)(eip >> 16) << 48);
}

void arch_set_native_null_trap(uint8_t vec)
{
	extern char native_int80_entry[];
	uint32_t eip = (uint32_t)native_int80_entry;

	idt[vec] = (eip & 0xffff) | ((uint64_t)__HYPERVISOR_CS << 16) |
		   ((uint64_t)0xee << 40) | ((uint64_t)(eip >> 16) << 48);
}

void arch_clear_direct_trap(uint8_t vec)
{
	idt_set(vec, 0);
}

static void idt_build(void)
{
	unsigned int v;

	for (v = 0; v < 256; v++)
		idt_set(v, 0);
	idt_set(X86_EXC_BP, 3);		/* int3 and into from any ring */
	idt_set(X86_EXC_OF, 3);
	idt_set(HYPERCALL_VECTOR, 1);	/* int $0x82 from ring 1 only */
}

/*
 * SYSENTER enters entry.S on the current vCPU's stack, or the entry stack
 * with isolation on (arch_set_hyp_stack).
 */
static void sysenter_init(void)
{
	extern char sysenter_entry[];
	uint32_t a, b, c, d;

	cpuid_count(1, 0, &a, &b, &c, &d);
	have_sysenter = d & (1u << 11);
	if (!have_sysenter)
		return;
	wrmsr(MSR_IA32_SYSENTER_CS, __HYPERVISOR_CS);
	wrmsr(MSR_IA32_SYSENTER_EIP, (uint32_t)sysenter_entry);
	wrmsr(MSR_IA32_SYSENTER_ESP, tss.esp0);
}

void arch_desc_init(void)
{
	struct desc_ptr gp = { GDT_PAGES * PAGE_SIZE - 1, GDT_VIRT_START };
	struct desc_ptr ip = { sizeof(idt) - 1, (uint32_t)idt };

	gdt_build();
	idt_build();
	tss.ss0 = __HYPERVISOR_DS;
	tss.esp0 = (uint32_t)boot_stack_top;
	tss.iomap_base = sizeof(tss);	/* no I/O bitmap: all ports trap */
	lgdt(&gp);
	asm volatile("ljmp %0, $1f\n1:" : : "i"(__HYPERVISOR_CS));
	asm volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss;"
		     "mov %0, %%fs; mov %0, %%gs" : : "r"(__HYPERVISOR_DS));
	lidt(&ip);
	ltr(__TSS_SEL);
	sysenter_init();
}

void arch_set_guest_kernel_stack(uint32_t ss, uint32_t esp)
{
	tss.ss1 = (uint16_t)ss;
	tss.esp1 = esp;
}

void arch_set_hyp_stack(uint32_t top)
{
	tss.esp0 = iso_ring0_stack(top);
	if (have_sysenter)
		wrmsr(MSR_IA32_SYSENTER_ESP, tss.esp0);
}

bool arch_segment_limits_enforced(void)
{
	uint32_t faulted = 0, saved, scratch;

	asm volatile("movl %%fs, %[saved]\n\t"
		     "movl %[sel], %%fs\n"
		     "1:\tmovb %%fs:(%[addr]), %b[scratch]\n\t"
		     "jmp 3f\n"
		     "2:\tmovl $1, %[faulted]\n"
		     "3:\tmovl %[saved], %%fs\n\t"
		     ".pushsection .extable, \"a\"\n\t"
		     ".long 1b, 2b\n\t"
		     ".popsection"
		     : [faulted] "+r"(faulted), [saved] "=&r"(saved),
		       [scratch] "=&q"(scratch)
		     : [sel] "r"((uint32_t)FLAT_RING1_DS),
		       [addr] "r"(DIRECTMAP_VIRT_START)
		     : "memory");
	return faulted;
}
