// Dates as trove writes them for people and programs.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

namespace trove {

// "2012-03-04T05:06:07Z" (UTC), or "" when there is no date.
inline std::string IsoDate(std::optional<std::int64_t> seconds) {
  if (!seconds) return {};
  const std::time_t t = static_cast<std::time_t>(*seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return {};
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace trove
