/*
 * txsched.c - deficit round robin over source VIFs with xl-style credit.
 *
 * Interface: see txsched.h.
 *
 * The active list is a FIFO of source indices linked through
 * next_active: the head is the source whose turn it is; a turn ends by
 * moving the head to the tail.  A source leaves the list only when its
 * queue empties, which can only happen while it is the head (dequeue is
 * the only thing that shortens a queue), so a singly linked FIFO suffices.
 *
 * Invariants: see txsched.h.  In addition, dequeue() visits at most
 * n_active * (VFR_TXSCHED_MAX_LEN / quantum + 2) heads before it returns,
 * which bounds its running time even with a quantum smaller than packets.
 */
#include "txsched.h"

#define MIN_QUANTUM	64u
#define MAX_QUANTUM	(1u << 20)

static bool bad_index(const struct vfr_txsched *s, uint16_t idx)
{
	return s == NULL || idx >= s->n_sources;
}

int vfr_txsched_init(struct vfr_txsched *s, struct vfr_txsched_source *sources,
		     uint16_t n_sources, uint32_t quantum)
{
	if (s == NULL || sources == NULL || n_sources == 0 ||
	    n_sources > VFR_TXSCHED_MAX_SOURCES)
		return -VFR_EINVAL;
	if (quantum == 0)
		quantum = VFR_TXSCHED_DEFAULT_QUANTUM;
	if (quantum < MIN_QUANTUM || quantum > MAX_QUANTUM)
		return -VFR_EINVAL;
	memset(sources, 0, sizeof(*sources) * n_sources);
	s->sources = sources;
	s->n_sources = n_sources;
	s->active_head = s->active_tail = VFR_TXSCHED_NO_SOURCE;
	s->n_active = 0;
	s->quantum = quantum;
	return 0;
}

int vfr_txsched_source_init(struct vfr_txsched *s, uint16_t idx,
			    vfr_vif_id_t vif, struct vfr_txsched_desc *queue,
			    uint32_t capacity)
{
	struct vfr_txsched_source *src;

	if (bad_index(s, idx) || queue == NULL || capacity == 0)
		return -VFR_EINVAL;
	src = &s->sources[idx];
	if (src->active)		/* would orphan queued packets */
		return -VFR_EINVAL;
	memset(src, 0, sizeof(*src));
	src->queue = queue;
	src->capacity = capacity;
	src->vif = vif;
	src->next_active = VFR_TXSCHED_NO_SOURCE;
	return 0;
}

int vfr_txsched_set_credit(struct vfr_txsched *s, uint16_t idx,
			   struct vfr_credit *credit)
{
	if (bad_index(s, idx))
		return -VFR_EINVAL;
	s->sources[idx].credit = credit;
	return 0;
}

static void active_append(struct vfr_txsched *s, uint16_t idx)
{
	struct vfr_txsched_source *src = &s->sources[idx];

	src->active = true;
	src->in_turn = false;
	src->deficit = 0;
	src->next_active = VFR_TXSCHED_NO_SOURCE;
	if (s->n_active == 0)
		s->active_head = idx;
	else
		s->sources[s->active_tail].next_active = idx;
	s->active_tail = idx;
	s->n_active++;
}

/* The head's turn is over: move it to the tail. */
static void active_rotate(struct vfr_txsched *s)
{
	uint16_t idx = s->active_head;
	struct vfr_txsched_source *src = &s->sources[idx];

	src->in_turn = false;
	if (s->n_active < 2)
		return;
	s->active_head = src->next_active;
	src->next_active = VFR_TXSCHED_NO_SOURCE;
	s->sources[s->active_tail].next_active = idx;
	s->active_tail = idx;
}

/* The head's queue is empty: take it off the list. */
static void active_pop(struct vfr_txsched *s)
{
	struct vfr_txsched_source *src = &s->sources[s->active_head];

	s->active_head = src->next_active;
	src->next_active = VFR_TXSCHED_NO_SOURCE;
	src->active = false;
	src->in_turn = false;
	src->deficit = 0;
	if (--s->n_active == 0)
		s->active_head = s->active_tail = VFR_TXSCHED_NO_SOURCE;
}

int vfr_txsched_enqueue(struct vfr_txsched *s, uint16_t idx, uint32_t len,
			uint32_t cookie)
{
	struct vfr_txsched_source *src;
	uint32_t slot;

	if (bad_index(s, idx) || len == 0 || len > VFR_TXSCHED_MAX_LEN)
		return -VFR_EINVAL;
	src = &s->sources[idx];
	if (src->queue == NULL)
		return -VFR_EINVAL;
	if (src->count == src->capacity) {
		src->enqueue_refused++;
		return -VFR_ENOBUFS;
	}
	slot = src->head + src->count;
	if (slot >= src->capacity)
		slot -= src->capacity;
	src->queue[slot].len = len;
	src->queue[slot].cookie = cookie;
	src->count++;
	if (!src->active)
		active_append(s, idx);
	return 0;
}

/* Take the head packet of the head source and account for it. */
static void send_head(struct vfr_txsched *s, struct vfr_txsched_pkt *out)
{
	uint16_t idx = s->active_head;
	struct vfr_txsched_source *src = &s->sources[idx];
	struct vfr_txsched_desc d = src->queue[src->head];

	if (++src->head == src->capacity)
		src->head = 0;
	src->count--;
	src->deficit -= d.len;
	src->sent_packets++;
	src->sent_bytes += d.len;
	if (src->credit)
		vfr_credit_consume(src->credit, d.len);
	out->source = idx;
	out->vif = src->vif;
	out->desc = d;
	if (src->count == 0)
		active_pop(s);
}

/* Is the head source out of credit?  Then its turn ends, unpaid. */
static bool head_blocked(struct vfr_txsched *s, uint64_t now_ns,
			 uint64_t *wake)
{
	struct vfr_txsched_source *src = &s->sources[s->active_head];

	if (src->credit == NULL)
		return false;
	vfr_credit_replenish(src->credit, now_ns);
	if (vfr_credit_available(src->credit))
		return false;
	if (src->credit->next_replenish_ns < *wake)
		*wake = src->credit->next_replenish_ns;
	src->deficit = 0;
	active_rotate(s);
	return true;
}

int vfr_txsched_dequeue(struct vfr_txsched *s, uint64_t now_ns,
			struct vfr_txsched_pkt *out, uint64_t *wake_ns)
{
	uint64_t wake = UINT64_MAX;
	uint32_t visits, limit, blocked = 0;

	if (s == NULL || out == NULL)
		return -VFR_EINVAL;
	if (s->n_active == 0)
		return -VFR_ENODATA;
	limit = (uint32_t)s->n_active * (VFR_TXSCHED_MAX_LEN / s->quantum + 2);
	for (visits = 0; visits < limit; visits++) {
		struct vfr_txsched_source *src = &s->sources[s->active_head];

		if (head_blocked(s, now_ns, &wake)) {
			if (++blocked == s->n_active)
				break;
			continue;
		}
		blocked = 0;
		if (!src->in_turn) {
			src->deficit += s->quantum;
			src->in_turn = true;
		}
		if (src->queue[src->head].len <= src->deficit) {
			send_head(s, out);
			return 0;
		}
		active_rotate(s);
	}
	/* Only credit can hold packets back: with credit, a source's
	 * deficit reaches any length within the visit limit. */
	if (wake_ns)
		*wake_ns = wake;
	return -VFR_EAGAIN;
}

uint32_t vfr_txsched_backlog(const struct vfr_txsched *s, uint16_t idx)
{
	if (s == NULL || idx >= s->n_sources)
		return 0;
	return s->sources[idx].count;
}
