#!/usr/bin/env bash
# test_make_run.sh - the command lines `make run` gives Dom0 (host tier).
#
# `make -n run` prints the QEMU invocation without booting; the Dom0 module
# line must carry: the demo's words for Xylem's own Dom0, "console=hvc0
# earlyprintk=xen" for a Linux kernel given no DOM0_ARGS (bzImage magic or a
# GUEST_OS "linux" note), nothing for any other kernel, and exactly
# DOM0_ARGS when given; a kernel of someone else's gets Xen's default Dom0
# memory.  scripts/kernel-kind.sh refuses an unreadable file.
# `make run` boots through scripts/run-report.sh, which turns a poweroff or
# reboot (QEMU exit 33, 35) and a quit (0) into success, a 0 after a triple
# fault (in QEMU's reset log) into 1, and passes any other status on.
set -u
cd "$(dirname "$0")/../.."
unset XYLEM_MEM HYP_ARGS DOM0 DOM0_ARGS DOMU_ARGS DOMU_MODULES
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# A bzImage needs only "HdrS" at 0x202; an ELF only the note's bytes.
head -c 514 /dev/zero > "$tmp/bz" && printf 'HdrS' >> "$tmp/bz"
printf '\177ELF' > "$tmp/elf" && head -c 40 /dev/zero >> "$tmp/elf"
printf 'Xen\000linux\000' >> "$tmp/elf"
printf '\177ELF' > "$tmp/other" && head -c 40 /dev/zero >> "$tmp/other"
printf 'Xen\000GNU Mach\000' >> "$tmp/other"

# The module line: the quoted argument after --append in `make -n run`.
dom0_line() {
	make -s -n run "$@" 2>&1 | grep -A1 'qemu-run.sh' | tail -1 |
		sed -e 's/^[[:space:]]*"//' -e 's/" \\$//'
}

# expect_of WHAT WANT MAKEARGS...: WHAT (dom0_line or hyp_args) of
# `make -n run MAKEARGS` must print exactly WANT.
expect_of() {
	local what=$1 want=$2 got
	shift 2
	got=$("$what" "$@")
	if [ "$got" = "$want" ]; then
		echo "ok: $what $* -> $got"
	else
		echo "FAIL: $what $*: want '$want', got '$got'"
		fails=$((fails + 1))
	fi
}
expect() { expect_of dom0_line "$@"; }

expect "$tmp/bz console=hvc0 earlyprintk=xen" DOM0="$tmp/bz"
expect "$tmp/elf console=hvc0 earlyprintk=xen" DOM0="$tmp/elf"
expect "$tmp/other" DOM0="$tmp/other"
expect "$tmp/bz root=/dev/ram0" DOM0="$tmp/bz" DOM0_ARGS=root=/dev/ram0
expect "$tmp/bz" DOM0="$tmp/bz" DOM0_ARGS=
# The hypervisor's options: a kernel of someone else's gets Xen's default
# Dom0 memory for QEMU's (all but a sixteenth, at most 128 MiB held back)
# unless HYP_ARGS names dom0_mem; Xylem's own Dom0 keeps the 64 MiB default.
hyp_args() {
	make -s -n run "$@" 2>&1 | sed -n 's/.*qemu-run.sh --append "\([^"]*\)".*/\1/p'
}
expect_hyp() { expect_of hyp_args "$@"; }
expect_hyp "loglvl=info dom0_mem=240M" DOM0="$tmp/bz"
expect_hyp "loglvl=info dom0_mem=960M" DOM0="$tmp/other" XYLEM_MEM=1024
expect_hyp "loglvl=info dom0_mem=3968M" DOM0="$tmp/other" XYLEM_MEM=4096
expect_hyp "loglvl=debug dom0_mem=32M" DOM0="$tmp/bz" HYP_ARGS="loglvl=debug dom0_mem=32M"
expect_hyp "loglvl=info dom0_mem=480M" DOM0="$tmp/bz" XYLEM_MEM=512M
expect_hyp "loglvl=info dom0_mem=1920M" DOM0="$tmp/bz" XYLEM_MEM=2G
expect_hyp "loglvl=info" DOM0="$tmp/bz" XYLEM_MEM=lots
expect_hyp "loglvl=info" XYLEM_MEM=1024
expect_hyp "loglvl=info" DOM0="$PWD/build/dom0/dom0.elf"
if make -s -n run 2>&1 | grep -q 'scripts/run-report.sh scripts/qemu-run.sh'; then
	echo "ok: make run boots through run-report.sh"
else
	echo "FAIL: make run does not boot through scripts/run-report.sh"
	fails=$((fails + 1))
fi
case $(dom0_line) in
build/dom0/dom0.elf\ wait\ dom=alpha*) echo "ok: default demo" ;;
*) echo "FAIL: default demo: $(dom0_line)"; fails=$((fails + 1)) ;;
esac
report() {
	local status=$1 want_rc=$2 want_text=$3 out rc
	out=$(scripts/run-report.sh bash -c "$status" 2>&1)
	rc=$?
	if [ "$rc" = "$want_rc" ] && [[ $out == *"$want_text"* ]]; then
		echo "ok: run-report.sh, '$status' -> $rc ($out)"
	else
		echo "FAIL: run-report.sh, '$status': want $want_rc" \
		     "and '$want_text', got $rc ($out)"
		fails=$((fails + 1))
	fi
}
report "exit 33" 0 "powered off"
report "exit 35" 0 "reboot"
report "exit 0" 0 "quit"
report 'echo Triple fault > "$XYLEM_RESET_LOG"' 1 "triple fault"
report "exit 37" 37 "ended by crash"
report "exit 63" 63 "ended by panic"
report "exit 124" 124 "ended by timeout"
report "exit 2" 2 "ended by exit 2"
if scripts/kernel-kind.sh "$tmp/missing" > /dev/null 2>&1; then
	echo "FAIL: kernel-kind.sh accepted a missing file"
	fails=$((fails + 1))
fi
[ "$fails" -eq 0 ]
