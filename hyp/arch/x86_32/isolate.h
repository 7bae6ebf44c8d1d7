/*
 * isolate.h - the hypervisor unmapped while a guest runs, for CPUs that do
 * not check segment limits (QEMU's TCG).
 *
 * Guest kernels run in ring 1, which paging treats as supervisor, so on
 * hardware the flat guest segments' limits (ending at 0xF6800000) are what
 * keep them out of the hypervisor's pages.  A CPU that ignores limits lets
 * them through.  With isolation on, a guest runs on a restricted view: the
 * CPU's CR3 points at a per-CPU L3 whose slots 0-2 are the guest's and
 * whose slot 3 is a copy of the guest's top L2 in which the hypervisor's
 * slots map only what the CPU needs to take a trap and to return from one:
 *   - the M2P, read-only, as always;
 *   - the running vCPU's GDT and LDT windows, read-only (descriptors
 *     reach them with the accessed bit already set, segdesc.h);
 *   - the pages of entry.S (.text.entry) and of the IDT, the TSS and the
 *     two CR3 words below (.bss.entry), read-only;
 *   - the top page of the running vCPU's own hypervisor stack, writable:
 *     the CPU pushes the trap frame there.  Nothing on it is live while
 *     its guest runs, but what the hypervisor left below the frame (its
 *     locals while serving this vCPU, or while switching from it to
 *     another) can be read by the guest kernel.  A per-CPU entry stack,
 *     not built, would close that.
 *   - iso_hyp_cr3 (the full view's CR3, the machine address of a field
 *     of the running vCPU's structure) is readable with the IDT.
 * Every other hypervisor page is absent, so a guest's access faults as on
 * Xen, where the hypervisor is not in a 32-bit guest's address space at
 * all.  entry.S switches to the full view (iso_hyp_cr3) as its first act
 * after saving registers and to the restricted one (iso_guest_cr3) as its
 * last before restoring them; a trap taken on the restricted view (between
 * that switch and the iret, or at native_int80_entry) returns to it.
 *
 * Off (iso_guest_cr3 == 0), entry.S compares and does nothing else.
 */
#ifndef XYLEM_ISOLATE_H
#define XYLEM_ISOLATE_H

#include <stdbool.h>
#include <stdint.h>

/* CR3 of the restricted view (0: isolation off) and of the full view. */
extern uint32_t iso_guest_cr3, iso_hyp_cr3;

/*
 * "isolate=auto|on|off" (auto: on when the CPU does not check segment
 * limits).  false for anything else.
 */
bool iso_set_mode(const char *s, unsigned int len);

/*
 * Decide and, if on, build the restricted view's fixed parts.  After the
 * descriptor tables and the M2P exist, before any guest runs.  Returns
 * whether isolation is on.
 */
bool iso_init(bool limits_enforced);

/* Something the restricted view copies changed: rebuild it before exit. */
void iso_stale(void);

/*
 * Called by entry.S on every return to ring 1 or 3: the CR3 to load
 * (the restricted view, brought up to date for the running vCPU), or 0.
 */
uint32_t iso_exit_cr3(void);

#endif
