/*
 * vcpu_info.h - where a vCPU's vcpu_info lives: VCPUOP_register_vcpu_info.
 *
 * A vCPU starts with its vcpu_info in the domain's shared_info page
 * (shared_info->vcpu_info[0]).  The guest may move it, once, to any
 * 64-byte-fitting, 4-byte-aligned offset of a page it owns; from then on
 * the hypervisor reads and writes only the new copy (event pending bits,
 * the upcall mask, cr2, time), and the old slot in shared_info goes stale.
 * The page holds a general and a writable type reference and a mapcache
 * slot for as long as the vCPU exists, so it cannot become a page table
 * or a descriptor page, and it returns to the allocator only after
 * vcpu_info_release().  Every hypervisor access to a vcpu_info goes
 * through v->vcpu_info.
 */
#ifndef XYLEM_VCPU_INFO_H
#define XYLEM_VCPU_INFO_H

#include <stdint.h>

struct vcpu;

/* Point v at its slot in the domain's shared_info (domain creation). */
void vcpu_info_init(struct vcpu *v);

/*
 * VCPUOP_register_vcpu_info for v with the guest's argument at arg:
 * 0, -XEN_EFAULT (argument unreadable), -XEN_EINVAL (already moved, mfn
 * above 4 GiB or not a writable page the domain owns, offset misaligned
 * or leaving no room for 64 bytes in the page), -XEN_ENOMEM (too many
 * moved vcpu_infos system-wide, see vcpu_info.c).  The rsvd field is
 * ignored, as Xen ignores it.  Nothing changes on failure.
 */
long vcpu_info_register(struct vcpu *v, uint32_t arg);

/* Drop the page a registered vcpu_info holds (domain teardown). */
void vcpu_info_release(struct vcpu *v);

#endif
