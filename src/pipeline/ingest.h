// Ingest: walk the sources, extract every file in worker processes, analyse, and write the index
// and the ledger. Resumable: after a crash or kill at any moment, running the same ingest again
// finishes the job with nothing lost and nothing doubled.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "extract/registry.h"

namespace trove::pipeline {

struct IngestOptions {
  std::string collection;            // the collection directory
  std::vector<std::string> sources;  // files, folders or archives
  int jobs = 0;                      // worker processes; 0: one per core
  bool retry_failed = false;         // re-extract only what failed before
  int shard_count = 0;               // for a new collection; 0: one per core, at most 4

  // Per-document limits enforced on the workers.
  int timeout_seconds = 60;                        // without progress on one document
  std::uint64_t memory_limit_bytes = 4ull << 30;   // address space of a worker
  std::uint64_t max_file_bytes = 4ull << 30;       // larger source files are skipped
  int max_depth = 10;                              // nesting of archives and attachments
  std::uint64_t max_children = 100'000;            // documents inside one source file
  std::uint64_t max_expanded_bytes = 20ull << 30;  // bytes unpacked from one source file
  extract::Limits limits;

  // Entities found in every document's text: none, the pattern entities (addresses, numbers,
  // dates, markings), or those and the names the sequence tagger finds.
  enum class Entities { kNone, kPatterns, kAll };
  Entities entities = Entities::kAll;

  // Commit the index and ledger at least this often; an interrupted run redoes at most this
  // much. Fewer commits are not faster: Xapian flushes every 10,000 changes anyway, and
  // committing every 5,000 documents measured faster than that (bench/RESULTS.md, section 2).
  std::uint64_t commit_every_documents = 5'000;
  int commit_every_seconds = 10;

  // OCR of images and of PDF pages without a usable text layer. kAuto reads those pages only
  // (a born-digital PDF costs no OCR); kForce reads every page of every PDF and image; kOff
  // reads none (and leaves an earlier run's OCR queue waiting). A document that needs OCR is
  // indexed at once with the text it has, queued in the store, and indexed again with its OCR
  // text when the workers have read its pages (after the other files: searchable first).
  enum class Ocr { kAuto, kOff, kForce };
  Ocr ocr = Ocr::kAuto;
  std::string ocr_languages = "eng+fra";  // Tesseract languages joined by '+'

  // Builds the extractors inside each worker. Default: extract::Registry::CreateDefault.
  std::function<std::unique_ptr<extract::Registry>()> registry_factory;
};

// Counters, as the progress callback and the final summary see them.
struct IngestProgress {
  std::uint64_t sources_found = 0;  // source files discovered so far
  bool is_discovery_done = false;   // sources_found is the total
  std::uint64_t sources_done = 0;   // finished in this run, any outcome, unchanged included
  std::uint64_t bytes_done = 0;     // bytes of the source files finished
  std::uint64_t indexed = 0;        // source files indexed in this run
  std::uint64_t failed = 0;
  std::uint64_t skipped_unchanged = 0;
  std::uint64_t skipped_duplicate = 0;
  std::uint64_t skipped_unsupported = 0;
  std::uint64_t skipped_other = 0;      // symbolic links, files over the size limit...
  std::uint64_t documents = 0;          // documents written, members and attachments included
  std::uint64_t document_failures = 0;  // documents (members too) that failed
  // OCR in this run.
  std::uint64_t ocr_pages = 0;          // pages Tesseract read (OCR calls), failures included
  std::uint64_t ocr_page_failures = 0;  // pages whose OCR failed
  std::uint64_t ocr_cache_hits = 0;     // pages whose text came from the OCR cache instead
  std::uint64_t ocr_documents = 0;      // documents indexed again with their OCR text
  std::uint64_t ocr_queued_pages = 0;   // pages waiting for OCR now
  double ocr_seconds = 0;               // wall time from the first OCR call to the last result
  double elapsed_seconds = 0;
  // The watch pass, once the run is committed: the stored watch lists matched against the
  // documents of this run (and of earlier runs that no pass covered). Its failure does not fail
  // the ingest: it is told in watch_error, and the next run matches those documents again.
  std::uint64_t watch_lists = 0;      // lists matched
  std::uint64_t watch_documents = 0;  // documents matched against them
  std::uint64_t watch_new_hits = 0;   // hits (entry, document) that no earlier run found
  double watch_seconds = 0;
  std::string watch_error;  // "" when the pass succeeded (or there was nothing to match)
};

using ProgressCallback = std::function<void(const IngestProgress&)>;

// Runs an ingest to completion. Files that fail are recorded, not returned: the result is an
// error only when the run itself cannot proceed (no such source, collection unusable, locked).
// `progress` is called about every `progress_interval_ms` and once at the end.
Result<IngestProgress> Ingest(const IngestOptions& options, const ProgressCallback& progress = {},
                              int progress_interval_ms = 500);

}  // namespace trove::pipeline
