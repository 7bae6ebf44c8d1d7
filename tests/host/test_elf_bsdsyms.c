/*
 * test_elf_bsdsyms.c - host unit tests for the BSD symbol area of hyp/elf.c
 * (XEN_ELFNOTE_BSD_SYMTAB): the note, elf_bsdsyms_locate(),
 * elf_bsdsyms_place(), elf_bsdsyms_header() and elf_bsdsyms_write().
 *
 * A small but complete kernel image is built in a byte buffer: ELF header,
 * a PT_LOAD and a PT_NOTE, Xen notes, a symbol table naming kernel_main, its
 * string table and a section table ([0] null, [1] notes, [2] .symtab linked
 * to [3] .strtab).  The area written for it is checked byte by byte against
 * Xen's layout and then read back the way a guest does (Ehdr -> e_shoff ->
 * symtab -> sh_link -> strtab) to find kernel_main.  Hostile section tables
 * (out of bounds, wrapping sizes, bad links, wrong entry size) must give
 * "no symbols"; every truncation of the good image is tried on a copy of
 * exactly that length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../hyp/elf.h"
#include <public/elfnote.h>

#define IMG_LEN		544
#define NOTES_AT	128
#define NOTES_LEN	60
#define SYMTAB_AT	256
#define SYMTAB_LEN	48
#define STRTAB_AT	320
#define SHOFF		384
#define SHNUM		4
#define VIRT_BASE	0xC0000000u
#define MAIN_ADDR	0xC0100010u

static const char strtab[] = "\0kernel_main\0_end";	/* 18 bytes with NUL */
#define STRTAB_LEN	((uint32_t)sizeof(strtab))

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

static uint32_t get16(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | get16(p + 2) << 16;
}

static uint8_t *shdr(uint8_t *img, unsigned int i)
{
	return img + SHOFF + i * 40;
}

static void set_shdr(uint8_t *img, unsigned int i, uint32_t type,
		     uint32_t off, uint32_t size, uint32_t link)
{
	uint8_t *p = shdr(img, i);

	put32(p, 7 * i);		/* sh_name: kept as is */
	put32(p + 4, type);
	put32(p + 16, off);
	put32(p + 20, size);
	put32(p + 24, link);
	put32(p + 28, type == 2 ? 1 : 0);	/* sh_info */
	put32(p + 32, 4);
	put32(p + 36, type == 2 ? 16 : 0);	/* sh_entsize */
}

static void put_note(uint8_t *p, uint32_t type, const char *desc4)
{
	put32(p, 4);
	put32(p + 4, 4);
	put32(p + 8, type);
	memcpy(p + 12, "Xen", 4);
	memcpy(p + 16, desc4, 4);
}

static void put_sym(uint8_t *p, uint32_t name, uint32_t value, uint8_t info)
{
	put32(p, name);
	put32(p + 4, value);
	put32(p + 8, 4);
	p[12] = info;
	p[13] = 0;
	put16(p + 14, 1);
}

/* The good image; bss makes pend 0x101001, so the area is at ...1004. */
static void good_image(uint8_t *img, const char *bsd_value)
{
	uint8_t vb[4];

	memset(img, 0, IMG_LEN);
	memcpy(img, "\x7f" "ELF\x01\x01\x01", 7);
	put16(img + 16, 2);
	put16(img + 18, 3);
	put32(img + 20, 1);
	put32(img + 24, MAIN_ADDR);
	put32(img + 28, 52);
	put32(img + 32, SHOFF);
	put32(img + 36, 0x1234);		/* e_flags: copied */
	put16(img + 40, 52);
	put16(img + 42, 32);
	put16(img + 44, 2);
	put16(img + 46, 40);
	put16(img + 48, SHNUM);
	put16(img + 50, 3);
	put32(img + 52, 1);			/* PT_LOAD */
	put32(img + 56, 0);
	put32(img + 64, 0x100000);
	put32(img + 68, 0x100);
	put32(img + 72, 0x1001);
	put32(img + 84, 4);			/* PT_NOTE */
	put32(img + 88, NOTES_AT);
	put32(img + 100, NOTES_LEN);
	put32(img + 104, NOTES_LEN);
	put32(vb, VIRT_BASE);
	put_note(img + NOTES_AT, XEN_ELFNOTE_BSD_SYMTAB, bsd_value);
	put_note(img + NOTES_AT + 20, XEN_ELFNOTE_VIRT_BASE, (const char *)vb);
	put_note(img + NOTES_AT + 40, XEN_ELFNOTE_PADDR_OFFSET, "\0\0\0\0");
	put_sym(img + SYMTAB_AT + 16, 1, MAIN_ADDR, 0x12);
	put_sym(img + SYMTAB_AT + 32, 13, 0xC0101001u, 0x10);
	memcpy(img + STRTAB_AT, strtab, STRTAB_LEN);
	set_shdr(img, 1, 7, NOTES_AT, NOTES_LEN, 0);
	set_shdr(img, 2, 2, SYMTAB_AT, SYMTAB_LEN, 3);
	set_shdr(img, 3, 3, STRTAB_AT, STRTAB_LEN, 0);
}

/* Locate on a copy of exactly len bytes (so ASan sees any overrun). */
static bool locate_exact(const uint8_t *img, size_t len, struct elf_bsdsyms *s)
{
	uint8_t *copy = malloc(len ? len : 1);
	bool r;

	if (!copy)
		exit(2);
	memcpy(copy, img, len);
	r = elf_bsdsyms_locate(copy, len, s);
	free(copy);
	return r;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* What a guest does: find a symbol's value through the copied headers. */
static bool guest_lookup(const uint8_t *area, uint32_t area_len,
			 const char *name, uint32_t *value)
{
	const uint8_t *eh = area + 4, *sh1, *sh2;
	uint32_t size = get32(area), shoff = get32(eh + 32), i;
	uint32_t symoff, symsz, stroff, strsz;

	if (size + 4 > area_len || shoff + 3 * 40 > size)
		return false;
	sh1 = eh + shoff + 40;
	sh2 = eh + shoff + 40 * get32(sh1 + 24);
	symoff = get32(sh1 + 16);
	symsz = get32(sh1 + 20);
	stroff = get32(sh2 + 16);
	strsz = get32(sh2 + 20);
	if (symoff + symsz > size || stroff + strsz > size)
		return false;
	for (i = 0; i + 16 <= symsz; i += 16) {
		uint32_t n = get32(eh + symoff + i);

		if (n < strsz && !strncmp((const char *)eh + stroff + n, name,
					  strsz - n) &&
		    strlen(name) < strsz - n) {
			*value = get32(eh + symoff + i + 4);
			return true;
		}
	}
	return false;
}

static void test_note(void)
{
	static const char *const values[] = { "yes", "no", "yess", "" };
	static const bool expect[] = { true, false, false, false };
	uint8_t img[IMG_LEN];
	struct elf_xen_info info;
	const char *why = NULL;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		char v[5] = { 0 };

		memcpy(v, values[i], strlen(values[i]));
		good_image(img, v);
		CHECK_EQ(elf_xen_parse(img, IMG_LEN, &info, &why), 0);
		CHECK_EQ(info.bsd_symtab, expect[i]);
	}
	/* No note at all: turn it into an unknown type. */
	good_image(img, "yes");
	put32(img + NOTES_AT + 8, 99);
	CHECK_EQ(elf_xen_parse(img, IMG_LEN, &info, &why), 0);
	CHECK(!info.bsd_symtab);
}

static void check_header(const uint8_t *img, const uint8_t *a,
			 const struct elf_bsdsyms *s)
{
	const uint8_t *eh = a + 4;

	CHECK_EQ(get32(a), s->strtab_at + STRTAB_LEN - 4);
	CHECK(!memcmp(eh, img, 16));			/* e_ident */
	CHECK_EQ(get16(eh + 16), 2);
	CHECK_EQ(get16(eh + 18), 3);
	CHECK_EQ(get32(eh + 20), 1);
	CHECK_EQ(get32(eh + 24), MAIN_ADDR);
	CHECK_EQ(get32(eh + 28), 0);
	CHECK_EQ(get32(eh + 32), 64);			/* e_shoff */
	CHECK_EQ(get32(eh + 36), 0x1234);
	CHECK_EQ(get16(eh + 40), 52);
	CHECK_EQ(get16(eh + 42), 0);
	CHECK_EQ(get16(eh + 44), 0);
	CHECK_EQ(get16(eh + 46), 40);
	CHECK_EQ(get16(eh + 48), 3);
	CHECK_EQ(get16(eh + 50), 0);
	CHECK(all_zero(eh + 52, 12));			/* XSA-194 */
	CHECK(all_zero(eh + 64, 40));			/* section [0] */
	CHECK(!memcmp(eh + 104, shdr((uint8_t *)img, 2), 16));
	CHECK_EQ(get32(eh + 104 + 16), 256);		/* sh_offset */
	CHECK_EQ(get32(eh + 104 + 20), SYMTAB_LEN);
	CHECK_EQ(get32(eh + 104 + 24), 2);		/* sh_link */
	CHECK(!memcmp(eh + 104 + 28, shdr((uint8_t *)img, 2) + 28, 12));
	CHECK(!memcmp(eh + 144, shdr((uint8_t *)img, 3), 16));
	CHECK_EQ(get32(eh + 144 + 16), s->strtab_at - 4);
	CHECK(!memcmp(eh + 144 + 20, shdr((uint8_t *)img, 3) + 20, 20));
	CHECK(all_zero(a + 188, 260 - 188));
}

static void test_good_area(void)
{
	uint8_t img[IMG_LEN], area[600];
	struct elf_xen_info info;
	struct elf_bsdsyms s;
	const char *why = NULL;
	uint32_t start = 0, v = 0;

	good_image(img, "yes");
	CHECK_EQ(elf_xen_parse(img, IMG_LEN, &info, &why), 0);
	CHECK(locate_exact(img, IMG_LEN, &s));
	CHECK_EQ(s.symtab_index, 2);
	CHECK_EQ(s.strtab_index, 3);
	CHECK_EQ(s.symtab_offset, SYMTAB_AT);
	CHECK_EQ(s.strtab_size, STRTAB_LEN);
	CHECK_EQ(s.symtab_at, 260);
	CHECK_EQ(s.strtab_at, 260 + SYMTAB_LEN);
	CHECK_EQ(s.len, 260 + SYMTAB_LEN + 20);		/* 18 rounded up */
	CHECK(elf_bsdsyms_place(&info, s.len, &start));
	CHECK_EQ(info.virt_kend, 0xC0101001u);
	CHECK_EQ(start, 0xC0101004u);

	memset(area, 0xaa, sizeof(area));
	elf_bsdsyms_write(img, &s, area);
	check_header(img, area, &s);
	CHECK(!memcmp(area + 260, img + SYMTAB_AT, SYMTAB_LEN));
	CHECK(!memcmp(area + s.strtab_at, strtab, STRTAB_LEN));
	CHECK(all_zero(area + s.strtab_at + STRTAB_LEN, 2));
	CHECK(area[s.len] == 0xaa && area[sizeof(area) - 1] == 0xaa);
	CHECK(guest_lookup(area, s.len, "kernel_main", &v));
	CHECK_EQ(v, MAIN_ADDR);
	CHECK(guest_lookup(area, s.len, "_end", &v));
	CHECK_EQ(v, 0xC0101001u);
	CHECK(!guest_lookup(area, s.len, "kernel", &v));

	/* The header alone is the first 260 bytes of the whole area. */
	{
		uint8_t hdr[ELF_BSDSYMS_HDR_LEN];

		elf_bsdsyms_header(img, &s, hdr);
		CHECK(!memcmp(hdr, area, sizeof(hdr)));
	}
}

/* A symtab whose size is not a multiple of 4: zero padding before strtab. */
static void test_odd_symtab(void)
{
	uint8_t img[IMG_LEN], area[600];
	struct elf_bsdsyms s;

	good_image(img, "yes");
	put32(shdr(img, 2) + 20, 37);
	CHECK(locate_exact(img, IMG_LEN, &s));
	CHECK_EQ(s.strtab_at, 260 + 40);
	memset(area, 0xaa, sizeof(area));
	elf_bsdsyms_write(img, &s, area);
	CHECK(all_zero(area + 260 + 37, 3));
	CHECK_EQ(get32(area), 300 + STRTAB_LEN - 4);
	CHECK_EQ(get32(area + 4 + 144 + 16), 296);
}

/* Rounding is on the physical end: PADDR_OFFSET 2 moves virt by -2. */
static void test_place(void)
{
	struct elf_xen_info info = { 0 };
	uint32_t start = 0;

	info.virt_base = VIRT_BASE;
	info.paddr_offset = 2;
	info.virt_kend = 0x101001u + VIRT_BASE - 2;	/* pend 0x101001 */
	CHECK(elf_bsdsyms_place(&info, 100, &start));
	CHECK_EQ(start, 0x101004u + VIRT_BASE - 2);
	info.paddr_offset = 0;
	info.virt_kend = 0xC0101004u;			/* already aligned */
	CHECK(elf_bsdsyms_place(&info, 100, &start));
	CHECK_EQ(start, 0xC0101004u);
	info.virt_kend = 0xFFFFFF00u;
	CHECK(elf_bsdsyms_place(&info, 0xff, &start));
	CHECK(!elf_bsdsyms_place(&info, 0x100, &start));
	CHECK(!elf_bsdsyms_place(&info, 0xffffffffu, &start));
}

/* Apply one corruption to the good image; it must give no symbols. */
#define EXPECT_NONE(stmt) do {						\
	uint8_t img_[IMG_LEN];						\
	struct elf_bsdsyms s_;						\
	uint8_t *img = img_;						\
									\
	good_image(img, "yes");						\
	stmt;								\
	CHECK(!locate_exact(img, IMG_LEN, &s_));			\
	CHECK_EQ(s_.len, 0);						\
} while (0)

static void test_hostile(void)
{
	EXPECT_NONE(put32(img + 32, 0));			/* no e_shoff */
	EXPECT_NONE(put16(img + 48, 0));			/* no e_shnum */
	EXPECT_NONE(put16(img + 46, 64));			/* e_shentsize */
	EXPECT_NONE(put32(img + 32, SHOFF + 2));		/* unaligned */
	EXPECT_NONE(put32(img + 32, IMG_LEN - 120));		/* table past end */
	EXPECT_NONE(put32(img + 32, 0xfffffff0u));
	EXPECT_NONE(put16(img + 48, 0xffff));
	EXPECT_NONE(img[4] = 2);				/* ELFCLASS64 */
	EXPECT_NONE(img[0] = 0);
	EXPECT_NONE(put32(shdr(img, 2) + 4, 1));		/* no SYMTAB */
	EXPECT_NONE(put32(shdr(img, 2) + 24, 0));		/* link 0 */
	EXPECT_NONE(put32(shdr(img, 2) + 24, SHNUM));		/* link past */
	EXPECT_NONE(put32(shdr(img, 2) + 24, 0xffffffffu));
	EXPECT_NONE(put32(shdr(img, 2) + 24, 1));		/* to a NOTE */
	EXPECT_NONE(put32(shdr(img, 2) + 24, 2));		/* to itself */
	EXPECT_NONE(put32(shdr(img, 2) + 16, IMG_LEN));		/* data past end */
	EXPECT_NONE(put32(shdr(img, 2) + 20, IMG_LEN));
	EXPECT_NONE(put32(shdr(img, 2) + 20, 0xffffffffu));
	EXPECT_NONE(put32(shdr(img, 2) + 16, 0x10);
		    put32(shdr(img, 2) + 20, 0xfffffff8u));	/* wraps */
	EXPECT_NONE(put32(shdr(img, 3) + 16, 0xffffff00u));
	EXPECT_NONE(put32(shdr(img, 3) + 20, IMG_LEN - STRTAB_AT + 1));
	/* Xen's rule: a SYMTAB with a bad link ends the search. */
	EXPECT_NONE(set_shdr(img, 1, 2, SYMTAB_AT, SYMTAB_LEN, 9));
	/* Only section [0] is a SYMTAB: index 0 is never used. */
	EXPECT_NONE(set_shdr(img, 0, 2, SYMTAB_AT, SYMTAB_LEN, 3);
		    put32(shdr(img, 2) + 4, 1));
}

/* A later SYMTAB after one with a good link is ignored; empty tables work. */
static void test_choices(void)
{
	uint8_t img[IMG_LEN];
	struct elf_bsdsyms s;

	good_image(img, "yes");
	set_shdr(img, 1, 2, SYMTAB_AT + 16, 16, 3);
	CHECK(locate_exact(img, IMG_LEN, &s));
	CHECK_EQ(s.symtab_index, 1);
	CHECK_EQ(s.symtab_size, 16);
	good_image(img, "yes");
	put32(shdr(img, 2) + 20, 0);
	put32(shdr(img, 3) + 20, 0);
	CHECK(locate_exact(img, IMG_LEN, &s));
	CHECK_EQ(s.len, 260);
	CHECK_EQ(s.strtab_at, 260);
}

static void test_truncations(void)
{
	uint8_t img[IMG_LEN];
	struct elf_bsdsyms s;
	size_t len;
	unsigned int found = 0;

	good_image(img, "yes");
	for (len = 0; len <= IMG_LEN; len++) {
		if (!locate_exact(img, len, &s))
			continue;
		found++;
		CHECK(s.symtab_offset + s.symtab_size <= len);
		CHECK(s.strtab_offset + s.strtab_size <= len);
	}
	CHECK_EQ(found, 1);	/* the section table is last: only full length */
}

int main(void)
{
	test_note();
	test_good_area();
	test_odd_symtab();
	test_place();
	test_hostile();
	test_choices();
	test_truncations();
	return check_done();
}
