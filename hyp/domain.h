/*
 * domain.h - domains and their vCPUs.
 *
 * A domain owns frames (frame_table[].owner), a shared_info page and one
 * vCPU (SMP guests are not supported yet).  A vCPU's user context is the
 * trap frame saved on the hypervisor stack whenever it enters the
 * hypervisor; the scheduler copies it out and in on a switch.  A domain
 * that shuts down or crashes never runs again; its shutdown reason is kept
 * for the control tools.
 */
#ifndef XYLEM_DOMAIN_H
#define XYLEM_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>
#include "event.h"
#include "pagetable.h"
#include "physdev.h"
#include "types.h"
#include "arch/x86_32/frame.h"
#include <public/arch-x86_32.h>
#include <public/vcpu.h>
#include <public/xen.h>

#define DOMAIN_NAME_MAX	32

struct vcpu {
	struct domain *domain;
	struct trap_frame frame;	/* saved guest context while not running */
	uint32_t baseptr_mfn;		/* the guest's L3 (holds an L3 type ref) */
	uint64_t pdpt[4] __attribute__((aligned(32)));	/* CR3: copy of its 4 slots */
	struct trap_info traps[256];	/* the virtual IDT (set_trap_table) */
	uint32_t kernel_ss, kernel_sp;	/* stack_switch */
	uint32_t gdt_frames[FIRST_RESERVED_GDT_PAGE];	/* set_gdt, each typed */
	uint32_t gdt_nr_frames;
	struct xen_callback event_callback, failsafe_callback, nmi_callback;
	uint32_t callback_mask_events;	/* bit per CALLBACKTYPE_*: mask on entry */
	bool blocked;
	bool polling;			/* in SCHEDOP_poll: any event wakes it */
	uint16_t virq_to_port[NR_VIRQS];
	uint64_t timer_deadline;	/* set_timer_op, ns system time; 0 = off */
	uint64_t periodic_period;	/* VIRQ_TIMER period in ns; 0 = off */
	uint64_t periodic_next;
	struct vcpu_runstate_info runstate;	/* virtual time */
	uint32_t runstate_guest;	/* guest copy's address, 0 = none */
	bool guest_cr0_ts;		/* the guest's virtual CR0.TS */
	bool fpu_used;			/* fpu_area holds a state */
	uint8_t fpu_area[512] __attribute__((aligned(16)));	/* fxsave image */
};

enum domain_state { DOMAIN_RUNNING, DOMAIN_SHUTDOWN };

struct domain {
	domid_t domid;
	char name[DOMAIN_NAME_MAX];
	bool privileged;
	enum domain_state state;
	uint32_t shutdown_reason;	/* SHUTDOWN_* once shut down */
	uint32_t nr_pages, max_pages;
	struct shared_info *shared_info;	/* xenheap page shared with it */
	uint32_t vm_assist;
	uint32_t console_ring_mfn;	/* served by the hypervisor if nonzero */
	uint32_t gnttab_frames[4];	/* grant_table.h, GNTTAB_MAX_FRAMES */
	uint32_t gnttab_nr_frames;
	struct physdev_perms io;	/* physdev.h */
	struct vcpu vcpu0;
	struct evtchn evtchn[NR_EVENT_CHANNELS];
};

struct vcpu *current_vcpu(void);
/* The domain with this id, or NULL. */
struct domain *domain_lookup(domid_t domid);
struct domain *current_domain(void);
void set_current(struct vcpu *v);

bool domain_is_privileged(const struct domain *d);
/* The domain as the page-table rules see it. */
struct pt_domain domain_pt_view(const struct domain *d);
/* Allocate the structure and shared_info page; NULL when out of memory. */
struct domain *domain_create(domid_t domid, const char *name, bool privileged);
/* Stop the domain for good, recording why; logs it. */
void domain_shutdown(struct domain *d, uint32_t reason);
/* A guest error the guest cannot handle: log the reason and crash it. */
void domain_crash(struct domain *d, const char *why);

#endif
