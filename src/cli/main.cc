// The `trove` command: argument parsing and output only; the work is in the library.
//
// Exit codes: 0 success (an ingest that completed, even with failed files); 1 the command could
// not do its job (unusable collection, I/O error); 2 bad usage or a malformed query.
#include <cstdio>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "cli/format.h"
#include "core/collection.h"
#include "index/index.h"
#include "pipeline/ingest.h"
#include "query/search.h"
#include "store/store.h"

namespace trove::cli {
namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

int Fail(const Status& status) {
  std::fprintf(stderr, "trove: %s\n",
               status.message().empty() ? status.ToString().c_str() : status.message().c_str());
  return status.Is(StatusCode::kInvalidArgument) ? kExitUsage : kExitError;
}

bool IsTerminal(FILE* f) { return isatty(fileno(f)) == 1; }

// --- ingest ----------------------------------------------------------------------------------

std::string ProgressLine(const pipeline::IngestProgress& p) {
  const double secs = std::max(p.elapsed_seconds, 0.001);
  const double files_per_s = static_cast<double>(p.sources_done) / secs;
  const double mb_per_s = static_cast<double>(p.bytes_done) / 1e6 / secs;
  std::string line = std::to_string(p.sources_done) + "/" + std::to_string(p.sources_found) +
                     (p.is_discovery_done ? "" : "+") + " files";
  char buf[160];
  std::snprintf(buf, sizeof buf, ", %.1f files/s, %.2f MB/s, %llu documents, %llu failed",
                files_per_s, mb_per_s, static_cast<unsigned long long>(p.documents),
                static_cast<unsigned long long>(p.failed + p.document_failures));
  line += buf;
  if (p.is_discovery_done && files_per_s > 0 && p.sources_found >= p.sources_done) {
    line += ", ETA " +
            HumanDuration(static_cast<double>(p.sources_found - p.sources_done) / files_per_s);
  }
  return line;
}

int IngestCommand(const pipeline::IngestOptions& options) {
  const bool is_tty = IsTerminal(stderr);
  auto last_line = std::chrono::steady_clock::now();
  pipeline::ProgressCallback progress = [&](const pipeline::IngestProgress& p) {
    if (is_tty) {
      std::fprintf(stderr, "\r\033[K%s", ProgressLine(p).c_str());
      std::fflush(stderr);
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_line >= std::chrono::seconds(5)) {
      last_line = now;
      std::fprintf(stderr, "progress: %s\n", ProgressLine(p).c_str());
    }
  };
  auto result = pipeline::Ingest(options, progress, is_tty ? 250 : 1000);
  if (is_tty) std::fprintf(stderr, "\n");
  if (!result.ok()) return Fail(result.status());
  const pipeline::IngestProgress& p = *result;
  const std::uint64_t skipped =
      p.skipped_unchanged + p.skipped_duplicate + p.skipped_unsupported + p.skipped_other;
  std::printf("ingest finished in %s: %llu files (%s)\n", HumanDuration(p.elapsed_seconds).c_str(),
              static_cast<unsigned long long>(p.sources_done), HumanBytes(p.bytes_done).c_str());
  std::printf("  indexed  %llu\n", static_cast<unsigned long long>(p.indexed));
  std::printf("  failed   %llu\n", static_cast<unsigned long long>(p.failed));
  std::printf("  skipped  %llu (unchanged %llu, duplicate %llu, unsupported %llu, other %llu)\n",
              static_cast<unsigned long long>(skipped),
              static_cast<unsigned long long>(p.skipped_unchanged),
              static_cast<unsigned long long>(p.skipped_duplicate),
              static_cast<unsigned long long>(p.skipped_unsupported),
              static_cast<unsigned long long>(p.skipped_other));
  std::printf("  documents written %llu (members and attachments included), %llu of them failed\n",
              static_cast<unsigned long long>(p.documents),
              static_cast<unsigned long long>(p.document_failures));
  if (p.failed + p.document_failures > 0) {
    std::printf("see what failed and why: trove failures --collection %s\n",
                options.collection.c_str());
  }
  return 0;
}

// --- search ----------------------------------------------------------------------------------

int Search(const std::string& collection, const std::string& query,
           const query::SearchOptions& options, bool as_json) {
  auto reader = index::Reader::Open(IndexDir(collection));
  if (!reader.ok()) return Fail(reader.status());
  auto response = query::Search(**reader, query, options);
  if (!response.ok()) return Fail(response.status());
  if (as_json) {
    nlohmann::json hits = nlohmann::json::array();
    for (const query::SearchHit& h : response->hits) {
      const DocumentRecord& r = h.hit.doc.record;
      hits.push_back({{"id", h.hit.id},
                      {"path", r.occurrence.path},
                      {"title", r.extraction.title.empty() ? r.name : r.extraction.title},
                      {"type", r.type},
                      {"date", IsoDate(r.extraction.date)},
                      {"score", h.hit.score},
                      {"snippet", h.snippet.RenderHtml()}});
    }
    nlohmann::json out = {{"total", response->total},
                          {"total_is_exact", response->is_total_exact},
                          {"query", response->parsed},
                          {"hits", hits}};
    if (!response->notice.empty()) out["notice"] = response->notice;
    if (options.want_facets) {
      nlohmann::json facets = nlohmann::json::object();
      for (const auto& [name, values] : response->facets) {
        nlohmann::json counts = nlohmann::json::object();
        for (const auto& v : values) counts[v.value] = v.count;
        facets[name] = counts;
      }
      out["facets"] = facets;
    }
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  const bool is_tty = IsTerminal(stdout);
  const char* open = is_tty ? "\033[1;33m" : "[[";
  const char* close = is_tty ? "\033[0m" : "]]";
  std::printf("%s%llu document%s match %s\n", response->is_total_exact ? "" : "about ",
              static_cast<unsigned long long>(response->total), response->total == 1 ? "" : "s",
              response->parsed.c_str());
  if (!response->notice.empty()) std::printf("note: %s\n", response->notice.c_str());
  std::uint64_t rank = options.offset;
  for (const query::SearchHit& h : response->hits) {
    const DocumentRecord& r = h.hit.doc.record;
    std::printf("\n%llu. %s  %s\n", static_cast<unsigned long long>(++rank), h.hit.id.c_str(),
                (r.extraction.title.empty() ? r.name : r.extraction.title).c_str());
    std::printf("   %s\n", r.occurrence.path.c_str());
    std::string line = "   " + r.type;
    if (r.extraction.date) line += " · " + IsoDate(r.extraction.date).substr(0, 10);
    if (!r.lang.empty()) line += " · " + r.lang;
    if (h.hit.doc.occurrences.size() > 1) {
      line += " · found at " + std::to_string(h.hit.doc.occurrences.size()) + " places";
    }
    std::printf("%s\n", line.c_str());
    if (!h.snippet.text.empty()) std::printf("   %s\n", h.snippet.Render(open, close).c_str());
  }
  if (rank < response->total && !response->hits.empty()) {
    std::printf("\nmore: --offset %llu\n", static_cast<unsigned long long>(rank));
  }
  if (options.want_facets) {
    for (const auto& [name, values] : response->facets) {
      std::printf("\n%s:", name.c_str());
      for (const auto& v : values)
        std::printf(" %s (%llu)", v.value.c_str(), static_cast<unsigned long long>(v.count));
      std::printf("\n");
    }
  }
  return 0;
}

// --- show ------------------------------------------------------------------------------------

int Show(const std::string& collection, const std::string& id, bool as_json) {
  auto reader = index::Reader::Open(IndexDir(collection));
  if (!reader.ok()) return Fail(reader.status());
  auto doc = (*reader)->Get(id);
  if (!doc.ok()) return Fail(doc.status());
  auto children = (*reader)->Children(id);
  if (!children.ok()) return Fail(children.status());
  std::vector<index::StoredDocument> kids;
  for (const std::string& child : *children) {
    auto kid = (*reader)->Get(child);
    if (kid.ok()) kids.push_back(std::move(kid).value());
  }
  if (as_json) {
    nlohmann::json out = DocumentJson(*doc, /*with_text=*/true);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& kid : kids) {
      list.push_back({{"id", kid.record.id},
                      {"name", kid.record.name},
                      {"type", kid.record.type},
                      {"state", std::string(DocStateName(kid.record.state))}});
    }
    out["children"] = list;
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  const DocumentRecord& r = doc->record;
  const Extraction& ex = r.extraction;
  auto field = [](const char* name, const std::string& value) {
    if (!value.empty()) std::printf("%-12s %s\n", name, value.c_str());
  };
  auto list = [&](const char* name, const std::vector<std::string>& values) {
    std::string joined;
    for (const auto& v : values) joined += (joined.empty() ? "" : ", ") + v;
    field(name, joined);
  };
  field("id", r.id);
  field("title", ex.title);
  field("name", r.name);
  for (const Occurrence& occ : doc->occurrences) field("path", occ.path);
  field("parent", r.occurrence.parent_id);
  field("type", r.type + " (" + r.media_type + ")");
  field("size", HumanBytes(r.size));
  field("date", IsoDate(ex.date));
  field("language", r.lang);
  field("state", std::string(DocStateName(r.state)) + (r.reason.empty() ? "" : ": " + r.reason));
  field("author", ex.author);
  if (ex.page_count > 0) field("pages", std::to_string(ex.page_count));
  list("from", ex.from);
  list("to", ex.to);
  list("cc", ex.cc);
  list("bcc", ex.bcc);
  field("message-id", ex.message_id);
  field("in-reply-to", ex.in_reply_to);
  for (const auto& [key, value] : ex.metadata) field(key.c_str(), value);
  if (!kids.empty()) {
    std::printf("children:\n");
    for (const auto& kid : kids) {
      const std::string state = kid.record.state == DocState::kIndexed
                                    ? ""
                                    : ", " + std::string(DocStateName(kid.record.state));
      std::printf("  %s  %s (%s%s)\n", kid.record.id.c_str(), kid.record.name.c_str(),
                  kid.record.type.c_str(), state.c_str());
    }
  }
  if (ex.is_truncated) std::printf("(text truncated at the extraction limit)\n");
  std::printf("\n%s\n", ex.text.c_str());
  return 0;
}

// --- status, failures --------------------------------------------------------------------------

int StatusCommand(const std::string& collection, bool as_json) {
  auto store = store::Store::Open(StorePath(collection));
  if (!store.ok()) return Fail(store.status());
  auto by_state = (*store)->CountSourcesByState();
  if (!by_state.ok()) return Fail(by_state.status());
  auto last_run = (*store)->LastRun();
  if (!last_run.ok()) return Fail(last_run.status());
  index::IndexStats stats;
  if (auto reader = index::Reader::Open(IndexDir(collection)); reader.ok()) {
    auto s = (*reader)->Stats();
    if (!s.ok()) return Fail(s.status());
    stats = *s;
  }
  std::uint64_t sources = 0;
  for (const auto& [state, count] : *by_state) sources += count;
  nlohmann::json states = {{"indexed", 0}, {"failed", 0}, {"skipped", 0}};
  for (const auto& [state, count] : *by_state) states[state] = count;
  nlohmann::json out = {{"collection", collection},
                        {"source_files", sources},
                        {"documents", stats.documents},
                        {"by_state", states},
                        {"documents_by_state", stats.by_state},
                        {"by_type", stats.by_type},
                        {"by_lang", stats.by_lang}};
  if (*last_run) {
    const store::Run& run = **last_run;
    out["last_run"] = {{"id", run.id},
                       {"started", IsoDate(run.started)},
                       {"finished", run.finished ? IsoDate(run.finished) : ""},
                       {"state", run.finished ? run.state : "interrupted or running"},
                       {"summary", nlohmann::json::parse(run.summary_json, nullptr, false)}};
  }
  if (as_json) {
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("collection   %s\n", collection.c_str());
  std::printf("source files %llu:", static_cast<unsigned long long>(sources));
  for (const auto& [state, count] : states.items())
    std::printf(" %s %s", state.c_str(), count.dump().c_str());
  std::printf("\ndocuments    %llu\n", static_cast<unsigned long long>(stats.documents));
  auto print_counts = [](const char* name, const std::map<std::string, std::uint64_t>& counts) {
    std::vector<std::pair<std::uint64_t, std::string>> sorted;
    for (const auto& [k, v] : counts) sorted.emplace_back(v, k);
    std::sort(sorted.rbegin(), sorted.rend());
    std::printf("%-12s", name);
    for (const auto& [v, k] : sorted)
      std::printf(" %s %llu", k.c_str(), static_cast<unsigned long long>(v));
    std::printf("\n");
  };
  print_counts("by type", stats.by_type);
  print_counts("by language", stats.by_lang);
  if (*last_run) {
    const store::Run& run = **last_run;
    std::printf("last run     #%lld started %s, %s\n", static_cast<long long>(run.id),
                IsoDate(run.started).c_str(),
                run.finished ? ("finished " + IsoDate(run.finished)).c_str()
                             : "did not finish (run the same ingest again to resume)");
  }
  return 0;
}

int Failures(const std::string& collection, bool as_json) {
  auto store = store::Store::Open(StorePath(collection));
  if (!store.ok()) return Fail(store.status());
  auto problems = (*store)->ListProblems();
  if (!problems.ok()) return Fail(problems.status());
  if (as_json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : *problems) {
      out.push_back({{"path", p.path},
                     {"state", p.state},
                     {"reason", p.reason},
                     {"media_type", p.media_type}});
    }
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  if (problems->empty()) {
    std::printf("nothing failed or was skipped\n");
    return 0;
  }
  for (const auto& p : *problems) {
    std::printf("%-7s %s\n        %s%s\n", p.state.c_str(), p.path.c_str(), p.reason.c_str(),
                p.media_type.empty() ? "" : (" [" + p.media_type + "]").c_str());
  }
  std::printf(
      "\n%zu problems; retry what failed with: trove ingest --retry-failed --collection %s\n",
      problems->size(), collection.c_str());
  return 0;
}

int Main(int argc, char** argv) {
  CLI::App app{"trove: ingest a document dump, then search it"};
  app.require_subcommand(1);
  std::string collection = kDefaultCollection;
  auto add_collection = [&](CLI::App* cmd) {
    cmd->add_option("--collection", collection, "collection directory")->capture_default_str();
  };

  pipeline::IngestOptions ingest;
  auto* ingest_cmd =
      app.add_subcommand("ingest", "read, extract and index files, folders and archives");
  add_collection(ingest_cmd);
  ingest_cmd->add_option("--jobs", ingest.jobs, "worker processes (default: number of cores)")
      ->check(CLI::Range(0, 256));
  ingest_cmd->add_flag("--retry-failed", ingest.retry_failed,
                       "extract again only what failed before");
  ingest_cmd->add_option("--timeout", ingest.timeout_seconds, "seconds one document may take")
      ->capture_default_str();
  ingest_cmd
      ->add_option("--commit-every", ingest.commit_every_seconds,
                   "commit at least every N seconds (an interrupted run redoes at most that)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  ingest_cmd
      ->add_option("--shards", ingest.shard_count,
                   "index shards for a new collection (default: one per core, at most 4)")
      ->check(CLI::Range(1, 64));
  ingest_cmd->add_option("SOURCE", ingest.sources, "files, folders or archives");

  std::string query_text;
  query::SearchOptions search;
  bool as_json = false;
  std::string sort = "relevance";
  auto* search_cmd = app.add_subcommand("search", "search the collection (see docs/search.md)");
  add_collection(search_cmd);
  search_cmd->add_flag("--json", as_json, "JSON output");
  search_cmd->add_option("--limit", search.limit, "hits to show")->capture_default_str();
  search_cmd->add_option("--offset", search.offset, "hits to skip");
  search_cmd->add_option("--sort", sort, "relevance, date (newest first) or date-asc")
      ->check(CLI::IsMember({"relevance", "date", "date-asc"}));
  search_cmd->add_flag("--facets", search.want_facets,
                       "count hits by type, language, year and sender");
  search_cmd->add_flag("--exact", search.is_exact, "keep case and accents, no stemming");
  search_cmd->add_option("QUERY", query_text, "the query")->required();

  std::string id;
  auto* show_cmd =
      app.add_subcommand("show", "show one document: metadata, places, children, text");
  add_collection(show_cmd);
  show_cmd->add_flag("--json", as_json, "JSON output");
  show_cmd->add_option("ID", id, "document id")->required();

  auto* status_cmd =
      app.add_subcommand("status", "documents by state, type and language; the last run");
  add_collection(status_cmd);
  status_cmd->add_flag("--json", as_json, "JSON output");

  auto* failures_cmd =
      app.add_subcommand("failures", "every file that failed or was skipped, and why");
  add_collection(failures_cmd);
  failures_cmd->add_flag("--json", as_json, "JSON output");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }

  if (ingest_cmd->parsed()) {
    ingest.collection = collection;
    if (ingest.sources.empty() && !ingest.retry_failed) {
      std::fprintf(stderr, "trove: name at least one file or folder to ingest\n");
      return kExitUsage;
    }
    return IngestCommand(ingest);
  }
  if (search_cmd->parsed()) {
    search.sort = sort == "date"       ? index::SortOrder::kDateNewest
                  : sort == "date-asc" ? index::SortOrder::kDateOldest
                                       : index::SortOrder::kRelevance;
    return Search(collection, query_text, search, as_json);
  }
  if (show_cmd->parsed()) return Show(collection, id, as_json);
  if (status_cmd->parsed()) return StatusCommand(collection, as_json);
  if (failures_cmd->parsed()) return Failures(collection, as_json);
  return kExitUsage;
}

}  // namespace
}  // namespace trove::cli

int main(int argc, char** argv) {
  try {
    return trove::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "trove: unexpected error: %s\n", e.what());
    return 1;
  }
}
