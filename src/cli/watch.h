// `trove watch add|list|remove|hits` and `trove xref`: watch lists and cross-referencing.
#pragma once

#include <functional>
#include <optional>

#include <CLI/CLI.hpp>

#include "pipeline/ingest.h"

namespace trove::cli {

// Registers the `watch` and `xref` subcommands on `app`. Returns what to call once the command
// line is parsed: it runs the command given and returns its exit code, or nullopt when the
// command given is none of these.
std::function<std::optional<int>()> AddWatchCommands(CLI::App& app);

// The watch pass's line of `trove ingest`'s summary (nothing when no list was matched and
// nothing failed).
void PrintWatchSummary(const pipeline::IngestProgress& progress, const std::string& collection);

}  // namespace trove::cli
