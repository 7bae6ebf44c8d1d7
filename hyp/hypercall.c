/*
 * hypercall.c - the hypercall table, its dispatcher, and the stubs the
 * hypervisor writes into each guest's hypercall page.  See hypercall.h.
 */
#include "hypercall.h"
#include "callback.h"
#include "console.h"
#include "debugreg.h"
#include "domctl.h"
#include "event.h"
#include "time.h"
#include "fpu.h"
#include "gdt.h"
#include "grant_table.h"
#include "domain.h"
#include "lib.h"
#include "memory.h"
#include "mm.h"
#include "mmu.h"
#include "multicall.h"
#include "nmi.h"
#include "physdev.h"
#include "platform_op.h"
#include "traps.h"
#include "vcpu.h"
#include <public/errno.h>
#include <public/xen.h>

static long hc_console_io(uint32_t cmd, uint32_t count, uint32_t buf,
			  uint32_t a4, uint32_t a5)
{
	(void)a4;
	(void)a5;
	return do_console_io(cmd, count, buf);
}

static const hypercall_fn hypercall_table[NR_HYPERCALLS] = {
	[__HYPERVISOR_mmu_update] = do_mmu_update,
	[__HYPERVISOR_multicall] = do_multicall,
	[__HYPERVISOR_set_debugreg] = do_set_debugreg,
	[__HYPERVISOR_get_debugreg] = do_get_debugreg,
	[__HYPERVISOR_memory_op] = do_memory_op,
	[__HYPERVISOR_update_va_mapping] = do_update_va_mapping,
	[__HYPERVISOR_vm_assist] = do_vm_assist,
	[__HYPERVISOR_mmuext_op] = do_mmuext_op,
	[__HYPERVISOR_iret] = do_iret,
	[__HYPERVISOR_grant_table_op] = do_grant_table_op,
	[__HYPERVISOR_set_timer_op] = do_set_timer_op,
	[__HYPERVISOR_event_channel_op_compat] = do_event_channel_op_compat,
	[__HYPERVISOR_vcpu_op] = do_vcpu_op,
	[__HYPERVISOR_event_channel_op] = do_event_channel_op,
	[__HYPERVISOR_set_gdt] = do_set_gdt,
	[__HYPERVISOR_update_descriptor] = do_update_descriptor,
	[__HYPERVISOR_fpu_taskswitch] = do_fpu_taskswitch,
	[__HYPERVISOR_set_callbacks] = do_set_callbacks,
	[__HYPERVISOR_callback_op] = do_callback_op,
	[__HYPERVISOR_set_trap_table] = do_set_trap_table,
	[__HYPERVISOR_stack_switch] = do_stack_switch,
	[__HYPERVISOR_sched_op_compat] = do_sched_op_compat,
	[__HYPERVISOR_xen_version] = do_xen_version,
	[__HYPERVISOR_console_io] = hc_console_io,
	[__HYPERVISOR_sched_op] = do_sched_op,
	[__HYPERVISOR_domctl] = do_domctl,
	[__HYPERVISOR_sysctl] = do_sysctl,
	[__HYPERVISOR_physdev_op_compat] = do_physdev_op_compat,
	[__HYPERVISOR_physdev_op] = do_physdev_op,
	[__HYPERVISOR_platform_op] = do_platform_op,
	[__HYPERVISOR_nmi_op] = do_nmi_op,
};

struct trap_frame *hypercall_frame(void)
{
	return vcpu_frame(current_vcpu());
}

long hypercall_call(uint32_t nr, const uint32_t args[5])
{
	hypercall_fn fn = nr < NR_HYPERCALLS ? hypercall_table[nr] : NULL;
	long rc;

	if (!fn) {
		printk(LOG_DEBUG, "hypercall %u: not implemented\n", nr);
		return -XEN_ENOSYS;
	}
	rc = fn(args[0], args[1], args[2], args[3], args[4]);
	mm_flush_if_pending();
	return rc;
}

/* When the current hypercall trap came in (one CPU: one at a time). */
static uint64_t trap_start_ns;

bool hypercall_preempt_check(void)
{
	return time_now_ns() - trap_start_ns >= HYPERCALL_SLICE_NS;
}

static void continue_with(uint32_t nr, const uint32_t *args, unsigned int n)
{
	struct vcpu *v = current_vcpu();
	struct trap_frame *f = hypercall_frame();

	v->hypercall_continued = true;
	if (v->in_multicall) {
		memcpy(v->entry_args, args, n * 4);	/* multicall.c writes */
		v->entry_nargs = n;			/* them back */
		return;
	}
	f->eip -= 2;		/* back onto the int $0x82 */
	f->eax = nr;
	f->ebx = args[0];
	f->ecx = args[1];
	if (n == 3)
		f->edx = args[2];
}

void hypercall_continue(uint32_t nr, uint32_t a1, uint32_t a2)
{
	uint32_t args[2] = { a1, a2 };

	continue_with(nr, args, 2);
}

void hypercall_continue3(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3)
{
	uint32_t args[3] = { a1, a2, a3 };

	continue_with(nr, args, 3);
}

unsigned int hypercall_take_entry_continuation(uint32_t args[3])
{
	struct vcpu *v = current_vcpu();

	if (!v->hypercall_continued)
		return 0;
	v->hypercall_continued = false;
	memcpy(args, v->entry_args, v->entry_nargs * 4);
	return v->entry_nargs;
}

void hypercall_dispatch(struct trap_frame *f)
{
	uint32_t args[5] = { f->ebx, f->ecx, f->edx, f->esi, f->edi };
	struct vcpu *v = current_vcpu();
	long rc;

	trap_start_ns = time_now_ns();
	v->hypercall_continued = false;
	rc = hypercall_call(f->eax, args);
	if (!v->hypercall_continued)
		f->eax = (uint32_t)rc;
	v->hypercall_continued = false;
	console_ring_drain(current_domain());
}

void hypercall_page_fill(void *page)
{
	uint8_t *p = page;
	unsigned int i;

	memset(page, 0xcc, 4096);	/* int3 between stubs */
	for (i = 0; i < 4096 / 32; i++, p += 32) {
		if (i == __HYPERVISOR_iret) {
			/* iret never returns: the guest's %eax is on its stack */
			p[0] = 0x50;			/* push %eax */
			p[1] = 0xb8;			/* mov $nr, %eax */
			memcpy(&p[2], &i, 4);
			p[6] = 0xcd;			/* int $0x82 */
			p[7] = 0x82;
			continue;
		}
		p[0] = 0xb8;
		memcpy(&p[1], &i, 4);
		p[5] = 0xcd;
		p[6] = 0x82;
		p[7] = 0xc3;				/* ret */
	}
}
