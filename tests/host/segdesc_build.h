/*
 * segdesc_build.h - building raw x86 segment descriptors for the host
 * tests of hyp/segdesc.c and hyp/seg_fixup.c (Intel SDM vol. 3, 3.4.5).
 *
 * mkdesc() packs base, 20-bit limit, 4-bit type, S, DPL, P, D/B and G
 * into the 8-byte form; the T_* constants are the types these tests use
 * (S = 1), and LIMIT_END is where the guests' segments must stop (the end
 * of the M2P window, MACH2PHYS_VIRT_END).
 */
#ifndef XYLEM_TESTS_SEGDESC_BUILD_H
#define XYLEM_TESTS_SEGDESC_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#define LIMIT_END	0xf6800000u

#define T_DATA_RO	0x0	/* read-only data */
#define T_DATA		0x2	/* read/write */
#define T_DATA_DOWN	0x6	/* read/write, expand-down */
#define T_CODE		0xa	/* execute/read */
#define T_CODE_CONF	0xe	/* execute/read, conforming */
#define T_ACCESSED	0x1	/* or'ed into a type: the accessed bit */

static inline uint64_t mkdesc(uint32_t base, uint32_t limit, unsigned int type,
			      bool s, unsigned int dpl, bool p, bool db, bool g)
{
	return (uint64_t)(limit & 0xffff) |
	       (uint64_t)(base & 0xffffff) << 16 |
	       (uint64_t)(type & 0xf) << 40 |
	       (uint64_t)s << 44 |
	       (uint64_t)(dpl & 3) << 45 |
	       (uint64_t)p << 47 |
	       (uint64_t)((limit >> 16) & 0xf) << 48 |
	       (uint64_t)db << 54 |
	       (uint64_t)g << 55 |
	       (uint64_t)(base >> 24) << 56;
}

#endif
