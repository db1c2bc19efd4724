// CompactIndex: every shard rewritten by Xapian's compactor and moved into place.
//
// An index written document by document leaves its B-tree blocks part full and its posting
// lists in many small chunks. On the million-document bench collection compaction shrank the
// posting table by 55% and the position table by 35% (bench/RESULTS.md), and queries read
// that many fewer blocks. The steps and their crash recovery are in shards.h.
#include <filesystem>
#include <vector>

#include <xapian.h>

#include "index/index.h"
#include "index/internal/shards.h"

namespace trove::index {
namespace {

std::uint64_t DirectoryBytes(const std::string& path) {
  std::uint64_t bytes = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
    if (entry.is_regular_file(ec)) bytes += entry.file_size(ec);
  }
  return bytes;
}

}  // namespace

Result<CompactResult> CompactIndex(const std::string& index_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(index_dir, ec)) {
    return Status::NotFound("no index in " + index_dir + " (run trove ingest first)");
  }
  TROVE_ASSIGN_OR_RETURN(internal::LayoutLock layout_lock,
                         internal::LayoutLock::Acquire(index_dir));
  TROVE_RETURN_IF_ERROR(internal::RecoverCompaction(index_dir));
  const std::vector<std::string> shards = internal::ListShards(index_dir);
  if (shards.empty()) return Status::NotFound("no index in " + index_dir);
  CompactResult result;
  // Every shard's write lock first: an ingest that is running keeps its shards, and one that
  // starts now waits for the layout lock.
  std::vector<Xapian::WritableDatabase> locks;
  for (const std::string& path : shards) {
    try {
      locks.emplace_back(path, Xapian::DB_OPEN);
    } catch (const Xapian::DatabaseLockError&) {
      return Status::IOError(path + " is locked: another trove process is writing this collection");
    } catch (const Xapian::Error& e) {
      return Status::IOError("cannot open index " + path + ": " + e.get_description());
    }
  }
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const std::string& path = shards[i];
    result.bytes_before += DirectoryBytes(path);
    try {
      // Document ids kept: the combined database numbers documents from them.
      locks[i].compact(path + ".compacting", Xapian::DBCOMPACT_NO_RENUMBER);
    } catch (const Xapian::Error& e) {
      fs::remove_all(path + ".compacting", ec);
      return Status::IOError("compacting " + path + ": " + e.get_description());
    }
    fs::rename(path + ".compacting", path + ".compacted", ec);
    if (!ec) fs::rename(path, path + ".old", ec);
    if (!ec) fs::rename(path + ".compacted", path, ec);
    if (ec) {
      // RecoverCompaction puts back whichever copy is whole.
      const Status recovered = internal::RecoverCompaction(index_dir);
      return Status::IOError("moving the compacted " + path + " into place: " + ec.message() +
                             (recovered.ok() ? "" : "; " + recovered.message()));
    }
    locks[i].close();  // its lock file went with the old directory
    fs::remove_all(path + ".old", ec);
    result.bytes_after += DirectoryBytes(path);
    ++result.shards;
  }
  return result;
}

}  // namespace trove::index
