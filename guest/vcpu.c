/*
 * vcpu.c - secondary vCPUs in a Xylem PV kernel: vcpu_start() builds a
 * vcpu_guest_context on the flat ring-1 selectors and the current page
 * tables and loads it with VGCF_online; vcpu_up/down/is_up wrap vcpu_op.
 * See vcpu.h.
 *
 * The secondary enters secondary_main() directly: vcpu_start() writes a
 * cdecl call frame (a null return address, then id, fn, arg) at the top
 * of its stack, so no assembly stub is needed.  secondary_main's address
 * is taken, so the compiler keeps the standard calling convention for
 * it.  The one context buffer is guarded by an atomic flag (the context
 * is copied by the hypervisor during the hypercall, then free again).
 */
#include "vcpu.h"
#include "guest.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include <public/errno.h>
#include <public/vcpu.h>

#define EFLAGS_FIXED	0x00000002u	/* bit 1; IF is set by the hypervisor */
#define STACK_ALIGN	16u
#define FRAME_WORDS	4u		/* return address, id, fn, arg */

static struct vcpu_guest_context start_ctx;
static bool start_busy;

static void __attribute__((noreturn)) secondary_main(uint32_t id, vcpu_fn_t fn,
						     void *arg)
{
	fn(arg);
	for (;;)
		HYPERVISOR_vcpu_op(VCPUOP_down, id, NULL);
}

static bool stack_ok(const void *stack, uint32_t size)
{
	uint32_t base = (uint32_t)stack;

	return stack && size >= VCPU_STACK_MIN &&
	       base <= HYPERVISOR_VIRT_START &&
	       size <= HYPERVISOR_VIRT_START - base;
}

/* The secondary's first stack frame; returns its %esp. */
static uint32_t push_frame(uint32_t id, vcpu_fn_t fn, void *arg, void *stack,
			   uint32_t size)
{
	uint32_t top = ((uint32_t)stack + size) & ~(STACK_ALIGN - 1);
	/* On entry %esp + 4 is 16-aligned, as after a call from aligned code. */
	uint32_t *frame = (uint32_t *)(top - STACK_ALIGN - 4);

	frame[0] = 0;
	frame[1] = id;
	frame[2] = (uint32_t)fn;
	frame[3] = (uint32_t)arg;
	return (uint32_t)frame;
}

static void fill_context(struct vcpu_guest_context *c, uint32_t esp)
{
	struct cpu_user_regs *r = &c->user_regs;

	memset(c, 0, sizeof(*c));
	c->flags = VGCF_online;
	r->eip = (uint32_t)secondary_main;
	r->cs = FLAT_KERNEL_CS;
	r->eflags = EFLAGS_FIXED;
	r->esp = esp;
	r->ss = FLAT_KERNEL_SS;
	r->ds = FLAT_KERNEL_DS;
	r->es = FLAT_KERNEL_DS;
	r->fs = FLAT_KERNEL_DS;
	r->gs = FLAT_KERNEL_DS;
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = esp;
	c->ctrlreg[3] = xen_pfn_to_cr3(mm_current_l3());
}

int vcpu_start(uint32_t id, vcpu_fn_t fn, void *arg, void *stack,
	       uint32_t stack_size)
{
	long rc;

	if (id == 0 || id >= XEN_LEGACY_MAX_VCPUS || !fn ||
	    !stack_ok(stack, stack_size) || !mm_current_l3())
		return -XEN_EINVAL;
	if (__atomic_test_and_set(&start_busy, __ATOMIC_ACQUIRE))
		return -XEN_EBUSY;
	if (shared_info_page)	/* masked from boot; make sure */
		ACCESS_ONCE(shared_info_page->vcpu_info[id].evtchn_upcall_mask) = 1;
	fill_context(&start_ctx,
		     push_frame(id, fn, arg, stack, stack_size));
	rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, id, &start_ctx);
	__atomic_clear(&start_busy, __ATOMIC_RELEASE);
	return (int)rc;
}

long vcpu_is_up(uint32_t id)
{
	return HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL);
}

int vcpu_up(uint32_t id)
{
	return (int)HYPERVISOR_vcpu_op(VCPUOP_up, id, NULL);
}

int vcpu_down(uint32_t id)
{
	return (int)HYPERVISOR_vcpu_op(VCPUOP_down, id, NULL);
}
