// The index schema: term prefixes and value slots. Persisted: a change here is a format change
// (docs/formats/index.md) and bumps kIndexFormatVersion.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace trove::index::internal {

inline constexpr int kIndexFormatVersion = 3;
inline constexpr const char* kFormatKey = "trove.format";

// Term prefixes. Text terms carry no prefix (folded form, positional).
inline constexpr std::string_view kPrefixId = "Q";    // Q<id>: unique id
inline constexpr std::string_view kPrefixStem = "Z";  // Z<stem of folded word>
// XE<folded word><kExactSeparator><word as written>, only when the two differ: a word written in
// its folded form is found by its unprefixed term (see LiteralFormSource).
inline constexpr std::string_view kPrefixExact = "XE";
inline constexpr char kExactSeparator = '\x1f';
inline constexpr std::string_view kPrefixTitle = "S";  // S<folded title word>, positional
inline constexpr std::string_view kPrefixPath = "P";   // P<folded path word>, positional
inline constexpr std::string_view kPrefixName = "XN";  // XN<folded file name word>
inline constexpr std::string_view kPrefixFrom = "XF";  // XF<folded word or address>
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
inline constexpr std::string_view kPrefixReference = "XR";  // XR<In-Reply-To or References id>
// XJ<r|o><normalised subject> (core/email.h) of an e-mail: 'r' when the subject carried a reply
// or forward prefix, 'o' otherwise. Threads use it where headers are missing.
inline constexpr std::string_view kPrefixSubject = "XJ";
inline constexpr char kSubjectReply = 'r';
inline constexpr char kSubjectOriginal = 'o';
// XH<band key>: a locality-sensitive hashing band of the document's MinHash signature
// (internal/minhash.h); documents sharing one are candidate near-duplicates.
inline constexpr std::string_view kPrefixBand = "XH";
// Entities, by type code (kEntityFields): XW<code><folded word of the value>, positional, one
// gap between values; XK<code><key><kExactSeparator><value as normalised>, wdf = mentions, where
// the key is the value's folded words joined by single spaces (EntityKey).
inline constexpr std::string_view kPrefixEntityWord = "XW";
inline constexpr std::string_view kPrefixEntity = "XK";

struct EntityField {
  std::string_view name;   // as in EntityMention::type
  std::string_view field;  // the query field
  char code;
};
inline constexpr EntityField kEntityFields[] = {
    {"person", "person", 'P'}, {"org", "org", 'O'},       {"place", "place", 'L'},
    {"email", "email", 'E'},   {"phone", "phone", 'T'},   {"iban", "iban", 'I'},
    {"url", "url", 'U'},       {"domain", "domain", 'D'}, {"ip", "ip", 'N'},
    {"money", "money", 'M'},   {"date", "mentions", 'W'}, {"marking", "marking", 'K'},
};

// Value slots (what sorting and facets read; everything else is a term or in the data).
inline constexpr Xapian::valueno kSlotDate = 0;  // sortable_serialise(seconds)
inline constexpr Xapian::valueno kSlotType = 1;  // family, for the facet
inline constexpr Xapian::valueno kSlotLang = 2;
inline constexpr Xapian::valueno kSlotFrom = 3;       // first sender's address
inline constexpr Xapian::valueno kSlotSignature = 4;  // MinHash signature (EncodeSignature)

inline std::string Term(std::string_view prefix, std::string_view value) {
  std::string term(prefix);
  term += value;
  return term;
}

// The values of `doc`'s terms with `prefix` (the prefix cut off), in term order.
inline std::vector<std::string> TermsWithPrefix(const Xapian::Document& doc,
                                                std::string_view prefix) {
  std::vector<std::string> out;
  Xapian::TermIterator it = doc.termlist_begin();
  it.skip_to(std::string(prefix));
  for (; it != doc.termlist_end(); ++it) {
    const std::string term = *it;
    if (term.compare(0, prefix.size(), prefix) != 0) break;
    out.push_back(term.substr(prefix.size()));
  }
  return out;
}

// The prefix shared by every exact-form term of `folded`.
inline std::string ExactTermPrefix(std::string_view folded) {
  std::string term(kPrefixExact);
  term += folded;
  term += kExactSeparator;
  return term;
}

// The exact-form term of a word whose written form differs from its folded form.
inline std::string ExactTerm(std::string_view folded, std::string_view written) {
  return ExactTermPrefix(folded) + std::string(written);
}

// The entity field of a type name ("person") or of a term code ('P'); nullptr when none.
inline const EntityField* EntityFieldOfType(std::string_view type) {
  for (const EntityField& field : kEntityFields) {
    if (field.name == type) return &field;
  }
  return nullptr;
}
inline const EntityField* EntityFieldOfCode(char code) {
  for (const EntityField& field : kEntityFields) {
    if (field.code == code) return &field;
  }
  return nullptr;
}

// XK<code><key><kExactSeparator>: what every written form of one entity's key term starts with.
inline std::string EntityKeyPrefix(const EntityField& field, std::string_view key) {
  std::string prefix(kPrefixEntity);
  prefix += field.code;
  prefix += key;
  prefix += kExactSeparator;
  return prefix;
}

// An entity key term taken apart.
struct EntityTerm {
  const EntityField* field;
  std::string key;
  std::string value;
};
// nullopt for a term that is not an entity key term of a known type.
inline std::optional<EntityTerm> ParseEntityTerm(std::string_view term) {
  if (term.substr(0, kPrefixEntity.size()) != kPrefixEntity || term.size() <= kPrefixEntity.size())
    return std::nullopt;
  const EntityField* field = EntityFieldOfCode(term[kPrefixEntity.size()]);
  if (field == nullptr) return std::nullopt;
  const std::string_view rest = term.substr(kPrefixEntity.size() + 1);
  const std::size_t sep = rest.find(kExactSeparator);
  if (sep == std::string_view::npos) return EntityTerm{field, std::string(rest), std::string(rest)};
  return EntityTerm{field, std::string(rest.substr(0, sep)), std::string(rest.substr(sep + 1))};
}

// The message for a shard whose format marker says `found` (0: none) instead of ours.
inline std::string FormatMismatch(const std::string& path, int found) {
  const std::string ours = std::to_string(kIndexFormatVersion);
  if (found > kIndexFormatVersion) {
    return path + " has index format " + std::to_string(found) + ", newer than this trove reads (" +
           ours + ")";
  }
  return path + " has index format " + std::to_string(found) + ", older than this trove reads (" +
         ours + "): ingest the sources again into a new collection";
}

// Xapian refuses terms over 245 bytes; longer values are cut at a UTF-8 boundary.
std::string ClampTerm(std::string term);

}  // namespace trove::index::internal
