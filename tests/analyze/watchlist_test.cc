#include "analyze/watchlist.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace trove::analyze {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ParseWatchList, ReadsACsvWithAliasesTypeIdAndOtherColumns) {
  const auto parsed = ParseWatchList(
      "id,Name,aliases,type,country,email\n"
      "p1,Vladimir Putin,\"Putin, Vladimir; V. Putin\",Person,ru,\n"
      "c1,\"Gazprom, PJSC\",,Company,ru,info@gazprom.ru\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->format, "csv");
  ASSERT_EQ(parsed->entries.size(), 2u);
  const WatchEntry& putin = parsed->entries[0];
  EXPECT_EQ(putin.line, 2u);
  EXPECT_EQ(putin.id, "p1");
  EXPECT_EQ(putin.schema, "Person");
  EXPECT_THAT(putin.names, ElementsAre("Vladimir Putin", "Putin, Vladimir", "V. Putin"));
  EXPECT_EQ(putin.fields_json, R"({"country":"ru"})");
  EXPECT_THAT(parsed->entries[1].names, ElementsAre("Gazprom, PJSC"));
  EXPECT_THAT(parsed->entries[1].emails, ElementsAre("info@gazprom.ru"));
}

TEST(ParseWatchList, ReportsMalformedCsvLinesByNumberAndReadsTheOthers) {
  const auto parsed = ParseWatchList(
      "name;note\n"
      "Jean Dupont;\"a note\nover two lines\"\n"  // lines 2-3
      "too;many;fields\n"                         // line 4
      ";no name\n"                                // line 5
      "\"Marie\"Curie;x\n"                        // line 6: text after a closing quote
      "Marie Curie;physicist\n"                   // line 7
      "\"Pierre Curie;unterminated\n");           // line 8
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->entries.size(), 2u);
  EXPECT_EQ(parsed->entries[0].line, 2u);
  EXPECT_EQ(parsed->entries[1].line, 7u);
  EXPECT_THAT(parsed->entries[1].names, ElementsAre("Marie Curie"));
  ASSERT_EQ(parsed->problems.size(), 4u);
  EXPECT_EQ(parsed->problems[0].line, 4u);
  EXPECT_THAT(parsed->problems[0].message, HasSubstr("3 fields"));
  EXPECT_EQ(parsed->problems[1].line, 5u);
  EXPECT_EQ(parsed->problems[2].line, 6u);
  EXPECT_EQ(parsed->problems[3].line, 8u);
}

TEST(ParseWatchList, RefusesACsvWithoutANameColumn) {
  const auto parsed = ParseWatchList("id,country\n1,fr\n", "csv");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("no 'name' column"));
}

TEST(ParseWatchList, ReadsFollowTheMoneyJsonLines) {
  const auto parsed = ParseWatchList(
      R"({"id":"Q7747","schema":"Person","properties":{"name":["Vladimir Putin"],)"
      R"("alias":["Владимир Путин","Putin"],"email":["vvp@kremlin.ru"],"country":["ru"]}})"
      "\n"
      "\n"
      R"({"id":"s1","schema":"Sanction","properties":{"program":["EU"]}})"
      "\n"
      R"({"id":"broken", "schema": )"
      "\n"
      R"({"id":"x"})"
      "\n"
      R"({"id":"c1","schema":"Company","properties":{"name":["Gazprom"]}})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->format, "ftm");
  ASSERT_EQ(parsed->entries.size(), 2u);
  const WatchEntry& putin = parsed->entries[0];
  EXPECT_EQ(putin.id, "Q7747");
  EXPECT_EQ(putin.schema, "Person");
  EXPECT_THAT(putin.names, ElementsAre("Vladimir Putin", "Владимир Путин", "Putin"));
  EXPECT_THAT(putin.emails, ElementsAre("vvp@kremlin.ru"));
  EXPECT_EQ(putin.fields_json, R"({"country":["ru"]})");
  EXPECT_EQ(parsed->entries[1].line, 6u);
  EXPECT_EQ(parsed->skipped, 1u);  // the sanction has no name by nature
  ASSERT_EQ(parsed->problems.size(), 2u);
  EXPECT_EQ(parsed->problems[0].line, 4u);
  EXPECT_THAT(parsed->problems[0].message, HasSubstr("JSON"));
  EXPECT_EQ(parsed->problems[1].line, 5u);
}

TEST(ParseWatchList, DropsDuplicateNamesInAnotherCaseOrAccent) {
  const auto parsed =
      ParseWatchList("name,aliases\nFrançois Hollande,FRANCOIS HOLLANDE|F. Hollande\n");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->entries.size(), 1u);
  EXPECT_THAT(parsed->entries[0].names, ElementsAre("François Hollande", "F. Hollande"));
}

TEST(WatchListFormatOfName, TellsTheFormatByTheExtensionOnly) {
  EXPECT_EQ(WatchListFormatOfName("/lists/sanctions.jsonl"), "ftm");
  EXPECT_EQ(WatchListFormatOfName("entities.ftm"), "ftm");
  EXPECT_EQ(WatchListFormatOfName("board.csv"), "csv");
  EXPECT_EQ(WatchListFormatOfName("board.tsv"), "csv");
  // Nothing to tell by: ParseWatchList looks at the content.
  EXPECT_EQ(WatchListFormatOfName("suspects"), "");
  EXPECT_EQ(WatchListFormatOfName("csv.txt"), "");
  EXPECT_EQ(WatchListFormatOfName(""), "");
}

}  // namespace
}  // namespace trove::analyze
