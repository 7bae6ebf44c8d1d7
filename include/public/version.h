/*
 * include/public/version.h - xen_version hypercall commands and results.
 */
#ifndef XYLEM_PUBLIC_VERSION_H
#define XYLEM_PUBLIC_VERSION_H

#include <stdint.h>

#define XENVER_version		0	/* returns (major << 16) | minor */
#define XENVER_extraversion	1
#define XENVER_compile_info	2
#define XENVER_capabilities	3
#define XENVER_changeset	4
#define XENVER_platform_parameters 5
#define XENVER_get_features	6
#define XENVER_pagesize		7
#define XENVER_guest_handle	8
#define XENVER_commandline	9
#define XENVER_build_id		10

struct xen_extraversion { char extraversion[16]; };
struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};
struct xen_capabilities_info { char info[1024]; };
struct xen_changeset_info { char info[64]; };
struct xen_platform_parameters { uint32_t virt_start; };
struct xen_feature_info {
	uint32_t submap_idx;
	uint32_t submap;
};
struct xen_commandline { char buf[1024]; };

#endif
