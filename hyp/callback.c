/*
 * callback.c - guest entry points (set_callbacks, callback_op) and the
 * iret hypercall.  See callback.h.
 */
#include "callback.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "nmi.h"
#include "traps.h"
#include "arch/x86_32/x86.h"
#include <public/callback.h>
#include <public/errno.h>

/* Words of the guest's iret frame, lowest address first. */
enum { IRET_EAX, IRET_EIP, IRET_CS, IRET_EFLAGS, IRET_ESP, IRET_SS };

long do_iret(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
	struct trap_frame *f = hypercall_frame();
	struct vcpu *v = current_vcpu();
	uint32_t w[6], cs, n = 4;

	(void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	if (copy_from_guest(w, f->esp, 4 * sizeof(w[0])))
		goto bad_frame;
	cs = w[IRET_CS] & 0xffff;
	if ((cs & 3) == 0)
		cs |= 1;	/* the guest kernel's ring 0 is ring 1 */
	if ((cs & 3) == 2)
		goto bad_frame;
	if ((cs & 3) == 3) {
		if (copy_from_guest(&w[IRET_ESP], f->esp + 16, 8))
			goto bad_frame;
		f->esp = w[IRET_ESP];
		f->ss = w[IRET_SS] & 0xffff;
		n = 6;
	}
	if (n == 4)
		f->esp += 16;
	f->eip = w[IRET_EIP];
	f->cs = cs;
	f->eflags = (w[IRET_EFLAGS] & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM |
					 X86_EFLAGS_NT)) |
		    X86_EFLAGS_IF | X86_EFLAGS_RSVD1;
	v->vcpu_info->evtchn_upcall_mask =
		!(w[IRET_EFLAGS] & X86_EFLAGS_IF);
	v->nmi_masked = false;		/* the NMI handler's return, if any */
	if (v->domain->vm_assist & (1u << VMASST_TYPE_architectural_iopl))
		v->iopl = (w[IRET_EFLAGS] & X86_EFLAGS_IOPL) >> 12;
	return (long)w[IRET_EAX];

bad_frame:
	domain_crash(v->domain, "iret hypercall: the return frame is unusable");
	return 0;
}

static int set_callback(struct vcpu *v, uint32_t type, uint32_t cs,
			uint32_t eip, uint32_t flags)
{
	struct xen_callback *cb;
	uint16_t sel = (uint16_t)cs;

	switch (type) {
	case CALLBACKTYPE_event:
		cb = &v->event_callback;
		break;
	case CALLBACKTYPE_failsafe:
		cb = &v->failsafe_callback;
		break;
	case CALLBACKTYPE_nmi:
		nmi_set_callback(v, eip);	/* Xen ignores cs and flags */
		return 0;
	case CALLBACKTYPE_sysenter_deprecated:
		type = CALLBACKTYPE_sysenter;
		/* fall through */
	case CALLBACKTYPE_sysenter:
		cb = &v->sysenter_callback;
		break;
	case CALLBACKTYPE_syscall32:
		cb = &v->syscall32_callback;
		break;
	default:
		return -XEN_ENOSYS;
	}
	if (eip && (cs >> 16 || !traps_code_selector_ok(v, &sel)))
		return -XEN_EPERM;
	cb->cs = eip ? sel : 0;
	cb->eip = eip;
	if (flags & CALLBACKF_mask_events)
		v->callback_mask_events |= 1u << type;
	else
		v->callback_mask_events &= ~(1u << type);
	return 0;
}

/* As Xen: only the NMI callback can be unregistered. */
static int unregister_callback(struct vcpu *v, uint32_t type)
{
	switch (type) {
	case CALLBACKTYPE_nmi:
		nmi_set_callback(v, 0);
		return 0;
	case CALLBACKTYPE_event:
	case CALLBACKTYPE_failsafe:
	case CALLBACKTYPE_sysenter_deprecated:
	case CALLBACKTYPE_sysenter:
	case CALLBACKTYPE_syscall32:
		return -XEN_EINVAL;
	default:
		return -XEN_ENOSYS;
	}
}

long do_set_callbacks(uint32_t event_cs, uint32_t event_eip,
		      uint32_t failsafe_cs, uint32_t failsafe_eip, uint32_t a5)
{
	struct vcpu *v = current_vcpu();
	int rc;

	(void)a5;
	rc = set_callback(v, CALLBACKTYPE_event, event_cs, event_eip, 0);
	if (!rc)
		rc = set_callback(v, CALLBACKTYPE_failsafe, failsafe_cs,
				  failsafe_eip, CALLBACKF_mask_events);
	return rc;
}

long do_callback_op(uint32_t cmd, uint32_t arg, uint32_t a3, uint32_t a4,
		    uint32_t a5)
{
	struct callback_register reg;
	struct callback_unregister unreg;

	(void)a3; (void)a4; (void)a5;
	switch (cmd) {
	case CALLBACKOP_register:
		if (copy_from_guest(&reg, arg, sizeof(reg)))
			return -XEN_EFAULT;
		return set_callback(current_vcpu(), reg.type, reg.address.cs,
				    reg.address.eip, reg.flags);
	case CALLBACKOP_unregister:
		if (copy_from_guest(&unreg, arg, sizeof(unreg)))
			return -XEN_EFAULT;
		return unregister_callback(current_vcpu(), unreg.type);
	default:
		return -XEN_EINVAL;	/* as Xen's 32-bit callback_op */
	}
}
