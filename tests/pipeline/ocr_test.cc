// OCR in the ingest pipeline (src/pipeline/ingest.cc, internal/worker.cc) with the real
// extractors and Tesseract: images and scanned pages become searchable, born-digital PDFs cost
// no OCR call, the cache spares a second reading, and the queue survives a killed run.
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/collection.h"
#include "index/index.h"
#include "pipeline/ingest.h"
#include "query/search.h"
#include "store/store.h"
#include "testing/zip_writer.h"

namespace trove::pipeline {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const fs::path kFixtures = fs::path(TROVE_SOURCE_DIR) / "tests/data/extract/ocr";

class OcrIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ("ocr-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "docs");
    options_.collection = (root_ / "collection").string();
    options_.sources = {(root_ / "docs").string()};
    options_.jobs = 2;
    options_.entities = IngestOptions::Entities::kPatterns;
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path Copy(const fs::path& from, const std::string& name) {
    const fs::path to = root_ / "docs" / name;
    fs::create_directories(to.parent_path());
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write);
    return to;
  }

  IngestProgress Run() {
    auto result = Ingest(options_);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : IngestProgress{};
  }

  std::vector<index::Hit> Hits(const std::string& query) {
    auto reader = index::Reader::Open(IndexDir(options_.collection));
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return {};
    query::SearchOptions search;
    search.limit = 100;
    auto response = query::Search(**reader, query, search);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    std::vector<index::Hit> hits;
    if (response.ok()) {
      for (auto& h : response->hits) hits.push_back(std::move(h.hit));
    }
    return hits;
  }

  // The stored record of the one document whose name is `name`.
  DocumentRecord Record(const std::string& name) {
    auto reader = index::Reader::Open(IndexDir(options_.collection));
    EXPECT_TRUE(reader.ok());
    for (const index::Hit& hit : Hits("state:indexed OR state:failed OR state:skipped")) {
      if (hit.doc.record.name != name) continue;
      auto doc = (*reader)->Get(hit.id);
      EXPECT_TRUE(doc.ok());
      return doc.ok() ? doc->record : DocumentRecord{};
    }
    ADD_FAILURE() << "no document named " << name;
    return {};
  }

  store::OcrCounts OcrCounts() {
    auto store = store::Store::Open(StorePath(options_.collection));
    EXPECT_TRUE(store.ok());
    auto counts = (*store)->CountOcr();
    EXPECT_TRUE(counts.ok());
    return *counts;
  }

  fs::path root_;
  IngestOptions options_;
};

TEST_F(OcrIngestTest, WordsInImagesAndScannedPagesAreFoundAfterIngest) {
  Copy(kFixtures / "quick-brown-fox.png", "fox.png");
  Copy(kFixtures / "scanned.pdf", "scanned.pdf");
  Copy(kFixtures / "mixed.pdf", "mixed.pdf");
  const IngestProgress p = Run();
  EXPECT_EQ(p.indexed, 3u);
  EXPECT_EQ(p.ocr_pages, 3u);  // one page each: the typed page of mixed.pdf is not read
  EXPECT_EQ(p.ocr_page_failures, 0u);
  EXPECT_EQ(p.ocr_documents, 3u);
  EXPECT_EQ(Hits("\"quick brown fox\"").size(), 3u);
  EXPECT_EQ(Hits("type:image fox").size(), 1u);

  const DocumentRecord mixed = Record("mixed.pdf");
  EXPECT_EQ(mixed.ocr.state, OcrInfo::State::kDone);
  EXPECT_THAT(mixed.ocr.pages, ElementsAre(1));
  EXPECT_EQ(mixed.ocr.languages, "eng+fra");
  EXPECT_GT(mixed.ocr.mean_confidence, 50);
  // The typed page keeps its text layer; the scanned one gets its OCR text, in page order.
  const std::string& text = mixed.extraction.text;
  ASSERT_NE(text.find('\f'), std::string::npos);
  EXPECT_THAT(text.substr(0, text.find('\f')), HasSubstr("born-digital paragraph"));
  EXPECT_THAT(text.substr(text.find('\f')), HasSubstr("quick brown fox"));
  EXPECT_EQ(OcrCounts().queued_documents, 0u);
  EXPECT_EQ(OcrCounts().cached_pages, 3u);
}

TEST_F(OcrIngestTest, ScansInsideAnArchiveAreFoundAgainAndRead) {
  auto read = [](const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  };
  const std::string zip =
      trove::testing::WriteZip({{"scans/scan.pdf", read(kFixtures / "scanned.pdf")},
                                {"notes.txt", "a note about the scans"},
                                {"img/fox.png", read(kFixtures / "quick-brown-fox.png")}});
  std::ofstream(root_ / "docs" / "bundle.zip", std::ios::binary) << zip;
  const IngestProgress p = Run();
  EXPECT_EQ(p.ocr_pages, 2u);
  EXPECT_EQ(p.ocr_page_failures, 0u);
  const auto hits = Hits("fox");
  ASSERT_EQ(hits.size(), 2u);
  for (const index::Hit& hit : hits) {
    EXPECT_THAT(hit.doc.record.occurrence.path, HasSubstr("bundle.zip!/"));
  }
}

TEST_F(OcrIngestTest, ABornDigitalPdfCostsNoOcrCall) {
  Copy(fs::path(TROVE_SOURCE_DIR) / "samples/documents/testPDF.pdf", "born-digital.pdf");
  Copy(fs::path(TROVE_SOURCE_DIR) / "../shared/data/hostile-docs/tika/testPDF_Version.8.x.pdf",
       "another.pdf");
  const IngestProgress p = Run();
  EXPECT_EQ(p.indexed, 2u);
  EXPECT_EQ(p.ocr_pages, 0u);
  EXPECT_EQ(p.ocr_cache_hits, 0u);
  EXPECT_EQ(Record("born-digital.pdf").ocr.state, OcrInfo::State::kNone);
  EXPECT_EQ(OcrCounts().cached_pages, 0u);
}

TEST_F(OcrIngestTest, TheSameScanInTwoPlacesIsReadOnce) {
  Copy(kFixtures / "scanned.pdf", "a/scan.pdf");
  Copy(kFixtures / "scanned.pdf", "b/same-scan.pdf");
  const IngestProgress p = Run();
  EXPECT_EQ(p.ocr_pages, 1u);  // two places, one document, one reading
  EXPECT_EQ(p.skipped_duplicate, 1u);
  ASSERT_EQ(Hits("fox").size(), 1u);
  EXPECT_EQ(Hits("fox").front().doc.occurrences.size(), 2u);
}

TEST_F(OcrIngestTest, AReingestReadsTheScanFromTheCache) {
  const fs::path scan = Copy(kFixtures / "scanned.pdf", "scan.pdf");
  IngestProgress p = Run();
  EXPECT_EQ(p.ocr_pages, 1u);
  // The file changes on disk (its date): it is indexed again, and its page comes from the cache.
  fs::last_write_time(scan, fs::last_write_time(scan) + std::chrono::seconds(10));
  p = Run();
  EXPECT_EQ(p.indexed, 1u);
  EXPECT_EQ(p.ocr_pages, 0u);
  EXPECT_EQ(p.ocr_cache_hits, 1u);
  EXPECT_EQ(p.ocr_documents, 1u);
  EXPECT_EQ(Hits("fox").size(), 1u);
  // The index is lost and everything is read again: OCR is not.
  fs::remove_all(IndexDir(options_.collection));
  p = Run();
  EXPECT_EQ(p.indexed, 1u);
  EXPECT_EQ(p.ocr_pages, 0u);
  EXPECT_EQ(p.ocr_cache_hits, 1u);
  EXPECT_EQ(Hits("fox").size(), 1u);
}

TEST_F(OcrIngestTest, OcrOffReadsNothingAndTheImageStaysFindableByName) {
  options_.ocr = IngestOptions::Ocr::kOff;
  Copy(kFixtures / "quick-brown-fox.png", "image.png");
  Copy(kFixtures / "scanned.pdf", "scanned.pdf");
  const IngestProgress p = Run();
  EXPECT_EQ(p.indexed, 2u);
  EXPECT_EQ(p.ocr_pages, 0u);
  EXPECT_TRUE(Hits("quick").empty());
  EXPECT_EQ(Hits("name:image").size(), 1u);
  EXPECT_EQ(Record("image.png").ocr.state, OcrInfo::State::kNone);
  EXPECT_EQ(OcrCounts().queued_documents, 0u);
}

TEST_F(OcrIngestTest, ForceReadsEveryPageEvenWithATextLayer) {
  options_.ocr = IngestOptions::Ocr::kForce;
  Copy(kFixtures / "mixed.pdf", "mixed.pdf");
  const IngestProgress p = Run();
  EXPECT_EQ(p.ocr_pages, 2u);
  EXPECT_THAT(Record("mixed.pdf").ocr.pages, ElementsAre(0, 1));
  EXPECT_EQ(Hits("elections fox").size(), 1u);
}

TEST_F(OcrIngestTest, AnImageOcrCannotReadIsRecordedWithItsPageAndTheRestGoesOn) {
  // A valid header (so it is indexed as an image) over truncated pixel data.
  std::ifstream in(kFixtures / "quick-brown-fox.png", std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  bytes.resize(200);
  std::ofstream(root_ / "docs" / "broken.png", std::ios::binary) << bytes;
  Copy(kFixtures / "quick-brown-fox.png", "fox.png");
  const IngestProgress p = Run();
  EXPECT_EQ(p.indexed, 2u);
  EXPECT_EQ(p.ocr_page_failures, 1u);
  EXPECT_EQ(Hits("fox").size(), 1u);
  const DocumentRecord broken = Record("broken.png");
  EXPECT_EQ(broken.ocr.state, OcrInfo::State::kFailed);
  EXPECT_THAT(broken.ocr.reason, HasSubstr("page 1"));
  auto store = store::Store::Open(StorePath(options_.collection));
  ASSERT_TRUE(store.ok());
  auto problems = (*store)->ListProblems();
  ASSERT_TRUE(problems.ok());
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_THAT(problems->front().path, HasSubstr("broken.png"));
  EXPECT_THAT(problems->front().reason, HasSubstr("OCR: page 1"));
}

TEST_F(OcrIngestTest, AnUnknownLanguageStopsTheIngestWithItsName) {
  options_.ocr_languages = "eng+klingon";
  Copy(kFixtures / "quick-brown-fox.png", "fox.png");
  auto result = Ingest(options_);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("klingon"));
}

// The run is killed after the scan was indexed and queued, before OCR read it: the document is
// searchable by name at once, and the next run (with nothing else to do) reads the page.
TEST_F(OcrIngestTest, AKilledRunLeavesTheScanSearchableAndTheNextRunFinishesItsOcr) {
  Copy(kFixtures / "scanned.pdf", "scanned.pdf");
  options_.commit_every_seconds = 0;  // every loop of the supervisor commits
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const ProgressCallback die_once_queued = [](const IngestProgress& p) {
      if (p.sources_done >= 1 && p.ocr_queued_pages > 0) _exit(0);
    };
    (void)Ingest(options_, die_once_queued, /*progress_interval_ms=*/0);
    _exit(3);  // OCR finished before the callback saw the queue: the test cannot tell
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(Hits("name:scanned").size(), 1u);
  EXPECT_TRUE(Hits("fox").empty());
  EXPECT_EQ(Record("scanned.pdf").ocr.state, OcrInfo::State::kQueued);
  EXPECT_EQ(OcrCounts().queued_documents, 1u);
  EXPECT_EQ(OcrCounts().queued_pages, 1u);

  const IngestProgress p = Run();
  EXPECT_EQ(p.skipped_unchanged, 1u);
  EXPECT_EQ(p.ocr_pages, 1u);
  EXPECT_EQ(Hits("fox").size(), 1u);
  EXPECT_EQ(Record("scanned.pdf").ocr.state, OcrInfo::State::kDone);
  EXPECT_EQ(OcrCounts().queued_documents, 0u);
}

}  // namespace
}  // namespace trove::pipeline
