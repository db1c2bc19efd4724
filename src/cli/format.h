// Shared by the command line's commands: exit codes, errors, dates and sizes.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "core/time.h"

namespace trove::cli {

inline constexpr int kExitError = 1;  // the command could not do its job
inline constexpr int kExitUsage = 2;  // bad usage or a malformed query

// Prints `status` as one line on stderr and returns its exit code.
int Fail(const Status& status);
// "12.3 MB"
std::string HumanBytes(std::uint64_t bytes);
// "1:02:03" or "4m 05s" or "12 s"
std::string HumanDuration(double seconds);

}  // namespace trove::cli
