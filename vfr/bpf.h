/*
 * bpf.h - a validated classic-BPF interpreter for capture filters.
 *
 * The host tool compiles a tcpdump expression with libpcap (pcap_compile)
 * and hands Dom0 the instructions; Dom0 copies them into its own memory,
 * validates the copy and only then runs it on frames.  struct vfr_bpf_insn
 * has exactly the layout of libpcap's struct bpf_insn, so a program from
 * pcap_compile can be passed by memcpy (host byte order: both ends are x86).
 *
 * Interface:
 *   vfr_bpf_load()     copy + validate a program into caller storage; on
 *                      failure says which instruction and why.
 *   vfr_bpf_validate() the validation alone (no copy), for tools and tests.
 *   vfr_bpf_run()      run a loaded program over a frame; the result is the
 *                      RET value: 0 = no match, otherwise the snap length.
 *
 * Invariants:
 *   - vfr_bpf_run() runs only programs that vfr_bpf_load() accepted: a
 *     struct vfr_bpf_prog that was never loaded (or whose load failed)
 *     matches nothing.
 *   - An accepted program terminates: every jump goes strictly forward and
 *     stays inside the program, and the last instruction is a RET, so the
 *     interpreter executes at most `len` instructions.
 *   - A load that would read past the captured bytes ends the program with
 *     result 0 (classic BPF semantics); so does division or modulo by X == 0.
 *   - BPF_LEN loads the wire length, which may exceed the captured length.
 */
#ifndef VFR_BPF_INTERFACE_H
#define VFR_BPF_INTERFACE_H

#include "vfr_types.h"	/* VFR_E* error codes */

/* Classic BPF, as in libpcap's <pcap/bpf.h>: {code, jt, jf, k}. */
struct vfr_bpf_insn {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

#define VFR_BPF_MAXINSNS	4096	/* BPF_MAXINSNS */
#define VFR_BPF_MEMWORDS	16	/* BPF_MEMWORDS: scratch memory cells */

/* Instruction classes, sizes, modes, operations (the classic encoding). */
#define VFR_BPF_CLASS(code)	((code) & 0x07)
#define VFR_BPF_LD		0x00
#define VFR_BPF_LDX		0x01
#define VFR_BPF_ST		0x02
#define VFR_BPF_STX		0x03
#define VFR_BPF_ALU		0x04
#define VFR_BPF_JMP		0x05
#define VFR_BPF_RET		0x06
#define VFR_BPF_MISC		0x07

#define VFR_BPF_SIZE(code)	((code) & 0x18)
#define VFR_BPF_W		0x00
#define VFR_BPF_H		0x08
#define VFR_BPF_B		0x10

#define VFR_BPF_MODE(code)	((code) & 0xe0)
#define VFR_BPF_IMM		0x00
#define VFR_BPF_ABS		0x20
#define VFR_BPF_IND		0x40
#define VFR_BPF_MEM		0x60
#define VFR_BPF_LEN		0x80
#define VFR_BPF_MSH		0xa0

#define VFR_BPF_OP(code)	((code) & 0xf0)
#define VFR_BPF_ADD		0x00
#define VFR_BPF_SUB		0x10
#define VFR_BPF_MUL		0x20
#define VFR_BPF_DIV		0x30
#define VFR_BPF_OR		0x40
#define VFR_BPF_AND		0x50
#define VFR_BPF_LSH		0x60
#define VFR_BPF_RSH		0x70
#define VFR_BPF_NEG		0x80
#define VFR_BPF_MOD		0x90
#define VFR_BPF_XOR		0xa0

#define VFR_BPF_JA		0x00
#define VFR_BPF_JEQ		0x10
#define VFR_BPF_JGT		0x20
#define VFR_BPF_JGE		0x30
#define VFR_BPF_JSET		0x40

#define VFR_BPF_SRC(code)	((code) & 0x08)
#define VFR_BPF_K		0x00
#define VFR_BPF_X		0x08

#define VFR_BPF_RVAL(code)	((code) & 0x18)
#define VFR_BPF_A		0x10

#define VFR_BPF_MISCOP(code)	((code) & 0xf8)
#define VFR_BPF_TAX		0x00
#define VFR_BPF_TXA		0x80

/* A loaded (copied and validated) program.  Fill only via vfr_bpf_load(). */
struct vfr_bpf_prog {
	const struct vfr_bpf_insn *insns;	/* caller storage, validated */
	uint32_t len;				/* 0 = not loaded */
};

/* Why a program was refused: the instruction index and a static reason. */
struct vfr_bpf_error {
	uint32_t pc;
	const char *why;
};

/*
 * Check insns[0..n-1] against every validation rule (docs/vfr-capture-and-
 * scheduling.md lists them).  0 if acceptable, else -VFR_EINVAL with *err
 * (when non-NULL) naming the first offending instruction.
 */
int vfr_bpf_validate(const struct vfr_bpf_insn *insns, uint32_t n,
		     struct vfr_bpf_error *err);

/*
 * Copy src[0..n-1] into storage[0..cap-1], validate the copy (never the
 * source, which may still change under us) and make prog run it.  On any
 * failure prog is left unloaded: -VFR_ENOSPC if n > cap, -VFR_EINVAL if the
 * program is refused.
 */
int vfr_bpf_load(struct vfr_bpf_prog *prog, struct vfr_bpf_insn *storage,
		 uint32_t cap, const struct vfr_bpf_insn *src, uint32_t n,
		 struct vfr_bpf_error *err);

/* Forget a program: prog matches nothing until loaded again. */
void vfr_bpf_unload(struct vfr_bpf_prog *prog);

/*
 * Run prog over pkt[0..buflen-1], a frame of wirelen bytes on the wire
 * (buflen <= wirelen when the capture was truncated).  Returns the RET
 * value: 0 = no match, otherwise how many bytes to keep.
 */
uint32_t vfr_bpf_run(const struct vfr_bpf_prog *prog, const uint8_t *pkt,
		     uint32_t buflen, uint32_t wirelen);

#endif
