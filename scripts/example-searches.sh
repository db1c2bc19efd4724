#!/usr/bin/env bash
# A few searches over a freshly ingested collection, to show what the query language does.
# Usage: scripts/example-searches.sh TROVE_BINARY COLLECTION
set -uo pipefail
trove="$1"
collection="$2"
run() {
  echo
  echo "\$ trove search --limit 3 $*"
  "$trove" search --collection "$collection" --limit 3 "$@"
}
run 'CIA election'
run '"Marine Le Pen"'
run 'Francois Hollande'
run 'type:email'
run --facets 'date:2010..2020'
run 'person:sarkozy'
echo
echo "\$ trove entities --limit 10 --with \"Nicolas Sarkozy\""
"$trove" entities --collection "$collection" --limit 10 --with "Nicolas Sarkozy"
echo
echo "More: $trove search --help, and docs/search.md; what failed and why: $trove failures --collection $collection"
