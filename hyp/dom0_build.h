/*
 * dom0_build.h - build the first domain from the first boot module.
 *
 * The module must be a pv32pae Xen-ELF kernel: its notes are read
 * (elf.h), a kernel that is not PAE or that requires a feature Xylem lacks
 * is refused with a message naming why, and otherwise the builder
 * allocates the domain's memory, lays out its initial virtual region
 * (bootlayout.h), loads the image and its ramdisk (the other modules: one
 * as is, several as a module pack, include/public/modpack.h), builds and maps its initial page tables, fills start_info, the
 * P2M list and the hypercall page, and sets the vCPU's entry state:
 * ring 1, %esi = start_info, %esp = top of the bootstrap stack.
 */
#ifndef XYLEM_DOM0_BUILD_H
#define XYLEM_DOM0_BUILD_H

#include <stdint.h>
#include "domain.h"

struct boot_module {
	uint32_t start, end;	/* machine addresses */
	const char *cmdline;	/* with the image's own name stripped */
};

/* Returns 0, or -1 after logging why the kernel was refused. */
int dom0_build(struct domain *d, const struct boot_module *kernel,
	       const struct boot_module *mods, unsigned int nr_mods,
	       uint32_t nr_pages);

#endif
