/*
 * test_cpu_callbacks.c - callback_op and set_callbacks.  Registering the
 * event and failsafe callbacks (with and without CALLBACKF_mask_events)
 * with a ring-1 code selector succeeds, RPL 0 is taken as ring 1, and
 * address 0 clears one; the hypervisor's code selector 0xe008, ring 3's,
 * or a cs with bits above 16 are refused with -XEN_EPERM; sysenter (both
 * numbers), syscall32 and nmi register; as on Xen only nmi unregisters
 * (the others -XEN_EINVAL), and the 64-bit-only syscall type and unknown
 * types are -XEN_ENOSYS, an unknown command -XEN_EINVAL (all as Xen's
 * 32-bit callback_op); an unreadable argument is -XEN_EFAULT; set_callbacks with ring-1 selectors succeeds and with
 * 0xe008 fails.  (test_nmi_dom0 checks NMI delivery.)
 */
#include "ktest.h"
#include <public/callback.h>

static void event_entry(void)
{
}

static void failsafe_entry(void)
{
}

static long callback_op(uint32_t cmd, const void *arg)
{
	return hypercall(__HYPERVISOR_callback_op, cmd, (uint32_t)arg, 0, 0, 0);
}

static long do_register(uint16_t type, uint16_t flags, uint32_t cs, void (*fn)(void))
{
	struct callback_register r = {
		.type = type, .flags = flags,
		.address = { .cs = cs, .eip = (uint32_t)fn },
	};

	return callback_op(CALLBACKOP_register, &r);
}

static long do_unregister(uint16_t type)
{
	struct callback_unregister u = { .type = type };

	return callback_op(CALLBACKOP_unregister, &u);
}

static long set_callbacks(uint32_t ecs, void (*ev)(void), uint32_t fcs,
			  void (*fs)(void))
{
	return hypercall(__HYPERVISOR_set_callbacks, ecs, (uint32_t)ev, fcs,
			 (uint32_t)fs, 0);
}

static void check_valid(void)
{
	KCHECK_EQ(do_register(CALLBACKTYPE_event, 0, FLAT_KERNEL_CS, event_entry), 0);
	KCHECK_EQ(do_register(CALLBACKTYPE_event, CALLBACKF_mask_events,
			      FLAT_KERNEL_CS, event_entry), 0);
	KCHECK_EQ(do_register(CALLBACKTYPE_failsafe, CALLBACKF_mask_events,
			      FLAT_KERNEL_CS, failsafe_entry), 0);
	KCHECK_EQ(do_register(CALLBACKTYPE_failsafe, 0,
			      FLAT_KERNEL_CS & ~3u, failsafe_entry), 0);
	KCHECK_EQ(do_register(CALLBACKTYPE_event, 0, 0, NULL), 0);
	KCHECK_EQ(do_register(CALLBACKTYPE_failsafe, 0, 0, NULL), 0);
	KCHECK_EQ(do_register(CALLBACKTYPE_nmi, 0, FLAT_KERNEL_CS, event_entry), 0);
	KCHECK_EQ(do_unregister(CALLBACKTYPE_nmi), 0);
}

static void check_refused(void)
{
	KCHECK_EQ(do_register(CALLBACKTYPE_event, 0, 0xe008, event_entry), -XEN_EPERM);
	KCHECK_EQ(do_register(CALLBACKTYPE_failsafe, 0, 0xe008, failsafe_entry),
		  -XEN_EPERM);
	KCHECK_EQ(do_register(CALLBACKTYPE_event, 0, FLAT_RING3_CS, event_entry),
		  -XEN_EPERM);
	KCHECK_EQ(do_register(CALLBACKTYPE_event, 0, 0x10000 | FLAT_KERNEL_CS,
			      event_entry), -XEN_EPERM);
	KCHECK_EQ(do_register(CALLBACKTYPE_sysenter, 0, FLAT_KERNEL_CS, event_entry),
		  0);
	KCHECK_EQ(do_register(CALLBACKTYPE_sysenter_deprecated, 0, FLAT_KERNEL_CS,
			      event_entry), 0);
	KCHECK_EQ(do_register(CALLBACKTYPE_sysenter, 0, 0xe008, event_entry),
		  -XEN_EPERM);
	KCHECK_EQ(do_register(CALLBACKTYPE_syscall32, CALLBACKF_mask_events,
			      FLAT_KERNEL_CS, event_entry), 0);
	KCHECK_EQ(do_unregister(CALLBACKTYPE_syscall32), -XEN_EINVAL);
	KCHECK_EQ(do_register(CALLBACKTYPE_syscall, 0, FLAT_KERNEL_CS, event_entry),
		  -XEN_ENOSYS);
	KCHECK_EQ(do_register(99, 0, FLAT_KERNEL_CS, event_entry), -XEN_ENOSYS);
	KCHECK_EQ(do_unregister(99), -XEN_ENOSYS);
	KCHECK_EQ(do_unregister(CALLBACKTYPE_sysenter), -XEN_EINVAL);
	KCHECK_EQ(do_unregister(CALLBACKTYPE_event), -XEN_EINVAL);
	KCHECK_EQ(do_unregister(CALLBACKTYPE_failsafe), -XEN_EINVAL);
	KCHECK_EQ(callback_op(7, NULL), -XEN_EINVAL);
	KCHECK_EQ(callback_op(CALLBACKOP_register, (void *)0xFC000000), -XEN_EFAULT);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	check_valid();
	check_refused();
	KCHECK_EQ(set_callbacks(FLAT_KERNEL_CS, event_entry, FLAT_KERNEL_CS,
				failsafe_entry), 0);
	KCHECK_EQ(set_callbacks(0xe008, event_entry, FLAT_KERNEL_CS,
				failsafe_entry), -XEN_EPERM);
	KCHECK_EQ(set_callbacks(FLAT_KERNEL_CS, event_entry, 0xe008,
				failsafe_entry), -XEN_EPERM);
	/* No events are bound, but leave no dummy entry points behind. */
	KCHECK_EQ(set_callbacks(0, NULL, 0, NULL), 0);
	ktest_finish();
}
