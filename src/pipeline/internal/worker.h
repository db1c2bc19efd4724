// The extraction worker: a child process that reads tasks (source files) from the supervisor,
// extracts them and everything inside them, and sends back prepared documents. A parser that
// crashes, hangs or exhausts memory takes down this process only.
#pragma once

#include <string>
#include <vector>

#include "core/document.h"
#include "core/status.h"
#include "pipeline/ingest.h"

namespace trove::pipeline::internal {

struct Task {
  std::string source_key;
  std::string path;               // absolute path of the source file
  std::vector<std::string> skip;  // path chains not to extract again (they crashed a worker)
};

struct Begin {
  std::string chain;
  std::string id;
  std::string parent_id;
  std::string name;
  std::string media_type;
  std::uint64_t size = 0;
};

// OCR work on one queued document (store::OcrJob).
struct OcrTask {
  enum class Kind { kPage, kMerge };
  Kind kind = Kind::kPage;
  std::string doc_id;
  std::string source_path;  // the source file the document is in
  std::string chain;        // the document's path chain in it
  std::string media_type;
  std::string languages;
  int page = 0;  // kPage: 0-based page to read
  // kMerge: the indexed record (EncodeRecord without text) and the pages read.
  std::string record;
  std::vector<int> pages;
  std::vector<std::string> texts;   // parallel to pages
  std::vector<int> confidences;     // parallel to pages
  std::vector<std::string> failures;  // why each failed page failed ("page 3: ...")
};

// A kOcrPage message. page -1 means that a merge failed (error says why).
struct OcrPageResult {
  std::string doc_id;
  int page = 0;
  std::string text;
  int confidence = 0;
  std::string error;  // empty on success
};

std::string EncodeOcrTask(const OcrTask& task);
Result<OcrTask> DecodeOcrTask(std::string_view payload);
std::string EncodeOcrPage(const OcrPageResult& result);
Result<OcrPageResult> DecodeOcrPage(std::string_view payload);

std::string EncodeTask(const Task& task);
Result<Task> DecodeTask(std::string_view payload);
std::string EncodeBegin(const Begin& begin);
Result<Begin> DecodeBegin(std::string_view payload);
// A document message: the record without its text (for the ledger), then the prepared blob.
std::string EncodeDocument(const DocumentRecord& record, const std::string& blob);
Result<std::pair<DocumentRecord, std::string>> DecodeDocument(std::string_view payload);

// Runs the worker loop on the given pipe ends until the supervisor closes its end. Returns the
// exit code for the process.
int RunWorker(int in_fd, int out_fd, const IngestOptions& options);

// Builds and prepares the record of a document that never reached an extractor (it crashed a
// worker, timed out, or could not be read), so that it stays findable by name and path.
Result<std::string> PrepareStub(DocumentRecord record);

}  // namespace trove::pipeline::internal
