#!/usr/bin/env python3
"""Writes a folder of e-mail messages as the peers' corpus format (../shared/bench/peers/common.h:
id, yyyymmdd, from, subject, body; one message a line), so that the peers' bare Xapian writer
(`xapian_bench index`) can index the same text trove and Recoll index from the files.

The body is what a mail indexer reads: the decoded text/plain and text/html parts (markup,
scripts and styles dropped), not the headers or the attachments. Used for the floor of the mail
ingest comparison (bench/README.md, "A bare Xapian writer on the same mail").

    bench/mail_to_tsv.py DIR OUT.tsv
"""
import email
import email.policy
import html
import os
import re
import sys

_SPACE = re.compile(r"[\t\r\n]+")
_DROPPED = re.compile(r"(?is)<(script|style)\b.*?</\1>")
_TAG = re.compile(r"<[^>]+>")


def one_line(value):
    return _SPACE.sub(" ", str(value or ""))


def body_of(message):
    parts = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind not in ("text/plain", "text/html"):
            continue
        text = (part.get_payload(decode=True) or b"").decode("latin-1")
        if kind == "text/html":
            text = html.unescape(_TAG.sub(" ", _DROPPED.sub(" ", text)))
        parts.append(text)
    return " ".join(parts)


def main(folder, out_path):
    count = 0
    body_bytes = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for directory, _, names in sorted(os.walk(folder)):
            for name in sorted(names):
                with open(os.path.join(directory, name), "rb") as f:
                    message = email.message_from_bytes(f.read(), policy=email.policy.compat32)
                body = body_of(message)
                out.write("\t".join([str(count), "20020101", one_line(message.get("From")),
                                     one_line(message.get("Subject")), one_line(body)]) + "\n")
                count += 1
                body_bytes += len(body)
    print(f"{count} messages, {body_bytes} bytes of body text", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
