/*
 * xs_tree.h - the XenStore tree behind dom0/xs_store.c: the byte arena, the
 * node pool with its path hash, path syntax, permissions, usage counting
 * and the operations on a view (the tree, tx = 0, or the tree seen through
 * one transaction's private entries, tx = its tag).  FREESTANDING.
 *
 * A node is keyed by (tx, absolute path).  Entries of a transaction are
 * nodes with its tag: PRESENT ones replace or add a node of the view;
 * one without PRESENT (a tombstone) removes it; HIDE hides every tree node
 * at and below its path (a removal in the transaction).  NEW marks an entry
 * that adds a node (it counts towards its owner's node quota).
 *
 * Paths passed in are (pointer, length), not NUL-terminated, and already
 * canonical (xs_path_canonical) unless said.  Operations return 0 or a
 * negative XEN_E* code and change nothing on failure.
 */
#ifndef XYLEM_DOM0_XS_TREE_H
#define XYLEM_DOM0_XS_TREE_H

#include "xs_store.h"

/* Byte helpers (no libc). */
void xs_copy(void *dst, const void *src, uint32_t n);
bool xs_bytes_eq(const void *a, const void *b, uint32_t n);
uint32_t xs_format_u32(char *out, uint32_t v);	/* out >= 11 bytes, no NUL */
bool xs_parse_u32(const char *p, uint32_t len, uint32_t max, uint32_t *v);

/* The arena: len bytes (0 allowed: *off = 0, nothing taken). */
int xs_arena_alloc(struct xs_store *s, uint32_t len, uint32_t *off);
void xs_arena_free(struct xs_store *s, uint32_t off, uint32_t len);
uint32_t xs_arena_charge(uint32_t len);		/* bytes len really takes */

static inline uint8_t *xs_arena_at(struct xs_store *s, uint32_t off)
{
	return &s->arena[off];
}

/* Paths. */
bool xs_path_valid(const char *p, uint32_t len);
uint32_t xs_path_home(uint16_t domid, char *out);	/* out >= 24 */
/* in: as the client sent it; out: XENSTORE_ABS_PATH_MAX bytes. */
int xs_path_canonical(uint16_t domid, const char *in, uint32_t len,
		      char *out, uint32_t *out_len);
uint32_t xs_path_parent_len(const char *p, uint32_t len);	/* 0: root */
bool xs_path_below(const char *p, uint32_t len, const char *anc,
		   uint32_t anc_len);		/* p is anc or under it */

/* Permissions. */
unsigned int xs_perm_for(const struct xs_perm *perms, uint8_t nperms,
			 uint16_t domid);

/* Nodes. */
static inline const char *xs_node_path(struct xs_store *s, uint16_t i)
{
	return (const char *)&s->arena[s->node[i].path_off];
}

uint16_t xs_node_find(struct xs_store *s, uint16_t tx, const char *p,
		      uint32_t len);
int xs_node_new(struct xs_store *s, uint16_t tx, const char *p, uint32_t len,
		const void *val, uint32_t val_len, const struct xs_perm *perms,
		uint8_t nperms, uint16_t *out);
void xs_node_free(struct xs_store *s, uint16_t i);
void xs_node_retag(struct xs_store *s, uint16_t i, uint16_t tx);
void xs_tree_rm_subtree(struct xs_store *s, uint16_t tx, const char *p,
			uint32_t len);

/* Usage by domid (its tree nodes, NEW entries, watches, queued events). */
void xs_usage(struct xs_store *s, uint16_t domid, uint32_t *nodes,
	      uint32_t *bytes, uint32_t *tx_entries);

/* Views.  tx = 0 for the tree. */
uint16_t xs_view_lookup(struct xs_store *s, uint16_t tx, const char *p,
			uint32_t len);
bool xs_view_tree_hidden(struct xs_store *s, uint16_t tx, const char *p,
			 uint32_t len);
/* The node at p if domid holds `need` on it; else -EACCES or -ENOENT. */
int xs_view_get(struct xs_store *s, uint16_t tx, uint16_t domid,
		const char *p, uint32_t len, unsigned int need, uint16_t *out);
/* Next visible child of p at pool index >= from; XS_NONE at the end. */
uint16_t xs_view_next_child(struct xs_store *s, uint16_t tx, const char *p,
			    uint32_t len, bool tree_hidden, uint32_t from);
/* WRITE (val) or, with mkdir, MKDIR; *changed: the view changed. */
int xs_view_write(struct xs_store *s, uint16_t tx, uint16_t domid,
		  const char *p, uint32_t len, const void *val,
		  uint32_t val_len, bool mkdir, bool *changed);
/* RM; *removed: something was removed, its perms copied to rm_perms. */
int xs_view_rm(struct xs_store *s, uint16_t tx, uint16_t domid,
	       const char *p, uint32_t len, bool *removed,
	       struct xs_perm *rm_perms, uint8_t *rm_nperms);
int xs_view_set_perms(struct xs_store *s, uint16_t tx, uint16_t domid,
		      const char *p, uint32_t len,
		      const struct xs_perm *perms, uint8_t nperms);

#endif
