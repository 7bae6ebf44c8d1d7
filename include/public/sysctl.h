/*
 * include/public/sysctl.h - system control (hypercall 35, __HYPERVISOR_sysctl),
 * Dom0 only (-EPERM otherwise).  Like domctl: cmd, interface_version
 * (XEN_SYSCTL_INTERFACE_VERSION, else -EACCES), a 128-byte union.  Xylem
 * offers XEN_SYSCTL_physinfo; the other Xen operations return -ENOSYS.
 * The physinfo layout is Xen's first fields; Xylem fills the ones marked.
 */
#ifndef XYLEM_PUBLIC_SYSCTL_H
#define XYLEM_PUBLIC_SYSCTL_H

#include <stdint.h>

#define XEN_SYSCTL_INTERFACE_VERSION	0x00000013
#define XEN_SYSCTL_physinfo		3

struct xen_sysctl_physinfo {
	uint32_t threads_per_core;	/* 1 */
	uint32_t cores_per_socket;	/* 1 */
	uint32_t nr_cpus;		/* 1 */
	uint32_t max_cpu_id;		/* 0 */
	uint32_t nr_nodes;		/* 1 */
	uint32_t max_node_id;		/* 0 */
	uint32_t cpu_khz;		/* the calibrated TSC rate */
	uint32_t capabilities;		/* 0 */
	uint64_t total_pages __attribute__((aligned(8)));	/* RAM frames */
	uint64_t free_pages;		/* frames in the allocator */
	uint64_t scrub_pages;
	uint64_t outstanding_pages;
	uint64_t max_mfn;
	uint32_t hw_cap[8];
};

struct xen_sysctl {
	uint32_t cmd;
	uint32_t interface_version;
	union {
		struct xen_sysctl_physinfo physinfo;
		uint8_t pad[128];
	} u __attribute__((aligned(8)));
};

#endif
