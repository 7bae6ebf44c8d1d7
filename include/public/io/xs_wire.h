/*
 * include/public/io/xs_wire.h - the XenStore wire protocol: message types,
 * the message header, the error names and the shared ring page through
 * which a PV guest talks to the store (store_mfn / store_evtchn in
 * start_info).
 *
 * Every message, in either direction, is a struct xsd_sockmsg followed by
 * exactly `len` payload bytes, len <= XENSTORE_PAYLOAD_MAX.  A reply echoes
 * the request's type, req_id and tx_id; a failure is type XS_ERROR with an
 * errno name and a NUL ("ENOENT\0").  A watch event is type XS_WATCH_EVENT,
 * req_id = tx_id = 0, payload "path\0token\0".  Plain successes answer
 * "OK\0".  The numbers and layouts are Xen's (xen/include/public/io/
 * xs_wire.h, docs/misc/xenstore.txt, docs/misc/xenstore-ring.txt).
 *
 * The ring page: two byte queues of XENSTORE_RING_SIZE bytes with free-
 * running 32-bit indices; byte x of a stream lives at x mod 1024.  The
 * guest owns req_prod and rsp_cons, the server req_cons and rsp_prod.
 */
#ifndef XYLEM_PUBLIC_IO_XS_WIRE_H
#define XYLEM_PUBLIC_IO_XS_WIRE_H

#include <stdint.h>

/* Message types (the xsd_sockmsg type field). */
#define XS_CONTROL		0	/* formerly XS_DEBUG */
#define XS_DEBUG		XS_CONTROL
#define XS_DIRECTORY		1
#define XS_READ			2
#define XS_GET_PERMS		3
#define XS_WATCH		4
#define XS_UNWATCH		5
#define XS_TRANSACTION_START	6
#define XS_TRANSACTION_END	7
#define XS_INTRODUCE		8
#define XS_RELEASE		9
#define XS_GET_DOMAIN_PATH	10
#define XS_WRITE		11
#define XS_MKDIR		12
#define XS_RM			13
#define XS_SET_PERMS		14
#define XS_WATCH_EVENT		15
#define XS_ERROR		16
#define XS_IS_DOMAIN_INTRODUCED	17
#define XS_RESUME		18
#define XS_SET_TARGET		19
/* 20 was XS_RESTRICT, since removed. */
#define XS_RESET_WATCHES	21
#define XS_DIRECTORY_PART	22
#define XS_TYPE_COUNT		23
#define XS_INVALID		0xffff

/*
 * Error names carried in XS_ERROR payloads, as strings.  "EPERM" is
 * listed for completeness; this server answers with the others.
 */
#define XS_ERR_EINVAL		"EINVAL"
#define XS_ERR_EACCES		"EACCES"
#define XS_ERR_EEXIST		"EEXIST"
#define XS_ERR_EISDIR		"EISDIR"
#define XS_ERR_ENOENT		"ENOENT"
#define XS_ERR_ENOMEM		"ENOMEM"
#define XS_ERR_ENOSPC		"ENOSPC"
#define XS_ERR_EIO		"EIO"
#define XS_ERR_ENOTEMPTY	"ENOTEMPTY"
#define XS_ERR_ENOSYS		"ENOSYS"
#define XS_ERR_EROFS		"EROFS"
#define XS_ERR_EBUSY		"EBUSY"
#define XS_ERR_EAGAIN		"EAGAIN"
#define XS_ERR_EISCONN		"EISCONN"
#define XS_ERR_E2BIG		"E2BIG"
#define XS_ERR_EPERM		"EPERM"

struct xsd_sockmsg {
	uint32_t type;		/* XS_* */
	uint32_t req_id;	/* echoed in the reply */
	uint32_t tx_id;		/* transaction, 0 for none */
	uint32_t len;		/* payload bytes that follow */
};

/* Index of the path and the token in a watch event payload. */
#define XS_WATCH_PATH		0
#define XS_WATCH_TOKEN		1

/* Shared ring page. */
#define XENSTORE_RING_SIZE	1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx)	((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
	char req[XENSTORE_RING_SIZE];	/* guest -> server */
	char rsp[XENSTORE_RING_SIZE];	/* server -> guest: replies, events */
	XENSTORE_RING_IDX req_cons, req_prod;
	XENSTORE_RING_IDX rsp_cons, rsp_prod;
	uint32_t server_features;	/* XENSTORE_SERVER_FEATURE_* */
	uint32_t connection;		/* XENSTORE_CONNECTED / _RECONNECT */
	uint32_t error;			/* XENSTORE_ERROR_* */
	uint32_t evtchn_port;		/* dom0less only; 0 otherwise */
};

/* Longest payload in either direction; a longer one kills the connection. */
#define XENSTORE_PAYLOAD_MAX	4096

/* Longest absolute path, and longest relative path a client should send. */
#define XENSTORE_ABS_PATH_MAX	3072
#define XENSTORE_REL_PATH_MAX	2048

/* server_features bits. */
#define XENSTORE_SERVER_FEATURE_RECONNECTION	1
#define XENSTORE_SERVER_FEATURE_ERROR		2

/* connection values. */
#define XENSTORE_CONNECTED	0
#define XENSTORE_RECONNECT	1

/* error values (meaningful when XENSTORE_SERVER_FEATURE_ERROR is set). */
#define XENSTORE_ERROR_NONE	0
#define XENSTORE_ERROR_COMM	1	/* event channel not working */
#define XENSTORE_ERROR_RINGIDX	2	/* inconsistent producer/consumer */
#define XENSTORE_ERROR_PROTO	3	/* payload longer than the maximum */

#endif
