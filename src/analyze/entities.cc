#include "analyze/entities.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <string>
#include <utility>

#include "analyze/internal/entity_finders.h"

namespace trove::analyze {
namespace internal {

bool CandidateList::Add(EntityType type, std::size_t begin, std::size_t end, std::string value) {
  if (IsFull()) return false;
  out_->push_back(Mention{type, begin, end, std::move(value)});
  ++count_;
  return !IsFull();
}

bool IsAsciiDigit(char ch) { return ch >= '0' && ch <= '9'; }
bool IsAsciiAlpha(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }
bool IsAsciiAlnum(char ch) { return IsAsciiDigit(ch) || IsAsciiAlpha(ch); }
char AsciiLower(char ch) { return (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch + 32) : ch; }
char AsciiUpper(char ch) { return (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 32) : ch; }

std::string AsciiLowerCopy(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = AsciiLower(ch);
  return out;
}

std::string_view LineAround(std::string_view text, std::size_t pos) {
  pos = std::min(pos, text.size());
  // Bounded, so that many mentions on one huge line cost linear time, not quadratic.
  const std::size_t window_begin = pos > kMaxLineBytes ? pos - kMaxLineBytes : 0;
  const std::size_t window_end = std::min(text.size(), pos + kMaxLineBytes);
  std::size_t begin = pos;
  while (begin > window_begin && text[begin - 1] != '\n') --begin;
  std::size_t end = pos;
  while (end < window_end && text[end] != '\n') ++end;
  if (end > begin && text[end - 1] == '\r') --end;
  return text.substr(begin, end - begin);
}

std::string_view TextBefore(std::string_view text, std::size_t pos, std::size_t max_bytes) {
  pos = std::min(pos, text.size());
  std::size_t begin = pos > max_bytes ? pos - max_bytes : 0;
  while (begin < pos && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) ++begin;
  return text.substr(begin, pos - begin);
}

}  // namespace internal

namespace {

using internal::FinderInput;

// The length of the valid UTF-8 sequence starting at s[pos], or 0 if it is not one
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
std::size_t ValidSequenceLength(std::string_view s, std::size_t pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char min_second = 0x80;
  unsigned char max_second = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) min_second = 0xA0;
    if (lead == 0xED) max_second = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) min_second = 0x90;
    if (lead == 0xF4) max_second = 0x8F;
  } else {
    return 0;
  }
  if (pos + length > s.size()) return 0;
  if (byte(pos + 1) < min_second || byte(pos + 1) > max_second) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return 0;
  }
  return length;
}

// A copy of `text` of the same length in which every byte that is not part of a valid UTF-8
// sequence, and every NUL, is a space: the finders (libphonenumber refuses invalid UTF-8 whole)
// then see valid text whose offsets are still the caller's.
std::string SpaceOutInvalidUtf8(std::string_view text) {
  std::string out(text);
  std::size_t pos = 0;
  while (pos < out.size()) {
    const std::size_t length = ValidSequenceLength(out, pos);
    if (length == 0 || out[pos] == '\0') {
      out[pos] = ' ';
      ++pos;
    } else {
      pos += length;
    }
  }
  return out;
}

// Which candidate wins when two of the same length overlap: lower first.
int Priority(EntityType type) {
  switch (type) {
    case EntityType::kUrl:
      return 0;
    case EntityType::kEmail:
      return 1;
    case EntityType::kIban:
      return 2;
    case EntityType::kMarking:
      return 3;
    case EntityType::kDate:
      return 4;
    case EntityType::kMoney:
      return 5;
    case EntityType::kIp:
      return 6;
    case EntityType::kDomain:
      return 7;
    case EntityType::kPhone:
      return 8;
  }
  return 9;
}

// Accepted mentions by begin offset; they never overlap one another.
class Occupancy {
 public:
  // The accepted mention overlapping [begin, end), or nullptr.
  const Mention* FindOverlap(std::size_t begin, std::size_t end) const {
    auto it = by_begin_.lower_bound(end);  // first with begin >= end: cannot overlap
    if (it == by_begin_.begin()) return nullptr;
    --it;  // the last accepted mention starting before `end`
    return it->second->end > begin ? it->second : nullptr;
  }
  void Add(const Mention* mention) { by_begin_.emplace(mention->begin, mention); }

 private:
  std::map<std::size_t, const Mention*> by_begin_;
};

bool ByLengthThenPriority(const Mention& a, const Mention& b) {
  const std::size_t a_length = a.end - a.begin;
  const std::size_t b_length = b.end - b.begin;
  if (a_length != b_length) return a_length > b_length;
  if (Priority(a.type) != Priority(b.type)) return Priority(a.type) < Priority(b.type);
  return a.begin < b.begin;
}

bool ByPosition(const Mention& a, const Mention& b) {
  if (a.begin != b.begin) return a.begin < b.begin;
  if (a.end != b.end) return a.end > b.end;  // a URL before the domain it contains
  if (a.type != b.type) return Priority(a.type) < Priority(b.type);
  return a.value < b.value;
}

}  // namespace

std::string_view EntityTypeName(EntityType type) {
  switch (type) {
    case EntityType::kEmail:
      return "email";
    case EntityType::kPhone:
      return "phone";
    case EntityType::kIban:
      return "iban";
    case EntityType::kUrl:
      return "url";
    case EntityType::kDomain:
      return "domain";
    case EntityType::kIp:
      return "ip";
    case EntityType::kMoney:
      return "money";
    case EntityType::kDate:
      return "date";
    case EntityType::kMarking:
      return "marking";
  }
  return "unknown";
}

std::vector<Mention> FindPatternEntities(std::string_view utf8_text, std::string_view language) {
  const std::string text = SpaceOutInvalidUtf8(utf8_text);
  const FinderInput input{text, language};

  std::vector<Mention> candidates;
  std::vector<Mention> hosts;
  std::vector<Mention> phones;
  internal::FindUrls(input, &candidates, &hosts);
  internal::FindEmails(input, &candidates);
  internal::FindIbans(input, &candidates);
  internal::FindMarkings(input, &candidates);
  internal::FindDates(input, &candidates);
  internal::FindMoney(input, &candidates);
  internal::FindIpAddresses(input, &candidates);
  internal::FindPhones(input, &phones);

  // Longest first, so that a URL beats the address inside it and "21 November 2011" beats
  // "November 2011"; phones last, so that a date or an IBAN read as a phone number is dropped.
  std::sort(candidates.begin(), candidates.end(), ByLengthThenPriority);
  std::vector<const Mention*> accepted;
  Occupancy occupancy;
  for (const Mention& candidate : candidates) {
    if (occupancy.FindOverlap(candidate.begin, candidate.end) != nullptr) continue;
    occupancy.Add(&candidate);
    accepted.push_back(&candidate);
  }
  for (const Mention& phone : phones) {
    if (occupancy.FindOverlap(phone.begin, phone.end) != nullptr) continue;
    occupancy.Add(&phone);
    accepted.push_back(&phone);
  }

  std::vector<Mention> result;
  result.reserve(accepted.size() + hosts.size());
  for (const Mention* mention : accepted) result.push_back(*mention);
  // A host counts when its URL was kept.
  for (Mention& host : hosts) {
    const Mention* url = occupancy.FindOverlap(host.begin, host.end);
    if (url != nullptr && url->type == EntityType::kUrl && url->begin <= host.begin &&
        host.end <= url->end) {
      result.push_back(std::move(host));
    }
  }
  std::sort(result.begin(), result.end(), ByPosition);
  result.erase(std::unique(result.begin(), result.end()), result.end());
  return result;
}

}  // namespace trove::analyze
