// Reader::Aggregate: what the timeline and the graphs of a search count, read from the value
// slots and term lists of its matches instead of their stored documents.
#pragma once

#include <xapian.h>

#include "core/status.h"
#include "index/index.h"

namespace trove::index::internal {

// Counts the matches of `enquire` (query, weighting and order already set) in `db` as `request`
// asks. InvalidArgument for an unknown entity type; Corrupt for a stored document that cannot
// be read (only a shown correspondent's is). Throws Xapian::Error, which the caller turns into
// a Status.
Result<AggregateResult> RunAggregate(const Xapian::Database& db, Xapian::Enquire& enquire,
                                     const AggregateRequest& request);

}  // namespace trove::index::internal
