#include "query/xref.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "index/index_fixture.h"

namespace trove::query {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class XrefTest : public index::test_util::IndexTest {
 protected:
  static DocumentRecord With(const std::string& name, const std::string& text,
                             std::vector<EntityMention> entities) {
    DocumentRecord record = index::test_util::Doc(name, text);
    record.entities = std::move(entities);
    return record;
  }

  void SetUp() override {
    Write({With("memo.txt", "Vladimir Putin met Gazprom officials.",
                {{"person", "Vladimir Putin", 0, 14}, {"org", "Gazprom", 19, 26}}),
           With("letter.txt", "PUTIN, Vladimir wrote.", {{"person", "Putin Vladimir", 0, 15}}),
           With("note.txt", "V. Putin agreed.", {{"person", "V. Putin", 0, 8}}),
           With("typo.txt", "Vladimir Puttin agreed.", {{"person", "Vladimir Puttin", 0, 15}}),
           With("accent.txt", "Frânçois Hollande", {{"person", "Frânçois Hollande", 0, 19}}),
           index::test_util::Doc("text.txt", "then putin vladimir spoke, and later Vladimir Putin"),
           With("smith.txt", "Dear John Smith,", {{"person", "John Smith", 5, 15}}),
           With("mail.txt", "write to VVP@kremlin.ru", {{"email", "VVP@kremlin.ru", 9, 23}})});
  }

  XrefResult Run(const std::vector<WatchEntry>& entries, std::vector<EntityRule> rules = {}) {
    std::unique_ptr<index::Reader> reader = OpenReader();
    XrefOptions options;
    options.entity_rules = std::move(rules);
    options.min_score = 0.5;
    Result<XrefResult> result = Xref(*reader, entries, options);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? std::move(result).value() : XrefResult{};
  }

  static WatchEntry Entry(std::vector<std::string> names, std::string schema = "Person") {
    WatchEntry entry;
    entry.line = 2;
    entry.names = std::move(names);
    entry.schema = std::move(schema);
    entry.fields_json = "{}";
    return entry;
  }

  // "type kind matched documents" of each hit.
  static std::vector<std::string> Hits(const XrefMatch& match) {
    std::vector<std::string> out;
    for (const XrefHit& hit : match.hits) {
      out.push_back(hit.type + " " + hit.kind + " " + hit.matched + " " +
                    std::to_string(hit.documents));
    }
    return out;
  }
};

TEST_F(XrefTest, FindsEveryVariantWithItsKindAndALowerScoreThanExact) {
  const XrefResult result = Run({Entry({"Vladimir Putin"})});
  ASSERT_EQ(result.matches.size(), 1u);
  const XrefMatch& match = result.matches[0];
  // At equal scores, entities come before text.
  EXPECT_THAT(Hits(match),
              ElementsAre("person exact Vladimir Putin 1", "person reordered Putin Vladimir 1",
                          "text phrase vladimir putin 1",  // text.txt only
                          "person initial V. Putin 1", "person fuzzy Vladimir Puttin 1"));
  EXPECT_DOUBLE_EQ(match.hits[0].score, 1.0);
  for (std::size_t k = 1; k < match.hits.size(); ++k) EXPECT_LT(match.hits[k].score, 1.0);
  EXPECT_EQ(match.documents, 5u);
  EXPECT_EQ(match.hits[0].ids, std::vector<std::string>{ContentHash("memo.txt")});
}

TEST_F(XrefTest, FoldsAccentsAndCase) {
  const XrefResult result = Run({Entry({"FRANCOIS HOLLANDE"})});
  ASSERT_EQ(result.matches.size(), 1u);
  EXPECT_THAT(Hits(result.matches[0]), ElementsAre("person exact Frânçois Hollande 1"));
}

TEST_F(XrefTest, ReportsNothingForANameTheCollectionLacks) {
  EXPECT_THAT(Run({Entry({"Boris Johnson"}), Entry({"Gazprom Neft"}, "Company")}).matches,
              IsEmpty());
}

TEST_F(XrefTest, MatchesPeopleAsPeopleAndCompaniesAsOrganisations) {
  EXPECT_THAT(Run({Entry({"Gazprom"}, "Person")}).matches, IsEmpty());
  const XrefResult result = Run({Entry({"Gazprom PJSC"}, "Company")});
  ASSERT_EQ(result.matches.size(), 1u);
  EXPECT_THAT(Hits(result.matches[0]), ElementsAre("org exact Gazprom 1"));
}

TEST_F(XrefTest, MatchesEmailAddressesExactly) {
  WatchEntry entry = Entry({"Nobody Known"});
  entry.emails = {"vvp@kremlin.ru", "other@kremlin.ru"};
  const XrefResult result = Run({entry});
  ASSERT_EQ(result.matches.size(), 1u);
  EXPECT_THAT(Hits(result.matches[0]), ElementsAre("email exact VVP@kremlin.ru 1"));
}

TEST_F(XrefTest, ADeletedEntityIsNotMatched) {
  ASSERT_EQ(Run({Entry({"John Smith"})}).matches.size(), 1u);
  const EntityRule deleted{"person", "john smith", EntityRule::Action::kDelete, ""};
  EXPECT_THAT(Run({Entry({"John Smith"})}, {deleted}).matches, IsEmpty());
}

TEST_F(XrefTest, AMergedEntityCountsAsTheOneItJoined) {
  const EntityRule merge{"person", "v putin", EntityRule::Action::kMerge, "vladimir putin"};
  const XrefResult result = Run({Entry({"Vladimir Putin"})}, {merge});
  ASSERT_EQ(result.matches.size(), 1u);
  EXPECT_EQ(Hits(result.matches[0])[0], "person exact Vladimir Putin 2");
  for (const XrefHit& hit : result.matches[0].hits) EXPECT_NE(hit.matched, "V. Putin");
}

TEST_F(XrefTest, SortsEntriesByScore) {
  const XrefResult result =
      Run({Entry({"V. Puttin"}), Entry({"Francois Hollande"}), Entry({"Nobody"})});
  ASSERT_EQ(result.matches.size(), 2u);
  EXPECT_EQ(result.matches[0].entry.names[0], "Francois Hollande");
  EXPECT_GT(result.matches[0].score, result.matches[1].score);
}

}  // namespace
}  // namespace trove::query
