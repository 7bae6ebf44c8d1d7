/*
 * debugreg.c - per-vCPU debug registers.  See debugreg.h.
 */
#include "debugreg.h"
#include "domain.h"
#include "arch/x86_32/x86.h"
#include <public/arch-x86_32.h>
#include <public/errno.h>

#define DR6_KEPT		0x0000e00fu	/* B0-B3, BD, BS, BT */
#define DR7_RESERVED_ZERO	0x0000d800u	/* bits 11, 12, 14, 15 */
#define DR7_ENABLES		0x000000ffu	/* L0-L3, G0-G3 */
#define DR7_GD			0x00002000u
#define DR7_RW_IO		2u

void debugreg_init(struct vcpu *v)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		v->dr[i] = 0;
	v->dr[6] = DR6_FIXED_ONES;
	v->dr[7] = DR7_FIXED_ONES;
	v->dr7_emul = 0;
}

void debugreg_load(const struct vcpu *v)
{
	static bool cpu_armed;

	if (!(v->dr[7] & DR7_ENABLES)) {
		if (cpu_armed)
			write_dr(7, 0);
		cpu_armed = false;
		return;
	}
	write_dr(7, 0);
	write_dr(0, v->dr[0]);
	write_dr(1, v->dr[1]);
	write_dr(2, v->dr[2]);
	write_dr(3, v->dr[3]);
	write_dr(7, v->dr[7] & ~DR7_GD);
	cpu_armed = true;
}

/* DR7's R/W field of slot i (0-3). */
static unsigned int dr7_rw(uint32_t dr7, unsigned int i)
{
	return (dr7 >> (16 + 4 * i)) & 3;
}

/*
 * The enable bits of the I/O breakpoints in value, or -XEN_EPERM: as Xen,
 * while any breakpoint is enabled every slot is looked at, and an I/O one
 * needs CR4.DE.
 */
static int64_t dr7_io_enables(uint32_t value, bool de)
{
	uint32_t io = 0;
	unsigned int i;

	if (!(value & DR7_ENABLES))
		return 0;
	for (i = 0; i < 4; i++) {
		if (dr7_rw(value, i) != DR7_RW_IO)
			continue;
		if (!de)
			return -XEN_EPERM;
		io |= value & (3u << (2 * i));
	}
	return io;
}

int debugreg_check(unsigned int reg, uint32_t value, bool de)
{
	switch (reg) {
	case 0: case 1: case 2: case 3:
		/* 4 bytes must lie below the hypervisor */
		return value > HYPERVISOR_VIRT_START - 4 ? -XEN_EPERM : 0;
	case 4: case 5:
		if (de)
			return -XEN_ENODEV;
		return debugreg_check(reg + 2, value, de);
	case 6:
		return 0;
	case 7:
		if (value & DR7_RESERVED_ZERO)
			return -XEN_EPERM;
		return dr7_io_enables(value, de) < 0 ? -XEN_EPERM : 0;
	default:
		return -XEN_EINVAL;
	}
}

int debugreg_set(struct vcpu *v, unsigned int reg, uint32_t value)
{
	int rc = debugreg_check(reg, value, v->guest_cr4_de);

	if (rc)
		return rc;
	switch (reg) {
	case 0: case 1: case 2: case 3:
		v->dr[reg] = value;
		break;
	case 4: case 6:
		v->dr[6] = (value & DR6_KEPT) | DR6_FIXED_ONES;
		return 0;
	default:	/* 5, 7: I/O breakpoints stay out of the CPU */
		v->dr7_emul = (uint32_t)dr7_io_enables(value, v->guest_cr4_de);
		v->dr[7] = (value & ~v->dr7_emul) | DR7_FIXED_ONES;
		break;
	}
	if (v == current_vcpu())
		debugreg_load(v);
	return 0;
}

int debugreg_get(const struct vcpu *v, unsigned int reg, uint32_t *value)
{
	if (reg > 7)
		return -XEN_EINVAL;
	if (reg == 4 || reg == 5) {
		if (v->guest_cr4_de)
			return -XEN_ENODEV;
		reg += 2;
	}
	*value = v->dr[reg] | (reg == 7 ? v->dr7_emul : 0);
	return 0;
}

/* LEN 00, 01, 11, 10: 1, 2, 4, 8 bytes (ports). */
uint32_t debugreg_io_match(const struct vcpu *v, uint16_t port,
			   unsigned int size)
{
	static const uint8_t width[4] = { 1, 2, 8, 4 };
	uint32_t match = 0, start;
	unsigned int i;

	if (!v->guest_cr4_de || !v->dr7_emul)
		return 0;
	for (i = 0; i < 4; i++) {
		if (!(v->dr7_emul & (3u << (2 * i))))
			continue;
		start = v->dr[i];
		if (start < (uint32_t)port + size &&
		    start + width[(v->dr[7] >> (18 + 4 * i)) & 3] > port)
			match |= 1u << i;
	}
	return match;
}

void debugreg_add_status(struct vcpu *v, uint32_t bits)
{
	v->dr[6] |= bits & DR6_KEPT;
}

void debugreg_take_status(struct vcpu *v)
{
	uint32_t dr6 = read_dr(6);

	v->dr[6] |= dr6 & DR6_KEPT;
	write_dr(6, DR6_FIXED_ONES);
}

long do_set_debugreg(uint32_t reg, uint32_t value, uint32_t a3, uint32_t a4,
		     uint32_t a5)
{
	(void)a3; (void)a4; (void)a5;
	return debugreg_set(current_vcpu(), reg, value);
}

long do_get_debugreg(uint32_t reg, uint32_t a2, uint32_t a3, uint32_t a4,
		     uint32_t a5)
{
	uint32_t value;
	int rc;

	(void)a2; (void)a3; (void)a4; (void)a5;
	rc = debugreg_get(current_vcpu(), reg, &value);
	return rc ? rc : (long)value;
}
