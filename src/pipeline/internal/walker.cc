#include "pipeline/internal/walker.h"

#include <sys/stat.h>

namespace trove::pipeline::internal {

namespace fs = std::filesystem;

std::unique_ptr<Walker> Walker::ForSources(std::vector<std::string> sources,
                                           std::string exclude_dir) {
  return std::unique_ptr<Walker>(new Walker(std::move(sources), std::move(exclude_dir), true));
}

std::unique_ptr<Walker> Walker::ForFiles(std::vector<std::string> paths) {
  return std::unique_ptr<Walker>(new Walker(std::move(paths), "", false));
}

std::optional<Discovered> Walker::Describe(const fs::path& path) {
  struct stat st {};
  Discovered found;
  found.path = fs::absolute(path).lexically_normal().string();
  if (::lstat(path.c_str(), &st) != 0) {
    found.skip_reason = "vanished before it could be read";
  } else if (S_ISLNK(st.st_mode)) {
    found.skip_reason = "symbolic link, not followed";
  } else if (!S_ISREG(st.st_mode)) {
    return std::nullopt;  // devices, sockets, fifos: not documents
  }
  found.size = static_cast<std::uint64_t>(st.st_size);
  found.mtime_ns =
      static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  ++found_;
  return found;
}

std::optional<Discovered> Walker::Next() {
  while (true) {
    if (dir_.has_value()) {
      std::error_code ec;
      auto& it = *dir_;
      while (it != fs::recursive_directory_iterator()) {
        const fs::directory_entry entry = *it;
        const bool is_dir = entry.is_directory(ec) && !entry.is_symlink(ec);
        if (is_dir && !exclude_dir_.empty() &&
            fs::absolute(entry.path()).lexically_normal().string() == exclude_dir_) {
          it.disable_recursion_pending();
        }
        it.increment(ec);
        if (ec) {
          ec.clear();
          continue;  // an unreadable folder: skip it and go on
        }
        if (is_dir) continue;
        if (auto found = Describe(entry.path())) return found;
      }
      dir_.reset();
    }
    if (next_source_ >= sources_.size()) {
      is_done_ = true;
      return std::nullopt;
    }
    const fs::path source = sources_[next_source_++];
    std::error_code ec;
    if (is_recursive_ && fs::is_directory(fs::symlink_status(source, ec))) {
      dir_.emplace(source, fs::directory_options::skip_permission_denied, ec);
      if (ec) dir_.reset();
      continue;
    }
    if (auto found = Describe(source)) return found;
  }
}

}  // namespace trove::pipeline::internal
