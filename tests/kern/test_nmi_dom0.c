/*
 * test_nmi_dom0.c - the machine's NMIs reach Dom0's NMI handler, as on Xen
 * with nmi=dom0.  Run with "@nmi=req": each "NMI-REQUEST" line this kernel
 * prints makes scripts/nmi-inject.py send one NMI through QEMU's monitor.
 *  1. With no handler, a blocked vCPU 0 is woken by the NMI (before its
 *     5 s safety timer, as in every step), arch.nmi_reason gets bit 2
 *     (unknown), and nothing runs.
 *  2. CALLBACKTYPE_nmi registration raises the lost NMI again: the handler
 *     has run once when the hypercall returns, entered on the ring-1 flat
 *     code selector with events masked; the iret hypercall restores them.
 *  3. NMIs are masked in the handler: one requested there is held (no
 *     nesting) until the handler's iret, then delivered at once.
 *  4. XENNMI_unregister_callback: the next NMI is dropped; nmi_op
 *     XENNMI_register_callback raises it again, but not once the guest
 *     has cleared nmi_reason; an unknown nmi_op command is -ENOSYS and an
 *     unreadable argument -EFAULT.
 *  5. The handler is vector 2 of the trap table: set_trap_table's entry
 *     for vector 2 gets the next NMI.
 *  6. An NMI ends a SCHEDOP_poll (no ports, 5 s timeout) at once.
 * The hypervisor sets nmi_reason's bit for every NMI and never clears it;
 * the guest clears it before each request, to see the NMI arrive.  Any
 * wrong delivery has happened by then: it would be on the NMI's own trap.
 */
#include "ktest.h"
#include "event.h"
#include "time.h"
#include <public/callback.h>
#include <public/nmi.h>
#include <public/vcpu.h>

#define MS		1000000ull
#define STR_(x)		#x
#define STR(x)		STR_(x)
#define SAFETY_NS	(5000 * MS)	/* a requested NMI comes well within */

static evtchn_port_t timer_port;
static volatile uint32_t timer_fires;
static volatile uint32_t nmi_hits, trap_hits, depth, nested, bad_entry;
static volatile bool hold_next;		/* the next handler run requests and holds */

/* The bounce frame: eip, cs with the saved upcall mask above, eflags. */
void nmi_handler(const uint32_t *frame);
void trap2_handler(const uint32_t *frame);

#define NMI_STUB(name, handler)						\
	asm(".text\n" #name ":\n"					\
	    "	pushl	%eax\n	pushl	%ecx\n	pushl	%edx\n"		\
	    "	pushl	%ds\n	pushl	%es\n"				\
	    "	movl	$" STR(FLAT_RING1_DS) ", %eax\n"			\
	    "	movl	%eax, %ds\n	movl	%eax, %es\n	cld\n"	\
	    "	leal	20(%esp), %eax\n	pushl	%eax\n"		\
	    "	call	" #handler "\n	addl	$4, %esp\n"		\
	    "	popl	%es\n	popl	%ds\n"				\
	    "	popl	%edx\n	popl	%ecx\n	popl	%eax\n"		\
	    "	jmp	hypercall_page + 23 * 32\n")
NMI_STUB(nmi_entry, nmi_handler);
NMI_STUB(trap2_entry, trap2_handler);
void nmi_entry(void);
void trap2_entry(void);

static void check_entry(const uint32_t *frame)
{
	if (++depth != 1)
		nested++;
	if ((frame[1] & 0xffff) != FLAT_RING1_CS ||
	    !this_vcpu_info()->evtchn_upcall_mask)
		bad_entry++;
}

static volatile struct arch_shared_info *arch_info(void)
{
	return &((volatile struct shared_info *)shared_info_page)->arch;
}

static bool reason_set(void)
{
	return arch_info()->nmi_reason & (1u << _XEN_NMIREASON_unknown);
}

void nmi_handler(const uint32_t *frame)
{
	uint64_t end;

	check_entry(frame);
	nmi_hits++;
	if (hold_next) {
		hold_next = false;
		arch_info()->nmi_reason = 0;
		printf("NMI-REQUEST (held in the handler)\n");
		end = time_system_ns() + SAFETY_NS;
		while (!reason_set() && time_system_ns() < end)
			;
		if (!reason_set())
			printf("held: no NMI within 5 s\n");
		if (nmi_hits != 2)	/* it must wait for the iret */
			nested++;
	}
	depth--;
}

void trap2_handler(const uint32_t *frame)
{
	check_entry(frame);
	trap_hits++;
	depth--;
}

static void on_timer(evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	timer_fires++;
}

/*
 * Ask for an NMI and block until `done` says it came; false if the safety
 * timer had to wake us (the NMI did not come, or did not wake us).  done()
 * is checked before each block: an NMI that comes first is not missed.
 */
static bool request_and_wait(const char *what, bool (*done)(void))
{
	uint32_t fires = timer_fires;

	arch_info()->nmi_reason = 0;
	KCHECK_EQ(HYPERVISOR_set_timer_op(time_system_ns() + SAFETY_NS), 0);
	printf("NMI-REQUEST (%s)\n", what);
	while (!done() && timer_fires == fires)
		KCHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0);
	KCHECK_EQ(HYPERVISOR_set_timer_op(0), 0);
	if (timer_fires != fires)
		printf("%s: the safety timer woke us (NMI %s)\n", what,
		       done() ? "came, no wake" : "never came");
	return done() && timer_fires == fires;
}

static uint32_t seen;
static bool one_more_nmi(void)
{
	return nmi_hits > seen;
}

static bool one_more_trap(void)
{
	return trap_hits > 0;
}

static long nmi_op(uint32_t cmd, const void *arg)
{
	return hypercall(__HYPERVISOR_nmi_op, cmd, (uint32_t)arg, 0, 0, 0);
}

static long register_nmi(void (*fn)(void))
{
	struct callback_register r = {
		.type = CALLBACKTYPE_nmi,
		.address = { .cs = FLAT_KERNEL_CS, .eip = (uint32_t)fn },
	};

	return hypercall(__HYPERVISOR_callback_op, CALLBACKOP_register,
			 (uint32_t)&r, 0, 0, 0);
}

static void check_unhandled_wakes(void)
{
	KCHECK_EQ(arch_info()->nmi_reason, 0);
	KCHECK(request_and_wait("no handler", reason_set));
	KCHECK_EQ(arch_info()->nmi_reason, 1u << _XEN_NMIREASON_unknown);
	KCHECK_EQ(nmi_hits, 0);
}

static void check_callback(void)
{
	KCHECK_EQ(register_nmi(nmi_entry), 0);
	KCHECK_EQ(nmi_hits, 1);			/* the lost one, raised again */
	/* Blocking unmasked events; the handler's iret restored that. */
	KCHECK_EQ(this_vcpu_info()->evtchn_upcall_mask, 0);
	hold_next = true;
	seen = nmi_hits;
	KCHECK(request_and_wait("handler", one_more_nmi));
	KCHECK_EQ(nmi_hits, 3);		/* the held one followed the iret */
	KCHECK_EQ(this_vcpu_info()->evtchn_upcall_mask, 0);
}

static void check_nmi_op(void)
{
	struct xennmi_callback cb = { .handler_address = (uint32_t)nmi_entry };

	KCHECK_EQ(nmi_op(XENNMI_unregister_callback, NULL), 0);
	KCHECK(request_and_wait("unregistered", reason_set));
	KCHECK_EQ(nmi_hits, 3);			/* dropped */
	KCHECK_EQ(nmi_op(XENNMI_register_callback, &cb), 0);
	KCHECK_EQ(nmi_hits, 4);			/* raised again */
	arch_info()->nmi_reason = 0;
	KCHECK_EQ(register_nmi(nmi_entry), 0);
	KCHECK_EQ(nmi_hits, 4);			/* no reason: nothing raised */
	KCHECK_EQ(nmi_op(7, &cb), -XEN_ENOSYS);
	KCHECK_EQ(nmi_op(XENNMI_register_callback, (void *)0xFC000000),
		  -XEN_EFAULT);
}

static void check_trap_table(void)
{
	static const struct trap_info table[] = {
		{ 2, 4, FLAT_KERNEL_CS, (uint32_t)trap2_entry },
		{ 0, 0, 0, 0 },
	};

	KCHECK_EQ(HYPERVISOR_set_trap_table(table), 0);
	KCHECK(request_and_wait("trap table", one_more_trap));
	KCHECK_EQ(trap_hits, 1);
	KCHECK_EQ(nmi_hits, 4);
}

/*
 * Whether the NMI ended the poll before its timeout.  One that came before
 * the poll began (the host stalled us after the request) ran the handler
 * first, and the poll rightly timed out: KCHECK_WINDOW tries again.
 */
static bool poll_ended_by_nmi(void)
{
	uint64_t deadline;

	arch_info()->nmi_reason = 0;
	printf("NMI-REQUEST (poll)\n");
	deadline = time_system_ns() + SAFETY_NS;
	KCHECK_EQ(HYPERVISOR_poll(NULL, 0, deadline), 0);
	return time_system_ns() < deadline;
}

static void check_poll_ends(void)
{
	uint32_t before = trap_hits;

	KCHECK_WINDOW(poll_ended_by_nmi());
	KCHECK(trap_hits > before);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	if (!ktest_start_events())
		return;
	/* Periodic ticks off before VIRQ_TIMER is bound: a tick already
	 * raised would otherwise pass for the first safety timer. */
	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
	KCHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, &timer_port), 0);
	KCHECK_EQ(evtchn_set_handler(timer_port, on_timer, NULL), 0);
	check_unhandled_wakes();
	check_callback();
	check_nmi_op();
	check_trap_table();
	check_poll_ends();
	KCHECK_EQ(nested, 0);
	KCHECK_EQ(bad_entry, 0);
	printf("NMIs handled: %u by the callback, %u by vector 2\n",
	       nmi_hits, trap_hits);
	ktest_finish();
}
