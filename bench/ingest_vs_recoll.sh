#!/bin/bash
# End-to-end ingest of real files: `trove ingest --jobs 1`, `--jobs 2` and `recollindex` (Recoll,
# its default threading) on the same folders; prints one markdown table: files/s, MB/s, peak RSS.
#
#   bench/ingest_vs_recoll.sh [NAME=DIR ...]
#
# Default corpora: spamassassin (shared/data/mail-spamassassin, unpacked under $WORK) and
# hostile-docs (shared/data/hostile-docs, read in place). Environment:
#   TROVE    the trove binary (default: build-d/trove, else build/trove)
#   WORK     scratch space for collections, Recoll configs and logs (default /tmp/trove-bench/vs)
#   TOOLS    which runs (default "trove1 trove2 recoll"); e.g. TOOLS="trove1 trove2" for the
#            generated corpus's files/ (bench/README.md)
#   DATA     shared/data (default: ../shared/data beside the source tree)
#
# Each run starts from an empty collection (Recoll: a throwaway RECOLL_CONFDIR with topdirs set to
# the folder and a fresh index), after one `cat` of the folder so that every tool reads from the
# page cache. Peak RSS is reported twice: GNU time's (the largest single process) and the sum
# over the whole process tree (trove's supervisor and workers; recollindex and its helpers),
# sampled every 0.2 s. The 1-minute load average before and after each run shows how busy the
# shared machine was.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
DATA=${DATA:-$(cd "$ROOT/.." && pwd)/shared/data}
WORK=${WORK:-/tmp/trove-bench/vs}
TOOLS=${TOOLS:-"trove1 trove2 recoll"}
if [ -z "${TROVE:-}" ]; then
  TROVE=$ROOT/build-d/trove
  [ -x "$TROVE" ] || TROVE=$ROOT/build/trove
fi
case "$WORK" in "$ROOT"|"$ROOT"/*) echo "WORK must be outside the repository" >&2; exit 2 ;; esac
mkdir -p "$WORK/logs"

corpora=("$@")
if [ ${#corpora[@]} -eq 0 ]; then
  if [ ! -d "$WORK/spamassassin" ]; then
    mkdir -p "$WORK/spamassassin"
    tar -xJf "$DATA/mail-spamassassin/spamassassin-shared.tar.xz" -C "$WORK/spamassassin" || exit 1
  fi
  corpora=("spamassassin=$WORK/spamassassin" "hostile-docs=$DATA/hostile-docs")
fi

# peak_tree_rss SID OUTFILE: largest sum of RSS (KiB) of the processes in session SID, until it ends.
peak_tree_rss() {
  local sid=$1 out=$2 peak=0 now
  while kill -0 "$sid" 2>/dev/null; do
    now=$(ps -e -o sid=,rss= | awk -v s="$sid" '$1 == s { t += $2 } END { print t + 0 }')
    [ "$now" -gt "$peak" ] && peak=$now
    sleep 0.2
  done
  echo "$peak" > "$out"
}

# measure LOG CMD...: runs CMD in its own session under /usr/bin/time -v; output to LOG.
measure() {
  local log=$1; shift
  echo "LOAD_BEFORE $(cut -d' ' -f1 /proc/loadavg)" > "$log"
  setsid /usr/bin/time -v -o "$log.time" "$@" >> "$log" 2>&1 &
  local pid=$!
  peak_tree_rss "$pid" "$log.tree" &
  local sampler=$!
  wait "$pid"; echo "EXIT $?" >> "$log"
  wait "$sampler"
  echo "LOAD_AFTER $(cut -d' ' -f1 /proc/loadavg)" >> "$log"
}

wall_seconds() {  # "h:mm:ss" or "m:ss.ss" -> seconds
  awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }' <<< "$1"
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; $(date -u +%FT%TZ)"
echo "trove: $TROVE ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null))  recoll: $(dpkg-query -W -f '${Version}' recoll 2>/dev/null)"
echo
echo "| corpus | tool | files | MB | wall s | files/s | MB/s | peak RSS MiB (largest process) | peak RSS MiB (tree) | CPU s (user+sys) | exit | load before/after | outcome |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for spec in "${corpora[@]}"; do
  name=${spec%%=*}; dir=$(cd "${spec#*=}" && pwd) || continue
  files=$(find "$dir" -type f | wc -l)
  bytes=$(find "$dir" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  find "$dir" -type f -print0 | xargs -0 cat > /dev/null 2>&1
  for tool in $TOOLS; do
    log=$WORK/logs/$name-$tool.txt
    case $tool in
      trove1|trove2)
        coll=$WORK/coll-$name-$tool; rm -rf "$coll"
        measure "$log" "$TROVE" ingest --jobs "${tool#trove}" --collection "$coll" "$dir"
        outcome=$(grep -E "^ *(indexed|failed) " "$log" | awk '{ printf "%s %s; ", $1, $2 }')
        outcome="$outcome$(grep -o 'documents written [0-9]*' "$log")" ;;
      recoll)
        conf=$WORK/recoll-$name; rm -rf "$conf"; mkdir -p "$conf"
        printf 'topdirs = %s\nindexStemmingLanguages = english\nloglevel = 1\nidxflushmb = 64\nnoaspell = 1\n' "$dir" > "$conf/recoll.conf"
        RECOLL_CONFDIR=$conf measure "$log" recollindex -c "$conf" -z
        outcome="$(xapian-delve -1 "$conf/xapiandb" 2>/dev/null | sed -n 's/^number of documents = //p') documents in its index" ;;
      *) echo "unknown tool $tool" >&2; continue ;;
    esac
    wall=$(wall_seconds "$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$log.time")")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log.time")
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$log.time")
    tree=$(cat "$log.tree" 2>/dev/null || echo 0)
    awk -v n="$name" -v t="$tool" -v f="$files" -v b="$bytes" -v w="$wall" -v r="$rss" -v tr="$tree" -v c="$cpu" \
        -v e="$(sed -n 's/^EXIT //p' "$log")" -v lb="$(sed -n 's/^LOAD_BEFORE //p' "$log")" \
        -v la="$(sed -n 's/^LOAD_AFTER //p' "$log")" -v o="$outcome" \
      'BEGIN { printf "| %s | %s | %d | %.1f | %.1f | %.1f | %.2f | %.0f | %.0f | %s | %s | %s / %s | %s |\n",
               n, t, f, b / 1e6, w, f / w, b / 1e6 / w, r / 1024, tr / 1024, c, e, lb, la, o }'
  done
done
