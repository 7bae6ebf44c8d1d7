/*
 * hypercall.h - calling the hypervisor from a Xylem PV kernel.
 *
 * hypercall(nr, a1..a5) calls stub nr of the hypercall page the hypervisor
 * filled in (32 bytes per stub); raw_hypercall() issues int $0x82 itself,
 * for numbers past the page.  Named wrappers follow the public ABI.
 */
#ifndef XYLEM_GUEST_HYPERCALL_H
#define XYLEM_GUEST_HYPERCALL_H

#include <stdint.h>
#include <public/xen.h>
#include <public/sched.h>
#include <public/version.h>
#include <public/physdev.h>

extern char hypercall_page[4096];

static inline long hypercall(unsigned int nr, uint32_t a1, uint32_t a2,
			     uint32_t a3, uint32_t a4, uint32_t a5)
{
	uint32_t fn = (uint32_t)hypercall_page + nr * 32;
	long ret;

	asm volatile("call *%[fn]"
		     : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4), "+D"(a5)
		     : [fn] "m"(fn)
		     : "memory");
	return ret;
}

static inline long raw_hypercall(uint32_t nr, uint32_t a1, uint32_t a2)
{
	long ret;

	asm volatile("int $0x82" : "=a"(ret), "+b"(a1), "+c"(a2)
		     : "a"(nr) : "memory", "edx", "esi", "edi");
	return ret;
}

static inline long HYPERVISOR_console_io(uint32_t cmd, uint32_t n, const void *buf)
{
	return hypercall(__HYPERVISOR_console_io, cmd, n, (uint32_t)buf, 0, 0);
}

static inline long HYPERVISOR_physdev_op(uint32_t cmd, const void *arg)
{
	return hypercall(__HYPERVISOR_physdev_op, cmd, (uint32_t)arg, 0, 0, 0);
}

/* The old form (19): a struct physdev_op, command included. */
static inline long HYPERVISOR_physdev_op_compat(const void *op)
{
	return hypercall(__HYPERVISOR_physdev_op_compat, (uint32_t)op, 0, 0, 0,
			 0);
}

static inline long HYPERVISOR_sched_op(uint32_t cmd, void *arg)
{
	return hypercall(__HYPERVISOR_sched_op, cmd, (uint32_t)arg, 0, 0, 0);
}

static inline long HYPERVISOR_xen_version(uint32_t cmd, void *arg)
{
	return hypercall(__HYPERVISOR_xen_version, cmd, (uint32_t)arg, 0, 0, 0);
}

static inline long HYPERVISOR_set_trap_table(const void *table)
{
	return hypercall(__HYPERVISOR_set_trap_table, (uint32_t)table, 0, 0, 0, 0);
}

static inline long HYPERVISOR_stack_switch(uint32_t ss, uint32_t esp)
{
	return hypercall(__HYPERVISOR_stack_switch, ss, esp, 0, 0, 0);
}

static inline long HYPERVISOR_multicall(struct multicall_entry *list,
					uint32_t nr)
{
	return hypercall(__HYPERVISOR_multicall, (uint32_t)list, nr, 0, 0, 0);
}

/* Page tables and memory (mmu.c, memory.c in the hypervisor). */
static inline long HYPERVISOR_mmu_update(const struct mmu_update *reqs,
					 uint32_t count, uint32_t *done,
					 domid_t domid)
{
	return hypercall(__HYPERVISOR_mmu_update, (uint32_t)reqs, count,
			 (uint32_t)done, domid, 0);
}

static inline long HYPERVISOR_mmuext_op(const struct mmuext_op *ops,
					uint32_t count, uint32_t *done,
					domid_t domid)
{
	return hypercall(__HYPERVISOR_mmuext_op, (uint32_t)ops, count,
			 (uint32_t)done, domid, 0);
}

/* The 64-bit PAE entry travels as two words, low word first. */
static inline long HYPERVISOR_update_va_mapping(uint32_t va, uint64_t pte,
						uint32_t flags)
{
	return hypercall(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte,
			 (uint32_t)(pte >> 32), flags, 0);
}

static inline long HYPERVISOR_memory_op(uint32_t cmd, void *arg)
{
	return hypercall(__HYPERVISOR_memory_op, cmd, (uint32_t)arg, 0, 0, 0);
}

static inline long HYPERVISOR_vm_assist(uint32_t cmd, uint32_t type)
{
	return hypercall(__HYPERVISOR_vm_assist, cmd, type, 0, 0, 0);
}

/* Event channels, timers and vCPU operations (issue 4). */
#include <public/event_channel.h>
#include <public/vcpu.h>

static inline long HYPERVISOR_event_channel_op(uint32_t cmd, void *arg)
{
	return hypercall(__HYPERVISOR_event_channel_op, cmd, (uint32_t)arg,
			 0, 0, 0);
}

/* The absolute deadline (system time in ns, 0 = cancel), low word first. */
static inline long HYPERVISOR_set_timer_op(uint64_t deadline_ns)
{
	return hypercall(__HYPERVISOR_set_timer_op, (uint32_t)deadline_ns,
			 (uint32_t)(deadline_ns >> 32), 0, 0, 0);
}

static inline long HYPERVISOR_vcpu_op(uint32_t cmd, uint32_t vcpu, void *arg)
{
	return hypercall(__HYPERVISOR_vcpu_op, cmd, vcpu, (uint32_t)arg, 0, 0);
}

/* SCHEDOP_poll: wait for one of ports[0..n) or timeout_ns (absolute, 0 = none). */
static inline long HYPERVISOR_poll(const evtchn_port_t *ports, uint32_t n,
				   uint64_t timeout_ns)
{
	struct sched_poll p = { (uint32_t)ports, n, timeout_ns };

	return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

/* PHYSDEVOP_set_iopl for the calling vCPU.  Every vCPU starts at 0, as on
 * Xen: a kernel that does port I/O raises it to 1 first. */
static inline long HYPERVISOR_set_iopl(uint32_t iopl)
{
	struct physdev_set_iopl s = { .iopl = iopl };

	return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &s);
}

#endif
