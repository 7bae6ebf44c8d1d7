/*
 * cb_rteacl.c - ClassBench rules in DPDK's rte_acl (see cb_rteacl.h).
 *
 * The rule layout is the IPv4 5-tuple of DPDK's l3fwd-acl and test-acl:
 * protocol (1-byte BITMASK field, which rte_acl requires to come first),
 * source and destination address (4-byte MASK fields: value + prefix
 * length), source and destination port (2-byte RANGE fields sharing one
 * 4-byte input word).  Rule values are in host byte order; the packet bytes
 * rte_acl reads are in network byte order at the IPv4 header's offsets.
 */
#include "cb_rteacl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_acl.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>

/* Offsets in the tuple: those of the IPv4 header and the L4 ports. */
#define OFF_PROTO	9
#define OFF_SRC		12
#define OFF_DST		16
#define OFF_SPORT	20
#define OFF_DPORT	22

enum { F_PROTO, F_SRC, F_DST, F_SPORT, F_DPORT, F_COUNT };

RTE_ACL_RULE_DEF(cb_acl_rule, F_COUNT);

static const struct rte_acl_field_def field_defs[F_COUNT] = {
	{ .type = RTE_ACL_FIELD_TYPE_BITMASK, .size = sizeof(uint8_t),
	  .field_index = F_PROTO, .input_index = 0, .offset = OFF_PROTO },
	{ .type = RTE_ACL_FIELD_TYPE_MASK, .size = sizeof(uint32_t),
	  .field_index = F_SRC, .input_index = 1, .offset = OFF_SRC },
	{ .type = RTE_ACL_FIELD_TYPE_MASK, .size = sizeof(uint32_t),
	  .field_index = F_DST, .input_index = 2, .offset = OFF_DST },
	{ .type = RTE_ACL_FIELD_TYPE_RANGE, .size = sizeof(uint16_t),
	  .field_index = F_SPORT, .input_index = 3, .offset = OFF_SPORT },
	{ .type = RTE_ACL_FIELD_TYPE_RANGE, .size = sizeof(uint16_t),
	  .field_index = F_DPORT, .input_index = 3, .offset = OFF_DPORT },
};

static const enum rte_acl_classify_alg rte_algs[CB_RTEACL_ALG_COUNT] = {
	[CB_RTEACL_SCALAR] = RTE_ACL_CLASSIFY_SCALAR,
	[CB_RTEACL_SSE] = RTE_ACL_CLASSIFY_SSE,
	[CB_RTEACL_AVX2] = RTE_ACL_CLASSIFY_AVX2,
	[CB_RTEACL_AVX512X16] = RTE_ACL_CLASSIFY_AVX512X16,
	[CB_RTEACL_AVX512X32] = RTE_ACL_CLASSIFY_AVX512X32,
};

static const char *const alg_names[CB_RTEACL_ALG_COUNT] = {
	"scalar", "sse", "avx2", "avx512x16", "avx512x32",
};

struct cb_rteacl {
	struct rte_acl_ctx *ctx;
	size_t mem_bytes;
};

int cb_rteacl_eal_init(const char *prog, char *err, size_t err_size)
{
	char prefix[64];
	char *argv[] = {
		(char *)prog, "--no-huge", "--no-pci", "-m", "256",
		"--no-shconf", "--no-telemetry", "-l", "0",
		"--log-level=error", "--force-max-simd-bitwidth=512",
		prefix, NULL,
	};
	int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1;

	/* Our own prefix: benchmarks running at once do not collide. */
	snprintf(prefix, sizeof(prefix), "--file-prefix=cbbench%ld",
		 (long)getpid());
	if (rte_eal_init(argc, argv) < 0) {
		snprintf(err, err_size, "rte_eal_init: %s",
			 rte_strerror(rte_errno));
		return -rte_errno;
	}
	return 0;
}

/* Bytes allocated on every socket's EAL heap. */
static size_t heap_allocated(void)
{
	struct rte_malloc_socket_stats st;
	size_t total = 0;
	int s;

	for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
		if (rte_malloc_get_socket_stats(s, &st) == 0)
			total += st.heap_allocsz_bytes;
	return total;
}

static void translate(struct cb_acl_rule *ar, const struct cb_rule *r,
		      size_t i, size_t n)
{
	memset(ar, 0, sizeof(*ar));
	ar->data.category_mask = 1;
	ar->data.priority = (int32_t)(n - i);
	ar->data.userdata = (uint32_t)(i + 1);
	ar->field[F_PROTO].value.u8 = r->proto;
	ar->field[F_PROTO].mask_range.u8 = r->proto_mask;
	ar->field[F_SRC].value.u32 = r->src_ip;
	ar->field[F_SRC].mask_range.u32 = r->src_len;
	ar->field[F_DST].value.u32 = r->dst_ip;
	ar->field[F_DST].mask_range.u32 = r->dst_len;
	ar->field[F_SPORT].value.u16 = r->src_port_lo;
	ar->field[F_SPORT].mask_range.u16 = r->src_port_hi;
	ar->field[F_DPORT].value.u16 = r->dst_port_lo;
	ar->field[F_DPORT].mask_range.u16 = r->dst_port_hi;
}

static int add_rules(struct rte_acl_ctx *ctx, const struct cb_rule *rules,
		     size_t n, char *err, size_t err_size)
{
	struct cb_acl_rule ar;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		translate(&ar, &rules[i], i, n);
		rc = rte_acl_add_rules(ctx, (const struct rte_acl_rule *)&ar, 1);
		if (rc) {
			snprintf(err, err_size, "rte_acl_add_rules(rule %zu): %s",
				 i, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

static struct rte_acl_ctx *create_ctx(size_t n, char *err, size_t err_size)
{
	static unsigned int serial;
	struct rte_acl_param param;
	struct rte_acl_ctx *ctx;
	char name[RTE_ACL_NAMESIZE];

	snprintf(name, sizeof(name), "cbbench%u", serial++);
	memset(&param, 0, sizeof(param));
	param.name = name;
	param.socket_id = SOCKET_ID_ANY;
	param.rule_size = RTE_ACL_RULE_SZ(F_COUNT);
	param.max_rule_num = (uint32_t)n;
	ctx = rte_acl_create(&param);
	if (!ctx)
		snprintf(err, err_size, "rte_acl_create: %s",
			 rte_strerror(rte_errno));
	return ctx;
}

int cb_rteacl_build(struct cb_rteacl **out, const struct cb_rule *rules,
		    size_t n, char *err, size_t err_size)
{
	struct rte_acl_config cfg;
	struct cb_rteacl *acl;
	size_t before = heap_allocated();
	int rc;

	if (n == 0 || n > RTE_ACL_MAX_PRIORITY) {
		snprintf(err, err_size, "rte_acl: %zu rules is out of range", n);
		return -EINVAL;
	}
	acl = calloc(1, sizeof(*acl));
	if (!acl) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	acl->ctx = create_ctx(n, err, err_size);
	if (!acl->ctx) {
		rc = -rte_errno;
		goto err_free_acl;
	}
	rc = add_rules(acl->ctx, rules, n, err, err_size);
	if (rc)
		goto err_free_ctx;
	memset(&cfg, 0, sizeof(cfg));
	cfg.num_categories = 1;
	cfg.num_fields = F_COUNT;
	memcpy(cfg.defs, field_defs, sizeof(field_defs));
	rc = rte_acl_build(acl->ctx, &cfg);
	if (rc) {
		snprintf(err, err_size, "rte_acl_build: %s", strerror(-rc));
		goto err_free_ctx;
	}
	acl->mem_bytes = heap_allocated() - before;
	*out = acl;
	return 0;

err_free_ctx:
	rte_acl_free(acl->ctx);
err_free_acl:
	free(acl);
	return rc;
}

void cb_rteacl_free(struct cb_rteacl *acl)
{
	if (!acl)
		return;
	rte_acl_free(acl->ctx);
	free(acl);
}

size_t cb_rteacl_mem_bytes(const struct cb_rteacl *acl)
{
	return acl->mem_bytes;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

void cb_rteacl_tuple_fill(struct cb_rteacl_tuple *t,
			  const struct cb_header *hdr)
{
	memset(t, 0, sizeof(*t));
	t->bytes[OFF_PROTO] = hdr->proto;
	put32(&t->bytes[OFF_SRC], hdr->src_ip);
	put32(&t->bytes[OFF_DST], hdr->dst_ip);
	put16(&t->bytes[OFF_SPORT], hdr->src_port);
	put16(&t->bytes[OFF_DPORT], hdr->dst_port);
}

const char *cb_rteacl_alg_name(enum cb_rteacl_alg alg)
{
	return alg < CB_RTEACL_ALG_COUNT ? alg_names[alg] : "?";
}

int cb_rteacl_alg_usable(struct cb_rteacl *acl, enum cb_rteacl_alg alg)
{
	int rc;

	if (alg >= CB_RTEACL_ALG_COUNT)
		return -EINVAL;
	rc = rte_acl_set_ctx_classify(acl->ctx, rte_algs[alg]);
	rte_acl_set_ctx_classify(acl->ctx, RTE_ACL_CLASSIFY_DEFAULT);
	return rc;
}

int cb_rteacl_classify(const struct cb_rteacl *acl, enum cb_rteacl_alg alg,
		       const uint8_t **tuples, uint32_t *userdata, uint32_t n)
{
	if (alg >= CB_RTEACL_ALG_COUNT)
		return -EINVAL;
	return rte_acl_classify_alg(acl->ctx, tuples, userdata, n, 1,
				    rte_algs[alg]);
}
