/*
 * consoled.h - Dom0's console service: the backend of every DomU's PV
 * console ring (include/public/console.h).
 *
 * consoled_add() maps the DomU's ring page (read-write, through window
 * slot CONSOLED_FIRST_SLOT + i, held until consoled_remove()) and starts
 * serving it.  consoled_poll() (call it on the DomU's console event, or
 * periodically) copies new output out of each ring, and prints every whole
 * line on Dom0's console as "[name] line".  A line is also cut at
 * CONSOLED_LINE_MAX bytes; consoled_remove() prints what is left (the
 * domain is going away), unmaps the ring and forgets the domain.
 * Unprintable bytes are shown as '.', carriage returns are dropped.
 *
 * The ring is the DomU's memory: out_prod is read once per pass into a
 * private copy, and the consumer index is ours (kept privately, only
 * written to the ring).  When out_prod is more than a ring ahead of our
 * index (or behind it), the ring is hostile or broken: we report it,
 * count it, and clamp to the last ring's worth of bytes.  After consuming
 * we notify the DomU, so a writer waiting for room can go on.
 * Operations return 0 or a negative XEN_E* code.
 */
#ifndef XYLEM_DOM0_CONSOLED_H
#define XYLEM_DOM0_CONSOLED_H

#include <stdint.h>
#include <public/event_channel.h>
#include <public/xen.h>

#define CONSOLED_MAX		256	/* DomUs served at once */
#define CONSOLED_FIRST_SLOT	16u	/* window slots 16..16+CONSOLED_MAX-1 */
#define CONSOLED_LINE_MAX	256

/* Serve domid's ring page ring_mfn, notifying it on Dom0's port. */
int consoled_add(domid_t domid, const char *name, uint32_t ring_mfn,
		 evtchn_port_t port);
/* Drain what is left, flush the partial line, unmap, forget. */
int consoled_remove(domid_t domid);
/* One pass over every ring; returns the number of bytes consumed. */
uint32_t consoled_poll(void);
/* Drain one domain's ring (e.g. before it is destroyed). */
uint32_t consoled_drain(domid_t domid);

/* Dom0's console ports, for SCHEDOP_poll; returns how many were written. */
uint32_t consoled_ports(evtchn_port_t *ports, uint32_t max);

/*
 * Console input: bytes typed on the serial line (Dom0 reads them with
 * CONSOLEIO_read) go to one DomU's in[] ring at a time, the focus: the
 * first DomU served, until Ctrl-] (CONSOLED_SWITCH_CHAR, not forwarded)
 * moves it to the next one and Dom0 says so.  Bytes wait in Dom0 (at most
 * CONSOLED_INPUT_MAX) while no DomU is served or its ring is full, so the
 * reader takes no more than consoled_input_room() and nothing is dropped.
 * in_cons is the DomU's: read once per pass, and a value that puts more
 * than a ring between it and our producer index counts as a full ring
 * (reported like the output side).
 */
#define CONSOLED_INPUT_MAX	4096u
#define CONSOLED_SWITCH_CHAR	0x1d

uint32_t consoled_input_room(void);
/* Queue n <= consoled_input_room() typed bytes and push what fits. */
void consoled_input(const char *buf, uint32_t n);
/* Move queued bytes into the focus's ring; returns how many moved. */
uint32_t consoled_push_input(void);

/* Per-domain counters (-XEN_ESRCH for a domain not served). */
struct consoled_stats {
	uint32_t lines;		/* printed, cut ones included */
	uint32_t bytes;		/* consumed from the ring */
	uint32_t bad_indices;	/* passes that found out_prod out of range */
	uint32_t in_bytes;	/* typed bytes put into its in[] ring */
	uint32_t bad_in_indices; /* passes that found in_cons out of range */
};
int consoled_stats(domid_t domid, struct consoled_stats *st);

/*
 * Test hook: from now on count printed lines (of any domain) that contain
 * text (at most 63 characters; NULL stops counting).
 */
void consoled_watch(const char *text);
uint32_t consoled_watch_hits(void);

#endif
