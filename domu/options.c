/*
 * options.c - command-line words of the test DomUs.  See options.h.
 */
#include "options.h"
#include "lib.h"

const char *opt_value(const char *cmd, const char *key, size_t *len)
{
	size_t k = strlen(key);
	const char *p = cmd;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, k) && p[k] == '=') {
			p += k + 1;
			for (*len = 0; p[*len] && p[*len] != ' '; (*len)++)
				;
			return p;
		}
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

unsigned long opt_number(const char *cmd, const char *key, unsigned long dflt)
{
	unsigned long v;
	size_t len;
	const char *s = opt_value(cmd, key, &len);

	return s && parse_ulong(s, len, &v) ? v : dflt;
}

bool opt_is(const char *cmd, const char *key, const char *value)
{
	size_t len;
	const char *s = opt_value(cmd, key, &len);

	return s && len == strlen(value) && !strncmp(s, value, len);
}
