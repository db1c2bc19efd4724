#!/bin/bash
# OCR throughput: `trove ingest` at --jobs 1 and 2 against the `tesseract` command line (one
# process per page, sequentially and two at a time) on the same page images, the parallel
# efficiency of each, and the OCR calls trove makes on a set of born-digital PDFs (target 0).
#
#   bench/ocr_throughput.sh
#
# Corpus: the scan-like images of ../shared/data/hostile-docs (tika/testOCR.png,
# tika/testRotated+10.png, ingest-file/regression_tiff.tiff, tika/testOCR_spacing.png), each
# copied COPIES times (default 6) with distinct trailing bytes so that trove reads every copy
# (identical bytes would be one document). Born-digital set: tika/testPDF*.pdf with a text
# layer on every page.
# Environment: TROVE (default build-ocr/trove, else build/trove), WORK (default
# /tmp/trove-bench/ocr), COPIES, LANGS (default eng+fra).
#
# trove's figure is its own OCR rate (pages read / wall time from the first OCR call to the last
# result, printed by `trove ingest`), and the whole ingest's wall time beside it. Tesseract runs
# with OMP_THREAD_LIMIT=1, as trove's workers do. CPU seconds (user + sys of the whole process
# tree, GNU time) are given beside wall time: on a shared machine wall-clock efficiency measures
# the other users, while CPU per page shows whether two workers cost more per page than one
# (OpenMP oversubscription would).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
DATA=${DATA:-$(cd "$ROOT/.." && pwd)/shared/data}
WORK=${WORK:-/tmp/trove-bench/ocr}
COPIES=${COPIES:-6}
LANGS=${LANGS:-eng+fra}
if [ -z "${TROVE:-}" ]; then
  TROVE=$ROOT/build-ocr/trove
  [ -x "$TROVE" ] || TROVE=$ROOT/build/trove
fi
command -v tesseract >/dev/null || { echo "needs the tesseract command (apt install tesseract-ocr)"; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK/pages" "$WORK/born-digital"
for name in tika/testOCR.png tika/testRotated+10.png ingest-file/regression_tiff.tiff tika/testOCR_spacing.png; do
  base=$(basename "$name")
  for i in $(seq 1 "$COPIES"); do
    { cat "$DATA/hostile-docs/$name"; printf 'copy%04d' "$i"; } > "$WORK/pages/$i-$base"
  done
done
# Born-digital: the tika/testPDF*.pdf files whose every page has a text layer (pdftotext);
# testPDF_Version.11.x.PDFA-1b.pdf, a page-size image without text, is a scan and is left out.
for f in "$DATA"/hostile-docs/tika/testPDF*.pdf; do
  if pdftotext "$f" - 2>/dev/null | python3 -c '
import sys
pages = sys.stdin.read().split("\f")
pages = pages[:-1] if len(pages) > 1 and not pages[-1].strip() else pages
sys.exit(0 if pages and all(p.strip() for p in pages) else 1)'; then
    cp "$f" "$WORK/born-digital/"
  fi
done
pages=$(ls "$WORK/pages" | wc -l)
cat "$WORK"/pages/* > /dev/null

now() { date +%s.%N; }
rate() { echo "scale=3; $1 / $2" | bc -l; }
# CPU seconds (user + sys) of a command's whole process tree, from GNU time.
cpu() { /usr/bin/time -f "%U %S" -o "$WORK/time.txt" "$@"; awk '{print $1 + $2}' "$WORK/time.txt"; }

# tesseract CLI, sequential then two at a time.
export OMP_THREAD_LIMIT=1
t0=$(now)
cli1_cpu=$(cpu sh -c 'for f in "$1"/pages/*; do tesseract "$f" - -l "$2" >/dev/null 2>&1; done' _ "$WORK" "$LANGS")
t1=$(now)
cli1=$(echo "$t1 - $t0" | bc -l)
t0=$(now)
cli2_cpu=$(cpu sh -c 'ls "$1"/pages/* | xargs -P 2 -I{} sh -c '"'"'tesseract "$1" - -l "$2" >/dev/null 2>&1'"'"' _ {} "$2"' _ "$WORK" "$LANGS")
t1=$(now)
cli2=$(echo "$t1 - $t0" | bc -l)
unset OMP_THREAD_LIMIT

declare -A trove_rate trove_wall trove_calls trove_cpu
for jobs in 1 2; do
  collection="$WORK/collection-$jobs"
  t0=$(now)
  trove_cpu[$jobs]=$(cpu sh -c '"$1" ingest --collection "$2" --jobs "$3" --ocr-lang "$4" "$5" > "$6/out.txt" 2>/dev/null' \
    _ "$TROVE" "$collection" "$jobs" "$LANGS" "$WORK/pages" "$WORK")
  out=$(cat "$WORK/out.txt")
  t1=$(now)
  trove_wall[$jobs]=$(echo "$t1 - $t0" | bc -l)
  trove_calls[$jobs]=$(echo "$out" | sed -n 's/.*ocr *\([0-9]*\) pages read.*/\1/p')
  trove_rate[$jobs]=$(echo "$out" | sed -n 's/.*pages read (\([0-9.]*\) pages\/s.*/\1/p')
done

out=$("$TROVE" ingest --collection "$WORK/collection-born-digital" --jobs 2 "$WORK/born-digital" 2>/dev/null)
born_files=$(ls "$WORK/born-digital" | wc -l)
born_calls=$("$TROVE" status --collection "$WORK/collection-born-digital" --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["last_run"]["summary"]["ocr_pages"])')

r1=$(rate "$pages" "$cli1"); r2=$(rate "$pages" "$cli2")
echo "pages: $pages ($COPIES copies of 4 images), languages $LANGS, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| reader | jobs | pages | OCR pages/s (wall) | parallel efficiency (wall) | CPU s/page | pages per CPU s, 2 jobs / 1 job | wall s |"
echo "|---|---|---|---|---|---|---|---|"
c1=$(echo "$cli1_cpu / $pages" | bc -l); c2=$(echo "$cli2_cpu / $pages" | bc -l)
t1c=$(echo "${trove_cpu[1]} / $pages" | bc -l); t2c=$(echo "${trove_cpu[2]} / $pages" | bc -l)
printf "| tesseract CLI | 1 | %d | %.2f | | %.2f | | %.1f |\n" "$pages" "$r1" "$c1" "$cli1"
printf "| tesseract CLI | 2 | %d | %.2f | %.2f | %.2f | %.2f | %.1f |\n" "$pages" "$r2" "$(echo "$r2 / (2 * $r1)" | bc -l)" "$c2" "$(echo "$c1 / $c2" | bc -l)" "$cli2"
printf "| trove ingest | 1 | %s | %.2f | | %.2f | | %.1f |\n" "${trove_calls[1]}" "${trove_rate[1]}" "$t1c" "${trove_wall[1]}"
printf "| trove ingest | 2 | %s | %.2f | %.2f | %.2f | %.2f | %.1f |\n" "${trove_calls[2]}" "${trove_rate[2]}" \
  "$(echo "${trove_rate[2]} / (2 * ${trove_rate[1]})" | bc -l)" "$t2c" "$(echo "$t1c / $t2c" | bc -l)" "${trove_wall[2]}"
echo
echo "trove's CPU seconds are the whole ingest's (extraction, indexing and OCR) over the pages."
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "born-digital PDFs: $born_files files, OCR calls: $born_calls"
echo "RESULT ocr_pages_per_s_jobs1=${trove_rate[1]} ocr_pages_per_s_jobs2=${trove_rate[2]} born_digital_ocr_calls=$born_calls"
