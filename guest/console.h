/*
 * console.h - the PV console ring as seen from a DomU (the frontend).
 *
 * console_ring_init() (guest_start() calls it) looks at start_info: a
 * kernel that is not SIF_INITDOMAIN and was given a ring page and an
 * event channel (console.domU.mfn / evtchn) writes its console output
 * into that ring's out[] and notifies the channel; anything else (Dom0,
 * whose ring the hypervisor drains itself, or a DomU without a ring)
 * keeps using console_io.  The ring page is found through the M2P and
 * must be a page of the domain's own boot region (virtual = pfn << 12).
 *
 * console_write() copies bytes in as room allows: out_cons is the
 * backend's, read once per attempt; a producer more than a ring ahead of
 * it means the backend (or our own memory) is broken, and output falls
 * back to console_io.  When the ring stays full (the backend is gone or
 * stuck) for CONSOLE_RING_PATIENCE yields, the rest goes to console_io.
 */
#ifndef XYLEM_GUEST_CONSOLE_H
#define XYLEM_GUEST_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/xen.h>

#define CONSOLE_RING_PATIENCE	1000

/* Returns true when output now goes to the ring. */
bool console_ring_init(const struct start_info *si);
bool console_uses_ring(void);
void console_write(const char *s, size_t n);

#endif
