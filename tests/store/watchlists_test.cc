#include "store/watchlists.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/store.h"
#include "testing/temp_dir.h"

namespace trove::store {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

WatchEntry Entry(std::uint64_t line, std::vector<std::string> names) {
  WatchEntry entry;
  entry.line = line;
  entry.names = std::move(names);
  entry.fields_json = "{}";
  return entry;
}

TEST(WatchLists, KeepsListsAndEntriesAcrossOpens) {
  trove::testing::TempDir dir;
  const std::string path = dir.Sub("trove.sqlite");
  WatchEntry putin = Entry(2, {"Vladimir Putin", "V. Putin"});
  putin.id = "Q7747";
  putin.schema = "Person";
  putin.emails = {"vvp@kremlin.ru"};
  putin.fields_json = R"({"country":["ru"]})";
  {
    auto lists = WatchLists::Open(path);
    ASSERT_TRUE(lists.ok()) << lists.status().ToString();
    ASSERT_TRUE((*lists)
                    ->Put({"sanctions", "/tmp/s.ftm", "ftm", 0, 0}, {putin, Entry(5, {"Gazprom"})})
                    .ok());
  }
  auto lists = WatchLists::Open(path);
  ASSERT_TRUE(lists.ok());
  auto all = (*lists)->List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].name, "sanctions");
  EXPECT_EQ((*all)[0].entries, 2u);
  EXPECT_GT((*all)[0].added, 0);
  auto entries = (*lists)->Entries("sanctions");
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0], putin);
  EXPECT_THAT((*entries)[1].names, ElementsAre("Gazprom"));
}

TEST(WatchLists, PutReplacesAListAndRemoveForgetsIt) {
  trove::testing::TempDir dir;
  auto lists = WatchLists::Open(dir.Sub("trove.sqlite"));
  ASSERT_TRUE(lists.ok());
  ASSERT_TRUE(
      (*lists)->Put({"a", "a.csv", "csv", 0, 0}, {Entry(2, {"One"}), Entry(3, {"Two"})}).ok());
  ASSERT_TRUE((*lists)->Put({"a", "a.csv", "csv", 0, 0}, {Entry(2, {"Three"})}).ok());
  auto entries = (*lists)->Entries("a");
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_THAT((*entries)[0].names, ElementsAre("Three"));
  EXPECT_TRUE((*lists)->Remove("a").ok());
  EXPECT_TRUE((*lists)->Entries("a").status().Is(StatusCode::kNotFound));
  EXPECT_TRUE((*lists)->Remove("a").Is(StatusCode::kNotFound));
  EXPECT_THAT(*(*lists)->List(), IsEmpty());
}

WatchHit Hit(std::uint64_t line, const std::string& doc_id, const std::string& kind, double score) {
  WatchHit hit;
  hit.line = line;
  hit.entry_name = "Entry " + std::to_string(line);
  hit.doc_id = doc_id;
  hit.name = hit.entry_name;
  hit.type = "person";
  hit.matched = hit.entry_name;
  hit.kind = kind;
  hit.score = score;
  return hit;
}

TEST(WatchLists, AListIsMatchedFromTheLastRunOnAndItsHitsKeepTheirFirstRun) {
  trove::testing::TempDir dir;
  const std::string path = dir.Sub("trove.sqlite");
  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok());
  auto run1 = (*store)->BeginRun();
  ASSERT_TRUE(run1.ok());
  auto lists = WatchLists::Open(path);
  ASSERT_TRUE(lists.ok());
  ASSERT_TRUE(
      (*lists)->Put({"a", "a.csv", "csv", 0, 0}, {Entry(2, {"One"}), Entry(3, {"Two"})}).ok());
  // Documents of run 1 were there before the list: `trove xref`'s, not the watch pass's.
  EXPECT_EQ((*(*lists)->List())[0].matched_run, *run1);

  auto run2 = (*store)->BeginRun();
  ASSERT_TRUE(run2.ok());
  auto added =
      (*lists)->AddHits("a", *run2, {Hit(2, "d1", "fuzzy", 0.8), Hit(3, "d1", "exact", 1)});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(*added, 2u);
  EXPECT_EQ((*(*lists)->List())[0].matched_run, *run2);

  // Run 3 finds entry 2 in d1 again, better, and entry 2 in d2 for the first time.
  auto run3 = (*store)->BeginRun();
  ASSERT_TRUE(run3.ok());
  added = (*lists)->AddHits("a", *run3, {Hit(2, "d1", "exact", 1), Hit(2, "d2", "initial", 0.85)});
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, 1u);

  auto all = (*lists)->Hits("", 0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  // Best score first, then line and document.
  EXPECT_EQ((*all)[0].doc_id, "d1");
  EXPECT_EQ((*all)[0].line, 2u);
  EXPECT_EQ((*all)[0].kind, "exact");  // the better score replaced the fuzzy one...
  EXPECT_EQ((*all)[0].run_id, *run2);  // ...but not when it was first found
  EXPECT_GT((*all)[0].found, 0);
  auto newest = (*lists)->Hits("a", *run3);
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->size(), 1u);
  EXPECT_EQ((*newest)[0].doc_id, "d2");
  EXPECT_EQ((*newest)[0].kind, "initial");
  EXPECT_DOUBLE_EQ((*newest)[0].score, 0.85);
  EXPECT_EQ((*newest)[0].list, "a");

  // Counted per list: every hit, and those run 3 found first.
  ASSERT_TRUE((*lists)->Put({"c", "c.csv", "csv", 0, 0}, {Entry(2, {"Three"})}).ok());
  auto counts = (*lists)->CountHits(*run3);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  ASSERT_EQ(counts->size(), 1u);  // c has no hits: not listed
  EXPECT_EQ(counts->at("a").hits, 3u);
  EXPECT_EQ(counts->at("a").of_run, 1u);
  EXPECT_EQ((*lists)->CountHits(*run2)->at("a").of_run, 2u);

  EXPECT_TRUE((*lists)->Hits("b", 0).status().Is(StatusCode::kNotFound));
  EXPECT_TRUE((*lists)->AddHits("b", *run3, {}).status().Is(StatusCode::kNotFound));
  // Replacing a list drops its hits (its lines may mean other names now).
  ASSERT_TRUE((*lists)->Put({"a", "a.csv", "csv", 0, 0}, {Entry(2, {"One"})}).ok());
  EXPECT_THAT(*(*lists)->Hits("a", 0), IsEmpty());
  EXPECT_EQ((*(*lists)->List())[0].matched_run, *run3);
}

TEST(WatchLists, SourcesIndexedBetweenTwoRunsAreThoseTheWatchPassReads) {
  trove::testing::TempDir dir;
  const std::string path = dir.Sub("trove.sqlite");
  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok());
  auto put = [&](const std::string& name, std::int64_t run, const char* state) {
    SourceFile source;
    source.path = "/data/" + name;
    source.key = "key-" + name;
    source.state = state;
    source.run_id = run;
    ASSERT_TRUE((*store)->PutSource(source).ok());
  };
  put("a", 1, kStateIndexed);
  put("b", 2, kStateIndexed);
  put("c", 2, kStateFailed);
  put("d", 3, kStateIndexed);
  auto lists = WatchLists::Open(path);
  ASSERT_TRUE(lists.ok());
  auto keys = (*lists)->SourcesIndexedBetween(1, 3);
  ASSERT_TRUE(keys.ok());
  EXPECT_THAT(*keys, ElementsAre("key-b", "key-d"));
  EXPECT_THAT(*(*lists)->SourcesIndexedBetween(3, 3), IsEmpty());
}

}  // namespace
}  // namespace trove::store
