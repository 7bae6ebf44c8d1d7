/*
 * test_linux_like.c - the start of day of an i386 PAE Linux kernel (4.14 to
 * 5.8, the releases with 32-bit Xen PV) as Dom0, replayed hypercall by
 * hypercall, with Linux's own arguments, order and page-table layout.
 *
 * No Linux binary can be had on the development machine, so this kernel
 * does what Linux's arch/x86/xen/ code does (enlighten_pv.c, mmu_pv.c,
 * setup.c, p2m.c; docs/third-party.md) and checks that each step succeeds
 * where Linux would BUG() or WARN() on Xen, and that its effect is the one
 * Linux relies on afterwards.  It is linked at 0xC1000000 with the physical
 * addresses at 16 MiB (linux_like.lds), carries Linux's Xen notes
 * (test_linux_like_entry.S) and is packed into a bzImage with an xz
 * payload, as a Debian vmlinuz is.  In order:
 *   1. xen_start_kernel: features, the M2P's place, the p2m list padded
 *      with INVALID up to a multiple of 1024, the hypervisor's start
 *      (platform_parameters), the virtual IOPL, firmware_info;
 *   2. xen_setup_gdt: Linux's GDT (DPL-0 flat, 16-bit PnP/APM BIOS and
 *      byte-granular canary segments), the canary descriptor written with
 *      update_descriptor before the page is a GDT, set_gdt of 32 entries,
 *      %ds/%es = __USER_DS, %fs = __KERNEL_PERCPU, %gs = the canary (and,
 *      which Linux reaches only at its first exception return, a far
 *      return to __KERNEL_CS | 1, checked with lar and lsl); TLS
 *      descriptors by a multicall of update_descriptor;
 *   3. the trap table (256 gates on __KERNEL_CS, RPL 0; int3, into and
 *      0x80 DPL 3), an int3 landing on __KERNEL_CS | 1;
 *   4. xen_setup_kernel_pagetable: a copy of the builder's slot-3 L2 (its
 *      hypervisor slots too), the identity map extended by 4 new L1s, a
 *      copied L3 pinned, the builder's L3 unpinned while it is still CR3,
 *      then the switch; the builder's L3 is then free of its type;
 *   5. setup_arch's xen_write_cr3_init: swapper_pg_dir (only slot 3
 *      present) loaded before it is pinned, the previous L3 unpinned and
 *      both its pages mapped writable again; early_ioremap's L1 in the
 *      last slot below the hypervisor;
 *   6. xen_arch_setup: the VM assists, event/failsafe/sysenter callbacks
 *      (events masked on entry), the runstate area;
 *   7. xen_memory_setup for the machine E820: the ISA hole's pfns
 *      [0x9f, 0x100) remapped above nr_pages (Linux would release them
 *      when no RAM is left above nr_pages, which never happens under
 *      Xylem's layout: that path is written but not run), the hole mapped
 *      1:1 onto machine frames 0x9f-0xff
 *      (QEMU's BIOS at 0xffff0), then xen_remap_memory's MACHPHYS updates
 *      and mappings: the frame that held pfn 0x9f is read at its new pfn;
 *      then shared_info at a fixmap address (xen_pv_init_platform), and
 *      ACPI's root pointer in the BIOS area and the RSDT it names, in
 *      E820-reserved memory, through a fixmap (a 1:1 machine frame);
 *   8. the p2m's frame-list list in shared_info, an L1 allocated by one
 *      multicall (read-only, PIN_L1), and a process: its own L3 with a copy
 *      of the kernel's L2, pinned, switched to, its user mapping used (from
 *      ring 1, as copy_from_user would), left and unpinned.
 * It then powers off, as Linux's xen_power_off does.  Step 7 lives in
 * test_linux_like_mem.c; linux_like.h is what the two share.
 */
#include <stdarg.h>
#include "linux_like.h"
#include <public/callback.h>
#include <public/platform.h>

/* Linux's 32-bit GDT layout (asm/segment.h). */
#define GDT_ENTRY_TLS_MIN	6
#define GDT_ENTRY_KERNEL_CS	12
#define GDT_ENTRY_PERCPU	27
#define GDT_ENTRY_STACK_CANARY	28
#define GDT_ENTRIES		32
#define __KERNEL_CS		(GDT_ENTRY_KERNEL_CS * 8)
#define __USER_DS		(15 * 8 + 3)
#define __KERNEL_PERCPU		(GDT_ENTRY_PERCPU * 8)
#define __KERNEL_STACK_CANARY	(GDT_ENTRY_STACK_CANARY * 8)
#define GDT_ENTRY_INIT(flags, base, limit)				\
	((((base) & 0xff000000ull) << 32) | (((flags) & 0xf0ffull) << 40) | \
	 (((limit) & 0xf0000ull) << 32) | (((base) & 0xffffffull) << 16) | \
	 ((limit) & 0xffffull))

struct start_info *lx_start_info;
unsigned int lx_bp_hits;
uint16_t lx_bp_cs;
extern char __brk_base[], __brk_limit[];
void lx_entry_gp(void), lx_entry_pf(void), lx_entry_bp(void);
void lx_entry_other(void), lx_entry_event(void), lx_entry_failsafe(void);
void lx_entry_sysenter(void);
void lx_far_return_to(uint32_t cs);
void lx_start_kernel(void) __attribute__((noreturn));
void lx_unexpected_fault(uint32_t vector, uint32_t error, uint32_t eip)
	__attribute__((noreturn));

static uint32_t brk_next;
uint32_t max_pfn_mapped;

static uint64_t lx_gdt[512] __attribute__((aligned(4096),
					   section(".data.page_aligned"))) = {
	[GDT_ENTRY_KERNEL_CS] = GDT_ENTRY_INIT(0xc09a, 0, 0xfffff),
	[13] = GDT_ENTRY_INIT(0xc092, 0, 0xfffff),	/* KERNEL_DS */
	[14] = GDT_ENTRY_INIT(0xc0fa, 0, 0xfffff),	/* USER_CS */
	[15] = GDT_ENTRY_INIT(0xc0f2, 0, 0xfffff),	/* USER_DS */
	[18] = GDT_ENTRY_INIT(0x409a, 0, 0xffff),	/* PNPBIOS_CS32 */
	[19] = GDT_ENTRY_INIT(0x009a, 0, 0xffff),	/* PNPBIOS_CS16 */
	[20] = GDT_ENTRY_INIT(0x0092, 0, 0xffff),	/* PNPBIOS_DS */
	[21] = GDT_ENTRY_INIT(0x0092, 0, 0),		/* PNPBIOS_TS1 */
	[22] = GDT_ENTRY_INIT(0x0092, 0, 0),		/* PNPBIOS_TS2 */
	[23] = GDT_ENTRY_INIT(0x409a, 0, 0xffff),	/* APMBIOS code */
	[24] = GDT_ENTRY_INIT(0x009a, 0, 0xffff),	/* APMBIOS 16-bit */
	[25] = GDT_ENTRY_INIT(0x4092, 0, 0xffff),	/* APMBIOS data */
	[26] = GDT_ENTRY_INIT(0xc092, 0, 0xfffff),	/* ESPFIX_SS */
	[GDT_ENTRY_PERCPU] = GDT_ENTRY_INIT(0xc092, 0, 0xfffff),
	[GDT_ENTRY_STACK_CANARY] = GDT_ENTRY_INIT(0x4090, 0, 0x18),
};

/* Page-aligned pages of the image, as Linux's are. */
#define LX_PAGE(name) \
	static uint64_t name[512] __attribute__((aligned(4096)))
uint64_t swapper_pg_dir[512] __attribute__((aligned(4096)));
LX_PAGE(empty_zero_page);
LX_PAGE(bm_pte);
static uint32_t lx_canary[6] = { 0, 0, 0, 0, 0, 0x5ca1ab1e };
static uint32_t lx_tls_word = 0x7150cafe;
static uint64_t *initial_page_table, *initial_kernel_pmd;
uint64_t *swapper_kernel_pmd;
static volatile struct shared_info *lx_shared;


void lx_unexpected_fault(uint32_t vector, uint32_t error, uint32_t eip)
{
	uint32_t cr2 = lx_shared ? lx_shared->vcpu_info[0].arch.cr2 : 0;

	hb_printf("unexpected fault: vector %u error 0x%x eip 0x%x cr2 0x%x\n",
		  vector, error, eip, cr2);
	hb_bug("unexpected fault", vector);
}

void *extend_brk(void)
{
	void *p;

	if (!brk_next)
		brk_next = (uint32_t)__brk_base;
	if (brk_next + PAGE_SIZE > (uint32_t)__brk_limit)
		hb_bug("brk exhausted", 0);
	p = (void *)brk_next;
	brk_next += PAGE_SIZE;
	memset(p, 0, PAGE_SIZE);
	return p;
}

static void set_page_prot(void *va, uint64_t flags)
{
	long rc = HYPERVISOR_update_va_mapping((uint32_t)va,
					       pfn_pte(HB_PA(va) >> 12, flags),
					       UVMF_NONE);

	if (rc)
		hb_bug("set_page_prot", rc);
}

static void pin_pagetable_pfn(uint32_t cmd, uint32_t pfn)
{
	long rc = mmuext1(cmd, hb_pfn_to_mfn(pfn));

	if (rc)
		hb_bug(cmd == MMUEXT_UNPIN_TABLE ? "unpin" : "pin", rc);
}

static long xen_write_cr3(void *l3)
{
	return mmuext1(MMUEXT_NEW_BASEPTR, virt_to_mfn(l3));
}

/* The live page-table entry that maps va (swapper_pg_dir's walk). */
uint64_t pte_maddr(const uint64_t *l3, uint32_t va)
{
	const uint64_t *l2 = m2v(l3[va >> 30]);
	uint64_t pmd = l2[(va >> 21) & 511];

	if (!(pmd & _PAGE_PRESENT))
		hb_bug("set_pte_vaddr: no L1", (long)va);
	return (pmd & PTE_MFN_MASK) + ((va >> 12) & 511) * 8;
}

/* set_pte_mfn(): rewrite a kernel mapping, then flush it (INVLPG_LOCAL). */
void set_pte_mfn(const uint64_t *l3, void *va, uint32_t mfn,
			uint64_t flags)
{
	HB_CHECK(mmu_update1(pte_maddr(l3, (uint32_t)va) | MMU_NORMAL_PT_UPDATE,
			     ((uint64_t)mfn << 12) | flags) == 0);
	HB_CHECK(mmuext1(MMUEXT_INVLPG_LOCAL, (uint32_t)va) == 0);
}

/* ---- 1. xen_start_kernel's first calls ---- */

static void lx_early(struct start_info *si)
{
	struct xen_feature_info fi = { 0, 0 };
	struct xen_machphys_mapping mp;
	struct xen_platform_parameters pp = { 0 };
	struct xen_platform_op op = { .cmd = XENPF_firmware_info,
				      .interface_version =
					XENPF_INTERFACE_VERSION };

	HB_CHECK(si->flags & SIF_INITDOMAIN);
	HB_OK(HYPERVISOR_xen_version(XENVER_get_features, &fi));
	HB_OK(HYPERVISOR_memory_op(XENMEM_machphys_mapping, &mp));
	HB_CHECK(mp.v_start == HYP_START && mp.max_mfn > 0);

	/* xen_build_dynamic_phys_to_machine: pad to whole p2m pages. */
	hb_p2m_init(si, P2M_PER_PAGE);
	hb_detect_nx(true);		/* x86_configure_nx, via xen_cpuid */

	/* xen_reserve_top, the virtual IOPL, the keyboard flags. */
	HB_OK(HYPERVISOR_xen_version(XENVER_platform_parameters, &pp));
	HB_CHECK(pp.virt_start == HYP_START);
	HB_CHECK(HYPERVISOR_set_iopl(1) == 0);
	op.u.firmware_info.type = XEN_FW_KBD_SHIFT_FLAGS;
	hb_printf("firmware_info(KBD_SHIFT_FLAGS): %ld\n",
		  hypercall(__HYPERVISOR_platform_op, (uint32_t)&op, 0, 0, 0,
			    0));
	si->console.domU.mfn = 0;	/* xen_start_kernel, as Dom0 */
	si->console.domU.evtchn = 0;
	hb_printf("linux_like: nr_pages 0x%x, p2m at 0x%x, pt_base 0x%x "
		  "(%u frames), NX %s\n", nr_pages, si->mfn_list, si->pt_base,
		  si->nr_pt_frames, nx ? "yes" : "no");
}

/* ---- 2. xen_setup_gdt, then the TLS descriptors ---- */

static long update_descriptor(uint64_t maddr, uint64_t desc)
{
	return hypercall(__HYPERVISOR_update_descriptor, (uint32_t)maddr,
			 (uint32_t)(maddr >> 32), (uint32_t)desc,
			 (uint32_t)(desc >> 32), 0);
}

static uint32_t read_gs_word(uint32_t offset)
{
	uint32_t v;

	asm volatile("movl %%gs:(%1), %0" : "=r"(v) : "r"(offset));
	return v;
}

static void lx_load_tls(void)
{
	struct multicall_entry mc[3];
	uint64_t base = (uint32_t)&lx_tls_word;
	uint64_t desc[3] = {
		/* set_thread_area's: 32-bit, limit in pages, useable, DPL 3 */
		GDT_ENTRY_INIT(0xd0f2, base, 0xfffff), 0, 0 };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		uint64_t ma = virt_to_machine(&lx_gdt[GDT_ENTRY_TLS_MIN + i]);

		mc[i].op = __HYPERVISOR_update_descriptor;
		mc[i].result = 1;
		mc[i].args[0] = (uint32_t)ma;
		mc[i].args[1] = (uint32_t)(ma >> 32);
		mc[i].args[2] = (uint32_t)desc[i];
		mc[i].args[3] = (uint32_t)(desc[i] >> 32);
	}
	HB_OK(HYPERVISOR_multicall(mc, 3));
	for (i = 0; i < 3; i++)
		HB_CHECK(mc[i].result == 0);
	asm volatile("movl %0, %%gs" : : "r"((GDT_ENTRY_TLS_MIN << 3) | 3));
	HB_CHECK(read_gs_word(0) == 0x7150cafe);
	asm volatile("movl %0, %%gs" : : "r"(__KERNEL_STACK_CANARY));
}

/* The access rights and limit the CPU holds for a selector (0: none). */
static uint32_t lar(uint32_t sel)
{
	uint32_t ar = 0;

	asm volatile("larl %1, %0" : "+r"(ar) : "r"(sel) : "cc");
	return ar;
}

static uint32_t lsl(uint32_t sel)
{
	uint32_t limit = 0;

	asm volatile("lsll %1, %0" : "+r"(limit) : "r"(sel) : "cc");
	return limit;
}

static void lx_setup_gdt(void)
{
	uint64_t canary = lx_gdt[GDT_ENTRY_STACK_CANARY];
	uint32_t base = (uint32_t)&lx_canary[5] - 20, mfn, cs;
	long rc;

	/* setup_stack_canary_segment, xen_write_gdt_entry_boot. */
	canary |= GDT_ENTRY_INIT(0, base, 0);
	rc = update_descriptor(virt_to_machine(&lx_gdt[GDT_ENTRY_STACK_CANARY]),
			       canary);
	HB_CHECK(rc == 0);
	if (rc)
		lx_gdt[GDT_ENTRY_STACK_CANARY] = canary;	/* Linux's fallback */

	/* xen_load_gdt_boot: the page read-only, then set_gdt. */
	mfn = virt_to_mfn(lx_gdt);
	HB_OK(HYPERVISOR_update_va_mapping((uint32_t)lx_gdt,
					   pfn_pte(HB_PA(lx_gdt) >> 12,
						   PAGE_KERNEL_RO), 0));
	HB_OK(hypercall(__HYPERVISOR_set_gdt, (uint32_t)&mfn, GDT_ENTRIES, 0,
			0, 0));
	asm volatile("movl %0, %%ds; movl %0, %%es" : : "r"(__USER_DS));
	asm volatile("movl %0, %%fs" : : "r"(__KERNEL_PERCPU));
	asm volatile("movl %0, %%gs" : : "r"(__KERNEL_STACK_CANARY));
	HB_CHECK(read_gs_word(20) == 0x5ca1ab1e);
	/*
	 * Linux reaches __KERNEL_CS | 1 at its first exception return; the
	 * test goes there now.  What the CPU holds: DPL 1 for the DPL-0 code
	 * segment, its limit below the hypervisor; the 16-bit PnP BIOS code
	 * segment as given (byte granular, 64 KiB, 16-bit).
	 */
	lx_far_return_to(__KERNEL_CS | 1);
	asm volatile("movl %%cs, %0" : "=r"(cs));
	HB_CHECK((cs & 0xffff) == (__KERNEL_CS | 1));
	HB_CHECK(((lar(__KERNEL_CS | 1) >> 13) & 3) == 1);
	HB_CHECK(lsl(__KERNEL_CS | 1) < 0xF6800000u);
	HB_CHECK(lsl(19 * 8 + 1) == 0xffff);
	HB_CHECK(!(lar(19 * 8 + 1) & (1u << 22)));
	lx_load_tls();
	hb_printf("linux_like: Linux's GDT loaded (frame 0x%x), running on "
		  "cs 0x%x, canary and TLS segments read back\n", mfn, cs);
}

/* ---- 3. The trap table: 256 gates on __KERNEL_CS ---- */

static struct trap_info lx_traps[257];

static void lx_set_traps(void)
{
	unsigned int v;

	for (v = 0; v < 256; v++) {
		lx_traps[v].vector = (uint8_t)v;
		lx_traps[v].flags = 4;			/* interrupt gate */
		lx_traps[v].cs = __KERNEL_CS;
		lx_traps[v].address = (uint32_t)lx_entry_other;
	}
	lx_traps[3].flags = 3 | 4;			/* system gates: DPL 3 */
	lx_traps[4].flags = 3 | 4;
	lx_traps[0x80].flags = 3 | 4;
	lx_traps[3].address = (uint32_t)lx_entry_bp;
	lx_traps[13].address = (uint32_t)lx_entry_gp;
	lx_traps[14].address = (uint32_t)lx_entry_pf;
	HB_OK(HYPERVISOR_set_trap_table(lx_traps));
	asm volatile("int3" ::: "memory");
	HB_CHECK(lx_bp_hits == 1);
	HB_CHECK(lx_bp_cs == (__KERNEL_CS | 1));
}

/* ---- 4. xen_setup_kernel_pagetable (CONFIG_X86_32) ---- */

#define LEVEL1_IDENT_PAGES	4

/* xen_map_identity_early: fill every empty slot up to max_pfn. */
static unsigned int xen_map_identity_early(uint64_t *pmd, uint32_t max_pfn,
					   uint64_t **ident)
{
	unsigned int pmdidx, pteidx, used = 0, i;
	uint32_t pfn = 0;

	for (pmdidx = 0; pmdidx < 512 && pfn < max_pfn; pmdidx++) {
		uint64_t *pte_page;

		if (pmd[pmdidx] & _PAGE_PRESENT) {
			pte_page = m2v(pmd[pmdidx]);
		} else {
			if (used == LEVEL1_IDENT_PAGES)
				break;
			pte_page = ident[used++];
			pmd[pmdidx] = pfn_pte(HB_PA(pte_page) >> 12, _PAGE_TABLE);
		}
		for (pteidx = 0; pteidx < 512; pteidx++, pfn++) {
			if (pfn > max_pfn_mapped)
				max_pfn_mapped = pfn;
			if (pte_page[pteidx])
				continue;
			pte_page[pteidx] = pfn_pte(pfn, PAGE_KERNEL_EXEC);
		}
	}
	for (i = 0; i < used; i++)
		set_page_prot(ident[i], PAGE_KERNEL_RO);
	set_page_prot(pmd, PAGE_KERNEL_RO);
	return used;
}

static void lx_setup_kernel_pagetable(struct start_info *si)
{
	uint64_t *pgd = (uint64_t *)si->pt_base, *kernel_pmd, *ident[4];
	uint32_t probe_pfn, i, used;
	volatile uint32_t *probe;

	kernel_pmd = m2v(pgd[3]);
	max_pfn_mapped = (HB_PA(si->pt_base) + si->nr_pt_frames * PAGE_SIZE +
			  512 * 1024) >> 12;
	initial_kernel_pmd = extend_brk();
	memcpy(initial_kernel_pmd, kernel_pmd, PAGE_SIZE);	/* all 512 */
	for (i = 0; i < LEVEL1_IDENT_PAGES; i++)
		ident[i] = extend_brk();
	used = xen_map_identity_early(initial_kernel_pmd, nr_pages, ident);

	initial_page_table = extend_brk();
	memcpy(initial_page_table, pgd, PAGE_SIZE);
	initial_page_table[3] = pfn_pte(HB_PA(initial_kernel_pmd) >> 12,
					_PAGE_PRESENT);
	set_page_prot(initial_kernel_pmd, PAGE_KERNEL_RO);
	set_page_prot(initial_page_table, PAGE_KERNEL_RO);
	set_page_prot(empty_zero_page, PAGE_KERNEL_RO);

	pin_pagetable_pfn(MMUEXT_UNPIN_TABLE, HB_PA(pgd) >> 12);  /* still CR3 */
	pin_pagetable_pfn(MMUEXT_PIN_L3_TABLE, HB_PA(initial_page_table) >> 12);
	HB_CHECK(xen_write_cr3(initial_page_table) == 0);

	/* The new L1s map what the builder did not: read and write there. */
	probe_pfn = max_pfn_mapped < nr_pages ? max_pfn_mapped : nr_pages - 1;
	probe = (volatile uint32_t *)HB_VA(probe_pfn << 12);
	*probe = 0xfeedf00d;
	HB_CHECK(*probe == 0xfeedf00d);
	/* The builder's L3 left with CR3: it is a plain page again. */
	HB_CHECK(HYPERVISOR_update_va_mapping((uint32_t)pgd,
					      pfn_pte(HB_PA(pgd) >> 12,
						      PAGE_KERNEL), 0) == 0);
	set_page_prot(pgd, PAGE_KERNEL_RO);	/* Linux keeps it reserved */
	hb_printf("linux_like: mapping kernel into physical memory: %u new "
		  "L1s, pfns up to 0x%x mapped, on L3 0x%x\n", used,
		  max_pfn_mapped, virt_to_mfn(initial_page_table));
}

/* ---- 5. setup_arch: swapper_pg_dir, early_ioremap ---- */

static void xen_write_cr3_init(void)
{
	uint32_t pfn = HB_PA(swapper_pg_dir) >> 12;

	/* setup_arch's clone_pgd_range, a plain copy. */
	swapper_pg_dir[3] = initial_page_table[3];

	swapper_kernel_pmd = extend_brk();
	memcpy(swapper_kernel_pmd, initial_kernel_pmd, PAGE_SIZE);
	swapper_pg_dir[3] = pfn_pte(HB_PA(swapper_kernel_pmd) >> 12,
				    _PAGE_PRESENT);
	set_page_prot(swapper_kernel_pmd, PAGE_KERNEL_RO);
	set_page_prot(swapper_pg_dir, PAGE_KERNEL_RO);
	HB_CHECK(xen_write_cr3(swapper_pg_dir) == 0);	/* before the pin */
	pin_pagetable_pfn(MMUEXT_PIN_L3_TABLE, pfn);
	pin_pagetable_pfn(MMUEXT_UNPIN_TABLE, HB_PA(initial_page_table) >> 12);
	set_page_prot(initial_page_table, PAGE_KERNEL);
	set_page_prot(initial_kernel_pmd, PAGE_KERNEL);
	HB_CHECK(mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0) == 0);
}

/* xen_alloc_pte_init + xen_set_pmd_hyper: a new L1 under swapper's L2. */
void lx_populate_pmd(uint32_t va, uint64_t *l1)
{
	uint64_t pmdp = virt_to_machine(&swapper_kernel_pmd[(va >> 21) & 511]);

	set_page_prot(l1, PAGE_KERNEL_RO);
	pin_pagetable_pfn(MMUEXT_PIN_L1_TABLE, HB_PA(l1) >> 12);
	HB_CHECK(mmu_update1(pmdp | MMU_NORMAL_PT_UPDATE,
			     pfn_pte(HB_PA(l1) >> 12, _PAGE_TABLE)) == 0);
}

/*
 * early_ioremap_init: an L1 for the fixmap, which ends just below the
 * hypervisor (FIXADDR_TOP), so in the last L2 slot a guest may use.
 */
static void lx_setup_arch(void)
{
	xen_write_cr3_init();
	lx_populate_pmd(FIXADDR_TOP, bm_pte);
	hb_printf("linux_like: on swapper_pg_dir 0x%x, fixmap L1 in L2 slot "
		  "%u\n", virt_to_mfn(swapper_pg_dir),
		  (FIXADDR_TOP >> 21) & 511);
}

/*
 * xen_pv_init_platform (after xen_memory_setup): set_fixmap of
 * FIX_PARAVIRT_BOOTMAP, here the fixmap's top page, to shared_info.
 */
static void lx_map_shared_info(struct start_info *si)
{
	uint64_t pte = ((uint64_t)si->shared_info & ~0xfffull) |
		       PAGE_KERNEL | nx;

	HB_CHECK(mmu_update1(pte_maddr(swapper_pg_dir, FIXADDR_TOP) |
			     MMU_NORMAL_PT_UPDATE, pte) == 0);
	HB_CHECK(mmuext1(MMUEXT_INVLPG_LOCAL, FIXADDR_TOP) == 0);
	lx_shared = (volatile struct shared_info *)FIXADDR_TOP;
	HB_CHECK(lx_shared->vcpu_info[0].evtchn_upcall_mask == 1);
}

/* ---- 6. xen_arch_setup / xen_pvmmu_arch_setup ---- */

static long register_callback(uint16_t type, void (*fn)(void))
{
	struct callback_register cb = {
		.type = type, .flags = CALLBACKF_mask_events,
		.address = { __KERNEL_CS, (uint32_t)fn },
	};

	return hypercall(__HYPERVISOR_callback_op, CALLBACKOP_register,
			 (uint32_t)&cb, 0, 0, 0);
}

static struct vcpu_runstate_info lx_runstate;

static void lx_arch_setup(void)
{
	struct vcpu_register_runstate_memory_area area;

	HB_CHECK(HYPERVISOR_vm_assist(VMASST_CMD_enable,
				      VMASST_TYPE_4gb_segments) == 0);
	HB_CHECK(HYPERVISOR_vm_assist(VMASST_CMD_enable,
				      VMASST_TYPE_writable_pagetables) == 0);
	HB_CHECK(HYPERVISOR_vm_assist(VMASST_CMD_enable,
				      VMASST_TYPE_pae_extended_cr3) == 0);
	HB_OK(register_callback(CALLBACKTYPE_event, lx_entry_event));
	HB_OK(register_callback(CALLBACKTYPE_failsafe, lx_entry_failsafe));
	/* Linux only drops SEP when this fails; Xen takes it. */
	HB_CHECK(register_callback(CALLBACKTYPE_sysenter,
				   lx_entry_sysenter) == 0);
	memset(&lx_runstate, 0xff, sizeof(lx_runstate));
	area.addr = (uint32_t)&lx_runstate;
	HB_OK(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0,
				 &area));
	HB_CHECK(lx_runstate.state == RUNSTATE_running);
	HB_CHECK(lx_runstate.state_entry_time != ~0ull);
}

/* ---- 8. The p2m's frame lists, a late L1, a process ---- */

static void xen_setup_mfn_list_list(void)
{
	uint32_t *top = extend_brk(), *mid = extend_brk();
	uint32_t *mid_missing = extend_brk(), *missing = extend_brk();
	uint32_t i, pages = p2m_size / P2M_PER_PAGE, mfn;

	for (i = 0; i < P2M_PER_PAGE; i++) {
		missing[i] = INVALID_P2M;
		mid_missing[i] = virt_to_mfn(missing);
		mid[i] = i < pages ? virt_to_mfn(p2m + i * P2M_PER_PAGE)
				   : virt_to_mfn(missing);
		top[i] = virt_to_mfn(i ? mid_missing : mid);
	}
	mfn = virt_to_mfn(swapper_pg_dir);
	lx_shared->arch.pfn_to_mfn_frame_list_list = virt_to_mfn(top);
	lx_shared->arch.max_pfn = p2m_size;
	lx_shared->arch.p2m_generation = 0;
	lx_shared->arch.p2m_vaddr = (uint32_t)p2m;
	lx_shared->arch.p2m_cr3 = (mfn << 12) | (mfn >> 20);
	/* Fields for the toolstack: the hypervisor leaves them alone. */
	HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	HB_CHECK(lx_shared->arch.pfn_to_mfn_frame_list_list ==
		 virt_to_mfn(top));
	HB_CHECK(lx_shared->arch.max_pfn == p2m_size);
	HB_CHECK(lx_shared->arch.p2m_vaddr == (uint32_t)p2m);
}

static void mc_uvm(struct multicall_entry *m, void *va, uint64_t flags,
		   uint32_t uvmf)
{
	uint64_t pte = pfn_pte(HB_PA(va) >> 12, flags);

	m->op = __HYPERVISOR_update_va_mapping;
	m->result = 1;
	m->args[0] = (uint32_t)va;
	m->args[1] = (uint32_t)pte;
	m->args[2] = (uint32_t)(pte >> 32);
	m->args[3] = uvmf;
}

static void mc_mmuext(struct multicall_entry *m, struct mmuext_op *op,
		      uint32_t cmd, void *va)
{
	op->cmd = cmd;
	op->arg1 = virt_to_mfn(va);
	m->op = __HYPERVISOR_mmuext_op;
	m->result = 1;
	m->args[0] = (uint32_t)op;
	m->args[1] = 1;
	m->args[2] = 0;
	m->args[3] = DOMID_SELF;
}

static void lx_multicall(struct multicall_entry *mc, unsigned int n,
			 const char *what)
{
	unsigned int i;

	HB_OK(HYPERVISOR_multicall(mc, n));
	for (i = 0; i < n; i++)
		if (mc[i].result != 0)
			hb_printf("%s: entry %u: %ld\n", what, i,
				  (long)mc[i].result);
	for (i = 0; i < n; i++)
		HB_CHECK(mc[i].result == 0);
}

/* After xen_post_allocator_init: xen_alloc_ptpage's one multicall. */
#define LX_VMALLOC_VA		0xF0000000u

static void lx_late_l1(void)
{
	struct multicall_entry mc[2];
	struct mmuext_op op;
	uint64_t *l1 = extend_brk();
	volatile uint32_t *data = extend_brk(), *alias;
	uint64_t pmdp = virt_to_machine(
		&swapper_kernel_pmd[(LX_VMALLOC_VA >> 21) & 511]);

	data[7] = 0xa11a5ed;
	mc_uvm(&mc[0], l1, PAGE_KERNEL_RO, 0);
	mc_mmuext(&mc[1], &op, MMUEXT_PIN_L1_TABLE, l1);
	lx_multicall(mc, 2, "alloc_ptpage");
	HB_CHECK(mmu_update1(pmdp | MMU_NORMAL_PT_UPDATE,
			     pfn_pte(HB_PA(l1) >> 12, _PAGE_TABLE)) == 0);
	HB_CHECK(mmu_update1(pte_maddr(swapper_pg_dir, LX_VMALLOC_VA) |
			     MMU_NORMAL_PT_UPDATE,
			     pfn_pte(HB_PA(data) >> 12, PAGE_KERNEL | nx)) == 0);
	alias = (volatile uint32_t *)LX_VMALLOC_VA;
	HB_CHECK(alias[7] == 0xa11a5ed);
	alias[8] = 0xbeef;
	HB_CHECK(data[8] == 0xbeef);
}

#define LX_USER_VA		0x08048000u

/* pgd_alloc, xen_pgd_pin, switch_mm, then exit_mmap's xen_pgd_unpin. */
static void lx_process(void)
{
	struct multicall_entry mc[8];
	struct mmuext_op ops[2];
	uint64_t *pgd = extend_brk(), *pmd[4], *pte = extend_brk();
	volatile uint32_t *upage = extend_brk();
	unsigned int i, n = 0;

	for (i = 0; i < 4; i++) {
		pmd[i] = extend_brk();
		pgd[i] = pfn_pte(HB_PA(pmd[i]) >> 12, _PAGE_PRESENT);
	}
	memcpy(pmd[3], swapper_kernel_pmd, PAGE_SIZE);	/* unshared copy */
	upage[0] = 0x0badc0de;
	pte[(LX_USER_VA >> 12) & 511] = pfn_pte(HB_PA(upage) >> 12,
						_PAGE_TABLE | nx);
	pmd[0][(LX_USER_VA >> 21) & 511] = pfn_pte(HB_PA(pte) >> 12,
						   _PAGE_TABLE);
	mc_uvm(&mc[n++], pte, PAGE_KERNEL_RO, 0);
	mc_mmuext(&mc[n++], &ops[0], MMUEXT_PIN_L1_TABLE, pte);
	for (i = 0; i < 4; i++)
		mc_uvm(&mc[n++], pmd[i], PAGE_KERNEL_RO, 0);
	mc_uvm(&mc[n++], pgd, PAGE_KERNEL_RO, UVMF_TLB_FLUSH);
	mc_mmuext(&mc[n++], &ops[1], MMUEXT_PIN_L3_TABLE, pgd);
	lx_multicall(mc, n, "pgd_pin");

	HB_CHECK(xen_write_cr3(pgd) == 0);
	HB_CHECK(*(volatile uint32_t *)LX_USER_VA == 0x0badc0de);
	*(volatile uint32_t *)(LX_USER_VA + 4) = 0x5eed;
	HB_CHECK(lx_shared->vcpu_info[0].evtchn_upcall_mask == 1);
	HB_CHECK(xen_write_cr3(swapper_pg_dir) == 0);
	HB_CHECK(upage[1] == 0x5eed);

	n = 0;
	mc_mmuext(&mc[n++], &ops[0], MMUEXT_UNPIN_TABLE, pgd);
	mc_uvm(&mc[n++], pmd[3], PAGE_KERNEL, 0);
	mc_uvm(&mc[n++], pmd[0], PAGE_KERNEL, 0);
	mc_mmuext(&mc[n++], &ops[1], MMUEXT_UNPIN_TABLE, pte);
	mc_uvm(&mc[n++], pte, PAGE_KERNEL, 0);
	mc_uvm(&mc[n++], pmd[1], PAGE_KERNEL, 0);
	mc_uvm(&mc[n++], pmd[2], PAGE_KERNEL, 0);
	mc_uvm(&mc[n++], pgd, PAGE_KERNEL, UVMF_TLB_FLUSH);
	lx_multicall(mc, n, "pgd_unpin");
	pgd[0] = 0;		/* writable again: freed to the allocator */
	pte[0] = 0;
}

/* ---- The whole start of day ---- */

void lx_start_kernel(void)
{
	struct start_info *si = lx_start_info;

	HYPERVISOR_console_io(CONSOLEIO_write, 21, "linux_like: starting\n");
	lx_early(si);
	lx_setup_gdt();
	lx_set_traps();
	lx_setup_kernel_pagetable(si);
	lx_setup_arch();
	lx_arch_setup();
	lx_memory_setup();
	lx_map_shared_info(si);
	lx_remap();
	lx_acpi();
	xen_setup_mfn_list_list();
	lx_late_l1();
	lx_process();
	hb_finish();
}
