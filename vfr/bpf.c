/*
 * bpf.c - classic-BPF validation and interpretation for capture filters.
 *
 * Interface: see bpf.h.  vfr_bpf_validate() is a single pass over the
 * program that checks each instruction against an exact list of the
 * opcodes libpcap emits; vfr_bpf_run() is a switch over the same list.
 *
 * Invariants: the interpreter trusts only what validation established
 * (known opcode, scratch index < 16, jump targets inside the program and
 * forward, no division by constant 0, last instruction a RET); everything
 * that depends on the frame (load offsets, X as a divisor or shift count)
 * is checked at run time.  The scratch memory starts zeroed on every run so
 * that nothing leaks from one frame into the next.
 */
#include "bpf.h"

/* Loads at negative offsets are Linux's ancillary-data extensions. */
static bool is_extension_offset(uint32_t k)
{
	return (int32_t)k < 0;
}

static const char *check_ld(const struct vfr_bpf_insn *in)
{
	switch (in->code) {
	case VFR_BPF_LD | VFR_BPF_W | VFR_BPF_ABS:
	case VFR_BPF_LD | VFR_BPF_H | VFR_BPF_ABS:
	case VFR_BPF_LD | VFR_BPF_B | VFR_BPF_ABS:
	case VFR_BPF_LD | VFR_BPF_W | VFR_BPF_IND:
	case VFR_BPF_LD | VFR_BPF_H | VFR_BPF_IND:
	case VFR_BPF_LD | VFR_BPF_B | VFR_BPF_IND:
		if (is_extension_offset(in->k))
			return "extension load (negative offset) refused";
		return NULL;
	case VFR_BPF_LD | VFR_BPF_W | VFR_BPF_LEN:
	case VFR_BPF_LD | VFR_BPF_W | VFR_BPF_IMM:
		return NULL;
	case VFR_BPF_LD | VFR_BPF_W | VFR_BPF_MEM:
		return in->k < VFR_BPF_MEMWORDS ? NULL :
		       "scratch memory index out of range";
	}
	return "unknown load opcode";
}

static const char *check_ldx(const struct vfr_bpf_insn *in)
{
	switch (in->code) {
	case VFR_BPF_LDX | VFR_BPF_W | VFR_BPF_IMM:
	case VFR_BPF_LDX | VFR_BPF_W | VFR_BPF_LEN:
		return NULL;
	case VFR_BPF_LDX | VFR_BPF_W | VFR_BPF_MEM:
		return in->k < VFR_BPF_MEMWORDS ? NULL :
		       "scratch memory index out of range";
	case VFR_BPF_LDX | VFR_BPF_B | VFR_BPF_MSH:
		if (is_extension_offset(in->k))
			return "extension load (negative offset) refused";
		return NULL;
	}
	return "unknown ldx opcode";
}

static const char *check_alu(const struct vfr_bpf_insn *in)
{
	uint16_t op = VFR_BPF_OP(in->code);

	if (in->code > 0xff)
		return "unknown alu opcode";
	switch (op) {
	case VFR_BPF_ADD: case VFR_BPF_SUB: case VFR_BPF_MUL:
	case VFR_BPF_OR: case VFR_BPF_AND: case VFR_BPF_XOR:
		return NULL;
	case VFR_BPF_DIV:
	case VFR_BPF_MOD:
		if (VFR_BPF_SRC(in->code) == VFR_BPF_K && in->k == 0)
			return "division or modulo by constant 0";
		return NULL;
	case VFR_BPF_LSH:
	case VFR_BPF_RSH:
		if (VFR_BPF_SRC(in->code) == VFR_BPF_K && in->k >= 32)
			return "shift by 32 or more";
		return NULL;
	case VFR_BPF_NEG:
		return VFR_BPF_SRC(in->code) == VFR_BPF_K ? NULL :
		       "unknown alu opcode";
	}
	return "unknown alu opcode";
}

/* Jump offsets are unsigned, so every target is forward; it must exist. */
static const char *check_jmp(const struct vfr_bpf_insn *in, uint32_t pc,
			     uint32_t n)
{
	uint32_t room = n - pc - 1;	/* instructions after this one */

	if (in->code > 0xff)
		return "unknown jump opcode";
	switch (VFR_BPF_OP(in->code)) {
	case VFR_BPF_JA:
		if (VFR_BPF_SRC(in->code) != VFR_BPF_K)
			return "unknown jump opcode";
		return in->k < room ? NULL : "jump out of range";
	case VFR_BPF_JEQ: case VFR_BPF_JGT:
	case VFR_BPF_JGE: case VFR_BPF_JSET:
		if (in->jt >= room || in->jf >= room)
			return "jump out of range";
		return NULL;
	}
	return "unknown jump opcode";
}

static const char *check_insn(const struct vfr_bpf_insn *in, uint32_t pc,
			      uint32_t n)
{
	switch (VFR_BPF_CLASS(in->code)) {
	case VFR_BPF_LD:
		return check_ld(in);
	case VFR_BPF_LDX:
		return check_ldx(in);
	case VFR_BPF_ST:
	case VFR_BPF_STX:
		if (in->code != VFR_BPF_ST && in->code != VFR_BPF_STX)
			return "unknown store opcode";
		return in->k < VFR_BPF_MEMWORDS ? NULL :
		       "scratch memory index out of range";
	case VFR_BPF_ALU:
		return check_alu(in);
	case VFR_BPF_JMP:
		return check_jmp(in, pc, n);
	case VFR_BPF_RET:
		if (in->code != (VFR_BPF_RET | VFR_BPF_K) &&
		    in->code != (VFR_BPF_RET | VFR_BPF_A))
			return "unknown ret opcode";
		return NULL;
	default:	/* VFR_BPF_MISC */
		if (in->code != (VFR_BPF_MISC | VFR_BPF_TAX) &&
		    in->code != (VFR_BPF_MISC | VFR_BPF_TXA))
			return "unknown misc opcode";
		return NULL;
	}
}

int vfr_bpf_validate(const struct vfr_bpf_insn *insns, uint32_t n,
		     struct vfr_bpf_error *err)
{
	const char *why = NULL;
	uint32_t pc = 0;

	if (insns == NULL || n == 0 || n > VFR_BPF_MAXINSNS) {
		why = "program length not in 1..4096";
		goto refused;
	}
	for (pc = 0; pc < n; pc++) {
		why = check_insn(&insns[pc], pc, n);
		if (why)
			goto refused;
	}
	pc = n - 1;
	if (VFR_BPF_CLASS(insns[pc].code) != VFR_BPF_RET) {
		why = "last instruction is not a ret";
		goto refused;
	}
	return 0;
refused:
	if (err) {
		err->pc = pc;
		err->why = why;
	}
	return -VFR_EINVAL;
}

int vfr_bpf_load(struct vfr_bpf_prog *prog, struct vfr_bpf_insn *storage,
		 uint32_t cap, const struct vfr_bpf_insn *src, uint32_t n,
		 struct vfr_bpf_error *err)
{
	int rc;

	vfr_bpf_unload(prog);
	if (n > cap || storage == NULL) {
		if (err) {
			err->pc = 0;
			err->why = "program larger than the storage given";
		}
		return -VFR_ENOSPC;
	}
	if (src == NULL || n == 0)
		return vfr_bpf_validate(src, n, err);
	memcpy(storage, src, (size_t)n * sizeof(*storage));
	rc = vfr_bpf_validate(storage, n, err);
	if (rc)
		return rc;
	prog->insns = storage;
	prog->len = n;
	return 0;
}

void vfr_bpf_unload(struct vfr_bpf_prog *prog)
{
	prog->insns = NULL;
	prog->len = 0;
}

/*
 * Fetch `size` (1, 2 or 4) big-endian bytes at offset `off` (which may be
 * X + k, hence 64 bits).  false when any byte lies beyond the capture.
 */
static bool load_bytes(const uint8_t *pkt, uint32_t buflen, uint64_t off,
		       uint32_t size, uint32_t *out)
{
	uint32_t v = 0;
	uint32_t i;

	if (off + size > buflen)
		return false;
	for (i = 0; i < size; i++)
		v = (v << 8) | pkt[off + i];
	*out = v;
	return true;
}

static uint32_t size_bytes(uint16_t code)
{
	switch (VFR_BPF_SIZE(code)) {
	case VFR_BPF_W:
		return 4;
	case VFR_BPF_H:
		return 2;
	default:
		return 1;
	}
}

/* One ALU step.  false ends the program with 0 (division by X == 0). */
static bool alu(uint16_t code, uint32_t *a, uint32_t k, uint32_t x)
{
	uint32_t v = VFR_BPF_SRC(code) == VFR_BPF_X ? x : k;

	switch (VFR_BPF_OP(code)) {
	case VFR_BPF_ADD: *a += v; break;
	case VFR_BPF_SUB: *a -= v; break;
	case VFR_BPF_MUL: *a *= v; break;
	case VFR_BPF_OR:  *a |= v; break;
	case VFR_BPF_AND: *a &= v; break;
	case VFR_BPF_XOR: *a ^= v; break;
	case VFR_BPF_NEG: *a = 0u - *a; break;
	case VFR_BPF_DIV:
	case VFR_BPF_MOD:
		if (v == 0)
			return false;
		*a = VFR_BPF_OP(code) == VFR_BPF_DIV ? *a / v : *a % v;
		break;
	case VFR_BPF_LSH:	/* a count of 32+ (only X can be) gives 0 */
		*a = v < 32 ? *a << v : 0;
		break;
	case VFR_BPF_RSH:
		*a = v < 32 ? *a >> v : 0;
		break;
	}
	return true;
}

/* Next pc after a jump at pc; validation made every target exist. */
static uint32_t jump(const struct vfr_bpf_insn *in, uint32_t pc, uint32_t a,
		     uint32_t x)
{
	uint32_t v = VFR_BPF_SRC(in->code) == VFR_BPF_X ? x : in->k;
	bool taken;

	switch (VFR_BPF_OP(in->code)) {
	case VFR_BPF_JA:
		return pc + 1 + in->k;
	case VFR_BPF_JEQ:
		taken = a == v;
		break;
	case VFR_BPF_JGT:
		taken = a > v;
		break;
	case VFR_BPF_JGE:
		taken = a >= v;
		break;
	default:	/* VFR_BPF_JSET */
		taken = (a & v) != 0;
		break;
	}
	return pc + 1 + (taken ? in->jt : in->jf);
}

struct bpf_state {
	uint32_t a, x;
	uint32_t mem[VFR_BPF_MEMWORDS];
};

/* LD: load A.  false = the load fell outside the capture. */
static bool load_a(const struct vfr_bpf_insn *in, struct bpf_state *s,
		   const uint8_t *pkt, uint32_t buflen, uint32_t wirelen)
{
	switch (VFR_BPF_MODE(in->code)) {
	case VFR_BPF_ABS:
		return load_bytes(pkt, buflen, in->k, size_bytes(in->code),
				  &s->a);
	case VFR_BPF_IND:
		return load_bytes(pkt, buflen, (uint64_t)s->x + in->k,
				  size_bytes(in->code), &s->a);
	case VFR_BPF_LEN:
		s->a = wirelen;
		return true;
	case VFR_BPF_MEM:
		s->a = s->mem[in->k];
		return true;
	default:	/* VFR_BPF_IMM */
		s->a = in->k;
		return true;
	}
}

/* LDX: load X.  false = the MSH load fell outside the capture. */
static bool load_x(const struct vfr_bpf_insn *in, struct bpf_state *s,
		   const uint8_t *pkt, uint32_t buflen, uint32_t wirelen)
{
	switch (VFR_BPF_MODE(in->code)) {
	case VFR_BPF_MSH:	/* X = 4 * (IPv4 header length nibble) */
		if (!load_bytes(pkt, buflen, in->k, 1, &s->x))
			return false;
		s->x = (s->x & 0xf) << 2;
		return true;
	case VFR_BPF_LEN:
		s->x = wirelen;
		return true;
	case VFR_BPF_MEM:
		s->x = s->mem[in->k];
		return true;
	default:	/* VFR_BPF_IMM */
		s->x = in->k;
		return true;
	}
}

/* Execute one non-jump, non-ret instruction; false = end with result 0. */
static bool step(const struct vfr_bpf_insn *in, struct bpf_state *s,
		 const uint8_t *pkt, uint32_t buflen, uint32_t wirelen)
{
	switch (VFR_BPF_CLASS(in->code)) {
	case VFR_BPF_LD:
		return load_a(in, s, pkt, buflen, wirelen);
	case VFR_BPF_LDX:
		return load_x(in, s, pkt, buflen, wirelen);
	case VFR_BPF_ST:
		s->mem[in->k] = s->a;
		return true;
	case VFR_BPF_STX:
		s->mem[in->k] = s->x;
		return true;
	case VFR_BPF_ALU:
		return alu(in->code, &s->a, in->k, s->x);
	default:	/* VFR_BPF_MISC */
		if (VFR_BPF_MISCOP(in->code) == VFR_BPF_TAX)
			s->x = s->a;
		else
			s->a = s->x;
		return true;
	}
}

uint32_t vfr_bpf_run(const struct vfr_bpf_prog *prog, const uint8_t *pkt,
		     uint32_t buflen, uint32_t wirelen)
{
	struct bpf_state s;
	uint32_t pc = 0;

	if (prog == NULL || prog->insns == NULL || prog->len == 0)
		return 0;
	if (pkt == NULL)
		buflen = 0;
	memset(&s, 0, sizeof(s));
	while (pc < prog->len) {
		const struct vfr_bpf_insn *in = &prog->insns[pc];

		switch (VFR_BPF_CLASS(in->code)) {
		case VFR_BPF_RET:
			return VFR_BPF_RVAL(in->code) == VFR_BPF_A ? s.a : in->k;
		case VFR_BPF_JMP:
			pc = jump(in, pc, s.a, s.x);
			continue;
		default:
			if (!step(in, &s, pkt, buflen, wirelen))
				return 0;
			pc++;
		}
	}
	return 0;	/* unreachable for a validated program */
}
