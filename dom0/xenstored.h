/*
 * xenstored.h - Dom0's XenStore service: one store (xs_store.h) served to
 * every DomU through its store ring (start_info store_mfn / store_evtchn,
 * the xs_ring.h protocol).
 *
 * xenstored_add() maps the DomU's ring page (read-write, through window
 * slot XENSTORED_FIRST_SLOT + i, held until xenstored_remove()),
 * introduces the domain to the store, and writes what a toolstack writes
 * for a new domain, all owned by Dom0 and readable by the domain:
 *	/local/domain/N/name, domid, memory/target (KiB),
 *	console/ring-ref, console/port, console/type,
 *	store/ring-ref, store/port
 * and, writable by the domain, /local/domain/N/device, control, data.
 * xenstored_poll() serves every ring once (call it on a store event or
 * periodically); a ring that breaks the protocol is reported once and no
 * longer served (the store writes the reason into the page's error field).
 * xenstored_remove() drops the domain from the store (its nodes, watches,
 * transactions) and unmaps the ring.  Operations return 0 or a negative
 * XEN_E* code.
 */
#ifndef XYLEM_DOM0_XENSTORED_H
#define XYLEM_DOM0_XENSTORED_H

#include <stdint.h>
#include <public/event_channel.h>
#include <public/xen.h>
#include "builder.h"

#define XENSTORED_MAX		224	/* DomUs served at once */
#define XENSTORED_FIRST_SLOT	272u	/* window slots 272..495 */

void xenstored_init(void);
int xenstored_add(const struct dom_handle *h);
int xenstored_remove(domid_t domid);
/* One pass over every ring; returns how many rings needed a notify. */
uint32_t xenstored_poll(void);
/* Dom0's store ports, for SCHEDOP_poll; returns how many were written. */
uint32_t xenstored_ports(evtchn_port_t *ports, uint32_t max);
/* Test hook: read a node as Dom0 (len set to the value's length). */
int xenstored_read(const char *path, char *buf, uint32_t cap, uint32_t *len);

#endif
