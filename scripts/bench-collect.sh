#!/usr/bin/env bash
# bench-collect.sh LOG JSON - gather every "BENCH <name> <value> <unit>" line
# of LOG into a JSON object {name: {"value": v, "unit": u}} written to JSON.
set -eu
awk 'BEGIN { print "{"; n = 0 }
     $1 == "BENCH" && NF >= 4 {
	if (n++) printf ",\n";
	printf "  \"%s\": {\"value\": %s, \"unit\": \"%s\"}", $2, $3, $4
     }
     END { print "\n}" }' "$1" > "$2"
echo "bench: $(grep -c '^BENCH ' "$1") results in $2"
