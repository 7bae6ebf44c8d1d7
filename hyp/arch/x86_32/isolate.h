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
 *   - the entry stack, one page, writable: the TSS and SYSENTER point
 *     the CPU there, and entry.S moves what lands on it to the vCPU's own
 *     stack as soon as the full view is loaded (and the frame back onto it
 *     on the way out), so the hypervisor's stacks are never in the guest's
 *     view.  Nothing on the entry stack is live while a guest runs; it
 *     holds the running vCPU's last frame and, after a trap nested in the
 *     entry or exit path (an NMI, a fault on a guest selector), that
 *     trap's leftovers, cleared whenever another domain is about to run.
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
#include <stddef.h>
#include <stdint.h>

/* CR3 of the restricted view (0: isolation off) and of the full view. */
extern uint32_t iso_guest_cr3, iso_hyp_cr3;
/* The entry stack, and the top of the running vCPU's own stack. */
extern uint8_t iso_entry_stack[];
extern uint32_t iso_stack_top;

/*
 * "isolate=auto|on|off" (auto: on when the CPU does not check segment
 * limits).  false for anything else.
 */
bool iso_set_mode(const char *s, size_t len);

/*
 * Decide and, if on, build the restricted view's fixed parts.  After the
 * descriptor tables and the M2P exist, before any guest runs.  Returns
 * whether isolation is on.
 */
bool iso_init(bool limits_enforced);

/*
 * The vCPU about to run has its hypervisor stack's top at top: where the
 * CPU should enter ring 0 (TSS esp0, SYSENTER's stack), which is the
 * entry stack's top while isolation is on, else top itself.
 */
uint32_t iso_ring0_stack(uint32_t top);

/* Something the restricted view copies changed: rebuild it before exit. */
void iso_stale(void);

/*
 * Called by entry.S on every return to ring 1 or 3: the CR3 to load
 * (the restricted view, brought up to date for the running vCPU), or 0.
 */
uint32_t iso_exit_cr3(void);

#endif
