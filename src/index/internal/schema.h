// The index schema: term prefixes and value slots. Persisted: a change here is a format change
// (docs/formats/index.md) and bumps kIndexFormatVersion.
#pragma once

#include <string>
#include <string_view>

#include <xapian.h>

namespace trove::index::internal {

inline constexpr int kIndexFormatVersion = 1;
inline constexpr const char* kFormatKey = "trove.format";

// Term prefixes. Text terms carry no prefix (folded form, positional).
inline constexpr std::string_view kPrefixId = "Q";      // Q<id>: unique id
inline constexpr std::string_view kPrefixStem = "Z";    // Z<stem of folded word>
inline constexpr std::string_view kPrefixExact = "XE";  // XE<word as written>
inline constexpr std::string_view kPrefixTitle = "S";   // S<folded title word>, positional
inline constexpr std::string_view kPrefixPath = "P";    // P<folded path word>, positional
inline constexpr std::string_view kPrefixName = "XN";   // XN<folded file name word>
inline constexpr std::string_view kPrefixFrom = "XF";   // XF<folded word or address>
inline constexpr std::string_view kPrefixTo = "XT";
inline constexpr std::string_view kPrefixCc = "XC";
inline constexpr std::string_view kPrefixBcc = "XB";
inline constexpr std::string_view kPrefixType = "T";        // T<family>: pdf, email...
inline constexpr std::string_view kPrefixMediaType = "XM";  // XM<media type>
inline constexpr std::string_view kPrefixLang = "L";        // L<iso code>
inline constexpr std::string_view kPrefixSource = "XS";     // XS<source key>
inline constexpr std::string_view kPrefixParent = "XP";     // XP<parent id>
inline constexpr std::string_view kPrefixState = "XZ";      // XZ<indexed|failed|skipped>
inline constexpr std::string_view kPrefixDay = "D";         // D<YYYYMMDD>
inline constexpr std::string_view kPrefixMonth = "M";       // M<YYYYMM>
inline constexpr std::string_view kPrefixYear = "Y";        // Y<YYYY>
inline constexpr std::string_view kPrefixMessageId = "XI";  // XI<message-id>

// Value slots.
inline constexpr Xapian::valueno kSlotDate = 0;  // sortable_serialise(seconds)
inline constexpr Xapian::valueno kSlotType = 1;  // family, for the facet
inline constexpr Xapian::valueno kSlotLang = 2;
inline constexpr Xapian::valueno kSlotYear = 3;
inline constexpr Xapian::valueno kSlotFrom = 4;         // first sender's address
inline constexpr Xapian::valueno kSlotSize = 5;         // sortable_serialise(bytes)
inline constexpr Xapian::valueno kSlotOccurrences = 6;  // MessagePack list of occurrences
inline constexpr Xapian::valueno kSlotState = 7;

inline std::string Term(std::string_view prefix, std::string_view value) {
  std::string term(prefix);
  term += value;
  return term;
}

// Xapian refuses terms over 245 bytes; longer values are cut at a UTF-8 boundary.
std::string ClampTerm(std::string term);

}  // namespace trove::index::internal
