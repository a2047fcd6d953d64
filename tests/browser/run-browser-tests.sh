#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The web UI in a real browser: installs playwright-core (pinned) into the build directory
# once, then plays built-in scenarios through `sigma serve` in Debian's headless Chromium.
#
#   run-browser-tests.sh SIGMA_CLI OUTPUT_DIR
#
# OUTPUT_DIR (in the build tree) keeps the npm prefix and the screenshots. A missing Node,
# npm, Chromium or playwright-core is a failure, never a skip.
set -euo pipefail

PLAYWRIGHT_CORE_VERSION=1.65.1

sigma=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)

for prog in node npm; do
  if ! command -v "$prog" > /dev/null; then
    echo "Bail out! $prog is not installed (see .ci/packages.txt)"
    exit 1
  fi
done
chromium=${SIGMA_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "Bail out! $chromium is not installed (apt-get install chromium; see .ci/packages.txt)"
  exit 1
fi

prefix="$out/node"
installed="$prefix/node_modules/playwright-core/package.json"
if [ ! -f "$installed" ] || ! grep -q "\"version\": \"$PLAYWRIGHT_CORE_VERSION\"" "$installed"; then
  mkdir -p "$prefix"
  # stdout is the TAP stream: npm's chatter goes to stderr
  if ! npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error \
         "playwright-core@$PLAYWRIGHT_CORE_VERSION" 1>&2; then
    echo "Bail out! npm could not install playwright-core@$PLAYWRIGHT_CORE_VERSION into $prefix"
    exit 1
  fi
fi

export SIGMA_CLI=$sigma
export SIGMA_CHROMIUM=$chromium
export SIGMA_BROWSER_OUT=$out
export PLAYWRIGHT_CORE_DIR="$prefix/node_modules/playwright-core"
exec node "$here/test-ui.js"
