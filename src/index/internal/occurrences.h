// Occurrences: every place a document was found, kept in its stored data (stored.h) and as
// filter terms.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/status.h"

namespace trove::index::internal {

std::string EncodeOccurrences(const std::vector<Occurrence>& occurrences);
// Unreadable bytes decode as no occurrences.
std::vector<Occurrence> DecodeOccurrences(std::string_view bytes);

}  // namespace trove::index::internal

namespace Xapian {
class Document;
}

namespace trove::index::internal {

// Filter terms of one occurrence: source, parent, path words (positional, after what the
// document holds already).
void AddOccurrenceTerms(Xapian::Document& doc, const Occurrence& occurrence);
// Rebuilds every occurrence-derived term and the stored occurrences of `doc`; Corrupt when its
// stored data is unreadable.
Status SetOccurrences(Xapian::Document& doc, const std::vector<Occurrence>& occurrences);
// The stored occurrences of `doc`; Corrupt when its stored data is unreadable.
Result<std::vector<Occurrence>> ReadOccurrences(const Xapian::Document& doc);

}  // namespace trove::index::internal
