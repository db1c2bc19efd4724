// The documents of an e-mail thread, found by following the thread terms of the schema.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <xapian.h>

namespace trove::index::internal {

// Messages whose subjects match are joined only within this many days of each other.
inline constexpr std::int64_t kSubjectWindowSeconds = 60 * 86400;
// A subject shared by more messages than this is too common to join messages by.
inline constexpr Xapian::doccount kMaxSubjectGroup = 500;

// The ids of the documents in the thread of the document with Xapian id `start` (itself
// included), at most `limit` of them; `truncated` is set when there were more. Two messages are
// in one thread when one's Message-ID is in the other's In-Reply-To or References, or when
// neither answers a message of the collection, they share a normalised subject, one of them
// carries a reply prefix, and their dates are within kSubjectWindowSeconds (or unknown).
std::vector<std::string> ThreadDocuments(const Xapian::Database& db, Xapian::docid start,
                                         std::size_t limit, bool* truncated);

}  // namespace trove::index::internal
