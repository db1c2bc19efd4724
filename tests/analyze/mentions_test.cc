#include "analyze/mentions.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/file.h"
#include "extract/extractor.h"
#include "extract/registry.h"

namespace trove::analyze {
namespace {

using ::testing::AnyOf;
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

class NoChildren : public extract::ChildSink {
 public:
  Status OnChild(ChildFile /*child*/) override { return Status::Ok(); }
  void OnChildFailed(std::string /*name*/, Status /*why*/) override {}
  void OnChildSkipped(std::string /*name*/, std::string /*reason*/) override {}
};

// The text trove extracts from a file of the shared corpus (../shared/data/hostile-docs).
std::string ExtractedText(const std::string& relative) {
  const std::string path = "../shared/data/hostile-docs/" + relative;
  Result<std::string> bytes = ReadFile(path);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  if (!bytes.ok()) return {};
  const std::string name = path.substr(path.rfind('/') + 1);
  const std::string media_type = extract::DetectMediaType(*bytes, name);
  const std::unique_ptr<extract::Registry> registry = extract::Registry::CreateDefault();
  const extract::Extractor* extractor = registry->Find(media_type);
  EXPECT_NE(extractor, nullptr) << media_type;
  if (extractor == nullptr) return {};
  NoChildren children;
  Result<Extraction> extraction = extractor->Extract({*bytes, name, media_type, {}}, children);
  EXPECT_TRUE(extraction.ok()) << extraction.status().ToString();
  return extraction.ok() ? extraction->text : std::string();
}

std::vector<std::string> Names(const std::vector<EntityMention>& mentions) {
  std::vector<std::string> out;
  for (const char* type : {"person", "org", "place"}) {
    for (std::string& value : Values(mentions, type)) out.push_back(std::move(value));
  }
  return out;
}

TEST(FindMentions, TakesNoTableCellOrListItemOfASlideForAName) {
  // Table cells ("Row 1 Col 1"), a bulleted list, a caption and keywords, one per line, were
  // tagged as one run-on sentence, and their capitalised words came out as organisations.
  const std::string slides = ExtractedText("tika/testPPT_various.pptx");
  ASSERT_THAT(slides, ::testing::HasSubstr("Row 1 Col 1\nRow 1 Col 2"));
  ASSERT_THAT(slides, ::testing::HasSubstr("Bullet 1\nBullet 2"));
  for (const std::string& name : Names(FindMentions(slides, "en"))) {
    EXPECT_THAT(name, Not(AnyOf("Row", "Col", "Bullet", "Figure", "Keyword1"))) << name;
  }
  // A sentence among the slides' lines still has its names.
  const std::vector<EntityMention> mentions =
      FindMentions(slides + "\nTony Blair met Nicolas Sarkozy in Paris on Monday.\n", "en");
  EXPECT_THAT(Values(mentions, "person"), Contains("Tony Blair"));
  EXPECT_THAT(Values(mentions, "person"), Contains("Nicolas Sarkozy"));
}

TEST(FindMentions, ReadsALineOfWrappedProseOnIntoTheNext) {
  // Wrapped as mail is: the line break inside the name does not end a line of a list, in the
  // text or quoted in a reply.
  const std::string prose =
      "The documents show that the agency followed the campaign of Nicolas\n"
      "Sarkozy closely in the months before the election of 2012.\n";
  std::string quoted = "Someone wrote:\n\n";
  for (std::size_t begin = 0; begin < prose.size();) {
    const std::size_t end = prose.find('\n', begin) + 1;
    quoted += "> " + prose.substr(begin, end - begin);
    begin = end;
  }
  EXPECT_THAT(Values(FindMentions(prose, "en"), "person"), Contains("Nicolas Sarkozy"));
  EXPECT_THAT(Values(FindMentions(quoted, "en"), "person"), Contains("Nicolas Sarkozy"));
}

// A cable in capitals: its names are found (the tagger reads the sentence as usually written)
// and named as usually written, so that they are the entities of the same names written
// normally; a word usually written in capitals stays so.
TEST(FindMentions, NamesWhatACableInCapitalsMentionsAsUsuallyWritten) {
  const std::string cable =
      "1. (C) THE AMBASSADOR MET NICOLAS SARKOZY IN PARIS ON MONDAY. HE SAID THE CIA AND THE "
      "UNITED NATIONS HAD BEEN TOLD.\n";
  const std::vector<EntityMention> mentions = FindMentions(cable, "en");
  EXPECT_THAT(Values(mentions, "person"), Contains("Nicolas Sarkozy"));
  EXPECT_THAT(Values(mentions, "place"), Contains("Paris"));
  EXPECT_THAT(Values(mentions, "org"), Contains("CIA"));
  EXPECT_THAT(Values(mentions, "org"), Contains("United Nations"));
  // Each mention still points at the text as written.
  for (const EntityMention& m : mentions) {
    const std::string written = cable.substr(m.begin, m.end - m.begin);
    EXPECT_EQ(written.find_first_of("abcdefghijklmnopqrstuvwxyz"), std::string::npos) << written;
  }
}

TEST(FindMentions, LeavesSymbolsBesideANameOutOfIt) {
  // Lines like those of the SpamAssassin mail where the tagger took a symbol into a name.
  const std::string text =
      "I have been reading the list for a while. # Allow me to say that Tony Blair was right.\n"
      "Please write to 'Lonnie Donnegan at the office.\n";
  const std::vector<EntityMention> mentions = FindMentions(text, "en");
  for (const EntityMention& m : mentions) {
    EXPECT_EQ(m.value.find_first_of("#'"), std::string::npos) << m.value;
    // The offsets follow: the text at them is the name.
    EXPECT_EQ(text.substr(m.begin, m.end - m.begin), m.value);
  }
  EXPECT_THAT(Values(mentions, "person"), Contains("Lonnie Donnegan"));
  EXPECT_THAT(Values(mentions, "person"), Contains("Tony Blair"));
}

// Lines of a mail that open with a word hardly ever capitalised but there ("Your", "Best"):
// no names; the names of the same lines' sentences stay.
TEST(FindMentions, TakesNoCapitalOfALinesFirstWordForAName) {
  const std::string mail =
      "Your account is ready.\n"
      "Best regards,\n\n"
      "Help is on the way.\n";
  for (const std::string& name : Names(FindMentions(mail, "en"))) {
    EXPECT_THAT(name, Not(AnyOf("Your", "Best", "Help")));
  }
  const std::string names = "Tony Blair met Gordon Brown in London.\nBest regards,\n";
  EXPECT_THAT(Values(FindMentions(names, "en"), "person"), Contains("Tony Blair"));
}

// The attribution line of a reply: its day is no person.
TEST(FindMentions, TakesNoDayOfADateForAName) {
  const std::string mail =
      "On Thu, 15 Aug 2002 10:12:03 +0100, Justin Mason wrote:\n"
      "> I agree with Tony Blair.\n";
  const std::vector<EntityMention> mentions = FindMentions(mail, "en");
  EXPECT_THAT(Names(mentions), Not(Contains("Thu")));
  EXPECT_THAT(Values(mentions, "date"), Contains("2002-08-15"));
  EXPECT_THAT(Values(mentions, "person"), Contains("Justin Mason"));
}

TEST(FindMentions, FindsNoNamesInALanguageWithoutAModel) {
  const std::vector<EntityMention> mentions =
      FindMentions("Angela Merkel traf Emmanuel Macron in Berlin.", "de");
  EXPECT_THAT(Values(mentions, "person"), ElementsAre());
}

}  // namespace
}  // namespace trove::analyze
