// Running a helper program (antiword, catdoc, xls2csv) on a document inside the extraction
// worker: no shell, a time limit, a memory limit and a cap on the output it may produce.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace trove::extract::internal {

struct HelperLimits {
  std::chrono::milliseconds timeout{60'000};
  std::uint64_t max_output_bytes = 64ull << 20;
  std::uint64_t max_memory_bytes = 1ull << 30;  // the helper's address space
};

struct HelperOutput {
  int exit_code = 0;
  std::string out;  // standard output, cut at max_output_bytes (is_truncated)
  std::string err;  // standard error, first 4 KiB
  bool is_truncated = false;
};

// Writes `input` to a private temporary file and runs `argv` (argv[0] looked up in PATH) with
// the file's path appended as the last argument. Arguments go straight to execvp, never through
// a shell. NotFound when the program is not installed; Timeout when it runs past the limit (it
// is killed); IOError when the temporary file cannot be written. A non-zero exit is not an
// error here: the caller reads exit_code and err.
Result<HelperOutput> RunHelper(const std::vector<std::string>& argv, std::string_view input,
                               const HelperLimits& limits = {});

}  // namespace trove::extract::internal
