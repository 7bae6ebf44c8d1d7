/*
 * main.c - Xylem's Dom0.  It prints its banner and the start_info the
 * hypervisor handed it, builds the DomUs its command line describes
 * (dom=NAME,mod=N,...: domspec.h) from its boot modules (modpack.h),
 * serves their consoles (consoled.h: output, and what is typed on the
 * serial line, forwarded to one DomU at a time) and their XenStore
 * (xenstored.h) until every one of them has exited
 * and been destroyed, and reports the hypervisor's free frames before and
 * after.  Then it acts on the rest of its command line:
 *   poweroff   shut the machine down (default)
 *   wait       block for good (what `make run` uses)
 *   selftest   check start_info's invariants, report "Test result: ..."
 *   expect-exit=REASON  (with selftest) every DomU must exit with REASON
 *              (poweroff, reboot, crash, ...)
 *   expect-line=TEXT    (with selftest) some DomU must print a line that
 *              contains TEXT (no spaces, at most 63 characters)
 *
 * Events stay disabled (no upcalls): Dom0 waits with SCHEDOP_poll on
 * VIRQ_DOM_EXC and the console ports (with a timeout, so rings and
 * domain states are looked at even when more ports exist than one poll
 * takes), and clears the pending bits itself before each look.
 */
#include "guest.h"
#include "builder.h"
#include "consoled.h"
#include "domspec.h"
#include "event.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "modpack.h"
#include "time.h"
#include "xenstored.h"
#include <public/errno.h>

#define POLL_PORTS	128
#define POLL_MS		100ull

static struct domspec_list specs;
static struct dom_handle doms[DOMSPEC_MAX_DOMS];
static bool live[DOMSPEC_MAX_DOMS];
static uint32_t nr_live;
static struct modpack mods;
static char expect_exit[16];
static uint32_t unexpected_exits;

static bool has_word(const char *line, const char *word)
{
	size_t n = strlen(word);
	const char *p = line;

	while (*p) {
		if (!strncmp(p, word, n) && (p[n] == ' ' || p[n] == '\0') &&
		    (p == line || p[-1] == ' '))
			return true;
		p++;
	}
	return false;
}

/* Copy the value of the word "key=VALUE" into val; false if absent. */
static bool word_value(const char *line, const char *key, char *val, size_t size)
{
	size_t n = strlen(key), i = 0;
	const char *p = line;

	while (*p) {
		if (!strncmp(p, key, n) && (p == line || p[-1] == ' ')) {
			p += n;
			while (p[i] && p[i] != ' ' && i + 1 < size) {
				val[i] = p[i];
				i++;
			}
			val[i] = '\0';
			return true;
		}
		p++;
	}
	return false;
}

static void print_start_info(const struct start_info *si)
{
	printf("start_info at %p:\n", (const void *)si);
	printf("  magic        %s\n", si->magic);
	printf("  nr_pages     %u (%u MiB)\n", si->nr_pages, si->nr_pages >> 8);
	printf("  shared_info  machine 0x%08x\n", si->shared_info);
	printf("  flags        0x%x%s%s\n", si->flags,
	       si->flags & SIF_INITDOMAIN ? " INITDOMAIN" : "",
	       si->flags & SIF_PRIVILEGED ? " PRIVILEGED" : "");
	printf("  pt_base      0x%08x (%u page-table frames)\n", si->pt_base,
	       si->nr_pt_frames);
	printf("  mfn_list     0x%08x\n", si->mfn_list);
	printf("  mod_start    0x%08x (%u bytes)\n", si->mod_start, si->mod_len);
	printf("  cmd_line     \"%s\"\n", (const char *)si->cmd_line);
}

static const char *selftest(const struct start_info *si, bool want_line)
{
	const uint32_t *m2p = (const uint32_t *)MACH2PHYS_VIRT_START;
	const uint32_t *p2m = (const uint32_t *)si->mfn_list;
	uint32_t i;

	if (strcmp(si->magic, XEN_START_INFO_MAGIC))
		return "start_info magic is wrong";
	if (!(si->flags & SIF_INITDOMAIN))
		return "SIF_INITDOMAIN is not set";
	if (unexpected_exits)
		return "a DomU did not exit as expect-exit= says";
	if (want_line && !consoled_watch_hits())
		return "no DomU printed the expect-line= text";
	for (i = 0; i < si->nr_pages; i++)
		if (m2p[p2m[i]] != i)
			return "the M2P does not invert the P2M list";
	return NULL;
}

static const char *reason_name(uint32_t reason)
{
	static const char *const names[] = {
		[SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
		[SHUTDOWN_suspend] = "suspend", [SHUTDOWN_crash] = "crash",
		[SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
	};

	return reason < ARRAY_SIZE(names) ? names[reason] : "unknown reason";
}

static void start_domain(uint32_t i)
{
	const struct dom_params *p = &specs.dom[i];
	const uint8_t *image;
	const char *cmdline;
	uint32_t len;
	int rc;

	if (modpack_get(&mods, p->module, &image, &len, &cmdline)) {
		printf("dom0: %s: boot module %u does not exist (%u modules)\n",
		       p->name, p->module, mods.nr);
		return;
	}
	if (dom_build(p, image, len, cmdline, &doms[i]))
		return;
	rc = consoled_add(doms[i].domid, p->name, doms[i].console_mfn,
			  doms[i].console_port);
	if (!rc)
		rc = xenstored_add(&doms[i]);
	if (!rc)
		rc = dom_unpause(&doms[i]);
	if (rc) {
		printf("dom0: %s: cannot start it (%d)\n", p->name, rc);
		consoled_remove(doms[i].domid);
		xenstored_remove(doms[i].domid);
		dom_destroy(&doms[i]);
		return;
	}
	printf("dom0: domain %u (%s) started: %u KiB, weight %u, module %u\n",
	       doms[i].domid, p->name, p->mem_kib, p->weight, p->module);
	live[i] = true;
	nr_live++;
}

static void start_domains(const struct start_info *si)
{
	const char *why = "";
	uint32_t i;

	if (modpack_open((const void *)si->mod_start, si->mod_len, &mods, &why)) {
		printf("dom0: cannot use the boot modules: %s\n", why);
		return;
	}
	for (i = 0; i < specs.nr; i++)
		start_domain(i);
}

/* Domain i is gone or going: log why, drain its console, destroy it. */
static void finish_domain(uint32_t i, const char *why)
{
	struct dom_handle *h = &doms[i];

	printf("dom0: domain %u (%s) exited: %s\n", h->domid, h->name, why);
	if (expect_exit[0] && strcmp(why, expect_exit)) {
		printf("dom0: %s exited with %s, expected %s\n", h->name, why,
		       expect_exit);
		unexpected_exits++;
	}
	consoled_remove(h->domid);
	xenstored_remove(h->domid);
	dom_destroy(h);
	live[i] = false;
	nr_live--;
}

static void reap_domains(void)
{
	struct xen_domctl_getdomaininfo info;
	uint32_t i;
	int rc;

	for (i = 0; i < specs.nr; i++) {
		if (!live[i])
			continue;
		rc = dom_getinfo(doms[i].domid, &info);
		if (rc == -XEN_ESRCH)
			finish_domain(i, "vanished");
		else if (!rc && (info.flags & XEN_DOMINF_shutdown))
			finish_domain(i, reason_name((info.flags >> XEN_DOMINF_shutdownshift) &
						     XEN_DOMINF_shutdownmask));
	}
}

/* Take what was typed on the serial line, as much as the queue holds. */
static void read_input(void)
{
	char buf[256];
	uint32_t room;
	long n;

	while ((room = consoled_input_room()) > 0) {
		n = HYPERVISOR_console_io(CONSOLEIO_read,
					  room < sizeof(buf) ? room : sizeof(buf), buf);
		if (n <= 0)
			break;
		consoled_input(buf, (uint32_t)n);
	}
	consoled_push_input();
}

/*
 * Serve consoles and reap domains until none is left.  Domain states are
 * read when VIRQ_DOM_EXC fired, and every POLL_MS in case it was missed;
 * pending bits are cleared before the look, so an event that arrives
 * during it makes the next poll return at once.
 */
static void serve_domains(void)
{
	evtchn_port_t ports[POLL_PORTS], dom_exc = 0, con_in = 0;
	uint64_t next_reap = 0, now;
	uint32_t n, i;
	bool exc;

	if (evtchn_bind_virq(VIRQ_DOM_EXC, &dom_exc))
		printf("dom0: cannot bind VIRQ_DOM_EXC; looking every %llu ms\n",
		       POLL_MS);
	if (evtchn_bind_virq(VIRQ_CONSOLE, &con_in))
		con_in = 0;	/* typed input is then read every POLL_MS */
	while (nr_live) {
		n = 0;
		if (dom_exc)
			ports[n++] = dom_exc;
		if (con_in)
			ports[n++] = con_in;
		n += consoled_ports(ports + n, POLL_PORTS - n);
		n += xenstored_ports(ports + n, POLL_PORTS - n);
		exc = dom_exc && evtchn_is_pending(dom_exc);
		for (i = 0; i < n; i++)
			evtchn_clear_pending(ports[i]);
		consoled_poll();
		xenstored_poll();
		read_input();
		now = time_system_ns();
		if (exc || now >= next_reap) {
			reap_domains();
			next_reap = now + POLL_MS * 1000000;
		}
		if (nr_live)
			HYPERVISOR_poll(ports, n, now + POLL_MS * 1000000);
	}
	if (dom_exc)
		evtchn_close(dom_exc);
	if (con_in)
		evtchn_close(con_in);
}

static void run_domains(const struct start_info *si)
{
	char err[160];
	uint64_t before = 0, after = 0;

	if (domspec_parse_cmdline((const char *)si->cmd_line, &specs, err,
				  sizeof(err))) {
		printf("dom0: bad option: %s\n", err);
		printf("dom0: no DomU started\n");
		return;
	}
	if (!specs.nr)
		return;
	if (mm_init() || evtchn_init()) {
		printf("dom0: no DomU started: no mapping window or events\n");
		return;
	}
	xenstored_init();
	dom_free_pages(&before);
	start_domains(si);
	serve_domains();
	dom_free_pages(&after);
	printf("dom0: all DomUs gone; frames: before %llu after %llu\n",
	       (unsigned long long)before, (unsigned long long)after);
}

void kernel_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	char ver[16] = "", line[64];
	bool want_line;
	long v;

	v = HYPERVISOR_xen_version(XENVER_version, NULL);
	HYPERVISOR_xen_version(XENVER_extraversion, ver);
	printf("Xylem Dom0 running in ring %u on hypervisor %ld.%ld%s\n",
	       ({ uint16_t cs; asm("mov %%cs, %0" : "=r"(cs)); cs & 3; }),
	       v >> 16, v & 0xffff, ver);
	print_start_info(si);
	word_value(cmd, "expect-exit=", expect_exit, sizeof(expect_exit));
	want_line = word_value(cmd, "expect-line=", line, sizeof(line));
	if (want_line)
		consoled_watch(line);
	run_domains(si);
	if (has_word(cmd, "selftest")) {
		const char *why = selftest(si, want_line);

		if (why)
			printf("Test result: FAILURE: %s\n", why);
		else
			printf("Test result: SUCCESS\n");
	}
	if (has_word(cmd, "wait")) {
		printf("Dom0 idle; press Ctrl-A X to leave QEMU\n");
		guest_block_forever();
	}
	guest_shutdown(SHUTDOWN_poweroff);
}
