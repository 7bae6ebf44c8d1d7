/*
 * test_seg_fixup.c - host unit test of hyp/seg_fixup.c: the decoder of an
 * instruction's memory references (x86_mem_refs) and the flip between the
 * up-form and down-form of a wrapping 4 GiB segment (seg_fixup_flip),
 * together with hyp/segdesc.c, which must accept whatever the flip makes.
 *
 * Decoder: a table of encodings produced by `as --32` (a few written as
 * bytes), each with the references, length and sizes expected, written by
 * hand from the architecture's rules: ModRM mod 0/1/2, SIB with and
 * without index, scales 1-8, no-base disp32, EBP/ESP bases (SS), every
 * segment override, 66/F0/F2/F3, 0F forms, the 0F 38 / 0F 3A maps,
 * immediates of 1/2/4 bytes in the 80/81/83/C6/C7/69/6B/F6/F7 groups,
 * x87, string instructions, moffs, xlat, register forms and instructions
 * without memory operands (nr = 0).  Every entry is also decoded with each
 * shorter avail (all -XEN_EINVAL) and with trailing bytes (same answer).
 * Then undefined and unsupported encodings, the 15-byte limit, and
 * bt* with negative bit offsets.
 * Flip: several bases (page aligned and not, near 0 and near limit_end)
 * in both directions at the boundary offsets, straddling and overflowing
 * accesses, descriptors that must be left alone; then a random property
 * check: a flip happens iff the descriptor is one of the two forms and
 * the other form, by the CPU's limit rules, admits the whole access; a
 * flipped descriptor passes segdesc_check() unchanged, covers nothing at
 * or above limit_end, and flips back.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "segdesc_build.h"
#include "../../hyp/seg_fixup.h"
#include "../../hyp/segdesc.h"
#include <public/errno.h>

/* The registers every table entry is decoded with. */
#define EAX	0x12345678u
#define ECX	0x00000100u
#define EDX	0x00002000u
#define EBX	0x00030000u
#define ESP	0x00400000u
#define EBP	0x05000000u
#define ESI	0x60000000u
#define EDI	0x70000000u

#define ES	X86_SEG_ES
#define CS	X86_SEG_CS
#define SS	X86_SEG_SS
#define DS	X86_SEG_DS
#define FS	X86_SEG_FS
#define GS	X86_SEG_GS

static const struct x86_emul_regs regs = {
	.r = { EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI },
	.eflags = 0x2,
	.eip = 0xc0100000,
};

struct valid_case {
	const char *text;
	uint8_t bytes[15];
	uint32_t len;
	unsigned int nr;
	struct x86_mem_ref refs[X86_MEM_REFS_MAX];
};

static const struct valid_case valid_cases[] = {
	{ "mov (%ebx),%eax", { 0x8b, 0x03 }, 2, 1, { { DS, EBX, 4 } } },
	{ "mov %eax,0x10(%ebx)", { 0x89, 0x43, 0x10 }, 3, 1, { { DS, EBX + 0x10, 4 } } },
	{ "mov %eax,-0x10(%ebx)", { 0x89, 0x43, 0xf0 }, 3, 1, { { DS, EBX - 0x10, 4 } } },
	{ "mov %eax,0x12345(%ebx)", { 0x89, 0x83, 0x45, 0x23, 0x01, 0x00 },
	  6, 1, { { DS, EBX + 0x12345, 4 } } },
	{ "mov %eax,-0x12345(%esi)", { 0x89, 0x86, 0xbb, 0xdc, 0xfe, 0xff },
	  6, 1, { { DS, ESI - 0x12345, 4 } } },
	{ "mov 0x12345678,%ecx", { 0x8b, 0x0d, 0x78, 0x56, 0x34, 0x12 },
	  6, 1, { { DS, 0x12345678, 4 } } },
	{ "mov (%ebp),%eax", { 0x8b, 0x45, 0x00 }, 3, 1, { { SS, EBP, 4 } } },
	{ "mov 0x100(%ebp),%eax", { 0x8b, 0x85, 0x00, 0x01, 0x00, 0x00 },
	  6, 1, { { SS, EBP + 0x100, 4 } } },
	{ "mov -0x80(%ebp),%eax", { 0x8b, 0x45, 0x80 }, 3, 1, { { SS, EBP - 0x80, 4 } } },
	{ "mov (%edi),%eax", { 0x8b, 0x07 }, 2, 1, { { DS, EDI, 4 } } },
	{ "mov (%eax),%eax", { 0x8b, 0x00 }, 2, 1, { { DS, EAX, 4 } } },
	{ "mov (%ecx),%eax", { 0x8b, 0x01 }, 2, 1, { { DS, ECX, 4 } } },
	{ "mov (%edx),%eax", { 0x8b, 0x02 }, 2, 1, { { DS, EDX, 4 } } },
	{ "mov (%ebx,%esi,1),%eax", { 0x8b, 0x04, 0x33 }, 3, 1, { { DS, EBX + ESI, 4 } } },
	{ "mov (%ebx,%esi,2),%eax", { 0x8b, 0x04, 0x73 }, 3, 1, { { DS, EBX + ESI * 2, 4 } } },
	{ "mov (%ebx,%ecx,4),%eax", { 0x8b, 0x04, 0x8b }, 3, 1, { { DS, EBX + ECX * 4, 4 } } },
	{ "mov (%ebx,%edx,8),%eax", { 0x8b, 0x04, 0xd3 }, 3, 1, { { DS, EBX + EDX * 8, 4 } } },
	{ "mov 0x10(%ebx,%edx,8),%eax", { 0x8b, 0x44, 0xd3, 0x10 },
	  4, 1, { { DS, EBX + EDX * 8 + 0x10, 4 } } },
	{ "mov 0x11223344(%ebx,%edx,8),%eax", { 0x8b, 0x84, 0xd3, 0x44, 0x33, 0x22, 0x11 },
	  7, 1, { { DS, EBX + EDX * 8 + 0x11223344, 4 } } },
	{ "mov (,%esi,4),%eax", { 0x8b, 0x04, 0xb5, 0x00, 0x00, 0x00, 0x00 },
	  7, 1, { { DS, ESI * 4, 4 } } },
	{ "mov 0x1000(,%ecx,8),%eax", { 0x8b, 0x04, 0xcd, 0x00, 0x10, 0x00, 0x00 },
	  7, 1, { { DS, ECX * 8 + 0x1000, 4 } } },
	{ "mov (%esp),%eax", { 0x8b, 0x04, 0x24 }, 3, 1, { { SS, ESP, 4 } } },
	{ "mov 4(%esp),%eax", { 0x8b, 0x44, 0x24, 0x04 }, 4, 1, { { SS, ESP + 4, 4 } } },
	{ "mov 0x1000(%esp),%eax", { 0x8b, 0x84, 0x24, 0x00, 0x10, 0x00, 0x00 },
	  7, 1, { { SS, ESP + 0x1000, 4 } } },
	{ "mov (%esp,%ecx,2),%eax", { 0x8b, 0x04, 0x4c }, 3, 1, { { SS, ESP + ECX * 2, 4 } } },
	{ "mov (%ebx,%ebp,1),%eax", { 0x8b, 0x04, 0x2b }, 3, 1, { { DS, EBX + EBP, 4 } } },
	{ "mov (%ebp,%ebx,1),%eax", { 0x8b, 0x44, 0x1d, 0x00 }, 4, 1, { { SS, EBP + EBX, 4 } } },
	{ "mov 0x10(%ebp,%ecx,1),%eax", { 0x8b, 0x44, 0x0d, 0x10 },
	  4, 1, { { SS, EBP + ECX + 0x10, 4 } } },
	{ ".byte 0x8b,0x04,0x23", { 0x8b, 0x04, 0x23 }, 3, 1, { { DS, EBX, 4 } } },
	{ ".byte 0x8b,0x04,0xe3", { 0x8b, 0x04, 0xe3 }, 3, 1, { { DS, EBX, 4 } } },
	{ ".byte 0x8b,0x04,0x25,0x78,0x56,0x34,0x12", { 0x8b, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12 },
	  7, 1, { { DS, 0x12345678, 4 } } },
	{ "mov %es:(%ebx),%eax", { 0x26, 0x8b, 0x03 }, 3, 1, { { ES, EBX, 4 } } },
	{ "mov %cs:(%ebx),%eax", { 0x2e, 0x8b, 0x03 }, 3, 1, { { CS, EBX, 4 } } },
	{ "mov %ss:(%ebx),%eax", { 0x36, 0x8b, 0x03 }, 3, 1, { { SS, EBX, 4 } } },
	{ "mov %ds:(%ebp),%eax", { 0x3e, 0x8b, 0x45, 0x00 }, 4, 1, { { DS, EBP, 4 } } },
	{ "mov %fs:(%ebx),%eax", { 0x64, 0x8b, 0x03 }, 3, 1, { { FS, EBX, 4 } } },
	{ "mov %gs:(%esp),%eax", { 0x65, 0x8b, 0x04, 0x24 }, 4, 1, { { GS, ESP, 4 } } },
	{ "mov %fs:0x10,%ecx", { 0x64, 0x8b, 0x0d, 0x10, 0x00, 0x00, 0x00 },
	  7, 1, { { FS, 0x10, 4 } } },
	{ ".byte 0x64,0x65,0x8b,0x03", { 0x64, 0x65, 0x8b, 0x03 }, 4, 1, { { GS, EBX, 4 } } },
	{ ".byte 0x65,0x26,0xf0,0x01,0x03", { 0x65, 0x26, 0xf0, 0x01, 0x03 },
	  5, 1, { { ES, EBX, 4 } } },
	{ "mov %ax,(%ebx)", { 0x66, 0x89, 0x03 }, 3, 1, { { DS, EBX, 2 } } },
	{ "movw $0x1234,(%ebx)", { 0x66, 0xc7, 0x03, 0x34, 0x12 }, 5, 1, { { DS, EBX, 2 } } },
	{ "mov %al,(%ebx)", { 0x88, 0x03 }, 2, 1, { { DS, EBX, 1 } } },
	{ "lock addl $1,(%ebx)", { 0xf0, 0x83, 0x03, 0x01 }, 4, 1, { { DS, EBX, 4 } } },
	{ "lock cmpxchg %ecx,0x8(%esi)", { 0xf0, 0x0f, 0xb1, 0x4e, 0x08 },
	  5, 1, { { DS, ESI + 8, 4 } } },
	{ "lock cmpxchgw %cx,(%esi)", { 0x66, 0xf0, 0x0f, 0xb1, 0x0e }, 5, 1, { { DS, ESI, 2 } } },
	{ "lock incl %fs:(%ebx)", { 0x64, 0xf0, 0xff, 0x03 }, 4, 1, { { FS, EBX, 4 } } },
	{ ".byte 0xf3,0x8b,0x03", { 0xf3, 0x8b, 0x03 }, 3, 1, { { DS, EBX, 4 } } },
	{ ".byte 0xf2,0x66,0x89,0x03", { 0xf2, 0x66, 0x89, 0x03 }, 4, 1, { { DS, EBX, 2 } } },
	{ "movzbl (%ebx),%eax", { 0x0f, 0xb6, 0x03 }, 3, 1, { { DS, EBX, 1 } } },
	{ "movzwl (%ebx),%eax", { 0x0f, 0xb7, 0x03 }, 3, 1, { { DS, EBX, 2 } } },
	{ "movsbl 0x1(%ebp),%eax", { 0x0f, 0xbe, 0x45, 0x01 }, 4, 1, { { SS, EBP + 1, 1 } } },
	{ "movswl (%ebx),%eax", { 0x0f, 0xbf, 0x03 }, 3, 1, { { DS, EBX, 2 } } },
	{ "movsbw (%ebx),%ax", { 0x66, 0x0f, 0xbe, 0x03 }, 4, 1, { { DS, EBX, 1 } } },
	{ "cmpxchg %cl,(%ebx)", { 0x0f, 0xb0, 0x0b }, 3, 1, { { DS, EBX, 1 } } },
	{ "cmpxchg8b (%ebx)", { 0x0f, 0xc7, 0x0b }, 3, 1, { { DS, EBX, 8 } } },
	{ "lock cmpxchg8b %es:0x10(%edi)", { 0x26, 0xf0, 0x0f, 0xc7, 0x4f, 0x10 },
	  6, 1, { { ES, EDI + 0x10, 8 } } },
	{ "sete (%ebx)", { 0x0f, 0x94, 0x03 }, 3, 1, { { DS, EBX, 1 } } },
	{ "setne 0x10(%ebp)", { 0x0f, 0x95, 0x45, 0x10 }, 4, 1, { { SS, EBP + 0x10, 1 } } },
	{ "seta %gs:(%ebx)", { 0x65, 0x0f, 0x97, 0x03 }, 4, 1, { { GS, EBX, 1 } } },
	{ "bt %ecx,(%ebx)", { 0x0f, 0xa3, 0x0b }, 3, 1, { { DS, EBX + 0x20, 4 } } },
	{ "bts %ecx,(%ebx)", { 0x0f, 0xab, 0x0b }, 3, 1, { { DS, EBX + 0x20, 4 } } },
	{ "btr %edx,(%ebx)", { 0x0f, 0xb3, 0x13 }, 3, 1, { { DS, EBX + 0x400, 4 } } },
	{ "btc %eax,(%ebx)", { 0x0f, 0xbb, 0x03 }, 3, 1, { { DS, EBX + 0x12345678 / 32 * 4, 4 } } },
	{ "btw %cx,(%ebx)", { 0x66, 0x0f, 0xa3, 0x0b }, 4, 1, { { DS, EBX + 0x20, 2 } } },
	{ "btsw %ax,(%ebx)", { 0x66, 0x0f, 0xab, 0x03 },
	  4, 1, { { DS, EBX + 0x5678 / 16 * 2, 2 } } },
	{ "btl $5,(%ebx)", { 0x0f, 0xba, 0x23, 0x05 }, 4, 1, { { DS, EBX, 4 } } },
	{ "btsl $40,(%ebx)", { 0x0f, 0xba, 0x2b, 0x28 }, 4, 1, { { DS, EBX, 4 } } },
	{ "btrw $3,(%ebx)", { 0x66, 0x0f, 0xba, 0x33, 0x03 }, 5, 1, { { DS, EBX, 2 } } },
	{ "btcl $31,(%ebx)", { 0x0f, 0xba, 0x3b, 0x1f }, 4, 1, { { DS, EBX, 4 } } },
	{ "xadd %eax,(%ebx)", { 0x0f, 0xc1, 0x03 }, 3, 1, { { DS, EBX, 4 } } },
	{ "xadd %al,(%ebx)", { 0x0f, 0xc0, 0x03 }, 3, 1, { { DS, EBX, 1 } } },
	{ "cmovne (%ebx),%eax", { 0x0f, 0x45, 0x03 }, 3, 1, { { DS, EBX, 4 } } },
	{ "imul (%ebx),%eax", { 0x0f, 0xaf, 0x03 }, 3, 1, { { DS, EBX, 4 } } },
	{ "shld $3,%eax,(%ebx)", { 0x0f, 0xa4, 0x03, 0x03 }, 4, 1, { { DS, EBX, 4 } } },
	{ "shrd %cl,%eax,(%ebx)", { 0x0f, 0xad, 0x03 }, 3, 1, { { DS, EBX, 4 } } },
	{ "bsf (%ebx),%eax", { 0x0f, 0xbc, 0x03 }, 3, 1, { { DS, EBX, 4 } } },
	{ "bsrw (%ebx),%ax", { 0x66, 0x0f, 0xbd, 0x03 }, 4, 1, { { DS, EBX, 2 } } },
	{ "popcnt (%ebx),%eax", { 0xf3, 0x0f, 0xb8, 0x03 }, 4, 1, { { DS, EBX, 4 } } },
	{ "lar (%ebx),%eax", { 0x0f, 0x02, 0x03 }, 3, 1, { { DS, EBX, 2 } } },
	{ "lgdt (%ebx)", { 0x0f, 0x01, 0x13 }, 3, 1, { { DS, EBX, 6 } } },
	{ "sgdt (%ebx)", { 0x0f, 0x01, 0x03 }, 3, 1, { { DS, EBX, 6 } } },
	{ "lidt 0x8(%esp)", { 0x0f, 0x01, 0x5c, 0x24, 0x08 }, 5, 1, { { SS, ESP + 8, 6 } } },
	{ "sidt (%ebx)", { 0x0f, 0x01, 0x0b }, 3, 1, { { DS, EBX, 6 } } },
	{ "lldt (%ebx)", { 0x0f, 0x00, 0x13 }, 3, 1, { { DS, EBX, 2 } } },
	{ "str (%ebx)", { 0x0f, 0x00, 0x0b }, 3, 1, { { DS, EBX, 2 } } },
	{ "verw (%ebx)", { 0x0f, 0x00, 0x2b }, 3, 1, { { DS, EBX, 2 } } },
	{ "smsw (%ebx)", { 0x0f, 0x01, 0x23 }, 3, 1, { { DS, EBX, 2 } } },
	{ "lmsw (%ebx)", { 0x0f, 0x01, 0x33 }, 3, 1, { { DS, EBX, 2 } } },
	{ "lss (%ebx),%esp", { 0x0f, 0xb2, 0x23 }, 3, 1, { { DS, EBX, 6 } } },
	{ "lfs (%ebx),%eax", { 0x0f, 0xb4, 0x03 }, 3, 1, { { DS, EBX, 6 } } },
	{ "lgs (%ebx),%ax", { 0x66, 0x0f, 0xb5, 0x03 }, 4, 1, { { DS, EBX, 4 } } },
	{ "movnti %eax,(%ebx)", { 0x0f, 0xc3, 0x03 }, 3, 1, { { DS, EBX, 4 } } },
	{ "fxsave (%ebx)", { 0x0f, 0xae, 0x03 }, 3, 1, { { DS, EBX, 512 } } },
	{ "fxrstor (%ebx)", { 0x0f, 0xae, 0x0b }, 3, 1, { { DS, EBX, 512 } } },
	{ "ldmxcsr (%ebx)", { 0x0f, 0xae, 0x13 }, 3, 1, { { DS, EBX, 4 } } },
	{ "stmxcsr (%ebx)", { 0x0f, 0xae, 0x1b }, 3, 1, { { DS, EBX, 4 } } },
	{ "clflush (%ebx)", { 0x0f, 0xae, 0x3b }, 3, 1, { { DS, EBX, 1 } } },
	{ "movq (%ebx),%mm0", { 0x0f, 0x6f, 0x03 }, 3, 1, { { DS, EBX, 8 } } },
	{ "movq %mm1,(%ebx)", { 0x0f, 0x7f, 0x0b }, 3, 1, { { DS, EBX, 8 } } },
	{ "movd (%ebx),%mm0", { 0x0f, 0x6e, 0x03 }, 3, 1, { { DS, EBX, 8 } } },
	{ "paddd (%ebx),%mm0", { 0x0f, 0xfe, 0x03 }, 3, 1, { { DS, EBX, 8 } } },
	{ "movdqu (%ebx),%xmm0", { 0xf3, 0x0f, 0x6f, 0x03 }, 4, 1, { { DS, EBX, 16 } } },
	{ "movdqa %xmm0,(%ebx)", { 0x66, 0x0f, 0x7f, 0x03 }, 4, 1, { { DS, EBX, 16 } } },
	{ "movups (%ebx),%xmm1", { 0x0f, 0x10, 0x0b }, 3, 1, { { DS, EBX, 16 } } },
	{ "movaps %xmm1,(%ebx)", { 0x0f, 0x29, 0x0b }, 3, 1, { { DS, EBX, 16 } } },
	{ "movss (%ebx),%xmm1", { 0xf3, 0x0f, 0x10, 0x0b }, 4, 1, { { DS, EBX, 16 } } },
	{ "pshufd $1,(%ebx),%xmm0", { 0x66, 0x0f, 0x70, 0x03, 0x01 }, 5, 1, { { DS, EBX, 16 } } },
	{ "pshufw $1,(%ebx),%mm0", { 0x0f, 0x70, 0x03, 0x01 }, 4, 1, { { DS, EBX, 8 } } },
	{ "cmpps $2,(%ebx),%xmm0", { 0x0f, 0xc2, 0x03, 0x02 }, 4, 1, { { DS, EBX, 16 } } },
	{ "pinsrw $2,(%ebx),%mm0", { 0x0f, 0xc4, 0x03, 0x02 }, 4, 1, { { DS, EBX, 2 } } },
	{ "shufps $2,(%ebx),%xmm0", { 0x0f, 0xc6, 0x03, 0x02 }, 4, 1, { { DS, EBX, 16 } } },
	{ "pshufb (%ebx),%xmm0", { 0x66, 0x0f, 0x38, 0x00, 0x03 }, 5, 1, { { DS, EBX, 16 } } },
	{ "pshufb (%ebx),%mm0", { 0x0f, 0x38, 0x00, 0x03 }, 4, 1, { { DS, EBX, 16 } } },
	{ "movbe (%ebx),%eax", { 0x0f, 0x38, 0xf0, 0x03 }, 4, 1, { { DS, EBX, 4 } } },
	{ "movbe %ax,(%ebx)", { 0x66, 0x0f, 0x38, 0xf1, 0x03 }, 5, 1, { { DS, EBX, 2 } } },
	{ "palignr $3,(%ebx),%xmm0", { 0x66, 0x0f, 0x3a, 0x0f, 0x03, 0x03 },
	  6, 1, { { DS, EBX, 16 } } },
	{ "pextrd $1,%xmm0,0x10(%ebx,%ecx,1)", { 0x66, 0x0f, 0x3a, 0x16, 0x44, 0x0b, 0x10, 0x01 },
	  8, 1, { { DS, EBX + ECX + 0x10, 16 } } },
	{ "aesenc (%ebx),%xmm0", { 0x66, 0x0f, 0x38, 0xdc, 0x03 }, 5, 1, { { DS, EBX, 16 } } },
	{ "invpcid (%ebx),%eax", { 0x66, 0x0f, 0x38, 0x82, 0x03 }, 5, 1, { { DS, EBX, 16 } } },
	{ "vmptrld (%ebx)", { 0x0f, 0xc7, 0x33 }, 3, 1, { { DS, EBX, 8 } } },
	{ "maskmovq %mm1,%mm0", { 0x0f, 0xf7, 0xc1 }, 3, 1, { { DS, EDI, 8 } } },
	{ "maskmovdqu %xmm1,%xmm0", { 0x66, 0x0f, 0xf7, 0xc1 }, 4, 1, { { DS, EDI, 16 } } },
	{ ".byte 0x26,0x0f,0xf7,0xc1", { 0x26, 0x0f, 0xf7, 0xc1 }, 4, 1, { { ES, EDI, 8 } } },
	{ "addb $1,(%ebx)", { 0x80, 0x03, 0x01 }, 3, 1, { { DS, EBX, 1 } } },
	{ ".byte 0x82,0x03,0x01", { 0x82, 0x03, 0x01 }, 3, 1, { { DS, EBX, 1 } } },
	{ "addl $0x12345678,(%ebx)", { 0x81, 0x03, 0x78, 0x56, 0x34, 0x12 },
	  6, 1, { { DS, EBX, 4 } } },
	{ "addw $0x1234,(%ebx)", { 0x66, 0x81, 0x03, 0x34, 0x12 }, 5, 1, { { DS, EBX, 2 } } },
	{ "orl $0x12345678,0x11223344(%ebx,%ecx,4)",
	  { 0x81, 0x8c, 0x8b, 0x44, 0x33, 0x22, 0x11, 0x78, 0x56, 0x34, 0x12 },
	  11, 1, { { DS, EBX + ECX * 4 + 0x11223344, 4 } } },
	{ "subl $-1,(%ebx)", { 0x83, 0x2b, 0xff }, 3, 1, { { DS, EBX, 4 } } },
	{ "cmpw $-1,(%ebx)", { 0x66, 0x83, 0x3b, 0xff }, 4, 1, { { DS, EBX, 2 } } },
	{ "movb $1,(%ebx)", { 0xc6, 0x03, 0x01 }, 3, 1, { { DS, EBX, 1 } } },
	{ "movl $0x12345678,0x10(%ebx)", { 0xc7, 0x43, 0x10, 0x78, 0x56, 0x34, 0x12 },
	  7, 1, { { DS, EBX + 0x10, 4 } } },
	{ "movw $0x1234,0x10(%ebp)", { 0x66, 0xc7, 0x45, 0x10, 0x34, 0x12 },
	  6, 1, { { SS, EBP + 0x10, 2 } } },
	{ "imul $0x1000,(%ebx),%eax", { 0x69, 0x03, 0x00, 0x10, 0x00, 0x00 },
	  6, 1, { { DS, EBX, 4 } } },
	{ "imul $0x1000,(%ebx),%ax", { 0x66, 0x69, 0x03, 0x00, 0x10 }, 5, 1, { { DS, EBX, 2 } } },
	{ "imul $3,(%ebx),%eax", { 0x6b, 0x03, 0x03 }, 3, 1, { { DS, EBX, 4 } } },
	{ "testb $1,(%ebx)", { 0xf6, 0x03, 0x01 }, 3, 1, { { DS, EBX, 1 } } },
	{ ".byte 0xf6,0x0b,0x01", { 0xf6, 0x0b, 0x01 }, 3, 1, { { DS, EBX, 1 } } },
	{ "notb (%ebx)", { 0xf6, 0x13 }, 2, 1, { { DS, EBX, 1 } } },
	{ "mulb (%ebx)", { 0xf6, 0x23 }, 2, 1, { { DS, EBX, 1 } } },
	{ "testl $0x12345678,(%ebx)", { 0xf7, 0x03, 0x78, 0x56, 0x34, 0x12 },
	  6, 1, { { DS, EBX, 4 } } },
	{ "testw $1,(%ebx)", { 0x66, 0xf7, 0x03, 0x01, 0x00 }, 5, 1, { { DS, EBX, 2 } } },
	{ "negl (%ebx)", { 0xf7, 0x1b }, 2, 1, { { DS, EBX, 4 } } },
	{ "divl 0x10(%ebx)", { 0xf7, 0x73, 0x10 }, 3, 1, { { DS, EBX + 0x10, 4 } } },
	{ "idivw (%ebx)", { 0x66, 0xf7, 0x3b }, 3, 1, { { DS, EBX, 2 } } },
	{ "shlb $2,(%ebx)", { 0xc0, 0x23, 0x02 }, 3, 1, { { DS, EBX, 1 } } },
	{ "shll $3,(%ebx)", { 0xc1, 0x23, 0x03 }, 3, 1, { { DS, EBX, 4 } } },
	{ "shll (%ebx)", { 0xd1, 0x23 }, 2, 1, { { DS, EBX, 4 } } },
	{ "sarb %cl,(%ebx)", { 0xd2, 0x3b }, 2, 1, { { DS, EBX, 1 } } },
	{ "rorl %cl,(%ebx)", { 0xd3, 0x0b }, 2, 1, { { DS, EBX, 4 } } },
	{ "incl (%ebx)", { 0xff, 0x03 }, 2, 1, { { DS, EBX, 4 } } },
	{ "decb (%ebx)", { 0xfe, 0x0b }, 2, 1, { { DS, EBX, 1 } } },
	{ "push (%ebx)", { 0xff, 0x33 }, 2, 1, { { DS, EBX, 4 } } },
	{ "pushw (%ebx)", { 0x66, 0xff, 0x33 }, 3, 1, { { DS, EBX, 2 } } },
	{ "pop (%ebx)", { 0x8f, 0x03 }, 2, 1, { { DS, EBX, 4 } } },
	{ "call *(%ebx)", { 0xff, 0x13 }, 2, 1, { { DS, EBX, 4 } } },
	{ "jmp *0x10(%ebp)", { 0xff, 0x65, 0x10 }, 3, 1, { { SS, EBP + 0x10, 4 } } },
	{ "lcall *(%ebx)", { 0xff, 0x1b }, 2, 1, { { DS, EBX, 6 } } },
	{ "ljmp *(%ebx)", { 0xff, 0x2b }, 2, 1, { { DS, EBX, 6 } } },
	{ "lcallw *(%ebx)", { 0x66, 0xff, 0x1b }, 3, 1, { { DS, EBX, 4 } } },
	{ "les (%ebx),%eax", { 0xc4, 0x03 }, 2, 1, { { DS, EBX, 6 } } },
	{ "lds (%ebx),%ax", { 0x66, 0xc5, 0x03 }, 3, 1, { { DS, EBX, 4 } } },
	{ "bound %eax,(%ebx)", { 0x62, 0x03 }, 2, 1, { { DS, EBX, 8 } } },
	{ "bound %ax,(%ebx)", { 0x66, 0x62, 0x03 }, 3, 1, { { DS, EBX, 4 } } },
	{ "arpl %ax,(%ebx)", { 0x63, 0x03 }, 2, 1, { { DS, EBX, 2 } } },
	{ "mov %ds,(%ebx)", { 0x8c, 0x1b }, 2, 1, { { DS, EBX, 2 } } },
	{ "mov (%ebx),%es", { 0x8e, 0x03 }, 2, 1, { { DS, EBX, 2 } } },
	{ "xchg %eax,(%ebx)", { 0x87, 0x03 }, 2, 1, { { DS, EBX, 4 } } },
	{ "test %eax,(%ebx)", { 0x85, 0x03 }, 2, 1, { { DS, EBX, 4 } } },
	{ "add (%ebx),%al", { 0x02, 0x03 }, 2, 1, { { DS, EBX, 1 } } },
	{ "adc %eax,(%ebx)", { 0x11, 0x03 }, 2, 1, { { DS, EBX, 4 } } },
	{ "sbb (%ebx),%eax", { 0x1b, 0x03 }, 2, 1, { { DS, EBX, 4 } } },
	{ "and %al,(%ebx)", { 0x20, 0x03 }, 2, 1, { { DS, EBX, 1 } } },
	{ "xor (%ebx),%ax", { 0x66, 0x33, 0x03 }, 3, 1, { { DS, EBX, 2 } } },
	{ "cmp %ebx,(%ebx)", { 0x39, 0x1b }, 2, 1, { { DS, EBX, 4 } } },
	{ "rolb (%ebx)", { 0xd0, 0x03 }, 2, 1, { { DS, EBX, 1 } } },
	{ "mov 0x12345678,%eax", { 0xa1, 0x78, 0x56, 0x34, 0x12 },
	  5, 1, { { DS, 0x12345678, 4 } } },
	{ "mov 0x1000,%al", { 0xa0, 0x00, 0x10, 0x00, 0x00 }, 5, 1, { { DS, 0x1000, 1 } } },
	{ "mov %al,0x1000", { 0xa2, 0x00, 0x10, 0x00, 0x00 }, 5, 1, { { DS, 0x1000, 1 } } },
	{ "mov %ax,%fs:0x1000", { 0x64, 0x66, 0xa3, 0x00, 0x10, 0x00, 0x00 },
	  7, 1, { { FS, 0x1000, 2 } } },
	{ "mov %eax,%ss:0xfffffffc", { 0x36, 0xa3, 0xfc, 0xff, 0xff, 0xff },
	  6, 1, { { SS, 0xfffffffc, 4 } } },
	{ "xlat", { 0xd7 }, 1, 1, { { DS, EBX + 0x78, 1 } } },
	{ "xlat %fs:(%ebx)", { 0x64, 0xd7 }, 2, 1, { { FS, EBX + 0x78, 1 } } },
	{ "flds (%ebx)", { 0xd9, 0x03 }, 2, 1, { { DS, EBX, 4 } } },
	{ "fldl (%ebx)", { 0xdd, 0x03 }, 2, 1, { { DS, EBX, 8 } } },
	{ "fldt (%ebx)", { 0xdb, 0x2b }, 2, 1, { { DS, EBX, 10 } } },
	{ "fildll (%ebx)", { 0xdf, 0x2b }, 2, 1, { { DS, EBX, 8 } } },
	{ "fistpll (%ebx)", { 0xdf, 0x3b }, 2, 1, { { DS, EBX, 8 } } },
	{ "fbld (%ebx)", { 0xdf, 0x23 }, 2, 1, { { DS, EBX, 10 } } },
	{ "fbstp (%ebx)", { 0xdf, 0x33 }, 2, 1, { { DS, EBX, 10 } } },
	{ "fnstenv (%ebx)", { 0xd9, 0x33 }, 2, 1, { { DS, EBX, 28 } } },
	{ "fldenv (%ebx)", { 0xd9, 0x23 }, 2, 1, { { DS, EBX, 28 } } },
	{ "fnsave (%ebx)", { 0xdd, 0x33 }, 2, 1, { { DS, EBX, 108 } } },
	{ "frstor (%ebx)", { 0xdd, 0x23 }, 2, 1, { { DS, EBX, 108 } } },
	{ "fnstcw (%ebx)", { 0xd9, 0x3b }, 2, 1, { { DS, EBX, 2 } } },
	{ "fnstsw (%ebx)", { 0xdd, 0x3b }, 2, 1, { { DS, EBX, 2 } } },
	{ "fisttpll (%ebx)", { 0xdd, 0x0b }, 2, 1, { { DS, EBX, 8 } } },
	{ "fiadds (%ebx)", { 0xde, 0x03 }, 2, 1, { { DS, EBX, 2 } } },
	{ "fiaddl (%ebx)", { 0xda, 0x03 }, 2, 1, { { DS, EBX, 4 } } },
	{ "faddl 0x8(%ebp)", { 0xdc, 0x45, 0x08 }, 3, 1, { { SS, EBP + 8, 8 } } },
	{ "fstpt (%ebx)", { 0xdb, 0x3b }, 2, 1, { { DS, EBX, 10 } } },
	{ "fisttps (%ebx)", { 0xdf, 0x0b }, 2, 1, { { DS, EBX, 2 } } },
	{ "movsb", { 0xa4 }, 1, 2, { { DS, ESI, 1 }, { ES, EDI, 1 } } },
	{ "movsl", { 0xa5 }, 1, 2, { { DS, ESI, 4 }, { ES, EDI, 4 } } },
	{ "movsw", { 0x66, 0xa5 }, 2, 2, { { DS, ESI, 2 }, { ES, EDI, 2 } } },
	{ "movsb %fs:(%esi),%es:(%edi)", { 0x64, 0xa4 }, 2, 2, { { FS, ESI, 1 }, { ES, EDI, 1 } } },
	{ "rep movsl", { 0xf3, 0xa5 }, 2, 2, { { DS, ESI, 4 }, { ES, EDI, 4 } } },
	{ "rep movsw", { 0x66, 0xf3, 0xa5 }, 3, 2, { { DS, ESI, 2 }, { ES, EDI, 2 } } },
	{ "cmpsb", { 0xa6 }, 1, 2, { { DS, ESI, 1 }, { ES, EDI, 1 } } },
	{ "repe cmpsl %es:(%edi),%gs:(%esi)", { 0x65, 0xf3, 0xa7 },
	  3, 2, { { GS, ESI, 4 }, { ES, EDI, 4 } } },
	{ "lodsl", { 0xad }, 1, 1, { { DS, ESI, 4 } } },
	{ "lodsb %gs:(%esi)", { 0x65, 0xac }, 2, 1, { { GS, ESI, 1 } } },
	{ "stosb", { 0xaa }, 1, 1, { { ES, EDI, 1 } } },
	{ "rep stosl", { 0xf3, 0xab }, 2, 1, { { ES, EDI, 4 } } },
	{ ".byte 0x64,0xaa", { 0x64, 0xaa }, 2, 1, { { ES, EDI, 1 } } },
	{ "scasl", { 0xaf }, 1, 1, { { ES, EDI, 4 } } },
	{ "repne scasb", { 0xf2, 0xae }, 2, 1, { { ES, EDI, 1 } } },
	{ ".byte 0x2e,0xae", { 0x2e, 0xae }, 2, 1, { { ES, EDI, 1 } } },
	{ "insb", { 0x6c }, 1, 1, { { ES, EDI, 1 } } },
	{ "rep insl", { 0xf3, 0x6d }, 2, 1, { { ES, EDI, 4 } } },
	{ "insw", { 0x66, 0x6d }, 2, 1, { { ES, EDI, 2 } } },
	{ "outsl", { 0x6f }, 1, 1, { { DS, ESI, 4 } } },
	{ "outsb %cs:(%esi),(%dx)", { 0x2e, 0x6e }, 2, 1, { { CS, ESI, 1 } } },
	{ "rep outsw", { 0x66, 0xf3, 0x6f }, 3, 1, { { DS, ESI, 2 } } },
	{ "lea 0x10(%ebx,%ecx,4),%eax", { 0x8d, 0x44, 0x8b, 0x10 }, 4, 0, { { 0 } } },
	{ "invlpg (%ebx)", { 0x0f, 0x01, 0x3b }, 3, 0, { { 0 } } },
	{ "prefetcht0 (%ebx)", { 0x0f, 0x18, 0x0b }, 3, 0, { { 0 } } },
	{ "prefetchnta 0x10(%ebx)", { 0x0f, 0x18, 0x43, 0x10 }, 4, 0, { { 0 } } },
	{ "nopl 0x0(%eax,%eax,1)", { 0x0f, 0x1f, 0x04, 0x00 }, 4, 0, { { 0 } } },
	{ "nopw 0x0(%eax,%eax,1)", { 0x66, 0x0f, 0x1f, 0x04, 0x00 }, 5, 0, { { 0 } } },
	{ "endbr32", { 0xf3, 0x0f, 0x1e, 0xfb }, 4, 0, { { 0 } } },
	{ "mov %eax,%ebx", { 0x89, 0xc3 }, 2, 0, { { 0 } } },
	{ "add $1,%eax", { 0x83, 0xc0, 0x01 }, 3, 0, { { 0 } } },
	{ "addl $0x12345678,%ebx", { 0x81, 0xc3, 0x78, 0x56, 0x34, 0x12 }, 6, 0, { { 0 } } },
	{ "movw $0x1234,%bx", { 0x66, 0xbb, 0x34, 0x12 }, 4, 0, { { 0 } } },
	{ "movzbl %al,%eax", { 0x0f, 0xb6, 0xc0 }, 3, 0, { { 0 } } },
	{ "notl %eax", { 0xf7, 0xd0 }, 2, 0, { { 0 } } },
	{ "testl $0x12345678,%ecx", { 0xf7, 0xc1, 0x78, 0x56, 0x34, 0x12 }, 6, 0, { { 0 } } },
	{ "testb $1,%cl", { 0xf6, 0xc1, 0x01 }, 3, 0, { { 0 } } },
	{ "bt %ecx,%eax", { 0x0f, 0xa3, 0xc8 }, 3, 0, { { 0 } } },
	{ "btsl $3,%eax", { 0x0f, 0xba, 0xe8, 0x03 }, 4, 0, { { 0 } } },
	{ "shld $3,%eax,%ebx", { 0x0f, 0xa4, 0xc3, 0x03 }, 4, 0, { { 0 } } },
	{ "cmpxchg %ecx,%ebx", { 0x0f, 0xb1, 0xcb }, 3, 0, { { 0 } } },
	{ "sete %al", { 0x0f, 0x94, 0xc0 }, 3, 0, { { 0 } } },
	{ "inc %eax", { 0x40 }, 1, 0, { { 0 } } },
	{ "push %ebx", { 0x53 }, 1, 0, { { 0 } } },
	{ "nop", { 0x90 }, 1, 0, { { 0 } } },
	{ "pause", { 0xf3, 0x90 }, 2, 0, { { 0 } } },
	{ "ret", { 0xc3 }, 1, 0, { { 0 } } },
	{ "ret $8", { 0xc2, 0x08, 0x00 }, 3, 0, { { 0 } } },
	{ "lret $8", { 0xca, 0x08, 0x00 }, 3, 0, { { 0 } } },
	{ "enter $16,$0", { 0xc8, 0x10, 0x00, 0x00 }, 4, 0, { { 0 } } },
	{ "leave", { 0xc9 }, 1, 0, { { 0 } } },
	{ "push $0x12345678", { 0x68, 0x78, 0x56, 0x34, 0x12 }, 5, 0, { { 0 } } },
	{ "push $1", { 0x6a, 0x01 }, 2, 0, { { 0 } } },
	{ "pushw $0x1234", { 0x66, 0x68, 0x34, 0x12 }, 4, 0, { { 0 } } },
	{ ".byte 0xe9,0,0,0,0", { 0xe9, 0x00, 0x00, 0x00, 0x00 }, 5, 0, { { 0 } } },
	{ ".byte 0xe8,0,0,0,0", { 0xe8, 0x00, 0x00, 0x00, 0x00 }, 5, 0, { { 0 } } },
	{ ".byte 0x66,0xe9,0,0", { 0x66, 0xe9, 0x00, 0x00 }, 4, 0, { { 0 } } },
	{ ".byte 0x0f,0x85,0,0,0,0", { 0x0f, 0x85, 0x00, 0x00, 0x00, 0x00 }, 6, 0, { { 0 } } },
	{ ".byte 0x75,0", { 0x75, 0x00 }, 2, 0, { { 0 } } },
	{ ".byte 0xe2,0", { 0xe2, 0x00 }, 2, 0, { { 0 } } },
	{ ".byte 0xe3,0", { 0xe3, 0x00 }, 2, 0, { { 0 } } },
	{ "ljmp $0x10,$0x12345678", { 0xea, 0x78, 0x56, 0x34, 0x12, 0x10, 0x00 }, 7, 0, { { 0 } } },
	{ "lcall $0x10,$0x12345678", { 0x9a, 0x78, 0x56, 0x34, 0x12, 0x10, 0x00 },
	  7, 0, { { 0 } } },
	{ "ljmpw $0x10,$0x1234", { 0x66, 0xea, 0x34, 0x12, 0x10, 0x00 }, 6, 0, { { 0 } } },
	{ "int $0x80", { 0xcd, 0x80 }, 2, 0, { { 0 } } },
	{ "int3", { 0xcc }, 1, 0, { { 0 } } },
	{ "iret", { 0xcf }, 1, 0, { { 0 } } },
	{ "in $0x60,%al", { 0xe4, 0x60 }, 2, 0, { { 0 } } },
	{ "out %eax,$0x80", { 0xe7, 0x80 }, 2, 0, { { 0 } } },
	{ "in (%dx),%al", { 0xec }, 1, 0, { { 0 } } },
	{ "mov $0x12345678,%eax", { 0xb8, 0x78, 0x56, 0x34, 0x12 }, 5, 0, { { 0 } } },
	{ "mov $1,%al", { 0xb0, 0x01 }, 2, 0, { { 0 } } },
	{ "mov $1,%ax", { 0x66, 0xb8, 0x01, 0x00 }, 4, 0, { { 0 } } },
	{ "test $1,%al", { 0xa8, 0x01 }, 2, 0, { { 0 } } },
	{ "test $0x12345678,%eax", { 0xa9, 0x78, 0x56, 0x34, 0x12 }, 5, 0, { { 0 } } },
	{ "test $0x1234,%ax", { 0x66, 0xa9, 0x34, 0x12 }, 4, 0, { { 0 } } },
	{ "add $0x12345678,%eax", { 0x05, 0x78, 0x56, 0x34, 0x12 }, 5, 0, { { 0 } } },
	{ "aam", { 0xd4, 0x0a }, 2, 0, { { 0 } } },
	{ "aad $3", { 0xd5, 0x03 }, 2, 0, { { 0 } } },
	{ "hlt", { 0xf4 }, 1, 0, { { 0 } } },
	{ "cli", { 0xfa }, 1, 0, { { 0 } } },
	{ "sti", { 0xfb }, 1, 0, { { 0 } } },
	{ "cld", { 0xfc }, 1, 0, { { 0 } } },
	{ "cpuid", { 0x0f, 0xa2 }, 2, 0, { { 0 } } },
	{ "rdtsc", { 0x0f, 0x31 }, 2, 0, { { 0 } } },
	{ "rdmsr", { 0x0f, 0x32 }, 2, 0, { { 0 } } },
	{ "wbinvd", { 0x0f, 0x09 }, 2, 0, { { 0 } } },
	{ "clts", { 0x0f, 0x06 }, 2, 0, { { 0 } } },
	{ "ud2", { 0x0f, 0x0b }, 2, 0, { { 0 } } },
	{ "sysenter", { 0x0f, 0x34 }, 2, 0, { { 0 } } },
	{ "lfence", { 0x0f, 0xae, 0xe8 }, 3, 0, { { 0 } } },
	{ "mfence", { 0x0f, 0xae, 0xf0 }, 3, 0, { { 0 } } },
	{ "sfence", { 0x0f, 0xae, 0xf8 }, 3, 0, { { 0 } } },
	{ "rdrand %eax", { 0x0f, 0xc7, 0xf0 }, 3, 0, { { 0 } } },
	{ "rdseed %ecx", { 0x0f, 0xc7, 0xf9 }, 3, 0, { { 0 } } },
	{ "sldt %eax", { 0x0f, 0x00, 0xc0 }, 3, 0, { { 0 } } },
	{ "ltr %ax", { 0x0f, 0x00, 0xd8 }, 3, 0, { { 0 } } },
	{ "smsw %eax", { 0x0f, 0x01, 0xe0 }, 3, 0, { { 0 } } },
	{ "vmcall", { 0x0f, 0x01, 0xc1 }, 3, 0, { { 0 } } },
	{ "rdtscp", { 0x0f, 0x01, 0xf9 }, 3, 0, { { 0 } } },
	{ "xgetbv", { 0x0f, 0x01, 0xd0 }, 3, 0, { { 0 } } },
	{ "monitor", { 0x0f, 0x01, 0xc8 }, 3, 0, { { 0 } } },
	{ "bswap %eax", { 0x0f, 0xc8 }, 2, 0, { { 0 } } },
	{ "mov %cr0,%eax", { 0x0f, 0x20, 0xc0 }, 3, 0, { { 0 } } },
	{ "mov %eax,%cr3", { 0x0f, 0x22, 0xd8 }, 3, 0, { { 0 } } },
	{ "mov %db7,%eax", { 0x0f, 0x21, 0xf8 }, 3, 0, { { 0 } } },
	{ ".byte 0x0f,0x20,0x05", { 0x0f, 0x20, 0x05 }, 3, 0, { { 0 } } },
	{ ".byte 0x0f,0x22,0x1c", { 0x0f, 0x22, 0x1c }, 3, 0, { { 0 } } },
	{ "fadd %st(1),%st", { 0xd8, 0xc1 }, 2, 0, { { 0 } } },
	{ "fld %st(2)", { 0xd9, 0xc2 }, 2, 0, { { 0 } } },
	{ "fnstsw %ax", { 0xdf, 0xe0 }, 2, 0, { { 0 } } },
	{ "fldz", { 0xd9, 0xee }, 2, 0, { { 0 } } },
	{ "movq %mm0,%mm1", { 0x0f, 0x6f, 0xc8 }, 3, 0, { { 0 } } },
	{ "movdqa %xmm1,%xmm0", { 0x66, 0x0f, 0x6f, 0xc1 }, 4, 0, { { 0 } } },
	{ "pshufd $1,%xmm1,%xmm0", { 0x66, 0x0f, 0x70, 0xc1, 0x01 }, 5, 0, { { 0 } } },
	{ "psrlq $3,%mm0", { 0x0f, 0x73, 0xd0, 0x03 }, 4, 0, { { 0 } } },
	{ "pextrw $1,%mm0,%eax", { 0x0f, 0xc5, 0xc0, 0x01 }, 4, 0, { { 0 } } },
	{ "palignr $3,%xmm1,%xmm0", { 0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x03 }, 6, 0, { { 0 } } },
	{ "emms", { 0x0f, 0x77 }, 2, 0, { { 0 } } },
	{ "pop %es", { 0x07 }, 1, 0, { { 0 } } },
	{ "push %fs", { 0x0f, 0xa0 }, 2, 0, { { 0 } } },
	{ "pusha", { 0x60 }, 1, 0, { { 0 } } },
	{ "cwtl", { 0x98 }, 1, 0, { { 0 } } },
	{ "cltd", { 0x99 }, 1, 0, { { 0 } } },
	{ "pushf", { 0x9c }, 1, 0, { { 0 } } },
	{ "sahf", { 0x9e }, 1, 0, { { 0 } } },
	{ "int1", { 0xf1 }, 1, 0, { { 0 } } },
	{ "xchg %eax,%ecx", { 0x91 }, 1, 0, { { 0 } } },
	{ "fwait", { 0x9b }, 1, 0, { { 0 } } },
	{ "into", { 0xce }, 1, 0, { { 0 } } },
	{ "daa", { 0x27 }, 1, 0, { { 0 } } },
	{ "aaa", { 0x37 }, 1, 0, { { 0 } } },
	{ "les %fs:(%ebx),%eax", { 0x64, 0xc4, 0x03 }, 3, 1, { { FS, EBX, 6 } } },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static bool same_refs(const struct x86_mem_ref *a, const struct x86_mem_ref *b,
		      unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (a[i].seg != b[i].seg || a[i].offset != b[i].offset ||
		    a[i].size != b[i].size)
			return false;
	return true;
}

/* Decode bytes[0..avail) and compare with the case's expectations. */
static bool decodes_as(const struct valid_case *c, const uint8_t *bytes,
		       uint32_t avail)
{
	struct x86_mem_ref refs[X86_MEM_REFS_MAX];
	unsigned int nr = 99;
	uint32_t len = 99;

	memset(refs, 0xa5, sizeof(refs));
	return x86_mem_refs(bytes, avail, &regs, refs, &nr, &len) == 0 &&
	       len == c->len && nr == c->nr && same_refs(refs, c->refs, nr);
}

static int decode_rc(const uint8_t *bytes, uint32_t avail)
{
	struct x86_mem_ref refs[X86_MEM_REFS_MAX];
	unsigned int nr = 99;
	uint32_t len = 99;
	int rc = x86_mem_refs(bytes, avail, &regs, refs, &nr, &len);

	if (rc)
		CHECK(nr == 0 && len == 0);
	return rc;
}

static void test_valid_table(void)
{
	unsigned int i, fails;
	uint32_t avail;

	for (i = 0; i < ARRAY_SIZE(valid_cases); i++) {
		const struct valid_case *c = &valid_cases[i];
		uint8_t buf[32];

		fails = check_failures;
		CHECK(decodes_as(c, c->bytes, c->len));
		for (avail = 0; avail < c->len; avail++)
			CHECK_EQ(decode_rc(c->bytes, avail), -XEN_EINVAL);
		/* Trailing bytes of any kind are not part of it. */
		memset(buf, 0x66, sizeof(buf));
		memcpy(buf, c->bytes, c->len);
		CHECK(decodes_as(c, buf, sizeof(buf)));
		memset(buf, 0xff, sizeof(buf));
		memcpy(buf, c->bytes, c->len);
		CHECK(decodes_as(c, buf, c->len + 1));
		if (check_failures != fails)
			fprintf(stderr, "  ... in case \"%s\"\n", c->text);
	}
	CHECK(ARRAY_SIZE(valid_cases) > 300);
}

struct refused_case {
	const char *text;
	uint8_t bytes[8];
	uint32_t len;
};

/* Undefined or unsupported: -XEN_EOPNOTSUPP even with bytes to spare. */
static const struct refused_case refused_cases[] = {
	{ "67 (16-bit addressing)", { 0x67, 0x8b, 0x07 }, 3 },
	{ "67 after other prefixes", { 0x66, 0x2e, 0x67, 0x90 }, 4 },
	{ "d6 (salc)", { 0xd6 }, 1 },
	{ "0f 04", { 0x0f, 0x04 }, 2 },
	{ "0f 0a", { 0x0f, 0x0a }, 2 },
	{ "0f 0c", { 0x0f, 0x0c }, 2 },
	{ "0f 0e (femms)", { 0x0f, 0x0e }, 2 },
	{ "0f 0f (3DNow!)", { 0x0f, 0x0f, 0x03, 0x9e }, 4 },
	{ "0f 24", { 0x0f, 0x24, 0xc0 }, 3 },
	{ "0f 36", { 0x0f, 0x36 }, 2 },
	{ "0f 39", { 0x0f, 0x39 }, 2 },
	{ "0f 78 (vmread)", { 0x0f, 0x78, 0x03 }, 3 },
	{ "0f a6", { 0x0f, 0xa6, 0x03 }, 3 },
	{ "0f b9 (ud1)", { 0x0f, 0xb9, 0x03 }, 3 },
	{ "0f ff (ud0)", { 0x0f, 0xff, 0x03 }, 3 },
	{ "0f 38 ff", { 0x0f, 0x38, 0xff, 0x03 }, 4 },
	{ "0f 3a 00", { 0x0f, 0x3a, 0x00, 0x03, 0x01 }, 5 },
	{ "ff /7", { 0xff, 0x3b }, 2 },
	{ "ff /3 register", { 0xff, 0xd8 }, 2 },
	{ "ff /5 register", { 0xff, 0xe8 }, 2 },
	{ "fe /2", { 0xfe, 0x13 }, 2 },
	{ "fe /7 register", { 0xfe, 0xf8 }, 2 },
	{ "8f /1 (XOP)", { 0x8f, 0x08, 0x00 }, 3 },
	{ "8f /2 register (XOP)", { 0x8f, 0xe8, 0x78 }, 3 },
	{ "c6 /1", { 0xc6, 0x0b, 0x01 }, 3 },
	{ "c6 f8 (xabort)", { 0xc6, 0xf8, 0x01 }, 3 },
	{ "c7 f8 (xbegin)", { 0xc7, 0xf8, 0, 0, 0, 0 }, 6 },
	{ "c4 c0 (VEX)", { 0xc4, 0xe2, 0x79, 0x18, 0x03 }, 5 },
	{ "c5 (VEX)", { 0xc5, 0xf8, 0x77 }, 3 },
	{ "62 register (EVEX)", { 0x62, 0xf1, 0x7c, 0x48, 0x10, 0x03 }, 6 },
	{ "8d register (lea)", { 0x8d, 0xc0 }, 2 },
	{ "0f ae /4 (xsave)", { 0x0f, 0xae, 0x23 }, 3 },
	{ "0f ae /0 register", { 0x0f, 0xae, 0xc0 }, 3 },
	{ "0f c7 /0", { 0x0f, 0xc7, 0x03 }, 3 },
	{ "0f c7 /1 register", { 0x0f, 0xc7, 0xc8 }, 3 },
	{ "0f c7 /3 (xrstors)", { 0x0f, 0xc7, 0x1b }, 3 },
	{ "0f 01 /5 memory", { 0x0f, 0x01, 0x2b }, 3 },
	{ "0f 00 /6", { 0x0f, 0x00, 0x33 }, 3 },
	{ "0f 00 /7 register", { 0x0f, 0x00, 0xf8 }, 3 },
	{ "0f ba /0", { 0x0f, 0xba, 0x03, 0x01 }, 4 },
	{ "0f ba /3 register", { 0x0f, 0xba, 0xd8, 0x01 }, 4 },
	{ "0f f7 memory (maskmovq)", { 0x0f, 0xf7, 0x03 }, 3 },
	{ "0f b2 register (lss)", { 0x0f, 0xb2, 0xc0 }, 3 },
	{ "0f c3 register (movnti)", { 0x0f, 0xc3, 0xc0 }, 3 },
	{ "0f 38 80 register (invept)", { 0x66, 0x0f, 0x38, 0x80, 0xc0 }, 5 },
	{ "d9 /1 memory", { 0xd9, 0x0b }, 2 },
	{ "db /4 memory", { 0xdb, 0x23 }, 2 },
	{ "db /6 memory", { 0xdb, 0x33 }, 2 },
	{ "dd /5 memory", { 0xdd, 0x2b }, 2 },
};

static void test_refused(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(refused_cases); i++) {
		const struct refused_case *c = &refused_cases[i];
		uint8_t buf[16];

		memset(buf, 0, sizeof(buf));
		memcpy(buf, c->bytes, c->len);
		CHECK_EQ(decode_rc(buf, sizeof(buf)), -XEN_EOPNOTSUPP);
		CHECK_EQ(decode_rc(c->bytes, c->len), -XEN_EOPNOTSUPP);
		if (decode_rc(buf, sizeof(buf)) != -XEN_EOPNOTSUPP)
			fprintf(stderr, "  ... in refused case \"%s\"\n", c->text);
	}
	/* Nothing at all, and prefixes only. */
	CHECK_EQ(decode_rc((const uint8_t *)"", 0), -XEN_EINVAL);
	CHECK_EQ(decode_rc((const uint8_t *)"\x66\xf0\x26", 3), -XEN_EINVAL);
	CHECK_EQ(decode_rc((const uint8_t *)"\x0f", 1), -XEN_EINVAL);
	CHECK_EQ(decode_rc((const uint8_t *)"\x0f\x38", 2), -XEN_EINVAL);
}

/* 15 bytes decode; a 16th is never read, however much is available. */
static void test_length_limit(void)
{
	/* es lock addw $0x1234, 0x11223344(%esi,%ebx,4): 12 bytes */
	static const uint8_t add[] = { 0x26, 0x66, 0xf0, 0x81, 0x84, 0x9e,
				       0x44, 0x33, 0x22, 0x11, 0x34, 0x12 };
	struct x86_mem_ref refs[X86_MEM_REFS_MAX];
	uint8_t buf[32];
	unsigned int nr;
	uint32_t len;

	memset(buf, 0x3e, sizeof(buf));
	memcpy(buf + 3, add, sizeof(add));	/* three ds prefixes first */
	CHECK_EQ(x86_mem_refs(buf, sizeof(buf), &regs, refs, &nr, &len), 0);
	CHECK_EQ(len, 15);
	CHECK_EQ(nr, 1);
	CHECK_EQ(refs[0].seg, ES);		/* the last override wins */
	CHECK_EQ(refs[0].offset, ESI + EBX * 4 + 0x11223344);
	CHECK_EQ(refs[0].size, 2);
	memcpy(buf + 4, add, sizeof(add));	/* four: 16 bytes */
	CHECK_EQ(decode_rc(buf, sizeof(buf)), -XEN_EINVAL);
	/* 14 prefixes and a nop are 15 bytes; 15 prefixes are too many. */
	memset(buf, 0x66, sizeof(buf));
	buf[14] = 0x90;
	CHECK_EQ(x86_mem_refs(buf, sizeof(buf), &regs, refs, &nr, &len), 0);
	CHECK_EQ(len, 15);
	CHECK_EQ(nr, 0);
	buf[14] = 0x66;
	buf[15] = 0x90;
	CHECK_EQ(decode_rc(buf, sizeof(buf)), -XEN_EINVAL);
	/* A 15-byte movl $imm32, disp32(sib) with prefixes, one byte short. */
	memset(buf, 0x3e, sizeof(buf));
	memcpy(buf + 4, (const uint8_t []){ 0xc7, 0x84, 0x9e, 0x44, 0x33, 0x22,
					     0x11, 0x78, 0x56, 0x34, 0x12 }, 11);
	CHECK_EQ(x86_mem_refs(buf, 15, &regs, refs, &nr, &len), 0);
	CHECK_EQ(len, 15);
	CHECK_EQ(decode_rc(buf, 14), -XEN_EINVAL);
	memmove(buf + 5, buf + 4, 11);		/* a fifth prefix: 16 bytes */
	buf[4] = 0x3e;
	CHECK_EQ(decode_rc(buf, sizeof(buf)), -XEN_EINVAL);
}

/* bt* with a register bit offset: the word holding the bit, rounding down. */
static void test_bit_offsets(void)
{
	static const struct {
		uint32_t ecx;
		uint8_t opsize_prefix;
		uint32_t delta;
	} cases[] = {
		{ 0, 0, 0 }, { 31, 0, 0 }, { 32, 0, 4 }, { 0xffffffff, 0, -4u },
		{ 0xffffffe0, 0, -4u }, { 0xffffffdf, 0, -8u },
		{ 0x7fffffff, 0, 0x0ffffffc }, { 0x80000000, 0, 0xf0000000 },
		{ 15, 1, 0 }, { 16, 1, 2 }, { 0xffff, 1, -2u }, { 0x12340010, 1, 2 },
		{ 0x8000, 1, -4096u }, { 0x7fff, 1, 0x7ff * 2 },
	};
	struct x86_emul_regs r = regs;
	struct x86_mem_ref refs[X86_MEM_REFS_MAX];
	unsigned int i, nr;
	uint32_t len;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* [66] 0f a3 0b: bt %ecx,(%ebx) */
		const uint8_t insn[] = { 0x66, 0x0f, 0xa3, 0x0b };
		const uint8_t *p = cases[i].opsize_prefix ? insn : insn + 1;

		r.r[X86_ECX] = cases[i].ecx;
		CHECK_EQ(x86_mem_refs(p, 4, &r, refs, &nr, &len), 0);
		CHECK_EQ(nr, 1);
		CHECK_EQ(refs[0].offset, EBX + cases[i].delta);
		CHECK_EQ(refs[0].size, cases[i].opsize_prefix ? 2 : 4);
	}
	/* The immediate form is taken modulo the width: no move. */
	r.r[X86_ECX] = 0xffffffff;
	CHECK_EQ(x86_mem_refs((const uint8_t *)"\x0f\xba\x2b\xff", 4, &r, refs, &nr, &len), 0);
	CHECK_EQ(refs[0].offset, EBX);
	CHECK_EQ(len, 4);
}

/* ---- The flip ---- */

#define FOUR_GIB	0x100000000ull

/* Raw limits of the two forms, from their definitions. */
static uint32_t up_pages(uint32_t base, uint32_t end)
{
	return (end - base) >> 12;
}

static uint32_t down_pages(uint32_t base)
{
	return (uint32_t)((FOUR_GIB - base + 4095) / 4096);
}

/* The two forms as a guest's table holds them: accessed (segdesc.h). */
static uint64_t up(uint32_t base, unsigned int type, unsigned int dpl, uint32_t end)
{
	return mkdesc(base, up_pages(base, end) - 1, type | T_ACCESSED, true, dpl,
		      true, true, true);
}

static uint64_t down(uint32_t base, unsigned int type, unsigned int dpl)
{
	return mkdesc(base, down_pages(base) - 1, type | 4 | T_ACCESSED, true, dpl,
		      true, true, true);
}

/* Whether the CPU would let [offset, offset + size) through desc's limit. */
static bool cpu_admits(uint64_t desc, uint32_t offset, uint32_t size)
{
	uint64_t last = (uint64_t)offset + size - 1;
	uint64_t limit = segdesc_limit_bytes(desc);

	if ((desc >> 42) & 1)	/* expand-down, B = 1 */
		return offset > limit && last <= 0xffffffffull;
	return last <= limit;
}

/* Every linear address desc covers is below end (G = B = 1 forms only). */
static bool covers_below(uint64_t desc, uint32_t end)
{
	uint64_t base = segdesc_base(desc), limit = segdesc_limit_bytes(desc);

	if ((desc >> 42) & 1)
		return base + limit + 1 >= FOUR_GIB && base + 0xffffffffull - FOUR_GIB < end;
	return base + limit < end;
}

/* A flip that must happen: from from to to, at offset/size. */
static void expect_flip(uint64_t from, uint64_t to, uint32_t offset, uint32_t size)
{
	uint64_t d = from, again;

	CHECK(seg_fixup_flip(&d, offset, size, LIMIT_END));
	CHECK_EQ(d, to);
	CHECK(cpu_admits(d, offset, size));
	CHECK(covers_below(d, LIMIT_END));
	again = d;
	CHECK_EQ(segdesc_check(&again, LIMIT_END), 0);
	CHECK_EQ(again, d);
	CHECK(seg_fixup_is_flippable(d, LIMIT_END));
}

static void expect_no_flip(uint64_t desc, uint32_t offset, uint32_t size, uint32_t end)
{
	uint64_t d = desc;

	CHECK(!seg_fixup_flip(&d, offset, size, end));
	CHECK_EQ(d, desc);
}

static void test_flip_base(uint32_t base)
{
	uint64_t u = up(base, T_DATA, 1, LIMIT_END), dn = down(base, T_DATA, 1);
	uint32_t u_end = up_pages(base, LIMIT_END) << 12;	/* first offset up-form refuses */
	uint32_t w = (uint32_t)((uint64_t)down_pages(base) << 12);	/* first wrapped offset */

	CHECK(seg_fixup_is_flippable(u, LIMIT_END));
	CHECK(seg_fixup_is_flippable(dn, LIMIT_END));
	/* The forms' extremes: up ends at or below limit_end, down at base. */
	CHECK((uint64_t)base + u_end <= LIMIT_END);
	CHECK((uint64_t)base + w >= FOUR_GIB);
	CHECK(base + w < base);			/* wraps */
	/* up -> down: the first wrapped byte, the last, the last dword. */
	expect_flip(u, dn, w, 1);
	expect_flip(u, dn, 0xffffffff, 1);
	expect_flip(u, dn, 0xfffffffc, 4);
	expect_flip(u, dn, w, (uint32_t)(FOUR_GIB - w));
	expect_no_flip(u, 0xfffffffd, 4, LIMIT_END);	/* past 4 GiB */
	expect_no_flip(u, 0xffffffff, 0xffffffff, LIMIT_END);
	expect_no_flip(u, w - 1, 1, LIMIT_END);		/* in neither form */
	expect_no_flip(u, w - 1, 2, LIMIT_END);		/* straddles */
	expect_no_flip(u, 0, 4, LIMIT_END);		/* up-form has it already */
	expect_no_flip(u, u_end - 4, 4, LIMIT_END);
	expect_no_flip(u, u_end, 4, LIMIT_END);		/* the hypervisor's side */
	expect_no_flip(u, w, 0, LIMIT_END);
	/* down -> up: the first byte, the last dword, the whole. */
	expect_flip(dn, u, 0, 1);
	expect_flip(dn, u, u_end - 4, 4);
	expect_flip(dn, u, 0, u_end);
	expect_no_flip(dn, u_end - 3, 4, LIMIT_END);	/* straddles the end */
	expect_no_flip(dn, u_end, 1, LIMIT_END);
	expect_no_flip(dn, w, 4, LIMIT_END);		/* down-form has it */
	expect_no_flip(dn, w - 2, 4, LIMIT_END);
	expect_no_flip(dn, 0, 0, LIMIT_END);
	/* DPL 3, read-only, accessed: kept through both flips. */
	expect_flip(up(base, T_DATA_RO | 1, 3, LIMIT_END), down(base, T_DATA_RO | 1, 3),
		    0xfffffff0, 16);
	expect_flip(down(base, T_DATA | 1, 2), up(base, T_DATA | 1, 2, LIMIT_END), 8, 8);
	/* The same forms judged against another limit_end are no forms. */
	expect_no_flip(u, w, 1, LIMIT_END - 0x1000);
	expect_no_flip(u, w, 1, LIMIT_END + 0x1000);
	/* One page off either form's limit. */
	expect_no_flip(u - 1, w, 1, LIMIT_END);
	expect_no_flip(u + 1, w, 1, LIMIT_END);
	expect_no_flip(dn - 1, 0, 1, LIMIT_END);
	expect_no_flip(dn + 1, 0, 1, LIMIT_END);
	/* Not a data segment of the right kind. */
	expect_no_flip(u | 1ull << 43, w, 1, LIMIT_END);	/* code */
	expect_no_flip(u & ~(1ull << 55), w, 1, LIMIT_END);	/* byte granular */
	expect_no_flip(dn & ~(1ull << 55), 0, 1, LIMIT_END);
	expect_no_flip(u & ~(1ull << 54), w, 1, LIMIT_END);	/* B = 0 */
	expect_no_flip(dn & ~(1ull << 54), 0, 1, LIMIT_END);
	expect_no_flip(u & ~(1ull << 47), w, 1, LIMIT_END);	/* not present */
	expect_no_flip(u & ~(1ull << 44), w, 1, LIMIT_END);	/* system */
	expect_no_flip(u & ~(3ull << 45), w, 1, LIMIT_END);	/* DPL 0 */
	expect_no_flip(dn & ~(3ull << 45), 0, 1, LIMIT_END);
	expect_no_flip(mkdesc(base, 0xfffff, T_DATA, true, 1, true, true, true), w, 1,
		       LIMIT_END);				/* untruncated */
}

static void test_flip(void)
{
	static const uint32_t bases[] = {
		0xc0000000, 0x80001000, 0xf0000000, 0xc0000800, 0x12345678,
		0x00001000, 0x00001001, 0x00fff000, LIMIT_END - 0x1000,
		LIMIT_END - 0x1fff,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		unsigned long fails = check_failures;

		test_flip_base(bases[i]);
		if (check_failures != fails)
			fprintf(stderr, "  ... at base %#x\n", bases[i]);
	}
	/* Worked example: base 0xc0000000. */
	CHECK_EQ(up(0xc0000000, T_DATA, 1, LIMIT_END),
		 mkdesc(0xc0000000, 0x367ff, T_DATA | T_ACCESSED, true, 1, true,
			true, true));
	CHECK_EQ(down(0xc0000000, T_DATA, 1),
		 mkdesc(0xc0000000, 0x3ffff, T_DATA_DOWN | T_ACCESSED, true, 1,
			true, true, true));
	/* A form without the accessed bit is no table's: not flipped. */
	expect_no_flip(up(0xc0000000, T_DATA, 1, LIMIT_END) & ~(1ull << 40),
		       0xfffffff0, 4, LIMIT_END);
	/* Base not page aligned: the partial page below it stays unreachable. */
	CHECK_EQ(segdesc_limit_bytes(down(0xc0000800, T_DATA, 1)), 0x3fffffff);
	expect_no_flip(up(0xc0000800, T_DATA, 1, LIMIT_END), 0x3ffff800, 1, LIMIT_END);
	/* Base 0x800: no whole page wraps, so there is no down-form. */
	expect_no_flip(up(0x800, T_DATA, 1, LIMIT_END), 0xfffff800, 1, LIMIT_END);
	expect_no_flip(up(0x800, T_DATA, 1, LIMIT_END), 0xffffffff, 1, LIMIT_END);
	CHECK(!seg_fixup_is_flippable(up(0x800, T_DATA, 1, LIMIT_END), LIMIT_END));
	expect_no_flip(mkdesc(0x800, 0xfffff, T_DATA_DOWN, true, 1, true, true, true), 0, 1,
		       LIMIT_END);
	/* Base 0: the flat segment; it never wraps. */
	expect_no_flip(up(0, T_DATA, 1, LIMIT_END), 0xfffff000, 1, LIMIT_END);
	CHECK(!seg_fixup_is_flippable(up(0, T_DATA, 1, LIMIT_END), LIMIT_END));
	/* Bases at or near limit_end have no up-form. */
	expect_no_flip(down(LIMIT_END, T_DATA, 1), 0, 1, LIMIT_END);
	expect_no_flip(down(LIMIT_END - 0x800, T_DATA, 1), 0, 1, LIMIT_END);
	expect_no_flip(down(0xfffff000, T_DATA, 1), 0, 1, LIMIT_END);
	CHECK(!seg_fixup_is_flippable(down(LIMIT_END, T_DATA, 1), LIMIT_END));
	CHECK(!seg_fixup_is_flippable(0, LIMIT_END));
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* An offset that often sits at an edge of one of the forms. */
static uint32_t random_offset(uint32_t base, uint64_t r)
{
	uint32_t u_end = up_pages(base, LIMIT_END) << 12;
	uint32_t w = (uint32_t)((uint64_t)down_pages(base) << 12);
	uint32_t jitter = (uint32_t)(r >> 8) % 32 - 16;

	switch (r % 4) {
	case 0:
		return u_end + jitter;
	case 1:
		return w + jitter;
	case 2:
		return jitter;
	default:
		return (uint32_t)(r >> 32);
	}
}

/* A flip happens iff desc is a form and the other form admits the access. */
static void test_flip_random(void)
{
	static const uint32_t sizes[] = { 1, 2, 4, 6, 8, 10, 16, 28, 108, 512, 0 };
	unsigned long i, flips = 0;

	for (i = 0; i < 1000000; i++) {
		uint64_t r = rnd64(), r2 = rnd64();
		uint32_t base = r % 3 ? (uint32_t)(r >> 32) : (uint32_t)(r >> 32) & 0xfffff000;
		unsigned int dpl = 1 + (unsigned int)(r2 >> 60) % 3;
		uint64_t u, dn, d, other, back;
		uint32_t offset = random_offset(base, r2), size = sizes[(r >> 8) % 11];
		bool is_up = r & 0x10, flipped;

		if (base == 0 || base >= LIMIT_END - 0xfff || down_pages(base) > 0xfffff) {
			d = mkdesc(base, (uint32_t)r2, T_DATA | ((uint32_t)r & 4), true, dpl,
				   true, true, true);
			expect_no_flip(d, offset, size, LIMIT_END);
			continue;
		}
		u = up(base, T_DATA | ((r >> 5) & 1), dpl, LIMIT_END);
		dn = down(base, T_DATA | ((r >> 5) & 1), dpl);
		d = is_up ? u : dn;
		other = is_up ? dn : u;
		back = d;
		flipped = seg_fixup_flip(&back, offset, size, LIMIT_END);
		CHECK_EQ(flipped, size != 0 && cpu_admits(other, offset, size));
		CHECK_EQ(back, flipped ? other : d);
		if (!flipped)
			continue;
		flips++;
		CHECK(covers_below(back, LIMIT_END));
		/* Each byte of the access lands below limit_end. */
		CHECK((uint32_t)(base + offset) < LIMIT_END);
		CHECK((uint32_t)(base + offset + size - 1) < LIMIT_END);
		d = back;
		CHECK_EQ(segdesc_check(&d, LIMIT_END), 0);
		CHECK_EQ(d, back);
		/* And back again, with an access the original form admits. */
		CHECK(seg_fixup_flip(&d, is_up ? 0 : 0xffffffff, 1, LIMIT_END));
		CHECK_EQ(d, is_up ? u : dn);
	}
	CHECK(flips > 100000);
	CHECK(i - flips > 100000);
}

int main(void)
{
	test_valid_table();
	test_refused();
	test_length_limit();
	test_bit_offsets();
	test_flip();
	test_flip_random();
	return check_done();
}
