/*
 * platform.c - 8259, 8254 and CMOS clock.  See platform.h.
 */
#include "platform.h"
#include "x86.h"

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIT_CH0		0x40
#define PIT_CH2		0x42
#define PIT_MODE	0x43
#define PIT_GATE	0x61
#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71

void pic_init(void)
{
	outb(PIC1_CMD, 0x11);		/* ICW1: edge, cascade, ICW4 */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, IRQ_VECTOR_BASE);
	outb(PIC2_DATA, IRQ_VECTOR_BASE + 8);
	outb(PIC1_DATA, 0x04);		/* slave on IRQ 2 */
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01);		/* 8086 mode */
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xfb);		/* all masked but the cascade */
	outb(PIC2_DATA, 0xff);
}

void pic_unmask(unsigned int irq)
{
	uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;

	outb(port, inb(port) & ~(1u << (irq % 8)));
}

void pic_mask(unsigned int irq)
{
	uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;

	outb(port, inb(port) | (1u << (irq % 8)));
}

void pic_eoi(unsigned int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, 0x20);
	outb(PIC1_CMD, 0x20);
}

void pit_start_periodic(uint32_t hz)
{
	uint32_t div = PIT_HZ / hz;

	outb(PIT_MODE, 0x34);		/* channel 0, lo/hi, rate generator */
	outb(PIT_CH0, div & 0xff);
	outb(PIT_CH0, (div >> 8) & 0xff);
}

uint64_t pit_measure_tsc(uint16_t pit_ticks)
{
	uint64_t start, end;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);	/* gate on, no speaker */
	outb(PIT_MODE, 0xb0);		/* channel 2, lo/hi, one-shot */
	outb(PIT_CH2, pit_ticks & 0xff);
	outb(PIT_CH2, pit_ticks >> 8);
	start = rdtsc();
	while (!(inb(PIT_GATE) & 0x20))	/* OUT2 goes high at terminal count */
		;
	end = rdtsc();
	return end - start;
}

static unsigned int cmos_read(unsigned int reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static unsigned int from_bcd(unsigned int v)
{
	return (v >> 4) * 10 + (v & 0xf);
}

bool rtc_read(struct rtc_time *t)
{
	unsigned int tries, b;

	for (tries = 0; tries < 1000000 && (cmos_read(0x0a) & 0x80); tries++)
		;
	if (tries == 1000000)
		return false;
	*t = (struct rtc_time){ cmos_read(0x09), cmos_read(0x08), cmos_read(0x07),
				cmos_read(0x04), cmos_read(0x02), cmos_read(0x00) };
	b = cmos_read(0x0b);
	if (!(b & 0x04)) {		/* BCD */
		t->year = from_bcd(t->year);
		t->mon = from_bcd(t->mon);
		t->day = from_bcd(t->day);
		t->hour = from_bcd(t->hour & 0x7f) | (t->hour & 0x80);
		t->min = from_bcd(t->min);
		t->sec = from_bcd(t->sec);
	}
	if (!(b & 0x02) && (t->hour & 0x80))	/* 12 h clock, PM */
		t->hour = ((t->hour & 0x7f) % 12) + 12;
	t->hour &= 0x7f;
	t->year += t->year < 70 ? 2000 : 1900;
	return true;
}
