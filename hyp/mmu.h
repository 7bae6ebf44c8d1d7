/*
 * mmu.h - the page-table hypercalls (mmu_update, update_va_mapping,
 * mmuext_op, vm_assist) and each vCPU's base pointer.
 *
 * A vCPU's address space is the guest L3 in v->baseptr_mfn, which holds an
 * L3 type reference while it is installed.  The hardware never walks the
 * guest's L3 itself: CR3 points at v->pdpt, a copy of the L3's four slots
 * in hypervisor memory below 4 GiB, refreshed whenever the base pointer or
 * one of those slots changes.  So the guest's L3 may live at any machine
 * address (the pae_pgdir_above_4gb feature).
 */
#ifndef XYLEM_MMU_H
#define XYLEM_MMU_H

#include <stdint.h>
#include "domain.h"

/* Install mfn (validated as an L3) as v's base pointer; releases the old. */
int mmu_set_baseptr(struct vcpu *v, uint32_t mfn);
/* Copy v's L3 slots into v->pdpt (what CR3 points at while v runs). */
void mmu_refresh_pdpt(struct vcpu *v);
/* Load v's address space into CR3 (v is about to run). */
void mmu_load_address_space(struct vcpu *v);
/* The idle vCPU's address space: the hypervisor's own tables. */
void mmu_load_idle(void);
/* The L1 table mapping va in v's address space, or -XEN_EINVAL. */
int mmu_find_l1(const struct vcpu *v, uint32_t va, uint32_t *l1_mfn);
/*
 * May ring 3 read (or write) the byte at va in v's address space, as the
 * CPU decides it (present, U/S and R/W in both the L2 and the L1 entry)?
 * 0 if it may, else the page fault's error code: PFEC_USER, PFEC_WRITE
 * for a write, PFEC_PRESENT when the page is there but the rights are not.
 */
uint32_t mmu_user_fault(const struct vcpu *v, uint32_t va, bool write);

/*
 * Batches (mmu_update, mmuext_op) stop at the first failing request, write
 * the number that took effect to *pdone, and return that request's error.
 * A long batch continues itself past HYPERCALL_SLICE_NS (hypercall.h):
 * the remaining count carries MMU_UPDATE_PREEMPTED and *pdone the number
 * done so far, as on Xen.
 */
long do_mmu_update(uint32_t reqs, uint32_t count, uint32_t pdone,
		   uint32_t foreigndom, uint32_t a5);
long do_update_va_mapping(uint32_t va, uint32_t lo, uint32_t hi,
			  uint32_t flags, uint32_t a5);
long do_mmuext_op(uint32_t ops, uint32_t count, uint32_t pdone,
		  uint32_t foreigndom, uint32_t a5);
long do_vm_assist(uint32_t cmd, uint32_t type, uint32_t a3, uint32_t a4,
		  uint32_t a5);

#endif
