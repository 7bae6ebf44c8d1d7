/*
 * test_bsdsyms.c - a kernel carrying XEN_ELFNOTE_BSD_SYMTAB "yes" (as XTF's
 * xsa-194 test does) finds its own symbol table after its image, laid out
 * as Xen's libelf does: at round_up(_end, 4) a size word, then an
 * Elf32_Ehdr copy (e_ehsize 52, e_shentsize 40, e_shnum 3, only zero bytes
 * between e_ehsize and e_shoff), section [1] the SHT_SYMTAB linked to [2]
 * the SHT_STRTAB, both tables inside the area.  Walking them finds
 * kernel_main at its real address.  A thousand filler symbols make the
 * area span several pages, so what the builder placed after the kernel
 * (P2M list, start_info, page tables) would land on it if the kernel's
 * extent had not grown; it must start past the area.
 */
#include "ktest.h"

#define SHT_SYMTAB	2
#define SHT_STRTAB	3

/* The note, in the same section as guest/head.S's notes. */
asm(".pushsection .note.Xen, \"a\", @note\n"
    "\t.balign 4\n"
    "\t.long 4, 4, 11\n"			/* XEN_ELFNOTE_BSD_SYMTAB */
    "\t.asciz \"Xen\"\n"
    "\t.asciz \"yes\"\n"
    "\t.popsection\n");

/* bsdsyms_fill_000 .. _999, worth 1000 .. 1999: about 32 KiB of tables. */
asm(".irp a,0,1,2,3,4,5,6,7,8,9\n"
    ".irp b,0,1,2,3,4,5,6,7,8,9\n"
    ".irp c,0,1,2,3,4,5,6,7,8,9\n"
    "\t.set bsdsyms_fill_\\a\\b\\c, 1\\a\\b\\c\n"
    ".endr\n.endr\n.endr\n");

extern char _end[];

struct ehdr32 {
	uint8_t e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct shdr32 {
	uint32_t sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info, sh_addralign, sh_entsize;
};

struct sym32 {
	uint32_t st_name, st_value, st_size;
	uint8_t st_info, st_other;
	uint16_t st_shndx;
};

static bool zero_between(const uint8_t *p, uint32_t from, uint32_t to)
{
	for (; from < to; from++)
		if (p[from])
			return false;
	return true;
}

/* Find name in the copied tables; its value, or 0. */
static uint32_t lookup(const uint8_t *base, uint32_t size,
		       const struct shdr32 *sym, const struct shdr32 *str,
		       const char *name)
{
	const struct sym32 *s = (const void *)(base + sym->sh_offset);
	const char *strtab = (const char *)base + str->sh_offset;
	uint32_t i, n = (uint32_t)strlen(name);

	if (sym->sh_offset > size || sym->sh_size > size - sym->sh_offset ||
	    str->sh_offset > size || str->sh_size > size - str->sh_offset)
		return 0;
	for (i = 0; i < sym->sh_size / sizeof(*s); i++)
		if (s[i].st_name < str->sh_size &&
		    str->sh_size - s[i].st_name > n &&
		    !strncmp(strtab + s[i].st_name, name, n + 1))
			return s[i].st_value;
	return 0;
}

static void check_sections(const uint8_t *base, uint32_t size)
{
	const struct ehdr32 *eh = (const void *)base;
	const struct shdr32 *sh = (const void *)(base + eh->e_shoff);

	KCHECK(eh->e_shoff >= eh->e_ehsize);
	KCHECK(eh->e_shoff + 3 * sizeof(*sh) <= size);
	KCHECK(zero_between(base, eh->e_ehsize, eh->e_shoff));
	KCHECK(zero_between((const uint8_t *)&sh[0], 0, sizeof(*sh)));
	KCHECK_EQ(sh[1].sh_type, SHT_SYMTAB);
	KCHECK_EQ(sh[1].sh_link, 2);
	KCHECK_EQ(sh[2].sh_type, SHT_STRTAB);
	KCHECK(sh[1].sh_offset >= eh->e_shoff + 3 * sizeof(*sh));
	KCHECK(sh[2].sh_offset >= sh[1].sh_offset + sh[1].sh_size);
	KCHECK_EQ(sh[2].sh_offset + sh[2].sh_size, size);
	KCHECK_EQ(lookup(base, size, &sh[1], &sh[2], "kernel_main"),
		  (uint32_t)kernel_main);
	KCHECK_EQ(lookup(base, size, &sh[1], &sh[2], "_end"), (uint32_t)_end);
	KCHECK_EQ(lookup(base, size, &sh[1], &sh[2], "kernel_mai"), 0);
	KCHECK_EQ(lookup(base, size, &sh[1], &sh[2], "bsdsyms_fill_000"), 1000);
	KCHECK_EQ(lookup(base, size, &sh[1], &sh[2], "bsdsyms_fill_999"), 1999);
	printf("bsdsyms: %u symbols, strtab %u bytes\n",
	       sh[1].sh_size / (uint32_t)sizeof(struct sym32), sh[2].sh_size);
}

void kernel_main(struct start_info *si)
{
	const uint32_t *size = (const uint32_t *)(((uint32_t)_end + 3) & ~3u);
	const struct ehdr32 *eh = (const void *)(size + 1);
	uint32_t area_end = (uint32_t)eh + *size;

	printf("bsdsyms: area at %x, size %u, start_info at %x\n",
	       (uint32_t)size, *size, (uint32_t)si);
	KCHECK(!memcmp(eh->e_ident, "\x7f" "ELF\x01", 5));
	KCHECK_EQ(eh->e_ehsize, 52);
	KCHECK_EQ(eh->e_shentsize, 40);
	KCHECK_EQ(eh->e_shnum, 3);
	KCHECK_EQ(eh->e_phnum, 0);
	KCHECK_EQ(eh->e_phoff, 0);
	KCHECK_EQ(eh->e_shstrndx, 0);
	KCHECK(*size >= 16 * 1000 && *size < 16u << 20);
	if (!ktest_failures && *size < 16u << 20)
		check_sections((const uint8_t *)eh, *size);
	KCHECK((uint32_t)si > area_end);
	KCHECK(si->mfn_list >= area_end);
	KCHECK(si->pt_base > area_end);
	ktest_finish();
}
