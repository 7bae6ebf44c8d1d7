/*
 * modpack.h - find Dom0's boot modules in its initial ramdisk.
 *
 * With two or more modules after Dom0's kernel the ramdisk is a module
 * pack (include/public/modpack.h); with exactly one it is that module, as
 * boot module 1 with an empty command line.  modpack_open() tells the two
 * apart by the pack's magic (an ELF image cannot start with it), copies
 * the pack's header and entries into private memory once, and checks
 * everything before anything is used:
 *  - the header and its nr_modules entries (1..XYLEM_MODPACK_MAX) lie
 *    inside the ramdisk; total_length lies inside it too and bounds the
 *    rest;
 *  - every module starts on a 4 KiB boundary past the entries, ends
 *    inside total_length (no wrap-around), and overlaps no other module;
 *  - every command line is NUL-terminated within its field.
 * Errors return -XEN_EINVAL with *why set to a static sentence.
 * Freestanding (no library calls): host-tested.
 */
#ifndef XYLEM_DOM0_MODPACK_H
#define XYLEM_DOM0_MODPACK_H

#include <stdint.h>
#include <public/modpack.h>

struct modpack_module {
	uint32_t offset, length;		/* within the ramdisk */
	char cmdline[XYLEM_MODPACK_CMDLINE];
};

struct modpack {
	const uint8_t *base;			/* the ramdisk */
	uint32_t len;
	uint32_t nr;				/* boot modules 1..nr */
	struct modpack_module mod[XYLEM_MODPACK_MAX];
};

/* Index the ramdisk [base, base + len); len 0 means no modules at all. */
int modpack_open(const void *base, uint32_t len, struct modpack *p,
		 const char **why);

/* Boot module n (1..p->nr): its bytes, length and command line. */
int modpack_get(const struct modpack *p, uint32_t n, const uint8_t **data,
		uint32_t *len, const char **cmdline);

#endif
