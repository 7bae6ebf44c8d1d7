/*
 * include/public/arch-x86_32.h - the x86_32 (PAE) part of the guest ABI:
 * reserved flat selectors, the hypervisor's virtual-address bounds, the
 * register frame, trap and callback descriptions, per-vCPU arch info.
 */
#ifndef XYLEM_PUBLIC_ARCH_X86_32_H
#define XYLEM_PUBLIC_ARCH_X86_32_H

#include <stdint.h>

/* Flat segments present in every GDT, in the hypervisor's reserved part. */
#define FLAT_RING1_CS	0xe019
#define FLAT_RING1_DS	0xe021
#define FLAT_RING1_SS	0xe021
#define FLAT_RING3_CS	0xe02b
#define FLAT_RING3_DS	0xe033
#define FLAT_RING3_SS	0xe033
#define FLAT_KERNEL_CS	FLAT_RING1_CS
#define FLAT_KERNEL_DS	FLAT_RING1_DS
#define FLAT_KERNEL_SS	FLAT_RING1_SS
#define FLAT_USER_CS	FLAT_RING3_CS
#define FLAT_USER_DS	FLAT_RING3_DS
#define FLAT_USER_SS	FLAT_RING3_SS

/* The first GDT entry the hypervisor reserves (14 pages of 512 entries). */
#define FIRST_RESERVED_GDT_PAGE		14
#define FIRST_RESERVED_GDT_ENTRY	(FIRST_RESERVED_GDT_PAGE * 512)

#define HYPERVISOR_VIRT_START	0xF5800000u
#define MACH2PHYS_VIRT_START	0xF5800000u
#define MACH2PHYS_VIRT_END	0xF6800000u
#define MACH2PHYS_NR_ENTRIES	((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 2)

struct cpu_user_regs {
	uint32_t ebx;
	uint32_t ecx;
	uint32_t edx;
	uint32_t esi;
	uint32_t edi;
	uint32_t ebp;
	uint32_t eax;
	uint16_t error_code;
	uint16_t entry_vector;
	uint32_t eip;
	uint16_t cs;
	uint8_t saved_upcall_mask;
	uint8_t pad0;
	uint32_t eflags;
	uint32_t esp;
	uint16_t ss, pad1;
	uint16_t es, pad2;
	uint16_t ds, pad3;
	uint16_t fs, pad4;
	uint16_t gs, pad5;
};

/* A %cr3 value packs a page-directory MFN above 4 GiB into 32 bits. */
#define xen_pfn_to_cr3(pfn) (((uint32_t)(pfn) << 12) | ((uint32_t)(pfn) >> 20))
#define xen_cr3_to_pfn(cr3) (((uint32_t)(cr3) >> 12) | ((uint32_t)(cr3) << 20))

struct arch_vcpu_info {
	uint32_t cr2;
	uint32_t pad[5];
};

struct xen_callback {
	uint32_t cs;
	uint32_t eip;
};

/* set_trap_table: flags bits 0-1 = DPL allowed to int $vector; bit 2 = mask events. */
struct trap_info {
	uint8_t vector;
	uint8_t flags;
	uint16_t cs;
	uint32_t address;
};
#define TI_GET_DPL(ti)	((ti)->flags & 3)
#define TI_GET_IF(ti)	((ti)->flags & 4)

struct arch_shared_info {
	uint32_t max_pfn;
	uint32_t pfn_to_mfn_frame_list_list;
	uint32_t nmi_reason;
	uint32_t p2m_cr3;
	uint32_t p2m_vaddr;
	uint32_t p2m_generation;
	uint32_t wc_sec_hi;
};

/* The forced-emulation prefix: ud2a; .ascii "xen"; then e.g. cpuid. */
#define XEN_EMULATE_PREFIX_BYTES { 0x0f, 0x0b, 0x78, 0x65, 0x6e }

/*
 * The full context of a vCPU, as the domain builder gives it to
 * XEN_DOMCTL_setvcpucontext (domctl.h) and a kernel to VCPUOP_initialise
 * (vcpu.h).  ctrlreg[3] is the L3 in xen_pfn_to_cr3() form; trap_ctxt is
 * indexed by vector.  Xylem reads fpu_ctxt (with VGCF_I387_VALID), flags,
 * user_regs, trap_ctxt, the LDT, the GDT, kernel_ss/kernel_sp,
 * ctrlreg[3], debugreg and the event and failsafe callbacks; vm_assist
 * and the other ctrlregs are ignored.
 */
#define VGCF_I387_VALID			(1u << 0)
#define VGCF_in_kernel			(1u << 2)
#define VGCF_failsafe_disables_events	(1u << 3)
#define VGCF_syscall_disables_events	(1u << 4)
#define VGCF_online			(1u << 5)

struct vcpu_guest_context {
	uint8_t fpu_ctxt[512];		/* fxsave image, valid with I387_VALID */
	uint32_t flags;			/* VGCF_* */
	struct cpu_user_regs user_regs;
	struct trap_info trap_ctxt[256];
	uint32_t ldt_base, ldt_ents;
	uint32_t gdt_frames[16], gdt_ents;
	uint32_t kernel_ss, kernel_sp;
	uint32_t ctrlreg[8];
	uint32_t debugreg[8];
	uint32_t event_callback_cs, event_callback_eip;
	uint32_t failsafe_callback_cs, failsafe_callback_eip;
	uint32_t vm_assist;
};

#endif
