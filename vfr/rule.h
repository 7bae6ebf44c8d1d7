/*
 * rule.h - one firewall rule: what it matches and what it does.
 *
 * A struct vfr_rule is a conjunction of optional match fields (each present
 * only when its VFR_MATCH_* bit is set in match.fields) plus an action: a
 * verdict (accept, drop, reject, or continue = no verdict), an optional log
 * prefix and an optional token-bucket limit.  vfr_rule_match() tests the
 * static part of a rule against a parsed packet; the limit is stateful and is
 * applied by the ruleset (ruleset.c), not here.
 *
 * Invariants (vfr_rule_validate() checks them; the ruleset refuses rules
 * that break them):
 *  - a rule is built by vfr_rule_init() (all bytes zero, padding included),
 *    so two rules with the same content compare equal with memcmp();
 *  - fields whose bit is clear are zero;
 *  - family is implied by IP prefixes, ICMP fields and is consistent with
 *    them; ports and TCP flags imply proto; ICMP fields imply proto 1 (v4)
 *    or 58 (v6); an IP family is never expressed as an ethertype;
 *  - prefixes have no bits set past their length; port ranges have lo <= hi;
 *    tcp_flags_value has no bit outside tcp_flags_mask;
 *  - log_prefix is NUL-terminated printable ASCII without '"' or '\'.
 *
 * Also here: VIF names and ids (vifD.N, uplink), shared with the VIF table.
 */
#ifndef VFR_RULE_H
#define VFR_RULE_H

#include "vfr_types.h"
#include "packet.h"
#include "prefix.h"

#define VFR_LOG_PREFIX_MAX	48	/* bytes, including the NUL */

#define VFR_MATCH_IIF		(1u << 0)
#define VFR_MATCH_OIF		(1u << 1)
#define VFR_MATCH_SRC_MAC	(1u << 2)
#define VFR_MATCH_DST_MAC	(1u << 3)
#define VFR_MATCH_ETHERTYPE	(1u << 4)	/* a non-IP ethertype */
#define VFR_MATCH_FAMILY	(1u << 5)	/* IPv4 or IPv6 packet */
#define VFR_MATCH_SRC_IP	(1u << 6)
#define VFR_MATCH_DST_IP	(1u << 7)
#define VFR_MATCH_PROTO		(1u << 8)	/* L4 protocol, any family */
#define VFR_MATCH_SRC_PORT	(1u << 9)
#define VFR_MATCH_DST_PORT	(1u << 10)
#define VFR_MATCH_ICMP_TYPE	(1u << 11)
#define VFR_MATCH_ICMP_CODE	(1u << 12)
#define VFR_MATCH_TCP_FLAGS	(1u << 13)
#define VFR_MATCH_ALL		((1u << 14) - 1)

/* Fields that need an L4 header: a non-first fragment never matches them. */
#define VFR_MATCH_L4_FIELDS	(VFR_MATCH_SRC_PORT | VFR_MATCH_DST_PORT | \
				 VFR_MATCH_ICMP_TYPE | VFR_MATCH_ICMP_CODE | \
				 VFR_MATCH_TCP_FLAGS)

struct vfr_port_range {
	uint16_t lo, hi;	/* inclusive, host byte order */
};

struct vfr_match {
	uint32_t fields;		/* VFR_MATCH_* bits present */
	vfr_vif_id_t iif, oif;
	uint16_t ethertype;
	uint8_t family;			/* VFR_AF_INET / VFR_AF_INET6 */
	uint8_t proto;
	struct vfr_mac src_mac, dst_mac;
	struct vfr_prefix src_ip, dst_ip;
	struct vfr_port_range sport, dport;
	uint8_t icmp_type, icmp_code;
	uint8_t tcp_flags_value, tcp_flags_mask;	/* (flags & mask) == value */
};

enum vfr_rule_verdict {
	VFR_RULE_CONTINUE = 0,	/* no verdict: count/log, then go on */
	VFR_RULE_ACCEPT,
	VFR_RULE_DROP,
	VFR_RULE_REJECT,
};

enum vfr_limit_unit {
	VFR_LIMIT_NONE = 0,
	VFR_LIMIT_SECOND,
	VFR_LIMIT_MINUTE,
	VFR_LIMIT_HOUR,
};

#define VFR_LIMIT_RATE_MAX	1000000u	/* packets per unit */
#define VFR_LIMIT_BURST_MAX	1000000u	/* packets */

struct vfr_action {
	uint8_t verdict;	/* enum vfr_rule_verdict */
	uint8_t log;		/* bool: send to the capture path */
	uint8_t limit_unit;	/* enum vfr_limit_unit; NONE = no limit */
	uint8_t limit_over;	/* bool: match only packets OVER the rate */
	uint32_t limit_rate;	/* packets per unit, 1..VFR_LIMIT_RATE_MAX */
	uint32_t limit_burst;	/* bucket depth in packets, 1..BURST_MAX */
	char log_prefix[VFR_LOG_PREFIX_MAX];
};

struct vfr_rule {
	struct vfr_match match;
	struct vfr_action action;
};

/* Zero every byte of *r: an empty match (matches all) that continues. */
void vfr_rule_init(struct vfr_rule *r);

/* NULL when *r keeps the invariants above, else a static reason. */
const char *vfr_rule_validate(const struct vfr_rule *r);

/*
 * Does the static part of *r match pkt, arriving from iif and leaving by oif
 * (VFR_VIF_NONE when not known)?  Limits are not looked at.
 */
bool vfr_rule_match(const struct vfr_rule *r, const struct vfr_pkt *pkt,
		    vfr_vif_id_t iif, vfr_vif_id_t oif);

/*
 * VIF names and ids: the one encoding, used by rulesets and the VIF table
 * (vif.c) alike.  vifD.N encodes as (D << 4) | N with D 0..4094 and N 0..15
 * (vfr_vif_id_t has 16 bits and reserves 0xfffe/0xffff); "uplink" is
 * VFR_VIF_UPLINK.  vfr_vif_name_parse() reads exactly len bytes and returns
 * 0, or -VFR_EINVAL for a malformed name, or -VFR_ENOSPC (with *why set) for
 * a well-formed one whose numbers cannot be encoded.
 */
#define VFR_VIF_DOMID_MAX	4094u
#define VFR_VIF_INDEX_MAX	15u
#define VFR_VIF_NAME_MAX	16	/* "vif4094.15" + NUL fits easily */

/* The id of vif<domid>.<index>, or VFR_VIF_NONE if either is out of range. */
vfr_vif_id_t vfr_vif_id_make(uint32_t domid, uint32_t index);

int vfr_vif_name_parse(const char *s, size_t len, vfr_vif_id_t *id,
		       const char **why);
/* Writes the NUL-terminated name into buf[VFR_VIF_NAME_MAX]; returns length. */
size_t vfr_vif_name_format(vfr_vif_id_t id, char buf[VFR_VIF_NAME_MAX]);
bool vfr_vif_id_valid(vfr_vif_id_t id);

/* 64-by-32-bit division without libgcc (the 32-bit Dom0 has none). */
uint64_t vfr_div_u64(uint64_t n, uint32_t d, uint32_t *rem);

#endif
