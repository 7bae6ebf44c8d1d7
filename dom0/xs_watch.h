/*
 * xs_watch.h - XenStore watches and the per-domain queues of watch events,
 * for dom0/xs_store.c.  FREESTANDING.
 *
 * A watch is (path, token) of a connection (index ci into s->conn); path
 * is absolute or one of "@introduceDomain", "@releaseDomain".  An event is
 * a whole XS_WATCH_EVENT message kept in the arena; each connection queues
 * at most XS_EVENT_QUEUE, dropping (and counting) the oldest when full and
 * the new one when it does not fit (payload over XENSTORE_PAYLOAD_MAX,
 * receiver over its byte quota, arena full).
 */
#ifndef XYLEM_DOM0_XS_WATCH_H
#define XYLEM_DOM0_XS_WATCH_H

#include "xs_store.h"

/* 0, -EEXIST (same path and token), -E2BIG (quota), -ENOSPC. */
int xs_watch_add(struct xs_store *s, int ci, const char *path, uint32_t len,
		 bool relative, const char *token, uint32_t token_len);
int xs_watch_remove(struct xs_store *s, int ci, const char *path,
		    uint32_t len, const char *token, uint32_t token_len);
void xs_watch_remove_all(struct xs_store *s, int ci);
uint32_t xs_watch_count(const struct xs_store *s, int ci);

/* A change of the tree at path; perms decide who may hear of it. */
void xs_watch_fire(struct xs_store *s, const char *path, uint32_t len,
		   const struct xs_perm *perms, uint8_t nperms, bool removed);
/* "@introduceDomain" / "@releaseDomain": every watcher of name. */
void xs_watch_fire_special(struct xs_store *s, const char *name);

uint32_t xs_event_pop(struct xs_store *s, int ci, uint8_t *out);
void xs_event_flush(struct xs_store *s, int ci);

#endif
