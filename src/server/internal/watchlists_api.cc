// The watch-list routes (docs/api.md, "Watch lists"; user docs docs/watchlists.md): what
// `trove watch add|list|remove|hits` and `trove xref` do on the command line, for the web UI.
// The rows of the route table that call them are in api.cc.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "analyze/watchlist.h"
#include "core/text.h"
#include "query/xref.h"
#include "server/internal/context.h"
#include "server/internal/views_json.h"

namespace trove::server::internal {
namespace {

constexpr std::size_t kMaxListNameBytes = 100;
constexpr std::size_t kMaxFileNameBytes = 255;
// Hits sent in one answer: each names its document's path, one index read per document.
constexpr std::uint64_t kDefaultHitsPage = 1000;
constexpr std::uint64_t kMaxHitsPage = 10'000;
// Problems of an uploaded list listed in the answer (all are counted).
constexpr std::size_t kMaxProblemsListed = 1000;
// Entries one on-demand cross-reference matches. `trove xref` takes 3.5 to 4.7 CPU s for
// 100,000 names against the 4,160 documents (14,856 entities) of SpamAssassin and 27 s against
// a million documents (bench/RESULTS.md, sessions 3 and 4); a tenth of that list is at most a
// few seconds on the one thread it occupies, and the next slice is one more request.
constexpr std::uint64_t kMaxXrefEntries = 10'000;
constexpr std::uint64_t kMaxXrefIds = 100;

Result<std::uint64_t> Count(const Call& call, const std::string& name, std::uint64_t fallback,
                            std::uint64_t max) {
  const std::string text = call.Query(name);
  if (text.empty()) return fallback;
  const bool is_number = text.size() <= 12 && std::all_of(text.begin(), text.end(), [](char c) {
                           return c >= '0' && c <= '9';
                         });
  if (!is_number || std::stoull(text) > max) {
    return Status::InvalidArgument(name + " must be a number from 0 to " + std::to_string(max));
  }
  return std::stoull(text);
}

bool Flag(const Call& call, const std::string& name) {
  const std::string value = call.Query(name);
  return value == "1" || value == "true";
}

// The {list} of the path. The dispatcher has refused '/', '\', control characters, "." and
// ".."; a list name is also UTF-8, at most 100 bytes, and does not start with a dot or a space.
Result<std::string> ListName(const Call& call) {
  const std::string& name = call.Param("list");
  if (name.empty() || name.size() > kMaxListNameBytes || !IsValidUtf8(name) ||
      name.front() == '.' || name.front() == ' ' || name.back() == ' ') {
    return Status::InvalidArgument(
        "a watch list name is 1 to " + std::to_string(kMaxListNameBytes) +
        " bytes of UTF-8 without control characters, '/' or '\\', not starting with '.' or a "
        "space");
  }
  return name;
}

Result<store::WatchListInfo> FindList(store::WatchLists& lists, const std::string& name) {
  TROVE_ASSIGN_OR_RETURN(std::vector<store::WatchListInfo> all, lists.List());
  for (store::WatchListInfo& info : all) {
    if (info.name == name) return std::move(info);
  }
  return Status::NotFound("no watch list '" + name + "'");
}

Result<std::int64_t> LatestRun(Call& call) {
  TROVE_ASSIGN_OR_RETURN(auto store, call.services.stores.Take());
  TROVE_ASSIGN_OR_RETURN(std::optional<store::Run> run, store->LastRun());
  return run ? run->id : 0;
}

struct DocumentPlace {
  std::string path;
  std::string title;
};

// Where each document was found and what it is called, when the index still has it.
Result<std::map<std::string, DocumentPlace>> PlacesOf(Call& call,
                                                      const std::vector<std::string>& ids) {
  std::map<std::string, DocumentPlace> out;
  if (ids.empty()) return out;
  auto reader = call.services.readers.Take();
  if (!reader.ok()) {
    if (reader.status().Is(StatusCode::kNotFound)) return out;  // nothing indexed
    return reader.status();
  }
  TROVE_RETURN_IF_ERROR((*reader)->Reopen());
  for (const std::string& id : ids) {
    if (out.count(id) != 0) continue;
    auto doc = (*reader)->Get(id);
    if (doc.ok()) {
      const DocumentRecord& r = doc->record;
      out[id] = {r.occurrence.path, r.extraction.title.empty() ? r.name : r.extraction.title};
    } else if (doc.status().Is(StatusCode::kNotFound)) {
      out[id] = {};  // gone since (a source file removed): the hit is kept
    } else {
      return doc.status();
    }
  }
  return out;
}

// The upload's file name, for its extension and the list's source: its last component only.
Result<std::string> FileNameOf(const Call& call) {
  std::string file = call.Query("file");
  const std::size_t slash = file.find_last_of("/\\");
  if (slash != std::string::npos) file.erase(0, slash + 1);
  if (file.size() > kMaxFileNameBytes || !IsValidUtf8(file) ||
      std::any_of(file.begin(), file.end(),
                  [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    return Status::InvalidArgument("file must be a file name of at most " +
                                   std::to_string(kMaxFileNameBytes) +
                                   " bytes without control characters");
  }
  return file;
}

// Clears a flag when it goes out of scope.
class Running {
 public:
  explicit Running(std::atomic<bool>& flag) : flag_(flag) {}
  ~Running() { flag_.store(false); }
  Running(const Running&) = delete;
  Running& operator=(const Running&) = delete;

 private:
  std::atomic<bool>& flag_;
};

}  // namespace

// GET /api/watchlists: every list, with the hits the ingests kept and those of the latest run.
Status WatchListsRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(const std::int64_t latest, LatestRun(call));
  TROVE_ASSIGN_OR_RETURN(auto lists, call.services.watchlists.Take());
  TROVE_ASSIGN_OR_RETURN(std::vector<store::WatchListInfo> all, lists->List());
  TROVE_ASSIGN_OR_RETURN(auto counts, lists->CountHits(latest));
  Json out = Json::array();
  for (const store::WatchListInfo& list : all) {
    const store::WatchHitCount count =
        counts.count(list.name) ? counts.at(list.name) : store::WatchHitCount{};
    out.push_back({{"name", list.name},
                   {"format", list.format},
                   {"source", list.source},
                   {"entries", list.entries},
                   {"added", IsoDate(list.added)},
                   {"matched_run", list.matched_run},
                   {"hits", count.hits},
                   {"new_hits", latest > 0 ? count.of_run : 0}});
  }
  call.Send({{"latest_run", latest}, {"lists", std::move(out)}});
  return Status::Ok();
}

// GET /api/watchlists/{list}/hits: the hits the watch pass kept, as `trove watch hits --json`
// gives them (best first), a page at a time; `new=1`: those first found by the latest run.
Status WatchHitsRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(const std::string name, ListName(call));
  const bool only_new = Flag(call, "new");
  TROVE_ASSIGN_OR_RETURN(const std::uint64_t offset, Count(call, "offset", 0, 1ull << 40));
  TROVE_ASSIGN_OR_RETURN(const std::uint64_t limit,
                         Count(call, "limit", kDefaultHitsPage, kMaxHitsPage));
  TROVE_ASSIGN_OR_RETURN(const std::int64_t latest, LatestRun(call));
  std::vector<store::WatchHit> hits;
  {
    TROVE_ASSIGN_OR_RETURN(auto lists, call.services.watchlists.Take());
    TROVE_RETURN_IF_ERROR(FindList(*lists, name).status());
    // Before any ingest nothing is new (run 0 would mean every run).
    if (!only_new || latest > 0) {
      TROVE_ASSIGN_OR_RETURN(hits, lists->Hits(name, only_new ? latest : 0));
    }
  }
  const std::uint64_t total = hits.size();
  const std::size_t from = static_cast<std::size_t>(std::min<std::uint64_t>(offset, total));
  const std::size_t to = static_cast<std::size_t>(std::min<std::uint64_t>(from + limit, total));
  std::vector<std::string> ids;
  for (std::size_t i = from; i < to; ++i) ids.push_back(hits[i].doc_id);
  TROVE_ASSIGN_OR_RETURN(auto places, PlacesOf(call, ids));
  Json out = Json::array();
  for (std::size_t i = from; i < to; ++i) {
    const store::WatchHit& hit = hits[i];
    const DocumentPlace& place = places[hit.doc_id];
    Json one = WatchHitJson(hit, place.path, latest);
    one["title"] = place.title;
    out.push_back(std::move(one));
  }
  call.Send({{"list", name},
             {"latest_run", latest},
             {"new", only_new},
             {"total", total},
             {"offset", offset},
             {"limit", limit},
             {"hits", std::move(out)}});
  return Status::Ok();
}

// POST /api/watchlists/{list}: the body is the list (CSV or FollowTheMoney JSON lines), read
// as `trove watch add` reads a file; `format` (csv, ftm) and `file` (its name, whose extension
// tells the format) are optional. Lines that cannot be read are answered with their numbers,
// the others load.
Status PutWatchListRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(const std::string name, ListName(call));
  std::string format = call.Query("format");
  if (format != "" && format != "csv" && format != "ftm") {
    return Status::InvalidArgument("format must be csv or ftm, not '" + format + "'");
  }
  TROVE_ASSIGN_OR_RETURN(const std::string file, FileNameOf(call));
  if (format.empty()) format = analyze::WatchListFormatOfName(file);
  const std::string shown = file.empty() ? name : file;  // how problems name the file
  if (call.req.body.empty()) {
    return Status::InvalidArgument(
        "the request body is the list: CSV with a name column, or FollowTheMoney JSON lines");
  }
  auto parsed = analyze::ParseWatchList(call.req.body, format);
  if (!parsed.ok()) return Status::InvalidArgument(shown + ": " + parsed.status().message());
  Json problems = Json::array();
  Json report = Json::array();
  for (const analyze::WatchListProblem& problem : parsed->problems) {
    if (problems.size() >= kMaxProblemsListed) break;
    problems.push_back({{"line", problem.line}, {"message", problem.message}});
    report.push_back(shown + ":" + std::to_string(problem.line) + ": " + problem.message +
                     " (line skipped)");
  }
  if (parsed->entries.empty()) {
    std::string why = shown + ": no name could be read";
    if (!parsed->problems.empty()) why += " (" + report[0].get<std::string>() + ")";
    return Status::InvalidArgument(why);
  }
  store::WatchListInfo info;
  info.name = name;
  info.format = parsed->format;
  info.source = (file.empty() ? std::string("request body") : file) + " (uploaded" +
                (call.user.empty() ? "" : " by " + call.user) + ")";
  {
    TROVE_ASSIGN_OR_RETURN(auto lists, call.services.watchlists.Take());
    TROVE_RETURN_IF_ERROR(lists->Put(info, parsed->entries));
  }
  std::size_t names = 0;
  for (const WatchEntry& entry : parsed->entries) names += entry.names.size();
  call.Audit("watch-add", name + ": " + std::to_string(parsed->entries.size()) + " entries from " +
                              shown + ", " + std::to_string(parsed->problems.size()) +
                              " lines skipped");
  call.Send({{"list", name},
             {"format", parsed->format},
             {"entries", parsed->entries.size()},
             {"names", names},
             {"skipped", parsed->skipped},
             {"problems_total", parsed->problems.size()},
             {"problems", std::move(problems)},
             {"report", std::move(report)}},
            201);
  return Status::Ok();
}

// DELETE /api/watchlists/{list}: forgets the list and its hits, as `trove watch remove`.
Status RemoveWatchListRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(const std::string name, ListName(call));
  {
    TROVE_ASSIGN_OR_RETURN(auto lists, call.services.watchlists.Take());
    TROVE_RETURN_IF_ERROR(lists->Remove(name));
  }
  call.Audit("watch-remove", name);
  call.Send({{"ok", true}, {"list", name}});
  return Status::Ok();
}

// GET /api/watchlists/{list}/xref: `trove xref LIST --json` over a slice of the list's entries
// (`offset`, `limit` up to 10,000), one at a time in the whole server (503 otherwise).
Status XrefWatchListRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(const std::string name, ListName(call));
  query::XrefOptions options;
  if (const std::string text = call.Query("min_score"); !text.empty()) {
    char* end = nullptr;
    options.min_score = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !(options.min_score >= 0) || options.min_score > 1) {
      return Status::InvalidArgument("min_score must be a number from 0 to 1, not '" + text + "'");
    }
  }
  TROVE_ASSIGN_OR_RETURN(options.max_ids, Count(call, "ids", 10, kMaxXrefIds));
  options.with_text = call.Query("text") != "0" && call.Query("text") != "false";
  TROVE_ASSIGN_OR_RETURN(const std::uint64_t offset, Count(call, "offset", 0, 1ull << 40));
  TROVE_ASSIGN_OR_RETURN(const std::uint64_t limit,
                         Count(call, "limit", kMaxXrefEntries, kMaxXrefEntries));
  if (limit == 0) {
    return Status::InvalidArgument("limit must be a number from 1 to " +
                                   std::to_string(kMaxXrefEntries));
  }
  if (call.services.is_xref_running.exchange(true)) {
    return Status::Timeout(
        "another cross-reference is running on this server; try again when it "
        "is done");
  }
  const Running running(call.services.is_xref_running);
  const auto started = std::chrono::steady_clock::now();
  std::vector<WatchEntry> entries;
  {
    TROVE_ASSIGN_OR_RETURN(auto lists, call.services.watchlists.Take());
    TROVE_ASSIGN_OR_RETURN(entries, lists->Entries(name));
  }
  const std::uint64_t entries_total = entries.size();
  const std::size_t from = static_cast<std::size_t>(std::min<std::uint64_t>(offset, entries_total));
  const std::size_t to =
      static_cast<std::size_t>(std::min<std::uint64_t>(from + limit, entries_total));
  entries = std::vector<WatchEntry>(entries.begin() + static_cast<std::ptrdiff_t>(from),
                                    entries.begin() + static_cast<std::ptrdiff_t>(to));
  {
    TROVE_ASSIGN_OR_RETURN(auto store, call.services.stores.Take());
    TROVE_ASSIGN_OR_RETURN(options.entity_rules, store->ListEntityRules());
  }
  query::XrefResult result;
  auto reader = call.services.readers.Take();
  if (reader.ok()) {
    TROVE_RETURN_IF_ERROR((*reader)->Reopen());
    auto xref = query::Xref(**reader, entries, options);
    if (!xref.ok()) {
      reader->Discard();
      return xref.status();
    }
    result = std::move(xref).value();
  } else if (!reader.status().Is(StatusCode::kNotFound)) {  // NotFound: nothing indexed yet
    return reader.status();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  call.Audit("xref", name + " entries " + std::to_string(from) + ".." + std::to_string(to));
  call.Send({{"list", name},
             {"entries", to - from},
             {"entries_total", entries_total},
             {"offset", from},
             {"limit", limit},
             {"next_offset", to < entries_total ? Json(to) : Json(nullptr)},
             {"min_score", options.min_score},
             {"matched", result.matches.size()},
             {"seconds", std::round(seconds * 100) / 100},
             {"matches", XrefMatchesJson(result.matches)}});
  return Status::Ok();
}

}  // namespace trove::server::internal
