/*
 * bootlayout.h - where the domain builder puts things in a new PV domain's
 * initial virtual region, and how many page-table frames map it.
 *
 * The region starts at virt_base (guest pfn 0) and holds, each 4 KiB
 * aligned and in this order: the kernel image, the initial ramdisk (if
 * any), the P2M list (4 bytes per page), start_info, the PV console ring,
 * the XenStore ring (when asked for: DomUs), the bootstrap page
 * tables (one L3, the L2s, the L1s), and a one-page stack.  It ends on a
 * 4 MiB boundary at least 512 KiB past the stack.  Every page in it is
 * mapped to consecutive guest pfns; the L2 for the top GiB always exists,
 * because it carries the hypervisor's slots.  With every_l3_slot, each of
 * the four L3 slots gets an L2 (empty where the region does not reach), as
 * Xen's Dom0 builder gives a 32-bit Dom0; without, only the slots the
 * region touches and the top one do, as Xen's DomU builder (libxc) does.
 * Pure arithmetic: host-tested.
 */
#ifndef XYLEM_BOOTLAYOUT_H
#define XYLEM_BOOTLAYOUT_H

#include <stdbool.h>
#include <stdint.h>

struct boot_layout_request {
	uint32_t virt_base;
	uint32_t kern_start, kern_end;	/* virtual extent of the image */
	uint32_t mod_len;		/* initial ramdisk bytes, 0 if none */
	uint32_t nr_pages;		/* the domain's memory in pages */
	uint32_t hyp_start;		/* lowest address the guest may map */
	bool store_ring;		/* reserve a XenStore ring page */
	bool every_l3_slot;		/* an L2 in all four L3 slots */
};

struct boot_layout {
	uint32_t v_start, v_end;
	uint32_t kern_start, kern_end;
	uint32_t mod_start, mod_end;
	uint32_t p2m_start, p2m_end;
	uint32_t start_info;
	uint32_t console_ring;		/* the PV console ring page */
	uint32_t store_ring;		/* the XenStore ring page, or 0 */
	uint32_t pt_start, pt_end;	/* L3, then L2s, then L1s */
	uint32_t stack_start, stack_end;
	uint32_t nr_l2, nr_l1, nr_pt_frames;
};

/*
 * Returns 0, or -1 with *why: "virt_base is not page aligned", "kernel lies
 * below its virt_base", "memory too small for the initial region", "initial
 * region reaches the hypervisor".
 */
int boot_layout_compute(const struct boot_layout_request *req,
			struct boot_layout *out, const char **why);

/* Number of L1 and L2 tables needed to map [start, end), top L2 included. */
void boot_layout_count_tables(uint32_t start, uint32_t end, uint32_t *nr_l2,
			      uint32_t *nr_l1);

#endif
