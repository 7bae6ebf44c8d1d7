/*
 * test_version.c - xen_version answers every documented command with the
 * right layout, and refuses bad buffers with -EFAULT instead of faulting.
 */
#include "ktest.h"
#include <public/features.h>

void kernel_main(struct start_info *si)
{
	struct xen_capabilities_info caps;
	struct xen_compile_info ci;
	struct xen_feature_info fi = { 0, 0 };
	struct xen_platform_parameters pp;
	char extra[16];
	long v;

	(void)si;
	v = HYPERVISOR_xen_version(XENVER_version, NULL);
	KCHECK(v >> 16 >= 3);
	KCHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, extra), 0);
	KCHECK(!strcmp(extra, "-xylem"));
	KCHECK_EQ(HYPERVISOR_xen_version(XENVER_capabilities, &caps), 0);
	KCHECK(!strcmp(caps.info, "xen-3.0-x86_32p"));
	KCHECK_EQ(HYPERVISOR_xen_version(XENVER_compile_info, &ci), 0);
	KCHECK(ci.compiler[0] != '\0' && ci.compile_date[0] != '\0');
	KCHECK_EQ(HYPERVISOR_xen_version(XENVER_platform_parameters, &pp), 0);
	KCHECK_EQ(pp.virt_start, HYPERVISOR_VIRT_START);
	KCHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, &fi), 0);
	KCHECK(fi.submap & (1u << XENFEAT_pae_pgdir_above_4gb));
	KCHECK(fi.submap & (1u << XENFEAT_mmu_pt_update_preserve_ad));
	KCHECK(fi.submap & (1u << XENFEAT_dom0));		/* we are Dom0 */
	fi.submap_idx = 1;
	KCHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, &fi), -XEN_EINVAL);
	KCHECK_EQ(HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096);
	/* Buffers in the hypervisor's area or unmapped: -EFAULT. */
	KCHECK_EQ(HYPERVISOR_xen_version(XENVER_capabilities, (void *)0xF5800000), -XEN_EFAULT);
	KCHECK_EQ(HYPERVISOR_xen_version(XENVER_capabilities, (void *)0xFC100000), -XEN_EFAULT);
	KCHECK_EQ(HYPERVISOR_xen_version(XENVER_capabilities, (void *)0xE0000000), -XEN_EFAULT);
	KCHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, (void *)0xF57FFFF8), -XEN_EFAULT);
	printf("version %ld.%ld%s, compiled by %s\n", v >> 16, v & 0xffff, extra,
	       ci.compiler);
	ktest_finish();
}
