/*
 * builder.h - Dom0's domain builder: a pv32pae DomU from an ELF image,
 * made entirely through hypercalls (domctl, memory_op, mmu_update and
 * mmuext_op on the new domain's behalf, event_channel_op).
 *
 * dom_build() creates a paused domain: its memory (p->mem_kib), the
 * kernel loaded per its Xen ELF notes (hyp/elf.c, and refused for what
 * the hypervisor refuses in a Dom0 kernel), the initial region laid out
 * by hyp/bootlayout.c (P2M list, start_info, PV console ring, XenStore
 * ring, page tables, stack), the L3 pinned, the hypercall page, the
 * console and XenStore event channels (each the DomU's unbound port,
 * bound to a Dom0 port), vCPU 0's
 * context and the BVT parameters.  It runs after dom_unpause().  Any
 * failure prints "builder: NAME: ..." and destroys what was made: the
 * domain, its frames and the Dom0 port; it returns a negative XEN_E*
 * code.  One build at a time (the P2M being built is static).
 *
 * dom_destroy() closes Dom0's two ports and destroys the domain; the
 * caller first drops every other mapping it holds of the domain's frames
 * (consoled_remove()).
 *
 * Frames of another domain are mapped into Dom0 through a window slot of
 * guest/mm.h (mm_init() must have run) with mmu_update's foreigndom:
 * dom_map_foreign() / dom_unmap().  The builder itself uses slot
 * DOM_BUILD_SLOT and leaves it unmapped between calls.
 */
#ifndef XYLEM_DOM0_BUILDER_H
#define XYLEM_DOM0_BUILDER_H

#include <stdbool.h>
#include <stdint.h>
#include <public/domctl.h>
#include <public/event_channel.h>
#include <public/xen.h>
#include "domspec.h"

#define DOM_BUILD_SLOT		0u
#define DOM_MAX_PAGES		(DOMSPEC_MAX_MEM_KIB / 4)

struct dom_handle {
	domid_t domid;
	char name[DOMSPEC_NAME_MAX];
	uint32_t nr_pages;
	uint32_t console_mfn;		/* the DomU's ring page */
	evtchn_port_t console_port;	/* Dom0's end of the console channel */
	evtchn_port_t guest_console_port;
	uint32_t store_mfn;		/* the DomU's XenStore ring page */
	evtchn_port_t store_port;	/* Dom0's end of the XenStore channel */
	evtchn_port_t guest_store_port;
	uint32_t l3_mfn;
	uint32_t v_start, v_end, entry;
};

int dom_build(const struct dom_params *p, const void *elf, uint32_t len,
	      const char *cmdline, struct dom_handle *out);
int dom_unpause(const struct dom_handle *h);
int dom_pause(const struct dom_handle *h);
int dom_destroy(struct dom_handle *h);

/* domctl with cmd and domain set by the caller (the version is filled). */
int dom_domctl(struct xen_domctl *dc);
/* getdomaininfo of exactly domid (-XEN_ESRCH if it does not exist). */
int dom_getinfo(domid_t domid, struct xen_domctl_getdomaininfo *info);
/* Frames free in the hypervisor's allocator (sysctl physinfo). */
int dom_free_pages(uint64_t *free_pages);

int dom_map_foreign(unsigned int slot, domid_t dom, uint32_t mfn,
		    bool writable, void **va);
int dom_unmap(unsigned int slot);

#endif
