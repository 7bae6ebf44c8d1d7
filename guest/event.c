/*
 * event.c - event channels in a Xylem PV kernel: the upcall entry, the
 * 2-level dispatcher, event_channel_op wrappers and the upcall mask.  See
 * event.h.
 */
#include "event.h"
#include "guest.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include <public/callback.h>
#include <public/errno.h>
#include <public/vcpu.h>
#include <public/version.h>

#define STR_(x)		#x
#define STR(x)		STR_(x)
#define BITS_PER_WORD	32u

struct port_handler {
	evtchn_handler_t fn;
	void *data;
};

static struct port_handler handlers[NR_EVENT_CHANNELS];
static volatile uint32_t upcalls, strays;

void evtchn_upcall_entry(void);

/*
 * Entered by a bounce frame (eip, cs, eflags; plus esp, ss from ring 3)
 * with events masked.  The C code may clobber eax, ecx, edx; the data
 * selectors may be ring 3's.  The iret stub pushes eax itself.
 */
_Static_assert(__HYPERVISOR_iret == 23, "the iret stub moved");
asm(".pushsection .text\n"
    ".globl evtchn_upcall_entry\n"
    "evtchn_upcall_entry:\n"
    "	pushl	%eax\n"
    "	pushl	%ecx\n"
    "	pushl	%edx\n"
    "	pushl	%ds\n"
    "	pushl	%es\n"
    "	movl	$" STR(FLAT_RING1_DS) ", %eax\n"
    "	movl	%eax, %ds\n"
    "	movl	%eax, %es\n"
    "	cld\n"
    "	call	evtchn_do_upcall\n"
    "	popl	%es\n"
    "	popl	%ds\n"
    "	popl	%edx\n"
    "	popl	%ecx\n"
    "	popl	%eax\n"
    "	jmp	hypercall_page + 23 * 32\n"
    ".popsection\n");

static struct vcpu_info *vcpu0(void)
{
	return this_vcpu_info();
}

static volatile uint32_t *pending_word(evtchn_port_t port)
{
	return &shared_info_page->evtchn_pending[port / BITS_PER_WORD];
}

static volatile uint32_t *mask_word(evtchn_port_t port)
{
	return &shared_info_page->evtchn_mask[port / BITS_PER_WORD];
}

static uint32_t port_bit(evtchn_port_t port)
{
	return 1u << (port % BITS_PER_WORD);
}

static bool port_ok(evtchn_port_t port)
{
	return port > 0 && port < NR_EVENT_CHANNELS;
}

int evtchn_init(void)
{
	struct callback_register reg = {
		.type = CALLBACKTYPE_event,
		.flags = CALLBACKF_mask_events,
		.address = { FLAT_KERNEL_CS, (uint32_t)evtchn_upcall_entry },
	};

	if (!shared_info_page && !mm_map_shared_info())
		return -XEN_EFAULT;
	return (int)hypercall(__HYPERVISOR_callback_op, CALLBACKOP_register,
			      (uint32_t)&reg, 0, 0, 0);
}

int evtchn_set_handler(evtchn_port_t port, evtchn_handler_t fn, void *data)
{
	bool on;

	if (!port_ok(port))
		return -XEN_EINVAL;
	on = local_irq_save();
	handlers[port].fn = fn;
	handlers[port].data = data;
	local_irq_restore(on);
	return 0;
}

static void dispatch_port(evtchn_port_t port)
{
	const struct port_handler *h = &handlers[port];

	if (h->fn)
		h->fn(port, h->data);
	else
		strays++;
}

/* Handle every pending, unmasked port of selector word w. */
static void dispatch_word(uint32_t w)
{
	volatile uint32_t *pend = &shared_info_page->evtchn_pending[w];
	volatile uint32_t *mask = &shared_info_page->evtchn_mask[w];
	uint32_t ready, bit;

	while ((ready = *pend & ~*mask) != 0) {
		bit = (uint32_t)__builtin_ctz(ready);
		__atomic_fetch_and(pend, ~(1u << bit), __ATOMIC_SEQ_CST);
		dispatch_port(w * BITS_PER_WORD + bit);
	}
}

void evtchn_do_upcall(void)
{
	struct vcpu_info *vi = vcpu0();
	uint32_t sel;

	upcalls++;
	do {
		ACCESS_ONCE(vi->evtchn_upcall_pending) = 0;
		sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0,
					  __ATOMIC_SEQ_CST);
		while (sel) {
			dispatch_word((uint32_t)__builtin_ctz(sel));
			sel &= sel - 1;
		}
	} while (ACCESS_ONCE(vi->evtchn_upcall_pending));
}

static int evtchn_op(uint32_t cmd, void *arg)
{
	return (int)HYPERVISOR_event_channel_op(cmd, arg);
}

int evtchn_bind_virq(uint32_t virq, evtchn_port_t *port)
{
	struct evtchn_bind_virq b = { .virq = virq, .vcpu = 0 };
	int rc = evtchn_op(EVTCHNOP_bind_virq, &b);

	if (!rc)
		*port = b.port;
	return rc;
}

int evtchn_alloc_unbound(domid_t remote_dom, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF,
					  .remote_dom = remote_dom };
	int rc = evtchn_op(EVTCHNOP_alloc_unbound, &a);

	if (!rc)
		*port = a.port;
	return rc;
}

int evtchn_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port,
			    evtchn_port_t *local_port)
{
	struct evtchn_bind_interdomain b = { .remote_dom = remote_dom,
					     .remote_port = remote_port };
	int rc = evtchn_op(EVTCHNOP_bind_interdomain, &b);

	if (!rc)
		*local_port = b.local_port;
	return rc;
}

int evtchn_send(evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };

	return evtchn_op(EVTCHNOP_send, &s);
}

int evtchn_close(evtchn_port_t port)
{
	struct evtchn_close c = { .port = port };
	int rc = evtchn_op(EVTCHNOP_close, &c);

	if (!rc)
		evtchn_set_handler(port, NULL, NULL);
	return rc;
}

int evtchn_move_vcpu_info(struct vcpu_info *where)
{
	struct vcpu_register_vcpu_info r;
	uint32_t va = (uint32_t)where;
	bool was_enabled = local_irq_save();
	long rc;

	r.mfn = virt_to_mfn(va);
	r.offset = va & (MM_PAGE_SIZE - 1);
	r.rsvd = 0;
	rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &r);
	if (!rc)
		vcpu_info_moved = where;
	local_irq_restore(was_enabled);
	return (int)rc;
}

int evtchn_status(evtchn_port_t port, struct evtchn_status *st)
{
	memset(st, 0, sizeof(*st));
	st->dom = DOMID_SELF;
	st->port = port;
	return evtchn_op(EVTCHNOP_status, st);
}

void evtchn_mask(evtchn_port_t port)
{
	if (port_ok(port))
		__atomic_fetch_or(mask_word(port), port_bit(port),
				  __ATOMIC_SEQ_CST);
}

/*
 * Clearing the bit is enough unless the port became pending while it was
 * masked: then the hypervisor must flag the selector and raise the
 * upcall, which the unmask hypercall does (and delivers on its way out
 * if events are enabled).
 */
void evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_unmask u = { .port = port };

	if (!port_ok(port))
		return;
	__atomic_fetch_and(mask_word(port), ~port_bit(port), __ATOMIC_SEQ_CST);
	if (*pending_word(port) & port_bit(port))
		evtchn_op(EVTCHNOP_unmask, &u);
}

bool evtchn_is_pending(evtchn_port_t port)
{
	return port_ok(port) && (*pending_word(port) & port_bit(port));
}

bool evtchn_is_masked(evtchn_port_t port)
{
	return port_ok(port) && (*mask_word(port) & port_bit(port));
}

void evtchn_clear_pending(evtchn_port_t port)
{
	if (port_ok(port))
		__atomic_fetch_and(pending_word(port), ~port_bit(port),
				   __ATOMIC_SEQ_CST);
}

uint32_t evtchn_upcall_count(void)
{
	return upcalls;
}

uint32_t evtchn_stray_events(void)
{
	return strays;
}

void local_irq_disable(void)
{
	ACCESS_ONCE(vcpu0()->evtchn_upcall_mask) = 1;
	barrier();
}

/*
 * An upcall that became pending while we were masked is delivered by
 * the hypervisor on its way out of any hypercall: make a harmless one.
 */
void local_irq_enable(void)
{
	struct vcpu_info *vi = vcpu0();

	barrier();
	ACCESS_ONCE(vi->evtchn_upcall_mask) = 0;
	barrier();
	if (ACCESS_ONCE(vi->evtchn_upcall_pending))
		HYPERVISOR_xen_version(XENVER_version, NULL);
}

bool local_irq_save(void)
{
	struct vcpu_info *vi = vcpu0();
	bool was_enabled = !ACCESS_ONCE(vi->evtchn_upcall_mask);

	ACCESS_ONCE(vi->evtchn_upcall_mask) = 1;
	barrier();
	return was_enabled;
}

void local_irq_restore(bool enabled)
{
	if (enabled)
		local_irq_enable();
}
