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

static bool dr7_has_io_breakpoint(uint32_t value)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		if ((value & (3u << (2 * i))) &&
		    ((value >> (16 + 4 * i)) & 3) == DR7_RW_IO)
			return true;
	return false;
}

int debugreg_check(unsigned int reg, uint32_t value)
{
	switch (reg) {
	case 0: case 1: case 2: case 3:
		/* 4 bytes must lie below the hypervisor */
		return value > HYPERVISOR_VIRT_START - 4 ? -XEN_EPERM : 0;
	case 4: case 6:
		return 0;
	case 5: case 7:
		return (value & DR7_RESERVED_ZERO) || dr7_has_io_breakpoint(value) ?
		       -XEN_EPERM : 0;
	default:
		return -XEN_EINVAL;
	}
}

int debugreg_set(struct vcpu *v, unsigned int reg, uint32_t value)
{
	int rc = debugreg_check(reg, value);

	if (rc)
		return rc;
	switch (reg) {
	case 0: case 1: case 2: case 3:
		v->dr[reg] = value;
		break;
	case 4: case 6:
		v->dr[6] = (value & DR6_KEPT) | DR6_FIXED_ONES;
		return 0;
	default:	/* 5, 7 */
		v->dr[7] = value | DR7_FIXED_ONES;
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
	if (reg == 4 || reg == 5)
		reg += 2;
	*value = v->dr[reg];
	return 0;
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
