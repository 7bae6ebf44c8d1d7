/*
 * elf.h - parse a pv32pae kernel image: its ELF32 header, its loadable
 * segments, and the "Xen" ELF notes that describe it to the domain builder.
 *
 * elf_xen_parse() reads only image[0..len) and validates every offset and
 * size it follows.  Notes are taken from PT_NOTE segments; when those hold
 * no Xen note, from SHT_NOTE sections (some kernels carry them only there).
 * Only notes named "Xen" count.  With none at all, as Xen does, the legacy
 * "__xen_guest" section is read: a string of NAME=VALUE items separated by
 * commas (GNU Mach's Xen kernel has only this: its notes are misnamed).
 * There HYPERCALL_PAGE is a page number counted from VIRT_BASE, and
 * ELF_PADDR_OFFSET defaults to VIRT_BASE; PAE "yes[extended-cr3]" is kept,
 * any other value starting "yes" reads as "yes".  Numbers must be whole C
 * numbers of 32 bits and names at most 31 characters, values 128.
 * Addresses follow the Xen loader's convention: a segment is loaded at
 * virtual address p_paddr + (virt_base - paddr_offset); when PADDR_OFFSET is
 * absent it is 0.  The result says which features the kernel requires
 * ('!' in FEATURES) and supports.  Freestanding: no library calls, so the
 * same file builds into the hypervisor and into host unit tests.
 *
 * BSD symbol area (XEN_ELFNOTE_BSD_SYMTAB "yes", as Xen's libelf lays it
 * out for a 32-bit image since XSA-194): the builder copies the image's
 * symbol table and its string table after the kernel, at
 * elf_bsdsyms_place(), which is round_up(highest p_paddr + p_memsz, 4)
 * moved to virtual by the same rule as the segments.  From that start:
 *   +0    uint32 size: bytes from +4 to the end of the string table
 *   +4    Elf32_Ehdr copy: e_ehsize 52, e_shentsize 40, e_version 1,
 *         e_shoff 64, e_shnum 3, e_phoff/e_phentsize/e_phnum/e_shstrndx 0
 *   +56   12 zero bytes (Xen pads the header to an Elf64_Ehdr's size)
 *   +68   Elf32_Shdr [0] zero, [1] the symtab's header (sh_link 2),
 *         [2] its string table's header; sh_offset of [1] and [2] is
 *         counted from the Ehdr copy (+4)
 *   +188  zero up to +260, where the symbol table starts (Xen reserves
 *         three Elf64_Shdr); the string table follows at the next 4-byte
 *         boundary.
 * elf_bsdsyms_locate() finds the tables and never trusts the section
 * headers: any problem means "no symbols", never a refusal.
 */
#ifndef XYLEM_ELF_H
#define XYLEM_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS	16
#define ELF_NOTE_STR_MAX	64

struct elf_segment {
	uint32_t vaddr;		/* where it is loaded, per the rule above */
	uint32_t offset;	/* file offset of its bytes */
	uint32_t filesz;
	uint32_t memsz;
};

struct elf_xen_info {
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	unsigned int nr_segs;
	uint32_t virt_kstart, virt_kend;	/* extent of all segments */
	uint32_t virt_base, paddr_offset, entry, hypercall_page;
	bool has_hypercall_page;
	bool notes_from_sections;	/* found only via section headers */
	bool from_guest_info;		/* no note: legacy __xen_guest string */
	char pae_mode[ELF_NOTE_STR_MAX];
	char guest_os[ELF_NOTE_STR_MAX];
	char xen_version[ELF_NOTE_STR_MAX];
	char loader[ELF_NOTE_STR_MAX];
	uint32_t features_supported;	/* bit XENFEAT_x */
	uint32_t features_required;
	unsigned int nr_xen_notes;
	bool bsd_symtab;		/* BSD_SYMTAB note says "yes" */
};

#define ELF_BSDSYMS_HDR_LEN	260	/* size word, headers, padding */

struct elf_bsdsyms {
	uint32_t symtab_index, strtab_index;	/* in the image's section table */
	uint32_t symtab_offset, symtab_size;	/* bytes in the image */
	uint32_t strtab_offset, strtab_size;
	uint32_t symtab_at, strtab_at;		/* offsets from the area start */
	uint32_t len;	/* bytes the area takes, a multiple of 4 */
};

/*
 * Parse the kernel.  Returns 0, or -1 with *why set to a static sentence
 * naming the first problem found.
 */
int elf_xen_parse(const uint8_t *image, size_t len, struct elf_xen_info *info,
		  const char **why);

/* Parse a FEATURES string ("a|!b|c") into supported/required bitmaps.
 * Returns -1 (and *why) on an unknown required feature. */
int elf_xen_parse_features(const char *s, size_t len, uint32_t *supported,
			   uint32_t *required, const char **why);

/*
 * Find the first SHT_SYMTAB section (index >= 1) and the SHT_STRTAB its
 * sh_link names, both inside image[0..len), and compute where they go in
 * the BSD symbol area.  Returns false, *s zeroed, when there is no usable
 * symbol table (missing or malformed section table, bad link, a table past
 * the end of the image).
 */
bool elf_bsdsyms_locate(const uint8_t *image, size_t len,
			struct elf_bsdsyms *s);

/*
 * Where the area of len bytes goes for a parsed image: *start is its
 * virtual address.  False when it would not end below 4 GiB.
 */
bool elf_bsdsyms_place(const struct elf_xen_info *info, uint32_t len,
		       uint32_t *start);

/* Write the first ELF_BSDSYMS_HDR_LEN bytes of the area (s from locate). */
void elf_bsdsyms_header(const uint8_t *image, const struct elf_bsdsyms *s,
			uint8_t hdr[ELF_BSDSYMS_HDR_LEN]);

/* Write the whole area, s->len bytes, into dst: header and both tables. */
void elf_bsdsyms_write(const uint8_t *image, const struct elf_bsdsyms *s,
		       uint8_t *dst);

/* The name of feature bit i, or NULL. */
const char *elf_xen_feature_name(unsigned int i);

#endif
