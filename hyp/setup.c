/*
 * setup.c - start_xylem(): from the boot loader's hand-off to Dom0's
 * first instruction.  Order matters: console, memory map and frame table,
 * the hypervisor's own mappings, descriptor tables, interrupt controller,
 * then Dom0 is built from the first boot module and entered in ring 1.
 *
 * Hypervisor command line options:
 *   loglvl=err|warn|info|debug   console verbosity (default info)
 *   dom0_mem=N[K|M|G]            Dom0's memory (default 64M)
 *   dom0_max_vcpus=N             Dom0's vCPUs, 1 to 32 (default 1); vCPU 0
 *                                starts, Dom0 brings up the others
 *   int80=native                 int $0x80 straight to the guest (traps.h)
 *   lapic_timer=off              poll timers at the 1 kHz tick (time.h)
 *   nmi=dom0|ignore|fatal        what a machine NMI does (nmi.h)
 *   isolate=auto|on|off          unmap the hypervisor while a guest runs
 *                                (isolate.h; auto: where the CPU does not
 *                                check segment limits)
 */
#include "setup.h"
#include "console.h"
#include "dom0_build.h"
#include "fpu.h"
#include "domain.h"
#include "lib.h"
#include "mm.h"
#include "mmu.h"
#include "multiboot.h"
#include "nmi.h"
#include "pagetable.h"
#include "panic.h"
#include "privop.h"
#include "sched.h"
#include "shutdown.h"
#include "time.h"
#include "traps.h"
#include "arch/x86_32/desc.h"
#include "arch/x86_32/isolate.h"
#include "arch/x86_32/paging.h"
#include "arch/x86_32/platform.h"
#include "arch/x86_32/x86.h"
#include <public/modpack.h>

#define DEFAULT_DOM0_MEM	(64u << 20)

void start_xylem(uint32_t magic, uint32_t mbi_pa);

static char cmdline[1024];
static bool loader_is_grub2;
static uint64_t dom0_mem_bytes = DEFAULT_DOM0_MEM;
static unsigned long dom0_max_vcpus = 1;
static bool lapic_timer = true;

const char *hypervisor_cmdline(void)
{
	return cmdline;
}

static bool parse_size(const char *s, size_t len, uint64_t *out)
{
	uint64_t shift = 0;
	unsigned long v;

	if (len && (s[len - 1] == 'K' || s[len - 1] == 'k'))
		shift = 10;
	else if (len && (s[len - 1] == 'M' || s[len - 1] == 'm'))
		shift = 20;
	else if (len && (s[len - 1] == 'G' || s[len - 1] == 'g'))
		shift = 30;
	if (shift)
		len--;
	if (!parse_ulong(s, len, &v))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

static void parse_option(const char *opt, size_t len)
{
	char val[16];

	if (len > 7 && !strncmp(opt, "loglvl=", 7) && len - 7 < sizeof(val)) {
		memcpy(val, opt + 7, len - 7);
		val[len - 7] = '\0';
		console_set_level(val);
	} else if (len > 9 && !strncmp(opt, "dom0_mem=", 9)) {
		if (!parse_size(opt + 9, len - 9, &dom0_mem_bytes))
			printk(LOG_WARN, "ignoring malformed %.*s\n", (int)len, opt);
	} else if (len > 15 && !strncmp(opt, "dom0_max_vcpus=", 15)) {
		if (!parse_ulong(opt + 15, len - 15, &dom0_max_vcpus) ||
		    dom0_max_vcpus < 1 || dom0_max_vcpus > MAX_VCPUS) {
			printk(LOG_WARN, "ignoring %.*s: 1 to %u vCPUs\n",
			       (int)len, opt, MAX_VCPUS);
			dom0_max_vcpus = 1;
		}
	} else if (len == 12 && !strncmp(opt, "int80=native", 12)) {
		traps_native_int80 = true;
	} else if (len == 15 && !strncmp(opt, "lapic_timer=off", 15)) {
		lapic_timer = false;
	} else if (len > 4 && !strncmp(opt, "nmi=", 4)) {
		if (!nmi_set_mode(opt + 4, len - 4))
			printk(LOG_WARN, "ignoring %.*s: dom0, ignore or fatal\n",
			       (int)len, opt);
	} else if (len > 8 && !strncmp(opt, "isolate=", 8)) {
		if (!iso_set_mode(opt + 8, len - 8))
			printk(LOG_WARN, "ignoring %.*s: auto, on or off\n",
			       (int)len, opt);
	}
}

/*
 * Multiboot command lines: QEMU's -kernel/-initrd put the image's name
 * first, GRUB 2 does not.  Skip that first word unless GRUB 2 loaded us.
 */
static const char *skip_image_name(const char *s)
{
	if (loader_is_grub2)
		return s;
	while (*s && *s != ' ')
		s++;
	while (*s == ' ')
		s++;
	return s;
}

static void parse_cmdline(const struct multiboot_info *mbi)
{
	const char *p;

	if (mbi->flags & MBI_FLAG_LOADER_NAME)
		loader_is_grub2 = !strncmp(phys_to_virt(mbi->boot_loader_name),
					   "GRUB 2", 6);
	if (mbi->flags & MBI_FLAG_CMDLINE)
		strlcpy(cmdline, skip_image_name(phys_to_virt(mbi->cmdline)),
			sizeof(cmdline));
	for (p = cmdline; *p;) {
		const char *end = p;

		while (*end && *end != ' ')
			end++;
		parse_option(p, (size_t)(end - p));
		p = *end ? end + 1 : end;
	}
}

static const char *module_args(const struct multiboot_module *m)
{
	return skip_image_name(m->cmdline ? phys_to_virt(m->cmdline) : "");
}

static uint32_t dom0_pages(void)
{
	uint64_t pages = dom0_mem_bytes >> PAGE_SHIFT;
	uint32_t spare = mm_free_frames() > 1024 ? mm_free_frames() - 1024 : 0;

	return pages > spare ? spare : (uint32_t)pages;
}

static void start_dom0(const struct multiboot_info *mbi)
{
	const struct multiboot_module *mods = phys_to_virt(mbi->mods_addr);
	struct boot_module kernel, extra[XYLEM_MODPACK_MAX + 1];
	unsigned int i, nr_extra;
	struct domain *d;

	if (!(mbi->flags & MBI_FLAG_MODS) || mbi->mods_count == 0)
		panic("no Dom0 kernel: pass it as the first boot module");
	kernel = (struct boot_module){ mods[0].mod_start, mods[0].mod_end,
				       module_args(&mods[0]) };
	/* One too many is kept so that dom0_build refuses the lot. */
	nr_extra = MIN(mbi->mods_count - 1, XYLEM_MODPACK_MAX + 1);
	for (i = 0; i < nr_extra; i++)
		extra[i] = (struct boot_module){ mods[i + 1].mod_start,
						 mods[i + 1].mod_end,
						 module_args(&mods[i + 1]) };
	if (domain_create(0, "Domain-0", true, &d) ||
	    domain_set_max_vcpus(d, (uint32_t)dom0_max_vcpus))
		panic("no memory for Dom0's structures");
	if (dom0_build(d, &kernel, extra, nr_extra, dom0_pages()))
		panic("could not build Dom0 (see above)");
	nmi_set_hardware_domain(d);
	printk(LOG_INFO, "entering Dom0 at %04x:%08x in ring 1\n",
	       vcpu_frame(&d->vcpu0)->cs, vcpu_frame(&d->vcpu0)->eip);
	domain_unpause(d);
}

/*
 * With NX on the CPU, turn on EFER.NXE so guests' L1/L2 entries may carry
 * bit 63 (CPUID shows NX to them); otherwise the bit stays refused.
 */
static void nx_init(void)
{
	uint32_t a, b, c, d;

	cpuid_count(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x80000001)
		return;
	cpuid_count(0x80000001, 0, &a, &b, &c, &d);
	if (!(d & (1u << 20)))
		return;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	pt_allow_nx(true);
	printk(LOG_INFO, "NX: on (guest page tables may use it)\n");
}

void start_xylem(uint32_t magic, uint32_t mbi_pa)
{
	const struct multiboot_info *mbi = phys_to_virt(mbi_pa);

	console_init();
	if (magic == MULTIBOOT_BOOTLOADER_MAGIC)
		parse_cmdline(mbi);
	printk(LOG_INFO, "Xylem hypervisor starting (pv32pae guest ABI)\n");
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not started by a multiboot loader (magic 0x%x)", magic);
	if (mbi->flags & MBI_FLAG_LOADER_NAME)
		printk(LOG_INFO, "boot loader: %s\n",
		       (const char *)phys_to_virt(mbi->boot_loader_name));
	printk(LOG_INFO, "command line: %s\n", cmdline);
	mm_init(mbi);
	arch_paging_init();
	nx_init();
	privop_init();
	arch_desc_init();
	iso_init(arch_segment_limits_enforced());
	pic_init();
	fpu_init();
	time_init(lapic_timer);
	sched_init();
	start_dom0(mbi);
	sched_start();
}
