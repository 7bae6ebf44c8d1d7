#!/usr/bin/env bash
# run-tests.sh - run Xylem's tests and report "N passed, N failed" last.
#
#   run-tests.sh [--host BIN...] [--fuzz SECS BIN...] [--qemu LIST]
#
# --fuzz: each BIN is a libFuzzer target, run SECS seconds over its seed
#   corpus (tests/fuzz/NAME/); it passes when the fuzzer finds nothing.
# --host: each BIN is a host unit test; it passes when it exits 0.
# --qemu: LIST (tests/kern/tests.list) has one QEMU test a line:
#     name ; exit ; modules ; hypervisor args ; log regex
#   exit      how QEMU must end: poweroff | reboot | crash | panic, then
#             optional "@" options: "@mem=MiB" and "@timeout=SECS" override the QEMU
#             memory (default XYLEM_MEM or 256) and the timeout;
#             "@input=FILE" feeds FILE (a path from the top of the tree) to
#             the serial line as typed input (qemu-run.sh --input);
#             "@cpu=PROPS" adds CPU properties (qemu-run.sh --cpu);
#             "@nmi=N" sends N NMIs once Dom0 runs (qemu-run.sh --nmi);
#             "@nmi=req" one per "NMI-REQUEST" the log shows
#   modules   space-separated multiboot modules, Dom0 first, each
#             "path" or "path:arg:arg" (colons become spaces); or
#             "iso:PATH" to boot a GRUB2 ISO instead
#   log regex an extended regex the serial log must match (optional)
#   A test whose exit is poweroff must also print "Test result: SUCCESS"
#   and nothing matching "FAILURE".
# Serial logs go to build/test-logs/NAME.log.  Timeout per QEMU test:
# XYLEM_TEST_TIMEOUT seconds (default 60).
set -u
cd "$(dirname "$0")/.."
passed=0 failed=0 failures=()
logs=build/test-logs
mkdir -p "$logs"

pass() { passed=$((passed + 1)); echo "PASS  $1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); echo "FAIL  $1: $2"; }

# The first lines of a failed QEMU test's log that say why, so that a CI
# transcript (which keeps no logs) shows the reason.
why() {
	[ -r "$1" ] || return 0
	grep -m 8 -E 'check failed|FAILURE|PANIC|panic|fault|crash' "$1" |
		sed 's/^/      | /'
}

# isa-debug-exit codes written by the hypervisor (hyp/shutdown.h).
. scripts/exit-codes.sh

run_host() {
	local bin=$1 name
	name=$(basename "$bin")
	if "$bin" > "$logs/$name.log" 2>&1; then
		pass "$name"
	else
		fail "$name" "exit $?, see $logs/$name.log"
		tail -n 5 "$logs/$name.log" | sed 's/^/      | /'
	fi
}

run_fuzz() {
	local secs=$1 bin=$2 name corpus
	name=$(basename "$bin")
	corpus=build/fuzz/corpus/$name
	mkdir -p "$corpus"
	[ -d "tests/fuzz/$name" ] && cp -n tests/fuzz/"$name"/* "$corpus"/ 2>/dev/null
	if "$bin" -max_total_time="$secs" -print_final_stats=0 \
		-artifact_prefix=build/fuzz/"$name"- "$corpus" \
		> "$logs/$name.log" 2>&1; then
		pass "$name (${secs}s)"
	else
		fail "$name" "fuzzer found a crash, see $logs/$name.log"
	fi
}

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; echo "${s%"${s##*[![:space:]]}"}"; }

run_qemu() {
	local name=$1 want=$2 modules=$3 append=$4 regex=$5
	local log=$logs/$name.log args=() input=() cpu=() nmi=() m f rc opt
	local mem=${XYLEM_MEM:-256} timeout=${XYLEM_TEST_TIMEOUT:-60}
	IFS=@ read -r want opts <<< "$want"
	IFS=@ read -ra opts <<< "$opts"
	for opt in "${opts[@]}"; do
		case "$opt" in
		mem=[0-9]*) mem=${opt#mem=} ;;
		timeout=[0-9]*) timeout=${opt#timeout=} ;;
		input=?*) input=(--input "${opt#input=}") ;;
		cpu=?*) cpu=(--cpu "${opt#cpu=}") ;;
		nmi=[0-9]*|nmi=req) nmi=(--nmi "${opt#nmi=}") ;;
		*) fail "$name" "unknown option '@$opt'"; return ;;
		esac
	done
	rm -f "$log"
	for m in $modules; do
		case "$m" in
		iso:*) args=(--iso "${m#iso:}"); f=${m#iso:} ;;
		*) args+=("${m//:/ }"); f=${m%%:*} ;;
		esac
		if [ ! -r "$f" ]; then
			fail "$name" "module '$f' is missing"; return
		fi
	done
	rm -f "$log"
	if [ ${#input[@]} -gt 0 ] && [ ! -r "${input[1]}" ]; then
		fail "$name" "input file '${input[1]}' is not readable"; return
	fi
	scripts/qemu-run.sh --log "$log" "${input[@]}" "${cpu[@]}" "${nmi[@]}" --timeout "$timeout" \
		--mem "$mem" --append "$append" "${args[@]}" > "$logs/$name.qemu" 2>&1
	rc=$?
	if [ -z "${exit_code[$want]:-}" ]; then
		fail "$name" "unknown expected exit '$want'"; return
	fi
	if [ "$rc" -ne "${exit_code[$want]}" ]; then
		fail "$name" "QEMU exit $rc, want $want (${exit_code[$want]}), see $log"
		why "$log"; return
	fi
	if [ "$want" = poweroff ]; then
		if ! grep -q "Test result: SUCCESS" "$log" || grep -q "FAILURE" "$log"; then
			fail "$name" "no clean 'Test result: SUCCESS', see $log"
			why "$log"; return
		fi
	fi
	if [ -n "$regex" ] && ! grep -Eq -- "$regex" "$log"; then
		fail "$name" "log does not match /$regex/, see $log"
		why "$log"; return
	fi
	pass "$name"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--host)
		shift
		while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do run_host "$1"; shift; done ;;
	--fuzz)
		secs=$2; shift 2
		while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do run_fuzz "$secs" "$1"; shift; done ;;
	--qemu)
		list=$2; shift 2
		while IFS=';' read -r name want modules append regex; do
			name=$(trim "$name")
			case "$name" in ''|'#'*) continue ;; esac
			run_qemu "$name" "$(trim "$want")" "$(trim "$modules")" \
				"$(trim "$append")" "$(trim "$regex")"
		done < "$list" ;;
	*) echo "run-tests.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done

for f in "${failures[@]}"; do echo "failed: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
