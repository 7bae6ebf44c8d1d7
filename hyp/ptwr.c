/*
 * ptwr.c - emulation of a guest's store to its own L1 page table.  See
 * ptwr.h.
 */
#include "ptwr.h"
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "mm.h"
#include "mmu.h"
#include "pagetable.h"
#include "x86_emul.h"
#include "arch/x86_32/paging.h"
#include "arch/x86_32/x86.h"
#include <public/arch-x86_32.h>

/* The L1 frame that a read-only mapping of cr2 points at, or 0. */
static uint32_t faulting_l1_table(const struct vcpu *v, uint32_t cr2)
{
	uint32_t l1_mfn, target;
	uint64_t *l1, pte;
	struct page_info *pg;

	if (mmu_find_l1(v, cr2, &l1_mfn))
		return 0;
	l1 = map_domain_page(_mfn(l1_mfn));
	pte = l1[l1_index(cr2)];
	unmap_domain_page(l1);
	if ((pte & (PTE_PRESENT | PTE_RW)) != PTE_PRESENT)
		return 0;
	target = pte_mfn(pte);
	pg = pt_env_page(target);
	if (!pg || pg->owner != v->domain->domid || pg->type != PGT_L1 ||
	    !pg->type_count)
		return 0;
	return target;
}

uint32_t ptwr_fetch_insn(uint32_t eip, uint8_t *buf)
{
	uint32_t n;

	for (n = 0; n < X86_EMUL_MAX_INSN; n++)
		if (copy_from_guest(&buf[n], eip + n, 1))
			break;
	return n;
}

void ptwr_frame_to_regs(const struct trap_frame *f, struct x86_emul_regs *r)
{
	r->r[X86_EAX] = f->eax;
	r->r[X86_ECX] = f->ecx;
	r->r[X86_EDX] = f->edx;
	r->r[X86_EBX] = f->ebx;
	r->r[X86_ESP] = f->esp;
	r->r[X86_EBP] = f->ebp;
	r->r[X86_ESI] = f->esi;
	r->r[X86_EDI] = f->edi;
	r->eflags = f->eflags;
	r->eip = f->eip;
}

static void regs_to_frame(const struct x86_emul_regs *r, struct trap_frame *f)
{
	const uint32_t arith = X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF |
			       X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF;

	f->eax = r->r[X86_EAX];
	f->ecx = r->r[X86_ECX];
	f->edx = r->r[X86_EDX];
	f->ebx = r->r[X86_EBX];
	f->ebp = r->r[X86_EBP];
	f->esi = r->r[X86_ESI];
	f->edi = r->r[X86_EDI];
	f->eflags = (f->eflags & ~arith) | (r->eflags & arith);
	f->eip = r->eip;
}

static uint64_t size_mask(uint32_t size)
{
	return size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

/* Validate and store the whole entry the write produces. */
static int commit_entry(uint32_t l1_mfn, const struct x86_mem_write *w,
			uint64_t old, uint64_t val)
{
	struct pt_domain pd = domain_pt_view(current_domain());
	uint32_t shift = (w->addr & 7) * 8;
	uint64_t entry = (old & ~(size_mask(w->size) << shift)) |
			 ((val & size_mask(w->size)) << shift);
	unsigned int index = (w->addr & (PAGE_SIZE - 1)) >> 3;
	int rc = pt_update_entry(l1_mfn, index, entry, &pd);

	if (rc && w->size == 4 && shift == 32 && w->op != X86_OP_CMPXCHG &&
	    (entry & PTE_PRESENT))
		rc = pt_update_entry(l1_mfn, index, entry & ~PTE_PRESENT, &pd);
	return rc;
}

static bool emulate_store(struct trap_frame *f, uint32_t cr2, uint32_t l1_mfn)
{
	struct x86_emul_regs regs, out;
	struct x86_mem_write w;
	uint8_t insn[X86_EMUL_MAX_INSN];
	uint64_t *tab, entry, val;
	bool store;
	int rc;

	ptwr_frame_to_regs(f, &regs);
	rc = x86_emul_decode(insn, ptwr_fetch_insn(f->eip, insn), &regs, &w);
	if (rc || w.seg == X86_SEG_SS || (w.addr & PAGE_MASK) != (cr2 & PAGE_MASK) ||
	    w.addr & (w.size - 1)) {
		printk(LOG_DEBUG, "d%u ptwr: cannot emulate the store at %08x "
		       "(%d)\n", current_domain()->domid, f->eip, rc);
		return false;
	}
	tab = map_domain_page(_mfn(l1_mfn));
	entry = tab[(w.addr & (PAGE_SIZE - 1)) >> 3];
	unmap_domain_page(tab);
	x86_emul_execute(&w, &regs, entry >> ((w.addr & 7) * 8), &val, &store,
			 &out);
	if (store && (rc = commit_entry(l1_mfn, &w, entry, val))) {
		printk(LOG_DEBUG, "d%u ptwr: entry %016llx refused (%d)\n",
		       current_domain()->domid, entry, rc);
		return false;
	}
	regs_to_frame(&out, f);
	mm_flush_if_pending();
	return true;
}

bool ptwr_emulate(struct trap_frame *f, uint32_t cr2)
{
	uint32_t l1_mfn;

	if ((f->error_code & (PFEC_PRESENT | PFEC_WRITE | PFEC_USER | PFEC_RSVD)) !=
	    (PFEC_PRESENT | PFEC_WRITE) || cr2 >= HYPERVISOR_VIRT_START)
		return false;
	l1_mfn = faulting_l1_table(current_vcpu(), cr2);
	return l1_mfn && emulate_store(f, cr2, l1_mfn);
}
