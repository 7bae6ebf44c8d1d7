/*
 * xs_store.h - Dom0's XenStore server core: the tree of nodes, the request
 * semantics of the XenStore wire protocol, watches, transactions and
 * per-domain quotas.  FREESTANDING: all storage is inside struct xs_store
 * (no allocation, no libc); the ring transport is dom0/xs_ring.h.
 *
 * Interface:
 *   xs_init()            empty store: "/", "/local", "/local/domain" owned by
 *                        dom0 with perms "n0", and the connection of dom0.
 *   xs_domain_add()      a connection for domid and /local/domain/<domid>
 *                        owned by it ("n<domid>"); fires @introduceDomain.
 *   xs_domain_remove()   removes /local/domain/<domid>, the domain's
 *                        watches, transactions and queued events; nodes it
 *                        owned elsewhere pass to dom0 and ACL entries naming
 *                        it are dropped; fires @releaseDomain.
 *   xs_request()         one whole request in, one reply out (header and
 *                        payload, at most XS_MSG_MAX bytes); returns the
 *                        reply's total length.
 *   xs_next_event()      dequeues the domain's oldest watch event message.
 *   xs_dom0_*()          Dom0's own direct access (domain builder).
 *   Operations return 0 or a negative XEN_E* code (XS_EAGAIN is Xen's
 *   EAGAIN, absent from include/public/errno.h).
 *
 * Semantics (xenstored's unless said):
 *   - Paths: absolute, or relative to /local/domain/<domid>; characters
 *     [A-Za-z0-9-/_@], no "//", no trailing "/" but the root, absolute at most
 *     XENSTORE_ABS_PATH_MAX, relative at most XENSTORE_REL_PATH_MAX bytes; a
 *     node path may not start with '@' (only the watches "@introduceDomain"
 *     and "@releaseDomain").  Anything else: EINVAL.
 *   - Permissions: dom0 and a node's owner may do anything; another domain
 *     gets its own ACL entry if the node has one, else the default (first
 *     entry).  Read needs r/b, write/remove w/b on the node; creating needs
 *     w/b on the closest existing ancestor.  A missing node reports ENOENT
 *     only to a caller holding the needed right on the closest existing
 *     ancestor, EACCES otherwise, so nothing leaks.  New nodes inherit the
 *     parent's perms; a non-dom0 creator becomes the owner.
 *   - RM of a missing node whose parent exists answers OK (the protocol's
 *     rule), else ENOENT; RM "/" is EINVAL.
 *   - Quotas (dom0 exempt): XS_QUOTA_NODES nodes and XS_QUOTA_BYTES bytes of
 *     paths, values, watches and queued events per domain -> ENOSPC;
 *     XS_QUOTA_WATCHES watches -> E2BIG; XS_QUOTA_TRANSACTIONS open
 *     transactions and XS_QUOTA_TX_NODES transaction entries -> ENOSPC; more
 *     than XS_MAX_PERMS permission entries -> ENOSPC.  Store-wide exhaustion
 *     (XS_MAX_NODES, XS_ARENA_BYTES, XS_MAX_WATCHES) -> ENOSPC.  A reply that
 *     would pass XENSTORE_PAYLOAD_MAX (a long DIRECTORY) -> E2BIG.
 *   - Watches fire once at registration, then on every write, mkdir (of a
 *     new node), rm and set_perms of the node or a descendant of the watched
 *     path; rm also fires watches below the removed node, with the watch's
 *     own path.  An event goes only to a domain that may read the node (the
 *     removed node's perms for rm).  Each domain's queue holds
 *     XS_EVENT_QUEUE events; when full the oldest is dropped and counted;
 *     an event longer than XENSTORE_PAYLOAD_MAX is dropped and counted.
 *     The two special watches fire for every watcher.
 *   - Transactions: requests with tx_id != 0 see the tree plus the
 *     transaction's own changes (kept as private entries).  Commit ("T")
 *     fails with EAGAIN if anything changed the tree since the start
 *     (coarse rule: one store-wide generation), else applies all changes at
 *     once and fires their watches; "F" discards.  An unknown tx_id is
 *     ENOENT; TRANSACTION_START inside a transaction EBUSY.
 *   - INTRODUCE, RELEASE, SET_TARGET, RESUME, CONTROL and
 *     IS_DOMAIN_INTRODUCED: EACCES for non-dom0; from dom0 ENOSYS except
 *     IS_DOMAIN_INTRODUCED.  Unknown types: EINVAL.
 *
 * Invariants: every used node's path is valid and its parent exists in the
 * same view; node.hash_next chains only used nodes; arena blocks are owned
 * by exactly one node, watch or event.
 */
#ifndef XYLEM_DOM0_XS_STORE_H
#define XYLEM_DOM0_XS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/errno.h>
#include <public/io/xs_wire.h>

#define XS_EAGAIN		11	/* Xen's EAGAIN */

#define XS_MAX_NODES		4096	/* store-wide, transaction entries too */
#define XS_HASH_BUCKETS		4096
#define XS_ARENA_BYTES		(512 * 1024)
#define XS_ARENA_GRAIN		16
#define XS_MAX_CONNS		256
#define XS_MAX_WATCHES		4096	/* store-wide */
#define XS_MAX_PERMS		9	/* owner/default + 8 ACL entries */
#define XS_EVENT_QUEUE		16	/* per domain */
#define XS_QUOTA_NODES		1000
#define XS_QUOTA_BYTES		(64 * 1024)
#define XS_QUOTA_WATCHES	128
#define XS_QUOTA_TRANSACTIONS	8
#define XS_QUOTA_TX_NODES	256
#define XS_MSG_MAX		(sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)
#define XS_NONE			0xffff

#define XS_PERM_NONE		0
#define XS_PERM_READ		1
#define XS_PERM_WRITE		2
#define XS_PERM_BOTH		(XS_PERM_READ | XS_PERM_WRITE)

struct xs_perm {
	uint16_t domid;
	uint8_t perm;			/* XS_PERM_* */
};

/* flags of struct xs_node */
#define XS_NODE_USED		0x01
#define XS_NODE_PRESENT		0x02	/* clear: a transaction's removal */
#define XS_NODE_HIDE		0x04	/* hides the tree's nodes at and below */
#define XS_NODE_NEW		0x08	/* created in a transaction */

struct xs_node {
	uint32_t path_off;		/* arena: absolute path, no NUL */
	uint32_t val_off;		/* arena: value (when val_len) */
	uint32_t gen;			/* store generation of the last change */
	uint16_t path_len;
	uint16_t val_len;
	uint16_t hash_next;
	uint16_t tx;			/* 0: the tree; else a transaction tag */
	uint8_t flags;
	uint8_t nperms;
	struct xs_perm perms[XS_MAX_PERMS];
};

struct xs_tx {
	uint32_t id;			/* 0: slot free */
	uint32_t start_gen;
};

struct xs_watch {
	uint32_t path_off;		/* arena: absolute path or "@..." */
	uint32_t token_off;
	uint16_t path_len;
	uint16_t token_len;
	uint16_t conn;			/* XS_NONE: slot free */
	bool relative;			/* events carry paths relative to home */
};

struct xs_event {
	uint32_t off;			/* arena: a whole XS_WATCH_EVENT message */
	uint32_t len;
};

struct xs_conn {
	bool used;
	uint16_t domid;
	uint32_t next_tx_id;
	uint32_t events_dropped;
	uint8_t ev_head, ev_count;
	struct xs_tx tx[XS_QUOTA_TRANSACTIONS];
	struct xs_event ev[XS_EVENT_QUEUE];
};

struct xs_store {
	uint32_t generation;		/* bumped by every change of the tree */
	uint32_t nr_nodes;		/* used node slots */
	uint32_t arena_used;		/* bytes, in whole grains */
	uint32_t node_top;		/* node[] at and above: never used */
	uint32_t watch_top;		/* watch[] likewise */
	uint16_t hash[XS_HASH_BUCKETS];
	uint32_t arena_map[XS_ARENA_BYTES / XS_ARENA_GRAIN / 32];
	struct xs_node node[XS_MAX_NODES];
	struct xs_watch watch[XS_MAX_WATCHES];
	struct xs_conn conn[XS_MAX_CONNS];
	char path[XENSTORE_ABS_PATH_MAX];	/* the current request's path */
	uint8_t arena[XS_ARENA_BYTES];
};

void xs_init(struct xs_store *s);
int xs_domain_add(struct xs_store *s, uint16_t domid);
int xs_domain_remove(struct xs_store *s, uint16_t domid);
bool xs_domain_known(const struct xs_store *s, uint16_t domid);

/* h->len bytes of payload (h->len <= XENSTORE_PAYLOAD_MAX, else EINVAL
 * reply); out must hold XS_MSG_MAX bytes; returns the reply length. */
uint32_t xs_request(struct xs_store *s, uint16_t domid,
		    const struct xsd_sockmsg *h, const uint8_t *payload,
		    uint8_t *out);
/* The oldest queued event of domid into out (XS_MSG_MAX); 0: none. */
uint32_t xs_next_event(struct xs_store *s, uint16_t domid, uint8_t *out);
uint32_t xs_events_dropped(const struct xs_store *s, uint16_t domid);
/* Discards domid's watches, transactions and queued events (a connection
 * reset or a broken ring); its nodes stay. */
void xs_conn_reset(struct xs_store *s, uint16_t domid);

/* Dom0's direct access; path is NUL-terminated; no transaction. */
int xs_dom0_write(struct xs_store *s, const char *path, const void *val,
		  uint32_t len);
int xs_dom0_read(struct xs_store *s, const char *path, void *buf,
		 uint32_t cap, uint32_t *len);
int xs_dom0_rm(struct xs_store *s, const char *path);
int xs_dom0_set_perms(struct xs_store *s, const char *path,
		      const struct xs_perm *perms, unsigned int nperms);

#endif
