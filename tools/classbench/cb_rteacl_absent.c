/*
 * cb_rteacl_absent.c - cb_rteacl.h for a build without DPDK.
 *
 * vfr/bench.mk links this instead of cb_rteacl.c when
 * tools/classbench/fetch-dpdk.sh could not unpack rte_acl.  Nothing here
 * classifies anything: cb_rteacl_eal_init() fails with -ENOSYS and a reason,
 * so the benchmark prints no rteacl figure at all (never a made-up one).
 * The other functions only exist to link and fail the same way.
 */
#include "cb_rteacl.h"

#include <errno.h>
#include <stdio.h>

static const char reason[] =
	"this build has no DPDK: tools/classbench/fetch-dpdk.sh could not "
	"download/unpack librte-acl23 and libdpdk-dev (see its messages)";

int cb_rteacl_eal_init(const char *prog, char *err, size_t err_size)
{
	(void)prog;
	snprintf(err, err_size, "%s", reason);
	return -ENOSYS;
}

int cb_rteacl_build(struct cb_rteacl **acl, const struct cb_rule *rules,
		    size_t n, char *err, size_t err_size)
{
	(void)acl, (void)rules, (void)n;
	snprintf(err, err_size, "%s", reason);
	return -ENOSYS;
}

void cb_rteacl_free(struct cb_rteacl *acl)
{
	(void)acl;
}

size_t cb_rteacl_mem_bytes(const struct cb_rteacl *acl)
{
	(void)acl;
	return 0;
}

void cb_rteacl_tuple_fill(struct cb_rteacl_tuple *t,
			  const struct cb_header *hdr)
{
	(void)hdr;
	*t = (struct cb_rteacl_tuple){ { 0 } };
}

const char *cb_rteacl_alg_name(enum cb_rteacl_alg alg)
{
	(void)alg;
	return "none";
}

int cb_rteacl_alg_usable(struct cb_rteacl *acl, enum cb_rteacl_alg alg)
{
	(void)acl, (void)alg;
	return -ENOSYS;
}

int cb_rteacl_classify(const struct cb_rteacl *acl, enum cb_rteacl_alg alg,
		       const uint8_t **tuples, uint32_t *userdata, uint32_t n)
{
	(void)acl, (void)alg, (void)tuples, (void)userdata, (void)n;
	return -ENOSYS;
}
