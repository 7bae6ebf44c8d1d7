/*
 * consoled.c - Dom0's console service.  See consoled.h.
 *
 * Table entry i serves one DomU through window slot CONSOLED_FIRST_SLOT+i;
 * an entry is free when its ring pointer is NULL.  The copy-then-validate
 * rule: a pass reads out_prod once, checks it against our own index, and
 * copies the bytes out of the ring before looking at them.
 */
#include "consoled.h"
#include "builder.h"
#include "event.h"
#include "guest.h"
#include "lib.h"
#include <public/console.h>
#include <public/errno.h>

#define RING_SIZE	sizeof(((struct xencons_interface *)0)->out)
#define IN_RING_SIZE	sizeof(((struct xencons_interface *)0)->in)
#define MAX_REPORTS	3	/* index complaints printed per domain */

struct console {
	volatile struct xencons_interface *ring;	/* NULL: entry free */
	domid_t domid;
	evtchn_port_t port;
	char name[DOMSPEC_NAME_MAX];
	uint32_t cons;				/* our index, never read back */
	uint32_t in_prod;			/* ours too, for in[] */
	uint32_t line_len;
	char line[CONSOLED_LINE_MAX + 1];
	struct consoled_stats st;
};

static struct console consoles[CONSOLED_MAX];
static char input[CONSOLED_INPUT_MAX];	/* typed, not yet in a ring */
static uint32_t input_len;
static int32_t focus = -1;		/* index into consoles[], -1: none */
static char watch_text[64];
static uint32_t watch_hits;

static struct console *find(domid_t domid)
{
	uint32_t i;

	for (i = 0; i < CONSOLED_MAX; i++)
		if (consoles[i].ring && consoles[i].domid == domid)
			return &consoles[i];
	return NULL;
}

static bool contains(const char *s, const char *text)
{
	size_t n = strlen(text);

	for (; *s; s++)
		if (!strncmp(s, text, n))
			return true;
	return false;
}

static void flush_line(struct console *c)
{
	if (!c->line_len)
		return;
	c->line[c->line_len] = '\0';
	printf("[%s] %s\n", c->name, c->line);
	if (watch_text[0] && contains(c->line, watch_text))
		watch_hits++;
	c->st.lines++;
	c->line_len = 0;
}

static void put_byte(struct console *c, char ch)
{
	if (ch == '\n') {
		flush_line(c);
		return;
	}
	if (ch == '\r')
		return;
	if ((ch < 0x20 && ch != '\t') || ch >= 0x7f)
		ch = '.';
	c->line[c->line_len++] = ch;
	if (c->line_len == CONSOLED_LINE_MAX)
		flush_line(c);
}

/* out_prod is more than a ring ahead of us, or behind: clamp and say so. */
static uint32_t clamp(struct console *c, uint32_t prod)
{
	if (c->st.bad_indices++ < MAX_REPORTS)
		printf("consoled: %s: ring indices out of range (out_prod %u, "
		       "consumed %u): reading the last %u bytes only\n", c->name,
		       prod, c->cons, (uint32_t)RING_SIZE);
	return prod - (uint32_t)RING_SIZE;
}

static uint32_t drain(struct console *c)
{
	char buf[RING_SIZE];
	uint32_t prod, n, i;

	prod = ACCESS_ONCE(c->ring->out_prod);
	barrier();	/* the bytes are read after the index */
	if (prod - c->cons > RING_SIZE)
		c->cons = clamp(c, prod);
	n = prod - c->cons;
	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		buf[i] = c->ring->out[(c->cons + i) & (RING_SIZE - 1)];
	c->cons = prod;
	barrier();	/* copied before the space is handed back */
	c->ring->out_cons = c->cons;
	for (i = 0; i < n; i++)
		put_byte(c, buf[i]);
	c->st.bytes += n;
	evtchn_send(c->port);
	return n;
}

/* The next served console after the focus (wrapping), or none. */
static void move_focus(void)
{
	uint32_t i, start = focus < 0 ? 0 : (uint32_t)focus + 1;

	focus = -1;
	for (i = 0; i < CONSOLED_MAX; i++) {
		struct console *c = &consoles[(start + i) % CONSOLED_MAX];

		if (c->ring) {
			focus = (int32_t)(c - consoles);
			return;
		}
	}
}

/* Put up to n queued bytes into c's in[] ring; returns how many went. */
static uint32_t feed(struct console *c, const char *buf, uint32_t n)
{
	uint32_t cons, room, i;

	cons = ACCESS_ONCE(c->ring->in_cons);
	barrier();	/* the index is read before the space is used */
	if (c->in_prod - cons > IN_RING_SIZE) {
		if (c->st.bad_in_indices++ < MAX_REPORTS)
			printf("consoled: %s: input ring indices out of range "
			       "(in_cons %u, produced %u): holding input\n",
			       c->name, cons, c->in_prod);
		return 0;
	}
	room = (uint32_t)IN_RING_SIZE - (c->in_prod - cons);
	if (n > room)
		n = room;
	for (i = 0; i < n; i++)
		c->ring->in[(c->in_prod + i) & (IN_RING_SIZE - 1)] = buf[i];
	barrier();	/* the bytes are in place before the index moves */
	c->in_prod += n;
	c->ring->in_prod = c->in_prod;
	if (n) {
		c->st.in_bytes += n;
		evtchn_send(c->port);
	}
	return n;
}

uint32_t consoled_push_input(void)
{
	uint32_t n;

	if (focus < 0 || !input_len)
		return 0;
	n = feed(&consoles[focus], input, input_len);
	memmove(input, input + n, input_len - n);
	input_len -= n;
	return n;
}

uint32_t consoled_input_room(void)
{
	return CONSOLED_INPUT_MAX - input_len;
}

void consoled_input(const char *buf, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n && input_len < CONSOLED_INPUT_MAX; i++) {
		if (buf[i] != CONSOLED_SWITCH_CHAR) {
			input[input_len++] = buf[i];
			continue;
		}
		/* What was typed before the switch goes to the old focus
		 * if it fits; the rest follows the focus. */
		consoled_push_input();
		move_focus();
		if (focus >= 0)
			printf("dom0: console input goes to %s (Ctrl-] for the next)\n",
			       consoles[focus].name);
	}
	consoled_push_input();
}

int consoled_add(domid_t domid, const char *name, uint32_t ring_mfn,
		 evtchn_port_t port)
{
	struct console *c = NULL;
	void *va;
	uint32_t i;
	int rc;

	if (find(domid))
		return -XEN_EEXIST;
	for (i = 0; i < CONSOLED_MAX && !c; i++)
		if (!consoles[i].ring)
			c = &consoles[i];
	if (!c)
		return -XEN_ENOSPC;
	rc = dom_map_foreign(CONSOLED_FIRST_SLOT + (uint32_t)(c - consoles), domid,
			     ring_mfn, true, &va);
	if (rc) {
		printf("consoled: %s: cannot map the console ring (%d)\n", name, rc);
		return rc;
	}
	memset(c, 0, sizeof(*c));
	c->domid = domid;
	c->port = port;
	strlcpy(c->name, name, sizeof(c->name));
	c->cons = ACCESS_ONCE(((volatile struct xencons_interface *)va)->out_cons);
	c->in_prod = ACCESS_ONCE(((volatile struct xencons_interface *)va)->in_prod);
	c->ring = va;
	if (focus < 0) {
		focus = (int32_t)(c - consoles);
		printf("dom0: console input goes to %s (Ctrl-] for the next)\n",
		       c->name);
	}
	return 0;
}

uint32_t consoled_drain(domid_t domid)
{
	struct console *c = find(domid);

	return c ? drain(c) : 0;
}

int consoled_remove(domid_t domid)
{
	struct console *c = find(domid);

	if (!c)
		return -XEN_ESRCH;
	drain(c);
	flush_line(c);
	c->ring = NULL;
	if (focus == (int32_t)(c - consoles))
		move_focus();
	return dom_unmap(CONSOLED_FIRST_SLOT + (uint32_t)(c - consoles));
}

uint32_t consoled_poll(void)
{
	uint32_t i, n = 0;

	for (i = 0; i < CONSOLED_MAX; i++)
		if (consoles[i].ring)
			n += drain(&consoles[i]);
	return n;
}

uint32_t consoled_ports(evtchn_port_t *ports, uint32_t max)
{
	uint32_t i, n = 0;

	for (i = 0; i < CONSOLED_MAX && n < max; i++)
		if (consoles[i].ring)
			ports[n++] = consoles[i].port;
	return n;
}

int consoled_stats(domid_t domid, struct consoled_stats *st)
{
	struct console *c = find(domid);

	if (!c)
		return -XEN_ESRCH;
	*st = c->st;
	return 0;
}

void consoled_watch(const char *text)
{
	watch_hits = 0;
	if (text)
		strlcpy(watch_text, text, sizeof(watch_text));
	else
		watch_text[0] = '\0';
}

uint32_t consoled_watch_hits(void)
{
	return watch_hits;
}
