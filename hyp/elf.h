/*
 * elf.h - parse a pv32pae kernel image: its ELF32 header, its loadable
 * segments, and the "Xen" ELF notes that describe it to the domain builder.
 *
 * elf_xen_parse() reads only image[0..len) and validates every offset and
 * size it follows.  Notes are taken from PT_NOTE segments; when those hold
 * no Xen note, from SHT_NOTE sections (some kernels carry them only there).
 * Addresses follow the Xen loader's convention: a segment is loaded at
 * virtual address p_paddr + (virt_base - paddr_offset); when PADDR_OFFSET is
 * absent it is 0.  The result says which features the kernel requires
 * ('!' in FEATURES) and supports.  Freestanding: no library calls, so the
 * same file builds into the hypervisor and into host unit tests.
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
	char pae_mode[ELF_NOTE_STR_MAX];
	char guest_os[ELF_NOTE_STR_MAX];
	char xen_version[ELF_NOTE_STR_MAX];
	char loader[ELF_NOTE_STR_MAX];
	uint32_t features_supported;	/* bit XENFEAT_x */
	uint32_t features_required;
	unsigned int nr_xen_notes;
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

/* The name of feature bit i, or NULL. */
const char *elf_xen_feature_name(unsigned int i);

#endif
