/*
 * test_linux_like_mem.c - the memory half of test_linux_like (see
 * test_linux_like.c for the whole): Linux's xen_memory_setup on the
 * machine E820 (the ISA hole's pfns remapped above nr_pages, or released
 * when no RAM is left there, a path Xylem's layout never takes, and
 * mapped 1:1 onto the machine's frames),
 * init_mem_mapping's rewrite of those entries, xen_remap_memory's M2P
 * updates and mappings, and acpi_find_root_pointer's reads of the BIOS
 * area and of the RSDT in E820-reserved memory.
 */
#include "linux_like.h"

/* ---- 7. xen_memory_setup: the E820, identity and remap ---- */

#define REMAP_SIZE		(P2M_PER_PAGE - 3)
#define E820_RAM		1
#define PFN_DOWN(x)		((uint32_t)((x) >> 12))
#define PFN_UP(x)		((uint32_t)(((x) + PAGE_SIZE - 1) >> 12))

static struct e820entry lx_e820[128];
static unsigned int lx_e820_nr;
static uint32_t lx_released, lx_remapped, lx_isa_mapped;
static uint32_t lx_first_target = INVALID_P2M, lx_first_mfn;
static uint32_t xen_remap_mfn = INVALID_P2M;	/* the areas' list */

/* setup.c's remap record, one page, kept in the frames being remapped. */
static struct xen_remap_buf {
	uint32_t next_area_mfn, target_pfn, size;
	uint32_t mfns[REMAP_SIZE];
} xen_remap_buf __attribute__((aligned(4096)));
#define REMAP_BUF	((volatile struct xen_remap_buf *)&xen_remap_buf)

static void set_phys_range_identity(uint32_t s, uint32_t e)
{
	for (; s < e && s < p2m_size; s++)
		p2m[s] = s | IDENTITY_FRAME_BIT;
}

static uint32_t xen_find_pfn_range(uint32_t *min_pfn)
{
	unsigned int i;

	for (i = 0; i < lx_e820_nr; i++) {
		const struct e820entry *e = &lx_e820[i];
		uint32_t s_pfn, e_pfn;

		if (e->type != E820_RAM)
			continue;
		e_pfn = PFN_DOWN(e->addr + e->size);
		if (e_pfn <= *min_pfn)
			continue;
		s_pfn = PFN_UP(e->addr);
		if (s_pfn <= *min_pfn)
			return e_pfn - *min_pfn;
		*min_pfn = s_pfn;
		return e_pfn - s_pfn;
	}
	return 0;
}

/* The fallback: give the frames back (decrease_reservation, one each). */
static void xen_set_identity_and_release_chunk(uint32_t start, uint32_t end)
{
	uint32_t pfn, mfn;
	struct xen_memory_reservation r = { (uint32_t)&mfn, 1, 0, 0,
					    DOMID_SELF };

	for (pfn = start; pfn < end && pfn < nr_pages; pfn++) {
		mfn = hb_pfn_to_mfn(pfn);
		if (mfn == INVALID_P2M || M2P[mfn] != pfn)
			continue;
		HB_CHECK(HYPERVISOR_memory_op(XENMEM_decrease_reservation,
					      &r) == 1);
		hb_set_p2m(pfn, INVALID_P2M);
		lx_released++;
	}
	set_phys_range_identity(start, end);
}

static void xen_do_set_identity_and_remap_chunk(uint32_t start, uint32_t size,
						uint32_t remap_pfn)
{
	uint32_t mfn_save = virt_to_mfn(&xen_remap_buf), left = size;
	uint32_t ident = start, remap = remap_pfn, chunk, i, mfn;

	if (lx_first_target == INVALID_P2M) {
		lx_first_target = remap_pfn;
		lx_first_mfn = hb_pfn_to_mfn(start);
	}
	for (; ident < start + size; ident += REMAP_SIZE, remap += REMAP_SIZE) {
		chunk = left < REMAP_SIZE ? left : REMAP_SIZE;
		mfn = hb_pfn_to_mfn(ident);
		set_pte_mfn(swapper_pg_dir, &xen_remap_buf, mfn, PAGE_KERNEL);
		REMAP_BUF->next_area_mfn = xen_remap_mfn;
		REMAP_BUF->target_pfn = remap;
		REMAP_BUF->size = chunk;
		for (i = 0; i < chunk; i++)
			REMAP_BUF->mfns[i] = hb_pfn_to_mfn(ident + i);
		xen_remap_mfn = mfn;
		set_phys_range_identity(ident, ident + chunk);
		left -= chunk;
	}
	set_pte_mfn(swapper_pg_dir, &xen_remap_buf, mfn_save, PAGE_KERNEL);
}

static uint32_t xen_set_identity_and_remap_chunk(uint32_t start, uint32_t end,
						 uint32_t remap_pfn)
{
	uint32_t i = 0, n = end - start, pfn;

	if (!remap_pfn)
		remap_pfn = nr_pages;
	while (i < n) {
		uint32_t cur = start + i, left = n - i, size = left, range;

		if (cur >= nr_pages) {
			set_phys_range_identity(cur, cur + size);
			break;
		}
		if (cur + size > nr_pages)
			size = nr_pages - cur;
		range = xen_find_pfn_range(&remap_pfn);
		if (!range) {
			hb_printf("linux_like: Unable to find available pfn "
				  "range, not remapping identity pages\n");
			xen_set_identity_and_release_chunk(cur, cur + left);
			break;
		}
		if (size > range)
			size = range;
		xen_do_set_identity_and_remap_chunk(cur, size, remap_pfn);
		i += size;
		remap_pfn += size;
	}
	/* Mapped pfns become 1:1 mappings of the machine frames. */
	for (pfn = start; pfn <= max_pfn_mapped && pfn < end; pfn++) {
		HB_CHECK(HYPERVISOR_update_va_mapping(HB_VA(pfn << 12),
				((uint64_t)pfn << 12) | PAGE_KERNEL, 0) == 0);
		lx_isa_mapped++;
	}
	return remap_pfn;
}

/* xen_foreach_remap_area: every non-RAM stretch, rounded out to pages. */
static void xen_foreach_remap_area(void)
{
	uint64_t start = 0;
	uint32_t last = 0;
	unsigned int i;

	for (i = 0; i < lx_e820_nr; i++) {
		const struct e820entry *e = &lx_e820[i];
		uint64_t end = e->addr + e->size;

		if (e->type == E820_RAM || i == lx_e820_nr - 1) {
			uint32_t s_pfn = PFN_DOWN(start), e_pfn = PFN_UP(end);

			if (e->type == E820_RAM)
				e_pfn = PFN_UP(e->addr);
			if (s_pfn < e_pfn)
				last = xen_set_identity_and_remap_chunk(s_pfn,
								e_pfn, last);
			start = end;
		}
	}
}

void lx_memory_setup(void)
{
	struct xen_memory_map map = { 128, (uint32_t)lx_e820 };
	domid_t self = DOMID_SELF;
	long max;
	unsigned int i;

	HB_OK(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map));
	if (map.nr_entries == 0)
		hb_bug("empty machine memory map", 0);
	lx_e820_nr = map.nr_entries;
	for (i = 1; i < lx_e820_nr; i++)	/* Linux sorts; QEMU's is */
		HB_CHECK(lx_e820[i].addr >= lx_e820[i - 1].addr);
	max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
	HB_CHECK(max != 0);
	xen_foreach_remap_area();
	hb_printf("linux_like: machine E820 of %u entries, maximum_reservation "
		  "%ld; ISA hole: %u pfns mapped 1:1, %u released\n",
		  lx_e820_nr, max, lx_isa_mapped, lx_released);
	/* The 1:1 map reaches the machine's BIOS: SeaBIOS's reset jump. */
	HB_CHECK(*(volatile uint8_t *)HB_VA(0xffff0) == 0xea);
}

/* ---- 7b. init_mem_mapping's passes and xen_remap_memory ---- */

#define LX_LOWMEM_PFNS		0x2e000u	/* 736 MiB below PAGE_OFFSET */

/* The direct map as init_mem_mapping leaves it: L1s for every lowmem
 * 2 MiB (new ones read-only and pinned), entries by mmu_update. */
static void lx_init_mem_mapping(uint32_t first, uint32_t end)
{
	uint32_t pfn;

	for (pfn = first; pfn < end && pfn < LX_LOWMEM_PFNS; pfn++) {
		uint32_t va = HB_VA(pfn << 12);

		if (!(swapper_kernel_pmd[(va >> 21) & 511] & _PAGE_PRESENT))
			lx_populate_pmd(va, extend_brk());
		HB_CHECK(mmu_update1(pte_maddr(swapper_pg_dir, va) |
				     MMU_NORMAL_PT_UPDATE,
				     pfn_pte(pfn, PAGE_KERNEL | nx)) == 0);
	}
}

static void xen_remap_memory(void)
{
	uint32_t mfn_save = virt_to_mfn(&xen_remap_buf), pfn, i, mfn;

	while (xen_remap_mfn != INVALID_P2M) {
		set_pte_mfn(swapper_pg_dir, &xen_remap_buf, xen_remap_mfn,
			    PAGE_KERNEL);
		if (REMAP_BUF->mfns[0] != xen_remap_mfn)
			hb_bug("remap buffer does not name its own frame",
			       (long)REMAP_BUF->mfns[0]);
		pfn = REMAP_BUF->target_pfn;
		lx_init_mem_mapping(pfn, pfn + REMAP_BUF->size);
		for (i = 0; i < REMAP_BUF->size; i++, pfn++) {
			mfn = REMAP_BUF->mfns[i];
			hb_set_p2m(pfn, mfn);
			HB_OK(mmu_update1(((uint64_t)mfn << 12) |
					  MMU_MACHPHYS_UPDATE, pfn));
			if (pfn < LX_LOWMEM_PFNS)
				HB_OK(HYPERVISOR_update_va_mapping(
					HB_VA(pfn << 12),
					((uint64_t)mfn << 12) | PAGE_KERNEL | nx,
					0));
			lx_remapped++;
		}
		xen_remap_mfn = REMAP_BUF->next_area_mfn;
	}
	set_pte_mfn(swapper_pg_dir, &xen_remap_buf, mfn_save, PAGE_KERNEL);
}

void lx_remap(void)
{
	uint32_t old_mfn, target;

	/* The 1:1 ISA hole, mapped again with NX (init_mem_mapping). */
	lx_init_mem_mapping(0x9f, 0x100);
	if (xen_remap_mfn == INVALID_P2M) {
		HB_CHECK(lx_released > 0);
		return;
	}
	old_mfn = lx_first_mfn;
	target = lx_first_target;
	xen_remap_memory();
	/* Sizes read back through the remap frames' own mappings. */
	HB_CHECK(lx_remapped == 0x100 - 0x9f);
	HB_CHECK(M2P[old_mfn] == target);
	/* The frame that was pfn 0x9f, with the header written into it. */
	if (target < LX_LOWMEM_PFNS)
		HB_CHECK(((volatile uint32_t *)HB_VA(target << 12))[1] ==
			 target);
	hb_printf("linux_like: %u pfns of the ISA hole remapped to pfn 0x%x "
		  "up (MACHPHYS updates, mappings)\n", lx_remapped, target);
}

/* ---- 7c. ACPI, as a Dom0 with ACPI finds its tables ---- */

/* early_memremap of a machine address past the p2m: a 1:1 fixmap entry. */
static const volatile uint8_t *lx_early_memremap(uint32_t phys, uint32_t slot)
{
	uint32_t va = FIXADDR_TOP - slot * PAGE_SIZE;

	HB_CHECK(mmu_update1(pte_maddr(swapper_pg_dir, va) |
			     MMU_NORMAL_PT_UPDATE,
			     (phys & ~0xfffu) | PAGE_KERNEL_RO | nx) == 0);
	HB_CHECK(mmuext1(MMUEXT_INVLPG_LOCAL, va) == 0);
	return (const volatile uint8_t *)(va + (phys & 0xfff));
}

static bool lx_checksum_ok(const volatile uint8_t *p, uint32_t n)
{
	uint8_t sum = 0;

	while (n--)
		sum += *p++;
	return sum == 0;
}

/*
 * acpi_find_root_pointer: "RSD PTR " on a 16-byte boundary of the BIOS
 * area (the 1:1 ISA mapping), then the RSDT it names, in memory the E820
 * reserves (QEMU puts it at the top of RAM): a machine frame no domain owns.
 */
void lx_acpi(void)
{
	const volatile uint8_t *p = (const volatile uint8_t *)HB_VA(0xe0000);
	const volatile uint8_t *rsdt;
	uint32_t rsdt_pa;

	for (; p < (const volatile uint8_t *)HB_VA(0x100000); p += 16)
		if (!memcmp((const void *)p, "RSD PTR ", 8) &&
		    lx_checksum_ok(p, 20))
			break;
	if (p == (const volatile uint8_t *)HB_VA(0x100000)) {
		HB_CHECK(!"an RSDP in the BIOS area");
		return;
	}
	rsdt_pa = *(const volatile uint32_t *)(p + 16);
	HB_CHECK(PFN_DOWN(rsdt_pa) >= nr_pages);
	rsdt = lx_early_memremap(rsdt_pa, 1);
	HB_CHECK(!memcmp((const void *)rsdt, "RSDT", 4));
	hb_printf("linux_like: ACPI RSDP at 0x%x, RSDT at 0x%x read through "
		  "a fixmap\n", HB_PA(p), rsdt_pa);
}

