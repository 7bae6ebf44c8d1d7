/*
 * platform_op.h - the platform_op hypercall (include/public/platform.h):
 * Dom0 sets the wall clock (settime32, settime64), asks about the
 * physical CPU (get_cpuinfo, get_cpu_version) and for firmware data
 * (firmware_info, of which Xylem has none).
 *
 * The op is copied in once (-EFAULT), its interface version checked
 * (-EACCES), then the caller (-EPERM unless privileged), as Xen orders
 * them.  Only the fields Xen writes back are copied back (-EFAULT if that
 * fails); other commands return -ENOSYS.
 */
#ifndef XYLEM_PLATFORM_OP_H
#define XYLEM_PLATFORM_OP_H

#include <stdint.h>

long do_platform_op(uint32_t arg, uint32_t a2, uint32_t a3, uint32_t a4,
		    uint32_t a5);

#endif
