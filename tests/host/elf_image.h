/*
 * elf_image.h - the ELF32 image builder of tests/host/test_elf.c
 * (tests/host/elf_image.c): small kernel images in a byte buffer, with
 * Xen notes in note areas, and the parse and refusal checks run on them.
 *
 * Layout (fixed, so offsets stay 4-byte aligned): ELF header at 0,
 * program headers at IMG_PHOFF (room for IMG_MAX_PHDRS), section headers
 * at IMG_SHOFF (room for IMG_MAX_SHDRS), then appended data from
 * IMG_DATA.  A builder that runs out of room exits with status 2.
 */
#ifndef XYLEM_TESTS_ELF_IMAGE_H
#define XYLEM_TESTS_ELF_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../hyp/elf.h"

#define PT_LOAD		1
#define PT_NOTE		4
#define SHT_PROGBITS	1
#define SHT_NOTE	7

#define IMG_SIZE	16384
#define IMG_MAX_PHDRS	20
#define IMG_PHOFF	52
#define IMG_SHOFF	0x2c0
#define IMG_MAX_SHDRS	8
#define IMG_DATA	0x400

#define LINUX_VIRT_BASE	0xC0000000u

struct img {
	uint8_t b[IMG_SIZE];
	size_t len;
	uint16_t phnum, shnum;
};

struct notes {
	uint8_t b[2048];
	uint32_t len;
};

void put16(uint8_t *p, uint16_t v);
void put32(uint8_t *p, uint32_t v);

/* An empty ET_EXEC EM_386 image: header only, no headers, entry 0xC1000000. */
void img_init(struct img *im);
/* Append bytes (4-byte aligned, filler when data is NULL); their offset. */
uint32_t img_append(struct img *im, const void *data, size_t n);
uint8_t *img_phdr(struct img *im, unsigned int i);
void img_add_phdr(struct img *im, uint32_t type, uint32_t offset,
		  uint32_t paddr, uint32_t filesz, uint32_t memsz);
void img_add_shdr(struct img *im, uint32_t type, uint32_t offset,
		  uint32_t size);
/* A loadable segment of filesz bytes of filler at paddr. */
void img_add_load(struct img *im, uint32_t paddr, uint32_t filesz,
		  uint32_t memsz);
/* The notes as a PT_NOTE segment, a SHT_NOTE section, or both. */
uint32_t img_add_note_area(struct img *im, const struct notes *n,
			   bool as_segment, bool as_section);

void note_add_raw(struct notes *n, const char *name, uint32_t namesz,
		  uint32_t descsz, uint32_t type, const void *desc,
		  uint32_t desc_bytes);
void note_add(struct notes *n, const char *name, uint32_t type,
	      const void *desc, uint32_t descsz);
void note_u32(struct notes *n, uint32_t type, uint32_t v);
void note_u64(struct notes *n, uint32_t type, uint32_t lo, uint32_t hi);
void note_str(struct notes *n, uint32_t type, const char *s);

/* Parse a copy of exactly len bytes of the image, as the hypervisor sees it. */
int parse_exact(const uint8_t *b, size_t len, struct elf_xen_info *info,
		const char **why);
int parse_img(const struct img *im, struct elf_xen_info *info,
	      const char **why);
/* The image must be refused, with a reason: a check of check.h's. */
void expect_refused(const struct img *im, const char *file, int line);
#define EXPECT_REFUSED(im) expect_refused(im, __FILE__, __LINE__)

/* The Linux-style minimal notes: enough for a valid PV kernel. */
void linux_notes(struct notes *n);
/* A good image: two loads at 16 MiB and 20 MiB, notes in a PT_NOTE. */
void good_image(struct img *im);

#endif
