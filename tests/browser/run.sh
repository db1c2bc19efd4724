#!/usr/bin/env bash
# The browser test as CTest runs it: builds the UI (`make web`: npm ci when the lock file
# changed, vite build when a source did; playwright-core comes with it), then drives chromium.
set -euo pipefail
source_dir=${TROVE_SOURCE_DIR:?TROVE_SOURCE_DIR is the checkout}
# Run from ctest under make: the outer make's jobserver is not ours.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$source_dir" --no-print-directory web
exec node "$source_dir/tests/browser/ui_test.mjs"
