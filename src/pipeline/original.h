// The original bytes of a document found inside another file (an archive member, an attachment,
// a message in a mailbox), extracted on demand for `trove serve`'s download of an original.
//
// The containers on the way are hostile files, so they are never parsed in the calling process:
// ExtractOriginal forks a child with the address-space limit of an ingest worker, which
// extracts the containers again down to the member and sends its bytes back over a pipe; the
// child is killed when it takes longer than the ingest timeout. The bytes are returned only when
// their content hash is the document id the caller expects.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "pipeline/ingest.h"

namespace trove::pipeline {

struct OriginalRequest {
  std::string source_path;  // the source file on disk (an Occurrence's chain up to the first "!/")
  std::string chain;        // the document's path chain, starting with source_path
  std::string expected_id;  // the document id: the content hash the bytes must have
  std::uint64_t max_bytes = 256ull << 20;  // a larger member is refused (LimitExceeded)
};

// Extracts the document at `request.chain` in a child process limited like an ingest worker
// (`limits.memory_limit_bytes`, `limits.timeout_seconds` for the whole extraction,
// `limits.max_file_bytes`, `limits.limits`). Thread-safe: each call forks its own child.
//
// Returns the bytes on success; NotFound when the source file or the member is not there any
// more, or when the member's bytes no longer hash to `expected_id` (the source changed);
// LimitExceeded when the member is larger than `max_bytes`; Timeout when the child ran out of
// time; IOError when the child died (crash, memory) or could not be started.
Result<std::string> ExtractOriginal(const OriginalRequest& request, const IngestOptions& limits);

}  // namespace trove::pipeline
