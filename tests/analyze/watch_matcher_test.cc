#include "analyze/watch_matcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace trove::analyze {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Sentences of the seed article (samples/seed-article, by Whitney Webb, True Activist).
constexpr const char* kTargets =
    "Specific targets included the French Socialist Party (PS), the National Front (FN) and "
    "Union for a Popular Movement (UMP) along with several notable individuals including current "
    "President Francois Hollande, former President Nicolas Sarkozy, current presidential "
    "front-runner Marine Le Pen, and former presidential candidates Dominique Strauss-Khan and "
    "Martine Aubry.";
constexpr const char* kSarkozy =
    "One of the more interesting revelations involved then-president Nicolas Sarkozy whose "
    "self-identification as \"Sarkozy the American\" was not enough to shield him from espionage "
    "during the election or during his time in office.";
constexpr const char* kByline = "by Whitney Webb, True Activist";

WatchEntry Entry(std::uint64_t line, std::vector<std::string> names, std::string schema = "") {
  WatchEntry entry;
  entry.line = line;
  entry.names = std::move(names);
  entry.schema = std::move(schema);
  return entry;
}

EntityMention Mention(std::string type, std::string value) {
  return EntityMention{std::move(type), std::move(value), 0, 0};
}

// "entry document type kind matched" of each hit.
std::vector<std::string> Describe(const std::vector<WatchDocumentHit>& hits) {
  std::vector<std::string> out;
  for (const WatchDocumentHit& hit : hits) {
    out.push_back(std::to_string(hit.entry) + " " + std::to_string(hit.document) + " " + hit.type +
                  " " + hit.kind + " " + hit.matched);
  }
  return out;
}

TEST(WatchMatcher, MatchesNamesAgainstTheEntitiesOfEachDocument) {
  WatchMatcher matcher({Entry(2, {"SARKOZY, Nicolas"}, "Person"), Entry(3, {"Whitney Webb"}),
                        Entry(4, {"Boris Johnson"}), Entry(5, {"Front National"}, "Company")},
                       {});
  const std::vector<WatchDocument> documents = {
      {"d0",
       kTargets,
       {Mention("person", "Francois Hollande"), Mention("person", "Nicolas Sarkozy"),
        Mention("org", "National Front")}},
      {"d1", kByline, {Mention("person", "Whitney Webb")}},
      {"d2", kSarkozy, {Mention("person", "Nicolas Sarkozy")}},
  };
  EXPECT_THAT(
      Describe(matcher.Match(documents)),
      ElementsAre("0 0 person reordered Nicolas Sarkozy", "0 2 person reordered Nicolas Sarkozy",
                  "1 1 person exact Whitney Webb", "3 0 org reordered National Front"));
}

TEST(WatchMatcher, AnEntryOfOneSideIsNotComparedWithTheOther) {
  WatchMatcher matcher({Entry(2, {"Nicolas Sarkozy"}, "Company")}, {});
  const std::vector<WatchDocument> documents = {{"d0", "", {Mention("person", "Nicolas Sarkozy")}}};
  EXPECT_THAT(matcher.Match(documents), IsEmpty());
}

TEST(WatchMatcher, FindsTheTextOnlyWhereNoEntityOfTheEntryWas) {
  WatchMatcher matcher(
      {Entry(2, {"Marine Le Pen"}), Entry(3, {"Aubry Martine"}), Entry(4, {"Nicolas Sarkozy"}),
       Entry(5, {"Sarkozy"}), Entry(6, {"Martine Sarkozy"})},
      {});
  // The tagger missed Marine Le Pen and Martine Aubry in d0, and found Sarkozy in d1 only.
  const std::vector<WatchDocument> documents = {
      {"d0", kTargets, {}},
      {"d1", kSarkozy, {Mention("person", "Nicolas Sarkozy")}},
  };
  EXPECT_THAT(Describe(matcher.Match(documents)),
              ElementsAre("0 0 text phrase marine le pen", "1 0 text near aubry martine",
                          "2 0 text phrase nicolas sarkozy", "2 1 person exact Nicolas Sarkozy"));
  // One word alone is never looked for in the text; two words far apart are not "near".
}

TEST(WatchMatcher, KeepsTheBestHitOfAnEntryInADocument) {
  WatchMatcher matcher({Entry(2, {"N. Sarkozy", "Nicolas Sarkozy"})}, {});
  const std::vector<WatchDocumentHit> hits =
      matcher.Match({{"d0", kSarkozy, {Mention("person", "Nicolas Sarkozy")}}});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].kind, "exact");
  EXPECT_EQ(hits[0].name, "Nicolas Sarkozy");
  EXPECT_DOUBLE_EQ(hits[0].score, 1.0);
}

TEST(WatchMatcher, MatchesEmailAddressesExactlyCaseAside) {
  WatchEntry entry = Entry(2, {"Whitney Webb"});
  entry.emails = {"Whitney@TrueActivist.com"};
  WatchMatcher matcher({entry}, {});
  const std::vector<WatchDocumentHit> hits =
      matcher.Match({{"d0", "", {Mention("email", "whitney@trueactivist.com")}},
                     {"d1", "", {Mention("email", "whitney@trueactivist.org")}}});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].document, 0u);
  EXPECT_EQ(hits[0].type, "email");
  EXPECT_EQ(hits[0].name, "Whitney@TrueActivist.com");
}

TEST(WatchMatcher, ANameTheCurationDeletedIsNotLookedForInTheText) {
  WatchMatcherOptions options;
  options.is_deleted = [](const std::string& type, const std::string& name) {
    return type == "person" && name == "Marine Le Pen";
  };
  WatchMatcher matcher({Entry(2, {"Marine Le Pen"}), Entry(3, {"Martine Aubry"})}, options);
  EXPECT_THAT(Describe(matcher.Match({{"d0", kTargets, {}}})),
              ElementsAre("1 0 text phrase martine aubry"));
}

TEST(WatchMatcher, LeavesOutHitsBelowTheFloor) {
  WatchMatcherOptions options;
  options.min_score = 0.8;
  WatchMatcher matcher({Entry(2, {"Aubry Martine"}), Entry(3, {"Sarkozy, Nicolas"})}, options);
  // near (0.75) is below 0.8; reordered (0.9) is not.
  EXPECT_THAT(Describe(matcher.Match({{"d0", kTargets, {Mention("person", "Nicolas Sarkozy")}}})),
              ElementsAre("1 0 person reordered Nicolas Sarkozy"));
}

TEST(WatchSide, FollowsTheSchema) {
  EXPECT_EQ(SideOfSchema("Person"), WatchSide::kPeople);
  EXPECT_EQ(SideOfSchema("company"), WatchSide::kOrganisations);
  EXPECT_EQ(SideOfSchema("PublicBody"), WatchSide::kOrganisations);
  EXPECT_EQ(SideOfSchema(""), WatchSide::kBoth);
  EXPECT_EQ(SideOfSchema("Vessel"), WatchSide::kBoth);
}

TEST(IsSearchableInText, NeedsTwoWholeWords) {
  EXPECT_TRUE(IsSearchableInText({"marine", "le", "pen"}));
  EXPECT_FALSE(IsSearchableInText({"sarkozy"}));
  EXPECT_FALSE(IsSearchableInText({"r", "harris"}));
}

}  // namespace
}  // namespace trove::analyze
