/*
 * setup.h - boot-time facts other subsystems ask for.
 */
#ifndef XYLEM_SETUP_H
#define XYLEM_SETUP_H

#include <public/features.h>

/* Features Xylem offers guests (XENVER_get_features submap 0). */
#define XYLEM_FEATURES	((1u << XENFEAT_writable_page_tables) | \
			 (1u << XENFEAT_pae_pgdir_above_4gb) | \
			 (1u << XENFEAT_mmu_pt_update_preserve_ad))

/* The hypervisor's own command line, as the boot loader gave it. */
const char *hypervisor_cmdline(void);

#endif
