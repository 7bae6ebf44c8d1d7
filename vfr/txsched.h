/*
 * txsched.h - fair transmit scheduling: deficit round robin over source
 * VIFs, each optionally limited by an xl-style credit (rate.h).
 *
 * One scheduler serves one output (the uplink, or one VIF's receive side).
 * Its sources are the VIFs that send to that output; each source has a FIFO
 * of packet descriptors (length + opaque 32-bit cookie) in an array the
 * caller provides.  dequeue() picks the next packet to put on the output:
 *
 *   - Deficit round robin (Shreedhar & Varghese): backlogged sources take
 *     turns; a turn adds `quantum` bytes (default 1514) to the source's
 *     deficit and sends head packets while they fit in it, so sources share
 *     the output by bytes, not by packets, whatever their packet sizes.
 *   - A source with a credit (vfr_txsched_set_credit) is skipped, without
 *     earning a quantum, while its credit is exhausted; others go on using
 *     the output (work-conserving).  A credit may be shared by the
 *     schedulers of several outputs: it limits the VIF, not one path.
 *   - When every backlogged source is waiting for credit, dequeue() says
 *     so and gives the earliest replenish time, for the caller's timer.
 *
 * Time is passed in by the caller in nanoseconds; arithmetic is integer.
 *
 * Invariants:
 *   - Every source on the active list has a non-empty queue, and every
 *     source with a non-empty queue is on it, exactly once.
 *   - A source's deficit stays below quantum + VFR_TXSCHED_MAX_LEN; it is 0
 *     while the source is idle or ends a turn for lack of credit.
 *   - Queues never overflow: enqueue() refuses with -VFR_ENOBUFS instead,
 *     and the caller counts that as a drop.
 *   - Not thread-safe: one scheduler has one user at a time.
 */
#ifndef VFR_TXSCHED_H
#define VFR_TXSCHED_H

#include "vfr_types.h"
#include "rate.h"

#define VFR_TXSCHED_DEFAULT_QUANTUM	1514u
#define VFR_TXSCHED_MAX_LEN		65535u	/* longest packet accepted */
#define VFR_TXSCHED_MAX_SOURCES		0xfffeu
#define VFR_TXSCHED_NO_SOURCE		0xffffu

struct vfr_txsched_desc {
	uint32_t len;		/* bytes on the wire, 1..VFR_TXSCHED_MAX_LEN */
	uint32_t cookie;	/* the caller's: a ring slot, a grant ref... */
};

/* One source VIF.  Private to txsched.c; callers only allocate these. */
struct vfr_txsched_source {
	struct vfr_txsched_desc *queue;	/* caller array: ring of descs */
	uint32_t capacity, head, count;
	uint32_t deficit;
	struct vfr_credit *credit;	/* NULL = unlimited */
	vfr_vif_id_t vif;
	uint16_t next_active;		/* active-list link */
	bool active;
	bool in_turn;			/* has this turn's quantum */
	uint64_t sent_packets, sent_bytes;
	uint64_t enqueue_refused;
};

struct vfr_txsched {
	struct vfr_txsched_source *sources;
	uint16_t n_sources;
	uint16_t active_head, active_tail;	/* FIFO of turns */
	uint16_t n_active;
	uint32_t quantum;
};

/* What dequeue() hands back. */
struct vfr_txsched_pkt {
	uint16_t source;		/* index of the source it came from */
	vfr_vif_id_t vif;
	struct vfr_txsched_desc desc;
};

/*
 * Set up a scheduler over sources[0..n_sources-1] (caller memory) with the
 * given DRR quantum in bytes (0 = VFR_TXSCHED_DEFAULT_QUANTUM).  Every
 * source starts with no queue: give each one with vfr_txsched_source_init.
 */
int vfr_txsched_init(struct vfr_txsched *s, struct vfr_txsched_source *sources,
		     uint16_t n_sources, uint32_t quantum);

/* Source idx is VIF `vif`, queueing into queue[0..capacity-1]. */
int vfr_txsched_source_init(struct vfr_txsched *s, uint16_t idx,
			    vfr_vif_id_t vif, struct vfr_txsched_desc *queue,
			    uint32_t capacity);

/* Limit source idx by credit (NULL: unlimited).  Not owned. */
int vfr_txsched_set_credit(struct vfr_txsched *s, uint16_t idx,
			   struct vfr_credit *credit);

/*
 * Queue a packet of len bytes from source idx.  -VFR_ENOBUFS when that
 * source's queue is full (the caller drops and counts the packet),
 * -VFR_EINVAL for a bad index or a length outside 1..VFR_TXSCHED_MAX_LEN.
 */
int vfr_txsched_enqueue(struct vfr_txsched *s, uint16_t idx, uint32_t len,
			uint32_t cookie);

/*
 * The next packet to send at time now_ns.  0 with *out filled; or
 * -VFR_EAGAIN when packets are queued but every such source is out of
 * credit, with *wake_ns the earliest time one is replenished; or
 * -VFR_ENODATA when nothing is queued.  wake_ns may be NULL.
 */
int vfr_txsched_dequeue(struct vfr_txsched *s, uint64_t now_ns,
			struct vfr_txsched_pkt *out, uint64_t *wake_ns);

/* Packets queued at source idx (0 for a bad index). */
uint32_t vfr_txsched_backlog(const struct vfr_txsched *s, uint16_t idx);

#endif
