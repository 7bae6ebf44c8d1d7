/*
 * gdt.h - a guest's own GDT: set_gdt and update_descriptor.
 *
 * set_gdt(frames, entries) installs up to FIRST_RESERVED_GDT_ENTRY
 * descriptors held in up to 14 of the guest's frames.  Each frame takes a
 * descriptor-page type reference, so it is validated (segdesc.h: no
 * system segments, DPL 0 raised to 1, limits cut to end below the
 * hypervisor) and can no longer be mapped writable; the old frames are
 * released.  The frames are mapped into pages 0-13 of the vCPU's GDT
 * window; pages 14-15 always hold the hypervisor's reserved selectors.
 * update_descriptor(maddr, desc) writes one checked descriptor into a
 * descriptor page or any other frame the guest owns.
 *
 * LDTs (MMUEXT_SET_LDT, linear_addr and nr_ents): the base must be
 * page-aligned and the table (up to 8192 entries, 16 pages) must lie below
 * the hypervisor.  Unlike Xen, which maps LDT pages lazily on first use,
 * Xylem takes them when the LDT is set: each page must be mapped in the
 * current page tables and take a descriptor-page type reference (validated
 * like GDT pages), else the old LDT stays and the answer is -EINVAL (not
 * mapped, a bad descriptor) or -EBUSY (the frame is mapped writable).  The references are
 * held until the next SET_LDT or the domain's end, so the frames remain
 * read-only for the guest (write entries with update_descriptor) and
 * cannot be freed under the CPU; a later change to the mapping at
 * linear_addr is not seen until the LDT is set again (even to the same
 * base and size: the pages are looked up each time).  The LDT register
 * points at the LDT window (LDT_VIRT_START) through selector __LDT_SEL.
 */
#ifndef XYLEM_GDT_H
#define XYLEM_GDT_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* Map v's GDT frames into the GDT window (v is about to run). */
void gdt_load_vcpu(const struct vcpu *v);
/* Drop the references v's GDT frames hold (domain teardown). */
void gdt_release_vcpu(struct vcpu *v);

/* Map v's LDT pages into the LDT window and load the LDT register. */
void ldt_load_vcpu(const struct vcpu *v);
/*
 * set_gdt for v: entries in frames[0 .. (entries + 511) / 512 - 1],
 * which must be v's domain's and take the descriptor type; the old frames
 * are released (all or nothing).  0, -XEN_EINVAL or the page-type error.
 */
int gdt_set(struct vcpu *v, const uint32_t *frames, uint32_t entries);
/* Descriptor index of v's own GDT (0 past its frames). */
uint64_t gdt_entry(const struct vcpu *v, uint32_t index);
/*
 * Where the running vCPU v's descriptor for selector sel lives in its GDT
 * or LDT window (both map the guest's own frames, read-write for the
 * hypervisor), or NULL for the null selector, the hypervisor's reserved
 * entries and entries past the table.
 */
uint64_t *gdt_desc_slot(const struct vcpu *v, uint32_t sel);
/*
 * Is the base of code selector cs 0 for the running vCPU v, so that EIP
 * is the linear address of the instruction?  The reserved flat selectors
 * are; a guest descriptor is looked up (gdt_desc_slot).  Only the low 16
 * bits of a saved selector count.
 */
bool gdt_code_base_zero(const struct vcpu *v, uint32_t cs);

/* Install the LDT of ents entries at base for v, its pages found through
 * v's page tables (v->pdpt must be current). */
int ldt_set(struct vcpu *v, uint32_t base, uint32_t ents);
/* Drop the references v's LDT frames hold (domain teardown). */
void ldt_release_vcpu(struct vcpu *v);

long do_set_gdt(uint32_t frame_list, uint32_t entries, uint32_t a3,
		uint32_t a4, uint32_t a5);
long do_update_descriptor(uint32_t ma_lo, uint32_t ma_hi, uint32_t desc_lo,
			  uint32_t desc_hi, uint32_t a5);

#endif
