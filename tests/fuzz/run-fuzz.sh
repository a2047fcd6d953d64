#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs the importer fuzzer for a bounded time on seeds made now from the corpus.
# usage: run-fuzz.sh FUZZER MAKE_SEEDS DICT CORPUS_DIR SECONDS ($SIGMA_FUZZ_SECONDS overrides)
set -eu
fuzzer=$1 make_seeds=$2 dict=$3 corpus=$4 seconds=${SIGMA_FUZZ_SECONDS:-${5:-60}}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/seeds" "$work/corpus" "$work/artifacts"

"$make_seeds" "$work/seeds" "$corpus"/gaia2/*.json "$corpus"/are-scenarios/*.json
echo "seeds: $(ls "$work/seeds" | wc -l) files, $(cat "$work/seeds"/* | wc -c) bytes"

# A finding leaves its input in artifacts/ and a non-zero status.
status=0
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -dict="$dict" -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
  "$work/corpus" "$work/seeds" || status=$?
if [ "$status" -ne 0 ]; then
  for f in "$work"/artifacts/*; do
    [ -f "$f" ] || continue
    echo "finding: $f"; head -c 2000 "$f" | od -c | head -40
    if [ -n "${SIGMA_FUZZ_ARTIFACTS:-}" ]; then mkdir -p "$SIGMA_FUZZ_ARTIFACTS"; cp "$f" "$SIGMA_FUZZ_ARTIFACTS/"; fi
  done
fi
exit "$status"
