#!/bin/sh
# Runs `sigma run --oracle` with background noise on a scenario in two separate processes with
# the same seed and checks the traces are byte-identical, then once with another seed.
# usage: noise-same-bytes.sh SIGMA SCENARIO
set -eu
sigma=$1
scenario=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$sigma" run --oracle --noise-rate 10 --seed 7 --trace-out "$dir/a.json" "$scenario" >/dev/null
"$sigma" run --oracle --noise-rate 10 --seed 7 --trace-out "$dir/b.json" "$scenario" >/dev/null
cmp "$dir/a.json" "$dir/b.json"
grep -q env_expansion_ "$dir/a.json"
echo "same seed, two processes: $(wc -c < "$dir/a.json") identical bytes with background events"
"$sigma" run --oracle --noise-rate 10 --seed 8 --trace-out "$dir/c.json" "$scenario" >/dev/null
if cmp -s "$dir/a.json" "$dir/c.json"; then
  echo "another seed gave the same trace" >&2
  exit 1
fi
echo "another seed: a different trace"
