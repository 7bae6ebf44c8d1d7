/*
 * test_platform_op.c - platform_op (hypercall 7) as Dom0, and refused to
 * a DomU.  Booted as Dom0 with itself as module 1 (tests.list):
 *  - the op is read once: wrong interface_version -EACCES, unknown cmd
 *    -ENOSYS, an op in the hypervisor's range (or running into it) -EFAULT;
 *  - settime64 and settime32 set the wall clock: shared_info's wc_sec,
 *    wc_sec_hi, wc_nsec (read with wc_version even and unchanged around
 *    the read) are then secs.nsecs - system_time, computed here in signed
 *    nanoseconds, and wc_version moved on by 2; nsecs of 10^9 or a
 *    nonzero mbz are -EINVAL and leave the clock and its version alone;
 *    a system time before boot counts back; a result before 1970 is 0.0
 *    and one past 2^64-1 s the largest value; settime from a read-only
 *    page works (nothing is copied back);
 *  - get_cpuinfo: CPU 0 online with our CPUID's initial APIC id, CPU 1
 *    invalid with its apic_id/acpi_id as given; max_present 0 both times;
 *    only the pcpu_info member is written back (the pad after it and the
 *    header keep their bytes); a read-only op gives -EFAULT on copy-back;
 *  - get_cpu_version: CPU 0's vendor, family, model and stepping equal
 *    what the CPUID instruction says here; CPU 7 zeroes, success;
 *  - firmware_info: DISK_INFO, DISK_MBR_SIGNATURE, VBEDDC_INFO -ESRCH,
 *    EFI_INFO -ENOSYS, KBD_SHIFT_FLAGS index 0 flags 0, index 1 -ESRCH,
 *    an unknown type -EINVAL (Xen's answers when it holds no such data);
 *  - the same kernel run as a DomU ("domu" on its command line) gets
 *    -EPERM for settime64 and get_cpuinfo (-EACCES for a wrong version,
 *    checked first as on Xen) and its wall clock does not move; it powers
 *    off when all that holds, crashes otherwise, and Dom0 checks which.
 */
#include "domtest.h"
#include <public/platform.h>

#define NS_PER_SEC	1000000000ll
#define RO_SLOT		7u
#define PAD_BYTE	0x5a

static struct xen_platform_op op_page[4096 / sizeof(struct xen_platform_op)]
	__attribute__((aligned(4096)));

static long platform_op(struct xen_platform_op *op)
{
	return hypercall(__HYPERVISOR_platform_op, (uint32_t)op, 0, 0, 0, 0);
}

static void op_init(struct xen_platform_op *op, uint32_t cmd)
{
	memset(op, PAD_BYTE, sizeof(*op));
	op->cmd = cmd;
	op->interface_version = XENPF_INTERFACE_VERSION;
}

static void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c,
		  uint32_t *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
		     : "a"(leaf), "c"(0));
}

struct wallclock { uint64_t sec; uint32_t nsec, version; };

static struct wallclock read_wallclock(void)
{
	struct wallclock w = { 0, 0, 0 };

	KCHECK_EQ(time_wallclock_base(&w.sec, &w.nsec, &w.version), 0);
	KCHECK_EQ(w.version & 1, 0);
	return w;
}

static bool same_clock(struct wallclock a, struct wallclock b)
{
	return a.sec == b.sec && a.nsec == b.nsec && a.version == b.version;
}

static long settime64(uint64_t secs, uint32_t nsecs, uint32_t mbz,
		      uint64_t system_time)
{
	struct xen_platform_op op;

	op_init(&op, XENPF_settime64);
	op.u.settime64.secs = secs;
	op.u.settime64.nsecs = nsecs;
	op.u.settime64.mbz = mbz;
	op.u.settime64.system_time = system_time;
	return platform_op(&op);
}

/* The base must be secs.nsecs - at; both fit in signed nanoseconds here. */
static void expect_base(struct wallclock before, int64_t secs, int64_t nsecs,
			int64_t at)
{
	struct wallclock w = read_wallclock();
	int64_t ns = secs * NS_PER_SEC + nsecs - at;

	if (w.sec != (uint64_t)(ns / NS_PER_SEC) ||
	    w.nsec != (uint32_t)(ns % NS_PER_SEC)) {
		printf("wall clock %llu.%09u, want %lld.%09lld\n",
		       (unsigned long long)w.sec, w.nsec,
		       (long long)(ns / NS_PER_SEC), (long long)(ns % NS_PER_SEC));
		KCHECK(false);
	}
	KCHECK_EQ(w.version, before.version + 2);
}

static void check_header_errors(void)
{
	struct xen_platform_op op;

	op_init(&op, XENPF_get_cpuinfo);
	op.interface_version = XENPF_INTERFACE_VERSION - 1;
	KCHECK_EQ(platform_op(&op), -XEN_EACCES);
	op_init(&op, 31);			/* XENPF_add_memtype */
	KCHECK_EQ(platform_op(&op), -XEN_ENOSYS);
	op_init(&op, 0xdeadbeef);
	KCHECK_EQ(platform_op(&op), -XEN_ENOSYS);
	KCHECK_EQ(hypercall(__HYPERVISOR_platform_op, HYPERVISOR_VIRT_START,
			    0, 0, 0, 0), -XEN_EFAULT);
	KCHECK_EQ(hypercall(__HYPERVISOR_platform_op,
			    HYPERVISOR_VIRT_START - 64, 0, 0, 0, 0), -XEN_EFAULT);
}

static void check_settime(void)
{
	struct xen_platform_op op;
	struct wallclock before = read_wallclock(), after;
	uint64_t now = time_system_ns(), wall;
	uint32_t wall_ns;

	KCHECK(now != 0);
	KCHECK_EQ(settime64(2000000000ull, 123456789u, 0, now), 0);
	expect_base(before, 2000000000ll, 123456789, (int64_t)now);
	KCHECK_EQ(time_wallclock_now(&wall, &wall_ns), 0);
	printf("settime64: now %llu.%09u\n", (unsigned long long)wall, wall_ns);
	KCHECK(wall >= 2000000000ull && wall <= 2000000005ull);

	before = read_wallclock();
	now = time_system_ns();
	op_init(&op, XENPF_settime32);
	op.u.settime32.secs = 1800000000u;
	op.u.settime32.nsecs = 999999999u;
	op.u.settime32.system_time = now;
	KCHECK_EQ(platform_op(&op), 0);
	expect_base(before, 1800000000ll, 999999999, (int64_t)now);

	before = read_wallclock();
	KCHECK_EQ(settime64(2100000000ull, 1000000000u, 0, now), -XEN_EINVAL);
	op.u.settime32.nsecs = 1000000000u;
	KCHECK_EQ(platform_op(&op), -XEN_EINVAL);
	KCHECK_EQ(settime64(2100000000ull, 0, 1, now), -XEN_EINVAL);
	after = read_wallclock();
	KCHECK(same_clock(before, after));
}

/* Before boot, before 1970, past 2^64 s; and from a read-only op. */
static void check_settime_edges(void)
{
	struct wallclock before = read_wallclock(), w;
	struct xen_platform_op *ro;
	uint64_t now = time_system_ns();

	KCHECK_EQ(settime64(3000000000ull, 5, 0, (uint64_t)-2500000000ll), 0);
	expect_base(before, 3000000000ll, 5, -2500000000ll);

	before = read_wallclock();
	KCHECK_EQ(settime64(1, 0, 0, now + 5 * NS_PER_SEC), 0);
	w = read_wallclock();
	KCHECK(w.sec == 0 && w.nsec == 0 && w.version == before.version + 2);

	before = read_wallclock();
	KCHECK_EQ(settime64(~0ull, 999999999u, 0, (uint64_t)-NS_PER_SEC), 0);
	w = read_wallclock();
	KCHECK(w.sec == ~0ull && w.nsec == 999999999u);
	KCHECK_EQ(shared_info_page->arch.wc_sec_hi, 0xffffffffu);

	op_init(&op_page[0], XENPF_settime64);
	op_page[0].u.settime64.secs = 1900000000ull;
	op_page[0].u.settime64.nsecs = 42;
	op_page[0].u.settime64.mbz = 0;
	op_page[0].u.settime64.system_time = now;
	KCHECK_EQ(mm_map_pfn(RO_SLOT, (uint32_t)op_page >> 12, false), 0);
	ro = (struct xen_platform_op *)mm_window_va(RO_SLOT);
	before = read_wallclock();
	KCHECK_EQ(platform_op(ro), 0);
	expect_base(before, 1900000000ll, 42, (int64_t)now);
}

static bool pad_intact(const struct xen_platform_op *op, size_t from)
{
	const uint8_t *p = (const uint8_t *)&op->u;
	size_t i;

	for (i = from; i < sizeof(op->u.pad); i++)
		if (p[i] != PAD_BYTE)
			return false;
	return true;
}

static void check_cpuinfo(void)
{
	struct xen_platform_op op, *ro;
	uint32_t a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	op_init(&op, XENPF_get_cpuinfo);
	op.u.pcpu_info.xen_cpuid = 0;
	KCHECK_EQ(platform_op(&op), 0);
	KCHECK_EQ(op.u.pcpu_info.flags, XEN_PCPU_FLAGS_ONLINE);
	KCHECK_EQ(op.u.pcpu_info.max_present, 0);
	KCHECK_EQ(op.u.pcpu_info.apic_id, b >> 24);
	KCHECK_EQ(op.u.pcpu_info.acpi_id, 0);
	KCHECK_EQ(op.cmd, XENPF_get_cpuinfo);
	KCHECK(pad_intact(&op, sizeof(op.u.pcpu_info)));

	op_init(&op, XENPF_get_cpuinfo);
	op.u.pcpu_info.xen_cpuid = 1;
	op.u.pcpu_info.apic_id = 0xdead;
	op.u.pcpu_info.acpi_id = 0xbeef;
	KCHECK_EQ(platform_op(&op), 0);
	KCHECK_EQ(op.u.pcpu_info.flags, XEN_PCPU_FLAGS_INVALID);
	KCHECK_EQ(op.u.pcpu_info.max_present, 0);
	KCHECK_EQ(op.u.pcpu_info.apic_id, 0xdead);
	KCHECK_EQ(op.u.pcpu_info.acpi_id, 0xbeef);
	KCHECK(pad_intact(&op, sizeof(op.u.pcpu_info)));

	op_init(&op_page[1], XENPF_get_cpuinfo);
	op_page[1].u.pcpu_info.xen_cpuid = 0;
	ro = (struct xen_platform_op *)mm_window_va(RO_SLOT) + 1;
	KCHECK_EQ(platform_op(ro), -XEN_EFAULT);
	KCHECK_EQ(op_page[1].u.pcpu_info.max_present,
		  PAD_BYTE * 0x01010101u);	/* nothing written */
}

static void check_cpu_version(void)
{
	struct xen_platform_op op;
	uint32_t a, b, c, d, family, model;
	char vendor[12], got[13];

	cpuid(0, &a, &b, &c, &d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	cpuid(1, &a, &b, &c, &d);
	family = ((a >> 8) & 0xf) == 0xf ? 0xf + ((a >> 20) & 0xff)
					 : (a >> 8) & 0xf;
	model = ((a >> 4) & 0xf) + (family >= 6 ? ((a >> 16) & 0xf) << 4 : 0);

	op_init(&op, XENPF_get_cpu_version);
	op.u.pcpu_version.xen_cpuid = 0;
	KCHECK_EQ(platform_op(&op), 0);
	memcpy(got, op.u.pcpu_version.vendor_id, 12);
	got[12] = '\0';
	printf("cpu 0: %s family %u model %u stepping %u\n",
	       got, op.u.pcpu_version.family,
	       op.u.pcpu_version.model, op.u.pcpu_version.stepping);
	KCHECK_EQ(memcmp(op.u.pcpu_version.vendor_id, vendor, 12), 0);
	KCHECK_EQ(op.u.pcpu_version.family, family);
	KCHECK_EQ(op.u.pcpu_version.model, model);
	KCHECK_EQ(op.u.pcpu_version.stepping, a & 0xf);
	KCHECK_EQ(op.u.pcpu_version.max_present, 0);
	KCHECK(pad_intact(&op, sizeof(op.u.pcpu_version)));

	op_init(&op, XENPF_get_cpu_version);
	op.u.pcpu_version.xen_cpuid = 7;
	KCHECK_EQ(platform_op(&op), 0);
	KCHECK_EQ(op.u.pcpu_version.max_present, 0);
	KCHECK_EQ(memcmp(op.u.pcpu_version.vendor_id, "\0\0\0\0\0\0\0\0\0\0\0\0",
			 12), 0);
	KCHECK(op.u.pcpu_version.family == 0 && op.u.pcpu_version.model == 0 &&
	       op.u.pcpu_version.stepping == 0);
}

static long firmware(uint32_t type, uint32_t index, struct xen_platform_op *op)
{
	op_init(op, XENPF_firmware_info);
	op->u.firmware_info.type = type;
	op->u.firmware_info.index = index;
	return platform_op(op);
}

static void check_firmware_info(void)
{
	struct xen_platform_op op;

	KCHECK_EQ(firmware(XEN_FW_DISK_INFO, 0, &op), -XEN_ESRCH);
	KCHECK(pad_intact(&op, 8));		/* the reply is left alone */
	KCHECK_EQ(firmware(XEN_FW_DISK_MBR_SIGNATURE, 0, &op), -XEN_ESRCH);
	KCHECK_EQ(firmware(XEN_FW_VBEDDC_INFO, 0, &op), -XEN_ESRCH);
	KCHECK_EQ(firmware(XEN_FW_EFI_INFO, XEN_FW_EFI_VERSION, &op),
		  -XEN_ENOSYS);
	KCHECK_EQ(firmware(XEN_FW_KBD_SHIFT_FLAGS, 0, &op), 0);
	KCHECK_EQ(op.u.firmware_info.u.kbd_shift_flags, 0);
	KCHECK(pad_intact(&op, 9));		/* one byte written back */
	KCHECK_EQ(firmware(XEN_FW_KBD_SHIFT_FLAGS, 1, &op), -XEN_ESRCH);
	KCHECK_EQ(firmware(0, 0, &op), -XEN_EINVAL);
	KCHECK_EQ(firmware(99, 0, &op), -XEN_EINVAL);
}

/*
 * Dom0's part: run module 1 (this kernel) as a DomU and see it power off
 * (domtest_run gives it 16 MiB: room for the Dom0 builder linked in).
 */
static void check_domu_refused(void)
{
	KCHECK_EQ(domtest_run("pop_domu", "domu", NULL, 10000),
		  SHUTDOWN_poweroff);
}

/* The DomU's part: every privileged op refused, the clock unmoved. */
static void run_as_domu(void)
{
	struct xen_platform_op op;
	struct wallclock before, after;
	long set, info, version;

	if (mm_init() || !mm_map_shared_info()) {
		guest_shutdown(SHUTDOWN_crash);
		return;
	}
	before = read_wallclock();
	set = settime64(2000000000ull, 0, 0, time_system_ns());
	op_init(&op, XENPF_get_cpuinfo);
	op.u.pcpu_info.xen_cpuid = 0;
	info = platform_op(&op);
	op.interface_version = 0;
	version = platform_op(&op);
	after = read_wallclock();
	printf("domu: settime64 %ld, get_cpuinfo %ld, wrong version %ld, clock %s\n",
	       set, info, version, same_clock(before, after) ? "unchanged" : "MOVED");
	if (set == -XEN_EPERM && info == -XEN_EPERM && version == -XEN_EACCES &&
	    same_clock(before, after) && !ktest_failures)
		guest_shutdown(SHUTDOWN_poweroff);
	guest_shutdown(SHUTDOWN_crash);
}

void kernel_main(struct start_info *si)
{
	if (!(si->flags & SIF_INITDOMAIN)) {
		run_as_domu();
		return;
	}
	KCHECK_EQ(domtest_setup(), 0);	/* mm_init, events, modules */
	KCHECK(shared_info_page || mm_map_shared_info());
	if (ktest_failures) {
		ktest_finish();
		return;
	}
	check_header_errors();
	check_settime();
	check_settime_edges();
	check_cpuinfo();
	check_cpu_version();
	check_firmware_info();
	check_domu_refused();
	ktest_finish();
}
