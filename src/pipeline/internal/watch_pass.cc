#include "pipeline/internal/watch_pass.h"

#include <chrono>
#include <ctime>
#include <exception>
#include <map>
#include <optional>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "analyze/watch_matcher.h"
#include "core/collection.h"
#include "index/index.h"
#include "store/store.h"
#include "store/watchlists.h"

namespace trove::pipeline::internal {
namespace {

// Documents are matched in batches so that a large run never holds all its text at once; each
// batch costs a look-up per name of each list, so batches should not be tiny either.
constexpr std::size_t kBatchDocuments = 2'000;
constexpr std::size_t kBatchTextBytes = 64u << 20;
// Source files per index query (OR of their filter terms), and documents per page of results.
constexpr std::size_t kSourcesPerQuery = 256;
constexpr std::uint64_t kPageSize = 1'000;

// The same floor as `trove xref`'s default: below it, hits are mostly wrong
// (bench/RESULTS.md, session 3, "Quality, by hand").
constexpr double kMinScore = 0.75;

struct ListState {
  store::WatchListInfo info;
  std::unique_ptr<analyze::WatchMatcher> matcher;
  std::vector<store::WatchHit> hits;
};

class Pass {
 public:
  Pass(std::string collection, std::int64_t run_id, const std::vector<EntityRule>& rules)
      : collection_(std::move(collection)), run_id_(run_id), rules_(rules) {}

  // Matches `lists`, whose documents up to run `after_run` were matched, against the runs after.
  Status MatchGroup(store::WatchLists& store, std::int64_t after_run, std::vector<ListState>& lists,
                    IngestProgress* progress) {
    TROVE_ASSIGN_OR_RETURN(const std::vector<std::string> sources,
                           store.SourcesIndexedBetween(after_run, run_id_));
    if (sources.empty()) {  // nothing new (every file unchanged): the lists are not even read
      for (ListState& list : lists) {
        TROVE_RETURN_IF_ERROR(store.AddHits(list.info.name, run_id_, {}).status());
        ++progress->watch_lists;
      }
      return Status::Ok();
    }
    for (ListState& list : lists) {
      TROVE_ASSIGN_OR_RETURN(std::vector<WatchEntry> entries, store.Entries(list.info.name));
      analyze::WatchMatcherOptions options;
      options.min_score = kMinScore;
      if (!rules_.empty()) {
        options.is_deleted = [this](const std::string& type, const std::string& name) {
          return !rules_.Resolve(type, index::EntityKey(name)).has_value();
        };
      }
      list.matcher = std::make_unique<analyze::WatchMatcher>(std::move(entries), options);
    }
    std::unordered_set<std::string> seen;  // a document found in several source files once
    std::vector<DocumentRecord> batch;
    std::size_t batch_bytes = 0;
    for (std::size_t first = 0; first < sources.size(); first += kSourcesPerQuery) {
      index::SearchRequest request;
      request.query.kind = index::QueryNode::Kind::kOr;
      for (std::size_t k = first; k < std::min(sources.size(), first + kSourcesPerQuery); ++k) {
        index::QueryNode filter;
        filter.kind = index::QueryNode::Kind::kFilter;
        filter.field = "source";
        filter.words = {sources[k]};
        request.query.children.push_back(std::move(filter));
      }
      request.limit = kPageSize;
      TROVE_RETURN_IF_ERROR(OpenReader());
      for (request.offset = 0;; request.offset += kPageSize) {
        TROVE_ASSIGN_OR_RETURN(index::SearchResult result, reader_->Search(request));
        for (index::Hit& hit : result.hits) {
          if (!seen.insert(hit.id).second) continue;
          batch_bytes += hit.doc.record.extraction.text.size();
          batch.push_back(std::move(hit.doc.record));
          if (batch.size() >= kBatchDocuments || batch_bytes >= kBatchTextBytes) {
            MatchBatch(batch, lists);
            batch.clear();
            batch_bytes = 0;
          }
        }
        if (result.hits.size() < kPageSize) break;
      }
    }
    if (!batch.empty()) MatchBatch(batch, lists);
    progress->watch_documents += seen.size();
    for (ListState& list : lists) {
      TROVE_ASSIGN_OR_RETURN(const std::uint64_t added,
                             store.AddHits(list.info.name, run_id_, list.hits));
      progress->watch_new_hits += added;
      ++progress->watch_lists;
    }
    return Status::Ok();
  }

 private:
  Status OpenReader() {
    if (reader_ != nullptr) return Status::Ok();
    TROVE_ASSIGN_OR_RETURN(reader_, index::Reader::Open(IndexDir(collection_)));
    return Status::Ok();
  }

  // The entities the matcher compares, curated as `trove xref` sees them: a deleted entity is
  // left out, a renamed one is also there under its new name.
  std::vector<EntityMention> CuratedEntities(const DocumentRecord& record) const {
    std::vector<EntityMention> out;
    for (const EntityMention& mention : record.entities) {
      if (mention.type != "person" && mention.type != "org" && mention.type != "email") continue;
      if (rules_.empty()) {
        out.push_back(mention);
        continue;
      }
      const std::optional<std::string> key =
          rules_.Resolve(mention.type, index::EntityKey(mention.value));
      if (!key) continue;
      out.push_back(mention);
      const std::string new_name = rules_.NewName(mention.type, *key);
      if (!new_name.empty()) {
        out.push_back(mention);
        out.back().value = new_name;
      }
    }
    return out;
  }

  void MatchBatch(const std::vector<DocumentRecord>& batch, std::vector<ListState>& lists) const {
    std::vector<analyze::WatchDocument> documents;
    documents.reserve(batch.size());
    for (const DocumentRecord& record : batch) {
      documents.push_back(
          analyze::WatchDocument{record.id, record.extraction.text, CuratedEntities(record)});
    }
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    for (ListState& list : lists) {
      const std::vector<WatchEntry>& entries = list.matcher->entries();
      for (analyze::WatchDocumentHit& hit : list.matcher->Match(documents)) {
        const WatchEntry& entry = entries[hit.entry];
        store::WatchHit out;
        out.list = list.info.name;
        out.line = entry.line;
        out.entry_id = entry.id;
        out.entry_name = entry.names.front();
        out.schema = entry.schema;
        out.doc_id = documents[hit.document].id;
        out.name = std::move(hit.name);
        out.type = std::move(hit.type);
        out.matched = std::move(hit.matched);
        out.kind = std::move(hit.kind);
        out.score = hit.score;
        out.run_id = run_id_;
        out.found = now;
        list.hits.push_back(std::move(out));
      }
    }
  }

  std::string collection_;
  std::int64_t run_id_;
  index::EntityRules rules_;
  std::unique_ptr<index::Reader> reader_;
};

// Adds the pass's figures to the run's summary, which `trove status --json` shows.
Status RecordInRunSummary(const std::string& collection, const IngestProgress& progress) {
  TROVE_ASSIGN_OR_RETURN(auto store, store::Store::Open(StorePath(collection)));
  TROVE_ASSIGN_OR_RETURN(std::optional<store::Run> run, store->LastRun());
  if (!run || run->finished == 0) return Status::Ok();
  nlohmann::json summary = nlohmann::json::parse(run->summary_json, nullptr, false);
  if (!summary.is_object()) summary = nlohmann::json::object();
  summary["watch"] = {{"lists", progress.watch_lists},
                      {"documents", progress.watch_documents},
                      {"new_hits", progress.watch_new_hits},
                      {"seconds", progress.watch_seconds},
                      {"error", progress.watch_error}};
  return store->FinishRun(run->id,
                          summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

Status RunWatchPass(const std::string& collection, IngestProgress* progress) {
  TROVE_ASSIGN_OR_RETURN(auto lists, store::WatchLists::Open(StorePath(collection)));
  TROVE_ASSIGN_OR_RETURN(const std::vector<store::WatchListInfo> all, lists->List());
  if (all.empty()) return Status::Ok();  // no list: an ingest pays nothing
  TROVE_ASSIGN_OR_RETURN(auto store, store::Store::Open(StorePath(collection)));
  TROVE_ASSIGN_OR_RETURN(const std::optional<store::Run> last_run, store->LastRun());
  if (!last_run) return Status::Ok();
  TROVE_ASSIGN_OR_RETURN(const std::vector<EntityRule> rules, store->ListEntityRules());
  // Lists added at different times start from different runs; most share one.
  std::map<std::int64_t, std::vector<ListState>> by_start;
  for (const store::WatchListInfo& info : all) {
    if (info.matched_run < last_run->id)
      by_start[info.matched_run].push_back(ListState{info, nullptr, {}});
  }
  Pass pass(collection, last_run->id, rules);
  for (auto& [after_run, group] : by_start) {
    TROVE_RETURN_IF_ERROR(pass.MatchGroup(*lists, after_run, group, progress));
  }
  return Status::Ok();
}

Result<IngestProgress> MatchWatchLists(const IngestOptions& options,
                                       Result<IngestProgress> ingested) {
  if (!ingested.ok()) return ingested;
  IngestProgress progress = std::move(ingested).value();
  const auto start = std::chrono::steady_clock::now();
  Status status;
  // The ingest is committed by now: nothing the pass meets, however unforeseen, may turn it
  // into a failed command.
  try {
    status = RunWatchPass(options.collection, &progress);
  } catch (const std::exception& e) {
    status = Status::Internal(std::string("watch pass: ") + e.what());
  }
  progress.watch_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!status.ok()) progress.watch_error = status.ToString();
  const Status recorded = RecordInRunSummary(options.collection, progress);
  if (!recorded.ok() && progress.watch_error.empty()) {
    progress.watch_error = "recording the watch pass in the run's summary: " + recorded.ToString();
  }
  return progress;
}

}  // namespace trove::pipeline::internal
