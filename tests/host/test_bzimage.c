/*
 * test_bzimage.c - host tests of hyp/bzimage.c: finding a kernel file's
 * image.  A bzImage's payload is found from its setup header (setup_sects
 * 0 meaning 4), older protocols and payloads outside the file are refused,
 * and every compression Linux offers is recognised by its magic, with the
 * size trailer read from the payload's last 4 bytes.  Every truncation of
 * a bzImage is either refused or located inside the bytes given.
 */
#include "check.h"
#include "../../hyp/bzimage.h"
#include <string.h>

static uint8_t file[8192];

/* A bzImage of protocol `version` whose payload is `payload`. */
static size_t make_bzimage(uint8_t sects, uint16_t version, uint32_t pm_off,
			   const uint8_t *payload, uint32_t plen)
{
	size_t setup = ((sects ? sects : 4) + 1) * 512;

	memset(file, 0, sizeof(file));
	file[0x1f1] = sects;
	file[0x1fe] = 0x55;
	file[0x1ff] = 0xaa;
	memcpy(file + 0x202, "HdrS", 4);
	file[0x206] = version & 0xff;
	file[0x207] = version >> 8;
	memcpy(file + 0x248, &pm_off, 4);
	memcpy(file + 0x24c, &plen, 4);
	memcpy(file + setup + pm_off, payload, plen);
	return setup + pm_off + plen;
}

static const uint8_t gz[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3,
			      1, 2, 3, 4, 0x10, 0x20, 0x30, 0x00 };
static const uint8_t elf[] = { 0x7f, 'E', 'L', 'F', 1, 1, 1, 0 };

static void check_bzimage(void)
{
	struct kernel_image k;
	const char *why = NULL;
	size_t len;

	len = make_bzimage(4, 0x20a, 0x200, gz, sizeof(gz));
	CHECK_EQ(kernel_image_locate(file, len, &k, &why), 0);
	CHECK(k.bzimage);
	CHECK_EQ(k.boot_version, 0x20a);
	CHECK_EQ(k.offset, 5 * 512 + 0x200);
	CHECK_EQ(k.len, sizeof(gz));
	CHECK_EQ(k.format, KFMT_GZIP);
	CHECK_EQ(k.out_len, 0x302010);
	/* setup_sects 0 is 4 */
	len = make_bzimage(0, 0x208, 0, elf, sizeof(elf));
	CHECK_EQ(kernel_image_locate(file, len, &k, &why), 0);
	CHECK_EQ(k.offset, 5 * 512);
	CHECK_EQ(k.format, KFMT_ELF);
	len = make_bzimage(7, 0x20f, 16, elf, sizeof(elf));
	CHECK_EQ(kernel_image_locate(file, len, &k, &why), 0);
	CHECK_EQ(k.offset, 8 * 512 + 16);
	/* protocol 2.07: no payload fields */
	len = make_bzimage(4, 0x207, 0x200, gz, sizeof(gz));
	why = NULL;
	CHECK_EQ(kernel_image_locate(file, len, &k, &why), -1);
	CHECK(why && strstr(why, "2.08"));
	/* a payload past the end, a zero-length one, an offset past it */
	len = make_bzimage(4, 0x20a, 0x200, gz, sizeof(gz));
	CHECK_EQ(kernel_image_locate(file, len - 1, &k, &why), -1);
	memset(file + 0x24c, 0, 4);
	CHECK_EQ(kernel_image_locate(file, len, &k, &why), -1);
	len = make_bzimage(4, 0x20a, 0x200, gz, sizeof(gz));
	memset(file + 0x248, 0xff, 4);
	CHECK_EQ(kernel_image_locate(file, len, &k, &why), -1);
	CHECK(why && strstr(why, "outside"));
	/* a compressed payload too short for its size trailer */
	len = make_bzimage(4, 0x20a, 0x200, gz, 7);
	CHECK_EQ(kernel_image_locate(file, len, &k, &why), -1);
}

static void check_truncations(void)
{
	struct kernel_image k;
	const char *why;
	size_t len = make_bzimage(4, 0x20a, 0x200, gz, sizeof(gz)), n;

	for (n = 0; n <= len; n++) {
		int rc = kernel_image_locate(file, n, &k, &why);

		CHECK(rc == -1 || (k.offset <= n && k.len <= n - k.offset));
		if (n >= 0x250 && n < len)
			CHECK_EQ(rc, -1);
	}
}

static void check_formats(void)
{
	static const struct {
		uint8_t magic[8];
		enum kernel_format f;
		const char *name;
	} cases[] = {
		{ { 0x7f, 'E', 'L', 'F' }, KFMT_ELF, "ELF" },
		{ { 0x1f, 0x8b, 8 }, KFMT_GZIP, "gzip" },
		{ { 0xfd, '7', 'z', 'X', 'Z', 0 }, KFMT_XZ, "xz" },
		{ { 'B', 'Z', 'h', '9' }, KFMT_BZIP2, "bzip2" },
		{ { 0x5d, 0, 0, 0x80 }, KFMT_LZMA, "lzma" },
		{ { 0x89, 'L', 'Z', 'O' }, KFMT_LZO, "lzo" },
		{ { 0x02, 0x21, 0x4c, 0x18 }, KFMT_LZ4, "lz4" },
		{ { 0x28, 0xb5, 0x2f, 0xfd }, KFMT_ZSTD, "zstd" },
		{ { 'M', 'Z', 0x90, 0 }, KFMT_UNKNOWN, "unknown" },
	};
	uint8_t raw[16];
	struct kernel_image k;
	const char *why;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(raw, 0, sizeof(raw));
		memcpy(raw, cases[i].magic, 8);
		raw[12] = 0x44;
		raw[15] = 0x01;
		CHECK_EQ(kernel_image_locate(raw, sizeof(raw), &k, &why), 0);
		CHECK_EQ(k.format, cases[i].f);
		CHECK(!k.bzimage);
		CHECK_EQ(k.offset, 0);
		CHECK_EQ(k.len, sizeof(raw));
		CHECK(!strcmp(kernel_format_name(k.format), cases[i].name));
		if (k.format != KFMT_ELF && k.format != KFMT_UNKNOWN)
			CHECK_EQ(k.out_len, 0x01000044);
	}
	CHECK(!strcmp(kernel_format_name((enum kernel_format)99), "unknown"));
	/* A bare xz magic cut short is not xz. */
	CHECK_EQ(kernel_image_locate(cases[2].magic, 4, &k, &why), 0);
	CHECK_EQ(k.format, KFMT_UNKNOWN);
}

int main(void)
{
	check_bzimage();
	check_truncations();
	check_formats();
	return check_done();
}
