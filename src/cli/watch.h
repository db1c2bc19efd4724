// `trove watch add|list|remove` and `trove xref`: watch lists and cross-referencing.
#pragma once

#include <functional>
#include <optional>

#include <CLI/CLI.hpp>

namespace trove::cli {

// Registers the `watch` and `xref` subcommands on `app`. Returns what to call once the command
// line is parsed: it runs the command given and returns its exit code, or nullopt when the
// command given is none of these.
std::function<std::optional<int>()> AddWatchCommands(CLI::App& app);

}  // namespace trove::cli
