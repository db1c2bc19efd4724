#include "analyze/mentions.h"

#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/file.h"

namespace trove::analyze {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

TEST(NormalisePersonName, DropsTitlesAndSettlesCapitals) {
  EXPECT_EQ(NormalisePersonName("M. FRANÇOIS  HOLLANDE"), "François Hollande");
  EXPECT_EQ(NormalisePersonName("President Nicolas Sarkozy"), "Nicolas Sarkozy");
  EXPECT_EQ(NormalisePersonName("Mr. Tony Blair"), "Tony Blair");
  EXPECT_EQ(NormalisePersonName("Mme Martine Aubry"), "Martine Aubry");
  // Mixed case is kept as written; a lone title is not dropped to nothing.
  EXPECT_EQ(NormalisePersonName("Charles de Gaulle"), "Charles de Gaulle");
  EXPECT_EQ(NormalisePersonName("McDonald"), "McDonald");
  EXPECT_EQ(NormalisePersonName("President"), "President");
}

TEST(LinkShortNames, LinksASurnameToTheOneFullNameItEnds) {
  std::vector<EntityMention> mentions = {{"person", "François Hollande", 0, 17},
                                         {"person", "Hollande", 30, 38},
                                         {"person", "HOLLANDE", 50, 58},
                                         {"place", "Hollande", 70, 78}};
  LinkShortNames(mentions);
  EXPECT_EQ(mentions[1].value, "François Hollande");
  EXPECT_EQ(mentions[2].value, "François Hollande");
  EXPECT_EQ(mentions[3].value, "Hollande");  // a place is not a person's short name
}

TEST(LinkShortNames, LeavesAnAmbiguousSurnameAlone) {
  std::vector<EntityMention> mentions = {{"person", "Marine Le Pen", 0, 13},
                                         {"person", "Jean-Marie Le Pen", 20, 37},
                                         {"person", "Le Pen", 40, 46}};
  LinkShortNames(mentions);
  EXPECT_EQ(mentions[2].value, "Le Pen");
}

std::vector<std::string> Values(const std::vector<EntityMention>& mentions,
                                const std::string& type) {
  std::vector<std::string> out;
  for (const EntityMention& m : mentions) {
    if (m.type == type) out.push_back(m.value);
  }
  return out;
}

TEST(FindMentions, FindsPatternEntitiesWithoutTheTagger) {
  MentionOptions options;
  options.with_names = false;
  const std::string text = "Write to Jane.Doe@Example.org before 21 November 2011, Mr Smith.";
  const std::vector<EntityMention> mentions = FindMentions(text, "en", options);
  EXPECT_THAT(Values(mentions, "email"), ElementsAre("Jane.Doe@example.org"));
  EXPECT_THAT(Values(mentions, "date"), ElementsAre("2011-11-21"));
  EXPECT_THAT(Values(mentions, "person"), ElementsAre());
  for (const EntityMention& m : mentions) {
    EXPECT_LT(m.begin, m.end);
    EXPECT_LE(m.end, text.size());
  }
}

TEST(FindMentions, FindsTheNamesOfARealArticleInTextOrder) {
  // The seed article (../shared/data/seed-article, republishable with attribution).
  Result<std::string> text =
      ReadFile("../shared/data/seed-article/wikileaks-cia-french-election-2012.txt");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  const std::vector<EntityMention> mentions = FindMentions(*text, "en");
  const std::vector<std::string> people = Values(mentions, "person");
  EXPECT_THAT(people, Contains("Nicolas Sarkozy"));
  EXPECT_THAT(Values(mentions, "org"), Contains("CIA"));
  EXPECT_THAT(Values(mentions, "place"), Contains("France"));
  // A tagged span never covers a pattern entity (the URL of the article).
  EXPECT_THAT(Values(mentions, "org"), Not(Contains(::testing::HasSubstr("http"))));
  EXPECT_TRUE(std::is_sorted(
      mentions.begin(), mentions.end(),
      [](const EntityMention& a, const EntityMention& b) { return a.begin < b.begin; }));
  for (const EntityMention& m : mentions) EXPECT_LE(m.end, text->size());
}

TEST(FindMentions, NeverTakesAGreetingForAPerson) {
  const std::vector<EntityMention> mentions =
      FindMentions("Hi,\n\nThanks for the report on Tony Blair.\n\nCheers,\nRobert Harley", "en");
  for (const std::string& person : Values(mentions, "person")) {
    EXPECT_THAT(person, Not(::testing::AnyOf("Hi", "Thanks", "Cheers"))) << person;
  }
  EXPECT_THAT(Values(mentions, "person"), Contains("Tony Blair"));
}

TEST(FindMentions, FindsNoNamesInALanguageWithoutAModel) {
  const std::vector<EntityMention> mentions =
      FindMentions("Angela Merkel traf Emmanuel Macron in Berlin.", "de");
  EXPECT_THAT(Values(mentions, "person"), ElementsAre());
}

}  // namespace
}  // namespace trove::analyze
