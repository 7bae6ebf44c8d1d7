/*
 * xstest.c - a DomU that talks to Dom0's XenStore through its store ring
 * (start_info store_mfn / store_evtchn), as a PV kernel's xenbus does.
 *
 * Command-line words:
 *   mode=good     (default) checks what a well-behaved client sees: its
 *                 home path, the nodes the builder wrote (and that it may
 *                 not overwrite them), its own writes, a node outside its
 *                 home it may not see (EACCES, not ENOENT), a watch firing
 *                 at once and on a write, a transaction invisible until
 *                 committed, and the per-domain node quota (ENOSPC).
 *   mode=hostile  moves req_prod far past req_cons and checks the server
 *                 gives the ring up (error field XENSTORE_ERROR_RINGIDX)
 *                 instead of reading out of bounds.
 * One line per check; poweroff when all held, crash when any did not.
 * The client is synchronous: one request at a time, yielding while it
 * waits, with a 5 s limit per message; watch events that arrive before a
 * reply are counted and set aside.
 */
#include "guest.h"
#include "event.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "options.h"
#include "time.h"
#include <public/io/xs_wire.h>

#define WAIT_NS		5000000000ull
#define MSG_MAX		(sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)

static volatile struct xenstore_domain_interface *intf;
static evtchn_port_t port;
static unsigned int failures, events;
static char last_event[128];
static uint8_t msg[MSG_MAX + 1];
static uint32_t req_id;

static void check(const char *what, bool ok)
{
	printf("xstest: %s %s\n", what, ok ? "ok" : "FAILED");
	if (!ok)
		failures++;
}

static bool wait_until(bool (*ready)(void))
{
	uint64_t end = time_system_ns() + WAIT_NS;

	while (!ready()) {
		if (time_system_ns() > end)
			return false;
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	return true;
}

static bool req_room(void)
{
	return intf->req_prod - intf->req_cons < XENSTORE_RING_SIZE;
}

static bool rsp_ready(void)
{
	return intf->rsp_prod != intf->rsp_cons;
}

static bool send_bytes(const void *buf, uint32_t len)
{
	const uint8_t *p = buf;

	while (len) {
		XENSTORE_RING_IDX prod = intf->req_prod;

		if (!wait_until(req_room))
			return false;
		while (len && prod - intf->req_cons < XENSTORE_RING_SIZE) {
			intf->req[MASK_XENSTORE_IDX(prod)] = (char)*p++;
			prod++;
			len--;
		}
		barrier();	/* the bytes before the index */
		intf->req_prod = prod;
		evtchn_send(port);
	}
	return true;
}

static bool recv_bytes(uint8_t *p, uint32_t len)
{
	while (len) {
		XENSTORE_RING_IDX cons = intf->rsp_cons;

		if (!wait_until(rsp_ready))
			return false;
		barrier();	/* the index before the bytes */
		while (len && cons != intf->rsp_prod) {
			*p++ = (uint8_t)intf->rsp[MASK_XENSTORE_IDX(cons)];
			cons++;
			len--;
		}
		barrier();
		intf->rsp_cons = cons;
		evtchn_send(port);
	}
	return true;
}

/* One message into msg (payload NUL-terminated); its header, or type
 * XS_INVALID when the server went quiet or sent nonsense. */
static struct xsd_sockmsg recv_msg(void)
{
	struct xsd_sockmsg h;

	if (!recv_bytes((uint8_t *)&h, sizeof(h)) || h.len > XENSTORE_PAYLOAD_MAX ||
	    !recv_bytes(msg, h.len)) {
		h.type = XS_INVALID;
		h.len = 0;
	}
	msg[h.len] = 0;
	return h;
}

/* Send a request of up to two strings (a with its NUL; b, a value, without
 * it unless it is a watch token) and return the reply's type; watch events
 * on the way are set aside. */
static uint32_t call(uint32_t type, uint32_t tx, const char *a, const char *b)
{
	uint32_t la = a ? strlen(a) + 1 : 0, lb = b ? strlen(b) : 0;

	if (b && type == XS_WATCH)
		lb++;
	struct xsd_sockmsg h = { .type = type, .req_id = ++req_id,
				 .tx_id = tx, .len = la + lb };

	if (!send_bytes(&h, sizeof(h)) || !send_bytes(a, la) || !send_bytes(b, lb))
		return XS_INVALID;
	for (;;) {
		h = recv_msg();
		if (h.type != XS_WATCH_EVENT)
			break;
		events++;
		memcpy(last_event, msg, h.len < sizeof(last_event) ? h.len : sizeof(last_event));
	}
	if (h.type != XS_INVALID && h.req_id != req_id)
		return XS_INVALID;
	return h.type;
}

static bool reply_is(uint32_t type, uint32_t want, const char *payload)
{
	return type == want && !strcmp((const char *)msg, payload);
}

/* Wait for one watch event (the first may already be set aside). */
static bool event_seen(unsigned int before)
{
	struct xsd_sockmsg h;

	if (events > before)
		return true;
	h = recv_msg();
	if (h.type != XS_WATCH_EVENT)
		return false;
	events++;
	memcpy(last_event, msg, h.len < sizeof(last_event) ? h.len : sizeof(last_event));
	return true;
}

static void check_home(void)
{
	char want[40], domid[8];
	uint32_t t;

	t = call(XS_READ, 0, "domid", NULL);
	check("read domid", t == XS_READ && msg[0] >= '0' && msg[0] <= '9');
	strlcpy(domid, (const char *)msg, sizeof(domid));
	snprintf(want, sizeof(want), "/local/domain/%s", domid);
	t = call(XS_GET_DOMAIN_PATH, 0, domid, NULL);
	check("get_domain_path", reply_is(t, XS_GET_DOMAIN_PATH, want));
	t = call(XS_READ, 0, "store/port", NULL);
	check("read store/port", t == XS_READ && msg[0] >= '1' && msg[0] <= '9');
	t = call(XS_WRITE, 0, "name", "renamed");
	check("write name refused", reply_is(t, XS_ERROR, "EACCES"));
	t = call(XS_WRITE, 0, "data/greeting", "hi");
	check("write data/greeting", reply_is(t, XS_WRITE, "OK"));
	t = call(XS_READ, 0, "data/greeting", NULL);
	check("read it back", reply_is(t, XS_READ, "hi"));
	t = call(XS_READ, 0, "/local/domain/0/name", NULL);
	check("outside home: EACCES, not ENOENT", reply_is(t, XS_ERROR, "EACCES"));
	t = call(XS_DIRECTORY, 0, "device/vbd", NULL);
	check("no disks: ENOENT", reply_is(t, XS_ERROR, "ENOENT"));
}

static void check_watch(void)
{
	unsigned int before = events;
	uint32_t t;

	t = call(XS_WATCH, 0, "data/w", "tok");
	check("watch", reply_is(t, XS_WATCH, "OK"));
	check("watch fires at once", event_seen(before) &&
	      !strcmp(last_event, "data/w"));
	before = events;
	t = call(XS_WRITE, 0, "data/w/x", "1");
	check("write below the watch", reply_is(t, XS_WRITE, "OK"));
	check("watch fires on the write", event_seen(before) &&
	      !strcmp(last_event, "data/w/x"));
}

static void check_transaction(void)
{
	unsigned long tx = 0;
	char id[12];
	uint32_t t;

	t = call(XS_TRANSACTION_START, 0, "", NULL);
	check("transaction start", t == XS_TRANSACTION_START && msg[0] >= '1' &&
	      msg[0] <= '9');
	strlcpy(id, (const char *)msg, sizeof(id));
	parse_ulong(id, strlen(id), &tx);
	t = call(XS_WRITE, (uint32_t)tx, "data/t", "v");
	check("write in the transaction", reply_is(t, XS_WRITE, "OK"));
	t = call(XS_READ, 0, "data/t", NULL);
	check("invisible outside it", reply_is(t, XS_ERROR, "ENOENT"));
	t = call(XS_TRANSACTION_END, (uint32_t)tx, "T", NULL);
	check("commit", reply_is(t, XS_TRANSACTION_END, "OK"));
	t = call(XS_READ, 0, "data/t", NULL);
	check("visible after commit", reply_is(t, XS_READ, "v"));
}

static void check_quota(void)
{
	char path[24];
	uint32_t i, t = XS_WRITE;

	for (i = 0; i < 1100 && t == XS_WRITE; i++) {
		snprintf(path, sizeof(path), "data/q%u", i);
		t = call(XS_WRITE, 0, path, "x");
	}
	printf("xstest: node quota reached after %u writes\n", i);
	check("node quota: ENOSPC", i < 1100 && reply_is(t, XS_ERROR, "ENOSPC"));
	t = call(XS_RM, 0, "data", NULL);
	check("rm data", reply_is(t, XS_RM, "OK"));
	t = call(XS_WRITE, 0, "data/again", "y");
	check("writable again after rm", reply_is(t, XS_WRITE, "OK"));
}

static bool ring_given_up(void)
{
	return intf->error != XENSTORE_ERROR_NONE;
}

static void hostile(void)
{
	intf->req_prod = intf->req_cons + 5000;
	evtchn_send(port);
	check("server gives up a ring with a bad req_prod", wait_until(ring_given_up) &&
	      intf->error == XENSTORE_ERROR_RINGIDX);
}

void kernel_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	const volatile uint32_t *m2p = (const uint32_t *)MACH2PHYS_VIRT_START;
	uint32_t pfn = 0;

	if (mm_init() || !mm_map_shared_info()) {	/* time_system_ns() */
		printf("xstest: no mapping window or shared_info\n");
		guest_shutdown(SHUTDOWN_crash);
	}
	if (!si->store_mfn || si->store_mfn >= MACH2PHYS_NR_ENTRIES ||
	    (pfn = m2p[si->store_mfn]) >= si->nr_pages ||
	    pfn * 4096ull >= si->pt_base) {
		printf("xstest: no usable store ring in start_info\n");
		guest_shutdown(SHUTDOWN_crash);
	}
	intf = (volatile struct xenstore_domain_interface *)(pfn * 4096);
	port = si->store_evtchn;
	if (opt_is(cmd, "mode", "hostile")) {
		hostile();
	} else {
		check_home();
		check_watch();
		check_transaction();
		check_quota();
	}
	printf("xstest: %u checks failed\n", failures);
	guest_shutdown(failures ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}
