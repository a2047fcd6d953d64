#!/bin/sh
# Runs a command and succeeds only if it exits with exactly the given status (a crash or any
# other status fails): expect-exit.sh STATUS COMMAND [ARG...]
expected=$1
shift
"$@"
status=$?
if [ "$status" -ne "$expected" ]; then
  echo "expected exit status $expected, got $status: $*" >&2
  exit 1
fi
exit 0
