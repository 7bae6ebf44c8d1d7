/*
 * test_x86_emul.c - host unit test of hyp/x86_emul.c, the decoder and
 * evaluator of a guest kernel's writes to its write-protected page tables.
 *
 * The decode table holds encodings produced once by the GNU assembler
 * (`as --32`, then `objdump -d`; the mnemonic is each entry's name), with
 * the length objdump reported and the effective address worked out by hand
 * from the fixed register set below.  It covers every supported opcode,
 * every ModRM mod, SIB with scale 1/2/4/8 and without base or index,
 * sign-extended disp8, each prefix, and the forms that must be refused.
 * Every accepted entry is also decoded with each shorter avail, which
 * must be -XEN_EINVAL (truncated at every prefix and byte boundary).
 * Execution is checked case by case (xchg on byte registers, cmpxchg and
 * cmpxchg8b success and failure, or/and/bts/btr flags, stos both
 * directions) and, on an x86 host, against the CPU itself: random
 * operands go through the emulator and through the real instruction, and
 * the results and the architecturally defined flags must agree.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "../../hyp/x86_emul.h"
#include <public/errno.h>

/* Registers every decode case runs with: byte halves all distinct. */
#define RA	0x1111a5c3u	/* al c3, ah a5 */
#define RC	0x00007710u	/* cl 10, ch 77 */
#define RD	0x0000b630u	/* dl 30, dh b6 */
#define RB	0x0040a1b2u	/* bl b2, bh a1 */
#define RSP	0x00c0fff0u
#define RBP	0x00d00000u
#define RSI	0x00500000u
#define RDI	0x00600000u
#define REIP	0xc0100000u

static const struct x86_emul_regs base_regs = {
	.r = { RA, RC, RD, RB, RSP, RBP, RSI, RDI },
	.eflags = 0x202,
	.eip = REIP,
};

struct decode_case {
	const char *name;
	uint8_t b[16];
	uint32_t n;		/* bytes in b */
	int rc;
	uint32_t len, addr, size;
	enum x86_emul_op op;
	uint32_t src;
	enum x86_emul_seg seg;
	bool lock;
};

#define OK(nm, bytes, nb, l, a, sz, o, s, sg, lk) \
	{ nm, bytes, nb, 0, l, a, sz, o, s, sg, lk }
#define BAD(nm, bytes, nb, err) \
	{ .name = nm, .b = bytes, .n = nb, .rc = err }
#define B(...)	{ __VA_ARGS__ }
#define DS	X86_SEG_DS
#define SS	X86_SEG_SS
#define ES	X86_SEG_ES

static const struct decode_case cases[] = {
	OK("mov %eax,(%ebx)", B(0x89, 0x03), 2, 2, RB, 4, X86_OP_MOV, RA, DS, false),
	OK("mov %cl,0x12(%esi)", B(0x88, 0x4e, 0x12), 3, 3, RSI + 0x12, 1, X86_OP_MOV, 0x10, DS,
	   false),
	OK("mov %ah,-0x80(%ebp)", B(0x88, 0x65, 0x80), 3, 3, RBP - 0x80, 1, X86_OP_MOV, 0xa5,
	   SS, false),
	OK("mov %bh,0x7f(%edi)", B(0x88, 0x7f, 0x7f), 3, 3, RDI + 0x7f, 1, X86_OP_MOV, 0xa1, DS,
	   false),
	OK("mov %dx,0x12345678(%eax)", B(0x66, 0x89, 0x90, 0x78, 0x56, 0x34, 0x12), 7,
	   7, RA + 0x12345678, 2, X86_OP_MOV, 0xb630, DS, false),
	OK("mov %edx,0x12345678", B(0x89, 0x15, 0x78, 0x56, 0x34, 0x12), 6,
	   6, 0x12345678, 4, X86_OP_MOV, RD, DS, false),
	OK("mov %esi,(%esp)", B(0x89, 0x34, 0x24), 3, 3, RSP, 4, X86_OP_MOV, RSI, SS, false),
	OK("mov %esi,0x8(%esp)", B(0x89, 0x74, 0x24, 0x08), 4, 4, RSP + 8, 4, X86_OP_MOV, RSI,
	   SS, false),
	OK("mov %edi,0x0(%ebp)", B(0x89, 0x7d, 0x00), 3, 3, RBP, 4, X86_OP_MOV, RDI, SS, false),
	OK("mov %eax,(%ebx,%ecx,1)", B(0x89, 0x04, 0x0b), 3, 3, RB + RC, 4, X86_OP_MOV, RA, DS,
	   false),
	OK("mov %eax,0x4(%ebx,%ecx,2)", B(0x89, 0x44, 0x4b, 0x04), 4, 4, RB + RC * 2 + 4, 4,
	   X86_OP_MOV, RA, DS, false),
	OK("mov %eax,-0x4(%ebx,%ecx,4)", B(0x89, 0x44, 0x8b, 0xfc), 4, 4, RB + RC * 4 - 4, 4,
	   X86_OP_MOV, RA, DS, false),
	OK("mov %eax,0x1000(%ebx,%ecx,8)", B(0x89, 0x84, 0xcb, 0x00, 0x10, 0x00, 0x00), 7,
	   7, RB + RC * 8 + 0x1000, 4, X86_OP_MOV, RA, DS, false),
	OK("mov %eax,0x1000(,%ecx,8)", B(0x89, 0x04, 0xcd, 0x00, 0x10, 0x00, 0x00), 7,
	   7, RC * 8 + 0x1000, 4, X86_OP_MOV, RA, DS, false),
	OK("mov %eax,0x100(%ebp,%edx,4)", B(0x89, 0x84, 0x95, 0x00, 0x01, 0x00, 0x00), 7,
	   7, RBP + RD * 4 + 0x100, 4, X86_OP_MOV, RA, SS, false),
	OK("mov %eax,0x0(%ebp,%edx,4)", B(0x89, 0x44, 0x95, 0x00), 4, 4, RBP + RD * 4, 4,
	   X86_OP_MOV, RA, SS, false),
	OK("mov %eax,(%ebx,%eiz,8)", B(0x89, 0x04, 0xe3), 3, 3, RB, 4, X86_OP_MOV, RA, DS, false),
	OK("movb $0x5a,(%eax)", B(0xc6, 0x00, 0x5a), 3, 3, RA, 1, X86_OP_MOV, 0x5a, DS, false),
	OK("movl $0x89abcdef,0x10(%ecx)", B(0xc7, 0x41, 0x10, 0xef, 0xcd, 0xab, 0x89), 7,
	   7, RC + 0x10, 4, X86_OP_MOV, 0x89abcdef, DS, false),
	OK("movw $0xbeef,(%edx)", B(0x66, 0xc7, 0x02, 0xef, 0xbe), 5, 5, RD, 2, X86_OP_MOV,
	   0xbeef, DS, false),
	OK("movl $0x11223344,0x55667788(%ebx,%esi,2)",
	   B(0xc7, 0x84, 0x73, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), 11,
	   11, RB + RSI * 2 + 0x55667788, 4, X86_OP_MOV, 0x11223344, DS, false),
	OK("xchg %eax,(%edx)", B(0x87, 0x02), 2, 2, RD, 4, X86_OP_XCHG, RA, DS, false),
	OK("xchg %bl,0x1(%ecx)", B(0x86, 0x59, 0x01), 3, 3, RC + 1, 1, X86_OP_XCHG, 0xb2, DS,
	   false),
	OK("xchg %ch,(%eax)", B(0x86, 0x28), 2, 2, RA, 1, X86_OP_XCHG, 0x77, DS, false),
	OK("xchg %si,(%edi)", B(0x66, 0x87, 0x37), 3, 3, RDI, 2, X86_OP_XCHG, 0x0000, DS, false),
	OK("cmpxchg %ecx,(%ebx)", B(0x0f, 0xb1, 0x0b), 3, 3, RB, 4, X86_OP_CMPXCHG, RC, DS, false),
	OK("lock cmpxchg %ecx,0x8(%ebx)", B(0xf0, 0x0f, 0xb1, 0x4b, 0x08), 5, 5, RB + 8, 4,
	   X86_OP_CMPXCHG, RC, DS, true),
	OK("lock cmpxchg %dl,(%esi)", B(0xf0, 0x0f, 0xb0, 0x16), 4, 4, RSI, 1, X86_OP_CMPXCHG,
	   0x30, DS, true),
	OK("lock cmpxchg %dx,(%esi)", B(0x66, 0xf0, 0x0f, 0xb1, 0x16), 5, 5, RSI, 2,
	   X86_OP_CMPXCHG, 0xb630, DS, true),
	OK("lock cmpxchg %dx,%ss:0x11223344(%ebx,%ecx,4)",
	   B(0x36, 0x66, 0xf0, 0x0f, 0xb1, 0x94, 0x8b, 0x44, 0x33, 0x22, 0x11), 11,
	   11, RB + RC * 4 + 0x11223344, 2, X86_OP_CMPXCHG, 0xb630, SS, true),
	OK("cmpxchg8b (%esi)", B(0x0f, 0xc7, 0x0e), 3, 3, RSI, 8, X86_OP_CMPXCHG8B, 0, DS, false),
	OK("lock cmpxchg8b 0x40(%esi,%eax,8)", B(0xf0, 0x0f, 0xc7, 0x4c, 0xc6, 0x40), 6,
	   6, RSI + RA * 8 + 0x40, 8, X86_OP_CMPXCHG8B, 0, DS, true),
	OK("lock or %eax,(%ebx)", B(0xf0, 0x09, 0x03), 3, 3, RB, 4, X86_OP_OR, RA, DS, true),
	OK("or %cl,(%ebx)", B(0x08, 0x0b), 2, 2, RB, 1, X86_OP_OR, 0x10, DS, false),
	OK("lock and %edx,0x4(%ecx)", B(0xf0, 0x21, 0x51, 0x04), 4, 4, RC + 4, 4, X86_OP_AND,
	   RD, DS, true),
	OK("and %dh,(%ecx)", B(0x20, 0x31), 2, 2, RC, 1, X86_OP_AND, 0xb6, DS, false),
	OK("lock orb $0x40,0x3(%eax)", B(0xf0, 0x80, 0x48, 0x03, 0x40), 5, 5, RA + 3, 1,
	   X86_OP_OR, 0x40, DS, true),
	OK("lock andb $0xbf,0x3(%eax)", B(0xf0, 0x80, 0x60, 0x03, 0xbf), 5, 5, RA + 3, 1,
	   X86_OP_AND, 0xbf, DS, true),
	OK("orl $0x12345678,(%eax)", B(0x81, 0x08, 0x78, 0x56, 0x34, 0x12), 6, 6, RA, 4,
	   X86_OP_OR, 0x12345678, DS, false),
	OK("andl $0xfffff000,(%eax)", B(0x81, 0x20, 0x00, 0xf0, 0xff, 0xff), 6, 6, RA, 4,
	   X86_OP_AND, 0xfffff000, DS, false),
	OK("orl $0xfffffffe,(%eax)", B(0x83, 0x08, 0xfe), 3, 3, RA, 4, X86_OP_OR, 0xfffffffe,
	   DS, false),
	OK("andl $0x7f,(%eax)", B(0x83, 0x20, 0x7f), 3, 3, RA, 4, X86_OP_AND, 0x7f, DS, false),
	OK("andw $0xfffe,(%eax)", B(0x66, 0x83, 0x20, 0xfe), 4, 4, RA, 2, X86_OP_AND, 0xfffe,
	   DS, false),
	OK("orw $0x8001,(%eax)", B(0x66, 0x81, 0x08, 0x01, 0x80), 5, 5, RA, 2, X86_OP_OR,
	   0x8001, DS, false),
	OK("orl $0x1,(%ebx,%eiz,1)", B(0x83, 0x0c, 0x23, 0x01), 4, 4, RB, 4, X86_OP_OR, 1, DS,
	   false),
	OK("lock btsl $0x5,(%edx)", B(0xf0, 0x0f, 0xba, 0x2a, 0x05), 5, 5, RD, 4, X86_OP_BTS, 0,
	   DS, true),
	OK("lock btrl $0x1,0x4(%edx)", B(0xf0, 0x0f, 0xba, 0x72, 0x04, 0x01), 6, 6, RD + 4, 4,
	   X86_OP_BTR, 0, DS, true),
	OK("btrw $0xf,(%edx)", B(0x66, 0x0f, 0xba, 0x32, 0x0f), 5, 5, RD, 2, X86_OP_BTR, 0, DS,
	   false),
	OK("btsl $0x25,(%edx)", B(0x0f, 0xba, 0x2a, 0x25), 4, 4, RD, 4, X86_OP_BTS, 0, DS, false),
	OK("stos %al,%es:(%edi)", B(0xaa), 1, 1, RDI, 1, X86_OP_STOS, 0xc3, ES, false),
	OK("stos %eax,%es:(%edi)", B(0xab), 1, 1, RDI, 4, X86_OP_STOS, RA, ES, false),
	OK("stos %ax,%es:(%edi)", B(0x66, 0xab), 2, 2, RDI, 2, X86_OP_STOS, 0xa5c3, ES, false),
	OK("ds stos %eax,%es:(%edi)", B(0x3e, 0xab), 2, 2, RDI, 4, X86_OP_STOS, RA, ES, false),
	OK("lock xchg %eax,%ss:(%ebx)", B(0x36, 0xf0, 0x87, 0x03), 4, 4, RB, 4, X86_OP_XCHG, RA,
	   SS, true),
	OK("mov %eax,%es:(%ebx)", B(0x26, 0x89, 0x03), 3, 3, RB, 4, X86_OP_MOV, RA, ES, false),
	OK("mov %eax,%ds:(%ebx)", B(0x3e, 0x89, 0x03), 3, 3, RB, 4, X86_OP_MOV, RA, DS, false),
	OK("mov %eax,%ds:0x8(%ebp)", B(0x3e, 0x89, 0x45, 0x08), 4, 4, RBP + 8, 4, X86_OP_MOV,
	   RA, DS, false),
	OK("13 x 66; mov %ax,(%ebx)", B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	   0x66, 0x66, 0x66, 0x89, 0x03), 15, 15, RB, 2, X86_OP_MOV, 0xa5c3, DS, false),
	OK("4 prefixes; movl $imm,disp32(%ebx,%esi,2)", B(0x3e, 0x66, 0x66, 0x36, 0xc7, 0x84, 0x73,
	   0x88, 0x77, 0x66, 0x55, 0x44, 0x33), 13, 13, RB + RSI * 2 + 0x55667788, 2,
	   X86_OP_MOV, 0x3344, SS, false),

	BAD("mov %eax,%ebx (register)", B(0x89, 0xc3), 2, -XEN_EOPNOTSUPP),
	BAD("movb $0x5a,%al (register)", B(0xc6, 0xc0, 0x5a), 3, -XEN_EOPNOTSUPP),
	BAD("xchg %eax,%eax (register)", B(0x87, 0xc0), 2, -XEN_EOPNOTSUPP),
	BAD("c6 /1", B(0xc6, 0x08, 0x5a), 3, -XEN_EOPNOTSUPP),
	BAD("c7 /7", B(0xc7, 0x38, 1, 2, 3, 4), 6, -XEN_EOPNOTSUPP),
	BAD("adcb $1,(%eax)", B(0x80, 0x10, 0x01), 3, -XEN_EOPNOTSUPP),
	BAD("xorl $1,(%eax)", B(0x83, 0x30, 0x01), 3, -XEN_EOPNOTSUPP),
	BAD("82 /1 (alias of 80)", B(0x82, 0x08, 0x01), 3, -XEN_EOPNOTSUPP),
	BAD("add %eax,(%ebx)", B(0x01, 0x03), 2, -XEN_EOPNOTSUPP),
	BAD("nop", B(0x90), 1, -XEN_EOPNOTSUPP),
	BAD("btl $5,(%edx)", B(0x0f, 0xba, 0x22, 0x05), 4, -XEN_EOPNOTSUPP),
	BAD("btcl $5,(%edx)", B(0x0f, 0xba, 0x3a, 0x05), 4, -XEN_EOPNOTSUPP),
	BAD("lock bts %ecx,(%eax), ecx 0x7710", B(0xf0, 0x0f, 0xab, 0x08), 4, -XEN_EOPNOTSUPP),
	BAD("bts %cx,(%eax), cx 0x7710", B(0x66, 0x0f, 0xab, 0x08), 4, -XEN_EOPNOTSUPP),
	BAD("0f c7 /1 register form", B(0x0f, 0xc7, 0xc8), 3, -XEN_EOPNOTSUPP),
	BAD("0f c7 /6 (vmptrld-like)", B(0x0f, 0xc7, 0x36), 3, -XEN_EOPNOTSUPP),
	BAD("66 cmpxchg8b", B(0x66, 0x0f, 0xc7, 0x0e), 4, -XEN_EOPNOTSUPP),
	BAD("0f 05", B(0x0f, 0x05), 2, -XEN_EOPNOTSUPP),
	BAD("lock mov", B(0xf0, 0x89, 0x03), 3, -XEN_EOPNOTSUPP),
	BAD("lock movl $imm", B(0xf0, 0xc7, 0x00, 1, 2, 3, 4), 7, -XEN_EOPNOTSUPP),
	BAD("lock stosb", B(0xf0, 0xaa), 2, -XEN_EOPNOTSUPP),
	BAD("rep stos", B(0xf3, 0xab), 2, -XEN_EOPNOTSUPP),
	BAD("repne stos", B(0xf2, 0xab), 2, -XEN_EOPNOTSUPP),
	BAD("addr16 mov", B(0x67, 0x89, 0x07), 3, -XEN_EOPNOTSUPP),
	BAD("mov %eax,%fs:(%ebx)", B(0x64, 0x89, 0x03), 3, -XEN_EOPNOTSUPP),
	BAD("mov %eax,%gs:(%ebx)", B(0x65, 0x89, 0x03), 3, -XEN_EOPNOTSUPP),
	BAD("mov %eax,%cs:(%ebx)", B(0x2e, 0x89, 0x03), 3, -XEN_EOPNOTSUPP),
	BAD("14 x 66; mov (16 bytes)", B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	    0x66, 0x66, 0x66, 0x66, 0x89, 0x03), 16, -XEN_EINVAL),
	BAD("16 x 66", B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	    0x66, 0x66, 0x66, 0x66, 0x66, 0x66), 16, -XEN_EINVAL),
	BAD("5 prefixes; 11-byte movl (16 bytes)", B(0x3e, 0x36, 0x26, 0x3e, 0x36, 0xc7, 0x84,
	    0x73, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), 16, -XEN_EINVAL),
	BAD("empty", B(0), 0, -XEN_EINVAL),
};

static void check_one_decode(const struct decode_case *t)
{
	struct x86_mem_write w;
	uint8_t buf[32];
	uint32_t avail;
	int rc;

	/* Trailing bytes past n that would change the result if read. */
	memset(buf, 0x89, sizeof(buf));
	memcpy(buf, t->b, t->n);
	rc = x86_emul_decode(buf, t->n, &base_regs, &w);
	if (rc != t->rc)
		fprintf(stderr, "case \"%s\": rc %d\n", t->name, rc);
	CHECK_EQ(rc, t->rc);
	if (t->rc != 0 || rc != 0)
		return;
	CHECK_EQ(w.len, t->len);
	CHECK_EQ(w.addr, t->addr);
	CHECK_EQ(w.size, t->size);
	CHECK_EQ(w.op, t->op);
	if (t->op != X86_OP_BTS && t->op != X86_OP_BTR && t->op != X86_OP_CMPXCHG8B)
		CHECK_EQ(w.src, t->src);
	CHECK_EQ(w.seg, t->seg);
	CHECK_EQ(w.lock, t->lock);
	CHECK_EQ(w.atomic, t->lock || t->op == X86_OP_XCHG);
	/* With more bytes available the answer is the same ... */
	CHECK_EQ(x86_emul_decode(buf, sizeof(buf), &base_regs, &w), 0);
	CHECK_EQ(w.len, t->len);
	/* ... and with any fewer it is truncated. */
	for (avail = 0; avail < t->len; avail++)
		CHECK_EQ(x86_emul_decode(buf, avail, &base_regs, &w), -XEN_EINVAL);
}

static void test_decode_table(void)
{
	size_t i, ok = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		check_one_decode(&cases[i]);
		ok += cases[i].rc == 0;
	}
	CHECK(ok >= 40);
	CHECK_EQ(x86_emul_decode(NULL, 0, &base_regs,
				 &(struct x86_mem_write){ 0 }), -XEN_EINVAL);
}

/* Bit numbers: immediates wrap at the operand size, registers must fit. */
static void test_bit_offsets(void)
{
	static const uint8_t bts32[] = { 0xf0, 0x0f, 0xab, 0x08 };	/* lock bts %ecx,(%eax) */
	static const uint8_t btr16[] = { 0x66, 0x0f, 0xb3, 0x08 };	/* btr %cx,(%eax) */
	static const uint8_t bts_imm[] = { 0x0f, 0xba, 0x2a, 0x25 };	/* btsl $0x25,(%edx) */
	static const uint8_t btr_imm16[] = { 0x66, 0x0f, 0xba, 0x32, 0x1f }; /* btrw $0x1f */
	struct x86_emul_regs r = base_regs;
	struct x86_mem_write w;

	r.r[X86_ECX] = 31;
	CHECK_EQ(x86_emul_decode(bts32, 4, &r, &w), 0);
	CHECK_EQ(w.bit, 31);
	CHECK_EQ(w.op, X86_OP_BTS);
	CHECK_EQ(w.addr, RA);
	r.r[X86_ECX] = 32;
	CHECK_EQ(x86_emul_decode(bts32, 4, &r, &w), -XEN_EOPNOTSUPP);
	r.r[X86_ECX] = 0xffffffff;	/* -1: the word below */
	CHECK_EQ(x86_emul_decode(bts32, 4, &r, &w), -XEN_EOPNOTSUPP);
	r.r[X86_ECX] = 0xffff0003;	/* 16-bit form reads only cx = 3 */
	CHECK_EQ(x86_emul_decode(btr16, 4, &r, &w), 0);
	CHECK_EQ(w.bit, 3);
	CHECK_EQ(w.size, 2);
	CHECK_EQ(w.op, X86_OP_BTR);
	r.r[X86_ECX] = 16;
	CHECK_EQ(x86_emul_decode(btr16, 4, &r, &w), -XEN_EOPNOTSUPP);
	r.r[X86_ECX] = 0x8000;		/* cx negative */
	CHECK_EQ(x86_emul_decode(btr16, 4, &r, &w), -XEN_EOPNOTSUPP);
	CHECK_EQ(x86_emul_decode(bts_imm, 4, &r, &w), 0);
	CHECK_EQ(w.bit, 5);		/* 0x25 mod 32 */
	CHECK_EQ(x86_emul_decode(btr_imm16, 5, &r, &w), 0);
	CHECK_EQ(w.bit, 15);		/* 0x1f mod 16 */
}

/* Decode b with r, then execute against old. */
static void run(const uint8_t *b, uint32_t n, const struct x86_emul_regs *r,
		uint64_t old, uint64_t *val, bool *store, struct x86_emul_regs *out)
{
	uint32_t eip = r->eip;	/* out may be r */
	struct x86_mem_write w;

	CHECK_EQ(x86_emul_decode(b, n, r, &w), 0);
	x86_emul_execute(&w, r, old, val, store, out);
	CHECK_EQ(out->eip, eip + n);
}

static void test_exec_mov_xchg(void)
{
	static const uint8_t mov[] = { 0x89, 0x03 };
	static const uint8_t xchg_ch[] = { 0x86, 0x28 };
	static const uint8_t xchg_si[] = { 0x66, 0x87, 0x37 };
	static const uint8_t xchg_eax[] = { 0x87, 0x02 };
	struct x86_emul_regs r = base_regs, o;
	uint64_t val;
	bool store;

	run(mov, 2, &r, 0xffffffffffffffffull, &val, &store, &o);
	CHECK(store);
	CHECK_EQ(val, RA);
	CHECK(memcmp(o.r, r.r, sizeof(r.r)) == 0);
	CHECK_EQ(o.eflags, r.eflags);
	run(xchg_ch, 2, &r, 0x1234, &val, &store, &o);
	CHECK_EQ(val, 0x77);
	CHECK_EQ(o.r[X86_ECX], 0x00003410);
	CHECK_EQ(o.r[X86_EAX], RA);
	r.r[X86_ESI] = 0xaaaa1111;
	run(xchg_si, 3, &r, 0xdead5555, &val, &store, &o);
	CHECK_EQ(val, 0x1111);
	CHECK_EQ(o.r[X86_ESI], 0xaaaa5555);
	/* regs_out may be regs itself. */
	o = r;
	run(xchg_eax, 2, &o, 0xdeadbeef, &val, &store, &o);
	CHECK_EQ(val, RA);
	CHECK_EQ(o.r[X86_EAX], 0xdeadbeef);
	CHECK_EQ(o.eip, REIP + 2);
}

static void test_exec_cmpxchg(void)
{
	static const uint8_t cx32[] = { 0xf0, 0x0f, 0xb1,
		0x0b };	/* lock cmpxchg %ecx,(%ebx) */
	static const uint8_t cx8[] = { 0x0f, 0xb0, 0x16 };		/* cmpxchg %dl,(%esi) */
	struct x86_emul_regs r = base_regs, o;
	uint64_t val;
	bool store;

	run(cx32, 4, &r, RA, &val, &store, &o);
	CHECK(store);
	CHECK_EQ(val, RC);
	CHECK_EQ(o.r[X86_EAX], RA);
	CHECK_EQ(o.eflags & 0x8d5, X86_EFLAGS_ZF | X86_EFLAGS_PF);
	r.r[X86_EAX] = 1;
	run(cx32, 4, &r, 2, &val, &store, &o);	/* 1 - 2 */
	CHECK(!store);
	CHECK_EQ(o.r[X86_EAX], 2);
	CHECK_EQ(o.eflags & 0x8d5, X86_EFLAGS_CF | X86_EFLAGS_SF | X86_EFLAGS_AF |
		 X86_EFLAGS_PF);
	r.r[X86_EAX] = 0x12345680;
	run(cx8, 3, &r, 0xff01, &val, &store, &o);	/* al 0x80 - 0x01 */
	CHECK(!store);
	CHECK_EQ(o.r[X86_EAX], 0x12345601);
	CHECK_EQ(o.eflags & 0x8d5, X86_EFLAGS_OF | X86_EFLAGS_AF);
	r.r[X86_EAX] = 0x12345601;
	run(cx8, 3, &r, 0xff01, &val, &store, &o);
	CHECK(store);
	CHECK_EQ(val, 0x30);
	CHECK_EQ(o.r[X86_EAX], 0x12345601);
}

static void test_exec_cmpxchg8b(void)
{
	static const uint8_t c8b[] = { 0xf0, 0x0f, 0xc7, 0x0e };	/* lock cmpxchg8b (%esi) */
	struct x86_emul_regs r = base_regs, o;
	uint64_t val;
	bool store;

	r.r[X86_EDX] = 0x00000001;
	r.r[X86_EAX] = 0x23456067;
	r.r[X86_ECX] = 0x80000002;
	r.r[X86_EBX] = 0x34567067;
	r.eflags = 0x202 | X86_EFLAGS_CF;
	run(c8b, 4, &r, 0x0000000123456067ull, &val, &store, &o);
	CHECK(store);
	CHECK_EQ(val, 0x8000000234567067ull);
	CHECK(o.eflags & X86_EFLAGS_ZF);
	CHECK(o.eflags & X86_EFLAGS_CF);	/* untouched */
	CHECK(memcmp(o.r, r.r, sizeof(r.r)) == 0);
	r.eflags |= X86_EFLAGS_ZF;
	run(c8b, 4, &r, 0x0000000223456067ull, &val, &store, &o);
	CHECK(!store);
	CHECK(!(o.eflags & X86_EFLAGS_ZF));
	CHECK_EQ(o.r[X86_EAX], 0x23456067);
	CHECK_EQ(o.r[X86_EDX], 2);
	CHECK_EQ(o.r[X86_ECX], 0x80000002);
	CHECK_EQ(o.r[X86_EBX], 0x34567067);
}

static void test_exec_logic_bits(void)
{
	static const uint8_t andb[] = { 0xf0, 0x80, 0x60, 0x03, 0xbf };	/* lock andb $0xbf */
	static const uint8_t orw[] = { 0x66, 0x81, 0x08, 0x01, 0x80 };	/* orw $0x8001 */
	static const uint8_t btr[] = { 0xf0, 0x0f, 0xba, 0x72, 0x04, 0x01 }; /* btrl $1 */
	static const uint8_t bts[] = { 0x0f, 0xba, 0x2a, 0x25 };		/* btsl $0x25 */
	struct x86_emul_regs r = base_regs, o;
	uint64_t val;
	bool store;

	r.eflags = 0x202 | X86_EFLAGS_CF | X86_EFLAGS_OF | X86_EFLAGS_AF;
	run(andb, 5, &r, 0x40, &val, &store, &o);
	CHECK_EQ(val, 0);
	CHECK_EQ(o.eflags & 0x8d5, X86_EFLAGS_ZF | X86_EFLAGS_PF);
	run(orw, 5, &r, 0xffff0002, &val, &store, &o);
	CHECK_EQ(val, 0x8003);
	CHECK_EQ(o.eflags & 0x8d5, X86_EFLAGS_SF | X86_EFLAGS_PF);
	r.eflags = 0x202 | X86_EFLAGS_ZF;
	run(btr, 6, &r, 0x00000067, &val, &store, &o);
	CHECK(store);
	CHECK_EQ(val, 0x00000065);
	CHECK_EQ(o.eflags, 0x202 | X86_EFLAGS_ZF | X86_EFLAGS_CF);
	run(btr, 6, &r, 0x00000065, &val, &store, &o);
	CHECK_EQ(val, 0x00000065);
	CHECK_EQ(o.eflags, 0x202 | X86_EFLAGS_ZF);
	run(bts, 4, &r, 0x80000000, &val, &store, &o);
	CHECK_EQ(val, 0x80000020);
	CHECK(!(o.eflags & X86_EFLAGS_CF));
}

static void test_exec_stos(void)
{
	static const uint8_t stosl[] = { 0xab };
	static const uint8_t stosw[] = { 0x66, 0xab };
	struct x86_emul_regs r = base_regs, o;
	uint64_t val;
	bool store;

	run(stosl, 1, &r, 0, &val, &store, &o);
	CHECK_EQ(val, RA);
	CHECK_EQ(o.r[X86_EDI], RDI + 4);
	r.eflags |= X86_EFLAGS_DF;
	run(stosw, 2, &r, 0, &val, &store, &o);
	CHECK_EQ(val, 0xa5c3);
	CHECK_EQ(o.r[X86_EDI], RDI - 2);
	CHECK_EQ(o.eip, REIP + 2);
}

#if defined(__x86_64__) || defined(__i386__)
/*
 * The CPU as the reference.  EFLAGS is read with pushf; on x86-64 the
 * stack pointer first steps over the red zone the compiler may be using.
 */
#ifdef __x86_64__
#define READ_FLAGS	"lea -128(%%rsp), %%rsp\n\tpushfq\n\tpopq %q1\n\tlea 128(%%rsp), %%rsp"
#else
#define READ_FLAGS	"pushfl\n\tpopl %1"
#endif

#define HW_RMW(name, type, insn)					\
static unsigned long name(type *mem, type src)				\
{									\
	unsigned long fl;						\
									\
	__asm__ volatile(insn " %2, %0\n\t" READ_FLAGS			\
			 : "+m"(*mem), "=&r"(fl) : "q"(src) : "cc", "memory"); \
	return fl;							\
}

#define HW_CMPXCHG(name, type, insn)					\
static unsigned long name(type *mem, type *acc, type src)		\
{									\
	unsigned long fl;						\
									\
	__asm__ volatile("lock " insn " %3, %0\n\t" READ_FLAGS		\
			 : "+m"(*mem), "=&r"(fl), "+a"(*acc) : "q"(src)	\
			 : "cc", "memory");				\
	return fl;							\
}

HW_RMW(hw_or8, uint8_t, "orb")
HW_RMW(hw_or16, uint16_t, "orw")
HW_RMW(hw_or32, uint32_t, "orl")
HW_RMW(hw_and8, uint8_t, "andb")
HW_RMW(hw_and16, uint16_t, "andw")
HW_RMW(hw_and32, uint32_t, "andl")
HW_RMW(hw_bts16, uint16_t, "btsw")
HW_RMW(hw_bts32, uint32_t, "btsl")
HW_RMW(hw_btr16, uint16_t, "btrw")
HW_RMW(hw_btr32, uint32_t, "btrl")
HW_CMPXCHG(hw_cmpxchg8, uint8_t, "cmpxchgb")
HW_CMPXCHG(hw_cmpxchg16, uint16_t, "cmpxchgw")
HW_CMPXCHG(hw_cmpxchg32, uint32_t, "cmpxchgl")

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* Mostly random, sometimes a value at an edge. */
static uint32_t rnd_operand(void)
{
	static const uint32_t edge[] = { 0, 0xffffffff, 0x80000000, 0x7fffffff,
					 0x80, 0x7f, 0x8000, 0x7fff, 1 };

	if (rnd() % 4 == 0)
		return edge[rnd() % (sizeof(edge) / sizeof(edge[0]))];
	return rnd();
}

/* Execute on the CPU: *mem is updated, *acc for cmpxchg; returns EFLAGS. */
static unsigned long hw_exec(enum x86_emul_op op, uint32_t size, uint32_t *mem,
			     uint32_t src, uint32_t *acc)
{
	uint8_t m8 = (uint8_t)*mem, a8 = (uint8_t)*acc;
	uint16_t m16 = (uint16_t)*mem, a16 = (uint16_t)*acc;
	unsigned long fl = 0;

	switch (op * 8 + size) {
	case X86_OP_OR * 8 + 1: fl = hw_or8(&m8, (uint8_t)src); break;
	case X86_OP_OR * 8 + 2: fl = hw_or16(&m16, (uint16_t)src); break;
	case X86_OP_OR * 8 + 4: fl = hw_or32(mem, src); break;
	case X86_OP_AND * 8 + 1: fl = hw_and8(&m8, (uint8_t)src); break;
	case X86_OP_AND * 8 + 2: fl = hw_and16(&m16, (uint16_t)src); break;
	case X86_OP_AND * 8 + 4: fl = hw_and32(mem, src); break;
	case X86_OP_BTS * 8 + 2: fl = hw_bts16(&m16, (uint16_t)src); break;
	case X86_OP_BTS * 8 + 4: fl = hw_bts32(mem, src); break;
	case X86_OP_BTR * 8 + 2: fl = hw_btr16(&m16, (uint16_t)src); break;
	case X86_OP_BTR * 8 + 4: fl = hw_btr32(mem, src); break;
	case X86_OP_CMPXCHG * 8 + 1: fl = hw_cmpxchg8(&m8, &a8, (uint8_t)src); break;
	case X86_OP_CMPXCHG * 8 + 2: fl = hw_cmpxchg16(&m16, &a16, (uint16_t)src); break;
	case X86_OP_CMPXCHG * 8 + 4: fl = hw_cmpxchg32(mem, acc, src); break;
	default: CHECK(0);
	}
	if (size == 1) {
		*mem = m8;
		*acc = (*acc & ~0xffu) | a8;
	} else if (size == 2) {
		*mem = m16;
		*acc = (*acc & ~0xffffu) | a16;
	}
	return fl;
}

/* The encoding of "op %eax/%ecx,(%ebx)" at a size, and the defined flags. */
static uint32_t encode(enum x86_emul_op op, uint32_t size, uint8_t *b,
		       uint32_t *defined)
{
	uint32_t n = 0;

	if (size == 2)
		b[n++] = 0x66;
	switch (op) {
	case X86_OP_OR: case X86_OP_AND:
		b[n++] = (op == X86_OP_OR ? 0x08 : 0x20) | (size > 1);
		b[n++] = 0x03;		/* %eax,(%ebx) */
		*defined = 0x8c5;	/* AF is undefined */
		return n;
	case X86_OP_CMPXCHG:
		b[n++] = 0x0f;
		b[n++] = size > 1 ? 0xb1 : 0xb0;
		b[n++] = 0x0b;		/* %ecx,(%ebx) */
		*defined = 0x8d5;
		return n;
	default:
		b[n++] = 0x0f;
		b[n++] = op == X86_OP_BTS ? 0xab : 0xb3;
		b[n++] = 0x0b;		/* %ecx,(%ebx) */
		*defined = X86_EFLAGS_CF;
		return n;
	}
}

static void cross_check_one(enum x86_emul_op op, uint32_t size)
{
	struct x86_emul_regs r = base_regs, o;
	uint32_t mask = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
	uint32_t old = rnd_operand(), src = rnd_operand(), acc = rnd_operand();
	uint32_t defined, n, mem, hw_acc;
	unsigned long fl;
	uint8_t b[4];
	uint64_t val;
	bool store;

	if (op == X86_OP_BTS || op == X86_OP_BTR)
		src = rnd() % (size * 8);
	if (op == X86_OP_CMPXCHG && rnd() % 2)
		acc = (acc & ~mask) | (old & mask);
	n = encode(op, size, b, &defined);
	r.r[X86_EAX] = op == X86_OP_CMPXCHG ? acc : src;
	r.r[X86_ECX] = src;
	run(b, n, &r, old, &val, &store, &o);
	mem = old & mask;
	hw_acc = acc;
	fl = hw_exec(op, size, &mem, src, &hw_acc);
	CHECK_EQ(store ? (uint32_t)val : old & mask, mem & mask);
	CHECK_EQ(o.eflags & defined, (uint32_t)fl & defined);
	if (op == X86_OP_CMPXCHG)
		CHECK_EQ(o.r[X86_EAX], hw_acc);
}

static void test_against_cpu(void)
{
	static const enum x86_emul_op ops[] = {
		X86_OP_OR, X86_OP_AND, X86_OP_CMPXCHG, X86_OP_BTS, X86_OP_BTR
	};
	unsigned int i, k;

	for (i = 0; i < 20000; i++) {
		for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
			bool bit_op = ops[k] == X86_OP_BTS || ops[k] == X86_OP_BTR;

			/* bts/btr have no byte form */
			cross_check_one(ops[k], bit_op ? 2u << (rnd() % 2) : 1u << (rnd() % 3));
		}
	}
}
#else
static void test_against_cpu(void)
{
}
#endif

int main(void)
{
	test_decode_table();
	test_bit_offsets();
	test_exec_mov_xchg();
	test_exec_cmpxchg();
	test_exec_cmpxchg8b();
	test_exec_logic_bits();
	test_exec_stos();
	test_against_cpu();
	return check_done();
}
