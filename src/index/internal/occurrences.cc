#include "index/internal/occurrences.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/text.h"
#include "index/internal/schema.h"
#include "index/internal/stored.h"

namespace trove::index::internal {

std::string EncodeOccurrences(const std::vector<Occurrence>& occurrences) {
  nlohmann::json list = nlohmann::json::array();
  for (const Occurrence& occ : occurrences) {
    list.push_back({occ.source_key, occ.path, occ.parent_id});
  }
  const std::vector<std::uint8_t> bytes = nlohmann::json::to_msgpack(list);
  return std::string(bytes.begin(), bytes.end());
}

std::vector<Occurrence> DecodeOccurrences(std::string_view bytes) {
  std::vector<Occurrence> out;
  try {
    const nlohmann::json list = nlohmann::json::from_msgpack(bytes.begin(), bytes.end());
    for (const auto& item : list) {
      out.push_back(Occurrence{item.at(0).get<std::string>(), item.at(1).get<std::string>(),
                               item.at(2).get<std::string>()});
    }
  } catch (const nlohmann::json::exception&) {
    out.clear();
  }
  return out;
}

namespace {
constexpr Xapian::termpos kPathGap = 100;

// The next free position among the path terms of `doc`.
Xapian::termpos NextPathPosition(const Xapian::Document& doc) {
  Xapian::termpos last = 0;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    const std::string term = *it;
    if (term.rfind(kPrefixPath, 0) != 0 || term.size() == kPrefixPath.size()) continue;
    if (std::isupper(static_cast<unsigned char>(term[kPrefixPath.size()]))) continue;
    for (auto pos = it.positionlist_begin(); pos != it.positionlist_end(); ++pos) {
      last = std::max(last, *pos);
    }
  }
  return last == 0 ? 0 : last + kPathGap;
}
}  // namespace

void AddOccurrenceTerms(Xapian::Document& doc, const Occurrence& occurrence) {
  doc.add_boolean_term(Term(kPrefixSource, occurrence.source_key));
  if (!occurrence.parent_id.empty())
    doc.add_boolean_term(Term(kPrefixParent, occurrence.parent_id));
  Xapian::termpos pos = NextPathPosition(doc);
  ForEachFoldedWord(occurrence.path, [&](const std::string& folded, const Token& /*token*/) {
    doc.add_posting(Term(kPrefixPath, folded), ++pos);
  });
}

Status SetOccurrences(Xapian::Document& doc, const std::vector<Occurrence>& occurrences) {
  const std::string data = doc.get_data();
  TROVE_ASSIGN_OR_RETURN(const StoredParts parts, SplitStoredData(data));
  std::vector<std::string> stale;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    const std::string term = *it;
    const bool is_path = term.rfind(kPrefixPath, 0) == 0 && term.size() > kPrefixPath.size() &&
                         !std::isupper(static_cast<unsigned char>(term[kPrefixPath.size()]));
    if (is_path || term.rfind(kPrefixSource, 0) == 0 || term.rfind(kPrefixParent, 0) == 0) {
      stale.push_back(term);
    }
  }
  for (const std::string& term : stale) doc.remove_term(term);
  for (const Occurrence& occ : occurrences) AddOccurrenceTerms(doc, occ);
  doc.set_data(JoinStoredData(EncodeOccurrences(occurrences), parts.record));
  return Status::Ok();
}

Result<std::vector<Occurrence>> ReadOccurrences(const Xapian::Document& doc) {
  const std::string data = doc.get_data();
  TROVE_ASSIGN_OR_RETURN(const StoredParts parts, SplitStoredData(data));
  return DecodeOccurrences(parts.occurrences);
}

std::string ClampTerm(std::string term) {
  constexpr std::size_t kMaxTermBytes = 240;
  if (term.size() <= kMaxTermBytes) return term;
  std::size_t cut = kMaxTermBytes;
  while (cut > 0 && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80) --cut;
  term.resize(cut);
  return term;
}

}  // namespace trove::index::internal
