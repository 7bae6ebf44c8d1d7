/*
 * domain.h - domains and their vCPUs.
 *
 * A domain owns frames (frame_table[].owner), a shared_info page and
 * max_vcpus vCPUs (1 to MAX_VCPUS, all on the one physical CPU).  vCPU 0
 * is part of struct domain; the others are allocated when the domain's
 * vCPU count is raised (dom0_max_vcpus=, XEN_DOMCTL_max_vcpus) and live
 * as long as the domain.  A vCPU is "up" when it is neither down
 * (VCPUOP_down, or never brought up) nor uninitialised; vcpu.h says how a
 * guest starts and stops them.  Each vCPU has its own hypervisor stack; whenever the vCPU is in the hypervisor, its guest
 * context is the trap frame at the top of that stack (vcpu_frame), and a
 * vCPU that is switched out keeps its hypervisor context there too
 * (sched.c switches stacks).  Domains live in a table indexed by domid
 * (0 .. DOMID_MAX) and on a list in id order.
 *
 * Life cycle: created paused (pause_count 1; Dom0 is unpaused at boot),
 * runs once unpaused and its vCPU has a context, shuts down (never runs
 * again; the reason is kept and Dom0 gets VIRQ_DOM_EXC), and is destroyed
 * by Dom0: every frame it owned and every event channel is released, then
 * its structures and its id are free again.  Destruction is preemptible:
 * in between its steps the domain is DOMAIN_DYING, listed (getdomaininfo
 * says XEN_DOMINF_dying) but found by no lookup and never run.
 */
#ifndef XYLEM_DOMAIN_H
#define XYLEM_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>
#include "event.h"
#include "grant_table.h"
#include "pagetable.h"
#include "physdev.h"
#include "types.h"
#include "xstate.h"
#include "bvt.h"
#include "arch/x86_32/frame.h"
#include <public/arch-x86_32.h>
#include <public/vcpu.h>
#include <public/xen.h>

#define DOMAIN_NAME_MAX	32
#define DOMID_MAX	4095		/* highest id a domain can have */
#define VCPU_STACK_PAGES	2
/* Each vCPU has a vcpu_info slot in shared_info: XEN_LEGACY_MAX_VCPUS. */
#define MAX_VCPUS		32

struct vcpu {
	struct domain *domain;
	uint32_t vcpu_id;		/* index in domain->vcpu[] */
	uint32_t stack_top;		/* hypervisor stack; vcpu_frame() below it */
	uint32_t saved_esp;		/* hypervisor esp while switched out */
	bool initialised;		/* has a guest context to run */
	bool down;			/* VCPUOP_down, or not yet brought up */
	struct sched_entity sched;	/* the scheduling policy's view */
	uint32_t baseptr_mfn;		/* the guest's L3 (holds an L3 type ref) */
	uint64_t pdpt[4] __attribute__((aligned(32)));	/* CR3: copy of its 4 slots */
	struct trap_info traps[256];	/* the virtual IDT (set_trap_table) */
	uint32_t kernel_ss, kernel_sp;	/* stack_switch */
	uint32_t gdt_frames[FIRST_RESERVED_GDT_PAGE];	/* set_gdt, each typed */
	uint32_t gdt_nr_frames;
	uint32_t ldt_base, ldt_ents;	/* MMUEXT_SET_LDT; 0 entries = none */
	uint32_t ldt_frames[16];	/* its pages' frames, each typed */
	uint32_t ldt_nr_frames;
	struct xen_callback event_callback, failsafe_callback;
	struct xen_callback sysenter_callback;
	struct xen_callback syscall32_callback;	/* recorded, never entered */
	uint32_t callback_mask_events;	/* bit per CALLBACKTYPE_*: mask on entry */
	bool nmi_pending;		/* an NMI waits for delivery (nmi.h) */
	bool nmi_masked;		/* in its NMI handler: until iret */
	bool blocked;
	bool polling;			/* in SCHEDOP_poll: any event wakes it */
	uint64_t poll_deadline;		/* SCHEDOP_poll timeout, 0 = none */
	uint16_t virq_to_port[NR_VIRQS];
	uint64_t timer_deadline;	/* set_timer_op, ns system time; 0 = off */
	uint64_t periodic_period;	/* VIRQ_TIMER period in ns; 0 = off */
	uint64_t periodic_next;
	struct vcpu_runstate_info runstate;	/* virtual time */
	struct vcpu_info *vcpu_info;	/* in shared_info, or moved (vcpu_info.h) */
	uint32_t vcpu_info_mfn;		/* the page it was moved to, 0 = not moved */
	uint32_t runstate_guest;	/* guest copy's address, 0 = none */
	uint32_t time_guest;		/* vcpu_time_info copy's address, 0 = none */
	bool guest_cr0_ts;		/* the guest's virtual CR0.TS */
	bool fpu_used;			/* fpu_area holds a state */
	uint32_t dr[8];			/* debug registers (debugreg.h) */
	uint32_t dr7_emul;		/* DR7 enables of I/O breakpoints */
	bool guest_cr4_de;		/* the guest's virtual CR4.DE */
	bool guest_cr4_tsd;		/* its CR4.TSD: rdtsc outside ring 1 faults */
	uint8_t iopl;			/* virtual IOPL: 0 when created */
	uint32_t iobmp;			/* PHYSDEVOP_set_iobitmap: its address */
	uint32_t iobmp_limit;		/* ports below it are in the bitmap */
	bool in_multicall;		/* running a multicall's entries */
	bool hypercall_continued;	/* hypercall_continue() was called */
	uint32_t entry_args[3];		/* a multicall entry's, when it was */
	unsigned int entry_nargs;	/* how many of them it set */
	uint32_t xcr0;			/* its XCR0 (xstate.h) */
	/* fxsave image, or XSAVE area (standard form, xstate.h) */
	uint8_t fpu_area[XSTATE_AREA_MAX] __attribute__((aligned(64)));
};

enum domain_state { DOMAIN_RUNNING, DOMAIN_SHUTDOWN, DOMAIN_DYING };

struct domain {
	domid_t domid;
	uint32_t serial;		/* 1, 2, ... in creation order: ids are reused */
	char name[DOMAIN_NAME_MAX];
	bool privileged;
	enum domain_state state;
	uint32_t shutdown_reason;	/* SHUTDOWN_* once shut down */
	uint32_t pause_count;		/* domctl pause/unpause; runs at 0 */
	struct domain *next;		/* the domain list, in id order */
	uint32_t nr_pages, max_pages;
	uint8_t teardown_pass;		/* domain_destroy_step(): 0, unpin, free */
	uint32_t teardown_mfn;		/* its next frame */
	struct shared_info *shared_info;	/* xenheap page shared with it */
	uint32_t vm_assist;
	bool seg_assist_used;		/* 4gb_segments fixed an access (logged) */
	uint8_t traps_logged;		/* exceptions logged at debug level */
	uint32_t console_ring_mfn;	/* served by the hypervisor if nonzero */
	uint32_t start_info_mfn;	/* Dom0's start_info frame, 0 = none */
	struct gnttab gnttab;		/* grant_table.h */
	struct physdev_perms io;	/* physdev.h */
	struct vcpu vcpu0;
	struct vcpu *vcpu[MAX_VCPUS];	/* [0] = &vcpu0; NULL past max_vcpus */
	uint32_t max_vcpus;
	struct evtchn evtchn[NR_EVENT_CHANNELS];
};

static inline struct trap_frame *vcpu_frame(const struct vcpu *v)
{
	return (struct trap_frame *)(v->stack_top - sizeof(struct trap_frame));
}

struct vcpu *current_vcpu(void);
/* The domain with this id; NULL if none, and while it is being destroyed. */
struct domain *domain_lookup(domid_t domid);
/* The same, but a domain being destroyed too. */
struct domain *domain_lookup_dying(domid_t domid);
struct domain *current_domain(void);
void set_current(struct vcpu *v);

bool domain_is_privileged(const struct domain *d);
/* The domain as the page-table rules see it. */
struct pt_domain domain_pt_view(const struct domain *d);
/* The first domain in id order, and the one after d (NULL at the end). */
struct domain *domain_first(void);
struct domain *domain_next(const struct domain *d);
unsigned int domain_count(void);

/*
 * Create a paused domain with a blank vCPU: 0 and *out, or -XEN_EEXIST
 * (id taken), -XEN_EINVAL (id out of range), -XEN_ENOMEM.  domid 0 from a
 * caller other than the boot code means "the lowest free id above 0".
 */
int domain_create(domid_t domid, const char *name, bool privileged,
		  struct domain **out);
/*
 * Give d n vCPUs (n >= its current count, at most MAX_VCPUS): the new
 * ones are blank and down.  0, -XEN_EINVAL or -XEN_ENOMEM (nothing
 * added).
 */
int domain_set_max_vcpus(struct domain *d, uint32_t n);
/* d's vCPU id, or NULL if it has none by that id. */
struct vcpu *domain_vcpu(const struct domain *d, uint32_t id);
/*
 * Tear down d (not the current domain) in steps, as Xen's domain_kill:
 * the first step makes it DOMAIN_DYING (never runs again, domain_lookup()
 * no longer finds it); each step releases frames, a preemptible one only
 * until the hypercall has had its slice (hypercall_preempt_check).  True
 * once d is gone (its id free again); false while there is more to do:
 * call again with domain_lookup_dying(id).  domain_destroy() runs every
 * step at once.
 */
bool domain_destroy_step(struct domain *d, bool preemptible);
void domain_destroy(struct domain *d);
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);
/* Stop the domain for good, recording why; logs it and tells Dom0. */
void domain_shutdown(struct domain *d, uint32_t reason);
/* A guest error the guest cannot handle: log the reason and crash it. */
void domain_crash(struct domain *d, const char *why);

#endif
