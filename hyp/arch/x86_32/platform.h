/*
 * platform.h - the PC's legacy devices the hypervisor drives itself: the
 * 8259 interrupt controllers (IRQs 0-15 at vectors 0x20-0x2f), the 8254
 * timer (channel 0 ticks, channel 2 measures the TSC) and the CMOS clock.
 */
#ifndef XYLEM_PLATFORM_H
#define XYLEM_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#define IRQ_VECTOR_BASE	0x20
#define NR_LEGACY_IRQS	16
#define PIT_HZ		1193182u

/* Remap both 8259s to IRQ_VECTOR_BASE with every line masked. */
void pic_init(void);
void pic_unmask(unsigned int irq);
void pic_mask(unsigned int irq);
void pic_eoi(unsigned int irq);
/* Channel 0 interrupts hz times a second (IRQ 0). */
void pit_start_periodic(uint32_t hz);
/* TSC ticks elapsed while channel 2 counted `pit_ticks` (at most 65535). */
uint64_t pit_measure_tsc(uint16_t pit_ticks);

struct rtc_time {
	unsigned int year, mon, day, hour, min, sec;
};
/* Read the CMOS clock (binary, 24 h); false if it never settles. */
bool rtc_read(struct rtc_time *t);

#endif
