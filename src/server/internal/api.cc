// The API's routes: one row per route, with the weakest role allowed to call it. docs/api.md
// describes each for clients.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include "core/collection.h"
#include "core/document.h"
#include "core/hash.h"
#include "pipeline/original.h"
#include "query/parser.h"
#include "query/search.h"
#include "server/internal/context.h"
#include "server/internal/views_json.h"

namespace trove::server::internal {
namespace {

using store::Role;

constexpr std::uint64_t kMaxPageSize = 1000;
constexpr std::uint64_t kMaxExportRows = 100'000;
constexpr std::size_t kMaxBatchQueries = 10'000;
constexpr std::size_t kMaxTagBytes = 100;
constexpr std::size_t kMaxNoteBytes = 64 * 1024;

Result<std::uint64_t> Number(const Call& call, const std::string& name, std::uint64_t fallback,
                             std::uint64_t max) {
  const std::string text = call.Query(name);
  if (text.empty()) return fallback;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || value > max) {
      return Status::InvalidArgument(name + " must be a number from 0 to " + std::to_string(max));
    }
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > max) {
    return Status::InvalidArgument(name + " must be a number from 0 to " + std::to_string(max));
  }
  return value;
}

// The entity rules and the tag lookup every search applies.
Status AddCuration(Call& call, query::SearchOptions& options) {
  TROVE_ASSIGN_OR_RETURN(auto store, call.services.stores.Take());
  TROVE_ASSIGN_OR_RETURN(options.entity_rules, store->ListEntityRules());
  Services* services = &call.services;
  options.tagged = [services](const std::string& tag) -> Result<std::vector<std::string>> {
    TROVE_ASSIGN_OR_RETURN(auto workspace, services->workspaces.Take());
    return workspace->Tagged(tag);
  };
  return Status::Ok();
}

// Search options from the query string: q, offset, limit, sort, exact, filter (repeated),
// facets.
Result<query::SearchOptions> SearchOptionsOf(Call& call, std::uint64_t max_limit) {
  query::SearchOptions options;
  TROVE_ASSIGN_OR_RETURN(options.offset, Number(call, "offset", 0, 1ull << 40));
  TROVE_ASSIGN_OR_RETURN(options.limit, Number(call, "limit", 20, max_limit));
  const std::string sort = call.Query("sort", "relevance");
  if (sort == "newest") {
    options.sort = index::SortOrder::kDateNewest;
  } else if (sort == "oldest") {
    options.sort = index::SortOrder::kDateOldest;
  } else if (sort != "relevance") {
    return Status::InvalidArgument("sort must be relevance, newest or oldest, not '" + sort + "'");
  }
  options.is_exact = call.Query("exact") == "1" || call.Query("exact") == "true";
  options.want_facets = call.Query("facets") == "1" || call.Query("facets") == "true";
  options.collapse = call.Query("collapse") == "1" || call.Query("collapse") == "true";
  if (const std::string similarity = call.Query("similarity"); !similarity.empty()) {
    char* end = nullptr;
    options.similarity = std::strtod(similarity.c_str(), &end);
    if (end == similarity.c_str() || *end != '\0' || !(options.similarity >= 0) ||
        options.similarity > 1) {
      return Status::InvalidArgument("similarity must be a number from 0 to 1, not '" + similarity +
                                     "'");
    }
  }
  const std::size_t filters = call.req.get_param_value_count("filter");
  for (std::size_t i = 0; i < filters; ++i) {
    options.filters.push_back(call.req.get_param_value("filter", i));
  }
  TROVE_RETURN_IF_ERROR(AddCuration(call, options));
  return options;
}

// Runs a search on a pooled reader, reopened at the latest commit so that an ingest running
// beside the server shows up.
Result<query::SearchResponse> RunSearch(Call& call, const std::string& q,
                                        const query::SearchOptions& options) {
  auto reader = call.services.readers.Take();
  if (!reader.ok()) {
    if (reader.status().code() == StatusCode::kNotFound) return query::SearchResponse{};
    return reader.status();
  }
  TROVE_RETURN_IF_ERROR((*reader)->Reopen());
  auto response = query::Search(**reader, q, options);
  if (!response.ok() && response.status().code() != StatusCode::kInvalidArgument) {
    reader->Discard();
  }
  return response;
}

Status SearchRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(query::SearchOptions options, SearchOptionsOf(call, kMaxPageSize));
  const std::string q = call.Query("q");
  TROVE_ASSIGN_OR_RETURN(query::SearchResponse response, RunSearch(call, q, options));
  call.Audit("search", q);
  Json out = SearchJson(response);
  out["offset"] = options.offset;
  out["limit"] = options.limit;
  call.Send(out);
  return Status::Ok();
}

std::string CsvField(const std::string& value) {
  // A cell that a spreadsheet would run as a formula is quoted as text (CSV injection).
  std::string text = value;
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                        text[0] == '\t' || text[0] == '\r')) {
    text.insert(0, "'");
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Sends `size` bytes of an open file as the answer, 64 KiB at a time.
void StreamFile(Call& call, std::shared_ptr<std::ifstream> file, std::uintmax_t size,
                const char* content_type) {
  call.res.set_content_provider(
      static_cast<std::size_t>(size), content_type,
      [file](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        std::string buf(std::min<std::size_t>(length, 1 << 16), '\0');
        file->seekg(static_cast<std::streamoff>(offset));
        file->read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto got = static_cast<std::size_t>(file->gcount());
        if (got == 0) return false;
        sink.write(buf.data(), got);
        return true;
      });
}

Status ExportRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(query::SearchOptions options, SearchOptionsOf(call, kMaxExportRows));
  if (!call.req.has_param("limit")) options.limit = kMaxExportRows;
  options.want_facets = false;
  const std::string format = call.Query("format", "csv");
  if (format != "csv" && format != "json") {
    return Status::InvalidArgument("format must be csv or json, not '" + format + "'");
  }
  const std::string q = call.Query("q");
  TROVE_ASSIGN_OR_RETURN(query::SearchResponse response, RunSearch(call, q, options));
  call.Audit("export", format + " " + q);
  if (format == "json") {
    call.res.set_header("Content-Disposition", "attachment; filename=\"trove-export.json\"");
    call.Send(SearchJson(response));
    return Status::Ok();
  }
  std::string csv = "id,title,type,date,lang,size,from,path,score\r\n";
  for (const query::SearchHit& h : response.hits) {
    const DocumentRecord& r = h.hit.doc.record;
    std::string from;
    for (const auto& f : r.extraction.from) from += (from.empty() ? "" : "; ") + f;
    csv += CsvField(h.hit.id) + "," +
           CsvField(r.extraction.title.empty() ? r.name : r.extraction.title) + "," +
           CsvField(r.type) + "," + CsvField(IsoDate(r.extraction.date)) + "," + CsvField(r.lang) +
           "," + std::to_string(r.size) + "," + CsvField(from) + "," + CsvField(r.occurrence.path) +
           "," + std::to_string(h.hit.score) + "\r\n";
  }
  call.res.set_header("Content-Disposition", "attachment; filename=\"trove-export.csv\"");
  call.res.set_content(csv, "text/csv; charset=utf-8");
  return Status::Ok();
}

// POST {"queries": ["name", ...], "filters": [...]}: the number of documents for each query.
Status BatchRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(Json body, call.Body({"queries", "filters"}));
  if (!body.contains("queries") || !body["queries"].is_array()) {
    return Status::InvalidArgument("batch search needs \"queries\": an array of strings");
  }
  if (body["queries"].size() > kMaxBatchQueries) {
    return Status::InvalidArgument("at most " + std::to_string(kMaxBatchQueries) +
                                   " queries in one batch");
  }
  query::SearchOptions options;
  options.limit = 0;
  if (body.contains("filters")) {
    if (!body["filters"].is_array()) return Status::InvalidArgument("\"filters\" must be an array");
    for (const Json& f : body["filters"]) {
      if (!f.is_string()) return Status::InvalidArgument("\"filters\" must hold strings");
      options.filters.push_back(f.get<std::string>());
    }
  }
  TROVE_RETURN_IF_ERROR(AddCuration(call, options));
  Json results = Json::array();
  std::size_t line = 0;
  for (const Json& q : body["queries"]) {
    ++line;
    if (!q.is_string()) {
      return Status::InvalidArgument("query " + std::to_string(line) + " is not a string");
    }
    const std::string text = q.get<std::string>();
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto response = RunSearch(call, text, options);
    if (response.ok()) {
      results.push_back({{"query", text},
                         {"total", response->total},
                         {"total_is_exact", response->is_total_exact},
                         {"parsed", response->parsed}});
    } else if (response.status().code() == StatusCode::kInvalidArgument) {
      // One bad line does not lose the others.
      results.push_back({{"query", text}, {"error", response.status().message()}});
    } else {
      return response.status();
    }
  }
  call.Audit("batch-search", std::to_string(results.size()) + " queries");
  call.Send({{"results", std::move(results)}});
  return Status::Ok();
}

Status DocumentRoute(Call& call) {
  const std::string& id = call.Param("id");
  TROVE_ASSIGN_OR_RETURN(auto reader, call.services.readers.Take());
  TROVE_RETURN_IF_ERROR(reader->Reopen());
  TROVE_ASSIGN_OR_RETURN(index::StoredDocument doc, reader->Get(id));
  TROVE_ASSIGN_OR_RETURN(std::vector<std::string> child_ids, reader->Children(id));
  std::vector<index::StoredDocument> children;
  for (const std::string& child : child_ids) {
    auto kid = reader->Get(child);
    if (kid.ok()) children.push_back(std::move(kid).value());
  }
  std::vector<std::pair<std::size_t, std::size_t>> highlights;
  const std::string q = call.Query("q");
  if (!q.empty()) {
    query::ParseOptions parse;
    parse.is_exact = call.Query("exact") == "1";
    TROVE_ASSIGN_OR_RETURN(index::QueryNode node, query::Parse(q, parse));
    highlights = query::Highlighter(node).Matches(doc.record.extraction.text, doc.record.lang);
  }
  TROVE_ASSIGN_OR_RETURN(DocumentRelations relations, LoadRelations(*reader, id));
  Json out = DocumentJson(doc, children, highlights, &relations);
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_ASSIGN_OR_RETURN(auto tags, workspace->TagsOf(id));
  Json tag_list = Json::array();
  for (const auto& t : tags) tag_list.push_back(t.tag);
  out["tags"] = std::move(tag_list);
  TROVE_ASSIGN_OR_RETURN(auto notes, workspace->NotesOf(id));
  Json note_list = Json::array();
  for (const auto& n : notes) {
    note_list.push_back(
        {{"id", n.id}, {"user", n.user}, {"text", n.text}, {"created", IsoDate(n.created)}});
  }
  out["notes"] = std::move(note_list);
  TROVE_ASSIGN_OR_RETURN(out["starred"], workspace->IsStarred(id, call.user));
  // Where the original can be fetched: a file on disk, or inside its parent.
  // (A member is extracted from its container on demand; one that never had bytes, such as a
  // member its archive could not unpack, has none.)
  out["has_original"] = std::any_of(
      doc.occurrences.begin(), doc.occurrences.end(),
      [&doc](const Occurrence& o) { return o.parent_id.empty() || doc.record.size > 0; });
  call.Audit("view", id);
  call.Send(out);
  return Status::Ok();
}

// "report (1).pdf" -> attachment; filename="report (1).pdf"; filename*=UTF-8''report%20%281%29.pdf
std::string AttachmentHeader(const std::string& name) {
  std::string ascii, encoded;
  for (unsigned char c : name) {
    const bool is_plain = std::isalnum(c) || c == '.' || c == '-' || c == '_';
    ascii += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
    if (is_plain) {
      encoded += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      encoded += buf;
    }
  }
  if (ascii.empty()) ascii = "original";
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

// The source file on disk that an occurrence inside another file comes from: the prefix of its
// path chain, up to a "!/", whose source key is the occurrence's (a directory name may itself
// hold "!/"). "" when the file is gone.
std::string SourceFileOf(const Occurrence& occ) {
  std::size_t at = 0;
  while ((at = occ.path.find(kChainSeparator, at)) != std::string::npos) {
    const std::string prefix = occ.path.substr(0, at);
    std::error_code ec;
    if (SourceKey(prefix) == occ.source_key && std::filesystem::is_regular_file(prefix, ec)) {
      return prefix;
    }
    at += kChainSeparator.size();
  }
  return "";
}

// Members extracted at once: each is a child process with an ingest worker's memory limit.
constexpr int kMaxConcurrentExtractions = 2;
constexpr std::uint64_t kMaxMemberBytes = 256ull << 20;
std::atomic<int> g_extractions{0};

Result<std::string> ExtractMember(const std::string& source, const std::string& chain,
                                  const std::string& id) {
  if (g_extractions.fetch_add(1) >= kMaxConcurrentExtractions) {
    g_extractions.fetch_sub(1);
    return Status::Timeout("other originals are being extracted; try again in a moment");
  }
  pipeline::OriginalRequest request{source, chain, id, kMaxMemberBytes};
  const pipeline::IngestOptions limits;  // an ingest worker's defaults
  auto bytes = pipeline::ExtractOriginal(request, limits);
  g_extractions.fetch_sub(1);
  return bytes;
}

Status OriginalRoute(Call& call) {
  const std::string& id = call.Param("id");
  TROVE_ASSIGN_OR_RETURN(auto reader, call.services.readers.Take());
  TROVE_RETURN_IF_ERROR(reader->Reopen());
  TROVE_ASSIGN_OR_RETURN(index::StoredDocument doc, reader->Get(id));
  // Only a path the ingest itself recorded for a source file is opened, never one from the
  // request; and only while the file still has the size it was indexed with.
  namespace fs = std::filesystem;
  for (const Occurrence& occ : doc.occurrences) {
    if (!occ.parent_id.empty()) continue;
    std::error_code ec;
    const auto size = fs::file_size(occ.path, ec);
    if (ec || size != doc.record.size || !fs::is_regular_file(occ.path, ec)) continue;
    auto file = std::make_shared<std::ifstream>(occ.path, std::ios::binary);
    if (!*file) continue;
    call.Audit("download", id);
    call.res.set_header("Content-Disposition", AttachmentHeader(doc.record.name));
    StreamFile(call, std::move(file), size, "application/octet-stream");
    return Status::Ok();
  }
  // Inside another file: extracted again in a child process (never here), checked against the
  // id, and sent from memory.
  Status missing =
      Status::NotFound("the original of " + id + " is no longer at " + doc.record.occurrence.path +
                       " with the size it was indexed with");
  for (const Occurrence& occ : doc.occurrences) {
    if (occ.parent_id.empty()) continue;
    const std::string source = SourceFileOf(occ);
    if (source.empty()) {
      missing = Status::NotFound("the file holding " + id + " is gone: " + occ.path);
      continue;
    }
    auto extracted = ExtractMember(source, occ.path, id);
    if (!extracted.ok()) {
      if (!extracted.status().Is(StatusCode::kNotFound)) return extracted.status();
      missing = extracted.status();  // another place may still have it
      continue;
    }
    std::string bytes = std::move(extracted).value();
    call.Audit("download", id);
    call.res.set_header("Content-Disposition", AttachmentHeader(doc.record.name));
    auto shared = std::make_shared<std::string>(std::move(bytes));
    call.res.set_content_provider(
        shared->size(), "application/octet-stream",
        [shared](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
          if (offset >= shared->size()) return false;
          sink.write(shared->data() + offset, std::min<std::size_t>(length, 1 << 16));
          return true;
        });
    return Status::Ok();
  }
  return missing;
}

// --- Graphs and timeline of a search -----------------------------------------------------
// They count the matches of the search (its own parameters) with index::Reader::Aggregate:
// the months of the documents' own dates over every match; entities, correspondents and the
// dates mentioned over the first `hits` matches in the search's order, as the search page's
// facets count a sample.

constexpr std::uint64_t kDefaultGraphHits = index::kDefaultAggregateSample;
constexpr std::uint64_t kDefaultTimelineHits = 10'000;
// A term list costs about 30 µs: 20,000 of them is most of a second.
constexpr std::uint64_t kMaxAggregateHits = 20'000;
constexpr std::uint64_t kMaxGraphNodes = 300;
constexpr std::uint64_t kMaxGraphEdges = 2000;

// The aggregate `wanted` of the search in the route's query parameters, the first `hits`
// matches (default `fallback`) read for the sampled parts.
Result<query::AggregateResponse> AggregateSearch(Call& call, index::AggregateRequest wanted,
                                                 std::uint64_t fallback) {
  TROVE_ASSIGN_OR_RETURN(query::SearchOptions options, SearchOptionsOf(call, kMaxPageSize));
  TROVE_ASSIGN_OR_RETURN(wanted.sample, Number(call, "hits", fallback, kMaxAggregateHits));
  // 0 would mean every match to the index: unbounded work.
  if (wanted.sample == 0) {
    return Status::InvalidArgument("hits must be a number from 1 to " +
                                   std::to_string(kMaxAggregateHits));
  }
  auto reader = call.services.readers.Take();
  if (!reader.ok()) {
    // Nothing indexed yet: nothing to count.
    if (reader.status().code() == StatusCode::kNotFound) return query::AggregateResponse{};
    return reader.status();
  }
  TROVE_RETURN_IF_ERROR((*reader)->Reopen());
  // Every match counts, near-duplicates included (collapse does not apply).
  auto response = query::Aggregate(**reader, call.Query("q"), options, std::move(wanted));
  if (!response.ok()) {
    if (response.status().code() != StatusCode::kInvalidArgument) reader->Discard();
    return response.status();
  }
  return response;
}

// The entity types a graph shows: `types` (comma-separated EntityMention types), by default
// people, organisations and places.
Result<std::set<std::string>> GraphTypes(const Call& call) {
  std::set<std::string> types;
  std::string list = call.Query("types", "person,org,place");
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    const std::string type = list.substr(start, end - start);
    start = end + 1;
    if (type.empty()) continue;
    const auto& known = index::EntityTypeFields();
    if (std::none_of(known.begin(), known.end(), [&](const auto& f) { return f.first == type; })) {
      return Status::InvalidArgument("types: unknown entity type '" + type + "'");
    }
    types.insert(type);
  }
  if (types.empty()) return Status::InvalidArgument("types names no entity type");
  return types;
}

std::string FieldOfType(const std::string& type) {
  for (const auto& [name, field] : index::EntityTypeFields()) {
    if (name == type) return field;
  }
  return type;
}

// Links as JSON, at most `max` (they come heaviest first), between the nodes `node_ids`.
Json LinksJson(const std::vector<index::AggregateLink>& links,
               const std::vector<std::string>& node_ids, const char* weight_name,
               std::uint64_t max) {
  Json out = Json::array();
  for (const index::AggregateLink& link : links) {
    if (out.size() >= max) break;
    out.push_back({{"source", node_ids.at(link.source)},
                   {"target", node_ids.at(link.target)},
                   {weight_name, link.documents}});
  }
  return out;
}

// GET /api/graph/entities: the entities of the search's matches by documents, and how often
// each pair is mentioned in the same document.
Status EntityGraphRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(std::set<std::string> types, GraphTypes(call));
  index::AggregateRequest wanted;
  TROVE_ASSIGN_OR_RETURN(wanted.max_entities, Number(call, "nodes", 50, kMaxGraphNodes));
  wanted.entity_types.assign(types.begin(), types.end());
  TROVE_ASSIGN_OR_RETURN(query::AggregateResponse aggregated,
                         AggregateSearch(call, std::move(wanted), kDefaultGraphHits));
  const index::AggregateResult& counts = aggregated.counts;
  std::vector<std::string> node_ids;
  Json nodes = Json::array();
  for (const index::EntityCount& entity : counts.entities) {
    node_ids.push_back(entity.type + ":" + entity.key);
    nodes.push_back({{"id", node_ids.back()},
                     {"type", entity.type},
                     {"field", FieldOfType(entity.type)},
                     {"value", entity.value},
                     {"documents", entity.documents}});
  }
  call.Send({{"total", aggregated.counts.total},
             {"documents_counted", counts.documents_counted},
             {"documents", counts.documents_counted},  // its name before documents_counted
             {"query", aggregated.parsed},
             {"nodes", std::move(nodes)},
             {"edges", LinksJson(counts.entity_links, node_ids, "documents", kMaxGraphEdges)}});
  return Status::Ok();
}

// GET /api/graph/email: who wrote to whom (From -> To and Cc) among the search's matches.
Status EmailGraphRoute(Call& call) {
  index::AggregateRequest wanted;
  TROVE_ASSIGN_OR_RETURN(wanted.max_correspondents, Number(call, "nodes", 100, kMaxGraphNodes));
  wanted.want_correspondents = true;
  TROVE_ASSIGN_OR_RETURN(query::AggregateResponse aggregated,
                         AggregateSearch(call, std::move(wanted), kDefaultGraphHits));
  const index::AggregateResult& counts = aggregated.counts;
  std::vector<std::string> node_ids;
  Json nodes = Json::array();
  for (const index::Correspondent& correspondent : counts.correspondents) {
    node_ids.push_back(correspondent.address);
    nodes.push_back({{"id", correspondent.address},
                     {"address", correspondent.address},
                     {"name", correspondent.name},
                     {"sent", correspondent.sent},
                     {"received", correspondent.received}});
  }
  call.Send({{"total", aggregated.counts.total},
             {"documents_counted", counts.documents_counted},
             {"documents", counts.documents_counted},  // its name before documents_counted
             {"messages", counts.messages},
             {"query", aggregated.parsed},
             {"nodes", std::move(nodes)},
             {"edges", LinksJson(counts.correspondence, node_ids, "messages", kMaxGraphEdges)}});
  return Status::Ok();
}

// GET /api/timeline: the search's matches by the month of their own date (all of them), and
// the dates their text mentions by month (the first `hits`).
Status TimelineRoute(Call& call) {
  index::AggregateRequest wanted;
  wanted.want_mentioned_months = true;
  TROVE_ASSIGN_OR_RETURN(query::AggregateResponse aggregated,
                         AggregateSearch(call, std::move(wanted), kDefaultTimelineHits));
  const index::AggregateResult& counts = aggregated.counts;
  Json months = Json::array();
  for (const index::MonthCount& month : counts.months) {
    months.push_back({{"month", month.month}, {"documents", month.documents}});
  }
  Json mentioned = Json::array();
  for (const index::MonthCount& month : counts.mentioned_months) {
    mentioned.push_back(
        {{"month", month.month}, {"documents", month.documents}, {"mentions", month.mentions}});
  }
  call.Send({{"total", aggregated.counts.total},
             {"documents", counts.total},  // `months` and `undated` count every match
             {"documents_counted", counts.documents_counted},  // what `mentioned` counts
             {"undated", counts.undated},
             {"query", aggregated.parsed},
             {"months", std::move(months)},
             {"mentioned", std::move(mentioned)}});
  return Status::Ok();
}

// --- Retrying failures -------------------------------------------------------------------
// `trove ingest --retry-failed` as a child of the server: this very binary, spawned without a
// shell, its output in the collection's retry-failed.log. One at a time; the ingest itself
// refuses to run beside another ingest (the index is locked), and its log says so.

// Updates `job` if its child has ended. Call with job.mu held.
void ReapRetry(Services::RetryJob& job) {
  if (job.pid <= 0) return;
  int wait_status = 0;
  const pid_t done = waitpid(job.pid, &wait_status, WNOHANG);
  if (done == 0) return;
  job.exit_code = done < 0                   ? -1
                  : WIFEXITED(wait_status)   ? WEXITSTATUS(wait_status)
                  : WIFSIGNALED(wait_status) ? 128 + WTERMSIG(wait_status)
                                             : -1;
  job.pid = -1;
  job.finished = std::time(nullptr);
}

// The last non-empty line of the log (progress lines end in \r or \n).
std::string LastLogLine(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  const std::streamoff from = std::max<std::streamoff>(0, size - 4096);
  in.seekg(from);
  std::string tail(static_cast<std::size_t>(size - from), '\0');
  in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r' || tail.back() == ' ')) {
    tail.pop_back();
  }
  const std::size_t cut = tail.find_last_of("\r\n");
  return cut == std::string::npos ? tail : tail.substr(cut + 1);
}

Json RetryJson(Services::RetryJob& job) {
  ReapRetry(job);
  const bool is_running = job.pid > 0;
  Json out = {{"running", is_running},
              {"started", job.started ? IsoDate(job.started) : ""},
              {"finished", job.finished ? IsoDate(job.finished) : ""},
              {"started_by", job.started_by},
              {"exit_code", is_running || job.started == 0 ? Json(nullptr) : Json(job.exit_code)},
              {"last_line", job.started ? LastLogLine(job.log_path) : ""}};
  return out;
}

Status RetryStatusRoute(Call& call) {
  Services::RetryJob& job = call.services.retry;
  std::lock_guard lock(job.mu);
  call.Send(RetryJson(job));
  return Status::Ok();
}

Status RetryRoute(Call& call) {
  if (!call.req.body.empty()) TROVE_RETURN_IF_ERROR(call.Body({}).status());  // takes no fields
  Services::RetryJob& job = call.services.retry;
  std::lock_guard lock(job.mu);
  ReapRetry(job);
  if (job.pid > 0) {
    call.Send(
        {{"error", {{"status", 409}, {"message", "a retry of the failures is running already"}}}},
        409);
    return Status::Ok();
  }
  const std::string collection = std::filesystem::absolute(call.services.options.collection);
  const std::string log_path = collection + "/retry-failed.log";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<std::string> args = {"trove", "ingest", "--retry-failed", "--collection", collection};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    return Status::IOError(std::string("cannot start trove ingest: ") + std::strerror(error));
  }
  job.pid = pid;
  job.started = std::time(nullptr);
  job.finished = 0;
  job.exit_code = -1;
  job.log_path = log_path;
  job.started_by = call.user;
  call.Audit("retry-failed", "");
  call.Send(RetryJson(job), 202);
  return Status::Ok();
}

// --- Zip of originals --------------------------------------------------------------------

constexpr std::size_t kMaxZipDocuments = 500;
constexpr std::uint64_t kMaxZipBytes = 1ull << 30;

// A zip entry name made of the id and the file name, with nothing a zip tool could take for a
// directory, a drive or a parent: "3f..-Report_2012.pdf".
std::string ZipEntryName(const std::string& id, const std::string& name) {
  std::string clean;
  for (unsigned char c : name) {
    const bool is_kept =
        std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == ' ' || c >= 0x80;
    clean += is_kept ? static_cast<char>(c) : '_';
  }
  while (!clean.empty() && (clean.front() == '.' || clean.front() == ' ')) clean.erase(0, 1);
  if (clean.size() > 100) {
    std::size_t cut = 100;
    while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80) --cut;
    clean.resize(cut);
  }
  return clean.empty() ? id : id + "-" + clean;
}

// The bytes of a document's original: a source file read whole, or a member extracted.
Result<std::string> OriginalBytes(const index::StoredDocument& doc) {
  Status last = Status::NotFound("no place of " + doc.record.id + " holds it any more");
  for (const Occurrence& occ : doc.occurrences) {
    if (!occ.parent_id.empty()) continue;
    std::error_code ec;
    if (std::filesystem::file_size(occ.path, ec) != doc.record.size || ec) continue;
    std::ifstream in(occ.path, std::ios::binary);
    std::string bytes(doc.record.size, '\0');
    if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) continue;
    return bytes;
  }
  for (const Occurrence& occ : doc.occurrences) {
    if (occ.parent_id.empty()) continue;
    const std::string source = SourceFileOf(occ);
    if (source.empty()) continue;
    auto bytes = ExtractMember(source, occ.path, doc.record.id);
    if (bytes.ok() || !bytes.status().Is(StatusCode::kNotFound)) return bytes;
    last = bytes.status();
  }
  return last;
}

// POST /api/export/zip {"ids": [...]}: the originals as one zip, built in an unlinked temporary
// file and streamed from it. A document whose original cannot be had is listed in the
// manifest with the reason.
Status ZipExportRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(Json body, call.Body({"ids"}));
  if (!body.contains("ids") || !body["ids"].is_array() || body["ids"].empty()) {
    return Status::InvalidArgument("a zip export needs \"ids\": a non-empty array of document ids");
  }
  if (body["ids"].size() > kMaxZipDocuments) {
    return Status::InvalidArgument("at most " + std::to_string(kMaxZipDocuments) +
                                   " documents in one zip");
  }
  std::vector<std::string> ids;
  for (const Json& id : body["ids"]) {
    if (!id.is_string() || !IsDocumentId(id.get<std::string>())) {
      return Status::InvalidArgument("\"ids\" must hold document ids (32 hex digits)");
    }
    if (std::find(ids.begin(), ids.end(), id.get<std::string>()) == ids.end()) ids.push_back(id);
  }
  TROVE_ASSIGN_OR_RETURN(auto reader, call.services.readers.Take());
  TROVE_RETURN_IF_ERROR(reader->Reopen());
  std::vector<index::StoredDocument> docs;
  std::uint64_t total = 0;
  for (const std::string& id : ids) {
    TROVE_ASSIGN_OR_RETURN(index::StoredDocument doc, reader->Get(id));
    total += doc.record.size;
    docs.push_back(std::move(doc));
  }
  if (total > kMaxZipBytes) {
    return Status::LimitExceeded("the originals add up to " + std::to_string(total >> 20) +
                                 " MB; one zip holds at most " +
                                 std::to_string(kMaxZipBytes >> 20) + " MB");
  }
  char path[] = "/tmp/trove-zip-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return Status::IOError(std::string("temporary file: ") + std::strerror(errno));
  ::close(fd);
  int zip_error = 0;
  zip_t* archive = zip_open(path, ZIP_TRUNCATE, &zip_error);
  if (archive == nullptr) {
    ::unlink(path);
    return Status::IOError("cannot create the zip (libzip error " + std::to_string(zip_error) +
                           ")");
  }
  auto fail = [&](const std::string& why) {
    zip_discard(archive);
    ::unlink(path);
    return Status::IOError(why);
  };
  std::string manifest = "id,file,path,status\r\n";
  std::size_t added = 0;
  for (const index::StoredDocument& doc : docs) {
    const std::string entry = ZipEntryName(doc.record.id, doc.record.name);
    auto bytes = OriginalBytes(doc);
    manifest += CsvField(doc.record.id) + "," + CsvField(bytes.ok() ? entry : "") + "," +
                CsvField(doc.record.occurrence.path) + "," +
                CsvField(bytes.ok() ? "ok" : bytes.status().message()) + "\r\n";
    if (!bytes.ok()) continue;
    // libzip keeps the buffer until zip_close and frees it then (freep = 1).
    void* copy = std::malloc(std::max<std::size_t>(1, bytes->size()));
    if (copy == nullptr) return fail("out of memory");
    std::memcpy(copy, bytes->data(), bytes->size());
    zip_source_t* source = zip_source_buffer(archive, copy, bytes->size(), 1);
    if (source == nullptr) {
      std::free(copy);
      return fail("cannot add " + entry + " to the zip");
    }
    if (zip_file_add(archive, entry.c_str(), source, ZIP_FL_ENC_UTF_8) < 0) {
      zip_source_free(source);
      return fail("cannot add " + entry + " to the zip: " + zip_strerror(archive));
    }
    ++added;
  }
  void* copy = std::malloc(manifest.size());
  if (copy == nullptr) return fail("out of memory");
  std::memcpy(copy, manifest.data(), manifest.size());
  zip_source_t* source = zip_source_buffer(archive, copy, manifest.size(), 1);
  if (source == nullptr || zip_file_add(archive, "manifest.csv", source, ZIP_FL_ENC_UTF_8) < 0) {
    if (source != nullptr)
      zip_source_free(source);
    else
      std::free(copy);
    return fail("cannot add the manifest to the zip");
  }
  if (zip_close(archive) != 0) {
    const std::string why = zip_strerror(archive);
    return fail("cannot write the zip: " + why);
  }
  auto file = std::make_shared<std::ifstream>(path, std::ios::binary);
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  ::unlink(path);  // the open stream keeps it until the answer is sent
  if (!*file || ec) return Status::IOError("cannot read back the zip");
  std::string detail = std::to_string(added) + " of " + std::to_string(ids.size()) + ":";
  for (const std::string& id : ids) detail += " " + id;
  call.Audit("export-zip", detail);
  call.res.set_header("Content-Disposition", "attachment; filename=\"trove-originals.zip\"");
  StreamFile(call, std::move(file), size, "application/zip");
  return Status::Ok();
}

Result<std::string> TagOf(const Json& body, const std::string& key) {
  if (!body.contains(key) || !body[key].is_string()) {
    return Status::InvalidArgument("\"" + key + "\" must be a string");
  }
  std::string tag = body[key];
  if (tag.empty() || tag.size() > kMaxTagBytes ||
      std::any_of(tag.begin(), tag.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    return Status::InvalidArgument("a tag is 1 to " + std::to_string(kMaxTagBytes) +
                                   " bytes without control characters");
  }
  return tag;
}

Status RequireDocument(Call& call, const std::string& id) {
  TROVE_ASSIGN_OR_RETURN(auto reader, call.services.readers.Take());
  TROVE_RETURN_IF_ERROR(reader->Reopen());
  return reader->Get(id).status();
}

Status AddTagRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(Json body, call.Body({"tag"}));
  TROVE_ASSIGN_OR_RETURN(std::string tag, TagOf(body, "tag"));
  const std::string& id = call.Param("id");
  TROVE_RETURN_IF_ERROR(RequireDocument(call, id));
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_RETURN_IF_ERROR(workspace->AddTag({id, tag, call.user, 0}));
  call.Audit("tag", id + " " + tag);
  call.Send({{"id", id}, {"tag", tag}}, 201);
  return Status::Ok();
}

Status RemoveTagRoute(Call& call) {
  const std::string& id = call.Param("id");
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_RETURN_IF_ERROR(workspace->RemoveTag(id, call.Param("tag")));
  call.Audit("untag", id + " " + call.Param("tag"));
  call.Send({{"ok", true}});
  return Status::Ok();
}

Status TagsRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_ASSIGN_OR_RETURN(auto tags, workspace->ListTags());
  Json out = Json::array();
  for (const auto& [tag, count] : tags) out.push_back({{"tag", tag}, {"documents", count}});
  call.Send({{"tags", std::move(out)}});
  return Status::Ok();
}

Status AddNoteRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(Json body, call.Body({"text"}));
  if (!body.contains("text") || !body["text"].is_string() ||
      body["text"].get<std::string>().empty()) {
    return Status::InvalidArgument("a note needs \"text\", a non-empty string");
  }
  const std::string text = body["text"];
  if (text.size() > kMaxNoteBytes) {
    return Status::InvalidArgument("a note is at most " + std::to_string(kMaxNoteBytes) + " bytes");
  }
  const std::string& id = call.Param("id");
  TROVE_RETURN_IF_ERROR(RequireDocument(call, id));
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_ASSIGN_OR_RETURN(std::int64_t note, workspace->AddNote({0, id, call.user, text, 0}));
  call.Audit("note", id);
  call.Send({{"id", note}, {"doc_id", id}, {"text", text}, {"user", call.user}}, 201);
  return Status::Ok();
}

Result<std::int64_t> IdParam(const Call& call, const std::string& name) {
  const std::string& text = call.Param(name);
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status::InvalidArgument(name + " must be a number");
  }
  return std::stoll(text);
}

Status DeleteNoteRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(std::int64_t id, IdParam(call, "note"));
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_ASSIGN_OR_RETURN(std::optional<store::Note> note, workspace->FindNote(id));
  if (!note) return Status::NotFound("no note " + std::to_string(id));
  // An editor deletes their own notes; an admin anyone's.
  if (call.role < Role::kAdmin && note->user != call.user) {
    call.Send({{"error",
                {{"status", 403},
                 {"message",
                  "only its author or an admin may delete "
                  "this note"}}}},
              403);
    return Status::Ok();
  }
  TROVE_RETURN_IF_ERROR(workspace->DeleteNote(id));
  call.Audit("delete-note", std::to_string(id));
  call.Send({{"ok", true}});
  return Status::Ok();
}

Status StarRoute(Call& call, bool is_starred) {
  const std::string& id = call.Param("id");
  if (is_starred) TROVE_RETURN_IF_ERROR(RequireDocument(call, id));
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_RETURN_IF_ERROR(workspace->SetStar(id, call.user, is_starred));
  call.Send({{"id", id}, {"starred", is_starred}});
  return Status::Ok();
}

constexpr std::size_t kMaxStarredListed = 10'000;

// One's starred documents with what a list shows of each; a document no longer in the index
// keeps its id (so that it can be unstarred) and says "missing".
Status StarredRoute(Call& call) {
  std::vector<std::string> ids;
  {
    TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
    TROVE_ASSIGN_OR_RETURN(ids, workspace->StarredBy(call.user));
  }
  if (ids.size() > kMaxStarredListed) ids.resize(kMaxStarredListed);
  auto reader = call.services.readers.Take();
  if (!reader.ok() && reader.status().code() != StatusCode::kNotFound) return reader.status();
  if (reader.ok()) TROVE_RETURN_IF_ERROR((*reader)->Reopen());
  Json out = Json::array();
  for (const std::string& id : ids) {
    Json row = {{"id", id},   {"title", ""}, {"name", ""},     {"path", ""},
                {"type", ""}, {"date", ""},  {"missing", true}};
    if (reader.ok()) {
      auto doc = (*reader)->Get(id);
      if (doc.ok()) {
        const DocumentRecord& r = doc->record;
        row = {
            {"id", id},        {"title", r.extraction.title.empty() ? r.name : r.extraction.title},
            {"name", r.name},  {"path", r.occurrence.path},
            {"type", r.type},  {"date", IsoDate(r.extraction.date)},
            {"missing", false}};
      } else if (doc.status().code() != StatusCode::kNotFound) {
        return doc.status();
      }
    }
    out.push_back(std::move(row));
  }
  call.Send({{"documents", std::move(out)}});
  return Status::Ok();
}

Status EntitiesRoute(Call& call) {
  index::EntityQuery query;
  query.type = call.Query("type");
  query.with = call.Query("with");
  TROVE_ASSIGN_OR_RETURN(query.limit, Number(call, "limit", 50, 10'000));
  {
    TROVE_ASSIGN_OR_RETURN(auto store, call.services.stores.Take());
    TROVE_ASSIGN_OR_RETURN(query.rules, store->ListEntityRules());
  }
  auto reader = call.services.readers.Take();
  if (!reader.ok() && reader.status().code() == StatusCode::kNotFound) {
    call.Send(EntitiesJson({}, query.with));
    return Status::Ok();
  }
  TROVE_RETURN_IF_ERROR(reader.status());
  TROVE_RETURN_IF_ERROR((*reader)->Reopen());
  TROVE_ASSIGN_OR_RETURN(auto entities, (*reader)->Entities(query));
  call.Send(EntitiesJson(entities, query.with));
  return Status::Ok();
}

Status StatusRoute(Call& call) {
  std::optional<index::IndexStats> stats;
  auto reader = call.services.readers.Take();
  if (reader.ok()) {
    TROVE_RETURN_IF_ERROR((*reader)->Reopen());
    TROVE_ASSIGN_OR_RETURN(stats, (*reader)->Stats());
  } else if (reader.status().code() != StatusCode::kNotFound) {
    return reader.status();
  }
  TROVE_ASSIGN_OR_RETURN(auto store, call.services.stores.Take());
  TROVE_ASSIGN_OR_RETURN(
      Json out, StatusJson(call.services.options.collection, *store, stats ? &*stats : nullptr));
  call.Send(out);
  return Status::Ok();
}

Status FailuresRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(auto store, call.services.stores.Take());
  TROVE_ASSIGN_OR_RETURN(auto problems, store->ListProblems());
  call.Send({{"failures", FailuresJson(problems)}});
  return Status::Ok();
}

Status SavedSearchesRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_ASSIGN_OR_RETURN(auto searches, workspace->ListSavedSearches(call.user));
  Json out = Json::array();
  for (const auto& s : searches) {
    out.push_back({{"id", s.id},
                   {"name", s.name},
                   {"query", Json::parse(s.query, nullptr, false)},
                   {"created", IsoDate(s.created)}});
  }
  call.Send({{"searches", std::move(out)}});
  return Status::Ok();
}

Status SaveSearchRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(Json body, call.Body({"name", "query"}));
  if (!body.contains("name") || !body["name"].is_string() ||
      body["name"].get<std::string>().empty()) {
    return Status::InvalidArgument("a saved search needs \"name\", a non-empty string");
  }
  if (!body.contains("query") || !body["query"].is_object()) {
    return Status::InvalidArgument("a saved search needs \"query\", an object (q, filters...)");
  }
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_ASSIGN_OR_RETURN(std::int64_t id, workspace->SaveSearch({0, call.user, body["name"],
                                                                 body["query"].dump(), 0}));
  call.Send({{"id", id}, {"name", body["name"]}, {"query", body["query"]}}, 201);
  return Status::Ok();
}

Status DeleteSavedSearchRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(std::int64_t id, IdParam(call, "search"));
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_RETURN_IF_ERROR(workspace->DeleteSavedSearch(id, call.user));
  call.Send({{"ok", true}});
  return Status::Ok();
}

Status UsersRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_ASSIGN_OR_RETURN(auto users, workspace->ListUsers());
  Json out = Json::array();
  for (const auto& u : users) {
    out.push_back(
        {{"name", u.name}, {"role", store::RoleName(u.role)}, {"created", IsoDate(u.created)}});
  }
  call.Send({{"users", std::move(out)}});
  return Status::Ok();
}

Status AddUserRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(Json body, call.Body({"name", "role", "password"}));
  for (const char* key : {"name", "role", "password"}) {
    if (!body.contains(key) || !body[key].is_string()) {
      return Status::InvalidArgument(std::string("a user needs \"") + key + "\", a string");
    }
  }
  const std::string name = body["name"];
  if (name.empty() || name.size() > 64 ||
      !std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '@';
      })) {
    return Status::InvalidArgument("a user name is 1 to 64 letters, digits, '.', '-', '_' or '@'");
  }
  const auto role = store::ParseRole(body["role"]);
  if (!role) return Status::InvalidArgument("role must be reader, editor or admin");
  const std::string password = body["password"];
  if (password.size() < 8) return Status::InvalidArgument("a password has at least 8 characters");
  TROVE_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_RETURN_IF_ERROR(workspace->PutUser({name, *role, hash, 0}));
  call.Audit("user-add", name + " " + store::RoleName(*role));
  call.Send({{"name", name}, {"role", store::RoleName(*role)}}, 201);
  return Status::Ok();
}

Status DeleteUserRoute(Call& call) {
  const std::string& name = call.Param("name");
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_RETURN_IF_ERROR(workspace->DeleteUser(name));
  call.Audit("user-delete", name);
  call.Send({{"ok", true}});
  return Status::Ok();
}

Status AuditRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(std::uint64_t offset, Number(call, "offset", 0, 1ull << 40));
  TROVE_ASSIGN_OR_RETURN(std::uint64_t limit, Number(call, "limit", 100, kMaxPageSize));
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_ASSIGN_OR_RETURN(auto entries, workspace->ListAudit(offset, limit));
  Json out = Json::array();
  for (const auto& e : entries) {
    out.push_back({{"id", e.id},
                   {"time", IsoDate(e.time)},
                   {"user", e.user},
                   {"action", e.action},
                   {"detail", e.detail}});
  }
  call.Send({{"entries", std::move(out)}});
  return Status::Ok();
}

Status RoutesRoute(Call& call) {
  Json out = Json::array();
  for (const RouteInfo& r : Routes()) {
    out.push_back({{"method", r.method},
                   {"pattern", r.pattern},
                   {"public", r.is_public},
                   {"role", store::RoleName(r.role)},
                   {"summary", r.summary}});
  }
  call.Send({{"routes", std::move(out)}});
  return Status::Ok();
}

Route Make(std::string method, std::string pattern, Role role, std::string summary, Handler handler,
           bool is_public = false) {
  return Route{
      RouteInfo{std::move(method), std::move(pattern), is_public, role, std::move(summary)},
      std::move(handler)};
}

}  // namespace

std::vector<Route> ApiRoutes() {
  const Role reader = Role::kReader, editor = Role::kEditor, admin = Role::kAdmin;
  // Session routes are answered by the dispatcher itself (server.cc); their handlers are unused.
  auto by_dispatcher = [](Call&) { return Status::Internal("handled by the dispatcher"); };
  return {
      Make("GET", "/api/session", reader, "mode, user, role and CSRF token", by_dispatcher, true),
      Make("POST", "/api/login", reader, "log in (team mode)", by_dispatcher, true),
      Make("POST", "/api/logout", reader, "log out", by_dispatcher),
      Make("GET", "/api/routes", reader, "this table", RoutesRoute),
      Make("GET", "/api/status", reader, "documents by state, type, language; last run",
           StatusRoute),
      Make("GET", "/api/failures", reader, "files that failed or were skipped, and why",
           FailuresRoute),
      Make("GET", "/api/search", reader, "search with facets, paging to any depth", SearchRoute),
      Make("POST", "/api/search/batch", reader, "document counts for many queries", BatchRoute),
      Make("GET", "/api/export", reader, "search results as CSV or JSON", ExportRoute),
      Make("GET", "/api/graph/entities", reader,
           "co-mention graph of the entities in a search's first matches", EntityGraphRoute),
      Make("GET", "/api/graph/email", reader, "who wrote to whom in a search's first matches",
           EmailGraphRoute),
      Make("POST", "/api/export/zip", reader, "selected originals as one zip", ZipExportRoute),
      Make("GET", "/api/ingest/retry", reader, "the retry of failures started here, if any",
           RetryStatusRoute),
      Make("POST", "/api/ingest/retry", editor, "start `trove ingest --retry-failed`", RetryRoute),
      Make("GET", "/api/timeline", reader,
           "a search's matches by month, and the dates the first mention", TimelineRoute),
      Make("GET", "/api/documents/{id}", reader, "a document: metadata, text, spans, children",
           DocumentRoute),
      Make("GET", "/api/documents/{id}/original", reader, "the original file, as an attachment",
           OriginalRoute),
      Make("POST", "/api/documents/{id}/tags", editor, "tag a document", AddTagRoute),
      Make("DELETE", "/api/documents/{id}/tags/{tag}", editor, "untag a document", RemoveTagRoute),
      Make("POST", "/api/documents/{id}/notes", editor, "add a note to a document", AddNoteRoute),
      Make("DELETE", "/api/notes/{note}", editor, "delete a note", DeleteNoteRoute),
      Make("PUT", "/api/documents/{id}/star", reader, "star a document (for oneself)",
           [](Call& c) { return StarRoute(c, true); }),
      Make("DELETE", "/api/documents/{id}/star", reader, "unstar a document",
           [](Call& c) { return StarRoute(c, false); }),
      Make("GET", "/api/starred", reader, "the documents one starred", StarredRoute),
      Make("GET", "/api/tags", reader, "every tag and its document count", TagsRoute),
      Make("GET", "/api/entities", reader, "entities by documents, or co-mentioned with one",
           EntitiesRoute),
      Make("GET", "/api/watchlists", reader, "watch lists, with the hits ingests kept",
           WatchListsRoute),
      Make("GET", "/api/watchlists/{list}/hits", reader,
           "a watch list's hits kept by ingests (new=1: the latest run's)", WatchHitsRoute),
      Make("GET", "/api/watchlists/{list}/xref", reader,
           "cross-reference a slice of a watch list against the whole collection",
           XrefWatchListRoute),
      Make("POST", "/api/watchlists/{list}", editor,
           "store a watch list (CSV or FtM JSON lines as the body)", PutWatchListRoute),
      Make("DELETE", "/api/watchlists/{list}", editor, "forget a watch list and its hits",
           RemoveWatchListRoute),
      Make("GET", "/api/searches", reader, "one's saved searches", SavedSearchesRoute),
      Make("POST", "/api/searches", reader, "save a search", SaveSearchRoute),
      Make("DELETE", "/api/searches/{search}", reader, "delete a saved search",
           DeleteSavedSearchRoute),
      Make("GET", "/api/users", admin, "accounts", UsersRoute),
      Make("POST", "/api/users", admin, "add or change an account", AddUserRoute),
      Make("DELETE", "/api/users/{name}", admin, "delete an account", DeleteUserRoute),
      Make("GET", "/api/audit", admin, "the audit log, newest first", AuditRoute),
  };
}

}  // namespace trove::server::internal
