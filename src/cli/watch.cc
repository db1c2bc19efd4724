#include "cli/watch.h"

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "analyze/watchlist.h"
#include "cli/format.h"
#include "core/collection.h"
#include "core/file.h"
#include "index/index.h"
#include "query/xref.h"
#include "server/views.h"
#include "store/store.h"
#include "store/watchlists.h"

namespace trove::cli {
namespace {


struct WatchOptions {
  std::string collection = kDefaultCollection;
  std::string list;
  std::string file;
  std::string format;  // "", csv, ftm
  bool as_json = false;
  bool as_csv = false;
  double min_score = 0.75;
  std::uint64_t max_ids = 10;
  bool no_text = false;
  bool only_new = false;  // watch hits --new
};

Status RequireCollection(const std::string& collection) {
  std::error_code ec;
  if (!std::filesystem::is_directory(collection, ec)) {
    return Status::NotFound("no collection at " + collection +
                            " (run trove ingest first, or give --collection)");
  }
  return Status::Ok();
}

// Reads a watch-list file, telling stderr about each line that could not be read.
Result<analyze::ParsedWatchList> ReadWatchList(const std::string& path, const std::string& format) {
  TROVE_ASSIGN_OR_RETURN(const std::string bytes, ReadFile(path));
  auto parsed =
      analyze::ParseWatchList(bytes, format.empty() ? analyze::WatchListFormatOfName(path) : format);
  if (!parsed.ok()) return Status::InvalidArgument(path + ": " + parsed.status().message());
  for (const analyze::WatchListProblem& problem : parsed->problems) {
    std::fprintf(stderr, "%s:%llu: %s (line skipped)\n", path.c_str(),
                 static_cast<unsigned long long>(problem.line), problem.message.c_str());
  }
  return parsed;
}

int Add(const WatchOptions& options) {
  // A list may come before the first ingest: every document is then matched as it arrives.
  std::error_code mkdir_ec;
  std::filesystem::create_directories(options.collection, mkdir_ec);
  if (Status status = RequireCollection(options.collection); !status.ok()) return Fail(status);
  auto parsed = ReadWatchList(options.file, options.format);
  if (!parsed.ok()) return Fail(parsed.status());
  if (parsed->entries.empty()) {
    return Fail(Status::InvalidArgument(options.file + ": no name could be read"));
  }
  auto lists = store::WatchLists::Open(StorePath(options.collection));
  if (!lists.ok()) return Fail(lists.status());
  store::WatchListInfo info;
  info.name = options.list;
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(options.file, ec);
  info.source = ec ? options.file : absolute.string();
  info.format = parsed->format;
  if (Status status = (*lists)->Put(info, parsed->entries); !status.ok()) return Fail(status);
  std::size_t names = 0;
  for (const WatchEntry& entry : parsed->entries) names += entry.names.size();
  std::printf("watch list '%s': %zu entries (%zu names and aliases) from %s", options.list.c_str(),
              parsed->entries.size(), names, options.file.c_str());
  if (!parsed->problems.empty()) std::printf(", %zu lines skipped", parsed->problems.size());
  if (parsed->skipped > 0) {
    std::printf(", %llu unnamed entities left out",
                static_cast<unsigned long long>(parsed->skipped));
  }
  std::printf(
      "\ndocuments ingested from now on are matched as they arrive: trove watch hits --list %s "
      "--collection %s\nthe documents already there: trove xref %s --collection %s\n",
      options.list.c_str(), options.collection.c_str(), options.list.c_str(),
      options.collection.c_str());
  return 0;
}

int List(const WatchOptions& options) {
  if (Status status = RequireCollection(options.collection); !status.ok()) return Fail(status);
  auto lists = store::WatchLists::Open(StorePath(options.collection));
  if (!lists.ok()) return Fail(lists.status());
  auto all = (*lists)->List();
  if (!all.ok()) return Fail(all.status());
  if (options.as_json) {
    nlohmann::json out = nlohmann::json::array();
    for (const store::WatchListInfo& list : *all) {
      out.push_back({{"name", list.name},
                     {"entries", list.entries},
                     {"format", list.format},
                     {"source", list.source},
                     {"added", IsoDate(list.added)},
                     {"matched_run", list.matched_run}});
    }
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  if (all->empty()) std::printf("no watch lists (add one: trove watch add NAME FILE)\n");
  for (const store::WatchListInfo& list : *all) {
    std::printf("%-20s %8llu entries  %-3s  added %s  from %s\n", list.name.c_str(),
                static_cast<unsigned long long>(list.entries), list.format.c_str(),
                IsoDate(list.added).c_str(), list.source.c_str());
  }
  return 0;
}

int Remove(const WatchOptions& options) {
  if (Status status = RequireCollection(options.collection); !status.ok()) return Fail(status);
  auto lists = store::WatchLists::Open(StorePath(options.collection));
  if (!lists.ok()) return Fail(lists.status());
  if (Status status = (*lists)->Remove(options.list); !status.ok()) return Fail(status);
  std::printf("watch list '%s' removed\n", options.list.c_str());
  return 0;
}

std::string Score(double score) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", score);
  return buf;
}

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\n\r") == std::string::npos) return value;
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

int XrefCommand(const WatchOptions& options) {
  if (options.as_json && options.as_csv) {
    std::fprintf(stderr, "trove: --json and --csv exclude each other\n");
    return kExitUsage;
  }
  if (Status status = RequireCollection(options.collection); !status.ok()) return Fail(status);
  auto reader = index::Reader::Open(IndexDir(options.collection));
  if (!reader.ok()) return Fail(reader.status());
  auto store = store::Store::Open(StorePath(options.collection));
  if (!store.ok()) return Fail(store.status());
  auto rules = (*store)->ListEntityRules();
  if (!rules.ok()) return Fail(rules.status());
  auto lists = store::WatchLists::Open(StorePath(options.collection));
  if (!lists.ok()) return Fail(lists.status());
  // LIST names a stored watch list, or else a file read on the spot.
  auto entries = (*lists)->Entries(options.list);
  if (!entries.ok()) {
    std::error_code ec;
    if (!entries.status().Is(StatusCode::kNotFound) ||
        !std::filesystem::is_regular_file(options.list, ec)) {
      return Fail(entries.status());
    }
    auto parsed = ReadWatchList(options.list, "");
    if (!parsed.ok()) return Fail(parsed.status());
    entries = std::move(parsed->entries);
  }
  query::XrefOptions xref;
  xref.min_score = options.min_score;
  xref.max_ids = options.max_ids;
  xref.with_text = !options.no_text;
  xref.entity_rules = std::move(rules).value();
  auto result = query::Xref(**reader, *entries, xref);
  if (!result.ok()) return Fail(result.status());
  const query::XrefStats& stats = result->stats;
  if (options.as_json) {
    std::printf("%s\n", server::XrefView(options.list, *result, 2).c_str());
    return 0;
  }
  if (options.as_csv) {
    std::printf("line,id,name,schema,score,kind,type,matched,documents,ids\n");
    for (const query::XrefMatch& match : result->matches) {
      for (const query::XrefHit& hit : match.hits) {
        std::string ids;
        for (const std::string& id : hit.ids) (ids += ids.empty() ? "" : " ") += id;
        std::printf("%llu,%s,%s,%s,%s,%s,%s,%s,%llu,%s\n",
                    static_cast<unsigned long long>(match.entry.line),
                    CsvField(match.entry.id).c_str(), CsvField(hit.name).c_str(),
                    CsvField(match.entry.schema).c_str(), Score(hit.score).c_str(),
                    hit.kind.c_str(), hit.type.c_str(), CsvField(hit.matched).c_str(),
                    static_cast<unsigned long long>(hit.documents), ids.c_str());
      }
    }
    return 0;
  }
  std::printf("%zu of %llu entries found in %s\n", result->matches.size(),
              static_cast<unsigned long long>(stats.entries), options.collection.c_str());
  for (const query::XrefMatch& match : result->matches) {
    std::string about = match.entry.schema;
    if (!match.entry.id.empty()) (about += about.empty() ? "" : ", ") += "id " + match.entry.id;
    std::printf("\n%s  %s%s  (line %llu, %llu document%s)\n", Score(match.score).c_str(),
                match.entry.names.front().c_str(),
                about.empty() ? "" : (" [" + about + "]").c_str(),
                static_cast<unsigned long long>(match.entry.line),
                static_cast<unsigned long long>(match.documents), match.documents == 1 ? "" : "s");
    for (const query::XrefHit& hit : match.hits) {
      std::string ids;
      for (const std::string& id : hit.ids) (ids += ids.empty() ? "" : " ") += id;
      if (hit.documents > hit.ids.size()) ids += " ...";
      const bool is_text = hit.type == "text";
      std::printf("  %s %-9s %-6s %s%s%s  %llu %sdocument%s: %s\n", Score(hit.score).c_str(),
                  hit.kind.c_str(), hit.type.c_str(), is_text ? "\"" : "", hit.matched.c_str(),
                  is_text ? "\"" : "", static_cast<unsigned long long>(hit.documents),
                  is_text ? "more " : "", hit.documents == 1 ? "" : "s", ids.c_str());
    }
  }
  return 0;
}

// `trove watch hits`: what the watch pass of each ingest found (pipeline/internal/watch_pass.h).
int Hits(const WatchOptions& options) {
  if (options.as_json && options.as_csv) {
    std::fprintf(stderr, "trove: --json and --csv exclude each other\n");
    return kExitUsage;
  }
  if (Status status = RequireCollection(options.collection); !status.ok()) return Fail(status);
  auto store = store::Store::Open(StorePath(options.collection));
  if (!store.ok()) return Fail(store.status());
  auto last_run = (*store)->LastRun();
  if (!last_run.ok()) return Fail(last_run.status());
  const std::int64_t latest = *last_run ? (*last_run)->id : 0;
  auto lists = store::WatchLists::Open(StorePath(options.collection));
  if (!lists.ok()) return Fail(lists.status());
  std::vector<store::WatchHit> hits;
  // New: found first by the latest ingest run (none yet: nothing is new).
  if (!options.only_new || latest > 0) {
    auto found = (*lists)->Hits(options.list, options.only_new ? latest : 0);
    if (!found.ok()) return Fail(found.status());
    hits = std::move(found).value();
  } else if (!options.list.empty()) {
    if (auto found = (*lists)->Entries(options.list); !found.ok()) return Fail(found.status());
  }
  // Where each document was found, when the index can say (a document may be gone since).
  std::map<std::string, std::string> path_of;
  if (auto reader = index::Reader::Open(IndexDir(options.collection)); reader.ok()) {
    for (const store::WatchHit& hit : hits) {
      if (path_of.count(hit.doc_id) != 0) continue;
      auto doc = (*reader)->Get(hit.doc_id);
      path_of[hit.doc_id] = doc.ok() ? doc->record.occurrence.path : "";
    }
  }
  if (options.as_json) {
    std::printf("%s\n", server::WatchHitsView(hits, path_of, latest, 2).c_str());
    return 0;
  }
  if (options.as_csv) {
    std::printf("list,line,id,entry,score,kind,type,matched,doc_id,path,run,found,new\n");
    for (const store::WatchHit& hit : hits) {
      std::printf("%s,%llu,%s,%s,%s,%s,%s,%s,%s,%s,%lld,%s,%d\n", CsvField(hit.list).c_str(),
                  static_cast<unsigned long long>(hit.line), CsvField(hit.entry_id).c_str(),
                  CsvField(hit.entry_name).c_str(), Score(hit.score).c_str(), hit.kind.c_str(),
                  hit.type.c_str(), CsvField(hit.matched).c_str(), hit.doc_id.c_str(),
                  CsvField(path_of[hit.doc_id]).c_str(), static_cast<long long>(hit.run_id),
                  IsoDate(hit.found).c_str(), hit.run_id == latest ? 1 : 0);
    }
    return 0;
  }
  std::printf("%zu %shit%s", hits.size(), options.only_new ? "new " : "",
              hits.size() == 1 ? "" : "s");
  if (!options.list.empty()) std::printf(" of watch list '%s'", options.list.c_str());
  std::printf(" in %s", options.collection.c_str());
  if (latest > 0) std::printf(" (latest ingest run #%lld)", static_cast<long long>(latest));
  std::printf("\n");
  std::string list;
  for (const store::WatchHit& hit : hits) {
    if (hit.list != list) {
      list = hit.list;
      std::printf("\n%s\n", list.c_str());
    }
    const bool is_text = hit.type == "text";
    std::printf("  %s %s%-9s %-6s %s%s%s  line %llu %s  run #%lld %s  %s %s\n",
                Score(hit.score).c_str(), hit.run_id == latest ? "new " : "    ", hit.kind.c_str(),
                hit.type.c_str(), is_text ? "\"" : "", hit.matched.c_str(), is_text ? "\"" : "",
                static_cast<unsigned long long>(hit.line), hit.entry_name.c_str(),
                static_cast<long long>(hit.run_id), IsoDate(hit.found).c_str(), hit.doc_id.c_str(),
                path_of[hit.doc_id].c_str());
  }
  return 0;
}

}  // namespace

void PrintWatchSummary(const pipeline::IngestProgress& p, const std::string& collection) {
  if (!p.watch_error.empty()) {
    std::printf(
        "  watch    the watch pass failed (the ingest stands; the next ingest matches these "
        "documents again): %s\n",
        p.watch_error.c_str());
    return;
  }
  if (p.watch_lists == 0) return;
  std::printf("  watch    %llu new hit%s of %llu watch list%s in %llu documents (%.1f s)%s\n",
              static_cast<unsigned long long>(p.watch_new_hits), p.watch_new_hits == 1 ? "" : "s",
              static_cast<unsigned long long>(p.watch_lists), p.watch_lists == 1 ? "" : "s",
              static_cast<unsigned long long>(p.watch_documents), p.watch_seconds,
              p.watch_new_hits > 0
                  ? ("; see them: trove watch hits --new --collection " + collection).c_str()
                  : "");
}

std::function<std::optional<int>()> AddWatchCommands(CLI::App& app) {
  auto options = std::make_shared<WatchOptions>();
  auto add_collection = [options](CLI::App* cmd) {
    cmd->add_option("--collection", options->collection, "collection directory")
        ->capture_default_str();
  };
  auto* watch_cmd = app.add_subcommand(
      "watch", "keep watch lists (CSV of names, or FollowTheMoney JSON lines) in the collection");
  watch_cmd->require_subcommand(1);
  auto* add_cmd = watch_cmd->add_subcommand("add", "store FILE as watch list LIST (replaces it)");
  add_collection(add_cmd);
  add_cmd->add_option("LIST", options->list, "the list's name")->required();
  add_cmd->add_option("FILE", options->file, "CSV with a name column, or FtM JSON lines")
      ->required();
  add_cmd->add_option("--format", options->format, "csv or ftm (default: from the content)")
      ->check(CLI::IsMember({"csv", "ftm"}));
  auto* list_cmd = watch_cmd->add_subcommand("list", "the collection's watch lists");
  add_collection(list_cmd);
  list_cmd->add_flag("--json", options->as_json, "JSON output");
  auto* remove_cmd = watch_cmd->add_subcommand("remove", "forget watch list LIST");
  add_collection(remove_cmd);
  remove_cmd->add_option("LIST", options->list, "the list's name")->required();
  auto* hits_cmd = watch_cmd->add_subcommand(
      "hits", "what the lists found in the documents of each ingest since they were added");
  add_collection(hits_cmd);
  hits_cmd->add_option("--list", options->list, "one list only (default: every list)");
  hits_cmd->add_flag("--new", options->only_new,
                     "only the hits found by the latest ingest and never before");
  hits_cmd->add_flag("--json", options->as_json, "JSON output");
  hits_cmd->add_flag("--csv", options->as_csv, "CSV output, one row per hit");

  auto* xref_cmd = app.add_subcommand(
      "xref", "match a watch list against the collection's entities and text (docs/watchlists.md)");
  add_collection(xref_cmd);
  xref_cmd->add_option("LIST", options->list, "a stored watch list, or a watch-list file")
      ->required();
  xref_cmd->add_flag("--json", options->as_json, "JSON output");
  xref_cmd->add_flag("--csv", options->as_csv, "CSV output, one row per hit");
  xref_cmd->add_option("--min-score", options->min_score, "leave out hits scoring less")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  xref_cmd->add_option("--ids", options->max_ids, "document ids listed per hit")
      ->capture_default_str();
  xref_cmd->add_flag("--no-text", options->no_text, "match entities only, not the text");

  return [=]() -> std::optional<int> {
    if (add_cmd->parsed()) return Add(*options);
    if (list_cmd->parsed()) return List(*options);
    if (remove_cmd->parsed()) return Remove(*options);
    if (hits_cmd->parsed()) return Hits(*options);
    if (xref_cmd->parsed()) return XrefCommand(*options);
    return std::nullopt;
  };
}

}  // namespace trove::cli
