// The views of views.h as JSON values, for handlers that add to them.
#pragma once

#include <nlohmann/json.hpp>

#include "server/views.h"

namespace trove::server::internal {

nlohmann::json SearchJson(const query::SearchResponse& response);
nlohmann::json HitJson(const query::SearchHit& hit);
nlohmann::json DocumentJson(const index::StoredDocument& doc,
                            const std::vector<index::StoredDocument>& children,
                            const std::vector<std::pair<std::size_t, std::size_t>>& highlights,
                            const DocumentRelations* relations = nullptr);
nlohmann::json FailuresJson(const std::vector<store::Problem>& problems);
nlohmann::json EntitiesJson(const std::vector<index::EntityCount>& entities,
                            const std::string& with);
nlohmann::json WatchHitJson(const store::WatchHit& hit, const std::string& path,
                            std::int64_t latest_run);
nlohmann::json XrefMatchesJson(const std::vector<query::XrefMatch>& matches);
Result<nlohmann::json> StatusJson(const std::string& collection, store::Store& store,
                                  const index::IndexStats* stats);

}  // namespace trove::server::internal
