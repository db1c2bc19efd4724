#include "cli/format.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace trove::cli {

std::string HumanBytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1000 && unit < 4) {
    value /= 1000;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", value, kUnits[unit]);
  return buf;
}

std::string HumanDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto total = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (total >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60, total % 60);
  } else if (total >= 60) {
    std::snprintf(buf, sizeof buf, "%ldm %02lds", total / 60, total % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld s", total);
  }
  return buf;
}

int Fail(const Status& status) {
  std::fprintf(stderr, "trove: %s\n",
               status.message().empty() ? status.ToString().c_str() : status.message().c_str());
  return status.Is(StatusCode::kInvalidArgument) ? kExitUsage : kExitError;
}

}  // namespace trove::cli
