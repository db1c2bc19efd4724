#include "analyze/name_matcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace trove::analyze {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// "kind score" of a comparison, or "none".
std::string Compare(std::string_view wanted, std::string_view found) {
  const std::optional<NameComparison> c = CompareNames(wanted, found);
  if (!c) return "none";
  return NameMatchKindName(c->kind);
}

double ScoreOf(std::string_view wanted, std::string_view found) {
  const std::optional<NameComparison> c = CompareNames(wanted, found);
  return c ? c->score : 0;
}

TEST(NameWords, FoldsAndDropsHonorificsAndCompanyForms) {
  EXPECT_THAT(NameWords("Mr. José SMITH"), ElementsAre("jose", "smith"));
  EXPECT_THAT(NameWords("Gazprom PJSC"), ElementsAre("gazprom"));
  EXPECT_THAT(NameWords("The Carlyle Group LLC"), ElementsAre("carlyle", "group"));
  EXPECT_THAT(NameWords("PUTIN, Vladimir Vladimirovich"),
              ElementsAre("putin", "vladimir", "vladimirovich"));
  // Without its dot, a short title may be an initial.
  EXPECT_THAT(NameWords("M Smith"), ElementsAre("m", "smith"));
  EXPECT_THAT(NameWords("Dr"), ElementsAre("dr"));
}

TEST(CompareNames, TellsWhyTwoNamesMatch) {
  EXPECT_EQ(Compare("Vladimir Putin", "Vladimir Putin"), "exact");
  EXPECT_EQ(Compare("Vladimir Putin", "VLADIMIR PUTIN"), "exact");
  EXPECT_EQ(Compare("François Hollande", "Francois Hollande"), "exact");
  EXPECT_EQ(Compare("Putin, Vladimir", "Vladimir Putin"), "reordered");
  EXPECT_EQ(Compare("Vladimir Vladimirovich Putin", "Vladimir Putin"), "partial");
  EXPECT_EQ(Compare("V. Putin", "Vladimir Putin"), "initial");
  EXPECT_EQ(Compare("Vladimir Putin", "V Putin"), "initial");
  EXPECT_EQ(Compare("Wladimir Putin", "Vladimir Putin"), "fuzzy");
  EXPECT_EQ(Compare("Vladimir Puitn", "Vladimir Putin"), "fuzzy");  // transposition
  EXPECT_EQ(Compare("Gazprom PJSC", "Gazprom"), "exact");
  EXPECT_EQ(Compare("Gazprom", "Gazprum"), "fuzzy");
}

TEST(CompareNames, RefusesNamesThatOnlyShareAWord) {
  EXPECT_EQ(Compare("John Smith", "Jane Smith"), "none");
  EXPECT_EQ(Compare("John Smith", "Smith"), "none");
  EXPECT_EQ(Compare("John Smith", "John Smith Jones Brown Green"), "none");  // 3 words more
  EXPECT_EQ(Compare("J. S.", "J. S."), "none");                              // no whole word
  EXPECT_EQ(Compare("Ali Hassan", "Alo Hassan"), "none");        // short words are never fuzzy
  EXPECT_EQ(Compare("Total", "Tonal"), "none");                  // one short word alone
  EXPECT_EQ(Compare("Mike Oldfield", "Make Oldfield"), "none");  // four letters: not fuzzy
  // An initial does not stand for a word when a word is missing as well.
  EXPECT_EQ(Compare("John M. Jackson", "John Malcolm"), "none");
  EXPECT_EQ(Compare("David Newman", "David N. Siegel"), "none");
  EXPECT_EQ(Compare("", "John Smith"), "none");
}

TEST(CompareNames, EveryVariantScoresBelowTheExactName) {
  const double exact = ScoreOf("Vladimir Putin", "Vladimir Putin");
  EXPECT_DOUBLE_EQ(exact, 1.0);
  for (const char* variant : {"Putin Vladimir", "V. Putin", "Wladimir Putin",
                              "Vladimir Vladimirovich Putin", "PUTIN, V."}) {
    const double score = ScoreOf(variant, "Vladimir Putin");
    EXPECT_GT(score, 0.5) << variant;
    EXPECT_LT(score, exact) << variant;
  }
  // Two differences score below either alone.
  EXPECT_LT(ScoreOf("Putin, W.", "Vladimir Putin"), ScoreOf("V. Putin", "Vladimir Putin"));
  EXPECT_LT(ScoreOf("Putin Wladimir", "Vladimir Putin"),
            ScoreOf("Wladimir Putin", "Vladimir Putin"));
}

TEST(NameIndex, FindsVariantsBestFirstAndNothingElse) {
  NameIndex index;
  for (const char* name : {"Vladimir Putin", "Vladimir Potanin", "V. Putin", "Putin",
                           "Wladimir Putin", "Jane Smith", "John Smyth", "Gazprom"}) {
    index.Add(name);
  }
  index.Build();
  std::vector<std::string> found;
  for (const NameIndex::Match& m : index.Find("Vladimir Putin", 0.5)) {
    found.push_back(std::to_string(m.name) + " " + NameMatchKindName(m.comparison.kind));
  }
  EXPECT_THAT(found, ElementsAre("0 exact", "2 initial", "4 fuzzy"));
  ASSERT_EQ(index.Find("J. Smith", 0.5).size(), 2u);  // Jane Smith by initial, John Smyth fuzzy
  EXPECT_THAT(index.Find("Boris Johnson", 0.5), IsEmpty());
  EXPECT_THAT(index.Find("Gazprom PJSC", 0.5), ::testing::SizeIs(1));
  // The score floor applies.
  EXPECT_THAT(index.Find("Putin W.", 0.9), IsEmpty());
}

TEST(CompareNames, MatchesSoundAlikeWordsBesideAWordTheNamesShare) {
  // "mohammed" / "muhamad": three edits; "schmidt" / "shmitt": two in a seven-letter word.
  EXPECT_EQ(Compare("Mohammed Ali", "Muhamad Ali"), "phonetic");
  EXPECT_EQ(Compare("Klaus Schmidt", "Klaus Shmitt"), "phonetic");
  // Within the edit allowance, a misspelling it stays.
  EXPECT_EQ(Compare("Klaus Schmidt", "Klaus Schmitt"), "fuzzy");
  // Scored below an exact name and below a misspelling.
  EXPECT_LT(ScoreOf("Mohammed Ali", "Muhamad Ali"), ScoreOf("Klaus Schmidt", "Klaus Schmitt"));
  EXPECT_LT(ScoreOf("Mohammed Ali", "Muhamad Ali"), ScoreOf("Vladimir Putin", "Vladimir Puttin"));
  EXPECT_GE(ScoreOf("Mohammed Ali", "Muhamad Ali"), 0.75);  // found at the default floor
}

TEST(CompareNames, RefusesSoundAlikeWordsWithoutASecondSignal) {
  EXPECT_EQ(Compare("Mohammed", "Muhamad"), "none");                 // one word
  EXPECT_EQ(Compare("Mohammed Hussein", "Muhamad Husain"), "none");  // no word shared
  EXPECT_EQ(Compare("John Ross", "John Rice"), "none");              // too short to tell
  EXPECT_EQ(Compare("Mohammed Ali", "Mahmoud Ali"), "none");         // MHMT and MMT: two names
}

TEST(NameIndex, FindsSoundAlikeNames) {
  NameIndex index;
  for (const char* name : {"Muhamad Ali", "Ali Hassan", "Klaus Shmitt", "Klaus Meyer"}) {
    index.Add(name);
  }
  index.Build();
  std::vector<std::string> found;
  for (const NameIndex::Match& m : index.Find("Mohammed Ali", 0.75)) {
    found.push_back(std::to_string(m.name) + " " + NameMatchKindName(m.comparison.kind));
  }
  EXPECT_THAT(found, ElementsAre("0 phonetic"));
  ASSERT_EQ(index.Find("Klaus Schmidt", 0.75).size(), 1u);
  EXPECT_EQ(index.Find("Klaus Schmidt", 0.75)[0].name, 2u);
}

TEST(NameIndex, ComparesOnlyCandidatesSharingAWord) {
  NameIndex index;
  for (int k = 0; k < 1000; ++k)
    index.Add("Person" + std::to_string(k) + " Surname" + std::to_string(k));
  index.Add("Vladimir Putin");
  index.Build();
  EXPECT_EQ(index.Find("Vladimir Putin", 0.5).size(), 1u);
  EXPECT_LE(index.comparisons(), 2u);
}

}  // namespace
}  // namespace trove::analyze
