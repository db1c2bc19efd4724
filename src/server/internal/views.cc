#include "server/internal/context.h"
#include "server/internal/views_json.h"

#include <cmath>

#include "core/collection.h"
#include "core/time.h"
#include "index/index.h"

namespace trove::server {
namespace internal {
namespace {

// A document view lists this many near-duplicates (similar:ID lists them all).
constexpr std::uint64_t kNearDuplicatesShown = 20;

Json Spans(const std::vector<std::pair<std::size_t, std::size_t>>& spans) {
  Json out = Json::array();
  for (const auto& [offset, length] : spans) out.push_back({offset, length});
  return out;
}

std::string Dump(const Json& value, int indent) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// Scores to three decimals: more would be noise.
double Rounded(double score) { return std::round(score * 1000) / 1000; }

}  // namespace

Json HitJson(const query::SearchHit& h) {
  const DocumentRecord& r = h.hit.doc.record;
  return {{"id", h.hit.id},
          {"path", r.occurrence.path},
          {"parent", r.occurrence.parent_id},
          {"title", r.extraction.title.empty() ? r.name : r.extraction.title},
          {"name", r.name},
          {"type", r.type},
          {"lang", r.lang},
          {"size", r.size},
          {"date", IsoDate(r.extraction.date)},
          {"from", r.extraction.from},
          {"places", h.hit.doc.occurrences.size()},
          {"score", h.hit.score},
          {"collapsed", h.hit.collapsed},
          // Plain text and the (offset, length) byte spans of the matches: the client escapes.
          {"snippet", {{"text", h.snippet.text}, {"marks", Spans(h.snippet.marks)}}}};
}

Json SearchJson(const query::SearchResponse& response) {
  Json hits = Json::array();
  for (const query::SearchHit& h : response.hits) hits.push_back(HitJson(h));
  Json out = {{"total", response.total},
              {"total_is_exact", response.is_total_exact},
              {"query", response.parsed},
              {"hits", std::move(hits)}};
  if (!response.notice.empty()) out["notice"] = response.notice;
  if (!response.facets.empty()) {
    Json facets = Json::object();
    for (const auto& [name, values] : response.facets) {
      Json list = Json::array();
      for (const auto& v : values) list.push_back({{"value", v.value}, {"count", v.count}});
      facets[name] = std::move(list);
    }
    out["facets"] = std::move(facets);
    out["facet_documents"] = response.facet_documents;
    out["entity_facet_documents"] = response.entity_facet_documents;
  }
  return out;
}

Json ThreadJson(const query::Thread& thread) {
  Json messages = Json::array();
  for (const query::ThreadMessage& m : thread.messages) {
    messages.push_back({{"id", m.id.empty() ? Json(nullptr) : Json(m.id)},
                        {"message_id", m.message_id},
                        {"subject", m.subject},
                        {"from", m.from},
                        {"date", m.date ? Json(IsoDate(m.date)) : Json(nullptr)},
                        {"depth", m.depth},
                        {"inclusive", m.inclusive}});
  }
  return {{"messages", std::move(messages)}, {"truncated", thread.truncated}};
}

Json DocumentJson(const index::StoredDocument& doc,
                  const std::vector<index::StoredDocument>& children,
                  const std::vector<std::pair<std::size_t, std::size_t>>& highlights,
                  const DocumentRelations* relations) {
  const DocumentRecord& r = doc.record;
  const Extraction& ex = r.extraction;
  Json paths = Json::array();
  for (const Occurrence& occ : doc.occurrences) {
    paths.push_back({{"path", occ.path}, {"parent", occ.parent_id}});
  }
  Json metadata = Json::object();
  for (const auto& [key, value] : ex.metadata) metadata[key] = value;
  Json mentions = Json::array();
  for (const EntityMention& m : r.entities) {
    mentions.push_back({{"type", m.type}, {"value", m.value}, {"begin", m.begin}, {"end", m.end}});
  }
  Json kids = Json::array();
  for (const auto& kid : children) {
    kids.push_back({{"id", kid.record.id},
                    {"name", kid.record.name},
                    {"type", kid.record.type},
                    {"size", kid.record.size},
                    {"state", std::string(DocStateName(kid.record.state))},
                    {"reason", kid.record.reason}});
  }
  Json out = {
      {"id", r.id},
      {"path", r.occurrence.path},
      {"paths", std::move(paths)},
      {"parent", r.occurrence.parent_id},
      {"name", r.name},
      {"title", ex.title},
      {"type", r.type},
      {"media_type", r.media_type},
      {"size", r.size},
      {"date", IsoDate(ex.date)},
      {"lang", r.lang},
      {"state", std::string(DocStateName(r.state))},
      {"reason", r.reason},
      {"author", ex.author},
      {"pages", ex.page_count},
      {"from", ex.from},
      {"to", ex.to},
      {"cc", ex.cc},
      {"bcc", ex.bcc},
      {"message_id", ex.message_id},
      {"in_reply_to", ex.in_reply_to},
      {"references", ex.references},
      {"metadata", std::move(metadata)},
      {"is_truncated", ex.is_truncated},
      {"ocr",
       {{"state", std::string(OcrStateName(r.ocr.state))},
        {"pages", r.ocr.pages},
        {"mean_confidence", r.ocr.mean_confidence},
        {"languages", r.ocr.languages},
        {"reason", r.ocr.reason}}},
      {"text", ex.text},
      {"entities", std::move(mentions)},
      {"children", std::move(kids)},
  };
  if (!highlights.empty()) out["highlights"] = Spans(highlights);
  if (relations != nullptr && relations->thread.messages.size() > 1) {
    out["thread"] = ThreadJson(relations->thread);
  }
  if (relations != nullptr) {
    Json similar = Json::array();
    for (const query::SearchHit& hit : relations->near_duplicates.hits) {
      similar.push_back({{"id", hit.hit.id},
                         {"title", hit.hit.doc.record.extraction.title},
                         {"path", hit.hit.doc.record.occurrence.path},
                         {"similarity", hit.hit.score}});
    }
    out["near_duplicates"] = std::move(similar);
    out["near_duplicates_total"] = relations->near_duplicates.total;
  }
  return out;
}

Json FailuresJson(const std::vector<store::Problem>& problems) {
  Json out = Json::array();
  for (const auto& p : problems) {
    out.push_back(
        {{"path", p.path}, {"state", p.state}, {"reason", p.reason}, {"media_type", p.media_type}});
  }
  return out;
}

Json EntitiesJson(const std::vector<index::EntityCount>& entities, const std::string& with) {
  Json list = Json::array();
  for (const index::EntityCount& e : entities) {
    list.push_back({{"type", e.type}, {"value", e.value}, {"documents", e.documents}});
  }
  Json out = {{"entities", std::move(list)}};
  if (!with.empty()) out["with"] = with;
  return out;
}

Json WatchHitJson(const store::WatchHit& hit, const std::string& path, std::int64_t latest_run) {
  return {{"list", hit.list},
          {"line", hit.line},
          {"id", hit.entry_id},
          {"entry", hit.entry_name},
          {"schema", hit.schema},
          {"name", hit.name},
          {"type", hit.type},
          {"matched", hit.matched},
          {"kind", hit.kind},
          {"score", Rounded(hit.score)},
          {"doc_id", hit.doc_id},
          {"path", path},
          {"run", hit.run_id},
          {"found", IsoDate(hit.found)},
          {"new", hit.run_id == latest_run}};
}

Json XrefMatchesJson(const std::vector<query::XrefMatch>& matches) {
  Json out = Json::array();
  for (const query::XrefMatch& match : matches) {
    Json hits = Json::array();
    for (const query::XrefHit& hit : match.hits) {
      hits.push_back({{"name", hit.name},
                      {"type", hit.type},
                      {"matched", hit.matched},
                      {"kind", hit.kind},
                      {"score", Rounded(hit.score)},
                      {"documents", hit.documents},
                      {"ids", hit.ids}});
    }
    out.push_back({{"line", match.entry.line},
                   {"id", match.entry.id},
                   {"schema", match.entry.schema},
                   {"name", match.entry.names.front()},
                   {"aliases", std::vector<std::string>(match.entry.names.begin() + 1,
                                                        match.entry.names.end())},
                   {"fields", Json::parse(match.entry.fields_json, nullptr, false)},
                   {"score", Rounded(match.score)},
                   {"documents", match.documents},
                   {"hits", std::move(hits)}});
  }
  return out;
}

Result<Json> StatusJson(const std::string& collection, store::Store& store,
                        const index::IndexStats* stats) {
  TROVE_ASSIGN_OR_RETURN(auto by_state, store.CountSourcesByState());
  TROVE_ASSIGN_OR_RETURN(std::optional<store::Run> last_run, store.LastRun());
  TROVE_ASSIGN_OR_RETURN(auto ocr, store.CountOcr());
  const index::IndexStats none;
  if (stats == nullptr) stats = &none;
  std::uint64_t sources = 0;
  for (const auto& [state, count] : by_state) sources += count;
  Json states = {{"indexed", 0}, {"failed", 0}, {"skipped", 0}};
  for (const auto& [state, count] : by_state) states[state] = count;
  Json out = {{"collection", collection},
              {"source_files", sources},
              {"documents", stats->documents},
              {"by_state", states},
              {"documents_by_state", stats->by_state},
              {"by_type", stats->by_type},
              {"by_lang", stats->by_lang},
              {"ocr_queue",
               {{"documents", ocr.queued_documents},
                {"pages", ocr.queued_pages},
                {"cached_pages", ocr.cached_pages}}}};
  if (last_run) {
    const store::Run& run = *last_run;
    out["last_run"] = {
        {"id", run.id},
        {"started", IsoDate(run.started)},
        {"finished", run.finished ? IsoDate(run.finished) : ""},
        {"state", run.finished                                       ? run.state
                  : index::IsIndexBeingWritten(IndexDir(collection)) ? "running"
                                                                     : "interrupted"},
        {"summary", Json::parse(run.summary_json, nullptr, false)}};
  }
  return out;
}

}  // namespace internal

std::string SearchView(const query::SearchResponse& response, int indent) {
  return internal::Dump(internal::SearchJson(response), indent);
}

std::string DocumentView(const index::StoredDocument& doc,
                         const std::vector<index::StoredDocument>& children,
                         const std::vector<std::pair<std::size_t, std::size_t>>& highlights,
                         int indent, const DocumentRelations* relations) {
  return internal::Dump(internal::DocumentJson(doc, children, highlights, relations), indent);
}

Result<DocumentRelations> LoadRelations(index::Reader& reader, const std::string& id) {
  DocumentRelations relations;
  TROVE_ASSIGN_OR_RETURN(relations.thread, query::LoadThread(reader, id));
  query::SearchOptions options;
  options.limit = internal::kNearDuplicatesShown;
  options.snippet_bytes = 0;
  TROVE_ASSIGN_OR_RETURN(relations.near_duplicates,
                         query::Search(reader, "similar:" + id, options));
  return relations;
}

std::string FailuresView(const std::vector<store::Problem>& problems, int indent) {
  return internal::Dump(internal::FailuresJson(problems), indent);
}

std::string EntitiesView(const std::vector<index::EntityCount>& entities, const std::string& with,
                         int indent) {
  return internal::Dump(internal::EntitiesJson(entities, with), indent);
}

std::string WatchHitsView(const std::vector<store::WatchHit>& hits,
                          const std::map<std::string, std::string>& path_of,
                          std::int64_t latest_run, int indent) {
  internal::Json out = internal::Json::array();
  for (const store::WatchHit& hit : hits) {
    const auto path = path_of.find(hit.doc_id);
    out.push_back(internal::WatchHitJson(hit, path == path_of.end() ? "" : path->second,
                                         latest_run));
  }
  return internal::Dump({{"latest_run", latest_run}, {"hits", std::move(out)}}, indent);
}

std::string XrefView(const std::string& list, const query::XrefResult& result, int indent) {
  return internal::Dump({{"list", list},
                         {"entries", result.stats.entries},
                         {"matched", result.matches.size()},
                         {"matches", internal::XrefMatchesJson(result.matches)}},
                        indent);
}

Result<std::string> StatusView(const std::string& collection, store::Store& store,
                               const index::IndexStats* stats, int indent) {
  TROVE_ASSIGN_OR_RETURN(auto json, internal::StatusJson(collection, store, stats));
  return internal::Dump(json, indent);
}

}  // namespace trove::server
