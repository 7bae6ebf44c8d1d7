/*
 * elf.c - ELF32 and Xen ELF note parsing for the domain builder, and the
 * BSD symbol area that XEN_ELFNOTE_BSD_SYMTAB asks for.  See elf.h.  Every
 * read goes through in_bounds(); nothing here trusts a size or an offset
 * from the image.
 */
#include "elf.h"
#include <public/elfnote.h>
#include <public/features.h>

#define EI_NIDENT	16
#define ELFCLASS32	1
#define ELFDATA2LSB	1
#define ET_EXEC		2
#define EM_386		3
#define PT_LOAD		1
#define PT_NOTE		4
#define SHT_SYMTAB	2
#define SHT_STRTAB	3
#define SHT_NOTE	7
#define EV_CURRENT	1

/* The BSD symbol area (see elf.h): offsets from its start. */
#define BSD_EHDR	4	/* the Elf32_Ehdr copy */
#define BSD_SHOFF	64	/* its e_shoff: Xen pads to an Elf64_Ehdr */
#define BSD_SHNUM	3
#define BSD_SYMTAB_AT	ELF_BSDSYMS_HDR_LEN

struct elf32_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf32_phdr {
	uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
};

struct elf32_shdr {
	uint32_t sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info, sh_addralign, sh_entsize;
};

static const char *const feature_names[] = {
	[XENFEAT_writable_page_tables] = "writable_page_tables",
	[XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
	[XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
	[XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
	[XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
	[XENFEAT_mmu_pt_update_preserve_ad] = "mmu_pt_update_preserve_ad",
	[XENFEAT_highmem_assist] = "highmem_assist",
	[XENFEAT_gnttab_map_avail_bits] = "gnttab_map_avail_bits",
	[XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
	[XENFEAT_hvm_safe_pvclock] = "hvm_safe_pvclock",
	[XENFEAT_hvm_pirqs] = "hvm_pirqs",
	[XENFEAT_dom0] = "dom0",
	[XENFEAT_grant_map_identity] = "grant_map_identity",
	[XENFEAT_memory_op_vnode_supported] = "memory_op_vnode_supported",
};

const char *elf_xen_feature_name(unsigned int i)
{
	if (i >= sizeof(feature_names) / sizeof(feature_names[0]))
		return NULL;
	return feature_names[i];
}

static bool in_bounds(size_t len, uint32_t off, uint32_t size)
{
	return off <= len && size <= len - off;
}

static uint32_t rd32(const uint8_t *p)
{
	return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void copy_bytes(uint8_t *dst, const uint8_t *src, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		dst[i] = src[i];
}

static void zero_bytes(uint8_t *dst, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		dst[i] = 0;
}

static bool name_is(const char *name, size_t namelen, const char *want)
{
	size_t i;

	for (i = 0; i < namelen && want[i]; i++)
		if (name[i] != want[i])
			return false;
	return i == namelen && !want[i];
}

static int feature_index(const char *name, size_t n)
{
	unsigned int i;

	for (i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++)
		if (feature_names[i] && name_is(name, n, feature_names[i]))
			return (int)i;
	return -1;
}

int elf_xen_parse_features(const char *s, size_t len, uint32_t *supported,
			   uint32_t *required, const char **why)
{
	size_t i = 0;

	while (i < len && s[i]) {
		size_t start = i, n;
		bool req = false;
		int idx;

		while (i < len && s[i] && s[i] != '|')
			i++;
		n = i - start;
		if (n && s[start] == '!') {
			req = true;
			start++;
			n--;
		}
		idx = n ? feature_index(&s[start], n) : -1;
		if (idx < 0 && req) {
			*why = "kernel requires a feature this hypervisor does not know";
			return -1;
		}
		if (idx >= 0) {
			*supported |= 1u << idx;
			if (req)
				*required |= 1u << idx;
		}
		if (i < len && s[i] == '|')
			i++;
	}
	return 0;
}

static void copy_note_string(char *dst, const uint8_t *desc, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n && i < ELF_NOTE_STR_MAX - 1 && desc[i]; i++)
		dst[i] = (char)desc[i];
	dst[i] = '\0';
}

static int note_value(const uint8_t *desc, uint32_t n, uint32_t *out,
		      const char **why)
{
	if (n == 4) {
		*out = rd32(desc);
		return 0;
	}
	if (n == 8 && rd32(desc + 4) == 0) {
		*out = rd32(desc);
		return 0;
	}
	*why = "a numeric Xen note is not a 32-bit value";
	return -1;
}

struct note_flags {
	bool virt_base, paddr_offset, entry;
};

static int take_note(struct elf_xen_info *info, struct note_flags *seen,
		     uint32_t type, const uint8_t *desc, uint32_t n,
		     const char **why)
{
	info->nr_xen_notes++;
	switch (type) {
	case XEN_ELFNOTE_ENTRY:
		seen->entry = true;
		return note_value(desc, n, &info->entry, why);
	case XEN_ELFNOTE_HYPERCALL_PAGE:
		info->has_hypercall_page = true;
		return note_value(desc, n, &info->hypercall_page, why);
	case XEN_ELFNOTE_VIRT_BASE:
		seen->virt_base = true;
		return note_value(desc, n, &info->virt_base, why);
	case XEN_ELFNOTE_PADDR_OFFSET:
		seen->paddr_offset = true;
		return note_value(desc, n, &info->paddr_offset, why);
	case XEN_ELFNOTE_PAE_MODE:
		copy_note_string(info->pae_mode, desc, n);
		return 0;
	case XEN_ELFNOTE_GUEST_OS:
		copy_note_string(info->guest_os, desc, n);
		return 0;
	case XEN_ELFNOTE_XEN_VERSION:
		copy_note_string(info->xen_version, desc, n);
		return 0;
	case XEN_ELFNOTE_LOADER:
		copy_note_string(info->loader, desc, n);
		return 0;
	case XEN_ELFNOTE_BSD_SYMTAB:
		/* Xen acts on the exact string "yes" only. */
		info->bsd_symtab = n >= 3 && name_is((const char *)desc, 3, "yes") &&
				   (n == 3 || desc[3] == 0);
		return 0;
	case XEN_ELFNOTE_FEATURES:
		return elf_xen_parse_features((const char *)desc, n,
					      &info->features_supported,
					      &info->features_required, why);
	default:
		return 0;	/* notes we do not act on */
	}
}

/* A cut-off Xen note that is a string and still holds its NUL. */
static bool truncated_string_ok(const uint8_t *note, uint32_t name_pad,
				uint32_t avail)
{
	uint32_t type = rd32(note + 8), i;

	if (type != XEN_ELFNOTE_PAE_MODE && type != XEN_ELFNOTE_GUEST_OS &&
	    type != XEN_ELFNOTE_XEN_VERSION && type != XEN_ELFNOTE_LOADER &&
	    type != XEN_ELFNOTE_FEATURES && type != XEN_ELFNOTE_BSD_SYMTAB &&
	    type != XEN_ELFNOTE_GUEST_VERSION)
		return false;
	for (i = 0; i < avail; i++)
		if (note[12 + name_pad + i] == 0)
			return true;
	return false;
}

/* Walk one note area; returns the number of Xen notes or -1. */
static int scan_notes(const uint8_t *image, size_t len, uint32_t off,
		      uint32_t size, struct elf_xen_info *info,
		      struct note_flags *seen, const char **why)
{
	uint32_t end, before = info->nr_xen_notes;

	if (!in_bounds(len, off, size)) {
		*why = "a note area runs past the end of the image";
		return -1;
	}
	end = off + size;
	while (end - off >= 12) {
		uint32_t namesz = rd32(image + off), descsz = rd32(image + off + 4);
		uint32_t type = rd32(image + off + 8);
		uint32_t name_pad = (namesz + 3) & ~3u, desc_pad = (descsz + 3) & ~3u;

		if (namesz > 256 || descsz > 65536 ||
		    name_pad > end - off - 12) {
			*why = "an ELF note is larger than its note area";
			return -1;
		}
		if (desc_pad > end - off - 12 - name_pad) {
			/*
			 * The descriptor runs past the area.  GRUB's i386-xen
			 * image does this with its last note (12 bytes claimed
			 * for "yes").  Like Xen, accept a string note whose
			 * NUL lies inside the area; refuse anything else.
			 */
			descsz = end - off - 12 - name_pad;
			if (!truncated_string_ok(image + off, name_pad, descsz)) {
				*why = "an ELF note is larger than its note area";
				return -1;
			}
			desc_pad = descsz;
		}
		if (namesz == 4 && name_is((const char *)image + off + 12, 3, "Xen") &&
		    image[off + 15] == 0 &&
		    take_note(info, seen, type, image + off + 12 + name_pad,
			      descsz, why))
			return -1;
		off += 12 + name_pad + desc_pad;
	}
	return (int)(info->nr_xen_notes - before);
}

static int check_header(const uint8_t *image, size_t len, const char **why)
{
	const struct elf32_ehdr *eh = (const void *)image;

	if (len < sizeof(*eh) || image[0] != 0x7f || image[1] != 'E' ||
	    image[2] != 'L' || image[3] != 'F') {
		*why = "not an ELF image";
		return -1;
	}
	if (image[4] != ELFCLASS32 || image[5] != ELFDATA2LSB ||
	    eh->e_machine != EM_386) {
		*why = "not a 32-bit little-endian x86 ELF image";
		return -1;
	}
	if (eh->e_type != ET_EXEC) {
		*why = "not an executable ELF image";
		return -1;
	}
	if ((eh->e_phoff & 3) || (eh->e_shoff & 3)) {
		*why = "ELF header tables are not 4-byte aligned";
		return -1;
	}
	if (eh->e_phentsize != sizeof(struct elf32_phdr) || eh->e_phnum == 0 ||
	    !in_bounds(len, eh->e_phoff, (uint32_t)eh->e_phnum * sizeof(struct elf32_phdr))) {
		*why = "ELF program headers are missing or out of bounds";
		return -1;
	}
	return 0;
}

static int scan_phdr_notes(const uint8_t *image, size_t len,
			   struct elf_xen_info *info, struct note_flags *seen,
			   const char **why)
{
	const struct elf32_ehdr *eh = (const void *)image;
	int found = 0, n;
	unsigned int i;

	for (i = 0; i < eh->e_phnum; i++) {
		const struct elf32_phdr *ph =
			(const void *)(image + eh->e_phoff + i * sizeof(*ph));

		if (ph->p_type != PT_NOTE)
			continue;
		n = scan_notes(image, len, ph->p_offset, ph->p_filesz, info, seen, why);
		if (n < 0)
			return -1;
		found += n;
	}
	return found;
}

static int scan_section_notes(const uint8_t *image, size_t len,
			      struct elf_xen_info *info, struct note_flags *seen,
			      const char **why)
{
	const struct elf32_ehdr *eh = (const void *)image;
	int found = 0, n;
	unsigned int i;

	if (!eh->e_shoff || !eh->e_shnum)
		return 0;
	if (eh->e_shentsize != sizeof(struct elf32_shdr) ||
	    !in_bounds(len, eh->e_shoff, (uint32_t)eh->e_shnum * sizeof(struct elf32_shdr))) {
		*why = "ELF section headers are out of bounds";
		return -1;
	}
	for (i = 0; i < eh->e_shnum; i++) {
		const struct elf32_shdr *sh =
			(const void *)(image + eh->e_shoff + i * sizeof(*sh));

		if (sh->sh_type != SHT_NOTE)
			continue;
		n = scan_notes(image, len, sh->sh_offset, sh->sh_size, info, seen, why);
		if (n < 0)
			return -1;
		found += n;
	}
	return found;
}

static int collect_segments(const uint8_t *image, size_t len,
			    struct elf_xen_info *info, const char **why)
{
	const struct elf32_ehdr *eh = (const void *)image;
	uint32_t offset = info->virt_base - info->paddr_offset;
	unsigned int i;

	info->virt_kstart = ~0u;
	info->virt_kend = 0;
	for (i = 0; i < eh->e_phnum; i++) {
		const struct elf32_phdr *ph =
			(const void *)(image + eh->e_phoff + i * sizeof(*ph));
		struct elf_segment *s;

		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		if (info->nr_segs == ELF_MAX_SEGMENTS) {
			*why = "too many loadable segments";
			return -1;
		}
		if (ph->p_filesz > ph->p_memsz || !in_bounds(len, ph->p_offset, ph->p_filesz)) {
			*why = "a loadable segment lies outside the image";
			return -1;
		}
		s = &info->seg[info->nr_segs++];
		s->vaddr = ph->p_paddr + offset;
		s->offset = ph->p_offset;
		s->filesz = ph->p_filesz;
		s->memsz = ph->p_memsz;
		if (s->vaddr + s->memsz < s->vaddr) {
			*why = "a loadable segment wraps around the address space";
			return -1;
		}
		if (s->vaddr < info->virt_kstart)
			info->virt_kstart = s->vaddr;
		if (s->vaddr + s->memsz > info->virt_kend)
			info->virt_kend = s->vaddr + s->memsz;
	}
	if (!info->nr_segs) {
		*why = "no loadable segment";
		return -1;
	}
	return 0;
}

/* Does p[0..n) hold name and then a NUL? */
static bool name_is_prefix(const uint8_t *p, uint32_t n, const char *name)
{
	uint32_t i;

	for (i = 0; i < n && name[i]; i++)
		if (p[i] != (uint8_t)name[i])
			return false;
	return i < n && !name[i] && p[i] == 0;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* A whole number as C writes it (0x hex, 0 octal, decimal) in 32 bits. */
static bool parse_number(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;
	unsigned int base = 10;
	size_t i = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (n > 1 && s[0] == '0') {
		base = 8;
		i = 1;
	}
	if (i == n)
		return false;
	for (; i < n; i++) {
		int d = digit_value(s[i]);

		if (d >= (int)base)
			return false;
		v = v * base + (unsigned int)d;
		if (v > 0xffffffffull)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

static void copy_value(char *dst, const char *v, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < ELF_NOTE_STR_MAX - 1; i++)
		dst[i] = v[i];
	dst[i] = '\0';
}

/* One NAME=VALUE of the legacy string; names we do not act on are skipped. */
static int take_guest_item(struct elf_xen_info *info, struct note_flags *seen,
			   uint32_t *hypercall_pfn, const char *name, size_t nn,
			   const char *v, size_t vn, const char **why)
{
	static const char *const strings[] = { "LOADER", "GUEST_OS", "XEN_VER", "PAE" };
	char *const dst[] = { info->loader, info->guest_os, info->xen_version,
			      info->pae_mode };
	static const char *const numbers[] = { "VIRT_BASE", "VIRT_ENTRY",
					       "ELF_PADDR_OFFSET", "HYPERCALL_PAGE" };
	uint32_t *const num[] = { &info->virt_base, &info->entry,
				  &info->paddr_offset, hypercall_pfn };
	bool *const flag[] = { &seen->virt_base, &seen->entry,
			       &seen->paddr_offset, &info->has_hypercall_page };
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (name_is(name, nn, strings[i]))
			copy_value(dst[i], v, vn);
	for (i = 0; i < 4; i++) {
		if (!name_is(name, nn, numbers[i]))
			continue;
		if (!parse_number(v, vn, num[i])) {
			*why = "a number in the __xen_guest section is malformed";
			return -1;
		}
		*flag[i] = true;
	}
	if (name_is(name, nn, "BSD_SYMTAB"))
		info->bsd_symtab = true;
	if (name_is(name, nn, "FEATURES"))
		return elf_xen_parse_features(v, vn, &info->features_supported,
					      &info->features_required, why);
	return 0;
}

/* The bytes of the section called name, or NULL (sizes all checked). */
static const uint8_t *section_by_name(const uint8_t *image, size_t len,
				      const char *name, uint32_t *size)
{
	const struct elf32_ehdr *eh = (const void *)image;
	const struct elf32_shdr *strs, *sh;
	uint32_t i, n;

	if (!eh->e_shoff || !eh->e_shnum || eh->e_shstrndx >= eh->e_shnum ||
	    eh->e_shentsize != sizeof(struct elf32_shdr) ||
	    !in_bounds(len, eh->e_shoff, (uint32_t)eh->e_shnum * sizeof(*sh)))
		return NULL;
	strs = (const void *)(image + eh->e_shoff + eh->e_shstrndx * sizeof(*sh));
	if (!in_bounds(len, strs->sh_offset, strs->sh_size))
		return NULL;
	for (i = 1; i < eh->e_shnum; i++) {
		sh = (const void *)(image + eh->e_shoff + i * sizeof(*sh));
		if (sh->sh_name >= strs->sh_size)
			continue;
		n = strs->sh_size - sh->sh_name;
		if (!name_is_prefix(image + strs->sh_offset + sh->sh_name, n, name) ||
		    !in_bounds(len, sh->sh_offset, sh->sh_size))
			continue;
		*size = sh->sh_size;
		return image + sh->sh_offset;
	}
	return NULL;
}

/* PAE as Xen reads the legacy string: "yes[extended-cr3]", else "yes...". */
static void legacy_pae(struct elf_xen_info *info)
{
	char *p = info->pae_mode;
	size_t n = 0;

	while (p[n])
		n++;
	if (n > 3 && p[0] == 'y' && p[1] == 'e' && p[2] == 's' &&
	    !name_is(p, n, "yes[extended-cr3]"))
		p[3] = '\0';
}

/* Defaults and derived values once the whole legacy string is read. */
static int guest_info_finish(struct elf_xen_info *info,
			     const struct note_flags *seen, uint32_t pfn,
			     const char **why)
{
	if (seen->paddr_offset && !seen->virt_base) {
		*why = "__xen_guest sets ELF_PADDR_OFFSET without VIRT_BASE";
		return -1;
	}
	if (!seen->paddr_offset)
		info->paddr_offset = info->virt_base;	/* the legacy default */
	if (info->has_hypercall_page) {
		if (pfn >= 1u << 20 ||
		    (uint64_t)info->virt_base + ((uint64_t)pfn << 12) >
		    0xfffff000u) {
			*why = "__xen_guest HYPERCALL_PAGE is not a page number "
			       "above VIRT_BASE";
			return -1;
		}
		info->hypercall_page = info->virt_base + (pfn << 12);
	}
	legacy_pae(info);
	return 0;
}

/*
 * The legacy "__xen_guest" section, read only when there is no Xen note:
 * a NUL-terminated string of comma-separated NAME=VALUE items.  Returns 0
 * (info->from_guest_info says whether the section was there) or -1.
 */
static int guest_info_parse(const uint8_t *image, size_t len,
			    struct elf_xen_info *info, struct note_flags *seen,
			    const char **why)
{
	uint32_t size, i = 0, pfn = 0;
	const char *s = (const char *)section_by_name(image, len, "__xen_guest", &size);

	if (!s)
		return 0;
	info->from_guest_info = true;
	while (i < size && s[i]) {
		uint32_t start = i, eq = 0, vlen;

		for (; i < size && s[i] && s[i] != ','; i++)
			if (s[i] == '=' && !eq)
				eq = i;
		if (!eq)
			eq = i;			/* a bare NAME: empty value */
		vlen = eq < i ? i - eq - 1 : 0;
		if (eq - start > 31 || vlen > 128) {
			*why = "an item of the __xen_guest section is too long";
			return -1;
		}
		if (take_guest_item(info, seen, &pfn, s + start, eq - start,
				    s + i - vlen, vlen, why))
			return -1;
		if (i < size && s[i] == ',')
			i++;
	}
	return guest_info_finish(info, seen, pfn, why);
}

int elf_xen_parse(const uint8_t *image, size_t len, struct elf_xen_info *info,
		  const char **why)
{
	const struct elf32_ehdr *eh = (const void *)image;
	struct note_flags seen = { false, false, false };
	int n;

	*info = (struct elf_xen_info){ 0 };
	if (check_header(image, len, why))
		return -1;
	n = scan_phdr_notes(image, len, info, &seen, why);
	if (n < 0)
		return -1;
	if (n == 0) {
		n = scan_section_notes(image, len, info, &seen, why);
		if (n < 0)
			return -1;
		info->notes_from_sections = n > 0;
	}
	if (n == 0 && guest_info_parse(image, len, info, &seen, why) < 0)
		return -1;
	if (n == 0 && !info->from_guest_info) {
		*why = "no Xen ELF notes and no __xen_guest section: not a PV kernel";
		return -1;
	}
	if (collect_segments(image, len, info, why))
		return -1;
	if (!seen.entry)
		info->entry = eh->e_entry;
	return 0;
}

/* The section table, when it is present, in bounds and made of Elf32_Shdr. */
static bool section_table_ok(const uint8_t *image, size_t len)
{
	const struct elf32_ehdr *eh = (const void *)image;

	if (len < sizeof(*eh) || image[0] != 0x7f || image[1] != 'E' ||
	    image[2] != 'L' || image[3] != 'F' || image[4] != ELFCLASS32)
		return false;
	return eh->e_shoff && !(eh->e_shoff & 3) && eh->e_shnum &&
	       eh->e_shentsize == sizeof(struct elf32_shdr) &&
	       in_bounds(len, eh->e_shoff,
			 (uint32_t)eh->e_shnum * sizeof(struct elf32_shdr));
}

static const struct elf32_shdr *shdr_at(const uint8_t *image, uint32_t i)
{
	const struct elf32_ehdr *eh = (const void *)image;

	return (const void *)(image + eh->e_shoff + i * sizeof(struct elf32_shdr));
}

/*
 * Xen's choice: the first SHT_SYMTAB from index 1; a link out of range
 * ends the search with no symbol table.  Returns its index or 0.
 */
static uint32_t find_symtab(const uint8_t *image)
{
	const struct elf32_ehdr *eh = (const void *)image;
	uint32_t i;

	for (i = 1; i < eh->e_shnum; i++) {
		const struct elf32_shdr *sh = shdr_at(image, i);

		if (sh->sh_type != SHT_SYMTAB)
			continue;
		if (sh->sh_link == 0 || sh->sh_link >= eh->e_shnum)
			return 0;
		return i;
	}
	return 0;
}

bool elf_bsdsyms_locate(const uint8_t *image, size_t len,
			struct elf_bsdsyms *s)
{
	const struct elf32_shdr *sym, *str;
	uint64_t strtab_at, end;
	uint32_t i;

	*s = (struct elf_bsdsyms){ 0 };
	if (!section_table_ok(image, len))
		return false;
	i = find_symtab(image);
	if (!i)
		return false;
	sym = shdr_at(image, i);
	str = shdr_at(image, sym->sh_link);
	if (str->sh_type != SHT_STRTAB ||
	    !in_bounds(len, sym->sh_offset, sym->sh_size) ||
	    !in_bounds(len, str->sh_offset, str->sh_size))
		return false;
	strtab_at = ((uint64_t)BSD_SYMTAB_AT + sym->sh_size + 3) & ~3ull;
	end = (strtab_at + str->sh_size + 3) & ~3ull;
	if (end > 0xffffffffull)
		return false;
	s->symtab_index = i;
	s->strtab_index = sym->sh_link;
	s->symtab_offset = sym->sh_offset;
	s->symtab_size = sym->sh_size;
	s->strtab_offset = str->sh_offset;
	s->strtab_size = str->sh_size;
	s->symtab_at = BSD_SYMTAB_AT;
	s->strtab_at = (uint32_t)strtab_at;
	s->len = (uint32_t)end;
	return true;
}

/*
 * Xen's pstart is round_up(pend, 4) with pend the highest p_paddr + p_memsz;
 * it becomes virtual by the segments' own offset, so the rounding is on
 * the physical address.
 */
bool elf_bsdsyms_place(const struct elf_xen_info *info, uint32_t len,
		       uint32_t *start)
{
	uint32_t offset = info->virt_base - info->paddr_offset;
	uint32_t pend = info->virt_kend - offset;
	uint64_t v = (uint64_t)info->virt_kend + ((0u - pend) & 3);

	if (v + len > 0xffffffffull)
		return false;
	*start = (uint32_t)v;
	return true;
}

/* Copy section header i of the image to dst, then rebase its data. */
static void copy_shdr(uint8_t *dst, const uint8_t *image, uint32_t i,
		      uint32_t data_at)
{
	copy_bytes(dst, (const uint8_t *)shdr_at(image, i),
		   sizeof(struct elf32_shdr));
	put32(dst + 16, data_at - BSD_EHDR);		/* sh_offset */
}

void elf_bsdsyms_header(const uint8_t *image, const struct elf_bsdsyms *s,
			uint8_t hdr[ELF_BSDSYMS_HDR_LEN])
{
	uint8_t *eh = hdr + BSD_EHDR;
	uint8_t *sh = eh + BSD_SHOFF;

	zero_bytes(hdr, ELF_BSDSYMS_HDR_LEN);
	put32(hdr, s->strtab_at + s->strtab_size - BSD_EHDR);
	copy_bytes(eh, image, sizeof(struct elf32_ehdr));
	put32(eh + 20, EV_CURRENT);			/* e_version */
	put32(eh + 28, 0);				/* e_phoff */
	put32(eh + 32, BSD_SHOFF);			/* e_shoff */
	put16(eh + 40, sizeof(struct elf32_ehdr));	/* e_ehsize */
	put16(eh + 42, 0);				/* e_phentsize */
	put16(eh + 44, 0);				/* e_phnum */
	put16(eh + 46, sizeof(struct elf32_shdr));	/* e_shentsize */
	put16(eh + 48, BSD_SHNUM);			/* e_shnum */
	put16(eh + 50, 0);				/* e_shstrndx */
	/* [0] stays zero: the undefined section. */
	sh += sizeof(struct elf32_shdr);
	copy_shdr(sh, image, s->symtab_index, s->symtab_at);
	put32(sh + 24, 2);				/* sh_link */
	sh += sizeof(struct elf32_shdr);
	copy_shdr(sh, image, s->strtab_index, s->strtab_at);
}

void elf_bsdsyms_write(const uint8_t *image, const struct elf_bsdsyms *s,
		       uint8_t *dst)
{
	uint32_t sym_end = s->symtab_at + s->symtab_size;
	uint32_t str_end = s->strtab_at + s->strtab_size;

	elf_bsdsyms_header(image, s, dst);
	copy_bytes(dst + s->symtab_at, image + s->symtab_offset, s->symtab_size);
	zero_bytes(dst + sym_end, s->strtab_at - sym_end);
	copy_bytes(dst + s->strtab_at, image + s->strtab_offset, s->strtab_size);
	zero_bytes(dst + str_end, s->len - str_end);
}
