// The watch pass that ends every ingest (pipeline/internal/watch_pass.h): stored watch lists
// matched against the documents each run indexed, on the seed article (samples/seed-article,
// by Whitney Webb, True Activist; see samples/SOURCES.md).
#include "pipeline/internal/watch_pass.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <unistd.h>

#include "core/collection.h"
#include "pipeline/ingest.h"
#include "store/store.h"
#include "store/watchlists.h"

namespace trove::pipeline {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string ReadArticle() {
  std::ifstream in(std::string(TROVE_SOURCE_DIR) +
                   "/samples/seed-article/wikileaks-cia-french-election-2012.txt");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The article's paragraph that names the targets, alone.
std::string TargetsParagraph(const std::string& article) {
  const std::size_t begin = article.find("Though the release only contains seven pages");
  const std::size_t end = article.find("\n", article.find("Martine Aubry", begin));
  return article.substr(begin, end - begin) + "\n";
}

WatchEntry Entry(std::uint64_t line, std::string name) {
  WatchEntry entry;
  entry.line = line;
  entry.schema = "Person";
  entry.names = {std::move(name)};
  entry.fields_json = "{}";
  return entry;
}

void Exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

class WatchPassTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ("watch-pass-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "docs");
    fs::create_directories(root_ / "collection");
    options_.collection = (root_ / "collection").string();
    options_.sources = {(root_ / "docs").string()};
    options_.jobs = 1;
    options_.ocr = IngestOptions::Ocr::kOff;
    article_ = ReadArticle();
    ASSERT_FALSE(article_.empty());
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& name, const std::string& content) {
    std::ofstream(root_ / "docs" / name, std::ios::binary) << content;
  }

  void AddList(const std::vector<WatchEntry>& entries) {
    auto lists = store::WatchLists::Open(StorePath(options_.collection));
    ASSERT_TRUE(lists.ok()) << lists.status().ToString();
    ASSERT_TRUE((*lists)->Put({"suspects", "suspects.csv", "csv", 0, 0}, entries).ok());
  }

  IngestProgress Run() {
    auto result = Ingest(options_);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : IngestProgress{};
  }

  // "line kind doc" of the hits found first by run `run_id` (0: all).
  std::vector<std::string> Hits(std::int64_t run_id) {
    auto lists = store::WatchLists::Open(StorePath(options_.collection));
    EXPECT_TRUE(lists.ok());
    auto hits = (*lists)->Hits("suspects", run_id);
    EXPECT_TRUE(hits.ok()) << hits.status().ToString();
    std::vector<std::string> out;
    for (const store::WatchHit& hit : *hits) {
      out.push_back(std::to_string(hit.line) + " " + hit.kind + " " + hit.doc_id);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  nlohmann::json LastSummary() {
    auto store = store::Store::Open(StorePath(options_.collection));
    EXPECT_TRUE(store.ok());
    auto run = (*store)->LastRun();
    EXPECT_TRUE(run.ok() && run->has_value());
    return nlohmann::json::parse((*run)->summary_json);
  }

  std::string DocumentOf(const std::string& name) {
    auto store = store::Store::Open(StorePath(options_.collection));
    auto source = (*store)->FindSource((root_ / "docs" / name).string());
    EXPECT_TRUE(source.ok() && source->has_value());
    return (*source)->content_hash;
  }

  fs::path root_;
  IngestOptions options_;
  std::string article_;
};

TEST_F(WatchPassTest, EachRunMatchesTheDocumentsItIndexedAndKeepsTheHits) {
  AddList({Entry(2, "SARKOZY, Nicolas"), Entry(3, "Whitney Webb"), Entry(4, "Boris Johnson"),
           Entry(5, "Martine Aubry")});
  Write("article.txt", article_);
  const IngestProgress first = Run();
  EXPECT_EQ(first.watch_error, "");
  EXPECT_EQ(first.watch_lists, 1u);
  EXPECT_EQ(first.watch_documents, 1u);
  const std::string article = DocumentOf("article.txt");
  const std::vector<std::string> found = Hits(0);
  // Whitney Webb and Nicolas Sarkozy at least (the tagger's people); never Boris Johnson.
  EXPECT_THAT(found, ::testing::Contains("2 reordered " + article));
  EXPECT_THAT(found, ::testing::Contains("3 exact " + article));
  for (const std::string& hit : found) EXPECT_NE(hit.rfind("4 ", 0), 0u) << hit;
  EXPECT_EQ(first.watch_new_hits, found.size());
  EXPECT_EQ(LastSummary()["watch"]["new_hits"], found.size());

  // A second run with one new document that names two entries: that document alone is new.
  Write("targets.txt", TargetsParagraph(article_));
  const IngestProgress second = Run();
  EXPECT_EQ(second.watch_documents, 1u);
  const std::string targets = DocumentOf("targets.txt");
  ASSERT_NE(targets, article);
  auto store = store::Store::Open(StorePath(options_.collection));
  const std::int64_t run2 = (*(*store)->LastRun())->id;
  const std::vector<std::string> fresh = Hits(run2);
  EXPECT_EQ(second.watch_new_hits, fresh.size());
  EXPECT_GE(fresh.size(), 2u);  // Sarkozy, Aubry (as an entity or in the text)
  for (const std::string& hit : fresh) {
    EXPECT_EQ(hit.substr(hit.size() - targets.size()), targets) << hit;
  }
  EXPECT_EQ(Hits(0).size(), found.size() + fresh.size());

  // A run that indexes nothing finds nothing new and does not read the lists.
  const IngestProgress third = Run();
  EXPECT_EQ(third.indexed, 0u);
  EXPECT_EQ(third.watch_new_hits, 0u);
  EXPECT_EQ(third.watch_documents, 0u);
  EXPECT_EQ(Hits(0).size(), found.size() + fresh.size());
}

TEST_F(WatchPassTest, DocumentsIngestedBeforeTheListAreNotMatched) {
  Write("article.txt", article_);
  EXPECT_EQ(Run().watch_lists, 0u);  // no list: the pass costs nothing
  AddList({Entry(3, "Whitney Webb")});
  const IngestProgress second = Run();
  EXPECT_EQ(second.watch_lists, 1u);
  EXPECT_EQ(second.watch_new_hits, 0u);
  EXPECT_THAT(Hits(0), IsEmpty());
}

TEST_F(WatchPassTest, AFailedPassKeepsTheIngestAndTheNextRunCatchesUp) {
  AddList({Entry(3, "Whitney Webb")});
  // The pass cannot read the list's entries; the ingest itself never reads them.
  Exec(StorePath(options_.collection), "ALTER TABLE watch_entries RENAME TO entries_away");
  Write("article.txt", article_);
  const IngestProgress failed = Run();
  EXPECT_EQ(failed.indexed, 1u);
  EXPECT_NE(failed.watch_error, "");
  EXPECT_EQ(LastSummary()["watch"]["error"], failed.watch_error);
  EXPECT_EQ(LastSummary()["indexed"], 1);
  EXPECT_THAT(Hits(0), IsEmpty());

  Exec(StorePath(options_.collection), "ALTER TABLE entries_away RENAME TO watch_entries");
  Write("targets.txt", TargetsParagraph(article_));
  const IngestProgress next = Run();
  EXPECT_EQ(next.watch_error, "");
  EXPECT_EQ(next.watch_documents, 2u);  // this run's document and the failed run's
  EXPECT_THAT(Hits(0), ElementsAre("3 exact " + DocumentOf("article.txt")));
}

TEST_F(WatchPassTest, AFailedIngestIsPassedOnUntouched) {
  const Result<IngestProgress> failed =
      internal::MatchWatchLists(options_, Status::IOError("index locked"));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(), "index locked");
}

}  // namespace
}  // namespace trove::pipeline
