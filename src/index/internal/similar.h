// similar:ID as a Xapian query: the documents whose MinHash signature (internal/minhash.h) is at
// least `threshold` like ID's, found through the LSH band terms and weighted by similarity.
#pragma once

#include <string>

#include <xapian.h>

#include "core/status.h"

namespace trove::index::internal {

// NotFound when there is no document `id`; a document without a signature (no text, or too
// short) has no near-duplicates: MatchNothing. The document itself is left out.
Result<Xapian::Query> SimilarQuery(const Xapian::Database& db, const std::string& id,
                                   double threshold);

}  // namespace trove::index::internal
