/*
 * mm.c - the machine frame allocator, frame table and M2P.  See mm.h.
 *
 * Free frames are kept in a bitmap (1 = free) covering up to 4 GiB.  The
 * first MiB, the hypervisor image, the boot modules and the multiboot data
 * are never free.  Frames below 64 MiB are the xenheap; domheap
 * allocations prefer frames above it so the direct-mapped pool lasts.
 */
#include "mm.h"
#include "console.h"
#include "lib.h"
#include "panic.h"
#include "arch/x86_32/paging.h"
#include "arch/x86_32/x86.h"
#include <public/xen.h>

#define MAX_FRAMES	(1u << 20)		/* 4 GiB of 4 KiB frames */
#define XENHEAP_FRAMES	(DIRECTMAP_SIZE >> PAGE_SHIFT)

extern char _end[];

static uint32_t free_bitmap[MAX_FRAMES / 32];
static uint32_t nr_free;
struct page_info *frame_table;
uint32_t max_mfn;
uint32_t *m2p;

static bool frame_is_free(uint32_t f)
{
	return free_bitmap[f / 32] & (1u << (f % 32));
}

static void mark_free(uint32_t f)
{
	if (!frame_is_free(f)) {
		free_bitmap[f / 32] |= 1u << (f % 32);
		nr_free++;
	}
}

static void mark_used(uint32_t f)
{
	if (frame_is_free(f)) {
		free_bitmap[f / 32] &= ~(1u << (f % 32));
		nr_free--;
	}
}

static void reserve_range(uint64_t start, uint64_t end)
{
	uint64_t f;

	for (f = start >> PAGE_SHIFT; f < ((end + PAGE_SIZE - 1) >> PAGE_SHIFT) &&
	     f < MAX_FRAMES; f++)
		mark_used((uint32_t)f);
}

/* The boot loader's map as given, for XENMEM_machine_memory_map. */
static struct e820entry machine_map[MACHINE_MAP_MAX];
static uint32_t machine_map_len;

uint32_t mm_machine_map(const struct e820entry **map)
{
	*map = machine_map;
	return machine_map_len;
}

static void scan_memory_map(const struct multiboot_info *mbi)
{
	uint32_t off = 0;

	if (!(mbi->flags & MBI_FLAG_MMAP))
		panic("boot loader gave no memory map");
	while (off + sizeof(struct multiboot_mmap_entry) <= mbi->mmap_length) {
		const struct multiboot_mmap_entry *e =
			phys_to_virt(mbi->mmap_addr + off);
		uint64_t s = ALIGN_UP(e->addr, PAGE_SIZE);
		uint64_t end = ALIGN_DOWN(e->addr + e->len, PAGE_SIZE);

		printk(LOG_INFO, "  RAM map %08llx-%08llx type %u\n", e->addr,
		       e->addr + e->len, e->type);
		if (machine_map_len < MACHINE_MAP_MAX)
			machine_map[machine_map_len++] = (struct e820entry){
				e->addr, e->len, e->type };
		for (; e->type == 1 && s < end && (s >> PAGE_SHIFT) < MAX_FRAMES;
		     s += PAGE_SIZE) {
			mark_free((uint32_t)(s >> PAGE_SHIFT));
			if ((s >> PAGE_SHIFT) + 1 > max_mfn)
				max_mfn = (uint32_t)(s >> PAGE_SHIFT) + 1;
		}
		off += e->size + 4;
	}
}

static void reserve_boot_data(const struct multiboot_info *mbi)
{
	uint32_t i;

	reserve_range(0, 0x100000);
	reserve_range(0x100000, virt_to_phys(_end));
	reserve_range(virt_to_phys(mbi), virt_to_phys(mbi) + sizeof(*mbi));
	if (mbi->flags & MBI_FLAG_MMAP)
		reserve_range(mbi->mmap_addr, mbi->mmap_addr + mbi->mmap_length);
	if (!(mbi->flags & MBI_FLAG_MODS))
		return;
	reserve_range(mbi->mods_addr, mbi->mods_addr +
		      mbi->mods_count * sizeof(struct multiboot_module));
	for (i = 0; i < mbi->mods_count; i++) {
		const struct multiboot_module *m =
			phys_to_virt(mbi->mods_addr + i * sizeof(*m));

		reserve_range(m->mod_start, m->mod_end);
		if (m->cmdline)
			reserve_range(m->cmdline, m->cmdline + PAGE_SIZE);
	}
	if (mbi->flags & MBI_FLAG_CMDLINE)
		reserve_range(mbi->cmdline, mbi->cmdline + PAGE_SIZE);
}

/*
 * RAM frames belong to the hypervisor until allocated; holes and the
 * first MiB (BIOS, VGA, option ROMs) are I/O frames only Dom0 may map.
 */
static void mark_ram_owners(const struct multiboot_info *mbi)
{
	uint32_t off = 0;

	while (off + sizeof(struct multiboot_mmap_entry) <= mbi->mmap_length) {
		const struct multiboot_mmap_entry *e =
			phys_to_virt(mbi->mmap_addr + off);
		uint64_t f = ALIGN_UP(e->addr, PAGE_SIZE) >> PAGE_SHIFT;
		uint64_t end = ALIGN_DOWN(e->addr + e->len, PAGE_SIZE) >> PAGE_SHIFT;

		for (f = MAX(f, 256); e->type == 1 && f < end && f < max_mfn; f++)
			frame_table[f].owner = frame_is_free((uint32_t)f) ?
					       DOMID_INVALID : DOMID_XEN;
		off += e->size + 4;
	}
}

/* A run of n free direct-mapped frames, zeroed, or NULL.  The search
 * starts where the last one ended (a rover) and wraps once. */
static uint32_t xenheap_rover = 256;

static void *xenheap_run(uint32_t n)
{
	uint32_t top = MIN(XENHEAP_FRAMES, max_mfn), len = 0, f, scanned;

	f = xenheap_rover < top ? xenheap_rover : 256;
	for (scanned = 0; scanned < top - 256 + n; scanned++, f++) {
		if (f >= top) {
			f = 256;
			len = 0;
		}
		len = frame_is_free(f) ? len + 1 : 0;
		if (len == n)
			break;
	}
	if (len < n)
		return NULL;
	xenheap_rover = f + 1;
	for (f = f + 1 - n; f < xenheap_rover; f++) {
		mark_used(f);
		/* (Not while the frame table itself is being allocated: mm_init
		 * marks these frames once it exists.) */
		if (frame_table)
			frame_table[f] = (struct page_info){ .owner = DOMID_XEN };
	}
	f = xenheap_rover - n;
	memset(phys_to_virt((uint64_t)f << PAGE_SHIFT), 0, n * PAGE_SIZE);
	return phys_to_virt((uint64_t)f << PAGE_SHIFT);
}

static void *alloc_xenheap_run(uint32_t n)
{
	void *p = xenheap_run(n);

	if (!p)
		panic("no %u contiguous xenheap frames for boot tables", n);
	return p;
}

void mm_init(const struct multiboot_info *mbi)
{
	uint32_t ft_pages, m2p_pages, f;

	scan_memory_map(mbi);
	reserve_boot_data(mbi);
	if (max_mfn > MACH2PHYS_NR_ENTRIES)
		max_mfn = MACH2PHYS_NR_ENTRIES;

	ft_pages = ALIGN_UP(max_mfn * sizeof(struct page_info), PAGE_SIZE) >> PAGE_SHIFT;
	m2p_pages = ALIGN_UP(max_mfn * sizeof(uint32_t), PAGE_SIZE) >> PAGE_SHIFT;
	frame_table = alloc_xenheap_run(ft_pages);
	m2p = alloc_xenheap_run(m2p_pages);
	for (f = 0; f < max_mfn; f++) {
		frame_table[f].owner = DOMID_IO;
		m2p[f] = M2P_INVALID;
	}
	mark_ram_owners(mbi);
	arch_map_m2p(m2p, m2p_pages);
	printk(LOG_INFO, "memory: %u MiB usable up to %u MiB, %u frames free\n",
	       nr_free >> 8, max_mfn >> 8, nr_free);
}

bool mfn_valid(mfn_t mfn)
{
	return mfn_x(mfn) < max_mfn;
}

uint32_t mm_free_frames(void)
{
	return nr_free;
}

void *alloc_xenheap_pages(uint32_t n)
{
	return n ? xenheap_run(n) : NULL;
}

void *alloc_xenheap_page(void)
{
	return xenheap_run(1);
}

void free_xenheap_pages(void *va, uint32_t n)
{
	uint32_t f = virt_to_phys(va) >> PAGE_SHIFT, i;

	for (i = 0; i < n; i++) {
		frame_table[f + i].owner = DOMID_INVALID;
		mark_free(f + i);
	}
}

void free_xenheap_page(void *va)
{
	free_xenheap_pages(va, 1);
}

void share_xenheap_page(void *va, uint16_t domid)
{
	frame_table[virt_to_phys(va) >> PAGE_SHIFT] = (struct page_info){
		.owner = domid, .ref_count = 1,
		.type = PGT_WRITABLE, .type_count = 1,
	};
}

static uint32_t find_free(uint32_t from, uint32_t to)
{
	uint32_t f;

	for (f = from; f < to; f++) {
		if (!(f % 32) && !free_bitmap[f / 32]) {
			f += 31;
			continue;
		}
		if (frame_is_free(f))
			return f;
	}
	return ~0u;
}

/* Domheap searches resume where the last one succeeded. */
static uint32_t domheap_rover;

static uint32_t find_free_from_rover(uint32_t from, uint32_t to)
{
	uint32_t f;

	if (domheap_rover < from || domheap_rover >= to)
		domheap_rover = from;
	f = find_free(domheap_rover, to);
	if (f == ~0u)
		f = find_free(from, domheap_rover);
	if (f != ~0u)
		domheap_rover = f + 1;
	return f;
}

/* A free frame below limit: the domheap first (from the rover), then the
 * direct-mapped frames. */
static uint32_t find_free_below(uint32_t limit)
{
	uint32_t f = ~0u;

	if (limit > XENHEAP_FRAMES)
		f = find_free_from_rover(XENHEAP_FRAMES, limit);
	if (f == ~0u)
		f = find_free(256, MIN(XENHEAP_FRAMES, limit));
	return f;
}

mfn_t alloc_domheap_page(uint16_t domid)
{
	uint32_t f = find_free_below(max_mfn);

	if (f == ~0u)
		return INVALID_MFN;
	mark_used(f);
	frame_table[f] = (struct page_info){ .owner = domid, .ref_count = 1 };
	clear_frame(_mfn(f));
	return _mfn(f);
}

/* Are the n frames from f all free? */
static bool run_is_free(uint32_t f, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (!((f + i) % 32) && n - i >= 32) {
			if (free_bitmap[(f + i) / 32] != ~0u)
				return false;
			i += 31;
		} else if (!frame_is_free(f + i)) {
			return false;
		}
	}
	return true;
}

/* An aligned free run of n frames in [from, to), or ~0u.  Each candidate
 * is the first free frame past the last one tried, found a bitmap word at
 * a time, so full stretches of memory cost little. */
static uint32_t find_free_run(uint32_t from, uint32_t to, uint32_t n)
{
	uint32_t f = from;

	while (f < to) {
		f = find_free(f, to);
		if (f == ~0u)
			break;
		f = ALIGN_UP(f, n);
		if (f >= to || to - f < n)
			break;
		if (run_is_free(f, n))
			return f;
		f += n;
	}
	return ~0u;
}

mfn_t alloc_domheap_pages(uint16_t domid, unsigned int order,
			  unsigned int addr_bits)
{
	uint32_t n = 1u << order, limit = max_mfn, f = ~0u, i;

	if (order > 20)
		return INVALID_MFN;
	if (addr_bits && addr_bits < 32 + PAGE_SHIFT) {
		if (addr_bits < PAGE_SHIFT + order)
			return INVALID_MFN;
		limit = MIN(limit, 1u << (addr_bits - PAGE_SHIFT));
	}
	if (!order) {
		f = find_free_below(limit);	/* the rover's fast path */
	} else {
		if (limit > XENHEAP_FRAMES)
			f = find_free_run(XENHEAP_FRAMES, limit, n);
		if (f == ~0u)
			f = find_free_run(256, MIN(XENHEAP_FRAMES, limit), n);
	}
	if (f == ~0u)
		return INVALID_MFN;
	for (i = f; i < f + n; i++) {
		mark_used(i);
		frame_table[i] = (struct page_info){ .owner = domid, .ref_count = 1 };
		clear_frame(_mfn(i));
	}
	return _mfn(f);
}

void free_domheap_page(mfn_t mfn)
{
	uint32_t f = mfn_x(mfn);

	mm_flush_if_pending();	/* no stale TLB entry may reach a free frame */
	frame_table[f] = (struct page_info){ .owner = DOMID_INVALID };
	m2p[f] = M2P_INVALID;
	mark_free(f);
}

void set_m2p(mfn_t mfn, uint32_t pfn)
{
	if (mfn_valid(mfn))
		m2p[mfn_x(mfn)] = pfn;
}

void copy_from_machine(void *dst, uint64_t pa, uint32_t len)
{
	uint8_t *d = dst;

	while (len) {
		uint32_t off = (uint32_t)(pa & (PAGE_SIZE - 1));
		uint32_t n = MIN(len, PAGE_SIZE - off);
		uint8_t *src = map_domain_page(_mfn((uint32_t)(pa >> PAGE_SHIFT)));

		memcpy(d, src + off, n);
		unmap_domain_page(src);
		d += n;
		pa += n;
		len -= n;
	}
}

void clear_frame(mfn_t mfn)
{
	void *p = map_domain_page(mfn);

	memset(p, 0, PAGE_SIZE);
	unmap_domain_page(p);
}

/*
 * The world pagetable.c runs in (see pagetable.h).  Dropped mappings are
 * flushed before the guest runs again, and before any frame is freed: the
 * hypervisor itself reaches guest memory through the guest's mappings
 * (copy_to_guest), so a frame freed and reallocated within one hypercall
 * must not be reachable through a stale TLB entry either.
 */
static bool flush_pending;

struct page_info *pt_env_page(uint32_t mfn)
{
	return mfn < max_mfn ? &frame_table[mfn] : NULL;
}

uint64_t *pt_env_map(uint32_t mfn)
{
	return map_domain_page(_mfn(mfn));
}

void pt_env_unmap(uint64_t *table)
{
	unmap_domain_page(table);
}

void pt_env_install_hyp_slots(uint64_t *l2)
{
	arch_install_hyp_slots(l2);
}

void pt_env_broken(const char *what, uint32_t mfn)
{
	panic("page tables: %s (mfn %#x)", what, mfn);
}

void pt_env_free_frame(uint32_t mfn)
{
	free_domheap_page(_mfn(mfn));
}

#define RESERVED_IO_MAX	4
static uint32_t reserved_io[RESERVED_IO_MAX];
static unsigned int nr_reserved_io;

void mm_reserve_io_frame(uint32_t mfn)
{
	if (nr_reserved_io == RESERVED_IO_MAX)
		panic("more than %u reserved I/O frames", RESERVED_IO_MAX);
	reserved_io[nr_reserved_io++] = mfn;
}

bool pt_env_io_reserved(uint32_t mfn)
{
	unsigned int i;

	for (i = 0; i < nr_reserved_io; i++)
		if (reserved_io[i] == mfn)
			return true;
	return false;
}

void pt_env_mapping_dropped(void)
{
	flush_pending = true;
}

/* No stale writable TLB entry may survive a frame becoming a table. */
void pt_env_type_changing(uint32_t mfn)
{
	(void)mfn;
	mm_flush_if_pending();
}

void mm_flush_if_pending(void)
{
	if (flush_pending) {
		flush_pending = false;
		flush_tlb_local();
	}
}
