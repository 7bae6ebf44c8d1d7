/*
 * irq.c - hardware interrupt dispatch.  See irq.h.
 */
#include "irq.h"
#include "time.h"
#include "arch/x86_32/platform.h"

bool irq_is_hardware(uint32_t vector)
{
	return vector >= IRQ_VECTOR_BASE &&
	       vector < IRQ_VECTOR_BASE + NR_LEGACY_IRQS;
}

void irq_dispatch(uint32_t vector)
{
	unsigned int irq = vector - IRQ_VECTOR_BASE;

	if (irq == 0)
		time_tick();
	/* IRQ 7 and 15 may be spurious: nothing to acknowledge then, but an
	 * EOI to a master with no request in service is harmless. */
	pic_eoi(irq);
}
