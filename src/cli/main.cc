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

#include "analyze/ner.h"
#include "cli/format.h"
#include "cli/serve.h"
#include "cli/watch.h"
#include "core/collection.h"
#include "core/file.h"
#include "index/index.h"
#include "pipeline/ingest.h"
#include "query/search.h"
#include "query/thread.h"
#include "server/views.h"
#include "store/store.h"

namespace trove::cli {
namespace {

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

// Tesseract's OpenMP runtime reads OMP_THREAD_LIMIT once, when it is loaded (before main): the
// ingest starts again with it set, so that each worker reads with one thread and the workers
// read in parallel without oversubscribing the cores. If exec fails, OCR is slower, not wrong.
void RestartWithOneOpenMpThread(char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT") != nullptr) return;
  setenv("OMP_THREAD_LIMIT", "1", 1);
  execv("/proc/self/exe", argv);
}

// --compact of trove ingest.
enum class CompactMode { kAuto, kAlways, kNever };

// A run that writes this many documents or more, and at least this share of the collection's,
// ends by compacting the index under --compact auto. Written file by file, a large index is a
// third larger than it need be, and searches on a million documents wait 15-45% longer at p50
// (bench/RESULTS.md, session 5); compaction costs about 2.5 minutes a million documents, a tenth
// of the ingest's time. A smaller addition to a large collection is not worth rewriting it all.
constexpr std::uint64_t kAutoCompactDocuments = 50000;
constexpr std::uint64_t kAutoCompactShareDivisor = 4;  // at least a quarter of the collection

int Compact(const std::string& collection);

bool ShouldCompact(CompactMode mode, std::uint64_t documents_written,
                   const std::string& collection) {
  if (mode != CompactMode::kAuto) return mode == CompactMode::kAlways;
  if (documents_written < kAutoCompactDocuments) return false;
  auto reader = index::Reader::Open(IndexDir(collection));
  if (!reader.ok()) return false;
  auto stats = (*reader)->Stats();
  return stats.ok() && documents_written * kAutoCompactShareDivisor >= stats->documents;
}

int IngestCommand(const pipeline::IngestOptions& options, CompactMode compact) {
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
  if (p.ocr_pages + p.ocr_cache_hits + p.ocr_documents > 0) {
    std::printf(
        "  ocr      %llu pages read (%.2f pages/s, %llu failed), %llu from the cache, "
        "%llu documents enriched\n",
        static_cast<unsigned long long>(p.ocr_pages),
        p.ocr_seconds > 0 ? static_cast<double>(p.ocr_pages) / p.ocr_seconds : 0.0,
        static_cast<unsigned long long>(p.ocr_page_failures),
        static_cast<unsigned long long>(p.ocr_cache_hits),
        static_cast<unsigned long long>(p.ocr_documents));
  }
  PrintWatchSummary(p, options.collection);
  if (p.failed + p.document_failures > 0) {
    std::printf("see what failed and why: trove failures --collection %s\n",
                options.collection.c_str());
  }
  if (ShouldCompact(compact, p.documents, options.collection)) {
    std::fflush(stdout);
    // The run itself completed: a compaction that cannot proceed (another process writing the
    // collection) leaves the index as written, searchable, and says how to retry.
    if (Compact(options.collection) != 0) {
      std::printf("the index was left as written; compact it later with: trove compact "
                  "--collection %s\n",
                  options.collection.c_str());
    }
  }
  return 0;
}

// --- search ----------------------------------------------------------------------------------

// The collection's entity curation (trove entity ...).
Result<std::vector<EntityRule>> LoadEntityRules(const std::string& collection) {
  TROVE_ASSIGN_OR_RETURN(auto store, store::Store::Open(StorePath(collection)));
  return store->ListEntityRules();
}

int Search(const std::string& collection, const std::string& query, query::SearchOptions options,
           bool as_json) {
  auto reader = index::Reader::Open(IndexDir(collection));
  if (!reader.ok()) return Fail(reader.status());
  auto rules = LoadEntityRules(collection);
  if (!rules.ok()) return Fail(rules.status());
  options.entity_rules = std::move(rules).value();
  auto response = query::Search(**reader, query, options);
  if (!response.ok()) return Fail(response.status());
  if (as_json) {
    std::printf("%s\n", server::SearchView(*response, 2).c_str());
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
    if (h.hit.collapsed > 0) {
      line += " · +" + std::to_string(h.hit.collapsed) + " near-duplicate" +
              (h.hit.collapsed == 1 ? "" : "s") + " (similar:" + h.hit.id + ")";
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

// "text of 2 pages read by OCR (eng+fra), mean confidence 91%", or "" without OCR.
std::string OcrSummary(const OcrInfo& ocr) {
  const std::string pages =
      std::to_string(ocr.pages.size()) + (ocr.pages.size() == 1 ? " page" : " pages");
  std::string out;
  switch (ocr.state) {
    case OcrInfo::State::kNone:
      return "";
    case OcrInfo::State::kQueued:
      out = "queued: " + pages + " waiting for OCR (" + ocr.languages + ")";
      break;
    case OcrInfo::State::kDone: {
      char confidence[32];
      std::snprintf(confidence, sizeof confidence, "%.0f%%", ocr.mean_confidence);
      out = "text of " + pages + " read by OCR (" + ocr.languages + "), mean confidence " +
            confidence;
      break;
    }
    case OcrInfo::State::kFailed:
      out = "failed";
      break;
  }
  if (!ocr.reason.empty()) out += "; " + ocr.reason;
  return out;
}

// --- show ------------------------------------------------------------------------------------

// The first near-duplicates with their estimated similarity, and how to list them all.
void PrintNearDuplicates(const query::SearchResponse& similar, const std::string& id) {
  if (similar.hits.empty()) return;
  std::printf("near-duplicates: %llu (search 'similar:%s' lists them)\n",
              static_cast<unsigned long long>(similar.total), id.c_str());
  for (const query::SearchHit& hit : similar.hits) {
    std::printf("  %3.0f%%  %s  %s\n", 100 * hit.hit.score, hit.hit.id.c_str(),
                hit.hit.doc.record.occurrence.path.c_str());
  }
}

// The thread as a tree, one message per line: '>' marks the document shown, '*' the inclusive
// messages (reading those is reading the whole thread).
void PrintThread(const query::Thread& thread, const std::string& shown) {
  if (thread.messages.size() <= 1) return;
  std::size_t inclusive = 0;
  for (const auto& m : thread.messages) inclusive += !m.id.empty() && m.inclusive;
  std::printf("thread:      %zu messages, %zu inclusive (*)%s\n", thread.messages.size(), inclusive,
              thread.truncated ? ", more not read" : "");
  for (const auto& m : thread.messages) {
    const std::string indent(2 * static_cast<std::size_t>(m.depth), ' ');
    if (m.id.empty()) {
      std::printf("    %s(missing) <%s>\n", indent.c_str(), m.message_id.c_str());
      continue;
    }
    std::printf("  %c%c %s%s  %s  %s  %s\n", m.id == shown ? '>' : ' ', m.inclusive ? '*' : ' ',
                indent.c_str(), IsoDate(m.date).c_str(), m.from.c_str(), m.subject.c_str(),
                m.id.c_str());
  }
}

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
  auto relations = server::LoadRelations(**reader, id);
  if (!relations.ok()) return Fail(relations.status());
  if (as_json) {
    std::printf("%s\n", server::DocumentView(*doc, kids, {}, 2, &*relations).c_str());
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
  field("ocr", OcrSummary(r.ocr));
  field("author", ex.author);
  if (ex.page_count > 0) field("pages", std::to_string(ex.page_count));
  list("from", ex.from);
  list("to", ex.to);
  list("cc", ex.cc);
  list("bcc", ex.bcc);
  field("message-id", ex.message_id);
  field("in-reply-to", ex.in_reply_to);
  for (const auto& [key, value] : ex.metadata) field(key.c_str(), value);
  // Entities by type, each once, in order of first mention.
  std::map<std::string, std::vector<std::string>> entities;
  for (const EntityMention& m : doc->record.entities) {
    std::vector<std::string>& values = entities[m.type];
    if (std::find(values.begin(), values.end(), m.value) == values.end()) values.push_back(m.value);
  }
  for (const auto& [type, values] : entities) list(type.c_str(), values);
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
  PrintThread(relations->thread, id);
  PrintNearDuplicates(relations->near_duplicates, id);
  if (ex.is_truncated) std::printf("(text truncated at the extraction limit)\n");
  std::printf("\n%s\n", ex.text.c_str());
  return 0;
}

// --- compact -----------------------------------------------------------------------------------

int Compact(const std::string& collection) {
  std::printf("compacting %s (every shard rewritten; a million documents take minutes)...\n",
              IndexDir(collection).c_str());
  std::fflush(stdout);
  auto result = index::CompactIndex(IndexDir(collection));
  if (!result.ok()) return Fail(result.status());
  constexpr double kMiB = 1024.0 * 1024.0;
  std::printf("compacted %d shard%s: %.1f MiB -> %.1f MiB\n", result->shards,
              result->shards == 1 ? "" : "s", static_cast<double>(result->bytes_before) / kMiB,
              static_cast<double>(result->bytes_after) / kMiB);
  return 0;
}

// --- status, failures --------------------------------------------------------------------------

int StatusCommand(const std::string& collection, bool as_json) {
  auto store = store::Store::Open(StorePath(collection));
  if (!store.ok()) return Fail(store.status());
  std::optional<index::IndexStats> stats;
  if (auto reader = index::Reader::Open(IndexDir(collection)); reader.ok()) {
    auto s = (*reader)->Stats();
    if (!s.ok()) return Fail(s.status());
    stats = *s;
  }
  auto view = server::StatusView(collection, **store, stats ? &*stats : nullptr, 2);
  if (!view.ok()) return Fail(view.status());
  if (as_json) {
    std::printf("%s\n", view->c_str());
    return 0;
  }
  // The text form reads the same figures as the JSON.
  const nlohmann::json out = nlohmann::json::parse(*view);
  std::printf("collection   %s\n", collection.c_str());
  std::printf("source files %s:", out["source_files"].dump().c_str());
  for (const auto& [state, count] : out["by_state"].items())
    std::printf(" %s %s", state.c_str(), count.dump().c_str());
  std::printf("\ndocuments    %s\n", out["documents"].dump().c_str());
  auto print_counts = [](const char* name, const nlohmann::json& counts) {
    std::vector<std::pair<std::uint64_t, std::string>> sorted;
    for (const auto& [k, v] : counts.items()) sorted.emplace_back(v.get<std::uint64_t>(), k);
    std::sort(sorted.rbegin(), sorted.rend());
    std::printf("%-12s", name);
    for (const auto& [v, k] : sorted)
      std::printf(" %s %llu", k.c_str(), static_cast<unsigned long long>(v));
    std::printf("\n");
  };
  print_counts("by type", out["by_type"]);
  print_counts("by language", out["by_lang"]);
  const nlohmann::json& ocr = out["ocr_queue"];
  std::printf("ocr queue    %s documents (%s pages) waiting; %s pages in the OCR cache\n",
              ocr["documents"].dump().c_str(), ocr["pages"].dump().c_str(),
              ocr["cached_pages"].dump().c_str());
  if (out.contains("last_run")) {
    const nlohmann::json& run = out["last_run"];
    const std::string finished = run["finished"];
    std::string outcome = "finished " + finished;
    if (run["state"] == "running") {
      // The counters of the run's last commit.
      const nlohmann::json summary = run.value("summary", nlohmann::json::object());
      outcome = "running: " + std::to_string(summary.value("sources_done", 0)) + " of " +
                std::to_string(summary.value("sources_found", 0)) +
                (summary.value("discovery_done", false) ? "" : "+") + " source files done";
    } else if (finished.empty()) {
      outcome = "did not finish (run the same ingest again to resume)";
    }
    std::printf("last run     #%s started %s, %s\n", run["id"].dump().c_str(),
                run["started"].get<std::string>().c_str(), outcome.c_str());
    // What the run's watch pass found (trove watch hits --new lists them).
    const nlohmann::json watch =
        run.value("summary", nlohmann::json::object()).value("watch", nlohmann::json::object());
    const std::string error = watch.value("error", "");
    if (!error.empty()) {
      std::printf("watch lists  the last watch pass failed (the next ingest catches up): %s\n",
                  error.c_str());
    } else if (watch.value("lists", 0) > 0) {
      const auto hits = watch.value("new_hits", std::uint64_t{0});
      std::printf("watch lists  %llu new hit%s in the last run (trove watch hits --new)\n",
                  static_cast<unsigned long long>(hits), hits == 1 ? "" : "s");
    }
  }
  return 0;
}

int Failures(const std::string& collection, bool as_json) {
  auto store = store::Store::Open(StorePath(collection));
  if (!store.ok()) return Fail(store.status());
  auto problems = (*store)->ListProblems();
  if (!problems.ok()) return Fail(problems.status());
  if (as_json) {
    std::printf("%s\n", server::FailuresView(*problems, 2).c_str());
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

int Entities(const std::string& collection, index::EntityQuery query, bool as_json) {
  auto reader = index::Reader::Open(IndexDir(collection));
  if (!reader.ok()) return Fail(reader.status());
  auto rules = LoadEntityRules(collection);
  if (!rules.ok()) return Fail(rules.status());
  query.rules = std::move(rules).value();
  auto entities = (*reader)->Entities(query);
  if (!entities.ok()) return Fail(entities.status());
  if (as_json) {
    std::printf("%s\n", server::EntitiesView(*entities, query.with, 2).c_str());
    return 0;
  }
  if (entities->empty()) {
    std::printf(query.with.empty() ? "no entities\n" : "nothing is mentioned with %s\n",
                query.with.c_str());
    return 0;
  }
  std::printf("%9s  %-8s %s\n", query.with.empty() ? "documents" : "together", "type", "entity");
  for (const index::EntityCount& e : *entities) {
    std::printf("%9llu  %-8s %s\n", static_cast<unsigned long long>(e.documents), e.type.c_str(),
                e.value.c_str());
  }
  return 0;
}

struct CurationOptions {
  std::string action;  // merge, rename, delete
  std::string name;    // the entity to change
  std::string other;   // merge: the entity it joins; rename: the new name
  std::string type;    // when the name is an entity of several types
};

// trove entity merge|rename|delete: records a rule in the store; listings and searches apply it
// from then on, re-ingests included.
int Curate(const std::string& collection, const CurationOptions& options) {
  auto reader = index::Reader::Open(IndexDir(collection));
  if (!reader.ok()) return Fail(reader.status());
  auto store = store::Store::Open(StorePath(collection));
  if (!store.ok()) return Fail(store.status());
  auto rules = (*store)->ListEntityRules();
  if (!rules.ok()) return Fail(rules.status());
  const index::EntityRules book(*rules);
  // The entity a name stands for, in one type: its key, if some document mentions it.
  const auto find = [&](const std::string& type, const std::string& name) -> Result<std::string> {
    const std::string key = book.KeyOfName(type, index::EntityKey(name));
    TROVE_ASSIGN_OR_RETURN(const bool exists, (*reader)->HasEntity(type, key));
    if (!exists) return Status::NotFound("no " + type + " '" + name + "'");
    return key;
  };
  std::vector<std::string> types;
  for (const auto& [type, field] : index::EntityTypeFields()) {
    if (!options.type.empty() && type != options.type) continue;
    if (find(type, options.name).ok()) types.push_back(type);
  }
  if (types.empty()) {
    return Fail(Status::NotFound("no entity '" + options.name + "'" +
                                 (options.type.empty() ? "" : " of type " + options.type) +
                                 " (trove entities lists them)"));
  }
  if (types.size() > 1) {
    std::string list;
    for (const std::string& t : types) (list += list.empty() ? "" : ", ") += t;
    std::fprintf(stderr, "trove: '%s' is an entity of several types (%s): say which with --type\n",
                 options.name.c_str(), list.c_str());
    return kExitUsage;
  }
  const std::string& type = types.front();
  EntityRule rule{type, *find(type, options.name), EntityRule::Action::kDelete, ""};
  if (options.action == "merge") {
    auto target = find(type, options.other);
    if (!target.ok()) return Fail(target.status());
    if (*target == rule.key) return Fail(Status::InvalidArgument("an entity cannot join itself"));
    rule.action = EntityRule::Action::kMerge;
    rule.target = *target;
  } else if (options.action == "rename") {
    if (index::EntityKey(options.other).empty()) {
      std::fprintf(stderr, "trove: the new name needs a letter or a digit\n");
      return kExitUsage;
    }
    rule.action = EntityRule::Action::kRename;
    rule.target = options.other;
  }
  const Status put = (*store)->PutEntityRule(rule);
  if (!put.ok()) return Fail(put);
  if (options.action == "merge") {
    std::printf("%s '%s' now counts as '%s'\n", type.c_str(), options.name.c_str(),
                options.other.c_str());
  } else if (options.action == "rename") {
    std::printf("%s '%s' is now called '%s'\n", type.c_str(), options.name.c_str(),
                options.other.c_str());
  } else {
    std::printf("%s '%s' is no longer listed as an entity\n", type.c_str(), options.name.c_str());
  }
  return 0;
}

// --- ner -------------------------------------------------------------------------------------

struct NerOptions {
  std::string eval_path;  // a CoNLL file to score the tagger on
  std::string text_path;  // or a UTF-8 text file to tag
  std::string lang = "en";
  std::string model_path;  // default: analyze::DefaultNerModelPath(lang)
  bool as_json = false;
};

int NerCommand(const NerOptions& options) {
  if (options.eval_path.empty() == options.text_path.empty()) {
    std::fprintf(stderr, "trove: ner needs either --eval CONLL_FILE or a text FILE\n");
    return kExitUsage;
  }
  const std::string model_path =
      options.model_path.empty() ? analyze::DefaultNerModelPath(options.lang) : options.model_path;
  auto tagger = analyze::Tagger::Load(model_path);
  if (!tagger.ok()) return Fail(tagger.status());
  if (!options.text_path.empty()) {
    auto text = ReadFile(options.text_path);
    if (!text.ok()) return Fail(text.status());
    const std::vector<analyze::NerMention> mentions = tagger->TagText(*text);
    nlohmann::json list = nlohmann::json::array();
    for (const analyze::NerMention& m : mentions) {
      if (!options.as_json) {
        std::printf("%zu\t%zu\t%s\t%s\n", m.begin, m.end, m.type.c_str(), m.text.c_str());
        continue;
      }
      list.push_back({{"begin", m.begin}, {"end", m.end}, {"type", m.type}, {"text", m.text}});
    }
    if (options.as_json) {
      std::printf("%s\n",
                  list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    }
    return 0;
  }
  auto corpus = analyze::ReadConll(options.eval_path);
  if (!corpus.ok()) return Fail(corpus.status());
  const analyze::NerScores scores = analyze::EvaluateTagger(*tagger, *corpus);
  auto counts_json = [](const analyze::NerCounts& c) {
    return nlohmann::json{
        {"precision", c.Precision()}, {"recall", c.Recall()}, {"f1", c.F1()}, {"gold", c.gold},
        {"found", c.predicted},       {"correct", c.correct}};
  };
  if (options.as_json) {
    nlohmann::json by_type = nlohmann::json::object();
    for (const auto& [type, counts] : scores.by_type) by_type[type] = counts_json(counts);
    const nlohmann::json out = {{"file", options.eval_path},
                                {"model", model_path},
                                {"lang", tagger->lang()},
                                {"sentences", scores.sentences},
                                {"tokens", scores.tokens},
                                {"tokens_per_second", scores.TokensPerSecond()},
                                {"tokens_per_cpu_second", scores.TokensPerCpuSecond()},
                                {"by_type", by_type},
                                {"overall", counts_json(scores.overall)}};
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  std::printf("%s: %llu sentences, %llu tokens; model %s (%s)\n", options.eval_path.c_str(),
              static_cast<unsigned long long>(scores.sentences),
              static_cast<unsigned long long>(scores.tokens), model_path.c_str(),
              tagger->lang().c_str());
  std::printf("%-8s %9s %9s %9s %7s %7s %7s\n", "type", "precision", "recall", "F1", "gold",
              "found", "correct");
  auto row = [](const std::string& type, const analyze::NerCounts& c) {
    std::printf("%-8s %9.2f %9.2f %9.2f %7llu %7llu %7llu\n", type.c_str(), c.Precision(),
                c.Recall(), c.F1(), static_cast<unsigned long long>(c.gold),
                static_cast<unsigned long long>(c.predicted),
                static_cast<unsigned long long>(c.correct));
  };
  for (const auto& [type, counts] : scores.by_type) row(type, counts);
  row("overall", scores.overall);
  std::printf("tagging: %.0f tokens/s of CPU time (%.0f tokens/s wall clock), one thread\n",
              scores.TokensPerCpuSecond(), scores.TokensPerSecond());
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
  std::map<std::string, pipeline::IngestOptions::Entities> entity_modes = {
      {"all", pipeline::IngestOptions::Entities::kAll},
      {"patterns", pipeline::IngestOptions::Entities::kPatterns},
      {"none", pipeline::IngestOptions::Entities::kNone}};
  ingest_cmd
      ->add_option("--entities", ingest.entities,
                   "entities to find: all (names too), patterns (addresses, numbers, dates, "
                   "markings) or none")
      ->transform(CLI::CheckedTransformer(entity_modes, CLI::ignore_case))
      ->default_str("all");
  const std::map<std::string, pipeline::IngestOptions::Ocr> ocr_modes = {
      {"auto", pipeline::IngestOptions::Ocr::kAuto},
      {"off", pipeline::IngestOptions::Ocr::kOff},
      {"force", pipeline::IngestOptions::Ocr::kForce}};
  ingest_cmd
      ->add_option("--ocr", ingest.ocr,
                   "OCR: auto (images, and PDF pages without a usable text layer), force (every "
                   "page of every PDF and image) or off")
      ->transform(CLI::CheckedTransformer(ocr_modes, CLI::ignore_case))
      ->default_str("auto");
  ingest_cmd
      ->add_option("--ocr-lang", ingest.ocr_languages,
                   "Tesseract languages joined by + (each needs its tesseract-ocr-LANG package)")
      ->capture_default_str();
  CompactMode compact_mode = CompactMode::kAuto;
  const std::map<std::string, CompactMode> compact_modes = {{"auto", CompactMode::kAuto},
                                                            {"always", CompactMode::kAlways},
                                                            {"never", CompactMode::kNever}};
  ingest_cmd
      ->add_option("--compact", compact_mode,
                   "compact the index after the run: auto (when it wrote 50,000 documents or "
                   "more, and a quarter of the collection or more), always or never")
      ->transform(CLI::CheckedTransformer(compact_modes, CLI::ignore_case))
      ->default_str("auto");
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
  search_cmd->add_flag("--collapse", search.collapse,
                       "one hit per group of near-duplicates (the others counted under it)");
  search_cmd
      ->add_option("--similarity", search.similarity,
                   "for similar:ID and --collapse, the least estimated share of shared wording "
                   "(0 to 1)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
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

  auto* compact_cmd = app.add_subcommand(
      "compact", "rewrite the index compactly after a large ingest: smaller, faster searches");
  add_collection(compact_cmd);

  auto* failures_cmd =
      app.add_subcommand("failures", "every file that failed or was skipped, and why");
  add_collection(failures_cmd);
  failures_cmd->add_flag("--json", as_json, "JSON output");

  index::EntityQuery entity_query;
  auto* entities_cmd = app.add_subcommand(
      "entities", "people, organisations, places, addresses... by the documents that mention them");
  add_collection(entities_cmd);
  std::vector<std::string> entity_types;
  for (const auto& [type, field] : index::EntityTypeFields()) entity_types.push_back(type);
  entities_cmd->add_option("--type", entity_query.type, "only this type")
      ->check(CLI::IsMember(entity_types));
  entities_cmd->add_option("--with", entity_query.with,
                           "what is mentioned in the same documents as this name");
  entities_cmd->add_option("--limit", entity_query.limit, "how many")->capture_default_str();
  entities_cmd->add_flag("--json", as_json, "JSON output");

  CurationOptions curation;
  auto* entity_cmd = app.add_subcommand(
      "entity", "correct the entity list: merge, rename or delete an entity (kept across ingests)");
  add_collection(entity_cmd);
  entity_cmd->require_subcommand(1);
  auto* merge_cmd = entity_cmd->add_subcommand("merge", "count entity NAME as entity INTO");
  merge_cmd->add_option("NAME", curation.name, "the entity to merge")->required();
  merge_cmd->add_option("INTO", curation.other, "the entity it joins")->required();
  auto* rename_cmd = entity_cmd->add_subcommand("rename", "give entity NAME a new name");
  rename_cmd->add_option("NAME", curation.name, "the entity")->required();
  rename_cmd->add_option("NEW", curation.other, "its new name")->required();
  auto* delete_cmd = entity_cmd->add_subcommand("delete", "entity NAME is not an entity");
  delete_cmd->add_option("NAME", curation.name, "the entity")->required();
  for (auto* cmd : {merge_cmd, rename_cmd, delete_cmd}) {
    cmd->add_option("--type", curation.type, "the entity's type, when the name has several")
        ->check(CLI::IsMember(entity_types));
  }

  NerOptions ner;
  auto* ner_cmd = app.add_subcommand(
      "ner", "tag people, organisations and places; score the tagger on a CoNLL file");
  ner_cmd->add_option("--eval", ner.eval_path,
                      "CoNLL file (token first, gold IOB1/IOB2 tag last): print P/R/F1 per type");
  ner_cmd->add_option("FILE", ner.text_path, "UTF-8 text file to tag (mentions as byte offsets)");
  ner_cmd->add_option("--lang", ner.lang, "model language")
      ->capture_default_str()
      ->check(CLI::IsMember({"en", "fr"}));
  ner_cmd->add_option("--model", ner.model_path,
                      "model file (default: $TROVE_MODELS/ner-LANG.bin, else the source tree's "
                      "models/ner-LANG.bin)");
  ner_cmd->add_flag("--json", ner.as_json, "JSON output");

  const auto run_watch_command = AddWatchCommands(app);
  const auto run_serve_command = AddServeCommands(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }

  if (const std::optional<int> code = run_watch_command()) return *code;
  if (const std::optional<int> code = run_serve_command()) return *code;
  if (ingest_cmd->parsed()) {
    ingest.collection = collection;
    if (ingest.sources.empty() && !ingest.retry_failed) {
      std::fprintf(stderr, "trove: name at least one file or folder to ingest\n");
      return kExitUsage;
    }
    if (ingest.ocr != pipeline::IngestOptions::Ocr::kOff) RestartWithOneOpenMpThread(argv);
    return IngestCommand(ingest, compact_mode);
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
  if (compact_cmd->parsed()) return Compact(collection);
  if (entities_cmd->parsed()) return Entities(collection, entity_query, as_json);
  if (entity_cmd->parsed()) {
    curation.action = merge_cmd->parsed() ? "merge" : rename_cmd->parsed() ? "rename" : "delete";
    return Curate(collection, curation);
  }
  if (ner_cmd->parsed()) return NerCommand(ner);
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
