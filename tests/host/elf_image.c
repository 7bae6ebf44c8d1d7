/*
 * elf_image.c - the ELF32 image builder of tests/host/test_elf.c: ELF
 * header, program and section headers, note areas of Xen notes, parsing
 * an exactly-sized copy (so that a sanitizer build catches any read past
 * the end) and checking refusals.  See elf_image.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "elf_image.h"
#include <public/elfnote.h>

void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

/* An empty ET_EXEC EM_386 image: header only, no headers, entry 0xC1000000. */
void img_init(struct img *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->b, "\x7f" "ELF\x01\x01\x01", 7);
	put16(im->b + 16, 2);			/* e_type = ET_EXEC */
	put16(im->b + 18, 3);			/* e_machine = EM_386 */
	put32(im->b + 20, 1);			/* e_version */
	put32(im->b + 24, 0xC1000000u);		/* e_entry */
	put32(im->b + 28, IMG_PHOFF);		/* e_phoff */
	put16(im->b + 40, 52);			/* e_ehsize */
	put16(im->b + 42, 32);			/* e_phentsize */
	put16(im->b + 46, 40);			/* e_shentsize */
	im->len = IMG_DATA;
}

/* Append bytes (4-byte aligned); returns their file offset. */
uint32_t img_append(struct img *im, const void *data, size_t n)
{
	uint32_t off = (uint32_t)((im->len + 3) & ~(size_t)3);

	if (off + n > IMG_SIZE) {
		fprintf(stderr, "test image too large\n");
		exit(2);
	}
	if (data)
		memcpy(im->b + off, data, n);
	else
		memset(im->b + off, 0xcc, n);
	im->len = off + n;
	return off;
}

uint8_t *img_phdr(struct img *im, unsigned int i)
{
	return im->b + IMG_PHOFF + i * 32;
}

void img_add_phdr(struct img *im, uint32_t type, uint32_t offset,
		  uint32_t paddr, uint32_t filesz, uint32_t memsz)
{
	uint8_t *p;

	if (im->phnum == IMG_MAX_PHDRS) {
		fprintf(stderr, "too many test phdrs\n");
		exit(2);
	}
	p = img_phdr(im, im->phnum++);
	put32(p, type);
	put32(p + 4, offset);
	put32(p + 8, paddr + LINUX_VIRT_BASE);	/* p_vaddr: not used */
	put32(p + 12, paddr);
	put32(p + 16, filesz);
	put32(p + 20, memsz);
	put32(p + 24, 7);
	put32(p + 28, 4);
	put16(im->b + 44, im->phnum);
}

void img_add_shdr(struct img *im, uint32_t type, uint32_t offset,
		  uint32_t size)
{
	uint8_t *p;

	if (im->shnum == IMG_MAX_SHDRS) {
		fprintf(stderr, "too many test shdrs\n");
		exit(2);
	}
	p = im->b + IMG_SHOFF + im->shnum++ * 40;
	put32(p + 4, type);
	put32(p + 16, offset);
	put32(p + 20, size);
	put32(p + 32, 4);
	put32(im->b + 32, IMG_SHOFF);		/* e_shoff */
	put16(im->b + 48, im->shnum);
}

/* A loadable segment of filesz bytes of filler at paddr. */
void img_add_load(struct img *im, uint32_t paddr, uint32_t filesz,
		  uint32_t memsz)
{
	uint32_t off = img_append(im, NULL, filesz);

	img_add_phdr(im, PT_LOAD, off, paddr, filesz, memsz);
}

uint32_t img_add_note_area(struct img *im, const struct notes *n,
			   bool as_segment, bool as_section)
{
	uint32_t off = img_append(im, n->b, n->len);

	if (as_segment)
		img_add_phdr(im, PT_NOTE, off, 0, n->len, n->len);
	if (as_section)
		img_add_shdr(im, SHT_NOTE, off, n->len);
	return off;
}

void note_add_raw(struct notes *n, const char *name, uint32_t namesz,
		  uint32_t descsz, uint32_t type, const void *desc,
		  uint32_t desc_bytes)
{
	uint32_t name_pad = (namesz + 3) & ~3u;

	put32(n->b + n->len, namesz);
	put32(n->b + n->len + 4, descsz);
	put32(n->b + n->len + 8, type);
	n->len += 12;
	memset(n->b + n->len, 0, name_pad);
	memcpy(n->b + n->len, name, strlen(name));
	n->len += name_pad;
	memset(n->b + n->len, 0, (desc_bytes + 3) & ~3u);
	memcpy(n->b + n->len, desc, desc_bytes);
	n->len += (desc_bytes + 3) & ~3u;
}

void note_add(struct notes *n, const char *name, uint32_t type,
	      const void *desc, uint32_t descsz)
{
	note_add_raw(n, name, (uint32_t)strlen(name) + 1, descsz, type, desc,
		     descsz);
}

void note_u32(struct notes *n, uint32_t type, uint32_t v)
{
	uint8_t d[4];

	put32(d, v);
	note_add(n, "Xen", type, d, 4);
}

void note_u64(struct notes *n, uint32_t type, uint32_t lo, uint32_t hi)
{
	uint8_t d[8];

	put32(d, lo);
	put32(d + 4, hi);
	note_add(n, "Xen", type, d, 8);
}

void note_str(struct notes *n, uint32_t type, const char *s)
{
	note_add(n, "Xen", type, s, (uint32_t)strlen(s) + 1);
}

/* Parse a copy of exactly len bytes of the image, as the hypervisor sees it. */
int parse_exact(const uint8_t *b, size_t len, struct elf_xen_info *info,
		const char **why)
{
	uint8_t *copy = malloc(len ? len : 1);
	int r;

	if (!copy) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	memcpy(copy, b, len);
	*why = NULL;
	r = elf_xen_parse(copy, len, info, why);
	free(copy);
	return r;
}

int parse_img(const struct img *im, struct elf_xen_info *info,
	      const char **why)
{
	return parse_exact(im->b, im->len, info, why);
}

/* The image must be refused, with a reason. */
void expect_refused(const struct img *im, const char *file, int line)
{
	struct elf_xen_info info;
	const char *why;
	int r = parse_img(im, &info, &why);

	check_count++;
	if (r != -1 || !why || !why[0]) {
		check_failures++;
		fprintf(stderr, "%s:%d: image not refused with a reason "
			"(r=%d, why=%s)\n", file, line, r, why ? why : "(null)");
	}
}

/* The Linux-style minimal notes: enough for a valid PV kernel. */
void linux_notes(struct notes *n)
{
	memset(n, 0, sizeof(*n));
	note_str(n, XEN_ELFNOTE_GUEST_OS, "linux");
	note_u32(n, XEN_ELFNOTE_VIRT_BASE, LINUX_VIRT_BASE);
	note_u32(n, XEN_ELFNOTE_PADDR_OFFSET, 0);
}

/* A good image: two loads at 16 MiB and 20 MiB, notes in a PT_NOTE. */
void good_image(struct img *im)
{
	struct notes n;

	img_init(im);
	linux_notes(&n);
	note_u32(&n, XEN_ELFNOTE_ENTRY, 0xC1000040u);
	img_add_note_area(im, &n, true, false);
	img_add_load(im, 0x1000000, 0x800, 0x3000);
	img_add_load(im, 0x1400000, 0x100, 0x100);
}
