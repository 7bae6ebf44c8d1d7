/*
 * irq.h - hardware interrupts.  The 8259s deliver IRQs 0-15 at vectors
 * 0x20-0x2f; the hypervisor takes them with interrupts off, whether a
 * guest was running or the CPU was idle.  IRQ 0 is the time tick; the
 * others are masked (physical IRQs for Dom0 are not offered yet).
 */
#ifndef XYLEM_IRQ_H
#define XYLEM_IRQ_H

#include <stdbool.h>
#include <stdint.h>

bool irq_is_hardware(uint32_t vector);
void irq_dispatch(uint32_t vector);

#endif
