// Pattern entities: e-mail addresses, phone numbers, IBANs, URLs and their domains, IP addresses,
// amounts of money, dates and classification markings found in extracted text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace trove::analyze {

// The kinds of entity trove recognises. Pattern entities are found by `FindPatternEntities`;
// people, organisations and places come from the sequence tagger (issue 4, later).
enum class EntityType {
  kEmail,
  kPhone,
  kIban,
  kUrl,
  kDomain,
  kIp,
  kMoney,
  kDate,
  kMarking,
};

// The short lower-case name of `type` ("email", "phone", "iban", "url", "domain", "ip", "money",
// "date", "marking"): the query field and index prefix names use it.
std::string_view EntityTypeName(EntityType type);

// One occurrence of an entity in a text.
struct Mention {
  EntityType type = EntityType::kEmail;
  // Byte offsets into the text: the mention is text.substr(begin, end - begin).
  std::size_t begin = 0;
  std::size_t end = 0;
  // The normalised form, the same for every way of writing the entity:
  //   email    local part as written, domain lower case       "John.Doe@example.com"
  //   phone    E.164                                          "+33142685300"
  //   iban     upper case, no spaces                          "FR1420041010050500013M02606"
  //   url      scheme and host lower case, "http://" added to "www." forms, "/" for an empty
  //            path, default port and fragment dropped       "https://example.com/a?b=1"
  //   domain   the URL's host, lower case, without "www."     "example.com"
  //   ip       dotted quad, or RFC 5952 text for IPv6         "192.168.0.1", "2001:db8::1"
  //   money    ISO 4217 code, space, plain decimal number     "USD 1500000", "GBP 12.5"
  //   date     ISO 8601 "YYYY-MM-DD", or "YYYY-MM" when the text gives no day
  //   marking  upper case, single spaces                      "TOP SECRET//SI//REL TO USA, FVEY",
  //            portion markings keep their parentheses       "(S//NF)"
  std::string value;

  friend bool operator==(const Mention&, const Mention&) = default;
};

// Finds the pattern entities in `utf8_text`. `language` is the document's ISO 639-1 code ("en",
// "fr") or "" when unknown; it picks the region for phone numbers written without a country code
// (en: US, fr: FR, ...; unknown: only "+" numbers are found) and how numeric dates with two
// readings are read (en: month first, otherwise day first).
//
// Returns the mentions sorted by `begin`, without duplicates. Mentions do not overlap, except that
// a URL's domain (or IP address) is reported as a mention of its own inside the URL's span. When
// candidates overlap, the longest wins (a URL containing an address-like string is a URL), and a
// phone candidate that overlaps any other entity (a date, an IBAN) is dropped.
//
// Never fails: invalid UTF-8 and binary bytes are not matched (offsets still refer to the input).
// Time is linear in the size of the text; at most `kMaxMentionsPerType` mentions of each type are
// returned. Thread-safe.
std::vector<Mention> FindPatternEntities(std::string_view utf8_text, std::string_view language);

// The cap on mentions of one type in one text, which bounds the work on pathological inputs.
inline constexpr std::size_t kMaxMentionsPerType = 10000;

}  // namespace trove::analyze
