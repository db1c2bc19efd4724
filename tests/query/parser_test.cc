#include "query/parser.h"

#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace trove::query {
namespace {

using index::QueryNode;
using Kind = QueryNode::Kind;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The tree of `query` written back, or the error.
std::string Tree(std::string_view query, const ParseOptions& options = {}) {
  const Result<QueryNode> node = Parse(query, options);
  if (!node.ok()) return "error: " + node.status().message();
  return Describe(*node);
}

QueryNode ParseOk(std::string_view query, const ParseOptions& options = {}) {
  Result<QueryNode> node = Parse(query, options);
  EXPECT_TRUE(node.ok()) << query << ": " << node.status().ToString();
  return node.ok() ? std::move(node).value() : QueryNode{};
}

// The error message for a query that must not parse.
std::string ErrorOf(std::string_view query) {
  const Result<QueryNode> node = Parse(query);
  EXPECT_FALSE(node.ok()) << query << " parsed as " << (node.ok() ? Describe(*node) : "");
  if (node.ok()) return "";
  EXPECT_EQ(node.status().code(), StatusCode::kInvalidArgument) << query;
  return node.status().message();
}

TEST(Parse, ReadsASingleWord) {
  const QueryNode node = ParseOk("Élection");
  EXPECT_EQ(node.kind, Kind::kWord);
  EXPECT_THAT(node.words, ElementsAre("Élection"));
  EXPECT_EQ(node.field, "");
  EXPECT_FALSE(node.is_exact);
}

TEST(Parse, JoinsWordsWithAndByDefault) {
  const QueryNode node = ParseOk("iraq war logs");
  EXPECT_EQ(node.kind, Kind::kAnd);
  ASSERT_EQ(node.children.size(), 3u);
  EXPECT_EQ(Describe(node), "(iraq AND war AND logs)");
  EXPECT_EQ(Tree("iraq AND war"), "(iraq AND war)");
  EXPECT_EQ(Tree("iraq && war"), "(iraq AND war)");
}

TEST(Parse, BindsOrTighterThanTheImplicitAnd) {
  EXPECT_EQ(Tree("a b OR c"), "(a AND (b OR c))");
  EXPECT_EQ(Tree("a OR b c"), "((a OR b) AND c)");
  EXPECT_EQ(Tree("a OR b OR c"), "(a OR b OR c)");
  EXPECT_EQ(Tree("a AND b OR c"), "(a AND (b OR c))");
  EXPECT_EQ(Tree("a || b"), "(a OR b)");
  const QueryNode node = ParseOk("a b OR c");
  ASSERT_EQ(node.kind, Kind::kAnd);
  EXPECT_EQ(node.children[1].kind, Kind::kOr);
}

TEST(Parse, TreatsLowercaseOperatorsAsWords) {
  EXPECT_EQ(Tree("cats or dogs"), "(cats AND or AND dogs)");
}

TEST(Parse, ExcludesWithMinusAndNot) {
  EXPECT_EQ(Tree("a -b"), "(a AND NOT b)");
  EXPECT_EQ(Tree("a NOT b"), "(a AND NOT b)");
  EXPECT_EQ(Tree("a -b -c"), "(a AND NOT (b OR c))");
  EXPECT_EQ(Tree("-b"), "(* AND NOT b)");
  EXPECT_EQ(Tree("a -(b OR c)"), "(a AND NOT (b OR c))");
  EXPECT_EQ(Tree("a OR -b"), "(a OR (* AND NOT b))");
  const QueryNode node = ParseOk("a -b");
  ASSERT_EQ(node.kind, Kind::kAndNot);
  ASSERT_EQ(node.children.size(), 2u);
  EXPECT_EQ(node.children[0].kind, Kind::kWord);
  EXPECT_EQ(node.children[1].kind, Kind::kWord);
}

TEST(Parse, KeepsAHyphenInsideAWordAsAPhrase) {
  EXPECT_EQ(Tree("États-Unis"), "\"États Unis\"");
  EXPECT_EQ(Tree("l'élection"), "\"l élection\"");
  EXPECT_EQ(Tree("+a b"), "(a AND b)");
}

TEST(Parse, IgnoresPunctuationStandingAlone) {
  EXPECT_EQ(Tree("iraq - war"), "(iraq AND war)");
  EXPECT_EQ(Tree("iraq – war logs"), "(iraq AND war AND logs)");
  EXPECT_EQ(Tree("a & b"), "(a AND b)");
  EXPECT_EQ(Tree("a OR !"), "(a OR <nothing>)");
  EXPECT_EQ(ParseOk("!!!").kind, Kind::kMatchNothing);
}

TEST(Parse, GroupsWithParentheses) {
  EXPECT_EQ(Tree("(a OR b) c"), "((a OR b) AND c)");
  EXPECT_EQ(Tree("(a b) OR c"), "((a AND b) OR c)");
  EXPECT_EQ(Tree("((a))"), "a");
  EXPECT_EQ(Tree("a (b (c OR d))"), "(a AND (b AND (c OR d)))");
}

TEST(Parse, ReadsPhrases) {
  const QueryNode node = ParseOk("\"Quick brown fox\"");
  EXPECT_EQ(node.kind, Kind::kPhrase);
  EXPECT_THAT(node.words, ElementsAre("Quick", "brown", "fox"));
  EXPECT_EQ(Tree("a \"b c\" d"), "(a AND \"b c\" AND d)");
  EXPECT_EQ(Tree("\"l'été, à Paris\""), "\"l été à Paris\"");
}

TEST(Parse, ReadsNearWithAndWithoutDistance) {
  QueryNode node = ParseOk("snowden NEAR/5 greenwald");
  EXPECT_EQ(node.kind, Kind::kNear);
  EXPECT_EQ(node.distance, 5);
  EXPECT_THAT(node.words, ElementsAre("snowden", "greenwald"));
  node = ParseOk("snowden NEAR greenwald");
  EXPECT_EQ(node.kind, Kind::kNear);
  EXPECT_EQ(node.distance, 10);
  node = ParseOk("a NEAR/3 b NEAR/7 c");
  EXPECT_THAT(node.words, ElementsAre("a", "b", "c"));
  EXPECT_EQ(node.distance, 7);
  EXPECT_EQ(Tree("x a NEAR/2 b"), "(x AND a NEAR/2 b)");
  node = ParseOk("\"white house\" NEAR/4 press");
  EXPECT_THAT(node.words, ElementsAre("white", "house", "press"));
}

TEST(Parse, ReadsPrefixWildcards) {
  const QueryNode node = ParseOk("elect*");
  EXPECT_EQ(node.kind, Kind::kPrefix);
  EXPECT_THAT(node.words, ElementsAre("elect"));
  EXPECT_EQ(Describe(node), "elect*");
  const QueryNode titled = ParseOk("title:rep*");
  EXPECT_EQ(titled.kind, Kind::kPrefix);
  EXPECT_EQ(titled.field, "title");
}

TEST(Parse, ReadsEveryTextField) {
  for (const std::string field : {"title", "from", "to", "cc", "bcc", "path", "name"}) {
    const QueryNode node = ParseOk(field + ":budget");
    EXPECT_EQ(node.kind, Kind::kWord) << field;
    EXPECT_EQ(node.field, field);
    EXPECT_THAT(node.words, ElementsAre("budget"));
  }
  EXPECT_EQ(Tree("Title:Budget"), "title:Budget");
}

TEST(Parse, ReadsEveryEntityField) {
  for (const std::string field : {"person", "org", "place", "email", "phone", "iban", "url",
                                  "domain", "ip", "money", "mentions", "marking"}) {
    const QueryNode node = ParseOk(field + ":\"Marine Le Pen\"");
    EXPECT_EQ(node.kind, Kind::kPhrase) << field;
    EXPECT_EQ(node.field, field);
  }
  // An address in the email field is cut into words like the entity it matches.
  EXPECT_EQ(ParseOk("email:jane@example.org").kind, Kind::kPhrase);
  EXPECT_THAT(ParseOk("marking:SECRET//NOFORN").words, ElementsAre("SECRET", "NOFORN"));
}

TEST(Parse, KeepsAddressesWholeInAddressFields) {
  for (const std::string field : {"from", "to", "cc", "bcc"}) {
    const QueryNode node = ParseOk(field + ":Jane.Doe@example.org");
    EXPECT_EQ(node.kind, Kind::kWord) << field;
    EXPECT_EQ(node.field, field);
    EXPECT_THAT(node.words, ElementsAre("Jane.Doe@example.org"));
  }
}

TEST(Parse, CutsAddressesIntoWordsElsewhere) {
  EXPECT_EQ(Tree("jane@example.org"), "\"jane example org\"");
  // Title and path words are indexed one by one: an address there is a phrase of its words.
  const QueryNode title = ParseOk("title:jane@example.org");
  EXPECT_EQ(title.kind, Kind::kPhrase);
  EXPECT_EQ(title.field, "title");
  EXPECT_THAT(title.words, ElementsAre("jane", "example", "org"));
  EXPECT_EQ(ParseOk("path:backup@host").kind, Kind::kPhrase);
}

TEST(Parse, ReadsFieldPhrasesAndGroups) {
  const QueryNode phrase = ParseOk("title:\"annual report\"");
  EXPECT_EQ(phrase.kind, Kind::kPhrase);
  EXPECT_EQ(phrase.field, "title");
  EXPECT_EQ(Tree("title:(budget OR report)"), "(title:budget OR title:report)");
  EXPECT_EQ(Tree("from:(jane bob)"), "(from:jane OR from:bob)");
}

TEST(Parse, ReadsFilters) {
  const QueryNode node = ParseOk("type:pdf");
  EXPECT_EQ(node.kind, Kind::kFilter);
  EXPECT_EQ(node.field, "type");
  EXPECT_THAT(node.words, ElementsAre("pdf"));
  for (const std::string field :
       {"lang", "id", "parent", "state", "year", "mime", "messageid", "source"}) {
    EXPECT_EQ(ParseOk(field + ":x").kind, Kind::kFilter) << field;
  }
  EXPECT_EQ(Tree("leak type:(pdf OR email)"), "(leak AND (type:pdf OR type:email))");
  EXPECT_EQ(Tree("lang:fr election"), "(lang:fr AND election)");
}

TEST(Parse, ReadsDatesAsDayRanges) {
  QueryNode node = ParseOk("date:2011");
  EXPECT_EQ(node.kind, Kind::kDateRange);
  EXPECT_EQ(node.lo, "20110101");
  EXPECT_EQ(node.hi, "20111231");
  node = ParseOk("date:2012-02");
  EXPECT_EQ(node.lo, "20120201");
  EXPECT_EQ(node.hi, "20120229");
  node = ParseOk("date:2011-02");
  EXPECT_EQ(node.hi, "20110228");
  node = ParseOk("date:2000-02");
  EXPECT_EQ(node.hi, "20000229");
  node = ParseOk("date:1900-02");
  EXPECT_EQ(node.hi, "19000228");
  node = ParseOk("date:2011-11-21");
  EXPECT_EQ(node.lo, "20111121");
  EXPECT_EQ(node.hi, "20111121");
}

TEST(Parse, ReadsDateRangesWithOpenEnds) {
  QueryNode node = ParseOk("date:2011-11-21..2012-09-29");
  EXPECT_EQ(node.lo, "20111121");
  EXPECT_EQ(node.hi, "20120929");
  EXPECT_EQ(Describe(node), "date:2011-11-21..2012-09-29");
  node = ParseOk("date:2011..2012-03");
  EXPECT_EQ(node.lo, "20110101");
  EXPECT_EQ(node.hi, "20120331");
  node = ParseOk("date:..2012");
  EXPECT_EQ(node.lo, "");
  EXPECT_EQ(node.hi, "20121231");
  node = ParseOk("date:2011-11..");
  EXPECT_EQ(node.lo, "20111101");
  EXPECT_EQ(node.hi, "");
  EXPECT_EQ(Tree("date:2011-11.."), "date:2011-11-01..");
}

TEST(Parse, MarksLeavesExactInExactMode) {
  ParseOptions exact;
  exact.is_exact = true;
  const QueryNode node = ParseOk("CIA \"Black Site\"", exact);
  ASSERT_EQ(node.kind, Kind::kAnd);
  EXPECT_TRUE(node.children[0].is_exact);
  EXPECT_TRUE(node.children[1].is_exact);
  EXPECT_EQ(Describe(node), "(=CIA AND =\"Black Site\")");
  EXPECT_FALSE(ParseOk("CIA").is_exact);
}

TEST(Parse, DescribeReadsBackAsTheSameTree) {
  for (const char* query :
       {"a b OR c", "(a OR b) -c", "\"x y\" NEAR/3 z", "title:(a OR b) date:2011..2012",
        "type:(pdf OR email) from:jane@example.org", "elect* lang:fr", "a AND (b OR (c d))"}) {
    const std::string once = Tree(query);
    EXPECT_EQ(Tree(once), once) << query;
  }
}

TEST(ParseErrors, NameAnUnclosedParenthesisAndItsColumn) {
  const std::string message = ErrorOf("a (b c");
  EXPECT_THAT(message, HasSubstr("'('"));
  EXPECT_THAT(message, HasSubstr("never closed"));
  EXPECT_THAT(message, HasSubstr("column 3"));
}

TEST(ParseErrors, NameAStrayClosingParenthesis) {
  const std::string message = ErrorOf("a b)");
  EXPECT_THAT(message, HasSubstr("')' has no matching '('"));
  EXPECT_THAT(message, HasSubstr("column 4"));
  EXPECT_THAT(ErrorOf(") a"), HasSubstr("')' has no matching '('"));
  EXPECT_THAT(ErrorOf("(a) b)"), HasSubstr("column 6"));
}

TEST(ParseErrors, NameAnUnterminatedQuote) {
  const std::string message = ErrorOf("a \"black site");
  EXPECT_THAT(message, HasSubstr("never closed"));
  EXPECT_THAT(message, HasSubstr("column 3"));
}

TEST(ParseErrors, NameAnUnknownFieldAndListTheKnownOnes) {
  const std::string message = ErrorOf("leak form:jane");
  EXPECT_THAT(message, HasSubstr("unknown field 'form:'"));
  EXPECT_THAT(message, HasSubstr("from"));
  EXPECT_THAT(message, HasSubstr("person"));
  EXPECT_THAT(message, HasSubstr("column 6"));
}

TEST(ParseErrors, RejectAnEmptyQuery) {
  EXPECT_THAT(ErrorOf(""), HasSubstr("empty"));
  EXPECT_THAT(ErrorOf("   "), HasSubstr("empty"));
}

TEST(ParseErrors, RejectOperatorsWithoutOperands) {
  std::string message = ErrorOf("a OR");
  EXPECT_THAT(message, HasSubstr("OR needs a term after it"));
  EXPECT_THAT(message, HasSubstr("column 3"));
  EXPECT_THAT(ErrorOf("OR a"), HasSubstr("OR needs a term before it"));
  EXPECT_THAT(ErrorOf("a OR )"), HasSubstr("OR needs a term after it"));
  EXPECT_THAT(ErrorOf("a AND"), HasSubstr("AND needs a term after it"));
  EXPECT_THAT(ErrorOf("AND a"), HasSubstr("AND needs a term before it"));
  EXPECT_THAT(ErrorOf("a NOT"), HasSubstr("NOT needs a term after it"));
  EXPECT_THAT(ErrorOf("NOT NOT a"), HasSubstr("NOT needs a term after it"));
  EXPECT_THAT(ErrorOf("NEAR a"), HasSubstr("needs a word before it"));
  EXPECT_THAT(ErrorOf("a NEAR/3"), HasSubstr("needs a word after it"));
  EXPECT_THAT(ErrorOf("a NEAR/3 (b)"), HasSubstr("needs a word after it"));
}

TEST(ParseErrors, RejectNearOverItsLimitOrAcrossFields) {
  EXPECT_THAT(ErrorOf("a NEAR/5000 b"), HasSubstr("NEAR distance over 1000"));
  EXPECT_THAT(ErrorOf("title:a NEAR b"), HasSubstr("same field"));
}

TEST(ParseErrors, RejectMisplacedWildcards) {
  EXPECT_THAT(ErrorOf("*"), HasSubstr("wildcard"));
  EXPECT_THAT(ErrorOf("a*b"), HasSubstr("wildcard"));
  EXPECT_THAT(ErrorOf("l'élect*"), HasSubstr("one word"));
}

TEST(ParseErrors, RejectFieldsWithoutValue) {
  EXPECT_THAT(ErrorOf("title:"), HasSubstr("needs a value"));
  EXPECT_THAT(ErrorOf("title: budget"), HasSubstr("needs a value"));
  EXPECT_THAT(ErrorOf("type:)"), HasSubstr("needs a value"));
  EXPECT_THAT(ErrorOf("type:()"), HasSubstr("values separated by OR"));
  EXPECT_THAT(ErrorOf("title:()"), HasSubstr("empty"));
  EXPECT_THAT(ErrorOf("title:(a b"), HasSubstr("never closed"));
}

TEST(ParseErrors, RejectBadDates) {
  for (const char* query : {"date:2011-13", "date:2011-00-10", "date:2011-11-32", "date:11-11-2011",
                            "date:2011/11/21", "date:20111121", "date:999", "date:2011-1-5",
                            "date:x", "date:2011-02-30", "date:2011-04-31", "date:2011-02-29"}) {
    const std::string message = ErrorOf(query);
    EXPECT_THAT(message, HasSubstr("bad date")) << query;
    EXPECT_THAT(message, HasSubstr("column 6")) << query;  // where the value starts
  }
  EXPECT_EQ(ParseOk("date:2012-02-29").hi, "20120229");
  EXPECT_THAT(ErrorOf("date:\"2011\""), HasSubstr("date: takes a date"));
}

TEST(ParseErrors, RejectReversedAndEmptyDateRanges) {
  const std::string message = ErrorOf("leak date:2012-09-29..2011-11-21");
  EXPECT_THAT(message, HasSubstr("ends before it starts"));
  EXPECT_THAT(message, HasSubstr("column 11"));
  EXPECT_THAT(ErrorOf("date:2012..2011"), HasSubstr("ends before it starts"));
  EXPECT_THAT(ErrorOf("date:.."), HasSubstr("at least one end"));
  EXPECT_THAT(ErrorOf("date:2011..2012..2013"), HasSubstr("bad date"));
}

TEST(ParseErrors, RejectParenthesesNestedTooDeeply) {
  const std::string deep = std::string(500, '(') + "a" + std::string(500, ')');
  EXPECT_THAT(ErrorOf(deep), HasSubstr("nested too deeply"));
  const std::string fine = std::string(50, '(') + "a" + std::string(50, ')');
  EXPECT_EQ(Tree(fine), "a");
}

// Random queries from the language's own pieces: parsing either succeeds with a tree that
// Describe can show, or fails with InvalidArgument naming a column. It never crashes.
TEST(Parse, NeverFailsOtherThanWithInvalidArgumentOnRandomQueries) {
  const std::vector<std::string> pieces = {
      "a",    "élection", "OR",      "AND",   "NOT", "-",      "+",     "(",     ")",
      "\"",   "NEAR",     "NEAR/3",  "*",     "x*",  "title:", "from:", "type:", "date:",
      "2011", "..",       "2012-09", "form:", ":",   " ",      " ",     " ",     "jane@example.org",
      "&&",   "||",       "中",      "'",     "\xFF"};
  std::mt19937 rng(99);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  for (int round = 0; round < 3000; ++round) {
    std::string query;
    const int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) query += pieces[pick(rng)];
    const Result<QueryNode> node = Parse(query);
    if (node.ok()) {
      EXPECT_FALSE(Describe(*node).empty()) << query;
    } else {
      ASSERT_EQ(node.status().code(), StatusCode::kInvalidArgument) << query;
      ASSERT_THAT(node.status().message(), HasSubstr("column ")) << query;
    }
  }
}

}  // namespace
}  // namespace trove::query
