"""The JSON API of a real `trove serve` on 127.0.0.1, local mode and team mode."""
import http.client
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse

from trove_e2e import SOURCE_DIR, TROVE, run

SAMPLES = os.path.join(SOURCE_DIR, "samples")
ARTICLE = "wikileaks-cia-french-election-2012.txt"
ARTICLE_PATH = os.path.join(SAMPLES, "seed-article", ARTICLE)


class Server:
    """`trove serve --port 0` on a collection; stopped with stop()."""

    def __init__(self, collection):
        self.proc = subprocess.Popen(
            [TROVE, "serve", "--collection", collection, "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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

    def test_document_has_text_highlights_and_entity_spans(self):
        doc = self.client.json("GET", query(f"/api/documents/{self.article_id()}", q="Sarkozy"))
        text = doc["text"].encode()
        self.assertTrue(doc["highlights"])
        for offset, length in doc["highlights"]:
            self.assertEqual(text[offset:offset + length].decode().lower(), "sarkozy")
        people = [e for e in doc["entities"] if e["value"] == "Nicolas Sarkozy"]
        self.assertTrue(people)
        self.assertIn(b"Sarkozy", text[people[0]["begin"]:people[0]["end"]])

    def test_original_is_the_file_as_an_attachment(self):
        resp, payload = self.client.request("GET", f"/api/documents/{self.article_id()}/original")
        self.assertEqual(resp.status, 200)
        with open(ARTICLE_PATH, "rb") as f:
            self.assertEqual(payload, f.read())
        self.assertTrue(resp.getheader("Content-Disposition").startswith("attachment;"))
        self.assertEqual(resp.getheader("X-Content-Type-Options"), "nosniff")
        self.assertEqual(resp.getheader("Content-Type"), "application/octet-stream")

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
        self.assertIn(doc_id, self.client.json("GET", "/api/starred")["documents"])
        self.assertTrue(self.client.json("GET", f"/api/documents/{doc_id}")["starred"])
        self.client.json("DELETE", f"/api/documents/{doc_id}/star")
        self.assertNotIn(doc_id, self.client.json("GET", "/api/starred")["documents"])

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

    def test_entities_and_co_mentions(self):
        people = self.client.json("GET", query("/api/entities", type="person", limit=1000))
        self.assertIn("Nicolas Sarkozy", [e["value"] for e in people["entities"]])
        together = self.client.json("GET", query("/api/entities", **{"with": "Nicolas Sarkozy"}))
        self.assertIn("CIA", [e["value"] for e in together["entities"]])

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
        values = {"id": self.doc_id, "tag": "x", "note": "1", "search": "1", "name": "nobody"}
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
