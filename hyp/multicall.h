/*
 * multicall.h - the multicall hypercall (13): a list of hypercalls run in
 * one trap.
 *
 * Each 32-byte entry (struct multicall_entry: op, result, args[6]) is
 * copied in, run through the hypercall table with its first five
 * arguments, and its result written back to the entry.  A failing call
 * does not stop the list; the multicall itself returns 0, or -EFAULT when
 * an entry cannot be read or its result written.
 *
 * Rules that keep a list from doing what single calls cannot:
 *  - a nested multicall entry gets -EINVAL and is not run;
 *  - an iret entry ends the list (XSA-213): the guest may now be in ring 3,
 *    and hypercalls are for its kernel only.  The guest's %eax is the
 *    value the iret frame carried, as for a single iret;
 *  - the list ends when the calling domain shuts down or crashes.
 * A long list is run at most MULTICALL_SLICE entries, and at most
 * HYPERCALL_SLICE_NS, per trap: the rest becomes a continuation (the guest
 * re-executes the hypercall on the remaining entries), so interrupts and
 * the scheduler are never held off for long.  An entry that continues
 * itself (a long mmu_update, say) has its new first arguments written
 * back into the guest's list, and the multicall continues at that entry,
 * which runs again from there: as on Xen, the guest finds those
 * arguments changed afterwards.  Its result is written when it finishes.
 */
#ifndef XYLEM_MULTICALL_H
#define XYLEM_MULTICALL_H

#include <stdint.h>

#define MULTICALL_SLICE	128

long do_multicall(uint32_t list, uint32_t nr, uint32_t a3, uint32_t a4,
		  uint32_t a5);

#endif
