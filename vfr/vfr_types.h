/*
 * vfr_types.h - the small vocabulary shared by every part of the VFR.
 *
 * Error codes, addresses, VIF identifiers, directions, verdicts and drop
 * reasons.  Every other vfr/ header builds on these; nothing here has
 * behaviour.  Addresses are kept in network byte order exactly as they
 * appear on the wire.
 */
#ifndef VFR_TYPES_H
#define VFR_TYPES_H

#include "vfr_env.h"

/*
 * Error codes, returned negated by every vfr/ function that can fail.  The
 * values are Linux errno values, so they read naturally in logs and pass
 * through Dom0's hypercall and ioctl paths unchanged.
 */
#define VFR_EPERM	1	/* not allowed (e.g. no reply may be sent) */
#define VFR_ENOENT	2	/* no such chain / handle / VIF */
#define VFR_EIO		5	/* a shared ring is corrupt */
#define VFR_EAGAIN	11	/* work waits, but only for credit */
#define VFR_EBUSY	16	/* a transaction is (or is not) open */
#define VFR_EEXIST	17	/* handle, VIF or route already present */
#define VFR_EINVAL	22	/* malformed input or argument */
#define VFR_ENOSPC	28	/* a caller-given capacity is exhausted */
#define VFR_ENODATA	61	/* nothing queued at all */
#define VFR_EOVERFLOW	75	/* a number too large for its field */
#define VFR_ENOBUFS	105	/* a queue is full */

#define VFR_ETH_ALEN	6

struct vfr_mac {
	uint8_t b[VFR_ETH_ALEN];
};

/* An IPv4 or IPv6 address.  IPv4 uses the first 4 bytes of b[]. */
struct vfr_ip {
	uint8_t family;		/* VFR_AF_INET or VFR_AF_INET6 */
	uint8_t b[16];
};

#define VFR_AF_NONE	0
#define VFR_AF_INET	4
#define VFR_AF_INET6	6

/*
 * An address prefix: the first len bits of addr.  Host bits (past len) are
 * zero in every prefix that passed vfr_prefix_valid() (prefix.h).
 */
struct vfr_prefix {
	struct vfr_ip addr;	/* family VFR_AF_INET or VFR_AF_INET6 */
	uint8_t len;		/* 0..32 or 0..128 */
};

/*
 * A VIF is named vif<domid>.<index>; its id is (domid << 4) | index (see
 * vfr_vif_id_make() in rule.h), the same in rulesets and in the VIF table.
 * The uplink has its own id.
 */
typedef uint16_t vfr_vif_id_t;
#define VFR_VIF_UPLINK	((vfr_vif_id_t)0xfffe)
#define VFR_VIF_NONE	((vfr_vif_id_t)0xffff)

/* in = frames from the guest; out = frames to the guest. */
enum vfr_dir {
	VFR_DIR_IN = 0,
	VFR_DIR_OUT = 1,
	VFR_DIR_COUNT
};

enum vfr_verdict {
	VFR_ACCEPT = 0,
	VFR_DROP,
	VFR_REJECT,
};

/* Every dropped frame carries exactly one of these. */
enum vfr_drop_reason {
	VFR_DROP_NONE = 0,
	VFR_DROP_POLICY,	/* a rule or a chain's default policy */
	VFR_DROP_SPOOFED,	/* source MAC/IP not the VIF's own */
	VFR_DROP_MALFORMED,	/* truncated or inconsistent headers */
	VFR_DROP_RATE_LIMITED,	/* a `limit rate` rule or a VIF credit */
	VFR_DROP_NO_ROUTE,	/* no VIF or uplink to deliver to */
	VFR_DROP_REASON_COUNT
};

#endif
