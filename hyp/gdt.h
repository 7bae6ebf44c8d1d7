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
 */
#ifndef XYLEM_GDT_H
#define XYLEM_GDT_H

#include <stdint.h>

struct vcpu;

/* Map v's GDT frames into the GDT window (v is about to run). */
void gdt_load_vcpu(const struct vcpu *v);
/* Drop the references v's GDT frames hold (domain teardown). */
void gdt_release_vcpu(struct vcpu *v);

long do_set_gdt(uint32_t frame_list, uint32_t entries, uint32_t a3,
		uint32_t a4, uint32_t a5);
long do_update_descriptor(uint32_t ma_lo, uint32_t ma_hi, uint32_t desc_lo,
			  uint32_t desc_hi, uint32_t a5);

#endif
