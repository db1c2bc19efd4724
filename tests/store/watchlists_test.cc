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

}  // namespace
}  // namespace trove::store
