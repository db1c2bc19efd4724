#include "index/internal/shards.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace trove::index::internal {

std::string ShardPath(const std::string& index_dir, int shard) {
  return index_dir + "/shard-" + std::to_string(shard);
}

std::vector<std::string> ListShards(const std::string& index_dir) {
  std::vector<std::string> out;
  for (int shard = 0;; ++shard) {
    const std::string path = ShardPath(index_dir, shard);
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      out.push_back(path);
    } else if (std::filesystem::is_directory(path + ".compacted", ec)) {
      out.push_back(path + ".compacted");  // between two renames of CompactIndex
    } else {
      break;
    }
  }
  return out;
}

Status RecoverCompaction(const std::string& index_dir) {
  namespace fs = std::filesystem;
  for (int shard = 0;; ++shard) {
    const std::string path = ShardPath(index_dir, shard);
    std::error_code ec;
    fs::remove_all(path + ".compacting", ec);  // never finished
    if (ec) return Status::IOError("cannot remove " + path + ".compacting: " + ec.message());
    const bool has_shard = fs::is_directory(path, ec);
    const bool has_compacted = fs::is_directory(path + ".compacted", ec);
    const bool has_old = fs::is_directory(path + ".old", ec);
    if (!has_shard && !has_compacted && !has_old) return Status::Ok();
    if (!has_shard) {
      // The old shard was moved aside: its compacted copy (complete) takes its place, or,
      // should that be missing, the old shard goes back.
      fs::rename(has_compacted ? path + ".compacted" : path + ".old", path, ec);
      if (ec) return Status::IOError("cannot move a shard back to " + path + ": " + ec.message());
    }
    // What is left is a copy the shard no longer needs: the old shard, or a compacted copy
    // that never replaced it (the shard itself is whole).
    for (const char* suffix : {".compacted", ".old"}) {
      fs::remove_all(path + suffix, ec);
      if (ec) return Status::IOError("cannot remove " + path + suffix + ": " + ec.message());
    }
  }
}

Result<LayoutLock> LayoutLock::Acquire(const std::string& index_dir) {
  const std::string path = index_dir + "/layout.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Status::IOError(index_dir +
                             " is busy: another trove process is compacting or opening it");
    }
    return Status::IOError("cannot lock " + path + ": " + std::strerror(err));
  }
  return LayoutLock(fd);
}

LayoutLock::~LayoutLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

std::size_t ShardFor(const std::string& id, std::size_t shard_count) {
  // Ids are uniformly distributed hex: the first 8 digits are as good as a hash of the whole.
  std::size_t value = 0;
  for (std::size_t i = 0; i < id.size() && i < 8; ++i) {
    const char ch = id[i];
    const int digit = (ch >= '0' && ch <= '9')   ? ch - '0'
                      : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10
                                                 : 0;
    value = value * 16 + static_cast<std::size_t>(digit);
  }
  return shard_count == 0 ? 0 : value % shard_count;
}

}  // namespace trove::index::internal
