#include "index/internal/shards.h"

#include <filesystem>

namespace trove::index::internal {

std::string ShardPath(const std::string& index_dir, int shard) {
  return index_dir + "/shard-" + std::to_string(shard);
}

std::vector<std::string> ListShards(const std::string& index_dir) {
  std::vector<std::string> out;
  for (int shard = 0;; ++shard) {
    const std::string path = ShardPath(index_dir, shard);
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) break;
    out.push_back(path);
  }
  return out;
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
