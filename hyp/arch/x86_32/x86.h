/*
 * x86.h - every inline-assembly wrapper the hypervisor uses, in one place:
 * port I/O, control registers, TLB control, descriptor-table loads, TSC,
 * CPUID, interrupt flag.  Nothing outside hyp/arch/x86_32 writes asm.
 */
#ifndef XYLEM_X86_H
#define XYLEM_X86_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t read_cr0(void)
{
	uint32_t v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint32_t v)
{
	asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint32_t read_cr2(void)
{
	uint32_t v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_cr3(void)
{
	uint32_t v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint32_t v)
{
	asm volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint32_t read_cr4(void)
{
	uint32_t v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint32_t v)
{
	asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void invlpg(uint32_t va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Flush every non-global TLB entry. */
static inline void flush_tlb_local(void)
{
	write_cr3(read_cr3());
}

struct desc_ptr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

static inline void lgdt(const struct desc_ptr *p)
{
	asm volatile("lgdt %0" : : "m"(*p));
}

static inline void lidt(const struct desc_ptr *p)
{
	asm volatile("lidt %0" : : "m"(*p));
}

static inline void ltr(uint16_t sel)
{
	asm volatile("ltr %0" : : "r"(sel));
}

static inline void lldt(uint16_t sel)
{
	asm volatile("lldt %0" : : "r"(sel));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a,
			       uint32_t *b, uint32_t *c, uint32_t *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
		     : "a"(leaf), "c"(sub));
}

/* Debug registers: n is 0-3, 6 or 7 (a constant). */
#define read_dr(n) ({ uint32_t v_; asm volatile("mov %%dr" #n ", %0" : "=r"(v_)); v_; })
#define write_dr(n, v) asm volatile("mov %0, %%dr" #n : : "r"((uint32_t)(v)))

#define MSR_UCODE_REV		0x8b	/* AMD: PATCHLEVEL */
#define MSR_IA32_SYSENTER_CS	0x174
#define MSR_IA32_SYSENTER_ESP	0x175
#define MSR_IA32_SYSENTER_EIP	0x176
#define MSR_MISC_ENABLE		0x1a0	/* Intel */
#define MSR_TSC_AUX		0xc0000103
#define MSR_DEBUGCTL		0x1d9
#define MSR_PAT			0x277

#define MSR_EFER		0xc0000080
#define EFER_LME		(1u << 8)
#define EFER_LMA		(1u << 10)
#define EFER_NXE		(1u << 11)
#define EFER_SVME		(1u << 12)

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)val),
		     "d"((uint32_t)(val >> 32)));
}

static inline void cli(void)
{
	asm volatile("cli" : : : "memory");
}

static inline void halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

/* Wait for an interrupt with interrupts enabled just for the wait. */
static inline void safe_halt(void)
{
	asm volatile("sti; hlt; cli" : : : "memory");
}

static inline void clts(void)
{
	asm volatile("clts");
}

static inline void stts(void)
{
	write_cr0(read_cr0() | (1u << 3));
}

static inline void fxsave(void *area)
{
	asm volatile("fxsave (%0)" : : "r"(area) : "memory");
}

static inline void fxrstor(const void *area)
{
	asm volatile("fxrstor (%0)" : : "r"(area) : "memory");
}

/* XCR0, the state components XSAVE manages (CR4.OSXSAVE must be set). */
static inline void write_xcr0(uint64_t v)
{
	asm volatile("xsetbv" : : "c"(0), "a"((uint32_t)v),
		     "d"((uint32_t)(v >> 32)));
}

static inline uint64_t read_xcr0(void)
{
	uint32_t lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

/* XSAVE / XRSTOR (standard form) of the components in mask & XCR0; the
 * area is 64-byte aligned. */
static inline void xsave(void *area, uint32_t mask)
{
	asm volatile("xsave (%0)" : : "r"(area), "a"(mask), "d"(0)
		     : "memory");
}

static inline void xrstor(const void *area, uint32_t mask)
{
	asm volatile("xrstor (%0)" : : "r"(area), "a"(mask), "d"(0)
		     : "memory");
}

static inline void fninit(void)
{
	asm volatile("fninit");
}

#define X86_CR0_PE	(1u << 0)
#define X86_CR0_MP	(1u << 1)
#define X86_CR0_EM	(1u << 2)
#define X86_CR0_TS	(1u << 3)
#define X86_CR0_NE	(1u << 5)
#define X86_CR0_WP	(1u << 16)
#define X86_CR0_PG	(1u << 31)

#define X86_CR4_TSD	(1u << 2)
#define X86_CR4_DE	(1u << 3)
#define X86_CR4_PSE	(1u << 4)
#define X86_CR4_PAE	(1u << 5)
#define X86_CR4_PGE	(1u << 7)
#define X86_CR4_OSFXSR	(1u << 9)
#define X86_CR4_OSXMMEXCPT (1u << 10)
#define X86_CR4_OSXSAVE	(1u << 18)

#define X86_EFLAGS_CF	(1u << 0)
#define X86_EFLAGS_PF	(1u << 2)
#define X86_EFLAGS_AF	(1u << 4)
#define X86_EFLAGS_ZF	(1u << 6)
#define X86_EFLAGS_SF	(1u << 7)
#define X86_EFLAGS_IF	(1u << 9)
#define X86_EFLAGS_TF	(1u << 8)
#define X86_EFLAGS_DF	(1u << 10)
#define X86_EFLAGS_OF	(1u << 11)
#define X86_EFLAGS_IOPL	(3u << 12)
#define X86_EFLAGS_NT	(1u << 14)

/* Page-fault error code bits. */
#define PFEC_PRESENT	(1u << 0)
#define PFEC_WRITE	(1u << 1)
#define PFEC_USER	(1u << 2)
#define PFEC_RSVD	(1u << 3)
#define X86_EFLAGS_VM	(1u << 17)
#define X86_EFLAGS_AC	(1u << 18)
#define X86_EFLAGS_RSVD1 (1u << 1)

/* Exception vectors. */
#define X86_EXC_DE	0
#define X86_EXC_DB	1
#define X86_EXC_NMI	2
#define X86_EXC_BP	3
#define X86_EXC_OF	4
#define X86_EXC_BR	5
#define X86_EXC_UD	6
#define X86_EXC_NM	7
#define X86_EXC_DF	8
#define X86_EXC_TS	10
#define X86_EXC_NP	11
#define X86_EXC_SS	12
#define X86_EXC_GP	13
#define X86_EXC_PF	14
#define X86_EXC_MF	16
#define X86_EXC_AC	17
#define X86_EXC_MC	18
#define X86_EXC_XM	19

#define HYPERCALL_VECTOR 0x82

#endif
