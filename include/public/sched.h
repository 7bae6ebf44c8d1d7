/*
 * include/public/sched.h - sched_op commands and shutdown reasons.
 */
#ifndef XYLEM_PUBLIC_SCHED_H
#define XYLEM_PUBLIC_SCHED_H

#include <stdint.h>

#define SCHEDOP_yield		0
#define SCHEDOP_block		1
#define SCHEDOP_shutdown	2
#define SCHEDOP_poll		3
#define SCHEDOP_remote_shutdown	4
#define SCHEDOP_shutdown_code	5
#define SCHEDOP_watchdog	6
#define SCHEDOP_pin_override	7

#define SHUTDOWN_poweroff	0
#define SHUTDOWN_reboot		1
#define SHUTDOWN_suspend	2
#define SHUTDOWN_crash		3
#define SHUTDOWN_watchdog	4
#define SHUTDOWN_soft_reset	5

struct sched_shutdown { uint32_t reason; };

/* SCHEDOP_remote_shutdown (Dom0 only): shut another domain down. */
struct sched_remote_shutdown {
	uint16_t domain_id;	/* domid_t */
	uint16_t pad0;
	uint32_t reason;	/* SHUTDOWN_* */
};

/* SCHEDOP_poll: block until one of the ports is pending or timeout
 * (absolute system time in ns; 0 = none) passes. */
struct sched_poll {
	uint32_t ports;		/* guest pointer to evtchn_port_t[nr_ports] */
	uint32_t nr_ports;
	uint64_t timeout;
} __attribute__((packed, aligned(4)));

#endif
