// The stored data of an index document: its occurrences and its record (with the text).
//
// Layout (docs/formats/index.md): a 4-byte little-endian length N, N bytes of MessagePack
// occurrences, then the record as MessagePack in a zstd frame. The occurrences come first and
// apart so that adding a place to a document rewrites them without touching the record.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/status.h"

namespace trove::index::internal {

std::string CompressRecord(const DocumentRecord& record);
// Corrupt when the data cannot be decompressed or decoded.
Result<DocumentRecord> DecompressRecord(std::string_view data);

struct StoredParts {
  std::string_view occurrences;  // MessagePack (EncodeOccurrences)
  std::string_view record;       // zstd frame (CompressRecord)
};

std::string JoinStoredData(std::string_view occurrences, std::string_view compressed_record);
// Corrupt when `data` is shorter than its length prefix says.
Result<StoredParts> SplitStoredData(std::string_view data);

}  // namespace trove::index::internal
