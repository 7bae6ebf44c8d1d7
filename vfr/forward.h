/*
 * forward.h - where a parsed frame goes: the VFR's switching and routing.
 *
 * Interface: a struct vfr_fwd holds a MAC table and a static route table,
 * both in caller memory, plus the VFR's own router MAC and the flip/copy
 * threshold.  vfr_fwd_decide() takes a parsed frame and the port it came
 * from (a VIF id or VFR_VIF_UPLINK) and fills a caller-provided list of
 * destinations, each with a delivery method.  The decision, in order:
 *  1. broadcast/multicast destination MAC (ARP requests included): flood to
 *     every VIF and the uplink except the source;
 *  2. destination MAC == router MAC: route by the destination IP, longest
 *     prefix first (IPv4 and IPv6); the caller then applies
 *     vfr_fwd_rewrite_routed() (new MACs, TTL - 1).  No IP, no route, a
 *     route back out of the source port, or TTL <= 1: VFR_DROP_NO_ROUTE;
 *  3. a MAC in the table: that port, unless it is the source
 *     (VFR_DROP_NO_ROUTE: a switch never sends a frame back where it came
 *     from);
 *  4. unknown unicast: to the uplink when it came from a VIF,
 *     VFR_DROP_NO_ROUTE when it came from the uplink.
 * Delivery: the uplink always copies (its DMA reads the buffer).  A VIF
 * gets the page flipped unless the frame is shorter than copy_threshold
 * bytes, the VIF asked for copy mode, or the frame goes to more than one
 * destination (a page can be handed over only once).
 *
 * MAC table: VIF MACs are static entries (vfr_fwd_learn_vif when a VIF is
 * added, vfr_fwd_forget_port when it goes); source MACs seen on the uplink
 * are learned (vfr_fwd_learn_uplink) with the caller's clock and age out
 * after mac_max_age ticks.  A learned entry never replaces a static one,
 * so a station on the wire cannot take over a VIF's MAC.  The table is
 * 4-way set associative: a full set evicts its oldest learned entry.
 */
#ifndef VFR_FORWARD_H
#define VFR_FORWARD_H

#include "vfr_types.h"
#include "packet.h"
#include "vif.h"

#define VFR_FWD_COPY_THRESHOLD	256	/* bytes; default copy_threshold */
#define VFR_FWD_MAC_WAYS	4	/* entries per MAC table set */

enum vfr_delivery {
	VFR_DELIVER_FLIP = 0,
	VFR_DELIVER_COPY = 1,
};

struct vfr_fwd_mac_entry {
	struct vfr_mac mac;
	vfr_vif_id_t port;	/* VFR_VIF_NONE: free */
	bool is_static;
	uint32_t seen;		/* caller's clock, for learned entries */
};

struct vfr_fwd_route {
	struct vfr_prefix dst;
	vfr_vif_id_t port;		/* a VIF or VFR_VIF_UPLINK */
	struct vfr_mac next_hop;	/* for VIF routes: zero = the VIF's MAC */
};

struct vfr_fwd {
	const struct vfr_vif_table *vifs;
	struct vfr_mac router_mac;	/* zero: the VFR does not route */
	uint32_t copy_threshold;
	uint32_t mac_max_age;
	struct vfr_fwd_mac_entry *macs;	/* caller memory */
	uint32_t mac_capacity;		/* power of two, >= VFR_FWD_MAC_WAYS */
	struct vfr_fwd_route *routes;	/* caller memory, longest prefix first */
	uint16_t route_capacity, n_routes;
};

struct vfr_fwd_dest {
	vfr_vif_id_t port;
	enum vfr_delivery delivery;
};

struct vfr_fwd_decision {
	struct vfr_fwd_dest *dests;	/* caller memory */
	uint16_t capacity;
	uint16_t count;
	enum vfr_drop_reason drop;	/* VFR_DROP_NONE when count > 0 */
	bool routed;			/* rewrite with next_hop before sending */
	struct vfr_mac next_hop;
};

/*
 * Set up f over caller memory.  -VFR_EINVAL if mac_capacity is not a power
 * of two of at least VFR_FWD_MAC_WAYS.  copy_threshold starts at
 * VFR_FWD_COPY_THRESHOLD; the router MAC at zero (no routing).
 */
int vfr_fwd_init(struct vfr_fwd *f, const struct vfr_vif_table *vifs,
		 struct vfr_fwd_mac_entry *macs, uint32_t mac_capacity,
		 struct vfr_fwd_route *routes, uint16_t route_capacity,
		 uint32_t mac_max_age);

/* A static entry for a VIF's MAC.  -VFR_ENOENT, -VFR_ENOSPC (set full). */
int vfr_fwd_learn_vif(struct vfr_fwd *f, vfr_vif_id_t vif);

/*
 * Learn the source MAC of a frame from the uplink at time now.  Multicast
 * and zero MACs, the router MAC and static entries are left alone
 * (returns 0); -VFR_ENOSPC if the set holds only static entries.
 */
int vfr_fwd_learn_uplink(struct vfr_fwd *f, const struct vfr_pkt *pkt,
			 uint32_t now);

/* The port of mac's live MAC table entry at time now, or VFR_VIF_NONE. */
vfr_vif_id_t vfr_fwd_mac_lookup(const struct vfr_fwd *f,
				const struct vfr_mac *mac, uint32_t now);

/* Drop every MAC entry and route that points to port. */
void vfr_fwd_forget_port(struct vfr_fwd *f, vfr_vif_id_t port);

/*
 * Add a static route.  -VFR_EINVAL for a bad prefix, a port that is
 * neither a VIF of the table nor the uplink, or an uplink route without a
 * next-hop MAC; -VFR_EEXIST for a duplicate prefix; -VFR_ENOSPC if full.
 */
int vfr_fwd_route_add(struct vfr_fwd *f, const struct vfr_fwd_route *r);
int vfr_fwd_route_remove(struct vfr_fwd *f, const struct vfr_prefix *dst);

/*
 * Decide where pkt (parsed successfully) from port `from` goes; see the
 * top.  0 with out->count destinations, or out->count == 0 and out->drop
 * set.  -VFR_EINVAL for an unknown source port; -VFR_ENOSPC if out
 * cannot hold every destination (out->count is then 0).
 */
int vfr_fwd_decide(const struct vfr_fwd *f, const struct vfr_pkt *pkt,
		   vfr_vif_id_t from, uint32_t now,
		   struct vfr_fwd_decision *out);

/*
 * Rewrite a frame the decision routed: destination MAC = next hop, source
 * MAC = router MAC, TTL/hop limit - 1 (IPv4 checksum updated per RFC
 * 1624).  pkt must be the parse of frame.  -VFR_EINVAL if not routable.
 */
int vfr_fwd_rewrite_routed(const struct vfr_fwd *f, uint8_t *frame,
			   const struct vfr_pkt *pkt,
			   const struct vfr_fwd_decision *d);

#endif
