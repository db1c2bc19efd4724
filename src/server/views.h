// The JSON shapes of the API (docs/api.md), shared with the command line's --json output so
// that a script sees the same fields whichever way it asks.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "index/index.h"
#include "query/search.h"
#include "query/thread.h"
#include "query/xref.h"
#include "store/store.h"
#include "store/watchlists.h"

namespace trove::server {

// `indent` < 0: compact; otherwise pretty-printed with that many spaces.
std::string SearchView(const query::SearchResponse& response, int indent = -1);
// What a document view shows beside the document itself.
struct DocumentRelations {
  query::Thread thread;  // shown when it has more than the document itself
  // The first near-duplicates (similar:ID at the default similarity), most similar first; the
  // hit score is the estimated similarity.
  query::SearchResponse near_duplicates;
};
// The relations of document `id` (its thread, its near-duplicates).
Result<DocumentRelations> LoadRelations(index::Reader& reader, const std::string& id);

// A document with its text and entity spans, its children (id, name, type, state), the spans of
// `highlights` ((offset, length) in the text) when given, and its relations when given.
std::string DocumentView(const index::StoredDocument& doc,
                         const std::vector<index::StoredDocument>& children,
                         const std::vector<std::pair<std::size_t, std::size_t>>& highlights,
                         int indent = -1, const DocumentRelations* relations = nullptr);
std::string FailuresView(const std::vector<store::Problem>& problems, int indent = -1);
std::string EntitiesView(const std::vector<index::EntityCount>& entities, const std::string& with,
                         int indent = -1);
// The hits the watch pass kept (`trove watch hits --json`): `path_of` maps a document id to the
// path it was found at ("" when the index no longer has it); `latest_run` marks the new ones.
std::string WatchHitsView(const std::vector<store::WatchHit>& hits,
                          const std::map<std::string, std::string>& path_of,
                          std::int64_t latest_run, int indent = -1);
// A cross-reference of list `list` (`trove xref --json`).
std::string XrefView(const std::string& list, const query::XrefResult& result, int indent = -1);
// The collection's counts: `stats` may be null when there is no index yet.
Result<std::string> StatusView(const std::string& collection, store::Store& store,
                               const index::IndexStats* stats, int indent = -1);

}  // namespace trove::server
