// QueryNode trees to Xapian queries, term for term as document_builder.cc indexes them.
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

#include "core/status.h"
#include "index/index.h"

namespace trove::index::internal {

// `languages`: the document languages present, whose stemmers a word is stemmed with. `db`
// (the index searched) and `similarity` serve similar:ID. InvalidArgument for a node that cannot
// be built (an unknown filter field, a bad date, similar: of a document that does not exist).
Result<Xapian::Query> BuildQuery(const QueryNode& node, const std::vector<std::string>& languages,
                                 const Xapian::Database* db = nullptr,
                                 double similarity = kDefaultSimilarity);

}  // namespace trove::index::internal
