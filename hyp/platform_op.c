/*
 * platform_op.c - the platform_op hypercall (include/public/platform.h).
 * See platform_op.h.
 *
 * Xylem runs on one physical CPU, number 0, so max_present is always 0
 * and any other number is "not present".  It keeps no firmware data from
 * boot (EDD, MBR signatures, EDID, EFI tables) and answers firmware_info
 * as Xen does when it has none: -ESRCH for an index past the BIOS items
 * it holds (all of them), -ENOSYS for EFI (Xen not booted from EFI), and
 * keyboard shift flags 0 for index 0 (Xen's value when it did not ask the
 * BIOS, as on an EFI boot).  The wall clock itself lives in time.c.
 */
#include "platform_op.h"
#include "cpuid.h"
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "time.h"
#include "arch/x86_32/x86.h"
#include <public/errno.h>
#include <public/platform.h>

/* Copy one member of *op back into the guest's op at arg. */
#define COPY_BACK(arg, op, member)					\
	(copy_to_guest((arg) + offsetof(struct xen_platform_op, member),\
		       &(op)->member, sizeof((op)->member)) ? -XEN_EFAULT : 0)

static long settime(const struct xen_platform_op *op)
{
	const struct xenpf_settime32 *t32 = &op->u.settime32;
	const struct xenpf_settime64 *t64 = &op->u.settime64;

	/* system_time is Xen's s_time_t: signed nanoseconds. */
	if (op->cmd == XENPF_settime32)
		return time_set_wallclock(t32->secs, t32->nsecs,
					  (int64_t)t32->system_time);
	if (t64->mbz)
		return -XEN_EINVAL;
	return time_set_wallclock(t64->secs, t64->nsecs,
				  (int64_t)t64->system_time);
}

/* CPU 0's initial APIC id, from CPUID leaf 1 (EBX bits 31..24). */
static uint32_t boot_apic_id(void)
{
	uint32_t a, b, c, d;

	cpuid_count(1, 0, &a, &b, &c, &d);
	return b >> 24;
}

/*
 * Like Xen: an absent CPU gets flags = INVALID and keeps the apic_id and
 * acpi_id it was given; Xylem does not read ACPI, so CPU 0's ACPI
 * processor id is given as 0.
 */
static long get_cpuinfo(uint32_t arg, struct xen_platform_op *op)
{
	struct xenpf_pcpuinfo *info = &op->u.pcpu_info;

	if (info->xen_cpuid == 0) {
		info->flags = XEN_PCPU_FLAGS_ONLINE;
		info->apic_id = boot_apic_id();
		info->acpi_id = 0;
	} else {
		info->flags = XEN_PCPU_FLAGS_INVALID;
	}
	info->max_present = 0;
	return COPY_BACK(arg, op, u.pcpu_info);
}

/* The running CPU's signature (cpuid.h). */
static void cpu_version(struct xenpf_pcpu_version *ver)
{
	struct cpu_signature sig;

	cpu_signature(&sig);
	memcpy(ver->vendor_id, sig.vendor, sizeof(sig.vendor));
	ver->family = sig.family;
	ver->model = sig.model;
	ver->stepping = sig.stepping;
}

/* An absent CPU: vendor, family, model and stepping zero, success. */
static long get_cpu_version(uint32_t arg, struct xen_platform_op *op)
{
	struct xenpf_pcpu_version *ver = &op->u.pcpu_version;

	if (ver->xen_cpuid == 0) {
		cpu_version(ver);
	} else {
		memset(ver->vendor_id, 0, sizeof(ver->vendor_id));
		ver->family = ver->model = ver->stepping = 0;
	}
	ver->max_present = 0;
	return COPY_BACK(arg, op, u.pcpu_version);
}

static long firmware_info(uint32_t arg, struct xen_platform_op *op)
{
	struct xenpf_firmware_info *fw = &op->u.firmware_info;

	switch (fw->type) {
	case XEN_FW_DISK_INFO:
	case XEN_FW_DISK_MBR_SIGNATURE:
	case XEN_FW_VBEDDC_INFO:
		return -XEN_ESRCH;	/* none held: every index is past the end */
	case XEN_FW_EFI_INFO:
		return -XEN_ENOSYS;	/* not booted from EFI */
	case XEN_FW_KBD_SHIFT_FLAGS:
		if (fw->index != 0)
			return -XEN_ESRCH;
		fw->u.kbd_shift_flags = 0;
		return COPY_BACK(arg, op, u.firmware_info.u.kbd_shift_flags);
	default:
		return -XEN_EINVAL;
	}
}

long do_platform_op(uint32_t arg, uint32_t a2, uint32_t a3, uint32_t a4,
		    uint32_t a5)
{
	struct xen_platform_op op;

	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	if (copy_from_guest(&op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XENPF_INTERFACE_VERSION)
		return -XEN_EACCES;
	if (!domain_is_privileged(current_domain()))
		return -XEN_EPERM;
	switch (op.cmd) {
	case XENPF_settime32:
	case XENPF_settime64:
		return settime(&op);
	case XENPF_get_cpuinfo:
		return get_cpuinfo(arg, &op);
	case XENPF_get_cpu_version:
		return get_cpu_version(arg, &op);
	case XENPF_firmware_info:
		return firmware_info(arg, &op);
	default:
		printk(LOG_DEBUG, "platform_op %u: not implemented\n", op.cmd);
		return -XEN_ENOSYS;
	}
}
