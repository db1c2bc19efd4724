// similar:ID as a Xapian query: the documents whose MinHash signature (internal/minhash.h) is at
// least `threshold` like ID's, found through the LSH band terms and weighted by similarity.
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

#include "core/status.h"

namespace trove::index::internal {

// An e-mail's links to others: its Message-IDs (XI terms) and the ids it answers (XR terms:
// In-Reply-To and References).
struct ReplyLinks {
  std::vector<std::string> ids, answers;
};
ReplyLinks ReplyLinksOf(const Xapian::Document& doc);

// True when one of the two answers the other. A reply that quotes its original is a message of
// its own, not the original's near-duplicate, however much text they share (replies were 5.7%
// of the hard negatives called near-duplicates: bench/RESULTS.md); thread:ID groups them.
// Copies of one message share its Message-ID and are not linked this way.
bool AreReplyLinked(const ReplyLinks& a, const ReplyLinks& b);

// NotFound when there is no document `id`; a document without a signature (no text, or too
// short) has no near-duplicates: MatchNothing. The document itself is left out, and so are the
// messages it answers or that answer it (AreReplyLinked).
Result<Xapian::Query> SimilarQuery(const Xapian::Database& db, const std::string& id,
                                   double threshold);

}  // namespace trove::index::internal
