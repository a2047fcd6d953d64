#!/bin/sh
# Runs `sigma run --oracle --trace-out` on a scenario in two separate processes with the same
# seed and checks the traces are byte-identical, then once with another seed.
# usage: same-bytes.sh SIGMA SCENARIO
set -eu
sigma=$1
scenario=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$sigma" run --oracle --seed 7 --trace-out "$dir/a.json" "$scenario" >/dev/null
"$sigma" run --oracle --seed 7 --trace-out "$dir/b.json" "$scenario" >/dev/null
cmp "$dir/a.json" "$dir/b.json"
echo "same seed, two processes: $(wc -c < "$dir/a.json") identical bytes"
"$sigma" run --oracle --seed 8 --trace-out "$dir/c.json" "$scenario" >/dev/null
if cmp -s "$dir/a.json" "$dir/c.json"; then
  echo "another seed gave the same trace" >&2
  exit 1
fi
echo "another seed: a different trace"
