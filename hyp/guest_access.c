/*
 * guest_access.c - bounded, fault-tolerant copies to and from guest
 * virtual addresses in the current address space.  See guest_access.h.
 */
#include "guest_access.h"
#include <public/arch-x86_32.h>
#include <public/errno.h>

bool guest_range_ok(uint32_t va, size_t len)
{
	return len <= HYPERVISOR_VIRT_START && va <= HYPERVISOR_VIRT_START - len;
}

int copy_from_guest(void *dst, uint32_t guest_va, size_t len)
{
	if (!guest_range_ok(guest_va, len))
		return -XEN_EFAULT;
	if (arch_copy_guest(dst, (const void *)guest_va, len))
		return -XEN_EFAULT;
	return 0;
}

int copy_to_guest(uint32_t guest_va, const void *src, size_t len)
{
	if (!guest_range_ok(guest_va, len))
		return -XEN_EFAULT;
	if (arch_copy_guest((void *)guest_va, src, len))
		return -XEN_EFAULT;
	return 0;
}

int copy_string_from_guest(char *dst, uint32_t guest_va, size_t max)
{
	size_t i;

	for (i = 0; i < max; i++) {
		if (copy_from_guest(&dst[i], guest_va + i, 1))
			return -XEN_EFAULT;
		if (!dst[i])
			return 0;
	}
	dst[max - 1] = '\0';
	return -XEN_E2BIG;
}
