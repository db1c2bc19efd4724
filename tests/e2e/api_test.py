"""The JSON API of a real `trove serve` on 127.0.0.1, local mode and team mode."""
import http.client
import json
import mailbox
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from trove_e2e import SHARED_DATA, SOURCE_DIR, TROVE, run

SAMPLES = os.path.join(SOURCE_DIR, "samples")
ARTICLE = "wikileaks-cia-french-election-2012.txt"
ARTICLE_PATH = os.path.join(SAMPLES, "seed-article", ARTICLE)


class Server:
    """`trove serve --port 0` on a collection; stopped with stop()."""

    def __init__(self, collection, env=None):
        self.proc = subprocess.Popen(
            [TROVE, "serve", "--collection", collection, "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        line = self.proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            self.proc.kill()
            raise AssertionError(f"trove serve did not print its address: {line!r} "
                                 f"{self.proc.stderr.read()}")
        self.port = int(match.group(1))

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


class Client:
    """One browser-like client: keeps the session cookie and the CSRF token."""

    def __init__(self, port):
        self.port = port
        self.cookie = None
        self.csrf = None

    def request(self, method, path, body=None, headers=None, raw=None, csrf=True):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = dict(headers or {})
        if self.cookie:
            sent["Cookie"] = self.cookie
        if csrf and self.csrf and method != "GET":
            sent["X-CSRF-Token"] = self.csrf
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=sent)
        resp = conn.getresponse()
        payload = resp.read()
        cookie = resp.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        conn.close()
        return resp, payload

    def json(self, method, path, body=None, expect=200, **kwargs):
        resp, payload = self.request(method, path, body, **kwargs)
        if resp.status != expect:
            raise AssertionError(f"{method} {path}: {resp.status} (wanted {expect}): {payload[:300]}")
        return json.loads(payload)

    def start_session(self):
        self.csrf = self.json("GET", "/api/session")["csrf"]


def hashlib_id(data):
    """A document id: the 128-bit BLAKE2b of its bytes, in hex."""
    import hashlib
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def query(path, **params):
    return path + "?" + urllib.parse.urlencode(params, doseq=True)


class LocalMode(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="trove-api-")
        cls.collection = os.path.join(cls.tmp, "collection")
        run("ingest", "--collection", cls.collection, SAMPLES)
        cls.server = Server(cls.collection)
        cls.client = Client(cls.server.port)
        cls.client.start_session()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def search(self, **params):
        return self.client.json("GET", query("/api/search", **params))

    def article_id(self):
        hits = self.search(q="CIA election")["hits"]
        ids = [h["id"] for h in hits if h["path"].endswith(ARTICLE)]
        self.assertTrue(ids)
        return ids[0]

    def test_session_is_local_with_a_csrf_token(self):
        session = self.client.json("GET", "/api/session")
        self.assertEqual(session["mode"], "local")
        self.assertRegex(session["csrf"], r"^[0-9a-f]{32}$")

    def test_search_marks_matches_by_byte_offsets(self):
        out = self.search(q="CIA election", facets=1)
        self.assertGreaterEqual(out["total"], 1)
        top = out["hits"][0]
        self.assertTrue(top["path"].endswith(ARTICLE))
        text = top["snippet"]["text"].encode()
        marked = {text[o:o + n].decode().lower() for o, n in top["snippet"]["marks"]}
        self.assertIn("cia", marked)
        self.assertIn("type", out["facets"])
        self.assertTrue(all("value" in v and "count" in v for v in out["facets"]["type"]))

    def test_collapse_and_similarity_parameters(self):
        every = self.search(q="", limit=1000)
        collapsed = self.search(q="", limit=1000, collapse=1)
        # Every hit says how many near-duplicates it stands for; together they are every match.
        self.assertEqual(len(collapsed["hits"]) + sum(h["collapsed"] for h in collapsed["hits"]),
                         len(every["hits"]))
        article = self.article_id()
        similar = self.search(q="similar:" + article, similarity="0.1")
        self.assertTrue(all(0.1 <= h["score"] <= 1 for h in similar["hits"]))
        self.assertNotIn(article, [h["id"] for h in similar["hits"]])
        for bad in ("2", "-0.5", "half"):
            error = self.client.json("GET", query("/api/search", q="x", similarity=bad), expect=400)
            self.assertIn("similarity must be a number from 0 to 1", error["error"]["message"])

    def test_facet_filters_combine_and_exclude(self):
        everything = self.search(q="election")["total"]
        text_only = self.search(q="election", filter="type:text")
        self.assertGreater(text_only["total"], 0)
        self.assertTrue(all(h["type"] == "text" for h in text_only["hits"]))
        no_text = self.search(q="election", filter="-type:text")
        self.assertTrue(all(h["type"] != "text" for h in no_text["hits"]))
        self.assertEqual(text_only["total"] + no_text["total"], everything)
        both = self.search(q="election", filter=["type:text", "lang:fr"])
        self.assertTrue(all(h["lang"] == "fr" for h in both["hits"]))
        self.assertLess(both["total"], text_only["total"])

    def test_paging_goes_past_the_first_page_with_one_total(self):
        first = self.search(q="", limit=5)  # blank: every document
        second = self.search(q="", limit=5, offset=5)
        self.assertEqual(first["total"], second["total"])
        self.assertGreater(first["total"], 10)
        self.assertFalse({h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]})
        # As deep as the results go: the last hit alone, then nothing past it.
        last = self.search(q="", limit=5, offset=first["total"] - 1)
        self.assertEqual((last["total"], len(last["hits"])), (first["total"], 1))
        self.assertEqual(self.search(q="", limit=5, offset=first["total"])["hits"], [])

    def test_document_has_text_highlights_and_entity_spans(self):
        doc = self.client.json("GET", query(f"/api/documents/{self.article_id()}", q="Sarkozy"))
        text = doc["text"].encode()
        self.assertTrue(doc["highlights"])
        for offset, length in doc["highlights"]:
            self.assertEqual(text[offset:offset + length].decode().lower(), "sarkozy")
        people = [e for e in doc["entities"] if e["value"] == "Nicolas Sarkozy"]
        self.assertTrue(people)
        self.assertIn(b"Sarkozy", text[people[0]["begin"]:people[0]["end"]])

    def test_document_has_parent_children_and_near_duplicates(self):
        every = self.search(q="", limit=1000)["hits"]
        member = next(h for h in every if h["parent"])
        parent = self.client.json("GET", f"/api/documents/{member['parent']}")
        self.assertIn(member["id"], [c["id"] for c in parent["children"]])
        self.assertEqual(self.client.json("GET", f"/api/documents/{member['id']}")["parent"],
                         member["parent"])
        # The samples' mailbox holds copies of a message: each lists the other, both ways.
        for hit in every:
            doc = self.client.json("GET", f"/api/documents/{hit['id']}")
            if doc["near_duplicates"]:
                break
        else:
            self.fail("no document of the samples has a near-duplicate")
        self.assertEqual(doc["near_duplicates_total"], len(doc["near_duplicates"]))
        other = doc["near_duplicates"][0]
        self.assertTrue(0.6 <= other["similarity"] <= 1, other)
        back = self.client.json("GET", f"/api/documents/{other['id']}")["near_duplicates"]
        self.assertIn(doc["id"], [d["id"] for d in back])

    def test_original_is_the_file_as_an_attachment(self):
        resp, payload = self.client.request("GET", f"/api/documents/{self.article_id()}/original")
        self.assertEqual(resp.status, 200)
        with open(ARTICLE_PATH, "rb") as f:
            self.assertEqual(payload, f.read())
        self.assertTrue(resp.getheader("Content-Disposition").startswith("attachment;"))
        self.assertEqual(resp.getheader("X-Content-Type-Options"), "nosniff")
        self.assertEqual(resp.getheader("Content-Type"), "application/octet-stream")

    def find_member(self, q, path_end):
        hits = self.search(q=q, limit=100)["hits"]
        found = [h for h in hits if h["path"].endswith(path_end) and h["parent"]]
        self.assertTrue(found, f"no member ending in {path_end} among {[h['path'] for h in hits]}")
        return found[0]

    def test_original_of_an_archive_member_is_extracted_on_demand(self):
        import hashlib
        import zipfile
        with zipfile.ZipFile(os.path.join(SAMPLES, "test-documents.zip")) as z:
            names = [n for n in z.namelist() if n.endswith(".txt") or n.endswith(".html")]
            self.assertTrue(names)
            name = names[0]
            expected = z.read(name)
        member = self.find_member(f'name:"{os.path.basename(name).rsplit(".", 1)[0]}"',
                                  "!/" + name)
        doc = self.client.json("GET", f"/api/documents/{member['id']}")
        self.assertTrue(doc["has_original"])
        resp, payload = self.client.request("GET", f"/api/documents/{member['id']}/original")
        self.assertEqual(resp.status, 200, payload[:200])
        self.assertEqual(payload, expected)
        self.assertTrue(resp.getheader("Content-Disposition").startswith("attachment;"))
        self.assertEqual(resp.getheader("Content-Type"), "application/octet-stream")
        self.assertEqual(resp.getheader("X-Content-Type-Options"), "nosniff")
        # The id is the content hash: the bytes served are the bytes indexed.
        self.assertEqual(hashlib.blake2b(payload, digest_size=16).hexdigest(), member["id"])

    def test_original_of_an_attachment_is_extracted_on_demand(self):
        out = self.search(q="type:image", limit=100)
        attachments = [h for h in out["hits"] if h["parent"] and "!/" in h["path"]
                       and ".eml!/" in h["path"]]
        self.assertTrue(attachments, [h["path"] for h in out["hits"]])
        png = attachments[0]
        resp, payload = self.client.request("GET", f"/api/documents/{png['id']}/original")
        self.assertEqual(resp.status, 200, payload[:200])
        self.assertEqual(len(payload), png["size"])
        self.assertEqual(hashlib_id(payload), png["id"])

    def test_original_of_a_changed_container_is_refused(self):
        # A copy of the mailbox sample, ingested into its own collection, then changed on disk:
        # the member's bytes no longer hash to its id, and the server says so instead of
        # serving other bytes.
        tmp = tempfile.mkdtemp(prefix="trove-changed-")
        try:
            source = os.path.join(tmp, "mail.eml")
            shutil.copy(os.path.join(SAMPLES, "mail", "testEmailWithPNGAtt.eml"), source)
            collection = os.path.join(tmp, "collection")
            run("ingest", "--collection", collection, source)
            server = Server(collection)
            try:
                client = Client(server.port)
                hits = client.json("GET", query("/api/search", q="type:image"))["hits"]
                self.assertTrue(hits)
                member = hits[0]["id"]
                resp, _ = client.request("GET", f"/api/documents/{member}/original")
                self.assertEqual(resp.status, 200)
                with open(source, "rb") as f:
                    data = f.read()
                # Change the attachment's base64 (keeping the file valid) without changing the size.
                at = data.rindex(b"AAAA")
                with open(source, "wb") as f:
                    f.write(data[:at] + b"BBBB" + data[at + 4:])
                resp, payload = client.request("GET", f"/api/documents/{member}/original")
                self.assertEqual(resp.status, 404, payload[:300])
                self.assertIn("changed", json.loads(payload)["error"]["message"])
                os.remove(source)
                resp, payload = client.request("GET", f"/api/documents/{member}/original")
                self.assertEqual(resp.status, 404, payload[:300])
            finally:
                server.stop()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_tag_then_find_by_tag_then_untag(self):
        doc_id = self.article_id()
        path = f"/api/documents/{doc_id}/tags"
        resp, _ = self.client.request("POST", path, {"tag": "to read"}, csrf=False)
        self.assertEqual(resp.status, 403)  # no CSRF token
        self.client.json("POST", path, {"tag": "to read"}, expect=201)
        found = self.search(q='tag:"to read"')
        self.assertEqual([h["id"] for h in found["hits"]], [doc_id])
        self.assertIn("to read", self.client.json("GET", f"/api/documents/{doc_id}")["tags"])
        self.client.json("DELETE", f"{path}/{urllib.parse.quote('to read')}")
        self.assertEqual(self.search(q='tag:"to read"')["total"], 0)

    def test_notes_and_stars(self):
        doc_id = self.article_id()
        note = self.client.json("POST", f"/api/documents/{doc_id}/notes",
                                {"text": "<b>check</b> the date"}, expect=201)
        doc = self.client.json("GET", f"/api/documents/{doc_id}")
        self.assertIn("<b>check</b> the date", [n["text"] for n in doc["notes"]])
        self.client.json("DELETE", f"/api/notes/{note['id']}")
        self.client.json("PUT", f"/api/documents/{doc_id}/star")
        self.assertIn(doc_id, [d["id"] for d in self.client.json("GET", "/api/starred")["documents"]])
        self.assertTrue(self.client.json("GET", f"/api/documents/{doc_id}")["starred"])
        self.client.json("DELETE", f"/api/documents/{doc_id}/star")
        self.assertNotIn(doc_id, [d["id"] for d in self.client.json("GET", "/api/starred")["documents"]])

    def test_batch_search_counts_each_line_and_reports_a_bad_one(self):
        out = self.client.json("POST", "/api/search/batch",
                               {"queries": ["Sarkozy", "zzqxnotaword", "\"unclosed"]})
        results = out["results"]
        self.assertGreaterEqual(results[0]["total"], 1)
        self.assertEqual(results[1]["total"], 0)
        self.assertIn("never closed", results[2]["error"])

    def test_export_csv_has_a_row_per_hit(self):
        resp, payload = self.client.request("GET", query("/api/export", q="election", format="csv"))
        self.assertEqual(resp.status, 200)
        rows = payload.decode().strip().split("\r\n")
        self.assertEqual(rows[0].split(",")[0], "id")
        self.assertEqual(len(rows) - 1, self.search(q="election")["total"])

    def test_export_json_has_every_hit_and_is_audited(self):
        resp, payload = self.client.request("GET", query("/api/export", q="election", format="json"))
        self.assertEqual(resp.status, 200)
        self.assertIn("attachment", resp.getheader("Content-Disposition"))
        out = json.loads(payload)
        self.assertEqual(len(out["hits"]), self.search(q="election")["total"])
        audit = self.client.json("GET", "/api/audit")["entries"]
        self.assertIn(("export", "json election"), [(e["action"], e["detail"]) for e in audit])

    def test_entities_and_co_mentions(self):
        people = self.client.json("GET", query("/api/entities", type="person", limit=1000))
        self.assertIn("Nicolas Sarkozy", [e["value"] for e in people["entities"]])
        together = self.client.json("GET", query("/api/entities", **{"with": "Nicolas Sarkozy"}))
        self.assertIn("CIA", [e["value"] for e in together["entities"]])

    def test_entity_graph_counts_documents_and_co_mentions(self):
        graph = self.client.json("GET", query("/api/graph/entities", q="Sarkozy", hits=50))
        total = self.search(q="Sarkozy")["total"]
        self.assertEqual(graph["total"], total)
        self.assertEqual(graph["documents_counted"], min(total, 50))
        self.assertEqual(graph["documents"], graph["documents_counted"])
        nodes = {n["id"]: n for n in graph["nodes"]}
        sarkozy = [n for n in graph["nodes"] if n["value"] == "Nicolas Sarkozy"]
        self.assertEqual(len(sarkozy), 1)
        self.assertEqual(sarkozy[0]["field"], "person")
        # A node's count is the number of the search's documents that mention it.
        both = self.search(q="Sarkozy", filter='person:"Nicolas Sarkozy"', limit=1000)
        self.assertEqual(sarkozy[0]["documents"], both["total"])
        self.assertTrue(all(n["type"] in ("person", "org", "place") for n in graph["nodes"]))
        self.assertTrue(graph["edges"])
        for edge in graph["edges"]:
            self.assertIn(edge["source"], nodes)
            self.assertIn(edge["target"], nodes)
            self.assertGreaterEqual(min(nodes[edge["source"]]["documents"],
                                        nodes[edge["target"]]["documents"]), edge["documents"])
        # An edge's weight is the number of documents of the search mentioning both.
        edge = graph["edges"][0]
        a, b = nodes[edge["source"]], nodes[edge["target"]]
        term = lambda n: f'{n["field"]}:"{n["value"]}"'
        together = self.search(q="Sarkozy", filter=[term(a), term(b)], limit=1000)
        self.assertEqual(edge["documents"], together["total"])
        # Other types on request; unknown ones refused; the cap holds.
        emails = self.client.json("GET", query("/api/graph/entities", q="", types="email"))
        self.assertTrue(all(n["type"] == "email" for n in emails["nodes"]))
        resp, payload = self.client.request("GET", query("/api/graph/entities", q="x", types="colour"))
        self.assertError(resp, payload, 400, "colour")
        for hits in (0, 20001):
            resp, payload = self.client.request("GET", query("/api/graph/entities", q="x", hits=hits))
            self.assertError(resp, payload, 400, "hits")

    def test_entity_graph_counts_a_sample_of_the_matches_and_says_so(self):
        everything = self.search(q="")["total"]
        graph = self.client.json("GET", query("/api/graph/entities", q="", hits=2))
        self.assertEqual(graph["total"], everything)
        self.assertEqual(graph["documents_counted"], 2)
        self.assertTrue(graph["nodes"])
        self.assertTrue(all(n["documents"] <= 2 for n in graph["nodes"]))
        # A long query that few documents match in full is relaxed as the search relaxes it,
        # and the graph counts the documents the results list.
        relaxed = self.search(q="CIA election French")
        self.assertTrue(relaxed["notice"])
        graph = self.client.json("GET", query("/api/graph/entities", q="CIA election French"))
        self.assertEqual(graph["total"], relaxed["total"])
        self.assertEqual(graph["documents_counted"], relaxed["total"])
        self.assertEqual(graph["query"], relaxed["query"])

    def test_email_graph_links_senders_to_recipients(self):
        graph = self.client.json("GET", query("/api/graph/email", q="", filter="type:email", hits=2000))
        self.assertGreater(graph["messages"], 1)
        nodes = {n["id"]: n for n in graph["nodes"]}
        self.assertTrue(graph["edges"])
        self.assertTrue(all(n["address"] == n["address"].lower() for n in graph["nodes"]))
        edge = max(graph["edges"], key=lambda e: e["messages"])
        self.assertIn(edge["source"], nodes)
        self.assertIn(edge["target"], nodes)
        # The messages of an edge are found by the search the UI links to.
        found = self.search(q="", filter=["type:email", f'from:{edge["source"]}',
                                          f'to:{edge["target"]} OR cc:{edge["target"]}'], limit=1000)
        self.assertGreaterEqual(found["total"], edge["messages"])
        self.assertGreaterEqual(nodes[edge["source"]]["sent"], edge["messages"])
        self.assertGreaterEqual(nodes[edge["target"]]["received"], edge["messages"])
        # Names come from the headers: "Robert Harley <harley@argote.ch>".
        self.assertEqual(nodes["harley@argote.ch"]["name"], "Robert Harley")
        self.assertEqual(graph["documents_counted"], graph["total"])
        # A sample: the messages among the first `hits` matches only.
        sampled = self.client.json("GET", query("/api/graph/email", q="", filter="type:email", hits=5))
        self.assertEqual(sampled["total"], graph["total"])
        self.assertEqual(sampled["documents_counted"], 5)
        self.assertLessEqual(sampled["messages"], 5)
        self.assertTrue(all(n["sent"] + n["received"] <= 5 for n in sampled["nodes"]))

    def test_timeline_buckets_by_month(self):
        out = self.client.json("GET", query("/api/timeline", q=""))
        everything = self.search(q="")["total"]
        self.assertEqual(out["documents"], everything)
        self.assertEqual(sum(m["documents"] for m in out["months"]) + out["undated"], everything)
        month = max(out["months"], key=lambda m: m["documents"])
        self.assertRegex(month["month"], r"^\d{4}-\d{2}$")
        # The range the UI narrows to finds the same documents.
        narrowed = self.search(q="", filter=f'date:{month["month"]}..{month["month"]}')
        self.assertEqual(narrowed["total"], month["documents"])
        self.assertTrue(out["mentioned"])
        mentioned = max(out["mentioned"], key=lambda m: m["documents"])
        self.assertGreaterEqual(mentioned["mentions"], mentioned["documents"])
        words = mentioned["month"].replace("-", " ")
        found = self.search(q="", filter=f'mentions:"{words}"')
        self.assertEqual(found["total"], mentioned["documents"])
        self.assertEqual(out["documents_counted"], everything)

    def test_timeline_counts_every_match_by_month_whatever_the_sample(self):
        everything = self.search(q="")["total"]
        full = self.client.json("GET", query("/api/timeline", q=""))
        out = self.client.json("GET", query("/api/timeline", q="", hits=1))
        # The documents' own months count every match, as a top-hits count could not...
        self.assertEqual(out["documents"], everything)
        self.assertEqual(out["months"], full["months"])
        self.assertEqual(out["undated"], full["undated"])
        self.assertGreater(sum(m["documents"] for m in out["months"]), 1)
        # ...while the dates mentioned count the first `hits` matches, and say so.
        self.assertEqual(out["documents_counted"], 1)
        self.assertTrue(all(m["documents"] <= 1 for m in out["mentioned"]))
        self.assertLess(len(out["mentioned"]), len(full["mentioned"]))

    def test_values_of_one_facet_or_while_facets_and(self):
        text = self.search(q="election", filter="type:text")["total"]
        html = self.search(q="election", filter="type:html")["total"]
        self.assertGreater(text, 0)
        either = self.search(q="election", filter="type:text OR type:html")
        self.assertEqual(either["total"], text + html)
        self.assertTrue(all(h["type"] in ("text", "html") for h in either["hits"]))
        french = self.search(q="election", filter=["type:text OR type:html", "lang:fr"])
        self.assertLess(french["total"], either["total"])
        self.assertTrue(all(h["lang"] == "fr" for h in french["hits"]))
        left = self.search(q="election", filter=["type:text OR type:html", "-lang:fr"])
        self.assertEqual(left["total"] + french["total"], either["total"])

    def test_starred_lists_title_path_type_and_date(self):
        doc_id = self.article_id()
        self.client.json("PUT", f"/api/documents/{doc_id}/star")
        try:
            starred = self.client.json("GET", "/api/starred")["documents"]
            row = [d for d in starred if d["id"] == doc_id]
            self.assertEqual(len(row), 1)
            self.assertTrue(row[0]["path"].endswith(ARTICLE))
            self.assertEqual(row[0]["type"], "text")
            self.assertFalse(row[0]["missing"])
            self.assertTrue(row[0]["title"])
            self.assertIn("date", row[0])
        finally:
            self.client.json("DELETE", f"/api/documents/{doc_id}/star")

    def test_zip_of_selected_originals(self):
        import io
        import zipfile
        article = self.article_id()
        member = self.find_member('name:"testHTML"', "!/testHTML.html")
        resp, payload = self.client.request("POST", "/api/export/zip",
                                            {"ids": [article, member["id"], article]})
        self.assertEqual(resp.status, 200, payload[:300])
        self.assertTrue(resp.getheader("Content-Disposition").startswith("attachment;"))
        archive = zipfile.ZipFile(io.BytesIO(payload))
        names = archive.namelist()
        self.assertEqual(len(names), 3, names)  # two originals (one asked twice) and the manifest
        self.assertIn("manifest.csv", names)
        for name in names:
            self.assertFalse(name.startswith("/") or ".." in name or "\\" in name, name)
        by_id = {n.split("-", 1)[0]: n for n in names if n != "manifest.csv"}
        with open(ARTICLE_PATH, "rb") as f:
            self.assertEqual(archive.read(by_id[article]), f.read())
        self.assertEqual(hashlib_id(archive.read(by_id[member["id"]])), member["id"])
        self.assertTrue(by_id[article].endswith(ARTICLE))
        manifest = archive.read("manifest.csv").decode()
        self.assertEqual(manifest.count("\r\n"), 3)
        # Recorded in the audit log with the ids.
        audit = self.client.json("GET", "/api/audit")["entries"]
        self.assertTrue(any(e["action"] == "export-zip" and article in e["detail"] for e in audit))
        # Refused: no ids, a bad id, too many, an unknown field, no CSRF token.
        for body, words in (({"ids": []}, "non-empty"), ({"ids": ["../../etc/passwd"]}, "document ids"),
                            ({"ids": ["0" * 32] * 501}, "at most"), ({"ids": [article], "x": 1}, "unknown field")):
            resp, payload = self.client.request("POST", "/api/export/zip", body)
            self.assertError(resp, payload, 400, words)
        resp, _ = self.client.request("POST", "/api/export/zip", {"ids": [article]}, csrf=False)
        self.assertEqual(resp.status, 403)

    def test_zip_entry_names_are_sanitised(self):
        import io
        import zipfile
        tmp = tempfile.mkdtemp(prefix="trove-zipnames-")
        try:
            sources = os.path.join(tmp, "src")
            os.makedirs(sources)
            for name in ("..\\..\\evil one.txt", ".hidden", "C:\\x.txt", "a\nb.txt"):
                with open(os.path.join(sources, name), "w") as f:
                    f.write(f"zipname test {name!r}\n")
            collection = os.path.join(tmp, "collection")
            run("ingest", "--collection", collection, sources)
            server = Server(collection)
            try:
                client = Client(server.port)
                client.start_session()
                ids = [h["id"] for h in client.json("GET", query("/api/search", q="zipname"))["hits"]]
                self.assertEqual(len(ids), 4)
                resp, payload = client.request("POST", "/api/export/zip", {"ids": ids})
                self.assertEqual(resp.status, 200, payload[:300])
                names = zipfile.ZipFile(io.BytesIO(payload)).namelist()
                self.assertEqual(len(names), 5, names)
                for name in names:
                    self.assertRegex(name, r"^(manifest\.csv|[0-9a-f]{32}-[^/\\:\x00-\x1f]+)$")
                    self.assertNotIn("..", name.split("-", 1)[-1][:2])
            finally:
                server.stop()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_status_and_failures(self):
        status = self.client.json("GET", "/api/status")
        self.assertGreater(status["documents"], 0)
        failures = self.client.json("GET", "/api/failures")["failures"]
        self.assertTrue(all(f["reason"] for f in failures))

    def test_saved_searches(self):
        saved = self.client.json("POST", "/api/searches",
                                 {"name": "cia", "query": {"q": "CIA"}}, expect=201)
        listed = self.client.json("GET", "/api/searches")["searches"]
        self.assertIn({"q": "CIA"}, [s["query"] for s in listed])
        self.client.json("DELETE", f"/api/searches/{saved['id']}")
        self.assertNotIn(saved["id"], [s["id"] for s in self.client.json("GET", "/api/searches")["searches"]])

    def assertError(self, resp, payload, status, words):
        self.assertEqual(resp.status, status, payload)
        error = json.loads(payload)["error"]
        self.assertEqual(error["status"], status)
        self.assertIn(words, error["message"])

    def test_bad_requests_get_a_clear_4xx_and_change_nothing(self):
        doc_id = self.article_id()
        path = f"/api/documents/{doc_id}/tags"
        resp, payload = self.client.request("POST", path, raw=b"{not json",
                                            headers={"Content-Type": "application/json"})
        self.assertError(resp, payload, 400, "not valid JSON")
        resp, payload = self.client.request("POST", path, {"tag": "x", "colour": "red"})
        self.assertError(resp, payload, 400, "unknown field \"colour\"")
        resp, payload = self.client.request("POST", path, raw=b"{\"tag\": \"" + b"x" * (5 << 20) + b"\"}",
                                            headers={"Content-Type": "application/json"})
        self.assertEqual(resp.status, 413)
        resp, payload = self.client.request("GET", "/api/documents/..%2F..%2Fetc%2Fpasswd")
        self.assertIn(resp.status, (400, 404))
        self.assertNotIn(b"root:", payload)
        resp, payload = self.client.request("GET", "/api/documents/not-an-id")
        self.assertError(resp, payload, 400, "not a document id")
        resp, payload = self.client.request("GET", query("/api/search", q="\"unclosed"))
        self.assertError(resp, payload, 400, "never closed")
        resp, payload = self.client.request("GET", query("/api/search", q="x", limit="lots"))
        self.assertError(resp, payload, 400, "limit")
        resp, payload = self.client.request("GET", "/api/nothing-here")
        self.assertError(resp, payload, 404, "no API route")
        resp, payload = self.client.request("PATCH", f"/api/documents/{doc_id}")
        self.assertError(resp, payload, 405, "not allowed")
        self.assertEqual(self.client.json("GET", f"/api/documents/{doc_id}")["tags"], [])

    def test_path_traversal_in_every_path_parameter_gets_a_4xx(self):
        routes = self.client.json("GET", "/api/routes")["routes"]
        with_params = [r for r in routes if "{" in r["pattern"]]
        self.assertGreaterEqual(len({p for r in with_params for p in re.findall(r"\{(\w+)\}", r["pattern"])}), 5)
        good = {"id": self.article_id(), "tag": "x", "note": "1", "search": "1", "name": "nobody",
                "list": "x"}
        before = self.client.json("GET", f"/api/documents/{good['id']}")
        for route in with_params:
            for name in re.findall(r"\{(\w+)\}", route["pattern"]):
                for bad in ("..", "..%2F..%2Fetc%2Fpasswd", "a%5C..%5Cb", "%2e%2e", "a%00b"):
                    path = re.sub(r"\{(\w+)\}", lambda m: bad if m.group(1) == name else good[m.group(1)],
                                  route["pattern"])
                    resp, payload = self.client.request(route["method"], path, body={})
                    self.assertTrue(400 <= resp.status < 500, f"{route['method']} {path}: {resp.status}")
                    self.assertIn("error", json.loads(payload))
                    self.assertNotIn(b"root:", payload)
        after = self.client.json("GET", f"/api/documents/{good['id']}")
        self.assertEqual((before["tags"], before["notes"], before["starred"]),
                         (after["tags"], after["notes"], after["starred"]))

    def test_a_foreign_host_name_is_refused(self):
        # A page on another site whose name resolves to 127.0.0.1 (DNS rebinding).
        resp, payload = self.client.request("GET", "/api/status", headers={"Host": "evil.example:80"})
        self.assertEqual(resp.status, 421)

    def test_every_answer_carries_the_security_headers(self):
        for path in ("/api/status", "/", "/search?q=x"):
            resp, _ = self.client.request("GET", path)
            csp = resp.getheader("Content-Security-Policy")
            self.assertIn("script-src 'self'", csp)
            self.assertNotIn("unsafe-inline", csp)
            self.assertEqual(resp.getheader("X-Content-Type-Options"), "nosniff")


class WatchLists(unittest.TestCase):
    """/api/watchlists: a list uploaded through the API is matched by the ingests that follow
    (the server running beside them), its hits read back whole and as the latest run's, the
    documents already there found by the on-demand cross-reference, and the list deleted."""

    LIST = (
        "id,name,aliases,type,note\n"
        "w1,\"SARKOZY, Nicolas\",,Person,former president\n"  # the seed article (ingested before)
        "w2,Whitney Webb,,Person,the author\n"               # the seed article, and webb.txt
        "w3,Boris Johnson,,Person,absent\n"                  # nowhere
        "w4,\"Blair, Tony\",,Person,mailbox\n"               # blair.eml
        "w5,Too,many,fields,Person,here\n"                   # line 6: malformed
    )

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="trove-api-watch-")
        cls.collection = os.path.join(cls.tmp, "collection")
        # Run 1: the seed article, before any list: the cross-reference's, not the watch pass's.
        run("ingest", "--collection", cls.collection, ARTICLE_PATH)
        # Run 2: one message of the sample mailbox that names Tony Blair (samples/SOURCES.md).
        cls.mail_dir = os.path.join(cls.tmp, "mail")
        os.makedirs(cls.mail_dir)
        box = mailbox.mbox(os.path.join(SAMPLES, "mail", "spamassassin-easy-ham-2002.mbox"))
        message = next(m for m in box if "Tony Blair" in m.as_string())
        box.close()
        with open(os.path.join(cls.mail_dir, "blair.eml"), "wb") as f:
            f.write(message.as_bytes())
        # Run 3: a note naming Whitney Webb.
        cls.note_dir = os.path.join(cls.tmp, "notes")
        os.makedirs(cls.note_dir)
        with open(os.path.join(cls.note_dir, "webb.txt"), "w", encoding="utf-8") as f:
            f.write("A short note: Whitney Webb wrote the article about the election.\n")
        cls.server = Server(cls.collection)
        cls.client = Client(cls.server.port)
        cls.client.start_session()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def upload(self, name, body, expect=201, **params):
        path = f"/api/watchlists/{urllib.parse.quote(name, safe='')}"
        if params:
            path = query(path, **params)
        return self.client.json("POST", path, raw=body.encode(), expect=expect,
                                headers={"Content-Type": "text/csv"})

    def lists(self):
        return {l["name"]: l for l in self.client.json("GET", "/api/watchlists")["lists"]}

    def hits(self, name, **params):
        return self.client.json("GET", query(f"/api/watchlists/{name}/hits", **params))

    def test_upload_ingests_hits_new_xref_and_delete(self):
        # Upload: the bad line is reported by number, the others load.
        out = self.upload("suspects", self.LIST, file="suspects.csv")
        self.assertEqual((out["entries"], out["format"], out["problems_total"]), (4, "csv", 1))
        self.assertEqual(out["problems"][0]["line"], 6)
        self.assertEqual(out["report"],
                         ["suspects.csv:6: 6 fields where the header has 5 (line skipped)"])
        listed = self.lists()["suspects"]
        self.assertEqual((listed["entries"], listed["format"], listed["hits"]), (4, "csv", 0))
        self.assertIn("suspects.csv", listed["source"])
        # The documents already there are not the watch pass's.
        self.assertEqual(self.hits("suspects")["total"], 0)

        # Run 2, with the server running: Blair's message is matched as it arrives.
        run("ingest", "--collection", self.collection, self.mail_dir)
        after_mail = self.hits("suspects")
        self.assertEqual(after_mail["total"], 1, after_mail)
        blair = after_mail["hits"][0]
        self.assertEqual((blair["id"], blair["entry"], blair["line"], blair["schema"]),
                         ("w4", "Blair, Tony", 5, "Person"))
        self.assertEqual((blair["type"], blair["kind"], blair["matched"]),
                         ("person", "reordered", "Tony Blair"))
        self.assertAlmostEqual(blair["score"], 0.9)
        self.assertTrue(blair["path"].endswith("blair.eml"), blair)
        self.assertRegex(blair["doc_id"], r"^[0-9a-f]{32}$")
        self.assertTrue(blair["new"])
        # The same hits as the command line's.
        cli = run("watch", "hits", "--collection", self.collection, "--list", "suspects", "--json")
        cli_hits = json.loads(cli.stdout)["hits"]
        self.assertEqual(cli_hits, [{k: h[k] for k in h if k != "title"} for h in after_mail["hits"]])

        # Run 3: Whitney Webb's note. `new` is that run's hits only; Blair's are no longer new.
        run("ingest", "--collection", self.collection, self.note_dir)
        new = self.hits("suspects", new=1)
        self.assertTrue(new["new"])
        self.assertGreaterEqual(new["total"], 1)
        self.assertEqual({h["id"] for h in new["hits"]}, {"w2"})
        self.assertTrue(all(h["new"] and h["run"] == new["latest_run"] for h in new["hits"]))
        self.assertTrue(all(h["path"].endswith("webb.txt") for h in new["hits"]), new)
        everything = self.hits("suspects")
        self.assertEqual({h["id"] for h in everything["hits"]}, {"w2", "w4"})
        self.assertEqual([h["id"] for h in everything["hits"] if not h["new"]], ["w4"])
        scores = [h["score"] for h in everything["hits"]]
        self.assertEqual(scores, sorted(scores, reverse=True))
        listed = self.lists()["suspects"]
        self.assertEqual((listed["hits"], listed["new_hits"]), (everything["total"], new["total"]))
        # Paging.
        page = self.hits("suspects", offset=1, limit=1)
        self.assertEqual((page["total"], len(page["hits"])), (everything["total"], 1))
        self.assertEqual(page["hits"][0], everything["hits"][1])

        # The cross-reference finds the documents that were there before the list, too.
        xref = self.client.json("GET", "/api/watchlists/suspects/xref")
        found = {m["id"]: m for m in xref["matches"]}
        self.assertIn("w1", found)  # only in the seed article, ingested before the list
        self.assertIn("w4", found)
        self.assertNotIn("w3", found)
        self.assertEqual(found["w1"]["hits"][0]["kind"], "reordered")
        self.assertEqual((xref["entries"], xref["entries_total"], xref["next_offset"]), (4, 4, None))
        # A slice of the entries: the first only, and where the next starts.
        first = self.client.json("GET", query("/api/watchlists/suspects/xref", limit=1))
        self.assertEqual((first["entries"], first["next_offset"]), (1, 1))
        self.assertEqual([m["id"] for m in first["matches"]], ["w1"])
        strict = self.client.json("GET", query("/api/watchlists/suspects/xref", min_score="0.95"))
        self.assertTrue(all(m["score"] >= 0.95 for m in strict["matches"]))
        self.assertNotIn("w1", {m["id"] for m in strict["matches"]})  # reordered: 0.90
        for bad in ({"min_score": "2"}, {"min_score": "high"}, {"limit": "10001"}, {"limit": "0"}):
            error = self.client.json("GET", query("/api/watchlists/suspects/xref", **bad), expect=400)
            self.assertIn(next(iter(bad)), error["error"]["message"])

        # Delete: the list and its hits are gone, and both are audited.
        self.client.json("DELETE", "/api/watchlists/suspects")
        self.assertNotIn("suspects", self.lists())
        self.client.json("GET", "/api/watchlists/suspects/hits", expect=404)
        self.client.json("DELETE", "/api/watchlists/suspects", expect=404)
        cli = run("watch", "list", "--collection", self.collection, "--json")
        self.assertEqual(json.loads(cli.stdout), [])
        audit = [(e["action"], e["detail"]) for e in self.client.json("GET", "/api/audit")["entries"]]
        self.assertIn(("watch-add", "suspects: 4 entries from suspects.csv, 1 lines skipped"), audit)
        self.assertIn(("watch-remove", "suspects"), audit)

    def test_follow_the_money_lines_and_lists_that_cannot_load(self):
        ftm = ('{"id":"p1","schema":"Person","properties":{"name":["Emmanuel MACRON"]}}\n'
               '{"id":"p2","schema":"Person","properties":{"name":["Hollande\n'
               '{"id":"s1","schema":"Sanction","properties":{"program":["none"]}}\n')
        out = self.upload("ftm list", ftm, format="ftm")
        self.assertEqual((out["format"], out["entries"], out["skipped"]), ("ftm", 1, 1))
        self.assertEqual([p["line"] for p in out["problems"]], [2])
        self.assertTrue(out["report"][0].startswith("ftm list:2: "), out["report"])
        self.assertIn("ftm list", self.lists())
        # The format from the file's name, as `trove watch add` tells it: JSON lines read as CSV
        # have no name column.
        error = self.upload("by name", ftm, expect=400, file="targets.csv")
        self.assertIn("targets.csv: ", error["error"]["message"])
        # Refused as a whole, and nothing stored.
        before = self.lists()
        error = self.upload("nameless", "id,title\n1,x\n", expect=400)
        self.assertIn("name", error["error"]["message"])
        error = self.upload("empty", "", expect=400)
        self.assertIn("request body is the list", error["error"]["message"])
        error = self.upload("badformat", "name\nX Y\n", expect=400, format="xml")
        self.assertIn("format must be csv or ftm", error["error"]["message"])
        error = self.upload("unreadable", "name\n\"never closed\n", expect=400)
        self.assertIn("no name could be read", error["error"]["message"])
        self.assertEqual(self.lists(), before)
        self.client.json("DELETE", "/api/watchlists/ftm%20list")

    def test_list_names_that_could_be_paths_or_odd_bytes_are_refused(self):
        before = self.lists()
        for bad in ("..", "%2e%2e", "..%2F..%2Fetc%2Fpasswd", "a%5C..%5Cb", "a%00b", "a%0Ab",
                    ".hidden", "%20lead", "%ff%fe", "x" * 101):
            for method, path in (("POST", f"/api/watchlists/{bad}"),
                                 ("DELETE", f"/api/watchlists/{bad}"),
                                 ("GET", f"/api/watchlists/{bad}/hits"),
                                 ("GET", f"/api/watchlists/{bad}/xref")):
                resp, payload = self.client.request(method, path, raw=b"name\nEvil Name\n")
                self.assertTrue(400 <= resp.status < 500, f"{method} {path}: {resp.status}")
                self.assertIn("error", json.loads(payload))
                self.assertNotIn(b"root:", payload)
        self.assertEqual(self.lists(), before)
        # An unknown list is a 404, not an empty answer.
        self.client.json("GET", "/api/watchlists/nosuch/hits", expect=404)
        self.client.json("GET", "/api/watchlists/nosuch/xref", expect=404)

    def test_changes_need_the_csrf_token_even_in_local_mode(self):
        resp, payload = self.client.request("POST", "/api/watchlists/sneaky", raw=b"name\nX Y\n",
                                            csrf=False)
        self.assertEqual(resp.status, 403)
        self.assertIn("X-CSRF-Token", json.loads(payload)["error"]["message"])
        self.assertNotIn("sneaky", self.lists())


class RetryFailures(unittest.TestCase):
    """POST /api/ingest/retry runs `trove ingest --retry-failed` beside the server."""

    def test_retry_runs_an_ingest_of_the_failures_and_reports_it(self):
        tmp = tempfile.mkdtemp(prefix="trove-retry-")
        try:
            collection = os.path.join(tmp, "collection")
            run("ingest", "--collection", collection, os.path.join(SAMPLES, "documents"))
            server = Server(collection)
            try:
                client = Client(server.port)
                client.start_session()
                failures = client.json("GET", "/api/failures")["failures"]
                self.assertTrue(failures, "the samples have a protected document that fails")
                self.assertEqual(client.json("GET", "/api/ingest/retry")["started"], "")
                resp, _ = client.request("POST", "/api/ingest/retry", csrf=False)
                self.assertEqual(resp.status, 403)
                resp, payload = client.request("POST", "/api/ingest/retry", raw=b'{"x": 1}',
                                               headers={"Content-Type": "application/json"})
                self.assertEqual(resp.status, 400, payload)
                started = client.json("POST", "/api/ingest/retry", expect=202)
                self.assertTrue(started["started"])
                # Until it ends (the ingest's own timeout bounds it); no state is assumed between.
                state = started
                for _ in range(3000):
                    state = client.json("GET", "/api/ingest/retry")
                    if not state["running"]:
                        break
                    time.sleep(0.1)
                self.assertFalse(state["running"])
                self.assertEqual(state["exit_code"], 0, state)
                self.assertTrue(state["finished"])
                self.assertTrue(state["last_line"])
                # The run is the ingest's: the store records it, and what fails still fails.
                status = client.json("GET", "/api/status")
                self.assertEqual(status["last_run"]["state"], "completed")
                again = client.json("GET", "/api/failures")["failures"]
                self.assertEqual(sorted(f["path"] for f in again), sorted(f["path"] for f in failures))
                audit = client.json("GET", "/api/audit")["entries"]
                self.assertIn("retry-failed", [e["action"] for e in audit])
            finally:
                server.stop()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class RetryAlreadyRunning(unittest.TestCase):
    """A second POST /api/ingest/retry while one runs is refused (409).

    The retry is held up honestly: the failed document is a Word 97 file, whose text comes from
    antiword found on PATH, and the antiword on this server's PATH waits until the test lets it
    go (then fails, so the document fails again)."""

    WORD = os.path.join(SHARED_DATA, "hostile-docs", "tika", "testWORD.doc")

    @staticmethod
    def wait_for_retry(client):
        state = {}
        for _ in range(600):
            state = client.json("GET", "/api/ingest/retry")
            if not state["running"]:
                break
            time.sleep(0.1)
        return state

    def test_a_second_retry_is_refused_while_the_first_runs(self):
        tmp = tempfile.mkdtemp(prefix="trove-retry-busy-")
        release = os.path.join(tmp, "release")
        started = os.path.join(tmp, "started")
        try:
            dump = os.path.join(tmp, "dump")
            bin_dir = os.path.join(tmp, "bin")
            os.makedirs(dump)
            os.makedirs(bin_dir)
            shutil.copy(self.WORD, dump)
            with open(os.path.join(bin_dir, "antiword"), "w") as f:
                f.write("#!/bin/sh\n"
                        f'touch "{started}"\n'
                        "i=0\n"
                        f'while [ ! -e "{release}" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done\n'
                        'echo "cannot read this document" >&2\n'
                        "exit 1\n")
            with open(os.path.join(bin_dir, "catdoc"), "w") as f:
                f.write('#!/bin/sh\necho "cannot read this document" >&2\nexit 1\n')
            for name in ("antiword", "catdoc"):
                os.chmod(os.path.join(bin_dir, name), 0o755)
            env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
            collection = os.path.join(tmp, "collection")
            open(release, "w").close()  # the first ingest fails the document at once
            proc = subprocess.run([TROVE, "ingest", "--collection", collection, dump], env=env,
                                  capture_output=True, text=True, timeout=300)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            os.remove(release)
            os.remove(started)
            server = Server(collection, env=env)
            try:
                client = Client(server.port)
                client.start_session()
                failures = client.json("GET", "/api/failures")["failures"]
                self.assertEqual([os.path.basename(f["path"]) for f in failures], ["testWORD.doc"])
                client.json("POST", "/api/ingest/retry", expect=202)
                for _ in range(600):  # the retry reaches the document and waits in antiword
                    if os.path.exists(started):
                        break
                    time.sleep(0.1)
                self.assertTrue(os.path.exists(started), "the retry never ran antiword")
                resp, payload = client.request("POST", "/api/ingest/retry")
                self.assertEqual(resp.status, 409, payload)
                self.assertIn("running already", json.loads(payload)["error"]["message"])
                self.assertTrue(client.json("GET", "/api/ingest/retry")["running"])
                # The ingest status tells a running run from an interrupted one.
                run = client.json("GET", "/api/status")["last_run"]
                self.assertEqual(run["state"], "running", run)
                self.assertEqual(run["finished"], "")
                open(release, "w").close()
                state = self.wait_for_retry(client)
                self.assertFalse(state["running"])
                self.assertEqual(state["exit_code"], 0, state)
                run = client.json("GET", "/api/status")["last_run"]
                self.assertEqual(run["state"], "completed", run)
                # The summary carries the progress counters, final now.
                self.assertEqual(run["summary"]["sources_done"], run["summary"]["sources_found"])
                self.assertTrue(run["summary"]["discovery_done"])
                # Once it has ended, another may start.
                client.json("POST", "/api/ingest/retry", expect=202)
                self.assertFalse(self.wait_for_retry(client)["running"])
            finally:
                open(release, "w").close()
                server.stop()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class TeamMode(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="trove-team-")
        cls.collection = os.path.join(cls.tmp, "collection")
        run("ingest", "--collection", cls.collection, ARTICLE_PATH)
        cls.server = Server(cls.collection)
        local = Client(cls.server.port)
        cls.routes = local.json("GET", "/api/routes")["routes"]
        cls.doc_id = local.json("GET", query("/api/search", q="CIA"))["hits"][0]["id"]
        for name, role in (("ada", "admin"), ("rex", "reader"), ("eve", "editor")):
            proc = subprocess.run([TROVE, "user", "add", name, "--role", role, "--collection",
                                   cls.collection], input=f"{name}-secret-pw\n", text=True,
                                  capture_output=True, timeout=60)
            assert proc.returncode == 0, proc.stderr

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def login(self, name, password=None):
        client = Client(self.server.port)
        out = client.json("POST", "/api/login", {"name": name, "password": password or f"{name}-secret-pw"})
        client.csrf = out["csrf"]
        return client

    def concrete(self, pattern):
        values = {"id": self.doc_id, "tag": "x", "note": "1", "search": "1", "name": "nobody",
                  "list": "x"}
        return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], pattern)

    def test_every_route_needs_a_session(self):
        self.assertGreater(len(self.routes), 20)
        anonymous = Client(self.server.port)
        for route in self.routes:
            resp, payload = anonymous.request(route["method"], self.concrete(route["pattern"]), body={})
            if route["public"]:
                continue
            self.assertEqual(resp.status, 401, f"{route['method']} {route['pattern']}: {payload[:200]}")
        resp, payload = anonymous.request("GET", f"/api/documents/{self.doc_id}/original")
        self.assertEqual(resp.status, 401)
        self.assertNotIn(b"CIA", payload)

    def test_a_reader_is_refused_on_every_editing_route(self):
        reader = self.login("rex")
        refused = [r for r in self.routes if r["role"] in ("editor", "admin") and not r["public"]]
        self.assertTrue(refused)
        for route in refused:
            resp, payload = reader.request(route["method"], self.concrete(route["pattern"]), body={})
            self.assertEqual(resp.status, 403, f"{route['method']} {route['pattern']}: {payload[:200]}")
        # and can read
        self.assertGreaterEqual(reader.json("GET", query("/api/search", q="CIA"))["total"], 1)

    def test_an_editor_tags_but_cannot_manage_users(self):
        editor = self.login("eve")
        editor.json("POST", f"/api/documents/{self.doc_id}/tags", {"tag": "team"}, expect=201)
        resp, _ = editor.request("POST", "/api/users", {"name": "mal", "role": "admin", "password": "12345678"})
        self.assertEqual(resp.status, 403)
        resp, _ = editor.request("GET", "/api/audit")
        self.assertEqual(resp.status, 403)

    def test_csrf_token_is_required_with_a_session(self):
        editor = self.login("eve")
        resp, _ = editor.request("POST", f"/api/documents/{self.doc_id}/tags", {"tag": "nope"},
                                 csrf=False)
        self.assertEqual(resp.status, 403)
        resp, _ = editor.request("POST", f"/api/documents/{self.doc_id}/tags", {"tag": "nope"},
                                 headers={"X-CSRF-Token": "0" * 32}, csrf=False)
        self.assertEqual(resp.status, 403)

    def test_every_state_changing_route_needs_the_csrf_token(self):
        subprocess.run([TROVE, "user", "add", "csa", "--role", "admin", "--collection", self.collection],
                       input="csa-secret-pw\n", text=True, capture_output=True, check=True, timeout=60)
        admin = self.login("csa")
        changing = [r for r in self.routes if r["method"] in ("POST", "PUT", "DELETE")
                    and r["pattern"] != "/api/login"]
        self.assertGreaterEqual(len(changing), 10)
        for route in changing:
            resp, payload = admin.request(route["method"], self.concrete(route["pattern"]), body={},
                                          csrf=False)
            self.assertEqual(resp.status, 403, f"{route['method']} {route['pattern']}: {payload[:200]}")
            self.assertIn("X-CSRF-Token", json.loads(payload)["error"]["message"])
        # Nothing happened: the session (POST /api/logout) still holds.
        self.assertEqual(admin.json("GET", "/api/session")["user"], "csa")

    def test_passwords_are_argon2id_and_session_tokens_are_stored_hashed(self):
        import sqlite3
        client = self.login("rex")
        token = client.cookie.split("=", 1)[1]
        db = sqlite3.connect(os.path.join(self.collection, "trove.sqlite"))
        try:
            hashes = [h for (h,) in db.execute("SELECT password_hash FROM users")]
            stored = [t for (t,) in db.execute("SELECT token_hash FROM sessions")]
        finally:
            db.close()
        self.assertTrue(hashes and all(h.startswith("$argon2id$") for h in hashes), hashes)
        self.assertNotIn(token, stored)

    def test_logout_ends_the_session(self):
        client = self.login("rex")
        client.json("GET", "/api/status")
        client.json("POST", "/api/logout")
        resp, _ = client.request("GET", "/api/status")
        self.assertEqual(resp.status, 401)

    def test_session_cookie_is_httponly_and_strict(self):
        client = Client(self.server.port)
        resp, _ = client.request("POST", "/api/login", {"name": "rex", "password": "rex-secret-pw"})
        cookie = resp.getheader("Set-Cookie")
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)

    def test_password_guessing_is_rate_limited(self):
        client = Client(self.server.port)
        statuses = [client.request("POST", "/api/login", {"name": "ada", "password": f"guess{i}"})[0].status
                    for i in range(7)]
        self.assertEqual(statuses[:5], [401] * 5)
        self.assertEqual(statuses[-1], 429)
        # the right password is refused too while the account is blocked
        resp, _ = client.request("POST", "/api/login", {"name": "ada", "password": "ada-secret-pw"})
        self.assertEqual(resp.status, 429)

    def test_a_reader_reads_watch_lists_but_only_an_editor_changes_them(self):
        body = b"name\nNicolas Sarkozy\n"
        reader = self.login("rex")
        resp, payload = reader.request("POST", "/api/watchlists/team-list", raw=body)
        self.assertEqual(resp.status, 403, payload)
        self.assertIn("needs the editor role", json.loads(payload)["error"]["message"])
        self.assertEqual(reader.json("GET", "/api/watchlists")["lists"], [])
        editor = self.login("eve")
        resp, payload = editor.request("POST", "/api/watchlists/team-list", raw=body, csrf=False)
        self.assertEqual(resp.status, 403)  # no CSRF token
        resp, payload = editor.request("POST", "/api/watchlists/team-list", raw=body,
                                       headers={"X-CSRF-Token": "0" * 32}, csrf=False)
        self.assertEqual(resp.status, 403)  # a wrong one
        self.assertEqual(reader.json("GET", "/api/watchlists")["lists"], [])
        out = editor.json("POST", "/api/watchlists/team-list", raw=body, expect=201)
        self.assertEqual(out["entries"], 1)
        lists = reader.json("GET", "/api/watchlists")["lists"]
        self.assertEqual([(l["name"], l["source"]) for l in lists],
                         [("team-list", "request body (uploaded by eve)")])
        self.assertEqual(reader.json("GET", "/api/watchlists/team-list/hits")["hits"], [])
        resp, _ = reader.request("DELETE", "/api/watchlists/team-list")
        self.assertEqual(resp.status, 403)
        self.assertEqual(len(reader.json("GET", "/api/watchlists")["lists"]), 1)
        editor.json("DELETE", "/api/watchlists/team-list")
        self.assertEqual(reader.json("GET", "/api/watchlists")["lists"], [])
        subprocess.run([TROVE, "user", "add", "wla", "--role", "admin", "--collection", self.collection],
                       input="wla-secret-pw\n", text=True, capture_output=True, check=True, timeout=60)
        entries = self.login("wla").json("GET", "/api/audit")["entries"]
        actions = [(e["user"], e["action"]) for e in entries]
        self.assertIn(("eve", "watch-add"), actions)
        self.assertIn(("eve", "watch-remove"), actions)

    def test_audit_log_records_searches_and_views_for_admins(self):
        reader = self.login("rex")
        reader.json("GET", query("/api/search", q="audited words"))
        reader.json("GET", f"/api/documents/{self.doc_id}")
        # a fresh admin: "ada" may be locked out by the rate-limit test
        subprocess.run([TROVE, "user", "add", "aud", "--role", "admin", "--collection", self.collection],
                       input="aud-secret-pw\n", text=True, capture_output=True, check=True, timeout=60)
        admin = self.login("aud")
        entries = admin.json("GET", "/api/audit")["entries"]
        self.assertIn(("rex", "search", "audited words"),
                      [(e["user"], e["action"], e["detail"]) for e in entries])
        self.assertIn(("rex", "view", self.doc_id), [(e["user"], e["action"], e["detail"]) for e in entries])
        cli = run("audit", "--collection", self.collection)
        self.assertIn("audited words", cli.stdout)


if __name__ == "__main__":
    unittest.main()
