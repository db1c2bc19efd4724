"""The trove command line on the sample dump, as a user runs it."""
import glob
import json
import mailbox
import os
import shutil
import subprocess
import tempfile
import unittest

from trove_e2e import SHARED_DATA, SOURCE_DIR, count_files, run, run_json

SAMPLES = os.path.join(SOURCE_DIR, "samples")


class SampleDump(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="trove-e2e-")
        cls.collection = os.path.join(cls.tmp, "collection")
        cls.ingest = run("ingest", "--collection", cls.collection, SAMPLES)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def search(self, query, *args):
        return run_json("search", "--collection", self.collection, *args, query)

    def test_ingest_prints_a_summary(self):
        self.assertIn("indexed", self.ingest.stdout)
        self.assertIn("skipped", self.ingest.stdout)

    def test_status_counts_every_source_file_in_exactly_one_state(self):
        status = run_json("status", "--collection", self.collection)
        self.assertEqual(status["source_files"], count_files(SAMPLES))
        states = status["by_state"]
        self.assertEqual(states["indexed"] + states["failed"] + states["skipped"], status["source_files"])
        self.assertGreater(status["documents"], status["source_files"])  # members and attachments
        self.assertIn("email", status["by_type"])
        self.assertIn("fr", status["by_lang"])

    def test_search_finds_and_marks_words(self):
        out = self.search("CIA election")
        self.assertGreaterEqual(out["total"], 1)
        top = out["hits"][0]
        self.assertTrue(top["path"].endswith("wikileaks-cia-french-election-2012.txt"))
        # the same JSON as the API: plain text and the byte spans of the matches
        text = top["snippet"]["text"].encode()
        self.assertIn(b"CIA", [text[o:o + n] for o, n in top["snippet"]["marks"]])

    def test_entities_of_the_article_are_listed_and_searchable(self):
        people = run_json("entities", "--collection", self.collection, "--type", "person", "--limit", "1000")
        self.assertIn("Nicolas Sarkozy", [e["value"] for e in people["entities"]])
        out = self.search('person:"Nicolas Sarkozy"')
        paths = [h["path"] for h in out["hits"]]
        self.assertTrue(any(p.endswith("wikileaks-cia-french-election-2012.txt") for p in paths), paths)
        self.assertEqual(self.search("person:sarkozy type:email")["total"], 0)
        together = run_json("entities", "--collection", self.collection, "--with", "Nicolas Sarkozy")
        self.assertIn("CIA", [e["value"] for e in together["entities"] if e["type"] == "org"])
        doc = run_json("show", "--collection", self.collection, out["hits"][0]["id"])
        spans = [(e["begin"], e["end"]) for e in doc["entities"] if e["value"] == "Nicolas Sarkozy"]
        self.assertTrue(spans)
        begin, end = spans[0]
        text = doc["text"].encode("utf-8")
        self.assertIn(b"Sarkozy", text[begin:end])

    def test_an_unknown_entity_type_is_a_usage_error(self):
        proc = run("entities", "--collection", self.collection, "--type", "colour", check=False)
        self.assertEqual(proc.returncode, 2)

    def test_accents_and_inflections_fold_in_a_french_document(self):
        out = self.search("election type:text lang:fr")
        paths = [h["path"] for h in out["hits"]]
        self.assertTrue(any(p.endswith("journal-fr-europeana.txt") for p in paths), paths)

    def test_exact_mode_keeps_accents(self):
        folded = self.search("Elections lang:fr")
        exact = self.search("Elections lang:fr", "--exact")
        self.assertGreaterEqual(folded["total"], 1)
        self.assertEqual(exact["total"], 0)
        self.assertGreaterEqual(self.search("élections lang:fr", "--exact")["total"], 1)

    def test_phrase_and_near(self):
        self.assertGreaterEqual(self.search('"Marine Le Pen"')["total"], 1)
        self.assertEqual(self.search('"Pen Le Marine"')["total"], 0)
        self.assertGreaterEqual(self.search("Hollande NEAR/3 Sarkozy")["total"], 1)

    def test_facets_count_the_hits(self):
        out = self.search("type:email", "--facets")
        types = {v["value"]: v["count"] for v in out["facets"]["type"]}
        self.assertEqual(types["email"], out["total"])
        self.assertGreater(sum(v["count"] for v in out["facets"]["year"]), 0)

    def test_date_range_filters_by_the_document_date(self):
        out = self.search("date:2002-08-01..2002-08-31", "--limit", "100")
        self.assertGreater(out["total"], 0)
        for hit in out["hits"]:
            self.assertTrue(hit["date"].startswith("2002-08"), hit)

    def test_date_sort_is_newest_first(self):
        out = self.search("type:email", "--sort", "date", "--limit", "50")
        dates = [h["date"] for h in out["hits"] if h["date"]]
        self.assertEqual(dates, sorted(dates, reverse=True))

    def test_paging_goes_past_the_first_page_without_overlap(self):
        first = self.search("type:email", "--limit", "5")
        second = self.search("type:email", "--limit", "5", "--offset", "5")
        self.assertEqual(len(second["hits"]), 5)
        self.assertFalse({h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]})

    def test_a_malformed_query_says_what_and_where(self):
        proc = run("search", "--collection", self.collection, "(CIA OR", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("column", proc.stderr)
        proc = run("search", "--collection", self.collection, "form:someone", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("unknown field", proc.stderr)

    def test_show_lists_attachments_as_children(self):
        out = self.search('path:testEmailWithPNGAtt')
        email = [h for h in out["hits"] if h["path"].endswith("testEmailWithPNGAtt.eml")]
        self.assertEqual(len(email), 1)
        doc = run_json("show", "--collection", self.collection, email[0]["id"])
        self.assertEqual(doc["type"], "email")
        self.assertTrue(doc["from"])
        names = [c["name"] for c in doc["children"]]
        self.assertIn("testPNG.png", names)

    def test_failures_name_the_file_and_the_reason(self):
        failures = run_json("failures", "--collection", self.collection)
        by_path = {f["path"]: f for f in failures}
        encrypted = [p for p in by_path if p.endswith("testWORD_protected_passtika.docx")]
        self.assertEqual(len(encrypted), 1)
        self.assertIn("encrypted", by_path[encrypted[0]]["reason"])
        # Images are documents now (OCR reads them), no longer an unsupported type.
        self.assertFalse(any("unsupported type image/" in f["reason"] for f in failures))

    def test_unsupported_files_stay_findable_by_name(self):
        self.assertGreaterEqual(self.search("name:testBMP")["total"], 1)

    def test_a_second_run_reads_nothing(self):
        proc = run("ingest", "--collection", self.collection, SAMPLES)
        self.assertIn(f"unchanged {count_files(SAMPLES)}", proc.stdout)


class Compaction(unittest.TestCase):
    """trove compact shrinks the index and loses nothing; the collection goes on as before."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="trove-e2e-compact-")
        self.collection = os.path.join(self.tmp, "collection")
        self.first_ingest = run("ingest", "--collection", self.collection, SAMPLES)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_ingest_compacts_when_told_and_leaves_a_small_run_as_written(self):
        # --compact auto (the default) compacts only after 50,000 documents or more.
        self.assertNotIn("compacted", self.first_ingest.stdout)
        other = os.path.join(self.tmp, "other")
        proc = run("ingest", "--collection", other, "--compact", "always", SAMPLES)
        self.assertRegex(proc.stdout, r"compacted \d+ shards?: [\d.]+ MiB -> [\d.]+ MiB")
        as_written = run_json("search", "--collection", self.collection, "--limit", "100", "election")
        compacted = run_json("search", "--collection", other, "--limit", "100", "election")
        self.assertGreater(compacted["total"], 0)
        self.assertEqual(sorted(h["id"] for h in compacted["hits"]), sorted(h["id"] for h in as_written["hits"]))
        shards = sorted(glob.glob(os.path.join(other, "index", "shard-*")))
        self.assertTrue(shards)
        for shard in shards:
            check = subprocess.run(["xapian-check", shard], capture_output=True, text=True)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        proc = run("ingest", "--collection", other, "--compact", "never", SAMPLES)
        self.assertNotIn("compacted", proc.stdout)
        proc = run("ingest", "--collection", other, "--compact", "sometimes", SAMPLES, check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("--compact", proc.stderr)

    def test_compact_keeps_every_document_and_a_later_ingest_works(self):
        before = run_json("search", "--collection", self.collection, "--limit", "100", "election")
        status = run_json("status", "--collection", self.collection)
        proc = run("compact", "--collection", self.collection)
        self.assertRegex(proc.stdout, r"compacted \d+ shards?: [\d.]+ MiB -> [\d.]+ MiB")
        after = run_json("search", "--collection", self.collection, "--limit", "100", "election")
        self.assertEqual(after["total"], before["total"])
        self.assertEqual(sorted(h["id"] for h in after["hits"]), sorted(h["id"] for h in before["hits"]))
        self.assertEqual(run_json("status", "--collection", self.collection)["documents"], status["documents"])
        extra = os.path.join(self.tmp, "extra")
        os.makedirs(extra)
        with open(os.path.join(extra, "memo.txt"), "w", encoding="utf-8") as f:
            f.write("A memo about the compaction of quarterly ledgers.\n")
        run("ingest", "--collection", self.collection, SAMPLES, extra)
        self.assertEqual(run_json("search", "--collection", self.collection, "ledgers")["total"], 1)
        self.assertEqual(run_json("status", "--collection", self.collection)["documents"], status["documents"] + 1)

    def test_compact_without_an_index_fails_with_a_reason(self):
        proc = run("compact", "--collection", os.path.join(self.tmp, "nothing"), check=False)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("no index", proc.stderr)


class EntityCuration(unittest.TestCase):
    """trove entity merge|rename|delete changes listings and searches at once, and survives a re-ingest."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="trove-e2e-curation-")
        self.collection = os.path.join(self.tmp, "collection")
        self.article = os.path.join(self.tmp, "dump")
        shutil.copytree(os.path.join(SAMPLES, "seed-article"), self.article)
        run("ingest", "--collection", self.collection, self.article)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def people(self):
        out = run_json("entities", "--collection", self.collection, "--type", "person", "--limit", "1000")
        return [e["value"] for e in out["entities"]]

    def test_rename_merge_and_delete_take_effect_and_survive_a_reingest(self):
        self.assertIn("Nicolas Sarkozy", self.people())
        run("entity", "--collection", self.collection, "rename", "Nicolas Sarkozy", "N. Sarkozy")
        run("entity", "--collection", self.collection, "delete", "--type", "person", "Whitney Webb")
        self.assertIn("N. Sarkozy", self.people())
        self.assertNotIn("Nicolas Sarkozy", self.people())
        self.assertNotIn("Whitney Webb", self.people())
        found = run_json("search", "--collection", self.collection, 'person:"N. Sarkozy"')
        self.assertEqual(found["total"], 1)
        # The article changes and is indexed again: the corrections still hold.
        for name in os.listdir(self.article):
            with open(os.path.join(self.article, name), "a", encoding="utf-8") as f:
                f.write("\nUpdated: Nicolas Sarkozy and Whitney Webb replied.\n")
        run("ingest", "--collection", self.collection, self.article)
        self.assertEqual(run_json("status", "--collection", self.collection)["documents"], 1)
        self.assertIn("N. Sarkozy", self.people())
        self.assertNotIn("Whitney Webb", self.people())

    def test_unknown_and_ambiguous_names_are_refused(self):
        proc = run("entity", "--collection", self.collection, "delete", "Nobody At All", check=False)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("no entity 'Nobody At All'", proc.stderr)


class HardDocuments(unittest.TestCase):
    """Outlook stores and messages, legacy Office, EPUB and S/MIME from the shared corpus."""

    FILES = ["ingest-file/testPST.pst", "tika/testMSG_att_msg.msg", "tika/testWORD.doc",
             "ingest-file/rom.xls", "ingest-file/password_protected.xls", "tika/testEPUB.epub",
             "tika/test.xml.p7m"]

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="trove-e2e-hard-")
        cls.dump = os.path.join(cls.tmp, "dump")
        os.makedirs(cls.dump)
        for relative in cls.FILES:
            shutil.copy(os.path.join(SHARED_DATA, "hostile-docs", relative), cls.dump)
        cls.collection = os.path.join(cls.tmp, "collection")
        run("ingest", "--collection", cls.collection, cls.dump)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def search(self, query):
        return run_json("search", "--collection", self.collection, "--limit", "1000", query)

    def test_pst_messages_are_documents_under_their_folders(self):
        hits = self.search("path:testPST")["hits"]
        messages = [h for h in hits if "testPST.pst!/" in h["path"] and h["path"].count("!/") == 1]
        self.assertEqual(len(messages), 6)
        for hit in messages:
            self.assertIn("testPST.pst!/Début du fichier de données Outlook/<", hit["path"])
        doc = run_json("show", "--collection", self.collection, messages[0]["id"])
        self.assertEqual(doc["type"], "email")
        self.assertTrue(doc["from"])

    def test_msg_subject_and_attachments(self):
        out = self.search('title:"test email"')
        msg = [h for h in out["hits"] if h["path"].endswith("testMSG_att_msg.msg")]
        self.assertEqual(len(msg), 1)
        doc = run_json("show", "--collection", self.collection, msg[0]["id"])
        self.assertEqual(doc["type"], "email")
        names = [c["name"] for c in doc["children"]]
        self.assertIn("smbprn.00009008.KdcPjl.pdf", names)

    def test_legacy_office_epub_and_signed_content_are_searchable(self):
        self.assertGreaterEqual(self.search('"sample Microsoft Word Document"')["total"], 1)
        self.assertGreaterEqual(self.search("Penetenciarul")["total"], 1)
        self.assertGreaterEqual(self.search('"text for chapter Two"')["total"], 1)
        self.assertGreaterEqual(self.search("RequestIndex")["total"], 1)

    def test_password_protected_workbook_fails_with_a_reason(self):
        failures = run_json("failures", "--collection", self.collection)
        reasons = {os.path.basename(f["path"]): f["reason"] for f in failures}
        self.assertIn("password_protected.xls", reasons)
        self.assertIn("password-protected", reasons["password_protected.xls"])


class WatchLists(unittest.TestCase):
    """trove watch add|list|remove and trove xref on the seed article: variants found, absent and
    deleted names not, malformed lines reported by number while the others load."""

    LIST = (
        "id,name,aliases,type,note\n"
        "w1,\"SARKOZY, Nicolas\",,Person,former president\n"  # line 2: reordered, case
        "w2,Nicolas Sarkozi,,Person,misspelt\n"              # line 3: fuzzy
        "w3,Boris Johnson,,Person,absent\n"                  # line 4: not in the article
        "w4,Whitney Webb,,Person,the author\n"              # line 5: exact
        "w5,Too,many,fields,Person,here\n"                   # line 6: malformed
        "w6,François HOLLANDE,,,\n"                          # line 7: accents and case
    )

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="trove-e2e-watch-")
        self.collection = os.path.join(self.tmp, "collection")
        run("ingest", "--collection", self.collection, os.path.join(SAMPLES, "seed-article"))
        self.list = os.path.join(self.tmp, "suspects.csv")
        with open(self.list, "w", encoding="utf-8") as f:
            f.write(self.LIST)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def xref(self, *args):
        out = run_json("xref", "--collection", self.collection, "suspects", *args)
        return {m["id"]: m for m in out["matches"]}

    def test_a_list_is_stored_matched_and_removed(self):
        added = run("watch", "add", "--collection", self.collection, "suspects", self.list)
        self.assertIn("suspects.csv:6:", added.stderr)
        self.assertIn("6 fields where the header has 5", added.stderr)
        self.assertIn("5 entries", added.stdout)
        listed = run_json("watch", "list", "--collection", self.collection)
        self.assertEqual([(l["name"], l["entries"]) for l in listed], [("suspects", 5)])

        matches = self.xref()
        self.assertEqual(sorted(matches), ["w1", "w2", "w4", "w6"])  # not Boris Johnson
        kinds = {i: (m["hits"][0]["type"], m["hits"][0]["kind"], m["hits"][0]["matched"])
                 for i, m in matches.items()}
        self.assertEqual(kinds["w4"], ("person", "exact", "Whitney Webb"))
        self.assertEqual(kinds["w6"][1], "exact")
        self.assertEqual(kinds["w1"], ("person", "reordered", "Nicolas Sarkozy"))
        self.assertEqual(kinds["w2"], ("person", "fuzzy", "Nicolas Sarkozy"))
        self.assertEqual(matches["w4"]["score"], 1.0)
        self.assertLess(matches["w2"]["score"], matches["w1"]["score"])
        self.assertLess(matches["w1"]["score"], 1.0)
        self.assertEqual(matches["w1"]["fields"], {"note": "former president"})
        self.assertEqual(matches["w4"]["documents"], 1)
        self.assertEqual(len(matches["w4"]["hits"][0]["ids"]), 1)
        # Sorted by score.
        scores = [m["score"] for m in run_json("xref", "--collection", self.collection, "suspects")["matches"]]
        self.assertEqual(scores, sorted(scores, reverse=True))
        self.assertNotIn("w2", self.xref("--min-score", "0.9"))

        csv_out = run("xref", "--collection", self.collection, "suspects", "--csv").stdout.splitlines()
        self.assertEqual(csv_out[0], "line,id,name,schema,score,kind,type,matched,documents,ids")
        self.assertEqual(len(csv_out), 1 + sum(len(m["hits"]) for m in matches.values()))

        run("watch", "remove", "--collection", self.collection, "suspects")
        proc = run("xref", "--collection", self.collection, "suspects", check=False)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("no watch list 'suspects'", proc.stderr)

    WATCHED = (
        "id,name,type\n"
        "w1,\"SARKOZY, Nicolas\",Person\n"   # the seed article
        "w2,Whitney Webb,Person\n"             # the seed article
        "w3,Boris Johnson,Person\n"            # nowhere
        "w4,\"Blair, Tony\",Person\n"         # one message of the sample mailbox
    )

    def test_documents_ingested_later_are_matched_as_they_arrive(self):
        """trove watch add, then ingests: each ingest matches the stored lists against the
        documents it indexed; trove watch hits lists what was found, the latest run's as new."""
        collection = os.path.join(self.tmp, "watched")  # not the one setUp filled: none yet
        watched = os.path.join(self.tmp, "watched.csv")
        with open(watched, "w", encoding="utf-8") as f:
            f.write(self.WATCHED)
        # The second folder: the first message of the sample mailbox that names Tony Blair
        # (Apache SpamAssassin corpus; samples/SOURCES.md), as a file of its own.
        mail_dir = os.path.join(self.tmp, "mail")
        os.makedirs(mail_dir)
        box = mailbox.mbox(os.path.join(SAMPLES, "mail", "spamassassin-easy-ham-2002.mbox"))
        message = next(m for m in box if "Tony Blair" in m.as_string())
        with open(os.path.join(mail_dir, "blair.eml"), "wb") as f:
            f.write(message.as_bytes())

        def hits(*args):
            return run_json("watch", "hits", "--collection", collection, *args)

        run("watch", "add", "--collection", collection, "watched", watched)
        first = run("ingest", "--collection", collection, os.path.join(SAMPLES, "seed-article"))
        self.assertIn("new hits of 1 watch list", first.stdout)
        out = hits()
        by_id = {h["id"]: h for h in out["hits"]}
        self.assertEqual(sorted(by_id), ["w1", "w2"])  # never Boris Johnson, no Blair yet
        self.assertEqual((by_id["w1"]["kind"], by_id["w1"]["matched"]), ("reordered", "Nicolas Sarkozy"))
        self.assertEqual((by_id["w2"]["kind"], by_id["w2"]["score"]), ("exact", 1.0))
        article = by_id["w2"]["doc_id"]
        self.assertTrue(by_id["w2"]["path"].endswith("wikileaks-cia-french-election-2012.txt"))
        self.assertTrue(all(h["new"] and h["run"] == out["latest_run"] for h in out["hits"]))

        second = run("ingest", "--collection", collection, mail_dir)
        self.assertIn("  watch    1 new hit of 1 watch list in 1 documents", second.stdout)
        status = run("status", "--collection", collection).stdout
        self.assertIn("watch lists  1 new hit in the last run", status)
        new = hits("--new")["hits"]
        self.assertEqual(len(new), 1, new)
        self.assertEqual((new[0]["id"], new[0]["kind"], new[0]["matched"]), ("w4", "reordered", "Tony Blair"))
        self.assertTrue(new[0]["path"].endswith("blair.eml"))
        self.assertNotEqual(new[0]["doc_id"], article)
        # Every hit is kept; those of the first run are no longer new.
        everything = hits("--list", "watched")["hits"]
        self.assertEqual(sorted(h["id"] for h in everything), ["w1", "w2", "w4"])
        self.assertEqual([h["id"] for h in everything if h["new"]], ["w4"])
        status = run_json("status", "--collection", collection)
        self.assertEqual(status["last_run"]["summary"]["watch"]["new_hits"], 1)
        self.assertEqual(status["last_run"]["summary"]["watch"]["error"], "")
        csv_out = run("watch", "hits", "--collection", collection, "--new", "--csv").stdout.splitlines()
        self.assertEqual(csv_out[0], "list,line,id,entry,score,kind,type,matched,doc_id,path,run,found,new")
        self.assertEqual(len(csv_out), 2)

        # Nothing changed: nothing new.
        third = run("ingest", "--collection", collection, mail_dir)
        self.assertIn("  watch    0 new hits", third.stdout)
        self.assertEqual(hits("--new")["hits"], [])
        proc = run("watch", "hits", "--collection", collection, "--list", "nosuch", check=False)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("no watch list 'nosuch'", proc.stderr)

    def test_a_deleted_entity_is_not_matched(self):
        run("watch", "add", "--collection", self.collection, "suspects", self.list)
        self.assertIn("w4", self.xref())
        run("entity", "--collection", self.collection, "delete", "--type", "person", "Whitney Webb")
        self.assertNotIn("w4", self.xref())

    def test_follow_the_money_lines_are_read_from_a_file_with_their_problems(self):
        path = os.path.join(self.tmp, "targets.ftm.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write('{"id":"p1","schema":"Person","properties":{"name":["Emmanuel MACRON"],"alias":["E. Macron"]}}\n')
            f.write('{"id":"p2","schema":"Person","properties":{"name":["Hollande\n')
            f.write('{"id":"s1","schema":"Sanction","properties":{"program":["none"]}}\n')
        proc = run("xref", "--collection", self.collection, path, "--json")
        self.assertIn("targets.ftm.json:2:", proc.stderr)
        out = json.loads(proc.stdout)
        self.assertEqual([m["id"] for m in out["matches"]], ["p1"])
        self.assertEqual(out["matches"][0]["hits"][0]["kind"], "exact")


class Errors(unittest.TestCase):
    def test_searching_a_missing_collection_fails_clearly(self):
        with tempfile.TemporaryDirectory() as tmp:
            proc = run("search", "--collection", os.path.join(tmp, "none"), "x", check=False)
            self.assertEqual(proc.returncode, 1)
            self.assertIn("no index", proc.stderr)

    def test_ingesting_a_missing_folder_fails_clearly(self):
        with tempfile.TemporaryDirectory() as tmp:
            proc = run("ingest", "--collection", os.path.join(tmp, "c"), os.path.join(tmp, "nowhere"), check=False)
            self.assertNotEqual(proc.returncode, 0)
            self.assertIn("nowhere", proc.stderr)


if __name__ == "__main__":
    unittest.main()
