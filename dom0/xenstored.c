/*
 * xenstored.c - Dom0's XenStore service.  See xenstored.h.
 *
 * Table entry i serves one DomU through window slot
 * XENSTORED_FIRST_SLOT + i; an entry is free when its ring pointer is
 * NULL.  The store and the ring protocol are freestanding code
 * (xs_store.c, xs_ring.c); this file only maps pages, writes the
 * toolstack's nodes and sends notifications.
 */
#include "xenstored.h"
#include "event.h"
#include "guest.h"
#include "lib.h"
#include "xs_ring.h"
#include "xs_store.h"
#include <public/errno.h>

struct store_conn {
	volatile struct xenstore_domain_interface *ring;	/* NULL: free */
	domid_t domid;
	evtchn_port_t port;
	char name[DOMSPEC_NAME_MAX];
	struct xs_ring conn;
};

static struct xs_store store;
static struct store_conn conns[XENSTORED_MAX];

void xenstored_init(void)
{
	xs_init(&store);
}

static struct store_conn *find(domid_t domid)
{
	uint32_t i;

	for (i = 0; i < XENSTORED_MAX; i++)
		if (conns[i].ring && conns[i].domid == domid)
			return &conns[i];
	return NULL;
}

/* "/local/domain/N/" + rel into buf. */
static void dom_path(char *buf, size_t size, domid_t domid, const char *rel)
{
	snprintf(buf, size, "/local/domain/%u/%s", domid, rel);
}

static int write_node(domid_t domid, const char *rel, const char *val,
		      bool guest_writable)
{
	struct xs_perm perms[2] = {
		{ .domid = 0, .perm = XS_PERM_NONE },
		{ .domid = domid, .perm = XS_PERM_READ },
	};
	char path[64];
	int rc;

	dom_path(path, sizeof(path), domid, rel);
	rc = xs_dom0_write(&store, path, val, (uint32_t)strlen(val));
	if (rc)
		return rc;
	if (guest_writable) {	/* the domain owns it */
		perms[0].domid = domid;
		return xs_dom0_set_perms(&store, path, perms, 1);
	}
	return xs_dom0_set_perms(&store, path, perms, 2);
}

/* What a toolstack writes for a new domain. */
static int write_domain_nodes(const struct dom_handle *h)
{
	static const char *const own[] = { "device", "control", "data" };
	char num[16], mem[16], cring[16], cport[16], sring[16], sport[16];
	const char *const facts[][2] = {
		{ "name", h->name }, { "domid", num }, { "memory/target", mem },
		{ "console/ring-ref", cring }, { "console/port", cport },
		{ "console/type", "xenconsoled" },
		{ "store/ring-ref", sring }, { "store/port", sport },
	};
	uint32_t i;
	int rc = 0;

	snprintf(num, sizeof(num), "%u", h->domid);
	snprintf(mem, sizeof(mem), "%u", h->nr_pages * 4);
	snprintf(cring, sizeof(cring), "%u", h->console_mfn);
	snprintf(cport, sizeof(cport), "%u", h->guest_console_port);
	snprintf(sring, sizeof(sring), "%u", h->store_mfn);
	snprintf(sport, sizeof(sport), "%u", h->guest_store_port);
	for (i = 0; i < ARRAY_SIZE(facts) && !rc; i++)
		rc = write_node(h->domid, facts[i][0], facts[i][1], false);
	for (i = 0; i < ARRAY_SIZE(own) && !rc; i++)
		rc = write_node(h->domid, own[i], "", true);
	return rc;
}

int xenstored_add(const struct dom_handle *h)
{
	struct store_conn *c = NULL;
	void *va;
	uint32_t i;
	int rc;

	if (find(h->domid))
		return -XEN_EEXIST;
	for (i = 0; i < XENSTORED_MAX && !c; i++)
		if (!conns[i].ring)
			c = &conns[i];
	if (!c)
		return -XEN_ENOSPC;
	rc = xs_domain_add(&store, h->domid);
	if (!rc)
		rc = write_domain_nodes(h);
	if (!rc)
		rc = dom_map_foreign(XENSTORED_FIRST_SLOT + (uint32_t)(c - conns),
				     h->domid, h->store_mfn, true, &va);
	if (rc) {
		printf("xenstored: %s: cannot serve its store (%d)\n", h->name, rc);
		xs_domain_remove(&store, h->domid);
		return rc;
	}
	memset(c, 0, sizeof(*c));
	c->domid = h->domid;
	c->port = h->store_port;
	strlcpy(c->name, h->name, sizeof(c->name));
	c->ring = va;
	xs_ring_init(&c->conn, c->ring);
	return 0;
}

int xenstored_remove(domid_t domid)
{
	struct store_conn *c = find(domid);

	if (!c)
		return -XEN_ESRCH;
	c->ring = NULL;
	xs_domain_remove(&store, domid);
	return dom_unmap(XENSTORED_FIRST_SLOT + (uint32_t)(c - conns));
}

static bool serve(struct store_conn *c)
{
	bool was_broken = c->conn.broken != 0;
	int rc = xs_ring_service(&c->conn, c->ring, &store, c->domid);

	if (rc < 0 && !was_broken) {
		printf("xenstored: %s: ring broken (%s); no longer served\n",
		       c->name, rc == -XEN_E2BIG ? "request longer than 4096 bytes"
						 : "ring indices out of range");
		evtchn_send(c->port);
		return true;
	}
	if (rc > 0)
		evtchn_send(c->port);
	return rc > 0;
}

uint32_t xenstored_poll(void)
{
	uint32_t i, n = 0;

	for (i = 0; i < XENSTORED_MAX; i++)
		if (conns[i].ring && serve(&conns[i]))
			n++;
	return n;
}

uint32_t xenstored_ports(evtchn_port_t *ports, uint32_t max)
{
	uint32_t i, n = 0;

	for (i = 0; i < XENSTORED_MAX && n < max; i++)
		if (conns[i].ring && !conns[i].conn.broken)
			ports[n++] = conns[i].port;
	return n;
}

int xenstored_read(const char *path, char *buf, uint32_t cap, uint32_t *len)
{
	return xs_dom0_read(&store, path, buf, cap, len);
}
