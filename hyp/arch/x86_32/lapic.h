/*
 * lapic.h - the boot CPU's local APIC: its one-shot timer, which fires
 * guest timers at their deadline instead of at the next 1 kHz tick.
 *
 * lapic_init() finds the APIC (CPUID.1:EDX.APIC and IA32_APIC_BASE), maps
 * its registers uncached at LAPIC_VIRT, enables it with LINT0 left in
 * ExtINT mode (the 8259s still deliver IRQs 0-15 through it, as before) and
 * LINT1 as NMI, and measures its timer against the TSC.  Its frame is
 * reserved: no guest may map it (mm_reserve_io_frame).  Without an APIC,
 * or with `lapic_timer=off` on the command line, lapic_timer_ok() is false
 * and timers keep to the tick.
 */
#ifndef XYLEM_LAPIC_H
#define XYLEM_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define LAPIC_TIMER_VECTOR	0xf0
#define LAPIC_SPURIOUS_VECTOR	0xff	/* low four bits set, as old CPUs want */

/* Set up the APIC and calibrate its timer (time_init() has run). */
void lapic_init(bool want_timer);
/* The timer is there and calibrated. */
bool lapic_timer_ok(void);
/* Interrupt once, in at least delta_ns (at most about 4 s: it then fires
 * early and the caller re-arms). */
void lapic_timer_arm(uint64_t delta_ns);
void lapic_timer_stop(void);
/* Acknowledge the interrupt being handled (not for the spurious vector). */
void lapic_eoi(void);

#endif
