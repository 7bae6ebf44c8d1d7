/*
 * include/public/xen.h - the pv32pae guest ABI: hypercall numbers, start_info,
 * shared_info/vcpu_info, page-table update requests, domain ids.
 *
 * Numbers and layouts are those of the public Xen PV interface for 32-bit
 * PAE guests; Xylem's own code and the guests it runs share this header.
 * Only fixed-width types are used: every field is 32 bits wide (or as
 * stated), exactly as a 32-bit guest lays it out.  docs/abi.md says which
 * parts Xylem implements.
 */
#ifndef XYLEM_PUBLIC_XEN_H
#define XYLEM_PUBLIC_XEN_H

#include <stdint.h>
#include "arch-x86_32.h"

/* Hypercall numbers. */
#define __HYPERVISOR_set_trap_table		0
#define __HYPERVISOR_mmu_update			1
#define __HYPERVISOR_set_gdt			2
#define __HYPERVISOR_stack_switch		3
#define __HYPERVISOR_set_callbacks		4
#define __HYPERVISOR_fpu_taskswitch		5
#define __HYPERVISOR_sched_op_compat		6
#define __HYPERVISOR_platform_op		7
#define __HYPERVISOR_set_debugreg		8
#define __HYPERVISOR_get_debugreg		9
#define __HYPERVISOR_update_descriptor		10
#define __HYPERVISOR_memory_op			12
#define __HYPERVISOR_multicall			13
#define __HYPERVISOR_update_va_mapping		14
#define __HYPERVISOR_set_timer_op		15
#define __HYPERVISOR_event_channel_op_compat	16
#define __HYPERVISOR_xen_version		17
#define __HYPERVISOR_console_io			18
#define __HYPERVISOR_physdev_op_compat		19
#define __HYPERVISOR_grant_table_op		20
#define __HYPERVISOR_vm_assist			21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret			23
#define __HYPERVISOR_vcpu_op			24
#define __HYPERVISOR_set_segment_base		25
#define __HYPERVISOR_mmuext_op			26
#define __HYPERVISOR_xsm_op			27
#define __HYPERVISOR_nmi_op			28
#define __HYPERVISOR_sched_op			29
#define __HYPERVISOR_callback_op		30
#define __HYPERVISOR_xenoprof_op		31
#define __HYPERVISOR_event_channel_op		32
#define __HYPERVISOR_physdev_op			33
#define __HYPERVISOR_hvm_op			34
#define __HYPERVISOR_sysctl			35
#define __HYPERVISOR_domctl			36
#define __HYPERVISOR_kexec_op			37
#define __HYPERVISOR_tmem_op			38
#define __HYPERVISOR_argo_op			39
#define __HYPERVISOR_xenpmu_op			40
#define __HYPERVISOR_dm_op			41
#define __HYPERVISOR_hypfs_op			42
#define NR_HYPERCALLS				64	/* one 32-byte stub each */

/* Virtual interrupts; TIMER, DEBUG, XENOPROF and XENPMU are per vCPU. */
#define VIRQ_TIMER	0
#define VIRQ_DEBUG	1
#define VIRQ_CONSOLE	2
#define VIRQ_DOM_EXC	3
#define VIRQ_XENOPROF	7
#define VIRQ_XENPMU	13
#define NR_VIRQS	24

/* mmu_update: the low two bits of ptr select the command. */
#define MMU_NORMAL_PT_UPDATE		0
#define MMU_MACHPHYS_UPDATE		1
#define MMU_PT_UPDATE_PRESERVE_AD	2

/* In mmu_update/mmuext_op's count: set when a call was preempted. */
#define MMU_UPDATE_PREEMPTED		(~(~0u >> 1))

struct mmu_update {
	uint64_t ptr;	/* machine address of the PTE (or frame), | command */
	uint64_t val;	/* new contents */
};

/* mmuext_op commands. */
#define MMUEXT_PIN_L1_TABLE	0
#define MMUEXT_PIN_L2_TABLE	1
#define MMUEXT_PIN_L3_TABLE	2
#define MMUEXT_PIN_L4_TABLE	3
#define MMUEXT_UNPIN_TABLE	4
#define MMUEXT_NEW_BASEPTR	5
#define MMUEXT_TLB_FLUSH_LOCAL	6
#define MMUEXT_INVLPG_LOCAL	7
#define MMUEXT_TLB_FLUSH_MULTI	8
#define MMUEXT_INVLPG_MULTI	9
#define MMUEXT_TLB_FLUSH_ALL	10
#define MMUEXT_INVLPG_ALL	11
#define MMUEXT_FLUSH_CACHE	12
#define MMUEXT_SET_LDT		13
#define MMUEXT_NEW_USER_BASEPTR	15
#define MMUEXT_CLEAR_PAGE	16	/* arg1: mfn to zero */
#define MMUEXT_COPY_PAGE	17	/* arg1: destination mfn, arg2: source mfn */

struct mmuext_op {
	uint32_t cmd;
	uint32_t arg1;	/* mfn, or linear_addr */
	uint32_t arg2;	/* nr_ents, vcpumask pointer, or src_mfn */
};

/* update_va_mapping flags. */
#define UVMF_NONE		0
#define UVMF_TLB_FLUSH		1
#define UVMF_INVLPG		2
#define UVMF_FLUSHTYPE_MASK	3
#define UVMF_LOCAL		0
#define UVMF_ALL		4

/* console_io commands. */
#define CONSOLEIO_write		0
#define CONSOLEIO_read		1

/* vm_assist. */
#define VMASST_CMD_enable			0
#define VMASST_CMD_disable			1
#define VMASST_TYPE_4gb_segments		0
#define VMASST_TYPE_4gb_segments_notify		1
#define VMASST_TYPE_writable_pagetables		2
#define VMASST_TYPE_pae_extended_cr3		3
#define VMASST_TYPE_architectural_iopl		4

typedef uint16_t domid_t;
#define DOMID_FIRST_RESERVED	0x7FF0U
#define DOMID_SELF		0x7FF0U
#define DOMID_IO		0x7FF1U
#define DOMID_XEN		0x7FF2U
#define DOMID_INVALID		0x7FF4U
#define DOMID_IDLE		0x7FFFU

struct multicall_entry {
	uint32_t op, result;
	uint32_t args[6];
};

#define NR_EVENT_CHANNELS	1024	/* 2-level ABI, 32-bit words */
#define XEN_LEGACY_MAX_VCPUS	32

struct vcpu_time_info {
	uint32_t version;	/* odd while an update is in progress */
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;	/* ns since boot at tsc_timestamp */
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	int8_t pad1[3];
};	/* 32 bytes */

struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint16_t pad0;
	uint32_t evtchn_pending_sel;
	struct arch_vcpu_info arch;
	struct vcpu_time_info time;
};	/* 64 bytes */

struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	uint32_t evtchn_pending[32];
	uint32_t evtchn_mask[32];
	uint32_t wc_version;
	uint32_t wc_sec;
	uint32_t wc_nsec;
	struct arch_shared_info arch;
};

/* start_info: handed to a PV kernel in %esi at entry. */
#define MAX_GUEST_CMDLINE	1024

#define SIF_PRIVILEGED		(1 << 0)
#define SIF_INITDOMAIN		(1 << 1)
#define SIF_MULTIBOOT_MOD	(1 << 2)
#define SIF_MOD_START_PFN	(1 << 3)
#define SIF_VIRT_P2M_4TOOLS	(1 << 4)

struct start_info {
	char magic[32];		/* "xen-3.0-x86_32p" */
	uint32_t nr_pages;
	uint32_t shared_info;	/* machine address of shared_info */
	uint32_t flags;		/* SIF_* */
	uint32_t store_mfn;
	uint32_t store_evtchn;
	union {
		struct {
			uint32_t mfn;
			uint32_t evtchn;
		} domU;
		struct {
			uint32_t info_off;
			uint32_t info_size;
		} dom0;
	} console;
	uint32_t pt_base;	/* virtual address of the L3 table */
	uint32_t nr_pt_frames;
	uint32_t mfn_list;	/* virtual address of the P2M list */
	uint32_t mod_start;
	uint32_t mod_len;
	int8_t cmd_line[MAX_GUEST_CMDLINE];
	uint32_t first_p2m_pfn;
	uint32_t nr_p2m_frames;
};

#define XEN_START_INFO_MAGIC	"xen-3.0-x86_32p"

#endif
