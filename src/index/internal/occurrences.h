// The occurrences value slot: every place a document was found.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"

namespace trove::index::internal {

std::string EncodeOccurrences(const std::vector<Occurrence>& occurrences);
// An unreadable slot decodes as no occurrences.
std::vector<Occurrence> DecodeOccurrences(std::string_view bytes);

}  // namespace trove::index::internal

namespace Xapian {
class Document;
}

namespace trove::index::internal {

// Filter terms of one occurrence: source, parent, path words (positional, after what the
// document holds already).
void AddOccurrenceTerms(Xapian::Document& doc, const Occurrence& occurrence);
// Rebuilds every occurrence-derived term and the slot of `doc` from `occurrences`.
void SetOccurrences(Xapian::Document& doc, const std::vector<Occurrence>& occurrences);

}  // namespace trove::index::internal
