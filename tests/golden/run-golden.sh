#!/usr/bin/env bash
# run-golden.sh - diff `fwctl -n` against the golden files of the rule language.
#
#   tests/golden/run-golden.sh [FWCTL]      (default build/tools/fwctl)
# For each tests/golden/rulelang/NAME.rules: with NAME.out, `fwctl -n --print`
# must exit 0 and print exactly NAME.out, and `fwctl -n` must exit 0 silently;
# with NAME.err, `fwctl -n` must exit 1 and print "NAME.rules:" followed by
# the contents of NAME.err.  Prints "N passed, N failed"; exit 1 on failure.
set -u
cd "$(dirname "$0")/../.."
fwctl=${1:-build/tools/fwctl}
dir=tests/golden/rulelang
passed=0 failed=0
for rules in "$dir"/*.rules; do
	name=${rules%.rules}
	if [ -f "$name.out" ]; then
		if out=$("$fwctl" -n --print "$rules" 2>&1) &&
		   [ "$out" == "$(cat "$name.out")" ] &&
		   [ -z "$("$fwctl" -n "$rules" 2>&1)" ]; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1)); echo "FAIL $rules"
		fi
	else
		out=$("$fwctl" -n "$rules" 2>&1); rc=$?
		if [ $rc -eq 1 ] && [ "$out" == "$rules:$(cat "$name.err")" ]; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1)); echo "FAIL $rules: $out"
		fi
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
