// The store: DIR/trove.sqlite (WAL mode). It holds the ledger (every source file seen, its
// state and why), the problems found inside source files, ingest runs, entity curation, and the
// OCR queue and cache. Later: users, tags, notes. Format: docs/formats/store.md.
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

// A document indexed with the text it had, waiting for OCR of some pages. The queue survives a
// killed ingest: the next run finishes it.
struct OcrJob {
  std::string doc_id;       // the document (content hash)
  std::string source_key;   // the source file it came from
  std::string source_path;  // absolute path of that source file
  std::string chain;        // path chain of the document inside it
  std::vector<int> pages;   // 0-based pages to read
  std::string languages;    // Tesseract languages ("eng+fra")
  std::string record;       // EncodeRecord(record, with_text=false) of the indexed document
};

// One page's OCR result, cached by the content hash of the document it is a page of.
struct OcrPageText {
  std::string text;
  int confidence = 0;  // Tesseract's mean word confidence, 0..100
};

struct OcrCounts {
  std::uint64_t queued_documents = 0;
  std::uint64_t queued_pages = 0;
  std::uint64_t cached_pages = 0;
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
  // The counters so far of a run still going (its progress, for `trove status` and the UI).
  virtual Status UpdateRun(std::int64_t run_id, const std::string& summary_json) = 0;
  virtual Status FinishRun(std::int64_t run_id, const std::string& summary_json) = 0;
  virtual Result<std::optional<Run>> LastRun() = 0;

  // Entity curation: one rule per entity (type and key); a new rule replaces the old one.
  virtual Status PutEntityRule(const EntityRule& rule) = 0;
  virtual Result<std::vector<EntityRule>> ListEntityRules() = 0;

  // The OCR queue: one job per document; a new job for the same document replaces the old.
  virtual Status PutOcrJob(const OcrJob& job) = 0;
  virtual Status DeleteOcrJob(const std::string& doc_id) = 0;
  // Drops the jobs of documents found in `source_key` (it is being indexed again).
  virtual Status DeleteOcrJobsOfSource(const std::string& source_key) = 0;
  // Every queued job, oldest first.
  virtual Result<std::vector<OcrJob>> ListOcrJobs() = 0;
  // The OCR cache, by document content hash, page and languages.
  virtual Result<std::optional<OcrPageText>> FindOcrPage(const std::string& content_hash, int page,
                                                         const std::string& languages) = 0;
  virtual Status PutOcrPage(const std::string& content_hash, int page, const std::string& languages,
                            const OcrPageText& page_text) = 0;
  virtual Result<OcrCounts> CountOcr() = 0;
};

}  // namespace trove::store
