// Where shards live and which shard holds a document.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace trove::index::internal {

// "DIR/shard-N".
std::string ShardPath(const std::string& index_dir, int shard);
// The shard directories present under `index_dir`, in shard order (empty when none).
std::vector<std::string> ListShards(const std::string& index_dir);
// The shard of document `id` (a hex content hash) among `shard_count`.
std::size_t ShardFor(const std::string& id, std::size_t shard_count);

}  // namespace trove::index::internal
