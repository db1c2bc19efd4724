// Watch lists: the names an investigation looks for (`trove watch add`, `trove xref`), read
// from a CSV file with a header row or from FollowTheMoney / OpenSanctions JSON lines. Format:
// docs/watchlists.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/watch_entry.h"

namespace trove::analyze {

// A line of a watch list that could not be read; the other lines still are.
struct WatchListProblem {
  std::uint64_t line = 0;  // 1-based
  std::string message;
};

struct ParsedWatchList {
  std::string format;  // "csv" or "ftm"
  std::vector<WatchEntry> entries;
  std::vector<WatchListProblem> problems;
  // FtM entities that carry no name by their nature (sanctions, ownerships, addresses...): left
  // out without a problem.
  std::uint64_t skipped = 0;
};

// Reads a watch list. `format` is "csv", "ftm" or "" to tell from the content (a first
// non-blank character '{' means JSON lines).
//
// CSV: a header row names the columns; "name" (or "full_name", "caption") is required,
// "aliases"/"alias" (separated by ';' or '|'), "type"/"schema", "id" and "email"/"emails" are
// read when present, and every other column is kept in WatchEntry::fields_json. The delimiter is
// ',', ';' or a tab, whichever the header uses most. Quoted fields may hold delimiters, doubled
// quotes and line breaks.
// FtM: one entity per line, {"id", "schema", "properties": {"name": [...], "alias": [...],
// "previousName": [...], "email": [...], ...}}; other properties go to fields_json.
//
// Returns InvalidArgument when the file as a whole cannot be a watch list (a CSV header without a
// name column, an unknown format). A malformed line (bad JSON, a wrong number of fields, an
// unterminated quote, no name) becomes a WatchListProblem with its line number.
Result<ParsedWatchList> ParseWatchList(std::string_view bytes, std::string_view format = "");

// The format a list file's name tells by its extension: "ftm" (.json, .jsonl, .ndjson, .ftm),
// "csv" (.csv, .tsv), or "" (ParseWatchList then tells it from the content).
std::string WatchListFormatOfName(std::string_view file_name);

}  // namespace trove::analyze
