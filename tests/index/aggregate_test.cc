// Reader::Aggregate: the timeline and the graphs of a search, counted over its matches.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "index/index.h"
#include "index/index_fixture.h"

namespace trove::index::test_util {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

DocumentRecord Dated(const std::string& name, const std::string& text,
                     std::optional<std::int64_t> date, std::vector<EntityMention> entities = {}) {
  DocumentRecord record = Doc(name, text);
  record.extraction.date = date;
  record.entities = std::move(entities);
  return record;
}

DocumentRecord Message(const std::string& name, std::vector<std::string> from,
                       std::vector<std::string> to, std::vector<std::string> cc = {}) {
  DocumentRecord record = Doc(name, "minutes of the meeting");
  record.type = "email";
  record.media_type = "message/rfc822";
  record.extraction.from = std::move(from);
  record.extraction.to = std::move(to);
  record.extraction.cc = std::move(cc);
  return record;
}

std::vector<std::pair<std::string, std::uint64_t>> Months(const std::vector<MonthCount>& months) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (const MonthCount& m : months) out.emplace_back(m.month, m.documents);
  return out;
}

std::vector<std::string> Entities(const AggregateResult& result) {
  std::vector<std::string> out;
  for (const EntityCount& e : result.entities) {
    out.push_back(e.type + ":" + e.value + "=" + std::to_string(e.documents));
  }
  return out;
}

// Links as "source-target=weight" with the entries named by `name`.
template <typename Name>
std::vector<std::string> Links(const std::vector<AggregateLink>& links, Name name) {
  std::vector<std::string> out;
  for (const AggregateLink& link : links) {
    out.push_back(name(link.source) + ">" + name(link.target) + "=" +
                  std::to_string(link.documents));
  }
  return out;
}

class AggregateTest : public IndexTest {
 protected:
  Result<AggregateResult> Aggregate(const AggregateRequest& request) {
    std::unique_ptr<Reader> reader = OpenReader();
    if (reader == nullptr) return Status::Internal("no reader");
    return reader->Aggregate(request);
  }
};

// The case a timeline built from the top hits got wrong: more matches than hits read.
TEST_F(AggregateTest, MonthsCountEveryMatchWhileTermListsReadTheFirstInOrder) {
  std::vector<DocumentRecord> records;
  // Five documents that rank first (the word three times), the only ones mentioning Alice.
  for (int i = 0; i < 5; ++i) {
    records.push_back(Dated("top" + std::to_string(i), "budget budget budget", Utc(2012, 1, 10 + i),
                            {{"person", "Alice Martin", 0, 1}, {"date", "2010-05-01", 0, 1}}));
  }
  for (int i = 0; i < 20; ++i) {
    records.push_back(Dated("low" + std::to_string(i), "the budget and much more text besides",
                            Utc(2011, 11, 1 + i), {{"person", "Bob Stone", 0, 1}}));
  }
  for (int i = 0; i < 3; ++i) {
    records.push_back(
        Dated("undated" + std::to_string(i), "budget once in a long text here", std::nullopt));
  }
  records.push_back(Dated("other", "nothing to see", Utc(2011, 11, 5)));
  Write(records);

  AggregateRequest request;
  request.query = Word("budget");
  request.sample = 5;
  request.want_mentioned_months = true;
  request.entity_types = {"person"};
  const Result<AggregateResult> result = Aggregate(request);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->total, 28u);
  // Every match counts in the months, whatever the sample.
  EXPECT_THAT(Months(result->months), ElementsAre(Pair("2011-11", 20u), Pair("2012-01", 5u)));
  EXPECT_EQ(result->undated, 3u);
  // The term lists: the five best-ranked matches only.
  EXPECT_EQ(result->documents_counted, 5u);
  EXPECT_THAT(Entities(*result), ElementsAre("person:Alice Martin=5"));
  ASSERT_EQ(result->mentioned_months.size(), 1u);
  EXPECT_EQ(result->mentioned_months[0].month, "2010-05");
  EXPECT_EQ(result->mentioned_months[0].documents, 5u);

  // The sample follows the order asked for: the oldest first are Bob's.
  request.sort = SortOrder::kDateOldest;
  const Result<AggregateResult> oldest = Aggregate(request);
  ASSERT_TRUE(oldest.ok()) << oldest.status().ToString();
  EXPECT_THAT(Entities(*oldest), ElementsAre("person:Bob Stone=5"));
  EXPECT_THAT(Months(oldest->months), ElementsAre(Pair("2011-11", 20u), Pair("2012-01", 5u)));

  // 0: every match.
  request.sample = 0;
  const Result<AggregateResult> all = Aggregate(request);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->documents_counted, 28u);
  EXPECT_THAT(Entities(*all), ElementsAre("person:Bob Stone=20", "person:Alice Martin=5"));
}

TEST_F(AggregateTest, FiltersRestrictTheMatchesCounted) {
  Write({Dated("a", "report", Utc(2011, 3, 1)), Dated("b", "report", Utc(2011, 4, 1)),
         Dated("c", "report", Utc(2012, 4, 1))});
  AggregateRequest request;
  request.query = Word("report");
  request.filters = {Filter("year", "2011")};
  const Result<AggregateResult> result = Aggregate(request);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->total, 2u);
  EXPECT_THAT(Months(result->months), ElementsAre(Pair("2011-03", 1u), Pair("2011-04", 1u)));
  EXPECT_THAT(result->entities, IsEmpty());
  EXPECT_EQ(result->messages, 0u);
}

TEST_F(AggregateTest, MentionedMonthsCountDocumentsAndMentions) {
  Write({Dated("a", "x", std::nullopt,
               {{"date", "2011-11-21", 0, 1},
                {"date", "2011-11-21", 5, 6},
                {"date", "2011-11-22", 9, 10},
                {"date", "2012-02-01", 12, 13}}),
         Dated("b", "x", std::nullopt, {{"date", "2011-11-30", 0, 1}})});
  AggregateRequest request;
  request.want_mentioned_months = true;
  const Result<AggregateResult> result = Aggregate(request);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->mentioned_months.size(), 2u);
  EXPECT_EQ(result->mentioned_months[0].month, "2011-11");
  EXPECT_EQ(result->mentioned_months[0].documents, 2u);
  EXPECT_EQ(result->mentioned_months[0].mentions, 4u);  // the key term's wdf counts each
  EXPECT_EQ(result->mentioned_months[1].month, "2012-02");
  EXPECT_EQ(result->mentioned_months[1].documents, 1u);
  EXPECT_EQ(result->undated, 2u);
  EXPECT_THAT(result->months, IsEmpty());
}

TEST_F(AggregateTest, EntitiesAndTheirPairsWithCurationApplied) {
  Write({Dated("1", "", std::nullopt,
               {{"person", "Marine Le Pen", 0, 1},
                {"org", "CIA", 0, 1},
                {"place", "Paris", 0, 1},
                {"person", "Spam Name", 0, 1}}),
         Dated("2", "", std::nullopt, {{"person", "MARINE LE PEN", 0, 1}, {"org", "CIA", 0, 1}}),
         Dated("3", "", std::nullopt, {{"person", "M. Le Pen", 0, 1}, {"org", "DGSE", 0, 1}}),
         Dated("4", "", std::nullopt, {{"org", "DGSE", 0, 1}, {"person", "Jean Dupont", 0, 1}})});
  AggregateRequest request;
  request.entity_types = {"person", "org"};
  request.entity_rules = {
      {"person", "m le pen", EntityRule::Action::kMerge, "marine le pen"},
      {"person", "marine le pen", EntityRule::Action::kRename, "Marine Le Pen (FN)"},
      {"person", "spam name", EntityRule::Action::kDelete, ""}};
  const Result<AggregateResult> result = Aggregate(request);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  // Merged forms count as one entity under its new name; deleted ones and other types are
  // left out; ties go by type and value.
  EXPECT_THAT(Entities(*result), ElementsAre("person:Marine Le Pen (FN)=3", "org:CIA=2",
                                             "org:DGSE=2", "person:Jean Dupont=1"));
  EXPECT_EQ(result->entities[0].key, "marine le pen");
  auto name = [&](std::size_t i) { return result->entities.at(i).value; };
  EXPECT_THAT(
      Links(result->entity_links, name),
      ElementsAre("Marine Le Pen (FN)>CIA=2", "Marine Le Pen (FN)>DGSE=1", "DGSE>Jean Dupont=1"));

  // The pairs are of the entities shown only.
  request.max_entities = 2;
  const Result<AggregateResult> top = Aggregate(request);
  ASSERT_TRUE(top.ok()) << top.status().ToString();
  EXPECT_THAT(Entities(*top), ElementsAre("person:Marine Le Pen (FN)=3", "org:CIA=2"));
  auto top_name = [&](std::size_t i) { return top->entities.at(i).value; };
  EXPECT_THAT(Links(top->entity_links, top_name), ElementsAre("Marine Le Pen (FN)>CIA=2"));

  request.entity_types = {"colour"};
  const Result<AggregateResult> unknown = Aggregate(request);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(), HasSubstr("colour"));
}

TEST_F(AggregateTest, CorrespondentsComeFromTheAddressTermsAcrossShards) {
  Write({Message("m1", {"Jane Doe <Jane.Doe@Example.org>"}, {"bob@example.org"},
                 {"Carol <carol@example.org>"}),
         Message("m2", {"Jane Doe <jane.doe@example.org>"}, {"Bob Stone <BOB@example.org>"}),
         Message("m3", {"bob@example.org"}, {"jane.doe@example.org", "bob@example.org"}),
         // No recipient: not a message between two people.
         Message("m4", {"carol@example.org"}, {}),
         Dated("memo", "minutes of the meeting", std::nullopt)},
        /*shard_count=*/3);
  AggregateRequest request;
  request.query = Word("minutes");
  request.want_correspondents = true;
  const Result<AggregateResult> result = Aggregate(request);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->total, 5u);
  EXPECT_EQ(result->documents_counted, 5u);
  EXPECT_EQ(result->messages, 3u);
  std::vector<std::string> nodes;
  for (const Correspondent& c : result->correspondents) {
    nodes.push_back(c.address + "|" + c.name + "|" + std::to_string(c.sent) + "/" +
                    std::to_string(c.received));
  }
  EXPECT_THAT(nodes,
              ElementsAre("bob@example.org|Bob Stone|1/3", "jane.doe@example.org|Jane Doe|2/1",
                          "carol@example.org|Carol|0/1"));
  auto address = [&](std::size_t i) { return result->correspondents.at(i).address; };
  // Nobody writes to themselves.
  EXPECT_THAT(Links(result->correspondence, address),
              ElementsAre("jane.doe@example.org>bob@example.org=2",
                          "bob@example.org>jane.doe@example.org=1",
                          "jane.doe@example.org>carol@example.org=1"));

  request.max_correspondents = 2;
  const Result<AggregateResult> top = Aggregate(request);
  ASSERT_TRUE(top.ok()) << top.status().ToString();
  ASSERT_EQ(top->correspondents.size(), 2u);
  auto top_address = [&](std::size_t i) { return top->correspondents.at(i).address; };
  EXPECT_THAT(Links(top->correspondence, top_address),
              ElementsAre("jane.doe@example.org>bob@example.org=2",
                          "bob@example.org>jane.doe@example.org=1"));
}

}  // namespace
}  // namespace trove::index::test_util
