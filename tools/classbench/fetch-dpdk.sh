#!/usr/bin/env bash
# fetch-dpdk.sh DEST - put DPDK's rte_acl (Debian's librte-acl23 and the
# headers of libdpdk-dev) under DEST/root without installing anything
# system-wide: `apt-get download` the packages, `dpkg-deb -x` them.
#
# Also unpacked: the EAL libraries rte_acl needs at run time (librte-eal23,
# librte-kvargs23, librte-telemetry23), libbsd-dev (DPDK's rte_string_fns.h
# includes <bsd/string.h>), and whichever of their library dependencies
# (apt-cache depends: libbsd0, libmd0, libfdt1, libnuma1) this machine lacks.
# The benchmark links with -L/-rpath into DEST/root/usr/lib/x86_64-linux-gnu.
#
# Idempotent: DEST/.complete marks a finished unpack.  Exit status non-zero,
# with the reason on stderr, when the packages cannot be had.
set -euo pipefail

dest=${1:?usage: fetch-dpdk.sh DEST}
[ -f "$dest/.complete" ] && exit 0

pkgs=(librte-acl23 librte-eal23 librte-kvargs23 librte-telemetry23
      libdpdk-dev libbsd-dev)
for lib in libbsd0 libmd0 libfdt1 libnuma1; do
	dpkg -s "$lib" >/dev/null 2>&1 || pkgs+=("$lib")
done

command -v apt-get >/dev/null || { echo "fetch-dpdk: no apt-get" >&2; exit 1; }
rm -rf "$dest"
mkdir -p "$dest/debs" "$dest/root"
cd "$dest/debs"

download() { apt-get download -q "${pkgs[@]}" >download.log 2>&1; }
if ! download; then
	# Package lists may be missing or stale: refresh them once (root only).
	if [ "$(id -u)" -eq 0 ] && apt-get update -qq >>download.log 2>&1 &&
	   download; then
		:
	else
		echo "fetch-dpdk: apt-get download ${pkgs[*]} failed:" >&2
		tail -5 download.log >&2
		exit 1
	fi
fi

for deb in ./*.deb; do
	dpkg-deb -x "$deb" ../root
done
cd ..
lib=root/usr/lib/x86_64-linux-gnu
for f in "$lib/librte_acl.so" "$lib/librte_eal.so" root/usr/include/dpdk/rte_acl.h \
	 root/usr/include/x86_64-linux-gnu/dpdk/rte_config.h \
	 root/usr/include/bsd/string.h; do
	[ -e "$f" ] || { echo "fetch-dpdk: $f missing after unpack" >&2; exit 1; }
done
# The static archives are not used: drop them (about 40 MB).
rm -f "$lib"/librte_*.a debs/*.deb
touch .complete
echo "fetch-dpdk: rte_acl unpacked under $dest/root (${pkgs[*]})"
