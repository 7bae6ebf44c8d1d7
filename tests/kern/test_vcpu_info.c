/*
 * test_vcpu_info.c - VCPUOP_register_vcpu_info moves vCPU 0's vcpu_info
 * out of shared_info into a page of the kernel's own:
 *  - refusals change nothing: an argument in the hypervisor (-EFAULT),
 *    vCPU 1 (-ENOENT), an offset leaving less than 64 bytes or not 4-byte
 *    aligned, machine frame 0, a frame above 4 GiB or past the end of
 *    RAM, a frame of Dom0's own page tables (not a writable page)
 *    (-EINVAL); after them an event still lands in shared_info's copy;
 *  - the move copies the live state (upcall mask, cr2, the time snapshot)
 *    into exactly 64 bytes at the chosen offset, leaving the rest of the
 *    page alone, and marks every selector word pending, as Xen does;
 *  - a second move is refused (-EINVAL), and the copy in use stays;
 *  - afterwards events raise the new copy's selector and pending flag and
 *    leave shared_info's copy untouched; the upcall runs once per send;
 *  - the hypervisor's next time snapshot goes to the new copy (its
 *    version advances within 10 s, system time moves forward), not to the
 *    old one; it comes about once a second, later when the busy host made
 *    QEMU lose 8254 ticks, so the test waits for it rather than a fixed
 *    time;
 *  - a page fault's cr2 is written to the new copy.
 */
#include "ktest.h"
#include "event.h"
#include "hypercall.h"
#include "mm.h"
#include "time.h"
#include <public/vcpu.h>

#define OFFSET		0x80u
#define FILL		0xa5u
#define TIME_WAIT_NS	10000000000ull	/* 10 s for a snapshot */

static uint8_t vi_page[4096] __attribute__((aligned(4096)));
static evtchn_port_t end_a, end_b;
static volatile uint32_t got_b;

static long reg(uint32_t vcpu, uint64_t mfn, uint32_t offset)
{
	struct vcpu_register_vcpu_info r = {
		.mfn = mfn, .offset = offset, .rsvd = 0xdeadbeef,
	};

	return HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, vcpu, &r);
}

/* #PF handler: skip the 6-byte "movl 0x800000, %ebx" that faulted. */
asm(".text\npf_entry:\n"
    "addl $4, %esp\n"			/* the error code */
    "addl $6, (%esp)\n"
    "iret\n");
void pf_entry(void);

static const struct trap_info traps[] = {
	{ 14, 0, FLAT_KERNEL_CS, (uint32_t)pf_entry },
	{ 0, 0, 0, 0 },
};

static void on_b(evtchn_port_t port, void *data)
{
	(void)data;
	KCHECK_EQ(port, end_b);
	got_b++;
}

/* With events off, one send: which copy's selector did it raise? */
static void send_and_check(struct vcpu_info *expect, struct vcpu_info *other)
{
	uint32_t other_sel = other->evtchn_pending_sel;
	uint8_t other_pending = other->evtchn_upcall_pending;
	uint32_t before = got_b;

	local_irq_disable();
	expect->evtchn_pending_sel = 0;
	expect->evtchn_upcall_pending = 0;
	KCHECK_EQ(evtchn_send(end_a), 0);
	KCHECK(expect->evtchn_pending_sel & (1u << (end_b / 32)));
	KCHECK_EQ(expect->evtchn_upcall_pending, 1);
	KCHECK_EQ(other->evtchn_pending_sel, other_sel);
	KCHECK_EQ(other->evtchn_upcall_pending, other_pending);
	KCHECK_EQ(got_b, before);
	local_irq_enable();
	KCHECK_EQ(got_b, before + 1);
}

static void check_refusals(void)
{
	uint32_t mfn = virt_to_mfn((uint32_t)vi_page);

	KCHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0,
				     (void *)0xF5800000u), -XEN_EFAULT);
	KCHECK_EQ(reg(1, mfn, 0), -XEN_ENOENT);
	KCHECK_EQ(reg(0, mfn, 4096 - 63), -XEN_EINVAL);
	KCHECK_EQ(reg(0, mfn, 4096), -XEN_EINVAL);
	KCHECK_EQ(reg(0, mfn, 0xffffffffu), -XEN_EINVAL);
	KCHECK_EQ(reg(0, mfn, 2), -XEN_EINVAL);
	KCHECK_EQ(reg(0, 0, 0), -XEN_EINVAL);
	KCHECK_EQ(reg(0, (1ull << 32) | mfn, 0), -XEN_EINVAL);
	KCHECK_EQ(reg(0, 0xfffffff0u, 0), -XEN_EINVAL);	/* past the frame table */
	KCHECK_EQ(reg(0, mm_current_l3(), 0), -XEN_EINVAL);
	send_and_check(&shared_info_page->vcpu_info[0], (struct vcpu_info *)vi_page);
}

static void check_move(void)
{
	struct vcpu_info *old = &shared_info_page->vcpu_info[0];
	struct vcpu_info *vi = (struct vcpu_info *)(vi_page + OFFSET);
	struct vcpu_time_info t_before = old->time;
	uint32_t i, outside = 0;

	memset(vi_page, FILL, sizeof(vi_page));
	old->arch.cr2 = 0x12345000u;	/* ours to write; must be copied */
	local_irq_disable();
	KCHECK_EQ(evtchn_move_vcpu_info(vi), 0);
	KCHECK(vcpu_info_moved == vi);
	KCHECK_EQ(vi->evtchn_upcall_mask, 1);	/* events were off */
	KCHECK_EQ(vi->evtchn_pending_sel, ~0u);	/* all marked, as Xen does */
	KCHECK_EQ(vi->evtchn_upcall_pending, 1);
	KCHECK_EQ(vi->arch.cr2, 0x12345000u);
	KCHECK_EQ(vi->time.version, t_before.version);
	KCHECK_EQ(vi->time.system_time, t_before.system_time);
	KCHECK_EQ(vi->time.tsc_to_system_mul, t_before.tsc_to_system_mul);
	for (i = 0; i < sizeof(vi_page); i++)
		if ((i < OFFSET || i >= OFFSET + 64) && vi_page[i] != FILL)
			outside++;
	KCHECK_EQ(outside, 0);
	local_irq_enable();		/* the marked words: nothing is pending */
	KCHECK_EQ(vi->evtchn_upcall_mask, 0);
	KCHECK_EQ(evtchn_stray_events(), 0);

	KCHECK_EQ(reg(0, virt_to_mfn((uint32_t)vi_page), 0), -XEN_EINVAL);
	KCHECK_EQ(reg(0, virt_to_mfn((uint32_t)vi_page), OFFSET), -XEN_EINVAL);
	KCHECK(vcpu_info_moved == vi);
	send_and_check(vi, old);
}

/* A page fault's address lands in the new copy's arch.cr2 only. */
static void check_cr2(void)
{
	struct vcpu_info *old = &shared_info_page->vcpu_info[0];

	old->arch.cr2 = 0;
	vcpu_info_moved->arch.cr2 = 0;
	KCHECK_EQ(HYPERVISOR_set_trap_table(traps), 0);
	asm volatile(".byte 0x8b, 0x1d; .long 0x800000" : : : "ebx");
	KCHECK_EQ(vcpu_info_moved->arch.cr2, 0x800000u);
	KCHECK_EQ(old->arch.cr2, 0);
}

/*
 * The next periodic snapshot (every 1000 ticks, about 1 s) goes to the new
 * copy: wait for it, at most TIME_WAIT_NS.
 */
static void check_time(void)
{
	volatile struct vcpu_info *vi = vcpu_info_moved;
	struct vcpu_info *old = &shared_info_page->vcpu_info[0];
	uint32_t v0 = vi->time.version;
	uint32_t old_v = old->time.version;
	uint64_t st0 = vi->time.system_time;
	uint64_t t0 = time_system_ns(), now = t0;

	while (vi->time.version == v0 && now - t0 < TIME_WAIT_NS) {
		asm volatile("pause");
		now = time_system_ns();
	}
	printf("time versions: new %u -> %u, old %u -> %u, after %llu ms\n",
	       v0, vcpu_info_moved->time.version, old_v, old->time.version,
	       (unsigned long long)((now - t0) / 1000000ull));
	KCHECK(vcpu_info_moved->time.version != v0);
	KCHECK_EQ(vcpu_info_moved->time.version & 1, 0);
	KCHECK(vcpu_info_moved->time.system_time > st0);
	KCHECK_EQ(old->time.version, old_v);
}

void kernel_main(struct start_info *si)
{
	(void)si;
	if (!ktest_start_events())
		return;
	local_irq_disable();
	KCHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, &end_a), 0);
	KCHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, end_a, &end_b), 0);
	evtchn_clear_pending(end_b);
	KCHECK_EQ(evtchn_set_handler(end_b, on_b, NULL), 0);
	local_irq_enable();
	check_refusals();
	check_move();
	check_cr2();
	check_time();
	ktest_finish();
}
