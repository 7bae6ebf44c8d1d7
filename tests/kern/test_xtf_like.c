/*
 * test_xtf_like.c - a stand-in for an XTF (Xen Test Framework) pv32pae test
 * kernel, written for Xylem: not XTF's code.  It asks of the hypervisor
 * what an XTF kernel asks, with the same arguments and in the same order,
 * then runs the behaviours of XTF's selftest, and expects what Xen does.
 *
 * Boot (test_xtf_like_entry.S has the image and entry side):
 *  1. CPUID through the forced-emulation prefix (leaves 0, 1, 7, 0xd,
 *     0x80000000, 0x80000001/7/8 as the maxima allow), before any trap
 *     table exists;
 *  2. set_trap_table with vectors 0-8, 10-14, 16-20 (DPL 0, #BP/#OF DPL 3)
 *     and 0x20 (DPL 3), all masking events, code selector FLAT_RING1_CS;
 *     callback_op registers event, syscall32 and sysenter (the last two
 *     masking events), as the newest XTF does, panicking on any error; a
 *     page of 15 null descriptors is remapped read-only and given to
 *     set_gdt;
 *     stack_switch(FLAT_RING1_DS, second page of the boot stack); %ds,
 *     %es, %fs, %gs = FLAT_RING3_DS; update_va_mapping(0, 0, UVMF_INVLPG);
 *     then every present L1 entry below 0xF5800000, found by walking
 *     start_info->pt_base with the M2P, gets _PAGE_USER through
 *     update_va_mapping(va, entry | _PAGE_USER, UVMF_INVLPG);
 *  3. the hypercall page must not still be the "ret" poison;
 *  4. the PV console ring at M2P(console.domU.mfn): every line goes to
 *     console_io and into the ring, followed by EVTCHNOP_send and
 *     SCHEDOP_yield until out_cons reaches out_prod;
 *  5. shared_info mapped over a page of our own (current XTF does this).
 * Then: the FEP probe (#UD at the prefix, fixed up by the exception
 * table), int3 returning normally, ud2a with a fixup, a function run in
 * ring 3 through the iret hypercall and back with int $0x20, a NULL read
 * giving #PF with error code 0 and cr2 0, and a one-entry trap table
 * update that takes effect without disturbing the other vectors, SYSENTER
 * with EFLAGS.NT from ring 3 reaching the sysenter callback once (XSA-339's
 * shape), and XENFEAT_dom0 in the features.  The end
 * is XTF's: "Test result: SUCCESS" (or FAILURE) and SCHEDOP_shutdown
 * poweroff.  A failed step of the boot sequence panics (crash shutdown).
 */
#include "guest.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include <public/callback.h>
#include <public/console.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/features.h>

/* Keep in step with test_xtf_like_entry.S. */
#define XTFL_EX_RESUME		0
#define XTFL_EX_RECORD		1
#define XTFL_CUSTOM_MAGIC	0x7e57c0deu

#define RET_TO_KERNEL_VECTOR	0x20
#define CUSTOM_VECTOR		0x21
#define TRAP_MASK_EVENTS	4
#define EVTCHN_PORTS		1024u	/* 2-level, 32-bit guest */
#define RING_WAIT_YIELDS	100000u

/* The frame exception_common hands to xtfl_do_exception(). */
struct xtfl_regs {
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;	/* pushal */
	uint32_t vector, error_code;
	uint32_t eip, cs, eflags;	/* cs bits 16-23: saved upcall mask */
};

struct xtfl_extable_entry {
	uint32_t insn, fixup, kind;
};

struct exlog_entry {
	uint32_t vector, error_code, eip, cs;
};

void xtfl_do_exception(struct xtfl_regs *r);

extern const struct xtfl_extable_entry xtfl_extable_start[], xtfl_extable_end[];
extern uint8_t xtfl_boot_stack[], xtfl_shared_info[];
extern const char xtfl_fep_insn[], xtfl_int3_resume[], xtfl_ud2a_insn[];
extern const char xtfl_null_read_insn[];
extern void xtfl_entry_DE(void), xtfl_entry_DB(void), xtfl_entry_NMI(void);
extern void xtfl_entry_BP(void), xtfl_entry_OF(void), xtfl_entry_BR(void);
extern void xtfl_entry_UD(void), xtfl_entry_NM(void), xtfl_entry_DF(void);
extern void xtfl_entry_TS(void), xtfl_entry_NP(void), xtfl_entry_SS(void);
extern void xtfl_entry_GP(void), xtfl_entry_PF(void), xtfl_entry_MF(void);
extern void xtfl_entry_AC(void), xtfl_entry_MC(void), xtfl_entry_XM(void);
extern void xtfl_entry_VE(void), xtfl_entry_ret_to_kernel(void);
extern void xtfl_custom_vector_entry(void);
extern void xtfl_entry_EVTCHN(void), xtfl_entry_SYSCALL(void);
extern void xtfl_entry_SYSENTER(void);
extern uint8_t xtfl_gdt[];
uint32_t xtfl_user_sysenter_nt(void);
volatile uint32_t xtfl_evtchn_upcalls, xtfl_sysenter_hits;
uint32_t xtfl_exec_user(uint32_t (*fn)(void));
bool xtfl_probe_fep(void);
void xtfl_probe_int3(void);
void xtfl_probe_ud2a(void);
uint32_t xtfl_probe_null_read(void);

#define TRAP(vec, dpl, entry)						\
	{ (vec), (dpl) | TRAP_MASK_EVENTS, FLAT_RING1_CS, (uint32_t)(entry) }

static const struct trap_info default_traps[] = {
	TRAP(0, 0, xtfl_entry_DE), TRAP(1, 0, xtfl_entry_DB),
	TRAP(2, 0, xtfl_entry_NMI), TRAP(3, 3, xtfl_entry_BP),
	TRAP(4, 3, xtfl_entry_OF), TRAP(5, 0, xtfl_entry_BR),
	TRAP(6, 0, xtfl_entry_UD), TRAP(7, 0, xtfl_entry_NM),
	TRAP(8, 0, xtfl_entry_DF), TRAP(10, 0, xtfl_entry_TS),
	TRAP(11, 0, xtfl_entry_NP), TRAP(12, 0, xtfl_entry_SS),
	TRAP(13, 0, xtfl_entry_GP), TRAP(14, 0, xtfl_entry_PF),
	TRAP(16, 0, xtfl_entry_MF), TRAP(17, 0, xtfl_entry_AC),
	TRAP(18, 0, xtfl_entry_MC), TRAP(19, 0, xtfl_entry_XM),
	TRAP(20, 0, xtfl_entry_VE),
	TRAP(RET_TO_KERNEL_VECTOR, 3, xtfl_entry_ret_to_kernel),
	{ 0, 0, 0, 0 },
};

static struct xencons_interface *cons_ring;	/* NULL: console_io only */
static evtchn_port_t cons_port;
static long evtchn_send_rc;
static unsigned int failures;
static struct exlog_entry exlog[8];
static unsigned int exlog_count;

/* Console: every line to console_io and, once set up, to the PV ring. */

static void evtchn_send(evtchn_port_t port)
{
	struct evtchn_send s = { port };

	evtchn_send_rc = hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
				   (uint32_t)&s, 0, 0, 0);
}

static bool ring_wait(uint32_t cons_seen, bool until_drained)
{
	unsigned int i;

	for (i = 0; i < RING_WAIT_YIELDS; i++) {
		uint32_t cons = ACCESS_ONCE(cons_ring->out_cons);

		if (until_drained ? cons == ACCESS_ONCE(cons_ring->out_prod)
				  : cons != cons_seen)
			return true;
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	return false;
}

static bool ring_write(const char *buf, uint32_t len)
{
	uint32_t done = 0, cons, prod;

	while (done < len) {
		cons = ACCESS_ONCE(cons_ring->out_cons);
		barrier();
		prod = cons_ring->out_prod;
		while (done < len && prod - cons < sizeof(cons_ring->out))
			cons_ring->out[prod++ % sizeof(cons_ring->out)] = buf[done++];
		barrier();	/* x86 keeps stores in order: data, then index */
		ACCESS_ONCE(cons_ring->out_prod) = prod;
		evtchn_send(cons_port);
		if (done < len && !ring_wait(cons, false))
			return false;
	}
	return ring_wait(0, true);
}

static void vprintk(const char *fmt, va_list ap)
{
	static char buf[1024];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < 0)
		return;
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	HYPERVISOR_console_io(CONSOLEIO_write, (uint32_t)n, buf);
	if (cons_ring && !ring_write(buf, (uint32_t)n)) {
		cons_ring = NULL;	/* report through console_io alone */
		failures++;
		console_puts("Fail: the console ring's out_cons never caught up\n");
	}
}

static void __attribute__((format(printf, 1, 2))) printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

/* One line per console write, so the two channels never interleave. */
static void __attribute__((format(printf, 2, 3)))
prefixed(const char *prefix, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("%s%s", prefix, msg);
}

#define fail(...)	do { failures++; prefixed("Fail: ", __VA_ARGS__); } while (0)

static void __attribute__((noreturn)) crash(void)
{
	printk("Test result: FAILURE: panic\n");
	guest_shutdown(SHUTDOWN_crash);
	guest_block_forever();
}

#define panic(...)	do { prefixed("PANIC: ", __VA_ARGS__); crash(); } while (0)

/* Exceptions: log, then the exception table, else panic. */

static uint32_t exinfo(uint32_t vector, uint32_t error_code)
{
	return (1u << 31) | (vector << 16) | (error_code & 0xffff);
}

static const struct xtfl_extable_entry *extable_find(uint32_t eip)
{
	const struct xtfl_extable_entry *e;

	for (e = xtfl_extable_start; e < xtfl_extable_end; e++)
		if (e->insn == eip)
			return e;
	return NULL;
}

void xtfl_do_exception(struct xtfl_regs *r)
{
	const struct xtfl_extable_entry *e = extable_find(r->eip);

	if (exlog_count < ARRAY_SIZE(exlog))
		exlog[exlog_count] = (struct exlog_entry){
			r->vector, r->error_code, r->eip, r->cs & 0xffff };
	exlog_count++;
	if (!e)
		panic("unhandled exception %u, error 0x%x, at %04x:%08x\n",
		      r->vector, r->error_code, r->cs & 0xffff, r->eip);
	if (e->kind == XTFL_EX_RECORD)
		r->eax = exinfo(r->vector, r->error_code);
	r->eip = e->fixup;
}

static void exlog_reset(void)
{
	exlog_count = 0;
}

/* Exactly one exception was logged since exlog_reset(), and it was this. */
static void exlog_expect(const char *what, uint32_t vector, uint32_t eip)
{
	const struct exlog_entry *x = &exlog[0];

	if (exlog_count != 1) {
		fail("%s: %u exceptions logged, expected 1\n", what, exlog_count);
		return;
	}
	if (x->vector != vector || x->eip != eip || x->cs != FLAT_RING1_CS ||
	    x->error_code != 0)
		fail("%s: got vector %u error 0x%x at %04x:%08x, expected "
		     "vector %u error 0 at %04x:%08x\n", what, x->vector,
		     x->error_code, x->cs, x->eip, vector, FLAT_RING1_CS, eip);
}

/* Boot step 1: CPUID through the forced-emulation prefix. */

static void pv_cpuid(uint32_t leaf, uint32_t r[4])
{
	asm volatile(".byte 0x0f, 0x0b, 0x78, 0x65, 0x6e; cpuid"
		     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "0"(leaf), "2"(0));
}

static void collect_cpuid(uint32_t *family, char vendor[13])
{
	uint32_t r[4], max;

	pv_cpuid(0, r);
	max = r[0];
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	vendor[12] = '\0';
	*family = 0;
	if (max >= 1) {
		pv_cpuid(1, r);
		*family = (r[0] >> 8) & 0xf;
	}
	if (max >= 7)
		pv_cpuid(7, r);
	if (max >= 0xd)
		pv_cpuid(0xd, r);
	pv_cpuid(0x80000000, r);
	max = r[0];
	if ((max >> 16) != 0x8000)
		return;
	if (max >= 0x80000001)
		pv_cpuid(0x80000001, r);
	if (max >= 0x80000007)
		pv_cpuid(0x80000007, r);
	if (max >= 0x80000008)
		pv_cpuid(0x80000008, r);
}

/* Boot step 2: traps, stacks, segments, page 0, and _PAGE_USER. */

/* The pfn the M2P gives for mfn, checked against the P2M. */
static uint32_t m2p_pfn(uint32_t mfn)
{
	const volatile uint32_t *m2p = (const uint32_t *)MACH2PHYS_VIRT_START;
	const uint32_t *p2m = (const uint32_t *)start_info->mfn_list;
	uint32_t pfn;

	if (mfn >= MACH2PHYS_NR_ENTRIES)
		panic("mfn 0x%x lies past the M2P\n", mfn);
	pfn = m2p[mfn];
	if (pfn >= start_info->nr_pages)
		panic("M2P: mfn 0x%x is pfn 0x%x, past nr_pages %u\n", mfn,
		      pfn, start_info->nr_pages);
	if (p2m[pfn] != mfn)
		panic("M2P says mfn 0x%x is pfn 0x%x, P2M says 0x%x\n", mfn,
		      pfn, p2m[pfn]);
	return pfn;
}

/* A table named by a present entry, where VIRT_BASE 0 maps its pfn. */
static const volatile uint64_t *table_of(uint64_t entry)
{
	return (const volatile uint64_t *)(m2p_pfn(mm_entry_mfn(entry)) *
					   MM_PAGE_SIZE);
}

static void set_user_bit(uint32_t va, uint64_t l1e, unsigned int *count)
{
	long rc;

	if (l1e & _PAGE_USER)
		return;
	rc = HYPERVISOR_update_va_mapping(va, l1e | _PAGE_USER, UVMF_INVLPG);
	if (rc)
		panic("update_va_mapping(0x%08x, 0x%016llx): %ld\n", va,
		      (unsigned long long)(l1e | _PAGE_USER), rc);
	(*count)++;
}

/* Walk every present L1 entry below the hypervisor; returns how many
 * changed. */
static unsigned int open_to_ring3(void)
{
	const volatile uint64_t *l3 = (const uint64_t *)start_info->pt_base;
	const uint32_t l3_span = 1u << 30, l2_span = 1u << 21;
	unsigned int count = 0;
	uint32_t va = 0;

	while (va < MACH2PHYS_VIRT_START) {
		uint64_t l3e = l3[va >> 30], l2e, l1e;

		if (!(l3e & _PAGE_PRESENT)) {
			va = (va & ~(l3_span - 1)) + l3_span;
			if (!va)
				break;	/* wrapped past the last slot */
			continue;
		}
		l2e = table_of(l3e)[(va >> 21) & 511];
		if (!(l2e & _PAGE_PRESENT)) {
			va = (va & ~(l2_span - 1)) + l2_span;
			continue;
		}
		l1e = table_of(l2e)[(va >> 12) & 511];
		if (l1e & _PAGE_PRESENT)
			set_user_bit(va, l1e, &count);
		va += MM_PAGE_SIZE;
	}
	return count;
}

static void load_data_segments(uint16_t sel)
{
	asm volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%fs; mov %0, %%gs"
		     : : "r"(sel) : "memory");
}

static uint16_t read_ds(void)
{
	uint16_t sel;

	asm volatile("mov %%ds, %0" : "=r"(sel));
	return sel;
}

/* Step 2b: event, syscall32 and sysenter, as the newest XTF registers. */
static void init_callbacks(void)
{
	static const struct {
		uint16_t type, flags;
		void (*entry)(void);
	} cb[3] = {
		{ CALLBACKTYPE_event, 0, xtfl_entry_EVTCHN },
		{ CALLBACKTYPE_syscall32, CALLBACKF_mask_events, xtfl_entry_SYSCALL },
		{ CALLBACKTYPE_sysenter, CALLBACKF_mask_events, xtfl_entry_SYSENTER },
	};
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct callback_register r = {
			.type = cb[i].type, .flags = cb[i].flags,
			.address = { FLAT_RING1_CS, (uint32_t)cb[i].entry },
		};
		long rc = hypercall(__HYPERVISOR_callback_op, CALLBACKOP_register,
				    (uint32_t)&r, 0, 0, 0);

		if (rc)
			panic("Failed to register callback[%u]: %ld\n", i, rc);
	}
}

/* Step 2c: a GDT page of 15 null entries, made read-only, then set_gdt. */
static void init_gdt(void)
{
	uint32_t va = (uint32_t)xtfl_gdt;
	uint32_t mfn = ((const uint32_t *)start_info->mfn_list)[va >> 12];
	uint64_t pte = ((uint64_t)mfn << 12) | _PAGE_ACCESSED | _PAGE_DIRTY |
		       _PAGE_PRESENT;
	long rc = HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG);

	if (rc)
		panic("remapping the GDT read-only: %ld\n", rc);
	rc = hypercall(__HYPERVISOR_set_gdt, (uint32_t)&mfn, 15, 0, 0, 0);
	if (rc)
		panic("set_gdt: %ld\n", rc);
}

static unsigned int init_traps(void)
{
	long rc = HYPERVISOR_set_trap_table(default_traps);

	if (rc)
		panic("set_trap_table: %ld\n", rc);
	init_callbacks();
	init_gdt();
	rc = HYPERVISOR_stack_switch(FLAT_RING1_DS,
				     (uint32_t)xtfl_boot_stack + 2 * MM_PAGE_SIZE);
	if (rc)
		panic("stack_switch: %ld\n", rc);
	load_data_segments(FLAT_RING3_DS);
	rc = HYPERVISOR_update_va_mapping(0, 0, UVMF_INVLPG);
	if (rc)
		panic("unmapping page 0: %ld\n", rc);
	return open_to_ring3();
}

/* Boot steps 3-5. */

static void check_hypercall_page(void)
{
	uint8_t first = *(const volatile uint8_t *)hypercall_page;

	if (first == 0xc3)
		panic("the hypercall page still holds its \"ret\" poison\n");
	if (first != 0xb8)
		fail("hypercall page starts with 0x%02x, not \"mov $0, %%eax\"\n",
		     first);
}

static void setup_pv_console(void)
{
	uint32_t port = start_info->console.domU.evtchn;
	uint32_t pfn = m2p_pfn(start_info->console.domU.mfn);

	if (port >= EVTCHN_PORTS)
		panic("console event channel %u out of range\n", port);
	cons_port = port;
	cons_ring = (struct xencons_interface *)(pfn * MM_PAGE_SIZE);
}

static const struct shared_info *map_shared_info(void)
{
	long rc = HYPERVISOR_update_va_mapping((uint32_t)xtfl_shared_info,
					       start_info->shared_info |
					       _PAGE_RW | _PAGE_PRESENT,
					       UVMF_INVLPG);

	if (rc)
		panic("mapping shared_info: %ld\n", rc);
	return (const struct shared_info *)xtfl_shared_info;
}

/* The selftests. */

enum { USER_NOT_SEEN, USER_SEEN, USER_BAD_CS, USER_BAD_SS };

/* Runs in ring 3. */
static uint32_t user_cpl_probe(void)
{
	uint16_t cs, ss;

	asm volatile("mov %%cs, %0; mov %%ss, %1" : "=r"(cs), "=r"(ss));
	if (cs != FLAT_RING3_CS)
		return USER_BAD_CS;
	return ss == FLAT_RING3_SS ? USER_SEEN : USER_BAD_SS;
}

static void test_fep_probe(void)
{
	bool has_fep;

	printk("Test: forced-emulation prefix probe\n");
	exlog_reset();
	has_fep = xtfl_probe_fep();
	if (has_fep)
		fail("an instruction behind the prefix ran; Xen PV emulates only cpuid\n");
	exlog_expect("FEP probe", 6, (uint32_t)xtfl_fep_insn);
}

static void test_int3(void)
{
	printk("Test: int3 breakpoint\n");
	exlog_reset();
	xtfl_probe_int3();
	exlog_expect("int3", 3, (uint32_t)xtfl_int3_resume);
}

static void test_extable(void)
{
	printk("Test: exception table\n");
	exlog_reset();
	xtfl_probe_ud2a();
	exlog_expect("ud2a", 6, (uint32_t)xtfl_ud2a_insn);
}

static void test_exec_user(void)
{
	uint32_t res;

	printk("Test: userspace execution\n");
	res = xtfl_exec_user(user_cpl_probe);
	if (res != USER_SEEN)
		fail("ring 3 probe returned %u, expected %u (cs %04x, ss %04x)\n",
		     res, USER_SEEN, FLAT_RING3_CS, FLAT_RING3_SS);
	if (read_ds() != FLAT_RING3_DS)
		fail("%%ds is %04x after ring 3, expected %04x\n", read_ds(),
		     FLAT_RING3_DS);
}

/* XSA-339's shape: SYSENTER with NT set lands in the callback once. */
static void test_sysenter_nt(void)
{
	uint32_t hits = xtfl_sysenter_hits, eflags;

	printk("Test: sysenter with EFLAGS.NT from ring 3\n");
	eflags = xtfl_exec_user(xtfl_user_sysenter_nt);
	if (xtfl_sysenter_hits != hits + 1)
		fail("sysenter callback ran %u times, expected 1\n",
		     xtfl_sysenter_hits - hits);
	if (eflags & 0x4000)
		fail("NT still set after the callback cleared it\n");
}

/* XENFEAT_dom0: how a kernel tells it is the control domain. */
static void test_features(void)
{
	struct xen_feature_info fi = { 0, 0 };

	printk("Test: XENVER_get_features\n");
	if (HYPERVISOR_xen_version(XENVER_get_features, &fi))
		fail("get_features failed\n");
	else if (!(fi.submap & (1u << XENFEAT_dom0)))
		fail("submap 0x%x lacks XENFEAT_dom0 for Dom0\n", fi.submap);
}

static void test_null_unmapped(const struct shared_info *sh)
{
	uint32_t info, cr2;

	printk("Test: NULL unmapped\n");
	exlog_reset();
	info = xtfl_probe_null_read();
	if (info != exinfo(14, 0))
		fail("NULL read gave exception info 0x%08x, expected 0x%08x "
		     "(#PF, error 0)\n", info, exinfo(14, 0));
	if (exlog_count != 1 || exlog[0].eip != (uint32_t)xtfl_null_read_insn)
		fail("NULL read: %u exceptions, first at %08x\n", exlog_count,
		     exlog[0].eip);
	if (sh->vcpu_info[0].arch.cr2 != 0)
		fail("vcpu_info cr2 is 0x%08x, expected 0\n",
		     sh->vcpu_info[0].arch.cr2);
	asm volatile("mov %%cr2, %0" : "=r"(cr2));
	if (cr2 != 0)
		fail("mov from %%cr2 gave 0x%08x, expected 0\n", cr2);
}

static void test_custom_vector(void)
{
	const struct trap_info one[2] = {
		{ CUSTOM_VECTOR, 1 | TRAP_MASK_EVENTS, FLAT_RING1_CS,
		  (uint32_t)xtfl_custom_vector_entry },
		{ 0, 0, 0, 0 },
	};
	uint32_t res;
	long rc;

	printk("Test: custom trap table entry\n");
	rc = HYPERVISOR_set_trap_table(one);
	if (rc) {
		fail("set_trap_table with one entry: %ld\n", rc);
		return;
	}
	asm volatile("int $0x21" : "=a"(res) : "0"(0) : "memory");
	if (res != XTFL_CUSTOM_MAGIC)
		fail("int $0x21 gave %%eax 0x%08x, expected 0x%08x\n", res,
		     XTFL_CUSTOM_MAGIC);
	/* The update replaced one vector; #UD still reaches its entry. */
	exlog_reset();
	xtfl_probe_ud2a();
	exlog_expect("ud2a after the one-entry update", 6,
		     (uint32_t)xtfl_ud2a_insn);
}

void kernel_main(struct start_info *si)
{
	const struct shared_info *sh;
	unsigned int opened;
	uint32_t family;
	char vendor[13];

	(void)si;	/* _start stored it in start_info, as XTF's head does */
	collect_cpuid(&family, vendor);
	opened = init_traps();
	check_hypercall_page();
	setup_pv_console();
	sh = map_shared_info();
	printk("--- xtf_like: an XTF-style pv32pae kernel (not XTF) ---\n");
	printk("cpu %s family %u; _PAGE_USER on %u pages; console ring pfn "
	       "0x%x port %u\n", vendor, family, opened,
	       (uint32_t)cons_ring / MM_PAGE_SIZE, cons_port);
	test_fep_probe();
	test_int3();
	test_extable();
	test_exec_user();
	test_null_unmapped(sh);
	test_custom_vector();
	test_sysenter_nt();
	test_features();
	if (xtfl_evtchn_upcalls)
		fail("%u event upcalls while events were masked\n",
		     xtfl_evtchn_upcalls);
	if (evtchn_send_rc)
		printk("note: EVTCHNOP_send on the console port returned %ld "
		       "(XTF ignores it)\n", evtchn_send_rc);
	if (failures)
		printk("Test result: FAILURE: %u checks failed\n", failures);
	else
		printk("Test result: SUCCESS\n");
	guest_shutdown(SHUTDOWN_poweroff);
	panic("SCHEDOP_shutdown(poweroff) returned\n");
}
