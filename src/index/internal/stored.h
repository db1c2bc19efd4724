// The stored data of an index document: the record (with its text) as MessagePack, zstd-compressed.
#pragma once

#include <string>
#include <string_view>

#include "core/document.h"
#include "core/status.h"

namespace trove::index::internal {

std::string CompressRecord(const DocumentRecord& record);
// Corrupt when the data cannot be decompressed or decoded.
Result<DocumentRecord> DecompressRecord(std::string_view data);

}  // namespace trove::index::internal
