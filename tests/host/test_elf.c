/*
 * test_elf.c - host unit tests for hyp/elf.c, the domain builder's ELF32 and
 * Xen ELF note parser.
 *
 * Each test builds a small ELF32 image in a byte buffer with the builder
 * of elf_image.c (ELF header, program headers, optional section headers,
 * note areas holding Xen notes of given types and values; its layout is in
 * elf_image.h), runs elf_xen_parse() on it and checks the result field by
 * field, or checks that it is refused with -1 and a non-empty reason.
 * Images are parsed from an exactly-sized malloc'd copy so that a
 * sanitizer build (-fsanitize=address,undefined) catches any read past the
 * end; every truncation of a good image is tried.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "elf_image.h"
#include <public/elfnote.h>
#include <public/features.h>

static void test_full_notes(void)
{
	static const char features[] = "writable_page_tables|!writable_descriptor_tables|"
		"no_such_feature|!dom0||pae_pgdir_above_4gb";
	struct elf_xen_info info;
	struct notes n = { .len = 0 };
	const char *why;
	struct img im;

	img_init(&im);
	note_add(&n, "GNU", 3, "\x01\x02\x03\x04", 4);	/* not ours: skipped */
	note_str(&n, XEN_ELFNOTE_GUEST_OS, "linux");
	note_str(&n, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
	note_str(&n, XEN_ELFNOTE_LOADER, "generic");
	note_str(&n, XEN_ELFNOTE_PAE_MODE, "yes");
	note_u32(&n, XEN_ELFNOTE_VIRT_BASE, LINUX_VIRT_BASE);
	note_u32(&n, XEN_ELFNOTE_PADDR_OFFSET, 0);
	note_u32(&n, XEN_ELFNOTE_ENTRY, 0xC1000040u);
	note_u32(&n, XEN_ELFNOTE_HYPERCALL_PAGE, 0xC1001000u);
	note_add(&n, "Xen", XEN_ELFNOTE_FEATURES, features, sizeof(features));
	note_u32(&n, 42, 7);				/* unknown type: counted, ignored */
	img_add_note_area(&im, &n, true, false);
	img_add_load(&im, 0x1000000, 0x800, 0x3000);
	img_add_load(&im, 0x1400000, 0x100, 0x100);

	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK_EQ(info.nr_xen_notes, 10);
	CHECK(!info.notes_from_sections);
	CHECK_EQ(info.entry, 0xC1000040u);
	CHECK(info.has_hypercall_page);
	CHECK_EQ(info.hypercall_page, 0xC1001000u);
	CHECK_EQ(info.virt_base, LINUX_VIRT_BASE);
	CHECK_EQ(info.paddr_offset, 0);
	CHECK(!strcmp(info.pae_mode, "yes"));
	CHECK(!strcmp(info.guest_os, "linux"));
	CHECK(!strcmp(info.loader, "generic"));
	CHECK(!strcmp(info.xen_version, "xen-3.0"));
	CHECK_EQ(info.features_supported,
		 (1u << XENFEAT_writable_page_tables) |
		 (1u << XENFEAT_writable_descriptor_tables) |
		 (1u << XENFEAT_dom0) | (1u << XENFEAT_pae_pgdir_above_4gb));
	CHECK_EQ(info.features_required,
		 (1u << XENFEAT_writable_descriptor_tables) | (1u << XENFEAT_dom0));
	CHECK_EQ(info.nr_segs, 2);
	CHECK_EQ(info.seg[0].vaddr, 0xC1000000u);
	CHECK_EQ(info.seg[0].filesz, 0x800);
	CHECK_EQ(info.seg[0].memsz, 0x3000);
	CHECK_EQ(info.seg[1].vaddr, 0xC1400000u);
	CHECK_EQ(info.seg[1].offset, info.seg[0].offset + 0x800);
	CHECK_EQ(info.virt_kstart, 0xC1000000u);
	CHECK_EQ(info.virt_kend, 0xC1400100u);
}

/* Long strings are cut to ELF_NOTE_STR_MAX - 1; a string without its NUL
 * stops at descsz. */
static void test_note_strings(void)
{
	char longname[200];
	struct elf_xen_info info;
	struct notes n;
	const char *why;
	struct img im;

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	img_init(&im);
	linux_notes(&n);
	note_str(&n, XEN_ELFNOTE_LOADER, longname);
	note_add(&n, "Xen", XEN_ELFNOTE_PAE_MODE, "yesno", 3);
	img_add_note_area(&im, &n, true, false);
	img_add_load(&im, 0x1000000, 0x100, 0x100);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK_EQ(strlen(info.loader), ELF_NOTE_STR_MAX - 1);
	CHECK(!strcmp(info.pae_mode, "yes"));
	CHECK(!strcmp(info.guest_os, "linux"));
}

static void test_section_notes_only(void)
{
	struct elf_xen_info info;
	struct notes n;
	const char *why;
	struct img im;

	img_init(&im);
	linux_notes(&n);
	note_u32(&n, XEN_ELFNOTE_ENTRY, 0xC1000080u);
	img_add_shdr(&im, SHT_PROGBITS, 0, 0);
	img_add_note_area(&im, &n, false, true);
	img_add_load(&im, 0x1000000, 0x200, 0x1000);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK(info.notes_from_sections);
	CHECK_EQ(info.nr_xen_notes, 4);
	CHECK_EQ(info.entry, 0xC1000080u);
	CHECK_EQ(info.virt_kstart, 0xC1000000u);
	CHECK_EQ(info.virt_kend, 0xC1001000u);
	CHECK(!strcmp(info.guest_os, "linux"));
}

/* A PT_NOTE holding only other vendors' notes sends the parser to the
 * sections; one holding Xen notes keeps it away from them. */
static void test_segment_then_section(void)
{
	struct elf_xen_info info;
	struct notes gnu = { .len = 0 }, xen, other;
	const char *why;
	struct img im;

	note_add(&gnu, "GNU", 1, "abcdefgh", 8);
	note_add(&gnu, "Xe", 5, "abcd", 4);	/* looks close, is not Xen */
	linux_notes(&xen);
	note_str(&xen, XEN_ELFNOTE_LOADER, "from-section");

	img_init(&im);
	img_add_note_area(&im, &gnu, true, false);
	img_add_note_area(&im, &xen, false, true);
	img_add_load(&im, 0x1000000, 0x100, 0x100);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK(info.notes_from_sections);
	CHECK(!strcmp(info.loader, "from-section"));
	CHECK_EQ(info.nr_xen_notes, 4);

	linux_notes(&other);
	note_str(&other, XEN_ELFNOTE_LOADER, "from-segment");
	img_init(&im);
	img_add_note_area(&im, &other, true, false);
	img_add_note_area(&im, &xen, false, true);
	img_add_load(&im, 0x1000000, 0x100, 0x100);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK(!info.notes_from_sections);
	CHECK(!strcmp(info.loader, "from-segment"));
	CHECK_EQ(info.nr_xen_notes, 4);

	/* Section headers are not even looked at when PT_NOTE has Xen notes. */
	put16(im.b + 46, 7);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
}

static void test_entry_fallback(void)
{
	struct elf_xen_info info;
	struct notes n;
	const char *why;
	struct img im;

	img_init(&im);
	linux_notes(&n);
	img_add_note_area(&im, &n, true, false);
	img_add_load(&im, 0x1000000, 0x100, 0x100);
	put32(im.b + 24, 0xC1000123u);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK_EQ(info.entry, 0xC1000123u);
	CHECK(!info.has_hypercall_page);
	CHECK_EQ(info.features_supported, 0);
	CHECK_EQ(info.features_required, 0);
	CHECK_EQ(info.pae_mode[0], '\0');
}

static void test_numeric_note_sizes(void)
{
	struct elf_xen_info info;
	struct notes n;
	const char *why;
	struct img im;

	img_init(&im);
	memset(&n, 0, sizeof(n));
	note_u64(&n, XEN_ELFNOTE_VIRT_BASE, LINUX_VIRT_BASE, 0);
	note_u64(&n, XEN_ELFNOTE_PADDR_OFFSET, 0, 0);
	note_u64(&n, XEN_ELFNOTE_ENTRY, 0xC1000010u, 0);
	note_u64(&n, XEN_ELFNOTE_HYPERCALL_PAGE, 0xC1002000u, 0);
	img_add_note_area(&im, &n, true, false);
	img_add_load(&im, 0x1000000, 0x100, 0x3000);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK_EQ(info.virt_base, LINUX_VIRT_BASE);
	CHECK_EQ(info.entry, 0xC1000010u);
	CHECK_EQ(info.hypercall_page, 0xC1002000u);
	CHECK_EQ(info.seg[0].vaddr, 0xC1000000u);

	/* A high half, or any size but 4 and 8, is refused for every
	 * numeric note. */
	{
		static const uint32_t types[] = {
			XEN_ELFNOTE_ENTRY, XEN_ELFNOTE_HYPERCALL_PAGE,
			XEN_ELFNOTE_VIRT_BASE, XEN_ELFNOTE_PADDR_OFFSET,
		};
		unsigned int i;

		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			img_init(&im);
			linux_notes(&n);
			note_u64(&n, types[i], 0xC1000000u, 1);
			img_add_note_area(&im, &n, true, false);
			img_add_load(&im, 0x1000000, 0x100, 0x100);
			EXPECT_REFUSED(&im);

			img_init(&im);
			linux_notes(&n);
			note_add(&n, "Xen", types[i], "\x00\x10", 2);
			img_add_note_area(&im, &n, true, false);
			img_add_load(&im, 0x1000000, 0x100, 0x100);
			EXPECT_REFUSED(&im);
		}
	}
}

static void test_virt_addresses(void)
{
	struct elf_xen_info info;
	struct notes n;
	const char *why;
	struct img im;

	/* Linux: VIRT_BASE 0xC0000000, PADDR_OFFSET 0, p_paddr physical. */
	good_image(&im);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK_EQ(info.seg[0].vaddr, 0xC1000000u);
	CHECK_EQ(info.seg[1].vaddr, 0xC1400000u);

	/* PADDR_OFFSET == VIRT_BASE: p_paddr is already virtual. */
	img_init(&im);
	memset(&n, 0, sizeof(n));
	note_u32(&n, XEN_ELFNOTE_VIRT_BASE, LINUX_VIRT_BASE);
	note_u32(&n, XEN_ELFNOTE_PADDR_OFFSET, LINUX_VIRT_BASE);
	img_add_note_area(&im, &n, true, false);
	img_add_load(&im, 0xC0100000u, 0x100, 0x100);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK_EQ(info.seg[0].vaddr, 0xC0100000u);

	/* No PADDR_OFFSET: it is 0, so vaddr = p_paddr + virt_base. */
	img_init(&im);
	memset(&n, 0, sizeof(n));
	note_u32(&n, XEN_ELFNOTE_VIRT_BASE, 0x80000000u);
	img_add_note_area(&im, &n, true, false);
	img_add_load(&im, 0x200000, 0x100, 0x100);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK_EQ(info.paddr_offset, 0);
	CHECK_EQ(info.seg[0].vaddr, 0x80200000u);

	/* XTF style: neither note, p_paddr is the address (virt_base 0). */
	img_init(&im);
	memset(&n, 0, sizeof(n));
	note_str(&n, XEN_ELFNOTE_GUEST_OS, "XTF");
	img_add_note_area(&im, &n, true, false);
	img_add_load(&im, 0x100000, 0x100, 0x2000);
	img_add_load(&im, 0x10000, 0x10, 0x10);
	img_add_phdr(&im, PT_LOAD, 0, 0x900000, 0, 0);	/* empty: skipped */
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK_EQ(info.virt_base, 0);
	CHECK_EQ(info.nr_segs, 2);
	CHECK_EQ(info.seg[0].vaddr, 0x100000);
	CHECK_EQ(info.virt_kstart, 0x10000);
	CHECK_EQ(info.virt_kend, 0x102000);
}

static void test_header_refusals(void)
{
	struct img im;

	good_image(&im);
	im.b[1] = 'X';
	EXPECT_REFUSED(&im);

	good_image(&im);
	im.b[4] = 2;				/* ELFCLASS64 */
	EXPECT_REFUSED(&im);

	good_image(&im);
	im.b[5] = 2;				/* ELFDATA2MSB */
	EXPECT_REFUSED(&im);

	good_image(&im);
	put16(im.b + 18, 62);			/* EM_X86_64 */
	EXPECT_REFUSED(&im);

	good_image(&im);
	put16(im.b + 16, 3);			/* ET_DYN */
	EXPECT_REFUSED(&im);

	good_image(&im);
	put16(im.b + 16, 1);			/* ET_REL */
	EXPECT_REFUSED(&im);

	good_image(&im);
	put32(im.b + 28, (uint32_t)im.len - 16);	/* phdrs run past the end */
	EXPECT_REFUSED(&im);

	good_image(&im);
	put32(im.b + 28, 0xFFFFFFF0u);
	EXPECT_REFUSED(&im);

	good_image(&im);
	put32(im.b + 28, IMG_PHOFF + 1);	/* misaligned program headers */
	EXPECT_REFUSED(&im);

	good_image(&im);
	put16(im.b + 44, 0xFFFF);		/* e_phnum far too large */
	EXPECT_REFUSED(&im);

	good_image(&im);
	put16(im.b + 44, 0);			/* no program headers */
	EXPECT_REFUSED(&im);

	good_image(&im);
	put16(im.b + 42, 56);			/* Elf64_Phdr size */
	EXPECT_REFUSED(&im);

	good_image(&im);
	put16(im.b + 42, 0);
	EXPECT_REFUSED(&im);
}

/* Notes whose sizes do not fit their area: each is refused whether it is the
 * only note or follows good ones. */
static void bad_note_image(struct img *im, uint32_t namesz, uint32_t descsz,
			   uint32_t area_extra)
{
	struct notes n;

	img_init(im);
	linux_notes(&n);
	put32(n.b + n.len, namesz);
	put32(n.b + n.len + 4, descsz);
	put32(n.b + n.len + 8, XEN_ELFNOTE_ENTRY);
	memcpy(n.b + n.len + 12, "Xen", 4);
	n.len += 16 + area_extra;
	img_add_note_area(im, &n, true, false);
	img_add_load(im, 0x1000000, 0x100, 0x100);
}

static void test_note_refusals(void)
{
	static const uint32_t sizes[][2] = {
		{ 0xFFFFFFFFu, 4 }, { 4, 0xFFFFFFFFu },
		{ 0xFFFFFFFDu, 4 }, { 4, 0xFFFFFFFDu },	/* pad wraps to 0 */
		{ 0xFFFFFFFEu, 0xFFFFFFFEu }, { 4, 0xFFFFFFFCu },
		{ 257, 0 }, { 4, 65537 }, { 4, 4096 },	/* bigger than area */
		{ 4, 9 }, { 4, 5 },			/* padding past area */
		{ 0x80000000u, 0x80000000u },
	};
	struct elf_xen_info info;
	struct notes n;
	const char *why;
	struct img im;
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		bad_note_image(&im, sizes[i][0], sizes[i][1], 4);
		EXPECT_REFUSED(&im);
	}
	/* The same note with exactly its desc is fine. */
	bad_note_image(&im, 4, 4, 4);
	CHECK_EQ(parse_img(&im, &info, &why), 0);

	/*
	 * GRUB's i386-xen image ends its note area with PAE_MODE claiming 12
	 * bytes of which only "yes\0" is there: accepted as "yes".  The same
	 * cut without a NUL, or on a numeric note, is refused.
	 */
	img_init(&im);
	linux_notes(&n);
	note_add_raw(&n, "Xen", 4, 12, XEN_ELFNOTE_PAE_MODE, "yes", 4);
	img_add_note_area(&im, &n, true, false);
	img_add_load(&im, 0x1000000, 0x100, 0x100);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK(!strcmp(info.pae_mode, "yes"));
	img_init(&im);
	linux_notes(&n);
	note_add_raw(&n, "Xen", 4, 12, XEN_ELFNOTE_PAE_MODE, "yesy", 4);
	img_add_note_area(&im, &n, true, false);
	img_add_load(&im, 0x1000000, 0x100, 0x100);
	EXPECT_REFUSED(&im);
	img_init(&im);
	linux_notes(&n);
	note_add_raw(&n, "Xen", 4, 8, XEN_ELFNOTE_VIRT_BASE, "\0\0\0\0", 4);
	img_add_note_area(&im, &n, true, false);
	img_add_load(&im, 0x1000000, 0x100, 0x100);
	EXPECT_REFUSED(&im);

	/* Trailing bytes shorter than a note header are ignored. */
	img_init(&im);
	linux_notes(&n);
	n.len += 8;
	img_add_note_area(&im, &n, true, false);
	img_add_load(&im, 0x1000000, 0x100, 0x100);
	CHECK_EQ(parse_img(&im, &info, &why), 0);

	/* Note area past the end of the image, or wrapping 4 GiB. */
	good_image(&im);
	put32(img_phdr(&im, 0) + 16, (uint32_t)im.len);	/* p_filesz */
	EXPECT_REFUSED(&im);
	good_image(&im);
	put32(img_phdr(&im, 0) + 4, (uint32_t)im.len + 4);	/* p_offset */
	EXPECT_REFUSED(&im);
	good_image(&im);
	put32(img_phdr(&im, 0) + 4, 0xFFFFFFF0u);
	put32(img_phdr(&im, 0) + 16, 0x20);
	EXPECT_REFUSED(&im);

	/* Same in a section. */
	img_init(&im);
	linux_notes(&n);
	img_add_note_area(&im, &n, false, true);
	img_add_load(&im, 0x1000000, 0x100, 0x100);
	put32(im.b + IMG_SHOFF + 20, 0xFFFFFFFFu);		/* sh_size */
	EXPECT_REFUSED(&im);

	/* Section headers out of bounds or of the wrong size, when needed. */
	img_init(&im);
	linux_notes(&n);
	img_add_note_area(&im, &n, false, true);
	img_add_load(&im, 0x1000000, 0x100, 0x100);
	put32(im.b + 32, (uint32_t)im.len - 20);		/* e_shoff */
	EXPECT_REFUSED(&im);
	put32(im.b + 32, IMG_SHOFF);
	put16(im.b + 46, 64);					/* e_shentsize */
	EXPECT_REFUSED(&im);
	put16(im.b + 46, 40);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
}

static void test_segment_refusals(void)
{
	struct elf_xen_info info;
	struct notes n;
	const char *why;
	struct img im;
	unsigned int i;

	good_image(&im);					/* phdr 1 is a load */
	put32(img_phdr(&im, 1) + 16, 0x4000);			/* filesz > memsz */
	EXPECT_REFUSED(&im);

	good_image(&im);
	put32(img_phdr(&im, 1) + 4, (uint32_t)im.len + 0x1000);	/* offset */
	EXPECT_REFUSED(&im);

	good_image(&im);
	put32(img_phdr(&im, 2) + 4, (uint32_t)im.len - 0x80);	/* runs off */
	EXPECT_REFUSED(&im);

	good_image(&im);
	put32(img_phdr(&im, 2) + 4, 0xFFFFFF80u);		/* offset wraps */
	EXPECT_REFUSED(&im);

	/* vaddr 0xFFFFF000 + 0x2000 wraps the 4 GiB boundary. */
	good_image(&im);
	put32(img_phdr(&im, 1) + 12, 0x3FFFF000u);
	EXPECT_REFUSED(&im);
	/* Ending exactly at 4 GiB is refused too: virt_kend could not say so. */
	good_image(&im);
	put32(img_phdr(&im, 2) + 12, 0x3FFFFF00u);
	EXPECT_REFUSED(&im);
	good_image(&im);
	put32(img_phdr(&im, 2) + 12, 0x3FFFFE00u);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK_EQ(info.virt_kend, 0xFFFFFF00u);

	/* ELF_MAX_SEGMENTS loads are fine, one more is refused. */
	img_init(&im);
	linux_notes(&n);
	img_add_note_area(&im, &n, true, false);
	for (i = 0; i < ELF_MAX_SEGMENTS; i++)
		img_add_load(&im, 0x1000000 + i * 0x1000, 0x10, 0x1000);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK_EQ(info.nr_segs, ELF_MAX_SEGMENTS);
	CHECK_EQ(info.virt_kend, 0xC1000000u + ELF_MAX_SEGMENTS * 0x1000);
	img_add_phdr(&im, PT_LOAD, IMG_DATA, 0x2000000, 0, 0);	/* empty: ok */
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	img_add_load(&im, 0x1800000, 0x10, 0x10);
	EXPECT_REFUSED(&im);

	/* No loadable segment at all, or only empty ones. */
	img_init(&im);
	linux_notes(&n);
	img_add_note_area(&im, &n, true, false);
	EXPECT_REFUSED(&im);
	img_add_phdr(&im, PT_LOAD, IMG_DATA, 0x1000000, 0, 0);
	EXPECT_REFUSED(&im);
}

static void test_other_refusals(void)
{
	struct notes n = { .len = 0 };
	struct img im;

	/* No notes anywhere. */
	img_init(&im);
	img_add_load(&im, 0x1000000, 0x100, 0x100);
	EXPECT_REFUSED(&im);

	/* Only other vendors' notes, in a segment and a section. */
	note_add(&n, "GNU", XEN_ELFNOTE_ENTRY, "abcd", 4);
	note_add(&n, "XEN", XEN_ELFNOTE_ENTRY, "abcd", 4);
	note_add_raw(&n, "Xen", 3, 4, XEN_ELFNOTE_ENTRY, "abcd", 4);	/* unterminated */
	img_init(&im);
	img_add_note_area(&im, &n, true, true);
	img_add_load(&im, 0x1000000, 0x100, 0x100);
	EXPECT_REFUSED(&im);

	/* Required features this hypervisor does not know. */
	img_init(&im);
	linux_notes(&n);
	note_str(&n, XEN_ELFNOTE_FEATURES, "writable_page_tables|!no_such_feature");
	img_add_note_area(&im, &n, true, false);
	img_add_load(&im, 0x1000000, 0x100, 0x100);
	EXPECT_REFUSED(&im);

	img_init(&im);
	linux_notes(&n);
	note_str(&n, XEN_ELFNOTE_FEATURES, "!");
	img_add_note_area(&im, &n, true, false);
	img_add_load(&im, 0x1000000, 0x100, 0x100);
	EXPECT_REFUSED(&im);

	/* A known name cut short by descsz is not that feature. */
	img_init(&im);
	linux_notes(&n);
	note_add(&n, "Xen", XEN_ELFNOTE_FEATURES, "!dom0", 4);
	img_add_note_area(&im, &n, true, false);
	img_add_load(&im, 0x1000000, 0x100, 0x100);
	EXPECT_REFUSED(&im);

	/* Too short to be an ELF header. */
	good_image(&im);
	im.len = 51;
	EXPECT_REFUSED(&im);
}

static void test_parse_features(void)
{
	uint32_t sup = 0, req = 0;
	const char *why = NULL;

	CHECK_EQ(elf_xen_parse_features("dom0|!hvm_pirqs|x", 17, &sup, &req, &why), 0);
	CHECK_EQ(sup, (1u << XENFEAT_dom0) | (1u << XENFEAT_hvm_pirqs));
	CHECK_EQ(req, 1u << XENFEAT_hvm_pirqs);
	/* len bounds the string even without a NUL. */
	sup = req = 0;
	CHECK_EQ(elf_xen_parse_features("dom0|!bogus", 4, &sup, &req, &why), 0);
	CHECK_EQ(sup, 1u << XENFEAT_dom0);
	CHECK_EQ(req, 0);
	CHECK_EQ(elf_xen_parse_features("dom0|!bogus", 11, &sup, &req, &why), -1);
	CHECK(why && why[0]);
	CHECK(!strcmp(elf_xen_feature_name(XENFEAT_dom0), "dom0"));
	CHECK(elf_xen_feature_name(1000) == NULL);
}

/* Every prefix of a good image is refused or parsed within its bounds. */
static void test_truncations(void)
{
	struct elf_xen_info info;
	struct notes n;
	const char *why;
	struct img im;
	size_t len, parsed = 0, full;
	unsigned int i;

	img_init(&im);
	linux_notes(&n);
	note_str(&n, XEN_ELFNOTE_FEATURES, "!writable_page_tables|dom0");
	note_u32(&n, XEN_ELFNOTE_HYPERCALL_PAGE, 0xC1001000u);
	img_add_note_area(&im, &n, true, true);
	img_add_load(&im, 0x1000000, 0x300, 0x3000);
	img_add_load(&im, 0x1400000, 0x20, 0x100);
	full = im.len;
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	for (len = 0; len < full; len++) {
		int r = parse_exact(im.b, len, &info, &why);

		check_count++;
		if (r == 0) {
			parsed++;
			for (i = 0; i < info.nr_segs; i++)
				if ((uint64_t)info.seg[i].offset + info.seg[i].filesz > len)
					r = -2;
		} else if (r != -1 || !why || !why[0]) {
			r = -2;
		}
		if (r == -2) {
			check_failures++;
			fprintf(stderr, "%s:%d: truncation to %zu bytes mishandled\n",
				__FILE__, __LINE__, len);
		}
	}
	/* The last load's bytes end the image: no prefix may parse. */
	CHECK_EQ(parsed, 0);
}

/*
 * The legacy "__xen_guest" string, laid out as GNU Mach's Xen kernel has it:
 * notes whose name is "name" (not Xen notes), then the string in a section
 * that the section-name table calls __xen_guest.  Segments at paddr
 * 0xC0000000 (ELF_PADDR_OFFSET = VIRT_BASE: loaded at 0xC0000000).
 */
static void guest_info_image(struct img *im, const char *gi, bool mach_notes)
{
	static const char names[] = "\0.text\0__xen_guest\0.shstrtab";
	uint32_t off, strs;
	struct notes n;
	uint8_t *sh;

	img_init(im);
	put32(im->b + 24, 0xC0000000u);		/* e_entry */
	img_add_shdr(im, 0, 0, 0);
	if (mach_notes) {
		memset(&n, 0, sizeof(n));
		note_add(&n, "name", XEN_ELFNOTE_VIRT_BASE, "\0\0\0\xc0", 4);
		img_add_note_area(im, &n, false, true);
	}
	off = img_append(im, gi, strlen(gi) + 1);
	img_add_shdr(im, 1, off, (uint32_t)strlen(gi) + 1);
	sh = im->b + IMG_SHOFF + (im->shnum - 1) * 40;
	put32(sh, 7);				/* sh_name: "__xen_guest" */
	strs = img_append(im, names, sizeof(names));
	img_add_shdr(im, 3, strs, sizeof(names));
	sh = im->b + IMG_SHOFF + (im->shnum - 1) * 40;
	put32(sh, 19);				/* ".shstrtab" */
	put16(im->b + 50, im->shnum - 1);	/* e_shstrndx */
	img_add_load(im, 0xC0000000u, 0x400, 0x2000);
}

#define MACH_GUEST_INFO "GUEST_OS=GNU Mach,GUEST_VERSION=1.3,XEN_VER=xen-3.0," \
	"VIRT_BASE=0xC0000000,ELF_PADDR_OFFSET=0xC0000000,HYPERCALL_PAGE=0x2," \
	"PAE=yes[extended-cr3],LOADER=generic,FEATURES=pae_pgdir_above_4gb"

static void test_guest_info(void)
{
	struct elf_xen_info info;
	const char *why;
	struct img im;

	guest_info_image(&im, MACH_GUEST_INFO, true);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK(info.from_guest_info);
	CHECK_EQ(info.nr_xen_notes, 0);		/* "name" notes are not Xen's */
	CHECK_EQ(info.virt_base, 0xC0000000u);
	CHECK_EQ(info.paddr_offset, 0xC0000000u);
	CHECK_EQ(info.virt_kstart, 0xC0000000u);
	CHECK_EQ(info.virt_kend, 0xC0002000u);
	CHECK_EQ(info.entry, 0xC0000000u);
	CHECK(info.has_hypercall_page);
	CHECK_EQ(info.hypercall_page, 0xC0002000u);
	CHECK(!strcmp(info.pae_mode, "yes[extended-cr3]"));
	CHECK(!strcmp(info.guest_os, "GNU Mach"));
	CHECK(!strcmp(info.loader, "generic"));
	CHECK(!strcmp(info.xen_version, "xen-3.0"));
	CHECK_EQ(info.features_supported, 1u << XENFEAT_pae_pgdir_above_4gb);
	CHECK_EQ(info.features_required, 0);

	/* Defaults: ELF_PADDR_OFFSET is VIRT_BASE; "yes..." reads as "yes". */
	guest_info_image(&im, "VIRT_BASE=0xC0000000,VIRT_ENTRY=0xc0000100,"
			 "PAE=yes-please,BSD_SYMTAB", false);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK_EQ(info.paddr_offset, 0xC0000000u);
	CHECK_EQ(info.entry, 0xC0000100u);
	CHECK(!strcmp(info.pae_mode, "yes"));
	CHECK(info.bsd_symtab);
	CHECK(!info.has_hypercall_page);

	/* Octal and decimal numbers, and no VIRT_BASE at all (base 0). */
	guest_info_image(&im, "HYPERCALL_PAGE=010,PAE=bimodal", false);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK_EQ(info.hypercall_page, 0x8000u);
	CHECK(!strcmp(info.pae_mode, "bimodal"));
	guest_info_image(&im, "HYPERCALL_PAGE=12", false);
	CHECK_EQ(parse_img(&im, &info, &why), 0);
	CHECK_EQ(info.hypercall_page, 0xC000u);

	/* A real Xen note wins: the string is not read. */
	{
		struct notes n;

		guest_info_image(&im, "VIRT_BASE=0x1000", false);
		linux_notes(&n);
		img_add_note_area(&im, &n, false, true);
		CHECK_EQ(parse_img(&im, &info, &why), 0);
		CHECK(!info.from_guest_info);
		CHECK_EQ(info.virt_base, LINUX_VIRT_BASE);
	}
}

static void test_guest_info_refusals(void)
{
	static const char *const bad[] = {
		"VIRT_BASE=0xC000000G", "VIRT_BASE=", "VIRT_BASE=0x",
		"VIRT_BASE=0x100000000", "VIRT_BASE=099", "HYPERCALL_PAGE=0x100000",
		"VIRT_BASE=0xC0000000,HYPERCALL_PAGE=0x40000",	/* wraps to 0 */
		"ELF_PADDR_OFFSET=0", "FEATURES=!no_such_feature",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345=1",	/* a 32-character name */
	};
	char longval[200];
	unsigned int i;
	struct img im;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		guest_info_image(&im, bad[i], false);
		EXPECT_REFUSED(&im);
	}
	memset(longval, 'y', sizeof(longval));
	memcpy(longval, "PAE=", 4);
	longval[4 + 129] = '\0';		/* a 129-character value */
	guest_info_image(&im, longval, false);
	EXPECT_REFUSED(&im);
	longval[4 + 128] = '\0';
	guest_info_image(&im, longval, false);
	{
		struct elf_xen_info info;
		const char *why;

		CHECK_EQ(parse_img(&im, &info, &why), 0);
	}
}

/* Every prefix of the legacy image is refused or parsed, never overread. */
static void test_guest_info_truncations(void)
{
	struct elf_xen_info info;
	const char *why;
	struct img im;
	size_t len;

	guest_info_image(&im, MACH_GUEST_INFO, true);
	for (len = 0; len < im.len; len++) {
		int r = parse_exact(im.b, len, &info, &why);

		CHECK(r == -1 && why && why[0]);
	}
}

int main(void)
{
	test_full_notes();
	test_note_strings();
	test_section_notes_only();
	test_segment_then_section();
	test_entry_fallback();
	test_numeric_note_sizes();
	test_virt_addresses();
	test_header_refusals();
	test_note_refusals();
	test_segment_refusals();
	test_other_refusals();
	test_parse_features();
	test_truncations();
	test_guest_info();
	test_guest_info_refusals();
	test_guest_info_truncations();
	return check_done();
}
