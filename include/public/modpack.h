/*
 * include/public/modpack.h - how Dom0 receives more than one boot module
 * (a Xylem extension; Xen hands Dom0 a single initial ramdisk).
 *
 * Boot module 0 is Dom0's kernel.  With exactly one more module, that
 * module is Dom0's initial ramdisk as in Xen (start_info mod_start /
 * mod_len).  With two or more, the ramdisk is a module pack: this header,
 * then nr_modules entries, then the modules, each starting on a 4 KiB
 * boundary of the pack.  Module N (N >= 1) is boot module N; its entry
 * holds its offset from the start of the pack, its length, and the
 * module's command line (truncated, always NUL-terminated).
 */
#ifndef XYLEM_PUBLIC_MODPACK_H
#define XYLEM_PUBLIC_MODPACK_H

#include <stdint.h>

#define XYLEM_MODPACK_MAGIC	"XYLMODS1"	/* 8 bytes, no NUL */
#define XYLEM_MODPACK_MAX	64
#define XYLEM_MODPACK_CMDLINE	116

struct xylem_modpack_entry {
	uint32_t offset;		/* from the pack's first byte */
	uint32_t length;
	uint32_t pad0;
	char cmdline[XYLEM_MODPACK_CMDLINE];
};

struct xylem_modpack_header {
	char magic[8];
	uint32_t nr_modules;		/* entries that follow */
	uint32_t total_length;		/* of the whole pack */
	struct xylem_modpack_entry entries[];
};

#endif
