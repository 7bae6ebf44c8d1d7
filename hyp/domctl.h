/*
 * domctl.h - Dom0's control hypercalls: domctl (create, destroy, pause,
 * unpause, getdomaininfo, max_mem, setvcpucontext, max_vcpus, BVT
 * parameters, I/O port and IRQ permissions, hypercall_init) and sysctl
 * (physinfo).  Any other caller gets -EPERM; a caller built against
 * another interface version gets -EACCES; operations not listed, -ENOSYS.
 */
#ifndef XYLEM_DOMCTL_H
#define XYLEM_DOMCTL_H

#include <stdint.h>

long do_domctl(uint32_t arg, uint32_t a2, uint32_t a3, uint32_t a4,
	       uint32_t a5);
long do_sysctl(uint32_t arg, uint32_t a2, uint32_t a3, uint32_t a4,
	       uint32_t a5);

#endif
