#!/bin/sh
# `sigma list --json` lists every built-in scenario, with source "built-in", a summary and
# tags: list-builtins.sh SIGMA ID...
sigma=$1
shift
out=$("$sigma" list --json) || { echo "sigma list --json failed" >&2; exit 1; }
printf '%s' "$out" | python3 -c '
import json, sys
listed = {s["scenario_id"]: s for s in json.load(sys.stdin)}
bad = 0
for sid in sys.argv[1:]:
    s = listed.get(sid)
    if s is None or s["source"] != "built-in" or not s["summary"] or not s["tags"]:
        print("not listed as a built-in with summary and tags: %s -> %r" % (sid, s), file=sys.stderr)
        bad = 1
sys.exit(bad)
' "$@"
