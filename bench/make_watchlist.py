#!/usr/bin/env python3
"""Builds a large watch list (CSV) from real names, for bench_xref.

Names: the PER spans of CoNLL-2003 English (train, valid) and WikiANN English and French (train,
dev) under ../shared/data, made unique; then variants of them (reordered "Last, First", an
initial "F. Last", one letter swapped, dropped or doubled, upper case) until --size rows.

With --collection-names FILE (the JSON of `trove entities --type person --limit 1000000 --json`),
--planted N of the collection's own people get one variant each, labelled in the columns
`variant` (reordered, initial, typo, case) and `variant_of` (the entity's name): bench_xref
scores recall and precision on them.

With --phonetic N as well, N more rows are appended (after the --size rows, which stay as they
were): sound-alike respellings of the collection's people, variant `phonetic`, made by two or
more of the spelling changes that transliterations and misspellings by ear make (a vowel inside
a word, a doubled or undoubled consonant, ph/f, ck/k/c, y/i, dt/tt, w/v), always more edits
apart than the name matcher's misspelling allowance, so that only a phonetic match finds them.

Usage: make_watchlist.py --data ../shared/data --size 100000 [--collection-names people.json
       --planted 500 [--phonetic 200]] > list.csv
"""
import argparse
import csv
import json
import os
import random
import sys


def per_spans(path, strip_lang_prefix):
    """The PER names of a CoNLL-style file (token first, tag last; IOB1 or IOB2)."""
    names = []
    current = []
    prev_tag = "O"

    def flush():
        if current:
            names.append(" ".join(current))
        current.clear()

    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split()
            if not parts or parts[0] == "-DOCSTART-":
                flush()
                prev_tag = "O"
                continue
            token, tag = parts[0], parts[-1]
            if strip_lang_prefix and len(token) > 3 and token[2] == ":":
                token = token[3:]
            if tag.endswith("PER"):
                starts = tag.startswith("B-") or not prev_tag.endswith("PER")
                if starts:
                    flush()
                current.append(token)
            else:
                flush()
            prev_tag = tag
    flush()
    return names


def typo(name, rng):
    words = name.split()
    idx = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[idx]
    if len(w) < 5:
        return None
    k = rng.randrange(1, len(w) - 1)
    op = rng.choice(["swap", "drop", "double"])
    if op == "swap":
        w = w[:k] + w[k + 1] + w[k] + w[k + 2:]
    elif op == "drop":
        w = w[:k] + w[k + 1:]
    else:
        w = w[:k] + w[k] + w[k:]
    words[idx] = w
    out = " ".join(words)
    return out if out != name else None


def edits(a, b):
    """Levenshtein distance with adjacent transpositions, as the name matcher counts."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


VOWELS = "aeiou"


def sound_alike_changes(w):
    """Every respelling of w by one change that keeps its sound (roughly), as (new word)."""
    out = []
    for k in range(1, len(w)):
        c = w[k]
        if c in VOWELS:
            out += [w[:k] + v + w[k + 1:] for v in VOWELS if v != c]
        if k + 1 < len(w) and c == w[k + 1] and c not in VOWELS:
            out.append(w[:k] + w[k + 1:])  # undouble
        elif c in "lmnrst" and 0 < k < len(w) - 1 and w[k - 1] in VOWELS and w[k + 1] in VOWELS:
            out.append(w[:k] + c + w[k:])  # double
    for a, b in [("ph", "f"), ("f", "ph"), ("ck", "k"), ("y", "i"), ("i", "y"), ("dt", "tt"),
                 ("w", "v"), ("ca", "ka"), ("co", "ko"), ("cu", "ku")]:
        start = w.find(a, 1)
        if start > 0:
            out.append(w[:start] + b + w[start + len(a):])
    return out


def phonetic(name, rng):
    words = name.split()
    if len(words) < 2:
        return None
    idx = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[idx]
    if len(w) < 5 or not w.isalpha():
        return None
    allowance = 2 if len(w) >= 8 else 1
    for _ in range(50):
        v = w
        for _ in range(rng.choice([2, 3])):
            changes = sound_alike_changes(v)
            if not changes:
                break
            v = rng.choice(changes)
        if edits(v.lower(), w.lower()) > allowance:
            words[idx] = v
            return " ".join(words)
    return None


def variant(name, kind, rng):
    words = name.split()
    if len(words) < 2:
        return None
    if kind == "reordered":
        return words[-1] + ", " + " ".join(words[:-1])
    if kind == "initial":
        return words[0][0] + ". " + " ".join(words[1:])
    if kind == "typo":
        return typo(name, rng)
    if kind == "case":
        return name.upper()
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../shared/data"))
    ap.add_argument("--size", type=int, default=100000)
    ap.add_argument("--collection-names")
    ap.add_argument("--planted", type=int, default=500)
    ap.add_argument("--phonetic", type=int, default=0)
    ap.add_argument("--seed", type=int, default=4)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    sources = [("conll2003-en/train.txt", False), ("conll2003-en/valid.txt", False),
               ("wikiann-en/train.txt", True), ("wikiann-en/dev.txt", True),
               ("wikiann-fr/train.txt", True), ("wikiann-fr/dev.txt", True)]
    seen = set()
    names = []
    for rel, strip in sources:
        for name in per_spans(os.path.join(args.data, rel), strip):
            key = name.lower()
            if len(name.split()) < 2 or key in seen:
                continue
            seen.add(key)
            names.append(name)
    rows = []
    planted = 0
    if args.collection_names:
        with open(args.collection_names, encoding="utf-8") as f:
            people = [e["value"] for e in json.load(f)["entities"] if len(e["value"].split()) >= 2]
        rng.shuffle(people)
        kinds = ["reordered", "initial", "typo", "case"]
        for person in people:
            if planted >= args.planted:
                break
            kind = kinds[planted % len(kinds)]
            v = variant(person, kind, rng)
            if v is None:
                continue
            rows.append({"name": v, "type": "Person", "source": "collection", "variant": kind,
                         "variant_of": person})
            planted += 1
    for name in names:
        rows.append({"name": name, "type": "Person", "source": "ner-corpora", "variant": "",
                     "variant_of": ""})
    kinds = ["reordered", "initial", "typo", "case"]
    k = 0
    while len(rows) < args.size and names:
        base = names[k % len(names)]
        kind = kinds[(k // len(names)) % len(kinds)]
        k += 1
        v = variant(base, kind, rng)
        if v is None:
            if k > 8 * len(names):
                break
            continue
        rows.append({"name": v, "type": "Person", "source": "ner-corpora", "variant": kind,
                     "variant_of": base})
    rows = rows[: args.size]
    # Phonetic variants come after the --size rows, from a generator of their own, so that the
    # list without them stays as it was.
    if args.collection_names and args.phonetic > 0:
        prng = random.Random(args.seed + 1)
        with open(args.collection_names, encoding="utf-8") as f:
            people = [e["value"] for e in json.load(f)["entities"] if len(e["value"].split()) >= 2]
        prng.shuffle(people)
        added = 0
        for person in people:
            if added >= args.phonetic:
                break
            v = phonetic(person, prng)
            if v is None:
                continue
            rows.append({"name": v, "type": "Person", "source": "collection", "variant": "phonetic",
                         "variant_of": person})
            added += 1
    out = csv.DictWriter(sys.stdout, fieldnames=["id", "name", "type", "source", "variant",
                                                 "variant_of"])
    out.writeheader()
    for n, row in enumerate(rows, 1):
        row["id"] = f"w{n}"
        out.writerow(row)
    print(f"{len(rows)} rows: {len(names)} distinct PER names from the NER corpora, "
          f"{planted} planted variants of collection people", file=sys.stderr)


if __name__ == "__main__":
    main()
