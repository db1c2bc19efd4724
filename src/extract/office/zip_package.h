// ZipPackage: read-only access to the members of an OOXML or ODF package held in memory.
//
// Wraps libzip so that the office extractors never see a libzip type. Member lookup ignores case
// (OPC part names are case-insensitive). Reading a member is bounded: a member larger than
// `max_member_bytes`, or one that inflates absurdly compared with its compressed size (a zip
// bomb), is refused with LimitExceeded naming the member, and the bound is enforced on the bytes
// actually inflated, not on the size the directory claims. Not thread-safe; the bytes passed to
// Open must outlive the package.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

struct zip;  // libzip's zip_t

namespace trove::extract::internal {

struct ZipReadLimits {
  std::uint64_t max_member_bytes = 256ull << 20;
  // Members that inflate to more than `ratio_floor_bytes` must stay under this ratio.
  std::uint64_t max_ratio = 500;
  std::uint64_t ratio_floor_bytes = 8ull << 20;
  // All members read from one package together.
  std::uint64_t max_total_bytes = 1ull << 30;
};

class ZipPackage {
 public:
  // Opens `bytes` as a zip. Corrupt("damaged zip: <libzip's reason>") when it is not one.
  static Result<std::unique_ptr<ZipPackage>> Open(std::string_view bytes,
                                                  ZipReadLimits limits = {});
  ~ZipPackage();
  ZipPackage(const ZipPackage&) = delete;
  ZipPackage& operator=(const ZipPackage&) = delete;

  // True when a member named `name` (any case) exists.
  bool Has(std::string_view name) const;
  // The member's content. NotFound when absent; LimitExceeded for an oversized or bomb-like
  // member (or one larger than `max_bytes`); Unsupported for an encrypted member; Corrupt when
  // it cannot be inflated.
  Result<std::string> Read(std::string_view name,
                           std::uint64_t max_bytes = std::numeric_limits<std::uint64_t>::max());
  // A new zip of the members under `folder` ("Object 1/"), the prefix removed, after a stored
  // "mimetype" member holding `mimetype`: an ODF object kept as a folder of its parent becomes
  // a package of its own. LimitExceeded when the members together exceed `max_bytes`; Read's
  // errors for a member; Internal when libzip cannot write.
  Result<std::string> RepackageFolder(std::string_view folder, std::string_view mimetype,
                                      std::uint64_t max_bytes);
  // Every member name, in directory order.
  const std::vector<std::string>& names() const { return names_; }

 private:
  ZipPackage(zip* archive, ZipReadLimits limits);

  zip* archive_;
  ZipReadLimits limits_;
  std::uint64_t total_read_ = 0;
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::uint64_t> index_by_lower_name_;
};

}  // namespace trove::extract::internal
