/*
 * hcfuzz.c - a DomU that throws seeded random hypercalls at the hypervisor,
 * to show mechanically that a hostile guest can crash only itself.  The
 * test Dom0 (tests/kern/test_dom_hcfuzz.c) runs it with many seeds and
 * checks after each run that the hypervisor is intact.
 *
 * Command line: seed=N (default 1), calls=N (default 3000), verbose=1
 * (print each call's number and arguments before it is made, on the
 * hypervisor's console_io, so the last line before a hang names the
 * culprit).  At the end it prints how many calls it made and a histogram
 * of their results, then shuts down with SHUTDOWN_poweroff.  A DomU that
 * kills itself on the way (a garbage address space it asked for) ends
 * with crash, which is allowed.
 *
 * Each call is a hypercall number, weighted towards the implemented ones
 * (hyp/hypercall.c's table), with some unknown numbers; a sub-command,
 * mostly a valid one; and arguments from the value mix of hcfuzz_mix.c
 * (small integers, boundary values, good and bad pointers, our own
 * machine frames), so mmu_update, mmuext_op, grant and memory ops reach
 * real validation paths.  Structured arguments are built in the mix's RW
 * area from the same mix.  grant_table_op's are built by hcfuzz_grant.c,
 * which draws from this mix (struct hcfuzz_mix): map, unmap, copy and
 * transfer ops against a grant table of our own, whose entries it
 * writes; at the end it prints the ops' GNTST_* statuses.
 *
 * Excluded (they block forever or end the DomU by design, which is no
 * hypervisor bug): SCHEDOP_block and SCHEDOP_shutdown, and the compat
 * sched_op's block and shutdown (any reason shuts down); SCHEDOP_poll
 * with a deadline still ahead (only deadlines in the past are made, so it
 * returns at once); the iret hypercall (it pops a frame off our stack and
 * never returns); VCPUOP_down of vCPU 0 (our only vCPU: the domain powers
 * off).  Multicall entries go through the same generator and filter;
 * a poll's struct is kept out of the RW area, where an earlier entry's
 * output could move its deadline ahead.
 *
 * Determinism: every choice comes from the mix's xorshift generator
 * seeded by seed=, never from a result (hcfuzz_grant.c uses a few
 * results, our grant table's frames and the handles our maps got, but
 * draws alike whatever they are).  How the mix keeps the DomU alive is
 * in hcfuzz_mix.c.
 */
#include "guest.h"
#include "hcfuzz_grant.h"
#include "hcfuzz_mix.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "options.h"
#include <public/callback.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/memory.h>
#include <public/nmi.h>
#include <public/physdev.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define MC_MAX		8u
#define DEPTH_TOP	0
#define DEPTH_MC	1

/* The event callback we keep restoring: an upcall enters it with events
 * masked, and a plain iret (ring 1 to ring 1) leaves them masked.  It is
 * also the NMI handler we mostly register: once the calls have scribbled
 * on our shared_info (COPY_PAGE onto it, say), its nmi_reason is nonzero
 * and registering raises an NMI at once, as on Xen; a plain iret leaves
 * NMIs masked. */
asm(".pushsection .text\n.globl hcfuzz_event_entry\n"
    "hcfuzz_event_entry:\n\tiret\n.popsection");

struct call {
	uint32_t nr;
	uint32_t a[5];
};

static bool verbose;
static uint32_t hist[7], per_nr[65];

/* ---- builders, one per hypercall (or family) ---- */

static void build_mmu_update(struct call *c)
{
	uint32_t n = small_count(MC_MAX), i, k = n > 64 ? 64 : n;
	struct mmu_update *req = arg_alloc(k * sizeof(*req) + 8);

	for (i = 0; i < k; i++) {
		uint32_t cmd = chance(8) ? rnd(8) : (chance(4) ? 1 : rnd(3));

		if (cmd == MMU_MACHPHYS_UPDATE) {
			req[i].ptr = ((uint64_t)rand_mfn() << 12) | cmd;
			req[i].val = chance(2) ? rnd(start_info->nr_pages) : rand_word();
		} else {
			req[i].ptr = (rand_entry_maddr() & ~3ull) | cmd;
			req[i].val = rand_pte();
		}
		if (verbose)
			hyp_printf("hcfuzz:     req[%u] ptr=%llx val=%llx\n", i,
			    (unsigned long long)req[i].ptr,
			    (unsigned long long)req[i].val);
	}
	c->a[0] = chance(12) ? rand_ptr() : (uint32_t)req;
	c->a[1] = n;
	c->a[2] = chance(2) ? 0 : rand_ptr();
	c->a[3] = chance(4) ? rand_domid() : DOMID_SELF;
}

static void mmuext_args(struct mmuext_op *op)
{
	switch (op->cmd) {
	case MMUEXT_NEW_BASEPTR:	/* anything but our own L3 is rare */
		op->arg1 = chance(8) ? rand_mfn() : l3_mfn;
		break;
	case MMUEXT_INVLPG_LOCAL:
	case MMUEXT_INVLPG_MULTI:
	case MMUEXT_INVLPG_ALL:
		op->arg1 = rand_va();
		break;
	case MMUEXT_SET_LDT:
		op->arg1 = chance(4) ? rand_word() : rand_va();
		op->arg2 = chance(2) ? rnd(600) : rand_word();
		return;
	case MMUEXT_COPY_PAGE:
		op->arg1 = rand_mfn();
		op->arg2 = rand_mfn();
		return;
	default:
		op->arg1 = chance(6) ? rand_word() : rand_mfn();
	}
	op->arg2 = chance(2) ? rand_ptr() : rand_word();
}

static void build_mmuext_op(struct call *c)
{
	uint32_t n = small_count(MC_MAX), i, k = n > 64 ? 64 : n;
	struct mmuext_op *op = arg_alloc(k * sizeof(*op) + 8);

	for (i = 0; i < k; i++) {
		op[i].cmd = chance(10) ? rand_word() : rnd(MMUEXT_COPY_PAGE + 2);
		mmuext_args(&op[i]);
		if (verbose)
			hyp_printf("hcfuzz:     op[%u] cmd=%u arg1=%x arg2=%x\n", i,
			    op[i].cmd, op[i].arg1, op[i].arg2);
	}
	c->a[0] = chance(12) ? rand_ptr() : (uint32_t)op;
	c->a[1] = n;
	c->a[2] = chance(2) ? 0 : rand_ptr();
	c->a[3] = chance(4) ? rand_domid() : DOMID_SELF;
}

static void build_update_va_mapping(struct call *c)
{
	uint64_t pte = rand_pte();

	c->a[0] = rand_va();
	c->a[1] = (uint32_t)pte;
	c->a[2] = (uint32_t)(pte >> 32);
	c->a[3] = chance(4) ? rand_word() : rnd(8);
}

static uint32_t reservation(struct xen_memory_reservation *r)
{
	uint32_t n = small_count(4), i, k = n > 32 ? 32 : n;
	uint32_t *ext = arg_alloc(k * 4 + 4);

	for (i = 0; i < k; i++)
		ext[i] = chance(2) ? rand_mfn() : rnd(start_info->nr_pages + 8);
	r->extent_start = chance(8) ? rand_ptr() : (uint32_t)ext;
	r->nr_extents = n;
	r->extent_order = chance(4) ? (chance(2) ? rnd(12) : rand_word()) : 0;
	r->mem_flags = chance(4) ? rand_word() : (chance(3) ? rnd(40) : 0);
	r->domid = chance(5) ? rand_domid() : DOMID_SELF;
	return (uint32_t)r;
}

static void build_memory_op(struct call *c)
{
	static const uint32_t cmds[] = { 0, 1, 1, 2, 3, 4, 6, 6, 9, 10, 11, 11, 12 };
	uint32_t cmd = chance(10) ? pick_cmd(32) : cmds[rnd(13)];
	uint32_t *blob = arg_alloc(64);

	fill_words(blob, 16);
	c->a[0] = cmd;
	c->a[1] = (uint32_t)blob;
	if (cmd <= XENMEM_decrease_reservation || cmd == XENMEM_populate_physmap) {
		c->a[1] = reservation((void *)blob);
	} else if (cmd == XENMEM_exchange) {
		struct xen_memory_exchange *x = (void *)blob;

		reservation(&x->in);
		reservation(&x->out);
		x->nr_exchanged = chance(4) ? rand_word() : 0;
	} else if (cmd == XENMEM_current_reservation || cmd == XENMEM_maximum_reservation) {
		blob[0] = rand_domid();
	}
	if (chance(8))
		c->a[1] = rand_ptr();
}

static void build_call(struct call *c, int depth);
static void build_multicall(struct call *c, int depth)
{
	uint32_t n = small_count(MC_MAX), i, k = n > MC_MAX ? MC_MAX : n;
	struct multicall_entry *mc = arg_alloc(MC_MAX * sizeof(*mc));
	struct call e;

	for (i = 0; i < k; i++) {
		build_call(&e, depth + 1);
		mc[i].op = e.nr;
		mc[i].result = rnd32();
		memcpy(mc[i].args, e.a, sizeof(e.a));
		mc[i].args[5] = rnd32();
		if (verbose)
			hyp_printf("hcfuzz:   mc[%u] nr=%u %08x %08x %08x %08x %08x\n", i,
			    e.nr, e.a[0], e.a[1], e.a[2], e.a[3], e.a[4]);
	}
	/* Only the k entries built here run: stale ones past them could be
	 * anything (an iret, a shutdown), so a longer count is cut to k. */
	c->a[0] = (uint32_t)mc;
	c->a[1] = n > MC_MAX ? k : n;
	if (chance(16)) {
		/* A list in the hypervisor's area (-EFAULT).  Never one we did
		 * not build (start_info, page tables, the read-only pages):
		 * its words would run as unfiltered entries - seed 5037 shut
		 * down with reason 22 from both start_info and the read-only
		 * pages, whose frames earlier calls may have rewritten. */
		c->a[0] = ptr_foreign() | HYP_START;
		c->a[1] = n;
	}
}

/* Ports, vCPUs, VIRQs and domains are small numbers or boundaries. */
static void fill_small(uint32_t *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		p[i] = chance(4) ? rand_word() : (chance(3) ? DOMID_SELF : rnd(40));
}

static void build_event_channel_op(struct call *c, bool compat)
{
	uint32_t cmd = pick_cmd(EVTCHNOP_set_priority + 1);
	uint32_t *blob = arg_alloc(40);

	fill_small(blob, 10);
	if (verbose)
		hyp_printf("hcfuzz:     evtchn cmd=%u {%x %x %x %x %x %x}\n", cmd, blob[1],
		    blob[2], blob[3], blob[4], blob[5], blob[6]);
	if (compat) {
		blob[0] = cmd;
		c->a[0] = chance(8) ? rand_ptr() : (uint32_t)blob;
		return;
	}
	c->a[0] = cmd;
	c->a[1] = chance(8) ? rand_ptr() : (uint32_t)blob;
}

static void build_vcpu_op(struct call *c)
{
	uint32_t cmd = pick_cmd(VCPUOP_register_vcpu_time_memory_area + 1);
	uint32_t size = cmd == VCPUOP_initialise ? sizeof(struct vcpu_guest_context) : 64;
	uint32_t *blob = arg_alloc(size);

	fill_words(blob, size / 4);
	if (cmd == VCPUOP_initialise) {	/* selectors that may pass */
		blob[0] = chance(2) ? 1 : rnd32();
		blob[1] = FLAT_RING1_CS;
	} else if (cmd == VCPUOP_register_vcpu_info) {
		blob[0] = chance(16) ? rand_mfn() : vcpu_info_mfn;
		blob[1] = chance(2) ? rnd(PAGE / 64) * 64 : rand_word();
	} else if (cmd == VCPUOP_set_periodic_timer ||
		   cmd == VCPUOP_set_singleshot_timer) {
		blob[0] = chance(2) ? rnd(20000000) : rnd32();
		blob[1] = chance(2) ? 0 : rnd32();
	}
	c->a[0] = cmd;
	c->a[1] = chance(8) ? rand_word() : (chance(6) ? 1 : 0);
	c->a[2] = chance(8) ? rand_ptr() : (uint32_t)blob;
}

static uint32_t rand_selector(void)
{
	static const uint32_t s[] = { FLAT_RING1_CS, FLAT_RING1_CS, FLAT_RING1_SS,
				      0xe02b, 0xe033, 0, 0x08, 0x10, 0x0b, 0xe018,
				      0xe010 };

	return chance(6) ? rand_word() : s[rnd(sizeof(s) / sizeof(s[0]))];
}

static void build_set_trap_table(struct call *c)
{
	uint32_t n = chance(8) ? 256 + rnd(64) : rnd(8), i;
	struct trap_info *t = arg_alloc((n + 1) * sizeof(*t));

	for (i = 0; i < n; i++) {
		t[i].vector = (uint8_t)(chance(2) ? rnd(32) : rnd32());
		t[i].flags = (uint8_t)(chance(2) ? rnd(8) : rnd32());
		t[i].cs = (uint16_t)rand_selector();
		t[i].address = rand_word() | 1;
	}
	memset(&t[n], 0, sizeof(t[n]));
	c->a[0] = chance(10) ? 0 : (chance(8) ? rand_ptr() : (uint32_t)t);
}

static void build_set_gdt(struct call *c)
{
	uint32_t *frames = arg_alloc(16 * 4), i;

	for (i = 0; i < 16; i++)
		frames[i] = chance(3) ? rand_ro_mfn() : rand_mfn();
	c->a[0] = chance(8) ? rand_ptr() : (uint32_t)frames;
	c->a[1] = chance(2) ? rnd(1024) : (chance(2) ? rnd(7200) : rand_word());
}

static uint32_t rand_desc_hi(void)
{
	static const uint32_t hi[] = { 0x00cf9a00, 0x00cfba00, 0x00cf9200,
				       0x00cff200, 0x00409a00, 0x0000ec00,
				       0x00008200, 0x00cf9600, 0x00cf9e00 };

	return chance(4) ? rnd32() : hi[rnd(sizeof(hi) / sizeof(hi[0]))];
}

static void build_update_descriptor(struct call *c)
{
	uint64_t ma = chance(4) ? rand_entry_maddr() :
		      ((uint64_t)rand_mfn() << 12) + rnd(512) * 8;

	c->a[0] = (uint32_t)ma;
	c->a[1] = (uint32_t)(ma >> 32);
	c->a[2] = chance(2) ? 0x0000ffff : rnd32();
	c->a[3] = rand_desc_hi();
}

static void build_callbacks(struct call *c)
{
	struct callback_register *r = arg_alloc(sizeof(*r) + 8);

	r->type = (uint16_t)(chance(6) ? rnd32() : rnd(9));
	r->flags = (uint16_t)(chance(4) ? rnd32() : rnd(2));
	r->address.cs = rand_selector();
	r->address.eip = r->type == CALLBACKTYPE_nmi && !chance(8) ?
			 (uint32_t)hcfuzz_event_entry : rand_word();
	c->a[0] = chance(6) ? rand_word() : rnd(2);
	c->a[1] = chance(8) ? rand_ptr() : (uint32_t)r;
}

static void build_nmi_op(struct call *c)
{
	struct xennmi_callback *cb = arg_alloc(sizeof(*cb) + 8);

	cb->handler_address = chance(8) ? rand_word() :
			      (uint32_t)hcfuzz_event_entry;
	cb->pad = chance(4) ? rand_word() : 0;
	c->a[0] = chance(6) ? rand_word() : rnd(2);
	c->a[1] = chance(8) ? rand_ptr() : (uint32_t)cb;
}

static void build_set_debugreg(struct call *c)
{
	uint32_t reg = chance(8) ? rand_word() : rnd(8);

	c->a[0] = reg;
	if (reg < 4)
		c->a[1] = rand_word();
	else if (reg == 7 || reg == 5)	/* enabling breakpoints is rare */
		c->a[1] = chance(64) ? rnd32() : rnd32() & ~0xffu;
	else
		c->a[1] = rnd32();
}

static void build_sched_op(struct call *c)
{
	static const uint32_t cmds[] = { SCHEDOP_yield, SCHEDOP_poll, SCHEDOP_poll,
					 SCHEDOP_remote_shutdown, 5, 6, 7, 8 };
	struct sched_poll *p = &poll_page.poll;
	uint32_t *ports = arg_alloc(16 * 4), i;

	c->a[0] = chance(10) ? 8 + rnd32() % 0xfffffff0u : cmds[rnd(8)];
	for (i = 0; i < 16; i++)
		ports[i] = chance(8) ? rand_word() : rnd(40);
	p->ports = chance(8) ? rand_ptr() : (uint32_t)ports;
	p->nr_ports = chance(8) ? rand_word() : rnd(17);
	p->timeout = 1 + rnd(100000000);
	c->a[1] = (uint32_t)p;
	if (c->a[0] == SCHEDOP_poll) {
		if (chance(8))	/* in the hypervisor's area: faults at once */
			c->a[1] = ptr_foreign() | HYP_START;
		return;
	}
	/* remote_shutdown's {domid, reason}, or anything */
	fill_small(ports, 4);
	c->a[1] = chance(4) ? rand_ptr() : (uint32_t)ports;
}

static void build_console_io(struct call *c)
{
	static const char text[] = "hcfuzz: console_io text\n";
	char *buf = arg_alloc(sizeof(text));

	memcpy(buf, text, sizeof(text));
	c->a[0] = chance(4) ? pick_cmd(2) : CONSOLEIO_write;
	c->a[1] = (uint32_t)buf;
	c->a[2] = chance(2) ? sizeof(text) - 1 : 0;
	if (chance(3)) {	/* bad buffers, any count */
		c->a[1] = ptr_foreign() | HYP_START;
		c->a[2] = rand_word();
	}
	/* console_io's order: cmd, count, buffer */
	c->a[3] = c->a[1];
	c->a[1] = c->a[2];
	c->a[2] = c->a[3];
	c->a[3] = 0;
}

static void build_blob_op(struct call *c, uint32_t ncmds, uint32_t cmd_word)
{
	uint32_t *blob = arg_alloc(160);

	fill_small(blob, 40);
	if (cmd_word == 0) {	/* struct with the command first */
		blob[0] = pick_cmd(ncmds);
		blob[1] = chance(2) ? 0x03000001 : (chance(2) ? 0x10 : 0x13);
		c->a[0] = chance(8) ? rand_ptr() : (uint32_t)blob;
		return;
	}
	c->a[0] = pick_cmd(ncmds);
	c->a[1] = chance(8) ? rand_ptr() : (uint32_t)blob;
}

static void build_simple(struct call *c)
{
	uint32_t i;

	for (i = 0; i < 5; i++)
		c->a[i] = rand_word();
	switch (c->nr) {
	case __HYPERVISOR_stack_switch:
		c->a[0] = rand_selector();
		break;
	case __HYPERVISOR_set_callbacks:
		c->a[0] = rand_selector();
		c->a[2] = rand_selector();
		break;
	case __HYPERVISOR_fpu_taskswitch:
	case __HYPERVISOR_get_debugreg:
		c->a[0] = chance(4) ? rand_word() : rnd(9);
		break;
	case __HYPERVISOR_vm_assist:
		c->a[0] = chance(4) ? rand_word() : rnd(2);
		c->a[1] = chance(4) ? rand_word() : rnd(6);
		break;
	case __HYPERVISOR_xen_version:
		c->a[0] = chance(6) ? rand_word() : rnd(12);
		break;
	case __HYPERVISOR_sched_op_compat:	/* block and shutdown excluded */
		c->a[0] = chance(2) ? SCHEDOP_yield : 3 + rnd32() % 0xfffffffcu;
		break;
	}
}

/* ---- choosing and filtering ---- */

static const struct {
	uint8_t nr, weight;
} weights[] = {
	{ __HYPERVISOR_mmu_update, 10 }, { __HYPERVISOR_mmuext_op, 10 },
	{ __HYPERVISOR_update_va_mapping, 8 }, { __HYPERVISOR_memory_op, 8 },
	{ __HYPERVISOR_multicall, 5 }, { __HYPERVISOR_grant_table_op, 8 },
	{ __HYPERVISOR_event_channel_op, 6 }, { __HYPERVISOR_event_channel_op_compat, 2 },
	{ __HYPERVISOR_vcpu_op, 6 }, { __HYPERVISOR_set_trap_table, 3 },
	{ __HYPERVISOR_set_gdt, 3 }, { __HYPERVISOR_update_descriptor, 4 },
	{ __HYPERVISOR_stack_switch, 2 }, { __HYPERVISOR_set_callbacks, 2 },
	{ __HYPERVISOR_callback_op, 3 }, { __HYPERVISOR_fpu_taskswitch, 1 },
	{ __HYPERVISOR_nmi_op, 1 },
	{ __HYPERVISOR_set_debugreg, 3 }, { __HYPERVISOR_get_debugreg, 1 },
	{ __HYPERVISOR_sched_op, 3 }, { __HYPERVISOR_sched_op_compat, 1 },
	{ __HYPERVISOR_xen_version, 3 }, { __HYPERVISOR_console_io, 1 },
	{ __HYPERVISOR_physdev_op, 4 }, { __HYPERVISOR_physdev_op_compat, 2 },
	{ __HYPERVISOR_vm_assist, 2 }, { __HYPERVISOR_set_timer_op, 2 },
	{ __HYPERVISOR_platform_op, 2 }, { __HYPERVISOR_sysctl, 2 },
	{ __HYPERVISOR_domctl, 2 },
	{ 255, 5 },	/* any number below 64 */
	{ 254, 1 },	/* a number past the table */
};

static uint32_t pick_nr(void)
{
	uint32_t total = 0, i, r;

	for (i = 0; i < sizeof(weights) / sizeof(weights[0]); i++)
		total += weights[i].weight;
	r = rnd(total);
	for (i = 0; r >= weights[i].weight; i++)
		r -= weights[i].weight;
	if (weights[i].nr == 255)
		return rnd(NR_HYPERCALLS);
	if (weights[i].nr == 254)
		return chance(2) ? NR_HYPERCALLS + rnd(64) : boundary() | 0x80;
	return weights[i].nr;
}

/* Calls that end or stall the DomU by design (see the top comment). */
static bool excluded(const struct call *c)
{
	switch (c->nr) {
	case __HYPERVISOR_iret:
		return true;
	case __HYPERVISOR_sched_op:
		return c->a[0] == SCHEDOP_block || c->a[0] == SCHEDOP_shutdown;
	case __HYPERVISOR_sched_op_compat:
		return c->a[0] == SCHEDOP_block || c->a[0] == SCHEDOP_shutdown;
	case __HYPERVISOR_vcpu_op:
		return c->a[0] == VCPUOP_down && c->a[1] == 0;
	default:
		return false;
	}
}

static void build_by_nr(struct call *c, int depth)
{
	switch (c->nr) {
	case __HYPERVISOR_mmu_update: build_mmu_update(c); break;
	case __HYPERVISOR_mmuext_op: build_mmuext_op(c); break;
	case __HYPERVISOR_update_va_mapping: build_update_va_mapping(c); break;
	case __HYPERVISOR_memory_op: build_memory_op(c); break;
	case __HYPERVISOR_multicall: build_multicall(c, depth); break;
	case __HYPERVISOR_grant_table_op:
		hcfuzz_grant_build(c->a, depth == DEPTH_TOP);
		break;
	case __HYPERVISOR_event_channel_op: build_event_channel_op(c, false); break;
	case __HYPERVISOR_event_channel_op_compat: build_event_channel_op(c, true); break;
	case __HYPERVISOR_vcpu_op: build_vcpu_op(c); break;
	case __HYPERVISOR_set_trap_table: build_set_trap_table(c); break;
	case __HYPERVISOR_set_gdt: build_set_gdt(c); break;
	case __HYPERVISOR_update_descriptor: build_update_descriptor(c); break;
	case __HYPERVISOR_callback_op: build_callbacks(c); break;
	case __HYPERVISOR_nmi_op: build_nmi_op(c); break;
	case __HYPERVISOR_set_debugreg: build_set_debugreg(c); break;
	case __HYPERVISOR_sched_op: build_sched_op(c); break;
	case __HYPERVISOR_console_io: build_console_io(c); break;
	case __HYPERVISOR_physdev_op: build_blob_op(c, 32, 1); break;
	case __HYPERVISOR_physdev_op_compat: build_blob_op(c, 32, 0); break;
	case __HYPERVISOR_platform_op: build_blob_op(c, 64, 0); break;
	case __HYPERVISOR_sysctl: build_blob_op(c, 8, 0); break;
	case __HYPERVISOR_domctl: build_blob_op(c, 32, 0); break;
	default: build_simple(c); break;
	}
}

static void build_call(struct call *c, int depth)
{
	do {
		memset(c, 0, sizeof(*c));
		c->nr = pick_nr();
		/* a nested multicall is refused; keep it, but rarely */
		if (c->nr == __HYPERVISOR_multicall && depth > DEPTH_TOP && !chance(8))
			continue;
		build_by_nr(c, depth);
	} while (excluded(c) || (c->nr == __HYPERVISOR_multicall && depth > DEPTH_MC));
}

/* ---- running ---- */

/* Undo, most of the time, what would end us through no fault of the
 * hypervisor: a garbage event callback (an upcall would jump to it) and
 * enabled breakpoints (we have no #DB handler). */
static void restore_state(const struct call *c)
{
	if (c->nr == __HYPERVISOR_set_callbacks || c->nr == __HYPERVISOR_callback_op ||
	    c->nr == __HYPERVISOR_multicall)
		hypercall(__HYPERVISOR_set_callbacks, FLAT_RING1_CS,
			  (uint32_t)hcfuzz_event_entry, FLAT_RING1_CS,
			  (uint32_t)hcfuzz_event_entry, 0);
	if ((c->nr == __HYPERVISOR_set_debugreg || c->nr == __HYPERVISOR_multicall) &&
	    !chance(8))
		hypercall(__HYPERVISOR_set_debugreg, 7, 0, 0, 0, 0);
}

static long make_call(const struct call *c)
{
	if (c->nr >= 128)	/* past the hypercall page */
		return raw_hypercall(c->nr, c->a[0], c->a[1]);
	return hypercall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
}

static void count_result(uint32_t nr, long rc)
{
	unsigned int bin;

	if (rc == 0)
		bin = 0;
	else if (rc > 0)
		bin = 1;
	else if (rc == -XEN_ENOSYS)
		bin = 2;
	else if (rc == -XEN_EINVAL)
		bin = 3;
	else if (rc == -XEN_EFAULT)
		bin = 4;
	else if (rc == -XEN_EPERM)
		bin = 5;
	else
		bin = 6;
	hist[bin]++;
	per_nr[nr < 64 ? nr : 64]++;
}

static void report(unsigned long made)
{
	char line[700];
	size_t n = 0;
	unsigned int i;

	hyp_printf("hcfuzz: done: %lu calls; results: 0=%u >0=%u ENOSYS=%u EINVAL=%u "
	    "EFAULT=%u EPERM=%u other=%u\n", made, hist[0], hist[1], hist[2],
	    hist[3], hist[4], hist[5], hist[6]);
	n = (size_t)snprintf(line, sizeof(line), "hcfuzz: calls by number:");
	for (i = 0; i < 64 && n < sizeof(line); i++)
		if (per_nr[i])
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %u:%u",
					      i, per_nr[i]);
	if (n < sizeof(line))
		n += (size_t)snprintf(line + n, sizeof(line) - n, " past-64:%u",
				      per_nr[64]);
	if (n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	HYPERVISOR_console_io(CONSOLEIO_write, (uint32_t)n, line);
	hcfuzz_grant_report();
}

void kernel_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	unsigned long seed = opt_number(cmd, "seed", 1);
	unsigned long calls = opt_number(cmd, "calls", 3000), i;
	struct call c;
	long rc;

	verbose = opt_is(cmd, "verbose", "1");
	mix_seed(seed);
	hyp_printf("hcfuzz: seed=%lu calls=%lu\n", seed, calls);
	if (mm_init() || mix_setup(verbose)) {
		hyp_printf("hcfuzz: setup failed\n");
		guest_shutdown(SHUTDOWN_crash);
		return;
	}
	for (i = 0; i < calls; i++) {
		arg_reset();
		build_call(&c, DEPTH_TOP);
		if (verbose)
			hyp_printf("hcfuzz: #%lu nr=%u %08x %08x %08x %08x %08x\n", i, c.nr,
			    c.a[0], c.a[1], c.a[2], c.a[3], c.a[4]);
		rc = make_call(&c);
		count_result(c.nr, rc);
		if (c.nr == __HYPERVISOR_grant_table_op)
			hcfuzz_grant_tally();
		restore_state(&c);
		if ((i + 1) % 1000 == 0)
			hyp_printf("hcfuzz: %lu calls\n", i + 1);
	}
	report(calls);
	guest_shutdown(SHUTDOWN_poweroff);
}
