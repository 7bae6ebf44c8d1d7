/*
 * dom0_build.c - the Dom0 domain builder.  See dom0_build.h.
 *
 * Memory: pfns 0..nr_pages-1 get fresh frames.  The frames of the P2M list
 * are allocated first so the rest of the list can be written straight into
 * guest memory; build_pfn_to_mfn() reads it back from there.
 *
 * The kernel module may be a plain Xen-ELF file, a Linux bzImage, or a
 * compressed ELF (bzimage.h); gzip and xz are decompressed into xenheap
 * frames, which are given back once the image is loaded.
 *
 * A kernel with XEN_ELFNOTE_BSD_SYMTAB "yes" and a symbol table gets the
 * BSD symbol area (elf.h) right after its image; the kernel's extent given
 * to the layout ends with that area, so nothing else is placed over it.
 */
#include "dom0_build.h"
#include "bootlayout.h"
#include "bzimage.h"
#include "console.h"
#include "elf.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "mmu.h"
#include "pagetable.h"
#include "sched.h"
#include "setup.h"
#include "time.h"
#include "arch/x86_32/paging.h"
#include "arch/x86_32/x86.h"
#include <public/modpack.h>
#include <public/xen.h>

#define MAX_P2M_PAGES	1024	/* 4 GiB of pfns */

struct build {
	struct domain *d;
	struct elf_xen_info elf;
	struct boot_layout lay;
	struct elf_bsdsyms syms;
	uint32_t syms_start;		/* virtual address of the area */
	bool has_syms;
	uint32_t nr_pages;
	uint32_t p2m_pfn0, nr_p2m_pages;
	uint32_t l3_mfn;			/* the initial page tables' top */
	uint32_t p2m_mfns[MAX_P2M_PAGES];
};

static struct build b;	/* one build at a time, at boot */

/* The ELF image to load: inside the module, or decompressed into heap. */
struct image {
	uint32_t pa, len;
	void *heap;
	uint32_t heap_pages;
};

static void image_release(struct image *img)
{
	if (img->heap)
		free_xenheap_pages(img->heap, img->heap_pages);
	img->heap = NULL;
}

/* Run the decoder for k's format into img->heap; 0 or -1 (logged). */
static int decompress(const uint8_t *file, const struct kernel_image *k,
		      struct image *img)
{
	uint32_t work_pages = (sizeof(union kernel_unpack_work) + PAGE_SIZE - 1) >>
			      PAGE_SHIFT;
	void *work = alloc_xenheap_pages(work_pages);
	const char *why = "no memory for the decoder";
	int rc = -1;

	if (work) {
		rc = kernel_unpack(work, file, k, img->heap,
				   (size_t)img->heap_pages << PAGE_SHIFT, &why);
		free_xenheap_pages(work, work_pages);
	}
	if (rc) {
		printk(LOG_ERR, "dom0: refused: %s kernel does not decompress: "
		       "%s\n", kernel_format_name(k->format), why);
		return -1;
	}
	img->len = k->out_len;
	return 0;
}

/*
 * Find the kernel's ELF image (bzimage.h) and decompress it if it is
 * gzip or xz.  Anything else that is not ELF is refused by name; an
 * unrecognised file goes to the ELF parser, which says why it is not one.
 */
static int unpack_kernel(const struct boot_module *kernel, struct image *img)
{
	const uint8_t *file = phys_to_virt(kernel->start);
	struct kernel_image k;
	const char *why;

	*img = (struct image){ 0 };
	if (kernel_image_locate(file, kernel->end - kernel->start, &k, &why)) {
		printk(LOG_ERR, "dom0: refused: %s\n", why);
		return -1;
	}
	if (k.bzimage)
		printk(LOG_INFO, "dom0: bzImage (boot protocol %u.%02u), %s "
		       "payload of %u bytes\n", k.boot_version >> 8,
		       k.boot_version & 0xff, kernel_format_name(k.format),
		       (uint32_t)k.len);
	img->pa = kernel->start + k.offset;
	img->len = k.len;
	if (k.format == KFMT_ELF || k.format == KFMT_UNKNOWN)
		return 0;
	if (k.format != KFMT_GZIP && k.format != KFMT_XZ) {
		printk(LOG_ERR, "dom0: refused: the kernel is %s-compressed; "
		       "Xylem decompresses gzip and xz\n",
		       kernel_format_name(k.format));
		return -1;
	}
	if (k.out_len < 64 || k.out_len > DIRECTMAP_SIZE / 2) {
		printk(LOG_ERR, "dom0: refused: %s kernel claims %u bytes "
		       "unpacked\n", kernel_format_name(k.format), k.out_len);
		return -1;
	}
	img->heap_pages = (k.out_len + PAGE_SIZE - 1) >> PAGE_SHIFT;
	img->heap = alloc_xenheap_pages(img->heap_pages);
	if (!img->heap) {
		printk(LOG_ERR, "dom0: refused: no %u MiB run of frames below "
		       "64 MiB to decompress the kernel into\n",
		       (k.out_len >> 20) + 1);
		return -1;
	}
	img->pa = virt_to_phys(img->heap);
	if (decompress(file, &k, img)) {
		image_release(img);
		return -1;
	}
	printk(LOG_INFO, "dom0: %s kernel: %u -> %u bytes\n",
	       kernel_format_name(k.format), (uint32_t)k.len, img->len);
	return 0;
}

static uint32_t va_to_pfn(uint32_t va)
{
	return (va - b.lay.v_start) >> PAGE_SHIFT;
}

static mfn_t build_pfn_to_mfn(uint32_t pfn)
{
	uint32_t *p2m = map_domain_page(_mfn(b.p2m_mfns[pfn / 1024]));
	mfn_t m = _mfn(p2m[pfn % 1024]);

	unmap_domain_page(p2m);
	return m;
}

static int check_kernel(const struct elf_xen_info *e)
{
	uint32_t missing = e->features_required & ~XYLEM_FEATURES;
	unsigned int i;

	if (strcmp(e->pae_mode, "yes") && strcmp(e->pae_mode, "bimodal") &&
	    strcmp(e->pae_mode, "yes[extended-cr3]")) {
		printk(LOG_ERR, "dom0: refused: kernel is not a PAE kernel "
		       "(PAE_MODE \"%s\"); Xylem runs pv32pae kernels only\n",
		       e->pae_mode);
		return -1;
	}
	for (i = 0; i < 32; i++)
		if (missing & (1u << i))
			printk(LOG_ERR, "dom0: refused: kernel requires feature "
			       "\"%s\", which Xylem does not provide\n",
			       elf_xen_feature_name(i));
	if (missing)
		return -1;
	if (e->entry < e->virt_kstart || e->entry >= e->virt_kend) {
		printk(LOG_ERR, "dom0: refused: entry 0x%x outside the image\n",
		       e->entry);
		return -1;
	}
	if (e->has_hypercall_page &&
	    (e->hypercall_page < e->virt_kstart ||
	     (uint64_t)e->hypercall_page + PAGE_SIZE > e->virt_kend ||
	     (e->hypercall_page & (PAGE_SIZE - 1)))) {
		printk(LOG_ERR, "dom0: refused: hypercall page 0x%x is not a "
		       "page inside the image\n", e->hypercall_page);
		return -1;
	}
	return 0;
}

static int allocate_memory(void)
{
	uint32_t pfn, i;

	b.p2m_pfn0 = va_to_pfn(b.lay.p2m_start);
	b.nr_p2m_pages = (b.nr_pages * 4 + PAGE_SIZE - 1) / PAGE_SIZE;
	if (b.nr_p2m_pages > MAX_P2M_PAGES)
		return -1;
	for (i = 0; i < b.nr_p2m_pages; i++) {
		mfn_t m = alloc_domheap_page(b.d->domid);

		if (mfn_x(m) == mfn_x(INVALID_MFN))
			return -1;
		b.p2m_mfns[i] = mfn_x(m);
	}
	for (pfn = 0; pfn < b.nr_pages; pfn++) {
		uint32_t *p2m;
		mfn_t m;

		if (pfn >= b.p2m_pfn0 && pfn < b.p2m_pfn0 + b.nr_p2m_pages)
			m = _mfn(b.p2m_mfns[pfn - b.p2m_pfn0]);
		else
			m = alloc_domheap_page(b.d->domid);
		if (mfn_x(m) == mfn_x(INVALID_MFN))
			return -1;
		p2m = map_domain_page(_mfn(b.p2m_mfns[pfn / 1024]));
		p2m[pfn % 1024] = mfn_x(m);
		unmap_domain_page(p2m);
		set_m2p(m, pfn);
	}
	return 0;
}

/* Copy bytes from machine memory (a module) to guest virtual addresses. */
static void copy_to_region(uint32_t va, uint64_t src_pa, uint32_t len)
{
	while (len) {
		uint32_t off = va & (PAGE_SIZE - 1), n = MIN(len, PAGE_SIZE - off);
		uint8_t *dst = map_domain_page(build_pfn_to_mfn(va_to_pfn(va)));

		copy_from_machine(dst + off, src_pa, n);
		unmap_domain_page(dst);
		va += n;
		src_pa += n;
		len -= n;
	}
}

/* Where module i (0-based among the ramdisk modules) starts in a pack. */
static uint32_t pack_offset(const struct boot_module *mods, unsigned int nr,
			    unsigned int i)
{
	uint32_t off = ALIGN_UP(sizeof(struct xylem_modpack_header) +
				nr * sizeof(struct xylem_modpack_entry), PAGE_SIZE);
	unsigned int j;

	for (j = 0; j < i; j++)
		off += ALIGN_UP(mods[j].end - mods[j].start, PAGE_SIZE);
	return off;
}

/* Bytes Dom0's ramdisk takes: one module as is, several as a pack. */
static uint32_t ramdisk_len(const struct boot_module *mods, unsigned int nr)
{
	if (nr == 0)
		return 0;
	if (nr == 1)
		return mods[0].end - mods[0].start;
	return pack_offset(mods, nr, nr - 1) + mods[nr - 1].end - mods[nr - 1].start;
}

/* Hypervisor data (direct-mapped) copied into the region. */
static void copy_data_to_region(uint32_t va, const void *data, uint32_t len)
{
	copy_to_region(va, virt_to_phys(data), len);
}

static void load_pack(const struct boot_module *mods, unsigned int nr)
{
	struct xylem_modpack_header h = { .nr_modules = nr };
	struct xylem_modpack_entry e;
	unsigned int i;

	memcpy(h.magic, XYLEM_MODPACK_MAGIC, sizeof(h.magic));
	h.total_length = ramdisk_len(mods, nr);
	copy_data_to_region(b.lay.mod_start, &h, sizeof(h));
	for (i = 0; i < nr; i++) {
		memset(&e, 0, sizeof(e));
		e.offset = pack_offset(mods, nr, i);
		e.length = mods[i].end - mods[i].start;
		strlcpy(e.cmdline, mods[i].cmdline, sizeof(e.cmdline));
		copy_data_to_region(b.lay.mod_start + sizeof(h) + i * sizeof(e),
				    &e, sizeof(e));
		copy_to_region(b.lay.mod_start + e.offset, mods[i].start, e.length);
	}
}

/*
 * XEN_ELFNOTE_BSD_SYMTAB: find the symbol table and where its area goes.
 * A kernel without a usable table simply gets none, as under Xen.
 */
static int plan_symbols(const uint8_t *image, uint32_t len)
{
	if (!b.elf.bsd_symtab)
		return 0;
	if (!elf_bsdsyms_locate(image, len, &b.syms)) {
		printk(LOG_INFO, "dom0: BSD_SYMTAB asked for, but the image has "
		       "no usable symbol table\n");
		return 0;
	}
	if (!elf_bsdsyms_place(&b.elf, b.syms.len, &b.syms_start)) {
		printk(LOG_ERR, "dom0: refused: the symbol table would end "
		       "past 4 GiB\n");
		return -1;
	}
	b.has_syms = true;
	printk(LOG_INFO, "dom0: BSD symbol table: %u bytes at %08x\n",
	       b.syms.len, b.syms_start);
	return 0;
}

/* Fresh frames are zero, so only the header and the tables are written. */
static void load_symbols(uint32_t image_pa)
{
	uint8_t hdr[ELF_BSDSYMS_HDR_LEN];

	if (!b.has_syms)
		return;
	elf_bsdsyms_header(phys_to_virt(image_pa), &b.syms, hdr);
	copy_data_to_region(b.syms_start, hdr, sizeof(hdr));
	copy_to_region(b.syms_start + b.syms.symtab_at,
		       image_pa + b.syms.symtab_offset, b.syms.symtab_size);
	copy_to_region(b.syms_start + b.syms.strtab_at,
		       image_pa + b.syms.strtab_offset, b.syms.strtab_size);
}

static void load_image(uint32_t image_pa, const struct boot_module *mods,
		       unsigned int nr_mods)
{
	unsigned int i;

	for (i = 0; i < b.elf.nr_segs; i++)
		copy_to_region(b.elf.seg[i].vaddr, image_pa + b.elf.seg[i].offset,
			       b.elf.seg[i].filesz);
	load_symbols(image_pa);
	if (nr_mods == 1)
		copy_to_region(b.lay.mod_start, mods[0].start,
			       mods[0].end - mods[0].start);
	else if (nr_mods > 1)
		load_pack(mods, nr_mods);
}

static bool pfn_is_page_table(uint32_t pfn)
{
	return pfn >= va_to_pfn(b.lay.pt_start) && pfn < va_to_pfn(b.lay.pt_end);
}

static void fill_l1s(uint32_t first_l1_pfn)
{
	uint32_t va, l1_pfn = first_l1_pfn;
	pte_t *l1 = NULL;

	for (va = b.lay.v_start; va < b.lay.v_end; va += PAGE_SIZE) {
		uint32_t pfn = va_to_pfn(va);
		pte_t e = ((pte_t)mfn_x(build_pfn_to_mfn(pfn)) << PAGE_SHIFT) |
			  _PAGE_PRESENT | _PAGE_ACCESSED;

		if (!pfn_is_page_table(pfn))
			e |= _PAGE_RW | _PAGE_DIRTY;
		if (!l1 || !l1_index(va)) {
			if (l1)
				unmap_domain_page(l1);
			l1 = map_domain_page(build_pfn_to_mfn(l1_pfn++));
		}
		l1[l1_index(va)] = e;
	}
	if (l1)
		unmap_domain_page(l1);
}

/*
 * L3 at pt_start, then the L2s of all four GiB in slot order (as Xen gives a
 * 32-bit Dom0: the ones the region does not reach are empty), then L1s.
 */
static uint32_t build_page_tables(void)
{
	uint32_t l3_pfn = va_to_pfn(b.lay.pt_start), next = l3_pfn + 1;
	uint32_t l2_pfn[4], l1_pfn, va, s;
	pte_t *l3, *l2;

	for (s = 0; s < 4; s++)
		l2_pfn[s] = next++;
	l1_pfn = next;
	fill_l1s(l1_pfn);

	for (va = b.lay.v_start; va < b.lay.v_end; va += 1u << L2_SHIFT) {
		l2 = map_domain_page(build_pfn_to_mfn(l2_pfn[l3_index(va)]));
		l2[l2_index(va)] = ((pte_t)mfn_x(build_pfn_to_mfn(l1_pfn++)) << PAGE_SHIFT) |
				   _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
				   _PAGE_DIRTY | _PAGE_USER;
		unmap_domain_page(l2);
	}
	l2 = map_domain_page(build_pfn_to_mfn(l2_pfn[3]));
	arch_install_hyp_slots(l2);
	unmap_domain_page(l2);

	l3 = map_domain_page(build_pfn_to_mfn(l3_pfn));
	for (s = 0; s < 4; s++)
		l3[s] = ((pte_t)mfn_x(build_pfn_to_mfn(l2_pfn[s])) << PAGE_SHIFT) |
			_PAGE_PRESENT;
	unmap_domain_page(l3);
	return mfn_x(build_pfn_to_mfn(l3_pfn));
}

static void fill_start_info(const struct boot_module *kernel,
			    const struct boot_module *mods, unsigned int nr_mods)
{
	struct start_info *si = map_domain_page(_mfn(b.d->start_info_mfn));

	memset(si, 0, PAGE_SIZE);
	strlcpy(si->magic, XEN_START_INFO_MAGIC, sizeof(si->magic));
	si->nr_pages = b.nr_pages;
	si->shared_info = virt_to_phys(b.d->shared_info);
	si->flags = SIF_INITDOMAIN | SIF_PRIVILEGED;
	si->pt_base = b.lay.pt_start;
	si->nr_pt_frames = b.lay.nr_pt_frames;
	si->mfn_list = b.lay.p2m_start;
	if (nr_mods) {
		si->mod_start = b.lay.mod_start;
		si->mod_len = ramdisk_len(mods, nr_mods);
	}
	/* A ring with no event channel: its info_size reads 0 for a kernel
	 * looking for Dom0's VGA information in the same union. */
	si->console.domU.mfn = b.d->console_ring_mfn;
	si->console.domU.evtchn = 0;
	strlcpy((char *)si->cmd_line, kernel->cmdline, sizeof(si->cmd_line));
	unmap_domain_page(si);
}

static void set_entry_state(void)
{
	struct vcpu *v = &b.d->vcpu0;
	struct trap_frame *f = vcpu_frame(v);

	memset(f, 0, sizeof(*f));
	f->eip = b.elf.entry;
	f->cs = FLAT_KERNEL_CS;
	f->ss = f->ds = f->es = f->fs = f->gs = FLAT_KERNEL_DS;
	f->esp = b.lay.stack_end;
	f->esi = b.lay.start_info;
	f->eflags = X86_EFLAGS_IF | X86_EFLAGS_RSVD1;
	v->kernel_ss = FLAT_KERNEL_SS;
	v->kernel_sp = b.lay.stack_end;
	sched_prepare_vcpu(v);
	v->initialised = true;
	v->down = false;
	time_vcpu_online(v);	/* its 10 ms periodic timer from now */
}

/*
 * Validate the tables just built exactly as a guest's own would be, pin
 * the L3 (the guest unpins it when it moves to tables of its own) and make
 * it the vCPU's base pointer.
 */
static int adopt_page_tables(uint32_t l3_mfn)
{
	struct pt_domain pd = domain_pt_view(b.d);
	int rc = pt_pin(l3_mfn, 3, &pd);

	if (!rc)
		rc = mmu_set_baseptr(&b.d->vcpu0, l3_mfn);
	if (rc)
		printk(LOG_ERR, "dom0: the initial page tables do not validate "
		       "(%d)\n", rc);
	return rc;
}

static int lay_out(const struct boot_module *mods, unsigned int nr_mods)
{
	struct boot_layout_request req = {
		.virt_base = b.elf.virt_base,
		.kern_start = b.elf.virt_kstart,
		.kern_end = b.has_syms ? b.syms_start + b.syms.len : b.elf.virt_kend,
		.mod_len = ramdisk_len(mods, nr_mods),
		.nr_pages = b.nr_pages,
		.hyp_start = HYPERVISOR_VIRT_START,
		.every_l3_slot = true,
	};
	const char *why;

	if (boot_layout_compute(&req, &b.lay, &why)) {
		printk(LOG_ERR, "dom0: refused: %s (%u pages)\n", why, b.nr_pages);
		return -1;
	}
	return 0;
}

/* Everything from the parsed image: 0, or -1 (logged). */
static int build_from(const struct image *img, const struct boot_module *kernel,
		      const struct boot_module *mods, unsigned int nr_mods)
{
	const char *why;

	if (elf_xen_parse(phys_to_virt(img->pa), img->len, &b.elf, &why)) {
		printk(LOG_ERR, "dom0: refused: %s\n", why);
		return -1;
	}
	printk(LOG_INFO, "dom0: kernel \"%s\" %08x-%08x entry %08x, notes from %s\n",
	       b.elf.guest_os[0] ? b.elf.guest_os : "?", b.elf.virt_kstart,
	       b.elf.virt_kend, b.elf.entry,
	       b.elf.from_guest_info ? "__xen_guest" :
	       b.elf.notes_from_sections ? "sections" : "PT_NOTE");
	if (nr_mods > XYLEM_MODPACK_MAX) {
		printk(LOG_ERR, "dom0: refused: more than %u modules\n",
		       XYLEM_MODPACK_MAX);
		return -1;
	}
	if (check_kernel(&b.elf) ||
	    plan_symbols(phys_to_virt(img->pa), img->len) ||
	    lay_out(mods, nr_mods))
		return -1;
	if (allocate_memory()) {
		printk(LOG_ERR, "dom0: refused: not enough memory for %u pages\n",
		       b.nr_pages);
		return -1;
	}
	load_image(img->pa, mods, nr_mods);
	b.l3_mfn = build_page_tables();
	b.d->console_ring_mfn =
		mfn_x(build_pfn_to_mfn(va_to_pfn(b.lay.console_ring)));
	b.d->start_info_mfn =
		mfn_x(build_pfn_to_mfn(va_to_pfn(b.lay.start_info)));
	fill_start_info(kernel, mods, nr_mods);
	if (b.elf.has_hypercall_page) {
		void *p = map_domain_page(build_pfn_to_mfn(va_to_pfn(b.elf.hypercall_page)));

		hypercall_page_fill(p);
		unmap_domain_page(p);
	}
	return 0;
}

int dom0_build(struct domain *d, const struct boot_module *kernel,
	       const struct boot_module *mods, unsigned int nr_mods,
	       uint32_t nr_pages)
{
	struct image img;
	int rc;

	memset(&b, 0, sizeof(b));
	b.d = d;
	b.nr_pages = nr_pages;
	if (kernel->end > DIRECTMAP_SIZE) {
		printk(LOG_ERR, "dom0: refused: kernel module above 64 MiB\n");
		return -1;
	}
	if (unpack_kernel(kernel, &img))
		return -1;
	rc = build_from(&img, kernel, mods, nr_mods);
	image_release(&img);
	if (rc)
		return -1;
	d->shared_info->arch.max_pfn = nr_pages;
	d->nr_pages = d->max_pages = nr_pages;
	if (adopt_page_tables(b.l3_mfn))
		return -1;
	set_entry_state();
	printk(LOG_INFO, "dom0: %u pages, region %08x-%08x, start_info %08x, "
	       "%u page-table frames\n", nr_pages, b.lay.v_start, b.lay.v_end,
	       b.lay.start_info, b.lay.nr_pt_frames);
	return 0;
}
