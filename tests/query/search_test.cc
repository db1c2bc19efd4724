#include "query/search.h"

#include <algorithm>
#include <random>
#include <tuple>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/hash.h"
#include "core/text.h"
#include "testing/temp_dir.h"

namespace trove::query {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Highlighter For(std::string_view query) {
  Result<index::QueryNode> node = Parse(query);
  EXPECT_TRUE(node.ok()) << node.status().ToString();
  return Highlighter(node.ok() ? *node : index::QueryNode{});
}

// The marked words of `text`, as text.
std::vector<std::string> Marked(const Highlighter& highlighter, std::string_view text,
                                std::string_view lang = "") {
  std::vector<std::string> out;
  for (const auto& [offset, length] : highlighter.Matches(text, lang)) {
    out.emplace_back(text.substr(offset, length));
  }
  return out;
}

std::vector<std::string> Marked(const Snippet& snippet) {
  std::vector<std::string> out;
  for (const auto& [offset, length] : snippet.marks)
    out.push_back(snippet.text.substr(offset, length));
  return out;
}

TEST(Highlighter, MarksFoldedFormsOfTheQueryWords) {
  EXPECT_THAT(Marked(For("francois"), "François et FRANÇOIS, pas Franc."),
              ElementsAre("François", "FRANÇOIS"));
  EXPECT_THAT(Marked(For("Strasse"), "Die Straße"), ElementsAre("Straße"));
}

TEST(Highlighter, MarksStemsInTheDocumentLanguage) {
  const Highlighter highlighter = For("elections");
  const std::string text = "Après l'élection, les élections et le vote.";
  EXPECT_THAT(Marked(highlighter, text, "fr"), ElementsAre("élection", "élections"));
  // Without a language only the folded word itself matches.
  EXPECT_THAT(Marked(highlighter, text, ""), ElementsAre("élections"));
  EXPECT_THAT(Marked(For("run"), "He runs, ran and was running.", "en"),
              ElementsAre("runs", "running"));
}

TEST(Highlighter, MarksWordsStartingWithAPrefix) {
  EXPECT_THAT(Marked(For("elect*"), "Élection, electorate, select."),
              ElementsAre("Élection", "electorate"));
}

TEST(Highlighter, MarksPhraseNearAndTitleWordsButNotExcludedOrAddressWords) {
  EXPECT_THAT(Marked(For("\"black site\" -secret from:jane title:memo"),
                     "A black site memo, secret, sent by Jane."),
              ElementsAre("black", "site", "memo"));
  EXPECT_THAT(Marked(For("alpha NEAR/3 beta"), "beta then alpha"), ElementsAre("beta", "alpha"));
}

TEST(Highlighter, ReturnsMatchesInOrderAtTheirOffsets) {
  const std::string text = "b a b a";
  const auto matches = For("a OR b").Matches(text, "");
  ASSERT_EQ(matches.size(), 4u);
  for (std::size_t i = 0; i < matches.size(); ++i) {
    EXPECT_EQ(matches[i].first, 2 * i);
    EXPECT_EQ(matches[i].second, 1u);
  }
}

TEST(Highlighter, MarksNothingForAFilterOnlyQuery) {
  EXPECT_THAT(Marked(For("type:pdf"), "pdf everywhere pdf"), IsEmpty());
}

TEST(Snippet, RenderWrapsEachMark) {
  Snippet snippet;
  snippet.text = "the cia report";
  snippet.marks = {{4, 3}, {8, 6}};
  EXPECT_EQ(snippet.Render("[", "]"), "the [cia] [report]");
  EXPECT_EQ(snippet.RenderHtml(), "the <mark>cia</mark> <mark>report</mark>");
  snippet.marks.clear();
  EXPECT_EQ(snippet.Render("[", "]"), "the cia report");
}

TEST(Snippet, RenderHtmlEscapesDocumentTextButKeepsMarks) {
  const std::string text = "<b>Tom & Jerry's \"show\"</b>";
  const Snippet snippet = For("tom OR show").Cut(text, "", 200);
  EXPECT_EQ(snippet.RenderHtml(),
            "&lt;b&gt;<mark>Tom</mark> &amp; Jerry&#39;s &quot;<mark>show</mark>&quot;&lt;/b&gt;");
}

TEST(Snippet, RenderHtmlEscapesInsideMarks) {
  Snippet snippet;
  snippet.text = "a<b>&c";
  snippet.marks = {{1, 4}};
  EXPECT_EQ(snippet.RenderHtml(), "a<mark>&lt;b&gt;&amp;</mark>c");
}

TEST(HighlighterCut, CentresOnTheMatchesAndMarksThem) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "filler" + std::to_string(i) + " ";
  text += "the needle is here ";
  for (int i = 0; i < 100; ++i) text += "more" + std::to_string(i) + " ";
  const Snippet snippet = For("needle").Cut(text, "", 120);
  EXPECT_LE(snippet.text.size(), 120u);
  EXPECT_THAT(snippet.text, HasSubstr("the needle is here"));
  EXPECT_THAT(Marked(snippet), ElementsAre("needle"));
  // A contiguous piece of the text that starts at a word.
  const std::size_t at = text.find(snippet.text);
  ASSERT_NE(at, std::string::npos);
  EXPECT_GT(at, 0u);
  EXPECT_EQ(text[at - 1], ' ');
}

TEST(HighlighterCut, PrefersTheWindowWithTheMostMatches) {
  std::string text = "alpha once. ";
  for (int i = 0; i < 60; ++i) text += "filler ";
  text += "beta alpha beta gamma alpha. ";
  for (int i = 0; i < 60; ++i) text += "filler ";
  const Snippet snippet = For("alpha OR beta").Cut(text, "", 80);
  EXPECT_THAT(Marked(snippet), ElementsAre("beta", "alpha", "beta", "alpha"));
}

TEST(HighlighterCut, StartsAtTheBeginningWithoutMatches) {
  const std::string text = "First words of a long document that goes on and on and on.";
  const Snippet snippet = For("absent").Cut(text, "", 20);
  EXPECT_EQ(snippet.text.rfind("First", 0), 0u);
  EXPECT_LE(snippet.text.size(), 20u);
  EXPECT_THAT(snippet.marks, IsEmpty());
}

TEST(HighlighterCut, ReturnsShortTextWhole) {
  const Snippet snippet = For("word").Cut("one word", "", 240);
  EXPECT_EQ(snippet.text, "one word");
  EXPECT_THAT(Marked(snippet), ElementsAre("word"));
}

TEST(HighlighterCut, ShowsLineAndPageBreaksAsSpaces) {
  const Snippet snippet = For("b").Cut("a\nb\fc\r\td", "", 100);
  EXPECT_EQ(snippet.text, "a b c  d");
  EXPECT_THAT(Marked(snippet), ElementsAre("b"));
}

// Random texts of multi-byte characters cut at random sizes: the snippet is always valid UTF-8,
// within the size asked for, and its marks sit on the matching words.
TEST(HighlighterCut, NeverSplitsACharacter) {
  const std::vector<std::string> pieces = {"é", "中", "😀",    "ß",    "x", " ",
                                           " ", "\n", "élan", "Élan", "ﬁ"};
  const Highlighter highlighter = For("elan");
  std::mt19937 rng(5);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 120);
    for (int i = 0; i < n; ++i) text += pieces[pick(rng)];
    const std::size_t max_bytes = 8 + rng() % 80;
    const Snippet snippet = highlighter.Cut(text, "", max_bytes);
    ASSERT_TRUE(IsValidUtf8(snippet.text))
        << ::testing::PrintToString(text) << " cut at " << max_bytes;
    ASSERT_LE(snippet.text.size(), max_bytes) << ::testing::PrintToString(text);
    for (const auto& [offset, length] : snippet.marks) {
      ASSERT_LE(offset + length, snippet.text.size());
      EXPECT_EQ(FoldToken(snippet.text.substr(offset, length)), "elan");
    }
  }
}

// --- Search over a real index ---------------------------------------------------------------

DocumentRecord Doc(const std::string& name, const std::string& text, const std::string& lang = "") {
  DocumentRecord r;
  r.id = ContentHash(name);
  r.occurrence = {SourceKey("/leak/" + name), "leak/" + name, ""};
  r.name = name;
  r.type = "text";
  r.lang = lang;
  r.extraction.text = text;
  return r;
}

class SearchTest : public ::testing::Test {
 protected:
  void Write(const std::vector<DocumentRecord>& records) {
    Result<std::unique_ptr<index::Writer>> writer = index::Writer::Open(dir_.Sub("index"));
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const DocumentRecord& record : records) {
      const Result<index::PreparedDocument> prepared = index::PrepareDocument(record);
      ASSERT_TRUE(prepared.ok());
      ASSERT_TRUE((*writer)->Add(*prepared).ok());
    }
    ASSERT_TRUE((*writer)->Commit().ok());
  }

  Result<SearchResponse> Run(std::string_view query, const SearchOptions& options = {}) {
    Result<std::unique_ptr<index::Reader>> reader = index::Reader::Open(dir_.Sub("index"));
    if (!reader.ok()) return reader.status();
    return Search(**reader, query, options);
  }

  static std::vector<std::string> Names(const SearchResponse& response) {
    std::vector<std::string> names;
    for (const SearchHit& hit : response.hits) names.push_back(hit.hit.doc.record.name);
    return names;
  }

  trove::testing::TempDir dir_;
};

TEST_F(SearchTest, RelaxesAConjunctionThatMatchesNothingIntoOr) {
  Write({Doc("two.txt", "alpha beta and more"), Doc("one.txt", "gamma only"),
         Doc("none.txt", "delta")});
  const Result<SearchResponse> response = Run("alpha beta gamma");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->total, 2u);
  EXPECT_THAT(Names(*response), ElementsAre("two.txt", "one.txt"));
  EXPECT_THAT(response->notice, HasSubstr("3 words"));
  EXPECT_EQ(response->parsed, "(alpha OR beta OR gamma)");
}

TEST_F(SearchTest, RelaxesAConjunctionWithAHyphenatedWord) {
  Write({Doc("flow.txt", "slip flow regime"), Doc("other.txt", "boundary layer")});
  const Result<SearchResponse> response = Run("slip-flow boundary heating");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->total, 2u);
  EXPECT_THAT(response->notice, HasSubstr("3 words"));
  EXPECT_EQ(response->parsed, "(\"slip flow\" OR boundary OR heating)");
}

TEST_F(SearchTest, ListsDocumentsWithAllWordsFirstThenThoseWithMost) {
  Write({Doc("all.txt", "alpha beta gamma"), Doc("two.txt", "alpha beta"), Doc("one.txt", "gamma"),
         Doc("none.txt", "delta")});
  const Result<SearchResponse> response = Run("alpha beta gamma");
  ASSERT_TRUE(response.ok());
  EXPECT_THAT(Names(*response), ElementsAre("all.txt", "two.txt", "one.txt"));
  EXPECT_EQ(response->total, 3u);
  EXPECT_THAT(response->notice, HasSubstr("1 document has all 3 words"));
}

TEST_F(SearchTest, PagesThroughBothPartsOfARelaxedQueryWithOneTotal) {
  Write(
      {Doc("all.txt", "alpha beta gamma"), Doc("two.txt", "alpha beta"), Doc("one.txt", "gamma")});
  std::vector<std::string> seen;
  for (std::uint64_t offset = 0; offset < 4; ++offset) {
    SearchOptions options;
    options.offset = offset;
    options.limit = 1;
    const Result<SearchResponse> page = Run("alpha beta gamma", options);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->total, 3u) << "offset " << offset;
    for (const std::string& name : Names(*page)) seen.push_back(name);
  }
  EXPECT_THAT(seen, ElementsAre("all.txt", "two.txt", "one.txt"));
}

TEST_F(SearchTest, AggregateCountsTheDocumentsARelaxedSearchLists) {
  DocumentRecord dated = Doc("all.txt", "alpha beta gamma");
  dated.extraction.date = 1322000000;  // 2011-11-22
  Write({dated, Doc("two.txt", "alpha beta"), Doc("one.txt", "gamma"), Doc("none.txt", "delta")});
  Result<std::unique_ptr<index::Reader>> reader = index::Reader::Open(dir_.Sub("index"));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const Result<AggregateResponse> relaxed =
      Aggregate(**reader, "alpha beta gamma", SearchOptions{}, index::AggregateRequest{});
  ASSERT_TRUE(relaxed.ok()) << relaxed.status().ToString();
  EXPECT_EQ(relaxed->counts.total, 3u);  // as Search lists: all three words, then some
  EXPECT_EQ(relaxed->parsed, "(alpha OR beta OR gamma)");
  EXPECT_EQ(relaxed->counts.undated, 2u);
  // Two words are not relaxed: one document has both.
  const Result<AggregateResponse> strict =
      Aggregate(**reader, "alpha beta", SearchOptions{}, index::AggregateRequest{});
  ASSERT_TRUE(strict.ok());
  EXPECT_EQ(strict->counts.total, 2u);
  const Result<AggregateResponse> bad =
      Aggregate(**reader, "alpha AND (", SearchOptions{}, index::AggregateRequest{});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SearchTest, DoesNotRelaxWhenTenDocumentsHaveEveryWord) {
  std::vector<DocumentRecord> docs;
  for (int i = 0; i < 10; ++i) docs.push_back(Doc("all" + std::to_string(i), "alpha beta gamma"));
  docs.push_back(Doc("two.txt", "alpha beta"));
  Write(docs);
  SearchOptions options;
  options.limit = 3;
  const Result<SearchResponse> response = Run("alpha beta gamma", options);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->total, 10u);
  EXPECT_EQ(response->notice, "");
  EXPECT_EQ(response->parsed, "(alpha AND beta AND gamma)");
}

TEST_F(SearchTest, DoesNotRelaxShortOrStructuredQueries) {
  Write({Doc("a.txt", "alpha"), Doc("b.txt", "beta"), Doc("c.txt", "gamma")});
  for (const char* query : {"alpha beta", "alpha beta -gamma", "\"alpha beta\" gamma",
                            "title:alpha beta gamma", "alpha beta type:pdf"}) {
    const Result<SearchResponse> response = Run(query);
    ASSERT_TRUE(response.ok()) << query;
    EXPECT_EQ(response->total, 0u) << query;
    EXPECT_EQ(response->notice, "") << query;
  }
}

TEST_F(SearchTest, IgnoresStrayPunctuationBetweenWords) {
  Write({Doc("a.txt", "iraq war"), Doc("b.txt", "logs")});
  const Result<SearchResponse> response = Run("iraq – war");
  ASSERT_TRUE(response.ok());
  EXPECT_THAT(Names(*response), ElementsAre("a.txt"));
}

TEST_F(SearchTest, GivesNoNoticeWhenTheRelaxedQueryFindsNothingEither) {
  Write({Doc("a.txt", "alpha")});
  const Result<SearchResponse> response = Run("xx yy zz");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->total, 0u);
  EXPECT_EQ(response->notice, "");
}

TEST_F(SearchTest, EntityFieldsFollowTheCollectionsCuration) {
  DocumentRecord full = Doc("full.txt", "François Hollande");
  full.entities = {{"person", "François Hollande", 0, 18}};
  DocumentRecord short_name = Doc("short.txt", "Hollande");
  short_name.entities = {{"person", "Hollande", 0, 8}};
  DocumentRecord party = Doc("party.txt", "the PS");
  party.entities = {{"org", "PS", 4, 6}};
  DocumentRecord noise = Doc("noise.txt", "Hi there");
  noise.entities = {{"person", "Hi", 0, 2}};
  Write({full, short_name, party, noise});
  using Action = EntityRule::Action;
  SearchOptions options;
  options.entity_rules = {{"person", "hollande", Action::kMerge, "francois hollande"},
                          {"org", "ps", Action::kRename, "Parti socialiste"},
                          {"person", "hi", Action::kDelete, ""}};
  const auto names = [&](const std::string& query, const SearchOptions& with) {
    const Result<SearchResponse> response = Run(query, with);
    EXPECT_TRUE(response.ok()) << query << ": " << response.status().ToString();
    std::vector<std::string> out = response.ok() ? Names(*response) : std::vector<std::string>{};
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_THAT(names("person:\"François Hollande\"", {}), ElementsAre("full.txt"));
  EXPECT_THAT(names("person:\"François Hollande\"", options), ElementsAre("full.txt", "short.txt"));
  EXPECT_THAT(names("org:\"Parti socialiste\"", {}), ElementsAre());
  EXPECT_THAT(names("org:\"Parti socialiste\"", options), ElementsAre("party.txt"));
  EXPECT_THAT(names("person:hi", {}), ElementsAre("noise.txt"));
  EXPECT_THAT(names("person:hi", options), ElementsAre());
  EXPECT_THAT(names("hi", options), ElementsAre("noise.txt"));  // the words stay searchable
}

TEST_F(SearchTest, ReturnsInvalidArgumentForAMalformedQuery) {
  Write({Doc("a.txt", "alpha")});
  const Result<SearchResponse> response = Run("alpha (beta");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("column 7"));
}

TEST_F(SearchTest, CutsSnippetsWithStemmedMatchesMarked) {
  std::string text = "Début. ";
  for (int i = 0; i < 80; ++i) text += "remplissage ";
  text += "Après l'élection présidentielle, le résultat. ";
  for (int i = 0; i < 80; ++i) text += "remplissage ";
  Write({Doc("fr.txt", text, "fr")});
  SearchOptions options;
  options.snippet_bytes = 100;
  const Result<SearchResponse> response = Run("elections", options);
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response->hits.size(), 1u);
  const Snippet& snippet = response->hits[0].snippet;
  EXPECT_LE(snippet.text.size(), 100u);
  EXPECT_THAT(Marked(snippet), ElementsAre("élection"));
  EXPECT_THAT(snippet.RenderHtml(), HasSubstr("l&#39;<mark>élection</mark>"));
}

TEST_F(SearchTest, PassesPagingSortAndFacetsToTheIndex) {
  std::vector<DocumentRecord> records;
  for (int i = 0; i < 5; ++i) {
    DocumentRecord r = Doc("d" + std::to_string(i), "shared");
    r.extraction.date = 1'000'000'000 + i * 86400;
    records.push_back(r);
  }
  Write(records);
  SearchOptions options;
  options.offset = 1;
  options.limit = 2;
  options.sort = index::SortOrder::kDateNewest;
  options.want_facets = true;
  const Result<SearchResponse> response = Run("shared", options);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->total, 5u);
  EXPECT_TRUE(response->is_total_exact);
  EXPECT_THAT(Names(*response), ElementsAre("d3", "d2"));
  ASSERT_EQ(response->facets.count("type"), 1u);
  EXPECT_EQ(response->facets.at("type").at(0).count, 5u);
}

TEST_F(SearchTest, RunsDateRangesAndFilterGroupsEndToEnd) {
  std::vector<DocumentRecord> records;
  // Noon UTC on each day.
  for (const auto& [name, seconds, type] :
       {std::tuple{"2011-11-20", 1321790400, "pdf"}, std::tuple{"2011-11-21", 1321876800, "email"},
        std::tuple{"2012-09-29", 1348920000, "word"},
        std::tuple{"2012-09-30", 1349006400, "pdf"}}) {
    DocumentRecord r = Doc(name, "dated");
    r.extraction.date = seconds;
    r.type = type;
    records.push_back(r);
  }
  Write(records);
  auto names = [&](std::string_view query) {
    const Result<SearchResponse> response = Run(query);
    EXPECT_TRUE(response.ok()) << query << ": " << response.status().ToString();
    std::vector<std::string> out = response.ok() ? Names(*response) : std::vector<std::string>{};
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_THAT(names("dated date:2011-11-21..2012-09-29"), ElementsAre("2011-11-21", "2012-09-29"));
  EXPECT_THAT(names("date:2011-11-21..2012-09-29"), ElementsAre("2011-11-21", "2012-09-29"));
  EXPECT_THAT(names("date:2012"), ElementsAre("2012-09-29", "2012-09-30"));
  EXPECT_THAT(names("date:2012-09"), ElementsAre("2012-09-29", "2012-09-30"));
  EXPECT_THAT(names("date:..2011-11-20"), ElementsAre("2011-11-20"));
  EXPECT_THAT(names("date:2012-09-30.."), ElementsAre("2012-09-30"));
  EXPECT_THAT(names("dated type:(pdf OR email)"),
              ElementsAre("2011-11-20", "2011-11-21", "2012-09-30"));
  EXPECT_THAT(names("dated -type:pdf"), ElementsAre("2011-11-21", "2012-09-29"));
}

TEST_F(SearchTest, FindsAnAddressWrittenInTheTitle) {
  DocumentRecord record = Doc("memo.txt", "body");
  record.extraction.title = "Contact jane@example.org today";
  Write({record, Doc("other.txt", "jane@example.org in the body")});
  const Result<SearchResponse> response = Run("title:jane@example.org");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_THAT(Names(*response), ElementsAre("memo.txt"));
}

TEST_F(SearchTest, ExactModeKeepsCase) {
  Write({Doc("upper.txt", "The CIA files"), Doc("lower.txt", "the cia files")});
  SearchOptions options;
  options.is_exact = true;
  const Result<SearchResponse> response = Run("CIA", options);
  ASSERT_TRUE(response.ok());
  EXPECT_THAT(Names(*response), ElementsAre("upper.txt"));
  EXPECT_EQ(response->parsed, "=CIA");
}

}  // namespace
}  // namespace trove::query
