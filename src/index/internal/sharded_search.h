// One page of a search run on every shard at once, each shard in its own thread.
//
// Xapian 1.4 matches a database of several shards one shard after the other, in the calling
// thread; on a million documents the AND, OR and phrase queries of bench/ spent 4-6 ms there
// (bench/RESULTS.md). The shards are independent databases, so each is matched in a thread of
// its own and the pages merged, as Elasticsearch and Lucene's IndexSearcher with an executor
// do. Like them (Elasticsearch's default "query then fetch"), each shard ranks with its own
// statistics: documents go to shards by the hash of their content, so the shards' term
// frequencies and lengths differ by sampling noise only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/status.h"
#include "index/index.h"

namespace trove::index::internal {

struct ShardHit {
  Xapian::Document doc;
  double weight = 0;
  std::string sort_key;     // MSetIterator::get_sort_key() when sorted by date, else empty
  Xapian::docid docid = 0;  // as the combined database numbers it (ties go to the lowest)
};

struct ShardedPage {
  std::vector<ShardHit> hits;  // the asked page, merged in rank order
  Xapian::doccount estimated = 0, lower_bound = 0, upper_bound = 0;
};

// Builds the enquire that shard number `shard` runs (its query built against that shard's
// database: Xapian's query objects are not shared between threads), with the match spies of
// that shard if any. Called in the shard's thread. Throws Xapian::Error.
using ShardEnquireFactory =
    std::function<Result<Xapian::Enquire>(Xapian::Database& db, std::size_t shard)>;

// Matches `first`..`first + maxitems` of the merged ranking, each shard with `check_at_least`.
// `shards` are used by one thread each and must not be used by anyone else meanwhile (open
// them apart from any combined database: Xapian objects are not thread-safe).
Result<ShardedPage> MatchShards(std::vector<Xapian::Database>& shards,
                                const ShardEnquireFactory& factory, SortOrder sort,
                                Xapian::doccount first, Xapian::doccount maxitems,
                                Xapian::doccount check_at_least);

}  // namespace trove::index::internal
