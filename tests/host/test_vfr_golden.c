/*
 * test_vfr_golden.c - golden-file test of the rule language, in-process.
 *
 * For every tests/golden/rulelang/NAME.rules: exactly one of NAME.out and
 * NAME.err must exist.  With .out, loading NAME.rules must succeed and
 * vfr_rulelang_print() must equal .out byte for byte; loading that output
 * into a fresh ruleset and printing again must give the same text (round
 * trip).  With .err, loading must fail with "LINE:COL: message\n" equal to
 * .err.  Run from the repository root (make check does).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rulelang.h"

#define GOLDEN_DIR "tests/golden/rulelang"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(1 << 20);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static struct vfr_ruleset *fresh(void)
{
	static void *mem;
	static struct vfr_ruleset rs;
	struct vfr_ruleset_config cfg = { 64, 1024, 1 << 20, true };
	size_t bytes = vfr_ruleset_mem_bytes(&cfg);

	free(mem);
	mem = malloc(bytes);
	CHECK_EQ(vfr_ruleset_init(&rs, &cfg, mem, bytes), 0);
	return &rs;
}

static char *print_all(struct vfr_ruleset *rs)
{
	size_t need = vfr_rulelang_print(rs, NULL, 0, 0);
	char *out = malloc(need + 1);

	CHECK_EQ(vfr_rulelang_print(rs, out, need + 1, 0), need);
	return out;
}

static void run_one(const char *name, int *accepted, int *refused)
{
	char path[512], got[512];
	struct vfr_rulelang_error err;
	size_t len, olen, elen;
	char *text, *out, *errtext;
	int r;

	snprintf(path, sizeof(path), GOLDEN_DIR "/%s.rules", name);
	text = slurp(path, &len);
	snprintf(path, sizeof(path), GOLDEN_DIR "/%s.out", name);
	out = slurp(path, &olen);
	snprintf(path, sizeof(path), GOLDEN_DIR "/%s.err", name);
	errtext = slurp(path, &elen);
	CHECK(text && (!out != !errtext));
	if (!text || !out == !errtext) {
		fprintf(stderr, "%s: needs .rules and one of .out/.err\n", name);
		goto done;
	}
	r = vfr_rulelang_load(fresh(), text, len, 0, &err);
	if (out) {
		struct vfr_ruleset *rs;
		char *p1, *p2;

		(*accepted)++;
		CHECK_EQ(r, 0);
		if (r)
			fprintf(stderr, "%s: %u:%u: %s\n", name, err.line,
				err.col, err.msg);
		rs = fresh();
		CHECK_EQ(vfr_rulelang_load(rs, text, len, 0, &err), 0);
		p1 = print_all(rs);
		if (strcmp(p1, out))
			fprintf(stderr, "%s: print differs:\n%s", name, p1);
		CHECK(strcmp(p1, out) == 0);
		rs = fresh();
		CHECK_EQ(vfr_rulelang_load(rs, p1, strlen(p1), 0, &err), 0);
		p2 = print_all(rs);
		CHECK(strcmp(p1, p2) == 0);	/* print(load(print(x))) */
		free(p1);
		free(p2);
	} else {
		(*refused)++;
		CHECK(r < 0);
		snprintf(got, sizeof(got), "%u:%u: %s\n", err.line, err.col,
			 err.msg);
		if (strcmp(got, errtext))
			fprintf(stderr, "%s: error differs: %s", name, got);
		CHECK(strcmp(got, errtext) == 0);
		/* a refused script in check-only mode is refused the same way */
		CHECK(vfr_rulelang_load(fresh(), text, len,
					VFR_RULELANG_CHECK_ONLY, &err) < 0);
	}
done:
	free(text);
	free(out);
	free(errtext);
}

int main(void)
{
	DIR *d = opendir(GOLDEN_DIR);
	struct dirent *e;
	int accepted = 0, refused = 0;

	CHECK(d != NULL);
	while (d && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char name[256];

		if (n < 7 || n >= sizeof(name) ||
		    strcmp(e->d_name + n - 6, ".rules"))
			continue;
		memcpy(name, e->d_name, n - 6);
		name[n - 6] = '\0';
		run_one(name, &accepted, &refused);
	}
	if (d)
		closedir(d);
	printf("golden: %d accepted, %d refused\n", accepted, refused);
	CHECK(accepted >= 10);
	CHECK(refused >= 15);
	return check_done();
}
