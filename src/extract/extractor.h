// The extractor plug-in contract: bytes in, text + metadata + child files out.
//
// An extractor is stateless and may be called for many documents in turn (not concurrently: each
// worker process has its own registry). It must survive any input: empty, truncated, random or
// hostile bytes give a non-OK Status, never a crash, hang or unbounded allocation it could avoid.
// Third-party exceptions stop inside the extractor.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/document.h"
#include "core/status.h"

namespace trove::extract {

// Limits an extractor must respect while it works.
struct Limits {
  std::uint64_t max_child_bytes = 512ull << 20;  // a member or attachment larger is not read
  std::uint64_t max_text_bytes = 64ull << 20;    // text beyond this is cut (is_truncated)
};

struct Input {
  std::string_view bytes;
  std::string_view name;        // file name (last path element), for hints and messages
  std::string_view media_type;  // as detected
  Limits limits;
};

// Receives child files as the extractor finds them, one at a time, so that a container is never
// held in memory whole.
class ChildSink {
 public:
  virtual ~ChildSink() = default;
  // A non-OK return (a limit was reached) tells the extractor to stop and return that status.
  virtual Status OnChild(ChildFile child) = 0;
  // A child that could not be read (a truncated or encrypted member) is recorded by name.
  virtual void OnChildFailed(std::string name, Status why) = 0;
  // A child with nothing in it that trove reads (an embedded object of a program trove does not
  // know) is recorded by name as skipped, as a file of an unsupported type is, and `reason`
  // says what it was.
  virtual void OnChildSkipped(std::string name, std::string reason) = 0;
};

class Extractor {
 public:
  virtual ~Extractor() = default;
  // A short stable name ("pdf", "email"), used in logs and the ledger.
  virtual std::string_view Name() const = 0;
  // True when this extractor reads documents of `media_type`.
  virtual bool Accepts(std::string_view media_type) const = 0;
  // Extracts `input`. Fails with Unsupported (encrypted, unknown variant), Corrupt (damaged
  // input), LimitExceeded (a sink limit), naming what was wrong.
  virtual Result<Extraction> Extract(const Input& input, ChildSink& children) const = 0;
};

}  // namespace trove::extract
