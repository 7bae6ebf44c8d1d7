#!/usr/bin/env bash
# run-fuzz.sh SECONDS FUZZER... - run each libFuzzer target for a bounded
# time with its corpus under build/fuzz/corpus/NAME (seeded from
# tests/fuzz/NAME/ when that exists).  Fails if any target finds a crash.
set -u
secs=$1; shift
failed=0
for bin in "$@"; do
	name=$(basename "$bin")
	corpus=build/fuzz/corpus/$name
	mkdir -p "$corpus"
	[ -d "tests/fuzz/$name" ] && cp -n tests/fuzz/"$name"/* "$corpus"/ 2>/dev/null
	echo "fuzz: $name for ${secs}s"
	if ! "$bin" -max_total_time="$secs" -print_final_stats=0 \
		-artifact_prefix=build/fuzz/"$name"- "$corpus" \
		> build/fuzz/"$name".log 2>&1; then
		echo "fuzz: $name FAILED, see build/fuzz/$name.log"
		failed=$((failed + 1))
	fi
done
exit $((failed > 0))
