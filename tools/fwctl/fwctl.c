/*
 * fwctl.c - the VFR firewall control tool (host side).
 *
 *   fwctl -n FILE            parse FILE without loading it (pf's -n): exit 0
 *                            and print nothing when it is valid; print
 *                            "FILE:LINE:COL: message" and exit 1 when not.
 *   fwctl -n --print FILE    parse FILE, then print the canonical ruleset it
 *                            builds (the format `list` uses).
 * FILE may be "-" for standard input.  Every other subcommand needs the Dom0
 * control channel, which does not exist yet: it says so and exits 2.
 * The parse runs on an offline ruleset (chains are created on first use),
 * with capacities large enough for any realistic file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rulelang.h"

#define FWCTL_MAX_RULES		65536
#define FWCTL_MAX_CHAINS	8192
#define FWCTL_CLASSIFIER_BYTES	(64u << 20)
#define FWCTL_MAX_FILE		(16u << 20)

static char *read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(FWCTL_MAX_FILE + 1);
	if (!buf)
		return NULL;
	*len = fread(buf, 1, FWCTL_MAX_FILE + 1, f);
	if (f != stdin)
		fclose(f);
	if (*len > FWCTL_MAX_FILE) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	return buf;
}

static int print_ruleset(const struct vfr_ruleset *rs)
{
	size_t need = vfr_rulelang_print(rs, NULL, 0, 0);
	char *out = malloc(need + 1);

	if (!out)
		return 1;
	vfr_rulelang_print(rs, out, need + 1, 0);
	fputs(out, stdout);
	free(out);
	return 0;
}

static int check_file(const char *path, bool print)
{
	struct vfr_ruleset_config cfg = {
		.max_chains = FWCTL_MAX_CHAINS,
		.max_rules = FWCTL_MAX_RULES,
		.classifier_bytes = print ? FWCTL_CLASSIFIER_BYTES : 64,
		.auto_chains = true,
	};
	struct vfr_rulelang_error err;
	struct vfr_ruleset rs;
	size_t len, bytes = vfr_ruleset_mem_bytes(&cfg);
	void *mem = malloc(bytes);
	char *text = read_file(path, &len);
	int r;

	if (!text) {
		fprintf(stderr, "fwctl: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!mem || vfr_ruleset_init(&rs, &cfg, mem, bytes)) {
		fprintf(stderr, "fwctl: out of memory\n");
		return 1;
	}
	r = vfr_rulelang_load(&rs, text, len,
			      print ? 0 : VFR_RULELANG_CHECK_ONLY, &err);
	if (r && err.line)
		fprintf(stderr, "%s:%u:%u: %s\n", path, err.line, err.col,
			err.msg);
	else if (r)
		fprintf(stderr, "%s: %s\n", path, err.msg);
	else if (print)
		r = print_ruleset(&rs);
	free(text);
	free(mem);
	return r ? 1 : 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: fwctl -n [--print] FILE\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "-n")) {
		if (argc == 3)
			return check_file(argv[2], false);
		if (argc == 4 && !strcmp(argv[2], "--print"))
			return check_file(argv[3], true);
		return usage();
	}
	fprintf(stderr, "fwctl: '%s' needs a running Xylem Dom0 control "
		"channel, which is not implemented yet\n", argv[1]);
	return 2;
}
