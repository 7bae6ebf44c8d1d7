#!/usr/bin/env bash
# debian-kernels.sh - fetch pv32pae kernels nobody here wrote from a Debian
# suite other than the machine's own (trixie, Debian 13, by default) and
# unpack them under build/third-party/SUITE/ (the .debs' own paths, e.g.
# build/third-party/trixie/boot/gnumach-1.8-xen-486.gz).
#
# apt-get does the fetching with its own signature and checksum checks
# (the suite's InRelease against debian-archive-keyring), with its own
# sources list, lists, cache and package state under build/third-party/apt
# (the machine's apt.conf settings, a proxy say, still apply): the
# machine's sources, package state and dpkg architectures are untouched,
# and no root is needed.  A PACKAGE may be pinned as NAME=VERSION (apt
# fails, saying so, once the suite no longer has that version).  Run
# again, it does nothing while SUITE's versions.txt lists every package
# asked for (at the pinned version, for a pinned one): an unpinned package
# is fetched again only into a fresh build directory.
#
# Usage: scripts/debian-kernels.sh [--suite SUITE] [--out DIR] [PACKAGE...]
# Default packages: gnumach-image-1.8-xen-486 grub-xen-host (i386).
# DEBIAN_MIRROR replaces http://deb.debian.org/debian.
# `make test` runs it for trixie (pinned) and for unstable's GNU Mach.
set -euo pipefail

suite=trixie
out=build/third-party
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
while [ $# -gt 0 ]; do
	case "$1" in
	--suite) suite=${2:?--suite needs a name}; shift 2 ;;
	--out) out=${2:?--out needs a directory}; shift 2 ;;
	--help|-h) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	-*) echo "debian-kernels.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(gnumach-image-1.8-xen-486 grub-xen-host)
if [[ ! $suite =~ ^[a-z][a-z0-9-]*$ ]]; then
	echo "debian-kernels.sh: bad suite name '$suite'" >&2
	exit 2
fi
for p in "${pkgs[@]}"; do
	if [[ ! $p =~ ^[a-z0-9][a-z0-9+.-]*(=[A-Za-z0-9.+:~-]+)?$ ]]; then
		echo "debian-kernels.sh: bad package '$p' (NAME or NAME=VERSION)" >&2
		exit 2
	fi
done

dest=$out/$suite
stamp=$dest/versions.txt
# In the stamp already: NAME, at VERSION when pinned.
fetched() {
	local name=${1%%=*} ver=
	[[ $1 == *=* ]] && ver=${1#*=}
	[ -r "$stamp" ] && awk -v n="$name" -v v="$ver" \
		'$1 == n && (v == "" || $2 == v) { found = 1 } END { exit !found }' "$stamp"
}
have=1
for p in "${pkgs[@]}"; do
	fetched "$p" || have=0
done
[ $have -eq 1 ] && exit 0
for tool in apt-get dpkg-deb; do
	if ! command -v $tool >/dev/null; then
		echo "debian-kernels.sh: $tool is missing (Debian's apt and dpkg)" >&2
		exit 1
	fi
done
if [ ! -r "$keyring" ]; then
	echo "debian-kernels.sh: $keyring is missing (debian-archive-keyring)" >&2
	exit 1
fi

apt=$(realpath -m "$out/apt/$suite")
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/etc/parts" \
	"$apt/debs" "$dest"
echo "deb [arch=i386 signed-by=$keyring] $mirror $suite main" >"$apt/etc/sources.list"
: >"$apt/status"
opts=(-q -o "Dir::Etc::SourceList=$apt/etc/sources.list"
      -o "Dir::Etc::SourceParts=$apt/etc/parts"
      -o "Dir::Etc::Preferences=$apt/etc/preferences"
      -o "Dir::Etc::PreferencesParts=$apt/etc/parts"
      -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
      -o "Dir::State::Status=$apt/status"
      -o APT::Architecture=i386 -o APT::Architectures::=i386
      -o Acquire::Languages=none -o Debug::NoLocking=1)
# As root, apt would download as its _apt user, which cannot write here.
[ "$(id -u)" -ne 0 ] || opts+=(-o APT::Sandbox::User=root)

echo "debian-kernels.sh: fetching ${pkgs[*]} from Debian $suite (i386)"
# --error-on=any: an index that cannot be fetched (offline) is a failure.
if ! apt-get "${opts[@]}" --error-on=any update >"$apt/update.log" 2>&1; then
	echo "debian-kernels.sh: apt-get update for $suite failed:" >&2
	tail -5 "$apt/update.log" >&2
	exit 1
fi
rm -f "$apt/debs/"*.deb
if ! (cd "$apt/debs" && apt-get "${opts[@]}" download "${pkgs[@]}") \
	>"$apt/download.log" 2>&1; then
	echo "debian-kernels.sh: apt-get download from $suite failed:" >&2
	tail -5 "$apt/download.log" >&2
	exit 1
fi
shopt -s nullglob
debs=("$apt/debs/"*.deb)
if [ ${#debs[@]} -ne ${#pkgs[@]} ]; then
	echo "debian-kernels.sh: apt-get download gave ${#debs[@]} packages" \
	     "for ${#pkgs[@]} asked" >&2
	exit 1
fi
# Keep what an earlier run fetched for other packages.
: >"$stamp.new"
names=" ${pkgs[*]%%=*} "
if [ -r "$stamp" ]; then
	while read -r n v; do
		[[ $names == *" $n "* ]] || echo "$n $v" >>"$stamp.new"
	done <"$stamp"
fi
for deb in "${debs[@]}"; do
	dpkg-deb -x "$deb" "$dest"
	name=$(dpkg-deb -f "$deb" Package)
	ver=$(dpkg-deb -f "$deb" Version)
	echo "$name $ver" >>"$stamp.new"
done
mv "$stamp.new" "$stamp"
sed 's/^/debian-kernels.sh:   /' "$stamp"
