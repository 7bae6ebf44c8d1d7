/*
 * fuzz_modpack.c - libFuzzer target for dom0/modpack.c: any ramdisk is
 * either refused or indexed so that every module (and its command line)
 * lies inside it; the bytes of every module are read to let ASan check.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../dom0/modpack.h"

static struct modpack mp;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *mod;
	const char *cmd, *why;
	uint32_t n, len, i;
	volatile uint8_t sum = 0;

	if (size > 1u << 20 || modpack_open(data, (uint32_t)size, &mp, &why))
		return 0;
	for (n = 1; n <= mp.nr; n++) {
		if (modpack_get(&mp, n, &mod, &len, &cmd))
			__builtin_trap();
		for (i = 0; i < len; i++)
			sum += mod[i];
		if (strlen(cmd) >= XYLEM_MODPACK_CMDLINE)
			__builtin_trap();
	}
	return 0;
}
