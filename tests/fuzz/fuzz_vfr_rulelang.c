/*
 * fuzz_vfr_rulelang.c - libFuzzer target for the rule language.
 *
 * Loads the input as a script into an offline ruleset.  When it is accepted,
 * prints the ruleset, loads the print into a second ruleset and prints
 * again: the two prints must be equal (round trip), and any crash, leak,
 * out-of-bounds read or undefined behaviour is a finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rulelang.h"

static struct vfr_ruleset *make(void **mem)
{
	static struct vfr_ruleset rs[2];
	static int which;
	struct vfr_ruleset_config cfg = { 32, 256, 256 << 10, true };
	size_t bytes = vfr_ruleset_mem_bytes(&cfg);

	*mem = malloc(bytes);
	which ^= 1;
	if (vfr_ruleset_init(&rs[which], &cfg, *mem, bytes))
		abort();
	return &rs[which];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char p1[1 << 16], p2[1 << 16];
	struct vfr_rulelang_error err;
	struct vfr_ruleset *a, *b;
	void *ma, *mb;
	size_t n1, n2;

	a = make(&ma);
	if (vfr_rulelang_load(a, (const char *)data, size, 0, &err) == 0) {
		n1 = vfr_rulelang_print(a, p1, sizeof(p1), 0);
		if (n1 < sizeof(p1)) {
			b = make(&mb);
			if (vfr_rulelang_load(b, p1, n1, 0, &err))
				abort();	/* a print must load */
			n2 = vfr_rulelang_print(b, p2, sizeof(p2), 0);
			if (n1 != n2 || memcmp(p1, p2, n1))
				abort();	/* and print the same */
			free(mb);
		}
	} else if (err.line && (!err.col || !err.msg[0])) {
		abort();	/* every error has a position and a message */
	}
	free(ma);
	return 0;
}
