// The store: DIR/trove.sqlite (WAL mode). It holds the ledger (every source file seen, its
// state and why), the problems found inside source files, and ingest runs. Later: users, tags,
// notes, OCR cache, entity curation. Format: docs/formats/store.md.
//
// One Store per thread; SQLite serialises writers across processes (busy timeout 10 s).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/document.h"
#include "core/status.h"

namespace trove::store {

// A source file's state. Every source file is in exactly one.
inline constexpr const char* kStatePending = "pending";  // seen, not finished (a run stopped)
inline constexpr const char* kStateIndexed = "indexed";
inline constexpr const char* kStateFailed = "failed";
inline constexpr const char* kStateSkipped = "skipped";

struct SourceFile {
  std::string path;  // absolute
  std::string key;   // SourceKey(path)
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string content_hash;
  std::string state = kStatePending;
  std::string reason;
  std::string media_type;
  std::int64_t run_id = 0;
};

// A document that failed or was skipped: a source file itself, or a member inside one.
struct Problem {
  std::string source_key;
  std::string path;   // path chain
  std::string state;  // failed | skipped
  std::string reason;
  std::string media_type;
};

struct Run {
  std::int64_t id = 0;
  std::int64_t started = 0;   // Unix seconds
  std::int64_t finished = 0;  // 0 while running or when interrupted
  std::string state;          // running | completed
  std::string summary_json;   // counters of the run
};

class Store {
 public:
  // Opens or creates the store at `path`. Unsupported when it was written by a newer trove.
  static Result<std::unique_ptr<Store>> Open(const std::string& path);
  virtual ~Store() = default;

  // Explicit transactions group many writes into one fsync.
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;

  virtual Result<std::optional<SourceFile>> FindSource(const std::string& path) = 0;
  // Inserts or replaces the row of `source.path`.
  virtual Status PutSource(const SourceFile& source) = 0;
  // Source files in `state`.
  virtual Result<std::vector<SourceFile>> SourcesInState(const std::string& state) = 0;
  virtual Result<std::map<std::string, std::uint64_t>> CountSourcesByState() = 0;
  // Forgets every source file and its problems (the index they describe is gone); runs and
  // entity rules stay.
  virtual Status ForgetSources() = 0;

  virtual Status ClearProblems(const std::string& source_key) = 0;
  virtual Status AddProblem(const Problem& problem) = 0;
  virtual Result<std::vector<Problem>> ListProblems() = 0;

  virtual Result<std::int64_t> BeginRun() = 0;
  virtual Status FinishRun(std::int64_t run_id, const std::string& summary_json) = 0;
  virtual Result<std::optional<Run>> LastRun() = 0;

  // Entity curation: one rule per entity (type and key); a new rule replaces the old one.
  virtual Status PutEntityRule(const EntityRule& rule) = 0;
  virtual Result<std::vector<EntityRule>> ListEntityRules() = 0;
};

}  // namespace trove::store
