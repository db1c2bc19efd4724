// QueryNode trees to Xapian queries, term for term as document_builder.cc indexes them.
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

#include "core/status.h"
#include "index/index.h"

namespace trove::index::internal {

// `languages`: the document languages present, whose stemmers a word is stemmed with.
// InvalidArgument for a node that cannot be built (an unknown filter field, a bad date).
Result<Xapian::Query> BuildQuery(const QueryNode& node, const std::vector<std::string>& languages);

}  // namespace trove::index::internal
