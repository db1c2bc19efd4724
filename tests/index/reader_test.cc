#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "index/index.h"
#include "index/index_fixture.h"

namespace trove::index::test_util {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

using ReaderTest = IndexTest;

TEST_F(ReaderTest, FindsWordsWhateverTheirCaseAndAccents) {
  Write({Doc("fr.txt", "Le président François Hollande"), Doc("other.txt", "nothing here")});
  EXPECT_THAT(Find(Word("francois")), ElementsAre("fr.txt"));
  EXPECT_THAT(Find(Word("FRANÇOIS")), ElementsAre("fr.txt"));
  EXPECT_THAT(Find(Word("President")), ElementsAre("fr.txt"));
  EXPECT_THAT(Find(Word("hollandaise")), IsEmpty());
}

TEST_F(ReaderTest, StemsWordsInTheLanguageOfTheDocument) {
  DocumentRecord french = Doc("fr.txt", "Après l'élection présidentielle");
  french.lang = "fr";
  DocumentRecord english = Doc("en.txt", "He was running fast");
  english.lang = "en";
  DocumentRecord unknown = Doc("xx.txt", "running without a language");
  Write({french, english, unknown});
  EXPECT_THAT(Find(Word("elections")), ElementsAre("fr.txt"));
  EXPECT_THAT(Find(Word("Élections")), ElementsAre("fr.txt"));
  EXPECT_THAT(Find(Word("run")), ElementsAre("en.txt"));
  // The unstemmed form still matches every document that has it.
  EXPECT_THAT(Find(Word("running")), UnorderedElementsAre("en.txt", "xx.txt"));
}

TEST_F(ReaderTest, ReopenLoadsStemmersOfNewlyIndexedLanguages) {
  Write({Doc("en.txt", "english words")});
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  DocumentRecord french = Doc("fr.txt", "l'élection");
  french.lang = "fr";
  Write({french});
  ASSERT_TRUE(reader->Reopen().ok());
  SearchRequest request;
  request.query = Word("elections");
  const Result<SearchResult> result = reader->Search(request);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->hits.size(), 1u);
  EXPECT_EQ(result->hits[0].doc.record.name, "fr.txt");
}

TEST_F(ReaderTest, ExactModeKeepsCaseAndAccents) {
  Write({Doc("upper.txt", "The CIA report"), Doc("lower.txt", "the cia report"),
         Doc("accent.txt", "une élection"), Doc("plain.txt", "une election")});
  EXPECT_THAT(Find(ExactWord("CIA")), ElementsAre("upper.txt"));
  EXPECT_THAT(Find(ExactWord("cia")), ElementsAre("lower.txt"));
  EXPECT_THAT(Find(Word("CIA")), UnorderedElementsAre("upper.txt", "lower.txt"));
  EXPECT_THAT(Find(ExactWord("élection")), ElementsAre("accent.txt"));
  EXPECT_THAT(Find(Word("élection")), UnorderedElementsAre("accent.txt", "plain.txt"));
}

TEST_F(ReaderTest, ExactLowerCaseWordNeedsThatFormSomewhere) {
  DocumentRecord title_only = Doc("title-only.txt", "about Paris");
  title_only.extraction.title = "Paris";
  DocumentRecord title_and_body = Doc("title-and-body.txt", "in paris today");
  title_and_body.extraction.title = "Paris";
  Write({Doc("both.txt", "PARIS, Paris and paris"), Doc("capital.txt", "Paris, PARIS"), title_only,
         title_and_body, Doc("accent.txt", "párís")});
  EXPECT_THAT(Find(ExactWord("paris")), UnorderedElementsAre("both.txt", "title-and-body.txt"));
  EXPECT_THAT(
      Find(ExactWord("Paris")),
      UnorderedElementsAre("both.txt", "capital.txt", "title-only.txt", "title-and-body.txt"));
  EXPECT_THAT(Find(ExactWord("párís")), ElementsAre("accent.txt"));
}

TEST_F(ReaderTest, ExactLowerCaseWordAcrossShards) {
  std::vector<DocumentRecord> records;
  for (int i = 0; i < 12; ++i) {
    records.push_back(Doc("lower" + std::to_string(i) + ".txt", "the cia " + std::to_string(i)));
    records.push_back(Doc("upper" + std::to_string(i) + ".txt", "the CIA " + std::to_string(i)));
  }
  Write(records, /*shard_count=*/2);
  const std::vector<std::string> found = Find(ExactWord("cia"));
  EXPECT_EQ(found.size(), 12u);
  for (const std::string& name : found) EXPECT_THAT(name, ::testing::StartsWith("lower"));
}

TEST_F(ReaderTest, AWordThatIsItsOwnStemIsFoundByItsInflections) {
  DocumentRecord english = Doc("en.txt", "we run daily");
  english.lang = "en";
  Write({english});
  EXPECT_THAT(Find(Word("running")), ElementsAre("en.txt"));
  EXPECT_THAT(Find(Word("runs")), ElementsAre("en.txt"));
}

TEST_F(ReaderTest, ExactPhraseNeedsEveryWordAsWritten) {
  Write({Doc("upper.txt", "The CIA report"), Doc("lower.txt", "the cia report")});
  QueryNode phrase = Phrase({"CIA", "report"});
  phrase.is_exact = true;
  EXPECT_THAT(Find(phrase), ElementsAre("upper.txt"));
  EXPECT_THAT(Find(Phrase({"CIA", "report"})), UnorderedElementsAre("upper.txt", "lower.txt"));
  QueryNode lower = Phrase({"cia", "report"});
  lower.is_exact = true;
  EXPECT_THAT(Find(lower), ElementsAre("lower.txt"));
}

TEST_F(ReaderTest, PhraseMatchesWordsInOrder) {
  Write({Doc("fox.txt", "the quick brown fox"), Doc("reversed.txt", "brown and quick")});
  EXPECT_THAT(Find(Phrase({"quick", "brown"})), ElementsAre("fox.txt"));
  EXPECT_THAT(Find(Phrase({"Quick", "BROWN", "fox"})), ElementsAre("fox.txt"));
  EXPECT_THAT(Find(Phrase({"brown", "quick"})), IsEmpty());
  EXPECT_THAT(Find(Phrase({"the", "fox"})), IsEmpty());
}

TEST_F(ReaderTest, NearMatchesWordsWithinTheDistanceInAnyOrder) {
  Write({Doc("three.txt", "alpha one two three beta"),
         Doc("four.txt", "alpha one two three four beta"), Doc("reversed.txt", "beta one alpha")});
  EXPECT_THAT(Find(Near({"alpha", "beta"}, 3)), UnorderedElementsAre("three.txt", "reversed.txt"));
  EXPECT_THAT(Find(Near({"alpha", "beta"}, 2)), ElementsAre("reversed.txt"));
  EXPECT_THAT(Find(Near({"alpha", "beta"}, 4)),
              UnorderedElementsAre("three.txt", "four.txt", "reversed.txt"));
}

TEST_F(ReaderTest, PrefixMatchesEveryWordStartingWithIt) {
  DocumentRecord titled = Doc("titled.txt", "body");
  titled.extraction.title = "Quarterly report";
  Write({Doc("election.txt", "élection"), Doc("electorate.txt", "the electorate"),
         Doc("select.txt", "select all"), titled});
  EXPECT_THAT(Find(Prefix("elect")), UnorderedElementsAre("election.txt", "electorate.txt"));
  EXPECT_THAT(Find(Prefix("ÉLECT")), UnorderedElementsAre("election.txt", "electorate.txt"));
  EXPECT_THAT(Find(Prefix("quart", "title")), ElementsAre("titled.txt"));
  EXPECT_THAT(Find(Prefix("bod", "title")), IsEmpty());
}

TEST_F(ReaderTest, PrefixWithoutLettersIsInvalid) {
  Write({Doc("a.txt", "x")});
  SearchRequest request;
  request.query = Prefix("");
  EXPECT_EQ(Run(request).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ReaderTest, TitleFieldMatchesOnlyTitleWords) {
  DocumentRecord titled = Doc("titled.txt", "nothing relevant");
  titled.extraction.title = "Budget 2012";
  Write({titled, Doc("body.txt", "the budget is in the body")});
  EXPECT_THAT(Find(Word("budget", "title")), ElementsAre("titled.txt"));
  EXPECT_THAT(Find(Word("budget")), UnorderedElementsAre("titled.txt", "body.txt"));
  EXPECT_THAT(Find(Phrase({"budget", "2012"}, "title")), ElementsAre("titled.txt"));
}

TEST_F(ReaderTest, AddressFieldsMatchByWordAndByFullAddress) {
  DocumentRecord mail = Doc("mail.eml", "hello");
  mail.type = "email";
  mail.extraction.from = {"Jane Doe <Jane.Doe@Example.org>"};
  mail.extraction.to = {"bob@example.com"};
  mail.extraction.cc = {"Carol King <carol@example.net>"};
  mail.extraction.bcc = {"dave@example.net"};
  DocumentRecord other = Doc("other.eml", "hello");
  other.extraction.from = {"bob@example.com"};
  Write({mail, other});

  EXPECT_THAT(Find(Word("jane", "from")), ElementsAre("mail.eml"));
  EXPECT_THAT(Find(Word("Doe", "from")), ElementsAre("mail.eml"));
  EXPECT_THAT(Find(Word("jane.doe@example.org", "from")), ElementsAre("mail.eml"));
  EXPECT_THAT(Find(Word("JANE.DOE@EXAMPLE.ORG", "from")), ElementsAre("mail.eml"));
  EXPECT_THAT(Find(Word("bob@example.com", "from")), ElementsAre("other.eml"));
  EXPECT_THAT(Find(Word("bob@example.com", "to")), ElementsAre("mail.eml"));
  EXPECT_THAT(Find(Word("bob", "to")), ElementsAre("mail.eml"));
  EXPECT_THAT(Find(Word("carol", "cc")), ElementsAre("mail.eml"));
  EXPECT_THAT(Find(Word("carol@example.net", "cc")), ElementsAre("mail.eml"));
  EXPECT_THAT(Find(Word("dave@example.net", "bcc")), ElementsAre("mail.eml"));
  EXPECT_THAT(Find(Word("carol", "to")), IsEmpty());
  // Names in headers are words of the document too.
  EXPECT_THAT(Find(Word("carol")), ElementsAre("mail.eml"));
}

TEST_F(ReaderTest, FromFieldMatchesTheAuthor) {
  DocumentRecord memo = Doc("memo.doc", "text");
  memo.extraction.author = "Jean Dupont";
  Write({memo});
  EXPECT_THAT(Find(Word("dupont", "from")), ElementsAre("memo.doc"));
}

TEST_F(ReaderTest, PathAndNameFieldsMatchWordsOfThePlace) {
  DocumentRecord record = Doc("Report.PDF", "text");
  record.occurrence.path = "leaks/Finance/2012/Report.PDF";
  Write({record, Doc("other.txt", "finance report")});
  EXPECT_THAT(Find(Word("finance", "path")), ElementsAre("Report.PDF"));
  EXPECT_THAT(Find(Phrase({"finance", "2012"}, "path")), ElementsAre("Report.PDF"));
  EXPECT_THAT(Find(Word("report", "name")), ElementsAre("Report.PDF"));
  EXPECT_THAT(Find(Word("finance", "name")), IsEmpty());
}

TEST_F(ReaderTest, UnknownFieldIsInvalidArgument) {
  Write({Doc("a.txt", "x")});
  SearchRequest request;
  request.query = Word("x", "subject");
  const Result<SearchResult> result = Run(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("subject"));
  request.query = Filter("color", "red");
  EXPECT_EQ(Run(request).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ReaderTest, FiltersSelectByTypeLanguageAndOtherAttributes) {
  DocumentRecord pdf = Doc("a.pdf", "shared");
  pdf.type = "pdf";
  pdf.media_type = "application/pdf";
  pdf.lang = "fr";
  pdf.extraction.date = Utc(2011, 6, 1);
  DocumentRecord mail = Doc("b.eml", "shared");
  mail.type = "email";
  mail.lang = "en";
  mail.extraction.message_id = "<abc@example.org>";
  DocumentRecord failed = Doc("c.bin", "");
  failed.type = "other";
  failed.state = DocState::kFailed;
  Write({pdf, mail, failed});

  EXPECT_THAT(Find(Filter("type", "pdf")), ElementsAre("a.pdf"));
  EXPECT_THAT(Find(Filter("type", "PDF")), ElementsAre("a.pdf"));
  EXPECT_THAT(Find(Filter("lang", "en")), ElementsAre("b.eml"));
  EXPECT_THAT(Find(Filter("state", "failed")), ElementsAre("c.bin"));
  EXPECT_THAT(Find(Filter("year", "2011")), ElementsAre("a.pdf"));
  EXPECT_THAT(Find(Filter("mime", "application/pdf")), ElementsAre("a.pdf"));
  EXPECT_THAT(Find(Filter("messageid", "<abc@example.org>")), ElementsAre("b.eml"));
  EXPECT_THAT(Find(Filter("id", pdf.id)), ElementsAre("a.pdf"));
  EXPECT_THAT(Find(And({Word("shared"), Filter("type", "email")})), ElementsAre("b.eml"));
  EXPECT_THAT(Find(Or({Filter("type", "pdf"), Filter("type", "email")})),
              UnorderedElementsAre("a.pdf", "b.eml"));
}

TEST_F(ReaderTest, FiltersDoNotChangeScores) {
  DocumentRecord pdf = Doc("a.pdf", "word word other");
  pdf.type = "pdf";
  Write({pdf, Doc("b.txt", "word")});
  SearchRequest plain;
  plain.query = Word("word");
  SearchRequest filtered;
  filtered.query = And({Word("word"), Filter("type", "pdf")});
  const Result<SearchResult> a = Run(plain);
  const Result<SearchResult> b = Run(filtered);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(b->hits.size(), 1u);
  for (const Hit& hit : a->hits) {
    if (hit.id == pdf.id) {
      EXPECT_DOUBLE_EQ(hit.score, b->hits[0].score);
    }
  }
}

TEST_F(ReaderTest, RequestFiltersRestrictTheQuery) {
  DocumentRecord pdf = Doc("a.pdf", "shared");
  pdf.type = "pdf";
  Write({pdf, Doc("b.txt", "shared")});
  SearchRequest request;
  request.query = Word("shared");
  request.filters = {Filter("type", "pdf")};
  const Result<SearchResult> result = Run(request);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->total, 1u);
  ASSERT_EQ(result->hits.size(), 1u);
  EXPECT_EQ(result->hits[0].id, pdf.id);
}

TEST_F(ReaderTest, CombinesWithAndOrAndNot) {
  Write({Doc("ab.txt", "apple banana"), Doc("ac.txt", "apple cherry"),
         Doc("bc.txt", "banana cherry")});
  EXPECT_THAT(Find(And({Word("apple"), Word("banana")})), ElementsAre("ab.txt"));
  EXPECT_THAT(Find(Or({Word("apple"), Word("banana")})),
              UnorderedElementsAre("ab.txt", "ac.txt", "bc.txt"));
  EXPECT_THAT(Find(AndNot(Word("apple"), Word("banana"))), ElementsAre("ac.txt"));
  EXPECT_THAT(Find(AndNot(All(), Word("apple"))), ElementsAre("bc.txt"));
  EXPECT_THAT(Find(And({Word("cherry"), Or({Word("apple"), Word("banana")})})),
              UnorderedElementsAre("ac.txt", "bc.txt"));
  EXPECT_THAT(Find(All()), UnorderedElementsAre("ab.txt", "ac.txt", "bc.txt"));
  QueryNode nothing;
  nothing.kind = Kind::kMatchNothing;
  EXPECT_THAT(Find(nothing), IsEmpty());
  EXPECT_THAT(Find(Or({nothing, Word("apple")})), UnorderedElementsAre("ab.txt", "ac.txt"));
}

TEST_F(ReaderTest, SkipsTokensLongerThanTheLimit) {
  const std::string longest(64, 'x');
  const std::string too_long(65, 'y');
  Write({Doc("a.txt", longest + " " + too_long)});
  EXPECT_THAT(Find(Word(longest)), ElementsAre("a.txt"));
  EXPECT_THAT(Find(Word(too_long)), IsEmpty());
}

// Documents dated around the edges of 2011-11-21..2012-09-29.
class DateRangeTest : public IndexTest {
 protected:
  void SetUp() override {
    std::vector<DocumentRecord> records;
    auto dated = [&](const std::string& name, std::int64_t seconds) {
      DocumentRecord r = Doc(name, "dated");
      r.extraction.date = seconds;
      records.push_back(r);
    };
    dated("2011-11-20-late", Utc(2011, 11, 20, 23, 59, 59));
    dated("2011-11-21-early", Utc(2011, 11, 21, 0, 0, 0));
    dated("2011-11-21-late", Utc(2011, 11, 21, 23, 59, 59));
    dated("2011-12-25", Utc(2011, 12, 25));
    dated("2012-02-29", Utc(2012, 2, 29));
    dated("2012-09-29-late", Utc(2012, 9, 29, 23, 59, 59));
    dated("2012-09-30-early", Utc(2012, 9, 30, 0, 0, 0));
    dated("2013-01-01", Utc(2013, 1, 1));
    dated("1969-12-31", Utc(1969, 12, 31));
    records.push_back(Doc("undated", "dated"));
    Write(records);
  }
};

TEST_F(DateRangeTest, ClosedRangeIncludesBothEndDaysAndNothingOutside) {
  EXPECT_THAT(Find(Dates("20111121", "20120929")),
              UnorderedElementsAre("2011-11-21-early", "2011-11-21-late", "2011-12-25",
                                   "2012-02-29", "2012-09-29-late"));
}

TEST_F(DateRangeTest, SingleDayRangeMatchesThatDayOnly) {
  EXPECT_THAT(Find(Dates("20111121", "20111121")),
              UnorderedElementsAre("2011-11-21-early", "2011-11-21-late"));
  EXPECT_THAT(Find(Dates("20120929", "20120929")), ElementsAre("2012-09-29-late"));
}

TEST_F(DateRangeTest, WholeMonthsAndYearsMatchEveryDayInThem) {
  EXPECT_THAT(Find(Dates("20120201", "20120229")), ElementsAre("2012-02-29"));
  EXPECT_THAT(Find(Dates("20120201", "20120228")), IsEmpty());
  EXPECT_THAT(
      Find(Dates("20110101", "20111231")),
      UnorderedElementsAre("2011-11-20-late", "2011-11-21-early", "2011-11-21-late", "2011-12-25"));
  EXPECT_THAT(Find(Dates("20110101", "20121231")).size(), 7u);
  EXPECT_THAT(Find(Dates("20111201", "20130101")),
              UnorderedElementsAre("2011-12-25", "2012-02-29", "2012-09-29-late",
                                   "2012-09-30-early", "2013-01-01"));
}

TEST_F(DateRangeTest, OpenEndedRangesRunToTheFirstOrLastDate) {
  EXPECT_THAT(
      Find(Dates("", "20111121")),
      UnorderedElementsAre("1969-12-31", "2011-11-20-late", "2011-11-21-early", "2011-11-21-late"));
  EXPECT_THAT(Find(Dates("20120929", "")),
              UnorderedElementsAre("2012-09-29-late", "2012-09-30-early", "2013-01-01"));
}

TEST_F(DateRangeTest, RangesBeforeTheEpochWork) {
  EXPECT_THAT(Find(Dates("19691201", "19700131")), ElementsAre("1969-12-31"));
  EXPECT_THAT(Find(Dates("", "19691231")), ElementsAre("1969-12-31"));
  EXPECT_THAT(Find(Dates("19700101", "")).size(), 8u);
}

TEST_F(DateRangeTest, CombinesWithWords) {
  EXPECT_THAT(Find(And({Word("dated"), Dates("20130101", "")})), ElementsAre("2013-01-01"));
  EXPECT_THAT(Find(AndNot(Word("dated"), Dates("19000101", "21001231"))), ElementsAre("undated"));
}

TEST_F(DateRangeTest, ReversedOrMalformedRangeIsInvalidArgument) {
  for (const QueryNode& node : {Dates("20120929", "20111121"), Dates("", ""), Dates("2011", "2012"),
                                Dates("2011-11-21", "")}) {
    SearchRequest request;
    request.query = node;
    const Result<SearchResult> result = Run(request);
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << node.lo << ".." << node.hi;
  }
}

TEST_F(ReaderTest, SortsByDateNewestOrOldestFirst) {
  std::vector<DocumentRecord> records;
  for (const auto& [name, seconds] :
       {std::pair{"mid", Utc(2011, 6, 1)}, std::pair{"old", Utc(1999, 1, 1)},
        std::pair{"new", Utc(2020, 1, 1)}}) {
    DocumentRecord r = Doc(name, "word");
    r.extraction.date = seconds;
    records.push_back(r);
  }
  Write(records);
  SearchRequest request;
  request.query = Word("word");
  request.sort = SortOrder::kDateNewest;
  auto names = [&] {
    std::vector<std::string> out;
    const Result<SearchResult> result = Run(request);
    EXPECT_TRUE(result.ok());
    if (result.ok()) {
      for (const Hit& hit : result->hits) out.push_back(hit.doc.record.name);
    }
    return out;
  };
  EXPECT_THAT(names(), ElementsAre("new", "mid", "old"));
  request.sort = SortOrder::kDateOldest;
  EXPECT_THAT(names(), ElementsAre("old", "mid", "new"));
}

TEST_F(ReaderTest, PagesBeyondTheFirstPage) {
  std::vector<DocumentRecord> records;
  for (int i = 0; i < 25; ++i) {
    DocumentRecord r = Doc("doc" + std::to_string(100 + i), "common");
    r.extraction.date = Utc(2000 + i, 1, 1);
    records.push_back(r);
  }
  Write(records);
  SearchRequest request;
  request.query = Word("common");
  request.sort = SortOrder::kDateOldest;
  request.offset = 10;
  request.limit = 10;
  const Result<SearchResult> second = Run(request);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->total, 25u);
  EXPECT_TRUE(second->is_total_exact);
  ASSERT_EQ(second->hits.size(), 10u);
  EXPECT_EQ(second->hits.front().doc.record.name, "doc110");
  EXPECT_EQ(second->hits.back().doc.record.name, "doc119");
  request.offset = 20;
  const Result<SearchResult> third = Run(request);
  ASSERT_EQ(third->hits.size(), 5u);
  EXPECT_EQ(third->hits.front().doc.record.name, "doc120");
  request.offset = 30;
  const Result<SearchResult> beyond = Run(request);
  ASSERT_TRUE(beyond.ok());
  EXPECT_THAT(beyond->hits, IsEmpty());
  EXPECT_EQ(beyond->total, 25u);
}

TEST_F(ReaderTest, HitsCarryIdScoreAndStoredDocument) {
  const DocumentRecord record = Doc("a.txt", "needle in a haystack");
  Write({record, Doc("b.txt", "only hay")});
  SearchRequest request;
  request.query = Word("needle");
  const Result<SearchResult> result = Run(request);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->hits.size(), 1u);
  EXPECT_EQ(result->hits[0].id, record.id);
  EXPECT_GT(result->hits[0].score, 0.0);
  EXPECT_EQ(result->hits[0].doc.record.extraction.text, "needle in a haystack");
  EXPECT_THAT(result->hits[0].doc.occurrences, ElementsAre(record.occurrence));
}

TEST_F(ReaderTest, RanksDocumentsWithMoreOccurrencesHigher) {
  Write({Doc("once.txt", "leak and many other words in this document"),
         Doc("thrice.txt", "leak leak leak")});
  EXPECT_THAT(Find(Word("leak")), ElementsAre("thrice.txt", "once.txt"));
}

TEST_F(ReaderTest, CountsFacetsOverEveryMatch) {
  std::vector<DocumentRecord> records;
  auto add = [&](const std::string& name, const std::string& type, const std::string& lang,
                 int year, const std::string& from) {
    DocumentRecord r = Doc(name, "facet");
    r.type = type;
    r.lang = lang;
    r.extraction.date = Utc(year, 3, 3);
    if (!from.empty()) r.extraction.from = {from};
    records.push_back(r);
  };
  add("a", "pdf", "fr", 2011, "");
  add("b", "pdf", "en", 2011, "");
  add("c", "pdf", "fr", 2012, "");
  add("d", "email", "fr", 2012, "Jane <Jane@Example.org>");
  add("e", "email", "en", 2012, "jane@example.org");
  add("f", "word", "de", 2013, "bob@example.org");
  Write(records);

  SearchRequest request;
  request.query = Word("facet");
  request.want_facets = true;
  request.limit = 1;  // facets count every match, not only the page
  const Result<SearchResult> result = Run(request);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  auto pairs = [&](const std::string& facet) {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    for (const FacetValue& v : result->facets.at(facet)) out.emplace_back(v.value, v.count);
    return out;
  };
  using P = std::pair<std::string, std::uint64_t>;
  EXPECT_THAT(pairs("type"), ElementsAre(P{"pdf", 3}, P{"email", 2}, P{"word", 1}));
  EXPECT_THAT(pairs("lang"), ElementsAre(P{"fr", 3}, P{"en", 2}, P{"de", 1}));
  // The year facet is the date histogram: every year, oldest first.
  EXPECT_THAT(pairs("year"), ElementsAre(P{"2011", 2}, P{"2012", 3}, P{"2013", 1}));
  EXPECT_THAT(pairs("from"), ElementsAre(P{"jane@example.org", 2}, P{"bob@example.org", 1}));

  EXPECT_EQ(result->facet_documents, 6u);

  // A sample: the facets count the first matches only, and say how many.
  request.facet_sample = 2;
  const Result<SearchResult> sampled = Run(request);
  ASSERT_TRUE(sampled.ok());
  EXPECT_EQ(sampled->total, 6u);
  EXPECT_GE(sampled->facet_documents, 2u);
  EXPECT_LT(sampled->facet_documents, 6u);
  std::uint64_t counted = 0;
  for (const FacetValue& v : sampled->facets.at("type")) counted += v.count;
  EXPECT_EQ(counted, sampled->facet_documents);
  request.facet_sample = kDefaultFacetSample;

  request.facet_size = 1;
  const Result<SearchResult> top = Run(request);
  ASSERT_TRUE(top.ok());
  ASSERT_EQ(top->facets.at("type").size(), 1u);
  EXPECT_EQ(top->facets.at("type")[0].value, "pdf");
  EXPECT_EQ(top->facets.at("year").size(), 3u);

  request.want_facets = false;
  EXPECT_THAT(Run(request)->facets, IsEmpty());
}

TEST_F(ReaderTest, FacetsCountOnlyMatchingDocuments) {
  DocumentRecord pdf = Doc("a.pdf", "match");
  pdf.type = "pdf";
  DocumentRecord mail = Doc("b.eml", "no");
  mail.type = "email";
  Write({pdf, mail});
  SearchRequest request;
  request.query = Word("match");
  request.want_facets = true;
  const Result<SearchResult> result = Run(request);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->facets.at("type").size(), 1u);
  EXPECT_EQ(result->facets.at("type")[0].value, "pdf");
  EXPECT_EQ(result->facets.at("type")[0].count, 1u);
}

}  // namespace
}  // namespace trove::index::test_util
