/*
 * seg_fixup.c - instruction memory-reference decoder and the up/down
 * flip of wrapping "4 GiB" data segments.  See seg_fixup.h.
 *
 * The decoder is table driven: one opcode_info per opcode of each map
 * (one-byte, 0F, 0F 38, 0F 3A) says whether it is defined, whether a ModRM
 * byte follows, what its memory operand's size is, which immediate
 * follows, and whether it is a group whose ModRM.reg field selects the
 * real entry.  A zero entry is an undefined opcode.  Every byte goes
 * through x86_decode.h's cursor, which stops at min(avail, 15), so a
 * truncated or overlong instruction is -XEN_EINVAL and nothing past it is
 * read; the ModRM/SIB arithmetic is x86_decode.h's too.
 *
 * The flip computes both forms from the descriptor itself (so every bit
 * but the expand-down bit and the limit is kept) and compares; the
 * up-form is obtained from segdesc_check() on the 4 GiB request, so it is
 * by construction what truncation produces.  Freestanding.
 */
#include "seg_fixup.h"

#include "segdesc.h"
#include <public/errno.h>

/* The size of a memory operand, as a class resolved by mem_size(). */
enum mem_size {
	MS_NONE,	/* no memory operand */
	MS_NOACC,	/* a ModRM memory operand that is never accessed */
	MS_1, MS_2, MS_4, MS_6, MS_8, MS_10, MS_16, MS_28, MS_108, MS_512,
	MS_V,		/* operand size: 4, or 2 with 66 */
	MS_P,		/* far pointer: an operand-size offset and a selector */
	MS_VV,		/* bound: two operand-size bounds */
	MS_MMX,		/* 8 (MMX), or 16 with a 66/F2/F3 (SSE) prefix */
};

/* The immediate (or other trailing bytes) after ModRM/SIB/displacement. */
enum imm_size {
	IMM_NONE,
	IMM_B,		/* 1 byte */
	IMM_W,		/* 2 bytes */
	IMM_Z,		/* operand size: 4, or 2 with 66 */
	IMM_ENTER,	/* iw, ib */
	IMM_FAR,	/* ptr16:32 (ptr16:16 with 66) */
};

#define OP_VALID	0x001	/* defined (zero entries are not) */
#define OP_MODRM	0x002	/* a ModRM byte follows the opcode */
#define OP_MEM_ONLY	0x004	/* mod 3 is #UD or another encoding (VEX, EVEX) */
#define OP_REG_ONLY	0x008	/* mod 3 only (maskmov) */
#define OP_MOD_IGNORED	0x010	/* mov cr/dr: ModRM always names registers */
#define OP_SRC_ESI	0x020	/* string source DS:ESI, override applies */
#define OP_DST_EDI	0x040	/* string destination ES:EDI, no override */
#define OP_MOFFS	0x080	/* a 4-byte offset instead of ModRM, DS */
#define OP_XLAT		0x100	/* DS:EBX + AL */
#define OP_DS_EDI	0x200	/* maskmov: DS:EDI, override applies */
#define OP_BIT_OFFSET	0x400	/* bt* Ev,Gv: the bit offset moves the address */

struct opcode_info {
	uint16_t flags;
	uint8_t size;		/* enum mem_size */
	uint8_t imm;		/* enum imm_size */
	uint8_t group;		/* enum group, G_NONE if not a group */
};

/* A group: the entry for each ModRM.reg value of a memory form. */
struct group_info {
	struct opcode_info mem[8];
	uint8_t reg_ok;		/* bit r: the register form (mod 3) /r is defined */
};

enum group {
	G_NONE, G_8F, G_C6, G_C7, G_F6, G_F7, G_FE, G_FF,
	G_D8, G_D9, G_DA, G_DB, G_DC, G_DD, G_DE, G_DF,
	G_0F00, G_0F01, G_0FAE, G_0FBA, G_0FC7, G_COUNT
};

#define NOARG		{ .flags = OP_VALID }
#define IMM(i)		{ .flags = OP_VALID, .imm = (i) }
#define RM(s)		{ .flags = OP_VALID | OP_MODRM, .size = (s) }
#define RMI(s, i)	{ .flags = OP_VALID | OP_MODRM, .size = (s), .imm = (i) }
#define RMM(s)		{ .flags = OP_VALID | OP_MODRM | OP_MEM_ONLY, .size = (s) }
#define GROUP(g)	{ .flags = OP_VALID | OP_MODRM, .group = (g) }
#define SPECIAL(f, s)	{ .flags = OP_VALID | (f), .size = (s) }
#define CRDR		{ .flags = OP_VALID | OP_MODRM | OP_MOD_IGNORED }
#define BITOP		{ .flags = OP_VALID | OP_MODRM | OP_BIT_OFFSET, .size = MS_V }
#define MASKMOV		{ .flags = OP_VALID | OP_MODRM | OP_REG_ONLY | OP_DS_EDI, \
			  .size = MS_MMX }

/* add/or/adc/sbb/and/sub/xor/cmp: Eb,Gb Ev,Gv Gb,Eb Gv,Ev AL,ib eAX,iz */
#define ALU(op)		[(op)] = RM(MS_1), [(op) + 1] = RM(MS_V),	\
			[(op) + 2] = RM(MS_1), [(op) + 3] = RM(MS_V),	\
			[(op) + 4] = IMM(IMM_B), [(op) + 5] = IMM(IMM_Z)

/* Prefix bytes and 0F are consumed before this table is consulted. */
static const struct opcode_info one_byte[256] = {
	ALU(0x00), [0x06] = NOARG, [0x07] = NOARG,
	ALU(0x08), [0x0e] = NOARG,
	ALU(0x10), [0x16] = NOARG, [0x17] = NOARG,
	ALU(0x18), [0x1e] = NOARG, [0x1f] = NOARG,
	ALU(0x20), [0x27] = NOARG,
	ALU(0x28), [0x2f] = NOARG,
	ALU(0x30), [0x37] = NOARG,
	ALU(0x38), [0x3f] = NOARG,
	[0x40 ... 0x61] = NOARG,		/* inc dec push pop pusha popa */
	[0x62] = RMM(MS_VV),			/* bound (mod 3: EVEX) */
	[0x63] = RM(MS_2),			/* arpl */
	[0x68] = IMM(IMM_Z), [0x69] = RMI(MS_V, IMM_Z),
	[0x6a] = IMM(IMM_B), [0x6b] = RMI(MS_V, IMM_B),
	[0x6c] = SPECIAL(OP_DST_EDI, MS_1), [0x6d] = SPECIAL(OP_DST_EDI, MS_V),
	[0x6e] = SPECIAL(OP_SRC_ESI, MS_1), [0x6f] = SPECIAL(OP_SRC_ESI, MS_V),
	[0x70 ... 0x7f] = IMM(IMM_B),		/* jcc rel8 */
	[0x80] = RMI(MS_1, IMM_B), [0x81] = RMI(MS_V, IMM_Z),
	[0x82] = RMI(MS_1, IMM_B), [0x83] = RMI(MS_V, IMM_B),
	[0x84] = RM(MS_1), [0x85] = RM(MS_V), [0x86] = RM(MS_1), [0x87] = RM(MS_V),
	[0x88] = RM(MS_1), [0x89] = RM(MS_V), [0x8a] = RM(MS_1), [0x8b] = RM(MS_V),
	[0x8c] = RM(MS_2),			/* mov Ew,Sw */
	[0x8d] = RMM(MS_NOACC),			/* lea */
	[0x8e] = RM(MS_2),			/* mov Sw,Ew */
	[0x8f] = GROUP(G_8F),
	[0x90 ... 0x99] = NOARG, [0x9a] = IMM(IMM_FAR), [0x9b ... 0x9f] = NOARG,
	[0xa0] = SPECIAL(OP_MOFFS, MS_1), [0xa1] = SPECIAL(OP_MOFFS, MS_V),
	[0xa2] = SPECIAL(OP_MOFFS, MS_1), [0xa3] = SPECIAL(OP_MOFFS, MS_V),
	[0xa4] = SPECIAL(OP_SRC_ESI | OP_DST_EDI, MS_1),	/* movs */
	[0xa5] = SPECIAL(OP_SRC_ESI | OP_DST_EDI, MS_V),
	[0xa6] = SPECIAL(OP_SRC_ESI | OP_DST_EDI, MS_1),	/* cmps */
	[0xa7] = SPECIAL(OP_SRC_ESI | OP_DST_EDI, MS_V),
	[0xa8] = IMM(IMM_B), [0xa9] = IMM(IMM_Z),
	[0xaa] = SPECIAL(OP_DST_EDI, MS_1), [0xab] = SPECIAL(OP_DST_EDI, MS_V),
	[0xac] = SPECIAL(OP_SRC_ESI, MS_1), [0xad] = SPECIAL(OP_SRC_ESI, MS_V),
	[0xae] = SPECIAL(OP_DST_EDI, MS_1), [0xaf] = SPECIAL(OP_DST_EDI, MS_V),
	[0xb0 ... 0xb7] = IMM(IMM_B), [0xb8 ... 0xbf] = IMM(IMM_Z),
	[0xc0] = RMI(MS_1, IMM_B), [0xc1] = RMI(MS_V, IMM_B),
	[0xc2] = IMM(IMM_W), [0xc3] = NOARG,
	[0xc4] = RMM(MS_P), [0xc5] = RMM(MS_P),	/* les lds (mod 3: VEX) */
	[0xc6] = GROUP(G_C6), [0xc7] = GROUP(G_C7),
	[0xc8] = IMM(IMM_ENTER), [0xc9] = NOARG, [0xca] = IMM(IMM_W),
	[0xcb] = NOARG, [0xcc] = NOARG, [0xcd] = IMM(IMM_B),
	[0xce] = NOARG, [0xcf] = NOARG,
	[0xd0] = RM(MS_1), [0xd1] = RM(MS_V), [0xd2] = RM(MS_1), [0xd3] = RM(MS_V),
	[0xd4] = IMM(IMM_B), [0xd5] = IMM(IMM_B),
	[0xd7] = SPECIAL(OP_XLAT, MS_1),
	[0xd8] = GROUP(G_D8), [0xd9] = GROUP(G_D9), [0xda] = GROUP(G_DA),
	[0xdb] = GROUP(G_DB), [0xdc] = GROUP(G_DC), [0xdd] = GROUP(G_DD),
	[0xde] = GROUP(G_DE), [0xdf] = GROUP(G_DF),
	[0xe0 ... 0xe7] = IMM(IMM_B),		/* loop jecxz in out */
	[0xe8] = IMM(IMM_Z), [0xe9] = IMM(IMM_Z), [0xea] = IMM(IMM_FAR),
	[0xeb] = IMM(IMM_B), [0xec ... 0xef] = NOARG,
	[0xf1] = NOARG, [0xf4] = NOARG, [0xf5] = NOARG,
	[0xf6] = GROUP(G_F6), [0xf7] = GROUP(G_F7),
	[0xf8 ... 0xfd] = NOARG, [0xfe] = GROUP(G_FE), [0xff] = GROUP(G_FF),
};

/* 0F xx.  0F 38 and 0F 3A select the three-byte maps below. */
static const struct opcode_info two_byte[256] = {
	[0x00] = GROUP(G_0F00), [0x01] = GROUP(G_0F01),
	[0x02] = RM(MS_2), [0x03] = RM(MS_2),	/* lar lsl */
	[0x05 ... 0x09] = NOARG, [0x0b] = NOARG,
	[0x0d] = RM(MS_NOACC),			/* prefetch / nop */
	[0x10 ... 0x17] = RM(MS_16),
	[0x18 ... 0x1f] = RM(MS_NOACC),		/* prefetch, hint nops */
	[0x20 ... 0x23] = CRDR,
	[0x28 ... 0x2f] = RM(MS_16),
	[0x30 ... 0x35] = NOARG, [0x37] = NOARG,
	[0x40 ... 0x4f] = RM(MS_V),		/* cmovcc */
	[0x50 ... 0x5f] = RM(MS_16),
	[0x60 ... 0x6f] = RM(MS_MMX),
	[0x70 ... 0x73] = RMI(MS_MMX, IMM_B),
	[0x74 ... 0x76] = RM(MS_MMX), [0x77] = NOARG,
	[0x7c] = RM(MS_16), [0x7d] = RM(MS_16),
	[0x7e] = RM(MS_MMX), [0x7f] = RM(MS_MMX),
	[0x80 ... 0x8f] = IMM(IMM_Z),		/* jcc rel32 */
	[0x90 ... 0x9f] = RM(MS_1),		/* setcc */
	[0xa0 ... 0xa2] = NOARG, [0xa3] = BITOP,
	[0xa4] = RMI(MS_V, IMM_B), [0xa5] = RM(MS_V),
	[0xa8 ... 0xaa] = NOARG, [0xab] = BITOP,
	[0xac] = RMI(MS_V, IMM_B), [0xad] = RM(MS_V),
	[0xae] = GROUP(G_0FAE), [0xaf] = RM(MS_V),
	[0xb0] = RM(MS_1), [0xb1] = RM(MS_V),	/* cmpxchg */
	[0xb2] = RMM(MS_P), [0xb3] = BITOP,
	[0xb4] = RMM(MS_P), [0xb5] = RMM(MS_P),
	[0xb6] = RM(MS_1), [0xb7] = RM(MS_2),	/* movzx */
	[0xb8] = RM(MS_V),			/* popcnt */
	[0xba] = GROUP(G_0FBA), [0xbb] = BITOP,
	[0xbc] = RM(MS_V), [0xbd] = RM(MS_V),
	[0xbe] = RM(MS_1), [0xbf] = RM(MS_2),	/* movsx */
	[0xc0] = RM(MS_1), [0xc1] = RM(MS_V),	/* xadd */
	[0xc2] = RMI(MS_16, IMM_B), [0xc3] = RMM(MS_4),
	[0xc4] = RMI(MS_2, IMM_B), [0xc5] = RMI(MS_MMX, IMM_B),
	[0xc6] = RMI(MS_16, IMM_B), [0xc7] = GROUP(G_0FC7),
	[0xc8 ... 0xcf] = NOARG,		/* bswap */
	[0xd0 ... 0xf6] = RM(MS_MMX), [0xf7] = MASKMOV,
	[0xf8 ... 0xfe] = RM(MS_MMX),
};

/* 0F 38 xx: SSSE3, SSE4, SHA, AES, invept/invvpid/invpcid, movbe, adcx. */
static const struct opcode_info three_byte_38[256] = {
	[0x00 ... 0x0b] = RM(MS_16), [0x10] = RM(MS_16),
	[0x14 ... 0x15] = RM(MS_16), [0x17] = RM(MS_16),
	[0x1c ... 0x1e] = RM(MS_16), [0x20 ... 0x25] = RM(MS_16),
	[0x28 ... 0x2b] = RM(MS_16), [0x30 ... 0x35] = RM(MS_16),
	[0x37 ... 0x41] = RM(MS_16), [0x80 ... 0x82] = RMM(MS_16),
	[0xc8 ... 0xcd] = RM(MS_16), [0xcf] = RM(MS_16),
	[0xdb ... 0xdf] = RM(MS_16),
	[0xf0 ... 0xf1] = RM(MS_V), [0xf6] = RM(MS_V),
};

/* 0F 3A xx: all take an imm8. */
static const struct opcode_info three_byte_3a[256] = {
	[0x08 ... 0x0f] = RMI(MS_16, IMM_B), [0x14 ... 0x17] = RMI(MS_16, IMM_B),
	[0x20 ... 0x22] = RMI(MS_16, IMM_B), [0x40 ... 0x42] = RMI(MS_16, IMM_B),
	[0x44] = RMI(MS_16, IMM_B), [0x60 ... 0x63] = RMI(MS_16, IMM_B),
	[0xcc] = RMI(MS_16, IMM_B), [0xce ... 0xcf] = RMI(MS_16, IMM_B),
	[0xdf] = RMI(MS_16, IMM_B),
};

#define FPU_ALL(s)	{ .mem = { [0 ... 7] = RM(s) }, .reg_ok = 0xff }

static const struct group_info groups[G_COUNT] = {
	[G_8F] = { .mem = { [0] = RM(MS_V) }, .reg_ok = 0x01 },	/* pop; else XOP */
	[G_C6] = { .mem = { [0] = RMI(MS_1, IMM_B) }, .reg_ok = 0x01 },
	[G_C7] = { .mem = { [0] = RMI(MS_V, IMM_Z) }, .reg_ok = 0x01 },
	[G_F6] = { .mem = { [0 ... 1] = RMI(MS_1, IMM_B), [2 ... 7] = RM(MS_1) },
		   .reg_ok = 0xff },
	[G_F7] = { .mem = { [0 ... 1] = RMI(MS_V, IMM_Z), [2 ... 7] = RM(MS_V) },
		   .reg_ok = 0xff },
	[G_FE] = { .mem = { [0 ... 1] = RM(MS_1) }, .reg_ok = 0x03 },
	/* inc dec call callf jmp jmpf push */
	[G_FF] = { .mem = { [0 ... 2] = RM(MS_V), [3] = RM(MS_P), [4] = RM(MS_V),
			    [5] = RM(MS_P), [6] = RM(MS_V) },
		   .reg_ok = 0x57 },
	/* x87: m32fp m32int m64fp m16int, env 28, state 108, m80 10. */
	[G_D8] = FPU_ALL(MS_4),
	[G_D9] = { .mem = { [0] = RM(MS_4), [2 ... 3] = RM(MS_4), [4] = RM(MS_28),
			    [5] = RM(MS_2), [6] = RM(MS_28), [7] = RM(MS_2) },
		   .reg_ok = 0xff },
	[G_DA] = FPU_ALL(MS_4),
	[G_DB] = { .mem = { [0 ... 3] = RM(MS_4), [5] = RM(MS_10), [7] = RM(MS_10) },
		   .reg_ok = 0xff },
	[G_DC] = FPU_ALL(MS_8),
	[G_DD] = { .mem = { [0 ... 3] = RM(MS_8), [4] = RM(MS_108), [6] = RM(MS_108),
			    [7] = RM(MS_2) },
		   .reg_ok = 0xff },
	[G_DE] = FPU_ALL(MS_2),
	[G_DF] = { .mem = { [0 ... 3] = RM(MS_2), [4] = RM(MS_10), [5] = RM(MS_8),
			    [6] = RM(MS_10), [7] = RM(MS_8) },
		   .reg_ok = 0xff },
	/* sldt str lldt ltr verr verw */
	[G_0F00] = { .mem = { [0 ... 5] = RM(MS_2) }, .reg_ok = 0x3f },
	/* sgdt sidt lgdt lidt smsw - lmsw invlpg; mod 3: vmcall, monitor... */
	[G_0F01] = { .mem = { [0 ... 3] = RM(MS_6), [4] = RM(MS_2), [6] = RM(MS_2),
			      [7] = RM(MS_NOACC) },
		     .reg_ok = 0xff },
	/* fxsave fxrstor ldmxcsr stmxcsr - - - clflush; mod 3: fences */
	[G_0FAE] = { .mem = { [0 ... 1] = RM(MS_512), [2 ... 3] = RM(MS_4),
			      [7] = RM(MS_1) },
		     .reg_ok = 0xe0 },
	[G_0FBA] = { .mem = { [4 ... 7] = RMI(MS_V, IMM_B) }, .reg_ok = 0xf0 },
	/* cmpxchg8b, vmptrld/vmclear/vmxon, vmptrst; mod 3: rdrand rdseed */
	[G_0FC7] = { .mem = { [1] = RM(MS_8), [6 ... 7] = RM(MS_8) }, .reg_ok = 0xc0 },
};

/* The instruction being decoded. */
struct decoder {
	struct x86_cursor c;
	const struct x86_emul_regs *regs;
	uint32_t opsize;		/* 4, or 2 with 66 */
	int seg_override;		/* enum x86_emul_seg, or -1 */
	bool sse_prefix;		/* 66, F2 or F3 seen */
};

/* Consume the prefixes; *opcode gets the first byte that is not one. */
static int read_prefixes(struct decoder *d, uint8_t *opcode)
{
	static const int8_t seg_of[256] = {
		[0x26] = X86_SEG_ES + 1, [0x2e] = X86_SEG_CS + 1,
		[0x36] = X86_SEG_SS + 1, [0x3e] = X86_SEG_DS + 1,
		[0x64] = X86_SEG_FS + 1, [0x65] = X86_SEG_GS + 1,
	};
	uint8_t b;

	for (;;) {
		if (x86_fetch(&d->c, &b))
			return -XEN_EINVAL;
		if (seg_of[b]) {
			d->seg_override = seg_of[b] - 1;
			continue;
		}
		switch (b) {
		case 0x66:
			d->opsize = 2;
			d->sse_prefix = true;
			break;
		case 0xf2: case 0xf3:
			d->sse_prefix = true;
			break;
		case 0xf0:
			break;
		case 0x67:
			return -XEN_EOPNOTSUPP;	/* 16-bit addressing */
		default:
			*opcode = b;
			return 0;
		}
	}
}

/* Find the opcode's table entry, reading 0F / 0F 38 / 0F 3A escapes. */
static int read_opcode(struct decoder *d, uint8_t opcode,
		       struct opcode_info *info)
{
	const struct opcode_info *map = one_byte;

	if (opcode == 0x0f) {
		map = two_byte;
		if (x86_fetch(&d->c, &opcode))
			return -XEN_EINVAL;
		if (opcode == 0x38 || opcode == 0x3a) {
			map = opcode == 0x38 ? three_byte_38 : three_byte_3a;
			if (x86_fetch(&d->c, &opcode))
				return -XEN_EINVAL;
		}
	}
	*info = map[opcode];
	return info->flags & OP_VALID ? 0 : -XEN_EOPNOTSUPP;
}

/* Apply ModRM to the entry: pick the group member, refuse bad mod values. */
static int resolve_modrm(struct opcode_info *info, uint8_t modrm)
{
	bool reg_form = modrm >> 6 == 3;
	unsigned int reg = (modrm >> 3) & 7;

	if (info->flags & OP_MOD_IGNORED)
		return 0;
	if (info->group != G_NONE) {
		const struct group_info *g = &groups[info->group];

		if (reg_form && !(g->reg_ok & (1u << reg)))
			return -XEN_EOPNOTSUPP;
		if (!reg_form && !(g->mem[reg].flags & OP_VALID))
			return -XEN_EOPNOTSUPP;
		*info = g->mem[reg];
		info->flags |= OP_VALID | OP_MODRM;
		return 0;
	}
	if (reg_form && (info->flags & OP_MEM_ONLY))
		return -XEN_EOPNOTSUPP;
	if (!reg_form && (info->flags & OP_REG_ONLY))
		return -XEN_EOPNOTSUPP;
	return 0;
}

/* The effective address of a ModRM memory operand (mod != 3). */
static int effective_address(struct decoder *d, uint8_t modrm,
			     struct x86_mem_ref *ref)
{
	int seg;

	if (x86_modrm_address(&d->c, d->regs->r, modrm, &ref->offset, &seg))
		return -XEN_EINVAL;
	ref->seg = (uint8_t)(d->seg_override >= 0 ? d->seg_override : seg);
	return 0;
}

static uint32_t mem_size(const struct decoder *d, enum mem_size size)
{
	static const uint16_t fixed[] = {
		[MS_1] = 1, [MS_2] = 2, [MS_4] = 4, [MS_6] = 6, [MS_8] = 8,
		[MS_10] = 10, [MS_16] = 16, [MS_28] = 28, [MS_108] = 108,
		[MS_512] = 512,
	};

	switch (size) {
	case MS_V:
		return d->opsize;
	case MS_P:
		return d->opsize + 2;
	case MS_VV:
		return 2 * d->opsize;
	case MS_MMX:
		return d->sse_prefix ? 16 : 8;
	default:
		return size < sizeof(fixed) / sizeof(fixed[0]) ? fixed[size] : 0;
	}
}

static uint32_t imm_bytes(const struct decoder *d, enum imm_size imm)
{
	switch (imm) {
	case IMM_B:
		return 1;
	case IMM_W:
		return 2;
	case IMM_Z:
		return d->opsize;
	case IMM_ENTER:
		return 3;
	case IMM_FAR:
		return d->opsize + 2;
	default:
		return 0;
	}
}

/* Floor division of a signed bit offset by the operand's bit width, in bytes. */
static uint32_t bit_offset_bytes(const struct decoder *d, unsigned int reg)
{
	int32_t bits = d->opsize == 2 ? (int16_t)d->regs->r[reg] :
					(int32_t)d->regs->r[reg];
	int32_t width = (int32_t)d->opsize * 8;
	int32_t words = bits / width;

	if (bits % width < 0)
		words--;	/* round towards minus infinity */
	return (uint32_t)words * d->opsize;
}

/* The references an instruction makes without a ModRM memory operand. */
static int implicit_refs(struct decoder *d, const struct opcode_info *info,
			 struct x86_mem_ref *refs, unsigned int *nr)
{
	uint8_t src_seg = (uint8_t)(d->seg_override >= 0 ? d->seg_override :
						      X86_SEG_DS);
	uint32_t size = mem_size(d, info->size);
	const uint32_t *r = d->regs->r;

	if (info->flags & OP_MOFFS) {
		refs[*nr] = (struct x86_mem_ref){ .seg = src_seg, .size = size };
		if (x86_fetch_le(&d->c, 4, &refs[*nr].offset))
			return -XEN_EINVAL;
		++*nr;
	}
	if (info->flags & OP_XLAT)
		refs[(*nr)++] = (struct x86_mem_ref){
			.seg = src_seg, .offset = r[X86_EBX] + (r[X86_EAX] & 0xff),
			.size = size };
	if (info->flags & OP_DS_EDI)
		refs[(*nr)++] = (struct x86_mem_ref){
			.seg = src_seg, .offset = r[X86_EDI], .size = size };
	if (info->flags & OP_SRC_ESI)
		refs[(*nr)++] = (struct x86_mem_ref){
			.seg = src_seg, .offset = r[X86_ESI], .size = size };
	if (info->flags & OP_DST_EDI)
		refs[(*nr)++] = (struct x86_mem_ref){
			.seg = X86_SEG_ES, .offset = r[X86_EDI], .size = size };
	return 0;
}

/* ModRM, SIB, displacement; the memory operand if it is one that is accessed. */
static int modrm_refs(struct decoder *d, struct opcode_info *info,
		      struct x86_mem_ref *refs, unsigned int *nr)
{
	uint8_t modrm;
	int rc;

	if (x86_fetch(&d->c, &modrm))
		return -XEN_EINVAL;
	rc = resolve_modrm(info, modrm);
	if (rc)
		return rc;
	if (modrm >> 6 == 3 || (info->flags & OP_MOD_IGNORED)) {
		/* Register operand; maskmov still stores to DS:EDI. */
		return implicit_refs(d, info, refs, nr);
	}
	rc = effective_address(d, modrm, &refs[0]);
	if (rc)
		return rc;
	if (info->size == MS_NOACC)
		return 0;
	refs[0].size = mem_size(d, info->size);
	if (info->flags & OP_BIT_OFFSET)
		refs[0].offset += bit_offset_bytes(d, (modrm >> 3) & 7);
	*nr = 1;
	return 0;
}

int x86_mem_refs(const uint8_t *insn, uint32_t avail,
		 const struct x86_emul_regs *regs,
		 struct x86_mem_ref refs[X86_MEM_REFS_MAX], unsigned int *nr,
		 uint32_t *len)
{
	struct decoder d = {
		.regs = regs,
		.opsize = 4,
		.seg_override = -1,
	};
	struct opcode_info info;
	unsigned int n = 0;
	uint8_t opcode;
	int rc;

	*nr = 0;
	*len = 0;
	x86_cursor_init(&d.c, insn, avail);
	rc = read_prefixes(&d, &opcode);
	if (!rc)
		rc = read_opcode(&d, opcode, &info);
	if (!rc && (info.flags & OP_MODRM))
		rc = modrm_refs(&d, &info, refs, &n);
	else if (!rc)
		rc = implicit_refs(&d, &info, refs, &n);
	if (!rc)
		rc = x86_skip(&d.c, imm_bytes(&d, info.imm));
	if (rc)
		return rc;
	*nr = n;
	*len = d.c.pos;
	return 0;
}

/* ---- The flip between the two forms of a wrapping 4 GiB segment ---- */

#define FOUR_GIB	(1ull << 32)
#define PAGE_SHIFT	12

/* Present, data, G = 1, B = 1, DPL >= 1, base != 0. */
static bool flip_candidate(uint64_t desc)
{
	const uint64_t need = SEGDESC_P | SEGDESC_S | SEGDESC_G | SEGDESC_DB;

	return (desc & (need | SEGDESC_TYPE_CODE)) == need &&
	       (desc & SEGDESC_DPL_MASK) != 0 && segdesc_base(desc) != 0;
}

/* What segdesc_check() makes of the segment's 4 GiB expand-up request. */
static bool up_form(uint64_t desc, uint32_t limit_end, uint64_t *up)
{
	uint64_t d = segdesc_with_raw_limit(desc & ~SEGDESC_TYPE_EC,
					    SEGDESC_LIMIT_MAX);

	if (segdesc_check(&d, limit_end) != 0)
		return false;
	*up = d;
	return true;
}

/*
 * Expand-down over offsets [ceil((2^32 - base) / 4 KiB) pages, 2^32),
 * accessed as segdesc_check() leaves the up-form.
 */
static bool down_form(uint64_t desc, uint64_t *down)
{
	uint64_t pages = (FOUR_GIB - segdesc_base(desc) + 0xfff) >> PAGE_SHIFT;

	if (pages > SEGDESC_LIMIT_MAX)
		return false;	/* base < 4 KiB: not one whole page wraps */
	*down = segdesc_with_raw_limit(desc | SEGDESC_TYPE_EC |
				       SEGDESC_TYPE_ACCESSED,
				       (uint32_t)pages - 1);
	return true;
}

/* Both forms of desc's segment; false if desc is no candidate or one is missing. */
static bool both_forms(uint64_t desc, uint32_t limit_end, uint64_t *up,
		       uint64_t *down)
{
	return flip_candidate(desc) && up_form(desc, limit_end, up) &&
	       down_form(desc, down);
}

bool seg_fixup_is_flippable(uint64_t desc, uint32_t limit_end)
{
	uint64_t up, down;

	return both_forms(desc, limit_end, &up, &down) &&
	       (desc == up || desc == down);
}

bool seg_fixup_flip(uint64_t *desc, uint32_t offset, uint32_t size,
		    uint32_t limit_end)
{
	uint64_t d = *desc, up, down, target, check;
	uint64_t end = (uint64_t)offset + size;

	if (size == 0 || !both_forms(d, limit_end, &up, &down))
		return false;
	if (d == up && offset >= (uint64_t)segdesc_limit_bytes(down) + 1 &&
	    end <= FOUR_GIB)
		target = down;
	else if (d == down && end <= (uint64_t)segdesc_limit_bytes(up) + 1)
		target = up;
	else
		return false;
	/* By construction both forms pass; refuse rather than trust it. */
	check = target;
	if (segdesc_check(&check, limit_end) != 0 || check != target)
		return false;
	*desc = target;
	return true;
}
