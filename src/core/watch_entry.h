// One entry of a watch list (a CSV of names, or FollowTheMoney / OpenSanctions JSON lines): what
// the analyze module parses, the store keeps and the query module cross-references against a
// collection (`trove watch`, `trove xref`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trove {

struct WatchEntry {
  std::uint64_t line = 0;  // where it starts in the list's file (1-based)
  std::string id;          // the list's own id for it (FtM "id", a CSV "id" column), or ""
  std::string schema;      // "Person", "Company", "Organization"... (FtM schema, CSV "type"), or ""
  std::vector<std::string> names;   // its name first, then its aliases; never empty
  std::vector<std::string> emails;  // e-mail addresses, matched exactly
  std::string fields_json;          // everything else, as a JSON object ("{}" when nothing)

  bool operator==(const WatchEntry&) const = default;
};

}  // namespace trove
