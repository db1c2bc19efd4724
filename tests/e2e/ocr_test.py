"""OCR through the trove command line: images and scanned PDFs become searchable, born-digital
PDFs cost no OCR call, `--ocr off` reads nothing, `show` and `status` say what OCR did, and a
killed ingest leaves its documents searchable and its OCR queue for the next run."""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from trove_e2e import SHARED_DATA, SOURCE_DIR, TROVE, run, run_json

FIXTURES = os.path.join(SOURCE_DIR, "tests", "data", "extract", "ocr")
HOSTILE = os.path.join(SHARED_DATA, "hostile-docs")
IMAGES = ["ingest-file/multipage_tiff_example.tif", "ingest-file/regression_gif.gif",
          "ingest-file/regression_tiff.tiff", "ingest-file/regression_webp.webp", "tika/testBMP.bmp"]


def copy(src, folder, name=None):
    os.makedirs(folder, exist_ok=True)
    dst = os.path.join(folder, name or os.path.basename(src))
    shutil.copyfile(src, dst)
    return dst


class Ocr(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="trove-e2e-ocr-")
        self.collection = os.path.join(self.tmp, "collection")
        self.dump = os.path.join(self.tmp, "dump")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def ingest(self, *args):
        return run("ingest", "--collection", self.collection, *args, self.dump)

    def search(self, query):
        return run_json("search", "--collection", self.collection, "--limit", "100", query)

    def test_a_word_in_an_image_and_a_scan_is_found_and_shown_as_ocr_text(self):
        copy(os.path.join(FIXTURES, "quick-brown-fox.png"), self.dump, "fox.png")
        copy(os.path.join(FIXTURES, "scanned.pdf"), self.dump)
        out = self.ingest()
        self.assertIn("ocr      2 pages read", out.stdout)
        hits = self.search('"quick brown fox"')["hits"]
        self.assertEqual(sorted(os.path.basename(h["path"]) for h in hits), ["fox.png", "scanned.pdf"])
        image = [h for h in hits if h["path"].endswith("fox.png")][0]
        doc = run_json("show", "--collection", self.collection, image["id"])
        self.assertEqual(doc["type"], "image")
        self.assertEqual(doc["ocr"]["state"], "done")
        self.assertEqual(doc["ocr"]["pages"], [0])
        self.assertEqual(doc["ocr"]["languages"], "eng+fra")
        self.assertGreater(doc["ocr"]["mean_confidence"], 50)
        shown = run("show", "--collection", self.collection, image["id"]).stdout
        self.assertIn("read by OCR (eng+fra), mean confidence", shown)
        status = run_json("status", "--collection", self.collection)
        self.assertEqual(status["ocr_queue"]["documents"], 0)
        self.assertEqual(status["ocr_queue"]["cached_pages"], 2)
        self.assertEqual(status["last_run"]["summary"]["ocr_pages"], 2)
        self.assertIn("ocr queue", run("status", "--collection", self.collection).stdout)

    def test_born_digital_pdfs_make_no_ocr_call(self):
        copy(os.path.join(SOURCE_DIR, "samples", "documents", "testPDF.pdf"), self.dump)
        copy(os.path.join(HOSTILE, "tika", "testPDF_Version.8.x.pdf"), self.dump)
        out = self.ingest()
        self.assertNotIn("pages read", out.stdout)
        status = run_json("status", "--collection", self.collection)
        self.assertEqual(status["by_state"]["indexed"], 2)
        self.assertEqual(status["last_run"]["summary"]["ocr_pages"], 0)
        self.assertEqual(status["ocr_queue"]["cached_pages"], 0)

    def test_ocr_off_gives_no_ocr_text(self):
        copy(os.path.join(FIXTURES, "quick-brown-fox.png"), self.dump, "image.png")
        self.ingest("--ocr", "off")
        self.assertEqual(self.search("quick")["total"], 0)
        hits = self.search("name:image")["hits"]
        self.assertEqual(len(hits), 1)
        doc = run_json("show", "--collection", self.collection, hits[0]["id"])
        self.assertEqual(doc["ocr"]["state"], "none")

    def test_the_second_ingest_of_the_same_scan_reads_it_from_the_cache(self):
        scan = copy(os.path.join(FIXTURES, "scanned.pdf"), self.dump)
        self.ingest()
        os.utime(scan, (time.time() + 60, time.time() + 60))  # changed on disk: indexed again
        out = self.ingest()
        self.assertIn("ocr      0 pages read", out.stdout)
        self.assertIn("1 from the cache", out.stdout)
        self.assertEqual(self.search("fox")["total"], 1)

    def test_an_unknown_language_is_a_usage_error_naming_it(self):
        copy(os.path.join(FIXTURES, "quick-brown-fox.png"), self.dump)
        proc = run("ingest", "--collection", self.collection, "--ocr-lang", "eng+xyz", self.dump,
                   check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("xyz", proc.stderr)

    def test_every_image_format_is_indexed_and_read(self):
        for name in IMAGES:
            copy(os.path.join(HOSTILE, name), self.dump)
        out = self.ingest()
        status = run_json("status", "--collection", self.collection)
        self.assertEqual(status["by_state"]["indexed"], len(IMAGES), out.stdout)
        self.assertEqual(status["by_type"].get("image"), len(IMAGES))
        failures = run_json("failures", "--collection", self.collection)
        self.assertEqual(failures, [])
        # The multi-page TIFF is read page by page.
        tiff = self.search("name:multipage_tiff_example")["hits"][0]
        doc = run_json("show", "--collection", self.collection, tiff["id"])
        self.assertGreater(doc["pages"], 1)
        self.assertEqual(doc["ocr"]["pages"], list(range(doc["pages"])))


class OcrResume(unittest.TestCase):
    """Searchable first, enriched later: killed while OCR is under way, the documents are
    searchable by name; the next run finishes the OCR queue."""

    def test_a_killed_ingest_is_searchable_and_the_next_run_finishes_the_queue(self):
        tmp = tempfile.mkdtemp(prefix="trove-e2e-ocr-resume-")
        self.addCleanup(shutil.rmtree, tmp, True)
        collection = os.path.join(tmp, "collection")
        dump = os.path.join(tmp, "dump")
        os.makedirs(dump)
        with open(os.path.join(HOSTILE, "tika", "testOCR.png"), "rb") as f:
            png = f.read()
        count = 24
        for i in range(count):  # distinct bytes (data after IEND is ignored): 24 documents
            with open(os.path.join(dump, f"scan-{i:02}.png"), "wb") as f:
                f.write(png + b"trove" * (i + 1))
        proc = subprocess.Popen([TROVE, "ingest", "--collection", collection, "--jobs", "2",
                                 "--commit-every", "1", dump],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        deadline = time.time() + 120
        queued = None
        while time.time() < deadline and proc.poll() is None:
            time.sleep(0.3)
            status = run("status", "--collection", collection, "--json", check=False)
            if status.returncode != 0:
                continue
            status = json.loads(status.stdout)
            if status["by_state"].get("indexed", 0) == count and status["ocr_queue"]["documents"] > 0:
                queued = status["ocr_queue"]["documents"]
                break
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        self.assertIsNotNone(queued, "the OCR queue was never seen while the ingest ran")
        # Every image is searchable by name while its OCR waits.
        by_name = run_json("search", "--collection", collection, "--limit", "100", "type:image")
        self.assertEqual(by_name["total"], count)
        read = run_json("search", "--collection", collection, "--limit", "100", "contains words")
        self.assertLess(read["total"], count)
        out = run("ingest", "--collection", collection, "--jobs", "2", dump).stdout
        self.assertIn(f"unchanged {count}", out)
        read = run_json("search", "--collection", collection, "--limit", "100", "contains words")
        self.assertEqual(read["total"], count)
        self.assertEqual(run_json("status", "--collection", collection)["ocr_queue"]["documents"], 0)


if __name__ == "__main__":
    unittest.main()
