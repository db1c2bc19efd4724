// The finders behind FindPatternEntities, one per family of patterns. Each appends candidates;
// FindPatternEntities (entities.cc) resolves overlaps between them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "analyze/entities.h"

namespace trove::analyze::internal {

// What every finder reads: the text (valid UTF-8: invalid bytes were replaced by spaces, so
// offsets are those of the caller's text) and the document's language.
struct FinderInput {
  std::string_view text;
  std::string_view language;
};

// Collects the candidates of one finder, up to kMaxMentionsPerType of them.
class CandidateList {
 public:
  explicit CandidateList(std::vector<Mention>* out) : out_(out) {}
  // False once the cap is reached: the finder should stop scanning.
  bool Add(EntityType type, std::size_t begin, std::size_t end, std::string value);
  bool IsFull() const { return count_ >= kMaxMentionsPerType; }

 private:
  std::vector<Mention>* out_;
  std::size_t count_ = 0;
};

// entities_web.cc
void FindEmails(const FinderInput& input, std::vector<Mention>* out);
// URLs into `urls`, and for each a kDomain (or kIp) mention spanning its host into `hosts`.
void FindUrls(const FinderInput& input, std::vector<Mention>* urls, std::vector<Mention>* hosts);
void FindIpAddresses(const FinderInput& input, std::vector<Mention>* out);

// entities_numbers.cc
void FindIbans(const FinderInput& input, std::vector<Mention>* out);
void FindMoney(const FinderInput& input, std::vector<Mention>* out);
void FindPhones(const FinderInput& input, std::vector<Mention>* out);

// entities_dates.cc
void FindDates(const FinderInput& input, std::vector<Mention>* out);

// entities_markings.cc
void FindMarkings(const FinderInput& input, std::vector<Mention>* out);

// Shared helpers (entities.cc).
bool IsAsciiDigit(char ch);
bool IsAsciiAlpha(char ch);
bool IsAsciiAlnum(char ch);
char AsciiLower(char ch);
char AsciiUpper(char ch);
std::string AsciiLowerCopy(std::string_view s);
// The line that holds byte `pos` (without its line break), cut to kMaxLineBytes on either side
// of `pos`.
inline constexpr std::size_t kMaxLineBytes = 1024;
std::string_view LineAround(std::string_view text, std::size_t pos);
// Up to `max_bytes` of text before `pos`, cut forward to a UTF-8 character boundary.
std::string_view TextBefore(std::string_view text, std::size_t pos, std::size_t max_bytes);

// Calls `on_match(groups)` for each successive non-overlapping match of `re` in `text`, where
// groups[0] is the whole match and groups[1..group_count] its capture groups, until `on_match`
// returns false. `re` is matched with the text before each match as context, so `\b` and `^`
// (in multi-line mode) see the real neighbours.
template <typename OnMatch>
void ForEachMatch(const re2::RE2& re, std::string_view text, int group_count, OnMatch&& on_match) {
  std::vector<re2::StringPiece> groups(static_cast<std::size_t>(group_count) + 1);
  const re2::StringPiece whole(text.data(), text.size());
  std::size_t pos = 0;
  while (pos <= text.size()) {
    if (!re.Match(whole, pos, text.size(), re2::RE2::UNANCHORED, groups.data(), group_count + 1)) {
      return;
    }
    if (!on_match(groups)) return;
    const std::size_t match_end =
        static_cast<std::size_t>(groups[0].data() - text.data()) + groups[0].size();
    pos = groups[0].empty() ? match_end + 1 : match_end;
  }
}

// The byte offset of `piece` (a group of a match) in `text`.
inline std::size_t OffsetIn(std::string_view text, re2::StringPiece piece) {
  return static_cast<std::size_t>(piece.data() - text.data());
}

}  // namespace trove::analyze::internal
