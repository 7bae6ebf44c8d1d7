/*
 * fuzz_vfr_bpf.c - libFuzzer target for vfr/bpf.c.
 *
 * Input layout (all hostile):
 *   byte 0       flags: bit 0 set = the capture is truncated (the wire
 *                length is larger than the bytes given)
 *   bytes 1..2   instruction count n, little-endian (any value: the target
 *                clamps it to what the input holds, and validation sees
 *                counts above 4096 when the input is that long)
 *   next n*8     instructions in struct vfr_bpf_insn layout (host order)
 *   the rest     the packet
 * Every program is validated; only accepted ones are run.  The target
 * checks that vfr_bpf_load() and vfr_bpf_validate() agree and that a run is
 * repeatable (same result twice: no state leaks between runs).  Crashes,
 * sanitizer reports and hangs are the failures libFuzzer looks for.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vfr_bpf_insn insns[VFR_BPF_MAXINSNS + 8];
static struct vfr_bpf_insn storage[VFR_BPF_MAXINSNS];

/* Run twice over a private copy of exactly buflen bytes, so that ASan
 * catches any read past the capture; the two results must agree. */
static void run_checked(const struct vfr_bpf_prog *prog, const uint8_t *pkt,
			uint32_t buflen, uint32_t wirelen)
{
	uint8_t *copy = malloc(buflen ? buflen : 1);
	uint32_t r1, r2;

	if (copy == NULL)
		return;
	memcpy(copy, pkt, buflen);
	r1 = vfr_bpf_run(prog, copy, buflen, wirelen);
	r2 = vfr_bpf_run(prog, copy, buflen, wirelen);
	free(copy);
	if (r1 != r2)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vfr_bpf_prog prog = { 0 };
	const uint8_t *pkt;
	uint32_t n, avail, buflen, wirelen;
	int valid, loaded;

	if (size < 3)
		return 0;
	n = (uint32_t)data[1] | (uint32_t)data[2] << 8;
	avail = (uint32_t)((size - 3) / sizeof(struct vfr_bpf_insn));
	if (avail > VFR_BPF_MAXINSNS + 8)
		avail = VFR_BPF_MAXINSNS + 8;
	if (n > avail)
		n = avail;
	memcpy(insns, data + 3, (size_t)n * sizeof(insns[0]));
	pkt = data + 3 + (size_t)n * sizeof(insns[0]);
	buflen = (uint32_t)(size - 3 - (size_t)n * sizeof(insns[0]));
	wirelen = buflen + ((data[0] & 1) ? 1 + data[0] : 0);

	valid = vfr_bpf_validate(insns, n, NULL);
	loaded = vfr_bpf_load(&prog, storage, VFR_BPF_MAXINSNS, insns, n, NULL);
	if (n <= VFR_BPF_MAXINSNS && valid != loaded)
		abort();
	if (loaded != 0) {
		if (prog.len != 0 || vfr_bpf_run(&prog, pkt, buflen, wirelen))
			abort();
		return 0;
	}
	run_checked(&prog, pkt, buflen, wirelen);
	return 0;
}
