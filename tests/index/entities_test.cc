// Entities in the index: fields that search them, and listings by document count.
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

using EntitiesTest = IndexTest;

DocumentRecord WithEntities(const std::string& name, const std::string& text,
                            std::vector<EntityMention> entities) {
  DocumentRecord record = Doc(name, text);
  record.entities = std::move(entities);
  return record;
}

EntityQuery Query(std::string type = "", std::string with = "", std::uint64_t limit = 50,
                  std::vector<EntityRule> rules = {}) {
  EntityQuery query;
  query.type = std::move(type);
  query.with = std::move(with);
  query.limit = limit;
  query.rules = std::move(rules);
  return query;
}

std::vector<std::string> Names(const std::vector<EntityCount>& counts) {
  std::vector<std::string> out;
  for (const EntityCount& c : counts) {
    out.push_back(c.type + ":" + c.value + "=" + std::to_string(c.documents));
  }
  return out;
}

TEST(EntityKey, FoldsAndJoinsTheWords) {
  EXPECT_EQ(EntityKey("François  HOLLANDE"), "francois hollande");
  EXPECT_EQ(EntityKey("John.Doe@Example.com"), "john doe example com");
  EXPECT_EQ(EntityKey("SECRET//NOFORN"), "secret noforn");
  EXPECT_EQ(EntityKey("--"), "");
}

TEST_F(EntitiesTest, EntityFieldsSearchTheWordsOfThatTypeOnly) {
  Write({WithEntities("memo.txt", "Hollande met the CIA",
                      {{"person", "François Hollande", 0, 8}, {"org", "CIA", 17, 20}}),
         WithEntities("place.txt", "Hollande is a province", {{"place", "Hollande", 0, 8}}),
         Doc("plain.txt", "Hollande without entities")});
  EXPECT_THAT(Find(Word("hollande", "person")), ElementsAre("memo.txt"));
  EXPECT_THAT(Find(Word("Francois", "person")), ElementsAre("memo.txt"));
  EXPECT_THAT(Find(Phrase({"françois", "hollande"}, "person")), ElementsAre("memo.txt"));
  EXPECT_THAT(Find(Phrase({"hollande", "françois"}, "person")), IsEmpty());
  EXPECT_THAT(Find(Word("hollande", "place")), ElementsAre("place.txt"));
  EXPECT_THAT(Find(Word("cia", "org")), ElementsAre("memo.txt"));
  EXPECT_THAT(Find(Word("hollande")), UnorderedElementsAre("memo.txt", "place.txt", "plain.txt"));
}

TEST_F(EntitiesTest, DatesMentionedAreSearchedWithMentions) {
  Write({WithEntities("a.txt", "on 21 November 2011", {{"date", "2011-11-21", 3, 19}}),
         WithEntities("b.txt", "on 22 November 2011", {{"date", "2011-11-22", 3, 19}})});
  EXPECT_THAT(Find(Phrase({"2011", "11", "21"}, "mentions")), ElementsAre("a.txt"));
}

TEST_F(EntitiesTest, ListsEntitiesByDocumentCountUnderTheirCommonestForm) {
  Write({WithEntities("1.txt", "", {{"person", "Marine Le Pen", 0, 1}, {"org", "CIA", 0, 1}}),
         WithEntities("2.txt", "",
                      {{"person", "Marine Le Pen", 0, 1}, {"person", "Marine Le Pen", 5, 6}}),
         WithEntities("3.txt", "", {{"person", "MARINE LE PEN", 0, 1}}),
         WithEntities("4.txt", "", {{"person", "Jean Dupont", 0, 1}})});
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  Result<std::vector<EntityCount>> all = reader->Entities(Query());
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_THAT(Names(*all),
              ElementsAre("person:Marine Le Pen=3", "org:CIA=1", "person:Jean Dupont=1"));
  Result<std::vector<EntityCount>> orgs = reader->Entities(Query("org"));
  ASSERT_TRUE(orgs.ok());
  EXPECT_THAT(Names(*orgs), ElementsAre("org:CIA=1"));
  Result<std::vector<EntityCount>> one = reader->Entities(Query("", "", 1));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
}

TEST_F(EntitiesTest, ListsWhatIsMentionedWithAnEntity) {
  Write({WithEntities(
             "1.txt", "",
             {{"person", "Marine Le Pen", 0, 1}, {"org", "CIA", 0, 1}, {"place", "Paris", 0, 1}}),
         WithEntities("2.txt", "", {{"person", "Marine Le Pen", 0, 1}, {"org", "CIA", 0, 1}}),
         WithEntities("3.txt", "", {{"org", "NSA", 0, 1}})});
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  Result<std::vector<EntityCount>> with = reader->Entities(Query("", "marine le pen"));
  ASSERT_TRUE(with.ok()) << with.status().ToString();
  EXPECT_THAT(Names(*with), ElementsAre("org:CIA=2", "place:Paris=1"));
  Result<std::vector<EntityCount>> orgs = reader->Entities(Query("org", "Le Pen"));
  ASSERT_TRUE(orgs.ok());
  EXPECT_THAT(Names(*orgs), ElementsAre("org:CIA=2"));
}

TEST(EntityRules, FollowMergesAndStopAtDeletionsAndLoops) {
  using Action = EntityRule::Action;
  const EntityRules rules({{"person", "hollande", Action::kMerge, "f hollande"},
                           {"person", "f hollande", Action::kMerge, "francois hollande"},
                           {"person", "hi", Action::kDelete, ""},
                           {"org", "ps", Action::kRename, "Parti socialiste"},
                           {"org", "a", Action::kMerge, "b"},
                           {"org", "b", Action::kMerge, "a"}});
  EXPECT_EQ(rules.Resolve("person", "hollande"), "francois hollande");
  EXPECT_EQ(rules.Resolve("place", "hollande"), "hollande");  // rules belong to one type
  EXPECT_EQ(rules.Resolve("person", "hi"), std::nullopt);
  EXPECT_EQ(rules.Resolve("org", "ps"), "ps");
  EXPECT_EQ(rules.NewName("org", "ps"), "Parti socialiste");
  EXPECT_EQ(rules.KeyOfName("org", "parti socialiste"), "ps");
  EXPECT_TRUE(rules.Resolve("org", "a").has_value());  // a loop ends
  EXPECT_THAT(rules.Sources("person", "francois hollande"),
              UnorderedElementsAre("francois hollande", "f hollande", "hollande"));
}

TEST_F(EntitiesTest, CurationChangesListingsWithoutReindexing) {
  Write({WithEntities(
             "1.txt", "",
             {{"person", "François Hollande", 0, 1}, {"org", "PS", 0, 1}, {"person", "Hi", 0, 1}}),
         WithEntities("2.txt", "", {{"person", "Hollande", 0, 1}, {"org", "PS", 0, 1}}),
         WithEntities("3.txt", "", {{"person", "Hollande", 0, 1}, {"org", "CIA", 0, 1}})});
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  using Action = EntityRule::Action;
  const std::vector<EntityRule> rules = {
      {"person", "hollande", Action::kMerge, "francois hollande"},
      {"person", "hi", Action::kDelete, ""},
      {"org", "ps", Action::kRename, "Parti socialiste"}};
  Result<std::vector<EntityCount>> all = reader->Entities(Query("", "", 50, rules));
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_THAT(Names(*all),
              ElementsAre("person:François Hollande=3", "org:Parti socialiste=2", "org:CIA=1"));
  Result<std::vector<EntityCount>> with =
      reader->Entities(Query("", "Parti socialiste", 50, rules));
  ASSERT_TRUE(with.ok());
  EXPECT_THAT(Names(*with), ElementsAre("person:François Hollande=2"));
  Result<std::vector<EntityCount>> with_merged =
      reader->Entities(Query("", "François Hollande", 50, rules));
  ASSERT_TRUE(with_merged.ok());
  EXPECT_THAT(Names(*with_merged), ElementsAre("org:Parti socialiste=2", "org:CIA=1"));
}

TEST_F(EntitiesTest, FacetsCountTheEntitiesOfTheMatchesWithCuration) {
  Write({WithEntities("1.txt", "memo",
                      {{"person", "François Hollande", 0, 1},
                       {"person", "Hollande", 5, 6},
                       {"org", "PS", 0, 1}}),
         WithEntities("2.txt", "memo", {{"person", "Hollande", 0, 1}, {"person", "Hi", 0, 1}}),
         WithEntities("3.txt", "other", {{"person", "Jean Dupont", 0, 1}})});
  using Action = EntityRule::Action;
  SearchRequest request;
  request.query = Word("memo");
  request.want_facets = true;
  request.entity_rules = {{"person", "hollande", Action::kMerge, "francois hollande"},
                          {"person", "hi", Action::kDelete, ""},
                          {"org", "ps", Action::kRename, "Parti socialiste"}};
  const Result<SearchResult> result = Run(request);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::vector<std::string> people, orgs;
  for (const FacetValue& v : result->facets.at("person")) {
    people.push_back(v.value + "=" + std::to_string(v.count));
  }
  for (const FacetValue& v : result->facets.at("org")) {
    orgs.push_back(v.value + "=" + std::to_string(v.count));
  }
  EXPECT_THAT(people, ElementsAre("François Hollande=2"));
  EXPECT_THAT(orgs, ElementsAre("Parti socialiste=1"));
  EXPECT_EQ(result->entity_facet_documents, 2u);

  // A sample of one match: the entity facets count one document, and say so.
  request.entity_facet_sample = 1;
  const Result<SearchResult> sampled = Run(request);
  ASSERT_TRUE(sampled.ok());
  EXPECT_EQ(sampled->entity_facet_documents, 1u);
  EXPECT_EQ(sampled->facet_documents, 2u);
  EXPECT_EQ(sampled->facets.at("person").at(0).count, 1u);
}

TEST_F(EntitiesTest, AnUnknownTypeIsInvalidAndNamesTheKnownOnes) {
  Write({Doc("a.txt", "x")});
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  Result<std::vector<EntityCount>> result = reader->Entities(Query("colour"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("person"));
}

TEST_F(EntitiesTest, ShowKeepsTheMentions) {
  const std::vector<EntityMention> mentions = {{"email", "jane@example.org", 4, 20}};
  Write({WithEntities("m.txt", "to: jane@example.org", mentions)});
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  Result<StoredDocument> doc = reader->Get(ContentHash("m.txt"));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->record.entities, mentions);
}

}  // namespace
}  // namespace trove::index::test_util
