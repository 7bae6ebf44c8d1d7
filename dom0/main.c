/*
 * main.c - Xylem's Dom0.  Today it prints its banner and the start_info
 * the hypervisor handed it, then acts on its command line:
 *   poweroff   shut the machine down (default)
 *   wait       block for good (what `make run` uses)
 *   selftest   check start_info's invariants, report "Test result: ..."
 * The domain builder, XenStore, the console service and the drivers come
 * here as the hypervisor grows the interfaces they need.
 */
#include "guest.h"
#include "hypercall.h"
#include "lib.h"

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

static const char *selftest(const struct start_info *si)
{
	const uint32_t *m2p = (const uint32_t *)MACH2PHYS_VIRT_START;
	const uint32_t *p2m = (const uint32_t *)si->mfn_list;
	uint32_t i;

	if (strcmp(si->magic, XEN_START_INFO_MAGIC))
		return "start_info magic is wrong";
	if (!(si->flags & SIF_INITDOMAIN))
		return "SIF_INITDOMAIN is not set";
	for (i = 0; i < si->nr_pages; i++)
		if (m2p[p2m[i]] != i)
			return "the M2P does not invert the P2M list";
	return NULL;
}

void kernel_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	char ver[16] = "";
	long v;

	v = HYPERVISOR_xen_version(XENVER_version, NULL);
	HYPERVISOR_xen_version(XENVER_extraversion, ver);
	printf("Xylem Dom0 running in ring %u on hypervisor %ld.%ld%s\n",
	       ({ uint16_t cs; asm("mov %%cs, %0" : "=r"(cs)); cs & 3; }),
	       v >> 16, v & 0xffff, ver);
	print_start_info(si);
	if (has_word(cmd, "selftest")) {
		const char *why = selftest(si);

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
