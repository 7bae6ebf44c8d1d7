/*
 * domspec.c - Dom0's dom= command-line options.  See domspec.h.
 *
 * A word is split at commas into key=value fields; each field is checked
 * as it is read and the result is assembled in a private dom_params, which
 * is appended (count times) only when the whole word is valid.  Numbers
 * are parsed in 64 bits with an explicit overflow check.
 */
#include "domspec.h"
#include <public/errno.h>

struct span {
	const char *s;
	size_t len;
};

/* err = a + b + c, truncated, always NUL-terminated. */
static void set_err(char *err, size_t err_len, const char *a, struct span b,
		    const char *c)
{
	size_t n = 0, i;

	if (!err_len)
		return;
	for (i = 0; a[i] && n + 1 < err_len; i++)
		err[n++] = a[i];
	for (i = 0; i < b.len && n + 1 < err_len; i++)
		err[n++] = b.s[i];
	for (i = 0; c[i] && n + 1 < err_len; i++)
		err[n++] = c[i];
	err[n] = '\0';
}

static bool span_is(struct span a, const char *lit)
{
	size_t i;

	for (i = 0; i < a.len; i++)
		if (!lit[i] || lit[i] != a.s[i])
			return false;
	return lit[a.len] == '\0';
}

/* Decimal digits of s[0..len) into *v (at most max); false if not all digits. */
static bool parse_decimal(const char *s, size_t len, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(s[i] - '0');
		if (x > max)
			return false;
	}
	*v = x;
	return true;
}

/* A decimal number followed by one of the suffixes (scale[i] each). */
static bool parse_scaled(struct span v, const char *const *suffix,
			 const uint64_t *scale, unsigned int nr, uint64_t max,
			 uint64_t *out)
{
	size_t digits = 0;
	unsigned int i;
	uint64_t x;

	while (digits < v.len && v.s[digits] >= '0' && v.s[digits] <= '9')
		digits++;
	for (i = 0; i < nr; i++) {
		struct span suf = { v.s + digits, v.len - digits };

		if (!span_is(suf, suffix[i]))
			continue;
		if (!parse_decimal(v.s, digits, max / scale[i], &x))
			return false;
		*out = x * scale[i];
		return true;
	}
	return false;
}

static bool parse_size(struct span v, uint64_t *bytes)
{
	static const char *const suffix[] = { "", "k", "K", "m", "M", "g", "G" };
	static const uint64_t scale[] = { 1, 1ull << 10, 1ull << 10, 1ull << 20,
					  1ull << 20, 1ull << 30, 1ull << 30 };

	return parse_scaled(v, suffix, scale, 7, (uint64_t)DOMSPEC_MAX_MEM_KIB << 10,
			    bytes);
}

static bool parse_ns(struct span v, uint64_t *ns)
{
	static const char *const suffix[] = { "", "us", "ms" };
	static const uint64_t scale[] = { 1, 1000, 1000000 };

	/* Keep within int64_t: the ABI's warp_ns is signed. */
	return parse_scaled(v, suffix, scale, 3, (~0ull) >> 1, ns);
}

static bool name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static bool name_ok(struct span v)
{
	size_t i;

	if (!v.len || v.len >= DOMSPEC_NAME_MAX)
		return false;
	for (i = 0; i < v.len; i++)
		if (!name_char_ok(v.s[i]))
			return false;
	return true;
}

/* Fields seen so far in one word, to refuse repeats and missing ones. */
enum field {
	F_DOM, F_MOD, F_MEM, F_WEIGHT, F_WARP, F_WARPL, F_UNWARP, F_COUNT,
	F_VCPUS, F_NR
};

static const char *const field_key[F_NR] = {
	"dom", "mod", "mem", "weight", "warp", "warpl", "unwarp", "count",
	"vcpus"
};

struct word_state {
	struct dom_params p;
	struct span name;
	uint64_t count;
	unsigned int seen;	/* bit per enum field */
};

static bool field_value(struct word_state *w, enum field f, struct span v)
{
	uint64_t x;

	switch (f) {
	case F_DOM:
		w->name = v;
		return name_ok(v);
	case F_MOD:
		if (!parse_decimal(v.s, v.len, 1000, &x) || x < 1)
			return false;
		w->p.module = (uint32_t)x;
		return true;
	case F_MEM:
		if (!parse_size(v, &x) || !x || (x & 4095))
			return false;
		w->p.mem_kib = (uint32_t)(x >> 10);
		return true;
	case F_WEIGHT:
		if (!parse_decimal(v.s, v.len, 65535, &x) || x < 1)
			return false;
		w->p.weight = (uint32_t)x;
		return true;
	case F_WARP:
		return parse_ns(v, &w->p.warp_ns);
	case F_WARPL:
		return parse_ns(v, &w->p.warp_limit_ns);
	case F_UNWARP:
		return parse_ns(v, &w->p.unwarp_ns);
	case F_COUNT:
		return parse_decimal(v.s, v.len, DOMSPEC_MAX_DOMS, &w->count) &&
		       w->count >= 1;
	case F_VCPUS:
		if (!parse_decimal(v.s, v.len, DOMSPEC_MAX_VCPUS, &x) || x < 1)
			return false;
		w->p.vcpus = (uint32_t)x;
		return true;
	default:
		return false;
	}
}

static const char *const field_problem[F_NR] = {
	"\": a name is 1-15 of A-Z a-z 0-9 _ -",
	"\": a boot module number from 1",
	"\": a size in bytes with k/M/G suffix, a multiple of 4 KiB, at most 1G",
	"\": a weight from 1 to 65535",
	"\": nanoseconds (or with us/ms suffix)",
	"\": nanoseconds (or with us/ms suffix)",
	"\": nanoseconds (or with us/ms suffix)",
	"\": a count from 1 to 1024",
	"\": a number of vCPUs from 1 to 32",
};

/* Read one key=value field into w; the error names the field. */
static int parse_field(struct word_state *w, struct span field, char *err,
		       size_t err_len)
{
	struct span key = field, v;
	unsigned int f;

	for (key.len = 0; key.len < field.len && field.s[key.len] != '='; key.len++)
		;
	if (key.len == field.len) {
		set_err(err, err_len, "dom option: \"", field, "\" is not key=value");
		return -XEN_EINVAL;
	}
	v.s = field.s + key.len + 1;
	v.len = field.len - key.len - 1;
	for (f = 0; f < F_NR; f++)
		if (span_is(key, field_key[f]))
			break;
	if (f == F_NR) {
		set_err(err, err_len, "dom option: unknown key \"", key, "\"");
		return -XEN_EINVAL;
	}
	if (w->seen & (1u << f)) {
		set_err(err, err_len, "dom option: \"", key, "\" given twice");
		return -XEN_EINVAL;
	}
	w->seen |= 1u << f;
	if (!field_value(w, f, v)) {
		set_err(err, err_len, "dom option: bad \"", field, field_problem[f]);
		return -XEN_EINVAL;
	}
	return 0;
}

/* The whole word was read: are the required and paired fields there? */
static int check_word(const struct word_state *w, struct span word, char *err,
		      size_t err_len)
{
	unsigned int warps = w->seen & ((1u << F_WARP) | (1u << F_WARPL) |
					 (1u << F_UNWARP));
	uint64_t digits = w->count <= 1 ? 0 : w->count <= 10 ? 1 :
			  w->count <= 100 ? 2 : w->count <= 1000 ? 3 : 4;

	if (!(w->seen & (1u << F_DOM))) {
		set_err(err, err_len, "\"", word, "\": must start with dom=NAME");
		return -XEN_EINVAL;
	}
	if (!(w->seen & (1u << F_MOD))) {
		set_err(err, err_len, "dom=", w->name, ": mod=N is missing");
		return -XEN_EINVAL;
	}
	if (warps && warps != ((1u << F_WARP) | (1u << F_WARPL) | (1u << F_UNWARP))) {
		set_err(err, err_len, "dom=", w->name,
			": warp=, warpl= and unwarp= go together");
		return -XEN_EINVAL;
	}
	if (w->name.len + digits >= DOMSPEC_NAME_MAX) {
		set_err(err, err_len, "dom=", w->name,
			": name too long for its count suffix");
		return -XEN_EINVAL;
	}
	return 0;
}

static void name_with_index(char *dst, struct span name, uint32_t i, bool numbered)
{
	char digits[8];
	size_t n = 0, d = 0;

	for (n = 0; n < name.len; n++)
		dst[n] = name.s[n];
	if (numbered) {
		do {
			digits[d++] = (char)('0' + i % 10);
			i /= 10;
		} while (i);
		while (d)
			dst[n++] = digits[--d];
	}
	dst[n] = '\0';
}

/* Is name used by one of the first n domains of l? */
static bool name_taken(const struct domspec_list *l, uint32_t n, const char *name)
{
	uint32_t i;
	size_t k;

	for (i = 0; i < n; i++) {
		for (k = 0; name[k] && name[k] == l->dom[i].name[k]; k++)
			;
		if (name[k] == l->dom[i].name[k])
			return true;
	}
	return false;
}

/*
 * Append w's domains, or none if a name is taken or the list is full.
 * Names within one word differ by their suffix, so each is compared with
 * the earlier words' domains only.
 */
static int append_domains(struct domspec_list *l, const struct word_state *w,
			  char *err, size_t err_len)
{
	uint32_t i, n = (uint32_t)w->count, first = l->nr;

	if (n > DOMSPEC_MAX_DOMS - l->nr) {
		set_err(err, err_len, "dom=", w->name, ": more than 1024 domains");
		return -XEN_E2BIG;
	}
	for (i = 0; i < n; i++) {
		struct dom_params *d = &l->dom[first + i];

		*d = w->p;
		name_with_index(d->name, w->name, i, n > 1);
		if (name_taken(l, first, d->name)) {
			set_err(err, err_len, "dom=", w->name, ": name already used");
			return -XEN_EINVAL;
		}
	}
	l->nr = first + n;
	return 0;
}

int domspec_parse_word(const char *word, size_t len, struct domspec_list *l,
		       char *err, size_t err_len)
{
	struct word_state w = { .count = 1 };
	struct span whole = { word, len };
	size_t start = 0, end;
	int rc;

	w.p.mem_kib = DOMSPEC_DEFAULT_MEM_KIB;
	w.p.vcpus = 1;
	w.p.weight = DOMSPEC_DEFAULT_WEIGHT;
	if (len < 4 || !span_is((struct span){ word, 4 }, "dom=")) {
		set_err(err, err_len, "\"", whole, "\": must start with dom=NAME");
		return -XEN_EINVAL;
	}
	while (start <= len) {
		for (end = start; end < len && word[end] != ','; end++)
			;
		rc = parse_field(&w, (struct span){ word + start, end - start },
				 err, err_len);
		if (rc)
			return rc;
		start = end + 1;
	}
	w.p.warped = (w.seen & (1u << F_WARP)) != 0;
	rc = check_word(&w, whole, err, err_len);
	return rc ? rc : append_domains(l, &w, err, err_len);
}

int domspec_parse_cmdline(const char *line, struct domspec_list *l, char *err,
			  size_t err_len)
{
	size_t i = 0, start;
	int rc;

	l->nr = 0;
	if (err_len)
		err[0] = '\0';
	while (line[i]) {
		while (line[i] == ' ')
			i++;
		start = i;
		while (line[i] && line[i] != ' ')
			i++;
		if (i - start >= 4 && line[start] == 'd' && line[start + 1] == 'o' &&
		    line[start + 2] == 'm' && line[start + 3] == '=') {
			rc = domspec_parse_word(line + start, i - start, l, err,
						err_len);
			if (rc)
				return rc;
		}
	}
	return 0;
}
