/*
 * guest_access.h - the only way the hypervisor touches memory a guest
 * names by virtual address.  Both calls check that the whole range lies
 * below HYPERVISOR_VIRT_START and survive faults: they return 0 when every
 * byte was copied and -XEN_EFAULT otherwise.  Data copied in is the
 * hypervisor's private copy: validate it after copying, never before.
 */
#ifndef XYLEM_GUEST_ACCESS_H
#define XYLEM_GUEST_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Does [va, va + len) lie wholly below HYPERVISOR_VIRT_START? */
bool guest_range_ok(uint32_t va, size_t len);
int copy_from_guest(void *dst, uint32_t guest_va, size_t len);
int copy_to_guest(uint32_t guest_va, const void *src, size_t len);
/* Copy a NUL-terminated string of at most max-1 bytes; -XEN_E2BIG if longer. */
int copy_string_from_guest(char *dst, uint32_t guest_va, size_t max);

/* entry.S: returns the number of bytes left uncopied. */
size_t arch_copy_guest(void *dst, const void *src, size_t n);

#endif
