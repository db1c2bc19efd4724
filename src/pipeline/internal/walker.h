// Discovers source files one at a time, so that a dump of millions of files is never listed in
// memory whole. Symbolic links are reported, never followed: a dump must not reach outside
// itself.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace trove::pipeline::internal {

struct Discovered {
  std::string path;  // absolute, normalised
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string skip_reason;  // non-empty: record as skipped, do not read
};

class Walker {
 public:
  // Walks files and folders (recursively), leaving out `exclude_dir` (the collection itself).
  static std::unique_ptr<Walker> ForSources(std::vector<std::string> sources,
                                            std::string exclude_dir);
  // Exactly these files.
  static std::unique_ptr<Walker> ForFiles(std::vector<std::string> paths);

  // The next file, or nullopt when the walk is over.
  std::optional<Discovered> Next();
  std::uint64_t found() const { return found_; }
  bool is_done() const { return is_done_; }

 private:
  Walker(std::vector<std::string> sources, std::string exclude_dir, bool is_recursive)
      : sources_(std::move(sources)),
        exclude_dir_(std::move(exclude_dir)),
        is_recursive_(is_recursive) {}
  std::optional<Discovered> Describe(const std::filesystem::path& path);

  std::vector<std::string> sources_;
  std::string exclude_dir_;
  bool is_recursive_;
  std::size_t next_source_ = 0;
  std::optional<std::filesystem::recursive_directory_iterator> dir_;
  std::uint64_t found_ = 0;
  bool is_done_ = false;
};

}  // namespace trove::pipeline::internal
