/*
 * include/public/domctl.h - domain control (hypercall 36, __HYPERVISOR_domctl),
 * for Dom0's control tools only: every other caller gets -EPERM.
 *
 * One struct xen_domctl names an operation (cmd), the interface version
 * the caller was built against (XEN_DOMCTL_INTERFACE_VERSION, else
 * -EACCES) and the target domain, followed by a 128-byte union of
 * per-operation arguments.  Numbers and layouts follow the public Xen ABI
 * for the operations Xylem offers; the rest return -ENOSYS.  The one
 * Xylem-specific layout is the BVT scheduler's parameters
 * (XEN_SCHEDULER_BVT, the number Xen 3.0 used for BVT).
 */
#ifndef XYLEM_PUBLIC_DOMCTL_H
#define XYLEM_PUBLIC_DOMCTL_H

#include <stdint.h>
#include "xen.h"

#define XEN_DOMCTL_INTERFACE_VERSION	0x00000010

#define XEN_DOMCTL_createdomain		1
#define XEN_DOMCTL_destroydomain	2
#define XEN_DOMCTL_pausedomain		3
#define XEN_DOMCTL_unpausedomain	4
#define XEN_DOMCTL_getdomaininfo	5
#define XEN_DOMCTL_max_mem		11
#define XEN_DOMCTL_setvcpucontext	12
#define XEN_DOMCTL_getvcpucontext	13
#define XEN_DOMCTL_max_vcpus		15
#define XEN_DOMCTL_scheduler_op		16
#define XEN_DOMCTL_irq_permission	19
#define XEN_DOMCTL_ioport_permission	21
#define XEN_DOMCTL_hypercall_init	22

typedef uint8_t xen_domain_handle_t[16];

/* createdomain: domain is IN/OUT; 0 asks for the lowest free id. */
struct xen_domctl_createdomain {
	uint32_t ssidref;
	xen_domain_handle_t handle;
	uint32_t flags;			/* XEN_DOMCTL_CDF_*: Xylem takes 0 */
	uint32_t emulation_flags;	/* xen_arch_domainconfig: must be 0 */
};

#define XEN_DOMINF_dying	(1u << 0)
#define XEN_DOMINF_hvm_guest	(1u << 1)
#define XEN_DOMINF_shutdown	(1u << 2)
#define XEN_DOMINF_paused	(1u << 3)
#define XEN_DOMINF_blocked	(1u << 4)
#define XEN_DOMINF_running	(1u << 5)
#define XEN_DOMINF_shutdownmask	255
#define XEN_DOMINF_shutdownshift 16

/* getdomaininfo: the first domain whose id is >= domain. */
struct xen_domctl_getdomaininfo {
	domid_t domain;
	uint16_t pad0;
	uint32_t flags;			/* XEN_DOMINF_*, shutdown code */
	uint64_t tot_pages __attribute__((aligned(8)));
	uint64_t max_pages;
	uint64_t outstanding_pages;
	uint64_t shr_pages;
	uint64_t paged_pages;
	uint64_t shared_info_frame;	/* mfn of its shared_info */
	uint64_t cpu_time;		/* ns its vCPUs ran */
	uint32_t nr_online_vcpus;
	uint32_t max_vcpu_id;
	uint32_t ssidref;
	xen_domain_handle_t handle;
	uint32_t cpupool;
	uint32_t emulation_flags;
};

struct xen_domctl_max_mem {
	uint64_t max_memkb __attribute__((aligned(8)));
};

/* set/getvcpucontext: ctxt is a guest pointer (64-bit handle). */
struct xen_domctl_vcpucontext {
	uint32_t vcpu;
	uint32_t pad0;
	uint64_t ctxt __attribute__((aligned(8)));
};

struct xen_domctl_max_vcpus {
	uint32_t max;
};

#define XEN_SCHEDULER_BVT		0
#define XEN_DOMCTL_SCHEDOP_putinfo	0
#define XEN_DOMCTL_SCHEDOP_getinfo	1

/*
 * BVT parameters (bvt.h): weight 1..65535 (share is proportional to it,
 * default 256); warp_ns > 0 lets the domain's effective virtual time drop
 * by warp_ns / weight when it wakes, for at most warp_limit_ns of running,
 * again only after unwarp_ns; 0 = never warped.
 */
struct xen_domctl_sched_bvt {
	uint32_t weight;
	uint32_t pad0;
	int64_t warp_ns __attribute__((aligned(8)));
	uint64_t warp_limit_ns;
	uint64_t unwarp_ns;
};

struct xen_domctl_scheduler_op {
	uint32_t sched_id;		/* XEN_SCHEDULER_BVT */
	uint32_t cmd;			/* XEN_DOMCTL_SCHEDOP_* */
	union {
		struct xen_domctl_sched_bvt bvt;
		uint8_t pad[40];
	} u;
};

struct xen_domctl_irq_permission {
	uint8_t pirq;
	uint8_t allow_access;
};

struct xen_domctl_ioport_permission {
	uint32_t first_port;
	uint32_t nr_ports;
	uint8_t allow_access;
};

/* hypercall_init: fill the domain's frame gmfn (an mfn it owns) with the
 * hypercall page. */
struct xen_domctl_hypercall_init {
	uint64_t gmfn __attribute__((aligned(8)));
};

struct xen_domctl {
	uint32_t cmd;
	uint32_t interface_version;
	domid_t domain;
	uint16_t pad0;
	union {
		struct xen_domctl_createdomain createdomain;
		struct xen_domctl_getdomaininfo getdomaininfo;
		struct xen_domctl_max_mem max_mem;
		struct xen_domctl_vcpucontext vcpucontext;
		struct xen_domctl_max_vcpus max_vcpus;
		struct xen_domctl_scheduler_op scheduler_op;
		struct xen_domctl_irq_permission irq_permission;
		struct xen_domctl_ioport_permission ioport_permission;
		struct xen_domctl_hypercall_init hypercall_init;
		uint8_t pad[128];
	} u __attribute__((aligned(8)));
};

#endif
