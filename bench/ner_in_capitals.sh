#!/usr/bin/env bash
# The names taggers on text in capitals (telegrams, cables, headlines): each development split
# with every token upper-cased, tagged by `trove ner --eval`. bench/RESULTS.md, session 7.
# Usage: bench/ner_in_capitals.sh TROVE [SHARED_DATA] [WORK_DIR]
set -euo pipefail
trove="$1" data="${2:-../shared/data}" work="${3:-/tmp/ner-capitals}"
mkdir -p "$work"
# The token is the first field (space-separated in CoNLL-2003, tab-separated in WikiANN, whose
# tokens carry a language prefix such as "fr:"); tags and -DOCSTART- lines stay as they are.
python3 - "$data" "$work" <<'PY'
import sys
data, work = sys.argv[1], sys.argv[2]
for src, dst, sep in (("conll2003-en/valid.txt", "conll-en-valid-upper.txt", " "),
                      ("wikiann-fr/dev.txt", "wikiann-fr-dev-upper.txt", "\t")):
    with open(f"{data}/{src}", encoding="utf-8") as f, open(f"{work}/{dst}", "w", encoding="utf-8") as out:
        for line in f:
            fields = line.rstrip("\n").split(sep)
            if len(fields) > 1 and not line.startswith("-DOCSTART-"):
                token = fields[0]
                prefix = token[:3] if token[2:3] == ":" else ""
                fields[0] = prefix + token[len(prefix):].upper()
            out.write(sep.join(fields) + "\n")
PY
"$trove" ner --eval "$work/conll-en-valid-upper.txt" --lang en
"$trove" ner --eval "$work/wikiann-fr-dev-upper.txt" --lang fr
