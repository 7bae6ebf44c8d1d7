#!/usr/bin/env bash
# deps.sh - install with apt-get what a fresh Debian 12 machine lacks to build,
# run and test Xylem.  Does nothing when everything is present; fails with a
# clear message when it cannot install.  Called first by `make run` and
# `make test`.
set -euo pipefail

# package  -> a file whose presence proves the package is installed
declare -A probe=(
	[make]=/usr/bin/make
	[gcc]=/usr/bin/gcc
	[gcc-multilib]=/usr/lib/gcc/x86_64-linux-gnu/12/32/libgcc.a
	[binutils]=/usr/bin/ld
	[qemu-system-x86]=/usr/bin/qemu-system-i386
	[grub-pc-bin]=/usr/lib/grub/i386-pc/moddep.lst
	[grub-common]=/usr/bin/grub-mkrescue
	[xorriso]=/usr/bin/xorriso
	[mtools]=/usr/bin/mcopy
	[libpcap-dev]=/usr/include/pcap/pcap.h
	[tcpdump]=/usr/bin/tcpdump
	[iproute2]=/usr/sbin/ip
	[clang]=/usr/bin/clang
	[libclang-rt-14-dev]=/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
	[python3]=/usr/bin/python3
	# Debian's pvgrub2: GRUB 2 built as a pv32pae kernel, the third-party
	# guest the grub_domu test boots as a DomU
	[grub-xen-host]=/usr/lib/grub-xen/grub-i386-xen.bin
	# GNU Mach built for Xen (Debian's i386 package, gzipped ELF with the
	# legacy __xen_guest string): the third-party kernel the mach_domu
	# test boots as a DomU
	[gnumach-image-1.8-xen-486:i386]=/boot/gnumach-1.8-xen-486.gz
)

missing=()
for pkg in "${!probe[@]}"; do
	[ -e "${probe[$pkg]}" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps.sh: installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null; then
		sudo="sudo"
	else
		echo "deps.sh: need root (or sudo) to install: ${missing[*]}" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
# An :i386 package needs i386 among dpkg's architectures (multiarch).
if [[ " ${missing[*]}" == *":i386"* ]] &&
   ! dpkg --print-foreign-architectures | grep -qx i386; then
	echo "deps.sh: adding i386 to dpkg's architectures (for :i386 packages)"
	$sudo dpkg --add-architecture i386 || {
		echo "deps.sh: dpkg --add-architecture i386 failed" >&2
		exit 1
	}
fi
# One index failing to refresh (a mirror mid-sync) need not stop the rest:
# the install below says whether what we need could be found.
$sudo apt-get update -qq ||
	echo "deps.sh: apt-get update reported errors; trying the install anyway" >&2
if ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
	echo "deps.sh: apt-get could not install: ${missing[*]}" >&2
	exit 1
fi
for pkg in "${missing[@]}"; do
	if [ ! -e "${probe[$pkg]}" ]; then
		echo "deps.sh: $pkg installed but ${probe[$pkg]} is still missing" >&2
		exit 1
	fi
done
