/*
 * classbench.c - parser, writer and reference matcher for ClassBench filter
 * and trace files (see classbench.h for the formats and invariants).
 *
 * Parsing works on a cursor over [line, line + len): every read checks the
 * end first, numbers are checked for overflow digit by digit, and nothing
 * past the line is touched, so a file is hostile input like any other.
 */
#include "classbench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cursor {
	const char *p, *end;
	const char *why;	/* first error, NULL while all is well */
};

uint32_t cb_prefix_mask(unsigned int len)
{
	if (len == 0)
		return 0;
	if (len >= 32)
		return 0xffffffffu;
	return ~((1u << (32 - len)) - 1);
}

static bool fail(struct cursor *c, const char *why)
{
	if (!c->why)
		c->why = why;
	return false;
}

static bool at_end(const struct cursor *c)
{
	return c->p >= c->end;
}

static void skip_space(struct cursor *c)
{
	while (!at_end(c) && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r'))
		c->p++;
}

static bool expect(struct cursor *c, char ch, const char *why)
{
	skip_space(c);
	if (at_end(c) || *c->p != ch)
		return fail(c, why);
	c->p++;
	return true;
}

/*
 * An unsigned decimal (or 0x-prefixed hex when hex_ok) no larger than max,
 * starting right at the cursor.
 */
static bool number(struct cursor *c, uint32_t max, bool hex_ok, uint32_t *out,
		   const char *why)
{
	unsigned int base = 10, digits = 0;
	uint64_t v = 0;

	if (hex_ok && c->end - c->p >= 2 && c->p[0] == '0' &&
	    (c->p[1] == 'x' || c->p[1] == 'X')) {
		base = 16;
		c->p += 2;
	}
	while (!at_end(c)) {
		char ch = *c->p;
		unsigned int d;

		if (ch >= '0' && ch <= '9')
			d = (unsigned int)(ch - '0');
		else if (base == 16 && ch >= 'a' && ch <= 'f')
			d = (unsigned int)(ch - 'a' + 10);
		else if (base == 16 && ch >= 'A' && ch <= 'F')
			d = (unsigned int)(ch - 'A' + 10);
		else
			break;
		v = v * base + d;
		if (v > max)
			return fail(c, why);
		digits++;
		c->p++;
	}
	if (digits == 0)
		return fail(c, why);
	*out = (uint32_t)v;
	return true;
}

/* A number after optional blanks: a whitespace-separated column. */
static bool field(struct cursor *c, uint32_t max, bool hex_ok, uint32_t *out,
		  const char *why)
{
	skip_space(c);
	return number(c, max, hex_ok, out, why);
}

/* A dotted quad a.b.c.d in host byte order. */
static bool dotted_quad(struct cursor *c, uint32_t *addr)
{
	uint32_t v = 0, octet;
	int i;

	for (i = 0; i < 4; i++) {
		if (i > 0 && (at_end(c) || *c->p++ != '.'))
			return fail(c, "bad IPv4 address");
		if (!number(c, 255, false, &octet, "bad IPv4 address octet"))
			return false;
		v = (v << 8) | octet;
	}
	*addr = v;
	return true;
}

static bool prefix(struct cursor *c, uint32_t *addr, uint8_t *len)
{
	uint32_t l;

	skip_space(c);
	if (!dotted_quad(c, addr))
		return false;
	if (at_end(c) || *c->p++ != '/')
		return fail(c, "prefix without /length");
	if (!number(c, 32, false, &l, "prefix length not in 0..32"))
		return false;
	*len = (uint8_t)l;
	*addr &= cb_prefix_mask(l);
	return true;
}

static bool port_range(struct cursor *c, uint16_t *lo, uint16_t *hi)
{
	uint32_t a, b;

	if (!field(c, 65535, false, &a, "port not in 0..65535") ||
	    !expect(c, ':', "port range without ':'") ||
	    !field(c, 65535, false, &b, "port not in 0..65535"))
		return false;
	if (a > b)
		return fail(c, "port range low > high");
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return true;
}

static bool protocol(struct cursor *c, uint8_t *proto, uint8_t *mask)
{
	uint32_t v, m;

	if (!field(c, 255, true, &v, "protocol not in 0..255") ||
	    !expect(c, '/', "protocol without /mask") ||
	    !field(c, 255, true, &m, "protocol mask not in 0..255"))
		return false;
	if (m != 0 && m != 0xff)
		return fail(c, "protocol mask is neither 0x00 nor 0xFF");
	*proto = (uint8_t)(v & m);
	*mask = (uint8_t)m;
	return true;
}

bool cb_parse_rule(const char *line, size_t len, struct cb_rule *rule,
		   const char **why)
{
	struct cursor c = { line, line + len, NULL };
	struct cb_rule r;

	memset(&r, 0, sizeof(r));
	if (expect(&c, '@', "rule does not start with '@'") &&
	    prefix(&c, &r.src_ip, &r.src_len) &&
	    prefix(&c, &r.dst_ip, &r.dst_len) &&
	    port_range(&c, &r.src_port_lo, &r.src_port_hi) &&
	    port_range(&c, &r.dst_port_lo, &r.dst_port_hi) &&
	    protocol(&c, &r.proto, &r.proto_mask)) {
		/* ClassBench may append a flags column: ignore the rest. */
		if (!at_end(&c) && *c.p != ' ' && *c.p != '\t' && *c.p != '\r')
			fail(&c, "junk after the protocol");
	}
	if (c.why) {
		*why = c.why;
		return false;
	}
	*rule = r;
	return true;
}

/* An optional signed ORIGIN column: -1 or 0..CB_MAX_ENTRIES-1. */
static bool origin(struct cursor *c, int32_t *out)
{
	uint32_t v;

	skip_space(c);
	*out = -1;
	if (at_end(c))
		return true;
	if (*c->p == '-') {
		c->p++;
		if (!number(c, 1, false, &v, "origin not -1 or a rule index") ||
		    v != 1)
			return fail(c, "origin not -1 or a rule index");
		return true;
	}
	if (!field(c, CB_MAX_ENTRIES - 1, false, &v,
		    "origin not -1 or a rule index"))
		return false;
	*out = (int32_t)v;
	return true;
}

bool cb_parse_header(const char *line, size_t len, struct cb_header *hdr,
		     const char **why)
{
	struct cursor c = { line, line + len, NULL };
	struct cb_header h;
	uint32_t sp, dp, proto;

	memset(&h, 0, sizeof(h));
	if (field(&c, 0xffffffffu, false, &h.src_ip, "bad source address") &&
	    field(&c, 0xffffffffu, false, &h.dst_ip, "bad destination address") &&
	    field(&c, 65535, false, &sp, "source port not in 0..65535") &&
	    field(&c, 65535, false, &dp, "destination port not in 0..65535") &&
	    field(&c, 255, false, &proto, "protocol not in 0..255") &&
	    origin(&c, &h.origin)) {
		skip_space(&c);
		if (!at_end(&c))
			fail(&c, "junk after the header");
	}
	if (c.why) {
		*why = c.why;
		return false;
	}
	h.src_port = (uint16_t)sp;
	h.dst_port = (uint16_t)dp;
	h.proto = (uint8_t)proto;
	*hdr = h;
	return true;
}

int cb_format_rule(char *buf, size_t size, const struct cb_rule *r)
{
	return snprintf(buf, size,
			"@%u.%u.%u.%u/%u\t%u.%u.%u.%u/%u\t%u : %u\t%u : %u\t"
			"0x%02X/0x%02X\t",
			r->src_ip >> 24, (r->src_ip >> 16) & 0xff,
			(r->src_ip >> 8) & 0xff, r->src_ip & 0xff, r->src_len,
			r->dst_ip >> 24, (r->dst_ip >> 16) & 0xff,
			(r->dst_ip >> 8) & 0xff, r->dst_ip & 0xff, r->dst_len,
			r->src_port_lo, r->src_port_hi,
			r->dst_port_lo, r->dst_port_hi,
			r->proto, r->proto_mask);
}

bool cb_rule_matches(const struct cb_rule *r, const struct cb_header *h)
{
	return (h->src_ip & cb_prefix_mask(r->src_len)) == r->src_ip &&
	       (h->dst_ip & cb_prefix_mask(r->dst_len)) == r->dst_ip &&
	       h->src_port >= r->src_port_lo && h->src_port <= r->src_port_hi &&
	       h->dst_port >= r->dst_port_lo && h->dst_port <= r->dst_port_hi &&
	       (h->proto & r->proto_mask) == r->proto;
}

long cb_first_match(const struct cb_rule *rules, size_t n,
		    const struct cb_header *hdr)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cb_rule_matches(&rules[i], hdr))
			return (long)i;
	return -1;
}

/* Reads a whole file, NUL-terminated, into a malloc()ed buffer. */
static char *slurp(const char *path, size_t *len, char *err, size_t err_size)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(CB_MAX_FILE_BYTES + 1);
	if (!buf) {
		snprintf(err, err_size, "%s: out of memory", path);
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, CB_MAX_FILE_BYTES + 1, f);
	if (ferror(f) || n > CB_MAX_FILE_BYTES) {
		snprintf(err, err_size, "%s: %s", path, ferror(f) ?
			 "read error" : "file larger than CB_MAX_FILE_BYTES");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

typedef bool (*line_parser)(const char *line, size_t len, void *out,
			    const char **why);

static bool parse_rule_line(const char *line, size_t len, void *out,
			    const char **why)
{
	return cb_parse_rule(line, len, out, why);
}

static bool parse_header_line(const char *line, size_t len, void *out,
			      const char **why)
{
	return cb_parse_header(line, len, out, why);
}

static bool skipped(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
		i++;
	return i == len || line[i] == '#';
}

/* Room for one more elem-sized entry in *arr; false when out of memory. */
static bool grow(unsigned char **arr, size_t n, size_t *cap, size_t elem)
{
	void *grown;

	if (n < *cap)
		return true;
	grown = realloc(*arr, (*cap ? *cap * 2 : 1024) * elem);
	if (!grown)
		return false;
	*arr = grown;
	*cap = *cap ? *cap * 2 : 1024;
	return true;
}

/* Parses every line of path into a growing array of elem-sized entries. */
static int load(const char *path, line_parser parse, size_t elem,
		void **out, size_t *count, char *err, size_t err_size)
{
	size_t len, n = 0, cap = 0, lineno = 0;
	char *buf = slurp(path, &len, err, err_size), *p, *end;
	unsigned char *arr = NULL;
	const char *why;

	if (!buf)
		return -1;
	for (p = buf, end = buf + len; p < end; p++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		lineno++;
		if (!skipped(p, l)) {
			why = n == CB_MAX_ENTRIES ? "more entries than CB_MAX_ENTRIES" :
			      !grow(&arr, n, &cap, elem) ? "out of memory" : NULL;
			if (why || !parse(p, l, arr + n * elem, &why)) {
				snprintf(err, err_size, "%s:%zu: %s", path, lineno,
					 why);
				free(arr);
				free(buf);
				return -1;
			}
			n++;
		}
		p += l;
	}
	free(buf);
	*out = arr;
	*count = n;
	return 0;
}

int cb_load_rules(const char *path, struct cb_rule **rules, size_t *count,
		  char *err, size_t err_size)
{
	void *arr;

	if (load(path, parse_rule_line, sizeof(**rules), &arr, count, err,
		 err_size))
		return -1;
	*rules = arr;
	return 0;
}

int cb_load_trace(const char *path, struct cb_header **hdrs, size_t *count,
		  char *err, size_t err_size)
{
	void *arr;

	if (load(path, parse_header_line, sizeof(**hdrs), &arr, count, err,
		 err_size))
		return -1;
	*hdrs = arr;
	return 0;
}
