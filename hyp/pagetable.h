/*
 * pagetable.h - the frame table's type and reference rules, and the
 * validation of guest PAE page-table entries.  FREESTANDING: the same
 * pagetable.c runs in the hypervisor and in host unit tests; the world it
 * runs in supplies the pt_env_*() functions declared at the end.
 *
 * Every machine frame has a struct page_info.  Two counts guard it:
 *  - ref_count: general references.  A frame allocated to a domain holds
 *    one ("allocated"); every mapping of it and every use as a page table
 *    holds one more.  The frame is freed when the count reaches zero.
 *  - type_count: uses of the frame AS its current type.  A frame is an L1,
 *    L2 (plain, or the one in L3 slot 3 that carries the hypervisor's
 *    slots), L3, descriptor page or writable page.  The type can change
 *    only while type_count is zero; making a frame a page table validates
 *    every entry in it, and its last type reference being dropped releases
 *    what those entries referenced.
 * Invariants these rules keep:
 *  - a frame in use as a page table or descriptor page is never mapped
 *    writable (a writable mapping holds a WRITABLE type reference);
 *  - a guest maps only frames it owns (or, if allowed, I/O frames);
 *  - no guest entry reaches the hypervisor's area: the top L2's slots from
 *    PT_HYP_FIRST_SLOT up belong to the hypervisor and are never written by
 *    a guest;
 *  - an L2 entry may name an L2 (a linear page table, as Xen allows) only
 *    read-only, only its own plain L2 or another plain L2 in use, and never
 *    from or to an L2 that is itself the other end of such an entry
 *    (page_info.linear; rules in pagetable.c); L3 entries never do.
 * Errors: -XEN_EPERM (a frame the domain may not use, a hypervisor slot),
 * -XEN_EINVAL (an entry with bits Xylem does not allow), -XEN_EBUSY (the
 * frame is in use as another type), -XEN_EOVERFLOW (a type count would
 * wrap; a saturated general count reads as -XEN_EPERM).  pt_get_type,
 * pt_put_type and pt_put_page expect a frame the caller already holds a
 * general reference on.
 * A frame becoming a descriptor page has every descriptor checked by
 * segdesc_check() (segdesc.h), which may rewrite it.
 */
#ifndef XYLEM_PAGETABLE_H
#define XYLEM_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>

enum page_type {
	PGT_NONE,
	PGT_L1,
	PGT_L2,
	PGT_L2_HYP,	/* an L2 in L3 slot 3: holds the hypervisor's slots */
	PGT_L3,
	PGT_SEG_DESC,
	PGT_WRITABLE,
};

#define PGF_PINNED	0x01
#define PGF_CLAIMED	0x02	/* memory.c: in an exchange being checked */

struct page_info {
	uint16_t owner;		/* domid_t, DOMID_XEN, DOMID_IO, or DOMID_INVALID */
	uint8_t type;		/* enum page_type */
	uint8_t flags;		/* PGF_* */
	uint32_t type_count;
	uint32_t ref_count;
	/* An L2's linear entries to other L2s (> 0), or other L2s' linear
	 * entries to it (< 0); 0 for every other frame. */
	int16_t linear;
};

/* The domain on whose behalf a rule is checked. */
struct pt_domain {
	uint16_t domid;
	bool io_allowed;	/* may map frames that are not RAM */
	/* A privileged caller's mmu_update with foreigndom: L1 entries it
	 * writes may also map frames `foreign` owns (as that domain's). */
	bool has_foreign;
	uint16_t foreign;
};

#define PT_ENTRIES		512u
#define PT_L3_GUEST_SLOTS	4u	/* PAE: only 4 L3 entries are used */
#define PT_HYP_FIRST_SLOT	428u	/* of the slot-3 L2: 0xF5800000 up */

#define PTE_PRESENT	0x001ull
#define PTE_RW		0x002ull
#define PTE_USER	0x004ull
#define PTE_PWT		0x008ull
#define PTE_PCD		0x010ull
#define PTE_ACCESSED	0x020ull
#define PTE_DIRTY	0x040ull
#define PTE_PSE		0x080ull
#define PTE_GLOBAL	0x100ull
#define PTE_AVAIL	0xe00ull
#define PTE_NX		(1ull << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ull

static inline uint32_t pte_mfn(uint64_t e)
{
	return (uint32_t)((e & PTE_ADDR_MASK) >> 12);
}

/* Take a general reference on a frame d owns; false if it may not. */
bool pt_get_page(uint32_t mfn, const struct pt_domain *d);
void pt_put_page(uint32_t mfn);
/* Take a type reference, validating the frame if it becomes a table. */
int pt_get_type(uint32_t mfn, enum page_type type, const struct pt_domain *d);
void pt_put_type(uint32_t mfn);
/* Both of the above: the usual pair. */
int pt_get_page_and_type(uint32_t mfn, enum page_type type,
			 const struct pt_domain *d);
void pt_put_page_and_type(uint32_t mfn);

/* Pin a frame as a page table of the given level (1..3); unpin. */
/*
 * Let L1 and L2 entries carry NX (the hypervisor calls this once it has
 * set EFER.NXE; before that bit 63 is reserved and refused).  L3 entries
 * never may: PAE PDPTEs have no NX.
 */
void pt_allow_nx(bool on);

int pt_pin(uint32_t mfn, unsigned int level, const struct pt_domain *d);
int pt_unpin(uint32_t mfn, const struct pt_domain *d);

/*
 * Write entry `index` of frame table_mfn on d's behalf: if the frame is a
 * page table in use, the new entry is validated and references move from
 * the old entry's targets to the new one's; otherwise the frame must be
 * d's and not a descriptor page, and the value is stored as data.
 */
int pt_update_entry(uint32_t table_mfn, unsigned int index, uint64_t val,
		    const struct pt_domain *d);

/* Release everything a domain's frame holds when the domain goes away. */
void pt_relinquish(uint32_t mfn);

/*
 * Supplied by the world pagetable.c runs in.
 */
/* The frame's info, or NULL if mfn lies beyond the frame table. */
struct page_info *pt_env_page(uint32_t mfn);
/* An I/O frame no guest may map, even with I/O access (the local APIC). */
bool pt_env_io_reserved(uint32_t mfn);
/* Map a frame for reading and writing; undo with pt_env_unmap. */
uint64_t *pt_env_map(uint32_t mfn);
void pt_env_unmap(uint64_t *table);
/* Fill slots PT_HYP_FIRST_SLOT.. of an L2 with the hypervisor's entries. */
void pt_env_install_hyp_slots(uint64_t *l2);
/* The last reference to a frame is gone: give it back to the allocator. */
void pt_env_free_frame(uint32_t mfn);
/* An entry that mapped something was removed or changed. */
void pt_env_mapping_dropped(void);
/* The frame is about to become a page table or descriptor page. */
void pt_env_type_changing(uint32_t mfn);
/* An entry of L3 table l3_mfn changed: reload it where it is in use. */
void pt_env_l3_changed(uint32_t l3_mfn);
/* A guest entry of an L2 with hypervisor slots (L3 slot 3's) changed. */
void pt_env_l2_hyp_changed(uint32_t l2_mfn);
/*
 * A count was about to go wrong (a reference or type dropped that nobody
 * held, or a frame beyond the frame table): the invariants are broken, so
 * stop rather than write through a bad page_info.  Does not return.
 */
void pt_env_broken(const char *what, uint32_t mfn) __attribute__((noreturn));

#endif
