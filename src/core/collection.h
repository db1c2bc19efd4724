// Where a collection keeps its parts (see shared/DESIGN.md, "Storage").
#pragma once

#include <string>

namespace trove {

inline constexpr const char* kDefaultCollection = "./trove-data";

inline std::string IndexDir(const std::string& collection) { return collection + "/index"; }
inline std::string StorePath(const std::string& collection) { return collection + "/trove.sqlite"; }

}  // namespace trove
