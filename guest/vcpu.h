/*
 * vcpu.h - secondary vCPUs in a Xylem PV kernel: start one on a function
 * of ours (VCPUOP_initialise with VGCF_online) and bring vCPUs up and
 * down.  The domain must have been given the vCPU (Dom0: the hypervisor
 * option dom0_max_vcpus=N; a DomU: vcpus=N), else -XEN_ENOENT.
 *
 * vcpu_start(id, fn, arg, stack, stack_size) needs mm_init() done.  vCPU
 * id then runs fn(arg) in ring 1 on the flat selectors (FLAT_KERNEL_CS,
 * FLAT_KERNEL_DS, no GDT of its own), in the address space vCPU 0 is using
 * at the call (mm_current_l3()), on the given stack (its top rounded down
 * to 16 bytes), with the direction flag clear.  It has no trap table, no
 * event callback and no failsafe callback, and its upcall mask is set:
 * events never interrupt it.  If fn returns, the vCPU downs itself; when
 * another vCPU brings it up again it downs itself again.  It cannot be
 * started a second time: VCPUOP_initialise is once per vCPU and boot.
 *
 * What the secondary may do: read and write memory it shares with vCPU 0
 * (volatile or atomic accesses: the vCPUs share the one CPU and switch at
 * any hypervisor entry, the timer tick included), issue hypercalls, wait
 * with SCHEDOP_poll on ports that notify it (EVTCHNOP_bind_ipi or a
 * per-vCPU VIRQ bound with .vcpu = id, or a port moved with bind_vcpu),
 * and use evtchn_send(), evtchn_is_pending(), evtchn_clear_pending(),
 * evtchn_is_masked() (single locked operations on shared_info), and the
 * vcpu_* calls below.  What it must not do: anything that belongs to the
 * guest library's event state, which is vCPU 0's (local_irq_*(),
 * evtchn_set_handler(), evtchn_mask()/unmask() of vCPU 0's ports,
 * evtchn_move_vcpu_info(), this_vcpu_info()), printf() and the console,
 * mm_*() (the window slots and the frame allocator are not locked), the
 * FPU, and any fault: with no trap table a fault crashes the domain.
 * SCHEDOP_block clears its upcall mask; with no callback nothing is
 * delivered, but SCHEDOP_poll is the way to wait.  vCPU 0 must keep the
 * address space and the stack alive while the secondary can run.
 *
 * Operations return 0 (vcpu_is_up: 1 or 0) or a negative XEN_E* code.
 */
#ifndef XYLEM_GUEST_VCPU_H
#define XYLEM_GUEST_VCPU_H

#include <stdint.h>

/* The smallest stack vcpu_start() accepts. */
#define VCPU_STACK_MIN		1024u

typedef void (*vcpu_fn_t)(void *arg);

/*
 * Start vCPU id (1 .. XEN_LEGACY_MAX_VCPUS - 1) on fn(arg).  -XEN_EINVAL
 * for id 0 or past that, fn NULL, a stack smaller than VCPU_STACK_MIN or
 * not wholly below HYPERVISOR_VIRT_START, or mm_init() not done;
 * -XEN_EBUSY while another vCPU is inside vcpu_start(); else the
 * hypervisor's answer (-XEN_ENOENT: the domain has no such vCPU,
 * -XEN_EEXIST: it was initialised before).
 */
int vcpu_start(uint32_t id, vcpu_fn_t fn, void *arg, void *stack,
	       uint32_t stack_size);

/* VCPUOP_is_up: 1 or 0, -XEN_ENOENT for a vCPU the domain lacks. */
long vcpu_is_up(uint32_t id);
/* VCPUOP_up: makes an initialised vCPU run (-XEN_EINVAL before). */
int vcpu_up(uint32_t id);
/* VCPUOP_down: a vCPU downing itself returns once brought up again;
 * downing the last vCPU that is up powers the domain off. */
int vcpu_down(uint32_t id);

#endif
