#!/usr/bin/env bash
# kernel-kind.sh - say whether a kernel file is a Linux kernel, so that
# `make run` can give a Linux Dom0 the console arguments it needs.
#
#   kernel-kind.sh FILE     prints "linux" or "other"; exit 2 if FILE is unreadable
#
# Linux is recognised as a bzImage (the boot-protocol magic "HdrS" at offset
# 0x202) or as an uncompressed ELF carrying the Xen GUEST_OS note "linux"
# (the note's name "Xen" followed by the string "linux").  Anything else,
# compressed ELF files included, is "other".
set -eu
file=${1:?usage: kernel-kind.sh FILE}
[ -r "$file" ] && [ -f "$file" ] || { echo "kernel-kind.sh: $file: not a readable file" >&2; exit 2; }
if [ "$(dd if="$file" bs=1 skip=514 count=4 status=none | tr -d '\000')" = HdrS ]; then
	echo linux
elif LC_ALL=C grep -q -a -P 'Xen\x00linux\x00' "$file"; then
	echo linux
else
	echo other
fi
