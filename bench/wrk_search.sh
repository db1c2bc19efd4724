#!/bin/bash
# The search API under load: `wrk` against `trove serve` with a fixed mix of the generated query
# set (queries.tsv: 200 each of term, AND, OR, phrase, term + date range, cycled in file order),
# at 16 and 64 connections for 60 s each; requests/s, latency p50/p99, non-2xx and socket
# errors, and the server's resident memory before and after each run (stable memory).
#
#   bench/wrk_search.sh [COLLECTION]        # default /tmp/trove-bench/coll1m
#
# Two request shapes: "api" (GET /api/search?q=...&limit=10) and "page" (what the search page
# asks: limit=20 and facets=1, which counts every match for the facets and the histogram).
# Environment: TROVE (default build-bench/trove, else build/trove), QUERIES (default
# /tmp/trove-bench/queries.tsv), PORT (8091), DURATION (60s), CONNECTIONS ("16 64"),
# SHAPES ("api page"). Needs wrk (apt install wrk).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
COLLECTION=${1:-/tmp/trove-bench/coll1m}
QUERIES=${QUERIES:-/tmp/trove-bench/queries.tsv}
PORT=${PORT:-8091}
DURATION=${DURATION:-60s}
CONNECTIONS=${CONNECTIONS:-16 64}
SHAPES=${SHAPES:-api page}
if [ -z "${TROVE:-}" ]; then
  TROVE=$ROOT/build-bench/trove
  [ -x "$TROVE" ] || TROVE=$ROOT/build/trove
fi
command -v wrk >/dev/null || { echo "needs wrk (apt install wrk)"; exit 1; }
WORK=$(mktemp -d /tmp/trove-wrk.XXXXXX)
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT

# The query mix as URL paths, one Lua file per shape.
for shape in $SHAPES; do
  python3 - "$QUERIES" "$shape" > "$WORK/$shape.lua" <<'PY'
import sys, urllib.parse
queries, shape = sys.argv[1], sys.argv[2]
extra = "&limit=10" if shape == "api" else "&limit=20&facets=1"
def day(s):
    return f"{s[0:4]}-{s[4:6]}-{s[6:8]}"
paths = []
for line in open(queries, encoding="utf-8"):
    kind, text, lo, hi = (line.rstrip("\n").split("\t") + ["", "", ""])[:4]
    words = text.split()
    q = (" OR " if kind == "or" else " ").join(words)
    if kind == "phrase":
        q = '"' + q + '"'
    if kind == "filter":
        q += f" date:{day(lo)}..{day(hi)}"
    paths.append("/api/search?q=" + urllib.parse.quote(q) + extra)
print("local paths = {")
for p in paths:
    print("  %r," % p)
print("}")
print("""
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
local non2xx = 0
response = function(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f socket_errors=%d\\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
""")
PY
done

"$TROVE" serve --collection "$COLLECTION" --port "$PORT" > "$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/api/session" && break
  sleep 0.2
done
rss() { ps -o rss= -p "$SERVER" | awk '{printf "%.0f", $1 / 1024}'; }
echo "collection $COLLECTION, $(nproc) cores, trove $TROVE, load $(cut -d' ' -f1 /proc/loadavg)"
# Warm the caches with one pass of each shape.
for shape in $SHAPES; do wrk -t1 -c1 -d10s -s "$WORK/$shape.lua" "http://127.0.0.1:$PORT" > /dev/null; done
echo
echo "| shape | connections | requests/s | p50 ms | p99 ms | non-2xx | socket errors | RSS MiB before -> after | load |"
echo "|---|---|---|---|---|---|---|---|---|"
for shape in $SHAPES; do
  for c in $CONNECTIONS; do
    before=$(rss)
    out=$(wrk -t2 -c"$c" -d"$DURATION" --timeout 30s --latency -s "$WORK/$shape.lua" \
          "http://127.0.0.1:$PORT")
    after=$(rss)
    result=$(echo "$out" | grep '^RESULT')
    non2xx=$(echo "$out" | awk '/Non-2xx or 3xx responses/ {print $NF}')
    get() { echo "$result" | sed -E "s/.*$1=([^ ]+).*/\1/"; }
    echo "| $shape | $c | $(get rps) | $(get p50_ms) | $(get p99_ms) | ${non2xx:-0} | $(get socket_errors) | $before -> $after | $(cut -d' ' -f1 /proc/loadavg) |"
  done
done
