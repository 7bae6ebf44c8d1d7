/*
 * classbench.h - ClassBench filter and trace files: types, parser, writer.
 *
 * A ClassBench filter file holds one IPv4 5-tuple rule a line:
 *
 *	@SRC/LEN<ws>DST/LEN<ws>SPLO : SPHI<ws>DPLO : DPHI<ws>0xPP/0xMM<ws>...
 *
 * (source prefix, destination prefix, source and destination port ranges,
 * protocol value/mask; anything after the protocol, such as ClassBench's
 * flags column, is ignored).  A trace file holds one packet header a line:
 *
 *	SRC<ws>DST<ws>SPORT<ws>DPORT<ws>PROTO[<ws>ORIGIN]
 *
 * with addresses as unsigned 32-bit decimals, as ClassBench's
 * trace_generator writes them.  ORIGIN, written by cbgen, is the 0-based
 * index of the rule the header was drawn from, or -1 for a random header.
 * Empty lines and lines starting with '#' are skipped in both formats.
 *
 * Interface: cb_parse_rule() and cb_parse_header() parse one line of at most
 * `len` bytes (no terminating NUL needed) and never read past it; on error
 * they return false and set *why to a static message.  cb_load_rules() and
 * cb_load_trace() read a whole file into a malloc()ed array the caller
 * frees; on error they return -1 with "path:line: reason" in err.
 * cb_format_rule() writes the canonical text of a rule; cb_rule_matches() is
 * the reference match of one header against one rule.
 *
 * Invariants of a parsed rule: prefix lengths are <= 32 and the address
 * has no bits set below its prefix (they are cleared on input); port lows
 * are <= port highs; the protocol mask is 0x00 (any protocol, value 0) or
 * 0xFF.  Addresses and ports are in host byte order.
 */
#ifndef CLASSBENCH_H
#define CLASSBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bounds for hostile files: larger files are rejected, not truncated. */
#define CB_MAX_FILE_BYTES	(64u << 20)
#define CB_MAX_ENTRIES		1000000u

struct cb_rule {
	uint32_t src_ip, dst_ip;
	uint8_t src_len, dst_len;
	uint16_t src_port_lo, src_port_hi;
	uint16_t dst_port_lo, dst_port_hi;
	uint8_t proto, proto_mask;
};

struct cb_header {
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
	uint8_t proto;
	int32_t origin;		/* rule it was drawn from, -1 if random */
};

/* The netmask of a prefix length (0..32) in host byte order. */
uint32_t cb_prefix_mask(unsigned int len);

bool cb_parse_rule(const char *line, size_t len, struct cb_rule *rule,
		   const char **why);
bool cb_parse_header(const char *line, size_t len, struct cb_header *hdr,
		     const char **why);

/* Writes at most size bytes, NUL included; returns what snprintf returns. */
int cb_format_rule(char *buf, size_t size, const struct cb_rule *rule);

bool cb_rule_matches(const struct cb_rule *rule, const struct cb_header *hdr);

/* First rule of rules[0..n) matching hdr, -1 if none. */
long cb_first_match(const struct cb_rule *rules, size_t n,
		    const struct cb_header *hdr);

int cb_load_rules(const char *path, struct cb_rule **rules, size_t *count,
		  char *err, size_t err_size);
int cb_load_trace(const char *path, struct cb_header **hdrs, size_t *count,
		  char *err, size_t err_size);

#endif
