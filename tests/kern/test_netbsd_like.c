/*
 * test_netbsd_like.c - the start of day of NetBSD's i386 XEN3PAE_DOM0
 * kernel (NetBSD 9 and 10, options XENPV PAE DOM0OPS), replayed hypercall
 * by hypercall with NetBSD's own arguments, order and table layout, read
 * from its sources (locore.S, x86_xpmap.c, machdep.c, pmap.c; no NetBSD
 * code; docs/third-party.md).  In order:
 *   1. locore's start (test_netbsd_like_entry.S), then initgdt(): NetBSD's
 *      GDT (DPL-1 kernel segments, a byte-granular per-CPU segment), the
 *      page read-only, set_gdt of 23 entries, %ds = 0x11, %fs = 0x31, a far
 *      return to 0x09;
 *   2. xen_locore(): features, then xen_bootstrap_tables() twice: a
 *      temporary set after the builder's tables, then the final set over
 *      them.  Each: an L3 whose slots 0-2 name a 4-page L2 "superpage" and
 *      slot 3 a copy of its last page, L1s made read-only one by one, the
 *      recursive entries (L2 slots 1532-1534: read-only links from the
 *      third L2 to the first three, itself included), the L2s read-only,
 *      in the final set the shadow L2 pinned, the L3 pinned and loaded,
 *      then slot 1535 linked to the pinned shadow, the previous L3
 *      unpinned and every page of the previous tables made writable again
 *      through the new L1s; the final set also maps shared_info and, for a
 *      Dom0, the ISA memory at 0xa0000-0xfffff.  Every mmuext op follows
 *      an mmu_update of the queued updates, often none, as NetBSD's queue
 *      flushes it;
 *   3. what that makes possible: the recursive mapping read at PTE_BASE
 *      (0xbf800000) and at the L2 "superpage" window, the BIOS through the
 *      ISA window, shared_info, the temporary tables writable;
 *   4. init386: EFER read and written with NXE in ring 1 before any trap
 *      table; a second GDT, the first page given back; set_callbacks; an
 *      LDT of 17 entries (its page made read-only by mmu_update) and a
 *      selector loaded from it; the trap table (0x09, DPLs as NetBSD's);
 *   5. all event ports masked, events unmasked; the banner one console_io
 *      byte at a time;
 *   6. gdt_init: a 14-page GDT of 7168 entries; fpu_taskswitch;
 *      stack_switch; CR4 read and written; the TSC probe's wait for a new
 *      time snapshot; the clock: VIRQ_TIMER, the periodic timer stopped, a
 *      one-shot set_timer_op, SCHEDOP_block until its upcall;
 *   7. a process: a PAE pmap's four L2 pages (the user three pinned, the
 *      third with the recursive links, the fourth a copy of the kernel's
 *      L2), loaded by rewriting the live L3's slots 0-2 with mmu_update,
 *      a TLB flush, the kernel still running, then the kernel's slots back.
 * It then powers off.
 */
#include "highbase.h"
#include <public/callback.h>

#define KERNBASE		HB_BASE
#define KERNTEXTOFF		0xc0100000u
#define L2_SHIFT		21
#define NBPD_L2			(1u << L2_SHIFT)
#define PL2_PI(va)		((va) >> L2_SHIFT)	/* of 2048 */
#define PL1_PI(va)		(((va) >> 12) & 511)
#define NPDPG			512
#define L2_SLOT_KERN		1536
#define PDIR_SLOT_PTE		1532
#define PTE_BASE		0xbf800000u
#define PDP_BASE		(PTE_BASE + PDIR_SLOT_PTE * PAGE_SIZE)
#define L2_4_COUNT		6	/* the L3 and five L2 pages */
#define UPAGES			2
#define IOM_BEGIN		0x0a0000u
#define IOM_SIZE		0x060000u
#define PG_V			_PAGE_PRESENT
#define PG_RW			_PAGE_RW

/* NetBSD's i386 GDT under XENPV (SEL_KPL 1). */
#define GCODE_SEL		1
#define GDATA_SEL		2
#define GUCODE_SEL		3
#define GUDATA_SEL		4
#define GCPU_SEL		6
#define GUCODEBIG_SEL		20
#define GUFS_SEL		21
#define GUGS_SEL		22
#define NGDT			23
#define SDT_MEMRWA		19
#define SDT_MEMERA		27
#define KCODE			0x09
#define KDATA			0x11
#define NLDT			17
#define QUEUE_SIZE		16

char nb_start_info[512] __attribute__((aligned(4)));
uint32_t nb_cpuid_level;
unsigned int nb_bp_hits, nb_events;
uint16_t nb_bp_cs;
extern char __rodata_start[], __data_start[];
void nb_lgdt_finish(void);
void nb_entry_gp(void), nb_entry_pf(void), nb_entry_bp(void);
void nb_entry_other(void), nb_hypervisor_callback(void);
void nb_failsafe_callback(void);
void nb_main(void) __attribute__((noreturn));
void nb_unexpected_fault(uint32_t vector, uint32_t error, uint32_t eip)
	__attribute__((noreturn));
void nb_do_events(void);

static struct start_info *si;
static uint64_t tmpgdt[512] __attribute__((aligned(4096),
					   section(".data.page_aligned")));
static uint64_t *dummy_gdt;		/* xen_dummy_page: after the UAREA */
static uint64_t ldt_page[512] __attribute__((aligned(4096)));
static uint32_t cpu_info_primary[64];
static uint32_t atdevbase, first_avail;
static volatile struct shared_info *shared;
static uint64_t *final_pde;		/* the final tables' five L2 pages */
static uint32_t final_l3;
static evtchn_port_t timer_port;

/* ---- Faults and events ---- */

void nb_unexpected_fault(uint32_t vector, uint32_t error, uint32_t eip)
{
	hb_printf("unexpected fault: vector %u error 0x%x eip 0x%x\n",
		  vector, error, eip);
	hb_bug("unexpected fault", vector);
}

/* The event upcall: acknowledge everything pending, count the timer. */
void nb_do_events(void)
{
	volatile struct vcpu_info *vi = &shared->vcpu_info[0];
	uint32_t sel;

	vi->evtchn_upcall_pending = 0;
	sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0,
				  __ATOMIC_SEQ_CST);
	while (sel) {
		unsigned int w = __builtin_ctz(sel);

		sel &= sel - 1;
		if (timer_port / 32 == w &&
		    (shared->evtchn_pending[w] & (1u << (timer_port % 32))))
			nb_events++;
		shared->evtchn_pending[w] = 0;
	}
}

/* ---- NetBSD's update queue: mmuext ops flush it first ---- */

static struct mmu_update xpq_queue[QUEUE_SIZE];
static unsigned int xpq_idx;

static void xpq_flush_queue(void)
{
	uint32_t done = ~0u;

	HB_CHECK(HYPERVISOR_mmu_update(xpq_queue, xpq_idx, &done,
				       DOMID_SELF) == 0);
	HB_CHECK(done == xpq_idx);
	xpq_idx = 0;
}

static void xpq_queue_pte_update(uint64_t ma, uint64_t val)
{
	xpq_queue[xpq_idx].ptr = ma | MMU_NORMAL_PT_UPDATE;
	xpq_queue[xpq_idx].val = val;
	if (++xpq_idx == QUEUE_SIZE)
		xpq_flush_queue();
}

static void xpq_mmuext(uint32_t cmd, uint32_t arg1, const char *what)
{
	long rc;

	xpq_flush_queue();
	rc = mmuext1(cmd, arg1);
	if (rc < 0)
		hb_bug(what, rc);
}

static uint32_t va_mfn(uint32_t va)
{
	return virt_to_mfn((const void *)va);
}

/* ---- 1. initgdt ---- */

static uint64_t setsegment(uint32_t base, uint32_t limit, uint32_t type,
			   uint32_t dpl, uint32_t def32, uint32_t gran)
{
	uint32_t lo = (limit & 0xffff) | (base << 16);
	uint32_t hi = ((base >> 16) & 0xff) | (type << 8) | (dpl << 13) |
		      (1u << 15) | (limit & 0xf0000) | (def32 << 22) |
		      (gran << 23) | (base & 0xff000000);

	return ((uint64_t)hi << 32) | lo;
}

static void initgdt(uint64_t *gdt, uint64_t pg_nx)
{
	uint32_t frame, fs0, cs;

	gdt[GCODE_SEL] = setsegment(0, 0xfffff, SDT_MEMERA, 1, 1, 1);
	gdt[GDATA_SEL] = setsegment(0, 0xfffff, SDT_MEMRWA, 1, 1, 1);
	gdt[GUCODE_SEL] = setsegment(0, 0xbf7ff, SDT_MEMERA, 3, 1, 1);
	gdt[GUCODEBIG_SEL] = setsegment(0, 0xfffff, SDT_MEMERA, 3, 1, 1);
	gdt[GUDATA_SEL] = setsegment(0, 0xfffff, SDT_MEMRWA, 3, 1, 1);
	gdt[GCPU_SEL] = setsegment((uint32_t)cpu_info_primary,
				   sizeof(cpu_info_primary) - 1, SDT_MEMRWA,
				   1, 1, 0);
	frame = va_mfn((uint32_t)gdt);
	if (HYPERVISOR_update_va_mapping((uint32_t)gdt,
					 pfn_pte(HB_PA(gdt) >> 12, PG_V | pg_nx),
					 UVMF_INVLPG) < 0)
		hb_bug("gdt page RO update failed.", 0);
	if (hypercall(__HYPERVISOR_set_gdt, (uint32_t)&frame, NGDT, 0, 0, 0))
		hb_bug("HYPERVISOR_set_gdt failed!", 0);
	nb_lgdt_finish();
	asm volatile("movl %%cs, %0; movl %%fs:0, %1" : "=r"(cs), "=r"(fs0));
	HB_CHECK((cs & 0xffff) == KCODE);
	HB_CHECK(fs0 == (uint32_t)cpu_info_primary);
}

/* ---- 2. xen_locore: the bootstrap tables, twice ---- */

static uint32_t hyp_shared_va;		/* HYPERVISOR_shared_info */

static void xen_bt_set_readonly(uint32_t va)
{
	HB_CHECK(HYPERVISOR_update_va_mapping(va, pfn_pte(HB_PA(va) >> 12,
						PG_V | nx), UVMF_INVLPG) == 0);
}

/* The L1 entry xen_bootstrap_tables gives one page below map_end. */
static uint64_t bt_entry(uint32_t page, uint32_t old_pgd, uint32_t old_count,
			 uint32_t new_pgd, uint32_t new_count, bool final)
{
	uint64_t e = pfn_pte(HB_PA(page) >> 12, 0);

	if (final && page == hyp_shared_va)
		e = si->shared_info;
	if ((e >> 12) == si->console.domU.mfn)
		e = (uint64_t)si->console.domU.mfn << 12;
	if ((e >> 12) == si->store_mfn)
		e = (uint64_t)si->store_mfn << 12;
	if (final && page >= atdevbase && page < atdevbase + IOM_SIZE)
		e = IOM_BEGIN + (page - atdevbase);
	e |= PG_V;
	if (page == (uint32_t)tmpgdt)
		return 0;			/* still the GDT: unmapped */
	if (page < (uint32_t)__rodata_start)
		return e;			/* text, read-only */
	if (page < ((uint32_t)__data_start & ~0xfffu))
		return e | nx;			/* rodata, read-only */
	if (page >= old_pgd && page < old_pgd + old_count * PAGE_SIZE)
		return e | nx;			/* old tables, read-only */
	if (page >= new_pgd &&
	    page < new_pgd + (new_count + L2_4_COUNT) * PAGE_SIZE)
		return e | nx;			/* new tables, read-only */
	return e | PG_RW | nx;
}

/* Fill the L1 pages from KERNTEXTOFF up, linking each into pde. */
static void bt_fill_l1s(uint64_t *pde, uint32_t avail, uint32_t map_end,
			uint32_t old_pgd, uint32_t old_count, uint32_t new_pgd,
			uint32_t new_count, bool final)
{
	uint32_t page = KERNTEXTOFF, i;

	for (i = 0; i < new_count; i++) {
		uint32_t cur = page;
		uint64_t *pte = (uint64_t *)avail;

		avail += PAGE_SIZE;
		memset(pte, 0, PAGE_SIZE);
		for (; PL2_PI(page) == PL2_PI(cur); page += PAGE_SIZE)
			pte[PL1_PI(page)] = page >= map_end ? 0 :
				bt_entry(page, old_pgd, old_count, new_pgd,
					 new_count, final);
		pde[PL2_PI(cur)] = pfn_pte(HB_PA(pte) >> 12, PG_V | PG_RW);
		xen_bt_set_readonly((uint32_t)pte);
	}
}

/* After the switch: the old tables' pages writable, through the new L1s. */
static void bt_release_old(const uint64_t *pde, uint32_t old_pgd,
			   uint32_t old_count, uint32_t map_end)
{
	uint32_t page = old_pgd;
	const uint64_t *pte = (const uint64_t *)m2v(pde[PL2_PI(page)]) +
			      PL1_PI(page);

	xpq_mmuext(MMUEXT_UNPIN_TABLE, va_mfn(old_pgd), "unpin old PGD");
	for (; page < old_pgd + old_count * PAGE_SIZE; page += PAGE_SIZE, pte++)
		xpq_queue_pte_update(virt_to_machine(pte), page < map_end ?
				     *pte | PG_RW : 0);
	xpq_flush_queue();
}

static void xen_bootstrap_tables(uint32_t old_pgd, uint32_t new_pgd,
				 uint32_t old_count, uint32_t new_count,
				 bool final)
{
	uint32_t map_end = new_pgd + (new_count + L2_4_COUNT) * PAGE_SIZE;
	uint64_t *pdtpe = (uint64_t *)new_pgd;
	uint64_t *pde = (uint64_t *)(new_pgd + PAGE_SIZE);
	uint32_t pde_pfn = HB_PA(pde) >> 12, i;

	if (final) {
		map_end += (UPAGES + 1) * PAGE_SIZE;
		hyp_shared_va = map_end;
		map_end += 2 * PAGE_SIZE;	/* and early_zerop */
		atdevbase = map_end;
		map_end += IOM_SIZE;		/* a Dom0: the ISA memory */
	}
	memset(pdtpe, 0, PAGE_SIZE);
	memset(pde, 0, 5 * PAGE_SIZE);
	for (i = 0; i < 3; i++)			/* Xen adds RW itself */
		pdtpe[i] = pfn_pte(pde_pfn + i, PG_V);
	pdtpe[3] = pfn_pte(pde_pfn + 4, PG_V);
	bt_fill_l1s(pde, new_pgd + L2_4_COUNT * PAGE_SIZE, map_end, old_pgd,
		    old_count, new_pgd, new_count, final);
	memcpy(&pde[L2_SLOT_KERN + NPDPG], &pde[L2_SLOT_KERN], PAGE_SIZE);
	for (i = 0; i < 3; i++)			/* recursive, read-only */
		pde[PDIR_SLOT_PTE + i] = pfn_pte(pde_pfn + i, PG_V | nx);
	for (i = 0; i < 5; i++)
		xen_bt_set_readonly((uint32_t)pde + i * PAGE_SIZE);
	if (final)
		xpq_mmuext(MMUEXT_PIN_L2_TABLE, va_mfn((uint32_t)pde +
			   3 * PAGE_SIZE), "pin shadow L2");
	xen_bt_set_readonly(new_pgd);
	xpq_mmuext(MMUEXT_PIN_L3_TABLE, va_mfn(new_pgd), "pin L3");
	xpq_mmuext(MMUEXT_NEW_BASEPTR, va_mfn(new_pgd), "pt_switch");
	if (final) {
		/* The shadow's recursive slot, only once off the old L3. */
		xpq_queue_pte_update(virt_to_machine(&pde[PDIR_SLOT_PTE + 3]),
				     pfn_pte(pde_pfn + 3, PG_V));
		xpq_flush_queue();
		final_pde = pde;
		final_l3 = va_mfn(new_pgd);
	}
	bt_release_old(pde, old_pgd, old_count, map_end);
}

static void xen_locore(void)
{
	struct xen_feature_info fi = { 0, 0 };
	uint32_t init_tables = si->pt_base, bootstrap, mapsize, count, old;

	HB_CHECK(HYPERVISOR_xen_version(XENVER_get_features, &fi) == 0);
	bootstrap = si->pt_base + si->nr_pt_frames * PAGE_SIZE;
	/* UAREA, the dummy page, shared_info, early_zerop, the ISA memory. */
	mapsize = init_tables - KERNTEXTOFF + UPAGES * PAGE_SIZE + 2 * PAGE_SIZE +
		  IOM_SIZE;
	count = (mapsize + NBPD_L2 - 1) >> L2_SHIFT;
	while (mapsize + (count + L2_4_COUNT) * PAGE_SIZE + KERNTEXTOFF >
	       (count << L2_SHIFT) + KERNBASE)
		count++;
	count++;				/* for pmap_bootstrap */
	for (old = count;; old++) {
		if (bootstrap < init_tables + (count + L2_4_COUNT) * PAGE_SIZE)
			bootstrap = init_tables +
				    (count + L2_4_COUNT) * PAGE_SIZE;
		if (bootstrap + (old + L2_4_COUNT) * PAGE_SIZE <=
		    (old << L2_SHIFT) + KERNBASE)
			break;
	}
	xen_bootstrap_tables(si->pt_base, bootstrap, si->nr_pt_frames, old,
			     false);
	xen_bootstrap_tables(bootstrap, init_tables, old + L2_4_COUNT, count,
			     true);
	first_avail = init_tables + (count + L2_4_COUNT) * PAGE_SIZE;
	memset((void *)first_avail, 0, (UPAGES + 1) * PAGE_SIZE);
	xpq_mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0, "tlbflush");
	hb_printf("netbsd_like: bootstrap tables: %u L1s at 0x%x, then %u at "
		  "0x%x (the builder's %u frames); L3 0x%x\n", old, bootstrap,
		  count, init_tables, si->nr_pt_frames, final_l3);
}

/* ---- 3. What the final tables give ---- */

static void check_tables(void)
{
	const volatile uint64_t *vtopte =
		(const volatile uint64_t *)(PTE_BASE + (KERNTEXTOFF >> 12) * 8);
	const volatile uint64_t *pdp = (const volatile uint64_t *)PDP_BASE;
	volatile uint32_t *uarea = (volatile uint32_t *)first_avail;

	/* The PTE of KERNTEXTOFF through slot 1535 (the pinned shadow). */
	HB_CHECK(*vtopte == pfn_pte(HB_PA(KERNTEXTOFF) >> 12, PG_V));
	/* The four L2 pages as one array, through slot 1534's self link. */
	HB_CHECK(pdp[L2_SLOT_KERN] == final_pde[L2_SLOT_KERN]);
	HB_CHECK(pdp[PDIR_SLOT_PTE] == final_pde[PDIR_SLOT_PTE]);
	shared = (volatile struct shared_info *)hyp_shared_va;
	HB_CHECK(shared->vcpu_info[0].evtchn_upcall_mask == 1);
	HB_CHECK(*(volatile uint8_t *)(atdevbase + 0xffff0 - IOM_BEGIN) ==
		 0xea);
	uarea[5] = 0x0b5d;			/* the temporary tables */
	HB_CHECK(uarea[5] == 0x0b5d);
	hb_printf("netbsd_like: PTE_BASE and PDP windows, shared_info at "
		  "0x%x, ISA memory at 0x%x\n", hyp_shared_va, atdevbase);
}

/* ---- 4. init386: EFER, the GDT again, callbacks, the LDT, traps ---- */

#define MSR_EFER		0xc0000080u
#define EFER_NXE		(1u << 11)

static void cpu_init_msrs(void)
{
	uint32_t lo, hi;

	if (!nx)
		return;
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_EFER));
	asm volatile("wrmsr" : : "a"(lo | EFER_NXE), "d"(hi), "c"(MSR_EFER));
}

/* The L1 entry that maps va in the final tables, as pmap_pte_testset. */
static uint64_t kpte_maddr(uint32_t va)
{
	const uint64_t *l1 = m2v(final_pde[PL2_PI(va)]);

	return virt_to_machine(&l1[PL1_PI(va)]);
}

static void set_ldt(void)
{
	uint64_t code = setsegment(0, 0xbf7ff, SDT_MEMERA, 3, 1, 1);
	uint64_t data = setsegment(0, 0xfffff, SDT_MEMRWA, 3, 1, 1);
	struct mmuext_op op = { MMUEXT_SET_LDT, (uint32_t)ldt_page, NLDT };
	uint32_t v;

	ldt_page[3] = code;			/* copied from the GDT */
	ldt_page[4] = data;
	ldt_page[6] = setsegment(0, 0xfffff, SDT_MEMERA, 3, 1, 1);
	xpq_queue_pte_update(kpte_maddr((uint32_t)ldt_page),
			     pfn_pte(HB_PA(ldt_page) >> 12, PG_V | nx));
	xpq_flush_queue();
	xpq_flush_queue();			/* xen_set_ldt's, empty */
	if (HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF) < 0)
		hb_bug("xen_set_ldt", 0);
	asm volatile("movl %1, %%es; movl %%es:(%2), %0; movl %3, %%es"
		     : "=r"(v) : "r"((4 << 3) | 4 | 3), "r"(cpu_info_primary),
		       "r"(KDATA));
	HB_CHECK(v == (uint32_t)cpu_info_primary);
}

static struct trap_info xen_idt[40];

static void set_traps(void)
{
	unsigned int v, n = 0;

	for (v = 0; v < 32; v++) {
		xen_idt[n].vector = (uint8_t)v;
		xen_idt[n].flags = (v == 2 || v == 18) ? 4 :
				   (v == 3 || v == 4) ? 3 : 0;
		xen_idt[n].cs = KCODE;
		xen_idt[n].address = v == 13 ? (uint32_t)nb_entry_gp :
				     v == 14 ? (uint32_t)nb_entry_pf :
				     v == 3 ? (uint32_t)nb_entry_bp :
				     (uint32_t)nb_entry_other;
		n++;
	}
	xen_idt[n++] = (struct trap_info){ 0x80, 3, KCODE,
					   (uint32_t)nb_entry_other };
	xen_idt[n] = (struct trap_info){ 0, 0, 0, 0 };
	if (HYPERVISOR_set_trap_table(xen_idt))
		hb_bug("HYPERVISOR_set_trap_table", 0);
	asm volatile("int3" ::: "memory");
	HB_CHECK(nb_bp_hits == 1 && nb_bp_cs == KCODE);
}

static void init386(void)
{
	cpu_init_msrs();
	/* The page after the UAREA: until pass 2, a temporary table. */
	dummy_gdt = (uint64_t *)(first_avail + UPAGES * PAGE_SIZE);
	memset(dummy_gdt, 0, PAGE_SIZE);
	initgdt(dummy_gdt, nx);
	/* The first GDT page is a plain page again. */
	if (HYPERVISOR_update_va_mapping((uint32_t)tmpgdt,
					 pfn_pte(HB_PA(tmpgdt) >> 12,
						 PG_V | PG_RW | nx),
					 UVMF_INVLPG) < 0)
		hb_bug("tmpgdt page relaim RW update failed.", 0);
	tmpgdt[1] = 0x600d;
	HB_CHECK(hypercall(__HYPERVISOR_set_callbacks, KCODE,
			   (uint32_t)nb_hypervisor_callback, KCODE,
			   (uint32_t)nb_failsafe_callback, 0) == 0);
	set_ldt();
	set_traps();
}

/* ---- 5. Events unmasked, the banner ---- */

static void events_and_banner(void)
{
	static const char banner[] = "netbsd_like: Copyright (c) 1996-2024 "
				     "The NetBSD Foundation, Inc.\n";
	volatile uint32_t *mask = shared->evtchn_mask;
	unsigned int i;

	for (i = 0; i < 1024; i++)
		asm volatile("lock btsl %1, %0" : "+m"(mask[i / 32])
			     : "r"(i % 32) : "memory");
	shared->vcpu_info[0].evtchn_upcall_mask = 0;
	if (shared->vcpu_info[0].evtchn_upcall_pending)
		HYPERVISOR_xen_version(0, NULL);	/* force the upcall */
	for (i = 0; banner[i]; i++)
		HYPERVISOR_console_io(CONSOLEIO_write, 1, &banner[i]);
}

/* ---- 6. gdt_init, the FPU and stack, CR4, the clock ---- */

#define GDT_PAGES		14

/* pmap_kenter_pa at va = pa + KERNBASE past map_end, through the queue. */
static void *kenter(uint32_t va, uint64_t prot)
{
	if (!(final_pde[PL2_PI(va)] & PG_V))
		hb_bug("no L1 past map_end", (long)va);
	xpq_queue_pte_update(kpte_maddr(va),
			     pfn_pte(HB_PA(va) >> 12, PG_V | prot));
	return (void *)va;
}

static uint32_t next_va;			/* pages past map_end */

static uint64_t *alloc_page(void)
{
	uint64_t *p = kenter(next_va, PG_RW | nx);

	xpq_flush_queue();
	next_va += PAGE_SIZE;
	memset(p, 0, PAGE_SIZE);
	return p;
}

static void gdt_init(void)
{
	uint32_t frames[GDT_PAGES], cs, v, i;
	uint64_t *gdt[GDT_PAGES], desc;

	for (i = 0; i < GDT_PAGES; i++) {
		gdt[i] = alloc_page();
		frames[i] = va_mfn((uint32_t)gdt[i]);
	}
	memcpy(gdt[0], dummy_gdt, NGDT * 8);
	for (i = 0; i < GDT_PAGES; i++)
		HB_OK(HYPERVISOR_update_va_mapping((uint32_t)gdt[i],
				pfn_pte(HB_PA(gdt[i]) >> 12, PG_V | nx), 0));
	if (hypercall(__HYPERVISOR_set_gdt, (uint32_t)frames,
		      GDT_PAGES * 512, 0, 0, 0))
		hb_bug("HYPERVISOR_set_gdt failed!", 0);
	nb_lgdt_finish();
	asm volatile("movl %%cs, %0" : "=r"(cs));
	HB_CHECK((cs & 0xffff) == KCODE);
	/* A thread's %gs: update_descriptor into the live GDT. */
	desc = setsegment((uint32_t)&cpu_info_primary[8], 0xfffff, SDT_MEMRWA,
			  3, 1, 1);
	cpu_info_primary[8] = 0x65ba5e;
	HB_OK(hypercall(__HYPERVISOR_update_descriptor,
			(frames[0] << 12) + GUGS_SEL * 8, 0, (uint32_t)desc,
			(uint32_t)(desc >> 32), 0));
	asm volatile("movl %1, %%gs; movl %%gs:0, %0; movl %2, %%gs"
		     : "=r"(v) : "r"((GUGS_SEL << 3) | 3), "r"(KDATA));
	HB_CHECK(v == 0x65ba5e);
}

static uint64_t nb_system_time(void)
{
	volatile struct vcpu_time_info *t = &shared->vcpu_info[0].time;
	uint32_t ver, lo, hi;
	uint64_t ns, delta;

	do {
		ver = t->version;
		asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
		delta = (((uint64_t)hi << 32) | lo) - t->tsc_timestamp;
		if (t->tsc_shift < 0)
			delta >>= -t->tsc_shift;
		else
			delta <<= t->tsc_shift;
		ns = t->system_time + (delta >> 32) * t->tsc_to_system_mul +
		     (((delta & 0xffffffffu) * t->tsc_to_system_mul) >> 32);
	} while ((ver & 1) || ver != t->version);
	return ns;
}

/* cpu_get_tsc_freq: wait for the next time snapshot (bounded here). */
static void wait_time_update(void)
{
	uint32_t ver = shared->vcpu_info[0].time.version;
	uint64_t end = nb_system_time() + 10000000000ull;

	while (shared->vcpu_info[0].time.version == ver &&
	       nb_system_time() < end)
		;
	HB_CHECK(shared->vcpu_info[0].time.version != ver);
}

/*
 * hypervisor_unmask_event: clear the mask bit; a port that became pending
 * while masked raised no upcall, so raise it here (selector, pending flag,
 * and, with events enabled, the upcall forced by a hypercall).
 */
static void hypervisor_unmask_event(evtchn_port_t port)
{
	volatile struct vcpu_info *vi = &shared->vcpu_info[0];
	uint32_t bit = 1u << (port % 32);

	__atomic_and_fetch(&shared->evtchn_mask[port / 32], ~bit,
			   __ATOMIC_SEQ_CST);
	if (!(shared->evtchn_pending[port / 32] & bit))
		return;
	__atomic_or_fetch(&vi->evtchn_pending_sel, 1u << (port / 32),
			  __ATOMIC_SEQ_CST);
	vi->evtchn_upcall_pending = 1;
	if (!vi->evtchn_upcall_mask)
		HYPERVISOR_xen_version(0, NULL);
}

static void cpu_and_clock(void)
{
	struct evtchn_bind_virq bind = { VIRQ_TIMER, 0, 0 };
	uint32_t cr4;
	unsigned int tries;

	HB_CHECK(hypercall(__HYPERVISOR_fpu_taskswitch, 1, 0, 0, 0, 0) == 0);
	HB_CHECK(HYPERVISOR_stack_switch(KDATA, first_avail +
					 UPAGES * PAGE_SIZE - 16) == 0);
	HB_CHECK(HYPERVISOR_set_iopl(1) == 0);
	asm volatile("movl %%cr4, %0" : "=r"(cr4));
	asm volatile("movl %0, %%cr4" : : "r"(cr4 | 0x600));
	wait_time_update();
	HB_OK(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bind));
	timer_port = bind.port;
	HB_CHECK(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL) == 0);
	hypervisor_unmask_event(timer_port);
	HB_CHECK(HYPERVISOR_set_timer_op(nb_system_time() + 10000000) == 0);
	for (tries = 0; !nb_events && tries < 100; tries++)
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
	HB_CHECK(nb_events >= 1);
}

/* ---- 7. A process's pmap loaded into the per-CPU L3 ---- */

/* pmap_pdp_ctor: four L2 pages, read-only, pinned, the linked one last. */
static void pdp_ctor(uint64_t *pdir[4])
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		pdir[i] = alloc_page();
	memcpy(pdir[3], &final_pde[L2_SLOT_KERN], PAGE_SIZE);
	for (i = 0; i < 4; i++)
		pdir[2][PDIR_SLOT_PTE - 1024 + i] =
			pfn_pte(HB_PA(pdir[i]) >> 12, PG_V | nx);
	for (i = 0; i < 4; i++)
		xpq_queue_pte_update(kpte_maddr((uint32_t)pdir[i]),
				     pfn_pte(HB_PA(pdir[i]) >> 12, PG_V | nx));
	xpq_flush_queue();
	for (i = 0; i < 4; i++)
		if (i != 2)
			xpq_mmuext(MMUEXT_PIN_L2_TABLE,
				   va_mfn((uint32_t)pdir[i]), "pin pdir");
	xpq_mmuext(MMUEXT_PIN_L2_TABLE, va_mfn((uint32_t)pdir[2]),
		   "pin pdir with the recursive slots");
}

/* pmap_load: the per-CPU L3's user slots rewritten in place. */
static void load_l3(uint64_t *const pdir[3])
{
	uint64_t l3 = (uint64_t)final_l3 << 12;
	unsigned int i;

	for (i = 0; i < 3; i++)
		xpq_queue_pte_update(l3 + i * 8,
				     pfn_pte(HB_PA(pdir[i]) >> 12, PG_V));
	xpq_mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0, "tlbflush");
}

static void process(void)
{
	uint64_t *pdir[4], *kern[3];
	const volatile uint64_t *pdp = (const volatile uint64_t *)PDP_BASE;
	const volatile uint64_t *vtopte =
		(const volatile uint64_t *)(PTE_BASE + (KERNTEXTOFF >> 12) * 8);
	unsigned int i;

	pdp_ctor(pdir);
	for (i = 0; i < 3; i++)
		kern[i] = &final_pde[i * NPDPG];
	load_l3(pdir);
	/* The windows now show the process's pages; the kernel runs on. */
	HB_CHECK(pdp[PDIR_SLOT_PTE] == pdir[2][PDIR_SLOT_PTE - 1024]);
	HB_CHECK(pdp[L2_SLOT_KERN] == pdir[3][0]);
	HB_CHECK(*vtopte == pfn_pte(HB_PA(KERNTEXTOFF) >> 12, PG_V));
	load_l3(kern);
	HB_CHECK(pdp[PDIR_SLOT_PTE] == final_pde[PDIR_SLOT_PTE]);
	/* pmap_pdp_dtor: unpinned, writable again. */
	for (i = 0; i < 4; i++)
		xpq_mmuext(MMUEXT_UNPIN_TABLE, va_mfn((uint32_t)pdir[i]),
			   "unpin pdir");
	for (i = 0; i < 4; i++)
		xpq_queue_pte_update(kpte_maddr((uint32_t)pdir[i]),
				     pfn_pte(HB_PA(pdir[i]) >> 12,
					     PG_V | PG_RW | nx));
	xpq_flush_queue();
	pdir[2][0] = 1;
	hb_printf("netbsd_like: a process's PAE pmap loaded into the L3 and "
		  "left; its pages writable again\n");
}

void nb_main(void)
{
	si = (struct start_info *)nb_start_info;
	cpu_info_primary[0] = (uint32_t)cpu_info_primary;
	hb_p2m_init(si, 1);
	hb_detect_nx(false);		/* xen_locore's plain cpuid */
	HB_CHECK(si->flags & SIF_INITDOMAIN);
	initgdt(tmpgdt, 0);
	xen_locore();
	check_tables();
	next_va = atdevbase + IOM_SIZE;
	init386();
	events_and_banner();
	gdt_init();
	cpu_and_clock();
	process();
	hb_finish();
}
