/*
 * nmi.c - the machine's NMIs: reported to Dom0 (or dropped, or fatal),
 * and the guest NMI callback they reach it through.  See nmi.h.
 *
 * nmi_machine() runs in NMI context: it may interrupt any hypervisor code,
 * so it only sets flags and bits (one CPU: a guest never runs while the
 * hypervisor does).  deliver_nmi() in traps.c may be clearing the vCPU's
 * nmi_pending under it, which merges two NMIs into one, as a CPU's latch
 * and Xen's flag do.  Logging, waking the vCPU and re-enabling the SERR
 * line wait for nmi_wake(), called where nothing is half done: at the end
 * of a trap from a guest, and after an interrupt in the idle loop.
 */
#include "nmi.h"
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "panic.h"
#include "sched.h"
#include "arch/x86_32/x86.h"
#include <public/arch-x86_32.h>
#include <public/errno.h>
#include <public/nmi.h>

#define NMI_LOGGED	4	/* NMIs logged; the rest are only counted */

/* Port 0x61 (system control port B): status and enable bits. */
#define PORT_B		0x61
#define PORTB_SERR	0x80	/* PCI SERR# asserted */
#define PORTB_IOCHK	0x40	/* I/O channel check */
#define PORTB_IOCHK_OFF	0x08	/* disable (and clear) IOCHK */
#define PORTB_SERR_OFF	0x04	/* disable (and clear) SERR */

enum nmi_mode { NMI_DOM0, NMI_IGNORE, NMI_FATAL };

static enum nmi_mode mode = NMI_DOM0;
static struct domain *hwdom;
static volatile uint32_t received;	/* NMIs so far (NMI context) */
static volatile uint32_t last_reasons;	/* the last one's XEN_NMIREASON_* bits */
static volatile bool serr_off;		/* SERR disabled until nmi_wake() */
static volatile bool kick_due;		/* Dom0's vCPU 0 has a new NMI */
static uint32_t logged;

bool nmi_set_mode(const char *s, size_t len)
{
	static const char *const names[] = {
		[NMI_DOM0] = "dom0", [NMI_IGNORE] = "ignore", [NMI_FATAL] = "fatal",
	};
	int i = word_index(s, len, names, ARRAY_SIZE(names));

	if (i < 0)
		return false;
	mode = (enum nmi_mode)i;
	return true;
}

void nmi_set_hardware_domain(struct domain *d)
{
	hwdom = d;
}

/*
 * IOCHK: clear and disable the line, then enable it again about 1 ms
 * later (a write to port 0x80 takes about a microsecond; the clock may
 * not be calibrated yet).
 */
static void iochk_reset(void)
{
	unsigned int i;

	outb(PORT_B, (inb(PORT_B) & 0x0f) | PORTB_IOCHK_OFF);
	for (i = 0; i < 1000; i++)
		outb(0x80, 0);
	outb(PORT_B, inb(PORT_B) & 0x07);
}

/* Xen's pv_raise_nmi(): the vCPU is kicked only for a new pending NMI. */
static void report_to_dom0(uint32_t reasons)
{
	struct domain *d = hwdom;
	struct vcpu *v;

	if (!d || d->state != DOMAIN_RUNNING || !d->shared_info)
		return;
	v = d->vcpu[0];
	d->shared_info->arch.nmi_reason |= reasons;
	if (!v->nmi_pending) {
		v->nmi_pending = true;
		kick_due = true;
	}
}

void nmi_machine(void)
{
	uint8_t port_b = inb(PORT_B);
	uint32_t reasons = 0;

	received++;
	if (port_b & PORTB_SERR)
		reasons |= 1u << _XEN_NMIREASON_pci_serr;
	if (port_b & PORTB_IOCHK)
		reasons |= 1u << _XEN_NMIREASON_io_error;
	if (!reasons)
		reasons = 1u << _XEN_NMIREASON_unknown;
	last_reasons = reasons;
	if (mode == NMI_FATAL)
		panic("NMI received (port 0x61 reads %02x) and nmi=fatal", port_b);
	if (mode == NMI_DOM0)
		report_to_dom0(reasons);
	if (port_b & PORTB_SERR) {
		outb(PORT_B, (port_b & 0x0f) | PORTB_SERR_OFF);
		serr_off = true;
	}
	if (port_b & PORTB_IOCHK)
		iochk_reset();
}

static const char *reason_name(uint32_t bits)
{
	if (bits == (1u << _XEN_NMIREASON_pci_serr))
		return "PCI SERR";
	if (bits == (1u << _XEN_NMIREASON_io_error))
		return "I/O check";
	if (bits & (1u << _XEN_NMIREASON_unknown))
		return "unknown reason";
	return "PCI SERR and I/O check";
}

static void log_new(void)
{
	uint32_t n = received;

	if (logged >= NMI_LOGGED || logged == n)
		return;
	logged = n < NMI_LOGGED ? n : NMI_LOGGED;
	printk(LOG_WARN, "NMI received (%s) and %s (%u so far)%s\n",
	       reason_name(last_reasons),
	       mode == NMI_DOM0 && hwdom ? "passed to Dom0" : "dropped", n,
	       logged == NMI_LOGGED ? "; no more logged" : "");
}

void nmi_wake(void)
{
	struct domain *d = hwdom;

	log_new();
	if (serr_off) {
		serr_off = false;
		outb(PORT_B, inb(PORT_B) & 0x0b);	/* SERR on again */
	}
	if (!kick_due)
		return;
	kick_due = false;
	if (d && d->state == DOMAIN_RUNNING)
		vcpu_unblock(d->vcpu[0]);	/* masked or not, as Xen's kick */
}

void nmi_set_callback(struct vcpu *v, uint32_t eip)
{
	struct trap_info *ti = &v->traps[X86_EXC_NMI];
	const struct shared_info *s = v->domain->shared_info;

	*ti = (struct trap_info){ .vector = X86_EXC_NMI };
	if (!eip)
		return;
	ti->flags = 4;		/* events masked on entry */
	ti->cs = FLAT_RING1_CS;
	ti->address = eip;
	/* One that came while there was no handler was lost: raise it. */
	if (v->vcpu_id == 0 && s && s->arch.nmi_reason)
		v->nmi_pending = true;
}

long do_nmi_op(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
	       uint32_t a5)
{
	struct xennmi_callback cb;

	(void)a3; (void)a4; (void)a5;
	switch (cmd) {
	case XENNMI_register_callback:
		if (copy_from_guest(&cb, arg, sizeof(cb)))
			return -XEN_EFAULT;
		nmi_set_callback(current_vcpu(), cb.handler_address);
		return 0;
	case XENNMI_unregister_callback:
		nmi_set_callback(current_vcpu(), 0);
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
