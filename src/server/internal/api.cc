// The API's routes: one row per route, with the weakest role allowed to call it. docs/api.md
// describes each for clients.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "core/collection.h"
#include "core/document.h"
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
  out["has_original"] = std::any_of(doc.occurrences.begin(), doc.occurrences.end(),
                                    [](const Occurrence& o) { return o.parent_id.empty(); });
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
    call.res.set_content_provider(
        size, "application/octet-stream",
        [file](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
          std::string buf(std::min<std::size_t>(length, 1 << 16), '\0');
          file->seekg(static_cast<std::streamoff>(offset));
          file->read(buf.data(), static_cast<std::streamsize>(buf.size()));
          const auto got = static_cast<std::size_t>(file->gcount());
          if (got == 0) return false;
          sink.write(buf.data(), got);
          return true;
        });
    return Status::Ok();
  }
  if (!doc.record.occurrence.parent_id.empty()) {
    return Status::NotFound("document " + id +
                            " is inside another file (an attachment or archive member): "
                            "download its parent " +
                            doc.record.occurrence.parent_id);
  }
  return Status::NotFound("the original of " + id + " is no longer at " +
                          doc.record.occurrence.path + " with the size it was indexed with");
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

Status StarredRoute(Call& call) {
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_ASSIGN_OR_RETURN(auto ids, workspace->StarredBy(call.user));
  call.Send({{"documents", ids}});
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
