/*
 * gdt.c - a guest's descriptor tables: set_gdt, update_descriptor and
 * the LDT (MMUEXT_SET_LDT).  See gdt.h.
 */
#include "gdt.h"
#include "domain.h"
#include "console.h"
#include "guest_access.h"
#include "lib.h"
#include "mm.h"
#include "mmu.h"
#include "pagetable.h"
#include "segdesc.h"
#include "arch/x86_32/desc.h"
#include "arch/x86_32/paging.h"
#include <public/arch-x86_32.h>
#include <public/errno.h>

void gdt_load_vcpu(const struct vcpu *v)
{
	unsigned int i;

	for (i = 0; i < FIRST_RESERVED_GDT_PAGE; i++) {
		if (i < v->gdt_nr_frames)
			arch_set_gdt_frame(i, v->gdt_frames[i], 1);
		else
			arch_clear_gdt_frame(i);
	}
}

static void release_frames(const uint32_t *frames, unsigned int n)
{
	while (n--)
		pt_put_page_and_type(frames[n]);
}

void gdt_release_vcpu(struct vcpu *v)
{
	release_frames(v->gdt_frames, v->gdt_nr_frames);
	v->gdt_nr_frames = 0;
}

int gdt_set(struct vcpu *v, const uint32_t *frames, uint32_t entries)
{
	struct pt_domain pd = domain_pt_view(v->domain);
	unsigned int n = (entries + 511) / 512, i;
	int rc;

	if (entries > FIRST_RESERVED_GDT_ENTRY)
		return -XEN_EINVAL;
	for (i = 0; i < n; i++) {
		rc = pt_get_page_and_type(frames[i], PGT_SEG_DESC, &pd);
		if (rc)
			goto err_release;
	}
	release_frames(v->gdt_frames, v->gdt_nr_frames);
	memcpy(v->gdt_frames, frames, n * sizeof(frames[0]));
	v->gdt_nr_frames = n;
	if (v == current_vcpu())
		gdt_load_vcpu(v);
	return 0;

err_release:
	release_frames(frames, i);
	return rc;
}

uint64_t *gdt_desc_slot(const struct vcpu *v, uint32_t sel)
{
	uint32_t idx = (sel & 0xffff) >> 3;

	if (sel & 4)
		return idx < v->ldt_ents ? (uint64_t *)LDT_VIRT_START + idx : NULL;
	if (idx == 0 || idx >= v->gdt_nr_frames * 512)
		return NULL;
	return (uint64_t *)GDT_VIRT_START + idx;
}

bool gdt_code_base_zero(const struct vcpu *v, uint32_t cs)
{
	const uint64_t *d;

	cs &= 0xfffc;
	if (cs == (FLAT_RING1_CS & 0xfffc) || cs == (FLAT_RING3_CS & 0xfffc))
		return true;
	d = gdt_desc_slot(v, cs);
	return d && segdesc_base(*d) == 0;
}

uint64_t gdt_entry(const struct vcpu *v, uint32_t index)
{
	const uint64_t *page;
	uint64_t d;

	if (index / 512 >= v->gdt_nr_frames)
		return 0;
	page = map_domain_page(_mfn(v->gdt_frames[index / 512]));
	d = page[index % 512];
	unmap_domain_page((void *)page);
	return d;
}

long do_set_gdt(uint32_t frame_list, uint32_t entries, uint32_t a3,
		uint32_t a4, uint32_t a5)
{
	uint32_t frames[FIRST_RESERVED_GDT_PAGE];
	unsigned int n = (entries + 511) / 512;

	(void)a3;
	(void)a4;
	(void)a5;
	if (entries > FIRST_RESERVED_GDT_ENTRY)
		return -XEN_EINVAL;
	if (n && copy_from_guest(frames, frame_list, n * sizeof(frames[0])))
		return -XEN_EFAULT;
	return gdt_set(current_vcpu(), frames, entries);
}

void ldt_load_vcpu(const struct vcpu *v)
{
	unsigned int i;

	for (i = 0; i < LDT_PAGES; i++)
		arch_set_ldt_frame(i, i < v->ldt_nr_frames ? v->ldt_frames[i] : 0);
	arch_load_ldt(v->ldt_ents);
}

void ldt_release_vcpu(struct vcpu *v)
{
	release_frames(v->ldt_frames, v->ldt_nr_frames);
	v->ldt_nr_frames = 0;
	v->ldt_ents = 0;
	v->ldt_base = 0;
}

/* The frame the guest's page tables map at va (present), or 0. */
static uint32_t guest_frame_at(const struct vcpu *v, uint32_t va)
{
	uint32_t l1_mfn;
	uint64_t *l1, e;

	if (mmu_find_l1(v, va, &l1_mfn))
		return 0;
	l1 = map_domain_page(_mfn(l1_mfn));
	e = l1[l1_index(va)];
	unmap_domain_page(l1);
	return e & PTE_PRESENT ? pte_mfn(e) : 0;
}

/* Type every page of the table as descriptors; all or none. */
static int take_ldt_frames(const struct vcpu *v, uint32_t base, unsigned int n,
			   uint32_t *frames)
{
	struct pt_domain pd = domain_pt_view(v->domain);
	unsigned int i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		frames[i] = guest_frame_at(v, base + i * PAGE_SIZE);
		rc = frames[i] ? pt_get_page_and_type(frames[i], PGT_SEG_DESC, &pd)
			       : -XEN_EINVAL;
		if (rc) {
			printk(LOG_DEBUG, "d%u: SET_LDT: page at %08x %s (%d)\n",
			       pd.domid, base + i * PAGE_SIZE, frames[i] ?
			       "cannot be a descriptor page" : "is not mapped", rc);
			break;
		}
	}
	if (rc)
		release_frames(frames, i);
	return rc;
}

int ldt_set(struct vcpu *v, uint32_t base, uint32_t ents)
{
	uint32_t frames[LDT_PAGES];
	unsigned int n = (ents * 8 + PAGE_SIZE - 1) / PAGE_SIZE;
	int rc;

	if (!ents)
		base = 0;
	if (ents > LDT_PAGES * 512 || (base & (PAGE_SIZE - 1)) ||
	    base > HYPERVISOR_VIRT_START - n * PAGE_SIZE) {
		printk(LOG_DEBUG, "d%u: SET_LDT: bad table %08x, %u entries\n",
		       v->domain->domid, base, ents);
		return -XEN_EINVAL;
	}
	/* Even the same base and size: the mapping there may have changed. */
	rc = take_ldt_frames(v, base, n, frames);
	if (rc)
		return rc;
	release_frames(v->ldt_frames, v->ldt_nr_frames);
	memcpy(v->ldt_frames, frames, n * sizeof(frames[0]));
	v->ldt_nr_frames = n;
	v->ldt_base = base;
	v->ldt_ents = ents;
	if (v == current_vcpu())
		ldt_load_vcpu(v);
	return 0;
}

long do_update_descriptor(uint32_t ma_lo, uint32_t ma_hi, uint32_t desc_lo,
			  uint32_t desc_hi, uint32_t a5)
{
	struct pt_domain pd = domain_pt_view(current_domain());
	uint64_t desc = ((uint64_t)desc_hi << 32) | desc_lo, *page;
	uint32_t mfn = ma_lo >> PAGE_SHIFT;
	struct page_info *pg = pt_env_page(mfn);
	bool in_use;
	int rc;

	(void)a5;
	if (ma_hi || (ma_lo & 7))
		return -XEN_EINVAL;
	if (!pg || pg->owner != pd.domid)
		return -XEN_EPERM;
	rc = segdesc_check(&desc, MACH2PHYS_VIRT_END);
	if (rc)
		return rc;
	in_use = pg->type == PGT_SEG_DESC && pg->type_count;
	if (!in_use && (rc = pt_get_page_and_type(mfn, PGT_WRITABLE, &pd)))
		return rc;
	page = map_domain_page(_mfn(mfn));
	page[(ma_lo & (PAGE_SIZE - 1)) >> 3] = desc;
	unmap_domain_page(page);
	if (!in_use)
		pt_put_page_and_type(mfn);
	return 0;
}
