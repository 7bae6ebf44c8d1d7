/*
 * bzimage.c - where a kernel file's Xen-ELF image is, and how it is
 * compressed.  See bzimage.h.  FREESTANDING.
 *
 * Offsets of the boot protocol's setup header (Documentation/x86/boot in
 * Linux): setup_sects 0x1f1 (0 means 4), boot_flag 0x1fe (0xAA55), header
 * 0x202 ("HdrS"), version 0x206, payload_offset 0x248 and payload_length
 * 0x24c (from 2.08), counted from the start of the protected-mode part.
 */
#include "bzimage.h"

#define HDR_SETUP_SECTS		0x1f1
#define HDR_BOOT_FLAG		0x1fe
#define HDR_MAGIC		0x202
#define HDR_VERSION		0x206
#define HDR_PAYLOAD_OFFSET	0x248
#define HDR_PAYLOAD_LENGTH	0x24c
#define HDR_END			0x250

#define BOOT_FLAG		0xaa55u
#define HDRS_MAGIC		0x53726448u	/* "HdrS" */
#define MIN_VERSION		0x0208u

static uint32_t get16(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | get16(p + 2) << 16;
}

static bool starts_with(const uint8_t *p, size_t len, const uint8_t *magic,
			size_t n)
{
	size_t i;

	if (len < n)
		return false;
	for (i = 0; i < n; i++)
		if (p[i] != magic[i])
			return false;
	return true;
}

static enum kernel_format sniff(const uint8_t *p, size_t len)
{
	static const uint8_t elf[] = { 0x7f, 'E', 'L', 'F' };
	static const uint8_t gz[] = { 0x1f, 0x8b };
	static const uint8_t xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
	static const uint8_t bz2[] = { 'B', 'Z', 'h' };
	static const uint8_t lzma[] = { 0x5d, 0x00, 0x00 };
	static const uint8_t lzo[] = { 0x89, 'L', 'Z', 'O' };
	static const uint8_t lz4[] = { 0x02, 0x21, 0x4c, 0x18 };
	static const uint8_t zstd[] = { 0x28, 0xb5, 0x2f, 0xfd };

	if (starts_with(p, len, elf, sizeof(elf)))
		return KFMT_ELF;
	if (starts_with(p, len, gz, sizeof(gz)))
		return KFMT_GZIP;
	if (starts_with(p, len, xz, sizeof(xz)))
		return KFMT_XZ;
	if (starts_with(p, len, bz2, sizeof(bz2)))
		return KFMT_BZIP2;
	if (starts_with(p, len, lzma, sizeof(lzma)))
		return KFMT_LZMA;
	if (starts_with(p, len, lzo, sizeof(lzo)))
		return KFMT_LZO;
	if (starts_with(p, len, lz4, sizeof(lz4)))
		return KFMT_LZ4;
	if (starts_with(p, len, zstd, sizeof(zstd)))
		return KFMT_ZSTD;
	return KFMT_UNKNOWN;
}

static bool is_bzimage(const uint8_t *f, size_t len)
{
	return len >= HDR_END && get16(f + HDR_BOOT_FLAG) == BOOT_FLAG &&
	       get32(f + HDR_MAGIC) == HDRS_MAGIC;
}

static int locate_payload(const uint8_t *f, size_t len, struct kernel_image *k,
			  const char **why)
{
	uint32_t sects = f[HDR_SETUP_SECTS] ? f[HDR_SETUP_SECTS] : 4;
	uint64_t start = (uint64_t)(sects + 1) * 512;

	k->bzimage = true;
	k->boot_version = (uint16_t)get16(f + HDR_VERSION);
	if (k->boot_version < MIN_VERSION) {
		*why = "bzImage older than boot protocol 2.08 (no payload fields)";
		return -1;
	}
	start += get32(f + HDR_PAYLOAD_OFFSET);
	k->len = get32(f + HDR_PAYLOAD_LENGTH);
	if (start > len || k->len > len - start || !k->len) {
		*why = "bzImage payload lies outside the file";
		return -1;
	}
	k->offset = (size_t)start;
	return 0;
}

int kernel_image_locate(const uint8_t *file, size_t len, struct kernel_image *k,
			const char **why)
{
	const uint8_t *img;

	*k = (struct kernel_image){ .offset = 0, .len = len };
	if (is_bzimage(file, len) && locate_payload(file, len, k, why))
		return -1;
	img = file + k->offset;
	k->format = sniff(img, k->len);
	if (k->format == KFMT_ELF || k->format == KFMT_UNKNOWN)
		return 0;
	if (k->len < 8) {
		*why = "compressed kernel shorter than its size trailer";
		return -1;
	}
	k->out_len = get32(img + k->len - 4);
	return 0;
}

int kernel_unpack(union kernel_unpack_work *w, const uint8_t *file,
		  const struct kernel_image *k, uint8_t *out, size_t out_cap,
		  const char **why)
{
	size_t used, out_len = 0;
	int rc;

	if (k->format == KFMT_GZIP)
		rc = gunzip(&w->gz, file + k->offset, k->len, out, out_cap,
			    &out_len, why);
	else if (k->format == KFMT_XZ)
		rc = unxz(&w->xz, file + k->offset, k->len, &used, out, out_cap,
			  &out_len, why);
	else {
		*why = "not a gzip or xz image";
		return -1;
	}
	if (rc)
		return -1;
	if (out_len != k->out_len) {
		*why = "the size trailer does not match the data";
		return -1;
	}
	return 0;
}

const char *kernel_format_name(enum kernel_format f)
{
	static const char *const names[] = {
		[KFMT_ELF] = "ELF", [KFMT_GZIP] = "gzip", [KFMT_XZ] = "xz",
		[KFMT_BZIP2] = "bzip2", [KFMT_LZMA] = "lzma", [KFMT_LZO] = "lzo",
		[KFMT_LZ4] = "lz4", [KFMT_ZSTD] = "zstd",
		[KFMT_UNKNOWN] = "unknown",
	};

	return (unsigned int)f <= KFMT_UNKNOWN ? names[f] : "unknown";
}
