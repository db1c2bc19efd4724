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
