/*
 * test_dom_bad.c - a test Dom0: hostile inputs to the domain builder and
 * to the hypercalls under it fail cleanly and leak nothing.
 *  - images: truncated, not an ELF, wrong machine, PAE_MODE "no", a
 *    required feature Xylem lacks (FEATURES "!dom0"), ENTRY outside the
 *    image (the hello module patched in place, then restored);
 *  - memory: 1 MiB (too small for the initial region), 4 MiB more than
 *    is free (populate fails part way and the half-built domain is
 *    destroyed), 4 GiB (refused before anything is made);
 *  - a domain id that does not exist (and Dom0's own for destroy and
 *    pause), for every domctl command and for populate_physmap,
 *    mmu_update, mmuext_op and alloc_unbound on its behalf: all errors;
 * then no domain exists, the free frame count is what it was, and a good
 * build still runs to its end.
 */
#include "domtest.h"
#include <public/elfnote.h>
#include <public/memory.h>

#define NO_DOMAIN	777

static uint64_t before;
static uint8_t *image;
static uint32_t image_len;

static int build(const char *name, uint32_t mem_kib, const void *img, uint32_t len)
{
	struct dom_params p = domtest_params(name, mem_kib);
	struct dom_handle h;
	int rc = dom_build(&p, img, len, "", &h);

	if (!rc)
		dom_destroy(&h);
	return rc;
}

/* The descriptor of the first Xen note of type in the image, or NULL. */
static uint8_t *find_note(uint32_t type, uint32_t descsz)
{
	uint32_t i, hdr[3] = { 4, descsz, type };

	for (i = 0; i + 16 + descsz <= image_len; i += 4)
		if (!memcmp(image + i, hdr, sizeof(hdr)) &&
		    !memcmp(image + i + 12, "Xen", 4))
			return image + i + 16;
	return NULL;
}

/* Patch n bytes at p, try a build (it must fail), restore. */
static void refused_patched(const char *what, uint8_t *p, const void *val, uint32_t n)
{
	uint8_t saved[32];

	KCHECK(p != NULL && n <= sizeof(saved));
	if (!p || n > sizeof(saved))
		return;
	memcpy(saved, p, n);
	memcpy(p, val, n);
	printf("bad image: %s\n", what);
	KCHECK(build("patched", 4096, image, image_len) < 0);
	memcpy(p, saved, n);
}

static void bad_images(void)
{
	static const char text[] = "this is not an ELF image at all";
	uint32_t entry = 0x10;

	KCHECK(build("short", 4096, image, 64) < 0);
	KCHECK(build("text", 4096, text, sizeof(text)) < 0);
	KCHECK(build("empty", 4096, image, 0) < 0);
	refused_patched("e_machine 0x3e", image + 18, "\x3e", 1);
	refused_patched("PAE_MODE no", find_note(XEN_ELFNOTE_PAE_MODE, 4), "no\0", 3);
	refused_patched("FEATURES !dom0", find_note(XEN_ELFNOTE_FEATURES, 20), "!dom0", 6);
	refused_patched("ENTRY 0x10", find_note(XEN_ELFNOTE_ENTRY, 4), &entry, 4);
	/* Restored: the image builds again. */
	KCHECK_EQ(build("restored", 4096, image, image_len), 0);
}

static void bad_memory(void)
{
	KCHECK(build("tiny", 1024, image, image_len) < 0);
	/* Allowed as max_mem (below the machine's size) but more than is
	 * free: populate_physmap stops part way. */
	KCHECK(build("huge", (uint32_t)MIN(before + 1024, DOM_MAX_PAGES) * 4,
		     image, image_len) < 0);
	KCHECK(build("toobig", DOMSPEC_MAX_MEM_KIB * 4, image, image_len) < 0);
}

static int domctl_on(domid_t domid, uint32_t cmd)
{
	static struct vcpu_guest_context ctx;
	struct xen_domctl dc;

	memset(&dc, 0, sizeof(dc));
	dc.cmd = cmd;
	dc.domain = domid;
	dc.u.max_mem.max_memkb = 4096;	/* union: also the other commands' */
	if (cmd == XEN_DOMCTL_setvcpucontext || cmd == XEN_DOMCTL_getvcpucontext)
		dc.u.vcpucontext.ctxt = (uint32_t)&ctx;
	if (cmd == XEN_DOMCTL_scheduler_op)
		dc.u.scheduler_op.u.bvt.weight = 100;
	return dom_domctl(&dc);
}

static void bad_domids(void)
{
	static const uint32_t cmds[] = {
		XEN_DOMCTL_destroydomain, XEN_DOMCTL_pausedomain,
		XEN_DOMCTL_unpausedomain, XEN_DOMCTL_getdomaininfo,
		XEN_DOMCTL_max_mem, XEN_DOMCTL_setvcpucontext,
		XEN_DOMCTL_getvcpucontext, XEN_DOMCTL_max_vcpus,
		XEN_DOMCTL_scheduler_op, XEN_DOMCTL_irq_permission,
		XEN_DOMCTL_ioport_permission, XEN_DOMCTL_hypercall_init,
	};
	struct evtchn_alloc_unbound a = { .dom = NO_DOMAIN, .remote_dom = 0 };
	struct mmuext_op pin = { .cmd = MMUEXT_PIN_L3_TABLE, .arg1 = 0x1000 };
	uint32_t pfn = 0, i;
	struct xen_memory_reservation r = {
		.extent_start = (uint32_t)&pfn, .nr_extents = 1, .domid = NO_DOMAIN,
	};
	void *va;
	int rc;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		rc = domctl_on(NO_DOMAIN, cmds[i]);
		printf("domctl %u on domain %u: %d\n", cmds[i], NO_DOMAIN, rc);
		KCHECK(rc < 0);
	}
	KCHECK(domctl_on(0, XEN_DOMCTL_destroydomain) < 0);
	KCHECK(domctl_on(0, XEN_DOMCTL_pausedomain) < 0);
	KCHECK(HYPERVISOR_memory_op(XENMEM_populate_physmap, &r) <= 0);
	KCHECK(dom_map_foreign(5, NO_DOMAIN, start_info->shared_info >> 12, false, &va) < 0);
	KCHECK(HYPERVISOR_mmuext_op(&pin, 1, NULL, NO_DOMAIN) < 0);
	KCHECK(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a) < 0);
}

static void check_nothing_left(void)
{
	struct xen_domctl dc;
	uint64_t now = domtest_free_pages();

	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_getdomaininfo;
	dc.domain = 1;
	KCHECK(dom_domctl(&dc) < 0);	/* no domain with an id >= 1 */
	printf("frames: before %llu after %llu\n", (unsigned long long)before,
	       (unsigned long long)now);
	KCHECK_EQ(now, before);
}

void kernel_main(struct start_info *si)
{
	const char *cmd;
	struct dom_handle h;

	(void)si;
	if (domtest_setup() ||
	    modpack_get(&domtest_mods, 1, (const uint8_t **)&image, &image_len, &cmd)) {
		KCHECK(0);
		goto out;
	}
	before = domtest_free_pages();
	bad_images();
	bad_memory();
	bad_domids();
	check_nothing_left();
	KCHECK_EQ(domtest_start("good", "ticks=1 period=10", &h), 0);
	KCHECK_EQ(domtest_wait(&h, 10000), SHUTDOWN_poweroff);
	domtest_finish(&h);
	check_nothing_left();
out:
	ktest_finish();
}
