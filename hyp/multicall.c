/*
 * multicall.c - the multicall hypercall.  See multicall.h for the rules.
 */
#include "multicall.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include <public/errno.h>
#include <public/xen.h>

#define MC_SIZE		sizeof(struct multicall_entry)
#define MC_RESULT	4	/* offset of result within an entry */
#define MC_ARGS		8	/* offset of args[] */

/* Run one copied entry; returns its result. */
static long mc_run(const struct multicall_entry *e)
{
	struct vcpu *v = current_vcpu();
	long rc;

	if (e->op == __HYPERVISOR_multicall)
		return -XEN_EINVAL;
	v->in_multicall = true;
	rc = hypercall_call(e->op, e->args);
	v->in_multicall = false;
	return rc;
}

long do_multicall(uint32_t list, uint32_t nr, uint32_t a3, uint32_t a4,
		  uint32_t a5)
{
	struct domain *d = current_domain();
	struct multicall_entry e;
	uint32_t i, n;
	long rc;

	(void)a3; (void)a4; (void)a5;
	for (i = 0; i < nr; i++) {
		uint32_t va = list + i * MC_SIZE;

		if (i == MULTICALL_SLICE || (i && hypercall_preempt_check())) {
			hypercall_continue(__HYPERVISOR_multicall, va, nr - i);
			return 0;
		}
		if (copy_from_guest(&e, va, MC_SIZE))
			return -XEN_EFAULT;
		rc = mc_run(&e);
		n = hypercall_take_entry_continuation(e.args);
		if (n) {
			/* the entry resumes from its new arguments */
			if (copy_to_guest(va + MC_ARGS, e.args, n * 4))
				return -XEN_EFAULT;
			hypercall_continue(__HYPERVISOR_multicall, va, nr - i);
			return 0;
		}
		e.result = (uint32_t)rc;
		if (copy_to_guest(va + MC_RESULT, &e.result, sizeof(e.result)))
			return -XEN_EFAULT;
		if (e.op == __HYPERVISOR_iret)
			return rc;	/* the guest's own %eax */
		if (d->state != DOMAIN_RUNNING)
			break;
	}
	return 0;
}
