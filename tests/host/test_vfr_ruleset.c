/*
 * test_vfr_ruleset.c - chains, commits, counters, limits and evaluation.
 *
 * Drives a strict ruleset (VIFs must exist) through the rule language and
 * the C API: verdicts and handles of evaluation, policy and rate-limit drop
 * reasons, atomicity of failed loads (parse error, unknown VIF, rule and
 * classifier capacity), counters that carry over only for unchanged rules,
 * handles never reused, token buckets, log prefixes and continue rules.
 */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "rulelang.h"

#define VIF1 ((vfr_vif_id_t)(1 << 4))
#define VIF2 ((vfr_vif_id_t)(2 << 4))
#define SEC 1000000000ull

static struct vfr_ruleset rs;
static void *mem;

static void setup(uint32_t max_rules, size_t cls_bytes)
{
	struct vfr_ruleset_config cfg = { 8, max_rules, cls_bytes, false };
	size_t bytes = vfr_ruleset_mem_bytes(&cfg);

	free(mem);
	mem = malloc(bytes);
	CHECK_EQ(vfr_ruleset_init(&rs, &cfg, mem, bytes), 0);
	CHECK_EQ(vfr_ruleset_begin(&rs), 0);
	CHECK_EQ(vfr_ruleset_vif_add(&rs, VIF1), 0);
	CHECK_EQ(vfr_ruleset_vif_add(&rs, VIF1), -VFR_EEXIST);
	CHECK_EQ(vfr_ruleset_vif_add(&rs, VIF2), 0);
	CHECK_EQ(vfr_ruleset_commit(&rs), 0);
}

static int load(const char *text)
{
	struct vfr_rulelang_error err;
	int r = vfr_rulelang_load(&rs, text, strlen(text), 0, &err);

	if (r)
		printf("load: %u:%u: %s\n", err.line, err.col, err.msg);
	return r;
}

static struct vfr_pkt tcp(uint32_t src, uint16_t dport, uint8_t flags)
{
	struct vfr_pkt p;

	memset(&p, 0, sizeof(p));
	p.len = 60;
	p.ethertype = VFR_ETHERTYPE_IPV4;
	p.is_first_fragment = true;
	p.src_ip.family = p.dst_ip.family = VFR_AF_INET;
	p.src_ip.b[0] = (uint8_t)(src >> 24);
	p.src_ip.b[1] = (uint8_t)(src >> 16);
	p.src_ip.b[2] = (uint8_t)(src >> 8);
	p.src_ip.b[3] = (uint8_t)src;
	p.proto = VFR_PROTO_TCP;
	p.has_ports = true;
	p.src_port = 40000;
	p.dst_port = dport;
	p.tcp_flags = flags;
	return p;
}

static struct vfr_eval_result eval(vfr_vif_id_t vif, enum vfr_dir dir,
				   struct vfr_pkt p, uint64_t now)
{
	struct vfr_eval_result res;

	CHECK_EQ(vfr_ruleset_eval(&rs, vif, dir, &p, vif, VFR_VIF_NONE, now,
				  &res), 0);
	return res;
}

static const struct vfr_rule_state *state_of(vfr_vif_id_t vif,
					     enum vfr_dir dir, uint32_t handle)
{
	const struct vfr_table *t = vfr_ruleset_active(&rs);
	const struct vfr_chain *c = vfr_table_find_chain(t, vif, dir);
	uint32_t i;

	for (i = 0; c && i < c->count; i++)
		if (t->state[c->first + i].handle == handle)
			return &t->state[c->first + i];
	return NULL;
}

static void test_eval_and_atomicity(void)
{
	struct vfr_eval_result r;
	uint32_t gen;

	setup(16, 1 << 16);
	CHECK_EQ(load("policy vif1.0 in drop\n"
		      "add rule vif1.0 in ip saddr 10.0.0.0/24 tcp dport 80-443 accept\n"
		      "add rule vif1.0 in tcp dport 22 reject\n"
		      "add rule vif1.0 in tcp dport 23 log prefix \"telnet \" drop\n"), 0);
	gen = vfr_ruleset_active(&rs)->generation;
	CHECK_EQ(gen, 2);
	r = eval(VIF1, VFR_DIR_IN, tcp(0x0a000005, 443, 0), 0);
	CHECK_EQ(r.verdict, VFR_ACCEPT);
	CHECK_EQ(r.handle, 1);
	CHECK_EQ(r.generation, 2);
	r = eval(VIF1, VFR_DIR_IN, tcp(0x0a000105, 443, 0), 0);
	CHECK_EQ(r.verdict, VFR_DROP);
	CHECK_EQ(r.reason, VFR_DROP_POLICY);
	CHECK_EQ(r.handle, 0);
	r = eval(VIF1, VFR_DIR_IN, tcp(0x0a000105, 22, 0), 0);
	CHECK_EQ(r.verdict, VFR_REJECT);
	CHECK_EQ(r.handle, 2);
	r = eval(VIF1, VFR_DIR_IN, tcp(0x0a000105, 23, 0), 0);
	CHECK(r.log && strcmp(r.log_prefix, "telnet ") == 0);
	r = eval(VIF2, VFR_DIR_OUT, tcp(1, 1, 0), 0);
	CHECK_EQ(r.verdict, VFR_ACCEPT);	/* default policy accept */

	/* Failed loads: the old generation stays, with its counters. */
	CHECK(load("flush ruleset\nadd rule vif1.0 in tcp dport 99999 accept\n") < 0);
	CHECK(load("flush ruleset\nadd rule vif9.0 in accept\n") < 0);
	CHECK(strcmp(rs.error, "unknown VIF") == 0);
	CHECK(load("flush ruleset\n"
		   "add rule vif1.0 in accept\nadd rule vif1.0 in accept\n"
		   "add rule vif1.0 in accept\nadd rule vif1.0 in accept\n"
		   "add rule vif1.0 in accept\nadd rule vif1.0 in accept\n"
		   "add rule vif1.0 in accept\nadd rule vif1.0 in accept\n"
		   "add rule vif1.0 in accept\nadd rule vif1.0 in accept\n"
		   "add rule vif1.0 in accept\nadd rule vif1.0 in accept\n"
		   "add rule vif1.0 in accept\nadd rule vif1.0 in accept\n"
		   "add rule vif1.0 in accept\nadd rule vif1.0 in accept\n"
		   "add rule vif1.0 in accept\n") < 0);	/* 17 > max_rules */
	CHECK(strcmp(rs.error, "too many rules (max_rules)") == 0);
	CHECK_EQ(vfr_ruleset_active(&rs)->generation, gen);
	r = eval(VIF1, VFR_DIR_IN, tcp(0x0a000005, 443, 0), 0);
	CHECK_EQ(r.handle, 1);
	CHECK_EQ(state_of(VIF1, VFR_DIR_IN, 1)->packets, 2);
	/* check-only never commits */
	{
		struct vfr_rulelang_error err;
		const char *t = "flush ruleset\n";

		CHECK_EQ(vfr_rulelang_load(&rs, t, strlen(t),
					   VFR_RULELANG_CHECK_ONLY, &err), 0);
		CHECK_EQ(vfr_ruleset_active(&rs)->generation, gen);
	}
	/* a VIF with no chains */
	{
		struct vfr_pkt p = tcp(1, 1, 0);

		CHECK_EQ(vfr_ruleset_eval(&rs, (vfr_vif_id_t)(7 << 4),
					  VFR_DIR_IN, &p, 0, 0, 0, &r),
			 -VFR_ENOENT);
		CHECK_EQ(r.verdict, VFR_DROP);
	}
}

static void test_classifier_capacity(void)
{
	static char script[65536];
	size_t n = 0;
	int i;

	setup(600, 256);	/* classifier arena far too small */
	for (i = 0; i < 500; i++)
		n += (size_t)snprintf(script + n, sizeof(script) - n,
				      "add rule vif1.0 in tcp dport %d drop\n", i);
	CHECK(load(script) < 0);
	CHECK(strstr(rs.error, "classifier memory exhausted") != NULL);
	CHECK_EQ(vfr_ruleset_active(&rs)->generation, 1);
	CHECK_EQ(vfr_table_find_chain(vfr_ruleset_active(&rs), VIF1,
				      VFR_DIR_IN)->count, 0);
}

static void test_counters_and_handles(void)
{
	struct vfr_eval_result r;
	uint32_t h;
	int i;

	setup(16, 1 << 16);
	CHECK_EQ(load("add rule vif1.0 in tcp dport 1 accept\n"
		      "add rule vif1.0 in tcp dport 2 accept\n"
		      "add rule vif1.0 in tcp dport 3 accept\n"), 0);
	for (i = 0; i < 3; i++) {
		eval(VIF1, VFR_DIR_IN, tcp(1, 1, 0), 0);
		eval(VIF1, VFR_DIR_IN, tcp(1, 2, 0), 0);
		eval(VIF1, VFR_DIR_IN, tcp(1, 3, 0), 0);
	}
	CHECK_EQ(state_of(VIF1, VFR_DIR_IN, 1)->bytes, 180);
	/* rule 2 deleted, rule 3 replaced, rule 1 untouched, a new rule */
	CHECK_EQ(load("delete rule vif1.0 in handle 2\n"
		      "replace rule vif1.0 in handle 3 tcp dport 4 accept\n"
		      "insert rule vif1.0 in position 1 udp dport 5 drop\n"), 0);
	CHECK_EQ(state_of(VIF1, VFR_DIR_IN, 1)->packets, 3);
	CHECK_EQ(state_of(VIF1, VFR_DIR_IN, 3)->packets, 0);
	CHECK(state_of(VIF1, VFR_DIR_IN, 2) == NULL);
	CHECK(state_of(VIF1, VFR_DIR_IN, 4) != NULL);	/* never reuses 2 */
	r = eval(VIF1, VFR_DIR_IN, tcp(1, 4, 0), 0);
	CHECK_EQ(r.handle, 3);
	/* flush + reload of a listing with handles keeps the counters */
	CHECK_EQ(load("flush ruleset\n"
		      "add rule vif1.0 in handle 1 tcp dport 1 accept\n"), 0);
	CHECK_EQ(state_of(VIF1, VFR_DIR_IN, 1)->packets, 3);
	CHECK_EQ(vfr_ruleset_begin(&rs), 0);
	CHECK_EQ(vfr_ruleset_add(&rs, VIF1, VFR_DIR_IN,
				 &(struct vfr_rule){ 0 }, VFR_PLACE_END, 0, 0,
				 &h), 0);
	CHECK_EQ(h, 5);
	vfr_ruleset_abort(&rs);
}

static void test_limits_and_continue(void)
{
	struct vfr_eval_result r;

	setup(16, 1 << 16);
	CHECK_EQ(load("policy vif1.0 in drop\n"
		      "add rule vif1.0 in tcp dport 80 counter log prefix \"web \"\n"
		      "add rule vif1.0 in tcp dport 80 limit rate 2/second burst 2 packets accept\n"
		      "policy vif1.0 out accept\n"
		      "add rule vif1.0 out limit rate over 1/second burst 1 packets drop\n"), 0);
	r = eval(VIF1, VFR_DIR_IN, tcp(1, 80, 0), 10 * SEC);
	CHECK_EQ(r.verdict, VFR_ACCEPT);
	CHECK_EQ(r.handle, 2);
	CHECK(r.log && !strcmp(r.log_prefix, "web "));
	r = eval(VIF1, VFR_DIR_IN, tcp(1, 80, 0), 10 * SEC);
	CHECK_EQ(r.verdict, VFR_ACCEPT);
	r = eval(VIF1, VFR_DIR_IN, tcp(1, 80, 0), 10 * SEC);
	CHECK_EQ(r.verdict, VFR_DROP);
	CHECK_EQ(r.reason, VFR_DROP_RATE_LIMITED);
	CHECK_EQ(r.handle, 0);
	r = eval(VIF1, VFR_DIR_IN, tcp(1, 80, 0), 10 * SEC + SEC / 2);
	CHECK_EQ(r.verdict, VFR_ACCEPT);	/* one token back after 0.5 s */
	r = eval(VIF1, VFR_DIR_IN, tcp(1, 80, 0), 10 * SEC + SEC / 2);
	CHECK_EQ(r.verdict, VFR_DROP);
	CHECK_EQ(state_of(VIF1, VFR_DIR_IN, 1)->packets, 5);
	CHECK_EQ(state_of(VIF1, VFR_DIR_IN, 2)->packets, 3);
	r = eval(VIF1, VFR_DIR_OUT, tcp(1, 80, 0), 0);
	CHECK_EQ(r.verdict, VFR_ACCEPT);	/* within the rate: no match */
	r = eval(VIF1, VFR_DIR_OUT, tcp(1, 80, 0), 0);
	CHECK_EQ(r.verdict, VFR_DROP);
	CHECK_EQ(r.reason, VFR_DROP_RATE_LIMITED);
	CHECK_EQ(r.handle, 1);
}

int main(void)
{
	test_eval_and_atomicity();
	test_classifier_capacity();
	test_counters_and_handles();
	test_limits_and_continue();
	free(mem);
	return check_done();
}
