/*
 * cb_rteacl.h - DPDK's rte_acl behind a small interface, for the classifier
 * benchmark: ClassBench rules in, first-match rule indices out.
 *
 * Only cb_rteacl.c includes DPDK headers; the benchmark sees this header.
 *
 * Interface:
 *  - cb_rteacl_eal_init() starts DPDK's EAL once per process, with no huge
 *    pages, no PCI, no shared config and one lcore (rte_acl allocates from
 *    EAL's heap, so it cannot run without it);
 *  - cb_rteacl_build() makes an ACL context from rules[0..n): rule i gets
 *    priority n - i (so the lowest index wins, as in a first-match list) and
 *    userdata i + 1; 0 in a result means "no rule matched";
 *  - cb_rteacl_tuple_fill() lays one header out as rte_acl reads it: the
 *    first 24 bytes of an IPv4 header followed by the ports, all in network
 *    byte order, fields at their wire offsets (as DPDK's l3fwd-acl does);
 *  - cb_rteacl_classify() classifies a batch with one algorithm;
 *    cb_rteacl_rule_index() turns a userdata back into a rule index;
 *  - cb_rteacl_alg_usable() says whether this CPU, this DPDK build and the
 *    EAL's SIMD width allow an algorithm (rte_acl_set_ctx_classify's check:
 *    rte_acl_classify_alg() itself does not check, and an AVX-512 path on a
 *    CPU without AVX-512 would fault).
 * Errors are returned as negative errno values with a message in err.
 */
#ifndef CB_RTEACL_H
#define CB_RTEACL_H

#include <stddef.h>
#include <stdint.h>

#include "classbench.h"

/* The bytes rte_acl reads for one packet. */
#define CB_RTEACL_TUPLE_BYTES	24

struct cb_rteacl_tuple {
	uint8_t bytes[CB_RTEACL_TUPLE_BYTES];
};

/* The x86 algorithms of rte_acl, in the order they are tried. */
enum cb_rteacl_alg {
	CB_RTEACL_SCALAR,
	CB_RTEACL_SSE,
	CB_RTEACL_AVX2,
	CB_RTEACL_AVX512X16,
	CB_RTEACL_AVX512X32,
	CB_RTEACL_ALG_COUNT
};

struct cb_rteacl;

int cb_rteacl_eal_init(const char *prog, char *err, size_t err_size);
int cb_rteacl_build(struct cb_rteacl **acl, const struct cb_rule *rules,
		    size_t n, char *err, size_t err_size);
void cb_rteacl_free(struct cb_rteacl *acl);

/* Bytes of EAL heap the built context holds. */
size_t cb_rteacl_mem_bytes(const struct cb_rteacl *acl);

void cb_rteacl_tuple_fill(struct cb_rteacl_tuple *t,
			  const struct cb_header *hdr);

const char *cb_rteacl_alg_name(enum cb_rteacl_alg alg);
int cb_rteacl_alg_usable(struct cb_rteacl *acl, enum cb_rteacl_alg alg);

/*
 * userdata[i] = the userdata of the rule tuples[i] matches, 0 if none:
 * the raw batch call, so that a benchmark times nothing else.
 */
int cb_rteacl_classify(const struct cb_rteacl *acl, enum cb_rteacl_alg alg,
		       const uint8_t **tuples, uint32_t *userdata, uint32_t n);

/* The rule index a userdata stands for: -1 for 0 (no match). */
static inline int32_t cb_rteacl_rule_index(uint32_t userdata)
{
	return (int32_t)userdata - 1;
}

#endif
