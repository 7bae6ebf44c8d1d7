/*
 * sched.h - choosing what runs next, switching to it, and the sched_op
 * hypercall.
 *
 * Every vCPU is an entity of one scheduling policy behind struct
 * sched_ops (bvt.h: Borrowed Virtual Time).  A vCPU is runnable when its
 * domain is running and not paused, it has a context, and it is not
 * blocked; whoever changes one of those calls sched_vcpu_changed(), which
 * tells the policy and asks for a reschedule.  The sched_op hypercall
 * (hypercall.h) lives in sched.c too.  schedule() asks the policy
 * for the next vCPU (or the idle vCPU when none is runnable) and switches
 * hypervisor stacks to it; it returns when the caller's vCPU is picked
 * again.  Reschedules happen only at safe points: on the way back to a
 * guest (sched_after_trap), when a vCPU blocks, and in the idle loop.
 */
#ifndef XYLEM_SCHED_H
#define XYLEM_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* Set up the policy and the idle vCPU (which runs on the boot stack). */
void sched_init(void);
/* The boot CPU becomes the idle vCPU and runs whatever is runnable. */
void sched_start(void) __attribute__((noreturn));

void sched_add_vcpu(struct vcpu *v);
void sched_remove_vcpu(struct vcpu *v);
/* v's runnability may have changed: tell the policy. */
void sched_vcpu_changed(struct vcpu *v);
/* Wake v if it is blocked (an event, a timer, a poll timeout). */
void vcpu_unblock(struct vcpu *v);
/* Prepare v's hypervisor stack so that switching to it enters its frame. */
void sched_prepare_vcpu(struct vcpu *v);

void schedule(void);
/* The time slice may have run out (the tick calls this). */
void sched_tick(uint64_t now);
/* On every way back to a guest: reschedule if asked or not runnable. */
void sched_after_trap(void);

/* BVT parameters (XEN_SCHEDULER_BVT); 0 or -XEN_EINVAL. */
int sched_set_params(struct vcpu *v, uint32_t weight, int64_t warp_ns,
		     uint64_t warp_limit_ns, uint64_t unwarp_ns);
void sched_get_params(const struct vcpu *v, uint32_t *weight,
		      int64_t *warp_ns, uint64_t *warp_limit_ns,
		      uint64_t *unwarp_ns);
/* ns the vCPU has run, including the current stint. */
uint64_t sched_cpu_time(const struct vcpu *v);
bool sched_vcpu_is_running(const struct vcpu *v);

#endif
