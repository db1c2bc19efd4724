// Where shards live and which shard holds a document.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/status.h"

namespace trove::index::internal {

// "DIR/shard-N".
std::string ShardPath(const std::string& index_dir, int shard);
// The shard directories present under `index_dir`, in shard order (empty when none). A shard
// that compaction is moving into place (see RecoverCompaction) is listed under its new name.
std::vector<std::string> ListShards(const std::string& index_dir);

// Compaction (CompactIndex) writes shard-N.compacting, renames it shard-N.compacted once
// complete, moves shard-N to shard-N.old, shard-N.compacted to shard-N, and deletes
// shard-N.old. After a crash at any of those steps this puts the index back in order: the
// compacted copy where it is complete and the old shard is gone, the old shard otherwise.
// Only for a process holding the LayoutLock.
Status RecoverCompaction(const std::string& index_dir);

// An exclusive advisory lock on the index's layout (DIR/layout.lock, flock: released when the
// process dies), held by compaction throughout and by Writer::Open while it opens the
// shards, so that neither sees the other's half-moved shard.
class LayoutLock {
 public:
  // IOError naming the directory when another process holds it.
  static Result<LayoutLock> Acquire(const std::string& index_dir);
  LayoutLock(LayoutLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  LayoutLock& operator=(LayoutLock&&) = delete;
  ~LayoutLock();

 private:
  explicit LayoutLock(int fd) : fd_(fd) {}
  int fd_;
};
// The shard of document `id` (a hex content hash) among `shard_count`.
std::size_t ShardFor(const std::string& id, std::size_t shard_count);

}  // namespace trove::index::internal
