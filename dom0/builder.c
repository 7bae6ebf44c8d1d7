/*
 * builder.c - Dom0's domain builder.  See builder.h.
 *
 * Steps (each undone by destroying the domain if a later one fails):
 * parse and check the ELF image, lay out the initial region, create the
 * domain, set max_mem, populate pfns 0..nr_pages-1 (the P2M comes back in
 * b.p2m), write the kernel, P2M list, console and XenStore rings, start_info and page
 * tables into the new frames one page at a time through a foreign
 * mapping, ask for the hypercall page, pin the L3, set vCPU 0's context
 * and the scheduler parameters.  Every page of the region is written
 * whole (what we do not fill is zeroed), so nothing of the frames'
 * previous contents depends on the hypervisor having scrubbed them.
 */
#include "builder.h"
#include <public/features.h>
#include "bootlayout.h"
#include "bzimage.h"
#include "elf.h"
#include "guest.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include <public/errno.h>
#include <public/memory.h>
#include <public/sysctl.h>

#define PAGE			4096u
#define POPULATE_BATCH		512u
#define L2_ENTRY_FLAGS		(MM_PTE_RW | _PAGE_USER)

struct build {
	const struct dom_params *p;
	struct dom_handle *h;
	const uint8_t *image;
	struct elf_xen_info elf;
	struct elf_bsdsyms syms;	/* with has_syms: the BSD symbol area */
	uint32_t syms_start;		/* its virtual address */
	bool has_syms;
	uint8_t syms_hdr[ELF_BSDSYMS_HDR_LEN];
	struct boot_layout lay;
	uint32_t nr_pages;
	uint32_t shared_info_mfn;
	uint32_t p2m[DOM_MAX_PAGES];
};

static struct build b;
static uint64_t page_buf[PAGE / 8] __attribute__((aligned(PAGE)));
static struct vcpu_guest_context vcpu_ctx;
static uint64_t window_l1_maddr;	/* machine address of slot 0's PTE */

static int fail(const char *what, int rc)
{
	printf("builder: %s: %s failed (%d)\n", b.p->name, what, rc);
	return rc ? rc : -XEN_EINVAL;
}

int dom_domctl(struct xen_domctl *dc)
{
	dc->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	return (int)hypercall(__HYPERVISOR_domctl, (uint32_t)dc, 0, 0, 0, 0);
}

static int domctl_simple(uint32_t cmd, domid_t domid)
{
	struct xen_domctl dc;

	memset(&dc, 0, sizeof(dc));
	dc.cmd = cmd;
	dc.domain = domid;
	return dom_domctl(&dc);
}

int dom_getinfo(domid_t domid, struct xen_domctl_getdomaininfo *info)
{
	struct xen_domctl dc;
	int rc;

	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_getdomaininfo;
	dc.domain = domid;
	rc = dom_domctl(&dc);
	if (rc)
		return rc;
	if (dc.u.getdomaininfo.domain != domid)
		return -XEN_ESRCH;
	*info = dc.u.getdomaininfo;
	return 0;
}

int dom_free_pages(uint64_t *free_pages)
{
	struct xen_sysctl sc;
	int rc;

	memset(&sc, 0, sizeof(sc));
	sc.cmd = XEN_SYSCTL_physinfo;
	sc.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	rc = (int)hypercall(__HYPERVISOR_sysctl, (uint32_t)&sc, 0, 0, 0, 0);
	if (!rc)
		*free_pages = sc.u.physinfo.free_pages;
	return rc;
}

int dom_map_foreign(unsigned int slot, domid_t dom, uint32_t mfn,
		    bool writable, void **va)
{
	struct mmu_update req;
	int rc;

	if (slot >= MM_WINDOW_USER_SLOTS)
		return -XEN_EINVAL;
	if (!window_l1_maddr) {
		rc = mm_pte_maddr(mm_window_va(0), &window_l1_maddr);
		if (rc)
			return rc;
	}
	req.ptr = (window_l1_maddr + slot * 8) | MMU_NORMAL_PT_UPDATE;
	req.val = mm_make_entry(mfn, writable ? MM_PTE_RW : MM_PTE_RO);
	rc = (int)HYPERVISOR_mmu_update(&req, 1, NULL, dom);
	if (!rc)
		*va = (void *)mm_window_va(slot);
	return rc;
}

int dom_unmap(unsigned int slot)
{
	return mm_unmap(slot);
}

/* Write n bytes of src at the start of pfn's frame, zeroing the rest. */
static int write_page(uint32_t pfn, const void *src, uint32_t n)
{
	uint8_t *dst;
	int rc = dom_map_foreign(DOM_BUILD_SLOT, b.h->domid, b.p2m[pfn], true,
				 (void **)&dst);

	if (rc)
		return rc;
	memcpy(dst, src, n);
	memset(dst + n, 0, PAGE - n);
	return dom_unmap(DOM_BUILD_SLOT);
}

static uint32_t va_to_pfn(uint32_t va)
{
	return (va - b.lay.v_start) / PAGE;
}

/* Refuse what the hypervisor refuses in a Dom0 kernel (dom0_build.c). */
static int check_kernel(void)
{
	struct xen_feature_info fi = { .submap_idx = 0 };
	const struct elf_xen_info *e = &b.elf;
	uint32_t missing;

	if (strcmp(e->pae_mode, "yes") && strcmp(e->pae_mode, "bimodal") &&
	    strcmp(e->pae_mode, "yes[extended-cr3]")) {
		printf("builder: %s: refused: not a PAE kernel (PAE_MODE \"%s\")\n",
		       b.p->name, e->pae_mode);
		return -XEN_EINVAL;
	}
	if (HYPERVISOR_xen_version(XENVER_get_features, &fi))
		fi.submap = 0;
	fi.submap &= ~(1u << XENFEAT_dom0);	/* ours, not the new domain's */
	missing = e->features_required & ~fi.submap;
	if (missing) {
		const char *n = elf_xen_feature_name((uint32_t)__builtin_ctz(missing));

		printf("builder: %s: refused: kernel requires feature \"%s\"\n",
		       b.p->name, n ? n : "unknown");
		return -XEN_EINVAL;
	}
	if (e->entry < e->virt_kstart || e->entry >= e->virt_kend ||
	    (e->has_hypercall_page &&
	     (e->hypercall_page < e->virt_kstart || (e->hypercall_page & (PAGE - 1)) ||
	      (uint64_t)e->hypercall_page + PAGE > e->virt_kend))) {
		printf("builder: %s: refused: entry or hypercall page outside "
		       "the image\n", b.p->name);
		return -XEN_EINVAL;
	}
	return 0;
}

static union kernel_unpack_work unpack_work;

/*
 * The kernel's ELF image, as the hypervisor finds Dom0's (bzimage.h): the
 * module itself, a bzImage's payload, and a gzip or xz image unpacked into
 * our scratch area (mm.h), which the next build reuses.
 */
static int unpack_image(uint32_t *len)
{
	struct kernel_image k;
	const char *why;
	void *buf;
	int rc;

	if (kernel_image_locate(b.image, *len, &k, &why)) {
		printf("builder: %s: refused: %s\n", b.p->name, why);
		return -XEN_EINVAL;
	}
	b.image += k.offset;
	*len = (uint32_t)k.len;
	if (k.format == KFMT_ELF || k.format == KFMT_UNKNOWN)
		return 0;
	if (k.format != KFMT_GZIP && k.format != KFMT_XZ) {
		printf("builder: %s: refused: the kernel is %s-compressed; Xylem "
		       "decompresses gzip and xz\n", b.p->name,
		       kernel_format_name(k.format));
		return -XEN_EOPNOTSUPP;
	}
	rc = k.out_len < 64 ? -XEN_EINVAL : mm_scratch(k.out_len, &buf);
	if (rc) {
		printf("builder: %s: refused: no room to unpack %u bytes (%d)\n",
		       b.p->name, k.out_len, rc);
		return rc;
	}
	/* Only out_len bytes are mapped for sure: more is a refusal. */
	if (kernel_unpack(&unpack_work, b.image - k.offset, &k, buf,
			  k.out_len, &why)) {
		printf("builder: %s: refused: %s kernel does not decompress: "
		       "%s\n", b.p->name, kernel_format_name(k.format), why);
		return -XEN_EINVAL;
	}
	printf("builder: %s: %s%s kernel: %u -> %u bytes\n", b.p->name,
	       k.bzimage ? "bzImage, " : "", kernel_format_name(k.format),
	       (uint32_t)k.len, k.out_len);
	b.image = buf;
	*len = k.out_len;
	return 0;
}

/*
 * XEN_ELFNOTE_BSD_SYMTAB: the symbol table goes right after the image, as
 * Xen's libelf lays it out (elf.h); a kernel without a usable table gets
 * none, as under Xen.
 */
static int plan_symbols(uint32_t len)
{
	b.has_syms = false;
	if (!b.elf.bsd_symtab || !elf_bsdsyms_locate(b.image, len, &b.syms))
		return 0;
	if (!elf_bsdsyms_place(&b.elf, b.syms.len, &b.syms_start)) {
		printf("builder: %s: refused: the symbol table would end past "
		       "4 GiB\n", b.p->name);
		return -XEN_EINVAL;
	}
	elf_bsdsyms_header(b.image, &b.syms, b.syms_hdr);
	b.has_syms = true;
	return 0;
}

static int parse_and_lay_out(uint32_t len)
{
	struct boot_layout_request req;
	const char *why;
	int rc = unpack_image(&len);

	if (rc)
		return rc;
	if (elf_xen_parse(b.image, len, &b.elf, &why)) {
		printf("builder: %s: refused: %s\n", b.p->name, why);
		return -XEN_EINVAL;
	}
	rc = check_kernel();
	if (!rc)
		rc = plan_symbols(len);
	if (rc)
		return rc;
	b.nr_pages = b.p->mem_kib / 4;
	if (!b.nr_pages || b.nr_pages > DOM_MAX_PAGES) {
		printf("builder: %s: refused: %u KiB of memory\n", b.p->name,
		       b.p->mem_kib);
		return -XEN_EINVAL;
	}
	req = (struct boot_layout_request){
		.virt_base = b.elf.virt_base, .kern_start = b.elf.virt_kstart,
		.kern_end = b.has_syms ? b.syms_start + b.syms.len :
					 b.elf.virt_kend,
		.mod_len = 0,
		.nr_pages = b.nr_pages, .hyp_start = HYPERVISOR_VIRT_START,
		.store_ring = true,
	};
	if (boot_layout_compute(&req, &b.lay, &why)) {
		printf("builder: %s: refused: %s (%u KiB)\n", b.p->name, why,
		       b.p->mem_kib);
		return -XEN_EINVAL;
	}
	return 0;
}

static int create_domain(void)
{
	struct xen_domctl dc;
	int rc;

	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_createdomain;
	rc = dom_domctl(&dc);
	if (rc)
		return fail("createdomain", rc);
	b.h->domid = dc.domain;
	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_max_mem;
	dc.domain = b.h->domid;
	dc.u.max_mem.max_memkb = (uint64_t)b.nr_pages * 4;
	rc = dom_domctl(&dc);
	return rc ? fail("max_mem", rc) : 0;
}

static int populate(void)
{
	struct xen_memory_reservation r;
	uint32_t pfn, i, n;
	long done;

	for (pfn = 0; pfn < b.nr_pages; pfn += n) {
		n = MIN(POPULATE_BATCH, b.nr_pages - pfn);
		for (i = 0; i < n; i++)
			b.p2m[pfn + i] = pfn + i;
		r = (struct xen_memory_reservation){
			.extent_start = (uint32_t)&b.p2m[pfn], .nr_extents = n,
			.extent_order = 0, .domid = b.h->domid,
		};
		done = HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
		if (done != (long)n)
			return fail("populate_physmap", done < 0 ? (int)done : -XEN_ENOMEM);
	}
	return 0;
}

/* The part of n bytes at src, destined for at, that falls into the page
 * at va, copied into page_buf. */
static void overlay(uint32_t va, uint32_t at, const uint8_t *src, uint32_t n)
{
	uint64_t from = MAX((uint64_t)at, va);
	uint64_t to = MIN((uint64_t)at + n, (uint64_t)va + PAGE);

	if (from < to)
		memcpy((uint8_t *)page_buf + (from - va), src + (from - at),
		       (size_t)(to - from));
}

/* Bytes of every segment, and of the symbol area, that fall into the
 * page at va, into page_buf. */
static void image_page(uint32_t va)
{
	unsigned int i;

	memset(page_buf, 0, PAGE);
	for (i = 0; i < b.elf.nr_segs; i++)
		overlay(va, b.elf.seg[i].vaddr, b.image + b.elf.seg[i].offset,
			b.elf.seg[i].filesz);
	if (!b.has_syms)
		return;
	overlay(va, b.syms_start, b.syms_hdr, ELF_BSDSYMS_HDR_LEN);
	overlay(va, b.syms_start + b.syms.symtab_at,
		b.image + b.syms.symtab_offset, b.syms.symtab_size);
	overlay(va, b.syms_start + b.syms.strtab_at,
		b.image + b.syms.strtab_offset, b.syms.strtab_size);
}

static int load_kernel(void)
{
	uint32_t va = ALIGN_DOWN(b.lay.kern_start, PAGE);
	int rc;

	for (; va < b.lay.kern_end; va += PAGE) {
		image_page(va);
		rc = write_page(va_to_pfn(va), page_buf, PAGE);
		if (rc)
			return fail("loading the kernel", rc);
	}
	return 0;
}

static int write_p2m(void)
{
	uint32_t va, i;
	int rc;

	for (va = b.lay.p2m_start, i = 0; va < b.lay.p2m_end; va += PAGE, i += 1024) {
		rc = write_page(va_to_pfn(va), &b.p2m[i],
				MIN(1024u, b.nr_pages - i) * 4);
		if (rc)
			return fail("writing the P2M list", rc);
	}
	return 0;
}

static bool pfn_is_table(uint32_t pfn)
{
	return pfn >= va_to_pfn(b.lay.pt_start) && pfn < va_to_pfn(b.lay.pt_end);
}

/* The L1 mapping 2 MiB chunk c: every region page in it. */
static void fill_l1(uint32_t c)
{
	uint32_t i, va;

	memset(page_buf, 0, PAGE);
	for (i = 0; i < 512; i++) {
		va = (c << 21) + i * PAGE;
		if (va < b.lay.v_start || va >= b.lay.v_end)
			continue;
		page_buf[i] = mm_make_entry(b.p2m[va_to_pfn(va)],
					    pfn_is_table(va_to_pfn(va)) ? MM_PTE_RO : MM_PTE_RW);
	}
}

/*
 * Page-table pfns as in hyp/dom0_build.c: the L3 at pt_start, one L2 per
 * GiB the region touches (and the top one), then one L1 per 2 MiB chunk.
 * The hypervisor fills the top L2's own slots when the L3 is pinned.
 */
static int write_page_tables(void)
{
	uint32_t l3_pfn = va_to_pfn(b.lay.pt_start), next = l3_pfn + 1;
	uint32_t l2_pfn[4] = { 0, 0, 0, 0 }, first_c = b.lay.v_start >> 21;
	uint32_t last_c = (b.lay.v_end - 1) >> 21, c, s;
	int rc = 0;

	for (s = b.lay.v_start >> 30; s <= (b.lay.v_end - 1) >> 30; s++)
		l2_pfn[s] = next++;
	if (!l2_pfn[3])
		l2_pfn[3] = next++;
	for (c = first_c; c <= last_c && !rc; c++) {
		fill_l1(c);
		rc = write_page(next + c - first_c, page_buf, PAGE);
	}
	for (s = 0; s < 4 && !rc; s++) {
		if (!l2_pfn[s])
			continue;
		memset(page_buf, 0, PAGE);
		for (c = first_c; c <= last_c; c++)
			if (c >> 9 == s)
				page_buf[c & 511] = mm_make_entry(b.p2m[next + c - first_c],
								  L2_ENTRY_FLAGS);
		rc = write_page(l2_pfn[s], page_buf, PAGE);
	}
	if (rc)
		return fail("writing the page tables", rc);
	memset(page_buf, 0, PAGE);
	for (s = 0; s < 4; s++)
		if (l2_pfn[s])
			page_buf[s] = mm_make_entry(b.p2m[l2_pfn[s]], _PAGE_PRESENT);
	b.h->l3_mfn = b.p2m[l3_pfn];
	rc = write_page(l3_pfn, page_buf, 4 * 8);
	return rc ? fail("writing the L3", rc) : 0;
}

/* An unbound port of the DomU for Dom0, and Dom0's end bound to it. */
static int interdomain_channel(const char *what, evtchn_port_t *guest_port,
			       evtchn_port_t *local_port)
{
	struct evtchn_alloc_unbound a = { .dom = b.h->domid, .remote_dom = 0 };
	struct evtchn_bind_interdomain bi;
	int rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a);

	if (rc)
		return fail(what, rc);
	*guest_port = a.port;
	bi = (struct evtchn_bind_interdomain){ .remote_dom = b.h->domid,
					       .remote_port = a.port };
	rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi);
	if (rc)
		return fail(what, rc);
	*local_port = bi.local_port;
	return 0;
}

/* The console channel, then the XenStore channel. */
static int channels(void)
{
	int rc = interdomain_channel("the console channel",
				     &b.h->guest_console_port,
				     &b.h->console_port);

	if (!rc)
		rc = interdomain_channel("the XenStore channel",
					 &b.h->guest_store_port,
					 &b.h->store_port);
	return rc;
}

/* shared_info's arch.max_pfn: the size of the P2M the guest starts with. */
static int write_max_pfn(void)
{
	struct shared_info *sh;
	int rc = dom_map_foreign(DOM_BUILD_SLOT, b.h->domid, b.shared_info_mfn,
				 true, (void **)&sh);

	if (rc)
		return rc;
	sh->arch.max_pfn = b.nr_pages;
	return dom_unmap(DOM_BUILD_SLOT);
}

static int write_start_info(const char *cmdline)
{
	struct start_info *si = (struct start_info *)page_buf;
	int rc;

	memset(page_buf, 0, PAGE);
	strlcpy(si->magic, XEN_START_INFO_MAGIC, sizeof(si->magic));
	si->nr_pages = b.nr_pages;
	si->shared_info = b.shared_info_mfn * PAGE;
	si->flags = 0;
	si->pt_base = b.lay.pt_start;
	si->nr_pt_frames = b.lay.nr_pt_frames;
	si->mfn_list = b.lay.p2m_start;
	si->console.domU.mfn = b.h->console_mfn;
	si->console.domU.evtchn = b.h->guest_console_port;
	si->store_mfn = b.h->store_mfn;
	si->store_evtchn = b.h->guest_store_port;
	strlcpy((char *)si->cmd_line, cmdline, sizeof(si->cmd_line));
	rc = write_page(va_to_pfn(b.lay.start_info), page_buf, sizeof(*si));
	if (!rc)
		rc = write_max_pfn();
	if (!rc)	/* the rings and the stack start empty */
		rc = write_page(va_to_pfn(b.lay.console_ring), page_buf, 0);
	if (!rc)
		rc = write_page(va_to_pfn(b.lay.store_ring), page_buf, 0);
	if (!rc)
		rc = write_page(va_to_pfn(b.lay.stack_start), page_buf, 0);
	return rc ? fail("writing start_info", rc) : 0;
}

/* Zero every page of the region that no step above writes. */
static int zero_rest(void)
{
	uint32_t va;
	int rc;

	for (va = b.lay.v_start; va < b.lay.v_end; va += PAGE) {
		if ((va >= ALIGN_DOWN(b.lay.kern_start, PAGE) && va < b.lay.kern_end) ||
		    (va >= b.lay.p2m_start && va < b.lay.stack_end))
			continue;
		rc = write_page(va_to_pfn(va), page_buf, 0);
		if (rc)
			return fail("clearing the region", rc);
	}
	return 0;
}

static int hypercall_page_and_pin(void)
{
	struct mmuext_op pin = { .cmd = MMUEXT_PIN_L3_TABLE, .arg1 = b.h->l3_mfn };
	struct xen_domctl dc;
	int rc;

	if (b.elf.has_hypercall_page) {
		memset(&dc, 0, sizeof(dc));
		dc.cmd = XEN_DOMCTL_hypercall_init;
		dc.domain = b.h->domid;
		dc.u.hypercall_init.gmfn = b.p2m[va_to_pfn(b.elf.hypercall_page)];
		rc = dom_domctl(&dc);
		if (rc)
			return fail("hypercall_init", rc);
	}
	rc = (int)HYPERVISOR_mmuext_op(&pin, 1, NULL, b.h->domid);
	return rc ? fail("pinning the L3", rc) : 0;
}

static int set_vcpu_context(void)
{
	struct cpu_user_regs *r = &vcpu_ctx.user_regs;
	struct xen_domctl dc;
	int rc;

	memset(&vcpu_ctx, 0, sizeof(vcpu_ctx));
	vcpu_ctx.flags = VGCF_in_kernel | VGCF_online;
	r->eip = b.elf.entry;
	r->cs = FLAT_KERNEL_CS;
	r->ss = r->ds = r->es = r->fs = r->gs = FLAT_KERNEL_DS;
	r->esp = b.lay.stack_end;
	r->esi = b.lay.start_info;
	r->eflags = 0x202;	/* IF and the always-one bit 1 */
	vcpu_ctx.kernel_ss = FLAT_KERNEL_SS;
	vcpu_ctx.kernel_sp = b.lay.stack_end;
	vcpu_ctx.ctrlreg[3] = xen_pfn_to_cr3(b.h->l3_mfn);
	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_setvcpucontext;
	dc.domain = b.h->domid;
	dc.u.vcpucontext.vcpu = 0;
	dc.u.vcpucontext.ctxt = (uint32_t)&vcpu_ctx;
	rc = dom_domctl(&dc);
	return rc ? fail("setvcpucontext", rc) : 0;
}

static int set_scheduler(void)
{
	struct xen_domctl dc;
	int rc;

	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_scheduler_op;
	dc.domain = b.h->domid;
	dc.u.scheduler_op.sched_id = XEN_SCHEDULER_BVT;
	dc.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
	dc.u.scheduler_op.u.bvt.weight = b.p->weight;
	if (b.p->warped) {
		dc.u.scheduler_op.u.bvt.warp_ns = (int64_t)b.p->warp_ns;
		dc.u.scheduler_op.u.bvt.warp_limit_ns = b.p->warp_limit_ns;
		dc.u.scheduler_op.u.bvt.unwarp_ns = b.p->unwarp_ns;
	}
	rc = dom_domctl(&dc);
	return rc ? fail("setting the scheduler parameters", rc) : 0;
}

/* vCPUs beyond 0 (dom_params.vcpus; 0 means 1): the kernel starts them. */
static int set_max_vcpus(void)
{
	struct xen_domctl dc;
	int rc;

	if (b.p->vcpus <= 1)
		return 0;
	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_max_vcpus;
	dc.domain = b.h->domid;
	dc.u.max_vcpus.max = b.p->vcpus;
	rc = dom_domctl(&dc);
	return rc ? fail("setting the number of vCPUs", rc) : 0;
}

/* Everything after the domain exists; the caller destroys it on failure. */
static int fill_domain(const char *cmdline)
{
	struct xen_domctl_getdomaininfo info;
	int rc = set_max_vcpus();

	if (!rc)
		rc = populate();

	if (!rc)
		rc = dom_getinfo(b.h->domid, &info);
	if (rc)
		return rc;
	b.shared_info_mfn = (uint32_t)info.shared_info_frame;
	b.h->console_mfn = b.p2m[va_to_pfn(b.lay.console_ring)];
	b.h->store_mfn = b.p2m[va_to_pfn(b.lay.store_ring)];
	rc = load_kernel();
	if (!rc)
		rc = write_p2m();
	if (!rc)
		rc = channels();
	if (!rc)
		rc = write_start_info(cmdline);
	if (!rc)
		rc = write_page_tables();
	if (!rc)
		rc = zero_rest();
	if (!rc)
		rc = hypercall_page_and_pin();
	if (!rc)
		rc = set_vcpu_context();
	if (!rc)
		rc = set_scheduler();
	return rc;
}

int dom_build(const struct dom_params *p, const void *elf, uint32_t len,
	      const char *cmdline, struct dom_handle *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&b.elf, 0, sizeof(b.elf));
	b.p = p;
	b.h = out;
	b.image = elf;
	out->domid = DOMID_INVALID;
	strlcpy(out->name, p->name, sizeof(out->name));
	rc = parse_and_lay_out(len);
	if (rc)
		return rc;
	rc = create_domain();
	if (rc)
		goto err_destroy;
	rc = fill_domain(cmdline);
	if (rc)
		goto err_destroy;
	out->nr_pages = b.nr_pages;
	out->v_start = b.lay.v_start;
	out->v_end = b.lay.v_end;
	out->entry = b.elf.entry;
	return 0;

err_destroy:
	dom_unmap(DOM_BUILD_SLOT);
	if (out->domid != DOMID_INVALID)
		dom_destroy(out);
	return rc;
}

int dom_unpause(const struct dom_handle *h)
{
	return domctl_simple(XEN_DOMCTL_unpausedomain, h->domid);
}

int dom_pause(const struct dom_handle *h)
{
	return domctl_simple(XEN_DOMCTL_pausedomain, h->domid);
}

static void close_port(evtchn_port_t *port)
{
	struct evtchn_close c = { .port = *port };

	if (*port) {
		HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
		*port = 0;
	}
}

int dom_destroy(struct dom_handle *h)
{
	int rc;

	close_port(&h->console_port);
	close_port(&h->store_port);
	rc = domctl_simple(XEN_DOMCTL_destroydomain, h->domid);
	if (rc)
		printf("builder: %s: destroying domain %u failed (%d)\n", h->name,
		       h->domid, rc);
	else
		h->domid = DOMID_INVALID;
	return rc;
}
