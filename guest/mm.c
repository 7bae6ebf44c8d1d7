/*
 * mm.c - memory management for a Xylem PV kernel.  See mm.h.
 *
 * Page tables are never written directly: an entry changes through
 * update_va_mapping (window slots) or mmu_update (any table), and a frame
 * about to become a table is filled through a writable window slot that is
 * unmapped again before the frame is pinned, because the hypervisor
 * refuses to type a frame that is still mapped writable.  Tables are read
 * through read-only window slots, which the hypervisor allows.
 */
#include "mm.h"
#include "guest.h"
#include "hypercall.h"
#include "lib.h"
#include <public/errno.h>
#include <public/memory.h>

#define L3_SLOTS		4u
#define L2_ENTRIES		512u
#define HYP_FIRST_L2_SLOT	428u	/* top L2: 0xF5800000 and up */
#define ENTRY_FLAGS		0xfffull

/* Library window slots, above the callers' ones. */
#define SLOT_READ		511u	/* reading a table */
#define SLOT_COPY_SRC		510u
#define SLOT_FILL		509u	/* filling a frame about to be a table */
#define SLOT_SHARED_INFO	508u

#define FREE_STACK		256u

static uint8_t window_l1[MM_PAGE_SIZE] __attribute__((aligned(4096)));
static uint64_t table_buf[L2_ENTRIES];	/* one table being built */

static bool initialised;
static uint32_t *p2m;
static uint32_t nr_pages, max_ram_page;
static uint32_t cur_l3_mfn, window_l1_mfn;
static uint32_t boot_end_pfn;		/* first pfn past the boot region */
static uint32_t alloc_next;		/* next pfn from the top is alloc_next-1 */
static uint32_t free_pfns[FREE_STACK], nr_free_pfns;

uint32_t pfn_to_mfn(uint32_t pfn)
{
	return pfn < nr_pages ? p2m[pfn] : MM_INVALID_MFN;
}

void mm_set_p2m(uint32_t pfn, uint32_t mfn)
{
	if (pfn < nr_pages)
		p2m[pfn] = mfn;
}

uint32_t mfn_to_pfn(uint32_t mfn)
{
	const volatile uint32_t *m2p = (const uint32_t *)MACH2PHYS_VIRT_START;

	if (mfn > max_ram_page || mfn >= MACH2PHYS_NR_ENTRIES)
		return MM_INVALID_PFN;
	return m2p[mfn];
}

uint32_t mm_window_va(unsigned int slot)
{
	return MM_WINDOW_BASE + slot * MM_PAGE_SIZE;
}

uint64_t mm_window_entry(unsigned int slot)
{
	const volatile uint64_t *l1 = (const uint64_t *)window_l1;

	return slot < L2_ENTRIES ? l1[slot] : 0;
}

uint32_t virt_to_mfn(uint32_t va)
{
	if (va >= MM_WINDOW_BASE && va < MM_WINDOW_BASE + L2_ENTRIES * MM_PAGE_SIZE) {
		uint64_t e = mm_window_entry((va - MM_WINDOW_BASE) / MM_PAGE_SIZE);

		return (e & _PAGE_PRESENT) ? mm_entry_mfn(e) : MM_INVALID_MFN;
	}
	if (va / MM_PAGE_SIZE < boot_end_pfn)
		return pfn_to_mfn(va / MM_PAGE_SIZE);
	return MM_INVALID_MFN;
}

uint32_t mm_nr_pages(void)
{
	return nr_pages;
}

uint32_t mm_max_ram_page(void)
{
	return max_ram_page;
}

uint32_t mm_boot_region_end(void)
{
	return boot_end_pfn * MM_PAGE_SIZE;
}

uint32_t mm_someone_elses_frame(void)
{
	uint32_t mfn, pfn;

	for (mfn = 0x100; mfn < max_ram_page; mfn++) {
		pfn = mfn_to_pfn(mfn);
		if (pfn != MM_INVALID_PFN && pfn_to_mfn(pfn) != mfn)
			return mfn;
	}
	return 0;
}

static bool frame_is_ours(uint32_t mfn)
{
	uint32_t pfn;

	for (pfn = 0; pfn < nr_pages; pfn++)
		if (pfn_to_mfn(pfn) == mfn)
			return true;
	return false;
}

uint32_t mm_frame_not_ours(void)
{
	uint32_t mfn;

	for (mfn = max_ram_page; mfn > 0x1000; mfn--)
		if (!frame_is_ours(mfn))
			return mfn;
	return MM_INVALID_MFN;
}

uint32_t mm_current_l3(void)
{
	return cur_l3_mfn;
}

static int map_slot(unsigned int slot, uint32_t mfn, bool writable)
{
	uint64_t e = mm_make_entry(mfn, writable ? MM_PTE_RW : MM_PTE_RO);

	return (int)HYPERVISOR_update_va_mapping(mm_window_va(slot), e, UVMF_INVLPG);
}

static int unmap_slot(unsigned int slot)
{
	return (int)HYPERVISOR_update_va_mapping(mm_window_va(slot), 0, UVMF_INVLPG);
}

int mm_map_mfn(unsigned int slot, uint32_t mfn, bool writable)
{
	if (slot >= MM_WINDOW_USER_SLOTS)
		return -XEN_EINVAL;
	return map_slot(slot, mfn, writable);
}

int mm_map_pfn(unsigned int slot, uint32_t pfn, bool writable)
{
	uint32_t mfn = pfn_to_mfn(pfn);

	if (mfn == MM_INVALID_MFN)
		return -XEN_EINVAL;
	return mm_map_mfn(slot, mfn, writable);
}

int mm_unmap(unsigned int slot)
{
	if (slot >= MM_WINDOW_USER_SLOTS)
		return -XEN_EINVAL;
	return unmap_slot(slot);
}

struct shared_info *mm_map_shared_info(void)
{
	if (map_slot(SLOT_SHARED_INFO, start_info->shared_info / MM_PAGE_SIZE, true))
		return NULL;
	shared_info_page = (struct shared_info *)mm_window_va(SLOT_SHARED_INFO);
	return shared_info_page;
}

/* Copy a whole table out of frame mfn into table_buf. */
static int read_table(uint32_t mfn)
{
	int rc = map_slot(SLOT_READ, mfn, false);

	if (rc)
		return rc;
	memcpy(table_buf, (void *)mm_window_va(SLOT_READ), sizeof(table_buf));
	return unmap_slot(SLOT_READ);
}

int mm_read_entry(uint32_t table_mfn, unsigned int index, uint64_t *entry)
{
	int rc;

	if (index >= L2_ENTRIES)
		return -XEN_EINVAL;
	rc = map_slot(SLOT_READ, table_mfn, false);
	if (rc)
		return rc;
	*entry = ((const volatile uint64_t *)mm_window_va(SLOT_READ))[index];
	return unmap_slot(SLOT_READ);
}

int mm_pte_maddr(uint32_t va, uint64_t *maddr)
{
	uint64_t l3e, l2e;
	int rc;

	if (va >= HYPERVISOR_VIRT_START)
		return -XEN_EINVAL;
	rc = mm_read_entry(cur_l3_mfn, va >> 30, &l3e);
	if (rc)
		return rc;
	if (!(l3e & _PAGE_PRESENT))
		return -XEN_EINVAL;
	rc = mm_read_entry(mm_entry_mfn(l3e), (va >> 21) & 511, &l2e);
	if (rc)
		return rc;
	if (!(l2e & _PAGE_PRESENT))
		return -XEN_EINVAL;
	*maddr = ((uint64_t)mm_entry_mfn(l2e) << 12) + ((va >> 12) & 511) * 8;
	return 0;
}

static int mmuext(uint32_t cmd, uint32_t arg1)
{
	struct mmuext_op op = { .cmd = cmd, .arg1 = arg1 };

	return (int)HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

int mm_pin(unsigned int level, uint32_t mfn)
{
	if (level < 1 || level > 3)
		return -XEN_EINVAL;
	return mmuext(MMUEXT_PIN_L1_TABLE + level - 1, mfn);
}

int mm_unpin(uint32_t mfn)
{
	return mmuext(MMUEXT_UNPIN_TABLE, mfn);
}

int mm_flush_tlb(void)
{
	return mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0);
}

int mm_invlpg(uint32_t va)
{
	return mmuext(MMUEXT_INVLPG_LOCAL, va);
}

int mm_alloc_pfn(uint32_t *pfn)
{
	while (nr_free_pfns) {
		*pfn = free_pfns[--nr_free_pfns];
		if (pfn_to_mfn(*pfn) != MM_INVALID_MFN)
			return 0;
	}
	while (alloc_next > boot_end_pfn) {
		*pfn = --alloc_next;
		if (pfn_to_mfn(*pfn) != MM_INVALID_MFN)
			return 0;
	}
	return -XEN_ENOMEM;
}

long mm_reservation_change(uint32_t cmd, uint32_t *extents, uint32_t n,
			   uint32_t order)
{
	struct xen_memory_reservation r = {
		.extent_start = (uint32_t)extents,
		.nr_extents = n,
		.extent_order = order,
		.domid = DOMID_SELF,
	};

	return HYPERVISOR_memory_op(cmd, &r);
}

void mm_free_pfn(uint32_t pfn)
{
	if (pfn >= boot_end_pfn && pfn < nr_pages && nr_free_pfns < FREE_STACK)
		free_pfns[nr_free_pfns++] = pfn;
}

/*
 * Make the window L1 (a kernel page, written only while it is still an
 * ordinary page) entry MM_WINDOW_L2_SLOT of the top L2.  The boot L3 is
 * readable at pt_base.
 */
static int install_window(void)
{
	uint32_t va = (uint32_t)window_l1;
	const volatile uint64_t *l3 = (const uint64_t *)start_info->pt_base;
	struct mmu_update req;
	uint64_t top_l2e = l3[3];
	int rc;

	window_l1_mfn = virt_to_mfn(va);
	if (window_l1_mfn == MM_INVALID_MFN || !(top_l2e & _PAGE_PRESENT))
		return -XEN_EINVAL;
	memset(window_l1, 0, sizeof(window_l1));
	rc = (int)HYPERVISOR_update_va_mapping(va, mm_make_entry(window_l1_mfn,
					       MM_PTE_RO), UVMF_INVLPG);
	if (rc)
		return rc;
	req.ptr = ((uint64_t)mm_entry_mfn(top_l2e) << 12) +
		  MM_WINDOW_L2_SLOT * 8 + MMU_NORMAL_PT_UPDATE;
	req.val = mm_make_entry(window_l1_mfn, MM_PTE_RW);
	return (int)HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF);
}

/*
 * The boot region ends where the last L1 below the window ends: the
 * builder maps it whole and nothing past it.
 */
static int find_boot_region_end(void)
{
	uint32_t slot, i, end = 0;
	uint64_t l3e;
	int rc;

	for (slot = 0; slot < L3_SLOTS; slot++) {
		rc = mm_read_entry(cur_l3_mfn, slot, &l3e);
		if (!rc && (l3e & _PAGE_PRESENT))
			rc = read_table(mm_entry_mfn(l3e));
		if (rc)
			return rc;
		if (!(l3e & _PAGE_PRESENT))
			continue;
		for (i = 0; i < (slot == 3 ? MM_WINDOW_L2_SLOT : L2_ENTRIES); i++)
			if (table_buf[i] & _PAGE_PRESENT)
				end = (slot << 18) + ((i + 1) << 9);	/* in pfns */
	}
	boot_end_pfn = end;
	return end ? 0 : -XEN_EINVAL;
}

/* Set up from start_info; a second call does nothing. */
int mm_init(void)
{
	int rc;

	if (initialised)
		return 0;
	p2m = (uint32_t *)start_info->mfn_list;
	nr_pages = start_info->nr_pages;
	max_ram_page = (uint32_t)HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
	/* virt_to_mfn() below needs the boot region: assume the image's end. */
	boot_end_pfn = (start_info->pt_base / MM_PAGE_SIZE) + start_info->nr_pt_frames;
	cur_l3_mfn = virt_to_mfn(start_info->pt_base);
	rc = install_window();
	if (!rc)
		rc = find_boot_region_end();
	if (rc) {
		printf("mm: cannot set up the mapping window: %d\n", rc);
		return rc;
	}
	alloc_next = nr_pages;
	initialised = true;
	return 0;
}

/* Fill frame mfn with table_buf through a writable slot, then unmap it. */
static int write_table(uint32_t mfn)
{
	int rc = map_slot(SLOT_FILL, mfn, true);

	if (rc)
		return rc;
	memcpy((void *)mm_window_va(SLOT_FILL), table_buf, sizeof(table_buf));
	return unmap_slot(SLOT_FILL);
}

static uint32_t scratch_l1s;	/* 2 MiB pieces of the scratch area mapped */

/* Map one more 2 MiB piece: 512 fresh frames under a new L1. */
static int scratch_grow(void)
{
	unsigned int slot = (MM_SCRATCH_BASE >> 21) + scratch_l1s, i;
	uint32_t l1_pfn, pfn;
	uint64_t l3e, l2e;
	struct mmu_update u;
	int rc = mm_read_entry(cur_l3_mfn, MM_SCRATCH_BASE >> 30, &l3e);

	if (!rc && !(l3e & _PAGE_PRESENT))
		rc = -XEN_EBUSY;
	if (!rc)
		rc = mm_read_entry(mm_entry_mfn(l3e), slot, &l2e);
	if (!rc && (l2e & _PAGE_PRESENT))
		rc = -XEN_EBUSY;
	if (!rc)
		rc = mm_alloc_pfn(&l1_pfn);
	if (rc)
		return rc;
	for (i = 0; i < L2_ENTRIES; i++) {	/* (every level has 512) */
		rc = mm_alloc_pfn(&pfn);
		if (rc)
			goto err_free;
		table_buf[i] = mm_make_entry(pfn_to_mfn(pfn), MM_PTE_RW);
	}
	u.ptr = mm_make_entry(mm_entry_mfn(l3e), 0) + slot * 8;
	u.val = mm_make_entry(pfn_to_mfn(l1_pfn), MM_PTE_RW);
	rc = write_table(pfn_to_mfn(l1_pfn));
	if (!rc)
		rc = (int)HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
	if (!rc) {
		scratch_l1s++;
		return 0;
	}
err_free:
	while (i--)
		mm_free_pfn(mfn_to_pfn(mm_entry_mfn(table_buf[i])));
	mm_free_pfn(l1_pfn);
	return rc;
}

int mm_scratch(uint32_t bytes, void **base)
{
	int rc;

	if (bytes > MM_SCRATCH_MAX)
		return -XEN_E2BIG;
	while ((uint64_t)scratch_l1s << 21 < bytes) {
		rc = scratch_grow();
		if (rc)
			return rc;
	}
	*base = (void *)MM_SCRATCH_BASE;
	return 0;
}

/* Copy frame src into frame dst (dst must not be a table yet). */
static int copy_frame(uint32_t src, uint32_t dst)
{
	int rc = map_slot(SLOT_COPY_SRC, src, false);

	if (rc)
		return rc;
	rc = map_slot(SLOT_FILL, dst, true);
	if (!rc) {
		memcpy((void *)mm_window_va(SLOT_FILL),
		       (void *)mm_window_va(SLOT_COPY_SRC), MM_PAGE_SIZE);
		rc = unmap_slot(SLOT_FILL);
	}
	unmap_slot(SLOT_COPY_SRC);
	return rc;
}

static void space_free_frames(struct mm_space *s)
{
	uint32_t i;

	for (i = 0; i < s->nr_l1; i++)
		mm_free_pfn(s->l1_pfn[i]);
	for (i = 0; i < L3_SLOTS; i++)
		if (s->l2_pfn[i] != MM_INVALID_PFN)
			mm_free_pfn(s->l2_pfn[i]);
	if (s->l3_pfn != MM_INVALID_PFN)
		mm_free_pfn(s->l3_pfn);
	s->nr_l1 = 0;
	s->l3_pfn = MM_INVALID_PFN;
	for (i = 0; i < L3_SLOTS; i++)
		s->l2_pfn[i] = MM_INVALID_PFN;
}

/* Give L1 entry e of table_buf a fresh copy of the L1 it points at. */
static int copy_l1(struct mm_space *s, uint64_t *e)
{
	uint32_t pfn;
	int rc;

	if (s->nr_l1 == MM_SPACE_MAX_L1)
		return -XEN_ENOMEM;
	rc = mm_alloc_pfn(&pfn);
	if (rc)
		return rc;
	s->l1_pfn[s->nr_l1++] = pfn;
	rc = copy_frame(mm_entry_mfn(*e), pfn_to_mfn(pfn));
	if (!rc)
		*e = mm_make_entry(pfn_to_mfn(pfn), *e & ENTRY_FLAGS);
	return rc;
}

/* Build the copy of old L2 old_mfn for L3 slot `slot` into a fresh frame. */
static int build_l2(struct mm_space *s, unsigned int slot, uint32_t old_mfn)
{
	uint32_t i, pfn;
	int rc = read_table(old_mfn);

	if (!rc)
		rc = mm_alloc_pfn(&pfn);
	if (rc)
		return rc;
	s->l2_pfn[slot] = pfn;
	for (i = 0; i < L2_ENTRIES && !rc; i++) {
		if (slot == 3 && i >= HYP_FIRST_L2_SLOT)
			table_buf[i] = 0;	/* the hypervisor fills these */
		else if (slot == 3 && i == MM_WINDOW_L2_SLOT)
			continue;		/* shared */
		else if (table_buf[i] & _PAGE_PRESENT)
			rc = copy_l1(s, &table_buf[i]);
	}
	/* copy_l1 leaves table_buf alone: read_table is not called again. */
	return rc ? rc : write_table(pfn_to_mfn(pfn));
}

static int build_l3(struct mm_space *s, const uint64_t *old_l3)
{
	uint32_t i;
	int rc = mm_alloc_pfn(&s->l3_pfn);

	if (rc)
		return rc;
	memset(table_buf, 0, sizeof(table_buf));
	for (i = 0; i < L3_SLOTS; i++)
		if (s->l2_pfn[i] != MM_INVALID_PFN)
			table_buf[i] = mm_make_entry(pfn_to_mfn(s->l2_pfn[i]),
						     old_l3[i] & ENTRY_FLAGS);
	return write_table(pfn_to_mfn(s->l3_pfn));
}

int mm_space_build(struct mm_space *s)
{
	uint64_t old_l3[L3_SLOTS];
	uint32_t i;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->l3_pfn = MM_INVALID_PFN;
	for (i = 0; i < L3_SLOTS; i++)
		s->l2_pfn[i] = MM_INVALID_PFN;
	for (i = 0; i < L3_SLOTS && !rc; i++)
		rc = mm_read_entry(cur_l3_mfn, i, &old_l3[i]);
	for (i = 0; i < L3_SLOTS && !rc; i++)
		if (old_l3[i] & _PAGE_PRESENT)
			rc = build_l2(s, i, mm_entry_mfn(old_l3[i]));
	if (!rc)
		rc = build_l3(s, old_l3);
	if (!rc)
		rc = mm_pin(3, mm_space_l3(s));
	if (rc) {
		printf("mm: building an address space failed: %d\n", rc);
		space_free_frames(s);
	}
	return rc;
}

uint32_t mm_space_l3(const struct mm_space *s)
{
	return pfn_to_mfn(s->l3_pfn);
}

int mm_switch_to(uint32_t l3_mfn)
{
	int rc = mmuext(MMUEXT_NEW_BASEPTR, l3_mfn);

	if (!rc)
		cur_l3_mfn = l3_mfn;
	return rc;
}

int mm_space_release(struct mm_space *s)
{
	int rc;

	if (s->l3_pfn == MM_INVALID_PFN)
		return -XEN_EINVAL;
	if (mm_space_l3(s) == cur_l3_mfn)
		return -XEN_EBUSY;
	rc = mm_unpin(mm_space_l3(s));
	if (!rc)
		space_free_frames(s);
	return rc;
}

int mm_replace_address_space(struct mm_space *s)
{
	uint32_t old = cur_l3_mfn;
	int rc = mm_space_build(s);

	if (rc)
		return rc;
	rc = mm_switch_to(mm_space_l3(s));
	if (rc) {
		mm_space_release(s);
		return rc;
	}
	return mm_unpin(old);
}
