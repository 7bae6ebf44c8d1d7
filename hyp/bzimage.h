/*
 * bzimage.h - finding the Xen-ELF image inside a Linux bzImage or a
 * compressed kernel file, as Xen's loaders do.  FREESTANDING (no hypervisor
 * headers): the hypervisor's Dom0 loader and the host tests use it.
 *
 * A bzImage (Linux boot protocol 2.08 and later) is a real-mode setup part
 * of (setup_sects + 1) * 512 bytes, then the protected-mode part; the
 * header at 0x1f1 names a compressed payload inside the latter
 * (payload_offset, payload_length), which for a Xen-capable kernel is its
 * vmlinux ELF.  Linux appends the payload's uncompressed size as 4 bytes,
 * little-endian, at its end (gzip's own ISIZE field is that too).  A
 * plain .xz file outside a bzImage has no such trailer (it ends with the
 * stream footer), so it is refused as claiming an absurd size: as with
 * Xen, compress a kernel as Linux's build does (xz with the size
 * appended) or with gzip.
 *
 * kernel_image_locate() takes a whole kernel file and says where the image
 * to decompress or load is and how it is compressed:
 *  - a bzImage: its payload (bounds-checked against the file);
 *  - anything else: the whole file (a plain ELF, or e.g. a gzipped NetBSD
 *    kernel).
 * It never reads outside [file, file + len).  kernel_unpack() then runs
 * the decoder (inflate.h, unxz.h) for a gzip or xz image.
 */
#ifndef XYLEM_BZIMAGE_H
#define XYLEM_BZIMAGE_H

#include "inflate.h"
#include "unxz.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kernel_format {
	KFMT_ELF,		/* load as it is */
	KFMT_GZIP,
	KFMT_XZ,
	KFMT_BZIP2,		/* recognised, not decompressed */
	KFMT_LZMA,
	KFMT_LZO,
	KFMT_LZ4,
	KFMT_ZSTD,
	KFMT_UNKNOWN,
};

struct kernel_image {
	size_t offset, len;		/* of the image inside the file */
	enum kernel_format format;
	bool bzimage;			/* found inside a bzImage */
	uint16_t boot_version;		/* the bzImage's protocol, 0x20a = 2.10 */
	uint32_t out_len;		/* compressed: the size Linux appends */
};

/*
 * 0 and *k filled, or -1 with *why a static message: a bzImage older than
 * protocol 2.08 (no payload fields), or whose payload lies outside the
 * file, or a compressed image shorter than its size trailer.
 */
int kernel_image_locate(const uint8_t *file, size_t len, struct kernel_image *k,
			const char **why);

/* The decoders' state for kernel_unpack(); it needs no initialisation. */
union kernel_unpack_work {
	struct inflate_work gz;
	struct unxz_work xz;
};

/*
 * Decompress the gzip or xz image k found in file into out (out_cap bytes,
 * at least k->out_len; nothing past out_cap is written whatever the data
 * say) and check it is exactly k->out_len bytes: 0, or -1
 * with *why a static message (another format, corrupt data, a size that
 * does not match the trailer).
 */
int kernel_unpack(union kernel_unpack_work *w, const uint8_t *file,
		  const struct kernel_image *k, uint8_t *out, size_t out_cap,
		  const char **why);

/* "gzip", "xz", ... for messages. */
const char *kernel_format_name(enum kernel_format f);

#endif
