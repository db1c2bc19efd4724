// Reading files, with errors that name the path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace trove {

// Reads the whole file. Fails with IOError (naming the path) when it cannot be opened or read,
// and with LimitExceeded when it is larger than `max_bytes`.
Result<std::string> ReadFile(const std::string& path, std::uint64_t max_bytes = UINT64_MAX);

// A file mapped read-only into memory: its pages come from the page cache and can be dropped
// again, so reading a multi-gigabyte mbox or archive costs address space, not resident memory.
// A file truncated by another process while mapped raises SIGBUS on access; in trove that only
// happens inside an extraction worker, where it costs that one file.
class MappedFile {
 public:
  // Fails like ReadFile. An empty file maps to an empty view.
  static Result<MappedFile> Open(const std::string& path, std::uint64_t max_bytes = UINT64_MAX);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view bytes() const { return {data_, size_}; }

 private:
  MappedFile(const char* data, std::size_t size) : data_(data), size_(size) {}
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

// Writes `bytes` to `path` atomically (temporary file, fsync, rename).
Status WriteFileAtomic(const std::string& path, std::string_view bytes);

}  // namespace trove
