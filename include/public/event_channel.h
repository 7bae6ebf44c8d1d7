/*
 * include/public/event_channel.h - event_channel_op: the 2-level event
 * channel ABI (ports 1..1023 for 32-bit guests; port 0 is never used).
 * Pending and mask bits live in shared_info, the selector word and the
 * upcall flags in vcpu_info.
 */
#ifndef XYLEM_PUBLIC_EVENT_CHANNEL_H
#define XYLEM_PUBLIC_EVENT_CHANNEL_H

#include <stdint.h>

typedef uint32_t evtchn_port_t;

#define EVTCHNOP_bind_interdomain	0
#define EVTCHNOP_bind_virq		1
#define EVTCHNOP_bind_pirq		2
#define EVTCHNOP_close			3
#define EVTCHNOP_send			4
#define EVTCHNOP_status			5
#define EVTCHNOP_alloc_unbound		6
#define EVTCHNOP_bind_ipi		7
#define EVTCHNOP_bind_vcpu		8
#define EVTCHNOP_unmask			9
#define EVTCHNOP_reset			10
#define EVTCHNOP_init_control		11	/* FIFO ABI: not offered */
#define EVTCHNOP_expand_array		12
#define EVTCHNOP_set_priority		13

struct evtchn_alloc_unbound {
	uint16_t dom, remote_dom;
	evtchn_port_t port;		/* out */
};

struct evtchn_bind_interdomain {
	uint16_t remote_dom;
	evtchn_port_t remote_port;
	evtchn_port_t local_port;	/* out */
};

struct evtchn_bind_virq {
	uint32_t virq;
	uint32_t vcpu;
	evtchn_port_t port;		/* out */
};

struct evtchn_bind_pirq {
	uint32_t pirq;
#define BIND_PIRQ__WILL_SHARE	1	/* Xylem never shares a line */
	uint32_t flags;
	evtchn_port_t port;		/* out */
};

struct evtchn_bind_ipi {
	uint32_t vcpu;
	evtchn_port_t port;		/* out */
};

struct evtchn_close {
	evtchn_port_t port;
};

struct evtchn_send {
	evtchn_port_t port;
};

#define EVTCHNSTAT_closed	0
#define EVTCHNSTAT_unbound	1
#define EVTCHNSTAT_interdomain	2
#define EVTCHNSTAT_pirq		3
#define EVTCHNSTAT_virq		4
#define EVTCHNSTAT_ipi		5

struct evtchn_status {
	uint16_t dom;
	evtchn_port_t port;
	uint32_t status;		/* out: EVTCHNSTAT_* */
	uint32_t vcpu;			/* out */
	union {
		struct { uint16_t dom; } unbound;
		struct { uint16_t dom; evtchn_port_t port; } interdomain;
		uint32_t pirq;
		uint32_t virq;
	} u;				/* out */
};

struct evtchn_bind_vcpu {
	evtchn_port_t port;
	uint32_t vcpu;
};

struct evtchn_unmask {
	evtchn_port_t port;
};

struct evtchn_reset {
	uint16_t dom;
};

/* FIFO ABI (Xylem checks the arguments, then answers -EOPNOTSUPP). */
struct evtchn_init_control {
	uint64_t control_gfn;
	uint32_t offset;
	uint32_t vcpu;
	uint8_t link_bits;		/* out */
	uint8_t _pad[7];
};

struct evtchn_expand_array {
	uint64_t array_gfn;
};

#define EVTCHN_FIFO_CONTROL_BLOCK_SIZE	72	/* ready, rsvd, 16 heads */

/* The old hypercall (16) passes this. */
struct evtchn_op {
	uint32_t cmd;
	union {
		struct evtchn_alloc_unbound alloc_unbound;
		struct evtchn_bind_interdomain bind_interdomain;
		struct evtchn_bind_virq bind_virq;
		struct evtchn_status status;
		uint8_t pad[24];
	} u;
};

#endif
