/*
 * test_domspec.c - host unit tests for dom0/domspec.c, the parser of
 * Dom0's dom=NAME,mod=N,... options.
 *
 * Good lines check every field and its default; count= expansion and its
 * names; words that are not ours are skipped.  Bad lines check that each
 * refusal returns an error, names the bad option in its message, and adds
 * no domain from the bad word.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../dom0/domspec.h"
#include <public/errno.h>

static struct domspec_list list;
static char err[160];

static int parse(const char *line)
{
	return domspec_parse_cmdline(line, &list, err, sizeof(err));
}

static void test_defaults(void)
{
	CHECK_EQ(parse("wait dom=web,mod=1 poweroff"), 0);
	CHECK_EQ(list.nr, 1);
	CHECK(!strcmp(list.dom[0].name, "web"));
	CHECK_EQ(list.dom[0].module, 1);
	CHECK_EQ(list.dom[0].mem_kib, DOMSPEC_DEFAULT_MEM_KIB);
	CHECK_EQ(list.dom[0].weight, DOMSPEC_DEFAULT_WEIGHT);
	CHECK(!list.dom[0].warped);
	CHECK_EQ(parse("wait poweroff"), 0);
	CHECK_EQ(list.nr, 0);
	CHECK_EQ(parse(""), 0);
	CHECK_EQ(list.nr, 0);
}

static void test_fields(void)
{
	CHECK_EQ(parse("dom=a_b-9,mod=3,mem=8M,weight=512,warp=2ms,warpl=500us,unwarp=7"), 0);
	CHECK_EQ(list.nr, 1);
	CHECK_EQ(list.dom[0].module, 3);
	CHECK_EQ(list.dom[0].mem_kib, 8192);
	CHECK_EQ(list.dom[0].weight, 512);
	CHECK(list.dom[0].warped);
	CHECK_EQ(list.dom[0].warp_ns, 2000000);
	CHECK_EQ(list.dom[0].warp_limit_ns, 500000);
	CHECK_EQ(list.dom[0].unwarp_ns, 7);
	CHECK_EQ(list.dom[0].vcpus, 1);
	CHECK_EQ(parse("dom=x,mem=4096k,mod=2,vcpus=32"), 0);
	CHECK_EQ(list.dom[0].mem_kib, 4096);
	CHECK_EQ(list.dom[0].vcpus, 32);
	CHECK_EQ(parse("dom=x,mod=2,mem=1G"), 0);
	CHECK_EQ(list.dom[0].mem_kib, 1024 * 1024);
	CHECK_EQ(parse("dom=x,mod=2,mem=1048576"), 0);
	CHECK_EQ(list.dom[0].mem_kib, 1024);
	CHECK_EQ(parse("dom=x,mod=2,weight=1 dom=y,mod=1,weight=65535"), 0);
	CHECK_EQ(list.nr, 2);
	CHECK_EQ(list.dom[0].weight, 1);
	CHECK_EQ(list.dom[1].weight, 65535);
	CHECK_EQ(list.dom[1].module, 1);
}

static void test_count(void)
{
	uint32_t i;
	char want[16];

	CHECK_EQ(parse("dom=hello,mod=1,count=2 dom=other,mod=2"), 0);
	CHECK_EQ(list.nr, 3);
	CHECK(!strcmp(list.dom[0].name, "hello0"));
	CHECK(!strcmp(list.dom[1].name, "hello1"));
	CHECK(!strcmp(list.dom[2].name, "other"));
	CHECK_EQ(parse("dom=d,mod=1,mem=2M,count=1000"), 0);
	CHECK_EQ(list.nr, 1000);
	for (i = 0; i < 1000; i++) {
		snprintf(want, sizeof(want), "d%u", i);
		CHECK(!strcmp(list.dom[i].name, want));
		CHECK_EQ(list.dom[i].mem_kib, 2048);
	}
	CHECK_EQ(parse("dom=c,mod=1,count=1"), 0);
	CHECK(!strcmp(list.dom[0].name, "c"));
	/* 15 characters fit; with a 1-digit suffix only 14. */
	CHECK_EQ(parse("dom=abcdefghijklmno,mod=1"), 0);
	CHECK_EQ(parse("dom=abcdefghijklmn,mod=1,count=10"), 0);
	CHECK(!strcmp(list.dom[9].name, "abcdefghijklmn9"));
}

/* line must fail with rc, leave want_nr domains, and mention `names`. */
static void refused(const char *line, int rc, uint32_t want_nr, const char *names)
{
	int got = parse(line);

	CHECK_EQ(got, rc);
	CHECK_EQ(list.nr, want_nr);
	if (!strstr(err, names)) {
		fprintf(stderr, "line \"%s\": error \"%s\" does not name \"%s\"\n",
			line, err, names);
		CHECK(0);
	}
}

static void test_refusals(void)
{
	refused("dom=a", -XEN_EINVAL, 0, "dom=a: mod=N is missing");
	refused("dom=,mod=1", -XEN_EINVAL, 0, "\"dom=\"");
	refused("dom=a.b,mod=1", -XEN_EINVAL, 0, "dom=a.b");
	refused("dom=abcdefghijklmnop,mod=1", -XEN_EINVAL, 0, "dom=abcdefghijklmnop");
	refused("dom=abcdefghijklmno,mod=1,count=2", -XEN_EINVAL, 0, "count suffix");
	refused("dom=a,mod=0", -XEN_EINVAL, 0, "mod=0");
	refused("dom=a,mod=x", -XEN_EINVAL, 0, "mod=x");
	refused("dom=a,mod=", -XEN_EINVAL, 0, "\"mod=\"");
	refused("dom=a,mod=1,mem=3k", -XEN_EINVAL, 0, "mem=3k");
	refused("dom=a,mod=1,mem=0", -XEN_EINVAL, 0, "mem=0");
	refused("dom=a,mod=1,mem=2T", -XEN_EINVAL, 0, "mem=2T");
	refused("dom=a,mod=1,mem=2G", -XEN_EINVAL, 0, "mem=2G");
	refused("dom=a,mod=1,mem=99999999999999999999999M", -XEN_EINVAL, 0, "mem=");
	refused("dom=a,mod=1,mem=M", -XEN_EINVAL, 0, "mem=M");
	refused("dom=a,mod=1,weight=0", -XEN_EINVAL, 0, "weight=0");
	refused("dom=a,mod=1,weight=65536", -XEN_EINVAL, 0, "weight=65536");
	refused("dom=a,mod=1,warp=5", -XEN_EINVAL, 0, "dom=a: warp=, warpl= and unwarp=");
	refused("dom=a,mod=1,warp=5,warpl=1", -XEN_EINVAL, 0, "go together");
	refused("dom=a,mod=1,warp=5s,warpl=1,unwarp=1", -XEN_EINVAL, 0, "warp=5s");
	refused("dom=a,mod=1,vcpus=0", -XEN_EINVAL, 0, "vcpus=0\": a number of vCPUs");
	refused("dom=a,mod=1,vcpus=33", -XEN_EINVAL, 0, "vcpus=33");
	refused("dom=a,mod=1,count=0", -XEN_EINVAL, 0, "count=0");
	refused("dom=a,mod=1,count=1025", -XEN_EINVAL, 0, "count=1025");
	refused("dom=a,mod=1,colour=red", -XEN_EINVAL, 0, "unknown key \"colour\"");
	refused("dom=a,mod=1,mod=2", -XEN_EINVAL, 0, "\"mod\" given twice");
	refused("dom=a,mod=1,,", -XEN_EINVAL, 0, "is not key=value");
	refused("dom=a,mod=1,junk", -XEN_EINVAL, 0, "\"junk\" is not key=value");
	/* The first word stays; the bad second one adds nothing. */
	refused("dom=a,mod=1 dom=a,mod=2", -XEN_EINVAL, 1, "dom=a: name already used");
	refused("dom=a,mod=1,count=3 dom=a2,mod=2", -XEN_EINVAL, 3, "dom=a2: name already used");
	refused("dom=x,mod=1,count=1000 dom=y,mod=1,count=25", -XEN_E2BIG, 1000,
		"dom=y: more than 1024 domains");
	/* A message is cut to the buffer and stays terminated. */
	CHECK_EQ(domspec_parse_cmdline("dom=a,mod=1,colour=red", &list, err, 8), -XEN_EINVAL);
	CHECK_EQ(strlen(err), 7);
}

int main(void)
{
	test_defaults();
	test_fields();
	test_count();
	test_refusals();
	return check_done();
}
