/*
 * time.h - real time, virtual time and wall-clock time; guest timers.
 *
 * System time is nanoseconds since boot, from the TSC scaled by a
 * mul/shift pair calibrated against the 8254 at boot (timescale.h).  Each
 * vCPU's vcpu_time_info carries the same pair with a (tsc, system time)
 * snapshot, written under the version protocol (odd while changing), so a
 * guest computes the same time without a hypercall.  shared_info's wall
 * clock is the Unix time at system time 0 (seconds and nanoseconds), read
 * from the CMOS clock at boot and set by Dom0 (platform_op settime); it
 * never lies before 1970.
 * Virtual time is the run state accounting (vcpu_op get_runstate_info):
 * nanoseconds each vCPU spent running, runnable, blocked, offline.  Timers: a
 * one-shot timer (set_timer_op, vcpu_op singleshot), a periodic one (10 ms
 * by default; it runs only while its vCPU is up) and poll timeouts raise
 * VIRQ_TIMER or wake the vCPU.  The local APIC's one-shot timer (lapic.h)
 * interrupts at the earliest deadline plus a 50 us slop (as Xen's
 * timer_slop: close deadlines share one interrupt), so they fire at it,
 * never before; without one, or with `lapic_timer=off`, the 1 kHz tick of
 * the 8254 polls them, within about 1 ms of their deadline.  The tick
 * also drives the scheduler either way.
 */
#ifndef XYLEM_TIME_H
#define XYLEM_TIME_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct domain;

#define TICK_HZ			1000u
#define DEFAULT_PERIOD_NS	10000000ull

/* Calibrate the TSC, start the tick, and the APIC timer if lapic_timer. */
void time_init(bool lapic_timer);
uint64_t time_now_ns(void);
/* The calibrated TSC rate in kHz. */
uint32_t time_cpu_khz(void);
/* Fill d's wall clock and v's time info; start its periodic timer. */
void time_start_vcpu(struct vcpu *v);
/*
 * v came up (VCPUOP_up, or initialised online): its periodic timer, which
 * runs only while the vCPU is up and initialised, starts again from now.
 */
void time_vcpu_online(struct vcpu *v);
/* Some vCPU has a timer due at deadline (ns; 0 = none). */
void time_arm(uint64_t deadline);
/* The 1 kHz tick (IRQ 0). */
void time_tick(void);
/* The APIC's one-shot timer interrupted (LAPIC_TIMER_VECTOR). */
void time_timer_interrupt(void);
/* Run-state accounting: v enters state (RUNSTATE_*). */
void time_runstate_change(struct vcpu *v, int state);
/*
 * v is about to run (a context switch, its address space loaded): its
 * time snapshot is rewritten, as Xen does at every switch, so that a
 * guest that mostly sleeps never extrapolates from an old one (Mini-OS's
 * 32-bit offset from the snapshot wraps after 4.29 s).
 */
void time_switch_in(struct vcpu *v);
/*
 * Set the wall clock so that it read secs.nsecs at system time
 * system_time_ns (signed: before boot is negative), and publish it to
 * every domain at once: 0, or -XEN_EINVAL if nsecs >= 10^9.  A result
 * before 1970 is clamped to 0.0, one past 2^64-1 s to the largest value.
 */
int time_set_wallclock(uint64_t secs, uint32_t nsecs, int64_t system_time_ns);

/*
 * The vcpu_op commands on v's time (vcpu.c dispatches them): run-state
 * info and its guest copy, the periodic timer (any vCPU of the caller's),
 * the one-shot timer (the caller's own vCPU only: -XEN_EINVAL otherwise),
 * a second copy of the time snapshot (register_vcpu_time_memory_area: a
 * guest address with room below the hypervisor, else -XEN_EFAULT; 0
 * stops it; rewritten with every snapshot while the vCPU runs, faults
 * ignored as Xen ignores them).
 */
long time_vcpu_op(struct vcpu *v, uint32_t cmd, uint32_t arg);

long do_set_timer_op(uint32_t lo, uint32_t hi, uint32_t a3, uint32_t a4,
		     uint32_t a5);

#endif
