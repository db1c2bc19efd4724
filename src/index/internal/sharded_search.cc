#include "index/internal/sharded_search.h"

#include <algorithm>
#include <optional>
#include <thread>

namespace trove::index::internal {
namespace {

struct ShardResult {
  std::vector<ShardHit> hits;
  Xapian::doccount estimated = 0, lower_bound = 0, upper_bound = 0;
  std::optional<Status> error;
};

void MatchOne(Xapian::Database& db, std::size_t shard, std::size_t shard_count,
              const ShardEnquireFactory& factory, bool is_sorted, Xapian::doccount wanted,
              Xapian::doccount check_at_least, ShardResult* out) {
  try {
    Result<Xapian::Enquire> enquire = factory(db, shard);
    if (!enquire.ok()) {
      out->error = enquire.status();
      return;
    }
    const Xapian::MSet mset = enquire->get_mset(0, wanted, check_at_least);
    out->estimated = mset.get_matches_estimated();
    out->lower_bound = mset.get_matches_lower_bound();
    out->upper_bound = mset.get_matches_upper_bound();
    out->hits.reserve(mset.size());
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      ShardHit hit;
      hit.doc = it.get_document();
      hit.weight = it.get_weight();
      if (is_sorted) hit.sort_key = it.get_sort_key();
      // Database::add_database interleaves: shard s's document d is (d - 1) * n + s + 1.
      hit.docid = static_cast<Xapian::docid>((*it - 1) * shard_count + shard + 1);
      out->hits.push_back(std::move(hit));
    }
  } catch (const Xapian::Error& e) {
    out->error = Status::IOError("search: " + e.get_description());
  }
}

}  // namespace

Result<ShardedPage> MatchShards(std::vector<Xapian::Database>& shards,
                                const ShardEnquireFactory& factory, SortOrder sort,
                                Xapian::doccount first, Xapian::doccount maxitems,
                                Xapian::doccount check_at_least) {
  const bool is_sorted = sort != SortOrder::kRelevance;
  // Every shard may hold the whole page.
  const Xapian::doccount wanted = first + maxitems;
  std::vector<ShardResult> results(shards.size());
  std::vector<std::thread> threads;
  threads.reserve(shards.size());
  // The calling thread takes the first shard. (A pool of threads that stay, one per shard,
  // measured no faster on the bench than a thread per search: their start is not the cost.)
  for (std::size_t s = 1; s < shards.size(); ++s) {
    threads.emplace_back(MatchOne, std::ref(shards[s]), s, shards.size(), std::cref(factory),
                         is_sorted, wanted, check_at_least, &results[s]);
  }
  if (!shards.empty()) {
    MatchOne(shards[0], 0, shards.size(), factory, is_sorted, wanted, check_at_least, &results[0]);
  }
  for (std::thread& t : threads) t.join();

  ShardedPage page;
  std::vector<ShardHit> all;
  for (ShardResult& r : results) {
    if (r.error) return *r.error;
    page.estimated += r.estimated;
    page.lower_bound += r.lower_bound;
    page.upper_bound += r.upper_bound;
    for (ShardHit& hit : r.hits) all.push_back(std::move(hit));
  }
  // The order Xapian gives a combined database: the sort key (newest first, or oldest first
  // with undated documents last, which the key already encodes), then weight, then docid.
  const bool is_newest_first = sort == SortOrder::kDateNewest;
  const auto before = [&](const ShardHit& a, const ShardHit& b) {
    if (is_sorted && a.sort_key != b.sort_key) {
      return is_newest_first ? a.sort_key > b.sort_key : a.sort_key < b.sort_key;
    }
    if (a.weight != b.weight) return a.weight > b.weight;
    return a.docid < b.docid;
  };
  if (first >= all.size()) return page;
  const std::size_t end = std::min<std::size_t>(all.size(), std::size_t{first} + maxitems);
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(end), all.end(), before);
  for (std::size_t i = first; i < end; ++i) page.hits.push_back(std::move(all[i]));
  return page;
}

}  // namespace trove::index::internal
