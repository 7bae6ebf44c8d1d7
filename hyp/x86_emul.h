/*
 * x86_emul.h - decode one faulting 32-bit x86 memory write and compute
 * its effect, for the write-protected page-table path.
 *
 * A guest kernel (ring 1, flat 32-bit code, address size 32) that writes
 * to one of its page-table pages takes a page fault, because those pages
 * are mapped read-only.  The hypervisor then emulates that one
 * instruction in two steps:
 *
 *   x86_emul_decode()   reads the instruction bytes insn[0..avail) and
 *                       the guest's registers and says what is written,
 *                       where, and how wide; it touches no memory;
 *   x86_emul_execute()  given the memory's current contents at that
 *                       address, gives the value to store (if any) and
 *                       the registers/EFLAGS/EIP after the instruction.
 *
 * The caller copies the instruction bytes and registers out of the guest,
 * decodes, reads the old value, executes, validates the new value, stores
 * it (atomically when w->atomic, e.g. with a compare-and-exchange against
 * the old value, retrying on a race) and only then installs regs_out.
 *
 * Supported (memory destination only; register forms are -XEN_EOPNOTSUPP):
 *   88/89 mov r/m,r      C6/0 C7/0 mov r/m,imm    86/87 xchg r/m,r
 *   0F B0/B1 cmpxchg     0F C7/1 cmpxchg8b        08/09 20/21 or/and r/m,r
 *   80/81/83 /1 /4 or/and r/m,imm                 AA/AB stos (no rep)
 *   0F AB/B3 bts/btr r/m,r (bit offset inside the operand only)
 *   0F BA /5 /6 bts/btr r/m,imm8
 * Prefixes: F0 (lock; only where the CPU allows it), 66 (operand size),
 * 26/36/3E (ES/SS/DS overrides, treated as flat: base 0 - the caller may
 * check w->seg).  Refused with -XEN_EOPNOTSUPP: 2E/64/65 (CS/FS/GS
 * overrides: their bases need not be zero), 67 (16-bit addressing),
 * F2/F3 (rep), 66 on cmpxchg8b.
 *
 * Invariants: decode never reads insn[avail] or beyond, nor beyond
 * insn[14]; when it returns 0, w->len <= 15 and w->len <= avail, w->size
 * is 1, 2, 4 or 8, and every field execute needs is set.  execute reads
 * only its arguments, stores only to its outputs, and sets
 * regs_out->eip = regs->eip + w->len.  Freestanding.
 */
#ifndef XYLEM_X86_EMUL_H
#define XYLEM_X86_EMUL_H

#include <stdbool.h>
#include <stdint.h>

#include "x86_decode.h"	/* register and segment numbers, X86_EMUL_MAX_INSN */

/* EFLAGS bits the supported instructions read or write. */
#define X86_EFLAGS_CF	(1u << 0)
#define X86_EFLAGS_PF	(1u << 2)
#define X86_EFLAGS_AF	(1u << 4)
#define X86_EFLAGS_ZF	(1u << 6)
#define X86_EFLAGS_SF	(1u << 7)
#define X86_EFLAGS_DF	(1u << 10)
#define X86_EFLAGS_OF	(1u << 11)

struct x86_emul_regs {
	uint32_t r[8];		/* indexed by enum x86_emul_reg */
	uint32_t eflags;
	uint32_t eip;
};

enum x86_emul_op {
	X86_OP_MOV,		/* store src */
	X86_OP_XCHG,		/* store src; register reg gets old */
	X86_OP_CMPXCHG,		/* accumulator == old ? store src : acc = old */
	X86_OP_CMPXCHG8B,	/* EDX:EAX == old ? store ECX:EBX : EDX:EAX = old */
	X86_OP_OR,		/* store old | src */
	X86_OP_AND,		/* store old & src */
	X86_OP_BTS,		/* CF = bit; set bit */
	X86_OP_BTR,		/* CF = bit; clear bit */
	X86_OP_STOS,		/* store src (AL/AX/EAX); EDI moves by size */
};

struct x86_mem_write {
	uint32_t len;		/* instruction length in bytes */
	uint32_t addr;		/* effective address (segment base taken as 0) */
	uint32_t size;		/* bytes stored: 1, 2, 4 or 8 */
	enum x86_emul_op op;
	uint32_t src;		/* source value (register or immediate), masked to size */
	uint8_t reg;		/* ModRM reg field: the register operand (xchg, cmpxchg) */
	uint8_t bit;		/* bts/btr: bit number inside the operand, < size * 8 */
	uint8_t seg;		/* enum x86_emul_seg the address is relative to */
	bool lock;		/* an F0 prefix was present */
	bool atomic;		/* the CPU would do this read-modify-write atomically */
};

/*
 * Decode the instruction at insn[0..avail) with the guest registers regs.
 * Returns 0 and fills *w; -XEN_EOPNOTSUPP if it is valid-looking but not a
 * supported memory write; -XEN_EINVAL if it is truncated (needs more than
 * avail bytes) or longer than 15 bytes.
 */
int x86_emul_decode(const uint8_t *insn, uint32_t avail,
		    const struct x86_emul_regs *regs, struct x86_mem_write *w);

/*
 * Apply a decoded write to old, the memory's contents at w->addr (only the
 * low w->size bytes are used).  *store says whether memory is written at
 * all (false only for a failed cmpxchg/cmpxchg8b); *store_val is the value
 * to write (low w->size bytes).  *regs_out is regs with the instruction's
 * register, EFLAGS and EIP effects; regs must be the set given to decode.
 * regs_out may equal regs.
 */
void x86_emul_execute(const struct x86_mem_write *w,
		      const struct x86_emul_regs *regs, uint64_t old,
		      uint64_t *store_val, bool *store,
		      struct x86_emul_regs *regs_out);

#endif
