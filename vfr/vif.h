/*
 * vif.h - virtual interfaces (VIFs): identity, anti-spoofing and counters.
 *
 * A VIF is one guest network interface, named vif<domid>.<index> as in Xen
 * (e.g. "vif3.0").  It has a MAC, a short list of IPv4/IPv6 addresses or
 * prefixes the guest may send from, a switch to turn anti-spoofing off and
 * a receive mode (page flip or grant copy).
 *
 * VIFs live in a struct vfr_vif_table whose slots are caller memory.  A
 * VIF's vfr_vif_id_t is its name's encoding, vfr_vif_id_make(domid, index)
 * (rule.h), not its slot: the id a ruleset stores for "vif3.0" is the id
 * the table gives vif3.0, whatever slot it sits in and across removals and
 * re-adds.  Lookups are by id, by MAC and by name (a small table, scanned);
 * vfr_vif_lookup_name() parses with the rule code's vfr_vif_name_parse()
 * and also knows "uplink".
 *
 * Anti-spoofing (vfr_vif_source_allowed): a frame a guest sends must carry
 * the VIF's MAC as Ethernet source, and
 *  - IPv4: a source inside one of the VIF's IPv4 prefixes, or 0.0.0.0 for
 *    DHCP client traffic (UDP 68 -> 67);
 *  - IPv6: a source inside one of the VIF's IPv6 prefixes, or the VIF's
 *    EUI-64 link-local address fe80::/64 derived from its MAC, or :: for
 *    duplicate address detection (ICMPv6 neighbour solicitation, and the
 *    MLDv2 report sent alongside it);
 *  - ARP: the VIF's MAC as sender hardware address and a sender IP inside
 *    one of its IPv4 prefixes, or 0.0.0.0 (an RFC 5227 probe).
 * An empty address list allows no address of that family besides these.
 *
 * Counters are kept from the VFR's side of the VIF, as Dom0's vifD.N
 * network device counts them: rx = frames received from the guest
 * (direction in), tx = frames transmitted to the guest (direction out).
 * Every drop is counted once, by reason, on the VIF it came from or was
 * going to, or in the table's uplink counters for the uplink.
 */
#ifndef VFR_VIF_H
#define VFR_VIF_H

#include "vfr_types.h"
#include "packet.h"
#include "prefix.h"
#include "rule.h"	/* VIF names and ids */

#define VFR_VIF_MAX_ADDRS	8	/* IPv4 + IPv6 prefixes per VIF */
#define VFR_VIF_TABLE_MAX	0xfff0	/* slots per table: every vifD.N id */

enum vfr_rx_mode {
	VFR_RX_FLIP = 0,	/* hand over the page that holds the frame */
	VFR_RX_COPY = 1,	/* copy into a page the guest posted */
};

struct vfr_vif_config {
	uint16_t domid;			/* 0..VFR_VIF_DOMID_MAX */
	uint8_t index;			/* N in vifD.N, 0..VFR_VIF_INDEX_MAX */
	struct vfr_mac mac;		/* unicast, not all-zero */
	struct vfr_prefix addrs[VFR_VIF_MAX_ADDRS];
	uint8_t n_addrs;
	bool spoof_check_off;		/* true: no anti-spoofing at all */
	enum vfr_rx_mode rx_mode;
};

struct vfr_counters {
	uint64_t rx_packets, rx_bytes;
	uint64_t tx_packets, tx_bytes;
	uint64_t drops[VFR_DROP_REASON_COUNT];
};

struct vfr_vif {
	bool in_use;
	vfr_vif_id_t id;		/* vfr_vif_id_make(cfg.domid, cfg.index) */
	struct vfr_vif_config cfg;
	struct vfr_counters counters;
};

struct vfr_vif_table {
	struct vfr_vif *slots;		/* caller memory */
	uint16_t capacity;
	uint16_t count;			/* slots in use */
	struct vfr_counters uplink;	/* the uplink's frames and drops */
};

/* Use slots[0..capacity) (capacity <= VFR_VIF_TABLE_MAX); clears them. */
int vfr_vif_table_init(struct vfr_vif_table *t, struct vfr_vif *slots,
		       uint16_t capacity);

/*
 * Add a VIF.  -VFR_EINVAL for a bad config (domid or index out of range,
 * multicast or zero MAC, more than VFR_VIF_MAX_ADDRS addresses, a bad
 * prefix), -VFR_EEXIST if its name or MAC is taken, -VFR_ENOSPC when the
 * table is full.  *id is set on 0 to vfr_vif_id_make(domid, index).
 */
int vfr_vif_add(struct vfr_vif_table *t, const struct vfr_vif_config *cfg,
		vfr_vif_id_t *id);

/* Remove a VIF (its counters go with it); -VFR_ENOENT if absent. */
int vfr_vif_remove(struct vfr_vif_table *t, vfr_vif_id_t id);

/* The VIF with this id, or NULL (also for VFR_VIF_UPLINK/VFR_VIF_NONE). */
struct vfr_vif *vfr_vif_get(struct vfr_vif_table *t, vfr_vif_id_t id);
const struct vfr_vif *vfr_vif_get_const(const struct vfr_vif_table *t,
					vfr_vif_id_t id);

/* The VIF whose MAC this is, or VFR_VIF_NONE. */
vfr_vif_id_t vfr_vif_lookup_mac(const struct vfr_vif_table *t,
				const struct vfr_mac *mac);

/*
 * Resolve name[0..len) ("vif3.0", or "uplink" for VFR_VIF_UPLINK; not
 * NUL-terminated).  0 and *out set; -VFR_EINVAL if it is not a VIF name
 * that vfr_vif_name_parse() can encode; -VFR_ENOENT if no such VIF exists.
 */
int vfr_vif_lookup_name(const struct vfr_vif_table *t, const char *name,
			size_t len, vfr_vif_id_t *out);

/*
 * Write id's name, NUL-terminated, into buf[0..size).  Returns its length
 * without the NUL, -VFR_ENOENT for an unknown id, -VFR_ENOSPC if size is
 * too small (buf is then left holding "").
 */
int vfr_vif_format_name(const struct vfr_vif_table *t, vfr_vif_id_t id,
			char *buf, size_t size);

/* Anti-spoofing: may this VIF send this frame (parsed successfully)? */
bool vfr_vif_source_allowed(const struct vfr_vif *vif,
			    const struct vfr_pkt *pkt);

/*
 * Count a frame of `bytes` received from (VFR_DIR_IN) or transmitted to
 * (VFR_DIR_OUT) a VIF's guest or the uplink's wire, or a drop by reason.
 * Unknown ids are ignored: a frame for a VIF removed meanwhile has nobody
 * to count it.
 */
void vfr_vif_count_frame(struct vfr_vif_table *t, vfr_vif_id_t id,
			 enum vfr_dir dir, uint32_t bytes);
void vfr_vif_count_drop(struct vfr_vif_table *t, vfr_vif_id_t id,
			enum vfr_drop_reason reason);

/* The counters of a VIF or of the uplink, or NULL for an unknown id. */
const struct vfr_counters *vfr_vif_counters(const struct vfr_vif_table *t,
					    vfr_vif_id_t id);

#endif
