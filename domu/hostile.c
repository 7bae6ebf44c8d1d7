/*
 * hostile.c - a DomU that tries every control path reserved for Dom0 and
 * checks each is refused: domctl and sysctl (-EPERM), mmu_update and
 * mmuext_op naming Dom0 as foreigndom (-EPERM), memory_op on Dom0's
 * reservation (-EPERM), remote_shutdown of Dom0 (-EPERM), event channels
 * on Dom0's behalf (-EPERM), binding a physical IRQ it was not granted
 * (-EPERM), reading the hypervisor's serial line (-EPERM), and mapping a
 * frame it does not own, found through the read-only M2P (-EPERM), and
 * placing its vcpu_info in that frame (-EINVAL).  It then moves its
 * vcpu_info into a page of its own and shuts down with it there, so the
 * test Dom0's frame count checks that teardown returns that page too.
 *
 * It prints one line per refusal and shuts down with poweroff when every
 * check held, crash when any did not: the test Dom0 (test_dom_hostile.c)
 * reads the verdict from the shutdown reason.
 */
#include "guest.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include <public/domctl.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/sysctl.h>
#include <public/vcpu.h>

static unsigned int failures;

static void expect(const char *what, long got, long want)
{
	if (got == want) {
		printf("hostile: %s refused (%ld)\n", what, got);
		return;
	}
	printf("hostile: %s: got %ld, want %ld\n", what, got, want);
	failures++;
}

static void control_calls(void)
{
	struct xen_domctl dc = { .cmd = XEN_DOMCTL_pausedomain,
				 .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
				 .domain = 0 };
	struct xen_sysctl sc = { .cmd = XEN_SYSCTL_physinfo,
				 .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
	struct sched_remote_shutdown rs = { .domain_id = 0,
					    .reason = SHUTDOWN_poweroff };
	char c;

	expect("domctl pausedomain(0)",
	       hypercall(__HYPERVISOR_domctl, (uint32_t)&dc, 0, 0, 0, 0), -XEN_EPERM);
	dc.cmd = XEN_DOMCTL_createdomain;
	expect("domctl createdomain",
	       hypercall(__HYPERVISOR_domctl, (uint32_t)&dc, 0, 0, 0, 0), -XEN_EPERM);
	expect("sysctl physinfo",
	       hypercall(__HYPERVISOR_sysctl, (uint32_t)&sc, 0, 0, 0, 0), -XEN_EPERM);
	expect("remote_shutdown(0)",
	       HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -XEN_EPERM);
	expect("console_io read", HYPERVISOR_console_io(CONSOLEIO_read, 1, &c),
	       -XEN_EPERM);
}

static void foreign_memory(void)
{
	struct mmu_update mu = { .ptr = 0, .val = 0 };
	struct mmuext_op pin = { .cmd = MMUEXT_PIN_L1_TABLE, .arg1 = 0x100 };
	uint32_t pfn = 0, done = 0;
	domid_t dom0 = 0;
	struct xen_memory_reservation r = { .extent_start = (uint32_t)&pfn,
					    .nr_extents = 1, .domid = 0 };

	expect("mmu_update foreigndom 0",
	       HYPERVISOR_mmu_update(&mu, 1, &done, 0), -XEN_EPERM);
	expect("mmuext_op pin foreigndom 0",
	       HYPERVISOR_mmuext_op(&pin, 1, &done, 0), -XEN_EPERM);
	expect("populate_physmap for Dom0",
	       HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), -XEN_EPERM);
	expect("current_reservation of Dom0",
	       HYPERVISOR_memory_op(XENMEM_current_reservation, &dom0), -XEN_EPERM);
}

static void foreign_events(void)
{
	struct evtchn_alloc_unbound au = { .dom = 0, .remote_dom = DOMID_SELF };
	struct evtchn_status st = { .dom = 0, .port = 1 };
	struct evtchn_bind_pirq bp = { .pirq = 8 };

	expect("alloc_unbound in Dom0",
	       HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au), -XEN_EPERM);
	expect("status of Dom0's port",
	       HYPERVISOR_event_channel_op(EVTCHNOP_status, &st), -XEN_EPERM);
	expect("bind_pirq 8 (not granted)",
	       HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &bp), -XEN_EPERM);
}

static long vcpu_info_at(uint32_t mfn, uint32_t offset)
{
	struct vcpu_register_vcpu_info r = { .mfn = mfn, .offset = offset };

	return HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &r);
}

static void foreign_mapping(void)
{
	uint32_t mfn = mm_someone_elses_frame();

	if (!mfn) {
		printf("hostile: found no frame of another domain\n");
		failures++;
		return;
	}
	expect("mapping another domain's frame read-only",
	       mm_map_mfn(0, mfn, false), -XEN_EPERM);
	expect("mapping another domain's frame writable",
	       mm_map_mfn(0, mfn, true), -XEN_EPERM);
	expect("vcpu_info in another domain's frame",
	       vcpu_info_at(mfn, 0), -XEN_EINVAL);
}

static uint8_t own_page[4096] __attribute__((aligned(4096)));

/* Keep a registered vcpu_info to the end: teardown must release it. */
static void own_vcpu_info(void)
{
	long rc = vcpu_info_at(virt_to_mfn((uint32_t)own_page), 64);

	if (rc) {
		printf("hostile: vcpu_info in its own page failed (%ld)\n", rc);
		failures++;
	}
}

void kernel_main(struct start_info *si)
{
	(void)si;
	if (mm_init()) {
		printf("hostile: mm_init failed\n");
		guest_shutdown(SHUTDOWN_crash);
		return;
	}
	control_calls();
	foreign_memory();
	foreign_events();
	foreign_mapping();
	own_vcpu_info();
	printf("hostile: %u checks failed\n", failures);
	guest_shutdown(failures ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}
