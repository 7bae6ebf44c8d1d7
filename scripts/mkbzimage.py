#!/usr/bin/env python3
"""mkbzimage.py - wrap a Xen-ELF kernel the way Linux packs its vmlinux,
so the Dom0 loader's bzImage and decompression paths can be tested with
kernels built here.

  mkbzimage.py [--raw] [--pad N] [--lie-size N] --format gzip|xz|bzip2 IN.elf OUT

The payload is compressed as Linux's build compresses it: gzip -9 (its own
ISIZE trailer), or xz with the x86 BCJ filter, LZMA2 with a 32 MiB
dictionary and a CRC32 check, or bzip2; xz and bzip2 get the uncompressed
size appended as 4 bytes little-endian (Linux's size_append).

Without --raw, the payload goes into a bzImage: a real-mode part of
(setup_sects + 1) * 512 bytes whose setup header (boot protocol 2.10) says
where the payload is (payload_offset from the start of the protected-mode
part, payload_length), then a protected-mode part holding 512 bytes of
int3 where Linux's decompressor would be, then the payload.  With --raw
the compressed file alone is written (a gzipped NetBSD kernel is one).
--pad and --lie-size make hostile files for tests: more data than the
size trailer admits.
"""
import argparse
import bz2
import gzip
import lzma
import struct
import sys

SETUP_SECTS = 4
PM_STUB = 512


def compress(data, fmt, trailer=None):
    if fmt == "gzip":
        return gzip.compress(data, compresslevel=9, mtime=0)
    size = struct.pack("<I", (len(data) if trailer is None else trailer)
                       & 0xFFFFFFFF)
    if fmt == "xz":
        filters = [{"id": lzma.FILTER_X86},
                   {"id": lzma.FILTER_LZMA2, "preset": 9,
                    "dict_size": 32 << 20}]
        return lzma.compress(data, format=lzma.FORMAT_XZ,
                             check=lzma.CHECK_CRC32, filters=filters) + size
    return bz2.compress(data, 9) + size


def bzimage(payload):
    setup = bytearray((SETUP_SECTS + 1) * 512)
    setup[0x1F1] = SETUP_SECTS
    struct.pack_into("<H", setup, 0x1FE, 0xAA55)
    setup[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", setup, 0x206, 0x020A)
    struct.pack_into("<II", setup, 0x248, PM_STUB, len(payload))
    return bytes(setup) + b"\xcc" * PM_STUB + payload


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--format", choices=("gzip", "xz", "bzip2"), required=True)
    ap.add_argument("--raw", action="store_true",
                    help="write the compressed kernel alone, no bzImage")
    ap.add_argument("--pad", type=int, default=0, metavar="BYTES",
                    help="append BYTES zero bytes to the ELF (tests)")
    ap.add_argument("--lie-size", type=int, metavar="BYTES",
                    help="xz/bzip2: a wrong size trailer (tests)")
    ap.add_argument("input")
    ap.add_argument("output")
    a = ap.parse_args()
    with open(a.input, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        sys.exit("mkbzimage.py: %s is not an ELF file" % a.input)
    data += bytes(a.pad)
    out = compress(data, a.format, a.lie_size)
    if not a.raw:
        out = bzimage(out)
    with open(a.output, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
