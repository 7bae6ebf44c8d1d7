/*
 * lapic.c - the local APIC's one-shot timer.  See lapic.h.
 *
 * The timer counts down from its initial count at the bus clock divided by
 * the divide configuration (1 here) and raises LAPIC_TIMER_VECTOR at zero
 * once (one-shot mode).  Its rate is not architectural, so it is measured
 * against the calibrated TSC: three 10 ms runs, the median kept.
 */
#include "lapic.h"
#include "page.h"
#include "paging.h"
#include "x86.h"
#include "../../console.h"
#include "../../lib.h"
#include "../../mm.h"
#include "../../time.h"
#include "../../timescale.h"

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_ENABLE	(1u << 11)
#define APIC_BASE_EXTD		(1u << 10)	/* x2APIC mode */

/* Register offsets. */
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_LINT0		0x350
#define APIC_LVT_LINT1		0x360
#define APIC_TMICT		0x380	/* initial count */
#define APIC_TMCCT		0x390	/* current count */
#define APIC_TDCR		0x3e0	/* divide configuration */

#define SVR_ENABLE		(1u << 8)
#define LVT_MASKED		(1u << 16)
#define LVT_EXTINT		(7u << 8)
#define LVT_NMI			(4u << 8)
#define TDCR_DIVIDE_BY_1	0xb

#define CALIBRATE_NS		10000000ull	/* 10 ms a run */

static uint64_t timer_hz;

static inline uint32_t apic_read(uint32_t reg)
{
	return *(volatile uint32_t *)(LAPIC_VIRT + reg);
}

static inline void apic_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(LAPIC_VIRT + reg) = v;
}

/* Count down for CALIBRATE_NS of TSC time; the timer's ticks meanwhile. */
static uint64_t count_run(void)
{
	uint64_t start;
	uint32_t left;

	apic_write(APIC_LVT_TIMER, LVT_MASKED | LAPIC_TIMER_VECTOR);
	apic_write(APIC_TMICT, 0xffffffffu);
	start = time_now_ns();
	while (time_now_ns() - start < CALIBRATE_NS)
		;
	left = apic_read(APIC_TMCCT);
	apic_write(APIC_TMICT, 0);
	return 0xffffffffull - left;
}

static void calibrate(void)
{
	uint64_t runs[3];
	unsigned int i;

	apic_write(APIC_TDCR, TDCR_DIVIDE_BY_1);
	for (i = 0; i < 3; i++)
		runs[i] = count_run();
	sort_u64(runs, 3);
	if (timescale_calibrate(runs[1], CALIBRATE_NS, &timer_hz)) {
		timer_hz = 0;
		printk(LOG_WARN, "lapic: timer counted %llu in 10 ms: not used\n",
		       runs[1]);
		return;
	}
	printk(LOG_INFO, "lapic: one-shot timer at %llu kHz\n",
	       timer_hz / 1000);
}

/* The APIC's frame, or 0 when there is none or it is not usable here. */
static uint32_t find_apic(void)
{
	uint32_t a, b, c, d;
	uint64_t base;

	cpuid_count(1, 0, &a, &b, &c, &d);
	if (!(d & (1u << 9)))
		return 0;
	base = rdmsr(MSR_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE) || (base & APIC_BASE_EXTD))
		return 0;	/* off, or x2APIC (MSR access only) */
	return (uint32_t)((base & 0xffffff000ull) >> PAGE_SHIFT);
}

void lapic_init(bool want_timer)
{
	uint32_t mfn = find_apic();

	if (!mfn) {
		printk(LOG_INFO, "lapic: none usable; timers keep to the tick\n");
		return;
	}
	mm_reserve_io_frame(mfn);
	if (!want_timer) {
		printk(LOG_INFO, "lapic: timer off (lapic_timer=off); timers keep to the tick\n");
		return;
	}
	arch_map_lapic(mfn);
	apic_write(APIC_LVT_LINT0, LVT_EXTINT);	/* the 8259s, as before */
	apic_write(APIC_LVT_LINT1, LVT_NMI);
	apic_write(APIC_SVR, SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
	calibrate();
}

bool lapic_timer_ok(void)
{
	return timer_hz != 0;
}

void lapic_timer_arm(uint64_t delta_ns)
{
	uint64_t ticks = timescale_ns_to_ticks(delta_ns, timer_hz);

	if (ticks == 0)
		ticks = 1;		/* 0 would stop it */
	if (ticks > 0xffffffffull)
		ticks = 0xffffffffull;
	apic_write(APIC_LVT_TIMER, LAPIC_TIMER_VECTOR);	/* one-shot */
	apic_write(APIC_TMICT, (uint32_t)ticks);
}

void lapic_timer_stop(void)
{
	apic_write(APIC_TMICT, 0);
}

void lapic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}
