// `trove serve`, `trove user add|list|remove`, `trove audit` and `trove routes`: the web UI and
// JSON API, and the accounts of team mode.
#pragma once

#include <functional>
#include <optional>

#include <CLI/CLI.hpp>

namespace trove::cli {

// Registers the subcommands on `app`. Returns what to call once the command line is parsed: it
// runs the command given and returns its exit code, or nullopt when it is none of these.
std::function<std::optional<int>()> AddServeCommands(CLI::App& app);

}  // namespace trove::cli
