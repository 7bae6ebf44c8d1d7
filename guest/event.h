/*
 * event.h - event channels in a Xylem PV kernel: the upcall, per-port
 * handlers, the event_channel_op operations and the per-vCPU event mask.
 *
 * evtchn_init() (after mm_init()) maps shared_info if nobody has yet and
 * registers the event callback (callback_op, events masked on entry).  The
 * callback saves the registers, runs evtchn_do_upcall() and returns with
 * the iret hypercall, which restores the upcall mask from the saved
 * EFLAGS.IF.  evtchn_do_upcall() clears evtchn_upcall_pending, takes the
 * selector word with xchg, and for each flagged word handles every port
 * that is pending and not masked, lowest first: it clears the port's
 * pending bit, then calls the port's handler (a port without one is
 * counted in evtchn_stray_events() and otherwise dropped).
 *
 * Events start disabled (the vCPU's upcall mask is 1 at boot):
 * local_irq_enable() turns delivery on; if an upcall is already pending it
 * makes a null hypercall so the hypervisor delivers it on the way out.
 * Handlers run with events disabled, on the stack that was interrupted.
 *
 * Invariants: a port's pending bit is cleared before its handler runs, so
 * a send during the handler is seen again; bit operations on the shared
 * bitmaps are single locked instructions (the hypervisor sets bits
 * between any two of our instructions).  Operations return 0 or a
 * negative XEN_E* code; port arguments are range-checked here too.
 */
#ifndef XYLEM_GUEST_EVENT_H
#define XYLEM_GUEST_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <public/event_channel.h>
#include <public/xen.h>

typedef void (*evtchn_handler_t)(evtchn_port_t port, void *data);

int evtchn_init(void);

/* Handler for port (NULL removes it); -XEN_EINVAL for a bad port. */
int evtchn_set_handler(evtchn_port_t port, evtchn_handler_t fn, void *data);

/* event_channel_op commands; *port receives the new port. */
int evtchn_bind_virq(uint32_t virq, evtchn_port_t *port);
int evtchn_alloc_unbound(domid_t remote_dom, evtchn_port_t *port);
int evtchn_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port,
			    evtchn_port_t *local_port);
int evtchn_send(evtchn_port_t port);
/* Close port and forget its handler. */
int evtchn_close(evtchn_port_t port);
int evtchn_status(evtchn_port_t port, struct evtchn_status *st);

/* Per-port mask; unmask re-raises a port that became pending meanwhile. */
void evtchn_mask(evtchn_port_t port);
void evtchn_unmask(evtchn_port_t port);
bool evtchn_is_pending(evtchn_port_t port);
bool evtchn_is_masked(evtchn_port_t port);
void evtchn_clear_pending(evtchn_port_t port);

/* Upcalls run so far, and pending ports found without a handler. */
uint32_t evtchn_upcall_count(void);
uint32_t evtchn_stray_events(void);

/* The vCPU's upcall mask (evtchn_upcall_mask). */
void local_irq_disable(void);
void local_irq_enable(void);
/* Disable and return whether events were enabled; restore that. */
bool local_irq_save(void);
void local_irq_restore(bool enabled);

/*
 * VCPUOP_register_vcpu_info: move vCPU 0's vcpu_info to `where` (a
 * writable, mapped address of ours; 64 bytes must fit in its page), with
 * events disabled around the switch.  0 or the hypervisor's error; on
 * success every later access goes to the new copy (this_vcpu_info()).
 */
int evtchn_move_vcpu_info(struct vcpu_info *where);

/* Called by the entry stub only. */
void evtchn_do_upcall(void);

#endif
