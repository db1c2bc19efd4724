#!/usr/bin/env bash
# Flags includes that break the module layering of docs/ARCHITECTURE.md: an include of a module
# in a higher layer or the same layer, or of another module's internal/ headers.
# Usage: scripts/check-layers.sh [SOURCE_ROOT]; exits 1 and lists offending lines if any.
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
declare -A layer=([core]=0 [extract]=1 [analyze]=1 [store]=1 [index]=1 [pipeline]=2 [query]=2 [server]=3 [cli]=4)
status=0
while IFS= read -r -d '' file; do
  rel="${file#"$root"/src/}"
  module="${rel%%/*}"
  [[ -n "${layer[$module]:-}" ]] || continue
  while IFS=: read -r line include; do
    target="${include%%/*}"
    [[ -n "${layer[$target]:-}" ]] || continue
    if [[ "$target" != "$module" ]]; then
      if (( layer[$target] >= layer[$module] )); then
        echo "$rel:$line: $module (layer ${layer[$module]}) includes $include (layer ${layer[$target]})"
        status=1
      elif [[ "$include" == */internal/* ]]; then
        echo "$rel:$line: $module includes another module's internal header $include"
        status=1
      fi
    fi
  done < <(grep -n -o -E '^#include "[a-z_]+/[^"]+"' "$file" | sed -E 's/#include "([^"]+)"/\1/')
done < <(find "$root/src" \( -name '*.h' -o -name '*.cc' \) -print0)
if (( status == 0 )); then echo "layering: ok"; fi
exit $status
