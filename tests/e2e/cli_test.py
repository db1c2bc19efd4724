"""The trove command line on the sample dump, as a user runs it."""
import os
import shutil
import tempfile
import unittest

from trove_e2e import SOURCE_DIR, count_files, run, run_json

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
        self.assertIn("<mark>CIA</mark>", top["snippet"])

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
        self.assertEqual(out["facets"]["type"]["email"], out["total"])
        self.assertGreater(sum(out["facets"]["year"].values()), 0)

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
        self.assertTrue(any("unsupported type image/bmp" in f["reason"] for f in failures))

    def test_unsupported_files_stay_findable_by_name(self):
        self.assertGreaterEqual(self.search("name:testBMP")["total"], 1)

    def test_a_second_run_reads_nothing(self):
        proc = run("ingest", "--collection", self.collection, SAMPLES)
        self.assertIn(f"unchanged {count_files(SAMPLES)}", proc.stdout)


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
