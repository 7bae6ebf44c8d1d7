/*
 * seg_assist.h - the #GP side of VMASST_TYPE_4gb_segments.
 *
 * Segment limits are what keep a ring-1 guest out of the hypervisor, so
 * segdesc.c cuts every guest segment to end below MACH2PHYS_VIRT_END.  A
 * data segment with a non-zero base that asked for 4 GiB is meant to wrap
 * past 4 GiB to the addresses below its base; after the cut such an access
 * takes a #GP (error code 0).  When the guest enabled the assist,
 * seg_assist_fixup() decodes the faulting instruction (seg_fixup.h), and
 * for each memory reference through such a segment that the other form of
 * the segment covers, rewrites the descriptor in place in the guest's GDT
 * or LDT page (up-form <-> down-form, see seg_fixup.h) and restarts the
 * instruction: returning to the guest reloads every segment register from
 * the tables.  Neither form reaches the hypervisor.  Only code running on
 * a segment with base 0 is decoded (its EIP is then a linear address).
 * Only #GP is handled: an access through SS that passes its limit raises
 * #SS, which goes to the guest as it is; references the decoder does not
 * list (implicit stack pushes and pops) are not fixed up either.
 * VMASST_TYPE_4gb_segments_notify (a virtual trap 15 on each fixup) is not
 * offered.  Under QEMU's TCG, which does not check segment limits, the
 * fault never happens; the decoding and the rewrite rule are host-tested
 * (test_seg_fixup).
 */
#ifndef XYLEM_SEG_ASSIST_H
#define XYLEM_SEG_ASSIST_H

#include <stdbool.h>
#include "arch/x86_32/frame.h"

/* True if the #GP in f was fixed up and the instruction should restart. */
bool seg_assist_fixup(struct trap_frame *f);

#endif
