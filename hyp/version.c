/*
 * version.c - the xen_version hypercall: who we are and what we offer.
 * Xylem reports itself as ABI 4.0 with extraversion "-xylem" and the
 * capability "xen-3.0-x86_32p" (the pv32pae guest ABI).
 */
#include "hypercall.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "setup.h"
#include <public/errno.h>
#include <public/features.h>
#include <public/version.h>

#define XYLEM_MAJOR	4
#define XYLEM_MINOR	0

static long copy_string_out(uint32_t arg, const char *s, size_t field)
{
	char buf[1024];

	memset(buf, 0, field);
	strlcpy(buf, s, field);
	return copy_to_guest(arg, buf, field) ? -XEN_EFAULT : 0;
}

static long version_compile_info(uint32_t arg)
{
	struct xen_compile_info ci;

	memset(&ci, 0, sizeof(ci));
	strlcpy(ci.compiler, "gcc " __VERSION__, sizeof(ci.compiler));
	strlcpy(ci.compile_by, "xylem", sizeof(ci.compile_by));
	strlcpy(ci.compile_domain, "xylem.invalid", sizeof(ci.compile_domain));
	strlcpy(ci.compile_date, __DATE__ " " __TIME__, sizeof(ci.compile_date));
	return copy_to_guest(arg, &ci, sizeof(ci)) ? -XEN_EFAULT : 0;
}

static long version_get_features(uint32_t arg)
{
	struct xen_feature_info fi;

	if (copy_from_guest(&fi, arg, sizeof(fi)))
		return -XEN_EFAULT;
	if (fi.submap_idx >= XENFEAT_NR_SUBMAPS)
		return -XEN_EINVAL;
	fi.submap = XYLEM_FEATURES;
	if (domain_is_privileged(current_domain()))
		fi.submap |= 1u << XENFEAT_dom0;
	return copy_to_guest(arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
}

long do_xen_version(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
		    uint32_t a5)
{
	struct xen_platform_parameters pp = { HYPERVISOR_VIRT_START };
	uint8_t handle[16] = { 0 };

	(void)a3;
	(void)a4;
	(void)a5;
	switch (cmd) {
	case XENVER_version:
		return (XYLEM_MAJOR << 16) | XYLEM_MINOR;
	case XENVER_extraversion:
		return copy_string_out(arg, "-xylem", sizeof(struct xen_extraversion));
	case XENVER_compile_info:
		return version_compile_info(arg);
	case XENVER_capabilities:
		return copy_string_out(arg, "xen-3.0-x86_32p",
				       sizeof(struct xen_capabilities_info));
	case XENVER_changeset:
		return copy_string_out(arg, "xylem", sizeof(struct xen_changeset_info));
	case XENVER_platform_parameters:
		return copy_to_guest(arg, &pp, sizeof(pp)) ? -XEN_EFAULT : 0;
	case XENVER_get_features:
		return version_get_features(arg);
	case XENVER_pagesize:
		return 4096;
	case XENVER_guest_handle:
		return copy_to_guest(arg, handle, sizeof(handle)) ? -XEN_EFAULT : 0;
	case XENVER_commandline:
		if (!domain_is_privileged(current_domain()))
			return -XEN_EPERM;
		return copy_string_out(arg, hypervisor_cmdline(),
				       sizeof(struct xen_commandline));
	case XENVER_build_id:
		return -XEN_ENODATA;
	default:
		return -XEN_ENOSYS;
	}
}
