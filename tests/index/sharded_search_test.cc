// A collection of several shards is searched one thread per shard and the pages merged
// (index/internal/sharded_search.h): the merged ranking must be the one ranking every page
// is cut from, whatever the sort and whether facets are asked for.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include "core/hash.h"
#include "index/index_fixture.h"
#include "index/internal/shards.h"

namespace trove::index {
namespace {

using test_util::Doc;
using test_util::Utc;
using test_util::Word;
using ::testing::ElementsAreArray;

class ShardedSearchTest : public test_util::IndexTest {
 protected:
  // 60 documents, 30 in each of two shards, all of one length: "common" k times
  // (k = 0..5, five documents of each k in each shard) padded with other words. Both shards
  // then have the same statistics, so their BM25 weights compare and the ranking is by k.
  // Every fifth document is undated.
  void SetUp() override {
    std::map<std::pair<int, std::size_t>, int> filled;  // (k, shard) -> documents
    std::vector<DocumentRecord> records;
    for (int i = 0; records.size() < 60; ++i) {
      const std::string name = "doc" + std::to_string(i);
      const int k = i % 6;
      const std::size_t shard = internal::ShardFor(ContentHash(name), 2);
      if (filled[{k, shard}] == 5) continue;
      ++filled[{k, shard}];
      std::string text;
      for (int j = 0; j < 6; ++j) text += j < k ? "common " : "padding ";
      text += "every";
      DocumentRecord r = Doc(name, text);
      if (records.size() % 5 != 0)
        r.extraction.date = Utc(1990 + (i * 7) % 31, 1 + i % 12, 1 + i % 28);
      occurrences_[r.name] = k;
      dates_[r.name] = r.extraction.date;
      records.push_back(std::move(r));
    }
    Write(records, /*shard_count=*/2);
  }

  // A reader that searches the two shards in parallel, small as they are.
  Result<SearchResult> Search(const SearchRequest& request) {
    ReaderOptions options;
    options.parallel_shard_documents = 1;
    Result<std::unique_ptr<Reader>> reader = Reader::Open(IndexDir(), options);
    if (!reader.ok()) return reader.status();
    return (*reader)->Search(request);
  }

  std::vector<std::string> Names(const SearchRequest& request) {
    const Result<SearchResult> result = Search(request);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    std::vector<std::string> out;
    if (!result.ok()) return out;
    for (const Hit& hit : result->hits) out.push_back(hit.doc.record.name);
    return out;
  }

  // The whole ranking, then the same read page by page: the pages must add up to it.
  void ExpectPagesAddUp(SearchRequest request, std::size_t total) {
    request.offset = 0;
    request.limit = 100;
    const std::vector<std::string> all = Names(request);
    ASSERT_EQ(all.size(), total);
    EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), total) << "a hit twice";
    std::vector<std::string> paged;
    request.limit = 7;
    for (request.offset = 0; request.offset < total + 7; request.offset += 7) {
      for (std::string& name : Names(request)) paged.push_back(std::move(name));
    }
    EXPECT_THAT(paged, ElementsAreArray(all));
  }

  std::map<std::string, int> occurrences_;
  std::map<std::string, std::optional<std::int64_t>> dates_;
};

TEST_F(ShardedSearchTest, BothShardsHoldHalfTheDocuments) {
  EXPECT_EQ(Xapian::Database(IndexDir() + "/shard-0").get_doccount(), 30u);
  EXPECT_EQ(Xapian::Database(IndexDir() + "/shard-1").get_doccount(), 30u);
}

TEST_F(ShardedSearchTest, RelevanceRanksAcrossShardsAndPagesAddUp) {
  SearchRequest request;
  request.query = Word("common");
  request.limit = 100;
  const Result<SearchResult> result = Search(request);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  // k = 0 documents do not match: 50 of the 60.
  EXPECT_EQ(result->total, 50u);
  EXPECT_TRUE(result->is_total_exact);
  ASSERT_EQ(result->hits.size(), 50u);
  for (std::size_t i = 1; i < result->hits.size(); ++i) {
    EXPECT_GE(occurrences_[result->hits[i - 1].doc.record.name],
              occurrences_[result->hits[i].doc.record.name])
        << "at " << i;
    EXPECT_GE(result->hits[i - 1].score, result->hits[i].score) << "at " << i;
  }
  ExpectPagesAddUp(request, 50);
}

TEST_F(ShardedSearchTest, DateSortsMergeAcrossShardsWithUndatedLast) {
  for (const SortOrder sort : {SortOrder::kDateNewest, SortOrder::kDateOldest}) {
    SearchRequest request;
    request.query = Word("every");
    request.sort = sort;
    request.limit = 100;
    const std::vector<std::string> names = Names(request);
    ASSERT_EQ(names.size(), 60u);
    for (std::size_t i = 1; i < names.size(); ++i) {
      const auto& before = dates_[names[i - 1]];
      const auto& after = dates_[names[i]];
      if (!before) {
        EXPECT_FALSE(after) << "an undated document before a dated one at " << i;
      } else if (after) {
        if (sort == SortOrder::kDateNewest) {
          EXPECT_GE(*before, *after) << "at " << i;
        } else {
          EXPECT_LE(*before, *after) << "at " << i;
        }
      }
    }
    EXPECT_FALSE(dates_[names.back()]) << "undated documents come last";
    ExpectPagesAddUp(request, 60);
  }
}

TEST_F(ShardedSearchTest, AskingForFacetsDoesNotChangeTheRanking) {
  SearchRequest request;
  request.query = Word("common");
  request.limit = 20;
  const std::vector<std::string> plain = Names(request);
  request.want_facets = true;
  const Result<SearchResult> with_facets = Search(request);
  ASSERT_TRUE(with_facets.ok()) << with_facets.status().ToString();
  std::vector<std::string> names;
  for (const Hit& hit : with_facets->hits) names.push_back(hit.doc.record.name);
  EXPECT_THAT(names, ElementsAreArray(plain));
  EXPECT_EQ(with_facets->total, 50u);
  ASSERT_TRUE(with_facets->facets.count("type"));
  ASSERT_EQ(with_facets->facets.at("type").size(), 1u);
  EXPECT_EQ(with_facets->facets.at("type")[0].count, 50u);
}

TEST_F(ShardedSearchTest, FacetsCountedPerShardAddUpToThoseOfTheWholeCollection) {
  SearchRequest request;
  request.query = Word("common");
  request.want_facets = true;
  const Result<SearchResult> sharded = Search(request);
  ASSERT_TRUE(sharded.ok()) << sharded.status().ToString();
  ReaderOptions one_database;
  one_database.parallel_shard_documents = 0;
  Result<std::unique_ptr<Reader>> reader = Reader::Open(IndexDir(), one_database);
  ASSERT_TRUE(reader.ok());
  const Result<SearchResult> whole = (*reader)->Search(request);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(sharded->facet_documents, 50u);
  EXPECT_EQ(whole->facet_documents, 50u);
  for (const char* name : {"type", "lang", "year", "from"}) {
    std::vector<std::pair<std::string, std::uint64_t>> a, b;
    for (const FacetValue& v : sharded->facets.at(name)) a.emplace_back(v.value, v.count);
    for (const FacetValue& v : whole->facets.at(name)) b.emplace_back(v.value, v.count);
    EXPECT_EQ(a, b) << name;
  }
  std::uint64_t dated = 0;
  for (const FacetValue& v : sharded->facets.at("year")) dated += v.count;
  EXPECT_GT(dated, 30u);
  EXPECT_LT(dated, 50u);  // every fifth document is undated
}

TEST_F(ShardedSearchTest, ABadQueryIsAnErrorNotACrash) {
  SearchRequest request;
  request.query = Word("x", "nosuchfield");
  const Result<SearchResult> result = Search(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace trove::index
