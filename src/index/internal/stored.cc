#include "index/internal/stored.h"

#include <cstdint>

#include <zstd.h>

namespace trove::index::internal {
namespace {
// Level 1: text compresses about threefold at several hundred MB/s; higher levels cost the
// workers time for little gain on short documents.
constexpr int kZstdLevel = 1;
// Refuse to inflate stored data beyond this (a corrupt frame header could claim anything).
constexpr unsigned long long kMaxStoredBytes = 1ull << 31;
}  // namespace

std::string CompressRecord(const DocumentRecord& record) {
  const std::string raw = EncodeRecord(record, /*with_text=*/true);
  std::string out(ZSTD_compressBound(raw.size()), '\0');
  const std::size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), kZstdLevel);
  if (ZSTD_isError(n)) return raw;  // cannot happen with a bound-sized buffer; stay readable
  out.resize(n);
  return out;
}

Result<DocumentRecord> DecompressRecord(std::string_view data) {
  const unsigned long long size = ZSTD_getFrameContentSize(data.data(), data.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
      size > kMaxStoredBytes) {
    return Status::Corrupt("stored document data is not a zstd frame");
  }
  std::string raw(static_cast<std::size_t>(size), '\0');
  const std::size_t n = ZSTD_decompress(raw.data(), raw.size(), data.data(), data.size());
  if (ZSTD_isError(n)) {
    return Status::Corrupt(std::string("stored document data: ") + ZSTD_getErrorName(n));
  }
  raw.resize(n);
  return DecodeRecord(raw);
}

std::string JoinStoredData(std::string_view occurrences, std::string_view compressed_record) {
  std::string out;
  out.reserve(4 + occurrences.size() + compressed_record.size());
  const auto n = static_cast<std::uint32_t>(occurrences.size());
  for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((n >> shift) & 0xff);
  out += occurrences;
  out += compressed_record;
  return out;
}

Result<StoredParts> SplitStoredData(std::string_view data) {
  if (data.size() < 4) return Status::Corrupt("stored document data is shorter than its header");
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i)
    n |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << (8 * i);
  if (n > data.size() - 4) {
    return Status::Corrupt("stored document data: occurrences of " + std::to_string(n) +
                           " bytes in " + std::to_string(data.size()) + " bytes of data");
  }
  return StoredParts{data.substr(4, n), data.substr(4 + n)};
}

}  // namespace trove::index::internal
