/*
 * seg_assist.c - fix up a #GP taken through a truncated 4 GiB segment.
 * See seg_assist.h.
 */
#include "seg_assist.h"
#include <stddef.h>
#include "console.h"
#include "domain.h"
#include "gdt.h"
#include "ptwr.h"
#include "seg_fixup.h"
#include "segdesc.h"
#include "arch/x86_32/page.h"
#include "arch/x86_32/x86.h"
#include <public/arch-x86_32.h>
#include <public/xen.h>

static uint32_t seg_selector(const struct trap_frame *f, uint8_t seg)
{
	switch (seg) {
	case X86_SEG_ES: return f->es;
	case X86_SEG_CS: return f->cs;
	case X86_SEG_SS: return f->ss;
	case X86_SEG_DS: return f->ds;
	case X86_SEG_FS: return f->fs;
	default: return f->gs;
	}
}

/* The descriptor ref's segment would need, in *slot and *d; or false. */
static bool flip_for(const struct vcpu *v, const struct trap_frame *f,
		     const struct x86_mem_ref *ref, uint64_t **slot, uint64_t *d)
{
	*slot = gdt_desc_slot(v, seg_selector(f, ref->seg));
	if (!*slot)
		return false;
	*d = **slot;
	return seg_fixup_flip(d, ref->offset, ref->size, MACH2PHYS_VIRT_END);
}

/*
 * Flip what the references need.  Two references through one descriptor
 * (movs, cmps with equal selectors) must want the same form, else the
 * instruction could never complete and is left to fault: flipping for one
 * would only make the other fault, for ever.
 */
static bool flip_refs(const struct vcpu *v, const struct trap_frame *f,
		      const struct x86_mem_ref *refs, unsigned int nr)
{
	uint64_t *slot[X86_MEM_REFS_MAX], d[X86_MEM_REFS_MAX];
	bool want[X86_MEM_REFS_MAX], fixed = false;
	unsigned int i;

	for (i = 0; i < nr; i++)
		want[i] = flip_for(v, f, &refs[i], &slot[i], &d[i]);
	if (nr == 2 && slot[0] && slot[0] == slot[1] &&
	    (want[0] != want[1] || d[0] != d[1]))
		return false;
	for (i = 0; i < nr; i++) {
		if (!want[i])
			continue;
		*slot[i] = d[i];
		fixed = true;
	}
	return fixed;
}

bool seg_assist_fixup(struct trap_frame *f)
{
	struct vcpu *v = current_vcpu();
	struct x86_mem_ref refs[X86_MEM_REFS_MAX];
	uint8_t insn[X86_EMUL_MAX_INSN];
	struct x86_emul_regs regs;
	unsigned int nr;
	uint32_t len;
	bool fixed;

	if (f->error_code != 0 ||
	    !(v->domain->vm_assist & (1u << VMASST_TYPE_4gb_segments)) ||
	    !gdt_code_base_zero(v, f->cs))
		return false;
	ptwr_frame_to_regs(f, &regs);
	if (x86_mem_refs(insn, ptwr_fetch_insn(f->eip, insn), &regs, refs, &nr,
			 &len))
		return false;
	fixed = flip_refs(v, f, refs, nr);
	if (fixed && !v->domain->seg_assist_used) {
		v->domain->seg_assist_used = true;
		printk(LOG_INFO, "d%u: 4gb_segments: first wrapping access at "
		       "%04x:%08x fixed up\n", v->domain->domid, f->cs & 0xffff,
		       f->eip);
	}
	return fixed;
}
