/*
 * fuzz_domspec.c - libFuzzer target for dom0/domspec.c: any command line
 * is parsed without reading past its end; an accepted one yields
 * well-formed domains (terminated names, module >= 1, memory a multiple of
 * 4 KiB within bounds, weight 1..65535) and an error message is always
 * terminated.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../dom0/domspec.h"

static struct domspec_list list;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), err[96];
	uint32_t i;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (domspec_parse_cmdline(line, &list, err, sizeof(err)) &&
	    strlen(err) >= sizeof(err))
		__builtin_trap();
	for (i = 0; i < list.nr; i++) {
		const struct dom_params *p = &list.dom[i];

		if (strnlen(p->name, DOMSPEC_NAME_MAX) >= DOMSPEC_NAME_MAX ||
		    !p->module || !p->mem_kib || p->mem_kib % 4 ||
		    p->mem_kib > DOMSPEC_MAX_MEM_KIB || !p->weight || p->weight > 65535)
			__builtin_trap();
	}
	free(line);
	return 0;
}
