/*
 * test_modpack.c - host unit tests for dom0/modpack.c.
 *
 * A pack is built here the way the hypervisor lays it out (header,
 * entries, modules on 4 KiB boundaries); the good cases check what
 * modpack_get() returns, the single-module and empty cases, then each
 * header or entry field is corrupted in turn and must be refused.  A last
 * loop flips random bytes of the header and entries and checks that
 * whatever is accepted stays inside the pack.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../dom0/modpack.h"
#include <public/errno.h>

#define PACK_SIZE	(5 * 4096)

static uint8_t pack[PACK_SIZE] __attribute__((aligned(4096)));
static struct modpack mp;

static struct xylem_modpack_header *hdr(void)
{
	return (struct xylem_modpack_header *)pack;
}

/* Three modules: 100 bytes at 4 KiB, 5000 at 8 KiB, 0 at 16 KiB. */
static void build_pack(void)
{
	struct xylem_modpack_header *h = hdr();

	memset(pack, 0, sizeof(pack));
	memcpy(h->magic, XYLEM_MODPACK_MAGIC, 8);
	h->nr_modules = 3;
	h->total_length = PACK_SIZE;
	h->entries[0].offset = 4096;
	h->entries[0].length = 100;
	strcpy(h->entries[0].cmdline, "first arg");
	h->entries[1].offset = 8192;
	h->entries[1].length = 5000;
	strcpy(h->entries[1].cmdline, "second");
	h->entries[2].offset = 16384;
	h->entries[2].length = 0;
	memset(pack + 4096, 'a', 100);
	memset(pack + 8192, 'b', 5000);
}

static int open_pack(uint32_t len)
{
	const char *why = NULL;
	int rc = modpack_open(pack, len, &mp, &why);

	if (rc)
		CHECK(why != NULL);
	return rc;
}

static void test_good(void)
{
	const uint8_t *data;
	const char *cmd;
	uint32_t len;

	build_pack();
	CHECK_EQ(open_pack(PACK_SIZE), 0);
	CHECK_EQ(mp.nr, 3);
	CHECK_EQ(modpack_get(&mp, 1, &data, &len, &cmd), 0);
	CHECK(data == pack + 4096);
	CHECK_EQ(len, 100);
	CHECK(!strcmp(cmd, "first arg"));
	CHECK_EQ(modpack_get(&mp, 2, &data, &len, &cmd), 0);
	CHECK(data == pack + 8192 && data[4999] == 'b');
	CHECK_EQ(len, 5000);
	CHECK_EQ(modpack_get(&mp, 3, &data, &len, &cmd), 0);
	CHECK_EQ(len, 0);
	CHECK_EQ(modpack_get(&mp, 0, &data, &len, &cmd), -XEN_ENOENT);
	CHECK_EQ(modpack_get(&mp, 4, &data, &len, &cmd), -XEN_ENOENT);
	/* A ramdisk longer than total_length (page rounding) is fine. */
	hdr()->total_length = PACK_SIZE - 4096;
	hdr()->entries[2].offset = 12288;
	CHECK_EQ(open_pack(PACK_SIZE), 0);
}

static void test_single_and_empty(void)
{
	const uint8_t *data;
	const char *cmd;
	uint32_t len;

	memcpy(pack, "\177ELF", 4);
	CHECK_EQ(open_pack(777), 0);
	CHECK_EQ(mp.nr, 1);
	CHECK_EQ(modpack_get(&mp, 1, &data, &len, &cmd), 0);
	CHECK(data == pack);
	CHECK_EQ(len, 777);
	CHECK_EQ(cmd[0], '\0');
	CHECK_EQ(open_pack(0), 0);
	CHECK_EQ(mp.nr, 0);
	CHECK_EQ(modpack_get(&mp, 1, &data, &len, &cmd), -XEN_ENOENT);
	/* Shorter than the magic: a module, not a pack. */
	CHECK_EQ(open_pack(5), 0);
	CHECK_EQ(mp.nr, 1);
}

static void refuse_after(void (*corrupt)(void), uint32_t len)
{
	build_pack();
	corrupt();
	CHECK_EQ(open_pack(len), -XEN_EINVAL);
	CHECK_EQ(mp.nr, 0);
}

static void c_nr_zero(void) { hdr()->nr_modules = 0; }
static void c_nr_big(void) { hdr()->nr_modules = XYLEM_MODPACK_MAX + 1; }
static void c_nr_huge(void) { hdr()->nr_modules = 0x80000001u; }
static void c_total_big(void) { hdr()->total_length = PACK_SIZE + 1; }
static void c_total_small(void) { hdr()->total_length = 100; }
static void c_unaligned(void) { hdr()->entries[1].offset = 8193; }
static void c_past_end(void) { hdr()->entries[1].length = 3 * 4096 + 1; }
static void c_wrap(void) { hdr()->entries[1].length = 0xfffff000u; }
static void c_over_entries(void) { hdr()->entries[0].offset = 0; }
static void c_overlap(void) { hdr()->entries[1].offset = 4096; }
static void c_cmdline(void) { memset(hdr()->entries[2].cmdline, 'x', XYLEM_MODPACK_CMDLINE); }
static void c_nothing(void) { }

static void test_refusals(void)
{
	refuse_after(c_nr_zero, PACK_SIZE);
	refuse_after(c_nr_big, PACK_SIZE);
	refuse_after(c_nr_huge, PACK_SIZE);
	refuse_after(c_total_big, PACK_SIZE);
	refuse_after(c_total_small, PACK_SIZE);
	refuse_after(c_unaligned, PACK_SIZE);
	refuse_after(c_past_end, PACK_SIZE);
	refuse_after(c_wrap, PACK_SIZE);
	refuse_after(c_over_entries, PACK_SIZE);
	refuse_after(c_overlap, PACK_SIZE);
	refuse_after(c_cmdline, PACK_SIZE);
	/* Ramdisk shorter than the header, or than total_length. */
	refuse_after(c_nothing, 12);
	refuse_after(c_nothing, PACK_SIZE - 1);
}

static void test_random(void)
{
	uint32_t round, i, accepted = 0;

	srand(7);
	for (round = 0; round < 20000; round++) {
		build_pack();
		for (i = 0; i < 4; i++)
			pack[8 + rand() % 400] = (uint8_t)rand();
		if (open_pack(PACK_SIZE))
			continue;
		accepted++;
		for (i = 0; i < mp.nr; i++) {
			CHECK((uint64_t)mp.mod[i].offset + mp.mod[i].length <= PACK_SIZE);
			CHECK(memchr(mp.mod[i].cmdline, 0, XYLEM_MODPACK_CMDLINE) != NULL);
		}
	}
	printf("random corruptions: %u of 20000 accepted\n", accepted);
	CHECK(accepted > 0 && accepted < 20000);
}

int main(void)
{
	test_good();
	test_single_and_empty();
	test_refusals();
	test_random();
	return check_done();
}
