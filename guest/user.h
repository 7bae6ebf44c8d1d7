/*
 * user.h - running a function in ring 3 from a Xylem PV kernel, for test
 * and benchmark kernels that need a user context.
 *
 * user_init() (after mm_init()) gives the kernel image's pages _PAGE_USER
 * (keeping their other bits: read-only pages stay read-only; ring 3 can
 * then read and write all of the kernel's data - a tool for test kernels,
 * not an isolation boundary), moves the
 * ring-1 stack that ring-3 entries land on (stack_switch) to a stack of its
 * own, and registers USER_RETURN_VECTOR in the trap table with DPL 3.
 * user_run(fn, arg) saves the kernel's %esp, enters ring 3 with the iret
 * hypercall (cs FLAT_RING3_CS, ss:esp on a user stack, IF set) and calls
 * fn(arg) there with %ds/%es/%fs/%gs = FLAT_RING3_DS.  When fn returns,
 * "int $USER_RETURN_VECTOR" comes back to the kernel: the handler reloads
 * the kernel's data selectors and saved %esp and user_run() returns fn's
 * result.  The event upcall mask is what it was before user_run().
 *
 * Invariants: one user_run() at a time (ring 3 cannot nest it); the
 * return vector does nothing unless a user_run() is in progress (it irets
 * straight back); a ring-3 fault whose handler does not return to ring 3
 * must not expect user_run() to return.
 * Functions return 0 or a negative XEN_E* code.
 */
#ifndef XYLEM_GUEST_USER_H
#define XYLEM_GUEST_USER_H

#include <stdbool.h>
#include <stdint.h>
#include <public/xen.h>

#define USER_RETURN_VECTOR	0x20
#define USER_STACK_SIZE		16384

/*
 * For handlers written in assembly: return through the iret hypercall
 * with %esp pointing at eip, cs, eflags (and esp, ss for ring 3).
 */
#define USER_IRET_HYPERCALL_ASM	"jmp hypercall_page + 23 * 32\n"
_Static_assert(__HYPERVISOR_iret == 23, "the iret stub moved");

typedef uint32_t (*user_fn)(uint32_t arg);

int user_init(void);
/* Add _PAGE_USER to the L1 entries mapping [va, va + len). */
int user_map_range(uint32_t va, uint32_t len);
/* Run fn(arg) in ring 3; its result. */
uint32_t user_run(user_fn fn, uint32_t arg);
/* Whether esp lies in (or at the top of) the ring-3 stack. */
bool user_stack_contains(uint32_t esp);

#endif
