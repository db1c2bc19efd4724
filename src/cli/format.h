// Shared formatting for the command line: dates, sizes, JSON of documents.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "index/index.h"

namespace trove::cli {

// "2012-03-04T05:06:07Z", or "" when there is no date.
std::string IsoDate(std::optional<std::int64_t> seconds);
// "12.3 MB"
std::string HumanBytes(std::uint64_t bytes);
// "1:02:03" or "4m 05s" or "12 s"
std::string HumanDuration(double seconds);

nlohmann::json DocumentJson(const index::StoredDocument& doc, bool with_text);

}  // namespace trove::cli
