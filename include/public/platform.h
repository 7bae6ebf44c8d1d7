/*
 * include/public/platform.h - platform_op (hypercall 7,
 * __HYPERVISOR_platform_op): hardware-platform operations for Dom0 (any
 * other caller gets -EPERM).  Like domctl: cmd, interface_version
 * (XENPF_INTERFACE_VERSION, else -EACCES) and a 128-byte union.
 *
 * Xylem offers settime32/settime64 (set the wall clock), get_cpuinfo and
 * get_cpu_version (one physical CPU, number 0) and firmware_info (no
 * firmware data: see docs/abi.md for each type's answer); every other cmd
 * returns -ENOSYS.  The numbers and layouts are Xen's for a 32-bit guest:
 * 64-bit fields are 4-byte aligned there, hence packed, aligned(4); guest
 * handles are 32-bit guest virtual addresses.  The assertions at the end
 * pin the sizes and offsets that layout implies on any compiler.
 */
#ifndef XYLEM_PUBLIC_PLATFORM_H
#define XYLEM_PUBLIC_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#define XENPF_INTERFACE_VERSION	0x03000001

#define XENPF_get_cpu_version	48
#define XENPF_firmware_info	50
#define XENPF_get_cpuinfo	55
#define XENPF_settime32		17
#define XENPF_settime64		62

/* The wall clock reads secs.nsecs (Unix time) at system time system_time. */
struct xenpf_settime32 {
	uint32_t secs;
	uint32_t nsecs;
	uint64_t system_time;		/* ns since the hypervisor booted */
} __attribute__((packed, aligned(4)));

struct xenpf_settime64 {
	uint64_t secs;
	uint32_t nsecs;
	uint32_t mbz;			/* must be zero */
	uint64_t system_time;
} __attribute__((packed, aligned(4)));

/* Firmware data Xen collected at boot, one item per (type, index). */
#define XEN_FW_DISK_INFO		1	/* BIOS int 13h (EDD) */
#define XEN_FW_DISK_MBR_SIGNATURE	2	/* MBR offset 0x1b8 */
#define XEN_FW_VBEDDC_INFO		3	/* VBE int 10h AX=4F15h (EDID) */
#define XEN_FW_EFI_INFO			4	/* index: XEN_FW_EFI_* */
#define XEN_FW_EFI_VERSION		0
#define XEN_FW_EFI_CONFIG_TABLE		1
#define XEN_FW_EFI_VENDOR		2
#define XEN_FW_EFI_MEM_INFO		3
#define XEN_FW_EFI_RT_VERSION		4
#define XEN_FW_EFI_PCI_ROM		5
#define XEN_FW_EFI_APPLE_PROPERTIES	6
#define XEN_FW_KBD_SHIFT_FLAGS		5	/* BIOS int 16h AH=02h */

struct xenpf_disk_info {
	uint8_t device;			/* BIOS drive number */
	uint8_t version;		/* EDD major version */
	uint16_t interface_support;
	uint16_t legacy_max_cylinder;
	uint8_t legacy_max_head;
	uint8_t legacy_sectors_per_track;
	uint32_t edd_params;		/* guest buffer, first u16 = its size */
};

struct xenpf_disk_mbr_signature {
	uint8_t device;
	uint32_t mbr_signature;
};

struct xenpf_vbeddc_info {
	uint8_t capabilities;
	uint8_t edid_transfer_time;
	uint32_t edid;			/* guest buffer of 128 bytes */
};

union xenpf_efi_info {
	uint32_t version;
	struct {
		uint64_t addr;
		uint32_t nent;
	} __attribute__((packed, aligned(4))) cfg;
	struct {
		uint32_t revision;
		uint32_t bufsz;
		uint32_t name;		/* guest buffer, UTF-16 */
	} vendor;
	struct {
		uint64_t addr;
		uint64_t size;
		uint64_t attr;
		uint32_t type;
	} __attribute__((packed, aligned(4))) mem;
	struct {
		uint16_t segment;
		uint8_t bus;
		uint8_t devfn;
		uint16_t vendor;
		uint16_t devid;
		uint64_t address;
		uint32_t size;
	} __attribute__((packed, aligned(4))) pci_rom;
	struct {
		uint64_t address;
		uint32_t size;
	} __attribute__((packed, aligned(4))) apple_properties;
};

struct xenpf_firmware_info {
	uint32_t type;			/* XEN_FW_* */
	uint32_t index;
	union {
		struct xenpf_disk_info disk_info;
		struct xenpf_disk_mbr_signature disk_mbr_signature;
		struct xenpf_vbeddc_info vbeddc_info;
		union xenpf_efi_info efi_info;
		uint8_t kbd_shift_flags;
	} u;
};

/* Physical CPU xen_cpuid: present and online, or not there at all. */
#define XEN_PCPU_FLAGS_ONLINE	1
#define XEN_PCPU_FLAGS_INVALID	2

struct xenpf_pcpuinfo {
	uint32_t xen_cpuid;		/* in */
	uint32_t max_present;		/* out: the highest present CPU */
	uint32_t flags;			/* out: XEN_PCPU_FLAGS_* */
	uint32_t apic_id;
	uint32_t acpi_id;
};

struct xenpf_pcpu_version {
	uint32_t xen_cpuid;		/* in */
	uint32_t max_present;		/* out */
	char vendor_id[12];		/* CPUID leaf 0: EBX, EDX, ECX */
	uint32_t family;		/* CPUID leaf 1, extended rules applied */
	uint32_t model;
	uint32_t stepping;
};

struct xen_platform_op {
	uint32_t cmd;			/* XENPF_* */
	uint32_t interface_version;	/* XENPF_INTERFACE_VERSION */
	union {
		struct xenpf_settime32 settime32;
		struct xenpf_settime64 settime64;
		struct xenpf_firmware_info firmware_info;
		struct xenpf_pcpuinfo pcpu_info;
		struct xenpf_pcpu_version pcpu_version;
		uint8_t pad[128];
	} u;
};

_Static_assert(sizeof(struct xenpf_settime32) == 16, "settime32 size");
_Static_assert(sizeof(struct xenpf_settime64) == 24, "settime64 size");
_Static_assert(offsetof(struct xenpf_settime64, system_time) == 16,
	       "settime64 system_time offset");
_Static_assert(sizeof(struct xenpf_disk_info) == 12, "disk_info size");
_Static_assert(sizeof(struct xenpf_disk_mbr_signature) == 8, "mbr size");
_Static_assert(sizeof(struct xenpf_vbeddc_info) == 8, "vbeddc size");
_Static_assert(sizeof(union xenpf_efi_info) == 28, "efi_info size");
_Static_assert(offsetof(struct xenpf_firmware_info, u) == 8,
	       "firmware_info union offset");
_Static_assert(sizeof(struct xenpf_firmware_info) == 36, "firmware_info size");
_Static_assert(sizeof(struct xenpf_pcpuinfo) == 20, "pcpuinfo size");
_Static_assert(offsetof(struct xenpf_pcpu_version, family) == 20,
	       "pcpu_version family offset");
_Static_assert(sizeof(struct xenpf_pcpu_version) == 32, "pcpu_version size");
_Static_assert(offsetof(struct xen_platform_op, u) == 8, "platform_op union");
_Static_assert(sizeof(struct xen_platform_op) == 136, "platform_op size");
_Static_assert(_Alignof(struct xen_platform_op) == 4, "platform_op alignment");

#endif
