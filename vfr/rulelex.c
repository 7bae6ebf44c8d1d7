/*
 * rulelex.c - lexer, number/address parsers and string builder of the rule
 * language.  Interface and accepted forms in rulelex.h.  Pure functions over
 * caller-given bytes; every read is checked against the given length.
 */
#include "vfr_env.h"
#include "rulelex.h"
#include "rule.h"

void vfr_lex_init(struct vfr_lexer *lx, const char *src, size_t len)
{
	lx->src = src;
	lx->len = len;
	lx->pos = 0;
	lx->line = 1;
	lx->col = 1;
}

static bool is_word_char(char c)
{
	return c > ' ' && c < 0x7f && c != '"' && c != '#' && c != '/' &&
	       c != ',' && c != ';';
}

static void skip_blanks(struct vfr_lexer *lx)
{
	while (lx->pos < lx->len) {
		char c = lx->src[lx->pos];

		if (c == '#') {
			while (lx->pos < lx->len && lx->src[lx->pos] != '\n') {
				lx->pos++;
				lx->col++;
			}
		} else if (c == ' ' || c == '\t' || c == '\r') {
			lx->pos++;
			lx->col++;
		} else {
			return;
		}
	}
}

static void lex_string(struct vfr_lexer *lx, struct vfr_token *tok)
{
	size_t start = ++lx->pos;

	lx->col++;
	while (lx->pos < lx->len && lx->src[lx->pos] != '"') {
		char c = lx->src[lx->pos];

		if (c < ' ' || c > 0x7e) {
			tok->kind = VFR_TOK_ERROR;
			tok->text = c == '\n' ? "unterminated string" :
				    "invalid character in string";
			return;
		}
		lx->pos++;
		lx->col++;
	}
	if (lx->pos == lx->len) {
		tok->kind = VFR_TOK_ERROR;
		tok->text = "unterminated string";
		return;
	}
	tok->kind = VFR_TOK_STRING;
	tok->text = lx->src + start;
	tok->len = (uint32_t)(lx->pos - start);
	lx->pos++;
	lx->col++;
}

void vfr_lex_next(struct vfr_lexer *lx, struct vfr_token *tok)
{
	char c;

	skip_blanks(lx);
	tok->line = lx->line;
	tok->col = lx->col;
	tok->text = lx->src + lx->pos;
	tok->len = 1;
	if (lx->pos >= lx->len) {
		tok->kind = VFR_TOK_EOF;
		tok->len = 0;
		return;
	}
	c = lx->src[lx->pos];
	if (c == '\n' || c == ';') {
		tok->kind = VFR_TOK_NEWLINE;
		lx->pos++;
		if (c == '\n') {
			lx->line++;
			lx->col = 1;
		} else {
			lx->col++;
		}
		return;
	}
	if (c == '"') {
		lex_string(lx, tok);
		return;
	}
	if (c == '/' || c == ',') {
		tok->kind = c == '/' ? VFR_TOK_SLASH : VFR_TOK_COMMA;
		lx->pos++;
		lx->col++;
		return;
	}
	if (!is_word_char(c)) {
		tok->kind = VFR_TOK_ERROR;
		tok->text = "invalid character";
		return;
	}
	tok->kind = VFR_TOK_WORD;
	while (lx->pos < lx->len && is_word_char(lx->src[lx->pos])) {
		lx->pos++;
		lx->col++;
	}
	tok->len = (uint32_t)(lx->src + lx->pos - tok->text);
}

bool vfr_tok_is(const struct vfr_token *t, const char *word)
{
	size_t n = 0;

	while (word[n])
		n++;
	return t->kind == VFR_TOK_WORD && t->len == n &&
	       memcmp(t->text, word, n) == 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool vfr_parse_u32(const char *s, size_t len, uint32_t max, bool allow_hex,
		   uint32_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	uint32_t base = 10;

	if (allow_hex && len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len || len - i > 10 || (base == 10 && s[0] == '0' && len > 1))
		return false;
	for (; i < len; i++) {
		int d = hex_digit(s[i]);

		if (d < 0 || (uint32_t)d >= base)
			return false;
		v = v * base + (uint32_t)d;
	}
	if (v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool vfr_parse_ipv4(const char *s, size_t len, uint8_t out[4])
{
	size_t i = 0, start;
	uint32_t v;
	int part;

	for (part = 0; part < 4; part++) {
		start = i;
		while (i < len && s[i] != '.')
			i++;
		if (!vfr_parse_u32(s + start, i - start, 255, false, &v))
			return false;
		out[part] = (uint8_t)v;
		if (part < 3) {
			if (i == len)
				return false;
			i++;
		}
	}
	return i == len;
}

/* One hex group s[*i..) of 1..4 digits, or the dotted-quad tail. */
static int ipv6_group(const char *s, size_t len, size_t *i, uint16_t *g,
		      int *ng)
{
	size_t j = *i, k;
	uint32_t v = 0;

	while (j < len && (hex_digit(s[j]) >= 0 || s[j] == '.'))
		j++;
	for (k = *i; k < j; k++)
		if (s[k] == '.') {
			uint8_t q[4];

			if (j != len || *ng > 6 ||
			    !vfr_parse_ipv4(s + *i, j - *i, q))
				return -1;
			g[(*ng)++] = (uint16_t)(q[0] << 8 | q[1]);
			g[(*ng)++] = (uint16_t)(q[2] << 8 | q[3]);
			*i = j;
			return 1;	/* must be last */
		}
	if (j == *i || j - *i > 4 || *ng == 8)
		return -1;
	for (k = *i; k < j; k++)
		v = v << 4 | (uint32_t)hex_digit(s[k]);
	g[(*ng)++] = (uint16_t)v;
	*i = j;
	return 0;
}

bool vfr_parse_ipv6(const char *s, size_t len, uint8_t out[16])
{
	uint16_t g[8];
	int ng = 0, gap = -1, k, r;
	size_t i = 0;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	}
	while (i < len) {
		r = ipv6_group(s, len, &i, g, &ng);
		if (r < 0)
			return false;
		if (i == len)
			break;
		if (r > 0 || s[i] != ':' || ++i == len)
			return false;
		if (s[i] == ':') {
			if (gap >= 0)
				return false;
			gap = ng;
			i++;
		}
	}
	if ((gap < 0 && ng != 8) || (gap >= 0 && ng > 7))
		return false;
	memset(out, 0, 16);
	for (k = 0; k < ng; k++) {
		int pos = (gap >= 0 && k >= gap) ? 8 - ng + k : k;

		out[2 * pos] = (uint8_t)(g[k] >> 8);
		out[2 * pos + 1] = (uint8_t)g[k];
	}
	return true;
}

bool vfr_parse_mac(const char *s, size_t len, struct vfr_mac *out)
{
	int i;

	if (len != 17)
		return false;
	for (i = 0; i < 6; i++) {
		int hi = hex_digit(s[3 * i]), lo = hex_digit(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return false;
		out->b[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

void vfr_sbuf_init(struct vfr_sbuf *sb, char *buf, size_t cap)
{
	sb->buf = buf;
	sb->cap = cap;
	sb->len = 0;
	if (cap)
		buf[0] = '\0';
}

void vfr_sbuf_putn(struct vfr_sbuf *sb, const char *s, size_t n)
{
	size_t room = sb->cap && sb->len < sb->cap - 1 ?
		      sb->cap - 1 - sb->len : 0;
	size_t copy = n < room ? n : room;

	if (copy) {
		memcpy(sb->buf + sb->len, s, copy);
		sb->buf[sb->len + copy] = '\0';
	}
	sb->len += n;
}

void vfr_sbuf_puts(struct vfr_sbuf *sb, const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	vfr_sbuf_putn(sb, s, n);
}

void vfr_sbuf_put_u64(struct vfr_sbuf *sb, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		uint32_t digit;

		v = vfr_div_u64(v, 10, &digit);
		tmp[sizeof(tmp) - 1 - n++] = (char)('0' + digit);
	} while (v);
	vfr_sbuf_putn(sb, tmp + sizeof(tmp) - n, (size_t)n);
}

void vfr_sbuf_put_hex(struct vfr_sbuf *sb, uint32_t v, int min_digits)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[8];
	int n = 0;

	do {
		tmp[7 - n++] = digits[v & 15];
		v >>= 4;
	} while (v || n < min_digits);
	vfr_sbuf_putn(sb, tmp + 8 - n, (size_t)n);
}

/* RFC 5952: lowercase, no leading zeros, longest zero run (>= 2) as "::". */
static void put_ipv6(struct vfr_sbuf *sb, const uint8_t *b)
{
	int best = -1, best_len = 1, i, run;

	for (i = 0; i < 8; i += run ? run : 1) {
		for (run = 0; i + run < 8 && !b[2 * (i + run)] &&
		     !b[2 * (i + run) + 1]; run++)
			;
		if (run > best_len) {
			best = i;
			best_len = run;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			vfr_sbuf_puts(sb, "::");
			i += best_len - 1;
			continue;
		}
		if (i && i != best + best_len)
			vfr_sbuf_putn(sb, ":", 1);
		vfr_sbuf_put_hex(sb, (uint32_t)(b[2 * i] << 8 | b[2 * i + 1]), 1);
	}
}

void vfr_sbuf_put_ip(struct vfr_sbuf *sb, const struct vfr_ip *ip)
{
	int i;

	if (ip->family == VFR_AF_INET6) {
		put_ipv6(sb, ip->b);
		return;
	}
	for (i = 0; i < 4; i++) {
		if (i)
			vfr_sbuf_putn(sb, ".", 1);
		vfr_sbuf_put_u64(sb, ip->b[i]);
	}
}

void vfr_sbuf_put_mac(struct vfr_sbuf *sb, const struct vfr_mac *mac)
{
	int i;

	for (i = 0; i < 6; i++) {
		if (i)
			vfr_sbuf_putn(sb, ":", 1);
		vfr_sbuf_put_hex(sb, mac->b[i], 2);
	}
}
