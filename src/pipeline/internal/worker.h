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
