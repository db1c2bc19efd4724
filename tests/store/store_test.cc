#include "store/store.h"

#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/watchlists.h"
#include "testing/temp_dir.h"

namespace trove::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Runs `sql` on the store file with a separate connection and returns the first column of the
// first row ("" when there is none).
std::string QueryRaw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    if (text != nullptr) out = text;
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

void ExecRaw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err != nullptr ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

// The store format this trove writes: every engineer's migration bumps it, so the tests read it
// from a fresh store instead of naming it.
std::string CurrentVersion(const std::string& scratch_path) {
  auto store = Store::Open(scratch_path);
  EXPECT_TRUE(store.ok());
  return QueryRaw(scratch_path, "PRAGMA user_version");
}

// Drops every table but those of format version 1, as if the store had been written then.
void DowngradeToVersionOne(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::vector<std::string> tables;
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN "
                               "('source_files', 'problems', 'runs')",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  std::string sql;
  for (const std::string& table : tables) sql += "DROP TABLE " + table + "; ";
  ExecRaw(path, sql + "PRAGMA user_version=1");
}

SourceFile Source(const std::string& path, const std::string& state, const std::string& hash = "") {
  SourceFile s;
  s.path = path;
  s.key = "key:" + path;
  s.size = 1000;
  s.mtime_ns = 1'600'000'000'000'000'000;
  s.content_hash = hash;
  s.state = state;
  return s;
}

class StoreTest : public ::testing::Test {
 protected:
  std::string Path() const { return dir_.Sub("trove.sqlite"); }

  std::unique_ptr<Store> Open() {
    Result<std::unique_ptr<Store>> store = Store::Open(Path());
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  trove::testing::TempDir dir_;
};

TEST_F(StoreTest, OpenCreatesTheSchemaAtTheCurrentVersion) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(QueryRaw(Path(), "PRAGMA user_version"), CurrentVersion(dir_.Sub("fresh.sqlite")));
  EXPECT_GE(std::stoi(QueryRaw(Path(), "PRAGMA user_version")), 4);
  for (const char* table :
       {"source_files", "problems", "runs", "entity_rules", "ocr_queue", "ocr_cache"}) {
    EXPECT_EQ(QueryRaw(Path(),
                       std::string("SELECT name FROM sqlite_master WHERE type='table' AND name='") +
                           table + "'"),
              table);
  }
  EXPECT_EQ(QueryRaw(Path(), "PRAGMA journal_mode"), "wal");
  EXPECT_THAT(*store->CountSourcesByState(), IsEmpty());
  EXPECT_THAT(*store->ListProblems(), IsEmpty());
  EXPECT_FALSE(store->LastRun()->has_value());
}

TEST_F(StoreTest, PutSourceAndFindSourceRoundTripEveryField) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  SourceFile s;
  s.path = "/leak/été/report.pdf";
  s.key = "0123456789abcdef";
  s.size = 5'000'000'000ull;
  s.mtime_ns = -1'000'000'000;
  s.content_hash = "cae66941d9efbd404e4d88758ea67670";
  s.state = kStateFailed;
  s.reason = "encrypted PDF";
  s.media_type = "application/pdf";
  s.run_id = 7;
  ASSERT_TRUE(store->PutSource(s).ok());

  const Result<std::optional<SourceFile>> found = store->FindSource(s.path);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_TRUE(found->has_value());
  const SourceFile& got = **found;
  EXPECT_EQ(got.path, s.path);
  EXPECT_EQ(got.key, s.key);
  EXPECT_EQ(got.size, s.size);
  EXPECT_EQ(got.mtime_ns, s.mtime_ns);
  EXPECT_EQ(got.content_hash, s.content_hash);
  EXPECT_EQ(got.state, s.state);
  EXPECT_EQ(got.reason, s.reason);
  EXPECT_EQ(got.media_type, s.media_type);
  EXPECT_EQ(got.run_id, s.run_id);
}

TEST_F(StoreTest, FindSourceOfAnUnknownPathIsEmpty) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  const Result<std::optional<SourceFile>> found = store->FindSource("/nowhere");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

TEST_F(StoreTest, PutSourceReplacesTheRowOfThePath) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->PutSource(Source("/a", kStatePending)).ok());
  SourceFile done = Source("/a", kStateIndexed);
  done.size = 42;
  ASSERT_TRUE(store->PutSource(done).ok());
  EXPECT_EQ((*store->FindSource("/a"))->state, kStateIndexed);
  EXPECT_EQ((*store->FindSource("/a"))->size, 42u);
  EXPECT_EQ(store->CountSourcesByState()->at(kStateIndexed), 1u);
  EXPECT_EQ(store->CountSourcesByState()->count(kStatePending), 0u);
}

TEST_F(StoreTest, CountsSourcesByState) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  for (const auto& [path, state] :
       {std::pair{"/a", kStateIndexed}, std::pair{"/b", kStateIndexed},
        std::pair{"/c", kStateFailed}, std::pair{"/d", kStatePending},
        std::pair{"/e", kStateSkipped}, std::pair{"/f", kStateIndexed}}) {
    ASSERT_TRUE(store->PutSource(Source(path, state)).ok());
  }
  const Result<std::map<std::string, std::uint64_t>> counts = store->CountSourcesByState();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(*counts,
            (std::map<std::string, std::uint64_t>{
                {kStateIndexed, 3}, {kStateFailed, 1}, {kStatePending, 1}, {kStateSkipped, 1}}));
}

TEST_F(StoreTest, SourcesInStateListsOnlyThatStateInPathOrder) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->PutSource(Source("/z", kStatePending)).ok());
  ASSERT_TRUE(store->PutSource(Source("/m", kStateIndexed)).ok());
  ASSERT_TRUE(store->PutSource(Source("/a", kStatePending)).ok());
  const Result<std::vector<SourceFile>> pending = store->SourcesInState(kStatePending);
  ASSERT_TRUE(pending.ok());
  std::vector<std::string> paths;
  for (const SourceFile& s : *pending) paths.push_back(s.path);
  EXPECT_THAT(paths, ElementsAre("/a", "/z"));
  EXPECT_THAT(*store->SourcesInState(kStateFailed), IsEmpty());
}

TEST_F(StoreTest, ProblemsAreAddedListedInPathOrderAndClearedBySource) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(
      store->AddProblem({"k1", "a.zip!/z.pdf", "failed", "encrypted", "application/pdf"}).ok());
  ASSERT_TRUE(store->AddProblem({"k1", "a.zip!/b.doc", "skipped", "too large", ""}).ok());
  ASSERT_TRUE(store->AddProblem({"k2", "c.eml", "failed", "bad MIME", "message/rfc822"}).ok());
  // The same place again replaces its problem.
  ASSERT_TRUE(
      store->AddProblem({"k1", "a.zip!/z.pdf", "failed", "timeout", "application/pdf"}).ok());

  Result<std::vector<Problem>> problems = store->ListProblems();
  ASSERT_TRUE(problems.ok());
  ASSERT_EQ(problems->size(), 3u);
  EXPECT_EQ((*problems)[0].path, "a.zip!/b.doc");
  EXPECT_EQ((*problems)[0].state, "skipped");
  EXPECT_EQ((*problems)[1].path, "a.zip!/z.pdf");
  EXPECT_EQ((*problems)[1].reason, "timeout");
  EXPECT_EQ((*problems)[1].media_type, "application/pdf");
  EXPECT_EQ((*problems)[2].source_key, "k2");

  ASSERT_TRUE(store->ClearProblems("k1").ok());
  problems = store->ListProblems();
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_EQ((*problems)[0].path, "c.eml");
}

TEST_F(StoreTest, RunsBeginFinishAndTheLastOneIsReported) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  const std::int64_t before = std::time(nullptr);
  const Result<std::int64_t> first = store->BeginRun();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(store->FinishRun(*first, R"({"indexed":3})").ok());
  const Result<std::int64_t> second = store->BeginRun();
  ASSERT_TRUE(second.ok());
  EXPECT_GT(*second, *first);

  Result<std::optional<store::Run>> last = store->LastRun();
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ((*last)->id, *second);
  EXPECT_EQ((*last)->state, "running");
  EXPECT_EQ((*last)->finished, 0);
  EXPECT_GE((*last)->started, before);
  EXPECT_EQ((*last)->summary_json, "{}");
  // Progress while it runs: the counters change, the run is still running.
  ASSERT_TRUE(store->UpdateRun(*second, R"({"indexed":2})").ok());
  last = store->LastRun();
  EXPECT_EQ((*last)->state, "running");
  EXPECT_EQ((*last)->finished, 0);
  EXPECT_EQ((*last)->summary_json, R"({"indexed":2})");

  ASSERT_TRUE(store->FinishRun(*second, R"({"indexed":5})").ok());
  last = store->LastRun();
  EXPECT_EQ((*last)->state, "completed");
  EXPECT_GE((*last)->finished, (*last)->started);
  EXPECT_EQ((*last)->summary_json, R"({"indexed":5})");
  // A finished run's summary is final.
  ASSERT_TRUE(store->UpdateRun(*second, R"({"indexed":9})").ok());
  EXPECT_EQ((*store->LastRun())->summary_json, R"({"indexed":5})");
}

TEST_F(StoreTest, ReopeningKeepsEverything) {
  {
    std::unique_ptr<Store> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->PutSource(Source("/a", kStateIndexed, "h")).ok());
    ASSERT_TRUE(store->AddProblem({"k", "p", "failed", "r", ""}).ok());
    ASSERT_TRUE(store->BeginRun().ok());
  }
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->FindSource("/a")->has_value());
  EXPECT_EQ(store->ListProblems()->size(), 1u);
  EXPECT_TRUE(store->LastRun()->has_value());
  EXPECT_EQ(QueryRaw(Path(), "PRAGMA user_version"), CurrentVersion(dir_.Sub("fresh.sqlite")));
}

TEST_F(StoreTest, TransactionsGroupWritesUntilCommit) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Begin().ok());
  ASSERT_TRUE(store->PutSource(Source("/a", kStateIndexed)).ok());
  ASSERT_TRUE(store->PutSource(Source("/b", kStateIndexed)).ok());
  // Another connection does not see uncommitted rows.
  EXPECT_EQ(QueryRaw(Path(), "SELECT COUNT(*) FROM source_files"), "0");
  ASSERT_TRUE(store->Commit().ok());
  EXPECT_EQ(QueryRaw(Path(), "SELECT COUNT(*) FROM source_files"), "2");
}

TEST_F(StoreTest, CommitWithoutBeginIsAnError) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(store->Commit().ok());
}

TEST_F(StoreTest, TwoStoresOnOneFileSeeEachOthersWrites) {
  std::unique_ptr<Store> writer = Open();
  std::unique_ptr<Store> reader = Open();
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  ASSERT_TRUE(writer->PutSource(Source("/a", kStateIndexed)).ok());
  EXPECT_TRUE(reader->FindSource("/a")->has_value());
}

TEST_F(StoreTest, KeepsOneEntityRulePerEntity) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  using Action = EntityRule::Action;
  ASSERT_TRUE(
      store->PutEntityRule({"person", "hollande", Action::kMerge, "francois hollande"}).ok());
  ASSERT_TRUE(store->PutEntityRule({"org", "ps", Action::kRename, "Parti socialiste"}).ok());
  ASSERT_TRUE(store->PutEntityRule({"person", "hollande", Action::kDelete, ""}).ok());
  const Result<std::vector<EntityRule>> rules = store->ListEntityRules();
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  EXPECT_THAT(*rules,
              ::testing::ElementsAre(EntityRule{"org", "ps", Action::kRename, "Parti socialiste"},
                                     EntityRule{"person", "hollande", Action::kDelete, ""}));
}

TEST_F(StoreTest, UpgradesAVersionOneStoreKeepingItsLedger) {
  {
    std::unique_ptr<Store> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->PutSource(Source("/a", kStateIndexed)).ok());
  }
  DowngradeToVersionOne(Path());
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->FindSource("/a")->has_value());
  EXPECT_TRUE(store->PutEntityRule({"org", "cia", EntityRule::Action::kDelete, ""}).ok());
  EXPECT_TRUE(store->PutOcrPage("h", 0, "eng", OcrPageText{"text", 90}).ok());
  EXPECT_EQ(QueryRaw(Path(), "PRAGMA user_version"), CurrentVersion(dir_.Sub("fresh.sqlite")));
}

// Version 6 (the watch pass): lists stored before count as matched up to the last run, so the
// first ingest after the upgrade matches only its own documents.
TEST_F(StoreTest, UpgradesAVersionFiveStoreTakingItsListsAsMatchedUpToTheLastRun) {
  {
    std::unique_ptr<Store> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->BeginRun().ok());
    ASSERT_TRUE(store->BeginRun().ok());
  }
  {
    auto lists = WatchLists::Open(Path());
    ASSERT_TRUE(lists.ok());
    WatchEntry entry;
    entry.line = 2;
    entry.names = {"Vladimir Putin"};
    ASSERT_TRUE((*lists)->Put({"sanctions", "s.csv", "csv", 0, 0}, {entry}).ok());
  }
  ExecRaw(Path(),
          "DROP TABLE watch_hits; DROP INDEX source_files_run; "
          "ALTER TABLE watch_lists DROP COLUMN matched_run; PRAGMA user_version=5");
  ASSERT_EQ(QueryRaw(Path(), "SELECT COUNT(*) FROM watch_lists"), "1");
  auto lists = WatchLists::Open(Path());
  ASSERT_TRUE(lists.ok()) << lists.status().ToString();
  auto all = (*lists)->List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].matched_run, 2);
  EXPECT_TRUE((*lists)->Hits("sanctions", 0).ok());
  EXPECT_EQ(QueryRaw(Path(), "PRAGMA user_version"), CurrentVersion(dir_.Sub("fresh.sqlite")));
}

TEST_F(StoreTest, OcrJobsAreQueuedListedInOrderAndDropped) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  const std::string record(
      "\x82\x00"
      "binary"
      "\xff",
      9);  // "\x00b" would be one escape
  const OcrJob scan{"id1",     "key1", "/leak/scan.pdf", "/leak/scan.pdf", {0, 2, 7},
                    "eng+fra", record};
  const OcrJob image{"id2", "key2", "/leak/a.zip", "/leak/a.zip!/x.png", {0}, "eng", "r"};
  ASSERT_TRUE(store->PutOcrJob(scan).ok());
  ASSERT_TRUE(store->PutOcrJob(image).ok());
  auto jobs = store->ListOcrJobs();
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 2u);
  EXPECT_EQ((*jobs)[0].doc_id, "id1");
  EXPECT_THAT((*jobs)[0].pages, ElementsAre(0, 2, 7));
  EXPECT_EQ((*jobs)[0].record, record);
  EXPECT_EQ((*jobs)[1].chain, "/leak/a.zip!/x.png");
  auto counts = store->CountOcr();
  EXPECT_EQ(counts->queued_documents, 2u);
  EXPECT_EQ(counts->queued_pages, 4u);
  ASSERT_TRUE(store->DeleteOcrJobsOfSource("key2").ok());
  ASSERT_TRUE(store->DeleteOcrJob("id1").ok());
  EXPECT_THAT(*store->ListOcrJobs(), IsEmpty());
}

TEST_F(StoreTest, TheOcrCacheIsKeyedByContentPageAndLanguagesAndSurvivesForgetting) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->PutOcrPage("hash", 3, "eng+fra", OcrPageText{"la page trois", 91}).ok());
  auto hit = store->FindOcrPage("hash", 3, "eng+fra");
  ASSERT_TRUE(hit.ok() && hit->has_value());
  EXPECT_EQ((*hit)->text, "la page trois");
  EXPECT_EQ((*hit)->confidence, 91);
  EXPECT_FALSE(store->FindOcrPage("hash", 3, "eng")->has_value());
  EXPECT_FALSE(store->FindOcrPage("hash", 2, "eng+fra")->has_value());
  ASSERT_TRUE(store->PutOcrJob(OcrJob{"hash", "k", "/p", "/p", {3}, "eng+fra", ""}).ok());
  ASSERT_TRUE(store->ForgetSources().ok());  // the index is gone: the queue goes, the cache stays
  EXPECT_THAT(*store->ListOcrJobs(), IsEmpty());
  EXPECT_TRUE(store->FindOcrPage("hash", 3, "eng+fra")->has_value());
  EXPECT_EQ(store->CountOcr()->cached_pages, 1u);
}

TEST_F(StoreTest, RefusesAStoreWrittenByANewerTrove) {
  { ASSERT_NE(Open(), nullptr); }
  ExecRaw(Path(), "PRAGMA user_version=99");
  const Result<std::unique_ptr<Store>> store = Store::Open(Path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnsupported);
  EXPECT_THAT(store.status().message(), HasSubstr(Path()));
  EXPECT_THAT(store.status().message(), HasSubstr("99"));
}

TEST_F(StoreTest, OpenInAMissingDirectoryFailsNamingThePath) {
  const std::string path = dir_.Sub("no/such/dir/trove.sqlite");
  const Result<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kIOError);
  EXPECT_THAT(store.status().message(), HasSubstr(path));
}

TEST_F(StoreTest, OpenOfAFileThatIsNotAStoreFails) {
  {
    std::ofstream out(Path(), std::ios::binary);
    out << std::string(4096, 'x');
  }
  const Result<std::unique_ptr<Store>> store = Store::Open(Path());
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr("not a database"));
}

}  // namespace
}  // namespace trove::store
