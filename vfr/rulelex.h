/*
 * rulelex.h - tokens and token-level text for the rule language.
 *
 * The lexer turns rule text into tokens with their line and column (both
 * from 1; a tab is one column).  Token kinds: WORD (a run of printable
 * characters other than space, tab, '"', '#', '/', ',' and ';'), STRING
 * ("..." on one line, printable, no escapes), SLASH, COMMA, NEWLINE (also
 * for ';') and EOF.  '#' starts a comment up to the end of the line.  Any
 * other byte (control characters, non-ASCII) is an error.  The lexer never
 * reads outside src[0..len), and a NUL byte is just an invalid character.
 *
 * The value parsers read exactly the bytes they are given and are strict:
 * decimal numbers without sign or leading zeros, dotted-quad IPv4 without
 * leading zeros, RFC 4291 IPv6 text (with "::" and a dotted-quad tail),
 * MACs as six pairs of hex digits separated by ':'.
 *
 * vfr_sbuf is a bounded string builder: it counts every byte asked for and
 * stores what fits, always leaving room for a terminating NUL.
 */
#ifndef VFR_RULELEX_H
#define VFR_RULELEX_H

#include "vfr_types.h"

enum vfr_tok_kind {
	VFR_TOK_EOF = 0,
	VFR_TOK_NEWLINE,
	VFR_TOK_WORD,
	VFR_TOK_STRING,		/* text/len exclude the quotes */
	VFR_TOK_SLASH,
	VFR_TOK_COMMA,
	VFR_TOK_ERROR,		/* text is the static reason */
};

struct vfr_token {
	uint8_t kind;
	const char *text;
	uint32_t len;
	uint32_t line, col;
};

struct vfr_lexer {
	const char *src;
	size_t len, pos;
	uint32_t line, col;
};

void vfr_lex_init(struct vfr_lexer *lx, const char *src, size_t len);
/* The next token; VFR_TOK_ERROR (with line/col) for text it cannot read. */
void vfr_lex_next(struct vfr_lexer *lx, struct vfr_token *tok);

bool vfr_tok_is(const struct vfr_token *t, const char *word);

/* Decimal 0..max (hex "0x.." too when allow_hex); false if not. */
bool vfr_parse_u32(const char *s, size_t len, uint32_t max, bool allow_hex,
		   uint32_t *out);
bool vfr_parse_ipv4(const char *s, size_t len, uint8_t out[4]);
bool vfr_parse_ipv6(const char *s, size_t len, uint8_t out[16]);
bool vfr_parse_mac(const char *s, size_t len, struct vfr_mac *out);

struct vfr_sbuf {
	char *buf;
	size_t cap;	/* bytes in buf, NUL included */
	size_t len;	/* bytes wanted so far (may exceed cap - 1) */
};

void vfr_sbuf_init(struct vfr_sbuf *sb, char *buf, size_t cap);
void vfr_sbuf_putn(struct vfr_sbuf *sb, const char *s, size_t n);
void vfr_sbuf_puts(struct vfr_sbuf *sb, const char *s);
void vfr_sbuf_put_u64(struct vfr_sbuf *sb, uint64_t v);
void vfr_sbuf_put_hex(struct vfr_sbuf *sb, uint32_t v, int min_digits);
void vfr_sbuf_put_ip(struct vfr_sbuf *sb, const struct vfr_ip *ip);
void vfr_sbuf_put_mac(struct vfr_sbuf *sb, const struct vfr_mac *mac);

#endif
