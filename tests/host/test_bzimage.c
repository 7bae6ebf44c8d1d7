/*
 * test_bzimage.c - host tests of hyp/bzimage.c: finding a kernel file's
 * image.  A bzImage's payload is found from its setup header (setup_sects
 * 0 meaning 4), older protocols and payloads outside the file are refused,
 * and every compression Linux offers is recognised by its magic, with the
 * size trailer read from the payload's last 4 bytes.  Every truncation of
 * a bzImage is either refused or located inside the bytes given.
 * kernel_unpack() decodes gzip and xz payloads (streams made by python's
 * gzip and lzma modules) and refuses a trailer that does not match, a
 * corrupt stream, and other formats.
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

/* "Xylem kernel image\n" three times, gzip -9 and xz (CRC32) + trailer. */
static const uint8_t text_gz[] = {
	0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x8b, 0xa8,
	0xcc, 0x49, 0xcd, 0x55, 0xc8, 0x4e, 0x2d, 0xca, 0x4b, 0xcd, 0x51, 0xc8,
	0xcc, 0x4d, 0x4c, 0x4f, 0xe5, 0x8a, 0x20, 0x4a, 0x08, 0x00, 0x71, 0x2b,
	0x8f, 0x59, 0x39, 0x00, 0x00, 0x00,
};
static const uint8_t text_xz[] = {
	0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x01, 0x69, 0x22, 0xde, 0x36,
	0x02, 0x00, 0x21, 0x01, 0x16, 0x00, 0x00, 0x00, 0x74, 0x2f, 0xe5, 0xa3,
	0xe0, 0x00, 0x38, 0x00, 0x1a, 0x5d, 0x00, 0x2c, 0x1e, 0x49, 0x86, 0x6a,
	0x27, 0xfb, 0x90, 0x50, 0xd4, 0xe4, 0x12, 0x6f, 0xa1, 0xac, 0x73, 0xf6,
	0xa4, 0x1b, 0x10, 0x8f, 0x1a, 0x96, 0x60, 0x80, 0x00, 0x00, 0x00, 0x00,
	0x71, 0x2b, 0x8f, 0x59, 0x00, 0x01, 0x32, 0x39, 0x52, 0x69, 0xf3, 0x92,
	0x90, 0x42, 0x99, 0x0d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x59, 0x5a,
	0x39, 0x00, 0x00, 0x00,
};
static const char text[] = "Xylem kernel image\nXylem kernel image\n"
			   "Xylem kernel image\n";

static union kernel_unpack_work work;

static void check_unpack_one(const uint8_t *stream, size_t n,
			     enum kernel_format f)
{
	static uint8_t img[256], out[128];
	struct kernel_image k;
	const char *why = NULL;
	size_t len = make_bzimage(4, 0x20a, 0x200, stream, (uint32_t)n);

	CHECK_EQ(kernel_image_locate(file, len, &k, &why), 0);
	CHECK_EQ(k.format, f);
	CHECK_EQ(k.out_len, sizeof(text) - 1);
	memset(out, 0, sizeof(out));
	CHECK_EQ(kernel_unpack(&work, file, &k, out, sizeof(out), &why), 0);
	CHECK(!memcmp(out, text, sizeof(text) - 1));
	/* A trailer one byte off; a flipped bit in the data. */
	k.out_len++;
	CHECK_EQ(kernel_unpack(&work, file, &k, out, sizeof(out), &why), -1);
	CHECK(why && strstr(why, "trailer"));
	k.out_len--;
	memcpy(img, stream, n);
	img[n / 2] ^= 0x10;
	len = make_bzimage(4, 0x20a, 0x200, img, (uint32_t)n);
	CHECK_EQ(kernel_image_locate(file, len, &k, &why), 0);
	CHECK_EQ(kernel_unpack(&work, file, &k, out, sizeof(out), &why), -1);
}

static void check_unpack(void)
{
	static const uint8_t bz2[] = { 'B', 'Z', 'h', '9', 1, 2, 3, 4, 5 };
	struct kernel_image k;
	uint8_t out[64];
	const char *why;

	check_unpack_one(text_gz, sizeof(text_gz), KFMT_GZIP);
	check_unpack_one(text_xz, sizeof(text_xz), KFMT_XZ);
	CHECK_EQ(kernel_image_locate(bz2, sizeof(bz2), &k, &why), 0);
	CHECK_EQ(kernel_unpack(&work, bz2, &k, out, sizeof(out), &why), -1);
	CHECK(why && strstr(why, "gzip or xz"));
}

int main(void)
{
	check_bzimage();
	check_truncations();
	check_formats();
	check_unpack();
	return check_done();
}
