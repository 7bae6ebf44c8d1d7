/*
 * rulelang.h - the nft-like rule language: load a script, print a ruleset.
 *
 * A script is a sequence of statements, one per line (or separated by ';'):
 *   add rule VIF DIR [position H | handle H] MATCH... ACTION... [VERDICT]
 *   insert rule VIF DIR [position H] MATCH... ACTION... [VERDICT]
 *   replace rule VIF DIR handle H MATCH... ACTION... [VERDICT]
 *   delete rule VIF DIR handle H
 *   policy VIF DIR accept|drop
 *   flush ruleset | flush vif VIF | flush chain VIF DIR
 * The full grammar, every match and action, and the canonical print format
 * are in docs/vfr-rules.md.
 *
 * vfr_rulelang_load() runs the whole script as one transaction on rs: on
 * success (and without VFR_RULELANG_CHECK_ONLY) it commits; on any error it
 * aborts, so the ruleset in force is untouched, and *err says where and why
 * (line 0 for errors at commit, such as capacity).  With CHECK_ONLY it
 * parses and applies everything to the edit area, then aborts (pf's -n).
 *
 * vfr_rulelang_print() writes the active table as a script that loads back
 * into the same ruleset: "flush ruleset", then per chain a policy line and
 * one "add rule ... handle H ..." line per rule, in order.  Like snprintf it
 * returns the length it needed; the output is complete only when that is
 * below cap.
 */
#ifndef VFR_RULELANG_H
#define VFR_RULELANG_H

#include "ruleset.h"

#define VFR_RULELANG_CHECK_ONLY	1u	/* load: parse and apply, never commit */
#define VFR_RULELANG_COUNTERS	1u	/* print: include counter values */

#define VFR_RULELANG_MSG_MAX	160

struct vfr_rulelang_error {
	uint32_t line, col;		/* 0, 0 when not tied to the text */
	char msg[VFR_RULELANG_MSG_MAX];
};

int vfr_rulelang_load(struct vfr_ruleset *rs, const char *text, size_t len,
		      unsigned flags, struct vfr_rulelang_error *err);

size_t vfr_rulelang_print(const struct vfr_ruleset *rs, char *buf, size_t cap,
			  unsigned flags);

/* The MATCH... ACTION... VERDICT part of one rule; state may be NULL. */
size_t vfr_rulelang_format_rule(const struct vfr_rule *r,
				const struct vfr_rule_state *state,
				char *buf, size_t cap);

/*
 * The language's spellings, shared by the parser (rulelang.c, which defines
 * them) and the printer (ruleprint.c).  Name tables end with a NULL name.
 */
struct vfr_rulelang_name {
	const char *name;
	uint32_t value;
};

extern const struct vfr_rulelang_name vfr_rulelang_protocols[];
extern const struct vfr_rulelang_name vfr_rulelang_icmp_types[];
extern const struct vfr_rulelang_name vfr_rulelang_icmpv6_types[];
/* In the TCP header's bit order: fin syn rst psh ack urg ecn cwr. */
extern const char *const vfr_rulelang_tcp_flags[8];
extern const char *const vfr_rulelang_limit_units[VFR_LIMIT_HOUR + 1];
extern const char *const vfr_rulelang_verdicts[VFR_RULE_REJECT + 1];

/* The name of value v in table t, or NULL. */
const char *vfr_rulelang_name_of(const struct vfr_rulelang_name *t,
				 uint32_t v);

#endif
