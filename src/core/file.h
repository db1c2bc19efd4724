// Reading files, with errors that name the path.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace trove {

// Reads the whole file. Fails with IOError (naming the path) when it cannot be opened or read,
// and with LimitExceeded when it is larger than `max_bytes`.
Result<std::string> ReadFile(const std::string& path, std::uint64_t max_bytes = UINT64_MAX);

// Writes `bytes` to `path` atomically (temporary file, fsync, rename).
Status WriteFileAtomic(const std::string& path, std::string_view bytes);

}  // namespace trove
